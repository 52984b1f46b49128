/** Entry point: `pnpm start [command] [options]`. */
import { run } from './cli';
import { processIo } from './util/io';

process.exitCode = await run(process.argv.slice(2), processIo);
