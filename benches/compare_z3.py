#!/usr/bin/env python3
"""Compare stabcert with z3 (QF_NRA) on the lemmas of proofs/loss_stabilization.stab.

Runs, N times each and interleaved (z3, stabcert, z3, stabcert, ...):
  (a) python benches/z3_lemmas.py                                          (the 9 lemmas)
  (b) stabcert check proofs/loss_stabilization.stab --format json         (the whole file)
and prints a table: per lemma the z3 answer and check() milliseconds, the stabcert verdict and
its `claims[].millis` (matched by name), the sums over the 9 lemmas and their ratio, and the
whole-process wall time (and CPU time, user+sys) of each command. Milliseconds are the best
(minimum) of the N runs; the median of the sums is printed too.

Exit status:
  0  no disagreement
  1  some answer disagrees (agree column NO): z3 `sat` where stabcert says proved, z3 `unsat` where stabcert says
     refuted, a verdict that changes between runs, or a stabcert witness that is not a
     counterexample when checked exactly by z3 (a bug to report, not to hide)
  2  the harness could not get an answer (a command failed, no JSON, a lemma missing)
`unknown` / timeout on either side is reported (agree column -) but is not a disagreement.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # importing z3_lemmas must not leave benches/__pycache__ behind


class HarnessError(Exception):
    pass


def timed(cmd, cwd):
    """Runs cmd; returns (completed process, wall seconds, CPU seconds user+sys of the child)."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return p, wall, cpu


def last_json_line(text, what):
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                break
    raise HarnessError(f"{what}: no JSON object on its last line")


def fmt_ms(x):
    return "-" if x is None else f"{x:.2f}"


