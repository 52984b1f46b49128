"""`tensor` group, part 1: elementwise ops, comparisons, where, clamp and dtype promotion."""
import torch
import torch.nn.functional as F

from oracle_common import FLOATS, Gen, I, TORCH_DTYPES, op_case, shape_str


def t64(values):
    return torch.tensor(values, dtype=torch.float64)


# Input domains per unary op: (lo, hi) for the random values, chosen where the op is defined and smooth.
UNARY = {
    'neg': (torch.neg, (-3, 3)),
    'abs': (torch.abs, (-3, 3)),
    'sign': (torch.sign, (-3, 3)),
    'exp': (torch.exp, (-3, 3)),
    'log': (torch.log, (0.1, 5)),
    'log1p': (torch.log1p, (-0.9, 5)),
    'expm1': (torch.expm1, (-3, 3)),
    'sqrt': (torch.sqrt, (0.1, 5)),
    'rsqrt': (torch.rsqrt, (0.1, 5)),
    'square': (torch.square, (-3, 3)),
    'reciprocal': (torch.reciprocal, (0.2, 3)),
    'sin': (torch.sin, (-4, 4)),
    'cos': (torch.cos, (-4, 4)),
    'tanh': (torch.tanh, (-3, 3)),
    'sigmoid': (torch.sigmoid, (-5, 5)),
    'logSigmoid': (F.logsigmoid, (-5, 5)),
    'relu': (torch.relu, (-3, 3)),
    'gelu': (F.gelu, (-4, 4)),
    'softplus': (F.softplus, (-5, 5)),
    'erf': (torch.erf, (-3, 3)),
    'floor': (torch.floor, (-3, 3)),
    'ceil': (torch.ceil, (-3, 3)),
    'round': (torch.round, (-3, 3)),
}
# torch gives these zero gradients everywhere; nabla records no graph for them.
NON_DIFFERENTIABLE = {'sign', 'floor', 'ceil', 'round'}

# Hand-picked values where the op has a kink, a tie, a pole or a numerical trap.
UNARY_EDGES = {
    'abs': [-2, -0.5, 0, 0.5, 2],  # d|x|/dx = 0 at 0
    'sign': [-2, -0.0, 0, 3],
    'relu': [-1, 0, 1e-8, 2],  # relu'(0) = 0
    'sqrt': [0, 0.25, 1, 4, -1],  # grad inf at 0, NaN below
    'rsqrt': [0, 0.25, 1, 4],
    'log': [0, 1e-3, 1, 10, -1],  # -inf at 0, NaN below
    'log1p': [-1, -0.5, 0, 1e-8, 100],
    'reciprocal': [0, -0.0, 0.5, -2],
    'exp': [-100, 0, 1, 100],  # overflow to inf in float32
    'expm1': [-50, 1e-8, 0, 50],
    'sigmoid': [-1e4, -100, 0, 100, 1e4],
    'logSigmoid': [-1e4, -100, 0, 100, 1e4],
    'softplus': [-1e4, -30, 0, 19.9, 20.1, 30, 1e4],  # torch switches to x above threshold 20
    'tanh': [-1e4, -20, 0, 20, 1e4],
    'gelu': [-1e4, -10, 0, 10, 1e4],
    'erf': [-6, -1, 0, 1, 6],
    'round': [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999997],  # round half to even
    'floor': [-1.5, -1, -0.0, 0.5, 1],
    'ceil': [-1.5, -1, -0.0, 0.5, 1],
}

BINARY = {
    'add': torch.add,
    'sub': torch.sub,
    'mul': torch.mul,
    'div': torch.div,
    'pow': torch.pow,
    'minimum': torch.minimum,
    'maximum': torch.maximum,
}
COMPARE = {'eq': torch.eq, 'ne': torch.ne, 'lt': torch.lt, 'le': torch.le, 'gt': torch.gt, 'ge': torch.ge}


