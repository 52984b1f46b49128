/**
 * The lesson (issue item 9): backpropagation by hand with the δ rule equals backward(), for a two-layer
 * network with loss ½‖a_L − y‖²; and why sigmoid gradients vanish through depth while ReLU's do not.
 * The README walks through the same derivation.
 */
import { describe, expect, it } from 'vitest';
import { type Tensor, manualSeed, randn, tensor } from '@nabla/tensor';
import './index'; // installs the engine behind backward()
import { expectClose } from './testutil';

type Vec = number[];
type Mat = number[][];
const matVec = (W: Mat, v: Vec): Vec => W.map((row) => row.reduce((s, w, j) => s + w * v[j], 0));
const matTVec = (W: Mat, v: Vec): Vec => W[0].map((_, j) => W.reduce((s, row, i) => s + row[j] * v[i], 0));
const outer = (u: Vec, v: Vec): Mat => u.map((ui) => v.map((vj) => ui * vj));
const add = (u: Vec, v: Vec): Vec => u.map((x, i) => x + v[i]);
const hadamard = (u: Vec, v: Vec): Vec => u.map((x, i) => x * v[i]);

interface Act { f: (z: number) => number; df: (z: number) => number; apply: (z: Tensor) => Tensor }
const sigmoid: Act = {
  f: (z) => 1 / (1 + Math.exp(-z)),
  df: (z) => sigmoid.f(z) * (1 - sigmoid.f(z)),
  apply: (z) => z.sigmoid(),
};
const relu: Act = { f: (z) => Math.max(z, 0), df: (z) => (z > 0 ? 1 : 0), apply: (z) => z.relu() };

const x = [0.5, -1.2, 2.0];
const y = [1, 0];
const W1 = [[0.1, -0.3, 0.2], [0.4, 0.1, -0.5], [-0.2, 0.3, 0.1], [0.05, 0.2, 0.3]];
const b1 = [0.1, -0.1, 0.05, 0];
const W2 = [[0.3, -0.2, 0.5, 0.1], [-0.4, 0.25, 0.1, 0.3]];
const b2 = [-0.05, 0.1];

/** The δ rule, by hand: δ_L = (a_L − y) ⊙ f′(z_L), δ_l = W_{l+1}ᵀ δ_{l+1} ⊙ f′(z_l), ∂L/∂W_l = δ_l a_{l−1}ᵀ, ∂L/∂b_l = δ_l. */
function byHand(act: Act) {
  const z1 = add(matVec(W1, x), b1);
  const a1 = z1.map(act.f);
  const z2 = add(matVec(W2, a1), b2);
  const a2 = z2.map(act.f);
  const delta2 = hadamard(a2.map((a, i) => a - y[i]), z2.map(act.df));
  const delta1 = hadamard(matTVec(W2, delta2), z1.map(act.df));
  return { dW1: outer(delta1, x), db1: delta1, dW2: outer(delta2, a1), db2: delta2 };
}

function byBackward(act: Act) {
  const p = (v: number[] | number[][]) => tensor(v, { dtype: 'float64', requiresGrad: true });
  const [w1, c1, w2, c2] = [p(W1), p(b1), p(W2), p(b2)];
  const a1 = act.apply(w1.matmul(tensor(x, { dtype: 'float64' })).add(c1));
  const a2 = act.apply(w2.matmul(a1).add(c2));
  const loss = a2.sub(tensor(y, { dtype: 'float64' })).square().sum().mul(0.5);
  loss.backward();
  return { dW1: w1.grad, db1: c1.grad, dW2: w2.grad, db2: c2.grad };
}

describe('the δ rule equals backward()', () => {
  it.each([['sigmoid', sigmoid], ['relu', relu]] as const)('two layers, %s', (_name, act) => {
    const hand = byHand(act);
    const auto = byBackward(act);
    expectClose(auto.dW1, hand.dW1, 1e-12);
    expectClose(auto.db1, hand.db1, 1e-12);
    expectClose(auto.dW2, hand.dW2, 1e-12);
    expectClose(auto.db2, hand.db2, 1e-12);
  });

  it('sigmoid gradients vanish through depth (σ′ ≤ ¼ per layer); ReLU gradients do not', () => {
    const depth = 10;
    const width = 16;
    // Gradient norm of the first layer's weights divided by that of the last layer's.
    const ratio = (act: Act, gain: number): number => {
      manualSeed(0);
      const ws = Array.from({ length: depth }, () => randn([width, width], { dtype: 'float64' }).mul(gain / Math.sqrt(width)).detach().requiresGrad_(true));
      let a = randn([width], { dtype: 'float64' });
      for (const w of ws) a = act.apply(w.matmul(a));
      a.square().sum().mul(0.5).backward();
      const norm = (t: Tensor) => Math.sqrt(t.square().sum().item());
      return norm(ws[0].grad!) / norm(ws[depth - 1].grad!);
    };
    const sig = ratio(sigmoid, 1);
    const rel = ratio(relu, Math.SQRT2); // He initialisation keeps the signal's scale through ReLU layers
    expect(sig).toBeLessThan(1e-4); // about 2e-6 with this seed
    expect(rel).toBeGreaterThan(0.05); // about 5: same order of magnitude
    expect(rel).toBeLessThan(100);
  });
});
