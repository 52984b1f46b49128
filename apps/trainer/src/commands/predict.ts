/** `predict`: class probabilities of the digit in a PNG. */
import { tensor } from '@nabla/tensor';
import { useBackend } from '../backend';
import { predict } from '../fit';
import { decodePng, toMnistInput } from '../data/png';
import { loadModel } from '../mnist/load';
import { readBytes } from '../util/files';
import type { Io } from '../util/io';

export interface PredictOptions {
  model: string;
  image: string;
  backend?: string;
}

export async function predictCommand(o: PredictOptions, io: Io): Promise<{ label: number; probabilities: number[] }> {
  await useBackend(o.backend);
  const { info, model } = loadModel(o.model);
  const pixels = toMnistInput(decodePng(readBytes(o.image), o.image), o.image);
  const { mean, std } = info.normalize;
  const x = tensor(pixels.map((v) => (v - mean) / std), { shape: [1, ...info.inputShape] });
  const probabilities = Array.from(predict(model, x).softmax(-1).data() as Float32Array);
  const label = probabilities.indexOf(Math.max(...probabilities));
  io.out(`class probabilities for ${o.image}:`);
  probabilities.forEach((p, d) => {
    const bar = '█'.repeat(Math.round(p * 30));
    io.out(`  ${info.classes[d]}  ${p.toFixed(4)}  ${bar}${d === label ? '  ←' : ''}`);
  });
  io.out(`prediction: ${info.classes[label]} (p = ${probabilities[label].toFixed(4)})`);
  return { label, probabilities };
}
