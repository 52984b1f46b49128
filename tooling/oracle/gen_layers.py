"""The `layers` group: functional conv2d/maxPool2d/avgPool2d op cases and nn.Module cases with state dicts."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from oracle_common import FLOATS, Gen, I, TORCH_DTYPES, enc, op_case, write_group


def conv_cases(g):
    cases = []
    configs = [
        # (x shape, w shape, bias, opts)
        ([2, 3, 5, 5], [4, 3, 3, 3], True, {}),
        ([2, 3, 5, 5], [4, 3, 3, 3], True, {'padding': 1}),
        ([1, 2, 7, 6], [3, 2, 3, 2], False, {'stride': 2}),
        ([1, 2, 7, 7], [3, 2, 3, 3], True, {'stride': [2, 1], 'padding': [1, 0]}),
        ([1, 2, 7, 7], [2, 2, 3, 3], True, {'dilation': 2, 'padding': 2}),
        ([2, 4, 5, 5], [6, 2, 3, 3], True, {'groups': 2, 'padding': 1}),
        ([1, 4, 6, 6], [4, 1, 3, 3], False, {'groups': 4, 'stride': 2, 'padding': 1}),  # depthwise
        ([1, 1, 4, 4], [1, 1, 1, 1], True, {}),
    ]
    for dtype in FLOATS:
        for xs, ws, has_bias, opts in configs:
            x, w = g.randn(xs, dtype), g.randn(ws, dtype)
            kw = {k: tuple(v) if isinstance(v, list) else v for k, v in opts.items()}
            tag = ','.join(f'{k}={v}'.replace(' ', '') for k, v in opts.items()) or 'default'
            name = f'conv2d/{dtype}/x{xs},w{ws}/{"bias" if has_bias else "nobias"}/{tag}'.replace(' ', '')
            if has_bias:
                b = g.randn([ws[0]], dtype)
                cases.append(op_case(g, name, 'function', 'conv2d', [x, w, b], [I(0), I(1), I(2), opts],
                                     lambda a, ww, bb, kw=kw: F.conv2d(a, ww, bb, **kw)))
            else:
                cases.append(op_case(g, name, 'function', 'conv2d', [x, w], [I(0), I(1), None, opts],
                                     lambda a, ww, kw=kw: F.conv2d(a, ww, None, **kw)))
    pools = [
        ([1, 2, 4, 4], {'kernelSize': 2}),
        ([2, 1, 5, 5], {'kernelSize': 3, 'stride': 2, 'padding': 1}),
        ([1, 2, 5, 6], {'kernelSize': [2, 3], 'stride': [1, 2]}),
        ([1, 1, 6, 6], {'kernelSize': 2, 'stride': 1}),  # overlapping windows: gradients accumulate
    ]
    for dtype in FLOATS:
        for xs, opts in pools:
            x = g.randn(xs, dtype)
            kw = {{'kernelSize': 'kernel_size'}.get(k, k): tuple(v) if isinstance(v, list) else v for k, v in opts.items()}
            tag = ','.join(f'{k}={v}'.replace(' ', '') for k, v in opts.items())
            cases.append(op_case(g, f'maxPool2d/{dtype}/{xs}/{tag}'.replace(' ', ''), 'function', 'maxPool2d', [x],
                                 [I(0), opts], lambda a, kw=kw: F.max_pool2d(a, **kw)))
            cases.append(op_case(g, f'avgPool2d/{dtype}/{xs}/{tag}'.replace(' ', ''), 'function', 'avgPool2d', [x],
                                 [I(0), opts], lambda a, kw=kw: F.avg_pool2d(a, **kw)))
        x = g.randn([1, 1, 7, 7], dtype)
        opts = {'kernelSize': 3, 'stride': 2, 'padding': 1, 'dilation': 2}
        cases.append(op_case(g, f'maxPool2d/{dtype}/[1,1,7,7]/kernelSize=3,stride=2,padding=1,dilation=2', 'function',
                             'maxPool2d', [x], [I(0), opts],
                             lambda a: F.max_pool2d(a, kernel_size=3, stride=2, padding=1, dilation=2)))
    return cases


def state(module):
    return {k: enc(v) for k, v in module.state_dict().items()}


def module_case(g, name, cls, module, options, x, training=True, input_grad=True):
    """Runs module(x) and records state before/after, output and grads of sum(output * gradOutput)."""
    module.train(training)
    before = state(module)
    xin = x.clone().requires_grad_(input_grad)
    out = module(xin)
    case = {'name': name, 'module': cls, 'options': options, 'training': training, 'stateDict': before,
            'input': enc(x), 'output': enc(out)}
    if out.requires_grad:
        g_out = g.randn(list(out.shape), 'float64').to(out.dtype)
        (out * g_out).sum().backward()
        case['gradOutput'] = enc(g_out)
        case['gradInput'] = enc(xin.grad) if input_grad else None
        case['gradParams'] = {k: enc(p.grad) for k, p in module.named_parameters()}
    after = state(module)
    if after != before:
        case['stateDictAfter'] = after
    return case


def randomize_(module, g):
    """Affine norms start at ones/zeros; random values make their gradients informative."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_(g.randn(list(p.shape), 'float64').to(p.dtype) * 0.5 + (1 if name == 'weight' else 0))
    return module


