"""The `losses` group: every loss function, every reduction and option, float32 and float64, with grads."""
import torch
import torch.nn.functional as F

from oracle_common import FLOATS, Gen, I, TORCH_DTYPES, op_case, write_group

REDUCTIONS = ('mean', 'sum', 'none')

# camelCase nabla option -> torch keyword
TORCH_KW = {'reduction': 'reduction', 'ignoreIndex': 'ignore_index', 'labelSmoothing': 'label_smoothing',
            'logTarget': 'log_target', 'delta': 'delta', 'beta': 'beta'}


def loss_case(g, name, fname, inputs, opts, torch_fn, tensor_opts=None):
    """inputs = [input, target, *option tensors]; opts = plain options; tensor_opts = {option: input index}.

    The target requires grad when it is floating and torch can differentiate w.r.t. it; option
    tensors (weight, posWeight) never do.
    """
    tensor_opts = tensor_opts or {}
    nabla_opts = dict(opts)
    for k, i in tensor_opts.items():
        nabla_opts[k] = I(i)
    args = [I(0), I(1)] + ([nabla_opts] if nabla_opts else [])
    torch_kw = {TORCH_KW[k]: v for k, v in opts.items()}

    def fn(*ts):
        kw = dict(torch_kw)
        for k, i in tensor_opts.items():
            kw[{'weight': 'weight', 'posWeight': 'pos_weight'}[k]] = ts[i]
        return torch_fn(ts[0], ts[1], **kw)

    floating = inputs[1].dtype in (torch.float32, torch.float64)
    rg = [True, floating] + [False] * (len(inputs) - 2)
    return op_case(g, name, 'function', fname, inputs, args, fn, requires_grad=rg)


def suffix(opts, tensor_opts=None):
    parts = [f'{k}={str(v).lower() if isinstance(v, bool) else v}' for k, v in opts.items()]
    parts += list((tensor_opts or {}).keys())
    return ','.join(parts) if parts else 'default'


def classification_cases(g):
    cases = []
    for dtype in FLOATS:
        dt = TORCH_DTYPES[dtype]
        logits = g.randn([4, 5], dtype, scale=2)
        target = torch.tensor([1, 0, 4, 2])
        target_ign = torch.tensor([1, -100, 4, 2])  # -100 is the default ignoreIndex
        weight = g.uniform([5], 0.2, 2, dtype)
        variants = [({'reduction': r}, None, target) for r in REDUCTIONS]
        variants += [({'reduction': r}, {'weight': 2}, target) for r in REDUCTIONS]
        variants += [({}, None, target_ign), ({'reduction': 'sum'}, None, target_ign),
                     ({'ignoreIndex': 2}, None, target), ({'ignoreIndex': 2, 'reduction': 'none'}, None, target),
                     ({}, {'weight': 2}, target_ign)]
        ce_only = [({'labelSmoothing': 0.1}, None, target), ({'labelSmoothing': 0.2, 'reduction': 'sum'}, None, target),
                   ({'labelSmoothing': 0.1, 'reduction': 'none'}, {'weight': 2}, target),
                   ({'labelSmoothing': 0.1}, {'weight': 2}, target_ign)]
        for opts, topts, tgt in variants + ce_only:
            ins = [logits, tgt] + ([weight] if topts else [])
            tag = '/ignored' if tgt is target_ign else ''
            cases.append(loss_case(g, f'crossEntropy/{dtype}/[4,5]{tag}/{suffix(opts, topts)}', 'crossEntropy', ins,
                                   opts, F.cross_entropy, topts))
        for opts, topts, tgt in variants:
            logp = torch.log_softmax(logits, 1)
            ins = [logp, tgt] + ([weight] if topts else [])
            tag = '/ignored' if tgt is target_ign else ''
            cases.append(loss_case(g, f'nllLoss/{dtype}/[4,5]{tag}/{suffix(opts, topts)}', 'nllLoss', ins, opts,
                                   F.nll_loss, topts))
        # spatial targets: logits [N, C, d1], class indices [N, d1]
        x3 = g.randn([3, 4, 5], dtype)
        t3 = g.randint([3, 5], 0, 4)
        t3[0, 1] = -100
        w4 = g.uniform([4], 0.2, 2, dtype)
        for opts, topts in [({}, None), ({'reduction': 'none'}, None), ({'reduction': 'sum'}, {'weight': 2}),
                            ({'labelSmoothing': 0.1}, {'weight': 2})]:
            ins = [x3, t3] + ([w4] if topts else [])
            cases.append(loss_case(g, f'crossEntropy/{dtype}/[3,4,5]/{suffix(opts, topts)}', 'crossEntropy', ins, opts,
                                   F.cross_entropy, topts))
            if 'labelSmoothing' not in opts:
                ins = [torch.log_softmax(x3, 1), t3] + ([w4] if topts else [])
                cases.append(loss_case(g, f'nllLoss/{dtype}/[3,4,5]/{suffix(opts, topts)}', 'nllLoss', ins, opts,
                                       F.nll_loss, topts))
        # probability targets [N, C]
        probs = torch.softmax(g.randn([4, 5], dtype), 1)
        for opts, topts in [({}, None), ({'reduction': 'sum'}, None), ({'reduction': 'none'}, None),
                            ({}, {'weight': 2}), ({'labelSmoothing': 0.1}, None)]:
            ins = [logits, probs] + ([weight] if topts else [])
            cases.append(loss_case(g, f'crossEntropy/{dtype}/[4,5]/probs/{suffix(opts, topts)}', 'crossEntropy', ins,
                                   opts, F.cross_entropy, topts))
        # extreme logits stay finite through log-sum-exp
        big = torch.tensor([[1e4, -1e4, 0], [-1e4, 1e4, 1e4], [0, 0, -1e4]], dtype=dt)
        tb = torch.tensor([1, 2, 0])
        cases.append(loss_case(g, f'crossEntropy/{dtype}/[3,3]/large', 'crossEntropy', [big, tb], {},
                               F.cross_entropy))
    return cases


