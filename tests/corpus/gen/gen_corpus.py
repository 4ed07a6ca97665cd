#!/usr/bin/env python3
"""Generates the soundness corpus tests/corpus/*.stab and checks every claim's truth value.

    python3 tests/corpus/gen/gen_corpus.py          # rewrite the .stab files
    python3 tests/corpus/gen/gen_corpus.py --check  # only verify (exit 1 on any problem)

Every claim carries `expect proved|refuted` = its TRUE truth value, argued in the `#` comment
above it, or `expect vacuous` for a true claim whose domain is empty. The generator checks, in exact rational arithmetic (`fractions.Fraction`, with
rigorous rational intervals for `sqrt` of non-squares, see stabcheck.py):

* a false claim: its stated witness satisfies every binding and hypothesis and violates (or
  is undefined in) some conclusion. A few false claims fail only at irrational points
  (flagged `irrational`): they have no rational witness, and the comment says why.
* a true claim: no violation at a few hundred random, end and grid points, and at its
  "special" points (where it is tight). This is a sanity net, not the proof: the proof
  sketch is the comment. A vacuous claim: none of those points lies in its domain; any other
  claim: some point does (or one of its special points).
* every one-variable polynomial claim without hypotheses: its exact truth value by real root
  isolation with sympy (if installed), which must equal the expectation.
"""

import os
import random
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stabcheck import (  # noqa: E402
    File,
    Undecided,
    Undefined,
    check_point,
    parse_bindings,
    sample_point,
    split_top,
)

CORPUS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = 400


class Claim:
    def __init__(self, name, desc, expect, binds, goals, hyps=(), why=(), witness=None,
                 special=(), irrational=None):
        assert expect in ("proved", "refuted", "vacuous")
        self.name, self.desc, self.expect = name, desc, expect
        self.binds_text = binds
        self.binds = parse_bindings(binds)
        self.goals = split_top(goals)
        self.hyps = split_top(hyps) if isinstance(hyps, str) else list(hyps)
        self.why = [why] if isinstance(why, str) else list(why)
        self.witness = {k: F(v) for k, v in witness.items()} if witness else None
        self.special = [{k: F(v) for k, v in p.items()} for p in special]
        self.irrational = irrational
        if expect == "refuted":
            assert (self.witness is None) != (irrational is None), name


FILES = []


def new_file(name, header):
    f = File(name, header)
    FILES.append(f)
    return f


def T(f, name, desc, binds, goals, why, hyps=(), special=()):
    """A true claim."""
    f.claims.append(Claim(name, desc, "proved", binds, goals, hyps, why, special=special))


def V(f, name, desc, binds, goals, why, hyps=()):
    """A true claim whose domain is empty (`expect vacuous`)."""
    f.claims.append(Claim(name, desc, "vacuous", binds, goals, hyps, why))


def Fl(f, name, desc, binds, goals, why, witness=None, hyps=(), irrational=None):
    """A false claim, with a witness (or the reason it has only irrational ones)."""
    f.claims.append(Claim(name, desc, "refuted", binds, goals, hyps, why, witness=witness,
                          irrational=irrational))


def eps(k, style):
    """10^-k written as `1e-k` or `10^-k`."""
    return f"1e-{k}" if style % 2 == 0 else f"10^-{k}"


# ----------------------------------------------------------------------------------------
# margins.stab: bounds with margins from 1e-3 down to 1e-10, on both sides
# ----------------------------------------------------------------------------------------
m = new_file("margins", "Margins from 1e-3 down to 1e-10 on both sides of a known extremum.")

for k in range(3, 11):
    e = eps(k, k)
    T(m, f"quad_above_{k}", f"x(1-x) stays below 1/4 + 10^-{k}", "x in [0, 1]",
      f"x*(1 - x) <= 1/4 + {e}",
      "x(1-x) = 1/4 - (x - 1/2)^2 <= 1/4 < 1/4 + 10^-k.", special=[{"x": F(1, 2)}])
    Fl(m, f"quad_below_{k}", f"x(1-x) does not stay below 1/4 - 10^-{k}", "x in [0, 1]",
       f"x*(1 - x) <= 1/4 - {e}",
       "At x = 1/2, x(1-x) = 1/4 > 1/4 - 10^-k.", witness={"x": F(1, 2)})

# x y (1 - x - y) on the triangle: max 1/27 at (1/3, 1/3)
for k in (3, 5, 7, 9, 10):
    e = eps(k, k + 1)
    T(m, f"tri_prod_above_{k}", f"xy(1-x-y) <= 1/27 + 10^-{k} on the triangle",
      "x in [0, 1], y in [0, 1 - x]", f"x*y*(1 - x - y) <= 1/27 + {e}",
      "x, y, 1-x-y >= 0 sum to 1, so by AM-GM their product is at most (1/3)^3 = 1/27.",
      special=[{"x": F(1, 3), "y": F(1, 3)}])
    Fl(m, f"tri_prod_below_{k}", f"xy(1-x-y) exceeds 1/27 - 10^-{k} on the triangle",
       "x in [0, 1], y in [0, 1 - x]", f"x*y*(1 - x - y) <= 1/27 - {e}",
       "At x = y = 1/3 (1/3 <= 1 - 1/3), the product is exactly 1/27.",
       witness={"x": F(1, 3), "y": F(1, 3)})

# x y z (1 - x - y - z) on the 3-simplex: max 1/256 at (1/4, 1/4, 1/4)
for k in (3, 6, 9):
    e = eps(k, k)
    b = "x in [0, 1], y in [0, 1 - x], z in [0, 1 - x - y]"
    T(m, f"simplex4_above_{k}", "four-factor AM-GM on the simplex, above", b,
      f"x*y*z*(1 - x - y - z) <= 1/256 + {e}",
      "x, y, z, 1-x-y-z >= 0 sum to 1: AM-GM bounds the product by (1/4)^4 = 1/256.",
      special=[{"x": F(1, 4), "y": F(1, 4), "z": F(1, 4)}])
    Fl(m, f"simplex4_below_{k}", "four-factor AM-GM on the simplex, below", b,
       f"x*y*z*(1 - x - y - z) <= 1/256 - {e}",
       "At x = y = z = 1/4 the product is exactly 1/256.",
       witness={"x": F(1, 4), "y": F(1, 4), "z": F(1, 4)})

for k in (3, 6, 10):
    e = eps(k, k)
    T(m, f"x_plus_recip_{k}", "x + 1/x >= 2 - eps on (0, 10]", "x in (0, 10]",
      f"x + 1/x >= 2 - {e}", "x + 1/x - 2 = (x - 1)^2 / x >= 0 for x > 0.",
      special=[{"x": 1}])
    Fl(m, f"x_plus_recip_over_{k}", "x + 1/x >= 2 + eps fails at 1", "x in (0, 10]",
       f"x + 1/x >= 2 + {e}", "At x = 1, x + 1/x = 2 < 2 + 10^-k.", witness={"x": 1})

for k in (3, 5, 8, 10):
    e = eps(k, k + 1)
    T(m, f"sqrt_minus_x_{k}", "sqrt(x) - x <= 1/4 + eps", "x in [0, 4]",
      f"sqrt(x) - x <= 1/4 + {e}",
      "With s = sqrt(x) >= 0: s - s^2 = 1/4 - (s - 1/2)^2 <= 1/4.", special=[{"x": F(1, 4)}])
    Fl(m, f"sqrt_minus_x_under_{k}", "sqrt(x) - x <= 1/4 - eps fails at 1/4", "x in [0, 4]",
       f"sqrt(x) - x <= 1/4 - {e}", "At x = 1/4: sqrt(x) - x = 1/2 - 1/4 = 1/4.",
       witness={"x": F(1, 4)})

MOTZKIN = "x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1"
for k in (3, 10):
    e = eps(k, k)
    T(m, f"motzkin_shift_{k}", "Motzkin's polynomial >= -eps", "x in [-2, 2], y in [-2, 2]",
      f"{MOTZKIN} >= -{e}",
      "AM-GM on x^4y^2, x^2y^4, 1: their mean is >= (x^6y^6)^(1/3) = x^2y^2, so M >= 0.",
      special=[{"x": 1, "y": 1}, {"x": -1, "y": 1}])
    Fl(m, f"motzkin_lift_{k}", "Motzkin's polynomial >= +eps fails at (1, 1)",
       "x in [-2, 2], y in [-2, 2]", f"{MOTZKIN} >= {e}", "M(1, 1) = 1 + 1 - 3 + 1 = 0.",
       witness={"x": 1, "y": 1})

T6 = "32*x^6 - 48*x^4 + 18*x^2 - 1"
for k in (4, 8):
    e = eps(k, k)
    T(m, f"cheb6_above_{k}", "T6 <= 1 + eps on [-1, 1]", "x in [-1, 1]", f"{T6} <= 1 + {e}",
      "T6(cos t) = cos(6t) <= 1 (T6 is the Chebyshev polynomial of degree 6).",
      special=[{"x": 1}, {"x": F(1, 2)}])
    Fl(m, f"cheb6_below_{k}", "T6 <= 1 - eps fails at 1/2", "x in [-1, 1]",
       f"{T6} <= 1 - {e}", "T6(1/2) = cos(6 pi/3) = 1 (= 1/2 - 3 + 9/2 - 1).",
       witness={"x": F(1, 2)})

QF = "x^2 - x*y + y^2 - x - y"
T(m, "quadform_min", "x^2 - xy + y^2 - x - y >= -1", "x in [-3, 3], y in [-3, 3]",
  f"{QF} >= -1",
  "Positive definite quadratic; the gradient (2x - y - 1, 2y - x - 1) vanishes only at "
  "(1, 1), where the value is -1: the global minimum.", special=[{"x": 1, "y": 1}])
Fl(m, "quadform_min_strict", "x^2 - xy + y^2 - x - y > -1 fails at (1, 1)",
   "x in [-3, 3], y in [-3, 3]", f"{QF} > -1", "The value at (1, 1) is 1 - 1 + 1 - 2 = -1.",
   witness={"x": 1, "y": 1})
