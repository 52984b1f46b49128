import { defineConfig } from 'tsup';
import { nablaTsup } from '@nabla/config/tsup';

// shims: the CJS build gets an import.meta.url, from which the optional native package is required.
export default defineConfig(nablaTsup({ shims: true }));
