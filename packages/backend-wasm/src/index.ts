/** @nabla/backend-wasm: the C kernel library compiled to WebAssembly SIMD, for browsers and Node. */
import { NablaError } from '@nabla/core';
import { instantiate, type WasmBackend } from './backend';

export type { WasmBackend } from './backend';
export { WasmStorage } from './storage';

export interface WasmBackendOptions {
  /** Where to load nabla.wasm from (fetch in browsers, file or fetch in Node); defaults to the copy in this package. */
  readonly url?: string | URL;
  /** The module's bytes, when the caller already has them (no I/O at all). */
  readonly bytes?: Uint8Array | ArrayBuffer;
  /** An already compiled module (e.g. shared between several backends). */
  readonly module?: WebAssembly.Module;
}

/** The shipped module, next to src/ and dist/ alike; bundlers recognise this pattern and copy the file. */
export const defaultWasmUrl = (): URL => new URL('../wasm/nabla.wasm', import.meta.url);

interface NodeFs {
  readFileSync(path: URL | string): Uint8Array;
  promises: { readFile(path: URL | string): Promise<Uint8Array> };
}
// Node's fs without a static import, so browser bundles stay free of node: modules.
const nodeFs = (): NodeFs | undefined =>
  (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:fs') as NodeFs | undefined;

const isFileUrl = (u: string | URL): boolean => (typeof u === 'string' ? !/^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith('file:') : u.protocol === 'file:');

let shipped: Promise<WebAssembly.Module> | undefined;

async function compile(o: WasmBackendOptions): Promise<WebAssembly.Module> {
  if (o.module) return o.module;
  if (o.bytes) return WebAssembly.compile(o.bytes as BufferSource);
  const url = o.url ?? defaultWasmUrl();
  const fs = nodeFs();
  if (fs && isFileUrl(url)) return WebAssembly.compile((await fs.promises.readFile(url)) as BufferSource);
  const res = await fetch(url);
  if (!res.ok) throw new NablaError('createWasmBackend', `could not fetch ${String(url)}: HTTP ${res.status}`);
  return WebAssembly.compile(await res.arrayBuffer());
}

/**
 * A backend running the nabla kernels compiled to WebAssembly SIMD (simd128): every kernel of the
 * contract on float32, float64, int32 and bool, plus the fused kernels. Storage lives in the module's
 * memory (grown as needed) and is returned to its allocator by `free`, which @nabla/tensor calls when a
 * tensor is disposed or collected.
 * @example
 * import { setBackend } from '@nabla/core';
 * import { createWasmBackend } from '@nabla/backend-wasm';
 * const wasm = setBackend(await createWasmBackend());
 * const a = wasm.alloc('float32', 3);
 * wasm.write(a, 'float32', 0, new Float32Array([1, 2, 3]));
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const useShipped = !options.module && !options.bytes && !options.url;
  try {
    const module = useShipped ? await (shipped ??= compile(options)) : await compile(options);
    return instantiate(module);
  } catch (e) {
    if (useShipped) shipped = undefined;
    if (e instanceof NablaError) throw e;
    throw new NablaError('createWasmBackend', `could not load nabla.wasm: ${(e as Error).message}`);
  }
}

/**
 * The same backend, created synchronously: from `bytes` or `module`, or (in Node) from the shipped
 * file. Browsers compile large modules only asynchronously, so there use `createWasmBackend`.
 * @example
 * import { createWasmBackendSync } from '@nabla/backend-wasm';
 * const wasm = createWasmBackendSync(); // Node
 */
export function createWasmBackendSync(options: Omit<WasmBackendOptions, 'url'> = {}): WasmBackend {
  try {
    if (options.module) return instantiate(options.module);
    if (options.bytes) return instantiate(new WebAssembly.Module(options.bytes as BufferSource));
    const fs = nodeFs();
    if (!fs) throw new Error('no synchronous file access here (not Node >= 20.16); use createWasmBackend()');
    return instantiate(new WebAssembly.Module(fs.readFileSync(defaultWasmUrl()) as BufferSource));
  } catch (e) {
    if (e instanceof NablaError) throw e;
    throw new NablaError('createWasmBackend', `could not load nabla.wasm: ${(e as Error).message}`);
  }
}