for k in (5, 10):
    e = eps(k, k)
    T(m, f"quadform_below_{k}", "quadratic form minimum, margin below", "x in [-3, 3], y in [-3, 3]",
      f"{QF} >= -1 - {e}", "The global minimum is -1 at (1, 1) (see quadform_min).")
    Fl(m, f"quadform_above_{k}", "quadratic form minimum, margin above", "x in [-3, 3], y in [-3, 3]",
       f"{QF} >= -1 + {e}", "At (1, 1) the value is -1 < -1 + 10^-k.", witness={"x": 1, "y": 1})

for k in (4, 9):
    e = eps(k, k)
    T(m, f"prod_sq_above_{k}", "x(1-x)y(1-y) <= 1/16 + eps", "x in [0, 1], y in [0, 1]",
      f"x*(1 - x)*y*(1 - y) <= 1/16 + {e}", "Each factor x(1-x), y(1-y) lies in [0, 1/4].")
    Fl(m, f"prod_sq_below_{k}", "x(1-x)y(1-y) <= 1/16 - eps fails at the centre",
       "x in [0, 1], y in [0, 1]", f"x*(1 - x)*y*(1 - y) <= 1/16 - {e}",
       "At (1/2, 1/2) the product is 1/16.", witness={"x": F(1, 2), "y": F(1, 2)})

for k in (3, 7, 10):
    e = eps(k, k)
    T(m, f"cubic_max_{k}", "x^3 - 3x <= 2 + eps on [-2, 2]", "x in [-2, 2]", f"x^3 - 3*x <= 2 + {e}",
      "2 - x^3 + 3x = (2 - x)(x + 1)^2 >= 0 for x <= 2.")
    Fl(m, f"cubic_max_under_{k}", "x^3 - 3x <= 2 - eps fails at -1", "x in [-2, 2]",
       f"x^3 - 3*x <= 2 - {e}", "At x = -1: -1 + 3 = 2.", witness={"x": -1})

# ----------------------------------------------------------------------------------------
# hmap.stab: the map h(u, g) = u + g u (1 - u^2)
# ----------------------------------------------------------------------------------------
hm = new_file("hmap", "The map h(u, g) = u + g*u*(1 - u^2): its maximum sqrt(1.35) and friends.")
hm.define("h", "u, g", "u + g*u*(1 - u^2)")
S_TRUNC = "1.16189500386222"  # sqrt(27/20) = 1.16189500386222506555...
assert F(S_TRUNC) ** 2 < F(27, 20) < (F(S_TRUNC) + F(1, 10**14)) ** 2
U0 = F("0.77459666924148337704")  # sqrt(3/5) = 0.774596669241483377035...
HMAX_WHY = ("For u in (0, 1], 1 - u^2 >= 0, so h grows with g: h <= p(u) = 2.25u - 1.25u^3. "
            "p' = 2.25 - 3.75u^2 vanishes at u0 = sqrt(3/5); p(u0) = 1.5 sqrt(0.6) = "
            "sqrt(1.35) = 1.161895003862225065...")
for k in range(3, 11):
    e = eps(k, k + 1)
    T(hm, f"hmax_above_{k}", f"h < sqrt(1.35) + ~10^-{k}", "u in (0, 1], g in (1, 1.25]",
      f"h(u, g) < {S_TRUNC} + {e}",
      [HMAX_WHY, f"{S_TRUNC} + 10^-{k} > sqrt(1.35) since {S_TRUNC} is sqrt(1.35) - 5.1e-15."],
      special=[{"u": U0, "g": F(5, 4)}])
    Fl(hm, f"hmax_below_{k}", f"h reaches sqrt(1.35) - ~10^-{k}", "u in (0, 1], g in (1, 1.25]",
       f"h(u, g) < {S_TRUNC} - {e}",
       [HMAX_WHY, "At g = 5/4 and u = a 20-digit approximation of sqrt(3/5), h is within "
        "1e-38 of sqrt(1.35) > the bound."], witness={"u": U0, "g": F(5, 4)})
T(hm, "hmax_sqrt_le", "h <= sqrt(1.35), attained", "u in (0, 1], g in (1, 1.25]",
  "h(u, g) <= sqrt(1.35)", HMAX_WHY, special=[{"u": U0, "g": F(5, 4)}])
Fl(hm, "hmax_sqrt_lt", "h < sqrt(1.35) fails only at the irrational maximiser",
   "u in (0, 1], g in (1, 1.25]", "h(u, g) < sqrt(1.35)", HMAX_WHY,
   irrational="equality holds exactly at u = sqrt(3/5), g = 5/4 (p is strictly concave on "
   "(0, 1], so the maximiser is unique, and h < p(u) for g < 5/4): no rational witness")
T(hm, "hmax_open_g_lt_sqrt", "h < sqrt(1.35) when g < 1.25: supremum not attained",
  "u in (0, 1], g in (1, 1.25)", "h(u, g) < sqrt(1.35)",
  [HMAX_WHY, "With g < 5/4 and u(1 - u^2) > 0 on (0, 1), h < p(u) <= sqrt(1.35); at u = 1, "
   "h = 1. The margin vanishes only at the excluded corner g = 5/4."])
T(hm, "h_positive_open", "h > 0 on u in (0, 1.162): margin vanishes at the excluded u = 0",
  "u in (0, 1.162), g in (1, 1.25]", "h(u, g) > 0",
  "h = u (1 + g (1 - u^2)); u^2 < 1.3503 so g(1 - u^2) > -1.25 * 0.3503 > -0.44: "
  "both factors positive.")
Fl(hm, "h_positive_closed", "h > 0 fails at u = 0", "u in [0, 1.162), g in (1, 1.25]",
   "h(u, g) > 0", "h(0, g) = 0.", witness={"u": 0, "g": F(9, 8)})
T(hm, "h_step2", "h maps (1, 1.162) into (0.65, 1)", "u in (1, 1.162), g in (1, 1.25]",
  "0.65 < h(u, g) < 1",
  ["For u > 1, h decreases in g. Upper: h < 2u - u^3 (g > 1), which decreases for "
   "u > sqrt(2/3) and is 1 at u = 1 (excluded).",
   "Lower: h >= 2.25u - 1.25u^3, decreasing for u > sqrt(0.6); at u = 1.162 it is "
   "0.6532... > 0.65."])
T(hm, "h_step4_odd", "I1 goes above 1 + e (margin vanishes at e -> 0, u -> 1)",
  "e in (0, 0.02], g in [1 + 3*e, 1.25), u in (0.65, 1 - e)", "1 + e < h(u, g) < 1.162",
  ["Upper: u < 1 so h grows with g and h < sqrt(1.35) = 1.16189... < 1.162.",
   "Lower: h >= f(u) = u + (1 + 3e) u (1 - u^2), concave in u. f(0.65) - 1 - e = "
   "0.025375 + 0.126125 e > 0 and f(1 - e) - 1 - e = e^2 (3 - 8e + 3e^2) > 0."])
Fl(hm, "h_seed_typo", "the step-1 formula with a minus sign", "u in (0, 1.162), g in (1, 1.25)",
   "0 < u - g*u*(1 - u^2) < 1.162",
   "At u = 1/10, g = 6/5: u (1 - g (1 - u^2)) = 0.1 (1 - 1.188) < 0.",
   witness={"u": F(1, 10), "g": F(6, 5)})
Fl(hm, "h_step2_closed", "h < 1 fails at the now included u = 1", "u in [1, 1.162), g in (1, 1.25]",
   "0.65 < h(u, g) < 1", "h(1, g) = 1.", witness={"u": 1, "g": F(9, 8)})

# ----------------------------------------------------------------------------------------
# ends.stab: open and closed ends
# ----------------------------------------------------------------------------------------
en = new_file("ends", "Open and closed ends: the same inequality true on one, false on the other.")
T(en, "lt1_open", "", "x in [0, 1)", "x < 1", "x < 1 by the binding.")
Fl(en, "lt1_closed", "", "x in [0, 1]", "x < 1", "x = 1 is in the domain.", witness={"x": 1})
T(en, "gt0_open", "", "x in (0, 1]", "x > 0", "x > 0 by the binding.")
Fl(en, "gt0_closed", "", "x in [0, 1]", "x > 0", "x = 0 is in the domain.", witness={"x": 0})
T(en, "sqrt_above_open", "sqrt(x) > x on (0, 1)", "x in (0, 1)", "sqrt(x) > x",
  "For 0 < x < 1: sqrt(x) > x <=> x > x^2 <=> x(1 - x) > 0.")
Fl(en, "sqrt_above_lo_closed", "", "x in [0, 1)", "sqrt(x) > x", "At x = 0 both sides are 0.",
   witness={"x": 0})
Fl(en, "sqrt_above_hi_closed", "", "x in (0, 1]", "sqrt(x) > x", "At x = 1 both sides are 1.",
   witness={"x": 1})
T(en, "sq_below_open", "", "x in (0, 1)", "x^2 < x", "x - x^2 = x(1 - x) > 0 on (0, 1).")
T(en, "cube_open", "", "x in [0, 1)", "1 - x^3 > 0", "x^3 <= x < 1 on [0, 1).")
Fl(en, "cube_closed", "", "x in [0, 1]", "1 - x^3 > 0", "x = 1 gives 0.", witness={"x": 1})
T(en, "sum2_open", "", "x in [0, 1), y in [0, 1]", "x + y < 2", "x < 1 and y <= 1.")
Fl(en, "sum2_closed", "", "x in [0, 1], y in [0, 1]", "x + y < 2", "(1, 1) gives 2.",
   witness={"x": 1, "y": 1})
T(en, "prod_open", "", "x in [0, 1), y in [-1, 1]", "x*y < 1", "|xy| <= |x| < 1.")
Fl(en, "prod_closed", "", "x in [0, 1], y in [-1, 1]", "x*y < 1", "(1, 1) gives 1.",
   witness={"x": 1, "y": 1})
T(en, "double_root_open", "(x - 1)^2 > 0 expanded, end 1 excluded", "x in [0, 1)",
  "x^2 - 2*x + 1 > 0", "x^2 - 2x + 1 = (x - 1)^2 > 0 for x != 1.")