def unary_cases(g):
    cases = []
    for name, (fn, (lo, hi)) in UNARY.items():
        diff = name not in NON_DIFFERENTIABLE
        for dtype in FLOATS:
            for shape in ([3, 4], []):
                if shape == [] and dtype == 'float64':
                    continue
                x = g.uniform(shape, lo, hi, dtype)
                cases.append(op_case(g, f'{name}/{dtype}/{shape_str(shape)}', 'method', name, [x], [], fn, grad=diff))
            if name in UNARY_EDGES:
                x = t64(UNARY_EDGES[name]).to(TORCH_DTYPES[dtype])
                cases.append(op_case(g, f'{name}/{dtype}/edge', 'method', name, [x], [], fn, grad=diff))
    for dtype in FLOATS:
        x = g.uniform([3, 4], -3, 3, dtype)
        cases.append(op_case(g, f'leakyRelu/{dtype}/[3,4]', 'method', 'leakyRelu', [x], [], F.leaky_relu))
        cases.append(op_case(g, f'leakyRelu/{dtype}/[3,4]/slope=0.2', 'method', 'leakyRelu', [x], [0.2],
                             lambda a: F.leaky_relu(a, 0.2)))
        e = t64([-2, 0, 3]).to(TORCH_DTYPES[dtype])
        cases.append(op_case(g, f'leakyRelu/{dtype}/edge', 'method', 'leakyRelu', [e], [], F.leaky_relu))
        # clamp: the gradient passes where min <= x <= max (boundaries included), so ties are in the data.
        c = t64([-1, -0.5, -0.2, 0, 0.3, 0.5, 0.9, 2]).to(TORCH_DTYPES[dtype])
        cases.append(op_case(g, f'clamp/{dtype}/[8]/min,max', 'method', 'clamp', [c], [-0.5, 0.5],
                             lambda a: torch.clamp(a, -0.5, 0.5)))
        cases.append(op_case(g, f'clamp/{dtype}/[8]/min', 'method', 'clamp', [c], [-0.5],
                             lambda a: torch.clamp(a, min=-0.5)))
        cases.append(op_case(g, f'clamp/{dtype}/[8]/max', 'method', 'clamp', [c], [None, 0.5],
                             lambda a: torch.clamp(a, max=0.5)))
    return cases


def binary_operands(g, name, dtype, sa, sb):
    if name == 'pow':
        return g.uniform(sa, 0.5, 2.5, dtype), g.uniform(sb, -2, 2, dtype)
    if name == 'div':
        b = g.uniform(sb, 0.5, 2, dtype)
        return g.randn(sa, dtype), b * torch.where(g.bools(sb), 1, -1).to(b.dtype)
    a, b = g.randn(sa, dtype), g.randn(sb, dtype)
    if name in ('minimum', 'maximum') and sa == sb:
        b.view(-1)[::3] = a.view(-1)[::3]  # ties: torch splits the gradient in half
    return a, b


def binary_cases(g):
    cases = []
    shapes = [([3, 4], [3, 4]), ([3, 1], [1, 4]), ([2, 3, 4], [4]), ([], [3, 4]), ([2, 1, 4], [3, 1])]
    for name, fn in BINARY.items():
        for dtype in FLOATS:
            for sa, sb in shapes:
                a, b = binary_operands(g, name, dtype, sa, sb)
                cases.append(op_case(g, f'{name}/{dtype}/{shape_str(sa)},{shape_str(sb)}', 'method', name,
                                     [a, b], [I(1)], fn))
            scalars = {'pow': [2, 0.5, 3, -1], 'minimum': [0.5, 0], 'maximum': [0.5, 0]}.get(name, [2.5, -3])
            for s in scalars:
                a = g.uniform([3, 4], 0.5, 2.5, dtype) if name == 'pow' else g.randn([3, 4], dtype)
                if name in ('minimum', 'maximum'):
                    a.view(-1)[::4] = s  # ties with the scalar: half the gradient each side
                cases.append(op_case(g, f'{name}/{dtype}/[3,4]/scalar={s}', 'method', name, [a], [s],
                                     lambda x, s=s, fn=fn: fn(x, torch.tensor(s, dtype=x.dtype))))
    for dtype in FLOATS:
        # integer powers of negative bases are real; x^0.5 of a negative is NaN.
        a = t64([-2, -1, 0, 1, 3]).to(TORCH_DTYPES[dtype])
        for s in (2, 3, 0.5):
            cases.append(op_case(g, f'pow/{dtype}/edge/scalar={s}', 'method', 'pow', [a], [s],
                                 lambda x, s=s: torch.pow(x, s)))
    for name, fn in COMPARE.items():
        for dtype in ('float32', 'int32'):
            if dtype == 'int32':
                a, b = g.randint([3, 4], -2, 3, torch.int32), g.randint([3, 4], -2, 3, torch.int32)
            else:
                a, b = g.randn([3, 4], dtype).round(), g.randn([3, 4], dtype).round()  # rounding makes ties
            cases.append(op_case(g, f'{name}/{dtype}/[3,4],[3,4]', 'method', name, [a, b], [I(1)], fn))
        a, b = g.randn([3, 1]).round(), g.randn([4]).round()
        cases.append(op_case(g, f'{name}/float32/[3,1],[4]', 'method', name, [a, b], [I(1)], fn))
        a = g.randn([3, 4]).round()
        cases.append(op_case(g, f'{name}/float32/[3,4]/scalar=0', 'method', name, [a], [0], lambda x: fn(x, 0)))
    for name, fn in (('logicalAnd', torch.logical_and), ('logicalOr', torch.logical_or)):
        a, b = g.bools([3, 4]), g.bools([3, 4])
        cases.append(op_case(g, f'{name}/bool/[3,4],[3,4]', 'method', name, [a, b], [I(1)], fn))
        a, b = g.bools([3, 1]), g.bools([4])
        cases.append(op_case(g, f'{name}/bool/[3,1],[4]', 'method', name, [a, b], [I(1)], fn))
        a, b = g.randn([3, 4]).round(), g.randn([3, 4]).round()
        cases.append(op_case(g, f'{name}/float32/[3,4],[3,4]', 'method', name, [a, b], [I(1)], fn))
    cases.append(op_case(g, 'logicalNot/bool/[3,4]', 'method', 'logicalNot', [g.bools([3, 4])], [], torch.logical_not))
    cases.append(op_case(g, 'logicalNot/float32/[3,4]', 'method', 'logicalNot', [g.randn([3, 4]).round()], [],
                         torch.logical_not))
    for dtype in FLOATS:
        c, a, b = g.bools([3, 4]), g.randn([3, 4], dtype), g.randn([3, 4], dtype)
        cases.append(op_case(g, f'where/{dtype}/[3,4]', 'function', 'where', [c, a, b], [I(0), I(1), I(2)], torch.where))
        c, a, b = torch.tensor([[True], [False], [True]]), g.randn([1, 4], dtype), g.randn([3, 4], dtype)
        cases.append(op_case(g, f'where/{dtype}/[3,1],[1,4],[3,4]', 'function', 'where', [c, a, b],
                             [I(0), I(1), I(2)], torch.where))
        c, a = g.bools([3, 4]), g.randn([3, 4], dtype)
        cases.append(op_case(g, f'where/{dtype}/[3,4]/scalar-other', 'function', 'where', [c, a], [I(0), I(1), 0],
                             lambda cc, aa: torch.where(cc, aa, 0.0)))
    return cases


