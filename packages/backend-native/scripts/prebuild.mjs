// prepack step: builds the linux prebuild (prebuildify --napi --strip) offline, against the running Node's
// own headers when they are installed next to it, so `pnpm pack` never downloads anything.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withBuildLock } from './build-lock.mjs';

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
const status = withBuildLock(pkg, () => {
  const r = spawnSync(process.execPath, [bin, '--napi', '--strip', '--target', process.versions.node], { cwd: pkg, env, stdio: 'inherit' });
  return r.status ?? 1;
});
process.exit(status);
