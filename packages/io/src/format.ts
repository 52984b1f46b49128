/**
 * The safetensors container, byte level: an 8-byte little-endian header length,
 * a JSON header `{ name: { dtype, shape, data_offsets }, __metadata__? }`, then
 * the raw little-endian tensor bytes. Everything read from a file is checked
 * before it sizes an allocation or indexes the buffer.
 */
import { NablaError, fmtShape } from '@nabla/core';

/** Safetensors dtype names this package understands, with their byte widths. */
export const ST_DTYPES = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, BOOL: 1 } as const;
export type StDType = keyof typeof ST_DTYPES;

export interface RawEntry {
  readonly dtype: StDType;
  readonly shape: number[];
  /** The tensor's bytes, a view into the file (no copy). */
  readonly bytes: Uint8Array;
}

export interface RawFile {
  readonly entries: Map<string, RawEntry>;
  readonly metadata: Record<string, string>;
}

/** The largest header we accept: real headers are kilobytes; this bounds a hostile length field. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const OP = 'loadSafetensors';

function fail(message: string): never {
  throw new NablaError(OP, message);
}

export function parseContainer(file: Uint8Array): RawFile {
  if (!(file instanceof Uint8Array)) fail(`expected the file as a Uint8Array, got ${typeof file}`);
  if (file.byteLength < 8) fail(`file is ${file.byteLength} bytes, too short for the 8-byte header length`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerLen = view.getBigUint64(0, true);
  if (headerLen > BigInt(Math.min(MAX_HEADER_BYTES, file.byteLength - 8))) {
    fail(`header length ${headerLen} exceeds the ${file.byteLength - 8} bytes that follow it (file truncated or not safetensors)`);
  }
  const n = Number(headerLen);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON: ${(e as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');

  const data = file.subarray(8 + n);
  const entries = new Map<string, RawEntry>();
  let metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = checkMetadata(info);
      continue;
    }
    const entry = checkEntry(name, info, data);
    spans.push([entry.begin, entry.end, name]);
    entries.set(name, { dtype: entry.dtype, shape: entry.shape, bytes: data.subarray(entry.begin, entry.end) });
  }
  // The format requires the tensors to tile the data section without holes or overlaps.
  spans.sort((a, b) => a[0] - b[0]);
  let cursor = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== cursor) fail(`tensor '${name}' starts at byte ${begin}, expected ${cursor} (overlap or gap in the data section)`);
    cursor = end;
  }
  if (cursor !== data.byteLength) fail(`data section is ${data.byteLength} bytes but the tensors cover ${cursor}`);
  return { entries, metadata };
}

function checkMetadata(info: unknown): Record<string, string> {
  if (typeof info !== 'object' || info === null || Array.isArray(info)) fail('__metadata__ must be an object of strings');
  for (const [k, v] of Object.entries(info)) {
    if (typeof v !== 'string') fail(`__metadata__ value for '${k}' must be a string, got ${typeof v}`);
  }
  return { ...(info as Record<string, string>) };
}

function checkEntry(name: string, info: unknown, data: Uint8Array) {
  if (typeof info !== 'object' || info === null) fail(`entry '${name}' is not an object`);
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in ST_DTYPES)) {
    fail(`tensor '${name}' has unsupported dtype ${String(dtype)} (supported: ${Object.keys(ST_DTYPES).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > data.byteLength) {
    fail(`tensor '${name}' spans bytes ${begin}..${end} but the data section has ${data.byteLength} (file truncated?)`);
  }
  const width = ST_DTYPES[dtype as StDType];
  let count = 1;
  for (const d of shape as number[]) count *= d;
  if (count * width !== end - begin) {
    fail(`tensor '${name}' of shape ${fmtShape(shape as number[])} and dtype ${dtype} needs ${count * width} bytes, the file gives ${end - begin}`);
  }
  return { dtype: dtype as StDType, shape: shape as number[], begin, end };
}

/** Serialises entries (already little-endian bytes) into one safetensors file. */
export function writeContainer(entries: [string, { dtype: StDType; shape: readonly number[]; bytes: Uint8Array }][], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, e] of entries) {
    header[name] = { dtype: e.dtype, shape: [...e.shape], data_offsets: [offset, offset + e.bytes.byteLength] };
    offset += e.bytes.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
  const enc = new TextEncoder();
  let headerBytes = enc.encode(json);
  const pad = (8 - (headerBytes.byteLength % 8)) % 8;
  if (pad) {
    json += ' '.repeat(pad);
    headerBytes = enc.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.byteLength;
  for (const [, e] of entries) {
    out.set(e.bytes, at);
    at += e.bytes.byteLength;
  }
  return out;
}
