import { describe, expect, it } from 'vitest';
import { createJsBackend } from '@nabla/backend-js';
import { fromHost, linear, matmul, randn, tensor, type Tensor } from './index';

/** The js backend without its fused linear kernel, so linear runs the primitive composite. */
function unfused() {
  const be = createJsBackend();
  const { linear: _drop, ...rest } = be.fused;
  return { ...be, fused: rest };
}

const close = (a: Tensor, b: Tensor): void => {
  expect(a.shape).toEqual(b.shape);
  const x = Array.from(a.data() as Float32Array);
  const y = Array.from(b.data() as Float32Array);
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(y[i]))));
};

describe('linear', () => {
  const x = randn([5, 4]);
  const w = randn([3, 4]);
  const b = randn([3]);
  const ref = matmul(x, w.t()).add(b);

  it('equals x wᵀ + b, with and without the fused kernel', () => {
    close(linear(x, w, b), ref);
    close(linear(x, w, b, { activation: 'relu' }), ref.relu());
    const be = unfused();
    const on = (t: Tensor): Tensor => fromHost(be, t.dtype, t.shape, t.data());
    close(linear(on(x), on(w), on(b)), ref);
    close(linear(on(x), on(w), null, { activation: 'relu' }), matmul(x, w.t()).relu());
  });

  it('takes any leading dims, merged or not, and 1-D inputs', () => {
    const x3 = randn([2, 5, 4]);
    close(linear(x3, w, b), matmul(x3, w.t()).add(b));
    const xt = x3.transpose(0, 1); // [5, 2, 4]: its rows do not merge into one stride
    close(linear(xt, w, b), matmul(xt, w.t()).add(b));
    close(linear(x.select(0, 2), w, b), ref.select(0, 2));
  });

  it('keeps matmul promotion for mixed dtypes and names bad shapes', () => {
    expect(linear(x.double(), w, b).dtype).toBe('float64');
    expect(() => linear(randn([5, 3]), w)).toThrow('[linear] expected input [..., 4] for weight [3,4], got [5,3]');
    expect(() => linear(x, w, tensor([1, 2]).float())).toThrow('[linear] bias must have shape [3], got [2]');
    expect(() => linear(x, randn([4]))).toThrow('[linear] weight must be 2-D [out, in], got [4]');
  });

  it('records one node', () => {
    const wg = w.detach().requiresGrad_();
    expect(linear(x, wg, b).gradFn?.op).toBe('linear');
    expect(linear(x, wg, b).gradFn?.inputs.length).toBe(3);
  });
});
