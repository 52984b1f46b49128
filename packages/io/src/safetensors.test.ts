import { describe, expect, it } from 'vitest';
import { tensor } from '@nabla/tensor';
import { loadSafetensors, parseSafetensors, saveSafetensors, halfToFloat } from './index';
import { writeContainer } from './format';

const sample = () => ({
  'fc.weight': tensor([[1.5, -2], [3, 4.25]], { dtype: 'float32' }),
  'fc.bias': tensor([0.1, 0.2], { dtype: 'float64' }),
  steps: tensor([7, -3], { dtype: 'int32' }),
  mask: tensor([true, false, true]),
});

describe('safetensors round trip', () => {
  it('keeps names, dtypes, shapes, values and metadata', () => {
    const bytes = saveSafetensors(sample(), { metadata: { format: 'pt', epoch: '3' } });
    const { tensors, metadata } = parseSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt', epoch: '3' });
    expect(Object.keys(tensors).sort()).toEqual(['fc.bias', 'fc.weight', 'mask', 'steps']);
    for (const [k, t] of Object.entries(sample())) {
      expect(tensors[k].dtype).toBe(t.dtype);
      expect(tensors[k].shape).toEqual(t.shape);
      expect(tensors[k].toArray()).toEqual(t.toArray());
    }
  });
  it('reads from a Node Buffer that views a shared pool at an odd offset', () => {
    const bytes = saveSafetensors(sample());
    const pool = Buffer.alloc(bytes.byteLength + 101);
    pool.set(bytes, 101);
    const t = loadSafetensors(pool.subarray(101));
    expect(t['fc.weight'].toArray()).toEqual([[1.5, -2], [3, 4.25]]);
  });
  it('aligns the data section to 8 bytes', () => {
    const bytes = saveSafetensors(sample());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
  });
  it('reads F16, BF16 and I64 as float32/int32', () => {
    const f16 = new Uint16Array([0x3c00, 0xc000, 0x7c00, 0x0001]); // 1, -2, inf, smallest subnormal
    const bf16 = new Uint16Array([0x3f80, 0x4049]); // 1, 3.140625
    const i64 = new BigInt64Array([5n, -6n]);
    const bytes = writeContainer([
      ['h', { dtype: 'F16', shape: [4], bytes: new Uint8Array(f16.buffer) }],
      ['b', { dtype: 'BF16', shape: [2], bytes: new Uint8Array(bf16.buffer) }],
      ['n', { dtype: 'I64', shape: [2], bytes: new Uint8Array(i64.buffer) }],
    ]);
    const t = loadSafetensors(bytes);
    expect(t.h.dtype).toBe('float32');
    expect(Array.from(t.h.data())).toEqual([1, -2, Infinity, 2 ** -24]);
    expect(Array.from(t.b.data())).toEqual([1, 3.140625]);
    expect(t.n.dtype).toBe('int32');
    expect(t.n.toArray()).toEqual([5, -6]);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });
});

describe('malformed files', () => {
  const good = saveSafetensors(sample());
  it('rejects truncation with a message saying so', () => {
    expect(() => loadSafetensors(good.subarray(0, 4))).toThrow('[loadSafetensors] file is 4 bytes');
    expect(() => loadSafetensors(good.subarray(0, good.byteLength - 3))).toThrow(/truncated|cover/);
  });
  it('never trusts the header length', () => {
    const evil = good.slice();
    new DataView(evil.buffer).setBigUint64(0, 2n ** 62n, true);
    expect(() => loadSafetensors(evil)).toThrow('exceeds');
  });
  it('rejects bad JSON, dtypes, shapes and offsets', () => {
    const make = (header: string, data = 0) => {
      const h = new TextEncoder().encode(header);
      const out = new Uint8Array(8 + h.length + data);
      new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
      out.set(h, 8);
      return out;
    };
    expect(() => loadSafetensors(make('{nope'))).toThrow('not valid UTF-8 JSON');
    expect(() => loadSafetensors(make('[1]'))).toThrow('not a JSON object');
    expect(() => loadSafetensors(make('{"a":{"dtype":"Q8","shape":[1],"data_offsets":[0,1]}}', 1))).toThrow('unsupported dtype Q8');
    expect(() => loadSafetensors(make('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', 4))).toThrow('invalid shape');
    expect(() => loadSafetensors(make('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', 4))).toThrow('needs 8 bytes, the file gives 4');
    expect(() => loadSafetensors(make('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4))).toThrow('overlap or gap');
    expect(() => loadSafetensors(make('{"a":{"dtype":"F32","shape":[1e12],"data_offsets":[0,4]}}', 4))).toThrow();
    expect(() => loadSafetensors(make('{"__metadata__":{"a":1}}'))).toThrow('must be a string');
  });
  it('refuses int64 values that do not fit int32', () => {
    const bytes = writeContainer([['n', { dtype: 'I64', shape: [1], bytes: new Uint8Array(new BigInt64Array([2n ** 40n]).buffer) }]]);
    expect(() => loadSafetensors(bytes)).toThrow("tensor 'n' holds int64 value 1099511627776");
  });
});
