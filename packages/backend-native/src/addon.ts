/** Loads the compiled addon (a local build or a prebuild) and describes its raw interface. */
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The functions the C layer exports (csrc/addon/addon.c). A storage is an ArrayBuffer plus its dtype
 * code and element count; C checks all three against the buffer's real length on every use.
 */
export interface Addon {
  /** The ArrayBuffer length for `size` elements (data + 64 for alignment); throws `[alloc] ...` for impossible sizes. */
  allocBytes(dtype: number, size: number): number;
  /** Detaches the buffer (its memory goes back now); false when it was already freed or is not a buffer. */
  free(buf: unknown): boolean;
  write(buf: unknown, storageDtype: number, storageSize: number, dtype: number, offset: number, data: ArrayBufferView): void;
  read(buf: unknown, storageDtype: number, storageSize: number, dtype: number, offset: number, size: number): ArrayBufferView;
  /** ISA builds this CPU can run, best first. */
  isas(): string[];
  /** The C dispatch table's kernel names, in code order. */
  kernelNames(): string[];
  setDescriptor(desc: Float64Array): void;
  /** Runs a kernel over the descriptor; the views' storage buffers follow, by slot. */
  run(kernel: number, isa: number, threads: number, ...buffers: (ArrayBuffer | undefined)[]): void;
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
