//! Unit tests of the prover on claims built directly (the language has its own tests); the
//! tests of unknown reasons read their claims through the language, for brevity.

use super::*;
use crate::claim::{Binding, Cond, Expect, Pos, RelOp};
use crate::expr::Expr;
use rug::ops::Pow;
use std::time::Instant;

/// A constant from `p/q` or a decimal such as `1.162`.
fn q(s: &str) -> Expr {
    let value = match s.split_once('.') {
        Some((int, frac)) => {
            let digits: Rational = format!("{int}{frac}").parse().expect("decimal digits");
            digits / Rational::from(rug::Integer::from(10).pow(frac.len() as u32))
        }
        None => s.parse::<Rational>().expect("rational literal"),
    };
    Expr::Const(value)
}

fn v(i: usize) -> Expr {
    Expr::Var(i)
}

fn bind(name: &str, lo: Expr, lo_closed: bool, hi: Expr, hi_closed: bool) -> Binding {
    Binding {
        name: name.into(),
        lo,
        lo_closed,
        hi,
        hi_closed,
    }
}

fn cond(lhs: Expr, op: RelOp, rhs: Expr) -> Cond {
    Cond {
        lhs,
        op,
        rhs,
        text: "goal".into(),
    }
}

fn claim(bindings: Vec<Binding>, hyps: Vec<Cond>, goals: Vec<Cond>) -> Claim {
    Claim {
        file: "test.stab".into(),
        pos: Pos::default(),
        name: "t".into(),
        description: None,
        expect: Expect::Proved,
        bindings,
        hyps,
        goals,
        source: String::new(),
        formula: None,
        unbounded: Vec::new(),
    }
}

/// h(u, g) = u + g u (1 - u^2)
fn h(u: Expr, g: Expr) -> Expr {
    let u2 = Expr::Pow(Box::new(u.clone()), 2);
    Expr::add(u.clone(), Expr::mul(Expr::mul(g, u), Expr::sub(q("1"), u2)))
}

/// Proves `c`; every proof it finds must recheck in the independent kernel.
fn verdict(c: &Claim) -> Outcome {
    let o = prove(
        c,
        &Budget {
            max_boxes: 200_000,
            timeout: Some(Duration::from_secs(20)),
        },
    );
    if o.verdict() == Verdict::Proved {
        let certificate = crate::cert::certificate(c, &o).to_string();
        let checked = stabcert_kernel::check_certificate(&certificate);
        assert!(
            checked.is_ok(),
            "{}: certificate rejected: {:?}",
            c.name,
            checked.err()
        );
    }
    o
}

#[test]
fn step2_is_proved() {
    let c = claim(
        vec![
            bind("u", q("1"), false, q("1.162"), false),
            bind("g", q("1"), false, q("5/4"), true),
        ],
        vec![],
        vec![
            cond(q("0.65"), RelOp::Lt, h(v(0), v(1))),
            cond(h(v(0), v(1)), RelOp::Lt, q("1")),
        ],
    );
    let o = verdict(&c);
    assert_eq!(o.verdict(), Verdict::Proved, "{o:?}");
}

#[test]
fn step4_odd_is_proved_at_the_tight_corner() {
    // e in (0, 0.02], g in [1 + 3e, 1.25), u in (0.65, 1 - e) => 1 + e < h(u, g) < 1.162
    let e = v(0);
    let c = claim(
        vec![
            bind("e", q("0"), false, q("0.02"), true),
            bind(
                "g",
                Expr::add(q("1"), Expr::mul(q("3"), e.clone())),
                true,
                q("1.25"),
                false,
            ),
            bind("u", q("0.65"), false, Expr::sub(q("1"), e.clone()), false),
        ],
        vec![],
        vec![
            cond(Expr::add(q("1"), e), RelOp::Lt, h(v(2), v(1))),
            cond(h(v(2), v(1)), RelOp::Lt, q("1.162")),
        ],
    );
    let o = verdict(&c);
    assert_eq!(o.verdict(), Verdict::Proved, "{o:?}");
}

