/** The machine description and the report: one table of absolute figures and ratios, plus sections. */
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { LIBS, METRICS, type Lib, type Result, type Workload } from './workloads';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memGB: number;
  readonly node: string;
  readonly date: string;
  readonly load: string;
  /** Load average when the run ended (filled in by the runner). */
  readonly loadEnd?: string;
  readonly torch: string | null;
  /** Which BLAS Debian's torch resolves through libblas.so.3. */
  readonly blas: string;
}

function systemBlas(): string {
  try {
    const target = readlinkSync('/etc/alternatives/libblas.so.3-x86_64-linux-gnu');
    if (/openblas/i.test(target)) return 'OpenBLAS (OPENBLAS_CORETYPE=SkylakeX)';
    return `reference BLAS (${target}; libopenblas is not installed), so PyTorch's GEMM-bound figures are far below a tuned build`;
  } catch {
    return existsSync('/usr/lib/x86_64-linux-gnu/libopenblas.so.0') ? 'OpenBLAS' : 'unknown';
  }
}

export function machine(torch: string | null): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '';
    const isa = ['avx512f', 'avx2', 'fma'].filter((f) => flags.split(' ').includes(f));
    if (isa.length) cpu += ` (${isa.join(', ')})`;
  } catch {
    // not Linux: the model name is enough
  }
  return {
    cpu, cores: cpus().length, memGB: Math.round(totalmem() / 2 ** 30), node: process.versions.node,
    blas: systemBlas(),
    date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC', load: loadavg().map((x) => x.toFixed(2)).join(' '), torch,
  };
}

const COLUMNS: Record<Lib, string> = {
  'nabla-native': 'nabla native', 'nabla-wasm': 'nabla wasm', 'nabla-js': 'nabla js',
  'tfjs-wasm': 'tfjs-wasm', 'tfjs-cpu': 'tfjs cpu', torch: 'PyTorch',
};
/** Speed-up columns: nabla backend over the comparable TensorFlow.js backend (> 1 = nabla faster). */
const RATIOS: readonly [Lib, Lib][] = [['nabla-wasm', 'tfjs-wasm'], ['nabla-native', 'tfjs-wasm'], ['nabla-js', 'tfjs-cpu']];

const fmt = (x: number | undefined): string => (x === undefined ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(3));

type Row = { label: string; unit: string; cells: string[]; ratios: string[] };

