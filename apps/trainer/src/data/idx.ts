/**
 * The IDX format of the original MNIST files: a magic number (0, 0, type, rank), rank big-endian
 * uint32 sizes, then the data. Files may be gzipped as distributed (`.gz`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AppError } from '../util/errors';
import { type Digits, PIXELS } from './digits';

const UBYTE = 0x08;

export interface IdxArray {
  readonly shape: number[];
  readonly data: Uint8Array;
}

/** Parses an unsigned-byte IDX file (the only type MNIST uses). */
export function parseIdx(buf: Uint8Array, name = 'idx'): IdxArray {
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new AppError(`${name}: not an IDX file (bad magic number)`);
  if (buf[2] !== UBYTE) throw new AppError(`${name}: IDX element type 0x${buf[2].toString(16)} is not supported (expected 0x08, unsigned byte)`);
  const rank = buf[3];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4 + 4 * rank) throw new AppError(`${name}: IDX header truncated`);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const start = 4 + 4 * rank;
  const size = shape.reduce((a, b) => a * b, 1);
  if (buf.length - start < size) throw new AppError(`${name}: IDX data truncated: expected ${size} bytes for shape [${shape.join(',')}], got ${buf.length - start}`);
  return { shape, data: buf.subarray(start, start + size) };
}

/** Encodes unsigned bytes as IDX (used by tests to make small MNIST-like files). */
export function encodeIdx(shape: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UBYTE;
  out[3] = shape.length;
  shape.forEach((s, i) => view.setUint32(4 + 4 * i, s, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}

/** Images [N,28,28] and labels [N] as Digits with pixels scaled to [0, 1]. */
export function idxToDigits(images: IdxArray, labels: IdxArray, name: string): Digits {
  const [n, h, w] = images.shape;
  if (images.shape.length !== 3 || h * w !== PIXELS) throw new AppError(`${name}: expected images of shape [N,28,28], got [${images.shape.join(',')}]`);
  if (labels.shape.length !== 1 || labels.shape[0] !== n) throw new AppError(`${name}: expected ${n} labels, got shape [${labels.shape.join(',')}]`);
  const px = new Float32Array(n * PIXELS);
  for (let i = 0; i < px.length; i++) px[i] = images.data[i] / 255;
  for (const l of labels.data) if (l > 9) throw new AppError(`${name}: label ${l} is not a digit`);
  return { images: px, labels: new Uint8Array(labels.data), count: n };
}

function findFile(dir: string, stem: string): string {
  // Distributions name the files with a dot or a dash before idx (train-images.idx3-ubyte), gzipped or not.
  const candidates = [stem, stem.replace(/-idx/, '.idx')].flatMap((s) => [s, `${s}.gz`]);
  for (const c of candidates) {
    const p = join(dir, c);
    if (existsSync(p)) return p;
  }
  throw new AppError(`--data ${dir}: missing ${stem} (or ${stem}.gz)`);
}

function readIdxFile(path: string): IdxArray {
  return parseIdx(readFileSync(path), path);
}

/** The full MNIST from a directory of the four original IDX files: 60,000 training and 10,000 test digits. */
export function loadIdxMnist(dir: string): { train: Digits; test: Digits } {
  if (!existsSync(dir)) throw new AppError(`--data ${dir}: no such directory`);
  const load = (prefix: string) =>
    idxToDigits(readIdxFile(findFile(dir, `${prefix}-images-idx3-ubyte`)), readIdxFile(findFile(dir, `${prefix}-labels-idx1-ubyte`)), `${dir}/${prefix}`);
  return { train: load('train'), test: load('t10k') };
}
