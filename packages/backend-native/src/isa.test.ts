import { runConformance } from '@nabla/backend-conformance';
import { createNativeBackend, nativeAvailable, type Isa } from './index';
import { loadAddon } from './addon';

// Every ISA build this CPU runs passes the whole suite, and so does the single-threaded pool.
const available = nativeAvailable() ? (loadAddon().isas() as Isa[]) : [];
for (const isa of available.slice(1)) runConformance(`native ${isa}`, () => createNativeBackend({ isa }));
runConformance('native, 1 thread', () => createNativeBackend({ threads: 1 }));
