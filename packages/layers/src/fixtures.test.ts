import { describe, expect, it } from 'vitest';
import { type Tensor } from '@nabla/tensor';
import { loadFixtures, resolveArgs, type ModuleCase, type OpCase } from '@nabla/oracle';
import {
  AvgPool2d, BatchNorm1d, BatchNorm2d, Conv2d, Dropout, Embedding, Flatten, GELU, LayerNorm, LeakyReLU, Linear, LogSoftmax,
  MaxPool2d, ReLU, Sigmoid, Softmax, Tanh, avgPool2d, conv2d, maxPool2d, type Module,
} from './index';
import { expectMatches, fromFixture } from './testutil';

const file = loadFixtures('layers');
const FUNCTIONS: Record<string, (...args: any[]) => Tensor> = { conv2d, maxPool2d, avgPool2d };

/** Runs one functional case: output, then the gradients of sum(output * gradOutput). */
function runOpCase(c: OpCase): void {
  const inputs = c.inputs.map((e) => fromFixture(e, e.requiresGrad));
  const out = FUNCTIONS[c.call.name](...resolveArgs(c.args, inputs));
  expectMatches(out, c.output, `${c.name} output`);
  if (!c.gradOutput || !c.grads) return;
  out.mul(fromFixture(c.gradOutput)).sum().backward();
  c.grads.forEach((g, i) => g && expectMatches(inputs[i].grad, g, `${c.name} grad ${i}`));
}

type Opts = Record<string, any>;
const MODULES: Record<string, (o: Opts) => Module> = {
  Linear: ({ inFeatures, outFeatures, ...o }) => new Linear(inFeatures, outFeatures, o),
  Conv2d: ({ inChannels, outChannels, kernelSize, ...o }) => new Conv2d(inChannels, outChannels, kernelSize, o),
  MaxPool2d: ({ kernelSize, ...o }) => new MaxPool2d(kernelSize, o),
  AvgPool2d: ({ kernelSize, ...o }) => new AvgPool2d(kernelSize, o),
  LayerNorm: ({ normalizedShape, ...o }) => new LayerNorm(normalizedShape, o),
  BatchNorm1d: ({ numFeatures, ...o }) => new BatchNorm1d(numFeatures, o),
  BatchNorm2d: ({ numFeatures, ...o }) => new BatchNorm2d(numFeatures, o),
  Embedding: ({ numEmbeddings, embeddingDim, ...o }) => new Embedding(numEmbeddings, embeddingDim, o),
  Dropout: ({ p }) => new Dropout(p),
  GELU: () => new GELU(),
  ReLU: () => new ReLU(),
  LeakyReLU: ({ negativeSlope }) => new LeakyReLU(negativeSlope),
  Sigmoid: () => new Sigmoid(),
  Tanh: () => new Tanh(),
  Softmax: ({ dim }) => new Softmax(dim),
  LogSoftmax: ({ dim }) => new LogSoftmax(dim),
  Flatten: () => new Flatten(),
};

/** Builds the module, loads torch's state dict (strict), runs forward/backward and compares everything. */
function runModuleCase(c: ModuleCase): void {
  const m = MODULES[c.module](c.options);
  const dtype = c.output.dtype === 'float64' ? 'float64' : 'float32';
  m.to(dtype);
  const state = Object.fromEntries(Object.entries(c.stateDict).map(([k, v]) => [k, fromFixture(v)]));
  m.loadStateDict(state);
  m.train(c.training);
  const x = fromFixture(c.input, c.gradInput != null);
  const out = m.forward(x) as Tensor;
  expectMatches(out, c.output, `${c.name} output`);
  if (c.gradOutput) {
    out.mul(fromFixture(c.gradOutput)).sum().backward();
    if (c.gradInput) expectMatches(x.grad, c.gradInput, `${c.name} input grad`);
    const params = Object.fromEntries(m.namedParameters());
    expect(Object.keys(params).sort()).toEqual(Object.keys(c.gradParams ?? {}).sort());
    for (const [k, g] of Object.entries(c.gradParams ?? {})) expectMatches(params[k].grad, g, `${c.name} grad ${k}`);
  }
  const after = m.stateDict();
  expect(Object.keys(after)).toEqual(Object.keys(c.stateDict));
  for (const [k, v] of Object.entries(c.stateDictAfter ?? c.stateDict)) expectMatches(after[k], v, `${c.name} state ${k}`);
}

describe('PyTorch fixtures: functional conv2d / maxPool2d / avgPool2d', () => {
  it.each(file.cases.map((c) => [c.name, c] as const))('%s', (_, c) => runOpCase(c));
});

describe('PyTorch fixtures: modules (state dict, output, input and parameter grads, running stats)', () => {
  it.each(file.modules.map((c) => [c.name, c] as const))('%s', (_, c) => runModuleCase(c));
});
