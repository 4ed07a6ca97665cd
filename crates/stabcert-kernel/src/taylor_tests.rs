//! The `taylor` leaf: the Taylor-mode recurrences against known series, and hand-written
//! certificates accepted and rejected.

use super::expr::{Expr, Num};
use super::interval::Iv;
use super::tangent_tests::{cert, f, op, q, rejected, sq, v};
use super::taylor::series;
use super::{check_certificate, Check};
use rug::Rational;

fn r(n: i64, d: i64) -> Rational {
    Rational::from((n, d))
}

fn x() -> Box<Expr> {
    Box::new(Expr::Var(0))
}

fn c(n: i64, d: i64) -> Box<Expr> {
    Box::new(Expr::Q(Num(r(n, d))))
}

/// Coefficients 0..=6 at the point 0 (all exact there).
fn at0(e: &Expr) -> Vec<Rational> {
    let s = series(
        e,
        &[Iv::point(0)],
        &[Iv::point(0)],
        0,
        6,
        64,
        &Default::default(),
    )
    .expect("defined at 0")
    .1;
    let exact = |iv: &Iv| {
        assert_eq!(iv.lo, iv.hi, "{iv} is not exact");
        match &iv.lo {
            super::interval::Ext::Fin(q) => q.clone(),
            _ => panic!("infinite"),
        }
    };
    s.iter().map(exact).collect()
}

fn want(c: &[(i64, i64)]) -> Vec<Rational> {
    c.iter().map(|(n, d)| r(*n, *d)).collect()
}

/// Every function's recurrence: the coefficients at 0 are the textbook series, exactly.
#[test]
fn series_at_zero_are_the_textbook_ones() {
    use Expr::*;
    let one_plus_x = || Box::new(Add(c(1, 1), x()));
    // sqrt(1 + x) = Σ binom(1/2, n) x^n.
    let sqrt1 = vec![
        (1, 1),
        (1, 2),
        (-1, 8),
        (1, 16),
        (-5, 128),
        (7, 256),
        (-21, 1024),
    ];
    let cases: Vec<(Expr, Vec<(i64, i64)>)> = vec![
        (
            Exp(x()),
            vec![(1, 1), (1, 1), (1, 2), (1, 6), (1, 24), (1, 120), (1, 720)],
        ),
        (
            Log(one_plus_x()),
            vec![(0, 1), (1, 1), (-1, 2), (1, 3), (-1, 4), (1, 5), (-1, 6)],
        ),
        (
            Sin(x()),
            vec![(0, 1), (1, 1), (0, 1), (-1, 6), (0, 1), (1, 120), (0, 1)],
        ),
        (
            Cos(x()),
            vec![(1, 1), (0, 1), (-1, 2), (0, 1), (1, 24), (0, 1), (-1, 720)],
        ),
        (
            Sinh(x()),
            vec![(0, 1), (1, 1), (0, 1), (1, 6), (0, 1), (1, 120), (0, 1)],
        ),
        (
            Cosh(x()),
            vec![(1, 1), (0, 1), (1, 2), (0, 1), (1, 24), (0, 1), (1, 720)],
        ),
        (
            Tan(x()),
            vec![(0, 1), (1, 1), (0, 1), (1, 3), (0, 1), (2, 15), (0, 1)],
        ),
        (
            Tanh(x()),
            vec![(0, 1), (1, 1), (0, 1), (-1, 3), (0, 1), (2, 15), (0, 1)],
        ),
        (
            Atan(x()),
            vec![(0, 1), (1, 1), (0, 1), (-1, 3), (0, 1), (1, 5), (0, 1)],
        ),
        (
            Asin(x()),
            vec![(0, 1), (1, 1), (0, 1), (1, 6), (0, 1), (3, 40), (0, 1)],
        ),
        (Sqrt(one_plus_x()), sqrt1.clone()),
        (Div(c(1, 1), Box::new(Sub(c(1, 1), x()))), vec![(1, 1); 7]),
        (
            Pow(one_plus_x(), -2),
            vec![(1, 1), (-2, 1), (3, 1), (-4, 1), (5, 1), (-6, 1), (7, 1)],
        ),
        // (1+x)^(1/2) as powr: exp(log(1+x)/2).
        (Powr(one_plus_x(), c(1, 2)), sqrt1),
    ];
    for (e, w) in cases {
        assert_eq!(at0(&e), want(&w), "{e:?}");
    }
    // acos = pi/2 - asin: the same coefficients negated past the constant.
    let acos = series(
        &Acos(x()),
        &[Iv::point(0)],
        &[Iv::point(0)],
        0,
        3,
        64,
        &Default::default(),
    )
    .unwrap()
    .0;
    assert_eq!(acos[1], Iv::point(-1));
    assert_eq!(acos[3], Iv::point(r(-1, 6)));
}

