/**
 * Issue item 10 through a real bundler: `import '@nabla/autograd'` survives tree shaking (package.json
 * "sideEffects" names the entry and engine-install modules), unused autograd code is dropped, and a
 * tensor-only program carries no autograd code at all.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'nabla-autograd-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const PROGRAM = `
import { tensor } from '@nabla/tensor';
__IMPORT__
const x = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
try { x.square().sum().backward(); console.log(JSON.stringify(x.grad.toArray())); } catch (e) { console.log(String(e)); }
`;

/** Bundles the program (entry written next to the sources so packages resolve) and runs it with node. */
async function bundleAndRun(name: string, importLine: string): Promise<{ code: string; stdout: string }> {
  const entry = join(here, `.bundle-${name}.ts`);
  writeFileSync(entry, PROGRAM.replace('__IMPORT__', importLine));
  const outfile = join(out, `${name}.mjs`);
  try {
    await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile, conditions: ['@nabla/source'], logLevel: 'silent' });
  } finally {
    rmSync(entry, { force: true });
  }
  const stdout = execFileSync(process.execPath, [outfile], { encoding: 'utf8' });
  return { code: readFileSync(outfile, 'utf8'), stdout };
}

it('a bundle that imports @nabla/autograd for its side effect keeps the engine and drops unused code', async () => {
  const { code, stdout } = await bundleAndRun('with', "import '@nabla/autograd';");
  expect(stdout.trim()).toBe('[2,4]');
  expect(code).toContain('installAutogradEngine({');
  expect(code).not.toContain('gradcheck');
}, 60_000);

it('a tensor-only bundle has no autograd code, and backward() says what to import', async () => {
  const { code, stdout } = await bundleAndRun('without', '');
  expect(stdout.trim()).toBe("NablaError: [backward] no autograd engine: import '@nabla/autograd' (or 'nabla') to differentiate");
  expect(code).not.toContain('installAutogradEngine({');
  expect(code).not.toContain('logSoftmax: (g');
}, 60_000);
