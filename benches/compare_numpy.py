"""Trajectory-steps per second: `stabcert simulate oscillation --bench` against a vectorised
numpy implementation of the same loop, measured in the same run.

The numpy loop is the rescaled model u <- u + g u (1 - u^2), g uniform on [gamma_min,
gamma_max], with the same per-step region bookkeeping as stabcert's kernel: first entry into
(0.65, 1.162), first entry into I1 = (0.65, 1 - eps) (the 2-cycle band), the band's
alternation I1 -> I4 -> I1 (I4 = (1 + eps, 1.162)) after entry, the loss band on the cycle,
and leaving (0, 1.162). Each step is a handful of whole-array numpy operations.

Exit status: 0 ran (the ratio is printed, not judged), 2 harness error.
"""

import argparse
import json
import subprocess
import sys
import time

import numpy as np


def numpy_run(trajectories, steps, gamma_min, gamma_max, seed):
    """Runs the loop; returns (seconds, violations)."""
    rng = np.random.default_rng(seed)
    eps = min((gamma_min - 1.0) / 3.0, 0.02)
    low, top, a, b = 0.65, 1.162, 1.0 - eps, 1.0 + eps
    inf = np.inf
    start, cpu_start = time.perf_counter(), time.process_time()
    u = rng.random(trajectories)
    entered = np.full(trajectories, inf)
    band = np.full(trajectories, inf)
    prev = np.zeros(trajectories)
    left = np.zeros(trajectories, dtype=bool)
    escaped = np.zeros(trajectories, dtype=bool)
    loss_min = np.full(trajectories, inf)
    loss_max = np.zeros(trajectories)
    width = gamma_max - gamma_min
    for t in range(steps + 1):
        w = 1.0 - u * u
        above_low = u > low
        below_top = u < top
        in1 = above_low & (u < a)
        in4 = (u > b) & below_top
        np.minimum(entered, np.where(above_low & below_top, t, inf), out=entered)
        in_band = band < t
        np.minimum(band, np.where(in1, t, inf), out=band)
        phase = in1.astype(np.float64) - in4
        left |= in_band & ~((phase + prev == 0.0) & (phase != 0.0))
        prev = phase
        on = band <= t
        loss = w * w
        np.minimum(loss_min, np.where(on, loss, inf), out=loss_min)
        np.maximum(loss_max, np.where(on, loss, 0.0), out=loss_max)
        escaped |= ~((u > 0.0) & below_top)
        if t < steps:
            g = gamma_min + width * rng.random(trajectories)
            u = u + g * u * w
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return seconds, cpu, int(np.count_nonzero(left | escaped))


def stabcert_run(binary, trajectories, steps, gamma_min, gamma_max, seed):
    cmd = [binary, "simulate", "oscillation", "--bench", "--quiet", "--format", "json",
           "--trajectories", str(trajectories), "--steps", str(steps),
           "--gamma-min", repr(gamma_min), "--gamma-max", repr(gamma_max), "--seed", str(seed)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--binary", default="target/release/stabcert")
    p.add_argument("--trajectories", type=int, default=4_000_000, help="stabcert trajectories")
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--numpy-trajectories", type=int, default=1_000_000)
    p.add_argument("--numpy-steps", type=int, default=100)
    p.add_argument("--gamma-min", type=float, default=1.06)
    p.add_argument("--gamma-max", type=float, default=1.24)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    try:
        ours = stabcert_run(args.binary, args.trajectories, args.steps, args.gamma_min,
                            args.gamma_max, args.seed)
    except (OSError, subprocess.CalledProcessError, json.JSONDecodeError) as e:
        print(f"error: cannot run {args.binary}: {e}", file=sys.stderr)
        return 2
    seconds, cpu, violations = numpy_run(args.numpy_trajectories, args.numpy_steps, args.gamma_min,
                                    args.gamma_max, args.seed)
    numpy_rate = args.numpy_trajectories * args.numpy_steps / seconds
    steps = args.numpy_trajectories * args.numpy_steps
    ours_rate = ours["steps_per_second"]
    print(f"stabcert: {ours['trajectory_steps']:.3e} trajectory-steps in {ours['seconds']:.3f} s "
          f"on {ours['threads']} threads: {ours_rate:.3e} steps/s, "
          f"{ours['steps_per_cpu_second'] or 0:.3e} per CPU-second ({ours['violations']} violations)")
    print(f"numpy:    {args.numpy_trajectories * args.numpy_steps:.3e} trajectory-steps in "
          f"{seconds:.3f} s: {numpy_rate:.3e} steps/s, {steps / cpu:.3e} per CPU-second "
          f"({violations} violations)")
    print(f"ratio:    {ours_rate / numpy_rate:.1f}x wall-clock, "
          f"{(ours['steps_per_cpu_second'] or 0) / (steps / cpu):.1f}x per CPU-second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
