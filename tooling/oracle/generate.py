"""Regenerates every fixture in fixtures/ deterministically: /usr/bin/python3 tooling/oracle/generate.py [group...]"""
import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_layers  # noqa: E402
import gen_losses  # noqa: E402
import gen_optimizers  # noqa: E402
import gen_safetensors  # noqa: E402
import gen_tensor  # noqa: E402

GROUPS = {
    'tensor': gen_tensor.generate,
    'losses': gen_losses.generate,
    'optimizers': gen_optimizers.generate,
    'layers': gen_layers.generate,
    'safetensors': gen_safetensors.generate,
}


def main(argv):
    warnings.filterwarnings('ignore', category=UserWarning)  # kl_div's note on 'mean'
    torch.manual_seed(0)
    torch.set_num_threads(1)  # single-threaded reductions sum in one fixed order
    wanted = argv or list(GROUPS)
    for name in wanted:
        if name not in GROUPS:
            sys.exit(f'unknown group {name}; expected one of {", ".join(GROUPS)}')
        GROUPS[name]()


if __name__ == '__main__':
    main(sys.argv[1:])