#[test]
fn seed_typo_is_refuted() {
    let u = v(0);
    let minus = Expr::sub(
        u.clone(),
        Expr::mul(
            Expr::mul(v(1), u.clone()),
            Expr::sub(q("1"), Expr::Pow(Box::new(u), 2)),
        ),
    );
    let c = claim(
        vec![
            bind("u", q("0"), false, q("1.162"), false),
            bind("g", q("1"), false, q("1.25"), false),
        ],
        vec![],
        vec![
            cond(q("0"), RelOp::Lt, minus.clone()),
            cond(minus, RelOp::Lt, q("1.162")),
        ],
    );
    let o = verdict(&c);
    assert_eq!(o.verdict(), Verdict::Refuted, "{o:?}");
}

fn h_below(cst: &str) -> Claim {
    claim(
        vec![
            bind("u", q("0"), false, q("1"), true),
            bind("g", q("1"), false, q("1.25"), true),
        ],
        vec![],
        vec![cond(h(v(0), v(1)), RelOp::Lt, q(cst))],
    )
}

#[test]
fn sharp_constant_of_h_is_separated() {
    let o = verdict(&h_below("1.161895004"));
    assert_eq!(o.verdict(), Verdict::Proved, "{o:?}");
    let o = verdict(&h_below("1.161895003"));
    assert_eq!(o.verdict(), Verdict::Refuted, "{o:?}");
}

#[test]
fn margins_vanishing_at_open_ends_are_proved() {
    let c = claim(
        vec![bind("x", q("0"), false, q("1"), false)],
        vec![],
        vec![cond(Expr::Sqrt(Box::new(v(0))), RelOp::Gt, v(0))],
    );
    let o = verdict(&c);
    assert_eq!(o.verdict(), Verdict::Proved, "{o:?}");
    let c = claim(
        vec![
            bind("u", q("0"), false, q("1.162"), false),
            bind("g", q("1"), false, q("1.25"), false),
        ],
        vec![],
        vec![cond(h(v(0), v(1)), RelOp::Gt, q("0"))],
    );
    let o = verdict(&c);
    assert_eq!(o.verdict(), Verdict::Proved, "{o:?}");
}

#[test]
fn closed_end_with_zero_margin_is_refuted() {
    let c = claim(
        vec![bind("x", q("0"), true, q("1"), false)],
        vec![],
        vec![cond(Expr::Sqrt(Box::new(v(0))), RelOp::Gt, v(0))],
    );
    let o = verdict(&c);
    assert_eq!(o.verdict(), Verdict::Refuted, "{o:?}");
    assert_eq!(o.witness().unwrap().values[0].1, 0);
}

#[test]
fn interior_zero_at_a_short_rational_is_proved() {
    // (x - 1)^2 * (y + 1/2)^2 >= 0, zeros on whole lines inside the box.
    let sq = |e: Expr| Expr::Pow(Box::new(e), 2);
    let m = Expr::mul(sq(Expr::sub(v(0), q("1"))), sq(Expr::add(v(1), q("1/2"))));
    let c = claim(
        vec![
            bind("x", q("-10"), true, q("10"), true),
            bind("y", q("-3"), true, q("7"), true),
        ],
        vec![],
        vec![cond(m, RelOp::Ge, q("0"))],
    );
    let o = verdict(&c);
    assert_eq!(o.verdict(), Verdict::Proved, "{o:?}");
}

