/** The same workloads in TensorFlow.js 4.22 (cpu or wasm backend), written with its low-level ops API. */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { CNN_BATCH, ELEMENTS, FORWARD_BATCH, SCE_CLASSES, SCE_ROWS, type Setup } from '../workloads';

import type * as tfns from '@tensorflow/tfjs';

type Tf = typeof tfns;
type T = tfns.Tensor;

/** Loads tfjs on `backend`; the wasm backend's .wasm files come from node_modules (no network). */
export async function loadTf(backend: 'cpu' | 'wasm'): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs');
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const req = createRequire(import.meta.url);
    wasm.setWasmPaths(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not initialise`);
  await tf.ready();
  return tf;
}

const glorot = (tf: Tf, shape: number[]) => tf.variable(tf.randomUniform(shape, -Math.sqrt(6 / (shape[0] + shape[shape.length - 1])), Math.sqrt(6 / (shape[0] + shape[shape.length - 1]))));

export function tfSetup(tf: Tf): Setup {
  const oneHot = (n: number, classes: number) => tf.oneHot(tf.randomUniform([n], 0, classes, 'int32') as T as never, classes);
  const mlpParams = () => [glorot(tf, [784, 256]), tf.variable(tf.zeros([256])), glorot(tf, [256, 128]), tf.variable(tf.zeros([128])), glorot(tf, [128, 10]), tf.variable(tf.zeros([10]))];
  const mlpForward = (p: T[], x: T): T => {
    const h1 = tf.relu(tf.add(tf.matMul(x, p[0]), p[1]));
    const h2 = tf.relu(tf.add(tf.matMul(h1, p[2]), p[3]));
    return tf.add(tf.matMul(h2, p[4]), p[5]);
  };
  const sgd = tf.train.sgd(0.1);
  return (workload, n) => {
    switch (workload) {
      case 'gemm': {
        const a = tf.randomNormal([n, n]);
        const b = tf.randomNormal([n, n]);
        return () => tf.matMul(a, b).dispose();
      }
      case 'mlp': {
        const p = mlpParams();
        const x = tf.randomNormal([n, 784]);
        const y = oneHot(n, 10);
        return () => sgd.minimize(() => tf.losses.softmaxCrossEntropy(y, mlpForward(p, x)) as tfns.Scalar, true)?.dispose();
      }
      case 'exp': {
        const x = tf.randomNormal([ELEMENTS]);
        return () => tf.exp(x).dispose();
      }
      case 'add': {
        const x = tf.randomNormal([ELEMENTS]);
        const y = tf.randomNormal([ELEMENTS]);
        return () => tf.add(x, y).dispose();
      }
      case 'sce': {
        const logits = tf.randomNormal([SCE_ROWS, SCE_CLASSES]);
        const y = oneHot(SCE_ROWS, SCE_CLASSES);
        const g = tf.valueAndGrad((l: T) => tf.losses.softmaxCrossEntropy(y, l));
        return () => {
          const { value, grad } = g(logits);
          value.dispose();
          grad.dispose();
        };
      }
      case 'cnn': {
        const w1 = glorot(tf, [3, 3, 1, 16]);
        const b1 = tf.variable(tf.zeros([16]));
        const w2 = glorot(tf, [3, 3, 16, 32]);
        const b2 = tf.variable(tf.zeros([32]));
        const w3 = glorot(tf, [800, 10]);
        const b3 = tf.variable(tf.zeros([10]));
        const x = tf.randomNormal([CNN_BATCH, 28, 28, 1]) as tfns.Tensor4D;
        const y = oneHot(CNN_BATCH, 10);
        const forward = (): tfns.Scalar => {
          const c1 = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, w1 as tfns.Variable<tfns.Rank.R4>, 1, 'valid'), b1)) as tfns.Tensor4D, 2, 2, 'valid');
          const c2 = tf.maxPool(tf.relu(tf.add(tf.conv2d(c1, w2 as tfns.Variable<tfns.Rank.R4>, 1, 'valid'), b2)) as tfns.Tensor4D, 2, 2, 'valid');
          const logits = tf.add(tf.matMul(tf.reshape(c2, [CNN_BATCH, 800]), w3), b3);
          return tf.losses.softmaxCrossEntropy(y, logits) as tfns.Scalar;
        };
        return () => sgd.minimize(forward, true)?.dispose();
      }
      case 'overhead': {
        const a = tf.tensor([1, 2, 3, 4]);
        const b = tf.tensor([5, 6, 7, 8]);
        return () => tf.add(a, b).dispose();
      }
      case 'forwardGrad':
      case 'forwardNoGrad': {
        const p = mlpParams();
        const x = tf.randomNormal([FORWARD_BATCH, 784]);
        return () => tf.tidy(() => void mlpForward(p, x));
      }
    }
  };
}
