//! Soundness of the kernel's enclosures against exact values at rational points.
//!
//! Not part of the trusted kernel (and not counted in its size): these tests only look for
//! bugs in it.

use super::expr::{enclose, eval, Expr, Num};
use super::interval::{sqrt_bounds, Ext, Iv};
use super::poly::{Bernstein, Poly};
use proptest::prelude::*;
use rug::Rational;

fn b(a: Expr) -> Box<Expr> {
    Box::new(a)
}

fn arb_expr(with_sqrt: bool) -> impl Strategy<Value = Expr> {
    let root = move |i| {
        if with_sqrt {
            Expr::Sqrt(b(Expr::Var(i)))
        } else {
            Expr::Var(i)
        }
    };
    let leaf = prop_oneof![
        (0usize..2).prop_map(Expr::Var),
        (0usize..2).prop_map(root),
        (-12i32..12, 1u32..5).prop_map(|(n, d)| Expr::Q(Num(Rational::from((n, d))))),
    ];
    leaf.prop_recursive(4, 24, 2, move |inner| {
        let e = inner.clone();
        let two = (inner.clone(), inner.clone());
        prop_oneof![
            e.clone().prop_map(|a| Expr::Neg(b(a))),
            two.clone().prop_map(|(x, y)| Expr::Add(b(x), b(y))),
            two.clone().prop_map(|(x, y)| Expr::Sub(b(x), b(y))),
            two.clone().prop_map(|(x, y)| Expr::Mul(b(x), b(y))),
            two.clone().prop_map(|(x, y)| Expr::Div(b(x), b(y))),
            two.clone().prop_map(|(x, y)| Expr::Min(b(x), b(y))),
            two.clone().prop_map(|(x, y)| Expr::Max(b(x), b(y))),
            (e.clone(), -3i32..5).prop_map(|(a, n)| Expr::Pow(b(a), n)),
            e.clone().prop_map(|a| Expr::Abs(b(a))),
            e.clone().prop_map(move |a| if with_sqrt {
                Expr::Sqrt(b(a))
            } else {
                Expr::Abs(b(a))
            }),
            // With `sqrt`, also the transcendental functions (not exact: the tests that
            // compare with exact values use no `sqrt`).
            (e, two, 0..14).prop_map(move |(a, (x, y), k)| match (with_sqrt, k) {
                (false, _) => a,
                (_, 0) => Expr::Exp(b(a)),
                (_, 1) => Expr::Log(b(a)),
                (_, 2) => Expr::Sin(b(a)),
                (_, 3) => Expr::Cos(b(a)),
                (_, 4) => Expr::Tan(b(a)),
                (_, 5) => Expr::Atan(b(a)),
                (_, 6) => Expr::Asin(b(a)),
                (_, 7) => Expr::Acos(b(a)),
                (_, 8) => Expr::Sinh(b(a)),
                (_, 9) => Expr::Cosh(b(a)),
                (_, 10) => Expr::Tanh(b(a)),
                (_, 11) => Expr::Atan2(b(x), b(y)),
                (_, 12) => Expr::Powr(b(x), b(y)),
                _ => Expr::Mul(b(a), b(Expr::Pi)),
            }),
        ]
    })
}

/// A box of two axes with ends in eighths (often 0), and a point of it.
fn arb_box_point() -> impl Strategy<Value = (Vec<Iv>, Vec<Rational>)> {
    let lo = prop_oneof![Just(0i32), -16i32..16];
    proptest::collection::vec((lo, 0i32..16, 0i32..=8), 2).prop_map(|v| {
        let r = |n: i32, d: i32| Rational::from((n, d));
        let bx = v
            .iter()
            .map(|(lo, w, _)| Iv::new(r(*lo, 8), r(lo + w, 8)))
            .collect();
        let pt = v
            .iter()
            .map(|(lo, w, t)| r(*lo, 8) + r(w * t, 64))
            .collect();
        (bx, pt)
    })
}

/// The exact value of a `sqrt`-free expression at a point (`None` where undefined).
fn exact(e: &Expr, x: &[Rational]) -> Option<Rational> {
    let ev = |a: &Expr| exact(a, x);
    Some(match e {
        Expr::Q(q) => q.0.clone(),
        Expr::Var(i) => x[*i].clone(),
        Expr::Neg(a) => -ev(a)?,
        Expr::Add(p, q) => ev(p)? + ev(q)?,
        Expr::Sub(p, q) => ev(p)? - ev(q)?,
        Expr::Mul(p, q) => ev(p)? * ev(q)?,
        Expr::Div(p, q) => ev(p)? / ev(q).filter(|d| *d != 0)?,
        Expr::Min(p, q) => ev(p)?.min(ev(q)?),
        Expr::Max(p, q) => ev(p)?.max(ev(q)?),
        Expr::Abs(a) => ev(a)?.abs(),
        Expr::Pow(a, n) => {
            let v = ev(a)?;
            let v = if *n < 0 {
                Rational::from(1) / Some(v).filter(|v| *v != 0)?
            } else {
                v
            };
            (0..n.unsigned_abs()).fold(Rational::from(1), |acc, _| acc * &v)
        }
        _ => return None,
    })
}