/// Over a box, each coefficient encloses its value at every point: exp's at `[0, 1/2]`
/// contain `1/n!` (at 0) and `e^(1/2)/n!`, bounded by `2/n!`; `log` undefined at 0 declines.
#[test]
fn series_over_a_box_enclose_the_pointwise_coefficients() {
    let b = [Iv::new(r(0, 1), r(1, 2))];
    let s = series(&Expr::Exp(x()), &b, &b, 0, 5, 64, &Default::default())
        .unwrap()
        .1;
    let mut fact = 1;
    for (n, iv) in s.iter().enumerate() {
        fact *= n.max(1) as i64;
        assert!(iv.lo <= super::interval::Ext::Fin(r(1, fact)), "{n}: {iv}");
        assert!(
            iv.hi >= super::interval::Ext::Fin(r(1648, 1000 * fact)),
            "{n}: {iv}"
        );
        assert!(iv.hi <= super::interval::Ext::Fin(r(2, fact)), "{n}: {iv}");
    }
    assert!(series(&Expr::Log(x()), &b, &b, 0, 3, 64, &Default::default()).is_none());
    assert!(series(&Expr::Sqrt(x()), &b, &b, 0, 3, 64, &Default::default()).is_none());
    assert!(series(&Expr::Abs(x()), &b, &b, 0, 3, 64, &Default::default()).is_none());
}

fn taylor(at: &[&str], order: usize) -> String {
    let at: Vec<String> = at.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        r#"{{"leaf":{{"method":"taylor","at":[{}],"order":{order}}}}}"#,
        at.join(",")
    )
}

fn ok(json: &str) {
    if let Err(e) = check_certificate(json) {
        panic!("rejected: {e}");
    }
}

/// `x - x^3/6`.
fn sin_lower() -> String {
    op(
        "sub",
        &v(0),
        &op("div", &op("mul", &sq(&v(0)), &v(0)), &q("6")),
    )
}

/// `sin x > x - x^3/6` on `(0, 1/2]`: tight to order 5 at the excluded end 0.
#[test]
fn sin_above_its_cubic_is_tight_to_order_five() {
    let s = f("sin", &v(0));
    ok(&cert(
        &[("(0", "1/2")],
        &s,
        ">",
        &sin_lower(),
        &taylor(&["0"], 6),
    ));
    // Including 0, where both sides are 0, it is not strict.
    let closed = cert(&[("0", "1/2")], &s, ">", &sin_lower(), &taylor(&["0"], 6));
    rejected(&closed, Check::NotPositive);
    ok(&cert(
        &[("0", "1/2")],
        &s,
        ">=",
        &sin_lower(),
        &taylor(&["0"], 6),
    ));
    // Order 4 leaves the remainder sin(ξ)/24 x^4, 0 at ξ = 0: not strictly positive.
    rejected(
        &cert(&[("(0", "1/2")], &s, ">", &sin_lower(), &taylor(&["0"], 4)),
        Check::NotPositive,
    );
    // The false bound x - x^3/6 + x^5/100 (above sin near 0) is rejected.
    let over = op(
        "add",
        &sin_lower(),
        &op("div", &op("pow", &v(0), "5"), &q("100")),
    );
    rejected(
        &cert(&[("(0", "1/2")], &s, ">", &over, &taylor(&["0"], 6)),
        Check::NotPositive,
    );
    // Orders outside 1..=12 and points outside the box are malformed.
    rejected(
        &cert(&[("(0", "1/2")], &s, ">", &sin_lower(), &taylor(&["0"], 0)),
        Check::BadCentre,
    );
    rejected(
        &cert(&[("(0", "1/2")], &s, ">", &sin_lower(), &taylor(&["1"], 6)),
        Check::BadCentre,
    );
}

