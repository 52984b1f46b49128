/** Registers `spam` on the command line. */
import { type Command, Option } from 'commander';
import { backendOption, intArg, outOption, positiveFloat, seedOption } from '../cli';
import type { Io } from '../util/io';
import { spam } from './train';

export function registerSpam(program: Command, io: Io): void {
  program
    .command('spam')
    .description('train logistic regression and a small MLP to filter spam (SpamAssassin corpus)')
    .option('--epochs <n>', 'passes over the training messages', intArg(1), 6)
    .option('--batch-size <n>', 'mini-batch size', intArg(1), 64)
    .option('--lr <x>', 'Adam learning rate', positiveFloat, 0.005)
    .option('--features <n>', 'hash buckets of the bag of words', intArg(2), 4096)
    .option('--hidden <n>', 'hidden width of the MLP', intArg(1), 32)
    .addOption(new Option('--limit <n>', 'use only the first <n> training messages (and n/4 test), for quick runs').argParser(intArg(1)))
    .addOption(backendOption())
    .addOption(seedOption())
    .addOption(outOption())
    .action(async (opts) => {
      await spam(opts, io);
    });
}