Fl(en, "double_root_closed", "", "x in [0, 1]", "x^2 - 2*x + 1 > 0", "(1 - 1)^2 = 0.",
   witness={"x": 1})
T(en, "fifth_root_open", "", "x in [-1, 1)", "(1 - x)^5 > 0", "1 - x > 0.")
Fl(en, "fifth_root_closed", "", "x in [-1, 1]", "(1 - x)^5 > 0", "x = 1 gives 0.",
   witness={"x": 1})
T(en, "tiny_open", "", "x in (0, 1e-9]", "x^3 > 0", "x > 0.")
T(en, "xy_pos_open", "", "x in (0, 1], y in (0, 1]", "x*y > 0", "both factors positive.")
Fl(en, "xy_pos_half_closed", "", "x in (0, 1], y in [0, 1]", "x*y > 0", "y = 0 gives 0.",
   witness={"x": 1, "y": 0})
T(en, "edge_margin_open", "margin vanishes on two whole excluded edges",
  "x in (0, 1], y in [0, 1)", "x*(1 - y) > 0", "x > 0 and 1 - y > 0.")
Fl(en, "edge_margin_closed", "", "x in (0, 1], y in [0, 1]", "x*(1 - y) > 0",
   "y = 1 gives 0.", witness={"x": F(1, 2), "y": 1})
T(en, "x2_times_open", "double zero at the excluded end 0, simple at the excluded end 1",
  "x in (0, 1)", "x^2*(1 - x) > 0", "x^2 > 0 and 1 - x > 0.")
T(en, "x_minus_half_sq", "", "x in (0, 1]", "x - x^2/2 > 0", "x (1 - x/2) >= x/2 > 0.")
T(en, "sqrt_pos_open", "sqrt margin vanishing at the excluded end", "x in (0, 1]",
  "sqrt(x) > 0", "sqrt(x) > 0 for x > 0.")
Fl(en, "sqrt_pos_closed", "", "x in [0, 1]", "sqrt(x) > 0", "sqrt(0) = 0.", witness={"x": 0})
T(en, "one_minus_sq_open", "", "x in (-1, 1)", "(1 - x)*(1 + x) > 0", "both factors positive.")
Fl(en, "one_minus_sq_closed", "", "x in (-1, 1]", "(1 - x)*(1 + x) > 0", "x = 1 gives 0.",
   witness={"x": 1})
T(en, "ratio_pos_open", "", "x in (0, 1], y in (0, 1]", "x/(x + y) > 0", "x, x + y > 0.")
T(en, "ratio_below_one_open", "", "x in (0, 1], y in (0, 1]", "x/(x + y) < 1",
  "x < x + y since y > 0.")
Fl(en, "ratio_below_one_closed", "", "x in (0, 1], y in [0, 1]", "x/(x + y) < 1",
   "y = 0 gives x/x = 1.", witness={"x": F(1, 2), "y": 0})
T(en, "pole_at_open_end", "unbounded near the excluded end 1, margin 0 at excluded 2",
  "x in (1, 2)", "1/(x - 1) > 1", "0 < x - 1 < 1, so 1/(x - 1) > 1.")
Fl(en, "pole_at_open_end_closed", "", "x in (1, 2]", "1/(x - 1) > 1", "x = 2 gives 1.",
   witness={"x": 2})
T(en, "chain_open", "", "x in (0, 1)", "0 < x^2 < x < 1", "0 < x < 1 multiplies to 0 < x^2 < x.")
Fl(en, "chain_closed", "", "x in (0, 1]", "0 < x^2 < x < 1", "x = 1: x^2 = x.",
   witness={"x": 1})
T(en, "open_open_2d", "", "x in (-1, 1), y in (-1, 1)", "x^2 + y^2 < 2", "x^2 < 1 and y^2 < 1.")
Fl(en, "open_closed_2d", "", "x in (-1, 1], y in [-1, 1)", "x^2 + y^2 < 2",
   "(1, -1) gives 2.", witness={"x": 1, "y": -1})

# ----------------------------------------------------------------------------------------
# zeros.stab: interior zeros
# ----------------------------------------------------------------------------------------
z = new_file("zeros", "Interior zeros: non-strict true, strict false (or false only at irrational points).")
T(z, "sq_prod_ge", "", "x in [-2, 2], y in [-2, 2]", "(x - 1)^2*(y + 1/2)^2 >= 0",
  "a product of squares.")
Fl(z, "sq_prod_gt", "", "x in [-2, 2], y in [-2, 2]", "(x - 1)^2*(y + 1/2)^2 > 0",
   "zero at x = 1 (any y).", witness={"x": 1, "y": 0})
T(z, "motzkin_ge", "Motzkin's polynomial (not a sum of squares)", "x in [-2, 2], y in [-2, 2]",
  f"{MOTZKIN} >= 0",
  "AM-GM on x^4y^2, x^2y^4, 1: (sum)/3 >= (x^6 y^6)^(1/3) = x^2 y^2.",
  special=[{"x": 1, "y": 1}, {"x": -1, "y": -1}])
Fl(z, "motzkin_gt", "", "x in [-2, 2], y in [-2, 2]", f"{MOTZKIN} > 0",
   "M(1, 1) = 0.", witness={"x": 1, "y": 1})
T(z, "motzkin_ge_skew", "Motzkin on a box with zeros off the midpoints", "x in [-3, 2], y in [-1, 3]",
  f"{MOTZKIN} >= 0", "as motzkin_ge (AM-GM).")
T(z, "diff_sq_ge", "a whole line of zeros", "x in [-1, 1], y in [-1, 1]",
  "x^2 - 2*x*y + y^2 >= 0", "= (x - y)^2.")
Fl(z, "diff_sq_gt", "", "x in [-1, 1], y in [-1, 1]", "x^2 - 2*x*y + y^2 > 0",
   "zero on x = y.", witness={"x": F(1, 3), "y": F(1, 3)})
T(z, "quartic_ge", "", "x in [-2, 2]", "x^4 - 2*x^2 + 1 >= 0", "= (x^2 - 1)^2.")
Fl(z, "quartic_gt", "", "x in [-2, 2]", "x^4 - 2*x^2 + 1 > 0", "zero at x = 1.",
   witness={"x": 1})
T(z, "irr_double_root_ge", "", "x in [1, 2]", "(x^2 - 2)^2 >= 0", "a square.")
Fl(z, "irr_double_root_gt", "double root at sqrt(2): false only there", "x in [1, 2]",
   "(x^2 - 2)^2 > 0", "(x^2 - 2)^2 = 0 exactly at x = sqrt(2) in [1, 2].",
   irrational="the only zero is sqrt(2), irrational: positive at every rational point")
Fl(z, "irr_narrow", "violated only within ~3.5e-11 of sqrt(2)", "x in [1, 2]",
   "(x^2 - 2)^2 >= 1e-20", "|x^2 - 2| < 1e-10 near sqrt(2): take a 20-digit approximation.",
   witness={"x": F("1.4142135623730950488")})
Fl(z, "third_narrow", "violated only within 1e-10 of 1/3", "x in [0, 1]", "(x - 1/3)^2 >= 1e-20",
   "x = 1/3 gives 0.", witness={"x": F(1, 3)})
Fl(z, "two_narrow", "violated only within 1e-9 of (1/3, 2/7)", "x in [0, 1], y in [0, 1]",
   "(x - 1/3)^2 + (y - 2/7)^2 >= 1e-18", "(1/3, 2/7) gives 0.",
   witness={"x": F(1, 3), "y": F(2, 7)})
T(z, "nondyadic_zero_ge", "", "x in [0, 1], y in [0, 1]", "(3*x - 1)^2 + (7*y - 2)^2 >= 0",
  "a sum of squares.")
Fl(z, "nondyadic_zero_gt", "the only zero is (1/3, 2/7), not a dyadic", "x in [0, 1], y in [0, 1]",
   "(3*x - 1)^2 + (7*y - 2)^2 > 0", "(1/3, 2/7) gives 0.",
   witness={"x": F(1, 3), "y": F(2, 7)})
ROBINSON = ("x^6 + y^6 + z^6 - (x^4*y^2 + x^2*y^4 + x^4*z^2 + x^2*z^4 + y^4*z^2 + y^2*z^4)"
            " + 3*x^2*y^2*z^2")
B3 = "x in [-1, 1], y in [-1, 1], z in [-1, 1]"
T(z, "robinson_ge", "Robinson's form (PSD, not SOS), degree 6, zeros at |x|=|y|=|z| and more", B3,
  f"{ROBINSON} >= 0",
  "With a = x^2, b = y^2, c = z^2 >= 0 this is a(a-b)(a-c) + b(b-a)(b-c) + c(c-a)(c-b), "
  "Schur's inequality (t = 1).", special=[{"x": 1, "y": 1, "z": 1}, {"x": 1, "y": 1, "z": 0}])
Fl(z, "robinson_gt", "", B3, f"{ROBINSON} > 0", "R(1, 1, 1) = 3 - 6 + 3 = 0.",
   witness={"x": 1, "y": 1, "z": 1})
CHOI = "x^4*y^2 + y^4*z^2 + z^4*x^2 - 3*x^2*y^2*z^2"
T(z, "choi_lam_ge", "Choi-Lam form", B3, f"{CHOI} >= 0",
  "AM-GM: the three monomials multiply to x^6 y^6 z^6, so their mean is >= x^2 y^2 z^2.")
Fl(z, "choi_lam_gt", "", B3, f"{CHOI} > 0", "zero at (1, 1, 1).",
   witness={"x": 1, "y": 1, "z": 1})
SCHUR = "x*(x - y)*(x - z) + y*(y - x)*(y - z) + z*(z - x)*(z - y)"
B3P = "x in [0, 1], y in [0, 1], z in [0, 1]"
T(z, "schur_ge", "Schur's inequality t = 1", B3P, f"{SCHUR} >= 0",
  "Schur: WLOG x >= y >= z; x(x-y)(x-z) + y(y-x)(y-z) = (x-y)[x(x-z) - y(y-z)] >= 0 "
  "and z(z-x)(z-y) >= 0.")