#[test]
fn motzkin_polynomial_is_nonnegative() {
    // x^4 y^2 + x^2 y^4 - 3 x^2 y^2 + 1 >= 0: not a sum of squares, zeros at (±1, ±1).
    let p = |e: Expr, n: i32| Expr::Pow(Box::new(e), n);
    let m = Expr::add(
        Expr::sub(
            Expr::add(
                Expr::mul(p(v(0), 4), p(v(1), 2)),
                Expr::mul(p(v(0), 2), p(v(1), 4)),
            ),
            Expr::mul(q("3"), Expr::mul(p(v(0), 2), p(v(1), 2))),
        ),
        q("1"),
    );
    let c = claim(
        vec![
            bind("x", q("-2"), true, q("2"), true),
            bind("y", q("-2"), true, q("2"), true),
        ],
        vec![],
        vec![cond(m.clone(), RelOp::Ge, q("0"))],
    );
    let o = verdict(&c);
    assert_eq!(o.verdict(), Verdict::Proved, "{o:?}");
    // and the strict version is false at (1, 1)
    let c = claim(
        vec![
            bind("x", q("-2"), true, q("2"), true),
            bind("y", q("-2"), true, q("2"), true),
        ],
        vec![],
        vec![cond(m, RelOp::Gt, q("0"))],
    );
    let o = verdict(&c);
    assert_eq!(o.verdict(), Verdict::Refuted, "{o:?}");
}

#[test]
fn zeroth_powers_keep_their_base_undefined() {
    // (1/(x^2 - 2))^0 > 0 on [1, 2]: undefined at sqrt(2), so never proved (no rational witness
    // exists either, so `unknown` is the right answer).
    let base = Expr::Div(
        Box::new(q("1")),
        Box::new(Expr::sub(Expr::Pow(Box::new(v(0)), 2), q("2"))),
    );
    let c = claim(
        vec![bind("x", q("1"), true, q("2"), true)],
        vec![],
        vec![cond(Expr::Pow(Box::new(base), 0), RelOp::Gt, q("0"))],
    );
    let o = prove(
        &c,
        &Budget {
            max_boxes: 2_000,
            timeout: Some(Duration::from_secs(5)),
        },
    );
    assert_ne!(o.verdict(), Verdict::Proved, "{o:?}");
}

/// The only claim of `src`.
fn parsed(src: &str) -> Claim {
    let mut claims = crate::lang::parse_source(std::path::Path::new("t.stab"), src).unwrap();
    assert_eq!(claims.len(), 1);
    claims.remove(0)
}

/// Whether some leaf of the proof `n` satisfies `p`.
fn any_leaf(n: &ProofNode, p: &dyn Fn(&Leaf) -> bool) -> bool {
    match n {
        ProofNode::Leaf(l) => p(l),
        ProofNode::Branch(_, kids) => kids.iter().any(|k| any_leaf(k, p)),
    }
}

fn small_budget() -> Budget {
    Budget {
        max_boxes: 20_000,
        timeout: Some(Duration::from_secs(20)),
    }
}

#[test]
fn a_passed_deadline_stops_the_witness_search() {
    let c = parsed("claim c: forall x in [0, 1], y in [0, 1] => x*y < 1/2");
    let problem = Problem::new(&c);
    let search = refute::search(&problem, &c, 0, Some(Instant::now()));
    assert!(matches!(search, refute::Search::TimedOut), "{search:?}");
    // Without a deadline the same search finds the witness (1, 1)-ish.
    let search = refute::search(&problem, &c, 0, None);
    assert!(matches!(search, refute::Search::Found(_)), "{search:?}");
}

#[test]
fn a_zero_timeout_is_an_unknown_with_the_timeout_reason() {
    let c = parsed("claim c: forall x in [0, 1] => x^4 - x^2 + 1/4 >= 0");
    let budget = Budget {
        max_boxes: 20_000,
        timeout: Some(Duration::ZERO),
    };
    let o = prove(&c, &budget);
    assert_eq!(o.verdict(), Verdict::Unknown);
    assert!(matches!(o.reason(), Some(StopReason::Timeout(_))), "{o:?}");
    assert!(o.witness().is_none() && o.proofs().is_empty());
}

