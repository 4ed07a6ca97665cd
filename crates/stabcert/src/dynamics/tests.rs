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
        source: "system sgd: ...".into(),
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
        let checked = stabcert_kernel::check_certificate(&certificate);
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

/// The claims `analyse` proved, as their certificates state them (all but `file`).
fn proved_statements(rep: &Report) -> Vec<serde_json::Value> {
    rep.generated
        .iter()
        .filter(|g| g.outcome.verdict() == Verdict::Proved)
        .map(|g| crate::cert::claim_json(&g.claim))
        .collect()
}

/// The finding of `kind` and its witness as exact values, in binding order.
fn finding(rep: &Report, kind: &str) -> (String, Vec<Rational>) {
    let f = rep
        .partition
        .findings
        .iter()
        .find(|f| f.kind == kind)
        .unwrap_or_else(|| panic!("no {kind}: {}", rep.to_text()));
    let w = f.witness.as_ref().expect("a finding has a witness");
    let values = w.iter().map(|(_, v)| v.parse().unwrap()).collect();
    (f.claim.clone(), values)
}

/// Whether `u` lies in `r` at the parameter value `e`, in exact arithmetic.
fn contains(r: &Region, e: &Rational, u: &Rational) -> bool {
    let end = |x: &Expr| crate::prover::exact::eval_rational(x, std::slice::from_ref(e)).unwrap();
    let (lo, hi) = (end(&r.lo), end(&r.hi));
    (*u > lo || (r.lo_closed && *u == lo)) && (*u < hi || (r.hi_closed && *u == hi))
}

fn names_in(rs: &[Region], e: &Rational, u: &Rational) -> Vec<String> {
    rs.iter()
        .filter(|r| contains(r, e, u))
        .map(|r| r.name.clone())
        .collect()
}

#[test]
fn candidates_hold_every_generated_claim() {
    let sys = sgd(regions(), escapes(), &["I3"]);
    let rep = analyse(&sys, &budget());
    let all: Vec<serde_json::Value> = candidates(&sys)
        .iter()
        .map(crate::cert::claim_json)
        .collect();
    for g in &rep.generated {
        let c = crate::cert::claim_json(&g.claim);
        assert!(all.contains(&c), "{} is not a candidate", g.claim.name);
        assert_eq!(
            c["source_sha256"],
            crate::cert::source_hash(&g.claim).as_str()
        );
    }
    // 6 regions: the invariant, 3 claims an edge, I0's lemma, I2's `:side` and two variants;
    // the partition: 3 disjointness claims a pair, and start, 5 consecutive pairs, end; an
    // image claim a region and cover slot.
    assert_eq!(all.len(), 1 + 3 * 36 + 1 + 3 + 3 * 15 + 7 + 6 * 7);
}

#[test]
fn rederive_follows_the_proved_claims_only() {
    let sys = sgd(regions(), escapes(), &["I3"]);
    let rep = analyse(&sys, &budget());
    let proved = proved_statements(&rep);
    let from = |drop: &str| {
        let mut known = |c: &Claim| c.name != drop && proved.contains(&crate::cert::claim_json(c));
        rederive(&sys, &mut known)
    };
    let all = from("");
    assert!(all.ok(), "{:?}", all.problems);
    let absent = |edges: &[Edge]| {
        let absent = edges.iter().filter(|e| e.status == EdgeStatus::Absent);
        absent.map(|e| e.claim.clone()).collect::<Vec<_>>()
    };
    assert_eq!(absent(&all.edges), absent(&rep.edges));
    // Without the invariance, or the escape lemma, the system does not follow.
    for name in ["sgd::invariant", "sgd::escape:I0", "sgd::escape:I2"] {
        let r = from(name);
        assert!(
            r.problems.iter().any(|p| p.contains(name)),
            "{name}: {:?}",
            r.problems
        );
    }
    // Without `:side`, I2's lemma is asked in its other variant, which nothing proved.
    let r = from("sgd::escape:I2:side");
    assert!(
        r.problems
            .iter()
            .any(|p| p.contains("sgd::escape:I2 is not proved")),
        "{:?}",
        r.problems
    );
    // An edge proof missing only adds an edge: here I1 -> I2 joins I1 and I2's cycles into
    // one that no declaration covers.
    let r = from("sgd::I1->I2:above");
    let joined = |p: &String| p.starts_with("cycle {I1, I2, I4, I5}");
    assert!(r.problems.iter().any(joined), "{:?}", r.problems);
}

#[test]
fn regions_written_out_of_order_still_partition() {
    let mut rs = regions();
    rs.reverse();
    rs.swap(1, 4);
    let rep = analyse(&sgd(rs, escapes(), &["I3"]), &budget());
    assert!(rep.ok(), "{}", rep.to_text());
    assert!(rep.partition.proved && rep.partition.findings.is_empty());
    let order = ["I0", "I1", "I2", "I3", "I4", "I5"];
    assert_eq!(rep.partition.order, order);
    assert_certificates_recheck(&rep);
    let proved = |n: &str| {
        rep.generated
            .iter()
            .any(|g| g.claim.name == n && g.outcome.verdict() == Verdict::Proved)
    };
    for n in ["start", "I0,I1", "I1,I2", "I2,I3", "I3,I4", "I4,I5", "end"] {
        assert!(
            proved(&format!("sgd::cover:{n}")),
            "cover:{n}: {}",
            rep.to_text()
        );
    }
}

