"""The `optimizers` group: optimizer trajectories, LR scheduler schedules and gradient clipping."""
import json

import torch

from oracle_common import Gen, enc, enc_number, write_group

STEPS = 12
LOSS = 'sum over both params p_i of: sum((p_i - c_i)^2 * w_i) + sum(sin(p_i))'

# torch keyword -> nabla camelCase option
CAMEL = {'weight_decay': 'weightDecay', 'lr_decay': 'lrDecay', 'initial_accumulator_value': 'initialAccumulatorValue',
         'step_size': 'stepSize', 'T_max': 'tMax', 'eta_min': 'etaMin', 'start_factor': 'startFactor',
         'end_factor': 'endFactor', 'total_iters': 'totalIters', 'threshold_mode': 'thresholdMode', 'min_lr': 'minLr'}


def camel(kw):
    return {CAMEL.get(k, k): list(v) if isinstance(v, tuple) else v for k, v in kw.items()}


def opt_str(opts):
    return ','.join(f'{k}={json.dumps(v, separators=(",", ":"))}' for k, v in opts.items()) or 'default'


def make_problem(g):
    params = [g.randn([3, 4]), g.randn([4])]
    c = [g.randn([3, 4]), g.randn([4])]
    w = [g.uniform([3, 4], 0.5, 2), g.uniform([4], 0.5, 2)]
    return params, c, w


def loss_fn(ps, c, w):
    return sum(((p - ci) ** 2 * wi).sum() + torch.sin(p).sum() for p, ci, wi in zip(ps, c, w))


OPTIMIZERS = [
    ('SGD', {'lr': 0.1}),
    ('SGD', {'lr': 0.05, 'momentum': 0.9}),
    ('SGD', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.5}),
    ('SGD', {'lr': 0.05, 'momentum': 0.9, 'nesterov': True}),
    ('SGD', {'lr': 0.1, 'weight_decay': 0.1}),
    ('SGD', {'lr': 0.05, 'momentum': 0.8, 'weight_decay': 0.05, 'nesterov': True}),
    ('Adam', {'lr': 0.05}),
    ('Adam', {'lr': 0.05, 'betas': (0.8, 0.95), 'eps': 1e-6}),
    ('Adam', {'lr': 0.05, 'weight_decay': 0.1}),
    ('Adam', {'lr': 0.05, 'amsgrad': True}),
    ('Adam', {'lr': 0.05, 'weight_decay': 0.1, 'amsgrad': True}),
    ('AdamW', {'lr': 0.05}),
    ('AdamW', {'lr': 0.05, 'weight_decay': 0.1}),
    ('AdamW', {'lr': 0.05, 'betas': (0.8, 0.95), 'weight_decay': 0.2, 'amsgrad': True}),
    ('RMSprop', {'lr': 0.01}),
    ('RMSprop', {'lr': 0.01, 'alpha': 0.9, 'eps': 1e-6}),
    ('RMSprop', {'lr': 0.01, 'weight_decay': 0.1}),
    ('RMSprop', {'lr': 0.01, 'momentum': 0.9}),
    ('RMSprop', {'lr': 0.01, 'centered': True}),
    ('RMSprop', {'lr': 0.01, 'centered': True, 'momentum': 0.5, 'weight_decay': 0.05}),
    ('Adagrad', {'lr': 0.1}),
    ('Adagrad', {'lr': 0.1, 'lr_decay': 0.05}),
    ('Adagrad', {'lr': 0.1, 'weight_decay': 0.1}),
    ('Adagrad', {'lr': 0.1, 'eps': 1e-3}),
    ('Adagrad', {'lr': 0.1, 'initial_accumulator_value': 0.5}),
]


def optimizer_cases(params0, c, w):
    cases = []
    for opt_name, kw in OPTIMIZERS:
        ps = [p.clone().requires_grad_(True) for p in params0]
        opt = getattr(torch.optim, opt_name)(ps, **kw)
        losses, traj = [], []
        for _ in range(STEPS):
            opt.zero_grad()
            loss = loss_fn(ps, c, w)
            loss.backward()
            opt.step()
            losses.append(enc_number(loss.item()))
            traj.append([enc(p) for p in ps])
        opts = camel(kw)
        name = f'{opt_name}/{opt_str(opts)}'
        cases.append({'name': name, 'kind': 'optimizer', 'optimizer': opt_name, 'options': opts,
                      'losses': losses, 'params': traj})
    return cases


