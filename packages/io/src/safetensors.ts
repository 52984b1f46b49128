/** Tensors to and from safetensors, the weight format PyTorch and Hugging Face share. */
import { NablaError, type DType } from '@nabla/core';
import { tensor, type Tensor } from '@nabla/tensor';
import { parseContainer, writeContainer, type RawEntry, type StDType } from './format';

export interface SafetensorsFile {
  readonly tensors: Record<string, Tensor>;
  readonly metadata: Record<string, string>;
}

const WRITE_DTYPE = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' } as const satisfies Record<DType, StDType>;

/**
 * Serialises a record of tensors (a state dict) to safetensors bytes.
 * @example
 * const bytes = saveSafetensors({ 'fc.weight': randn([3, 4]) }, { metadata: { epoch: '3' } });
 * const back = loadSafetensors(bytes); // { 'fc.weight': Tensor [3, 4] }
 */
export function saveSafetensors(record: Record<string, Tensor>, options: { metadata?: Record<string, string> } = {}): Uint8Array {
  const entries = Object.entries(record).map(([name, t]) => {
    if (typeof t?.data !== 'function') throw new NablaError('saveSafetensors', `value for '${name}' is not a tensor`);
    const data = t.data();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return [name, { dtype: WRITE_DTYPE[t.dtype], shape: t.shape, bytes }] as [string, { dtype: StDType; shape: readonly number[]; bytes: Uint8Array }];
  });
  for (const [k, v] of Object.entries(options.metadata ?? {})) {
    if (typeof v !== 'string') throw new NablaError('saveSafetensors', `metadata value for '${k}' must be a string`);
  }
  return writeContainer(entries, options.metadata);
}

/** Reads safetensors bytes into tensors plus the file's `__metadata__`. */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  const raw = parseContainer(bytes);
  const tensors: Record<string, Tensor> = {};
  for (const [name, entry] of raw.entries) tensors[name] = toTensor(name, entry);
  return { tensors, metadata: raw.metadata };
}

/**
 * Reads safetensors bytes into a record of tensors. F32, F64, I32 and BOOL keep their
 * dtype; F16 and BF16 become float32; I64 becomes int32 when every value fits.
 * @example
 * const state = loadSafetensors(readFileSync('model.safetensors'));
 * model.loadStateDict(state);
 */
export function loadSafetensors(bytes: Uint8Array): Record<string, Tensor> {
  return parseSafetensors(bytes).tensors;
}

// File bytes may sit at any alignment: copy into a fresh buffer before viewing them as wider types.
// (Not `bytes.slice()`: on a Node Buffer that is a view into a shared pool, not a copy.)
function aligned(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

const READERS: Record<StDType, (b: Uint8Array, name: string) => { dtype: DType; data: Float32Array | Float64Array | Int32Array | Uint8Array }> = {
  F32: (b) => ({ dtype: 'float32', data: new Float32Array(aligned(b)) }),
  F64: (b) => ({ dtype: 'float64', data: new Float64Array(aligned(b)) }),
  I32: (b) => ({ dtype: 'int32', data: new Int32Array(aligned(b)) }),
  BOOL: (b) => ({ dtype: 'bool', data: b.map((x) => (x ? 1 : 0)) }),
  F16: (b) => ({ dtype: 'float32', data: Float32Array.from(new Uint16Array(aligned(b)), halfToFloat) }),
  BF16: (b) => {
    const halves = new Uint16Array(aligned(b));
    const bits = new Uint32Array(halves.length);
    for (let i = 0; i < halves.length; i++) bits[i] = halves[i] << 16;
    return { dtype: 'float32', data: new Float32Array(bits.buffer) };
  },
  I64: (b, name) => {
    const wide = new BigInt64Array(aligned(b));
    const out = new Int32Array(wide.length);
    for (let i = 0; i < wide.length; i++) {
      const v = wide[i];
      if (v > 2147483647n || v < -2147483648n) {
        throw new NablaError('loadSafetensors', `tensor '${name}' holds int64 value ${v} that does not fit int32`);
      }
      out[i] = Number(v);
    }
    return { dtype: 'int32', data: out };
  },
};

function toTensor(name: string, entry: RawEntry): Tensor {
  const { dtype, data } = READERS[entry.dtype](entry.bytes, name);
  return tensor(data, { dtype, shape: entry.shape });
}

/** IEEE 754 binary16 bits to a number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
