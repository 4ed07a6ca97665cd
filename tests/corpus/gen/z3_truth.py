#!/usr/bin/env python3
"""Checks the `expect` of simple .stab claims with Z3 (QF_NRA), independently of stabcert.

    python tests/corpus/gen/z3_truth.py tests/corpus/user_claims.stab tests/corpus/heldout.stab

Claims of the form `claim NAME ["..."] [expect V]: forall x in [a, b], ... [where H, ...] => C, ...`
with `sqrt`, `abs`, `min`, `max`, `^` (integer exponents), chained comparisons; decimals are exact
rationals; binding ends may use earlier variables and calls with commas. `sqrt(e)` becomes a fresh
`s >= 0` with `s^2 = e`. Undefined values follow the claim language: `sqrt` of a negative number,
a zero denominator or a zero base under a negative exponent anywhere in a binding end, a hypothesis
or a conclusion makes the claim fail at that point (the definedness conditions join the goal). A
claim is proved when `bindings and hyps and not (defined and C1 and ...)` is unsat, refuted when sat
(the model is printed, as decimals, for a refuted claim). Run in a venv with z3-solver (e.g.
`python3 -m venv target/heldout-venv && target/heldout-venv/bin/pip install z3-solver`).
Exit 1 if some `expect` disagrees with Z3 or Z3 cannot decide a claim.
"""

import ast
import re
import sys

import z3


def parse(text):
    text = re.sub(r"#[^\n]*", "", text)
    for m in re.finditer(r'claim\s+(\w+)\s*("[^"]*")?\s*(?:expect\s+(\w+))?\s*:(.*?)(?=\n\s*claim\s|\Z)', text, re.S):
        yield m.group(1), m.group(3) or "proved", " ".join(m.group(4).split())


def split_top(s, seps=","):
    """Splits `s` at the characters of `seps` outside parentheses."""
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch in seps and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [p for p in out if p.strip()]


def bindings(head):
    """`x in [a, b], y in (c, d]` as (name, lo, hi, lo_closed, hi_closed); ends may hold calls."""
    out, i = [], 0
    while True:
        m = re.compile(r"\s*,?\s*(\w+)\s+in\s+([\[(])").match(head, i)
        if not m:
            assert not head[i:].strip(), f"cannot read bindings at {head[i:]!r}"
            return out
        j, depth, comma = m.end(), 0, None
        while True:
            ch = head[j]
            if ch == "(":
                depth += 1
            elif ch == ")" and depth > 0:
                depth -= 1
            elif ch == "," and depth == 0 and comma is None:
                comma = j
            elif ch in ")]" and depth == 0:
                break
            j += 1
        out.append((m.group(1), head[m.end():comma], head[comma + 1:j], m.group(2) == "[", ch == "]"))
        i = j + 1


class Ev:
    def __init__(self):
        self.env = {}
        self.side = []  # definitions of the fresh sqrt values
        self.defined = []  # where the evaluated expressions are defined

    def __call__(self, s):
        s = re.sub(r"(?<![\w.])(\d+\.\d+|\d+)(?![\w.])", r'Q("\1")', s).replace("^", "**")
        return self.node(ast.parse(s.strip(), mode="eval").body)

    def power(self, b, n):
        if n < 0:
            self.defined.append(b != 0)
            return 1 / self.power(b, -n)
        acc, sq = z3.RealVal(1), b
        while n:
            if n & 1:
                acc = acc * sq
            sq, n = sq * sq, n >> 1
        return acc

    def node(self, e):
        if isinstance(e, ast.BinOp):
            if isinstance(e.op, ast.Pow):
                n = e.right
                sign = 1
                if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
                    sign, n = -1, n.operand
                assert isinstance(n, ast.Call) and n.func.id == "Q", "integer exponent expected"
                return self.power(self.node(e.left), sign * int(n.args[0].value))
            a, b = self.node(e.left), self.node(e.right)
            if isinstance(e.op, ast.Add):
                return a + b
            if isinstance(e.op, ast.Sub):
                return a - b
            if isinstance(e.op, ast.Mult):
                return a * b
            if isinstance(e.op, ast.Div):
                self.defined.append(b != 0)
                return a / b
            raise ValueError(f"operator {e.op}")
        if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.USub):
            return -self.node(e.operand)
        if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.UAdd):
            return self.node(e.operand)
        if isinstance(e, ast.Name):
            return self.env[e.id]
        if isinstance(e, ast.Call):
            f = e.func.id
            if f == "Q":
                return z3.RealVal(e.args[0].value)
            args = [self.node(a) for a in e.args]
            if f == "sqrt":
                s = z3.FreshReal("s")
                self.side.extend([s >= 0, z3.Implies(args[0] >= 0, s * s == args[0])])
                self.defined.append(args[0] >= 0)
                return s
            if f == "abs":
                return z3.If(args[0] >= 0, args[0], -args[0])
            if f == "min":
                return z3.If(args[0] <= args[1], args[0], args[1])
            if f == "max":
                return z3.If(args[0] >= args[1], args[0], args[1])
            raise ValueError(f"function {f}")
        raise ValueError(f"cannot read {ast.dump(e)}")


def conds(ev, s):
    out = []
    for c in split_top(s):
        parts = re.split(r"(<=|>=|<|>)", c)
        vals = [ev(p) for p in parts[0::2]]
        for a, op, b in zip(vals, parts[1::2], vals[1:]):
            out.append({"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op])
    return out


def decide(body, timeout_ms=60000):
    """`(verdict, model)` of one claim body (the text after `:`)."""
    body = body.strip()
    assert body.startswith("forall ")
    head, concl = body[len("forall "):].split("=>")
    head, _, hyps = head.partition(" where ")
    ev = Ev()
    dom = []
    for name, lo, hi, lo_closed, hi_closed in bindings(head):
        lo, hi = ev(lo), ev(hi)
        x = z3.Real(name)
        ev.env[name] = x
        dom += [lo <= x if lo_closed else lo < x, x <= hi if hi_closed else x < hi]
    hs = conds(ev, hyps) if hyps else []
    gs = conds(ev, concl)
    s = z3.SolverFor("QF_NRA")
    s.set("timeout", timeout_ms)
    # The definedness of ends and hypotheses is part of the goal too: a point of the box where
    # they are undefined is a failure of the claim, as in the claim language.
    s.add(*dom, *hs, *ev.side, z3.Not(z3.And(*ev.defined, *gs)))
    r = s.check()
    if r == z3.sat:
        m = s.model()
        return "refuted", {n: m.eval(ev.env[n]).as_decimal(8) for n in ev.env}
    return ("proved" if r == z3.unsat else "unknown"), None


def main():
    bad = 0
    for path in sys.argv[1:]:
        for name, expect, body in parse(open(path).read()):
            got, model = decide(body)
            ok = got == expect
            bad += not ok
            extra = f" at {model}" if model else ""
            print(f"{'ok ' if ok else 'BAD'} {name}: z3 {got}, expect {expect}{extra}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
