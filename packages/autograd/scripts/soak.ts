/**
 * Soak: a small MLP trained with forward + backward + in-place SGD and no dispose() anywhere; prints
 * memory() and RSS as it goes, so a leak shows up as a rising column.
 *
 *   node --expose-gc --conditions=@nabla/source --import tsx packages/autograd/scripts/soak.ts [steps] [every]
 *
 * Exits 1 when live tensors or bytes grow between the first and the last report (after a collection).
 */
import { manualSeed, memory, randn } from '@nabla/tensor';
import { noGrad } from '@nabla/autograd';

const steps = Number(process.argv[2] ?? 20000);
const every = Number(process.argv[3] ?? 2000);
const gc = (globalThis as { gc?: () => void }).gc;

manualSeed(1);
const params = [randn([8, 32]).mul(0.3), randn([32]).mul(0), randn([32, 4]).mul(0.3), randn([4]).mul(0)].map((p) => p.detach().requiresGrad_(true));
const [w1, b1, w2, b2] = params;
const x = randn([64, 8]);
const y = randn([64, 4]);

function step(): number {
  const loss = x.matmul(w1).add(b1).relu().matmul(w2).add(b2).sub(y).square().mean();
  loss.backward();
  noGrad(() => {
    for (const p of params) {
      p.sub_(p.grad!.mul(0.05));
      p.grad = null;
    }
  });
  return loss.item();
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 2; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 0));
  }
};

const mb = (b: number): string => (b / 2 ** 20).toFixed(1);
const rows: { tensors: number; bytes: number }[] = [];
const t0 = performance.now();
console.log(`soak: ${steps} steps, report every ${every}${gc ? '' : ' (no --expose-gc: numbers include uncollected garbage)'}`);
console.log('step      loss        tensors   bytes       rss MB   heap MB   ms/step');
let last = performance.now();
for (let i = 1; i <= steps; i++) {
  const loss = step();
  if (i % every === 0 || i === steps) {
    const now = performance.now();
    await settle();
    const m = memory();
    const u = process.memoryUsage();
    rows.push({ tensors: m.tensors, bytes: m.bytes });
    const perStep = ((now - last) / every).toFixed(3);
    console.log(`${String(i).padEnd(10)}${loss.toFixed(6).padEnd(12)}${String(m.tensors).padEnd(10)}${String(m.bytes).padEnd(12)}${mb(u.rss).padEnd(9)}${mb(u.heapUsed).padEnd(10)}${perStep}`);
    last = performance.now();
  }
}
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const first = rows[0];
const end = rows[rows.length - 1];
if (gc && (end.tensors > first.tensors + 50 || end.bytes > first.bytes + 1e5)) {
  console.error(`leak: tensors ${first.tensors} → ${end.tensors}, bytes ${first.bytes} → ${end.bytes}`);
  process.exit(1);
}