export function renderReport(
  results: readonly Result[],
  ctx: Machine & { seconds: number; quick: boolean; workloads: readonly Workload[] },
): { table: string; markdown: string } {
  const ok = results.filter((r) => !r.error && r.value !== undefined);
  const find = (lib: Lib, w: Workload, n: number, threads: number): Result | undefined =>
    ok.find((r) => r.config.lib === lib && r.config.workload === w && r.config.n === n && r.config.threads === threads) ??
    (lib === 'nabla-native' || lib === 'torch' ? undefined : ok.find((r) => r.config.lib === lib && r.config.workload === w && r.config.n === n && r.config.threads === 1));
  const speedup = (w: Workload, a?: Result, b?: Result): number | undefined =>
    a?.value === undefined || b?.value === undefined ? undefined : METRICS[w].higherIsBetter ? a.value / b.value : b.value / a.value;

  const rows: Row[] = [];
  const keys = new Map<string, { w: Workload; n: number; threads: number }>();
  for (const r of results) {
    const { workload: w, n, threads } = r.config;
    if (w === 'soak' || w === 'forwardGrad' || w === 'forwardNoGrad' || w === 'autograd') continue;
    keys.set(`${ctx.workloads.indexOf(w)}:${String(n).padStart(6)}:${threads}`, { w, n, threads });
  }
  for (const k of [...keys.keys()].sort()) {
    const { w, n, threads } = keys.get(k)!;
    const size = w === 'gemm' ? ` N=${n}` : w === 'mlp' ? `, batch ${n}` : '';
    const label = `${METRICS[w].label}${size}${threads > 1 ? `, ${threads} threads` : ''}`;
    const cells = LIBS.map((lib) => {
      const r = results.find((x) => x.config.lib === lib && x.config.workload === w && x.config.n === n && x.config.threads === threads);
      return r ? (r.error ? 'error' : fmt(r.value)) : '—';
    });
    const ratios = RATIOS.map(([a, b]) => {
      const ra = find(a, w, n, threads);
      const s = threads > 1 && a !== 'nabla-native' ? undefined : speedup(w, ra, find(b, w, n, 1));
      return s === undefined ? '—' : `${fmt(s)}×`;
    });
    rows.push({ label, unit: METRICS[w].unit, cells, ratios });
  }

  const head = ['workload', 'unit', ...LIBS.map((l) => COLUMNS[l]), ...RATIOS.map(([a, b]) => `${COLUMNS[a].replace('nabla ', '')} ÷ ${COLUMNS[b]}`)];
  const body = rows.map((r) => [r.label, r.unit, ...r.cells, ...r.ratios]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cols: string[]): string => cols.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const table = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
  const md = (cols: string[]): string => `| ${cols.join(' | ')} |`;
  const mdTable = [md(head), md(head.map((_, i) => (i < 2 ? '---' : '---:'))), ...body.map(md)].join('\n');

  // autograd recording overhead
  const ag = (['nabla-native', 'nabla-wasm', 'nabla-js', 'torch'] as const).flatMap((lib) => {
    const r = find(lib, 'autograd', 0, 1);
    if (!r?.extra) return [];
    const [g, ng] = [Number(r.extra.gradMs), Number(r.extra.noGradMs)];
    return [md([COLUMNS[lib], fmt(g), fmt(ng), `${((g / ng - 1) * 100).toFixed(0)} %`])];
  });
  const soak = results.filter((r) => r.config.workload === 'soak').map((r) => {
    if (r.error || !r.extra) return md([COLUMNS[r.config.lib], 'error', r.error ?? '', '', '', '', '']);
    const e = r.extra;
    return md([COLUMNS[r.config.lib], String(e.steps), `${e.rssStartMB} → ${e.rssEndMB}`, `${e.tensorsStart} → ${e.tensorsEnd}`,
      `${e.backendKBStart} → ${e.backendKBEnd}`, fmt(r.value), String(e.syncKBPerStep)]);
  });

  const goal = (what: string, w: Workload, n: number, a: Lib, b: Lib, target: number): string => {
    const s = speedup(w, find(a, w, n, 1), find(b, w, n, 1));
    return md([what, `≥ ${target}×`, s === undefined ? 'not measured' : `${fmt(s)}×`, s === undefined ? '' : s >= target ? 'met' : 'not met']);
  };
  const goals = [
    ...[512, 1024, 2048].map((n) => goal(`wasm GEMM N=${n} vs tfjs-wasm`, 'gemm', n, 'nabla-wasm', 'tfjs-wasm', 1.5)),
    ...[32, 128].map((n) => goal(`wasm MLP training, batch ${n}, vs tfjs-wasm`, 'mlp', n, 'nabla-wasm', 'tfjs-wasm', 3)),
    ...[32, 128].map((n) => goal(`native MLP training (1 thread), batch ${n}, vs tfjs-wasm`, 'mlp', n, 'nabla-native', 'tfjs-wasm', 20)),
  ];
  const failures = results.filter((r) => r.error).map((r) => `- ${r.config.workload} ${r.config.n || ''} ${r.config.lib} ${r.config.threads}t: ${r.error}`);

  const markdown = `# Benchmarks

Generated by \`pnpm bench${ctx.quick ? ' --quick' : ''}\` (tooling/bench) on ${ctx.date}; ${results.length} configurations in ${ctx.seconds.toFixed(0)} s.
Measured, never asserted: figures vary from run to run, and by several times on a loaded machine
(see the load average below: a load above the core count means the configurations shared the CPU).

| machine | |
|---|---|
| CPU | ${ctx.cpu} |
| cores | ${ctx.cores} |
| memory | ${ctx.memGB} GB |
| Node | ${ctx.node} |
| PyTorch | ${ctx.torch ? `${ctx.torch} (Debian python3-torch), BLAS: ${ctx.blas}` : 'not available'} |
| TensorFlow.js | 4.22.0 (\`@tensorflow/tfjs\` cpu backend, \`@tensorflow/tfjs-backend-wasm\` SIMD, .wasm from node_modules) |
| load average (1, 5, 15 min) at start / end | ${ctx.load} / ${ctx.loadEnd ?? '?'} |

Method: every configuration (library × workload × size × threads) runs in its own process, one after
another. A warm-up runs until a chunk of steps is no faster than the previous one (JIT and wasm
tier-up done), then the figure is the median of 3–9 timed runs; between runs the event loop turns,
as in a training loop that yields now and then (nabla frees collected storage from finalizers).
Node runs with \`--no-wasm-dynamic-tiering\` (for nabla wasm and tfjs-wasm alike), so all wasm code is
optimised in the background from the start instead of function by function when hot, which a
measurement of a second or two can otherwise miss. nabla runs through the umbrella
package with \`NABLA_BACKEND\` and \`NABLA_NUM_THREADS\`; workloads use nabla's layers, losses,
optimizers and autograd, TensorFlow.js its ops API with \`optimizer.minimize\`, PyTorch \`torch.nn\`.
Ratio columns are speed-ups of a nabla backend over the comparable TensorFlow.js backend (> 1 means
nabla is faster); "2 threads" rows apply to nabla native and PyTorch (the others are single-threaded).
Elementwise GB/s count bytes read + written (exp 8 B, add 12 B per element). The pure-JS backends
(nabla js, tfjs cpu) skip GEMM at N ≥ 1024, which takes them seconds per product.

${mdTable}

## Autograd recording overhead

MLP 784-256-128-10 forward, batch 32, with parameters requiring grad versus under \`noGrad\`, measured in
one process with the two alternating (7 runs each, medians).

| library | with grad (ms) | noGrad (ms) | overhead |
|---|---:|---:|---:|
${ag.join('\n')}

## Memory soak

A small MLP (64-32-10, batch 32, SGD) trained without any \`dispose()\`, yielding to the event loop every
100 steps: RSS, live tensors and live storage bytes (nabla's \`memory().bytes\`) after warm-up and after the last step (after
a GC). The last column is what a loop that never yields keeps per step until it does (storage freed
by finalizers cannot be reclaimed inside one synchronous job).

| backend | steps | RSS MB | live tensors | live storage KB | ms/step | sync loop: KB kept per step |
|---|---:|---:|---:|---:|---:|---:|
${soak.join('\n')}

## Issue 6 goals (measured)

| goal | target | measured | |
|---|---:|---:|---|
${goals.join('\n')}
${failures.length ? `\n## Configurations that failed\n\n${failures.join('\n')}\n` : ''}`;
  return { table, markdown };
}
