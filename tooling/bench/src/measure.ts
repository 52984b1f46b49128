/** Timing: warm up until steady, calibrate iterations per run, then the median of several timed runs. */

export interface Timing {
  /** Median seconds per step over the runs. */
  readonly median: number;
  /** Seconds per step of each run. */
  readonly runs: readonly number[];
  /** Steps per run. */
  readonly iters: number;
}

/**
 * Runs `step` within about `budgetMs` (longer when one step is slow): a warm-up in chunks that ends
 * once a chunk is no faster than the one before and 30% of the budget is spent (JIT and wasm tier-up
 * done, caches and allocator free lists filled), or at 60% of the budget, then at least 3 and up to 9 runs of `iters` steps each,
 * where `iters` makes a run last about budget/10. The median ignores one GC pause or scheduler hiccup.
 * A step slower than half the budget gets one warm-up step and three single-step runs.
 */
export async function measure(step: () => void, budgetMs: number): Promise<Timing> {
  const now = (): number => performance.now();
  // Between chunks the event loop turns, so storage freed by finalizers is reclaimed as in a
  // training loop that yields now and then; a chunk itself is one synchronous run of steps.
  const chunk = async (n: number): Promise<number> => {
    await new Promise((r) => setImmediate(r));
    const s = now();
    for (let i = 0; i < n; i++) step();
    return (now() - s) / n;
  };
  const start = now();
  let perStep = await chunk(1);
  if (perStep > budgetMs / 2) {
    // Seconds per step (pure-JS GEMM, tfjs cpu conv): one warm-up step is done; three single-step runs.
    const runs = [await chunk(1), await chunk(1), await chunk(1)].map((ms) => ms / 1e3);
    return { median: [...runs].sort((a, b) => a - b)[1], runs, iters: 1 };
  }
  const k = Math.max(1, Math.round(budgetMs / 20 / perStep));
  for (let chunks = 0; now() - start < budgetMs * 0.6; chunks++) {
    const t = await chunk(k);
    const steady = chunks >= 2 && t >= perStep * 0.95 && now() - start > budgetMs * 0.3;
    perStep = t;
    if (steady) break;
  }
  const iters = Math.max(1, Math.round(budgetMs / 10 / perStep));
  const runs: number[] = [];
  const t0 = now();
  while (runs.length < 3 || (runs.length < 9 && now() - t0 < budgetMs * 0.6)) runs.push((await chunk(iters)) / 1e3);
  const sorted = [...runs].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], runs, iters };
}

/**
 * Times two steps against each other in one process: both warm up, then 7 rounds alternate one run
 * of each, so load changes during the measurement hit both alike. Returns each median.
 */
export async function measurePair(a: () => void, b: () => void, budgetMs: number): Promise<[Timing, Timing]> {
  const wa = await measure(a, budgetMs / 4);
  const wb = await measure(b, budgetMs / 4);
  const iters = [wa, wb].map((w) => Math.max(1, Math.round(budgetMs / 30 / (w.median * 1e3))));
  const runs: [number[], number[]] = [[], []];
  for (let round = 0; round < 7; round++) {
    for (const [k, step] of [a, b].entries()) {
      await new Promise((r) => setImmediate(r));
      const s = performance.now();
      for (let i = 0; i < iters[k]; i++) step();
      runs[k].push((performance.now() - s) / 1e3 / iters[k]);
    }
  }
  const timing = (k: number): Timing => ({ median: [...runs[k]].sort((x, y) => x - y)[3], runs: runs[k], iters: iters[k] });
  return [timing(0), timing(1)];
}
