#!/usr/bin/env python3
"""Checks the `expect` of simple .stab claims with Z3 (QF_NRA), independently of stabcert.

    python tests/corpus/gen/z3_truth.py tests/corpus/user_claims.stab

Claims of the form `claim NAME ["..."] [expect V]: forall x in [a, b], ... [where H, ...] => C, ...`
with `sqrt`, `abs`, `min`, `max`, `^`; decimals are exact rationals. `sqrt(e)` becomes a fresh
`s >= 0` with `s^2 = e` (and `e >= 0`, where the claim language makes it undefined). A claim is
proved when `bindings and hyps and not (C1 and ...)` is unsat, refuted when sat. Run in the
bench venv (benches/venv.sh installs z3-solver). Exit 1 if some `expect` disagrees with Z3.
"""

import re
import sys

import z3


def parse(text):
    text = re.sub(r"#[^\n]*", "", text)
    for m in re.finditer(r'claim\s+(\w+)\s*("[^"]*")?\s*(?:expect\s+(\w+))?\s*:(.*?)(?=\nclaim|\Z)', text, re.S):
        yield m.group(1), m.group(3) or "proved", " ".join(m.group(4).split())


def decide(body):
    body = body.strip()
    assert body.startswith("forall ")
    head, concl = body[len("forall "):].split("=>")
    head, _, hyps = head.partition(" where ")
    head = head.strip()
    side = []
    env = {}

    def sqrt(e):
        s = z3.FreshReal("s")
        side.extend([s >= 0, s * s == e, e >= 0])
        return s

    names = {"sqrt": sqrt, "abs": lambda e: z3.If(e >= 0, e, -e),
             "min": lambda a, b: z3.If(a <= b, a, b), "max": lambda a, b: z3.If(a >= b, a, b),
             "Q": z3.RealVal}

    def ev(s):
        s = re.sub(r"(?<![\w.])(\d+\.\d+|\d+)(?![\w.])", r'Q("\1")', s).replace("^", "**")
        return eval(s, {}, {**names, **env})

    cons = []
    for b in re.finditer(r"(\w+)\s+in\s+([\[(])(.*?),\s*(.*?)([\])])(?:,|$)", head):
        x = z3.Real(b.group(1))
        env[b.group(1)] = x
        lo, hi = ev(b.group(3)), ev(b.group(4))
        cons.append(lo <= x if b.group(2) == "[" else lo < x)
        cons.append(x <= hi if b.group(5) == "]" else x < hi)

    def conds(s):
        out = []
        for c in [c for c in re.split(r",(?![^()]*\))", s) if c.strip()]:
            parts = re.split(r"(<=|>=|<|>)", c)
            for i in range(1, len(parts), 2):
                a, op, b = ev(parts[i - 1]), parts[i], ev(parts[i + 1])
                out.append({"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op])
        return out

    hs = conds(hyps) if hyps else []
    gs = conds(concl)
    s = z3.SolverFor("QF_NRA")
    s.set("timeout", 60000)
    s.add(*cons, *hs, *side, z3.Not(z3.And(*gs)))
    r = s.check()
    return "proved" if r == z3.unsat else "refuted" if r == z3.sat else "unknown"


def main():
    bad = 0
    for path in sys.argv[1:]:
        for name, expect, body in parse(open(path).read()):
            got = decide(body)
            ok = got == expect
            bad += not ok
            print(f"{'ok ' if ok else 'BAD'} {name}: z3 {got}, expect {expect}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
