/** Every subcommand on a tiny slice of its data, run in-process on the js backend; outputs checked. */
import { writeIdxUint8 } from '@nabla/data';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from './cli';
import { loadNpmMnist, PIXELS } from './data/digits';
import { memoryIo } from './util/io';

const out = mkdtempSync(join(tmpdir(), 'nabla-trainer-'));

async function cli(...argv: string[]) {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.lines.join('\n'), err: io.errors.join('\n'), errors: io.errors };
}

const num = (text: string, label: string): number => {
  const m = new RegExp(`${label}:? ([0-9.]+)`).exec(text);
  if (!m) throw new Error(`no '${label}' in:\n${text}`);
  return Number(m[1]);
};

describe('train → evaluate → export-digit → predict', () => {
  let trained: Awaited<ReturnType<typeof cli>>;
  beforeAll(async () => {
    trained = await cli('train', '--limit', '400', '--epochs', '2', '--backend', 'js', '--out', out);
  });

  it('trains, prints the test accuracy and writes the model, its description and the chart', () => {
    expect(trained.code).toBe(0);
    const acc = num(trained.out, 'test accuracy');
    expect(acc).toBeGreaterThan(0.5); // 400 digits, 2 epochs: well above chance (0.1)
    expect(acc).toBeLessThanOrEqual(1);
    expect(trained.out).toMatch(/^epoch 2\/2 .* samples\/s/m);
    const info = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(info.architecture).toEqual({ kind: 'mlp', hidden: [256] });
    expect(info.metrics.testAccuracy).toBeCloseTo(acc, 4);
    expect(info.training.history).toHaveLength(2);
    const st = readFileSync(join(out, 'model.safetensors'));
    const headerLen = Number(st.readBigUInt64LE(0));
    const header = JSON.parse(st.subarray(8, 8 + headerLen).toString());
    expect(header['0.weight'].shape).toEqual([256, 784]);
    expect(header['2.bias'].shape).toEqual([10]);
    const svg = readFileSync(join(out, 'training.svg'), 'utf8');
    expect(svg).toMatch(/^<svg[^>]*>/);
    expect(svg.match(/<path /g)!.length).toBeGreaterThanOrEqual(5);
  });

  it('evaluates the saved model on the same held-out digits', async () => {
    const r = await cli('evaluate', '--model', join(out, 'model.safetensors'), '--limit', '400', '--backend', 'js');
    expect(r.code).toBe(0);
    expect(num(r.out, 'test accuracy')).toBeCloseTo(num(trained.out, 'test accuracy'), 4);
    expect(r.out).toContain('confusion matrix');
  });

  it('exports a test digit as PNG and predicts it from the file', async () => {
    const exp = await cli('--', 'export-digit', '--index', '5', '--out', out); // as `pnpm start -- export-digit` passes it
    expect(exp.code).toBe(0);
    const label = num(exp.out, 'label');
    const file = join(out, `digit-5-label-${label}.png`);
    expect(PNG.sync.read(readFileSync(file))).toMatchObject({ width: 28, height: 28 });
    const r = await cli('predict', file, '--model', join(out, 'model.json'), '--backend', 'js');
    expect(r.code).toBe(0);
    const probs = [...r.out.matchAll(/^ {2}(\d) {2}([0-9.]+)/gm)].map((m) => Number(m[2]));
    expect(probs).toHaveLength(10);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    expect(r.out).toMatch(/^prediction: \d \(p = [0-9.]+\)$/m);
  });

  it('predicts on a larger dark-on-white image, scaled and centred', async () => {
    const digit = loadNpmMnist().images.subarray(0, PIXELS);
    const png = new PNG({ width: 90, height: 90 });
    for (let y = 0; y < 90; y++) {
      for (let x = 0; x < 90; x++) {
        const v = Math.round(255 * (1 - digit[Math.floor(y / 3) * 28 + Math.floor(x / 3)]));
        png.data.set([v, v, v, 255], 4 * (y * 90 + x));
      }
    }
    const file = join(out, 'big.png');
    writeFileSync(file, PNG.sync.write(png));
    const r = await cli('predict', file, '--model', join(out, 'model.json'), '--backend', 'js');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^prediction: \d/m);
  });
});

describe('more training setups', () => {
  it('trains the cnn with adam', async () => {
    const dir = join(out, 'cnn');
    const r = await cli('train', '--model', 'cnn', '--optimizer', 'adam', '--limit', '64', '--epochs', '1', '--batch-size', '32', '--backend', 'js', '--out', dir);
    expect(r.code).toBe(0);
    expect(num(r.out, 'test accuracy')).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).inputShape).toEqual([1, 28, 28]);
  });

  it('trains from IDX files with --data', async () => {
    const dir = join(out, 'idx');
    mkdirSync(dir);
    const all = loadNpmMnist();
    const write = (name: string, from: number, n: number) => {
      const px = Array.from(all.images.subarray(from * PIXELS, (from + n) * PIXELS), (v) => Math.round(v * 255));
      writeFileSync(join(dir, `${name}-images-idx3-ubyte`), writeIdxUint8([n, 28, 28], px));
      writeFileSync(join(dir, `${name}-labels-idx1-ubyte`), writeIdxUint8([n], all.labels.subarray(from, from + n)));
    };
    write('train', 0, 120);
    write('t10k', 5000, 40);
    const r = await cli('train', '--data', dir, '--epochs', '1', '--backend', 'js', '--out', join(dir, 'out'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('120 train / 40 test');
    expect(JSON.parse(readFileSync(join(dir, 'out', 'model.json'), 'utf8')).data).toEqual({ source: 'idx', dir });
  });
});

