#!/usr/bin/env python3
"""Z3 (nonlinear real arithmetic, nlsat) on the core lemmas of proofs/loss_stabilization.stab.

Each lemma `forall BINDINGS => C1, ..., Ck` is checked as the satisfiability of

    BINDINGS  and  (not C1 or ... or not Ck)

with `SolverFor("QF_NRA")`: `unsat` means the lemma is proved, `sat` means it is refuted (the
model is a counterexample and is printed), `unknown` means z3 gave up (timeout or incomplete).

Everything is exact: constants are rationals (`RealVal("1.162")` is 581/500), never floats.
`h(u, g) = u + g*u*(1 - u^2)` is substituted where it is used, as in the .stab file, and every
atom is expanded into a sum of monomials (`simplify(..., som=True)`) before it is asserted.

Only the `check()` call is timed (`time.perf_counter()`). Each check has z3's own timeout
(`--timeout`, 60 s): when it expires z3 answers `unknown` (reason "timeout"). Should z3 ignore
it, a watchdog thread reports the lemma as `timeout` once it has run 10 s longer, prints the JSON
(remaining lemmas `not-run`) and exits, so a hang is reported, never waited for. `--isolate` runs
each lemma in a forked child instead, killed when it hangs (costs ~9 ms per lemma in fork/exit,
which would inflate the whole-process time, hence not the default).

The last line of output is one JSON object:
    {"solver": "z3", "version": "...", "lemmas": {name: {"result": ..., "millis": ...}, ...},
     "total_millis": ...}
with `result` one of "unsat", "sat", "unknown", "timeout", "not-run", "error" (more fields per lemma:
verdict, expect, reason, model).

Exit status: 0 when every lemma's verdict equals its expectation in the .stab file, 1 otherwise.
"""

import argparse
import json
import multiprocessing
import os
import sys
import threading
import time

import z3

# ---- Constants of proofs/loss_stabilization.stab, exact.
GMAX = z3.RealVal("1.25")  # 5/4
TOP = z3.RealVal("1.162")  # 581/500
LOW = z3.RealVal("0.65")  # 13/20
EMAX = z3.RealVal("0.02")  # 1/50
C_GROWTH = z3.RealVal("1.5775")  # 631/400


def h(u, g):
    """The rescaled SGD map h_g(u) = u + g*u*(1 - u^2) (the .stab `def h`)."""
    return u + g * u * (1 - u ** 2)


def within(x, lb, lo, hi, rb):
    """`x in LB lo, hi RB`: '(' / ')' open ends, '[' / ']' closed ends."""
    assert lb in "([" and rb in ")]"
    return [x >= lo if lb == "[" else x > lo, x <= hi if rb == "]" else x < hi]


def chain(*terms_and_ops):
    """A relation chain `a < b < c` as a list of atoms [a < b, b < c]."""
    ops = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
           ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
    t = terms_and_ops
    return [ops[t[i + 1]](t[i], t[i + 2]) for i in range(0, len(t) - 2, 2)]


def reals(names):
    return [z3.Real(n) for n in names.split()]


# ---- The lemmas. Each builder returns (variables in binding order, domain atoms, conclusion
# atoms); the claim is: domain => every conclusion atom.

def step1_invariant():
    # forall u in (0, top), g in (1, gmax] => 0 < h(u, g) < top
    u, g = reals("u g")
    dom = within(u, "(", 0, TOP, ")") + within(g, "(", 1, GMAX, "]")
    return [u, g], dom, chain(0, "<", h(u, g), "<", TOP)


def step1_growth():
    # forall e in (0, emax], g in [1 + 3*e, gmax), u in (0, low] => h(u, g) > 1.5775*u
    e, g, u = reals("e g u")
    dom = (within(e, "(", 0, EMAX, "]") + within(g, "[", 1 + 3 * e, GMAX, ")")
           + within(u, "(", 0, LOW, "]"))
    return [e, g, u], dom, chain(h(u, g), ">", C_GROWTH * u)