#[test]
fn a_conclusion_tight_inside_the_domain_is_said_to_be() {
    // (exp(x) - 2)^2 >= 0 expanded, tight at the irrational x = log 2: the boxes around it
    // never close (not a polynomial, so no sum-of-squares certificate either).
    let c = parsed("claim c: forall x in [0, 1] => exp(2*x) - 4*exp(x) + 4 >= 0");
    let o = prove(&c, &small_budget());
    let Some(StopReason::NoProgress(r)) = o.reason() else {
        panic!("{o:?}")
    };
    let Some(Remedy::Tight {
        near,
        interior,
        hypothesis: None,
    }) = &r.remedy
    else {
        panic!("{r:?}")
    };
    assert!(*interior);
    assert_eq!(near[0].0, "x");
    let ln2 = 2f64.ln();
    assert!((near[0].1 - ln2).abs() < 1e-6, "{near:?}");
    let Range::Within { lo, hi, .. } = r.region[0].range else {
        panic!("{r:?}")
    };
    // The box that resists is within rounding of log 2 (float enclosures of exp shift it).
    assert!(lo <= ln2 + 1e-9 && ln2 - 1e-9 <= hi, "{r:?}");
}

#[test]
fn an_irrational_end_is_named_as_the_binding_writes_it() {
    // (A constant end sqrt(2) is now exact, prover/algebraic.rs: a dependent one stays.)
    let c = parsed("claim c: forall r in [2, 3], x in [sqrt(r), 2] => x^2 >= r");
    let o = prove(&c, &small_budget());
    // the box budget, or the clock on a loaded machine: the same resisting box either way
    let r = o.reason().expect("unknown").resisted();
    let Range::End { upper, text, .. } = &r.region[1].range else {
        panic!("{r:?}")
    };
    assert!(!upper && text == "sqrt(r)", "{r:?}");
    let Some(Remedy::IrrationalEnd { rewrite, .. }) = &r.remedy else {
        panic!("{r:?}")
    };
    assert_eq!(rewrite.as_deref(), Some("x in [1, 2] where x^2 >= r"));
}

#[test]
fn a_conclusion_tight_where_a_hypothesis_is_names_the_hypothesis() {
    // Not a polynomial: the sum-of-squares method (which proves `x^4 + y^4 >= 0.5` here)
    // does not apply, and the margin is tight on the whole circle where the hypothesis is.
    let c = parsed(
        "claim c: forall x in [-2, 2], y in [-2, 2] where x^2 + y^2 >= 1, x^2 + y^2 <= 4 \
         => exp(x^2 + y^2) >= exp(1)",
    );
    let o = prove(&c, &small_budget());
    let r = o.reason().expect("unknown").resisted();
    let Some(Remedy::Tight { hypothesis, .. }) = &r.remedy else {
        panic!("{r:?}")
    };
    assert_eq!(hypothesis.as_deref(), Some("x^2 + y^2 >= 1"), "{r:?}");
}

/// `x in [0, 1], y in LB lo, hi RB where HYPS => y > 5` (true only where the domain is empty).
fn over_x(lo: Expr, lo_closed: bool, hi: Expr, hi_closed: bool, hyps: Vec<Cond>) -> Claim {
    claim(
        vec![
            bind("x", q("0"), true, q("1"), true),
            bind("y", lo, lo_closed, hi, hi_closed),
        ],
        hyps,
        vec![cond(v(1), RelOp::Gt, q("5"))],
    )
}

fn empty_why(o: &Outcome) -> (&str, bool) {
    match &o.vacuous {
        Some(Vacuity::Empty { why, proof }) => (why.as_str(), proof.is_some()),
        other => panic!("not proved empty: {other:?}"),
    }
}

