//! The kernel on hand-written certificates: sound ones are accepted, corrupted ones are
//! rejected with the reason that applies.

use stabcert_kernel::*;

// ---- Building certificates as JSON text ----

fn v(i: usize) -> String {
    format!(r#"{{"var":{i}}}"#)
}

fn q(s: &str) -> String {
    format!(r#"{{"q":"{s}"}}"#)
}

fn op(name: &str, a: &str, b: &str) -> String {
    format!(r#"{{"{name}":[{a},{b}]}}"#)
}

fn sqrt(a: &str) -> String {
    format!(r#"{{"sqrt":{a}}}"#)
}

fn pow(a: &str, n: i32) -> String {
    format!(r#"{{"pow":[{a},{n}]}}"#)
}

fn cond(lhs: &str, rel: &str, rhs: &str) -> String {
    format!(r#"{{"lhs":{lhs},"op":"{rel}","rhs":{rhs}}}"#)
}

/// A binding `[lo, hi]`, `(lo, hi]` etc. from its bracket characters.
fn binding(open: char, lo: &str, hi: &str, close: char) -> String {
    let (lc, hc) = (open == '[', close == ']');
    format!(r#"{{"lo":{lo},"lo_closed":{lc},"hi":{hi},"hi_closed":{hc}}}"#)
}

fn claim(vars: &[&str], bindings: &[String], hyps: &[String], goals: &[String]) -> String {
    let vars: Vec<String> = vars.iter().map(|v| format!("\"{v}\"")).collect();
    format!(
        r#"{{"name":"t","file":"proofs/t.stab","source_sha256":"ab12","variables":[{}],"bindings":[{}],"hyps":[{}],"goals":[{}]}}"#,
        vars.join(","),
        bindings.join(","),
        hyps.join(","),
        goals.join(",")
    )
}

fn cert(claim: &str, trees: &[String]) -> String {
    let proofs: Vec<String> = trees
        .iter()
        .enumerate()
        .map(|(k, t)| format!(r#"{{"goal":{k},"tree":{t}}}"#))
        .collect();
    format!(
        r#"{{"format":"stabcert-certificate","version":1,"claim":{claim},"empty_domain":false,"proofs":[{}]}}"#,
        proofs.join(",")
    )
}

fn leaf(method: &str) -> String {
    format!(r#"{{"leaf":{{"method":"{method}"}}}}"#)
}

fn pruned(hyp: usize) -> String {
    format!(r#"{{"leaf":{{"method":"pruned","hyp":{hyp}}}}}"#)
}

fn mean_value(centre: &str) -> String {
    format!(r#"{{"leaf":{{"method":"mean_value","centre":{centre}}}}}"#)
}

fn split(axis: usize, at: &str, lo: &str, hi: &str) -> String {
    format!(r#"{{"split":{{"axis":{axis},"at":"{at}","lo":{lo},"hi":{hi}}}}}"#)
}

fn pin(pins: &str, strict: bool, face: &str) -> String {
    format!(r#"{{"pin":{{"pins":{pins},"strict":{strict},"face":{face}}}}}"#)
}

/// One variable `x` over the given binding, one conclusion, one tree.
fn one_var(bind: String, goal: String, tree: String) -> String {
    cert(&claim(&["x"], &[bind], &[], &[goal]), &[tree])
}

fn unit() -> String {
    binding('[', &q("0"), &q("1"), ']')
}

fn accepted(json: &str) -> Checked {
    accepted_result(check_certificate(json))
}

/// Rejected at a node with this check; returns the message.
fn rejected(json: &str, want: Check) -> String {
    match check_certificate(json) {
        Err(e @ KernelError::Rejected { check, .. }) if check == want => e.to_string(),
        Err(e) => panic!("rejected for another reason ({want:?} expected): {e}"),
        Ok(_) => panic!("accepted; {want:?} expected"),
    }
}

// ---- The claims ----

/// `x * (1 - x) >= 0` on `[0, 1]`.
fn parabola() -> String {
    let m = op("mul", &v(0), &op("sub", &q("1"), &v(0)));
    cond(&m, ">=", &q("0"))
}

/// `x*x - x + 3/5 > 0` on `[0, 1]`: the interval form needs a split, then a mean value form.
fn dip() -> String {
    let m = op(
        "add",
        &op("sub", &op("mul", &v(0), &v(0)), &v(0)),
        &q("3/5"),
    );
    cond(&m, ">", &q("0"))
}

/// `sqrt(x) > x` on `(0, 1/4]` (or `[0, 1/4]`), proved by a cut at 1/9, a pin at the
/// excluded end 0 and an exact point there.
fn sqrt_cert(open: char, face_strict: bool) -> String {
    let goal = cond(&sqrt(&v(0)), ">", &v(0));
    let lo = pin(r#"[[0,"lo"]]"#, face_strict, &leaf("exact_point"));
    let tree = split(0, "1/9", &lo, &leaf("interval"));
    one_var(binding(open, &q("0"), &q("1/4"), ']'), goal, tree)
}

/// `forall x in [0, 1] where x >= 1/2 => 4x - 1 > 0`.
fn where_cert(lo: &str, hi: &str) -> String {
    let hyp = cond(&v(0), ">=", &q("1/2"));
    let goal = cond(
        &op("sub", &op("mul", &q("4"), &v(0)), &q("1")),
        ">",
        &q("0"),
    );
    let c = claim(&["x"], &[unit()], &[hyp], &[goal]);
    cert(&c, &[split(0, "3/8", lo, hi)])
}

// ---- Accepted ----

#[test]
fn bernstein_leaf_proves_a_parabola() {
    let c = accepted(&one_var(unit(), parabola(), leaf("bernstein")));
    assert_eq!((c.name.as_str(), c.goals, c.nodes), ("t", 1, 1));
    assert_eq!(c.source_sha256, "ab12");
}

#[test]
fn interval_leaf_proves_a_positive_line() {
    let goal = cond(&op("add", &v(0), &q("1")), ">", &q("0"));
    accepted(&one_var(unit(), goal, leaf("interval")));
}

#[test]
fn split_tree_with_interval_and_mean_value_leaves() {
    let tree = split(0, "1/2", &leaf("interval"), &mean_value(r#"["3/4"]"#));
    let c = accepted(&one_var(unit(), dip(), tree));
    assert_eq!(c.nodes, 3);
}

#[test]
fn pin_at_an_excluded_end_relaxes_strictness() {
    assert_eq!(accepted(&sqrt_cert('(', false)).nodes, 4);
}

#[test]
fn pruned_leaf_uses_a_where_condition() {
    accepted(&where_cert(&pruned(0), &leaf("interval")));
}

#[test]
fn dependent_binding_is_reparametrised() {
    // x in [0, 1], y in [0, x] => x - y >= 0: in box coordinates x - t x, a polynomial.
    let b = [unit(), binding('[', &q("0"), &v(0), ']')];
    let goal = cond(&op("sub", &v(0), &v(1)), ">=", &q("0"));
    accepted(&cert(
        &claim(&["x", "y"], &b, &[], &[goal]),
        &[leaf("bernstein")],
    ));
}

#[test]
fn hidden_hypothesis_prunes_the_empty_part() {
    // x in [-1, 1], y in (0, x] => y >= 0: hypothesis 0 is the hidden `x - 0 > 0`.
    let b = [
        binding('[', &q("-1"), &q("1"), ']'),
        binding('(', &q("0"), &v(0), ']'),
    ];
    let goal = cond(&v(1), ">=", &q("0"));
    let c = claim(&["x", "y"], &b, &[], &[goal]);
    let tree = split(0, "0", &pruned(0), &leaf("bernstein"));
    accepted(&cert(&c, &[tree]));
    // The hidden hypothesis comes first: there is no hypothesis 1.
    let wrong = split(0, "0", &pruned(1), &leaf("bernstein"));
    rejected(&cert(&c, &[wrong]), Check::NotActive);
}

#[test]
fn strict_bernstein_needs_positive_coefficients_at_included_ends() {
    // 2x - 1 > 0: its coefficients on [1/2, 1] are 0 and 1.
    let goal = cond(
        &op("sub", &op("mul", &q("2"), &v(0)), &q("1")),
        ">",
        &q("0"),
    );
    let open = binding('(', &q("1/2"), &q("1"), ']');
    accepted(&one_var(open, goal.clone(), leaf("bernstein")));
    let closed = binding('[', &q("1/2"), &q("1"), ']');
    rejected(
        &one_var(closed, goal, leaf("bernstein")),
        Check::UncoveredKind,
    );
}

#[test]
fn convex_leaf_uses_the_tangent_at_the_centre() {
    let goal = cond(&pow(&op("sub", &v(0), &q("1/2")), 2), ">=", &q("0"));
    accepted(&one_var(unit(), goal, leaf("convex")));
}

#[test]
fn several_conclusions_and_no_variables() {
    let x1 = op("add", &v(0), &q("1"));
    let goals = [cond(&q("0"), "<", &x1), cond(&x1, "<", &q("3"))];
    let c = claim(&["x"], &[unit()], &[], &goals);
    let checked = accepted(&cert(&c, &[leaf("interval"), leaf("interval")]));
    assert_eq!((checked.goals, checked.nodes), (2, 2));
    // sqrt(2) > a 49-digit truncation of it: needs the sqrt bounds' retry at higher precision.
    let t = "14142135623730950488016887242096980785696718753769/10000000000000000000000000000000000000000000000000";
    let c = claim(&[], &[], &[], &[cond(&sqrt(&q("2")), ">", &q(t))]);
    accepted(&cert(&c, &[leaf("interval")]));
}

#[test]
fn empty_domain_is_checked() {
    let goal = cond(&v(0), ">", &q("5"));
    let goals = [goal];
    let empty = claim(&["x"], &[binding('(', &q("1"), &q("1"), ']')], &[], &goals);
    let json = cert(&empty, &[]).replace(r#""empty_domain":false"#, r#""empty_domain":true"#);
    assert_eq!(accepted(&json).nodes, 0);
    let full = claim(&["x"], &[unit()], &[], &goals);
    let json = cert(&full, &[]).replace(r#""empty_domain":false"#, r#""empty_domain":true"#);
    assert!(matches!(
        check_certificate(&json),
        Err(KernelError::Claim { .. })
    ));
}

/// An `empty_domain` certificate with the emptiness tree `tree` (no `proofs`).
fn emptiness_cert(claim: &str, tree: &str) -> String {
    cert(claim, &[]).replace(
        r#""empty_domain":false"#,
        &format!(r#""empty_domain":true,"emptiness":{tree}"#),
    )
}

/// `x in [0, 1], y in LB x, x RB => y > 5`.
fn thin(open: char, close: char) -> String {
    let b = [unit(), binding(open, &v(0), &v(0), close)];
    claim(&["x", "y"], &b, &[], &[cond(&v(1), ">", &q("5"))])
}

#[test]
fn emptiness_tree_proves_a_dependent_range_empty() {
    // The hidden `x - x > 0` fails everywhere: its interval [-1, 1] cannot show it, its
    // Bernstein coefficients (all 0) can.
    let c = accepted(&emptiness_cert(&thin('(', ']'), &pruned(0)));
    assert_eq!((c.goals, c.nodes), (1, 1));
    // The same leaf also proves the conclusion itself.
    accepted(&cert(&thin('(', ']'), &[pruned(0)]));
    // Without a tree the kernel cannot tell the domain is empty.
    let bare =
        cert(&thin('(', ']'), &[]).replace(r#""empty_domain":false"#, r#""empty_domain":true"#);
    assert!(matches!(
        check_certificate(&bare),
        Err(KernelError::Claim { .. })
    ));
}

#[test]
fn emptiness_tree_proves_a_where_never_holds() {
    let hyp = cond(&v(0), ">", &q("2"));
    let c = claim(&["x"], &[unit()], &[hyp], &[cond(&v(0), "<", &q("0"))]);
    accepted(&emptiness_cert(&c, &pruned(0)));
    let split_tree = split(0, "1/2", &pruned(0), &pruned(0));
    assert_eq!(accepted(&emptiness_cert(&c, &split_tree)).nodes, 3);
}

#[test]
fn emptiness_tree_of_a_non_empty_domain_is_rejected() {
    // [x, x] is one point for every x: `x - x >= 0` holds (its mean-value form is 0, so
    // it is not even active), nothing prunes it.
    rejected(
        &emptiness_cert(&thin('[', ']'), &pruned(0)),
        Check::NotActive,
    );
    // No method shows `0 > 0` on a box that has points, nor on a face.
    let full = claim(&["x"], &[unit()], &[], &[cond(&v(0), "<=", &q("1"))]);
    rejected(
        &emptiness_cert(&full, &leaf("interval")),
        Check::NotPositive,
    );
    rejected(
        &emptiness_cert(&full, &leaf("bernstein")),
        Check::UncoveredKind,
    );
    let face = pin(r#"[[0,"lo"]]"#, true, &leaf("exact_point"));
    rejected(&emptiness_cert(&full, &face), Check::NotPositive);
    let relaxed = pin(r#"[[0,"lo"]]"#, false, &leaf("interval"));
    rejected(&emptiness_cert(&full, &relaxed), Check::RelaxedStrictness);
    // A where that holds somewhere.
    let hyp = cond(&v(0), ">", &q("1/2"));
    let c = claim(&["x"], &[unit()], &[hyp], &[cond(&v(0), "<", &q("0"))]);
    rejected(&emptiness_cert(&c, &pruned(0)), Check::HypothesisMayHold);
    // Proofs beside an emptiness tree are refused.
    let both = emptiness_cert(&thin('(', ']'), &pruned(0)).replace(
        r#""proofs":[]"#,
        &format!(r#""proofs":[{{"goal":0,"tree":{}}}]"#, pruned(0)),
    );
    assert!(matches!(
        check_certificate(&both),
        Err(KernelError::Claim { .. })
    ));
}

#[test]
fn claim_and_size_are_exposed() {
    let json = one_var(unit(), parabola(), leaf("bernstein"));
    let c = claim_of_certificate(&json).unwrap();
    assert_eq!(
        (c.name, c.file, c.source_sha256),
        ("t".into(), "proofs/t.stab".into(), "ab12".into())
    );
    // 2500 until the rewrite node, the taylor leaf and irrational ends came in together
    // (docs/kernel.md).
    let lines = kernel_size_lines();
    assert!(lines > 300 && lines < 3000, "{lines}");
}

// ---- Rejected ----

#[test]
fn a_false_constant_fails_the_interval_leaf() {
    let goal = cond(&op("sub", &v(0), &q("1")), ">", &q("0"));
    let msg = rejected(&one_var(unit(), goal, leaf("interval")), Check::NotPositive);
    assert!(msg.starts_with("goal 0 / leaf Interval:"), "{msg}");
    assert!(
        msg.contains("[-1, 0]") && msg.contains("x in [0, 1]"),
        "{msg}"
    );
}

#[test]
fn interval_leaf_needs_a_positive_enclosure() {
    let m = op("sub", &v(0), &op("mul", &v(0), &v(0)));
    let json = one_var(unit(), cond(&m, ">=", &q("0")), leaf("interval"));
    rejected(&json, Check::NotPositive);
}

#[test]
fn split_point_outside_the_box() {
    let tree = split(0, "3/2", &leaf("interval"), &mean_value(r#"["3/4"]"#));
    let msg = rejected(&one_var(unit(), dip(), tree), Check::SplitOutside);
    assert!(msg.contains("split axis 0 at 3/2"), "{msg}");
}

#[test]
fn missing_child() {
    let tree = r#"{"split":{"axis":0,"at":"1/2","lo":{"leaf":{"method":"interval"}}}}"#;
    rejected(&one_var(unit(), dip(), tree.into()), Check::MissingChild);
}

#[test]
fn pin_needs_a_signed_slope() {
    let tree = pin(r#"[[0,"lo"]]"#, false, &leaf("exact_point"));
    let msg = rejected(&one_var(unit(), parabola(), tree), Check::SlopeSign);
    assert!(msg.contains("[-1, 1]"), "{msg}");
}

#[test]
fn pin_relaxes_strictness_only_at_an_excluded_end() {
    let msg = rejected(&sqrt_cert('[', false), Check::RelaxedStrictness);
    assert!(
        msg.starts_with("goal 0 / split axis 0 at 1/9 (lo) / pin [(0, Lo)]"),
        "{msg}"
    );
    // With the face kept strict the pin is sound, but the face point then fails.
    let msg = rejected(&sqrt_cert('[', true), Check::NotPositive);
    assert!(
        msg.contains("(face) / leaf ExactPoint") && msg.contains("x = 0"),
        "{msg}"
    );
}

#[test]
fn pin_with_an_active_hypothesis() {
    let tree = pin(r#"[[0,"lo"]]"#, true, &leaf("exact_point"));
    rejected(&where_cert(&pruned(0), &tree), Check::ActiveHypothesis);
}

#[test]
fn bernstein_leaf_with_a_negative_coefficient() {
    let goal = cond(&pow(&op("sub", &v(0), &q("1/2")), 2), ">=", &q("0"));
    let msg = rejected(
        &one_var(unit(), goal, leaf("bernstein")),
        Check::NegativeCoefficient,
    );
    assert!(msg.contains("[1] is -1/4"), "{msg}");
}

#[test]
fn bernstein_leaf_on_a_non_polynomial() {
    let goal = cond(&sqrt(&v(0)), ">=", &q("0"));
    rejected(
        &one_var(unit(), goal, leaf("bernstein")),
        Check::NotPolynomial,
    );
}

#[test]
fn pruned_leaf_citing_a_hypothesis_that_may_hold() {
    let msg = rejected(
        &where_cert(&pruned(0), &pruned(0)),
        Check::HypothesisMayHold,
    );
    assert!(msg.contains("split axis 0 at 3/8 (hi)"), "{msg}");
}

#[test]
fn concave_margin_is_not_convex() {
    let m = op("sub", &q("1/5"), &pow(&op("sub", &v(0), &q("1/2")), 2));
    rejected(
        &one_var(unit(), cond(&m, ">=", &q("0")), leaf("convex")),
        Check::NotConvex,
    );
}

#[test]
fn mean_value_centre_outside_the_box() {
    let tree = split(0, "1/2", &leaf("interval"), &mean_value(r#"["1/4"]"#));
    rejected(&one_var(unit(), dip(), tree), Check::BadCentre);
}

#[test]
fn exact_point_on_a_box() {
    rejected(
        &one_var(unit(), parabola(), leaf("exact_point")),
        Check::NotAPoint,
    );
}

#[test]
fn undefined_margin() {
    let goal = cond(&op("div", &q("1"), &v(0)), ">", &q("0"));
    rejected(
        &one_var(unit(), goal, leaf("interval")),
        Check::MarginUndefined,
    );
}

#[test]
fn unreadable_certificates() {
    let good = one_var(unit(), parabola(), leaf("bernstein"));
    let v2 = good.replace(r#""version":1"#, r#""version":2"#);
    for json in [v2.as_str(), "not json", "{}", &good[..good.len() - 5]] {
        assert!(
            matches!(check_certificate(json), Err(KernelError::Unreadable(_))),
            "{json}"
        );
        assert!(
            matches!(claim_of_certificate(json), Err(KernelError::Unreadable(_))),
            "{json}"
        );
    }
    let bad_number = good.replace(r#""1""#, r#""1/0""#);
    assert!(matches!(
        check_certificate(&bad_number),
        Err(KernelError::Unreadable(_))
    ));
}

#[test]
fn depth_of_proof_trees() {
    // A chain of splits [0, 1/2^k] ... of the given depth.
    let chain = |depth: u32| {
        let goal = cond(&op("add", &v(0), &q("1")), ">", &q("0"));
        let mut tree = leaf("interval");
        for k in (1..=depth).rev() {
            tree = split(0, &format!("1/{}", 1u128 << k), &tree, &leaf("interval"));
        }
        check_certificate(&one_var(unit(), goal, tree))
    };
    assert_eq!(accepted_result(chain(60)).nodes, 121);
    // Deep trees are read (serde_json's 128-level limit is lifted)...
    assert_eq!(accepted_result(chain(120)).nodes, 241);
    // ...and absurd nesting is refused as unreadable, without exhausting the stack.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        check_certificate(&deep),
        Err(KernelError::Unreadable(_))
    ));
}

fn accepted_result(r: Result<Checked, KernelError>) -> Checked {
    r.unwrap_or_else(|e| panic!("rejected: {e}"))
}

#[test]
fn rational_leaf_keeps_the_denominators_of_zeroth_powers() {
    // (1/x)^0 is undefined at x = 0, so `(1/x)^0 > 0` is false on [0, 1].
    let goal = cond(&pow(&op("div", &q("1"), &v(0)), 0), ">", &q("0"));
    rejected(
        &one_var(unit(), goal, leaf("rational")),
        Check::UncoveredKind,
    );
    // On (0, 1] it holds, and the rational form shows it.
    let open = binding('(', &q("0"), &q("1"), ']');
    let goal = cond(&pow(&op("div", &q("1"), &v(0)), 0), ">", &q("0"));
    accepted(&one_var(open, goal, leaf("rational")));
}

#[test]
fn trailing_content_is_unreadable() {
    let good = one_var(unit(), parabola(), leaf("bernstein"));
    accepted(&format!("{good}\n  "));
    for tail in [" x", "{}", ",", r#" {"more":1}"#] {
        assert!(
            matches!(
                check_certificate(&format!("{good}{tail}")),
                Err(KernelError::Unreadable(_))
            ),
            "{tail}"
        );
    }
}

#[test]
fn a_claim_with_no_conclusion_is_rejected() {
    // Nothing to prove, on a non-empty domain and on an empty one.
    let none = cert(&claim(&["x"], &[unit()], &[], &[]), &[]);
    let empty = binding('[', &q("2"), &q("1"), ']');
    let none_empty = cert(&claim(&["x"], &[empty], &[], &[]), &[])
        .replace(r#""empty_domain":false"#, r#""empty_domain":true"#);
    for json in [none, none_empty] {
        match check_certificate(&json) {
            Err(e @ KernelError::Claim { .. }) => assert!(e.to_string().contains("no conclusion")),
            other => panic!("{json}: {other:?}"),
        }
    }
    // A conclusion without its proof tree.
    let no_tree = cert(&claim(&["x"], &[unit()], &[], &[parabola()]), &[]);
    assert!(matches!(
        check_certificate(&no_tree),
        Err(KernelError::Claim { .. })
    ));
}

// ---- Transcendental functions ----

fn f(name: &str, a: &str) -> String {
    format!(r#"{{"{name}":{a}}}"#)
}

fn range(lo: &str, hi: &str) -> String {
    binding('[', &q(lo), &q(hi), ']')
}

/// `exp(x) >= 1 + x/2` on `[0, 1]`, equal at 0: a mean-value form centred at 0, where
/// `exp(0) = 1` exactly, with the slope `exp(x) - 1/2 >= 1/2`.
#[test]
fn exp_bound_tight_at_zero_by_mean_value() {
    let goal = cond(
        &f("exp", &v(0)),
        ">=",
        &op("add", &q("1"), &op("div", &v(0), &q("2"))),
    );
    accepted(&one_var(unit(), goal.clone(), mean_value(r#"["0"]"#)));
    // Strictly it is false at 0: the same leaf is rejected.
    let strict = goal.replace(r#""op":">=""#, r#""op":">""#);
    rejected(
        &one_var(unit(), strict, mean_value(r#"["0"]"#)),
        Check::NotPositive,
    );
}

/// `log(x) <= x - 1` on `[1/2, 2]`, equal at 1: a cut at 1 and a pin towards 1 on each side.
#[test]
fn log_bound_tight_at_one_by_pins() {
    let goal = cond(&f("log", &v(0)), "<=", &op("sub", &v(0), &q("1")));
    let to_one = |end: &str| pin(&format!(r#"[[0,"{end}"]]"#), false, &leaf("interval"));
    let tree = split(0, "1", &to_one("hi"), &to_one("lo"));
    assert_eq!(
        accepted(&one_var(range("1/2", "2"), goal.clone(), tree)).nodes,
        5
    );
    // The slopes have the other signs: pinning away from 1 is rejected.
    let wrong = split(0, "1", &to_one("lo"), &to_one("hi"));
    rejected(&one_var(range("1/2", "2"), goal, wrong), Check::SlopeSign);
}

/// `sin(x) <= x` on `[0, 1]`: the slope `1 - cos x >= 0` (exactly 0 at 0), pinned at 0.
#[test]
fn sin_below_the_identity_by_a_pin() {
    let goal = cond(&f("sin", &v(0)), "<=", &v(0));
    let tree = pin(r#"[[0,"lo"]]"#, false, &leaf("exact_point"));
    accepted(&one_var(unit(), goal.clone(), tree));
    // The reverse claim is false.
    let reverse = cond(&f("sin", &v(0)), ">=", &v(0));
    rejected(
        &one_var(unit(), reverse, leaf("interval")),
        Check::NotPositive,
    );
}

/// One interval leaf each: cos, atan with pi, atan2, powr, tanh, acos, tan.
#[test]
fn interval_leaves_with_every_function() {
    let pi_half = op("div", r#""pi""#, &q("2"));
    let cases = [
        (range("-3/2", "3/2"), cond(&f("cos", &v(0)), ">", &q("0"))),
        (range("0", "100"), cond(&f("atan", &v(0)), "<", &pi_half)),
        (range("-1", "1/2"), cond(&f("acos", &v(0)), ">", &q("1"))),
        (range("-1", "1"), cond(&f("asin", &v(0)), "<=", &q("8/5"))),
        (range("0", "10"), cond(&f("tanh", &v(0)), "<", &q("1"))),
        (range("-2", "2"), cond(&f("cosh", &v(0)), "<", &q("4"))),
        (range("-2", "2"), cond(&f("sinh", &v(0)), ">", &q("-4"))),
        (range("0", "1"), cond(&f("tan", &v(0)), "<", &q("8/5"))),
        (range("0", "1"), cond(&f("exp", &v(0)), "<", &q("11/4"))),
        (range("1", "3"), cond(&f("log", &v(0)), "<", &q("11/10"))),
    ];
    for (bind, goal) in cases {
        accepted(&one_var(bind, goal, leaf("interval")));
    }
    // Two variables: atan2 in the upper half-plane, powr of a base >= 1 and a positive power.
    let b = [range("1", "2"), range("-1", "1")];
    let angle = cond(&op("atan2", &v(0), &v(1)), ">", &q("0"));
    let c = claim(&["y", "x"], &b, &[], &[angle]);
    accepted(&cert(&c, &[leaf("interval")]));
    let b = [range("1", "2"), range("0", "1")];
    let power = cond(&op("powr", &v(0), &v(1)), ">=", &q("1"));
    let c = claim(&["x", "y"], &b, &[], &[power]);
    accepted(&cert(&c, &[leaf("interval")]));
}

/// `pi` is enclosed far beyond double precision: above the double nearest pi
/// (3.141592653589793115997...), below 355/113 and below 3.1415926535897932385.
#[test]
fn pi_is_enclosed_tightly() {
    let pi = r#""pi""#;
    let holds =
        |rel: &str, bound: &str| one_var(unit(), cond(pi, rel, &q(bound)), leaf("interval"));
    let double = "3141592653589793116/1000000000000000000";
    let above = "31415926535897932385/10000000000000000000";
    accepted(&holds("<", "355/113"));
    accepted(&holds(">", double));
    accepted(&holds("<", above));
    rejected(&holds(">", "355/113"), Check::NotPositive);
    rejected(&holds("<", double), Check::NotPositive);
    rejected(&holds(">", above), Check::NotPositive);
}

/// A range ending at `pi` is not a rational end: it is reparametrised over `[0, 1]`.
#[test]
fn a_range_up_to_pi_is_reparametrised() {
    let b = binding('[', &q("0"), r#""pi""#, ']');
    let goal = cond(&f("sin", &v(0)), ">", &q("-1/10"));
    accepted(&one_var(b.clone(), goal.clone(), leaf("interval")));
    // In box coordinates the axis is [0, 1]: a cut at 2 lies outside it.
    let tree = split(0, "2", &leaf("interval"), &leaf("interval"));
    rejected(&one_var(b, goal, tree), Check::SplitOutside);
}

/// Possibly undefined on the leaf's box: log at 0, asin beyond 1, tan at its pole pi/2,
/// powr of a base reaching 0, atan2 at the origin.
#[test]
fn undefined_transcendental_margins_are_rejected() {
    let cases = [
        (unit(), cond(&f("log", &v(0)), "<", &q("1"))),
        (range("0", "2"), cond(&f("asin", &v(0)), "<", &q("2"))),
        (range("1", "2"), cond(&f("tan", &v(0)), ">", &q("-100"))),
        (unit(), cond(&op("powr", &v(0), &q("1/2")), "<", &q("2"))),
        (
            range("-1", "1"),
            cond(&op("atan2", &v(0), &v(0)), "<", &q("4")),
        ),
    ];
    for (bind, goal) in cases {
        rejected(
            &one_var(bind, goal, leaf("interval")),
            Check::MarginUndefined,
        );
    }
}

/// False claims with transcendental functions, each with the leaf a forger would pick.
#[test]
fn false_transcendental_claims_are_rejected() {
    // exp(x) >= 1 + x + x^2 fails for x > 0 (exp(x) = 1 + x + x^2/2 + ...).
    let quad = op("add", &op("add", &q("1"), &v(0)), &pow(&v(0), 2));
    let goal = cond(&f("exp", &v(0)), ">=", &quad);
    rejected(
        &one_var(unit(), goal.clone(), mean_value(r#"["0"]"#)),
        Check::NotPositive,
    );
    let tree = pin(r#"[[0,"lo"]]"#, false, &leaf("exact_point"));
    rejected(&one_var(unit(), goal, tree), Check::SlopeSign);
    // cos(x) > 0 on [0, 8/5]: cos(8/5) < 0, however finely cut.
    let goal = cond(&f("cos", &v(0)), ">", &q("0"));
    let tree = split(0, "3/2", &leaf("interval"), &leaf("interval"));
    let msg = rejected(&one_var(range("0", "8/5"), goal, tree), Check::NotPositive);
    assert!(
        msg.contains("goal 0 / split axis 0 at 3/2 (hi) / leaf"),
        "{msg}"
    );
    // atan(x) <= x - 1/1000 fails at 0 (both 0 there, exactly).
    let goal = cond(&f("atan", &v(0)), "<=", &op("sub", &v(0), &q("1/1000")));
    let tree = pin(r#"[[0,"lo"]]"#, false, &leaf("exact_point"));
    rejected(&one_var(unit(), goal, tree), Check::NotPositive);
}

// ---- Sum-of-squares leaves ----

fn sos_leaf(eps: &str, blocks: &[(&str, &str, &str)]) -> String {
    let blocks: Vec<String> = blocks
        .iter()
        .map(|(times, basis, gram)| format!(r#"{{"times":{times},"basis":{basis},"gram":{gram}}}"#))
        .collect();
    format!(
        r#"{{"leaf":{{"method":"sos","eps":"{eps}","blocks":[{}]}}}}"#,
        blocks.join(",")
    )
}

/// `x in [-2, 2], y in [-2, 2] => margin >= 0` (or `> 0`).
fn two_vars(margin: &str, rel: &str, tree: String) -> String {
    let b = binding('[', &q("-2"), &q("2"), ']');
    let goal = cond(margin, rel, &q("0"));
    cert(&claim(&["x", "y"], &[b.clone(), b], &[], &[goal]), &[tree])
}

/// `x^2 + y^2 - 2xy`, zero along the whole diagonal.
fn diagonal_square() -> String {
    let sq = op("add", &pow(&v(0), 2), &pow(&v(1), 2));
    op("sub", &sq, &op("mul", &q("2"), &op("mul", &v(0), &v(1))))
}

const XY: &str = "[[1,0],[0,1]]";

#[test]
fn sos_leaf_proves_a_square_zero_along_a_line() {
    let tree = sos_leaf("0", &[("[]", XY, r#"[["1","-1"],["-1","1"]]"#)]);
    accepted(&two_vars(&diagonal_square(), ">=", tree));
}

#[test]
fn sos_leaf_uses_box_sides_and_hypotheses() {
    // x (1 - x) = (x - 0)(1 - x) · 1 on [0, 1].
    let tree = sos_leaf("0", &[(r#"[{"lo":0},{"hi":0}]"#, "[[0]]", r#"[["1"]]"#)]);
    accepted(&one_var(unit(), parabola(), tree));
    // where x^2 <= 1 => 1 - x^2 >= 0 on [-2, 2]: the hypothesis itself, times 1.
    let b = binding('[', &q("-2"), &q("2"), ']');
    let hyp = cond(&pow(&v(0), 2), "<=", &q("1"));
    let goal = cond(&op("sub", &q("1"), &pow(&v(0), 2)), ">=", &q("0"));
    let tree = sos_leaf("0", &[(r#"[{"hyp":0}]"#, "[[0]]", r#"[["1"]]"#)]);
    accepted(&cert(&claim(&["x"], &[b], &[hyp], &[goal]), &[tree]));
}

#[test]
fn sos_leaf_rejects_a_gram_matrix_that_is_not_psd() {
    // x*y = z^T [[0, 1/2], [1/2, 0]] z holds as an identity, but x*y >= 0 is false.
    let tree = sos_leaf("0", &[("[]", XY, r#"[["0","1/2"],["1/2","0"]]"#)]);
    rejected(
        &two_vars(&op("mul", &v(0), &v(1)), ">=", tree),
        Check::NotPsd,
    );
    let asym = sos_leaf("0", &[("[]", XY, r#"[["1","-1"],["0","1"]]"#)]);
    rejected(&two_vars(&diagonal_square(), ">=", asym), Check::NotPsd);
}

#[test]
fn sos_leaf_rejects_a_wrong_identity_and_a_missing_eps() {
    let wrong = sos_leaf("0", &[("[]", XY, r#"[["1","0"],["0","1"]]"#)]);
    rejected(&two_vars(&diagonal_square(), ">=", wrong), Check::NotSos);
    // `> 0` needs eps > 0 (and x^2 + y^2 - 2xy > 0 is false on the diagonal).
    let no_eps = sos_leaf("0", &[("[]", XY, r#"[["1","-1"],["-1","1"]]"#)]);
    rejected(
        &two_vars(&diagonal_square(), ">", no_eps),
        Check::NotPositive,
    );
    // eps moved into the identity must still match: margin - 1 is not the square.
    let shifted = sos_leaf("1", &[("[]", XY, r#"[["1","-1"],["-1","1"]]"#)]);
    rejected(&two_vars(&diagonal_square(), ">", shifted), Check::NotSos);
    // A side of an axis the box does not have.
    let bad = sos_leaf("0", &[(r#"[{"lo":5}]"#, "[[0,0]]", r#"[["1"]]"#)]);
    rejected(
        &two_vars(&diagonal_square(), ">=", bad),
        Check::NotPolynomial,
    );
}

/// `x in [0, 1], y in LB x, 1] => y > x`, proved as `1 · t_y · (1 - x)`.
fn above_its_lower_end(open: char) -> String {
    let bx = binding('[', &q("0"), &q("1"), ']');
    let by = binding(open, &v(0), &q("1"), ']');
    let goal = cond(&v(1), ">", &v(0));
    let tree = sos_leaf("0", &[(r#"[{"lo":1},{"hyp":0}]"#, "[[0,0]]", r#"[["1"]]"#)]);
    cert(&claim(&["x", "y"], &[bx, by], &[], &[goal]), &[tree])
}

#[test]
fn sos_leaf_is_strict_through_factors_positive_on_the_domain() {
    // t_y > 0 at the excluded end, 1 - x > 0 by the hidden hypothesis of `(x, 1]`.
    accepted(&above_its_lower_end('('));
    // With `[x, 1]` neither is strict: y = x is in the domain.
    rejected(&above_its_lower_end('['), Check::NotPositive);
}

/// `x, y in [0, 1] where x + y >= 3/2 => x*y >= 1/2` (tight at (1/2, 1) and (1, 1/2)), with
/// a Handelman tree: `x*y - 1/2 = c·(1 - x)(1 - y) + h`.
fn where_corner(c: &str, times: &str) -> String {
    let b = binding('[', &q("0"), &q("1"), ']');
    let hyp = cond(&op("add", &v(0), &v(1)), ">=", &q("3/2"));
    let goal = cond(&op("mul", &v(0), &v(1)), ">=", &q("1/2"));
    let gram = format!(r#"[["{c}"]]"#);
    let tree = sos_leaf(
        "0",
        &[
            (times, "[[0,0]]", &gram),
            (r#"[{"hyp":0}]"#, "[[0,0]]", r#"[["1"]]"#),
        ],
    );
    cert(
        &claim(&["x", "y"], &[b.clone(), b], &[hyp], &[goal]),
        &[tree],
    )
}

#[test]
fn sos_leaf_takes_handelman_products_of_sides_and_hypotheses() {
    accepted(&where_corner("1", r#"[{"hi":0},{"hi":1}]"#));
    // A product that does not match: (1 - x) alone, or (1 - x)(1 - x).
    rejected(&where_corner("1", r#"[{"hi":0}]"#), Check::NotSos);
    rejected(&where_corner("1", r#"[{"hi":0},{"hi":0}]"#), Check::NotSos);
    // A negative coefficient is never a square: x*y >= 1 would follow from -1/2 times it.
    let b = binding('[', &q("0"), &q("1"), ']');
    let hyp = cond(&op("add", &v(0), &v(1)), ">=", &q("3/2"));
    let goal = cond(&op("mul", &v(0), &v(1)), ">=", &q("1"));
    let tree = sos_leaf(
        "0",
        &[
            (r#"[{"hi":0},{"hi":1}]"#, "[[0,0]]", r#"[["1"]]"#),
            (r#"[{"hyp":0}]"#, "[[0,0]]", r#"[["1"]]"#),
            ("[]", "[[0,0]]", r#"[["-1/2"]]"#),
        ],
    );
    let false_claim = cert(
        &claim(&["x", "y"], &[b.clone(), b], &[hyp], &[goal]),
        &[tree],
    );
    rejected(&false_claim, Check::NotPsd);
    // Repeated factors: x^3 = (x - 0)^3 on [0, 1].
    let tree = sos_leaf(
        "0",
        &[(r#"[{"lo":0},{"lo":0},{"lo":0}]"#, "[[0]]", r#"[["1"]]"#)],
    );
    accepted(&one_var(unit(), cond(&pow(&v(0), 3), ">=", &q("0")), tree));
}

// ---- Irrational binding ends ----

/// `x in [lo, 2] => x^2 >= 2`, proved by the end's own condition (hidden hypothesis 0) times 1.
fn sqrt2_end(lo: &str) -> String {
    let goal = cond(&pow(&v(0), 2), ">=", &q("2"));
    let tree = sos_leaf("0", &[(r#"[{"hyp":0}]"#, "[[0]]", r#"[["1"]]"#)]);
    one_var(binding('[', lo, &q("2"), ']'), goal, tree)
}

#[test]
fn an_end_sqrt_r_is_the_condition_x_squared_at_least_r() {
    accepted(&sqrt2_end(&sqrt(&q("2"))));
    // The same proof for an end whose condition is another (x^2 >= 1/2), or that has none.
    let half = op("div", &sqrt(&q("2")), &q("2"));
    rejected(&sqrt2_end(&half), Check::NotSos);
    rejected(&sqrt2_end(&q("7071/5000")), Check::NotPolynomial);
    // k/sqrt(r) is sqrt(k^2/r): 2/sqrt(2) is sqrt(2), 1/sqrt(2) is sqrt(1/2).
    accepted(&sqrt2_end(&op("div", &q("2"), &sqrt(&q("2")))));
    rejected(
        &sqrt2_end(&op("div", &q("1"), &sqrt(&q("2")))),
        Check::NotSos,
    );
    // -sqrt(2) as a lower end below 2: x + c changes sign on the box, so no condition and
    // the binding is reparametrised (the margin in box coordinates has sqrt(2) in it).
    rejected(
        &sqrt2_end(&op("mul", &q("-1"), &sqrt(&q("2")))),
        Check::NotPolynomial,
    );
}

#[test]
fn ends_minus_and_plus_sqrt_r_are_one_condition() {
    // x in [-sqrt(3), sqrt(3)] => 3 - x^2 >= 0: hidden hypothesis 0 is 3 - x^2.
    let lo = op("mul", &q("-1"), &sqrt(&q("3")));
    let goal = cond(&op("sub", &q("3"), &pow(&v(0), 2)), ">=", &q("0"));
    let tree = sos_leaf("0", &[(r#"[{"hyp":0}]"#, "[[0]]", r#"[["1"]]"#)]);
    accepted(&one_var(
        binding('[', &lo, &sqrt(&q("3")), ']'),
        goal.clone(),
        tree.clone(),
    ));
    // An open end on one side only: no such condition.
    let half_open = one_var(binding('[', &lo, &sqrt(&q("3")), ')'), goal, tree);
    assert!(check_certificate(&half_open).is_err());
}

#[test]
fn equal_irrational_ends_with_an_open_one_are_empty() {
    // x in (sqrt(2), sqrt(2)) is empty; so is (sqrt(2), 2/sqrt(2)], the same number.
    let goals = [cond(&v(0), ">", &q("5"))];
    let empty = |b: String| {
        let c = claim(&["x"], &[b], &[], &goals);
        cert(&c, &[]).replace(r#""empty_domain":false"#, r#""empty_domain":true"#)
    };
    let r2 = sqrt(&q("2"));
    assert_eq!(accepted(&empty(binding('(', &r2, &r2, ')'))).nodes, 0);
    let same = op("div", &q("2"), &r2);
    assert_eq!(accepted(&empty(binding('(', &r2, &same, ']'))).nodes, 0);
    // [sqrt(2), sqrt(2)] is the point sqrt(2); (sqrt(2), sqrt(3)) has points.
    for b in [
        binding('[', &r2, &r2, ']'),
        binding('(', &r2, &sqrt(&q("3")), ')'),
    ] {
        assert!(matches!(
            check_certificate(&empty(b)),
            Err(KernelError::Claim { .. })
        ));
    }
}

/// `x in [2/5, 3/5], where x - x^2 >= c`: the natural enclosure of `x - x^2` over the box is
/// `[1/25, 11/25]` (the dependency of `x` on itself), its mean-value form about `1/2` is
/// `1/4 + [-1/5, 1/5] [-1/10, 1/10] = [23/100, 27/100]`, close to the true range
/// `[6/25, 1/4]`.
fn guarded(c: &str, goal: String, tree: String) -> String {
    let b = [binding('[', &q("2/5"), &q("3/5"), ']')];
    let hyp = cond(&op("sub", &v(0), &op("mul", &v(0), &v(0))), ">=", &q(c));
    cert(&claim(&["x"], &b, &[hyp], &[goal]), &[tree])
}

#[test]
fn a_hypothesis_fails_by_its_mean_value_form() {
    // x - x^2 >= 2/5 holds nowhere (the natural enclosure cannot tell, the mean-value form
    // can): the false conclusion x < 0 is vacuous there.
    let never = cond(&v(0), "<", &q("0"));
    accepted(&guarded("2/5", never.clone(), pruned(0)));
    // x - x^2 >= 1/4 holds at 1/2: neither form shows it fails.
    rejected(
        &guarded("1/4", never.clone(), pruned(0)),
        Check::HypothesisMayHold,
    );
    // x - x^2 >= 1/5 holds everywhere, as the mean-value form shows: it is not active.
    rejected(&guarded("1/5", never, pruned(0)), Check::NotActive);
}

#[test]
fn a_hypothesis_holds_by_its_mean_value_form_and_a_pin_may_follow() {
    // x - x^2 >= 1/10 holds on the whole box only by the mean-value form ([13/100, 17/100]),
    // so it is dropped and x >= 1/5 may be pinned to x = 2/5.
    let goal = cond(&v(0), ">=", &q("1/5"));
    let tree = pin(r#"[[0,"lo"]]"#, false, &leaf("interval"));
    accepted(&guarded("1/10", goal.clone(), tree.clone()));
    // x - x^2 >= 6/25 holds too (its least value is 6/25), but neither form shows it: the
    // hypothesis stays active and the pin is refused.
    rejected(&guarded("6/25", goal, tree), Check::ActiveHypothesis);
}

/// A mean-value leaf's form is met with the margin's centred value enclosure: about the
/// end `2/5`, `x - x^2` has the form `6/25 + [-1/5, 1/5] [0, 1/5] = [1/5, 7/25]`, about the
/// midpoint `[23/100, 27/100]` (`guarded`), so `x - x^2 >= 11/50` is closed by either
/// centre, through the meet.
#[test]
fn a_mean_value_leaf_is_met_with_the_centred_value() {
    let b = [binding('[', &q("2/5"), &q("3/5"), ']')];
    let margin = op("sub", &v(0), &op("mul", &v(0), &v(0)));
    let at_least = |c: &str, centre: &str| {
        let goal = cond(&margin, ">=", &q(c));
        cert(&claim(&["x"], &b, &[], &[goal]), &[mean_value(centre)])
    };
    accepted(&at_least("11/50", r#"["2/5"]"#));
    accepted(&at_least("11/50", r#"["1/2"]"#));
    // `x - x^2 >= 1/4` fails at 2/5 (6/25 < 1/4): no centre closes it.
    for centre in [r#"["2/5"]"#, r#"["1/2"]"#, r#"["3/5"]"#] {
        rejected(&at_least("1/4", centre), Check::NotPositive);
    }
}