def step2():
    # forall u in (1, top), g in (1, gmax] => low < h(u, g) < 1
    u, g = reals("u g")
    dom = within(u, "(", 1, TOP, ")") + within(g, "(", 1, GMAX, "]")
    return [u, g], dom, chain(LOW, "<", h(u, g), "<", 1)


def step2_at_one():
    # FALSE variant: forall u in [1, top), g in (1, gmax] => h(u, g) < 1   (u = 1 is a fixed point)
    u, g = reals("u g")
    dom = within(u, "[", 1, TOP, ")") + within(g, "(", 1, GMAX, "]")
    return [u, g], dom, chain(h(u, g), "<", 1)


def step3_first():
    # forall e in (0, emax], g1 in [1 + 3*e, gmax), d in (0, e] => 1 < h(1 - d, g1) < top
    e, g1, d = reals("e g1 d")
    dom = (within(e, "(", 0, EMAX, "]") + within(g1, "[", 1 + 3 * e, GMAX, ")")
           + within(d, "(", 0, e, "]"))
    return [e, g1, d], dom, chain(1, "<", h(1 - d, g1), "<", TOP)


def _two_steps():
    e, g1, g2, d = reals("e g1 g2 d")
    dom = (within(e, "(", 0, EMAX, "]") + within(g1, "[", 1 + 3 * e, GMAX, ")")
           + within(g2, "[", 1 + 3 * e, GMAX, ")") + within(d, "(", 0, e, "]"))
    return (e, g1, g2, d), dom, h(h(1 - d, g1), g2)


def step3_second():
    # forall e in (0, emax], g1, g2 in [1 + 3*e, gmax), d in (0, e] => h(h(1 - d, g1), g2) > low
    (e, g1, g2, d), dom, hh = _two_steps()
    return [e, g1, g2, d], dom, chain(hh, ">", LOW)


def step3_expand():
    # ... => 1 - h(h(1 - d, g1), g2) >= (1 + 6*e)^2 * d
    (e, g1, g2, d), dom, hh = _two_steps()
    return [e, g1, g2, d], dom, chain(1 - hh, ">=", (1 + 6 * e) ** 2 * d)


def step4_odd():
    # forall e in (0, emax], g in [1 + 3*e, gmax), u in (low, 1 - e) => 1 + e < h(u, g) < top
    e, g, u = reals("e g u")
    dom = (within(e, "(", 0, EMAX, "]") + within(g, "[", 1 + 3 * e, GMAX, ")")
           + within(u, "(", LOW, 1 - e, ")"))
    return [e, g, u], dom, chain(1 + e, "<", h(u, g), "<", TOP)


def step4_even():
    # forall e in (0, emax], g in [1 + 3*e, gmax), u in (1 + e, top) => low < h(u, g) < 1 - e
    e, g, u = reals("e g u")
    dom = (within(e, "(", 0, EMAX, "]") + within(g, "[", 1 + 3 * e, GMAX, ")")
           + within(u, "(", 1 + e, TOP, ")"))
    return [e, g, u], dom, chain(LOW, "<", h(u, g), "<", 1 - e)


# name -> (builder, expectation in the .stab file)
LEMMAS = {
    "step1_invariant": (step1_invariant, "proved"),
    "step1_growth": (step1_growth, "proved"),
    "step2_image": (step2, "proved"),
    "step2_at_one": (step2_at_one, "refuted"),
    "step3_first": (step3_first, "proved"),
    "step3_second": (step3_second, "proved"),
    "step3_expand": (step3_expand, "proved"),
    "step4_cycle_odd": (step4_odd, "proved"),
    "step4_cycle_even": (step4_even, "proved"),
}

# Not part of the benchmark: the .stab file's `expect refuted` sharpness claims, a check that the
# encoding can come out `sat` (run with --extra).
def step1_growth_sharp():
    e, g, u = reals("e g u")
    dom = (within(e, "(", 0, EMAX, "]") + within(g, "[", 1 + 3 * e, GMAX, ")")
           + within(u, "(", 0, LOW, "]"))
    return [e, g, u], dom, chain(h(u, g), ">", z3.RealVal("1.5776") * u)


