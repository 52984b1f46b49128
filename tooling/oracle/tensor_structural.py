"""`tensor` group, part 2: reductions, softmax, matmul, views, cat/stack/split/chunk, gather/scatter, oneHot."""
import torch
import torch.nn.functional as F

from oracle_common import FLOATS, I, op_case, shape_str

KD = {'keepdim': True}


def reduction_cases(g):
    cases = []
    # (suffix, nabla args, torch kwargs) for ops with the sum-like signature (dim?, { keepdim }).
    variants = [
        ('all', [], {}),
        ('dim=1', [1], {'dim': 1}),
        ('dim=-1,keepdim', [-1, KD], {'dim': -1, 'keepdim': True}),
        ('dim=[0,2]', [[0, 2]], {'dim': (0, 2)}),
        ('dim=[0,-1],keepdim', [[0, -1], KD], {'dim': (0, -1), 'keepdim': True}),
    ]
    sum_like = {'sum': torch.sum, 'mean': torch.mean, 'amax': torch.amax, 'amin': torch.amin,
                'logSumExp': torch.logsumexp}
    for name, fn in sum_like.items():
        for dtype in FLOATS:
            for suffix, args, kw in variants:
                if name == 'logSumExp' and suffix == 'all':
                    continue  # torch.logsumexp needs dims
                x = g.randn([2, 3, 4], dtype)
                if name in ('amax', 'amin'):
                    x = x.round()  # ties: amax/amin share the gradient evenly
                cases.append(op_case(g, f'{name}/{dtype}/[2,3,4]/{suffix}', 'method', name, [x], args,
                                     lambda a, fn=fn, kw=kw: fn(a, **kw)))
    for dtype in FLOATS:
        big = torch.tensor([[1e4, -1e4, 0], [1000, 1000, -1000]], dtype=getattr(torch, dtype))
        cases.append(op_case(g, f'logSumExp/{dtype}/large', 'method', 'logSumExp', [big], [1],
                             lambda a: torch.logsumexp(a, 1)))
    # prod, max, min: one-dim and full reductions; max/min over one dim take the values of torch.max(x, dim).
    for dtype in FLOATS:
        for suffix, args, kw in variants[:3]:
            x = g.uniform([2, 3, 4], 0.5, 1.5, dtype)
            cases.append(op_case(g, f'prod/{dtype}/[2,3,4]/{suffix}', 'method', 'prod', [x], args,
                                 lambda a, kw=kw: torch.prod(a, **kw)))
        z = torch.tensor([[2.0, 0.0, 3.0], [1.5, 2.0, -1.0]], dtype=getattr(torch, dtype))
        cases.append(op_case(g, f'prod/{dtype}/[2,3]/zero/dim=1', 'method', 'prod', [z], [1], lambda a: torch.prod(a, 1)))
        for name, fn in (('max', torch.max), ('min', torch.min)):
            x = g.randn([2, 3, 4], dtype)
            cases.append(op_case(g, f'{name}/{dtype}/[2,3,4]/all', 'method', name, [x], [], fn))
            cases.append(op_case(g, f'{name}/{dtype}/[2,3,4]/dim=1', 'method', name, [x], [1],
                                 lambda a, fn=fn: fn(a, 1).values))
            cases.append(op_case(g, f'{name}/{dtype}/[2,3,4]/dim=-1,keepdim', 'method', name, [x], [-1, KD],
                                 lambda a, fn=fn: fn(a, -1, keepdim=True).values))
            t = torch.tensor([[1.0, 3.0, 3.0], [-2.0, -2.0, 0.5]], dtype=getattr(torch, dtype))
            # full max/min with ties: torch 1.13 distributes the gradient evenly among the tied elements
            cases.append(op_case(g, f'{name}/{dtype}/[2,3]/ties/all', 'method', name, [t], [], fn))
    # argmax/argmin: int32 result, first index on ties.
    for name, fn in (('argmax', torch.argmax), ('argmin', torch.argmin)):
        x = g.randn([2, 3, 4]).round()
        cases.append(op_case(g, f'{name}/float32/[2,3,4]/all', 'method', name, [x], [], fn))
        cases.append(op_case(g, f'{name}/float32/[2,3,4]/dim=1', 'method', name, [x], [1], lambda a, fn=fn: fn(a, 1)))
        cases.append(op_case(g, f'{name}/float32/[2,3,4]/dim=-1,keepdim', 'method', name, [x], [-1, KD],
                             lambda a, fn=fn: fn(a, -1, keepdim=True)))
        t = torch.tensor([[1, 3, 3, 0], [-2, -2, 0, -2]], dtype=torch.int32)
        cases.append(op_case(g, f'{name}/int32/[2,4]/ties/dim=1', 'method', name, [t], [1], lambda a, fn=fn: fn(a, 1)))
    # var/std: unbiased by default, { correction: 0 } for the population estimate.
    for name, fn in (('var', torch.var), ('std', torch.std)):
        for dtype in FLOATS:
            x = g.randn([2, 3, 4], dtype)
            vs = [
                ('all', [], {}),
                ('all,correction=0', [None, {'correction': 0}], {'unbiased': False}),
                ('dim=1', [1], {'dim': 1}),
                ('dim=1,correction=0', [1, {'correction': 0}], {'dim': 1, 'unbiased': False}),
                ('dim=[0,2],keepdim', [[0, 2], KD], {'dim': (0, 2), 'keepdim': True}),
                ('dim=-1,unbiased=false,keepdim', [-1, {'unbiased': False, 'keepdim': True}],
                 {'dim': -1, 'unbiased': False, 'keepdim': True}),
            ]
            for suffix, args, kw in vs:
                cases.append(op_case(g, f'{name}/{dtype}/[2,3,4]/{suffix}', 'method', name, [x], args,
                                     lambda a, fn=fn, kw=kw: fn(a, **kw)))
    # sum of int/bool stays integral (torch int64 -> int32 here).
    cases.append(op_case(g, 'sum/int32/[3,4]/all', 'method', 'sum', [g.randint([3, 4], -5, 6, torch.int32)], [],
                         torch.sum))
    cases.append(op_case(g, 'sum/int32/[3,4]/dim=0', 'method', 'sum', [g.randint([3, 4], -5, 6, torch.int32)], [0],
                         lambda a: torch.sum(a, 0)))
    cases.append(op_case(g, 'sum/bool/[3,4]/dim=1', 'method', 'sum', [g.bools([3, 4])], [1], lambda a: torch.sum(a, 1)))
    for name, fn in (('softmax', torch.softmax), ('logSoftmax', torch.log_softmax)):
        for dtype in FLOATS:
            x = g.randn([2, 3, 4], dtype)
            for d in (-1, 1, 0):
                cases.append(op_case(g, f'{name}/{dtype}/[2,3,4]/dim={d}', 'method', name, [x], [d],
                                     lambda a, fn=fn, d=d: fn(a, d)))
            big = torch.tensor([[1e4, -1e4, 0], [1000, 1000, -1000]], dtype=getattr(torch, dtype))
            cases.append(op_case(g, f'{name}/{dtype}/large/dim=-1', 'method', name, [big], [-1],
                                 lambda a, fn=fn: fn(a, -1)))
    return cases


