#!/usr/bin/env python3
"""Box-bounded universal problems with transcendental functions from MetiTarski's problem set
(Akbarpour and Paulson; the `tptp/` problem files distributed with MetiTarski, named below),
each with a false variant made by perturbing one constant.

Each entry: (source file, name, bindings, hypothesis or None, conclusion, variant) where the
bindings and expressions are in the claim language of stabcert (docs/language.md) and the
variant is (old text, new text) replaced once in the conclusion or bindings. The originals are
Theorems by the source's status; each variant is false, shown by the violating point given
(checked in float here when the files are written, and by stabcert's exact witness).

`python3 benches/transcendental/problems.py` rewrites benches/transcendental/*.stab.
"""

import math
import os
import re

# (source, name, bindings, where, conclusion, (old, new), violating point of the variant)
PROBLEMS = [
    ("cos-3411-b-weak.tptp", "cos_3411_b_weak",
     "a in (0.1, 1.4), t in (0, 1.4)", None,
     "2*(cos(a) - sin(a))^2 <= (cos(a + t) + sin(a + t))^2 + 2.05",
     ("2.05", "1.2"), {"a": 1.38, "t": 0.97}),
    ("cos-3411-a.tptp", "cos_3411_a",
     "a in (0, 1.5707)", None,
     "2*(cos(a) - sin(a))^2 <= 0.1 + (cos(a + 1) + sin(a + 1))^2 + (cos(a - 1) + sin(a - 1))^2",
     ("0.1 +", "-1.5 +"), {"a": 0.01}),
    ("sin-problem-7-weak.tptp", "sin_problem_7_weak",
     "x in (0, pi/2), y in (x, pi/2)", None,
     "x/y <= 0.0005 + sin(x)/sin(y)",
     ("0.0005 +", "-0.0005 +"), {"x": 1.0, "y": 1.0001}),
    ("tanh-3610.tptp", "tanh_3610",
     "x in [0, 6.5)", None,
     "atan(x) <= (pi/2)*tanh(x)",
     ("(pi/2)", "1"), {"x": 2.0}),
    ("tan-1-1var-pi.tptp", "tan_1_1var_pi",
     "x in (0, 0.95)", None,
     "tan(x) <= tan(1)*tan(x*pi/4)",
     ("tan(1)", "1.5"), {"x": 0.949}),
    ("exp-problem-8-weak2.tptp", "exp_problem_8_weak2",
     "x in (0, 11)", None,
     "x*exp(x/2) < exp(x) - 1",
     ("- 1", "- 1.5"), {"x": 0.5}),
    ("cosh-3612a-weak.tptp", "cosh_3612a_weak",
     "x in (0, 2.4)", None,
     "(3 + x^2/11)*sinh(x)/(2 + cosh(x) + x^2/11) < x",
     ("(3 +", "(3.2 +"), {"x": 1.0}),
    ("cosh-3612a.tptp", "cosh_3612a",
     "x in (0, 5)", None,
     "(3 + x^2/11)*sinh(x)/(2 + cosh(x) + x^2/11) < x",
     ("(3 +", "(3.1 +"), {"x": 2.0}),
    ("exp-hyperbolic-1.tptp", "exp_hyperbolic_1",
     "x in (0, 5.1785)", None,
     "(3 + x^2/11)*((exp(x) - exp(-x))/2)/(2 + (exp(x) + exp(-x))/2 + x^2/11) < x",
     ("x^2/11)*", "x^2/10)*"), {"x": 2.0}),
    ("exp-hyperbolic-1.tptp (PolyPaver form)", "exp_hyperbolic_1_polypaver",
     "x in (0.01, 5.1785)", None,
     "(3 + x^2/11)*((exp(x) - exp(-x))/2) < x*(2 + (exp(x) + exp(-x))/2 + x^2/11)",
     ("5.1785", "5.25"), {"x": 5.24}),
    ("atan-problem-1-sqrt-weak.tptp", "atan_problem_1_sqrt_weak",
     "x in (0, 15/4]", None,
     "0.4 + atan(x) > 8*sqrt(3)*x/(3*sqrt(3) + sqrt(75 + 80*x^2))",
     ("0.4 +", "-0.4 +"), {"x": 3.75}),
    ("sin-3425a.tptp", "sin_3425a",
     "x2 in (0, sqrt(6)), x1 in (0, x2)", None,
     "(x2 - x2^3/6)/(x1 - x1^3/6) <= 0.0001 + sin(x2)/sin(x1)",
     ("0.0001 +", "-0.01 +"), {"x2": 1.0, "x1": 0.999}),
    ("sin-3425b-weak.tptp", "sin_3425b_weak",
     "x2 in (0, sqrt(6)), x1 in (0, x2)", None,
     "sin(x2)/sin(x1) <= 0.01 + (x2 - x2^3/6 + x2^5/120)/(x1 - x1^3/6 + x1^5/120)",
     ("0.01 +", "-0.01 +"), {"x2": 1.0, "x1": 0.999}),
    # X != 1 of the source: the range split at 1 into two problems.
    ("log-3615.tptp (X < 1)", "log_3615_below",
     "x in (0.0003, 1)", None,
     "log(x)/(x - 1) <= 1/sqrt(x)",
     ("<= 1/sqrt(x)", "<= 0.9/sqrt(x)"), {"x": 0.5}),
    ("log-3615.tptp (X > 1)", "log_3615_above",
     "x in (1, 3500)", None,
     "log(x)/(x - 1) <= 1/sqrt(x)",
     ("<= 1/sqrt(x)", "<= 0.9/sqrt(x)"), {"x": 2.0}),
    ("exp-upper-3.tptp", "exp_upper_3",
     "x in [0, 1.79]", None,
     "exp(x) <= 1 + x + x^2",
     ("1.79", "1.8"), {"x": 1.799}),
    # The source's X >= 0, bounded by the [0, 1] of the lemma it cites (Avigad's Ln.thy aux4).
    ("exp-upper-8.tptp ([0, 1] of its source lemma)", "exp_upper_8",
     "x in [0, 1]", None,
     "exp(x - x^2) <= 1 + x",
     ("1 + x", "1 + 0.9*x"), {"x": 0.1}),
    ("exp-upper-11.tptp", "exp_upper_11",
     "x in [0, 2)", None,
     "exp(x) <= (2 + x)/(2 - x)",
     ("(2 + x)", "(1.99 + x)"), {"x": 0.01}),
    # The source's X < 1, on the 0 <= x <= 1 of the inequality its comment derives it from.
    ("exp-upper-14.tptp ([0, 1) of its source)", "exp_upper_14",
     "x in [0, 1)", None,
     "exp(x) <= 1/(1 - x)",
     ("1/(1 - x)", "1/(1 - 0.9*x)"), {"x": 0.05}),
    ("exp-fun-ineq-c-III-15.tptp", "exp_fun_ineq_c_iii_15",
     "x in (0, 1]", None,
     "(1 + x/15)^16 > exp(x)",
     ("^16", "^14"), {"x": 0.5}),
]