def step2_sharp_low():
    u, g = reals("u g")
    dom = within(u, "(", 1, TOP, ")") + within(g, "(", 1, GMAX, "]")
    return [u, g], dom, chain(z3.RealVal("0.6533"), "<", h(u, g))


def step3_expand_sharp():
    (e, g1, g2, d), dom, hh = _two_steps()
    return [e, g1, g2, d], dom, chain(1 - hh, ">=", z3.RealVal("1.0001") * (1 + 6 * e) ** 2 * d)


EXTRA = {
    "step1_growth_sharp": (step1_growth_sharp, "refuted"),
    "step2_sharp_low": (step2_sharp_low, "refuted"),
    "step3_expand_sharp": (step3_expand_sharp, "refuted"),
}
ALL = {**LEMMAS, **EXTRA}

VERDICT = {"unsat": "proved", "sat": "refuted"}


def _value(v):
    """A model value: exact `p/q` when rational, else the algebraic number and a decimal."""
    if z3.is_rational_value(v):
        f = v.as_fraction()
        return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"
    if z3.is_algebraic_value(v):
        return f"{v.sexpr()} ~ {v.approx(20).as_decimal(20)}"
    return str(v)


def solve(name, timeout_ms, expand=True):
    """Builds and checks one lemma in the current process; returns a result dict."""
    builder, expect = ALL[name]
    xs, dom, concl = builder()
    neg = z3.Or([z3.Not(c) for c in concl])
    if expand:
        dom = [z3.simplify(a, som=True) for a in dom]
        neg = z3.simplify(neg, som=True)
    s = z3.SolverFor("QF_NRA")
    s.set("timeout", int(timeout_ms))
    s.add(*dom)
    s.add(neg)
    t0 = time.perf_counter()
    r = s.check()
    millis = (time.perf_counter() - t0) * 1e3
    out = {"result": str(r), "verdict": VERDICT.get(str(r), "unknown"), "expect": expect,
           "millis": round(millis, 3), "reason": None, "model": None}
    if r == z3.sat:
        m = s.model()
        out["model"] = {str(x): _value(m.eval(x, model_completion=True)) for x in xs}
        # The counterexample must satisfy the domain and falsify the conclusion (z3 evaluates
        # exactly, algebraic numbers included).
        ok = z3.is_true(m.eval(z3.And(dom + [neg]), model_completion=True))
        out["model_checked"] = bool(ok)
    elif r == z3.unknown:
        out["reason"] = s.reason_unknown()
    return out


def _child(name, timeout_ms, expand, conn):
    try:
        conn.send(solve(name, timeout_ms, expand))
    except BaseException as exc:  # report, never hang the parent
        conn.send({"result": "error", "verdict": "unknown", "expect": ALL[name][1],
                   "millis": None, "reason": repr(exc), "model": None})
    finally:
        conn.close()


