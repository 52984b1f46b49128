#!/usr/bin/env node
// Trains each model on each backend (the full pnpm start setup) and prints a markdown table of
// test accuracy, training time and samples/s. Measures, never asserts; takes minutes (js CNN: ~5).
// Usage: node scripts/bench-backends.mjs [--models mlp,cnn] [--backends native,wasm,js]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return (i > 0 ? process.argv[i + 1] : dflt).split(',');
};
const models = arg('models', 'mlp,cnn');
const backends = arg('backends', 'native,wasm,js');
const main = new URL('../src/main.ts', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'nabla-bench-'));

const rows = [];
for (const backend of backends) {
  for (const model of models) {
    process.stderr.write(`${backend} ${model} ...\n`);
    const p = spawnSync(process.execPath, ['--conditions=@nabla/source', '--import', 'tsx', main, 'train', '--model', model, '--backend', backend, '--out', join(out, `${backend}-${model}`)], { encoding: 'utf8' });
    if (p.status !== 0) {
      rows.push(`| ${backend} | ${model} | failed: ${(p.stderr.trim().split('\n').pop() ?? '').replace(/\|/g, '/')} | | |`);
      continue;
    }
    const be = /^backend: (.*)$/m.exec(p.stdout)?.[1] ?? backend;
    const acc = /^test accuracy: ([0-9.]+)/m.exec(p.stdout)?.[1];
    const time = /^time: ([0-9.]+) s training \(([0-9,]+) samples\/s\)/m.exec(p.stdout);
    rows.push(`| ${be} | ${model} | ${acc} | ${time?.[1]} s | ${time?.[2]} |`);
  }
}
console.log('| backend | model | test accuracy | training time | samples/s |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