def binary_cases(g):
    cases = []
    for dtype in FLOATS:
        dt = TORCH_DTYPES[dtype]
        p = g.uniform([3, 4], 0.05, 0.95, dtype)
        y = g.uniform([3, 4], 0, 1, dtype)
        hard = g.bools([3, 4]).to(dt)
        w = g.uniform([3, 4], 0.5, 2, dtype)
        for r in REDUCTIONS:
            cases.append(loss_case(g, f'binaryCrossEntropy/{dtype}/[3,4]/reduction={r}', 'binaryCrossEntropy', [p, y],
                                   {'reduction': r}, F.binary_cross_entropy))
            cases.append(loss_case(g, f'binaryCrossEntropy/{dtype}/[3,4]/hard/reduction={r},weight',
                                   'binaryCrossEntropy', [p, hard, w], {'reduction': r}, F.binary_cross_entropy,
                                   {'weight': 2}))
        # p exactly 0 and 1: torch clamps each log at -100, so the loss is finite (forward only: torch's
        # backward divides by max(p(1-p), 1e-12) there, which no clamp-based autograd reproduces).
        pe = torch.tensor([0, 0, 1, 1, 0.5], dtype=dt)
        ye = torch.tensor([0, 1, 0, 1, 1], dtype=dt)
        cases.append(op_case(g, f'binaryCrossEntropy/{dtype}/edge01/reduction=none', 'function', 'binaryCrossEntropy',
                             [pe, ye], [I(0), I(1), {'reduction': 'none'}],
                             lambda a, b: F.binary_cross_entropy(a, b, reduction='none'), requires_grad=[False, False]))
        x = g.randn([3, 4], dtype, scale=2)
        pw = g.uniform([4], 0.5, 3, dtype)
        for r in REDUCTIONS:
            cases.append(loss_case(g, f'binaryCrossEntropyWithLogits/{dtype}/[3,4]/reduction={r}',
                                   'binaryCrossEntropyWithLogits', [x, y], {'reduction': r},
                                   F.binary_cross_entropy_with_logits))
            cases.append(loss_case(g, f'binaryCrossEntropyWithLogits/{dtype}/[3,4]/reduction={r},weight',
                                   'binaryCrossEntropyWithLogits', [x, hard, w], {'reduction': r},
                                   F.binary_cross_entropy_with_logits, {'weight': 2}))
            cases.append(loss_case(g, f'binaryCrossEntropyWithLogits/{dtype}/[3,4]/reduction={r},posWeight',
                                   'binaryCrossEntropyWithLogits', [x, y, pw], {'reduction': r},
                                   F.binary_cross_entropy_with_logits, {'posWeight': 2}))
        cases.append(loss_case(g, f'binaryCrossEntropyWithLogits/{dtype}/[3,4]/weight,posWeight',
                               'binaryCrossEntropyWithLogits', [x, y, w, pw], {},
                               F.binary_cross_entropy_with_logits, {'weight': 2, 'posWeight': 3}))
        xl = torch.tensor([1e4, -1e4, 1e4, -1e4, 0, 30], dtype=dt)
        yl = torch.tensor([1, 0, 0, 1, 0.5, 1], dtype=dt)
        cases.append(loss_case(g, f'binaryCrossEntropyWithLogits/{dtype}/large/reduction=none',
                               'binaryCrossEntropyWithLogits', [xl, yl], {'reduction': 'none'},
                               F.binary_cross_entropy_with_logits))
        cases.append(loss_case(g, f'binaryCrossEntropyWithLogits/{dtype}/large/posWeight',
                               'binaryCrossEntropyWithLogits', [xl, yl, torch.full([6], 2.0, dtype=dt)], {},
                               F.binary_cross_entropy_with_logits, {'posWeight': 2}))
    return cases


