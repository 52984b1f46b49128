// One native build in build/ at a time: install.mjs and prebuild.mjs share this directory lock.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Runs `fn` while holding `<pkg>/.build-lock`; a lock older than 15 minutes was left by a killed build. */
export function withBuildLock(pkg, fn) {
  const lock = join(pkg, '.build-lock');
  for (let i = 0; i < 900; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60 * 1000) rmdirSync(lock);
      } catch {
        // gone meanwhile: retry
      }
      spawnSync('sleep', ['1']);
    }
  }
  try {
    return fn();
  } finally {
    rmdirSync(lock);
  }
}