describe('spam', () => {
  it('reports accuracy, precision, recall and F1 for both models and the top words', async () => {
    const r = await cli('spam', '--limit', '400', '--epochs', '2', '--features', '1024', '--backend', 'js', '--out', out);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'spam.json'), 'utf8'));
    expect(report.models.map((m: { name: string }) => m.name)).toEqual(['logistic regression', 'mlp 1024-32-1']);
    for (const m of report.models) {
      for (const k of ['accuracy', 'precision', 'recall', 'f1']) {
        expect(m.metrics[k]).toBeGreaterThanOrEqual(0);
        expect(m.metrics[k]).toBeLessThanOrEqual(1);
      }
      expect(m.metrics.accuracy).toBeGreaterThan(0.75); // above the 0.69 of always answering ham
    }
    expect(report.topSpam).toHaveLength(10);
    expect(report.topSpam[0].weight).toBeGreaterThan(report.topHam[0].weight);
    expect(r.out).toMatch(/^top spam words: /m);
    expect(existsSync(join(out, 'spam.svg'))).toBe(true);
  });
});

describe('lessons', () => {
  it('losses: MAE and Huber stay near the true line, MSE is pulled by the outliers', async () => {
    const r = await cli('lesson', 'losses', '--steps', '300', '--backend', 'js', '--out', out);
    expect(r.code).toBe(0);
    const slope = (name: string) => Number(new RegExp(`^ {2}${name} +(-?[0-9.]+)`, 'm').exec(r.out)![1]);
    expect(Math.abs(slope('MAE') - 2)).toBeLessThan(0.2);
    expect(Math.abs(slope('Huber') - 2)).toBeLessThan(0.3);
    expect(Math.abs(slope('MSE') - 2)).toBeGreaterThan(1);
    expect(existsSync(join(out, 'lesson-losses.svg'))).toBe(true);
  });

  it('entropy: H(P,Q) = H(P) + KL and training drives KL to 0', async () => {
    const r = await cli('lesson', 'entropy', '--backend', 'js', '--out', out);
    expect(r.code).toBe(0);
    expect(Number(/\| = ([0-9.e+-]+)/.exec(r.out)![1])).toBeLessThan(1e-9);
    expect(num(r.out, 'H\\(P\\) \\+ D_KL  =')).toBeCloseTo(num(r.out, 'H\\(P,Q\\)       ='), 6);
    expect(Number(/step +199: .*D_KL = ([0-9.e+-]+)/.exec(r.out)![1])).toBeLessThan(1e-8);
  });

  it('vanishing: the sigmoid net\'s first layer gets a far smaller share of the gradient than ReLU\'s', async () => {
    const r = await cli('lesson', 'vanishing', '--depth', '6', '--width', '16', '--steps', '10', '--limit', '128', '--backend', 'js', '--out', out);
    expect(r.code).toBe(0);
    const ratio = (act: string) => Number(new RegExp(`^${act} *: layer 1 / layer 6 gradient ratio ([0-9.e+-]+)`, 'm').exec(r.out)![1]);
    expect(ratio('sigmoid')).toBeLessThan(ratio('relu') / 10);
    expect(existsSync(join(out, 'lesson-vanishing.svg'))).toBe(true);
  });
});

describe('errors are one line and a non-zero exit', () => {
  it.each([
    [['--epochs', 'zero'], /^error: option '--epochs <n>' argument 'zero' is invalid/],
    [['--bogus'], /^error: unknown option '--bogus'/],
    [['--model', 'rnn'], /^error: option '--model <kind>' argument 'rnn' is invalid/],
    [['frobnicate'], /^error: unknown command 'frobnicate'/],
    [['predict', '/no/such.png', '--model', '/no/model.json'], /^error: cannot read \/no\/model.json: no such file$/],
    [['train', '--data', '/no/such/dir', '--backend', 'js'], /^error: --data \/no\/such\/dir: not a directory$/],
    [['lesson', 'nope'], /^error: unknown command 'nope'/],
    [['spam', '--out', '/etc/passwd/x'], /^error: cannot write to --out \/etc\/passwd\/x: a parent is not a directory$/],
  ])('%j', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).not.toBe(0);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(message);
  });

  it('an unreadable image through the real process: one stderr line, exit 1, no stack trace', () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const bad = join(out, 'not-a.png');
    writeFileSync(bad, 'hello');
    const p = spawnSync(process.execPath, ['--conditions=@nabla/source', '--import', 'tsx', main, 'predict', bad, '--model', join(out, 'model.json'), '--backend', 'js'], { encoding: 'utf8' });
    expect(p.status).toBe(1);
    expect(p.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: .*not-a\.png: not a readable PNG/)]);
  });

  it('prints help for every command', () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const help = execFileSync(process.execPath, ['--conditions=@nabla/source', '--import', 'tsx', main, 'spam', '--help'], { encoding: 'utf8' });
    expect(help).toMatch(/^Usage: nabla-trainer spam \[options\]/);
  });
});
