import { describe, expect, it } from 'vitest';
import type { Tensor } from '@nabla/tensor';
import { loadFixtures, type ClipCase, type OptimizerCase, type SchedulerCase } from '@nabla/oracle';
import {
  Adagrad, Adam, AdamW, CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, RMSprop, ReduceLROnPlateau, SGD, StepLR,
  clipGradNorm, clipGradValue, type LRScheduler, type Optimizer,
} from './index';
import { expectClose, expectTensor, fromFixture, num } from './testutil';

const file = loadFixtures('optimizers');
const { problem } = file;
const cases = <K extends string>(kind: K) => file.cases.filter((c) => c.kind === kind);

/** The fixture's loss: Σ_i sum((p_i - c_i)² ⊙ w_i) + sum(sin p_i). */
function makeProblem() {
  const params = problem.params.map((p) => fromFixture(p, true));
  const c = problem.c.map((t) => fromFixture(t));
  const w = problem.w.map((t) => fromFixture(t));
  const loss = () => params.map((p, i) => p.sub(c[i]).square().mul(w[i]).sum().add(p.sin().sum())).reduce((a, b) => a.add(b));
  return { params, loss };
}

type Make = (params: Tensor[], opts: any) => Optimizer<any, any>;
const OPTIMIZERS: Record<OptimizerCase['optimizer'], Make> = {
  SGD: (p, o) => new SGD(p, o),
  Adam: (p, o) => new Adam(p, o),
  AdamW: (p, o) => new AdamW(p, o),
  RMSprop: (p, o) => new RMSprop(p, o),
  Adagrad: (p, o) => new Adagrad(p, o),
};

/** Runs the torch trajectory: zeroGrad, loss, backward, step, compared after every step. */
function runTrajectory(c: OptimizerCase, extra: Record<string, unknown> = {}): void {
  const { params, loss } = makeProblem();
  const opt = OPTIMIZERS[c.optimizer](params, { ...c.options, ...extra });
  c.params.forEach((want, k) => {
    opt.zeroGrad();
    const l = loss();
    expectClose([l.item()], [num(c.losses[k])], `${c.name} loss before step ${k + 1}`);
    l.backward();
    opt.step();
    want.forEach((w, i) => expectTensor(params[i], w, `${c.name} param ${i} after step ${k + 1}`));
  });
  expect(c.params.length).toBeGreaterThanOrEqual(8);
}

describe('optimizer trajectories match PyTorch step by step', () => {
  it.each(cases('optimizer').map((c) => [c.name, c] as const))('%s', (_, c) => runTrajectory(c as OptimizerCase));
});

describe('the composite update (fused: false) matches PyTorch too', () => {
  const fusable = cases('optimizer').filter((c) => ['SGD', 'Adam', 'AdamW'].includes((c as OptimizerCase).optimizer));
  it.each(fusable.map((c) => [c.name, c] as const))('%s', (_, c) => runTrajectory(c as OptimizerCase, { fused: false }));
});

type MakeSched = (opt: SGD, o: any) => LRScheduler | ReduceLROnPlateau;
const SCHEDULERS: Record<SchedulerCase['scheduler'], MakeSched> = {
  StepLR: (opt, o) => new StepLR(opt, o),
  MultiStepLR: (opt, o) => new MultiStepLR(opt, o),
  ExponentialLR: (opt, o) => new ExponentialLR(opt, o),
  CosineAnnealingLR: (opt, o) => new CosineAnnealingLR(opt, o),
  LinearLR: (opt, o) => new LinearLR(opt, o),
  ReduceLROnPlateau: (opt, o) => new ReduceLROnPlateau(opt, o),
};

describe('scheduler schedules match PyTorch', () => {
  it.each(cases('scheduler').map((c) => [c.name, c] as const))('%s', (_, raw) => {
    const c = raw as SchedulerCase;
    const opt = new SGD(makeProblem().params, { lr: c.lr });
    const sched = SCHEDULERS[c.scheduler](opt, c.options);
    const lrs = [opt.paramGroups[0].lr];
    for (let k = 1; k < c.lrs.length; k++) {
      opt.step();
      if (sched instanceof ReduceLROnPlateau) sched.step((c.metrics as number[])[k - 1]);
      else sched.step();
      lrs.push(opt.paramGroups[0].lr);
    }
    expectClose(lrs, c.lrs, c.name, 1e-12, 1e-15);
  });
});

describe('gradient clipping matches PyTorch', () => {
  it.each(cases('clipGradNorm').concat(cases('clipGradValue')).map((c) => [c.name, c] as const))('%s', (_, raw) => {
    const c = raw as ClipCase;
    const { params } = makeProblem();
    params.forEach((p, i) => (p.grad = fromFixture(c.grads[i])));
    if (c.kind === 'clipGradNorm') {
      const total = clipGradNorm(params, num(c.options.maxNorm as number), num(c.options.normType as number));
      expectClose([total], [num(c.totalNorm as number)], `${c.name} total norm`);
    } else {
      clipGradValue(params, c.options.clipValue as number);
    }
    params.forEach((p, i) => expectTensor(p.grad, c.clipped[i], `${c.name} grad ${i}`));
  });
});