Fl(z, "schur_gt", "", B3P, f"{SCHUR} > 0", "zero at x = y = z.",
   witness={"x": F(1, 2), "y": F(1, 2), "z": F(1, 2)})
T(z, "amgm3_ge", "x^3 + y^3 + z^3 >= 3xyz on the cube", B3P, "x^3 + y^3 + z^3 - 3*x*y*z >= 0",
  "= (x + y + z)((x-y)^2 + (y-z)^2 + (z-x)^2)/2 >= 0 for x, y, z >= 0.")
T(z, "cheb6_range", "-1 <= T6 <= 1", "x in [-1, 1]", f"-1 <= {T6} <= 1", "T6(cos t) = cos 6t.",
  special=[{"x": 0}, {"x": 1}, {"x": F(1, 2)}])
Fl(z, "cheb6_gt_irr", "T6 > -1 on (0, 1): fails only at sqrt(3)/2", "x in (0, 1)",
   f"{T6} > -1", "T6 + 1 = 2 T3^2 = 2 (4x^3 - 3x)^2, zero at x = sqrt(3)/2 in (0, 1).",
   irrational="on (0, 1) the only zero of T3 = x(4x^2 - 3) is sqrt(3)/2, irrational")
Fl(z, "cheb6_lt_half", "T6 < 1 on (0, 1) fails at 1/2", "x in (0, 1)", f"{T6} < 1",
   "T6(1/2) = 1.", witness={"x": F(1, 2)})
T(z, "xy_minus_one_ge", "", "x in [0, 2], y in [0, 2]", "(x*y - 1)^2 + (x - y)^2 >= 0",
  "a sum of squares.")
Fl(z, "xy_minus_one_gt", "", "x in [0, 2], y in [0, 2]", "(x*y - 1)^2 + (x - y)^2 > 0",
   "zero at (1, 1).", witness={"x": 1, "y": 1})

# ----------------------------------------------------------------------------------------
# where.stab: hypotheses
# ----------------------------------------------------------------------------------------
w = new_file("where", "`where` hypotheses, true and false.")
T(w, "where_sq", "", "x in [-2, 2]", "x^2 >= 1", "x >= 1 gives x^2 >= 1.", hyps="x >= 1")
Fl(w, "nowhere_sq", "the same without the hypothesis", "x in [-2, 2]", "x^2 >= 1", "x = 0.",
   witness={"x": 0})
T(w, "where_amgm", "", "x in [0, 3], y in [0, 3]", "x*y <= 1/4",
  "xy <= ((x + y)/2)^2 <= 1/4.", hyps="x + y <= 1")
Fl(w, "where_amgm_strict", "", "x in [0, 3], y in [0, 3]", "x*y < 1/4", "(1/2, 1/2).",
   hyps="x + y <= 1", witness={"x": F(1, 2), "y": F(1, 2)})
T(w, "where_prod", "", "x in [0, 3], y in [0, 3]", "x + y >= 2",
  "x + y >= 2 sqrt(xy) >= 2.", hyps="x*y >= 1")
Fl(w, "where_prod_high", "", "x in [0, 3], y in [0, 3]", "x + y >= 2.5", "(1, 1): xy = 1, sum 2.",
   hyps="x*y >= 1", witness={"x": 1, "y": 1})
T(w, "where_disk", "", "x in [-1, 1], y in [-1, 1]", "x + y <= 1.4143",
  "Cauchy-Schwarz: x + y <= sqrt(2) sqrt(x^2 + y^2) <= sqrt(2) = 1.41421356... < 1.4143.",
  hyps="x^2 + y^2 <= 1")
T(w, "where_disk_sqrt2", "tight at an irrational point", "x in [-1, 1], y in [-1, 1]",
  "x + y <= sqrt(2)", "Cauchy-Schwarz, equality at x = y = 1/sqrt(2).", hyps="x^2 + y^2 <= 1")
Fl(w, "where_disk_low", "", "x in [-1, 1], y in [-1, 1]", "x + y < 1.4142",
   "(0.7071, 0.7071): x^2 + y^2 = 0.99998082 <= 1 and x + y = 1.4142.",
   hyps="x^2 + y^2 <= 1", witness={"x": F("0.7071"), "y": F("0.7071")})
V(w, "where_vacuous", "the hypothesis never holds", "x in [0, 1]", "x < 0", "no x in [0, 1] has x > 2.",
  hyps="x > 2")
T(w, "where_strict", "", "x in [0, 2]", "x^2 > 1", "x > 1 >= 0 gives x^2 > 1.", hyps="x > 1")
Fl(w, "where_nonstrict", "", "x in [0, 2]", "x^2 > 1", "x = 1.", hyps="x >= 1",
   witness={"x": 1})
T(w, "where_two", "", "x in [0, 1], y in [0, 1]", "x*y >= 0.25", "x, y >= 1/2.",
  hyps="x >= 0.5, y >= 0.5")
Fl(w, "where_two_strict", "", "x in [0, 1], y in [0, 1]", "x*y > 0.25", "(1/2, 1/2).",
   hyps="x >= 0.5, y >= 0.5", witness={"x": F(1, 2), "y": F(1, 2)})
T(w, "where_excludes_pole", "the hypothesis removes the pole at 0", "x in [0, 1]", "1/x >= 1",
  "0 < x <= 1.", hyps="x > 0")
T(w, "where_order", "", "x in [1, 2], y in [1, 2]", "1/x > 1/y", "1/t decreases for t > 0.",
  hyps="x < y")
Fl(w, "where_order_eq", "", "x in [1, 2], y in [1, 2]", "1/x > 1/y", "x = y = 1.", hyps="x <= y",
   witness={"x": 1, "y": 1})
T(w, "where_point", "the hypothesis leaves the single point 0", "x in [0, 1]", "x < 1e-10",
  "x = 0.", hyps="x <= 0")
Fl(w, "where_point_gt", "", "x in [0, 1]", "x > 0", "x = 0.", hyps="x <= 0", witness={"x": 0})
T(w, "where_annulus", "tight at irrational points", "x in [-2, 2], y in [-2, 2]",
  "x^4 + y^4 >= 0.5", "x^4 + y^4 >= (x^2 + y^2)^2 / 2 >= 1/2.",
  hyps="x^2 + y^2 >= 1, x^2 + y^2 <= 4")
Fl(w, "where_annulus_high", "", "x in [-2, 2], y in [-2, 2]", "x^4 + y^4 >= 0.51",
   "(0.71, 0.71): x^2 + y^2 = 1.0082 and x^4 + y^4 = 0.50823362 < 0.51.",
   hyps="x^2 + y^2 >= 1, x^2 + y^2 <= 4", witness={"x": F("0.71"), "y": F("0.71")})
T(w, "where_corner", "tight at the corners (1/2, 1), (1, 1/2)", "x in [0, 1], y in [0, 1]",
  "x*y >= 0.5",
  "y >= 1.5 - x, so xy >= x (1.5 - x), concave in x, >= 0.5 at both x = 1/2 and x = 1.",
  hyps="x + y >= 1.5")
Fl(w, "where_corner_strict", "", "x in [0, 1], y in [0, 1]", "x*y > 0.5", "(1/2, 1).",
   hyps="x + y >= 1.5", witness={"x": F(1, 2), "y": 1})
T(w, "where_chain", "", "x in [-3, 3]", "x^2 <= 4", "|x| <= 2.", hyps="-1 <= x <= 2")
Fl(w, "where_chain_strict", "", "x in [-3, 3]", "x^2 < 4", "x = 2.", hyps="-1 <= x <= 2",
   witness={"x": 2})
T(w, "where_sqrt", "", "x in [0, 4]", "x >= 1", "sqrt(x) >= 1 <=> x >= 1.", hyps="sqrt(x) >= 1")
Fl(w, "where_sqrt_strict", "", "x in [0, 4]", "x > 1", "x = 1: sqrt(1) = 1.", hyps="sqrt(x) >= 1",
   witness={"x": 1})
V(w, "where_unsat", "x^2 + y^2 < 0 never holds", "x in [-1, 1], y in [-1, 1]", "x > 5",
  "x^2 + y^2 >= 0 everywhere.", hyps="x^2 + y^2 < 0")
T(w, "where_cubic", "", "x in [-2, 2]", "x >= -1",
  "x^3 - x = x (x - 1)(x + 1) >= 0 exactly on [-1, 0] and [1, 2].", hyps="x^3 - x >= 0")
Fl(w, "where_cubic_low", "", "x in [-2, 2]", "x >= 0", "x = -1/2: -1/8 + 1/2 >= 0.",
   hyps="x^3 - x >= 0", witness={"x": F(-1, 2)})
T(w, "where_ellipse", "", "x in [-2, 2], y in [-2, 2]", "x*y <= 1",
  "2xy <= x^2 + y^2 <= 2.", hyps="x^2 + y^2 <= 2")
Fl(w, "where_ellipse_strict", "", "x in [-2, 2], y in [-2, 2]", "x*y < 1", "(1, 1).",
   hyps="x^2 + y^2 <= 2", witness={"x": 1, "y": 1})

# ----------------------------------------------------------------------------------------
# builtins.stab: sqrt, abs, min, max
# ----------------------------------------------------------------------------------------
bi = new_file("builtins", "sqrt, abs, min and max.")
B2 = "x in [-3, 3], y in [-3, 3]"
T(bi, "abs_triangle", "", B2, "abs(x - y) <= abs(x) + abs(y)", "the triangle inequality.")
T(bi, "abs_reverse", "", B2, "abs(x) - abs(y) <= abs(x - y)",
  "|x| = |(x - y) + y| <= |x - y| + |y|.")
Fl(bi, "abs_strict", "", B2, "abs(x + y) < abs(x) + abs(y)", "(1, 1): 2 < 2 fails.",
   witness={"x": 1, "y": 1})
