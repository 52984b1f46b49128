/**
 * One progress bar per epoch (loss, accuracy, samples/s, ETA) with cli-progress on a terminal;
 * when stdout is not a TTY (CI, pipes) a single plain line per epoch instead.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { Io } from './io';

export interface EpochStats {
  loss: number;
  accuracy: number;
}

export interface EpochProgress {
  /** `done` samples of the epoch are finished; loss and accuracy are running means. */
  update(done: number, stats: EpochStats): void;
  /** Ends the bar; `seconds` is the epoch's training time (default: since the bar started). Returns samples per second. */
  stop(stats: EpochStats & { extra?: string; seconds?: number }): number;
}

export function epochProgress(io: Io, epoch: number, epochs: number, total: number): EpochProgress {
  const start = performance.now();
  const rate = (done: number) => done / Math.max(1e-9, (performance.now() - start) / 1000);
  const label = `epoch ${String(epoch).padStart(String(epochs).length)}/${epochs}`;
  const payload = (done: number, s: EpochStats) => ({
    label,
    loss: Number.isFinite(s.loss) ? s.loss.toFixed(4) : '  -   ',
    acc: Number.isFinite(s.accuracy) ? s.accuracy.toFixed(4) : '  -   ',
    rate: Math.round(rate(done)).toString(),
  });
  const tty = io.progressStream.isTTY === true;
  const bar = tty
    ? new SingleBar(
        {
          format: '{label} {bar} {percentage}% | loss {loss} | acc {acc} | {rate} samples/s | ETA {eta_formatted}',
          stream: io.progressStream,
          hideCursor: true,
          barsize: 24,
          etaBuffer: 50,
          fps: 10,
        },
        Presets.shades_classic,
      )
    : null;
  bar?.start(total, 0, payload(0, { loss: NaN, accuracy: NaN }));
  return {
    update(done, stats) {
      bar?.update(done, payload(done, stats));
    },
    stop(stats) {
      const seconds = stats.seconds ?? (performance.now() - start) / 1000;
      const r = total / Math.max(1e-9, seconds);
      if (bar) {
        bar.update(total, payload(total, stats));
        bar.stop();
      }
      const secs = seconds.toFixed(1);
      const line = `${label}  loss ${stats.loss.toFixed(4)}  acc ${stats.accuracy.toFixed(4)}  ${Math.round(r)} samples/s  ${secs}s${stats.extra ? `  ${stats.extra}` : ''}`;
      // On a terminal the bar already shows the epoch; print the held-out numbers below it.
      if (!tty) io.out(line);
      else if (stats.extra) io.out(`  ${stats.extra}`);
      return r;
    },
  };
}
