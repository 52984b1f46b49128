// Proves the packed tarball carries a working prebuilt binary: packs @nabla/core and this package,
// installs both into an empty project with a PATH that holds node and nothing else (no g++, cc or make),
// checks that nothing was compiled, and runs a matmul through the installed package.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = resolve(pkg, '..', 'core');
// `node scripts/pack-smoke.mjs DIR` reuses the tarballs already packed into DIR
const reuse = process.argv[2];
const work = reuse ? resolve(reuse) : mkdtempSync(join(tmpdir(), 'nabla-pack-smoke-'));

function run(cmd, args, opts = {}) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status}`);
  return r;
}

if (!reuse) {
  if (!existsSync(join(core, 'dist', 'index.js'))) run('pnpm', ['run', 'build'], { cwd: core });
  run('pnpm', ['pack', '--pack-destination', work], { cwd: core });
  run('pnpm', ['pack', '--pack-destination', work], { cwd: pkg });
}
const tgz = (prefix) => readdirSync(work).find((f) => f.startsWith(prefix) && f.endsWith('.tgz'));
const coreTgz = tgz('nabla-core-');
const nativeTgz = tgz('nabla-backend-native-');
const listing = spawnSync('tar', ['-tzf', join(work, nativeTgz)], { encoding: 'utf8' }).stdout;
if (!/package\/prebuilds\/linux-x64\/[^/]+\.node/.test(listing)) throw new Error(`no linux-x64 prebuild in ${nativeTgz}:\n${listing}`);

// An empty project and a PATH with only node and a shell on it (npm runs scripts through sh).
const app = join(work, 'app');
const bin = join(work, 'bin');
rmSync(app, { recursive: true, force: true });
rmSync(bin, { recursive: true, force: true });
mkdirSync(app);
mkdirSync(bin);
symlinkSync(process.execPath, join(bin, 'node'));
symlinkSync('/bin/sh', join(bin, 'sh'));
const env = { HOME: process.env.HOME ?? work, PATH: bin, npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? work, '.npm') };
const probe = spawnSync('/bin/sh', ['-c', 'command -v g++ || command -v gcc || command -v cc || command -v make || command -v clang'], { env });
if (probe.status === 0) throw new Error('the stripped PATH still finds a compiler');
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify({
    name: 'nabla-pack-smoke',
    private: true,
    type: 'module',
    dependencies: { '@nabla/core': `file:../${coreTgz}`, '@nabla/backend-native': `file:../${nativeTgz}` },
  }),
);
const npm = resolve(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
run(process.execPath, [npm, 'install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, env });
if (existsSync(join(app, 'node_modules', '@nabla', 'backend-native', 'build'))) throw new Error('the install compiled the addon');

const smoke = `
import { createNativeBackend } from '@nabla/backend-native';
const be = createNativeBackend();
const v = (storage, shape) => ({ storage, dtype: 'float32', shape, strides: shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1)), offset: 0 });
const a = be.alloc('float32', 6), b = be.alloc('float32', 6), o = be.alloc('float32', 4);
be.write(a, 'float32', 0, new Float32Array([1, 2, 3, 4, 5, 6]));
be.write(b, 'float32', 0, new Float32Array([7, 8, 9, 10, 11, 12]));
be.kernels.matmul(v(o, [1, 2, 2]), v(a, [1, 2, 3]), v(b, [1, 3, 2]));
const got = Array.from(be.read(o, 'float32', 0, 4));
if (got.join() !== '58,64,139,154') throw new Error('matmul gave ' + got);
console.log('pack-smoke: matmul through the installed tarball =', got, 'isa', be.capabilities.isa);
`;
run(process.execPath, ['--input-type=module', '-e', smoke], { cwd: app, env });
console.log(`pack-smoke: ok (${work})`);
