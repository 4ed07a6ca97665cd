"""Steps per second of `stabcert simulate dln` against the same training loop in numpy,
measured in the same run.

The numpy loop is the DLN's single-sample SGD step (stabcert's defaults: n = 20, d = 30,
u = sqrt(2) alpha, v = 0, decay at half the steps by 10) with the same recording: every
`steps / records` steps the train loss, the test loss |beta - beta*|^2 and the sparsity
coefficient. stabcert runs the same configuration (--eta with one step size, --threads 1),
timed from outside (process start to exit, so stabcert pays its start-up too).

Exit status: 0 ran (the ratio is printed), 2 harness error.
"""

import argparse
import subprocess
import sys
import time

import numpy as np


def numpy_run(n, d, k, alpha, eta, steps, records, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    beta_star = np.zeros(d)
    beta_star[rng.choice(d, k, replace=False)] = rng.choice([-1.0, 1.0], k)
    y = x @ beta_star
    u = np.full(d, np.sqrt(2.0) * alpha)
    v = np.zeros(d)
    every = max(steps // records, 1)
    start = time.perf_counter()
    idx = rng.integers(n, size=steps)
    curve = []
    for t in range(steps):
        e = eta if t < steps // 2 else eta / 10.0
        i = idx[t]
        r = x[i] @ (u * v) - y[i]
        g = r * x[i]
        u, v = u - e * g * v, v - e * g * u
        if (t + 1) % every == 0:
            b = u * v
            curve.append((0.5 * np.mean((x @ b - y) ** 2), np.sum((b - beta_star) ** 2),
                          np.mean(np.abs(b) > 0.01)))
    return time.perf_counter() - start, curve[-1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=200_000)
    p.add_argument("--eta", type=float, default=0.11)
    p.add_argument("--records", type=int, default=200)
    p.add_argument("--stabcert", default="target/release/stabcert")
    a = p.parse_args()
    np_seconds, last = numpy_run(20, 30, 3, 0.3, a.eta, a.steps, a.records, 0)
    cmd = [a.stabcert, "simulate", "dln", "--eta", str(a.eta), "--steps", str(a.steps),
           "--records", str(a.records), "--threads", "1", "--format", "json", "--quiet"]
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True)
    sc_seconds = time.perf_counter() - start
    if out.returncode not in (0, 1):
        print(out.stderr.decode(), file=sys.stderr)
        return 2
    print(f"DLN SGD, n = 20, d = 30, {a.steps} steps, eta = {a.eta}, {a.records} records")
    print(f"numpy:    {np_seconds:.3f} s  ({a.steps / np_seconds:.3e} steps/s); final train, test, sparsity {last}")
    print(f"stabcert: {sc_seconds:.3f} s  ({a.steps / sc_seconds:.3e} steps/s), process start to exit")
    print(f"ratio (stabcert over numpy, steps/s): {np_seconds / sc_seconds:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