S = torch.optim.lr_scheduler
SCHEDULERS = [
    ('StepLR', S.StepLR, {'step_size': 3, 'gamma': 0.5}, 12),
    ('StepLR', S.StepLR, {'step_size': 2}, 8),
    ('MultiStepLR', S.MultiStepLR, {'milestones': [2, 5, 9], 'gamma': 0.1}, 12),
    ('ExponentialLR', S.ExponentialLR, {'gamma': 0.9}, 12),
    ('CosineAnnealingLR', S.CosineAnnealingLR, {'T_max': 10, 'eta_min': 0.001}, 25),
    ('CosineAnnealingLR', S.CosineAnnealingLR, {'T_max': 5}, 12),
    ('LinearLR', S.LinearLR, {'start_factor': 0.25, 'end_factor': 1.0, 'total_iters': 4}, 8),
    ('LinearLR', S.LinearLR, {}, 8),
    ('LinearLR', S.LinearLR, {'start_factor': 1.0, 'end_factor': 0.1, 'total_iters': 6}, 10),
]
# A metric that improves, stalls, wobbles and improves again: exercises patience, threshold and cooldown.
METRICS = [1.0, 0.9, 0.85, 0.86, 0.85, 0.849, 0.9, 0.7, 0.71, 0.72, 0.7, 0.69, 0.695, 0.7, 0.71, 0.72]
PLATEAU = [
    {'patience': 2},
    {'mode': 'min', 'factor': 0.5, 'patience': 1, 'threshold': 0.05, 'threshold_mode': 'abs'},
    {'factor': 0.5, 'patience': 1, 'cooldown': 2, 'min_lr': 0.02},
    {'mode': 'max', 'factor': 0.2, 'patience': 2},
    {'factor': 0.5, 'patience': 0, 'threshold': 0.01, 'threshold_mode': 'rel'},
]


def scheduler_cases(params0):
    cases = []
    lr = 0.1
    for name, cls, kw, steps in SCHEDULERS:
        ps = [p.clone().requires_grad_(True) for p in params0]
        opt = torch.optim.SGD(ps, lr=lr)
        sched = cls(opt, **kw)
        lrs = [opt.param_groups[0]['lr']]
        for _ in range(steps):
            opt.step()
            sched.step()
            lrs.append(opt.param_groups[0]['lr'])
        opts = camel(kw)
        cases.append({'name': f'{name}/{opt_str(opts)}',
                      'kind': 'scheduler', 'scheduler': name, 'lr': lr, 'options': opts, 'lrs': lrs})
    for kw in PLATEAU:
        ps = [p.clone().requires_grad_(True) for p in params0]
        opt = torch.optim.SGD(ps, lr=lr)
        sched = S.ReduceLROnPlateau(opt, **kw)
        lrs = [opt.param_groups[0]['lr']]
        for m in METRICS:
            opt.step()
            sched.step(m)
            lrs.append(opt.param_groups[0]['lr'])
        opts = camel(kw)
        cases.append({'name': f'ReduceLROnPlateau/{opt_str(opts)}',
                      'kind': 'scheduler', 'scheduler': 'ReduceLROnPlateau', 'lr': lr, 'options': opts,
                      'metrics': METRICS, 'lrs': lrs})
    return cases


def clip_cases(params0, c, w):
    ps = [p.clone().requires_grad_(True) for p in params0]
    loss_fn(ps, c, w).backward()
    grads = [p.grad.clone() for p in ps]
    cases = []
    for max_norm, norm_type in ((1.0, 2.0), (100.0, 2.0), (2.0, 1.0), (0.5, float('inf')), (3.0, 3.0)):
        for p, gr in zip(ps, grads):
            p.grad = gr.clone()
        total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
        nt = enc_number(norm_type)
        cases.append({'name': f'clipGradNorm/maxNorm={max_norm},normType={nt}', 'kind': 'clipGradNorm',
                      'options': {'maxNorm': max_norm, 'normType': nt}, 'grads': [enc(gr) for gr in grads],
                      'clipped': [enc(p.grad) for p in ps], 'totalNorm': enc_number(total.item())})
    for clip in (0.5, 2.0):
        for p, gr in zip(ps, grads):
            p.grad = gr.clone()
        torch.nn.utils.clip_grad_value_(ps, clip)
        cases.append({'name': f'clipGradValue/clipValue={clip}', 'kind': 'clipGradValue', 'options': {'clipValue': clip},
                      'grads': [enc(gr) for gr in grads], 'clipped': [enc(p.grad) for p in ps]})
    return cases


def generate():
    g = Gen(7)
    params0, c, w = make_problem(g)
    cases = optimizer_cases(params0, c, w) + scheduler_cases(params0) + clip_cases(params0, c, w)
    problem = {'loss': LOSS, 'params': [enc(p) for p in params0], 'c': [enc(x) for x in c], 'w': [enc(x) for x in w]}
    return write_group('optimizers', {'problem': problem, 'cases': cases})
