/**
 * Connects `Tensor.backward()` to this package's engine. Importing @nabla/autograd runs this once; it is
 * the package's only side effect and is listed in package.json "sideEffects" so bundlers keep it.
 */
import { installAutogradEngine } from '@nabla/tensor';
import { backward } from './engine';

installAutogradEngine({ backward });
