/**
 * toString in PyTorch's print format (torch/_tensor_str.py): one width for all
 * elements, `1.` for integral floats, 4 decimals otherwise, scientific when the
 * magnitudes span > 1000x or leave [1e-4, 1e8], lines wrapped at 80 columns,
 * tensors over 1000 elements summarised with `...`.
 */
import type { DType, TypedArray } from '@nabla/core';

const LINEWIDTH = 80;
const THRESHOLD = 1000;
const EDGE = 3;
const PRECISION = 4;

/** Python's `{:.4e}`: at least two exponent digits. */
function sci(v: number): string {
  const s = v.toExponential(PRECISION);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return undefined;
}

class Formatter {
  private intMode = true;
  private sciMode = false;
  width = 1;
  private readonly floating: boolean;
  private readonly bool: boolean;

  constructor(values: number[], dtype: DType) {
    this.floating = dtype === 'float32' || dtype === 'float64';
    this.bool = dtype === 'bool';
    if (!this.floating) {
      for (const v of values) this.width = Math.max(this.width, this.plain(v).length);
      return;
    }
    const nz = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (nz.length === 0) return;
    const abs = nz.map(Math.abs);
    const lo = Math.min(...abs);
    const hi = Math.max(...abs);
    this.intMode = nz.every((v) => v === Math.ceil(v));
    if (this.intMode) {
      if (hi / lo > 1000 || hi > 1e8) this.sciMode = true;
    } else if (hi / lo > 1000 || hi > 1e8 || lo < 1e-4) this.sciMode = true;
    for (const v of nz) {
      const s = this.sciMode ? sci(v) : this.intMode ? `${v.toFixed(0)}.` : v.toFixed(PRECISION);
      this.width = Math.max(this.width, s.length);
    }
  }

  private plain(v: number): string {
    return this.bool ? (v ? 'True' : 'False') : String(v);
  }

  format(v: number): string {
    let s: string;
    if (!this.floating) s = this.plain(v);
    else {
      const sp = special(v);
      if (this.sciMode) s = sp ?? sci(v);
      else if (this.intMode) s = sp ?? `${Object.is(v, -0) ? '-0' : v.toFixed(0)}.`;
      else s = sp ?? v.toFixed(PRECISION);
    }
    return s.length < this.width ? ' '.repeat(this.width - s.length) + s : s;
  }
}

/** The flat indices of the entries printed when summarising (the first and last EDGE along every dim). */
function summarizedValues(data: TypedArray, shape: readonly number[]): number[] {
  const out: number[] = [];
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const walk = (dim: number, base: number): void => {
    if (dim === shape.length) {
      out.push(data[base]);
      return;
    }
    const n = shape[dim];
    const idx = n > 2 * EDGE ? [0, 1, 2, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
    for (const i of idx) walk(dim + 1, base + i * strides[dim]);
  };
  walk(0, 0);
  return out;
}

export function formatTensor(data: TypedArray, shape: readonly number[], dtype: DType, suffixes: string[]): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const numel = data.length;
  const extra = suffixes.slice();
  let body: string;
  if (numel === 0) {
    body = '[]';
    if (!(shape.length === 1 && shape[0] === 0)) extra.unshift(`size=[${shape.join(', ')}]`);
  } else {
    const summarize = numel > THRESHOLD;
    const values = summarize ? summarizedValues(data, shape) : Array.from(data, Number);
    const fmt = new Formatter(values, dtype);
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const str = (dim: number, base: number, ind: number): string => {
      if (dim === shape.length) return fmt.format(data[base]);
      const n = shape[dim];
      const cut = summarize && n > 2 * EDGE;
      const idx = cut ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
      if (dim === shape.length - 1) {
        const perLine = Math.max(1, Math.floor((LINEWIDTH - ind) / (fmt.width + 2)));
        const items = idx.map((i) => (i < 0 ? ' ...' : fmt.format(data[base + i])));
        const lines: string[] = [];
        for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
        return '[' + lines.join(',\n' + ' '.repeat(ind + 1)) + ']';
      }
      const parts = idx.map((i) => (i < 0 ? '...' : str(dim + 1, base + i * strides[dim], ind + 1)));
      return '[' + parts.join(',' + '\n'.repeat(shape.length - dim - 1) + ' '.repeat(ind + 1)) + ']';
    };
    body = str(0, 0, indent);
  }
  let out = prefix + body;
  for (const s of extra) {
    const lastLine = out.slice(out.lastIndexOf('\n') + 1);
    out += lastLine.length + s.length + 2 > LINEWIDTH ? ',\n' + ' '.repeat(indent) + s : ', ' + s;
  }
  return out + ')';
}
