#!/usr/bin/env python3
"""Write the false variants of the Flyspeck files: benches/smtlib/flyspeck-false/N.smt2.

Each Flyspeck file asserts a box and the negation `(not (OP A B))` of a true inequality
(`OP` one of < <= > >=), so it is unsat. Its variant moves `B` by a constant `d` so that the
inequality fails at the box's centre by 1/100: `(> A B)` becomes `(> A (+ B d))` with
`d = A(c) - B(c) + 1/100`, `(< A B)` becomes `(< A (- B d))` with `d = B(c) - A(c) + 1/100`.
The variant is then sat (the centre is a model; a solver may find another), and says so with
`(set-info :status sat)`. `A(c) - B(c)` is computed in floating point, whose error on these
terms is far below the 1/100 margin; `d` is written with 6 decimals, rounded up.

Run from anywhere: `python3 benches/smtlib/false_variants.py` (rewrites the directory).
"""

import itertools
import math
import os
import random
import re
import sys
from decimal import ROUND_CEILING, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.dont_write_bytecode = True
from compare_smtlib import parse_sexps as parse  # noqa: E402
CMP = ("<", "<=", ">", ">=")


def show(t):
    return t if isinstance(t, str) else "(" + " ".join(show(a) for a in t) + ")"


def ev(t, env):
    """A float value of a real term, or a bool of a formula (the Flyspeck terms only)."""
    if isinstance(t, str):
        return env[t] if t in env else float(t)
    h, a = t[0], t[1:]
    if h == "ite":
        return ev(a[1], env) if ev(a[0], env) else ev(a[2], env)
    v = [ev(x, env) for x in a]
    ops = {
        "+": lambda: sum(v),
        "-": lambda: -v[0] if len(v) == 1 else v[0] - sum(v[1:]),
        "*": lambda: math.prod(v),
        "/": lambda: v[0] / v[1],
        "^": lambda: v[0] ** v[1],
        "arctan": lambda: math.atan(v[0]),
        "sqrt": lambda: math.sqrt(v[0]),
        "<": lambda: v[0] < v[1],
        "<=": lambda: v[0] <= v[1],
        ">": lambda: v[0] > v[1],
        ">=": lambda: v[0] >= v[1],
        "and": lambda: all(v),
        "or": lambda: any(v),
        "not": lambda: not v[0],
    }
    return ops[h]()


def conjuncts(script):
    """Every asserted formula, top-level `and`s opened."""
    out = []
    todo = [c[1] for c in script if isinstance(c, list) and c and c[0] == "assert"]
    while todo:
        f = todo.pop(0)
        if isinstance(f, list) and f and f[0] == "and":
            todo = f[1:] + todo
        else:
            out.append(f)
    return out


def box(script):
    """{variable: (lo, hi)} from the comparisons of a declared variable with a closed term."""
    names = {c[1] for c in script if isinstance(c, list) and c[0] in ("declare-fun", "declare-const")}
    lo, hi = {}, {}
    for f in conjuncts(script):
        if not (isinstance(f, list) and len(f) == 3 and f[0] in ("<=", "<")):
            continue
        a, b = f[1], f[2]
        if isinstance(b, str) and b in names and not (isinstance(a, str) and a in names):
            lo[b] = ev(a, {})
        elif isinstance(a, str) and a in names and not (isinstance(b, str) and b in names):
            hi[a] = ev(b, {})
    return {x: (lo[x], hi[x]) for x in names}


def least(f, bx, samples=20000, seed=1):
    """The least value of `f` found at the box's vertices and random points, and where."""
    rng = random.Random(seed)
    names = sorted(bx)
    points = [dict(zip(names, v)) for v in itertools.product(*(bx[x] for x in names))]
    points += [{x: rng.uniform(*bx[x]) for x in names} for _ in range(samples)]
    return min(((f(p), p) for p in points), key=lambda t: t[0])


def variant(text):
    script = parse(text)
    goal = [f for f in conjuncts(script)
            if isinstance(f, list) and f[0] == "not" and isinstance(f[1], list)
            and f[1][0] in CMP]
    if len(goal) != 1:
        raise ValueError(f"{len(goal)} negated comparisons")
    op, a, b = goal[0][1]
    bx = box(script)
    if op in (">", ">="):
        gap, at = least(lambda p: ev(a, p) - ev(b, p), bx)
    else:
        gap, at = least(lambda p: ev(b, p) - ev(a, p), bx)
    if gap <= 0:
        raise ValueError("the inequality fails at a sample already")
    d = (Decimal(gap) + Decimal("0.01")).quantize(Decimal("0.000001"), ROUND_CEILING)
    goal[0][1][2] = ["+" if op in (">", ">=") else "-", b, str(d)]
    body = "\n".join(show(cmd) for cmd in script)
    return body, d, at


def main():
    out_dir = os.path.join(HERE, "flyspeck-false")
    os.makedirs(out_dir, exist_ok=True)
    src_dir = os.path.join(HERE, "flyspeck")
    for name in sorted(os.listdir(src_dir), key=lambda n: int(n.split(".")[0])):
        with open(os.path.join(src_dir, name)) as f:
            text = f.read()
        body, d, c = variant(text)
        body = re.sub(r"(\(set-logic [^)]*\))", r"\1\n(set-info :status sat)", body, count=1)
        at = ", ".join(f"{x} = {v:.6g}" for x, v in sorted(c.items()))
        head = (f"; False variant of flyspeck/{name} (benches/smtlib/false_variants.py): the\n"
                f"; negated inequality's right side moved by {d}, so that it fails by 1/100\n"
                f"; at the best of 20000 random points and the vertices of the box:\n; {at}.\n")
        with open(os.path.join(out_dir, name), "w") as f:
            f.write(head + body + "\n")
        print(f"flyspeck-false/{name}: d = {d}")


if __name__ == "__main__":
    main()
