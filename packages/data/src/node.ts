/** Node helpers: MNIST from a folder of IDX files, gzipped or not. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { NablaError } from '@nabla/core';
import type { Tensor } from '@nabla/tensor';
import { mnistFromIdx } from './idx';

function readMaybeGz(dir: string, base: string): Uint8Array {
  for (const name of [base, `${base}.gz`, base.replace(/-idx/, '.idx')]) {
    const p = join(dir, name);
    if (!existsSync(p)) continue;
    const bytes = readFileSync(p);
    return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  }
  throw new NablaError('loadMnist', `missing ${base}(.gz) in ${dir}`);
}

/**
 * Loads the standard MNIST files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, optionally .gz) from `dir`.
 */
export function loadMnist(dir: string): { train: { images: Tensor; labels: Tensor }; test: { images: Tensor; labels: Tensor } } {
  return {
    train: mnistFromIdx(readMaybeGz(dir, 'train-images-idx3-ubyte'), readMaybeGz(dir, 'train-labels-idx1-ubyte')),
    test: mnistFromIdx(readMaybeGz(dir, 't10k-images-idx3-ubyte'), readMaybeGz(dir, 't10k-labels-idx1-ubyte')),
  };
}
