"""Exact evaluation of .stab claims at rational points, for the corpus generator.

Independent of the Rust code: expressions written in the claim language are translated to
Python over `fractions.Fraction`; `sqrt` of a non-square gives a rigorous rational interval
(`Iv`), and every comparison involving an interval is decided only when the interval is
clear of the other side (otherwise `Undecided` is raised, never a guess).
"""

import random
import re
from fractions import Fraction as F
from math import isqrt

SQRT_BITS = 200


class Undefined(Exception):
    """Division by zero or sqrt of a negative number."""


class Undecided(Exception):
    """A comparison an interval cannot decide (never happens at the corpus's points)."""


def _q(a):
    if isinstance(a, Iv):
        return a
    return Iv(F(a), F(a))


class Iv:
    """A closed interval [lo, hi] of rationals containing an exact real value."""

    def __init__(self, lo, hi):
        assert lo <= hi
        self.lo, self.hi = F(lo), F(hi)

    def __repr__(self):
        return f"Iv({float(self.lo)!r}, {float(self.hi)!r})"

    def __add__(self, o):
        o = _q(o)
        return Iv(self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__

    def __neg__(self):
        return Iv(-self.hi, -self.lo)

    def __pos__(self):
        return self

    def __sub__(self, o):
        return self + (-_q(o))

    def __rsub__(self, o):
        return _q(o) - self

    def __mul__(self, o):
        o = _q(o)
        p = [self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi]
        return Iv(min(p), max(p))

    __rmul__ = __mul__

    def recip(self):
        if self.lo == 0 and self.hi == 0:
            raise Undefined("division by zero")
        if self.lo <= 0 <= self.hi:
            raise Undecided("division by an interval containing 0")
        return Iv(1 / self.hi, 1 / self.lo)

    def __truediv__(self, o):
        return self * _q(o).recip()

    def __rtruediv__(self, o):
        return _q(o) * self.recip()

    def __pow__(self, n):
        n = F(n)
        assert n.denominator == 1
        n = int(n)
        m = abs(n)
        if m % 2 == 1 or self.lo >= 0:
            r = Iv(self.lo**m, self.hi**m)
        elif self.hi <= 0:
            r = Iv(self.hi**m, self.lo**m)
        else:
            r = Iv(0, max(-self.lo, self.hi) ** m)
        return r.recip() if n < 0 else r

    def _cmp(self, o):
        """-1, 0 or 1 if decided."""
        o = _q(o)
        if self.hi < o.lo:
            return -1
        if self.lo > o.hi:
            return 1
        if self.lo == self.hi == o.lo == o.hi:
            return 0
        raise Undecided(f"cannot compare {self} with {o}")

    def __lt__(self, o):
        return self._cmp(o) < 0

    def __le__(self, o):
        return self._cmp(o) <= 0

    def __gt__(self, o):
        return self._cmp(o) > 0

    def __ge__(self, o):
        return self._cmp(o) >= 0


def fpow(a, n):
    """a ** n with an integer literal exponent; 0 ** -n is undefined."""
    n = F(n)
    assert n.denominator == 1
    if isinstance(a, Iv):
        return a**n
    if a == 0 and n < 0:
        raise Undefined("0 to a negative power")
    return F(a) ** int(n)


def sqrt(a):
    if isinstance(a, Iv):
        if a.hi < 0:
            raise Undefined("sqrt of a negative number")
        if a.lo < 0:
            raise Undecided("sqrt of an interval containing 0")
        return Iv(_sqrt_lo(a.lo), _sqrt_hi(a.hi))
    a = F(a)
    if a < 0:
        raise Undefined("sqrt of a negative number")
    n, d = a.numerator, a.denominator
    rn, rd = isqrt(n), isqrt(d)
    if rn * rn == n and rd * rd == d:
        return F(rn, rd)
    return Iv(_sqrt_lo(a), _sqrt_hi(a))


def _sqrt_lo(q):
    scale = 1 << SQRT_BITS
    return F(isqrt(q.numerator * scale * scale // q.denominator), scale)


def _sqrt_hi(q):
    return _sqrt_lo(q) + F(1, 1 << SQRT_BITS)


def fabs(a):
    if isinstance(a, Iv):
        if a.lo >= 0:
            return a
        if a.hi <= 0:
            return -a
        return Iv(0, max(-a.lo, a.hi))
    return abs(F(a))


def fmin(a, b):
    if isinstance(a, Iv) or isinstance(b, Iv):
        a, b = _q(a), _q(b)
        return Iv(min(a.lo, b.lo), min(a.hi, b.hi))
    return min(F(a), F(b))


def fmax(a, b):
    if isinstance(a, Iv) or isinstance(b, Iv):
        a, b = _q(a), _q(b)
        return Iv(max(a.lo, b.lo), max(a.hi, b.hi))
    return max(F(a), F(b))


NUMBER = re.compile(r"(?<![A-Za-z0-9_.])(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)")


def _power(text):
    """Rewrites `A ^ N` (N an integer literal, optionally `-N` or `(-N)`) as `fpow(A, N)`.

    A is the operand to the left of `^`: a name, a call, a number or a parenthesised group.
    """
    while "^" in text:
        i = text.index("^")
        # exponent
        j = i + 1
        while text[j] == " ":
            j += 1
        m = re.match(r"\(\s*-?\s*\d+\s*\)|-?\s*\d+", text[j:])
        assert m, f"bad exponent in {text!r}"
        exp = m.group(0).replace("(", "").replace(")", "").replace(" ", "")
        end = j + m.end()
        # base
        k = i - 1
        while text[k] == " ":
            k -= 1
        if text[k] == ")":
            depth = 0
            while True:
                if text[k] == ")":
                    depth += 1
                elif text[k] == "(":
                    depth -= 1
                    if depth == 0:
                        break
                k -= 1
            # a call's name before the parenthesis belongs to the base
            while k > 0 and (text[k - 1].isalnum() or text[k - 1] == "_"):
                k -= 1
        else:
            while k > 0 and (text[k - 1].isalnum() or text[k - 1] in "_."):
                k -= 1
        base = text[k : i].strip()
        text = text[:k] + f"fpow({base}, {exp})" + text[end:]
    return text


def translate(text):
    """Claim-language expression (or condition chain) -> Python source over Fractions."""
    text = _power(text)
    text = NUMBER.sub(lambda m: f"F('{m.group(1)}')", text)
    text = re.sub(r"\bsqrt\(", "sqrt(", text)
    text = re.sub(r"\babs\(", "fabs(", text)
    text = re.sub(r"\bmin\(", "fmin(", text)
    text = re.sub(r"\bmax\(", "fmax(", text)
    return text


BASE_ENV = {
    "F": F,
    "fpow": fpow,
    "sqrt": sqrt,
    "fabs": fabs,
    "fmin": fmin,
    "fmax": fmax,
}


def split_top(text, sep=","):
    """Splits at `sep` outside any bracket (both ( and [ count, matched or not)."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == sep and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def parse_bindings(text):
    """`x in [0, 1], y in (0, x]` -> [(name, lb, lo, hi, rb), ...]."""
    out = []
    for b in split_top(text):
        name, rest = b.split(" in ", 1)
        rest = rest.strip()
        lb, rb = rest[0], rest[-1]
        assert lb in "([" and rb in ")]", b
        lo, hi = split_top(rest[1:-1])
        out.append((name.strip(), lb, lo, hi, rb))
    return out


class File:
    def __init__(self, name, header):
        self.name = name
        self.header = header
        self.items = []  # ("let", name, text) | ("def", name, params, body)
        self.claims = []
        self.env = dict(BASE_ENV)

    def let(self, name, text):
        self.items.append(("let", name, text))
        self.env[name] = eval(translate(text), self.env)

    def define(self, name, params, body):
        self.items.append(("def", name, params, body))
        self.env[name] = eval(f"lambda {params}: {translate(body)}", self.env)


def _ev(text, env):
    return eval(translate(text), env)


def check_point(claim, env, pt):
    """'outside' | 'holds' | 'violated: ...' for the exact point `pt` (name -> Fraction)."""
    env = dict(env)
    for name, lb, lo, hi, rb in claim.binds:
        v = F(pt[name])
        lo_v, hi_v = _ev(lo, env), _ev(hi, env)
        ok_lo = (lo_v <= v) if lb == "[" else (lo_v < v)
        ok_hi = (v <= hi_v) if rb == "]" else (v < hi_v)
        if not (ok_lo and ok_hi):
            return "outside"
        env[name] = v
    for h in claim.hyps:
        if not _ev(h, env):  # Undefined here is a corpus error: let it raise
            return "outside"
    for g in claim.goals:
        try:
            if not _ev(g, env):
                return f"violated: {g}"
        except (Undefined, ZeroDivisionError):
            return f"violated: {g} (undefined)"
    return "holds"


def _as_fraction(v):
    if isinstance(v, Iv):
        return (v.lo + v.hi) / 2
    return F(v)


def sample_point(claim, env, rng):
    """A random rational point of the bindings' ranges (ends included with some odds)."""
    env = dict(env)
    pt = {}
    for name, lb, lo, hi, rb in claim.binds:
        lo_v = _as_fraction(_ev(lo, env))
        hi_v = _as_fraction(_ev(hi, env))
        if lo_v > hi_v:
            return None
        r = rng.random()
        w = hi_v - lo_v
        if r < 0.1:
            v = lo_v
        elif r < 0.2:
            v = hi_v
        elif r < 0.3:
            v = lo_v + w * F(1, 10 ** rng.randint(1, 12))
        elif r < 0.4:
            v = hi_v - w * F(1, 10 ** rng.randint(1, 12))
        elif r < 0.55:
            v = lo_v + w * F(rng.randint(0, 12), 12)
        else:
            v = lo_v + w * F(rng.randint(0, 1 << 30), 1 << 30)
        pt[name] = v
        env[name] = v
    return pt