def divergence_cases(g):
    cases = []
    for dtype in FLOATS:
        logq = torch.log_softmax(g.randn([3, 4], dtype), 1)
        p = torch.softmax(g.randn([3, 4], dtype), 1)
        p0 = p.clone()
        p0[0, 1] = 0  # xlogy: a zero target contributes 0
        for r in ('mean', 'sum', 'none', 'batchmean'):
            cases.append(loss_case(g, f'klDiv/{dtype}/[3,4]/reduction={r}', 'klDiv', [logq, p0], {'reduction': r},
                                   F.kl_div))
            cases.append(loss_case(g, f'klDiv/{dtype}/[3,4]/reduction={r},logTarget=true', 'klDiv',
                                   [logq, torch.log(p)], {'reduction': r, 'logTarget': True}, F.kl_div))
    return cases


def lp_loss(x, y, p, reduction='mean'):
    loss = (x - y).abs().pow(p)
    return {'mean': loss.mean, 'sum': loss.sum, 'none': lambda: loss}[reduction]()


def regression_cases(g):
    cases = []
    for dtype in FLOATS:
        dt = TORCH_DTYPES[dtype]
        x = g.randn([3, 4], dtype, scale=2)
        y = g.randn([3, 4], dtype, scale=2)
        y.view(-1)[::5] = x.view(-1)[::5]  # zero differences: l1 and lp p=1 have gradient 0 there
        for r in REDUCTIONS:
            ro = {'reduction': r}
            cases.append(loss_case(g, f'mseLoss/{dtype}/[3,4]/reduction={r}', 'mseLoss', [x, y], ro, F.mse_loss))
            cases.append(loss_case(g, f'l1Loss/{dtype}/[3,4]/reduction={r}', 'l1Loss', [x, y], ro, F.l1_loss))
            for pw in (1, 2, 3):
                cases.append(op_case(g, f'lpLoss/{dtype}/[3,4]/p={pw},reduction={r}', 'function', 'lpLoss', [x, y],
                                     [I(0), I(1), {'p': pw, 'reduction': r}],
                                     lambda a, b, pw=pw, r=r: lp_loss(a, b, pw, r)))
            for d in (1.0, 0.5):
                cases.append(loss_case(g, f'huberLoss/{dtype}/[3,4]/delta={d},reduction={r}', 'huberLoss', [x, y],
                                       {'delta': d, 'reduction': r}, F.huber_loss))
                cases.append(loss_case(g, f'smoothL1Loss/{dtype}/[3,4]/beta={d},reduction={r}', 'smoothL1Loss', [x, y],
                                       {'beta': d, 'reduction': r}, F.smooth_l1_loss))
        cases.append(loss_case(g, f'huberLoss/{dtype}/[3,4]/default', 'huberLoss', [x, y], {}, F.huber_loss))
        cases.append(loss_case(g, f'smoothL1Loss/{dtype}/[3,4]/default', 'smoothL1Loss', [x, y], {}, F.smooth_l1_loss))
        # exactly at the threshold |x - y| = delta, and broadcasting-free rank-1 inputs
        xe = torch.tensor([0, 1, -1, 2, 0.5], dtype=dt)
        ye = torch.tensor([0, 0, 0, 0, 0], dtype=dt)
        cases.append(loss_case(g, f'huberLoss/{dtype}/[5]/edge/delta=1', 'huberLoss', [xe, ye], {'delta': 1.0},
                               F.huber_loss))
        cases.append(loss_case(g, f'smoothL1Loss/{dtype}/[5]/edge/beta=1', 'smoothL1Loss', [xe, ye], {'beta': 1.0},
                               F.smooth_l1_loss))
        cases.append(loss_case(g, f'l1Loss/{dtype}/[5]/edge', 'l1Loss', [xe, ye], {}, F.l1_loss))
    return cases


def generate():
    g = Gen(2024)
    cases = classification_cases(g) + binary_cases(g) + divergence_cases(g) + regression_cases(g)
    return write_group('losses', {'cases': cases})
