import type { Command } from 'commander';
import type { Io } from '../util/io';
export function registerSpam(_program: Command, _io: Io): void {}
