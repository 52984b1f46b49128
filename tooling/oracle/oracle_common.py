"""Shared helpers for the fixture generators: tensor encoding, case recording, file writing.

Every generator builds cases with `op_case`, which runs the torch reference, records the
forward value and, when the op is differentiable, the gradients of sum(output * gradOutput).
"""
import json
import math
import os

import torch

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')

# torch dtypes map onto nabla's four; int64 (torch's default int) is written as int32.
DTYPE_NAMES = {
    torch.float32: 'float32',
    torch.float64: 'float64',
    torch.int32: 'int32',
    torch.int64: 'int32',
    torch.bool: 'bool',
}
TORCH_DTYPES = {'float32': torch.float32, 'float64': torch.float64, 'int32': torch.int32, 'bool': torch.bool}
FLOATS = ('float32', 'float64')


def enc_number(x):
    """JSON has no NaN/Infinity: non-finite floats become strings."""
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, int):
        return x
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    if x == 0 and math.copysign(1.0, x) < 0:
        return -0.0  # JSON keeps "-0.0", and JSON.parse gives -0 (matters for reciprocal, atan2, sign)
    # Integral floats print as ints (1.0 -> 1) to keep files small; JS parses both to the same number.
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def enc(t, requires_grad=None):
    """A torch tensor as {dtype, shape, data} with flat row-major data."""
    t = t.detach()
    if t.dtype not in DTYPE_NAMES:
        raise TypeError(f'unsupported dtype {t.dtype}')
    flat = t.contiguous().reshape(-1).tolist()
    out = {'dtype': DTYPE_NAMES[t.dtype], 'shape': list(t.shape), 'data': [enc_number(v) for v in flat]}
    if requires_grad is not None:
        out['requiresGrad'] = bool(requires_grad)
    return out


def I(i):
    """An argument slot that refers to inputs[i]."""
    return {'input': i}


def shape_str(shape):
    return '[' + ','.join(str(s) for s in shape) + ']'


class Gen:
    """Deterministic value source: one torch.Generator per group, seeded once."""

    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)

    def randn(self, shape, dtype='float32', scale=1.0):
        return (torch.randn(shape, generator=self.g, dtype=torch.float64) * scale).to(TORCH_DTYPES[dtype])

    def uniform(self, shape, lo, hi, dtype='float32'):
        u = torch.rand(shape, generator=self.g, dtype=torch.float64)
        return (lo + (hi - lo) * u).to(TORCH_DTYPES[dtype])

    def randint(self, shape, lo, hi, dtype=torch.int64):
        return torch.randint(lo, hi, shape, generator=self.g).to(dtype)

    def bools(self, shape):
        return torch.rand(shape, generator=self.g) > 0.5


def _is_float(t):
    return t.dtype in (torch.float32, torch.float64)


def op_case(gen, name, kind, fname, inputs, args, fn, requires_grad=None, output_index=None, grad=True):
    """Run `fn(*inputs)` in torch and record one case.

    inputs: torch tensors (float inputs require grad unless `requires_grad` says otherwise).
    args: the nabla argument list, with I(i) for inputs.
    fn: the torch reference, taking the input tensors in order.
    output_index: set when the op returns a list and the case checks result[output_index].
    """
    if requires_grad is None:
        requires_grad = [grad and _is_float(t) for t in inputs]
    leaves = []
    for t, rg in zip(inputs, requires_grad):
        leaf = t.detach().clone()
        if rg:
            leaf.requires_grad_(True)
        leaves.append(leaf)
    out = fn(*leaves)
    if output_index is not None:
        out = out[output_index]
    case = {
        'name': name,
        'call': {'kind': kind, 'name': fname},
        'inputs': [enc(t, rg) for t, rg in zip(inputs, requires_grad)],
        'args': args,
        'output': enc(out),
    }
    if output_index is not None:
        case['call']['outputIndex'] = output_index
    if grad and out.requires_grad and _is_float(out):
        g_out = gen.randn(list(out.shape), DTYPE_NAMES[out.dtype])
        (out * g_out).sum().backward()
        case['gradOutput'] = enc(g_out)
        case['grads'] = [
            (enc(leaf.grad) if leaf.grad is not None else enc(torch.zeros_like(leaf))) if rg else None
            for leaf, rg in zip(leaves, requires_grad)
        ]
    return case


def write_group(group, payload):
    """Write fixtures/<group>.json with the torch version first; returns the case count."""
    os.makedirs(FIXTURES, exist_ok=True)
    doc = {'group': group, 'torch': torch.__version__}
    doc.update(payload)
    path = os.path.join(FIXTURES, f'{group}.json')
    with open(path, 'w') as f:
        json.dump(doc, f, separators=(',', ':'), allow_nan=False)
        f.write('\n')
    n = len(doc.get('cases', [])) + len(doc.get('modules', [])) or 1
    print(f'{group}: {n} cases, {os.path.getsize(path) / 1024:.0f} KiB -> {os.path.relpath(path)}')
    return n