def solve_isolated(name, timeout_ms, expand, grace_s=10.0):
    """Runs `solve` in a forked child; kills it if it outlives its own timeout by grace_s."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(name, timeout_ms, expand, child))
    t0 = time.perf_counter()
    p.start()
    child.close()
    limit = timeout_ms / 1e3 + grace_s
    out = None
    if parent.poll(limit):
        try:
            out = parent.recv()
        except EOFError:
            out = None
    p.join(1.0 if out is not None else 0.0)
    if p.is_alive():
        p.kill()
        p.join()
    if out is None:
        waited = (time.perf_counter() - t0) * 1e3
        out = {"result": "timeout" if waited >= limit * 1e3 else "error", "verdict": "unknown",
               "expect": ALL[name][1], "millis": round(waited, 3),
               "reason": f"killed after {waited / 1e3:.1f} s (check() did not return)"
               if waited >= limit * 1e3 else f"child exited with {p.exitcode}", "model": None}
    return out


GRACE_S = 10.0  # how long past its own timeout a check() may run before it counts as hung


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--timeout", type=float, default=60.0, help="per-lemma seconds [60]")
    ap.add_argument("--isolate", action="store_true",
                    help="one forked child per lemma, killed if it hangs (adds ~9 ms/lemma)")
    ap.add_argument("--no-expand", action="store_true",
                    help="assert atoms as built, without expanding into monomials")
    ap.add_argument("--json-only", action="store_true", help="print only the JSON line")
    ap.add_argument("--extra", action="store_true",
                    help="also run the sharpness variants (expect refuted), not in the benchmark")
    ap.add_argument("names", nargs="*", help="lemmas to run [the 9 benchmark lemmas]")
    args = ap.parse_args()
    names = args.names or list(LEMMAS) + (list(EXTRA) if args.extra else [])
    unknown_names = [n for n in names if n not in ALL]
    if unknown_names:
        ap.error(f"unknown lemma(s): {', '.join(unknown_names)}; known: {', '.join(ALL)}")

    timeout_ms = args.timeout * 1e3
    say = (lambda *a, **k: None) if args.json_only else print
    say(f"z3 {z3.get_version_string()}, SolverFor('QF_NRA'), timeout {args.timeout:g} s/lemma, "
        f"{'one forked process per lemma' if args.isolate else 'in-process, watchdog'}")
    say(f"{'lemma':<18} {'z3':<8} {'verdict':<8} {'expect':<8} {'ms':>10}")
    results = {}
    lock = threading.Lock()
    state = {"finished": False}

    def report(name, r):
        results[name] = r
        flag = "" if r["verdict"] == r["expect"] else "   <-- UNMET"
        ms = "-" if r["millis"] is None else f"{r['millis']:.3f}"
        say(f"{name:<18} {r['result']:<8} {r['verdict']:<8} {r['expect']:<8} {ms:>10}{flag}")
        if r["model"] is not None:
            say("    counterexample: " + ", ".join(f"{k} = {v}" for k, v in r["model"].items())
                + ("" if r.get("model_checked") else "   (model does NOT check!)"))
        if r["reason"]:
            say(f"    reason: {r['reason']}")
        sys.stdout.flush()

    def finish():
        total = sum(r["millis"] or 0.0 for r in results.values())
        say(f"{'total':<18} {'':<8} {'':<8} {'':<8} {total:>10.3f}")
        print(json.dumps({"solver": "z3", "version": z3.get_version_string(),
                          "lemmas": results, "total_millis": round(total, 3)}), flush=True)
        return 0 if all(r["verdict"] == r["expect"] for r in results.values()) else 1

    def hung(name, t0):
        # check() outlived its own timeout by GRACE_S: z3 ignored the cancellation. Report this
        # lemma as timeout, the rest as not run, and leave without waiting for it.
        with lock:
            if state["finished"]:
                return
            waited = (time.perf_counter() - t0) * 1e3
            report(name, {"result": "timeout", "verdict": "unknown", "expect": ALL[name][1],
                          "millis": round(waited, 3), "model": None,
                          "reason": f"check() did not return within {waited / 1e3:.1f} s"})
            for rest in names[names.index(name) + 1:]:
                report(rest, {"result": "not-run", "verdict": "unknown", "expect": ALL[rest][1],
                              "millis": None, "model": None, "reason": "an earlier lemma hung"})
            code = finish()
            os._exit(code or 1)

    for name in names:
        if args.isolate:
            r = solve_isolated(name, timeout_ms, not args.no_expand, GRACE_S)
        else:
            dog = threading.Timer(args.timeout + GRACE_S, hung, (name, time.perf_counter()))
            dog.daemon = True
            dog.start()
            r = solve(name, timeout_ms, not args.no_expand)
            with lock:
                dog.cancel()
        report(name, r)
    with lock:
        state["finished"] = True
        return finish()


if __name__ == "__main__":
    sys.exit(main())
