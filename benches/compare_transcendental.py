#!/usr/bin/env python3
"""Compare stabcert with cvc5 and z3 on benches/transcendental/*.stab (MetiTarski problems
with exp, log, sin, cos, tan, atan, sinh, cosh, tanh, sqrt, pi, each with a false variant).

One run, 4 s per claim and tool (--timeout): stabcert checks the whole directory once
(`check --timeout S --format json`, per-claim `millis`); each claim is translated to SMT-LIB
(bounds and hypotheses asserted, the conclusion negated: unsat = proved, sat = refuted) and
given to cvc5 (its transcendental arithmetic: exp, sin, cos, tan, arctan, real.pi; log(t) as a
fresh l with exp(l) = t, sqrt(t) as a fresh s >= 0 with s*s = t, sinh/cosh/tanh through exp)
and to z3 (the same text with the transcendental functions uninterpreted and pi bounded by
3.14159 < pi < 3.1416: its unsat is a proof, its sat is no counterexample and counts as
unknown).

Prints one row per claim and, per tool: decided share, wrong verdicts (against `expect`: the
source's status for the originals, the checked violating point for the variants), and the
solve-time ratios (sum of milliseconds over the claims both decided; and over all claims).
stabcert writes a certificate for every proof and `stabcert recheck` re-checks them all in the
kernel. Exit status 0, or 1 if a tool gives a wrong verdict or the kernel rejects a proof, 2 on a
harness error.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "transcendental"))
sys.dont_write_bytecode = True
import problems  # noqa: E402

# ---- a small parser for the claim language's expressions ----


def tokens(text):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c.isdigit() or c == ".":
            j = i
            while j < len(text) and (text[j].isdigit() or text[j] == "."):
                j += 1
            out.append(("num", text[i:j]))
            i = j
        elif c.isalpha() or c == "_":
            j = i
            while j < len(text) and (text[j].isalnum() or text[j] == "_"):
                j += 1
            out.append(("name", text[i:j]))
            i = j
        elif text.startswith("<=", i) or text.startswith(">=", i):
            out.append(("op", text[i:i + 2]))
            i += 2
        else:
            out.append(("op", c))
            i += 1
    return out


class Parser:
    def __init__(self, text):
        self.t = tokens(text)
        self.i = 0

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)

    def take(self, want=None):
        tok = self.peek()
        if want is not None and tok[1] != want:
            raise ValueError(f"expected {want}, found {tok}")
        self.i += 1
        return tok

    def expr(self):
        e = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            e = (op, e, self.term())
        return e

    def term(self):
        e = self.unary()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            e = (op, e, self.unary())
        return e

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            return ("neg", self.unary())
        e = self.atom()
        if self.peek()[1] == "^":
            self.take()
            neg = self.peek()[1] == "-"
            if neg:
                self.take()
            n = int(self.take()[1])
            e = ("pow", e, -n if neg else n)
        return e

    def atom(self):
        kind, v = self.take()
        if kind == "num":
            return ("num", v)
        if v == "(":
            e = self.expr()
            self.take(")")
            return e
        if kind == "name" and self.peek()[1] == "(":
            self.take("(")
            args = [self.expr()]
            while self.peek()[1] == ",":
                self.take()
                args.append(self.expr())
            self.take(")")
            return ("call", v, args)
        return ("var", v)

    def comparison(self):
        lhs = self.expr()
        op = self.take()[1]
        return (op, lhs, self.expr())

    def bindings(self):
        out = []
        while True:
            name = self.take()[1]
            self.take("in")
            lo_open = self.take()[1] == "("
            lo = self.expr()
            self.take(",")
            hi = self.expr()
            hi_open = self.take()[1] == ")"
            out.append((name, lo, lo_open, hi, hi_open))
            if self.peek()[1] != ",":
                return out
            self.take(",")


class Smt:
    """Expressions to SMT-LIB, with fresh variables (and their definitions) for log and sqrt."""

    def __init__(self, uninterpreted):
        self.defs, self.fresh, self.uninterpreted = [], [], uninterpreted

    def new(self, prefix):
        v = f"{prefix}{len(self.fresh)}"
        self.fresh.append(v)
        return v

    def num(self, v):
        if "." in v:
            a, b = v.split(".")
            return f"(/ {int(a + b)}.0 {10 ** len(b)}.0)"
        return f"{int(v)}.0"

    def e(self, x):
        k = x[0]
        if k == "num":
            return self.num(x[1])
        if k == "var":
            return "pi" if x[1] == "pi" and self.uninterpreted else (
                "real.pi" if x[1] == "pi" else x[1])
        if k == "neg":
            return f"(- {self.e(x[1])})"
        if k in "+-*/":
            return f"({k} {self.e(x[1])} {self.e(x[2])})"
        if k == "pow":
            base, n = self.e(x[1]), x[2]
            p = "1.0" if n == 0 else (base if abs(n) == 1 else f"(* {' '.join([base] * abs(n))})")
            return f"(/ 1.0 {p})" if n < 0 else p
        if k == "call":
            f, args = x[1], [self.e(a) for a in x[2]]
            a = args[0]
            if f == "log":
                v = self.new("l")
                self.defs.append(f"(= (exp {v}) {a})")
                return v
            if f == "sqrt":
                v = self.new("s")
                self.defs.append(f"(>= {v} 0.0)")
                self.defs.append(f"(= (* {v} {v}) {a})")
                return v
            if f == "sinh":
                return f"(/ (- (exp {a}) (exp (- {a}))) 2.0)"
            if f == "cosh":
                return f"(/ (+ (exp {a}) (exp (- {a}))) 2.0)"
            if f == "tanh":
                return f"(/ (- (exp {a}) (exp (- {a}))) (+ (exp {a}) (exp (- {a}))))"
            name = {"atan": "arctan", "asin": "arcsin", "acos": "arccos"}.get(f, f)
            return f"({name} {' '.join(args)})"
        raise ValueError(x)


def smtlib(bindings, goal, uninterpreted):
    s = Smt(uninterpreted)
    bs = Parser(bindings).bindings()
    g = Parser(goal).comparison()
    asserts = []
    for name, lo, lo_open, hi, hi_open in bs:
        asserts.append(f"({'<' if lo_open else '<='} {s.e(lo)} {name})")
        asserts.append(f"({'<' if hi_open else '<='} {name} {s.e(hi)})")
    goal_smt = f"({g[0]} {s.e(g[1])} {s.e(g[2])})"
    lines = ["(set-logic ALL)"]
    if uninterpreted:
        for f in ["exp", "sin", "cos", "tan", "arctan", "arcsin", "arccos"]:
            lines.append(f"(declare-fun {f} (Real) Real)")
        lines.append("(declare-const pi Real)")
        asserts.append("(< (/ 314159.0 100000.0) pi)")
        asserts.append("(< pi (/ 31416.0 10000.0))")
    for name, *_ in bs:
        lines.append(f"(declare-const {name} Real)")
    for v in s.fresh:
        lines.append(f"(declare-const {v} Real)")
    for a in asserts + s.defs:
        lines.append(f"(assert {a})")
    lines.append(f"(assert (not {goal_smt}))")
    lines.append("(check-sat)")
    return "\n".join(lines)


def run_cvc5(text, ms):
    import cvc5
    solver = cvc5.Solver()
    solver.setOption("tlimit-per", str(ms))
    parser = cvc5.InputParser(solver)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "claim")
    sm = parser.getSymbolManager()
    out = ""
    t0 = time.perf_counter()
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        out = cmd.invoke(solver, sm) or out
    return out.strip().split()[0] if out.strip() else "unknown", (time.perf_counter() - t0) * 1e3


def run_z3(text, ms):
    import z3
    solver = z3.Solver()
    solver.set("timeout", ms)
    solver.add(z3.parse_smt2_string(text))
    t0 = time.perf_counter()
    r = str(solver.check())
    return r, (time.perf_counter() - t0) * 1e3


def verdict_of(answer, sat_means_refuted=True):
    if answer == "unsat":
        return "proved"
    if answer == "sat" and sat_means_refuted:
        return "refuted"
    return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--timeout", type=float, default=4.0, help="seconds per claim and tool")
    ap.add_argument("--stabcert", default=os.path.join(ROOT, "target", "release", "stabcert"))
    args = ap.parse_args()
    ms = int(args.timeout * 1000)

    claims = []
    for p in problems.PROBLEMS:
        source, name, bindings, where, goal, _, _ = p
        assert where is None, "hypotheses are not translated"
        vb, vg = problems.variant(p)
        claims.append((name, "proved", bindings, goal, source))
        claims.append((name + "_false", "refuted", vb, vg, source))

    certs = tempfile.mkdtemp(prefix="stabcert-certs-")
    cmd = [args.stabcert, "check", "--timeout", str(args.timeout), "--format", "json",
           "--certificates", certs, os.path.join(HERE, "transcendental")]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stab_wall = time.perf_counter() - t0
    try:
        report = json.loads(p.stdout)
    except json.JSONDecodeError:
        print(f"stabcert gave no JSON (exit {p.returncode}): {p.stderr[-2000:]}", file=sys.stderr)
        return 2
    stab = {c["name"]: (c["verdict"], c["millis"]) for c in report["claims"]}
    # Every proof goes to the kernel: `recheck` exits 0 only if it accepts them all.
    r = subprocess.run([args.stabcert, "recheck", certs], cwd=ROOT, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    recheck = (r.stdout.strip().splitlines() or ["(no output)"])[-1]
    shutil.rmtree(certs, ignore_errors=True)

    rows = []
    for name, expect, bindings, goal, source in claims:
        if name not in stab:
            print(f"stabcert did not report {name}", file=sys.stderr)
            return 2
        c_ans, c_ms = run_cvc5(smtlib(bindings, goal, False), ms)
        z_ans, z_ms = run_z3(smtlib(bindings, goal, True), ms)
        rows.append((name, expect, stab[name], (verdict_of(c_ans), c_ms),
                     (verdict_of(z_ans, sat_means_refuted=False), z_ms)))

    head = f"{'claim':34} {'expect':8} {'stabcert':>18} {'cvc5':>18} {'z3':>18}"
    print(head)
    print("-" * len(head))
    tools = ["stabcert", "cvc5", "z3"]
    stats = {t: {"decided": 0, "wrong": 0, "ms": 0.0} for t in tools}
    both = {t: [0.0, 0.0] for t in ["cvc5", "z3"]}
    for name, expect, *answers in rows:
        cells = []
        for t, (v, m) in zip(tools, answers):
            s = stats[t]
            s["ms"] += m
            if v != "unknown":
                s["decided"] += 1
                if v != expect:
                    s["wrong"] += 1
            cells.append(f"{v} {m:8.1f}ms")
        for t, (v, m) in zip(["cvc5", "z3"], answers[1:]):
            if v != "unknown" and answers[0][0] != "unknown":
                both[t][0] += answers[0][1]
                both[t][1] += m
        print(f"{name:34} {expect:8} " + " ".join(f"{c:>18}" for c in cells))
    n = len(rows)
    print()
    print(f"{n} claims ({n // 2} MetiTarski problems and their false variants), "
          f"{args.timeout:g} s per claim and tool")
    for t in tools:
        s = stats[t]
        print(f"  {t:8}: decided {s['decided']}/{n} ({100 * s['decided'] / n:.0f}%), "
              f"wrong {s['wrong']}, total {s['ms'] / 1e3:.2f} s")
    for t in ["cvc5", "z3"]:
        a, b = both[t]
        ratio = f"{b / a:.1f}x" if a > 0 else "n/a"
        print(f"  solve time {t}/stabcert on the claims both decided: {b:.1f} ms / {a:.1f} ms = {ratio}")
        total = stats[t]["ms"] / max(stats["stabcert"]["ms"], 1e-9)
        print(f"  solve time {t}/stabcert over all claims: {total:.2f}x")
    print(f"  stabcert process wall time (whole directory): {stab_wall:.2f} s")
    print(f"  kernel recheck of stabcert's proofs (exit {r.returncode}): {recheck}")
    if r.returncode != 0:
        return 1
    return 1 if any(stats[t]["wrong"] for t in tools) else 0


if __name__ == "__main__":
    sys.exit(main())
