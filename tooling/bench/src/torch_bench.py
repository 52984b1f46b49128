"""The bench workloads in PyTorch 1.13 (Debian's python3-torch), as a reference line.

Usage: /usr/bin/python3 torch_bench.py '<Config as JSON>'  -> one Result as JSON on stdout.
Same timing rule as measure.ts: warm up until steady, then the median of up to 9 runs.
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

config = json.loads(sys.argv[1])
torch.set_num_threads(config["threads"])
torch.manual_seed(0)
ELEMENTS = 1 << 20


def measure(step, budget_ms):
    def chunk(n):
        s = time.perf_counter()
        for _ in range(n):
            step()
        return (time.perf_counter() - s) * 1e3 / n

    start = time.perf_counter()
    per = chunk(1)
    k = max(1, round(budget_ms / 20 / per))
    chunks = 0
    while (time.perf_counter() - start) * 1e3 < budget_ms * 0.6:
        t = chunk(k)
        steady = chunks >= 2 and t >= per * 0.95
        per = t
        chunks += 1
        if steady:
            break
    iters = max(1, round(budget_ms / 10 / per))
    runs = []
    t0 = time.perf_counter()
    while len(runs) < 3 or (len(runs) < 9 and (time.perf_counter() - t0) * 1e3 < budget_ms * 0.6):
        runs.append(chunk(iters) / 1e3)
    return sorted(runs)[len(runs) // 2], runs, iters


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def train_step(model, x, y):
    opt = torch.optim.SGD(model.parameters(), lr=0.1)

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()

    return step


def setup(workload, n):
    if workload == "gemm":
        a, b = torch.randn(n, n), torch.randn(n, n)
        return lambda: torch.mm(a, b)
    if workload == "mlp":
        return train_step(mlp(), torch.randn(n, 784), torch.randint(0, 10, (n,)))
    if workload == "exp":
        x = torch.randn(ELEMENTS)
        return lambda: torch.exp(x)
    if workload == "add":
        x, y = torch.randn(ELEMENTS), torch.randn(ELEMENTS)
        return lambda: torch.add(x, y)
    if workload == "sce":
        logits = torch.randn(4096, 1000, requires_grad=True)
        target = torch.randint(0, 1000, (4096,))

        def step():
            F.cross_entropy(logits, target).backward()
            logits.grad = None

        return step
    if workload == "cnn":
        model = nn.Sequential(
            nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(800, 10),
        )
        return train_step(model, torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,)))
    if workload == "overhead":
        a, b = torch.tensor([1.0, 2, 3, 4]), torch.tensor([5.0, 6, 7, 8])
        return lambda: torch.add(a, b)
    if workload in ("forwardGrad", "forwardNoGrad"):
        model, x = mlp(), torch.randn(32, 784)
        if workload == "forwardGrad":
            return lambda: model(x)

        def step():
            with torch.no_grad():
                model(x)

        return step
    raise ValueError(f"unknown workload {workload}")


def measure_pair(a, b, budget_ms):
    """Both warm up, then 7 rounds alternate one run of each (as measurePair in measure.ts)."""
    ma, mb = measure(a, budget_ms / 4)[0], measure(b, budget_ms / 4)[0]
    iters = [max(1, round(budget_ms / 30 / (m * 1e3))) for m in (ma, mb)]
    runs = [[], []]
    for _ in range(7):
        for k, step in enumerate((a, b)):
            s = time.perf_counter()
            for _ in range(iters[k]):
                step()
            runs[k].append((time.perf_counter() - s) / iters[k])
    return sorted(runs[0])[3], sorted(runs[1])[3]


try:
    if config["workload"] == "autograd":
        g, ng = measure_pair(setup("forwardGrad", 0), setup("forwardNoGrad", 0), config["budgetMs"])
        print(json.dumps({"config": config, "extra": {"gradMs": g * 1e3, "noGradMs": ng * 1e3, "torch": torch.__version__}}))
        sys.exit(0)
    median, runs, iters = measure(setup(config["workload"], config["n"]), config["budgetMs"])
    print(json.dumps({"config": config, "seconds": median, "runs": runs,
                      "extra": {"iters": iters, "torch": torch.__version__, "threads": torch.get_num_threads()}}))
except Exception as e:  # reported in the table, never fatal
    print(json.dumps({"config": config, "error": str(e)}))
