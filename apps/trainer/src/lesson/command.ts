/** Registers `lesson vanishing|losses|entropy` on the command line. */
import type { Command } from 'commander';
import { backendOption, intArg, outOption, positiveFloat, seedOption } from '../cli';
import { useBackend } from '../backend';
import { prepareOutDir } from '../util/files';
import type { Io } from '../util/io';
import { lessonEntropy } from './entropy';
import { lessonLosses } from './losses';
import { lessonVanishing } from './vanishing';

export function registerLesson(program: Command, io: Io): void {
  // Every experiment: make the output folder, start the chosen backend, run.
  const experiment =
    <O extends { out: string; backend?: string }>(run: (opts: O, io: Io) => Promise<unknown>) =>
    async (opts: O): Promise<void> => {
      prepareOutDir(opts.out);
      await useBackend(opts.backend);
      await run(opts, io);
    };
  const lesson = program.command('lesson').description('the lesson experiments: vanishing, losses, entropy (each prints numbers and writes an SVG chart)');
  lesson
    .command('vanishing')
    .description('per-layer gradient norms of a deep sigmoid network vs the same network with ReLU')
    .option('--depth <n>', 'Linear layers', intArg(2), 10)
    .option('--width <n>', 'hidden width', intArg(1), 64)
    .option('--steps <n>', 'SGD steps', intArg(1), 300)
    .option('--lr <x>', 'SGD learning rate', positiveFloat, 0.02)
    .option('--limit <n>', 'MNIST training digits used', intArg(64), 2000)
    .addOption(backendOption())
    .addOption(seedOption())
    .addOption(outOption())
    .action(experiment(lessonVanishing));
  lesson
    .command('losses')
    .description('fit a line to data with outliers under MSE, MAE and Huber')
    .option('--steps <n>', 'Adam steps per fit', intArg(1), 500)
    .addOption(backendOption())
    .addOption(seedOption())
    .addOption(outOption())
    .action(experiment(lessonLosses));
  lesson
    .command('entropy')
    .description('H(P,Q) = H(P) + KL(P‖Q) computed by the library, and cross-entropy training driving KL to 0')
    .option('--steps <n>', 'SGD steps', intArg(1), 200)
    .addOption(backendOption())
    .addOption(outOption())
    .action(experiment(lessonEntropy));
}
