/** Rebuilds a saved digit classifier from its JSON description and .safetensors weights. */
import { parseSafetensors } from '@nabla/io';
import type { Module } from '@nabla/layers';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError, oneLine } from '../util/errors';
import { readBytes, readJson } from '../util/files';
import { buildModel, checkModelInfo, type ModelInfo } from './model';

/** `FILE` may be the model's .json or its .safetensors (the JSON is then found beside it). */
function jsonPathFor(file: string): string {
  if (file.endsWith('.json')) return file;
  const sibling = join(dirname(file), `${basename(file).replace(/\.safetensors$/, '')}.json`);
  if (existsSync(sibling)) return sibling;
  const fallback = join(dirname(file), 'model.json');
  if (existsSync(fallback)) return fallback;
  if (!existsSync(file)) throw new AppError(`cannot read ${file}: no such file`);
  throw new AppError(`${file}: no model description (.json) next to it`);
}

export function loadModel(file: string): { info: ModelInfo; model: Module } {
  const jsonPath = jsonPathFor(file);
  const info = checkModelInfo(readJson(jsonPath), jsonPath);
  const weightsPath = join(dirname(jsonPath), info.weights);
  let tensors;
  try {
    tensors = parseSafetensors(readBytes(weightsPath)).tensors;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(`${weightsPath}: ${oneLine(e)}`);
  }
  const model = buildModel(info.architecture);
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    throw new AppError(`${weightsPath} does not fit the architecture in ${jsonPath}: ${oneLine(e)}`);
  }
  model.eval();
  return { info, model };
}
