/**
 * The command line: `train` (the default), `evaluate`, `predict`, `export-digit`, `spam` and
 * `lesson`. Every error is one line on stderr and a non-zero exit code, never a stack trace.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { BACKENDS } from './backend';
import { evaluateCommand } from './commands/evaluate';
import { exportDigit } from './commands/export-digit';
import { predictCommand } from './commands/predict';
import { OPTIMIZERS, train } from './commands/train';
import { MODEL_KINDS } from './mnist/model';
import { oneLine } from './util/errors';
import type { Io } from './util/io';
import { registerSpam } from './spam/command';
import { registerLesson } from './lesson/command';

export const DEFAULT_OUT = 'out';

export function intArg(min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^[+-]?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

export function positiveFloat(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function sizesArg(v: string): number[] {
  const parts = v.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) throw new InvalidArgumentError('expected comma-separated positive integers, e.g. 256,128');
  return parts.map(Number);
}

export const backendOption = () => new Option('--backend <name>', 'compute backend (default: the fastest that starts: native, wasm, js)').choices(BACKENDS);
export const seedOption = () => new Option('--seed <n>', 'random seed (data split, initialisation, shuffling)').argParser(intArg(0)).default(0);
export const outOption = () => new Option('--out <dir>', 'output directory').default(DEFAULT_OUT);

export function buildProgram(io: Io): Command {
  const program = new Command('nabla-trainer')
    .description('Trains and runs small neural networks with nabla: MNIST digits, a spam filter, and the lesson experiments.')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      // Commander's messages are already one line; keep only that line and point to the help.
      outputError: (s, write) => write(`${s.split('\n')[0]} (see --help)`),
    });

  program
    .command('train', { isDefault: true })
    .description('train a digit classifier on MNIST (the default command)')
    .addOption(new Option('--model <kind>', 'architecture').choices(MODEL_KINDS).default('mlp'))
    .option('--epochs <n>', 'passes over the training set (default: 10 for mlp, 4 for cnn)', intArg(1))
    .option('--batch-size <n>', 'mini-batch size', intArg(1), 64)
    .option('--lr <x>', 'learning rate (default: 0.05 for sgd, 0.001 for adam)', positiveFloat)
    .addOption(new Option('--optimizer <name>', 'optimizer (sgd has momentum 0.9)').choices(OPTIMIZERS).default('sgd'))
    .addOption(backendOption())
    .addOption(seedOption())
    .addOption(outOption())
    .option('--data <dir>', 'train on the full MNIST from its four IDX files in <dir> (60,000 train / 10,000 test)')
    .option('--limit <n>', 'use only the first <n> training digits (and n/4 test digits), for quick runs', intArg(1))
    .option('--shift <px>', 'augment: shift training digits by up to <px> pixels, anew each epoch (0 = off)', intArg(0), 1)
    .option('--hidden <sizes>', 'hidden layer widths of the mlp, e.g. 256,128 (default 256)', sizesArg)
    .action(async (opts) => {
      await train(opts, io);
    });

  program
    .command('evaluate')
    .description("report a saved model's test accuracy and confusion matrix")
    .addOption(new Option('--model <file>', 'model .json or .safetensors written by train').default(`${DEFAULT_OUT}/model.json`))
    .addOption(backendOption())
    .option('--data <dir>', 'evaluate on the t10k IDX files in <dir>')
    .option('--limit <n>', 'evaluate only the first n/4 test digits', intArg(1))
    .action(async (opts) => {
      await evaluateCommand(opts, io);
    });

  program
    .command('predict')
    .description('print the class probabilities of a digit image (PNG, 28×28 or larger, grayscale)')
    .argument('<image>', 'PNG file; larger images are cropped to the digit, scaled and centred like MNIST')
    .addOption(new Option('--model <file>', 'model .json or .safetensors written by train').default(`${DEFAULT_OUT}/model.json`))
    .addOption(backendOption())
    .action(async (image: string, opts) => {
      await predictCommand({ ...opts, image }, io);
    });

  program
    .command('export-digit')
    .description('write a digit of the test split as a PNG (to try predict on)')
    .option('--index <i>', 'position in the test split', intArg(0), 0)
    .addOption(seedOption())
    .option('--data <dir>', 'take the digit from the t10k IDX files in <dir>')
    .option('--file <png>', 'output file (default: <out>/digit-<i>-label-<label>.png)')
    .addOption(outOption())
    .action((opts) => {
      exportDigit({ index: opts.index, seed: opts.seed, data: opts.data, out: opts.file, outDir: opts.out }, io);
    });

  registerSpam(program, io);
  registerLesson(program, io);
  return program;
}

/** Runs the app on `argv` (without the node and script entries); resolves to the exit code. */
export async function run(args: readonly string[], io: Io): Promise<number> {
  // `pnpm start -- evaluate` hands the `--` through; it is not an argument.
  const argv = args[0] === '--' ? args.slice(1) : args;
  const program = buildProgram(io);
  // `train` is the default command, so commander would read a mistyped command as an argument to it.
  const first = argv[0];
  const names = program.commands.map((c) => c.name());
  if (first !== undefined && !first.startsWith('-') && !names.includes(first) && first !== 'help') {
    io.err(`error: unknown command '${first}' (commands: ${names.join(', ')}; see --help)`);
    return 1;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    io.err(`error: ${oneLine(e)}`);
    if (process.env.NABLA_DEBUG && e instanceof Error && e.stack) io.err(e.stack);
    return 1;
  }
}
