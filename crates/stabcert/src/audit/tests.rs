//! Unit tests of the threshold engine and the decimal bounds; `tests/audit.rs` runs the
//! audit of `proofs/` end to end against independent high-precision values.

use super::threshold::{threshold, Side};
use super::{decimal, Dir};
use crate::lang;
use rug::{Float, Rational};
use std::path::Path;

fn claim(src: &str) -> crate::claim::Claim {
    let src = format!("def h(u, g) = u + g*u*(1 - u^2)\n{src}");
    lang::parse_source(Path::new("t.stab"), &src)
        .unwrap()
        .remove(0)
}

fn q(s: &str) -> Rational {
    super::parse_number(s).unwrap()
}

/// `lower <= value <= upper` and `upper - lower <= 10^-digits |value|`.
fn assert_encloses(lower: &Rational, upper: &Rational, value: &Float, digits: i32) {
    let prec = value.prec();
    let (lo, hi) = (Float::with_val(prec, lower), Float::with_val(prec, upper));
    assert!(lo <= *value && *value <= hi, "[{lo}, {hi}] misses {value}");
    let width = Float::with_val(prec, &hi - &lo);
    let scale = Float::with_val(prec, value.abs_ref()) * Float::with_val(prec, 10f64.powi(-digits));
    assert!(width <= scale, "[{lo}, {hi}] is wider than {digits} digits");
}

#[test]
fn a_maximum_inside_the_box_is_enclosed_to_thirty_digits() {
    // The smallest c above h over (0, 1) x (1, 1.25): max h = 3 sqrt(15)/10.
    let c = claim("claim t: forall c in [1.16, 1.17], g in (1, 1.25), u in (0, c) => h(u, g) < c");
    let t = threshold(&c, "c", Side::Above, 30, 200_000).unwrap();
    assert!(t.complete && !t.whole_range);
    let exact = Float::with_val(256, 15).sqrt() * 3 / 10;
    assert_encloses(&t.lower, &t.upper, &exact, 29);
    // The witness lies just below the enclosure and really fails.
    let w = t.witness.unwrap();
    let values: Vec<Rational> = w.iter().map(|(_, v)| v.clone()).collect();
    assert!(values[0] <= t.lower);
    assert!(crate::prover::check_exact(&c, &values).is_some());
}

#[test]
fn a_vertex_threshold_with_open_ends_is_exact() {
    // h(1.162, 1.25) = 0.65327059 exactly, approached at the open corner of the box.
    let c =
        claim("claim t: forall a in [0.6, 0.66], g in (1, 1.25), u in (1, 1.162) => h(u, g) > a");
    let t = threshold(&c, "a", Side::Below, 30, 200_000).unwrap();
    assert!(t.complete);
    let exact = Float::with_val(256, &q("65327059/100000000"));
    assert_encloses(&t.lower, &t.upper, &exact, 29);
}

#[test]
fn a_square_root_threshold_on_one_side_of_a_dependent_range() {
    // The largest c with x^2 <= 2 on [0, c] is sqrt(2).
    let c = claim("claim t: forall c in [1, 2], x in [0, c] => x^2 <= 2");
    let t = threshold(&c, "c", Side::Below, 40, 200_000).unwrap();
    assert!(t.complete);
    assert_encloses(&t.lower, &t.upper, &Float::with_val(256, 2).sqrt(), 39);
}

#[test]
fn a_claim_true_on_the_whole_range_has_no_threshold_there() {
    let c = claim("claim t: forall c in [2, 3], x in (0, 1) => x < c");
    let t = threshold(&c, "c", Side::Above, 30, 10_000).unwrap();
    assert!(t.whole_range && t.witness.is_none());
    assert_eq!(t.upper, q("2"));
}

#[test]
fn a_claim_false_at_its_valid_end_is_an_error() {
    let c = claim("claim t: forall c in [0, 1], x in (0, 2) => x < c");
    assert!(threshold(&c, "c", Side::Above, 30, 10_000).is_err());
    let c = claim("claim t: forall c in [0, 1], x in (0, 2) where x > c => x < 3");
    assert!(threshold(&c, "c", Side::Above, 30, 10_000).is_err());
}

#[test]
fn decimals_round_outward() {
    let third = q("1/3");
    assert_eq!(decimal(&third, 5, Dir::Down), "0.33333");
    assert_eq!(decimal(&third, 5, Dir::Up), "0.33334");
    assert_eq!(decimal(&-third.clone(), 3, Dir::Down), "-0.334");
    assert_eq!(decimal(&-third, 3, Dir::Up), "-0.333");
    assert_eq!(decimal(&q("1.25"), 30, Dir::Up), "1.25");
    assert_eq!(decimal(&q("12345"), 2, Dir::Up), "13000");
    assert_eq!(decimal(&q("1/1000"), 2, Dir::Down), "0.001");
}

#[test]
fn a_few_digits_are_settled_against_the_final_enclosure() {
    // The valid end 0.2 is far above the sharp value 0.0833765625: a width fixed from the
    // first `good` (0.2) would stop the bisection 2.4 times too wide for five digits.
    let c = claim("claim t: forall c in [0.05, 0.2], u in (0.65, 1) => (1 - u^2)^2/4 < c");
    for digits in [1, 3, 5, 8] {
        let t = threshold(&c, "c", Side::Above, digits, 200_000).unwrap();
        assert!(t.complete, "{digits} digits");
        let exact = Float::with_val(256, &q("0.0833765625"));
        assert_encloses(&t.lower, &t.upper, &exact, digits as i32);
    }
    // Moving up (a lower valid end): the bisection must not go on past what was asked.
    let c = claim("claim t: forall c in [0.01, 2], x in [0, c] => x^2 <= 2");
    for digits in [2, 5] {
        let t = threshold(&c, "c", Side::Below, digits, 200_000).unwrap();
        assert!(t.complete, "{digits} digits");
        assert_encloses(
            &t.lower,
            &t.upper,
            &Float::with_val(256, 2).sqrt(),
            digits as i32,
        );
    }
}

#[test]
fn a_transcendental_maximum_is_enclosed_to_thirty_digits() {
    // The smallest c above x e^-x over (0, 3) is its maximum 1/e, at x = 1 (interval Newton
    // on the derivative (1 - x) e^-x in MPFR).
    let c = claim("claim t: forall c in [0.3, 0.4], x in (0, 3) => x*exp(-x) < c");
    let t = threshold(&c, "c", Side::Above, 30, 200_000).unwrap();
    assert!(t.complete && !t.whole_range);
    let exact = Float::with_val(256, -1).exp();
    assert_encloses(&t.lower, &t.upper, &exact, 29);
    let w = t.witness.unwrap();
    let values: Vec<Rational> = w.iter().map(|(_, v)| v.clone()).collect();
    assert!(crate::prover::check_exact(&c, &values).is_some());
}
