#!/usr/bin/env node
// Sets up a fresh clone with nothing but Node 20, npm and g++: installs the pinned
// pnpm (not corepack, whose signature checks fail here), the workspace's
// dependencies (which builds the native addon), and, where apt is available,
// clang + lld for rebuilding the WebAssembly kernels.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, '');
const run = (cmd) => execSync(cmd, { stdio: 'inherit', cwd: root });
const quiet = (cmd) => {
  try {
    return execSync(cmd, { stdio: ['ignore', 'pipe', 'ignore'], cwd: root }).toString().trim();
  } catch {
    return '';
  }
};

if (quiet('pnpm --version') !== pnpmVersion) {
  console.log(`bootstrap: installing pnpm ${pnpmVersion}`);
  run(`npm install --global pnpm@${pnpmVersion}`);
}

const wantClang = process.env.NABLA_SKIP_CLANG !== '1';
if (wantClang && !quiet('command -v clang') && quiet('command -v apt-get') && process.getuid?.() === 0) {
  console.log('bootstrap: installing clang and lld from apt (for the WebAssembly build)');
  try {
    run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang lld');
  } catch {
    console.log('bootstrap: clang could not be installed; the committed .wasm is used as is');
  }
}

run('pnpm install --frozen-lockfile');
