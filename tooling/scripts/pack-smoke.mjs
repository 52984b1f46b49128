#!/usr/bin/env node
// Pack test: build and `pnpm pack` core, backend-js and tensor, install the tarballs in an empty
// project outside the repo, then run a batched matmul from an ESM script and from a CJS (require) one.
// Usage: node tooling/scripts/pack-smoke.mjs [dir]   (default /tmp/packtest; wiped first)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const dir = process.argv[2] ?? '/tmp/packtest';
const packages = ['core', 'backend-js', 'tensor'];

const run = (cmd, args, cwd) => {
  console.log(`$ ${cmd} ${args.join(' ')}   (in ${cwd})`);
  return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
};

run('pnpm', [...packages.flatMap((p) => ['--filter', `@nabla/${p}`]), 'run', 'build'], root);

rmSync(dir, { recursive: true, force: true });
const tarballs = join(dir, 'tarballs');
mkdirSync(tarballs, { recursive: true });
for (const p of packages) run('pnpm', ['pack', '--pack-destination', tarballs], join(root, 'packages', p));
const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz')).map((f) => join(tarballs, f));
console.log(files.join('\n'));

writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'nabla-packtest', private: true, version: '0.0.0' }, null, 2));
// All tarballs in one install, so @nabla/core and backend-js resolve to the local packs, never the registry.
run('npm', ['install', '--no-audit', '--no-fund', '--offline', ...files], dir);

const body = (imp) => `${imp}
const a = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]).float();   // [2,2,2]
const b = tensor([[1, 0], [1, 1]]).float();                       // [2,2], broadcast over the batch
const c = a.matmul(b);
console.log(c.toString());
const want = [[[3, 2], [7, 4]], [[11, 6], [15, 8]]];
if (JSON.stringify(c.toArray()) !== JSON.stringify(want)) { console.error('wrong result', c.toArray()); process.exit(1); }
`;
writeFileSync(join(dir, 'esm.mjs'), body("import { tensor } from '@nabla/tensor';"));
writeFileSync(join(dir, 'cjs.cjs'), body("const { tensor } = require('@nabla/tensor');"));

for (const script of ['esm.mjs', 'cjs.cjs']) {
  const out = run('node', [script], dir);
  console.log(`--- ${script}\n${out}`);
}
console.log('pack smoke test passed: ESM and CJS');
