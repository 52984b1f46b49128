import { describe, expect, it } from 'vitest';
import { chartSvg, niceTicks } from './chart';
import { argmaxRows, binaryMetrics } from './metrics';
import { epochProgress } from './progress';
import { memoryIo } from './io';

describe('charts', () => {
  it('picks round ticks', () => {
    const t = niceTicks(0, 1);
    expect(t.length).toBe(6);
    t.forEach((v, i) => expect(v).toBeCloseTo(i * 0.2, 12));
    expect(niceTicks(3, 47)).toEqual([10, 20, 30, 40]);
  });
  it('draws every series as a path and escapes text', () => {
    const svg = chartSvg([
      { title: 'a < b', xLabel: 'x', yLabel: 'y', series: [{ name: 's1', points: [[0, 1], [1, 2]] }, { name: 's2', points: [[0, 3], [1, NaN], [2, 1]] }] },
      { title: 'log', xLabel: 'x', yLabel: 'y', logY: true, series: [{ name: 'p', points: [[0, 1e-3], [1, 0], [2, 10]], scatter: true }] },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path /g)?.length).toBe(2);
    expect(svg.match(/<circle /g)?.length).toBe(2); // the non-positive point is dropped on the log axis
    expect(svg).toContain('a &lt; b');
    expect(svg).not.toContain('NaN');
  });
});

describe('metrics', () => {
  it('counts spam as positive', () => {
    const m = binaryMetrics([0.9, 0.8, 0.2, 0.1, 0.7], [1, 0, 1, 0, 1]);
    expect([m.tp, m.fp, m.tn, m.fn]).toEqual([2, 1, 1, 1]);
    expect(m.precision).toBeCloseTo(2 / 3);
    expect(m.recall).toBeCloseTo(2 / 3);
    expect(m.f1).toBeCloseTo(2 / 3);
    expect(m.accuracy).toBeCloseTo(0.6);
    expect(binaryMetrics([0, 0], [0, 0]).precision).toBe(0);
  });
  it('takes the argmax of each row', () => {
    expect(Array.from(argmaxRows([0, 2, 1, 5, 4, 3], 3))).toEqual([1, 0]);
  });
});

describe('progress', () => {
  it('prints one plain line per epoch when not on a terminal', () => {
    const io = memoryIo();
    const bar = epochProgress(io, 2, 5, 100);
    bar.update(50, { loss: 1, accuracy: 0.5 });
    const rate = bar.stop({ loss: 0.5, accuracy: 0.75, seconds: 2 });
    expect(rate).toBe(50);
    expect(io.lines).toEqual([expect.stringMatching(/^epoch 2\/5 {2}loss 0\.5000 {2}acc 0\.7500 {2}50 samples\/s {2}2\.0s$/)]);
  });
});