T(bi, "max_mean", "", B2, "max(x, y) >= (x + y)/2", "max is >= both, hence >= their mean.")
T(bi, "min_mean", "", B2, "min(x, y) <= (x + y)/2", "min is <= both.")
Fl(bi, "max_mean_strict", "", B2, "max(x, y) > (x + y)/2", "x = y.", witness={"x": 2, "y": 2})
T(bi, "min_half", "", "x in [0, 1]", "min(x, 1 - x) <= 1/2", "the two sum to 1.")
Fl(bi, "min_half_strict", "", "x in [0, 1]", "min(x, 1 - x) < 1/2", "x = 1/2.",
   witness={"x": F(1, 2)})
T(bi, "max_sq", "", "x in [-2, 2], y in [-2, 2]", "max(x^2, y^2) >= x*y",
  "|xy| <= max(|x|, |y|)^2.")
T(bi, "min_plus_max", "min + max = sum: an identity", B2,
  "min(x, y) + max(x, y) <= x + y <= min(x, y) + max(x, y)", "{min, max} = {x, y}.")
T(bi, "sqrt_amgm", "", "x in [0, 4], y in [0, 4]", "sqrt(x*y) <= (x + y)/2",
  "(x + y)^2/4 - xy = (x - y)^2/4 >= 0 and both sides are >= 0.")
Fl(bi, "sqrt_amgm_strict", "", "x in [0, 4], y in [0, 4]", "sqrt(x*y) < (x + y)/2",
   "(1, 1): 1 < 1 fails.", witness={"x": 1, "y": 1})
T(bi, "sqrt_norm_l1", "", "x in [-2, 2], y in [-2, 2]", "sqrt(x^2 + y^2) <= abs(x) + abs(y)",
  "x^2 + y^2 <= (|x| + |y|)^2.")
T(bi, "sqrt_norm_linf", "", "x in [-2, 2], y in [-2, 2]",
  "sqrt(x^2 + y^2) >= max(abs(x), abs(y))", "x^2 + y^2 >= max(x^2, y^2).")
T(bi, "sqrt_tangent", "", "x in [0, 9]", "sqrt(x) <= (x + 1)/2", "(sqrt(x) - 1)^2 >= 0.")
Fl(bi, "sqrt_tangent_strict", "", "x in [0, 9]", "sqrt(x) < (x + 1)/2", "x = 1.",
   witness={"x": 1})
T(bi, "sqrt_taylor1", "", "x in [-1, 3]", "sqrt(1 + x) <= 1 + x/2",
  "(1 + x/2)^2 = 1 + x + x^2/4 >= 1 + x and 1 + x/2 >= 1/2 > 0.")
T(bi, "sqrt_taylor2", "cubic contact at the end 0", "x in [0, 1]",
  "sqrt(1 + x) >= 1 + x/2 - x^2/8",
  "Taylor with remainder: the third derivative (3/8)(1 + x)^(-5/2) is positive, so the "
  "remainder after the x^2 term is >= 0 for x >= 0.")
T(bi, "sqrt_above_id", "", "x in [0, 1]", "sqrt(x) >= x", "x^2 <= x on [0, 1].")
Fl(bi, "sqrt_undefined", "sqrt of a negative number inside the domain", "x in [0, 2]",
   "sqrt(x - 1) >= 0", "undefined at x = 0 (sqrt(-1)).", witness={"x": 0})
T(bi, "sqrt_of_square", "", "x in [-2, 2]", "abs(x) <= sqrt(x^2) <= abs(x)", "sqrt(x^2) = |x|.")
T(bi, "sqrt_of_zero_expr", "sqrt(x - x): defined everywhere, though x - x encloses negatives",
  "x in [0, 1]", "sqrt(x - x) >= 0", "x - x = 0 exactly, sqrt(0) = 0.")
T(bi, "abs_quad_ge", "", "x in [-2, 2]", "abs(x^2 - 1) >= 0", "abs is non-negative.")
Fl(bi, "abs_quad_gt", "", "x in [-2, 2]", "abs(x^2 - 1) > 0", "x = 1.", witness={"x": 1})
T(bi, "clamp", "", "x in [-5, 5]", "-1 <= max(-1, min(x, 1)) <= 1", "a clamp to [-1, 1].")
T(bi, "max_sqrt_sq", "", "x in [0, 1]", "max(sqrt(x), x^2) <= 1", "both are <= 1 on [0, 1].")
Fl(bi, "max_sqrt_sq_strict", "", "x in [0, 1]", "max(sqrt(x), x^2) < 1", "x = 1.",
   witness={"x": 1})
T(bi, "abs_cheb3", "|T3| <= 1", "x in [-1, 1]", "abs(4*x^3 - 3*x) <= 1", "T3(cos t) = cos 3t.")
Fl(bi, "abs_cheb3_strict", "", "x in (-1, 1)", "abs(4*x^3 - 3*x) < 1",
   "T3(1/2) = 1/2 - 3/2 = -1.", witness={"x": F(1, 2)})
T(bi, "fourth_root", "", "x in [0, 1]", "sqrt(sqrt(x)) >= x", "x^(1/4) >= x on [0, 1].")
T(bi, "sqrt_two_bound", "", "x in [1, 2]", "sqrt(x) <= 1.4143", "sqrt(2) = 1.41421356... < 1.4143.")
Fl(bi, "sqrt_two_low", "witness at an irrational value: sqrt(2) > 1.4142", "x in [1, 2]",
   "sqrt(x) < 1.4142", "x = 2: sqrt(2) = 1.41421356... > 1.4142 (1.4142^2 = 1.99996164).",
   witness={"x": 2})
T(bi, "min_sqrt", "", "x in [0, 1], y in [0, 1]", "min(sqrt(x), sqrt(y)) <= sqrt((x + y)/2)",
  "min(sqrt x, sqrt y) = sqrt(min(x, y)) and min(x, y) <= (x + y)/2.")
T(bi, "abs_lipschitz", "", B2, "abs(abs(x) - abs(y)) <= abs(x - y)",
  "the reverse triangle inequality.")
Fl(bi, "sqrt_sum_sub", "sqrt is subadditive, not superadditive", "x in [0, 1], y in [0, 1]",
   "sqrt(x + y) >= sqrt(x) + sqrt(y)", "(1/4, 1/4): sqrt(1/2) = 0.707... < 1.",
   witness={"x": F(1, 4), "y": F(1, 4)})
T(bi, "sqrt_subadditive", "", "x in [0, 1], y in [0, 1]", "sqrt(x + y) <= sqrt(x) + sqrt(y)",
  "(sqrt x + sqrt y)^2 = x + y + 2 sqrt(xy) >= x + y.")

# ----------------------------------------------------------------------------------------
# division.stab: division, negative powers, undefined points
# ----------------------------------------------------------------------------------------
d = new_file("division", "Division and negative powers; division by zero inside the domain is a failure.")
Fl(d, "recip_closed", "1/x undefined at 0", "x in [0, 1]", "1/x > 0", "undefined at x = 0.",
   witness={"x": 0})
T(d, "recip_open", "", "x in (0, 1]", "1/x > 0", "x > 0.")
T(d, "recip_ge_one", "", "x in (0, 1]", "1/x >= 1", "0 < x <= 1.")
Fl(d, "pole_inside", "pole at 1/3", "x in [0, 1]", "1/(x - 1/3) > -100",
   "undefined at x = 1/3.", witness={"x": F(1, 3)})
Fl(d, "removable", "a removable singularity still makes the claim undefined at 1",
   "x in [0, 1.5]", "(x^2 - 1)/(x - 1) <= 2.5",
   "undefined at x = 1; elsewhere it equals x + 1 <= 2.5.", witness={"x": 1})
Fl(d, "removable_irr", "0/0 only at sqrt(2)", "x in [0, 2]", "(x^2 - 2)/(x^2 - 2) >= 1",
   "undefined at x = sqrt(2), equal to 1 elsewhere.",
   irrational="the only undefined point, sqrt(2), is irrational: at every rational point "
   "the quotient is exactly 1")
Fl(d, "pole_irr_nearby", "pole at sqrt(2); rational points nearby violate too", "x in [1, 2]",
   "1/(x^2 - 2) > -1000", "x = 1.4142: x^2 - 2 = -0.00003836 so the quotient is -26068...",
   witness={"x": F("1.4142")})
T(d, "cauchy_bump", "", "x in [-5, 5]", "x/(1 + x^2) <= 1/2",
  "1 + x^2 - 2x = (1 - x)^2 >= 0.")
Fl(d, "cauchy_bump_strict", "", "x in [-5, 5]", "x/(1 + x^2) < 1/2", "x = 1.", witness={"x": 1})
T(d, "bump_pos", "", "x in [-10, 10]", "1/(1 + x^2) > 0", "1 + x^2 >= 1.")
T(d, "neg_pow_open", "", "x in (0, 1]", "x^-2 >= 1", "0 < x^2 <= 1.")
Fl(d, "neg_pow_zero", "x^-2 undefined at 0", "x in [-1, 1]", "x^-2 >= 1", "undefined at 0.",
   witness={"x": 0})
T(d, "neg_pow_sum", "", "x in (0, 5]", "x^-1 + x >= 2", "(x - 1)^2 / x >= 0.")
T(d, "harmonic", "", "x in (0, 3], y in (0, 3]", "(x + y)*(1/x + 1/y) >= 4",
  "= 2 + x/y + y/x >= 4 by AM-GM.")
Fl(d, "harmonic_strict", "", "x in (0, 3], y in (0, 3]", "(x + y)*(1/x + 1/y) > 4", "(1, 1).",
   witness={"x": 1, "y": 1})
T(d, "ratio_sum_low", "", "x in [1, 2], y in [1, 2]", "x/y + y/x >= 2", "t + 1/t >= 2 for t > 0.")
T(d, "ratio_sum_high", "tight at the corners (1, 2) and (2, 1)", "x in [1, 2], y in [1, 2]",
  "x/y + y/x <= 2.5",
  "t = x/y in [1/2, 2] and t + 1/t <= 2.5 there: (t - 2)(t - 1/2) <= 0.")