#[test]
fn ranges_empty_by_an_identity_are_proved_empty() {
    // `x < y <= x`: the hidden `x - x > 0` fails everywhere, which only Bernstein shows.
    let o = verdict(&over_x(v(0), false, v(0), true, vec![]));
    assert_eq!(o.verdict(), Verdict::Proved, "{o:?}");
    assert_eq!(empty_why(&o), ("y in (x, x] is empty", true));
    let plus_one = Expr::add(v(0), q("1"));
    let o = verdict(&over_x(plus_one, true, v(0), true, vec![]));
    assert_eq!(empty_why(&o), ("y in [x + 1, x] is empty", true));
}

#[test]
fn constant_empty_ranges_need_no_proof_tree() {
    let c = claim(
        vec![bind("x", q("1"), true, q("0"), true)],
        vec![],
        vec![cond(v(0), RelOp::Gt, q("5"))],
    );
    let o = verdict(&c);
    assert_eq!((o.verdict(), o.boxes), (Verdict::Proved, 0));
    assert_eq!(empty_why(&o), ("x in [1, 0] is empty", false));
}

#[test]
fn hypotheses_that_never_hold_make_the_claim_vacuous() {
    let x_sq = Expr::Pow(Box::new(v(0)), 2);
    let never = vec![
        cond(v(0), RelOp::Gt, q("2")),
        cond(x_sq.clone(), RelOp::Lt, q("0")),
    ];
    let o = verdict(&over_x(q("0"), true, q("1"), true, never));
    assert_eq!(o.verdict(), Verdict::Proved, "{o:?}");
    assert!(empty_why(&o).0.starts_with("the hypothes"), "{o:?}");
    // A range and a hypothesis that exclude each other: y >= x and y < x.
    let against = vec![cond(v(1), RelOp::Lt, v(0))];
    let o = verdict(&over_x(v(0), true, q("1"), true, against));
    assert_eq!(
        empty_why(&o).0,
        "the hypothesis `goal` never holds",
        "{o:?}"
    );
}

#[test]
fn thin_domains_have_an_exact_point() {
    // y in [x, x]: one point per x. x in [0, 1] where x^2 <= 0: only x = 0.
    let x_sq = Expr::Pow(Box::new(v(0)), 2);
    let cases = [
        over_x(v(0), true, v(0), true, vec![]),
        over_x(
            q("0"),
            true,
            q("1"),
            true,
            vec![cond(x_sq, RelOp::Le, q("0"))],
        ),
    ];
    for c in cases {
        let mut c = c;
        c.goals = vec![cond(v(1), RelOp::Le, q("1"))];
        let o = verdict(&c);
        assert_eq!(o.verdict(), Verdict::Proved, "{o:?}");
        let Some(Vacuity::NonEmpty { point }) = &o.vacuous else {
            panic!("no point found: {o:?}");
        };
        let x: Vec<Rational> = point.iter().map(|(_, q)| q.clone()).collect();
        // The point satisfies the bindings and hypotheses exactly: the domain question's
        // conclusion `0 < 0` is what fails there.
        assert_eq!(check_exact(&domain_claim(&c), &x).as_deref(), Some("false"));
    }
}

#[test]
fn refutations_and_verdict_only_proofs_say_what_they_know() {
    let c = claim(
        vec![bind("x", q("0"), true, q("1"), true)],
        vec![],
        vec![cond(v(0), RelOp::Lt, q("1"))],
    );
    let o = verdict(&c);
    assert_eq!(o.verdict(), Verdict::Refuted);
    assert!(matches!(o.vacuous, Some(Vacuity::NonEmpty { .. })), "{o:?}");
    let budget = Budget::default();
    let o = prove_conclusions(&over_x(v(0), false, v(0), true, vec![]), &budget);
    assert_eq!(o.verdict(), Verdict::Proved);
    assert!(o.vacuous.is_none(), "not examined: {o:?}");
}

/// The verdict and, if refuted, the witness of a one-claim source, with a generous budget.
fn decide(src: &str) -> (Verdict, Option<Vec<Rational>>) {
    let o = prove(&parsed(src), &Budget::default());
    let w = o
        .witness()
        .map(|w| w.values.iter().map(|(_, q)| q.clone()).collect());
    (o.verdict(), w)
}

