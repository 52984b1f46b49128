/**
 * Computes every number the README quotes, with the library itself, so the README stays honest.
 * Run: node --conditions=@nabla/source --import tsx packages/losses/scripts/lesson.ts
 */
import '@nabla/autograd';
import { tensor } from '@nabla/tensor';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, entropy, klDivergence, l1Loss, mseLoss,
} from '@nabla/losses';

const f64 = { dtype: 'float64' } as const;
const fmt = (v: number): string => String(Number(v.toPrecision(6)));

console.log('## 1. Cross-entropy = entropy + KL divergence');
const P = tensor([[0.7, 0.2, 0.1]], f64);
const logits = tensor([[1.5, 0.3, -0.8]], f64);
const Q = logits.softmax(1);
const ce = crossEntropy(logits, P, { reduction: 'sum' }).item();
const h = entropy(P).item();
const kl = klDivergence(P, Q).item();
console.log(`P = [0.7, 0.2, 0.1], logits = [1.5, 0.3, -0.8], Q = softmax(logits) = [${Array.from(Q.data(), fmt).join(', ')}]`);
console.log(`crossEntropy(logits, P) = H(P, Q) = ${fmt(ce)}`);
console.log(`entropy(P) = H(P) = ${fmt(h)};  klDivergence(P, Q) = ${fmt(kl)};  sum = ${fmt(h + kl)}`);
console.log(`with Q = P the loss bottoms out at H(P): crossEntropy(log P, P) = ${fmt(crossEntropy(P.log(), P, { reduction: 'sum' }).item())}`);

console.log('\n## 2. MSE vs MAE below and above an error of 1');
console.log('| error d | mseLoss = d² | l1Loss = \\|d\\| | ∂mse/∂ŷ = 2d | ∂l1/∂ŷ = sign(d) |');
console.log('|---|---|---|---|---|');
for (const d of [0.1, 0.5, 1, 2, 10]) {
  const yhat = tensor([d], { ...f64, requiresGrad: true });
  const mse = mseLoss(yhat, tensor([0], f64));
  mse.backward();
  const gm = yhat.grad!.item();
  yhat.grad = null;
  const mae = l1Loss(yhat, tensor([0], f64));
  mae.backward();
  console.log(`| ${d} | ${fmt(mse.item())} | ${fmt(mae.item())} | ${fmt(gm)} | ${fmt(yhat.grad!.item())} |`);
}

console.log('\n## 3. The subgradient of MAE at 0');
const at = tensor([-1e-9, 0, 1e-9], { ...f64, requiresGrad: true });
l1Loss(at, tensor([0, 0, 0], f64), { reduction: 'sum' }).backward();
console.log(`d/dŷ Σ|ŷ − 0| at ŷ = [-1e-9, 0, 1e-9]: [${Array.from(at.grad!.data(), fmt).join(', ')}]`);

console.log('\n## 4. Sigmoid + BCE reaches 0 only when the prediction equals the label');
console.log('| logit z | p = σ(z) | binaryCrossEntropy(p, 1) | binaryCrossEntropyWithLogits(z, 1) | binaryCrossEntropy(p, 0) | binaryCrossEntropyWithLogits(z, 0) |');
console.log('|---|---|---|---|---|---|');
for (const z of [0, 2, 5, 10, 20, 40]) {
  const x = tensor([z], f64);
  const p = x.sigmoid();
  const one = tensor([1], f64);
  const zero = tensor([0], f64);
  const cells = [binaryCrossEntropy(p, one), binaryCrossEntropyWithLogits(x, one), binaryCrossEntropy(p, zero), binaryCrossEntropyWithLogits(x, zero)];
  console.log(`| ${z} | ${fmt(p.item())} | ${cells.map((c) => fmt(c.item())).join(' | ')} |`);
}
const soft = tensor([0.3], f64);
console.log(`a soft label y = 0.3 is best matched by p = 0.3, where the loss is H(0.3) = ${fmt(binaryCrossEntropy(soft, soft).item())}, not 0`);
const sat = tensor([1], f64);
console.log(`p exactly 1 with y = 0: log(1 − p) is clamped at −100, so the loss is ${fmt(binaryCrossEntropy(sat, tensor([0], f64)).item())}`);
