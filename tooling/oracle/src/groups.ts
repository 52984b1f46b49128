/** File formats of the groups that are not plain op cases: optimizers, layers, safetensors. */
import type { Arg, EncodedTensor, FixtureFile, OpCase } from './index';

// ---- optimizers -------------------------------------------------------------------------------

/** The fixed problem every optimizer case minimises. */
export interface OptimizerProblem {
  /** The loss in words: sum over both params of sum((p - c)^2 * w) + sum(sin(p)). */
  loss: string;
  /** Initial parameter values (two tensors). */
  params: EncodedTensor[];
  /** Per-parameter targets and weights, same shapes as params. */
  c: EncodedTensor[];
  w: EncodedTensor[];
}

export interface OptimizerCase {
  name: string;
  kind: 'optimizer';
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
  /** nabla's camelCase options, e.g. { lr, momentum, dampening, nesterov, weightDecay }. */
  options: Record<string, number | boolean | number[]>;
  /** losses[k]: loss value computed before step k+1 (at the params after k steps). */
  losses: number[];
  /** params[k]: both params after step k+1 (zeroGrad, loss, backward, step). */
  params: EncodedTensor[][];
}

export interface SchedulerCase {
  name: string;
  kind: 'scheduler';
  scheduler: 'StepLR' | 'MultiStepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'LinearLR' | 'ReduceLROnPlateau';
  /** The optimizer is SGD({ lr }) over the problem's params. */
  lr: number;
  options: Record<string, number | string | number[]>;
  /** ReduceLROnPlateau only: the metric passed to scheduler.step(metric) each epoch. */
  metrics?: number[];
  /** lrs[0] = lr after construction; lrs[k] = lr after k calls of scheduler.step() (each after optimizer.step()). */
  lrs: number[];
}

export interface ClipCase {
  name: string;
  kind: 'clipGradNorm' | 'clipGradValue';
  /** clipGradNorm: { maxNorm, normType } (normType may be "Infinity"); clipGradValue: { clipValue }. */
  options: Record<string, number | string>;
  /** Gradients before clipping (set as p.grad on the problem's params). */
  grads: EncodedTensor[];
  /** Gradients after clipping. */
  clipped: EncodedTensor[];
  /** clipGradNorm's return value: the total norm before clipping. */
  totalNorm?: number | string;
}

export interface OptimizersFile extends FixtureFile<OptimizerCase | SchedulerCase | ClipCase> {
  problem: OptimizerProblem;
}

// ---- layers -----------------------------------------------------------------------------------

export interface ModuleCase {
  name: string;
  /** nabla class name: 'Linear', 'Conv2d', 'MaxPool2d', 'AvgPool2d', 'LayerNorm', 'BatchNorm1d', ... */
  module: string;
  /** Constructor options in camelCase, e.g. { inFeatures: 4, outFeatures: 3, bias: true }. */
  options: Record<string, Arg>;
  /** train() (true) or eval() (false) when the forward ran. */
  training: boolean;
  /** state_dict before the forward, names as torch (weight, bias, running_mean, ...). */
  stateDict: Record<string, EncodedTensor>;
  input: EncodedTensor;
  output: EncodedTensor;
  /** Present when the output is differentiable: gradients of sum(output * gradOutput). */
  gradOutput?: EncodedTensor;
  /** null when the input is not differentiable (Embedding indices). */
  gradInput?: EncodedTensor | null;
  gradParams?: Record<string, EncodedTensor>;
  /** state_dict after the forward (BatchNorm running stats in train mode). */
  stateDictAfter?: Record<string, EncodedTensor>;
}

/** `cases`: functional conv2d / maxPool2d / avgPool2d op cases; `modules`: layer cases. */
export interface LayersFile extends FixtureFile<OpCase> {
  modules: ModuleCase[];
}

// ---- safetensors ------------------------------------------------------------------------------

export interface SafetensorsFile {
  group: string;
  torch: string;
  /** The .safetensors file in fixtures/ this JSON describes. */
  file: string;
  /** The torch module, e.g. "Sequential(Linear(4, 8), ReLU(), Linear(8, 3))". */
  model: string;
  /** Every tensor in the file, as the JSON twin of its bytes. */
  tensors: Record<string, EncodedTensor>;
  /** __metadata__ written into the header. */
  metadata: Record<string, string>;
  input: EncodedTensor;
  output: EncodedTensor;
  /** d sum(output) / d param for every parameter. */
  grads: Record<string, EncodedTensor>;
}

/** Evidence that torch reads a safetensors file nabla wrote: check_safetensors.py's output, committed. */
export interface RoundtripFile {
  group: string;
  torch: string;
  /** The file torch read (path relative to the repo root when it was checked). */
  file: string;
  /** Who wrote the file and how the output was produced. */
  note: string;
  /** What torch found in the header. */
  tensors: Record<string, { dtype: string; shape: number[] }>;
  metadata: Record<string, string>;
  input: EncodedTensor;
  /** torch's model output on `input` with the loaded weights. */
  output: EncodedTensor;
}
