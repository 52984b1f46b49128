// State dicts move between PyTorch and nabla through safetensors, in both directions.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '@nabla/autograd';
import { tensor, type Tensor } from '@nabla/tensor';
import { Linear, ReLU, Sequential } from '@nabla/layers';
import { loadSafetensors, saveSafetensors } from '@nabla/io';
import { decodeTensor, fixturePath, loadFixtures, type EncodedTensor } from '@nabla/oracle';

const fx = loadFixtures('safetensors') as unknown as {
  tensors: Record<string, EncodedTensor>;
  metadata: Record<string, string>;
  input: EncodedTensor;
  output: EncodedTensor;
  grads: Record<string, EncodedTensor>;
};
const toTensor = (e: EncodedTensor): Tensor => {
  const d = decodeTensor(e);
  return tensor(d.data, { dtype: d.dtype, shape: d.shape });
};
const close = (a: Tensor, e: EncodedTensor, tol = 1e-5) => {
  const want = decodeTensor(e);
  expect(a.shape).toEqual(want.shape);
  const got = Array.from(a.data());
  got.forEach((v, i) => expect(Math.abs(v - want.data[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(want.data[i]))));
};
const mlp = () => new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));

describe('PyTorch -> nabla', () => {
  it('loads a torch state dict into the same architecture: same outputs and gradients', () => {
    const model = mlp();
    model.loadStateDict(loadSafetensors(readFileSync(fixturePath('mlp.safetensors'))));
    const out = model.forward(toTensor(fx.input));
    close(out, fx.output);
    out.sum().backward();
    for (const [name, p] of model.namedParameters()) close(p.grad!, fx.grads[name]);
  });
  it('refuses a state dict for another architecture, naming the key', () => {
    const other = new Sequential(new Linear(4, 9), new ReLU(), new Linear(9, 3));
    expect(() => other.loadStateDict(loadSafetensors(readFileSync(fixturePath('mlp.safetensors'))))).toThrow(/0\.weight/);
  });
});

describe('nabla -> PyTorch', () => {
  it('writes the very bytes torch was shown to load (fixtures/roundtrip.json)', () => {
    const record = Object.fromEntries(Object.entries(fx.tensors).map(([k, v]) => [k, toTensor(v)]));
    const ours = saveSafetensors(record, { metadata: fx.metadata });
    const parsedOurs = loadSafetensors(ours);
    const parsedCommitted = loadSafetensors(readFileSync(fixturePath('nabla-mlp.safetensors')));
    for (const k of Object.keys(record)) expect(parsedOurs[k].toArray()).toEqual(parsedCommitted[k].toArray());
    const roundtrip = loadFixtures('roundtrip') as unknown as { output: EncodedTensor };
    const model = mlp();
    model.loadStateDict(parsedOurs);
    close(model.forward(toTensor(fx.input)), roundtrip.output);
  });
  it('round-trips a trained model state dict exactly', () => {
    const model = mlp();
    const copy = mlp();
    copy.loadStateDict(loadSafetensors(saveSafetensors(model.stateDict())));
    const x = tensor([[0.1, -0.2, 0.3, 0.4]]);
    expect(copy.forward(x).toArray()).toEqual(model.forward(x).toArray());
  });
});
