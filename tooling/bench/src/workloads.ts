/** The benchmark's workloads, libraries and how a time per step becomes the figure reported. */

export const LIBS = ['nabla-native', 'nabla-wasm', 'nabla-js', 'tfjs-wasm', 'tfjs-cpu', 'torch'] as const;
export type Lib = (typeof LIBS)[number];

export const WORKLOADS = ['gemm', 'mlp', 'exp', 'add', 'sce', 'cnn', 'overhead', 'forwardGrad', 'forwardNoGrad', 'autograd', 'soak'] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface Config {
  readonly lib: Lib;
  readonly threads: number;
  readonly workload: Workload;
  /** GEMM size N, MLP batch, or 0. */
  readonly n: number;
  /** Measuring budget per configuration, ms. */
  readonly budgetMs: number;
}

export interface Result {
  readonly config: Config;
  /** The reported figure, in `unit`. */
  readonly value?: number;
  /** Seconds per step (median) and the per-run spread. */
  readonly seconds?: number;
  readonly runs?: readonly number[];
  readonly extra?: Record<string, number | string>;
  readonly error?: string;
}

/** Elements of the elementwise workloads. */
export const ELEMENTS = 1 << 20;
/** Softmax cross-entropy shape. */
export const SCE_ROWS = 4096;
export const SCE_CLASSES = 1000;
export const CNN_BATCH = 64;
export const FORWARD_BATCH = 32;
export const SOAK_STEPS = 10_000;

export interface Metric {
  readonly label: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  /** From seconds per step to the reported figure. */
  readonly of: (seconds: number, n: number) => number;
}

export const METRICS = {
  gemm: { label: 'GEMM fp32 N×N×N', unit: 'GFLOP/s', higherIsBetter: true, of: (s, n) => (2 * n ** 3) / s / 1e9 },
  mlp: { label: 'MLP 784-256-128-10 train step', unit: 'samples/s', higherIsBetter: true, of: (s, n) => n / s },
  exp: { label: 'exp, 1,048,576 f32', unit: 'GB/s', higherIsBetter: true, of: (s) => (8 * ELEMENTS) / s / 1e9 },
  add: { label: 'add, 1,048,576 f32', unit: 'GB/s', higherIsBetter: true, of: (s) => (12 * ELEMENTS) / s / 1e9 },
  sce: { label: 'softmax-CE fwd+bwd [4096,1000]', unit: 'ms', higherIsBetter: false, of: (s) => s * 1e3 },
  cnn: { label: 'CNN train step, batch 64, 28×28', unit: 'samples/s', higherIsBetter: true, of: (s) => CNN_BATCH / s },
  overhead: { label: 'per-op overhead: add of 4 elements', unit: 'µs/op', higherIsBetter: false, of: (s) => s * 1e6 },
  forwardGrad: { label: 'MLP forward batch 32, recording grad', unit: 'ms', higherIsBetter: false, of: (s) => s * 1e3 },
  forwardNoGrad: { label: 'MLP forward batch 32, noGrad', unit: 'ms', higherIsBetter: false, of: (s) => s * 1e3 },
  /** Both forwards in one process, alternating; the figure is grad time / noGrad time - 1. */
  autograd: { label: 'autograd recording overhead', unit: '%', higherIsBetter: false, of: (ratio) => (ratio - 1) * 100 },
  soak: { label: `memory soak, ${SOAK_STEPS} train steps`, unit: 'ms/step', higherIsBetter: false, of: (s) => s * 1e3 },
} as const satisfies Record<Workload, Metric>;

/** A stepping function for one configuration, built by a library adapter. */
export type Step = () => void;
export type Setup = (workload: Exclude<Workload, 'soak' | 'autograd'>, n: number) => Step;