/// `exp x >= 1 + x + x^2/2 + x^3/6 + x^4/20` is false near 0 (`1/24 < 1/20`): only the
/// order-4 remainder `exp(ξ)/24 - 1/20` shows it, the coefficients below vanish.
#[test]
fn the_remainder_decides_a_false_claim() {
    let mut rhs = q("1");
    for (k, d) in [(1, "1"), (2, "2"), (3, "6"), (4, "20")] {
        rhs = op(
            "add",
            &rhs,
            &op("div", &op("pow", &v(0), &k.to_string()), &q(d)),
        );
    }
    let e = f("exp", &v(0));
    rejected(
        &cert(&[("0", "1/10")], &e, ">=", &rhs, &taylor(&["0"], 4)),
        Check::NotPositive,
    );
    rejected(
        &cert(&[("0", "1/10")], &e, ">=", &rhs, &taylor(&["0"], 6)),
        Check::NotPositive,
    );
    // With 1/24 it holds (the remainder exp(ξ)/120 x^5 >= 0).
    let fixed = rhs.replace(r#"{"q":"20"}"#, r#"{"q":"24"}"#);
    ok(&cert(
        &[("0", "1/10")],
        &e,
        ">=",
        &fixed,
        &taylor(&["0"], 5),
    ));
}

/// One moving axis beside a point axis; two moving axes are not taken.
#[test]
fn one_moving_axis_only() {
    // exp(x) - 1 - x >= 0 times y, at y = 2 (a point): tight to order 2 at x = 0.
    let m = op(
        "mul",
        &v(1),
        &op("sub", &f("exp", &v(0)), &op("add", &q("1"), &v(0))),
    );
    ok(&cert(
        &[("-1", "1"), ("2", "2")],
        &m,
        ">=",
        &q("0"),
        &taylor(&["0", "2"], 3),
    ));
    rejected(
        &cert(
            &[("-1", "1"), ("1", "2")],
            &m,
            ">=",
            &q("0"),
            &taylor(&["0", "1"], 3),
        ),
        Check::BadCentre,
    );
    // An odd lowest order at an interior point changes sign: x^3 on [-1, 1].
    let cube = op("pow", &v(0), "3");
    rejected(
        &cert(&[("-1", "1")], &cube, ">=", &q("0"), &taylor(&["0"], 4)),
        Check::NotPositive,
    );
    ok(&cert(
        &[("0", "1")],
        &cube,
        ">=",
        &q("0"),
        &taylor(&["0"], 4),
    ));
    // ... and at an upper end: (x - 1)^3 <= 0 on [0, 1].
    let shifted = op("pow", &op("sub", &v(0), &q("1")), "3");
    ok(&cert(
        &[("0", "1")],
        &shifted,
        "<=",
        &q("0"),
        &taylor(&["1"], 4),
    ));
}

/// A removable singularity at an excluded end: `log(x)/(x - 1) <= 1/sqrt(x)` on `(1, 11/10]`,
/// tight to order 2 at 1 where the quotient is `0/0` (MetiTarski's log-3615); rejected with
/// 1 included, and the false `0.9/sqrt(x)`.
#[test]
fn a_quotient_that_is_zero_over_zero_at_an_excluded_end() {
    let lhs = op("div", &f("log", &v(0)), &op("sub", &v(0), &q("1")));
    let rhs = op("div", &q("1"), &f("sqrt", &v(0)));
    ok(&cert(
        &[("(1", "11/10")],
        &lhs,
        "<=",
        &rhs,
        &taylor(&["1"], 3),
    ));
    rejected(
        &cert(&[("1", "11/10")], &lhs, "<=", &rhs, &taylor(&["1"], 3)),
        Check::MarginUndefined,
    );
    let low = op("div", &q("9/10"), &f("sqrt", &v(0)));
    rejected(
        &cert(&[("(1", "11/10")], &lhs, "<=", &low, &taylor(&["1"], 3)),
        Check::NotPositive,
    );
    // Only 0/0 is divided out: 1/(x - 1) <= 0 (false) stays undefined at 1.
    let pole = op("div", &q("1"), &op("sub", &v(0), &q("1")));
    rejected(
        &cert(&[("(1", "11/10")], &pole, "<=", &q("0"), &taylor(&["1"], 3)),
        Check::MarginUndefined,
    );
    // Below 1 too (t < 0): the t^2 term has the sign of t^2.
    ok(&cert(
        &[("19/20", "1)")],
        &lhs,
        "<=",
        &rhs,
        &taylor(&["1"], 3),
    ));
}
