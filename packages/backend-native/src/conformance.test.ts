import { runConformance } from '@nabla/backend-conformance';
import { createNativeBackend } from './index';

runConformance('native', () => createNativeBackend());