#[test]
fn transcendental_margins_that_vanish_at_a_special_value_are_proved() {
    // Each touches its bound at one point where the function has an exact value (exp(0) = 1,
    // log(1) = 0, sin(0) = 0, cos(0) = 1, atan(0) = 0): monotonicity pins the box to that
    // point and the exact value closes it.
    for src in [
        "claim c: forall x in [-1, 1] => exp(x) >= 1 + x",
        "claim c: forall x in [1/2, 2] => log(x) <= x - 1",
        "claim c: forall x in [0, 1] => sin(x) <= x",
        "claim c: forall x in [-3, 3] => cos(x) <= 1",
        "claim c: forall x in [0, 2] => atan(x) <= x",
        "claim c: forall x in [0, 3/2] => tan(x) >= x",
    ] {
        assert_eq!(decide(src).0, Verdict::Proved, "{src}");
    }
}

#[test]
fn a_witness_exactly_on_a_special_value_is_decided() {
    // sin(0) < 0 fails exactly at 0, and only there: the witness needs sin(0) = 0 exactly.
    let (v, w) = decide("claim c: forall x in [0, 1] => sin(x) < x");
    assert_eq!((v, w), (Verdict::Refuted, Some(vec![Rational::new()])));
    let (v, w) = decide("claim c: forall x in [1/2, 2] => log(x) < x - 1");
    assert_eq!((v, w), (Verdict::Refuted, Some(vec![Rational::from(1)])));
    // exp(x) - 1 - x - x^2/2 is about x^3/6 < 0 left of 0: refuted at a negative point.
    let (v, w) = decide("claim c: forall x in [-1, 1] => exp(x) >= 1 + x + x^2/2");
    assert_eq!(v, Verdict::Refuted);
    assert!(w.unwrap()[0] < 0);
}

#[test]
fn transcendental_functions_outside_their_domain_are_not_proved() {
    for src in [
        "claim c: forall x in [0, 1] => log(x) <= x",
        "claim c: forall x in [0, 2] => asin(x) <= 2",
        "claim c: forall x in [-1, 1] => pow(x, 2) >= 0",
        "claim c: forall x in [-1, 1], y in [-1, 1] => atan2(y, x) >= -4",
    ] {
        assert_eq!(decide(src).0, Verdict::Refuted, "{src}");
    }
    // Just inside the domain they hold.
    for src in [
        "claim c: forall x in [1/100, 1] => log(x) <= x",
        "claim c: forall x in [0, 1] => asin(x) <= 2",
        "claim c: forall x in [1/100, 1] => pow(x, 2) >= 0",
    ] {
        assert_eq!(decide(src).0, Verdict::Proved, "{src}");
    }
}

#[test]
fn pi_is_enclosed_not_rounded() {
    assert_eq!(
        decide("claim c: forall x in [0, 1] => pi * x <= 3.14159").0,
        Verdict::Refuted
    );
    assert_eq!(
        decide("claim c: forall x in [0, 1] => pi * x <= 3.1416").0,
        Verdict::Proved
    );
}

/// Margins tight at one point with a zero slope there close with the second-order `tangent`
/// leaf, or the `taylor` leaf where it comes first (and the kernel accepts the certificates,
/// see [`verdict`]).
#[test]
fn tight_points_with_zero_slope_are_proved_by_tangent_leaves() {
    let uses_tangent = |n: &ProofNode| {
        any_leaf(n, &|l: &Leaf| {
            matches!(l.method, Method::Tangent | Method::Taylor)
        })
    };
    for src in [
        "claim a: forall x in [-1, 1] => cos(x) >= 1 - x^2/2",
        "claim b: forall x in [1/10, 3] => x * log(x) >= x - 1",
        "claim c: forall t in [-5, 5] => (1/(1+exp(-t))) * (1 - 1/(1+exp(-t))) <= 1/4",
        "claim d: forall x in [0, 2] => exp(x) >= 1 + x + x^2/2",
        "claim e: forall x in (1, 3] => x * log(x) > x - 1",
    ] {
        let o = verdict(&parsed(src));
        assert_eq!(o.verdict(), Verdict::Proved, "{src}: {o:?}");
        assert!(
            o.proofs().iter().any(&uses_tangent),
            "{src}: no tangent leaf"
        );
    }
    // The strict form tight at an included point is refuted, not proved.
    let o = verdict(&parsed(
        "claim f: forall x in [1/10, 3] => x * log(x) > x - 1",
    ));
    assert_eq!(o.verdict(), Verdict::Refuted, "{o:?}");
}

