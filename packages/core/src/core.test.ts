import { describe, expect, it } from 'vitest';
import {
  broadcastShapes, contiguousStrides, isContiguous, normalizeDim, normalizeDims, promoteTypes, resultType,
  uniformAt, randomBits, NablaError, KERNELS, PRIMITIVE_COUNT, setBackend,
} from './index';

describe('dtype promotion (torch.promote_types / result_type)', () => {
  it('promotes by category then width', () => {
    expect(promoteTypes('bool', 'int32')).toBe('int32');
    expect(promoteTypes('int32', 'float32')).toBe('float32');
    expect(promoteTypes('float32', 'float64')).toBe('float64');
    expect(promoteTypes('bool', 'bool')).toBe('bool');
  });
  it('lets numbers raise only the category', () => {
    expect(resultType(['float32'], [2.5])).toBe('float32');
    expect(resultType(['int32'], [2.5])).toBe('float32');
    expect(resultType(['int32'], [2])).toBe('int32');
    expect(resultType(['bool'], [2])).toBe('int32');
    expect(resultType(['float64'], [2])).toBe('float64');
  });
});

describe('shapes', () => {
  it('broadcasts like NumPy and names both shapes on failure', () => {
    expect(broadcastShapes('add', [2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShapes('add', [], [3])).toEqual([3]);
    expect(() => broadcastShapes('add', [2, 3], [4])).toThrow('[add] shapes cannot be broadcast together: a=[2,3] b=[4]');
  });
  it('computes strides and contiguity', () => {
    expect(contiguousStrides([2, 3, 4])).toEqual([12, 4, 1]);
    expect(isContiguous([2, 3], [3, 1])).toBe(true);
    expect(isContiguous([3, 2], [1, 3])).toBe(false);
    expect(isContiguous([1, 3], [99, 1])).toBe(true);
  });
  it('normalises dims', () => {
    expect(normalizeDim('sum', -1, 3)).toBe(2);
    expect(normalizeDim('sum', -1, 0)).toBe(0);
    expect(() => normalizeDim('sum', 3, 3)).toThrow(NablaError);
    expect(normalizeDims('sum', [-1, 0], 3)).toEqual([0, 2]);
    expect(() => normalizeDims('sum', [1, -2], 3)).toThrow('[sum] dim 1 appears more than once');
  });
});

describe('random stream', () => {
  it('is a pure function of (seed, position)', () => {
    expect(randomBits(42, 7)).toBe(randomBits(42, 7));
    expect(randomBits(42, 7)).not.toBe(randomBits(43, 7));
    const u = Array.from({ length: 10000 }, (_, i) => uniformAt(1, i));
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
  });
  it('matches the reference values the C kernels are tested against', () => {
    // Pinned so a change to the hash is a deliberate, visible break of every backend's stream.
    expect([0, 1, 2].map((i) => randomBits(0, i))).toMatchInlineSnapshot(`
      [
        817759070,
        1583546800,
        997735364,
      ]
    `);
  });
});

describe('contract', () => {
  it('lists the kernels once', () => {
    expect(new Set(KERNELS).size).toBe(KERNELS.length);
    expect(PRIMITIVE_COUNT).toBeGreaterThan(30);
  });
  it('refuses unknown backend names', () => {
    expect(() => setBackend('nope')).toThrow("[setBackend] no backend named 'nope'");
  });
});
