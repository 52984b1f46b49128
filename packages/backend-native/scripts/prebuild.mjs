// prepack step: builds the linux prebuild (prebuildify --napi --strip) offline, against the running Node's
// own headers when they are installed next to it, so `pnpm pack` never downloads anything.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('prebuildify/package.json')), 'bin.js');
const env = { ...process.env };
const nodedir = resolve(process.execPath, '..', '..');
if (existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = nodedir;
try {
  env.PREBUILD_NODE_GYP = join(dirname(require.resolve('node-gyp/package.json')), 'bin', 'node-gyp.js');
} catch {
  // prebuildify falls back to node-gyp on PATH
}
// the same lock as scripts/install.mjs: one build in build/ at a time
const lock = join(pkg, '.build-lock');
for (let i = 0; i < 900; i++) {
  try {
    mkdirSync(lock);
    break;
  } catch {
    // a lock older than 15 minutes was left by a killed build
    try {
      if (Date.now() - statSync(lock).mtimeMs > 15 * 60 * 1000) rmdirSync(lock);
    } catch {
      // gone meanwhile: retry
    }
    spawnSync('sleep', ['1']);
  }
}
let status = 1;
try {
  const r = spawnSync(process.execPath, [bin, '--napi', '--strip', '--target', process.versions.node], { cwd: pkg, env, stdio: 'inherit' });
  status = r.status ?? 1;
} finally {
  rmdirSync(lock);
}
process.exit(status);
