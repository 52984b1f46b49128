// Every JSDoc @example in this package runs, and each `// value` comment on a line is checked:
// "// 4" exactly (to float32 precision), "// ≈ 0.3185" to the digits shown, "// [0.125, 2.5]" as an array.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '@nabla/autograd';
import * as tensorApi from '@nabla/tensor';
import * as losses from './index';

interface Example { file: string; code: string[] }

function examples(): Example[] {
  const dir = new URL('./', import.meta.url);
  const out: Example[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    for (const m of text.matchAll(/@example\n((?: \*(?: .*)?\n)+?) \*(?: @|\/)/g)) {
      out.push({ file, code: m[1].split('\n').map((l) => l.replace(/^ \* ?/, '')).filter((l) => l && !l.startsWith('import ')) });
    }
  }
  return out;
}

/** The value a trailing comment promises, with its tolerance; undefined when it promises none. */
function expectation(comment: string): { value: number | number[]; tol: number } | undefined {
  const c = comment.trim();
  if (c.startsWith('[')) return { value: JSON.parse(c) as number[], tol: 1e-6 };
  const m = /(?:^|[≈=]\s*)(-?\d+(?:\.(\d+))?(?:e-?\d+)?)(?:,.*)?$/.exec(c);
  if (!m) return undefined;
  const approx = c.includes('≈');
  return { value: Number(m[1]), tol: approx ? 0.5 * 10 ** -(m[2]?.length ?? 0) : 1e-6 * Math.max(1, Math.abs(Number(m[1]))) };
}

function run(ex: Example): number {
  let checked = 0;
  const scope: Record<string, unknown> = { ...tensorApi, ...losses };
  const check = (got: unknown, comment: string) => {
    const e = expectation(comment);
    if (!e) return;
    checked++;
    const actual = typeof got === 'number' ? [got] : (got as number[]).flat(Infinity as 1);
    const want = typeof e.value === 'number' ? [e.value] : e.value;
    expect(actual.length, comment).toBe(want.length);
    actual.forEach((v, i) => expect(Math.abs((v as number) - want[i]), `${comment}: got ${String(v)}`).toBeLessThanOrEqual(e.tol));
  };
  const body = ex.code
    .map((line) => {
      const m = /^(.*?);\s*\/\/(.*)$/.exec(line);
      return m && !/^(const|let) /.test(m[1]) ? `__check(${m[1]}, ${JSON.stringify(m[2])});` : line;
    })
    .join('\n');
  new Function('__scope', '__check', `const { ${Object.keys(scope).join(', ')} } = __scope;\n${body}`)(scope, check);
  return checked;
}

describe('JSDoc examples', () => {
  const all = examples();
  it('exist for every exported function', () => {
    const documented = all.map((e) => e.code.join('\n'));
    for (const name of Object.keys(losses)) expect(documented.some((c) => c.includes(`${name}(`)), name).toBe(true);
  });
  it.each(all.map((e) => [`${e.file}: ${e.code[e.code.length - 1]}`, e] as const))('%s', (_, ex) => {
    expect(run(ex)).toBeGreaterThan(0);
  });
});
