/** The workloads written with nabla's public API (layers, losses, optimizers, autograd). */
import { CNN_BATCH, ELEMENTS, FORWARD_BATCH, SCE_CLASSES, SCE_ROWS, SOAK_STEPS, type Setup } from '../workloads';

import type * as nabla from 'nabla';

type Nabla = typeof nabla;

function mlp(nb: Nabla) {
  return new nb.Sequential(new nb.Linear(784, 256), new nb.ReLU(), new nb.Linear(256, 128), new nb.ReLU(), new nb.Linear(128, 10));
}

/** Training step of `model` on (x, y) with SGD lr 0.1 and softmax cross-entropy. */
function trainStep(nb: Nabla, model: nabla.Module, x: nabla.Tensor, y: nabla.Tensor) {
  const opt = new nb.SGD(model.parameters(), { lr: 0.1 });
  return (): number => {
    opt.zeroGrad();
    const loss = nb.crossEntropy(model.forward(x) as nabla.Tensor, y);
    loss.backward();
    opt.step();
    const v = loss.item();
    loss.dispose();
    return v;
  };
}

export function nablaSetup(nb: Nabla): Setup {
  nb.manualSeed(0);
  return (workload, n) => {
    switch (workload) {
      case 'gemm': {
        const a = nb.randn([n, n]);
        const b = nb.randn([n, n]);
        return () => a.matmul(b).dispose();
      }
      case 'mlp': {
        const step = trainStep(nb, mlp(nb), nb.randn([n, 784]), nb.randint(0, 10, [n]));
        return () => void step();
      }
      case 'exp': {
        const x = nb.randn([ELEMENTS]);
        return () => x.exp().dispose();
      }
      case 'add': {
        const x = nb.randn([ELEMENTS]);
        const y = nb.randn([ELEMENTS]);
        return () => x.add(y).dispose();
      }
      case 'sce': {
        const logits = nb.randn([SCE_ROWS, SCE_CLASSES]).requiresGrad_(true);
        const target = nb.randint(0, SCE_CLASSES, [SCE_ROWS]);
        return () => {
          const loss = nb.crossEntropy(logits, target);
          loss.backward();
          logits.grad?.dispose();
          logits.grad = null;
          loss.dispose();
        };
      }
      case 'cnn': {
        const model = new nb.Sequential(
          new nb.Conv2d(1, 16, 3), new nb.ReLU(), new nb.MaxPool2d(2),
          new nb.Conv2d(16, 32, 3), new nb.ReLU(), new nb.MaxPool2d(2),
          new nb.Flatten(), new nb.Linear(32 * 5 * 5, 10),
        );
        const step = trainStep(nb, model, nb.randn([CNN_BATCH, 1, 28, 28]), nb.randint(0, 10, [CNN_BATCH]));
        return () => void step();
      }
      case 'overhead': {
        const a = nb.tensor([1, 2, 3, 4]);
        const b = nb.tensor([5, 6, 7, 8]);
        return () => a.add(b).dispose();
      }
      case 'forwardGrad':
      case 'forwardNoGrad': {
        const model = mlp(nb);
        const x = nb.randn([FORWARD_BATCH, 784]);
        if (workload === 'forwardGrad') return () => (model.forward(x) as nabla.Tensor).dispose();
        return () => nb.noGrad(() => (model.forward(x) as nabla.Tensor).dispose());
      }
    }
  };
}

/**
 * 10,000 training steps of a small MLP (64-32-10, batch 32, SGD) with no dispose() at all, as a user
 * would write them, yielding to the event loop every 100 steps (as a loop that reports progress does):
 * RSS, live tensors and backend bytes before and after. Then 100 steps without yielding, to measure
 * what a fully synchronous loop keeps until it yields (storage freed by finalizers cannot be
 * reclaimed before then).
 */
export async function nablaSoak(nb: Nabla, steps = SOAK_STEPS): Promise<Record<string, number>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 2; i++) {
      gc?.();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  nb.manualSeed(0);
  const model = new nb.Sequential(new nb.Linear(64, 32), new nb.ReLU(), new nb.Linear(32, 10));
  const opt = new nb.SGD(model.parameters(), { lr: 0.1 });
  const x = nb.randn([FORWARD_BATCH, 64]);
  const y = nb.randint(0, 10, [FORWARD_BATCH]);
  const step = (): void => {
    opt.zeroGrad();
    nb.crossEntropy(model.forward(x) as nabla.Tensor, y).backward();
    opt.step();
  };
  // Live storage as the tensor layer counts it (exact once finalizers have run). The backend's own
  // memory() cannot see buffers the collector reclaimed without free() on js/native (collectable storage).
  const bytes = (): number => nb.memory().bytes;
  for (let i = 0; i < 100; i++) step();
  await settle();
  const mb = (b: number): number => Math.round((b / 2 ** 20) * 10) / 10;
  const rssStart = process.memoryUsage().rss;
  const tensorsStart = nb.memory().tensors;
  const bytesStart = bytes();
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) {
    step();
    if (i % 100 === 0) await new Promise((r) => setImmediate(r));
  }
  const seconds = (performance.now() - t0) / 1e3;
  await settle();
  const rssEnd = process.memoryUsage().rss;
  const tensorsEnd = nb.memory().tensors;
  const bytesEnd = bytes();
  const b0 = bytes();
  for (let i = 0; i < 100; i++) step();
  const syncKBPerStep = (bytes() - b0) / 100 / 1024;
  await settle();
  return {
    rssStartMB: mb(rssStart), rssEndMB: mb(rssEnd), tensorsStart, tensorsEnd, backendKBStart: Math.round(bytesStart / 1024),
    backendKBEnd: Math.round(bytesEnd / 1024), syncKBPerStep: Math.round(syncKBPerStep * 10) / 10, seconds, steps,
  };
}
