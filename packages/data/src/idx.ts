/**
 * MNIST's IDX format: magic (0, 0, type code, rank), rank big-endian uint32
 * dims, then big-endian data. Sizes are checked against the buffer before use.
 */
import { NablaError } from '@nabla/core';
import { tensor, type Tensor } from '@nabla/tensor';

const TYPES: Record<number, { name: string; width: number; read: (v: DataView, at: number) => number }> = {
  0x08: { name: 'uint8', width: 1, read: (v, at) => v.getUint8(at) },
  0x09: { name: 'int8', width: 1, read: (v, at) => v.getInt8(at) },
  0x0b: { name: 'int16', width: 2, read: (v, at) => v.getInt16(at) },
  0x0c: { name: 'int32', width: 4, read: (v, at) => v.getInt32(at) },
  0x0d: { name: 'float32', width: 4, read: (v, at) => v.getFloat32(at) },
  0x0e: { name: 'float64', width: 8, read: (v, at) => v.getFloat64(at) },
};

export interface IdxArray {
  readonly type: string;
  readonly shape: number[];
  readonly data: Float64Array;
}

/** Parses an IDX file (already decompressed). */
export function readIdx(bytes: Uint8Array): IdxArray {
  const op = 'readIdx';
  if (bytes.byteLength < 4) throw new NablaError(op, `file is ${bytes.byteLength} bytes, too short for the IDX magic`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== 0 || view.getUint8(1) !== 0) throw new NablaError(op, 'not an IDX file: the magic must start with two zero bytes');
  const type = TYPES[view.getUint8(2)];
  if (!type) throw new NablaError(op, `unknown IDX type code 0x${view.getUint8(2).toString(16)}`);
  const rank = view.getUint8(3);
  const headerLen = 4 + 4 * rank;
  if (bytes.byteLength < headerLen) throw new NablaError(op, `file is truncated inside its ${rank}-dim header`);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i);
    shape.push(d);
    count *= d;
  }
  const need = headerLen + count * type.width;
  if (bytes.byteLength < need) throw new NablaError(op, `file holds ${bytes.byteLength} bytes but shape [${shape.join(',')}] of ${type.name} needs ${need} (truncated?)`);
  const data = new Float64Array(count);
  for (let i = 0, at = headerLen; i < count; i++, at += type.width) data[i] = type.read(view, at);
  return { type: type.name, shape, data };
}

/** Writes an IDX file of unsigned bytes (used by tests to make small MNIST-like files). */
export function writeIdxUint8(shape: readonly number[], data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint8(2, 0x08);
  view.setUint8(3, shape.length);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(Array.from(data), 4 + 4 * shape.length);
  return out;
}

/**
 * MNIST images and labels from IDX bytes: images as float32 in [0, 1] of shape
 * [N, 28, 28] (or whatever the file says), labels as int32 [N].
 * @example
 * const { images, labels } = mnistFromIdx(imageBytes, labelBytes);
 */
export function mnistFromIdx(imageBytes: Uint8Array, labelBytes: Uint8Array): { images: Tensor; labels: Tensor } {
  const img = readIdx(imageBytes);
  const lab = readIdx(labelBytes);
  if (img.shape.length !== 3) throw new NablaError('mnistFromIdx', `images must be a rank-3 IDX array [N,H,W], got [${img.shape.join(',')}]`);
  if (lab.shape.length !== 1 || lab.shape[0] !== img.shape[0]) {
    throw new NablaError('mnistFromIdx', `labels [${lab.shape.join(',')}] do not match images [${img.shape.join(',')}]`);
  }
  const pixels = new Float32Array(img.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = img.data[i] / 255;
  return {
    images: tensor(pixels, { shape: img.shape }),
    labels: tensor(Int32Array.from(lab.data), { shape: lab.shape }),
  };
}
