/**
 * The allocator for storage inside wasm memory: a bump pointer over memory that only grows, plus
 * free lists per size class. Blocks are 64-byte aligned (the GEMM packs and SIMD loads like it);
 * classes are multiples of 64 bytes up to 4 KiB, then four per power of two (at most 25% slack), so
 * a training loop that frees and re-allocates the same shapes reuses the same blocks forever.
 */
const ALIGN = 64;
const PAGE = 65536;
/** Blocks above this many bytes are refused: offsets travel as int32 element counts. */
export const MAX_BLOCK = 2 ** 31 - PAGE;

export function sizeClass(bytes: number): number {
  const n = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  if (n <= 4096) return n;
  const step = 2 ** (Math.floor(Math.log2(n - 1)) - 2);
  return Math.ceil(n / step) * step;
}

export class Heap {
  private top: number;
  private readonly lists = new Map<number, number[]>();
  /** Bytes held by live blocks (their classes) and by free lists. */
  inUse = 0;
  cached = 0;
  private bytes: Uint8Array;

  /** `onGrow` runs after memory.grow, when every typed-array view of the old buffer is detached. */
  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
    private readonly onGrow: () => void,
  ) {
    this.bytes = new Uint8Array(memory.buffer);
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  /** A zero-filled, 64-byte aligned block of at least `bytes`; returns its address, or -1 when memory cannot grow. */
  alloc(bytes: number): number {
    const cls = sizeClass(bytes);
    const list = this.lists.get(cls);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.cached -= cls;
      this.inUse += cls;
      // Reused blocks hold old data; fresh ones come zeroed from memory.grow.
      this.bytes.fill(0, reused, reused + cls);
      return reused;
    }
    const end = this.top + cls;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // Grow by at least 1/8 of the current size, so many small allocations do not grow page by page.
      const pages = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 8));
      try {
        this.memory.grow(pages);
      } catch {
        try {
          this.memory.grow(Math.ceil((end - have) / PAGE));
        } catch {
          return -1;
        }
      }
      this.bytes = new Uint8Array(this.memory.buffer);
      this.onGrow();
    }
    const ptr = this.top;
    this.top = end;
    this.inUse += cls;
    return ptr;
  }

  /** Returns a block of `bytes` (as requested at alloc) at `ptr` to its class's free list. */
  free(ptr: number, bytes: number): void {
    const cls = sizeClass(bytes);
    let list = this.lists.get(cls);
    if (!list) this.lists.set(cls, (list = []));
    list.push(ptr);
    this.inUse -= cls;
    this.cached += cls;
  }

  /** Bytes of wasm memory in use by the bump region (live + cached blocks + the module's own data). */
  get reserved(): number {
    return this.top;
  }
}