/// Margins tight to order 3 or more at an end of the range (where the second-order leaf
/// cannot decide the sign) close with `taylor` leaves that the kernel accepts; their false
/// variants (a perturbed leading coefficient) are refuted.
#[test]
fn tight_to_high_order_at_an_end_is_proved_by_taylor_leaves() {
    let uses_taylor = |n: &ProofNode| any_leaf(n, &|l: &Leaf| l.method == Method::Taylor);
    for (src, false_variant) in [
        (
            "claim a: forall x in (0, 1] => sin(x) > x - x^3/6",
            "claim a: forall x in (0, 1] => sin(x) > x - x^3/6 + x^5/100",
        ),
        (
            "claim b: forall x in (0, 3] => x*exp(x/2) < exp(x) - 1",
            "claim b: forall x in (0, 3] => x*exp(x/2) < exp(x) - 1 - x^3/20",
        ),
        (
            "claim c: forall x in (0, 1/2] => log(1 + x) > x - x^2/2",
            "claim c: forall x in (0, 1/2] => log(1 + x) > x - x^2/2 + x^3/2",
        ),
        // 0/0 at the excluded end 1 (MetiTarski's log-3615 near 1).
        (
            "claim e: forall x in (1, 2] => log(x)/(x - 1) <= 1/sqrt(x)",
            "claim e: forall x in (1, 2] => log(x)/(x - 1) <= 0.99/sqrt(x)",
        ),
        (
            "claim d: forall x in (0, 2] => x*(2 + cosh(x)) > 3*sinh(x)",
            "claim d: forall x in (0, 2] => x*(2 + cosh(x)) > 3*sinh(x) + x^5/50",
        ),
    ] {
        let o = verdict(&parsed(src));
        assert_eq!(o.verdict(), Verdict::Proved, "{src}: {o:?}");
        assert!(o.proofs().iter().any(&uses_taylor), "{src}: no taylor leaf");
        assert_eq!(
            verdict(&parsed(false_variant)).verdict(),
            Verdict::Refuted,
            "{false_variant}"
        );
    }
}

/// The second pass over a formula's clauses goes on from where the first stopped a clause's
/// search: with a box budget an eighth above what the clause takes alone, the quarter the
/// first pass gives it would be lost to a restart (unknown, out of boxes).
#[test]
fn a_clause_stopped_in_the_first_pass_is_resumed() {
    let margin = "sin(x + y) - sin(x)*cos(y) - cos(x)*sin(y) + 0.0001 >= 0";
    let over = "claim c: forall x in [0, 1], y in [0, 1] =>";
    let alone = prove_conclusions(&parsed(&format!("{over} {margin}")), &Budget::default());
    assert_eq!(alone.verdict(), Verdict::Proved);
    let n = alone.boxes;
    assert!(n > 500, "the clause should take many boxes: {n}");
    let both = parsed(&format!("{over} (x > 2 or {margin}) and x >= 0"));
    let budget = Budget {
        max_boxes: n + n / 8,
        timeout: None,
    };
    let o = prove_conclusions(&both, &budget);
    assert_eq!(o.verdict(), Verdict::Proved, "{o:?}");
    assert!(o.boxes <= n + n / 8, "{} boxes", o.boxes);
}
