#!/usr/bin/env node
// Proves the packed package carries and finds its .wasm: builds and packs @nabla/core and
// @nabla/backend-wasm, installs both tarballs into an empty /tmp project, and runs a kernel
// there from ESM (async and sync creation) and from CJS.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pkgDir } from './build-wasm.mjs';

const dir = '/tmp/nabla-wasm-pack';
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
rmSync(dir, { recursive: true, force: true });
mkdirSync(join(dir, 'project'), { recursive: true });
for (const pkg of [join(pkgDir, '..', 'core'), pkgDir]) {
  run('pnpm', ['build'], pkg);
  run('pnpm', ['pack', '--pack-destination', dir], pkg);
}
const tarballs = readdirSync(dir).filter((f) => f.endsWith('.tgz')).map((f) => join(dir, f));
const project = join(dir, 'project');
writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'smoke', private: true, type: 'module' }));
run('npm', ['install', '--no-audit', '--no-fund', ...tarballs], project);
const kernel = `
  const s = b.alloc('float32', 3);
  b.write(s, 'float32', 0, new Float32Array([0, 1, 2]));
  const o = b.alloc('float32', 3);
  const v = (st) => ({ storage: st, dtype: 'float32', shape: [3], strides: [1], offset: 0 });
  b.kernels.unary('exp', v(o), v(s));
  const got = Array.from(b.read(o, 'float32', 0, 3)).map((x) => x.toFixed(4)).join(',');
  if (got !== '1.0000,2.7183,7.3891') throw new Error('wrong result ' + got);`;
writeFileSync(join(project, 'esm.mjs'), `import { createWasmBackend, createWasmBackendSync } from '@nabla/backend-wasm';
for (const b of [await createWasmBackend(), createWasmBackendSync()]) {${kernel}}
console.log('esm ok');`);
writeFileSync(join(project, 'cjs.cjs'), `const { createWasmBackend, createWasmBackendSync } = require('@nabla/backend-wasm');
(async () => { for (const b of [await createWasmBackend(), createWasmBackendSync()]) {${kernel}} console.log('cjs ok'); })();`);
process.stdout.write(run('node', ['esm.mjs'], project) + run('node', ['cjs.cjs'], project));
console.log(`pack-smoke: ${tarballs.map((t) => t.split('/').pop()).join(' + ')} installed in ${project}; the packed .wasm loads from ESM and CJS`);
