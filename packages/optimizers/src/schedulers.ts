/**
 * Learning-rate schedulers with torch.optim.lr_scheduler's rules. Each one
 * changes its optimizer's group `lr`s when `step()` is called (once per epoch,
 * after `optimizer.step()`). Constructing one applies the epoch-0 rate, as torch.
 */
import { NablaError } from '@nabla/core';
import type { Optimizer } from './optimizer';

type AnyOptimizer = Optimizer<{ lr: number }, any>;

/** What every scheduler shares: the optimizer it drives, the current rates, and its state as plain data. */
abstract class SchedulerBase {
  readonly optimizer: AnyOptimizer;

  constructor(optimizer: AnyOptimizer) {
    this.optimizer = optimizer;
  }

  /** The lr of every group after the last step. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): Record<string, unknown> {
    const { optimizer: _o, ...rest } = this as unknown as Record<string, unknown>;
    return structuredClone(rest);
  }

  loadStateDict(sd: Record<string, unknown>): void {
    Object.assign(this, structuredClone(sd));
  }
}

/** The base: `lastEpoch` counts steps; subclasses give the rate of each group for the current epoch. */
export abstract class LRScheduler extends SchedulerBase {
  /** Each group's lr when the scheduler was created. */
  readonly baseLrs: number[];
  lastEpoch = -1;

  constructor(optimizer: AnyOptimizer) {
    super(optimizer);
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Must be called at the end of each subclass constructor (torch's initial step). */
  protected init(): void {
    this.step();
  }

  /** The new lr of group i, given its current lr (torch's chainable get_lr). */
  protected abstract computeLr(current: number, base: number): number;

  step(): void {
    this.lastEpoch++;
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = this.computeLr(g.lr, this.baseLrs[i])));
  }

}

function positiveInt(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new NablaError(op, `${name} must be a positive integer, got ${v}`);
}

/**
 * Multiplies the lr by gamma every stepSize epochs.
 * @example
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); sched.step(); }
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: AnyOptimizer, o: { stepSize: number; gamma?: number }) {
    super(optimizer);
    positiveInt('StepLR', 'stepSize', o.stepSize);
    this.stepSize = o.stepSize;
    this.gamma = o.gamma ?? 0.1;
    this.init();
  }
  protected computeLr(lr: number): number {
    return this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0 ? lr : lr * this.gamma;
  }
}

/** Multiplies the lr by gamma at each milestone epoch. */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;
  constructor(optimizer: AnyOptimizer, o: { milestones: readonly number[]; gamma?: number }) {
    super(optimizer);
    this.milestones = [...o.milestones].sort((a, b) => a - b);
    this.gamma = o.gamma ?? 0.1;
    this.init();
  }
  protected computeLr(lr: number): number {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    return lr * this.gamma ** hits;
  }
}

/** Multiplies the lr by gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: AnyOptimizer, o: { gamma: number }) {
    super(optimizer);
    this.gamma = o.gamma;
    this.init();
  }
  protected computeLr(lr: number): number {
    return this.lastEpoch === 0 ? lr : lr * this.gamma;
  }
}

/**
 * Cosine annealing from the base lr to etaMin over tMax epochs (then back up, as torch's
 * recursive form does): lr_t = etaMin + (base - etaMin)(1 + cos(πt/tMax))/2.
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: AnyOptimizer, o: { tMax: number; etaMin?: number }) {
    super(optimizer);
    positiveInt('CosineAnnealingLR', 'tMax', o.tMax);
    this.tMax = o.tMax;
    this.etaMin = o.etaMin ?? 0;
    this.init();
  }
  protected computeLr(lr: number, base: number): number {
    const t = this.lastEpoch;
    const T = this.tMax;
    if (t === 0) return lr;
    // Python's floored modulo: the restart point of the cosine's period.
    if ((((t - 1 - T) % (2 * T)) + 2 * T) % (2 * T) === 0) {
      return lr + ((base - this.etaMin) * (1 - Math.cos(Math.PI / T))) / 2;
    }
    return ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (lr - this.etaMin) + this.etaMin;
  }
}

/**
 * Scales the lr linearly from startFactor to endFactor over totalIters epochs (a warm-up when
 * startFactor < 1), then keeps it.
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(optimizer: AnyOptimizer, o: { startFactor?: number; endFactor?: number; totalIters?: number } = {}) {
    super(optimizer);
    this.startFactor = o.startFactor ?? 1 / 3;
    this.endFactor = o.endFactor ?? 1;
    this.totalIters = o.totalIters ?? 5;
    if (!(this.startFactor > 0 && this.startFactor <= 1)) throw new NablaError('LinearLR', `startFactor must be in (0, 1], got ${this.startFactor}`);
    if (!(this.endFactor >= 0 && this.endFactor <= 1)) throw new NablaError('LinearLR', `endFactor must be in [0, 1], got ${this.endFactor}`);
    this.init();
  }
  protected computeLr(lr: number): number {
    const t = this.lastEpoch;
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    if (t === 0) return lr * s;
    if (t > n) return lr;
    return lr * (1 + (e - s) / (n * s + (t - 1) * (e - s)));
  }
}

export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number | readonly number[];
  eps?: number;
}

/**
 * Multiplies the lr by `factor` once the metric passed to `step(metric)` has not improved for
 * more than `patience` epochs; waits `cooldown` epochs after each reduction.
 * @example
 * const sched = new ReduceLROnPlateau(opt, { patience: 5 });
 * sched.step(validationLoss);
 */
export class ReduceLROnPlateau extends SchedulerBase {
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;

  constructor(optimizer: AnyOptimizer, o: ReduceLROnPlateauOptions = {}) {
    super(optimizer);
    this.mode = o.mode ?? 'min';
    this.factor = o.factor ?? 0.1;
    if (!(this.factor < 1)) throw new NablaError('ReduceLROnPlateau', `factor should be < 1.0, got ${this.factor}`);
    this.patience = o.patience ?? 10;
    this.threshold = o.threshold ?? 1e-4;
    this.thresholdMode = o.thresholdMode ?? 'rel';
    this.cooldown = o.cooldown ?? 0;
    const n = optimizer.paramGroups.length;
    const minLr = o.minLr ?? 0;
    this.minLrs = typeof minLr === 'number' ? Array(n).fill(minLr) : [...minLr];
    if (this.minLrs.length !== n) throw new NablaError('ReduceLROnPlateau', `expected ${n} minLr values, got ${this.minLrs.length}`);
    this.eps = o.eps ?? 1e-8;
    if (this.mode !== 'min' && this.mode !== 'max') throw new NablaError('ReduceLROnPlateau', `mode must be 'min' or 'max', got ${String(this.mode)}`);
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') {
      throw new NablaError('ReduceLROnPlateau', `thresholdMode must be 'rel' or 'abs', got ${String(this.thresholdMode)}`);
    }
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(a: number): boolean {
    const { best, threshold: th } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - th) : a < best - th;
    return this.thresholdMode === 'rel' ? a > best * (th + 1) : a > best + th;
  }

  step(metric: number): void {
    this.lastEpoch++;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const next = Math.max(g.lr * this.factor, this.minLrs[i]);
        if (g.lr - next > this.eps) g.lr = next;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
  }

}