def matmul_cases(g):
    cases = []
    shapes = [([4], [4]), ([4], [4, 3]), ([3, 4], [4]), ([3, 4], [4, 5]), ([2, 3, 4], [2, 4, 5]),
              ([2, 1, 3, 4], [3, 4, 2]), ([2, 3, 4], [4, 5]), ([4], [2, 4, 3]), ([1, 4], [4, 1])]
    for dtype in FLOATS:
        for sa, sb in shapes:
            a, b = g.randn(sa, dtype), g.randn(sb, dtype)
            cases.append(op_case(g, f'matmul/{dtype}/{shape_str(sa)},{shape_str(sb)}', 'method', 'matmul',
                                 [a, b], [I(1)], torch.matmul))
    return cases


def _slice(dim, start, end, step):
    def fn(a):
        idx = [slice(None)] * dim + [slice(start, end, step)]
        return a[tuple(idx)]
    return fn


def view_cases(g):
    cases = []
    views = [
        ('reshape', [2, 3, 4], [[4, 6]], lambda a: a.reshape(4, 6)),
        ('reshape', [2, 3, 4], [[-1, 4]], lambda a: a.reshape(-1, 4)),
        ('reshape', [2, 3, 4], [[24]], lambda a: a.reshape(24)),
        ('reshape', [1], [[]], lambda a: a.reshape(())),
        ('permute', [2, 3, 4], [[2, 0, 1]], lambda a: a.permute(2, 0, 1)),
        ('permute', [2, 3, 4], [[-1, 0, 1]], lambda a: a.permute(-1, 0, 1)),
        ('transpose', [2, 3, 4], [0, 2], lambda a: a.transpose(0, 2)),
        ('transpose', [3, 4], [-1, -2], lambda a: a.transpose(-1, -2)),
        ('t', [3, 4], [], lambda a: a.t()),
        ('expand', [3, 1], [[3, 4]], lambda a: a.expand(3, 4)),
        ('expand', [3, 1], [[2, -1, 4]], lambda a: a.expand(2, -1, 4)),
        ('expand', [], [[2, 3]], lambda a: a.expand(2, 3)),
        ('narrow', [4, 5], [1, 1, 3], lambda a: a.narrow(1, 1, 3)),
        ('narrow', [4, 5], [0, 2, 2], lambda a: a.narrow(0, 2, 2)),
        ('select', [2, 3, 4], [1, 2], lambda a: a.select(1, 2)),
        ('select', [2, 3, 4], [-1, -1], lambda a: a.select(-1, -1)),
        ('slice', [4, 7], [1, 1, 6, 2], _slice(1, 1, 6, 2)),
        ('slice', [4, 7], [1, -3, None, 1], _slice(1, -3, None, 1)),
        ('slice', [6, 3], [0, None, None, 3], _slice(0, None, None, 3)),
        ('slice', [4, 7], [-1, 0, 100, 1], _slice(1, 0, 100, 1)),
        ('flatten', [2, 3, 4], [], lambda a: a.flatten()),
        ('flatten', [2, 3, 4], [1], lambda a: a.flatten(1)),
        ('flatten', [2, 3, 4, 5], [1, 2], lambda a: a.flatten(1, 2)),
        ('squeeze', [1, 3, 1, 4], [], lambda a: a.squeeze()),
        ('squeeze', [1, 3, 1, 4], [2], lambda a: a.squeeze(2)),
        ('squeeze', [1, 3, 1, 4], [1], lambda a: a.squeeze(1)),  # not size 1: a no-op, as torch
        ('unsqueeze', [3, 4], [0], lambda a: a.unsqueeze(0)),
        ('unsqueeze', [3, 4], [-1], lambda a: a.unsqueeze(-1)),
        ('unsqueeze', [3, 4], [1], lambda a: a.unsqueeze(1)),
    ]
    for dtype in FLOATS:
        for name, shape, args, fn in views:
            x = g.randn(shape, dtype)
            suffix = ','.join('null' if a is None else str(a).replace(' ', '') for a in args)
            cases.append(op_case(g, f'{name}/{dtype}/{shape_str(shape)}/({suffix})', 'method', name, [x], args, fn))
    return cases


