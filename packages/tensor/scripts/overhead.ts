// Measures the per-op overhead of tiny ops on the js backend (run: node --conditions=@nabla/source --import tsx scripts/overhead.ts).
import { tensor, setGradEnabled } from '../src/index';

const a = tensor([1, 2, 3, 4], { dtype: 'float32' });
const b = tensor([5, 6, 7, 8], { dtype: 'float32' });
function bench(name: string, fn: () => unknown, n = 200000): void {
  for (let i = 0; i < 20000; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  const us = ((performance.now() - t0) * 1000) / n;
  console.log(`${name.padEnd(28)} ${us.toFixed(3)} µs/op`);
}
bench('add [4]+[4]', () => a.add(b));
bench('add [4]+[4] + dispose', () => a.add(b).dispose());
bench('mul [4]*2 (cached scalar)', () => a.mul(2));
bench('exp [4]', () => a.exp());
bench('sum [4]', () => a.sum());
bench('reshape view', () => a.reshape([2, 2]));
const w = tensor([1, 2, 3, 4], { dtype: 'float32', requiresGrad: true });
bench('add with grad (records)', () => w.add(b));
setGradEnabled(false);
bench('add grad disabled', () => w.add(b));
