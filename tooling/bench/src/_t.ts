import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
const req = createRequire(import.meta.url);
setWasmPaths(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
await tf.setBackend('wasm');
await tf.ready();
console.log(tf.getBackend(), (tf.backend() as any).wasm?.simd ?? '', tf.env().getFlags());
const N = 512;
const a = tf.randomNormal([N, N]), b = tf.randomNormal([N, N]);
for (let i = 0; i < 3; i++) tf.matMul(a, b).dispose();
const t = performance.now(); for (let i = 0; i < 10; i++) { const c = tf.matMul(a, b); c.dataSync(); c.dispose(); }
console.log('GFLOP/s', (2 * N ** 3 * 10 / ((performance.now() - t) / 1e3) / 1e9).toFixed(1));
