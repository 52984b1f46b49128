// A synchronous training loop (never yields) on the chosen backend: does memory stay flat?
import { setBackend } from '@nabla/core';
import { createNativeBackend } from '@nabla/backend-native';
import { manualSeed, randn, memory } from '@nabla/tensor';
import '@nabla/autograd';
import { Linear, ReLU, Sequential } from '@nabla/layers';
import { crossEntropy } from '@nabla/losses';
import { SGD } from '@nabla/optimizers';

if (process.env.NABLA_BACKEND === 'native') setBackend(createNativeBackend());
manualSeed(0);
const model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
const opt = new SGD(model.parameters(), { lr: 0.1 });
const steps = Number(process.argv[2] ?? 3000);
for (let step = 0; step <= steps; step++) {
  const x = randn([64, 784]);
  const y = x.narrow(1, 0, 10).argmax(1);
  const loss = crossEntropy(model.forward(x), y);
  opt.zeroGrad();
  loss.backward();
  opt.step();
  if (step % 500 === 0) {
    const m = memory();
    console.log(step, 'rss MB', (process.memoryUsage().rss / 2 ** 20).toFixed(0), 'tensors', m.tensors, 'MB', (m.bytes / 2 ** 20).toFixed(1), JSON.stringify(m.backends));
  }
}