def promotion_cases(g):
    cases = []
    i32 = lambda *s: g.randint(list(s), -5, 6, torch.int32)  # noqa: E731
    nz = lambda *s: torch.where(i32(*s) == 0, 3, i32(*s)).to(torch.int32)  # noqa: E731
    cases.append(op_case(g, 'promote/add/int32+float32', 'method', 'add', [i32(3, 4), g.randn([3, 4])], [I(1)], torch.add))
    cases.append(op_case(g, 'promote/mul/float32*int32', 'method', 'mul', [g.randn([3, 4]), i32(3, 4)], [I(1)], torch.mul))
    cases.append(op_case(g, 'promote/add/float32+float64', 'method', 'add',
                         [g.randn([3, 4]), g.randn([3, 4], 'float64')], [I(1)], torch.add))
    cases.append(op_case(g, 'promote/div/int32/int32', 'method', 'div', [i32(3, 4), nz(3, 4)], [I(1)], torch.div))
    cases.append(op_case(g, 'promote/div/int32/scalar=2', 'method', 'div', [i32(3, 4)], [2], lambda a: torch.div(a, 2)))
    cases.append(op_case(g, 'promote/add/int32+int32', 'method', 'add', [i32(3, 4), i32(3, 4)], [I(1)], torch.add))
    cases.append(op_case(g, 'promote/add/bool+int32', 'method', 'add', [g.bools([3, 4]), i32(3, 4)], [I(1)], torch.add))
    cases.append(op_case(g, 'promote/mul/bool*float32', 'method', 'mul', [g.bools([3, 4]), g.randn([3, 4])], [I(1)],
                         torch.mul))
    cases.append(op_case(g, 'promote/add/int32+scalar=2.5', 'method', 'add', [i32(3, 4)], [2.5], lambda a: a + 2.5))
    cases.append(op_case(g, 'promote/mul/int32*scalar=2', 'method', 'mul', [i32(3, 4)], [2], lambda a: a * 2))
    cases.append(op_case(g, 'promote/mul/float32*scalar=2', 'method', 'mul', [g.randn([3, 4])], [2], lambda a: a * 2))
    cases.append(op_case(g, 'promote/add/float64+scalar=0.1', 'method', 'add', [g.randn([3, 4], 'float64')], [0.1],
                         lambda a: a + 0.1))
    cases.append(op_case(g, 'promote/add/bool+scalar=1', 'method', 'add', [g.bools([3, 4])], [1], lambda a: a + 1))
    # A 0-d tensor of the same category does not widen a dimensioned one (torch's result_type rule).
    cases.append(op_case(g, 'promote/add/float32[3,4]+float64[]', 'method', 'add',
                         [g.randn([3, 4]), g.randn([], 'float64')], [I(1)], torch.add))
    for name in ('exp', 'sqrt', 'sigmoid', 'neg', 'abs'):
        x = g.randint([3, 4], 0 if name == 'sqrt' else -3, 4, torch.int32)
        cases.append(op_case(g, f'promote/{name}/int32', 'method', name, [x], [], UNARY[name][0]))
    cases.append(op_case(g, 'promote/lt/int32<float32', 'method', 'lt', [i32(3, 4), g.randn([3, 4])], [I(1)], torch.lt))
    return cases
