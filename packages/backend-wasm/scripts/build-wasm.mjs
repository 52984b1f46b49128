#!/usr/bin/env node
// Compiles the shared C kernel library (packages/backend-native/csrc/kernels) plus csrc/ (wasm.c) to
// wasm/nabla.wasm with Debian clang + wasm-ld, and records a manifest (wasm/nabla.wasm.json) with the
// hash of every source, the flags, the compiler and the output, which check-wasm.mjs verifies.
// Usage: node scripts/build-wasm.mjs [--out path]   (--out writes elsewhere and skips the manifest)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const kernelsDir = join(pkgDir, '..', 'backend-native', 'csrc', 'kernels');
export const wasmPath = join(pkgDir, 'wasm', 'nabla.wasm');
export const manifestPath = join(pkgDir, 'wasm', 'nabla.wasm.json');

// -mbulk-memory lowers memcpy/memset to memory.copy/fill, so no libc is needed; the stack
// gets 1 MiB (kernels keep nb_views and iterators there); memory may grow to 4 GiB. NB_KC=512: a
// deeper GEMM panel measured ~15% faster at N=512..1024 in wasm (fewer passes over C per product).
export const FLAGS = [
  '--target=wasm32', '-O3', '-msimd128', '-mbulk-memory', '-ffreestanding', '-nostdlib', '-std=c11', '-DNB_KC=512',
  '-Wall', '-Wno-unused-function',
  '-Wl,--no-entry', '-Wl,--export-dynamic', '-Wl,-z,stack-size=1048576', '-Wl,--max-memory=4294967296',
];

/** Every input of the build, in a fixed order, as [path relative to the repo's packages dir, bytes]. */
export function sources() {
  const files = readdirSync(join(pkgDir, 'csrc')).sort().map((f) => join(pkgDir, 'csrc', f));
  for (const f of readdirSync(kernelsDir).sort()) if (/\.(c|h)$/.test(f)) files.push(join(kernelsDir, f));
  return files.map((f) => [relative(join(pkgDir, '..'), f), readFileSync(f)]);
}

export function sourceHash() {
  const h = createHash('sha256');
  for (const [name, bytes] of sources()) h.update(`${name}\0${bytes.length}\0`).update(bytes);
  h.update(FLAGS.join(' '));
  return h.digest('hex');
}

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

export function clangVersion() {
  try {
    return execFileSync('clang', ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return null;
  }
}

/** Builds to `out`; the working directory and relative paths keep the output free of absolute paths. */
export function build(out) {
  mkdirSync(dirname(out), { recursive: true });
  execFileSync('clang', [...FLAGS, '-I', relative(pkgDir, kernelsDir), '-o', out, 'csrc/wasm.c'], { cwd: pkgDir, stdio: 'inherit' });
  return readFileSync(out);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--out');
  const out = i > 0 ? process.argv[i + 1] : wasmPath;
  const compiler = clangVersion();
  if (!compiler) {
    console.error('build-wasm: clang not found (Debian: apt-get install clang lld; or run tooling/scripts/bootstrap.mjs)');
    process.exit(1);
  }
  const bytes = build(out);
  if (out === wasmPath) {
    const manifest = { sources: sourceHash(), wasm: sha256(bytes), bytes: bytes.length, compiler, flags: FLAGS };
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  }
  console.log(`build-wasm: wrote ${relative(process.cwd(), out)} (${bytes.length} bytes)`);
}