#[test]
fn a_moving_one_point_gap_is_found_exactly() {
    // I2 = (1 - e, 1): the state u = 1 - e lies in no region, for every e.
    let mut rs = regions();
    rs[2].lo_closed = false;
    let rep = analyse(&sgd(rs.clone(), escapes(), &["I3"]), &budget());
    assert!(!rep.ok());
    let (claim, w) = finding(&rep, "gap");
    assert_eq!(claim, "sgd::cover:I1,I2");
    let (e, u) = (&w[0], &w[1]);
    assert_eq!(*u, Rational::from(1) - e);
    assert!(names_in(&rs, e, u).is_empty());
    assert!(rep.problems.iter().any(|p| p.contains("gap")));
}

#[test]
fn a_one_point_overlap_is_found_exactly() {
    // I2 = [1 - e, 1] and I3 = [1, 1] share u = 1.
    let mut rs = regions();
    rs[2].hi_closed = true;
    let rep = analyse(&sgd(rs.clone(), escapes(), &["I3"]), &budget());
    assert!(!rep.ok());
    let (claim, w) = finding(&rep, "overlap");
    assert_eq!(claim, "sgd::disjoint:I2,I3");
    assert_eq!(w[1], 1);
    assert_eq!(names_in(&rs, &w[0], &w[1]), ["I2", "I3"]);
}

#[test]
fn a_region_ending_short_of_the_state_space_leaves_a_gap_at_the_end() {
    let mut rs = regions();
    rs[5].hi = c(11, 10);
    let rep = analyse(&sgd(rs.clone(), escapes(), &["I3"]), &budget());
    assert!(!rep.ok());
    let (claim, w) = finding(&rep, "gap");
    assert_eq!(claim, "sgd::cover:end");
    assert!(w[1] >= Rational::from((11, 10)) && w[1] < Rational::from((581, 500)));
    assert!(names_in(&rs, &w[0], &w[1]).is_empty());
}

#[test]
fn gaps_and_overlaps_that_depend_on_the_parameter_are_both_found() {
    // I1 = (40 e, 1 - e): it overlaps I0 = (0, 13/20] where 40 e < 13/20 and leaves
    // (13/20, 40 e] uncovered where 40 e > 13/20 (e ranges over (0, 1/50]).
    let mut rs = regions();
    rs[1].lo = Expr::mul(c(40, 1), Expr::Var(0));
    // Some edges from this I1 are hard; the partition claims take a few boxes.
    let small = Budget {
        max_boxes: 3000,
        ..budget()
    };
    let rep = analyse(&sgd(rs.clone(), escapes(), &["I3"]), &small);
    assert!(!rep.ok());
    let (_, gap) = finding(&rep, "gap");
    assert!(gap[0] > Rational::from((13, 800)), "{gap:?}");
    assert!(names_in(&rs, &gap[0], &gap[1]).is_empty());
    let (claim, overlap) = finding(&rep, "overlap");
    assert_eq!(claim, "sgd::disjoint:I0,I1");
    assert!(overlap[0] < Rational::from((13, 800)), "{overlap:?}");
    assert_eq!(names_in(&rs, &overlap[0], &overlap[1]), ["I0", "I1"]);
}

#[test]
fn a_region_moving_across_others_is_never_reported_as_a_gap() {
    // y in [0, 2], regions L = [0, 1], H = (1, 2] and the empty E = (2a, 2a) for a in [0, 1]:
    // a partition, but E's place among the others changes with a, so the cover claims in
    // any one order are refuted at states that L or H contains. That is no gap: the system
    // is not proved, and no witness is reported as a gap.
    let (a, y) = (Expr::Var(0), Expr::Var(2));
    let two_a = Expr::mul(c(2, 1), a);
    let sys = System {
        file: "test.stab".into(),
        pos: Pos::default(),
        name: "moving".into(),
        source: "system moving: ...".into(),
        description: None,
        params: vec![b("a", c(0, 1), true, c(1, 1), true)],
        noise: vec![b("g", c(0, 1), true, c(1, 1), true)],
        state: b("y", c(0, 1), true, c(2, 1), true),
        next: Expr::sub(c(2, 1), y),
        regions: vec![
            r("L", c(0, 1), true, c(1, 1), true),
            r("E", two_a.clone(), false, two_a, false),
            r("H", c(1, 1), false, c(2, 1), true),
        ],
        escapes: vec![],
        target: vec!["L".into(), "H".into()],
        exceptional: vec!["E".into()],
    };
    let small = Budget {
        max_boxes: 2000,
        ..budget()
    };
    let rep = analyse(&sys, &small);
    assert!(!rep.partition.proved && !rep.ok());
    assert!(rep.partition.findings.is_empty(), "{}", rep.to_text());
    assert!(
        rep.problems
            .iter()
            .any(|p| p.contains("not proved to cover")),
        "{}",
        rep.to_text()
    );
}
