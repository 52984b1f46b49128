/**
 * One configuration in its own process: `worker.ts '<Config as JSON>'` prints one Result as JSON on
 * its last stdout line. The orchestrator sets NABLA_BACKEND / NABLA_NUM_THREADS before nabla loads.
 */
import { measure, measurePair } from './measure';
import { METRICS, type Config, type Result, type Setup } from './workloads';

const config = JSON.parse(process.argv[2]) as Config;

async function setupFor(c: Config): Promise<{ setup: Setup; extra: Record<string, string | number> }> {
  if (c.lib.startsWith('nabla-')) {
    const nb = await import('nabla');
    const { nablaSetup } = await import('./libs/nabla');
    const info = nb.backendInfo();
    const want = c.lib.slice('nabla-'.length);
    if (info.name !== want) throw new Error(`asked for ${want}, got ${info.name}`);
    const caps = nb.getBackend().capabilities;
    return { setup: nablaSetup(nb), extra: { backend: info.name, threads: caps.threads, isa: caps.isa } };
  }
  const { loadTf, tfSetup } = await import('./libs/tfjs');
  const tf = await loadTf(c.lib === 'tfjs-wasm' ? 'wasm' : 'cpu');
  return { setup: tfSetup(tf), extra: { backend: tf.getBackend() } };
}

async function main(): Promise<Result> {
  if (config.workload === 'soak') {
    const nb = await import('nabla');
    const { nablaSoak } = await import('./libs/nabla');
    const extra = await nablaSoak(nb, config.n);
    return { config, value: METRICS.soak.of(Number(extra.seconds) / Number(extra.steps)), extra };
  }
  const { setup, extra } = await setupFor(config);
  if (config.workload === 'autograd') {
    const [g, ng] = await measurePair(setup('forwardGrad', 0), setup('forwardNoGrad', 0), config.budgetMs);
    return { config, value: METRICS.autograd.of(g.median / ng.median), extra: { ...extra, gradMs: g.median * 1e3, noGradMs: ng.median * 1e3 } };
  }
  const step = setup(config.workload, config.n);
  const t = await measure(step, config.budgetMs);
  return { config, value: METRICS[config.workload].of(t.median, config.n), seconds: t.median, runs: t.runs, extra: { ...extra, iters: t.iters } };
}

main().then(
  (r) => console.log(JSON.stringify(r)),
  (e: unknown) => {
    console.log(JSON.stringify({ config, error: e instanceof Error ? e.message : String(e) } satisfies Result));
  },
);
