#!/usr/bin/env node
// Lines of TypeScript/C per package (tests apart) and the primitive count, to keep the core small and visible.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const skip = new Set(['node_modules', 'dist', 'build', '.turbo', 'fixtures', 'prebuilds']);

function walk(dir, acc = []) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, acc);
    else if (/\.(ts|c|h|cc|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) acc.push(p);
  }
  return acc;
}
const count = (f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').length;

const rows = [];
for (const group of ['packages', 'apps', 'tooling']) {
  let dirs = [];
  try {
    dirs = readdirSync(join(root, group));
  } catch {
    continue;
  }
  for (const d of dirs) {
    const files = walk(join(root, group, d));
    const tests = files.filter((f) => /\.test\.ts$/.test(f));
    const src = files.filter((f) => !tests.includes(f));
    rows.push([`${group}/${d}`, src.reduce((s, f) => s + count(f), 0), tests.reduce((s, f) => s + count(f), 0)]);
  }
}
console.log('package'.padEnd(34), 'source'.padStart(8), 'tests'.padStart(8));
for (const [name, s, t] of rows) console.log(name.padEnd(34), String(s).padStart(8), String(t).padStart(8));
const ops = readFileSync(join(root, 'packages/core/src/ops.ts'), 'utf8');
const family = (name) => (ops.match(new RegExp(`export const ${name} = \\[([^\\]]*)\\]`)) ?? ['', ''])[1].match(/'[^']+'/g)?.length ?? 0;
const prims = family('UNARY_OPS') + family('BINARY_OPS') + family('REDUCE_OPS') + family('ARG_REDUCE_OPS') + family('KERNELS') - 4;
console.log(`\nprimitive ops: ${prims} (unary ${family('UNARY_OPS')}, binary ${family('BINARY_OPS')}, reduce ${family('REDUCE_OPS')}, arg ${family('ARG_REDUCE_OPS')}, other kernels ${family('KERNELS') - 4}); fused kernels: ${family('FUSED_KERNELS')}`);
