/**
 * pnpm bench [--quick] [--no-torch] [--only=gemm,mlp] [--render]: every configuration (library × workload × size
 * × threads) in its own child process, run one after another; prints a table of absolute figures and
 * ratios and writes BENCHMARKS.md at the repo root with the machine description, and the raw results
 * to tooling/bench/results.json (--render re-renders from them). Measures, never asserts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { machine, renderReport, type Machine } from './report';
import { LIBS, METRICS, SOAK_STEPS, WORKLOADS, type Config, type Lib, type Result, type Workload } from './workloads';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') as Workload[] | undefined;
const budgetMs = quick ? 300 : 1200;

const PYTHON = '/usr/bin/python3';
const torchVersion = ((): string | null => {
  if (args.includes('--no-torch')) return null;
  try {
    return execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
})();
const libs: readonly Lib[] = LIBS.filter((l) => l !== 'torch' || torchVersion);
/** Libraries that take a thread count; the others are single-threaded. */
const THREADED: readonly Lib[] = ['nabla-native', 'torch'];
/** Pure-JS GEMM at N >= 1024 takes seconds per product (tens at 2048): skipped to keep the run short. */
const PURE_JS: readonly Lib[] = ['nabla-js', 'tfjs-cpu'];

function configs(): Config[] {
  const out: Config[] = [];
  const add = (workload: Workload, n: number, which: readonly Lib[], threads: readonly number[] = [1]): void => {
    if (only && !only.includes(workload)) return;
    for (const t of threads) for (const lib of which) if (libs.includes(lib) && (t === 1 || THREADED.includes(lib))) out.push({ lib, threads: t, workload, n, budgetMs });
  };
  const nabla = libs.filter((l) => l.startsWith('nabla-'));
  for (const n of quick ? [128, 512] : [128, 256, 512, 1024, 2048]) add('gemm', n, libs.filter((l) => n < 1024 || !PURE_JS.includes(l)), [1, 2]);
  for (const n of quick ? [32] : [32, 128]) add('mlp', n, libs, [1, 2]);
  add('exp', 0, libs, [1, 2]);
  add('add', 0, libs, [1, 2]);
  add('sce', 0, libs);
  add('cnn', 0, libs, [1, 2]);
  add('overhead', 0, libs);
  add('autograd', 0, [...nabla, 'torch']);
  add('soak', quick ? 1000 : SOAK_STEPS, nabla);
  return out;
}

function runOne(c: Config): Result {
  const torch = c.lib === 'torch';
  const env: Record<string, string | undefined> = { ...process.env, NABLA_NUM_THREADS: String(c.threads), OPENBLAS_CORETYPE: 'SkylakeX', OMP_NUM_THREADS: String(c.threads), OPENBLAS_NUM_THREADS: String(c.threads) };
  if (c.lib.startsWith('nabla-')) env.NABLA_BACKEND = c.lib.slice('nabla-'.length);
  const cmd = torch ? PYTHON : process.execPath;
  const argv = torch
    ? [join(here, 'torch_bench.py'), JSON.stringify(c)]
    : // V8 otherwise tiers wasm functions up lazily, one at a time; a short measurement can end before
      // the hot kernels of nabla-wasm or tfjs-wasm leave the baseline compiler.
      ['--no-wasm-dynamic-tiering', '--conditions=@nabla/source', '--import', 'tsx', '--expose-gc', join(here, 'worker.ts'), JSON.stringify(c)];
  const r = spawnSync(cmd, argv, { env, encoding: 'utf8', timeout: Math.max(120_000, c.budgetMs * 40), maxBuffer: 1 << 24 });
  const last = r.stdout?.trim().split('\n').pop() ?? '';
  try {
    const res = JSON.parse(last) as Result;
    if (res.value === undefined && res.seconds !== undefined) return { ...res, value: METRICS[c.workload].of(res.seconds, c.n) };
    if (c.workload === 'autograd' && res.extra) return { ...res, value: METRICS.autograd.of(Number(res.extra.gradMs) / Number(res.extra.noGradMs)) };
    return res;
  } catch {
    const why = r.error?.message ?? (r.stderr?.trim().split('\n').slice(-3).join(' ') || `exit ${r.status}`);
    return { config: c, error: why };
  }
}

const resultsPath = join(here, '..', 'results.json');
const render = args.find((a) => a.startsWith('--render'));
if (render) {
  // Re-renders BENCHMARKS.md from the raw results of the last run, without measuring.
  const saved = JSON.parse(readFileSync(resultsPath, 'utf8')) as { machine: Machine; seconds: number; quick: boolean; results: Result[] };
  const report = renderReport(saved.results, { ...saved.machine, seconds: saved.seconds, quick: saved.quick, workloads: WORKLOADS });
  writeFileSync(join(root, 'BENCHMARKS.md'), report.markdown);
  console.log(report.table);
  process.exit(0);
}

const list = configs();
const m = machine(torchVersion);
console.log(`bench: ${list.length} configurations, one process each${quick ? ' (quick)' : ''}; ${m.cpu}, ${m.cores} cores, Node ${m.node}, load ${m.load}`);
const results: Result[] = [];
const t0 = performance.now();
for (const [i, c] of list.entries()) {
  const r = runOne(c);
  results.push(r);
  const fig = r.error ? `error: ${r.error}` : `${r.value!.toPrecision(4)} ${METRICS[c.workload].unit}`;
  console.log(`[${String(i + 1).padStart(3)}/${list.length}] ${c.workload}${c.n ? ` ${c.n}` : ''} ${c.lib} ${c.threads}t: ${fig}`);
}
const seconds = (performance.now() - t0) / 1e3;
const done: Machine = { ...m, loadEnd: loadavg().map((x) => x.toFixed(2)).join(' ') };
const report = renderReport(results, { ...done, seconds, quick, workloads: WORKLOADS });
console.log('\n' + report.table);
writeFileSync(join(root, 'BENCHMARKS.md'), report.markdown);
writeFileSync(resultsPath, JSON.stringify({ machine: done, seconds, quick, results }, null, 1) + '\n');
console.log(`\nbench: wrote BENCHMARKS.md and tooling/bench/results.json (${seconds.toFixed(0)} s)`);
