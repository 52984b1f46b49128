/** `export-digit`: writes a test-split digit as a PNG, so `predict` can be shown to give its label. */
import { IMAGE_SIZE, PIXELS } from '../data/digits';
import { encodeGrayPng } from '../data/png';
import { loadSplits } from '../mnist/data';
import { AppError } from '../util/errors';
import { writeOutput } from '../util/files';
import type { Io } from '../util/io';
import { dirname, basename } from 'node:path';

export interface ExportDigitOptions {
  index: number;
  seed: number;
  data?: string;
  out?: string;
  outDir: string;
}

export function exportDigit(o: ExportDigitOptions, io: Io): { path: string; label: number } {
  const { test } = loadSplits({ seed: o.seed, dataDir: o.data });
  if (o.index >= test.count) throw new AppError(`--index ${o.index} is out of range: the test split has ${test.count} digits`);
  const label = test.labels[o.index];
  const png = encodeGrayPng(test.images.subarray(o.index * PIXELS, (o.index + 1) * PIXELS), IMAGE_SIZE, IMAGE_SIZE);
  const file = o.out ?? `${o.outDir}/digit-${o.index}-label-${label}.png`;
  const path = writeOutput(dirname(file), basename(file), png);
  io.out(`wrote ${path}: test digit #${o.index} (seed ${o.seed}), label ${label}`);
  return { path, label };
}
