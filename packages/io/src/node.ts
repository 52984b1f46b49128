/** Node file helpers for safetensors (kept out of the main entry so it stays browser-safe). */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Tensor } from '@nabla/tensor';
import { parseSafetensors, saveSafetensors, type SafetensorsFile } from './safetensors';

/** Writes a record of tensors to `path` as safetensors. */
export function saveFile(path: string, record: Record<string, Tensor>, options: { metadata?: Record<string, string> } = {}): void {
  writeFileSync(path, saveSafetensors(record, options));
}

/** Reads a safetensors file into tensors and metadata. */
export function loadFile(path: string): SafetensorsFile {
  return parseSafetensors(readFileSync(path));
}