Fl(d, "ratio_sum_high_strict", "", "x in [1, 2], y in [1, 2]", "x/y + y/x < 2.5",
   "(1, 2): 1/2 + 2 = 2.5.", witness={"x": 1, "y": 2})
T(d, "rat2_bound", "", "x in [0, 1], y in [0, 1]", "(x*y)/(1 + x^2 + y^2) <= 1/3",
  "xy <= s/2 with s = x^2 + y^2 <= 2, and (s/2)/(1 + s) increases in s: <= 1/3.")
Fl(d, "rat2_bound_strict", "", "x in [0, 1], y in [0, 1]", "(x*y)/(1 + x^2 + y^2) < 1/3",
   "(1, 1).", witness={"x": 1, "y": 1})
Fl(d, "div_zero_2d", "", "x in [-1, 1], y in [-1, 1]", "1/(x^2 + y^2) > 0",
   "undefined at (0, 0).", witness={"x": 0, "y": 0})
T(d, "div_where_2d", "", "x in [-1, 1], y in [-1, 1]", "1/(x^2 + y^2) <= 4",
  "x^2 + y^2 >= 1/4.", hyps="x^2 + y^2 >= 1/4")
T(d, "recip_plus_sq", "unbounded near the excluded 0", "x in (0, 1]", "1/x + 1/x^2 >= 2",
  "both terms are >= 1.")
T(d, "big_recip", "", "x in [1e-6, 1]", "1/x <= 1e6", "x >= 1e-6.")
Fl(d, "big_recip_strict", "", "x in [1e-6, 1]", "1/x < 1e6", "x = 1e-6.",
   witness={"x": F(1, 10**6)})
T(d, "odd_bump", "", "x in [-1, 1]", "x/(x^2 + 1) >= -1/2", "(x + 1)^2 >= 0.")
T(d, "self_ratio_open", "", "x in (0, 1]", "x/x >= 1", "x/x = 1 for x != 0.")
Fl(d, "self_ratio_closed", "", "x in [0, 1]", "x/x >= 1", "undefined at 0.", witness={"x": 0})
Fl(d, "undef_in_min", "min(1, 1/x) is undefined at 0 too", "x in [0, 1]", "min(1, 1/x) >= 0",
   "undefined at x = 0.", witness={"x": 0})
T(d, "nested_div", "", "x in [1, 2]", "1/(1 + 1/x) <= 2/3", "1/(1 + 1/x) = x/(x + 1) <= 2/3.")
Fl(d, "nested_div_strict", "", "x in [1, 2]", "1/(1 + 1/x) < 2/3", "x = 2.", witness={"x": 2})

# ----------------------------------------------------------------------------------------
# dependent.stab: bindings whose ends use earlier variables
# ----------------------------------------------------------------------------------------
dp = new_file("dependent", "Dependent bindings: ends that use earlier variables, partly or wholly empty ranges.")
T(dp, "dep_le", "", "x in [0, 1], y in [0, x]", "y <= x", "by the binding.")
Fl(dp, "dep_lt", "", "x in [0, 1], y in [0, x]", "y < x", "y = x = 1/2.",
   witness={"x": F(1, 2), "y": F(1, 2)})
T(dp, "dep_prod", "", "x in [0, 1], y in [0, x]", "x*y <= x^2", "x >= 0 and y <= x.")
T(dp, "dep_amgm", "", "x in [0, 1], y in [0, x]", "y*(x - y) <= x^2/4", "(x - 2y)^2 >= 0.")
Fl(dp, "dep_amgm_strict", "", "x in [0, 1], y in [0, x]", "y*(x - y) < x^2/4",
   "(1, 1/2): 1/4 < 1/4 fails.", witness={"x": 1, "y": F(1, 2)})
T(dp, "dep_e_window", "", "e in (0, 0.02], u in (0.65, 1 - e)", "u < 1",
  "u < 1 - e < 1.")
Fl(dp, "dep_e_window_low", "", "e in (0, 0.02], u in (0.65, 1 - e)", "u <= 0.98",
   "e = 0.01, u = 0.985 < 0.99.", witness={"e": F(1, 100), "u": F("0.985")})
T(dp, "triangle_sum", "", "x in [0, 1], y in [0, 1 - x]", "x + y <= 1", "y <= 1 - x.")
Fl(dp, "triangle_sum_strict", "", "x in [0, 1], y in [0, 1 - x]", "x + y < 1", "(1/2, 1/2).",
   witness={"x": F(1, 2), "y": F(1, 2)})
T(dp, "partly_empty", "y's range is empty for x < 1", "x in [0, 2], y in [1, x]", "x >= 1",
  "the range [1, x] is non-empty only when x >= 1.")
Fl(dp, "partly_empty_strict", "", "x in [0, 2], y in [1, x]", "x > 1", "(1, 1).",
   witness={"x": 1, "y": 1})
V(dp, "always_empty", "(x, x) is always empty", "x in [0, 1], y in (x, x)", "y > 5", "(x, x) has no point.")
T(dp, "nested3", "", "x in [0, 1], y in [0, x], z in [0, y]", "z <= x", "z <= y <= x.")
T(dp, "nested3_prod", "", "x in [0, 1], y in [0, x], z in [0, y]", "x*y*z <= x^3",
  "0 <= y, z <= x.")
Fl(dp, "nested3_strict", "", "x in [0, 1], y in [0, x], z in [0, y]", "z < x", "(0, 0, 0).",
   witness={"x": 0, "y": 0, "z": 0})
T(dp, "open_dep_ratio", "", "x in (0, 1), y in (0, x)", "y/x < 1", "0 < y < x.")
T(dp, "open_dep_diff", "margin vanishes on the excluded diagonal", "x in (0, 1), y in (0, x)",
  "y*(x - y) > 0", "0 < y < x.")
Fl(dp, "open_dep_ratio_low", "", "x in (0, 1), y in (0, x)", "y/x < 0.99",
   "(1/2, 0.499): ratio 0.998.", witness={"x": F(1, 2), "y": F("0.499")})
DISK = "x in [-1, 1], y in [-sqrt(1 - x^2), sqrt(1 - x^2)]"
T(dp, "disk_le", "ends with sqrt", DISK, "x^2 + y^2 <= 1", "y^2 <= 1 - x^2.")
Fl(dp, "disk_lt", "", DISK, "x^2 + y^2 < 1", "(1, 0): sqrt(0) = 0 is the range.",
   witness={"x": 1, "y": 0})
T(dp, "disk_sum", "", DISK, "x + y <= 1.4143", "Cauchy-Schwarz: x + y <= sqrt(2) < 1.4143.")
Fl(dp, "disk_sum_low", "", DISK, "x + y <= 1.4142",
   "(0.70711, 0.7071): x^2 + y^2 = 0.9999945... <= 1, x + y = 1.41421 > 1.4142.",
   witness={"x": F("0.70711"), "y": F("0.7071")})
T(dp, "between_square_and_id", "", "x in [0, 1], y in [x^2, x]", "y - x^2 >= 0",
  "by the binding (non-empty since x^2 <= x on [0, 1]).")
Fl(dp, "between_square_strict", "", "x in [0, 1], y in [x^2, x]", "y > x^2", "(1/2, 1/4).",
   witness={"x": F(1, 2), "y": F(1, 4)})
T(dp, "shifted_range", "", "x in [0, 1], y in [x + 1, 2]", "y >= 1", "y >= x + 1 >= 1.")
Fl(dp, "shifted_range_strict", "", "x in [0, 1], y in [x + 1, 2]", "y > 1", "(0, 1).",
   witness={"x": 0, "y": 1})
T(dp, "recip_range", "", "x in [1, 2], y in [1/x, x]", "x*y >= 1", "y >= 1/x, x > 0.")
Fl(dp, "recip_range_strict", "", "x in [1, 2], y in [1/x, x]", "x*y > 1", "(2, 1/2).",
   witness={"x": 2, "y": F(1, 2)})
T(dp, "dep_upper_g", "", "u in (0, 1), g in (1, 1 + u]", "g*u < 2", "g <= 1 + u < 2, u < 1.")
Fl(dp, "dep_square_range", "", "x in [-1, 1], y in [x^2, 1]", "y > 0", "(0, 0).",
   witness={"x": 0, "y": 0})

# ----------------------------------------------------------------------------------------
# poly.stab: multi-variable polynomials, degree up to 6, up to 4 variables
# ----------------------------------------------------------------------------------------
p = new_file("poly", "Multi-variable polynomials up to degree 6 in up to 4 variables.")
B4 = "x in [-1, 1], y in [-1, 1], z in [-1, 1], w in [-1, 1]"
B4P = "x in [0, 1], y in [0, 1], z in [0, 1], w in [0, 1]"
T(p, "pd4", "positive definite quadratic plus 1", B4, "x^2 + y^2 + z^2 + w^2 + 1 > x*y + y*z + z*w",
  "The form with 1 on the diagonal and -1/2 next to it has eigenvalues 1 - cos(k pi/5) > 0.")
T(p, "sos4", "a plane of zeros", B4, "x^2 + y^2 + z^2 + w^2 >= 2*(x*y + z*w)",
  "= (x - y)^2 + (z - w)^2.")
Fl(p, "sos4_strict", "", B4, "x^2 + y^2 + z^2 + w^2 > 2*(x*y + z*w)", "(1/2, 1/2, 0, 0).",
   witness={"x": F(1, 2), "y": F(1, 2), "z": 0, "w": 0})
T(p, "amgm4_deg6", "", B4, "x^6 + y^6 + z^6 + w^6 + 1/10 > x*y*z*w",
  "AM-GM: the sixth powers sum to >= 4 m^(3/2), m = |xyzw| <= 1; 4 m^1.5 - m + 0.1 has "
  "minimum 0.1 - 1/108 > 0 (at m = 1/36).")
Fl(p, "prod4_false", "", B4, "x*y*z*w <= 0.9", "(1, 1, 1, 1).",
   witness={"x": 1, "y": 1, "z": 1, "w": 1})