def check_witness(name, witness):
    """True when stabcert's witness (exact `p/q` strings) falsifies the lemma exactly (z3)."""
    import z3
    import z3_lemmas
    xs, dom, concl = z3_lemmas.ALL[name][0]()
    sub = []
    for x in xs:
        v = witness.get(str(x))
        if v is None:
            return False
        sub.append((x, z3.RealVal(str(v))))
    f = z3.substitute(z3.And(dom + [z3.Or([z3.Not(c) for c in concl])]), *sub)
    return z3.is_true(z3.simplify(f))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of each command [5]")
    ap.add_argument("--python", default=sys.executable, help="python with z3 [this one]")
    ap.add_argument("--stabcert", default=os.path.join(ROOT, "target", "release", "stabcert"))
    ap.add_argument("--stab", default="proofs/loss_stabilization.stab")
    ap.add_argument("--z3-timeout", type=float, default=60.0, help="per-lemma seconds [60]")
    ap.add_argument("--stabcert-arg", action="append", default=[],
                    help="extra argument for `stabcert check` (repeatable), e.g. --jobs=1")
    args = ap.parse_args()

    import z3_lemmas  # the lemma list (names, expectations) is defined there, once
    names = list(z3_lemmas.LEMMAS)

    z3_cmd = [args.python, os.path.join(HERE, "z3_lemmas.py"), "--timeout", str(args.z3_timeout)]
    st_cmd = [args.stabcert, "check", args.stab, "--format", "json"] + args.stabcert_arg
    print("z3:       " + " ".join(z3_cmd))
    print("stabcert: " + " ".join(st_cmd))
    print(f"cwd {ROOT}; {args.runs} runs each, interleaved; {os.cpu_count()} CPUs\n")

    z3_runs, st_runs = [], []  # (parsed json, wall s, cpu s)
    for i in range(args.runs):
        p, wall, cpu = timed(z3_cmd, ROOT)
        if i == 0:
            sys.stdout.write(p.stdout)
            sys.stderr.write(p.stderr)
            print()
        if p.returncode not in (0, 1):
            raise HarnessError(f"z3_lemmas.py exited with {p.returncode}:\n{p.stderr}")
        z3_runs.append((last_json_line(p.stdout, "z3_lemmas.py"), wall, cpu))

        p, wall, cpu = timed(st_cmd, ROOT)
        if p.returncode not in (0, 1):  # 0 all met, 1 some unmet: both are answers
            raise HarnessError(f"stabcert exited with {p.returncode}:\n{p.stderr}{p.stdout}")
        try:
            doc = json.loads(p.stdout)
        except json.JSONDecodeError as exc:
            raise HarnessError(f"stabcert: output is not JSON ({exc}):\n{p.stdout[:2000]}")
        st_runs.append((doc, wall, cpu))

    problems, warnings = [], []
    rows = []
    for name in names:
        expect = z3_lemmas.LEMMAS[name][1]
        z3_res = [j["lemmas"][name] for j, _, _ in z3_runs]
        st_res = []
        for j, _, _ in st_runs:
            hits = [c for c in j.get("claims", []) if c.get("name") == name]
            if len(hits) != 1:
                raise HarnessError(f"stabcert JSON has {len(hits)} claims named {name!r}")
            st_res.append(hits[0])
        z3_verdicts = {r["verdict"] for r in z3_res}
        st_verdicts = {c.get("verdict") for c in st_res}
        z3_answers = {r["result"] for r in z3_res}
        if len(z3_verdicts) > 1:
            problems.append(f"{name}: z3 answers differ between runs: {sorted(z3_answers)}")
        if len(st_verdicts) > 1:
            problems.append(f"{name}: stabcert verdicts differ between runs: {sorted(st_verdicts)}")
        for zr, sc in zip(z3_res, st_res):
            zv, sv = zr["verdict"], sc.get("verdict")
            if {zv, sv} == {"proved", "refuted"}:
                problems.append(f"{name}: DISAGREEMENT z3 {zr['result']} ({zv}) vs stabcert {sv}"
                                + (f"; z3 model {zr['model']}" if zr.get("model") else "")
                                + (f"; stabcert witness {sc.get('witness')}"
                                   if sc.get("witness") else ""))
                break
        for sc in st_res:
            if sc.get("verdict") == "refuted":
                w = sc.get("witness")
                if not isinstance(w, dict) or not check_witness(name, w):
                    problems.append(f"{name}: stabcert witness {w!r} is not a counterexample "
                                    "(checked exactly with z3)")
                    break
        zv, sv = z3_res[0]["verdict"], st_res[0].get("verdict")
        for who, v in (("z3", zv), ("stabcert", sv)):
            if v not in ("proved", "refuted"):
                reason = z3_res[0].get("reason") if who == "z3" else None
                warnings.append(f"{name}: {who} answered {v}" + (f" ({reason})" if reason else ""))
            elif v != expect:
                warnings.append(f"{name}: {who} says {v}, the .stab file expects {expect}")
        z3_ms = [r["millis"] for r in z3_res if r["millis"] is not None]
        st_ms = [c["millis"] for c in st_res if c.get("millis") is not None]
        rows.append({
            "name": name, "expect": expect,
            "z3": z3_res[0]["result"], "z3_ms": min(z3_ms) if z3_ms else None,
            "stabcert": sv, "stabcert_ms": min(st_ms) if st_ms else None,
            "stabcert_boxes": st_res[0].get("boxes"),
            "agree": ("NO" if any(p.startswith(name + ":") for p in problems) else
                      "yes" if zv in ("proved", "refuted") and zv == sv else "-"),
        })

    # ---- table
    hdr = (f"{'lemma':<16} {'expect':<8} | {'z3':<7} {'ms':>9} | {'stabcert':<8} {'ms':>9} "
           f"{'boxes':>8} | {'agree':<5}")
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        boxes = "-" if r["stabcert_boxes"] is None else str(r["stabcert_boxes"])
        print(f"{r['name']:<16} {r['expect']:<8} | {r['z3']:<7} {fmt_ms(r['z3_ms']):>9} | "
              f"{str(r['stabcert']):<8} {fmt_ms(r['stabcert_ms']):>9} {boxes:>8} | "
              f"{r['agree']:<5}")
    print("-" * len(hdr))
    z3_sum = sum(r["z3_ms"] or 0.0 for r in rows)
    st_sum = sum(r["stabcert_ms"] or 0.0 for r in rows)
    print(f"{'sum (9 lemmas)':<25} | {'':<7} {z3_sum:>9.2f} | {'':<8} {st_sum:>9.2f}")
    z3_sum_med = statistics.median(
        sum(j["lemmas"][n]["millis"] or 0.0 for n in names) for j, _, _ in z3_runs)
    st_sum_med = statistics.median(
        sum(c.get("millis") or 0.0 for c in j["claims"] if c.get("name") in names)
        for j, _, _ in st_runs)
    ratio = st_sum / z3_sum if z3_sum > 0 else float("inf")
    print(f"\nper-lemma ms: best of {args.runs} runs (z3: check() only; stabcert: claims[].millis)")
    print(f"sum of best:   z3 {z3_sum:.2f} ms, stabcert {st_sum:.2f} ms, "
          f"stabcert/z3 = {ratio:.3g}" + (f" (z3 is {ratio:.3g}x faster)" if ratio > 1 else
                                          f" (stabcert is {1 / ratio:.3g}x faster)"
                                          if ratio > 0 else ""))
    print(f"median of sums: z3 {z3_sum_med:.2f} ms, stabcert {st_sum_med:.2f} ms")
    st_all = statistics.median(
        sum(c.get("millis") or 0.0 for c in j["claims"]) for j, _, _ in st_runs)
    n_claims = len(st_runs[0][0].get("claims", []))
    print(f"stabcert, all {n_claims} claims of the file: median sum {st_all:.2f} ms")

    z3_wall = min(w for _, w, _ in z3_runs) * 1e3
    st_wall = min(w for _, w, _ in st_runs) * 1e3
    z3_cpu = min(c for _, _, c in z3_runs) * 1e3
    st_cpu = min(c for _, _, c in st_runs) * 1e3
    print(f"\nwhole process, best of {args.runs} (perf_counter around subprocess.run; CPU = "
          "user+sys of the child and its children):")
    print(f"  z3       (python z3_lemmas.py, 9 lemmas, interpreter start + import z3 included): "
          f"wall {z3_wall:.1f} ms, CPU {z3_cpu:.1f} ms")
    print(f"  stabcert (check {args.stab}, all {n_claims} claims): "
          f"wall {st_wall:.1f} ms, CPU {st_cpu:.1f} ms")
    print(f"  wall stabcert/z3 = {st_wall / z3_wall:.3g}")

    for w in warnings:
        print("note: " + w)
    for p in problems:
        print("PROBLEM: " + p)
    print(json.dumps({
        "z3_version": z3_runs[0][0].get("version"), "runs": args.runs,
        "lemmas": {r["name"]: {k: r[k] for k in ("expect", "z3", "z3_ms", "stabcert",
                                                 "stabcert_ms", "agree")} for r in rows},
        "sum_ms": {"z3": round(z3_sum, 3), "stabcert": round(st_sum, 3)},
        "ratio_stabcert_over_z3": round(ratio, 4),
        "wall_ms": {"z3": round(z3_wall, 1), "stabcert": round(st_wall, 1)},
        "cpu_ms": {"z3": round(z3_cpu, 1), "stabcert": round(st_cpu, 1)},
        "problems": problems,
    }))
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except HarnessError as exc:
        print(f"compare_z3: {exc}", file=sys.stderr)
        sys.exit(2)
