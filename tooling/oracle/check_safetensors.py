"""Loads a safetensors state dict (e.g. one nabla wrote) into the torch MLP and prints its output as JSON.

  /usr/bin/python3 tooling/oracle/check_safetensors.py FILE [--input JSON] [--out JSON] [--note TEXT]

The model is gen_safetensors.MODEL; the input batch defaults to fixtures/safetensors.json's. With --out the
result is also written there (fixtures/roundtrip.json is the committed evidence).
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import safetensors_io  # noqa: E402
from gen_safetensors import make_model  # noqa: E402
from oracle_common import FIXTURES, enc  # noqa: E402


def decode(t):
    data = [float(v) if isinstance(v, str) else v for v in t['data']]
    return torch.tensor(data, dtype=getattr(torch, t['dtype'])).reshape(t['shape'])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('file')
    ap.add_argument('--input', default=os.path.join(FIXTURES, 'safetensors.json'))
    ap.add_argument('--out')
    ap.add_argument('--note', default='a safetensors file read by torch through check_safetensors.py')
    a = ap.parse_args()
    tensors, metadata = safetensors_io.read(a.file)
    model = make_model()
    # strict: a missing, unexpected or mis-shaped key is an error, as torch's load_state_dict says
    model.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()})
    with open(a.input) as f:
        x = decode(json.load(f)['input']).to(torch.float32)
    with torch.no_grad():
        out = model(x)
    result = {'group': 'roundtrip', 'torch': torch.__version__, 'file': os.path.relpath(a.file), 'note': a.note,
              'tensors': {k: {'dtype': str(v.dtype), 'shape': list(v.shape)} for k, v in tensors.items()},
              'metadata': metadata, 'input': enc(x), 'output': enc(out)}
    text = json.dumps(result, separators=(',', ':'), allow_nan=False)
    if a.out:
        with open(a.out, 'w') as f:
            f.write(text + '\n')
    print(text)


if __name__ == '__main__':
    main()
