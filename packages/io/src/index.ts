/** @nabla/io: safetensors read/write of state dicts, PyTorch-compatible. */
export { saveSafetensors, loadSafetensors, parseSafetensors, halfToFloat, type SafetensorsFile } from './safetensors';
export { MAX_HEADER_BYTES } from './format';