fn contains(iv: &Iv, q: &Rational) -> bool {
    let q = Ext::Fin(q.clone());
    iv.lo <= q && q <= iv.hi
}

fn point(x: &[Rational]) -> Vec<Iv> {
    x.iter().map(|q| Iv::point(q.clone())).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Enclosures contain the exact value, and "defined on the box" is never wrong.
    #[test]
    fn enclosure_contains_exact_value(e in arb_expr(false), (bx, x) in arb_box_point()) {
        let exact = exact(&e, &x);
        if let Some(iv) = enclose(&e, &bx, 128) {
            prop_assert!(exact.as_ref().is_some_and(|v| contains(&iv, v)), "{e:?} {iv} {exact:?}");
        }
        // On the point itself the enclosure is the exact value.
        let at = enclose(&e, &point(&x), 128);
        prop_assert_eq!(at, exact.map(Iv::point));
    }

    /// With `sqrt`: the box's enclosure contains the point's (inclusion isotonicity).
    #[test]
    fn enclosure_is_isotone(e in arb_expr(true), (bx, x) in arb_box_point()) {
        if let Some(iv) = enclose(&e, &bx, 64) {
            let at = enclose(&e, &point(&x), 64);
            prop_assert!(at.is_some_and(|p| iv.lo <= p.lo && p.hi <= iv.hi), "{e:?}");
        }
    }

    /// The mean value form over the box contains the value at every point of it: checks the
    /// derivative rules, `abs`/`min`/`max` hulls and `sqrt` touching 0 included.
    #[test]
    fn mean_value_form_contains_values(e in arb_expr(true), (bx, x) in arb_box_point(), t in 0i32..=8) {
        let Some((_, grad)) = eval(&e, &bx, 2, 64) else { return Ok(()) };
        let ends = |iv: &Iv| match (&iv.lo, &iv.hi) {
            (Ext::Fin(a), Ext::Fin(b)) => (a.clone(), b.clone()),
            _ => unreachable!("box ends are finite"),
        };
        let c: Vec<Rational> = bx.iter().map(|iv| { let (a, b) = ends(iv); a.clone() + (b - a) * Rational::from((t, 8)) }).collect();
        let mut form = enclose(&e, &point(&c), 64).expect("defined on the box");
        for (i, g) in grad.iter().enumerate() {
            let (a, b) = ends(&bx[i]);
            form = form.add(&g.mul(&Iv::new(a - &c[i], b - &c[i])));
        }
        let at = enclose(&e, &point(&x), 64).expect("defined on the box");
        prop_assert!(form.lo <= at.hi && at.lo <= form.hi, "{e:?}: {form} misses {at}");
    }

    /// With derivatives, every node's value is met with its mean-value form about the
    /// midpoint: the value enclosure must still contain the value at every point.
    #[test]
    fn centred_values_contain_values(e in arb_expr(true), (bx, x) in arb_box_point()) {
        let Some((v, _)) = eval(&e, &bx, 2, 64) else { return Ok(()) };
        let at = enclose(&e, &point(&x), 64).expect("defined on the box");
        prop_assert!(v.lo <= at.hi && at.lo <= v.hi, "{e:?}: {v} misses {at}");
    }

    /// Secants along an axis lie in the derivative enclosure over the box (what a pin and
    /// the strictness of its face rely on).
    #[test]
    fn secants_lie_in_derivative_enclosures(e in arb_expr(true), (bx, x) in arb_box_point(), t in 0i32..=8) {
        let Some((_, grad)) = eval(&e, &bx, 2, 64) else { return Ok(()) };
        let Ext::Fin(hi) = &bx[0].hi else { unreachable!("box ends are finite") };
        let mut y = x.clone();
        y[0] = &x[0] + Rational::from(hi - &x[0]) * Rational::from((t, 8));
        let (mx, my) = (enclose(&e, &point(&x), 64).unwrap(), enclose(&e, &point(&y), 64).unwrap());
        let slope = grad[0].mul(&Iv::point(Rational::from(&y[0] - &x[0])));
        let secant = my.sub(&mx);
        prop_assert!(slope.lo <= secant.hi && secant.lo <= slope.hi, "{e:?}: {secant} vs {slope}");
    }

    /// Bernstein coefficients bound the polynomial, are exact at the vertices, and the
    /// forward-mode gradient encloses the exact derivative.
    #[test]
    fn bernstein_and_gradient_of_polynomials(e in arb_expr(false), (bx, x) in arb_box_point()) {
        let Some(p) = Poly::from_expr(&e, 2) else { return Ok(()) };
        let lo: Vec<Rational> = bx.iter().map(|iv| match &iv.lo { Ext::Fin(q) => q.clone(), _ => unreachable!() }).collect();
        let hi: Vec<Rational> = bx.iter().map(|iv| match &iv.hi { Ext::Fin(q) => q.clone(), _ => unreachable!() }).collect();
        let bern = Bernstein::new(&p, &lo, &hi).expect("small");
        let (min, max) = bern.range();
        let v = p.eval(&x);
        prop_assert!(min <= v && v <= max);
        prop_assert_eq!(&bern.coeffs[0], &p.eval(&lo));
        prop_assert_eq!(bern.coeffs.last().unwrap(), &p.eval(&hi));
        if let Some(ex) = exact(&e, &x) {
            prop_assert_eq!(ex, v);
        }
        if let Some((_, grad)) = eval(&e, &bx, 2, 64) {
            for (i, g) in grad.iter().enumerate() {
                prop_assert!(contains(g, &p.derivative(i).eval(&x)));
            }
        }
    }

    /// The expansion (axis by axis) gives the coefficients of the definition, summed term
    /// by term: `c_α = Σ_e p_e Π_i M_i[e_i][α_i]`, `M_i[k]` the coefficients of `y_i^k`.
    #[test]
    fn bernstein_axis_by_axis_is_term_by_term(e in arb_expr(false), (bx, _) in arb_box_point()) {
        let Some(p) = Poly::from_expr(&e, 2) else { return Ok(()) };
        let end = |x: &Ext| match x { Ext::Fin(q) => q.clone(), _ => unreachable!() };
        let lo: Vec<Rational> = bx.iter().map(|iv| end(&iv.lo)).collect();
        let hi: Vec<Rational> = bx.iter().map(|iv| end(&iv.hi)).collect();
        let bern = Bernstein::new(&p, &lo, &hi).expect("small");
        for (k, got) in bern.coeffs.iter().enumerate() {
            let alpha = bern.index(k);
            let mut want = Rational::new();
            for (ex, c) in &p.terms {
                let mut t = c.clone();
                for i in 0..2 {
                    let w = Rational::from(&hi[i] - &lo[i]);
                    t *= &crate::poly::monomial(ex[i], bern.degrees[i], &lo[i], &w)[alpha[i] as usize];
                }
                want += t;
            }
            prop_assert_eq!(got, &want, "coefficient {:?} of {:?}", alpha, e);
        }
    }

    /// `sqrt` bounds bracket the root, tightly, and are exact on squares.
    #[test]
    fn sqrt_bounds_bracket(n in 0u64..1_000_000, d in 1u64..1_000_000, square in any::<bool>()) {
        let q = if square { Rational::from((n * n, d * d)) } else { Rational::from((n, d)) };
        let (down, up) = sqrt_bounds(&q, 64);
        prop_assert!(Rational::from(&down * &down) <= q && q <= Rational::from(&up * &up));
        prop_assert!(Rational::from(&up - &down) * (Rational::from(1) << 64u32) <= up.clone().max(Rational::from(1)));
        if square {
            prop_assert_eq!(down, up);
        }
    }
}

/// `x^2 - x` on `[2/5, 3/5]`: the natural enclosure is `[4/25 - 3/5, 9/25 - 2/5] =
/// [-11/25, -1/25]`; the centred one, `-1/4 + [-1/5, 1/5] [-1/10, 1/10] = [-27/100,
/// -23/100]`, holds the true range `[-1/4, -6/25]` (fails if the centred forms are dropped
/// or a term of them is).
#[test]
fn centred_value_is_the_mean_value_form() {
    let x = Expr::Var(0);
    let e = Expr::Sub(b(Expr::Pow(b(x.clone()), 2)), b(x));
    let q = |n: i64, d: i64| Rational::from((n, d));
    let bx = [Iv::new(q(2, 5), q(3, 5))];
    let natural = enclose(&e, &bx, 64).unwrap();
    assert_eq!(natural, Iv::new(q(-11, 25), q(-1, 25)));
    let (v, _) = eval(&e, &bx, 1, 64).unwrap();
    assert_eq!(v, Iv::new(q(-27, 100), q(-23, 100)));
}
