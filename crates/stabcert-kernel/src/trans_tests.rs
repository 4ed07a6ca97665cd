//! The kernel's transcendental enclosures against MPFR at high precision.
//!
//! Not part of the trusted kernel (and not counted in its size): MPFR (`rug::Float`) is only
//! the reference here. Its values (1024 bits, or 200 bits beyond the kernel's precision) are
//! far closer to the truth than the enclosures' widths, so "MPFR's value lies inside" is
//! "the true value lies inside".

use super::expr::{enclose, eval, Expr};
use super::interval::{Ext, Iv};
use super::trans::{apply, atan2, pi, Fun, DROP_REMAINDER};
use proptest::prelude::*;
use rug::float::Constant;
use rug::{Float, Rational};

const ALL: [Fun; 11] = [
    Fun::Exp,
    Fun::Log,
    Fun::Sin,
    Fun::Cos,
    Fun::Tan,
    Fun::Atan,
    Fun::Asin,
    Fun::Acos,
    Fun::Sinh,
    Fun::Cosh,
    Fun::Tanh,
];

fn mpfr(f: Fun, x: &Rational) -> Rational {
    mpfr_at(f, x, 1024)
}

fn mpfr_at(f: Fun, x: &Rational, bits: u32) -> Rational {
    let x = Float::with_val(bits, x);
    let v = match f {
        Fun::Exp => x.exp(),
        Fun::Log => x.ln(),
        Fun::Sin => x.sin(),
        Fun::Cos => x.cos(),
        Fun::Tan => x.tan(),
        Fun::Atan => x.atan(),
        Fun::Asin => x.asin(),
        Fun::Acos => x.acos(),
        Fun::Sinh => x.sinh(),
        Fun::Cosh => x.cosh(),
        Fun::Tanh => x.tanh(),
    };
    v.to_rational().expect("finite")
}

/// A point of `f`'s domain (a rational with a denominator up to 2^20, or a dyadic one).
fn arb_point(f: Fun) -> impl Strategy<Value = Rational> {
    let (lo, hi): (i64, i64) = match f {
        Fun::Exp => (-60, 60),
        Fun::Log => (0, 1000),
        Fun::Asin | Fun::Acos => (-1, 1),
        Fun::Sinh | Fun::Cosh | Fun::Tanh => (-30, 30),
        _ => (-100, 100),
    };
    let d = prop_oneof![1u64..(1 << 20), (0u32..40).prop_map(|k| 1u64 << k)];
    (d, any::<u64>()).prop_map(move |(d, r)| {
        let span = u64::try_from(hi - lo).unwrap() * d;
        let n = i64::try_from(r % (span + 1)).unwrap() + lo * i64::try_from(d).unwrap();
        let x = Rational::from((n, d));
        // log needs x > 0: nudge 0 to a tiny positive value.
        if f == Fun::Log && x == 0 {
            Rational::from((1, d))
        } else {
            x
        }
    })
}

fn arb_fun() -> impl Strategy<Value = Fun> {
    (0usize..ALL.len()).prop_map(|i| ALL[i])
}

fn ends(iv: &Iv) -> (Rational, Rational) {
    match (&iv.lo, &iv.hi) {
        (Ext::Fin(a), Ext::Fin(b)) => (a.clone(), b.clone()),
        _ => panic!("unbounded enclosure {iv}"),
    }
}

fn contains(iv: &Iv, q: &Rational) -> bool {
    let q = Ext::Fin(q.clone());
    iv.lo <= q && q <= iv.hi
}

fn value(f: Fun, x: &Rational, prec: u32) -> Option<Iv> {
    apply(f, &Iv::point(x.clone()), prec, false).map(|(v, _)| v)
}

/// `width <= 2^-bits` relative to `max(1, |v|)`.
fn tight(iv: &Iv, v: &Rational, bits: u32) -> bool {
    let (a, b) = ends(iv);
    let scale = v.clone().abs().max(Rational::from(1));
    (b - a) << bits <= scale
}