def join_cases(g):
    cases = []
    for dtype in FLOATS:
        for d in (0, 1, -1):
            a, b = g.randn([2, 3], dtype), g.randn([2, 3], dtype)
            cases.append(op_case(g, f'stack/{dtype}/[2,3]x2/dim={d}', 'function', 'stack', [a, b], [[I(0), I(1)], d],
                                 lambda x, y, d=d: torch.stack([x, y], d)))
        a, b, c = g.randn([2, 3], dtype), g.randn([4, 3], dtype), g.randn([1, 3], dtype)
        cases.append(op_case(g, f'cat/{dtype}/[2,3],[4,3],[1,3]/dim=0', 'function', 'cat', [a, b, c],
                             [[I(0), I(1), I(2)], 0], lambda x, y, z: torch.cat([x, y, z], 0)))
        a, b = g.randn([2, 3, 2], dtype), g.randn([2, 3, 5], dtype)
        cases.append(op_case(g, f'cat/{dtype}/[2,3,2],[2,3,5]/dim=-1', 'function', 'cat', [a, b],
                             [[I(0), I(1)], -1], lambda x, y: torch.cat([x, y], -1)))
        a, b = g.randn([2, 1, 3], dtype), g.randn([2, 2, 3], dtype)
        cases.append(op_case(g, f'cat/{dtype}/[2,1,3],[2,2,3]/dim=1', 'function', 'cat', [a, b],
                             [[I(0), I(1)], 1], lambda x, y: torch.cat([x, y], 1)))
        # split/chunk return lists: one case per piece, selected by call.outputIndex.
        x = g.randn([3, 7], dtype)
        for k in range(4):
            cases.append(op_case(g, f'split/{dtype}/[3,7]/(2,1)/{k}', 'method', 'split', [x], [2, 1],
                                 lambda a: torch.split(a, 2, 1), output_index=k))
        for k in range(3):
            cases.append(op_case(g, f'split/{dtype}/[3,7]/([1,4,2],-1)/{k}', 'method', 'split', [x], [[1, 4, 2], -1],
                                 lambda a: torch.split(a, [1, 4, 2], -1), output_index=k))
        y = g.randn([5, 2], dtype)
        for k in range(3):  # chunk(3) of 5 rows: sizes 2, 2, 1
            cases.append(op_case(g, f'chunk/{dtype}/[5,2]/(3,0)/{k}', 'method', 'chunk', [y], [3, 0],
                                 lambda a: torch.chunk(a, 3, 0), output_index=k))
    return cases


