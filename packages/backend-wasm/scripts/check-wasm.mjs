#!/usr/bin/env node
// Fails when the committed wasm/nabla.wasm is stale against its C sources. Two checks:
// 1. always: the hash of every source + flags must equal the one recorded by build-wasm.mjs in
//    wasm/nabla.wasm.json, and the .wasm's own hash must equal the recorded one (no hand edits);
// 2. when clang is on PATH (and NABLA_WASM_CHECK != 'hash'): rebuild into a temp file and compare
//    bytes, which also proves the build reproducible with this compiler.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, clangVersion, manifestPath, sha256, sourceHash, wasmPath } from './build-wasm.mjs';

const fail = (msg) => {
  console.error(`check-wasm: ${msg}\n  rebuild with: pnpm --filter @nabla/backend-wasm build:wasm (needs clang + lld)`);
  process.exit(1);
};

let manifest;
try {
  manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
} catch {
  fail('wasm/nabla.wasm.json is missing');
}
const wasm = readFileSync(wasmPath);
if (sha256(wasm) !== manifest.wasm) fail('wasm/nabla.wasm does not match the hash recorded in wasm/nabla.wasm.json');
if (sourceHash() !== manifest.sources) fail('the C sources (csrc/, backend-native/csrc/kernels/) or flags changed since nabla.wasm was built');

const compiler = clangVersion();
if (!compiler || process.env.NABLA_WASM_CHECK === 'hash') {
  console.log(`check-wasm: sources match the manifest (${compiler ? 'rebuild skipped by NABLA_WASM_CHECK=hash' : 'clang not found, rebuild skipped'})`);
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'nabla-wasm-'));
try {
  const fresh = build(join(dir, 'nabla.wasm'));
  if (!fresh.equals(wasm)) {
    fail(compiler === manifest.compiler
      ? 'a rebuild differs from the committed nabla.wasm'
      : `a rebuild with ${compiler} differs from the committed nabla.wasm (built with ${manifest.compiler}); the source hash matches`);
  }
  console.log(`check-wasm: a rebuild with ${compiler} reproduces wasm/nabla.wasm byte for byte`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
