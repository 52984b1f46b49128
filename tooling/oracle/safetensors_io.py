"""A minimal safetensors reader/writer on numpy + json + struct (no safetensors package).

Layout: 8-byte little-endian header length N, N bytes of JSON header
{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}, then the raw
little-endian tensor bytes; offsets are relative to the end of the header.
"""
import json
import struct

import numpy as np

DTYPES = {'F64': '<f8', 'F32': '<f4', 'F16': '<f2', 'I64': '<i8', 'I32': '<i4', 'I16': '<i2', 'I8': 'i1',
          'U8': 'u1', 'BOOL': '?'}
CODES = {np.dtype(v).str if k != 'BOOL' else '|b1': k for k, v in DTYPES.items()}


def write(path, tensors, metadata=None):
    """tensors: {name: numpy array}; written in name order, header padded with spaces to 8 bytes."""
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name])
        a = a.astype(a.dtype.newbyteorder('<'))
        raw = a.tobytes()
        header[name] = {'dtype': CODES[a.dtype.str], 'shape': list(a.shape), 'data_offsets': [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if metadata:
        header['__metadata__'] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)  # align the data section to 8 bytes, as the reference writer does
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


def read(path):
    """Returns ({name: numpy array}, metadata) and checks offsets cover the data section exactly."""
    with open(path, 'rb') as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f'{path}: too short for a safetensors file')
    (n,) = struct.unpack('<Q', blob[:8])
    header = json.loads(blob[8:8 + n].decode('utf-8'))
    data = blob[8 + n:]
    metadata = header.pop('__metadata__', {})
    tensors, spans = {}, []
    for name, info in header.items():
        begin, end = info['data_offsets']
        dtype = np.dtype(DTYPES[info['dtype']])
        count = int(np.prod(info['shape'], dtype=np.int64))
        if end - begin != count * dtype.itemsize:
            raise ValueError(f'{name}: {end - begin} bytes for shape {info["shape"]} {info["dtype"]}')
        tensors[name] = np.frombuffer(data[begin:end], dtype=dtype).reshape(info['shape']).copy()
        spans.append((begin, end))
    spans.sort()
    pos = 0
    for begin, end in spans:
        if begin != pos:
            raise ValueError(f'{path}: gap or overlap in data at byte {pos}')
        pos = end
    if pos != len(data):
        raise ValueError(f'{path}: {len(data) - pos} trailing bytes after the last tensor')
    return tensors, metadata
