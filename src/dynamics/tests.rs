//! The region graph of the rescaled SGD map, built without the parser.

use super::*;
use crate::claim::{Escape, Pos};
use rug::Rational;
use std::time::Duration;

fn c(n: i64, d: i64) -> Expr {
    Expr::constant(Rational::from((n, d)))
}

fn b(name: &str, lo: Expr, lo_closed: bool, hi: Expr, hi_closed: bool) -> Binding {
    Binding {
        name: name.into(),
        lo,
        lo_closed,
        hi,
        hi_closed,
    }
}

fn r(name: &str, lo: Expr, lo_closed: bool, hi: Expr, hi_closed: bool) -> Region {
    Region {
        name: name.into(),
        lo,
        lo_closed,
        hi,
        hi_closed,
    }
}

/// params e in (0, 1/50]; noise g in [1 + 3e, 5/4); state u in (0, 581/500); next = h(u, g).
fn sgd(regions: Vec<Region>, escapes: Vec<Escape>, exceptional: &[&str]) -> System {
    let (e, g, u) = (Expr::Var(0), Expr::Var(1), Expr::Var(2));
    let u2 = Expr::Pow(Box::new(u.clone()), 2);
    let next = Expr::add(
        u.clone(),
        Expr::mul(Expr::mul(g, u), Expr::sub(c(1, 1), u2)),
    );
    System {
        file: "test.stab".into(),
        pos: Pos::default(),
        name: "sgd".into(),
        description: None,
        params: vec![b("e", c(0, 1), false, c(1, 50), true)],
        noise: vec![b(
            "g",
            Expr::add(c(1, 1), Expr::mul(c(3, 1), e)),
            true,
            c(5, 4),
            false,
        )],
        state: b("u", c(0, 1), false, c(581, 500), false),
        next,
        regions,
        escapes,
        target: vec!["I1".into(), "I5".into()],
        exceptional: exceptional.iter().map(|s| s.to_string()).collect(),
    }
}

fn regions() -> Vec<Region> {
    let e = || Expr::Var(0);
    vec![
        r("I0", c(0, 1), false, c(13, 20), true),
        r("I1", c(13, 20), false, Expr::sub(c(1, 1), e()), false),
        r("I2", Expr::sub(c(1, 1), e()), true, c(1, 1), false),
        r("I3", c(1, 1), true, c(1, 1), true),
        r("I4", c(1, 1), false, Expr::add(c(1, 1), e()), true),
        r("I5", Expr::add(c(1, 1), e()), false, c(581, 500), false),
    ]
}

fn escapes() -> Vec<Escape> {
    let e = Expr::Var(0);
    let six_e = Expr::add(c(1, 1), Expr::mul(c(6, 1), e));
    vec![
        Escape {
            region: "I0".into(),
            rule: EscapeRule::Grow(c(15775, 10000)),
            pos: Pos::default(),
        },
        Escape {
            region: "I2".into(),
            rule: EscapeRule::Expand {
                steps: 2,
                factor: Expr::Pow(Box::new(six_e), 2),
                anchor: c(1, 1),
            },
            pos: Pos::default(),
        },
    ]
}

fn budget() -> Budget {
    Budget {
        max_boxes: 200_000,
        timeout: Some(Duration::from_secs(30)),
    }
}

/// Every proof the analysis found must recheck in the independent kernel.
fn assert_certificates_recheck(rep: &Report) {
    for g in rep
        .generated
        .iter()
        .filter(|g| g.outcome.verdict() == Verdict::Proved)
    {
        let certificate = crate::cert::certificate(&g.claim, &g.outcome).to_string();
        let checked = crate::kernel::check_certificate(&certificate);
        assert!(checked.is_ok(), "{}: {:?}", g.claim.name, checked.err());
    }
}

fn present(rep: &Report) -> Vec<String> {
    rep.edges
        .iter()
        .filter(|e| e.status == EdgeStatus::Present)
        .map(|e| format!("{}->{}", e.from, e.to))
        .collect()
}

#[test]
fn sgd_graph_is_the_two_cycle_with_escapes() {
    let rep = analyse(&sgd(regions(), escapes(), &["I3"]), &budget());
    assert!(rep.ok(), "{}", rep.to_text());
    assert_certificates_recheck(&rep);
    let p = present(&rep);
    for e in [
        "I0->I0", "I0->I3", "I1->I5", "I5->I1", "I2->I4", "I2->I5", "I4->I1", "I4->I2", "I3->I3",
    ] {
        assert!(p.contains(&e.to_string()), "{e} missing: {}", rep.to_text());
    }
    for e in ["I1->I1", "I1->I2", "I5->I2", "I3->I1", "I2->I2"] {
        assert!(
            !p.contains(&e.to_string()),
            "{e} should be absent: {}",
            rep.to_text()
        );
    }
    assert!(rep.edges.iter().all(|e| e.status != EdgeStatus::Unknown));
}

#[test]
fn fixed_point_at_one_is_reported_when_not_declared() {
    let rep = analyse(&sgd(regions(), escapes(), &[]), &budget());
    assert!(!rep.ok());
    assert!(
        rep.problems.iter().any(|p| p.contains("I3")),
        "{}",
        rep.to_text()
    );
}

#[test]
fn a_wrong_escape_factor_is_not_accepted() {
    let mut esc = escapes();
    esc[0].rule = EscapeRule::Grow(c(15776, 10000));
    let rep = analyse(&sgd(regions(), esc, &["I3"]), &budget());
    assert!(!rep.ok());
    assert!(
        rep.cycles
            .iter()
            .any(|c| c.kind == "undischarged" && c.regions == ["I0"]),
        "{}",
        rep.to_text()
    );
}