PY = {"exp": math.exp, "log": math.log, "sin": math.sin, "cos": math.cos, "tan": math.tan,
      "atan": math.atan, "asin": math.asin, "acos": math.acos, "sinh": math.sinh,
      "cosh": math.cosh, "tanh": math.tanh, "sqrt": math.sqrt, "pi": math.pi}


def py_value(expr, point):
    """Evaluates a claim-language expression in floats (a sanity check, not a verdict)."""
    text = expr.replace("^", "**")
    return eval(text, {"__builtins__": {}}, {**PY, **point})


def holds_at(conclusion, point):
    ops = ["<=", ">=", "<", ">"]
    for op in ops:
        if op in conclusion:
            lhs, rhs = conclusion.split(op, 1)
            a, b = py_value(lhs, point), py_value(rhs, point)
            return {"<=": a <= b, ">=": a >= b, "<": a < b, ">": a > b}[op]
    raise ValueError(conclusion)


def variant(p):
    source, name, bindings, where, goal, (old, new), _ = p
    if old in goal:
        return bindings, goal.replace(old, new, 1)
    assert old in bindings, (name, old)
    return bindings.replace(old, new, 1), goal


def claim_text(name, expect, bindings, where, goal):
    w = f"\n  where {where}" if where else ""
    return f"claim {name} expect {expect}:\n  forall {bindings}{w}\n  => {goal}\n"


def write_all(outdir):
    for p in PROBLEMS:
        source, name, bindings, where, goal, (old, new), point = p
        vb, vg = variant(p)
        assert not holds_at(vg, point), f"{name}: the variant holds at {point}"
        text = (
            f"# MetiTarski problem set, {source}: a Theorem by the source's status.\n"
            f"# Written by benches/transcendental/problems.py; edit that, not this file.\n\n"
            + claim_text(name, "proved", bindings, where, goal)
            + f"\n# FALSE variant: `{old}` replaced by `{new}`; fails e.g. at {point}.\n"
            + claim_text(name + "_false", "refuted", vb, where, vg)
        )
        with open(os.path.join(outdir, name + ".stab"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    write_all(os.path.dirname(os.path.abspath(__file__)))
