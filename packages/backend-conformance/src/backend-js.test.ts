import { createJsBackend } from '@nabla/backend-js';
import { runConformance } from './index';

// backend-js against itself: proves every case runs, records and compares, and that the
// edge-case table holds for the reference. Other backends add a file like this one.
runConformance('js', () => createJsBackend());