def module_cases(g):
    cases = []
    for dtype in FLOATS:
        dt = TORCH_DTYPES[dtype]

        def add(name, cls, module, options, x, **kw):
            cases.append(module_case(g, f'{name}/{dtype}', cls, module.to(dt), options, x.to(dt), **kw))

        add('Linear/4->3', 'Linear', nn.Linear(4, 3), {'inFeatures': 4, 'outFeatures': 3}, g.randn([2, 4]))
        add('Linear/4->3/nobias', 'Linear', nn.Linear(4, 3, bias=False),
            {'inFeatures': 4, 'outFeatures': 3, 'bias': False}, g.randn([2, 4]))
        add('Linear/4->2/batched', 'Linear', nn.Linear(4, 2), {'inFeatures': 4, 'outFeatures': 2}, g.randn([2, 3, 4]))
        for opts in ({'kernelSize': 3}, {'kernelSize': 3, 'padding': 1}, {'kernelSize': 3, 'stride': 2, 'bias': False},
                     {'kernelSize': [3, 2], 'dilation': 2, 'padding': 1}, {'kernelSize': 3, 'groups': 2, 'padding': 1}):
            kw = {{'kernelSize': 'kernel_size'}.get(k, k): tuple(v) if isinstance(v, list) else v for k, v in opts.items()}
            full = {'inChannels': 2, 'outChannels': 4, **opts}
            tag = ','.join(f'{k}={v}'.replace(' ', '') for k, v in opts.items())
            add(f'Conv2d/2->4/{tag}', 'Conv2d', nn.Conv2d(2, 4, **kw), full, g.randn([2, 2, 6, 6]))
        add('MaxPool2d/kernelSize=2', 'MaxPool2d', nn.MaxPool2d(2), {'kernelSize': 2}, g.randn([2, 2, 4, 4]))
        add('MaxPool2d/kernelSize=3,stride=2,padding=1', 'MaxPool2d', nn.MaxPool2d(3, 2, 1),
            {'kernelSize': 3, 'stride': 2, 'padding': 1}, g.randn([1, 2, 5, 5]))
        add('AvgPool2d/kernelSize=2', 'AvgPool2d', nn.AvgPool2d(2), {'kernelSize': 2}, g.randn([2, 2, 4, 4]))
        add('AvgPool2d/kernelSize=3,stride=2,padding=1', 'AvgPool2d', nn.AvgPool2d(3, 2, 1),
            {'kernelSize': 3, 'stride': 2, 'padding': 1}, g.randn([1, 2, 5, 5]))
        add('LayerNorm/[4]', 'LayerNorm', randomize_(nn.LayerNorm(4), g), {'normalizedShape': [4]}, g.randn([3, 4]))
        add('LayerNorm/[3,4]/eps=1e-3', 'LayerNorm', randomize_(nn.LayerNorm([3, 4], eps=1e-3), g),
            {'normalizedShape': [3, 4], 'eps': 1e-3}, g.randn([2, 3, 4]))
        add('LayerNorm/[4]/noaffine', 'LayerNorm', nn.LayerNorm(4, elementwise_affine=False),
            {'normalizedShape': [4], 'elementwiseAffine': False}, g.randn([2, 3, 4]))
        for training in (True, False):
            mode = 'train' if training else 'eval'
            bn = randomize_(nn.BatchNorm1d(3), g)
            bn.running_mean.copy_(g.randn([3]) * 0.1)
            bn.running_var.copy_(g.uniform([3], 0.5, 1.5))
            add(f'BatchNorm1d/3/[4,3]/{mode}', 'BatchNorm1d', bn, {'numFeatures': 3}, g.randn([4, 3]) * 2 + 1,
                training=training)
            add(f'BatchNorm1d/3/[2,3,5]/momentum=0.2/{mode}', 'BatchNorm1d', randomize_(nn.BatchNorm1d(3, momentum=0.2), g),
                {'numFeatures': 3, 'momentum': 0.2}, g.randn([2, 3, 5]), training=training)
            bn2 = randomize_(nn.BatchNorm2d(3), g)
            bn2.running_mean.copy_(g.randn([3]) * 0.1)
            bn2.running_var.copy_(g.uniform([3], 0.5, 1.5))
            add(f'BatchNorm2d/3/[2,3,4,4]/{mode}', 'BatchNorm2d', bn2, {'numFeatures': 3}, g.randn([2, 3, 4, 4]) + 0.5,
                training=training)
        add('BatchNorm2d/3/noaffine/train', 'BatchNorm2d', nn.BatchNorm2d(3, affine=False),
            {'numFeatures': 3, 'affine': False}, g.randn([2, 3, 3, 3]))
        emb_idx = torch.tensor([[1, 3, 3], [0, 9, 1]])
        cases.append(module_case(g, f'Embedding/10x4/{dtype}', 'Embedding', nn.Embedding(10, 4).to(dt),
                                 {'numEmbeddings': 10, 'embeddingDim': 4}, emb_idx, input_grad=False))
        cases.append(module_case(g, f'Embedding/10x4/paddingIdx=1/{dtype}', 'Embedding',
                                 nn.Embedding(10, 4, padding_idx=1).to(dt),
                                 {'numEmbeddings': 10, 'embeddingDim': 4, 'paddingIdx': 1}, emb_idx, input_grad=False))
        add('Dropout/p=0.5/eval', 'Dropout', nn.Dropout(0.5), {'p': 0.5}, g.randn([3, 4]), training=False)
        add('GELU', 'GELU', nn.GELU(), {}, g.randn([3, 4]) * 2)
        add('ReLU', 'ReLU', nn.ReLU(), {}, g.randn([3, 4]))
        add('LeakyReLU/negativeSlope=0.1', 'LeakyReLU', nn.LeakyReLU(0.1), {'negativeSlope': 0.1}, g.randn([3, 4]))
        add('Sigmoid', 'Sigmoid', nn.Sigmoid(), {}, g.randn([3, 4]))
        add('Tanh', 'Tanh', nn.Tanh(), {}, g.randn([3, 4]))
        add('Softmax/dim=1', 'Softmax', nn.Softmax(dim=1), {'dim': 1}, g.randn([3, 4]))
        add('LogSoftmax/dim=-1', 'LogSoftmax', nn.LogSoftmax(dim=-1), {'dim': -1}, g.randn([2, 3, 4]))
        add('Flatten', 'Flatten', nn.Flatten(), {}, g.randn([2, 3, 2, 2]))
    return cases


def generate():
    torch.manual_seed(11)  # module constructors draw their default initialisation from the global generator
    g = Gen(99)
    return write_group('layers', {'cases': conv_cases(g), 'modules': module_cases(g)})
