import { describe, expect, it } from 'vitest';
import { contiguousStrides, type DType, type View } from '@nabla/core';
import { createJsBackend } from './backend';
import type { JsStorage } from './storage';

// Goldens from PyTorch 1.13 in float64 (torch.optim.SGD/Adam/AdamW, cross_entropy, log_softmax).
const torch = {
  grads: [[0.1, -0.2, 0.3], [0.4, 0.0, -0.1], [-0.3, 0.2, 0.2]],
  p0: [0.5, -1.0, 2.0],
  sgd: [[0.4895, -0.979, 1.968], [0.44360944999999996, -0.9592189, 1.9464288], [0.42890870649499996, -0.9585526129899999, 1.90726293408]],
  nesterov: [[0.48005, -0.9601, 1.9392], [0.394632905, -0.94126581, 1.92859552], [0.4104397619805, -0.961390723961, 1.870132436512]],
  adam: [[0.4900000006666666, -0.9900000003333334, 1.9900000002], [0.4808360656251991, -0.9812883799469034, 1.9819642850665133], [0.477576444790115, -0.9768391759248236, 1.9731375764991637]],
  adamw: [[0.4895000009999999, -0.9890000004999999, 1.9880000003333334], [0.4801843304932143, -0.981295199502683, 1.98200254839457], [0.477939505091668, -0.9811725742391149, 1.9739799477711886]],
  ce: [0.4076059644443804, 1001.0],
  logsm: [[-2.4076059644443806, -1.4076059644443804, -0.4076059644443804], [-1001.0, -1000.0, 0.0]],
};

const js = createJsBackend();
const f = js.fused;
function t(shape: number[], data: readonly number[] | null, dtype: DType = 'float64'): View<JsStorage> {
  const s = js.alloc(dtype, shape.reduce((a, b) => a * b, 1));
  if (data) s.set(data);
  return { storage: s, dtype, shape, strides: contiguousStrides(shape), offset: 0 };
}
const vals = (v: View<JsStorage>) => Array.from(v.storage);
const close = (got: number[], want: number[], digits = 12) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));

describe('fused softmax family', () => {
  const x = t([2, 3], [1, 2, 3, -1, 0, 1000]);
  it('logSoftmax and softmax stay finite for large logits', () => {
    const ls = t([2, 3], null);
    f.logSoftmax(ls, x);
    close(vals(ls), torch.logsm.flat());
    const sm = t([2, 3], null);
    f.softmax(sm, x);
    close(vals(sm), torch.logsm.flat().map(Math.exp));
  });
  it('softmaxCrossEntropy and its backward', () => {
    const target = t([2], [2, 0], 'int32');
    const loss = t([2], null);
    f.softmaxCrossEntropy(loss, x, target);
    close(vals(loss), torch.ce);
    const dx = t([2, 3], null);
    f.softmaxCrossEntropyBackward(dx, x, target, t([2], [1, 0.5]));
    const p = torch.logsm.flat().map(Math.exp);
    close(vals(dx), [p[0], p[1], p[2] - 1, (p[3] - 1) * 0.5, p[4] * 0.5, p[5] * 0.5]);
  });
  it('linear with bias and relu', () => {
    const out = t([2, 2], null);
    f.linear(out, t([2, 3], [1, 2, 3, 4, 5, 6]), t([2, 3], [1, 0, 0, 0, -1, 0]), t([2], [0.5, 1]), 'relu');
    expect(vals(out)).toEqual([1.5, 0, 4.5, 0]);
  });
});

describe('fused optimizer updates follow torch.optim', () => {
  const steps = (update: (p: View<JsStorage>, g: View<JsStorage>, step: number) => void) => {
    const p = t([3], torch.p0);
    return torch.grads.map((g, i) => {
      update(p, t([3], g), i + 1);
      return vals(p);
    });
  };
  it('SGD with momentum, dampening and weight decay; nesterov', () => {
    for (const [nesterov, want] of [[false, torch.sgd], [true, torch.nesterov]] as const) {
      const buf = t([3], null);
      const got = steps((p, g, step) =>
        f.sgdUpdate(p, g, buf, { lr: 0.1, momentum: 0.9, dampening: nesterov ? 0 : 0.1, nesterov, weightDecay: 0.01, hasBuffer: step > 1 }),
      );
      got.forEach((row, i) => close(row, want[i]));
    }
  });
  it('Adam (L2) and AdamW (decoupled)', () => {
    for (const [decoupled, want] of [[false, torch.adam], [true, torch.adamw]] as const) {
      const m = t([3], null);
      const v = t([3], null);
      const got = steps((p, g, step) => f.adamUpdate(p, g, m, v, { lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1, decoupled, step }));
      got.forEach((row, i) => close(row, want[i]));
    }
  });
});
