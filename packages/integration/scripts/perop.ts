// Per-op overhead of the native boundary (measures, never asserts): 4-element kernel calls, alloc+free, tensor add+dispose.
// Run: node --conditions=@nabla/source --import tsx scripts/perop.ts
import { setBackend } from '@nabla/core';
import { createNativeBackend } from '@nabla/backend-native';
import { ones } from '@nabla/tensor';

const be = createNativeBackend({ threads: 1 });
setBackend(be);
const per = (n: number, f: () => void): number => {
  for (let i = 0; i < n / 10; i++) f();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    best = Math.min(best, ((performance.now() - t0) * 1000) / n);
  }
  return best;
};
const h = be.alloc('float32', 4);
const v = { storage: h, dtype: 'float32' as const, shape: [4], strides: [1], offset: 0 };
console.log('unary exp 4 el  us', per(200000, () => be.kernels.unary('exp', v, v)).toFixed(3));
console.log('binary add 4 el us', per(200000, () => be.kernels.binary('add', v, v, v)).toFixed(3));
console.log('alloc+free 1k   us', per(100000, () => be.free(be.alloc('float32', 1024))).toFixed(3));
const a = ones([4]);
console.log('tensor add+dispose us', per(200000, () => a.add(a).dispose()).toFixed(3));