T(p, "pairs4", "", B4, "x*y + z*w <= 2", "each product is <= 1.")
Fl(p, "pairs4_low", "", B4, "x*y + z*w <= 1.9", "(1, 1, 1, 1).",
   witness={"x": 1, "y": 1, "z": 1, "w": 1})
T(p, "cs4", "Cauchy-Schwarz, a line of zeros", B4, "(x + y + z + w)^2 <= 4*(x^2 + y^2 + z^2 + w^2)",
  "Cauchy-Schwarz with (1, 1, 1, 1).")
T(p, "cs4_slack", "", B4, "(x + y + z + w)^2 <= 4*(x^2 + y^2 + z^2 + w^2) + 1e-3",
  "Cauchy-Schwarz with (1, 1, 1, 1).")
Fl(p, "cs4_strict", "", B4, "(x + y + z + w)^2 < 4*(x^2 + y^2 + z^2 + w^2)", "(1, 1, 1, 1).",
   witness={"x": 1, "y": 1, "z": 1, "w": 1})
T(p, "cheb_prod", "", "x in [-1, 1], y in [-1, 1]", "(4*x^3 - 3*x)*(4*y^3 - 3*y) <= 1",
  "|T3| <= 1 on [-1, 1].")
Fl(p, "cheb_prod_strict", "", "x in [-1, 1], y in [-1, 1]", "(4*x^3 - 3*x)*(4*y^3 - 3*y) < 1",
   "(1, 1).", witness={"x": 1, "y": 1})
T(p, "amgm3_deg6", "AM-GM for squares, zeros on the diagonals", B3,
  "x^2*y^2*z^2 <= ((x^2 + y^2 + z^2)/3)^3", "AM-GM on x^2, y^2, z^2.")
T(p, "amgm3_deg6_slack", "", B3, "x^2*y^2*z^2 <= ((x^2 + y^2 + z^2)/3)^3 + 1e-4",
  "AM-GM on x^2, y^2, z^2.")
Fl(p, "amgm3_deg6_strict", "", B3, "x^2*y^2*z^2 < ((x^2 + y^2 + z^2)/3)^3", "(1, -1, 1).",
   witness={"x": 1, "y": -1, "z": 1})
T(p, "sum_sq4_ge", "", B4, "(x - y)^2 + (y - z)^2 + (z - w)^2 + (w - 1/2)^2 >= 0",
  "a sum of squares.")
Fl(p, "sum_sq4_gt", "", B4, "(x - y)^2 + (y - z)^2 + (z - w)^2 + (w - 1/2)^2 > 0",
   "all four 1/2.", witness={"x": F(1, 2), "y": F(1, 2), "z": F(1, 2), "w": F(1, 2)})
PD = "3*x^3*y - 2*y^2*z^3 + x*z - 5*x*y*z + 1"
T(p, "dense3_crude", "", B3, f"{PD} <= 12.5",
  "On [-1, 1]^3 every monomial is in [-1, 1]: the value is at most 3 + 2 + 1 + 5 + 1 = 12.")
Fl(p, "dense3_low", "", B3, f"{PD} <= 9.9", "(1, 1, -1): 3 + 2 - 1 + 5 + 1 = 10.",
   witness={"x": 1, "y": 1, "z": -1})
T(p, "prod4_sum", "", B4P, "x*y*z*w*(x + y + z + w) <= 4", "each factor at most 1, the sum 4.")
Fl(p, "prod4_sum_strict", "", B4P, "x*y*z*w*(x + y + z + w) < 4", "(1, 1, 1, 1).",
   witness={"x": 1, "y": 1, "z": 1, "w": 1})
T(p, "lagrange3", "a line of zeros", B3, "x^2 + y^2 + z^2 >= x*y + y*z + z*x",
  "difference = ((x - y)^2 + (y - z)^2 + (z - x)^2)/2.")
T(p, "lagrange3_slack", "", B3, "x^2 + y^2 + z^2 - x*y - y*z - z*x >= -1e-6",
  "difference = ((x - y)^2 + (y - z)^2 + (z - x)^2)/2 >= 0.")
T(p, "lagrange_identity", "(x^2 + y^2)(z^2 + w^2) >= (xz + yw)^2, a 3-dim zero set", B4,
  "(x^2 + y^2)*(z^2 + w^2) >= (x*z + y*w)^2", "the difference is (xw - yz)^2.")
Fl(p, "lagrange_identity_strict", "", B4, "(x^2 + y^2)*(z^2 + w^2) > (x*z + y*w)^2",
   "(1, 0, 1, 0).", witness={"x": 1, "y": 0, "z": 1, "w": 0})
T(p, "alt_sextic", "", "x in [0, 1]", "x^6 - x^5 + x^4 - x^3 + x^2 - x + 1 > 0",
  "= (x^7 + 1)/(x + 1) > 0 for x >= 0.")
T(p, "wilkinson6", "", "x in [1, 6]", "(x - 1)*(x - 2)*(x - 3)*(x - 4)*(x - 5)*(x - 6) >= -17",
  "The minimum on [1, 6] is -16.90089... (at x = 1.33655... and 5.66344...), checked exactly "
  "with sympy by the generator.")
Fl(p, "wilkinson6_low", "", "x in [1, 6]", "(x - 1)*(x - 2)*(x - 3)*(x - 4)*(x - 5)*(x - 6) >= -16.9",
   "At x = 1.3366: -16.90089... < -16.9.", witness={"x": F("1.3366")})
T(p, "box6_3var", "", B3P, "x*(1 - x)*y*(1 - y)*z*(1 - z) <= 1/64", "each factor pair <= 1/4.")
Fl(p, "box6_3var_below", "", B3P, "x*(1 - x)*y*(1 - y)*z*(1 - z) <= 1/64 - 1e-9",
   "the centre gives 1/64.", witness={"x": F(1, 2), "y": F(1, 2), "z": F(1, 2)})
T(p, "box6_4var", "", B4P, "x*y*(1 - x)*(1 - y)*z*w <= 1/16", "x(1-x), y(1-y) <= 1/4; z, w <= 1.")
Fl(p, "box6_4var_strict", "", B4P, "x*y*(1 - x)*(1 - y)*z*w < 1/16", "(1/2, 1/2, 1, 1).",
   witness={"x": F(1, 2), "y": F(1, 2), "z": 1, "w": 1})
T(p, "sym4_deg4", "", B4, "x^4 + y^4 + z^4 + w^4 >= 4*x*y*z*w",
  "AM-GM on x^4, y^4, z^4, w^4 (>= 4|xyzw|).")
Fl(p, "sym4_deg4_strict", "", B4, "x^4 + y^4 + z^4 + w^4 > 4*x*y*z*w", "(1, 1, 1, 1).",
   witness={"x": 1, "y": 1, "z": 1, "w": 1})
T(p, "mixed4_margin", "", B4, "x^2*y^2 + z^2*w^2 - x*y*z*w + 1/100 > 0",
  "a^2 + b^2 - ab >= (a^2 + b^2)/2 >= 0 with a = xy, b = zw.")
Fl(p, "mixed4_neg", "", B4, "x^2*y^2 + z^2*w^2 - 3*x*y*z*w + 1/100 > 0",
   "(1, 1, 1, 1): 1 + 1 - 3 + 0.01 < 0.", witness={"x": 1, "y": 1, "z": 1, "w": 1})

# ----------------------------------------------------------------------------------------
# vacuous.stab: empty domains
# ----------------------------------------------------------------------------------------
v = new_file("vacuous", "Empty domains: every conclusion holds vacuously; a one-point domain is not empty.")
V(v, "empty_open", "", "x in (1, 1)", "x > 5", "(1, 1) is empty.")
V(v, "empty_half_open", "", "x in [1, 1)", "x > 5", "[1, 1) is empty.")
V(v, "empty_reversed", "", "x in (2, 1]", "x < 0", "lower end above upper end.")
Fl(v, "one_point", "", "x in [1, 1]", "x > 5", "x = 1 is in [1, 1].", witness={"x": 1})
T(v, "one_point_ok", "", "x in [1, 1]", "x >= 1", "x = 1.")
V(v, "empty_dep", "", "x in [0, 1], y in (x + 1, x)", "y < -100", "x + 1 > x: empty.")
V(v, "empty_second", "the undefined 1/x at 0 does not matter: y's range is empty",
  "x in [0, 1], y in (3, 2)", "1/x > 0", "(3, 2) is empty.")
V(v, "empty_by_value", "(1/3, 2/6) is empty", "x in (1/3, 2/6)", "x > 5", "2/6 = 1/3.")
V(v, "empty_sqrt_ends", "sqrt(4) = 2 exactly", "x in (sqrt(4), 2)", "x > 5", "(2, 2) is empty.")
V(v, "empty_irrational_ends", "(sqrt 2, sqrt 2) is empty", "x in (sqrt(2), sqrt(2))", "x > 5",
  "an open interval with equal ends.")
V(v, "empty_where", "", "x in [0, 1]", "x > 5", "no x has x^2 < 0.", hyps="x^2 < 0")
V(v, "empty_with_pole", "empty domain, undefined conclusion", "x in (0, 0)", "1/x > 0",
  "(0, 0) is empty.")
V(v, "empty_dep_closed", "", "x in [0, 1], y in [x + 1, x]", "y < -100", "x + 1 > x: empty.")
V(v, "empty_dep_half_open", "(x, x] has no point", "x in [0, 1], y in (x, x]", "y < -100",
  "x < y <= x is impossible.")
T(v, "thin_dep", "[x, x] is the single point x: not empty", "x in [0, 1], y in [x, x]", "y <= x",
  "y = x.")
Fl(v, "thin_dep_strict", "", "x in [0, 1], y in [x, x]", "y < x", "y = x.",
   witness={"x": 0, "y": 0})
V(v, "where_against_range", "the hypothesis contradicts the range", "x in [0, 1], y in [x, 1]",
  "x > 5", "y >= x contradicts y < x.", hyps="y < x")
V(v, "where_above_box", "", "x in [0, 1], y in [0, 1]", "x*y > 5", "x + y <= 2 < 3.",
  hyps="x + y >= 3")

