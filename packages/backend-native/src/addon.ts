/** Loads the compiled addon (a local build or a prebuild) and describes its raw interface. */
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The functions the C layer exports (csrc/addon/addon.c). Handles are plain numbers. */
export interface Addon {
  alloc(dtype: number, size: number): number;
  /** False when the handle was already freed (a no-op). */
  free(handle: number): boolean;
  write(handle: number, dtype: number, offset: number, data: ArrayBufferView): void;
  read(handle: number, dtype: number, offset: number, size: number): ArrayBufferView;
  memory(): [number, number];
  /** ISA builds this CPU can run, best first. */
  isas(): string[];
  /** The C dispatch table's kernel names, in code order. */
  kernelNames(): string[];
  setDescriptor(desc: Float64Array): void;
  run(kernel: number, isa: number, threads: number): void;
}

function packageRoot(): string {
  // src/addon.ts and dist/index.{js,cjs} both sit one level below the package root.
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  return resolve(here, '..');
}

let cached: Addon | undefined;
let failure: Error | undefined;

/** Loads the addon built or prebuilt under `root`; the Error says why when it cannot. */
export function loadAddonFrom(root: string): Addon {
  try {
    const require = createRequire(import.meta.url ?? resolve(packageRoot(), 'package.json'));
    const load = require('node-gyp-build') as (dir: string) => Addon;
    return load(root);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new Error(
      `@nabla/backend-native: the native addon could not be loaded (${why}). ` +
        `Neither a prebuild for ${process.platform}-${process.arch} (node-API) nor a local build exists under ${root}; ` +
        'install a C compiler and run `pnpm rebuild @nabla/backend-native`, or use another backend.',
    );
  }
}

/** The addon, or an Error saying why it cannot load (missing build, wrong platform, ...). */
export function loadAddon(): Addon {
  if (cached) return cached;
  if (failure) throw failure;
  try {
    cached = loadAddonFrom(packageRoot());
    return cached;
  } catch (e) {
    failure = e as Error;
    throw failure;
  }
}
