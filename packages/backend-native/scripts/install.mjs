// Install step: use a prebuilt or already built addon when one loads; otherwise compile it offline with
// node-gyp against the running Node's own headers. Never fails the install: if no compiler is present the
// backend's loader reports why at run time (and the umbrella falls back to another backend).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withBuildLock } from './build-lock.mjs';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function loads() {
  try {
    require('node-gyp-build')(pkg);
    return true;
  } catch {
    return false;
  }
}

if (process.env.NABLA_SKIP_NATIVE_BUILD || loads()) process.exit(0);

// Another install in the same tree may be compiling right now: one build at a time.
withBuildLock(pkg, () => {
  if (!loads()) {
    let gyp;
    try {
      gyp = join(dirname(require.resolve('node-gyp/package.json')), 'bin', 'node-gyp.js');
    } catch {
      gyp = null;
    }
    const nodedir = resolve(process.execPath, '..', '..');
    const args = ['rebuild', '-j', '2'];
    if (existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${nodedir}`);
    const r = gyp
      ? spawnSync(process.execPath, [gyp, ...args], { cwd: pkg, stdio: 'inherit' })
      : spawnSync('node-gyp', args, { cwd: pkg, stdio: 'inherit', shell: true });
    if (r.status !== 0) console.warn('@nabla/backend-native: the addon did not build; createNativeBackend() will say why.');
  }
});