# ----------------------------------------------------------------------------------------
# syntax.stab: the language's arithmetic (precedence, associativity, exact decimals)
# ----------------------------------------------------------------------------------------
s = new_file("syntax", "The language's own arithmetic: precedence, associativity, exact decimals.")
s.let("a_len", "1.162")
T(s, "neg_pow_precedence", "-x^2 is -(x^2)", "x in [0.5, 1]", "-x^2 < 0",
  "-(x^2) <= -1/4 < 0 (as (-x)^2 it would be false).")
T(s, "left_assoc_sub", "1 - 2 - 3 = -4", "x in [0, 1]", "1 - 2 - 3 < -3", "(1 - 2) - 3 = -4.")
T(s, "left_assoc_div", "8/4/2 = 1", "x in [0, 1]", "8/4/2 <= 1", "(8/4)/2 = 1.")
Fl(s, "left_assoc_div_strict", "", "x in [0, 1]", "8/4/2 < 1", "8/4/2 = 1 (any x).",
   witness={"x": 0})
T(s, "sci_literal", "", "x in [0, 2.5e-3]", "x <= 1/400", "2.5e-3 = 1/400 exactly.")
Fl(s, "sci_literal_strict", "", "x in [0, 2.5e-3]", "x < 1/400", "x = 1/400.",
   witness={"x": F(1, 400)})
T(s, "neg_exponent_literal", "", "x in [0, 1]", "2^-1 <= 0.5 <= 2^(-1)", "2^-1 = 1/2.")
T(s, "chain_half_open", "", "x in [0, 1)", "-1 < x - 0.5 < 0.5", "-0.5 <= x - 0.5 < 0.5.")
Fl(s, "chain_closed_end", "", "x in [0, 1]", "-1 < x - 0.5 < 0.5", "x = 1: 0.5 < 0.5 fails.",
   witness={"x": 1})
T(s, "let_bound", "", "x in [0, a_len]", "x <= 1.162", "a_len = 1.162.")
Fl(s, "let_bound_strict", "", "x in [0, a_len]", "x < a_len", "x = 1.162.",
   witness={"x": F("1.162")})
T(s, "decimal_exact", "0.1 is exactly 1/10 (3 * 0.1 = 0.3)", "x in [0, 0.1]", "3*x <= 0.3",
  "3x <= 3/10.")
Fl(s, "decimal_exact_strict", "", "x in [0, 0.1]", "3*x < 0.3", "x = 1/10: 3/10 < 3/10 fails.",
   witness={"x": F(1, 10)})
T(s, "decimal_sum_identity", "0.1 + 0.2 = 0.3 exactly", "x in [0, 1]", "x + 0.1 + 0.2 <= x + 0.3",
  "both sides are x + 3/10.")
Fl(s, "decimal_sum_strict", "", "x in [0, 1]", "x + 0.1 + 0.2 < x + 0.3", "equal for every x.",
   witness={"x": F(1, 2)})
T(s, "tiny_shift", "", "x in [0, 1]", "x + 1e-10 > x", "1e-10 > 0.")
T(s, "multi_goal", "several conclusions", "x in [0, 1]", "x >= 0, x <= 1, x^2 <= x",
  "x(1 - x) >= 0.")
Fl(s, "multi_goal_one_false", "only the last conclusion fails", "x in [0, 1]",
   "x >= 0, x <= 1, x^2 < x", "x = 0.", witness={"x": 0})
T(s, "paren_exponent", "", "x in [-1, 1]", "(x - 1)^2 >= 0, (-x)^2 >= 0", "squares.")


# ----------------------------------------------------------------------------------------
# Checking and writing
# ----------------------------------------------------------------------------------------
def fmt_q(q):
    q = F(q)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def univariate_truth(claim, env):
    """Exact truth of a one-variable polynomial claim with constant ends, or None."""
    try:
        import sympy
    except ImportError:
        return None
    if len(claim.binds) != 1 or claim.hyps:
        return None
    name, lb, lo, hi, rb = claim.binds[0]
    x = sympy.Symbol(name)

    def sym(text):
        import re
        t = text.replace("^", "**")
        t = re.sub(r"(?<![A-Za-z0-9_.])(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)",
                   lambda m_: f"Rational('{fmt_q(F(m_.group(1)))}')", t)
        return sympy.sympify(t, locals={name: x, "Rational": sympy.Rational})

    try:
        lo_v, hi_v = sym(lo), sym(hi)
    except Exception:
        return None
    if not (lo_v.is_Rational and hi_v.is_Rational):
        return None
    if lo_v > hi_v or (lo_v == hi_v and (lb == "(" or rb == ")")):
        return True
    import re
    for g in claim.goals:
        parts = re.split(r"(<=|>=|<|>)", g)
        for i in range(1, len(parts), 2):
            lhs, op, rhs = parts[i - 1], parts[i], parts[i + 1]
            if any(f in lhs + rhs for f in ("sqrt", "abs", "min", "max", "/")):
                return None
            marg = sym(rhs) - sym(lhs) if op in ("<", "<=") else sym(lhs) - sym(rhs)
            strict = op in ("<", ">")
            try:
                poly = sympy.Poly(sympy.expand(marg), x)
            except sympy.PolynomialError:
                return None
            if poly.is_zero:
                if strict:
                    return False
                continue
            roots = [r for r in sympy.real_roots(poly)]

            def inside(r):
                a = (r > lo_v) if lb == "(" else (r >= lo_v)
                b = (r < hi_v) if rb == ")" else (r <= hi_v)
                return bool(a) and bool(b)

            if strict and any(inside(r) for r in roots):
                return False
            # sign between consecutive roots (and the ends), at rational points
            cuts = sorted({lo_v, hi_v} | {sympy.Rational(str(r.evalf(60)))
                                          if not r.is_Rational else r for r in roots
                                          if inside(r)})
            tests = []
            for c0, c1 in zip(cuts, cuts[1:]):
                tests.append((c0 + c1) / 2)
            if lb == "[":
                tests.append(lo_v)
            if rb == "]":
                tests.append(hi_v)
            for t in tests:
                val = poly.eval(t)
                if val < 0 or (strict and val == 0):
                    return False
    return True


def check_claim(claim, env, rng):
    problems = []
    if claim.expect == "refuted" and claim.witness is not None:
        try:
            r = check_point(claim, env, claim.witness)
        except (Undecided, Undefined, ZeroDivisionError) as e:
            r = f"error {e!r}"
        if not r.startswith("violated"):
            problems.append(f"witness {claim.witness} does not violate: {r}")
    for pt in claim.special:
        r = check_point(claim, env, pt)
        if r != "holds":
            problems.append(f"special point {pt}: {r}")
    inside = any(check_point(claim, env, pt) != "outside" for pt in claim.special)
    if claim.witness is not None:
        inside = True
    if claim.expect in ("proved", "vacuous") or claim.irrational:
        for _ in range(SAMPLES):
            try:
                pt = sample_point(claim, env, rng)
                if pt is None:
                    continue
                r = check_point(claim, env, pt)
            except Undecided:
                continue
            inside |= r != "outside"
            if claim.expect == "vacuous" and r != "outside":
                problems.append(f"sample {pt} lies in the domain of a vacuous claim")
                break
            if r.startswith("violated"):
                problems.append(f"sample {pt}: {r}")
                break
    if claim.expect != "vacuous" and not inside and not claim.irrational:
        problems.append("no sample or special point lies in the domain: vacuous?")
    truth = univariate_truth(claim, env)
    if truth is not None and truth != (claim.expect != "refuted"):
        problems.append(f"sympy says the claim is {truth}")
    return problems


def render(f):
    out = [f"# {f.header}", "#",
           "# Generated by tests/corpus/gen/gen_corpus.py, which checks every claim's truth value",
           "# (witnesses exactly, true claims by sampling); edit the generator, not this file.",
           "# `expect` is each claim's TRUE truth value (`vacuous`: true, the domain empty);",
           "# tests/corpus.rs holds the prover to it.",
           ""]
    for it in f.items:
        if it[0] == "let":
            out.append(f"let {it[1]} = {it[2]}")
        else:
            out.append(f"def {it[1]}({it[2]}) = {it[3]}")
    if f.items:
        out.append("")
    for c in f.claims:
        truth = {"proved": "TRUE", "vacuous": "TRUE, VACUOUS", "refuted": "FALSE"}[c.expect]
        out.append(f"# {truth}. " + c.why[0])
        out.extend(f"#   {line}" for line in c.why[1:])
        if c.witness is not None:
            wt = ", ".join(f"{k} = {fmt_q(q)}" for k, q in c.witness.items())
            out.append(f"#   witness (checked exactly): {wt}")
        if c.irrational:
            out.append(f"#   no rational witness: {c.irrational}")
        desc = f' "{c.desc}"' if c.desc else ""
        out.append(f"claim {c.name}{desc} expect {c.expect}:")
        out.append(f"  forall {c.binds_text}")
        if c.hyps:
            out.append(f"  where {', '.join(c.hyps)}")
        out.append(f"  => {', '.join(c.goals)}")
        out.append("")
    return "\n".join(out)


def main():
    check_only = "--check" in sys.argv
    rng = random.Random(20240601)
    names = set()
    bad = 0
    counts = {}
    for f in FILES:
        for c in f.claims:
            assert c.name not in names, c.name
            names.add(c.name)
            problems = check_claim(c, f.env, rng)
            for pr in problems:
                print(f"{f.name}.stab: {c.name}: {pr}")
                bad += 1
            counts.setdefault(f.name, [0, 0])[c.expect == "refuted"] += 1
    total = sum(a + b for a, b in counts.values())
    for name, (t, fl) in counts.items():
        print(f"{name:12} {t:4} true {fl:4} false")
    print(f"{'total':12} {total:4} claims")
    if bad:
        print(f"{bad} problem(s)")
        sys.exit(1)
    if not check_only:
        for f in FILES:
            with open(os.path.join(CORPUS, f"{f.name}.stab"), "w") as fh:
                fh.write(render(f))


if __name__ == "__main__":
    main()
