/**
 * `spam`: the lesson's binary example. Hashed bag-of-words features of the SpamAssassin corpus,
 * logistic regression and a small MLP, both ending in sigmoid + binary cross-entropy.
 */
import { binaryCrossEntropy } from '@nabla/losses';
import { Linear, ReLU, Sequential, type Module } from '@nabla/layers';
import { Adam } from '@nabla/optimizers';
import { manualSeed, tensor, type Tensor } from '@nabla/tensor';
import { describeBackend, useBackend } from '../backend';
import { bucketWords, featurize, loadSpamCorpus, splitEmails, type Email } from '../data/spam';
import { type EpochRecord, type Task, fit, predict } from '../fit';
import { COLORS, chartSvg } from '../util/chart';
import { prepareOutDir, writeOutput } from '../util/files';
import type { Io } from '../util/io';
import { type BinaryMetrics, binaryMetrics } from '../util/metrics';

export interface SpamOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  features: number;
  hidden: number;
  seed: number;
  limit?: number;
  out: string;
  backend?: string;
}

export interface SpamResult {
  readonly models: { name: string; metrics: BinaryMetrics; history: EpochRecord[] }[];
  readonly topSpam: { word: string; weight: number }[];
  readonly topHam: { word: string; weight: number }[];
  readonly files: string[];
}

/** The model outputs one logit per message; sigmoid turns it into P(spam) for the BCE of the lesson. */
const spamTask: Task = {
  loss: (out: Tensor, y: Tensor) => binaryCrossEntropy(out.sigmoid(), y),
  correct: (out: Tensor, y: Tensor) => out.gt(0).eq(y.gt(0.5)).sum().item(),
};

function toTensors(emails: readonly Email[], dim: number): [Tensor, Tensor] {
  const f = featurize(emails, dim);
  return [tensor(f.x, { shape: [f.count, dim] }), tensor(f.y, { shape: [f.count, 1] })];
}

export async function spam(o: SpamOptions, io: Io): Promise<SpamResult> {
  prepareOutDir(o.out);
  const { backend } = await useBackend(o.backend);
  const corpus = loadSpamCorpus();
  let { train, test } = splitEmails(corpus, 0.2, o.seed);
  if (o.limit !== undefined) {
    train = train.slice(0, o.limit);
    test = test.slice(0, Math.max(1, Math.ceil(o.limit / 4)));
  }
  const nSpam = (es: readonly Email[]) => es.filter((e) => e.label === 1).length;
  io.out(`backend: ${describeBackend(backend)}`);
  io.out(`data: SpamAssassin public corpus, ${corpus.length} messages (${nSpam(corpus)} spam); seeded split ${o.seed}: ${train.length} train (${nSpam(train)} spam) / ${test.length} test (${nSpam(test)} spam)`);
  io.out(`features: hashed bag of words, ${o.features} buckets (word present = 1)`);
  const trainT = toTensors(train, o.features);
  const testT = toTensors(test, o.features);

  manualSeed(o.seed);
  const logistic = new Sequential(new Linear(o.features, 1));
  const mlp = new Sequential(new Linear(o.features, o.hidden), new ReLU(), new Linear(o.hidden, 1));
  const models: { name: string; model: Module }[] = [
    { name: 'logistic regression', model: logistic },
    { name: `mlp ${o.features}-${o.hidden}-1`, model: mlp },
  ];
  const results: SpamResult['models'] = [];
  for (const { name, model } of models) {
    io.out(`\n${name}: ${o.epochs} epochs, adam lr ${o.lr}, batch ${o.batchSize}, sigmoid + binary cross-entropy`);
    const { history } = await fit({
      model, optimizer: new Adam(model.parameters(), { lr: o.lr }), task: spamTask,
      train: trainT, test: testT, epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, io,
    });
    const p = predict(model, testT[0]).sigmoid().data() as Float32Array;
    const metrics = binaryMetrics(p, testT[1].data() as Float32Array);
    results.push({ name, metrics, history });
  }

  io.out('\nheld-out results (spam is the positive class):');
  io.out(`  ${'model'.padEnd(28)} accuracy  precision  recall     F1`);
  for (const r of results) {
    const m = r.metrics;
    io.out(`  ${r.name.padEnd(28)} ${m.accuracy.toFixed(4)}    ${m.precision.toFixed(4)}    ${m.recall.toFixed(4)}   ${m.f1.toFixed(4)}`);
  }

  // Words behind the largest and smallest weights of the linear model (bucket → most frequent word in it).
  const words = bucketWords(train, o.features);
  const w = Array.from((logistic[0] as Linear).weight.data() as Float32Array);
  const order = w.map((v, i) => [v, i] as const).filter(([, i]) => words[i] !== '').sort((a, b) => b[0] - a[0]);
  const topSpam = order.slice(0, 10).map(([weight, i]) => ({ word: words[i], weight }));
  const topHam = order.slice(-10).reverse().map(([weight, i]) => ({ word: words[i], weight }));
  io.out(`top spam words: ${topSpam.map((t) => `${t.word} (${t.weight.toFixed(2)})`).join(', ')}`);
  io.out(`top ham words:  ${topHam.map((t) => `${t.word} (${t.weight.toFixed(2)})`).join(', ')}`);

  const series = (k: 'trainLoss' | 'testLoss' | 'testAccuracy') =>
    results.map((r, i) => ({ name: `${r.name} (${k.startsWith('train') ? 'train' : 'test'})`, points: r.history.map((h) => [h.epoch, h[k]] as [number, number]), dashed: k === 'trainLoss', color: COLORS[i] }));
  const svg = chartSvg([
    { title: 'Binary cross-entropy', xLabel: 'epoch', yLabel: 'loss', logY: true, series: [...series('trainLoss'), ...series('testLoss')] },
    { title: 'Held-out accuracy', xLabel: 'epoch', yLabel: 'accuracy', series: series('testAccuracy') },
  ]);
  const report = { backend: backend.name, features: o.features, train: train.length, test: test.length, models: results, topSpam, topHam };
  const files = [writeOutput(o.out, 'spam.svg', svg), writeOutput(o.out, 'spam.json', `${JSON.stringify(report, null, 2)}\n`)];
  io.out(`wrote ${files.join(', ')}`);
  return { models: results, topSpam, topHam, files };
}
