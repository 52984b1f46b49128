"""The `safetensors` group: a small torch MLP written as fixtures/mlp.safetensors plus its JSON twin."""
import os

import torch
import torch.nn as nn

import safetensors_io
from oracle_common import FIXTURES, Gen, enc, write_group

MODEL = 'Sequential(Linear(4, 8), ReLU(), Linear(8, 3))'
METADATA = {'format': 'pt', 'producer': 'nabla oracle (tooling/oracle/gen_safetensors.py)'}


def make_model():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))


def generate():
    torch.manual_seed(5)
    model = make_model()
    g = Gen(55)
    x = g.randn([5, 4])
    path = os.path.join(FIXTURES, 'mlp.safetensors')
    os.makedirs(FIXTURES, exist_ok=True)
    safetensors_io.write(path, {k: v.numpy() for k, v in model.state_dict().items()}, METADATA)

    out = model(x)
    out.sum().backward()
    # Self-check: reading the file back into a fresh model reproduces the output bit for bit.
    back, meta = safetensors_io.read(path)
    fresh = make_model()
    fresh.load_state_dict({k: torch.from_numpy(v) for k, v in back.items()})
    assert torch.equal(fresh(x), out.detach()) and meta == METADATA

    return write_group('safetensors', {
        'file': 'mlp.safetensors', 'model': MODEL,
        'tensors': {k: enc(v) for k, v in model.state_dict().items()}, 'metadata': METADATA,
        'input': enc(x), 'output': enc(out), 'grads': {k: enc(p.grad) for k, p in model.named_parameters()},
    })