def index_cases(g):
    cases = []
    for dtype in FLOATS:
        x = g.randn([3, 4], dtype)
        idx = torch.tensor([[0, 3], [1, 1], [2, 0]])  # repeated index: gradients accumulate
        cases.append(op_case(g, f'gather/{dtype}/[3,4]/dim=1', 'method', 'gather', [x, idx], [1, I(1)],
                             lambda a, i: torch.gather(a, 1, i)))
        idx0 = torch.tensor([[2, 0, 1, 2], [0, 0, 2, 1]])
        cases.append(op_case(g, f'gather/{dtype}/[3,4]/dim=0', 'method', 'gather', [x, idx0], [0, I(1)],
                             lambda a, i: torch.gather(a, 0, i)))
        base, src = g.randn([3, 5], dtype), g.randn([3, 2], dtype)
        sidx = torch.tensor([[0, 0], [4, 1], [2, 3]])  # duplicate target in row 0: values add up
        cases.append(op_case(g, f'scatterAdd/{dtype}/[3,5]/dim=1', 'method', 'scatterAdd', [base, sidx, src],
                             [1, I(1), I(2)], lambda b, i, s: torch.scatter_add(b, 1, i, s)))
        base0, src0 = g.randn([4, 3], dtype), g.randn([2, 3], dtype)
        sidx0 = torch.tensor([[3, 0, 3], [3, 1, 0]])
        cases.append(op_case(g, f'scatterAdd/{dtype}/[4,3]/dim=0', 'method', 'scatterAdd', [base0, sidx0, src0],
                             [0, I(1), I(2)], lambda b, i, s: torch.scatter_add(b, 0, i, s)))
        y = g.randn([4, 3], dtype)
        cases.append(op_case(g, f'indexSelect/{dtype}/[4,3]/dim=0', 'method', 'indexSelect',
                             [y, torch.tensor([0, 2, 2, 3])], [0, I(1)], lambda a, i: torch.index_select(a, 0, i)))
        cases.append(op_case(g, f'indexSelect/{dtype}/[4,3]/dim=-1', 'method', 'indexSelect',
                             [y, torch.tensor([2, 0])], [-1, I(1)], lambda a, i: torch.index_select(a, -1, i)))
    cases.append(op_case(g, 'oneHot/int32/[5]/4', 'function', 'oneHot', [torch.tensor([0, 3, 1, 3, 2])], [I(0), 4],
                         lambda i: F.one_hot(i, 4)))
    cases.append(op_case(g, 'oneHot/int32/[2,3]/5', 'function', 'oneHot', [torch.tensor([[4, 0, 1], [2, 2, 3]])],
                         [I(0), 5], lambda i: F.one_hot(i, 5)))
    return cases