/// Points of every function's domain, with MPFR's value away from the poles of `tan`.
fn samples() -> Vec<(Fun, Rational)> {
    let xs = [
        "1/3",
        "7/5",
        "-22/7",
        "3/4",
        "-5/9",
        "1/100",
        "9/10",
        "12345/1024",
    ];
    let mut out = Vec::new();
    for f in ALL {
        for x in xs {
            let x: Rational = x.parse().unwrap();
            let inside = match f {
                Fun::Log => x > 0,
                Fun::Asin | Fun::Acos => x.clone().abs() <= 1,
                _ => true,
            };
            if inside {
                out.push((f, x));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// At a point: MPFR's value is inside, and the enclosure is narrower than 2^-40 at
    /// `prec` 64 (relative to the value where it exceeds 1).
    #[test]
    fn point_enclosures_contain_mpfr((f, x) in arb_fun().prop_flat_map(|f| (Just(f), arb_point(f)))) {
        let v = mpfr(f, &x);
        let Some(iv) = value(f, &x, 64) else {
            // Only tan at a pole's enclosure may be declined in these ranges.
            prop_assert_eq!(f, Fun::Tan);
            prop_assert!(v.clone().abs() > 1u64 << 40, "tan({x}) = {}", v.to_f64());
            return Ok(());
        };
        prop_assert!(contains(&iv, &v), "{f:?}({x}) = {} not in {iv}", v.to_f64());
        prop_assert!(tight(&iv, &v, 40), "{f:?}({x}): {iv} too wide");
    }

    /// Over an interval: the values at points of it are inside (interior extrema of `sin`,
    /// `cos`, `cosh` included), and the mean value theorem holds with the slope enclosure.
    #[test]
    fn interval_enclosures_contain_values(
        (f, a) in arb_fun().prop_flat_map(|f| (Just(f), arb_point(f))),
        w in 1u64..(1 << 22), s in 0u64..=64, t in 0u64..=64,
    ) {
        let mut b = &a + Rational::from((w, 1u64 << 20));
        if matches!(f, Fun::Asin | Fun::Acos) {
            b = b.min(Rational::from(1));
        }
        let Some((iv, slope)) = apply(f, &Iv::new(a.clone(), b.clone()), 64, true) else {
            // Declined: tan around a pole; a wide interval elsewhere is never declined.
            prop_assert_eq!(f, Fun::Tan);
            return Ok(());
        };
        let at = |k: u64| &a + Rational::from(&b - &a) * Rational::from((k, 64));
        let (x, y) = (at(s.min(t)), at(s.max(t)));
        let (vx, vy) = (mpfr(f, &x), mpfr(f, &y));
        prop_assert!(contains(&iv, &vx) && contains(&iv, &vy), "{f:?}[{a}, {b}] = {iv}");
        if x != y {
            // The secant between two points is a value of the derivative in between.
            let secant = Rational::from(&vy - &vx) / Rational::from(&y - &x);
            prop_assert!(contains(&slope, &secant), "{f:?}': {secant} not in {slope}");
        }
    }

    /// `atan2` at points and over boxes that avoid the origin.
    #[test]
    fn atan2_contains_mpfr(y in -2000i64..2000, x in -2000i64..2000, wy in 0i64..64, wx in 0i64..64) {
        let (yq, xq) = (Rational::from((y, 256)), Rational::from((x, 256)));
        let v = Float::with_val(1024, &yq).atan2(&Float::with_val(1024, &xq)).to_rational();
        let pt = atan2(&Iv::point(yq.clone()), &Iv::point(xq.clone()), 64);
        match v {
            _ if y == 0 && x == 0 => prop_assert!(pt.is_none()),
            Some(v) => {
                let (iv, continuous) = pt.unwrap();
                prop_assert!(continuous && contains(&iv, &v) && tight(&iv, &v, 40), "atan2({y}, {x}) in {iv}");
                let bx = |q: &Rational, w: i64| Iv::new(q.clone(), q + Rational::from((w, 256)));
                if let Some((biv, _)) = atan2(&bx(&yq, wy), &bx(&xq, wx), 64) {
                    prop_assert!(contains(&biv, &v), "box atan2 {biv} misses {v}");
                }
            }
            None => unreachable!(),
        }
    }
}

#[test]
fn pi_encloses_mpfr_and_shrinks_with_precision() {
    let p = Float::with_val(4200, Constant::Pi).to_rational().unwrap();
    let mut last = Rational::from(1);
    for prec in [16, 64, 128, 512, 4096] {
        let iv = pi(prec).unwrap();
        let (a, b) = ends(&iv);
        assert!(a < p && p < b, "pi at {prec}: {iv}");
        let w = b - a;
        assert!(
            w.clone() << prec < 1 && w < last,
            "pi at {prec} is not tighter"
        );
        last = w;
    }
}

#[test]
fn enclosures_shrink_as_precision_grows() {
    for (f, x) in samples() {
        let v = mpfr_at(f, &x, 4300);
        for prec in [16, 128, 512, 4096] {
            let iv = value(f, &x, prec).unwrap_or_else(|| panic!("{f:?}({x}) at {prec}"));
            assert!(contains(&iv, &v), "{f:?}({x}) at {prec}: {iv}");
            assert!(tight(&iv, &v, prec - 4), "{f:?}({x}) at {prec}: too wide");
        }
    }
}

/// With the series' truncation remainder dropped, enclosures miss the true value: the
/// remainder term is what makes them sound (and the tests above would see it missing).
#[test]
fn dropping_the_remainder_is_caught() {
    let run = |drop: bool| {
        DROP_REMAINDER.with(|d| d.set(drop));
        let missed: Vec<Fun> = samples()
            .into_iter()
            .filter(|(f, x)| !contains(&value(*f, x, 64).unwrap(), &mpfr(*f, x)))
            .map(|(f, _)| f)
            .collect();
        DROP_REMAINDER.with(|d| d.set(false));
        missed
    };
    assert_eq!(run(false), vec![]);
    let missed = run(true);
    for f in ALL {
        assert!(
            missed.contains(&f),
            "{f:?} never misses without its remainder"
        );
    }
}

/// Exact values at the special points, also at precision 0 (what `Expr::exact` uses).
#[test]
fn special_values_are_exact() {
    let at = |f, x: i32, y: i32| {
        for prec in [0, 128] {
            assert_eq!(
                value(f, &Rational::from(x), prec),
                Some(Iv::point(y)),
                "{f:?}({x})"
            );
        }
    };
    for f in [
        Fun::Sin,
        Fun::Tan,
        Fun::Atan,
        Fun::Asin,
        Fun::Sinh,
        Fun::Tanh,
    ] {
        at(f, 0, 0);
    }
    for f in [Fun::Exp, Fun::Cos, Fun::Cosh] {
        at(f, 0, 1);
    }
    at(Fun::Log, 1, 0);
    at(Fun::Acos, 1, 0);
    let e: Expr = serde_json::from_str(r#"{"powr": [{"q": "1"}, "pi"]}"#).unwrap();
    assert_eq!(e.exact(), Some(Rational::from(1)));
    let e: Expr = serde_json::from_str(r#"{"exp": {"q": "1"}}"#).unwrap();
    assert_eq!(e.exact(), None);
}

/// Interior extrema, and where a function is undefined on an interval.
#[test]
fn extrema_and_definedness() {
    let on = |f, a: &str, b: &str| {
        apply(
            f,
            &Iv::new(a.parse().unwrap(), b.parse().unwrap()),
            64,
            true,
        )
    };
    // sin has its maximum 1 at pi/2 in [1, 2] and its minimum -1 at 3 pi/2 in [4, 5].
    assert_eq!(
        on(Fun::Sin, "1", "2").unwrap().0.hi,
        Ext::Fin(Rational::from(1))
    );
    assert_eq!(
        on(Fun::Sin, "4", "5").unwrap().0.lo,
        Ext::Fin(Rational::from(-1))
    );
    assert_eq!(
        on(Fun::Cos, "-1", "1").unwrap().0.hi,
        Ext::Fin(Rational::from(1))
    );
    assert_eq!(
        on(Fun::Cos, "3", "13/4").unwrap().0.lo,
        Ext::Fin(Rational::from(-1))
    );
    assert!(on(Fun::Sin, "0", "3/2").unwrap().0.hi < Ext::Fin(Rational::from(1)));
    // Undefined somewhere on the interval.
    assert!(on(Fun::Log, "0", "1").is_none());
    assert!(on(Fun::Log, "-2", "-1").is_none());
    assert!(on(Fun::Asin, "0", "11/10").is_none());
    assert!(on(Fun::Acos, "-11/10", "0").is_none());
    assert!(on(Fun::Tan, "1", "2").is_none());
    assert!(on(Fun::Tan, "-5", "-4").is_none());
    assert!(on(Fun::Tan, "-1", "1").is_some());
    // asin's slope is unbounded at 1: nothing is known there.
    assert_eq!(on(Fun::Asin, "0", "1").unwrap().1, Iv::entire());
    let b = |a: i32, c: i32| Iv::new(Rational::from(a), Rational::from(c));
    assert!(atan2(&b(-1, 1), &b(-1, 1), 64).is_none());
    assert!(atan2(&b(0, 1), &b(-2, -1), 64).unwrap().1);
    // Across the negative x axis atan2 jumps: hull [-pi, pi], not continuous.
    let (v, continuous) = atan2(&b(-1, 1), &b(-2, -1), 64).unwrap();
    assert!(
        !continuous && v.lo < Ext::Fin(Rational::from(-3)) && v.hi > Ext::Fin(Rational::from(3))
    );
    // Through expressions: powr of a base that may be 0, a gradient across the jump.
    let e: Expr = serde_json::from_str(r#"{"powr": [{"var": 0}, {"q": "1/2"}]}"#).unwrap();
    assert!(enclose(&e, &[b(0, 1)], 64).is_none());
    assert!(enclose(&e, &[b(1, 2)], 64).is_some());
    let e: Expr = serde_json::from_str(r#"{"atan2": [{"var": 0}, {"q": "-1"}]}"#).unwrap();
    assert_eq!(eval(&e, &[b(-1, 1)], 1, 64).unwrap().1[0], Iv::entire());
    // On y >= 0 it is continuous: d/dy atan2(y, -1) = -1/(1 + y^2) in [-1, -1/2].
    assert!(eval(&e, &[b(0, 1)], 1, 64).unwrap().1[0].hi < Ext::Fin(Rational::new()));
}

/// The gradient of `powr` and `atan2` through `eval`, against finite differences by MPFR.
#[test]
fn binary_functions_gradients() {
    let e: Expr = serde_json::from_str(
        r#"{"add": [{"powr": [{"var": 0}, {"var": 1}]}, {"atan2": [{"var": 1}, {"var": 0}]}]}"#,
    )
    .unwrap();
    let f = |x: &Rational, y: &Rational| {
        let (x, y) = (Float::with_val(1024, x), Float::with_val(1024, y));
        let p = Float::with_val(1024, x.clone().ln() * &y).exp();
        (p + y.atan2(&x)).to_rational().unwrap()
    };
    let r = |s: &str| s.parse::<Rational>().unwrap();
    let bx = [Iv::new(r("1/2"), r("3")), Iv::new(r("-1"), r("2"))];
    let (_, g) = eval(&e, &bx, 2, 64).unwrap();
    let (x0, y0, x1, y1) = (r("2/3"), r("1/5"), r("5/2"), r("7/4"));
    // Along each axis, the secant is a value of that partial derivative on the box.
    let s0 = (f(&x1, &y0) - f(&x0, &y0)) / (x1.clone() - &x0);
    let s1 = (f(&x0, &y1) - f(&x0, &y0)) / (y1 - &y0);
    assert!(
        contains(&g[0], &s0) && contains(&g[1], &s1),
        "{} {}",
        g[0],
        g[1]
    );
    let v = enclose(&e, &[Iv::point(x0.clone()), Iv::point(y0.clone())], 64).unwrap();
    assert!(contains(&v, &f(&x0, &y0)) && tight(&v, &f(&x0, &y0), 40));
}
