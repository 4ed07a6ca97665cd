//! The claim-language front end: parsing, resolution, diagnostics, hostile input.

use proptest::prelude::*;
use rug::Rational;
use stabcert::claim::{Claim, Expect, RelOp};
use stabcert::expr::Expr;
use stabcert::lang::{load_paths, parse_bytes, parse_source, Diagnostic};
use std::fs;
use std::path::{Path, PathBuf};

fn parse(src: &str) -> Vec<Claim> {
    match parse_source(Path::new("t.stab"), src) {
        Ok(claims) => claims,
        Err(d) => panic!("unexpected error:\n{d}"),
    }
}

/// The rendered diagnostic of a source that must fail.
fn error(src: &str) -> String {
    match parse_source(Path::new("t.stab"), src) {
        Ok(claims) => panic!("expected an error, got {} claims", claims.len()),
        Err(d) => d.to_string(),
    }
}

/// The one goal of `claim c: forall x in [0, 1] => <goal>`, as an expression.
fn goal_rhs(rhs: &str) -> Expr {
    let claims = parse(&format!("claim c: forall x in [0, 1] => x < {rhs}\n"));
    claims[0].goals[0].rhs.clone()
}

fn q(n: i64, d: i64) -> Expr {
    Expr::Const(Rational::from((n, d)))
}

fn c(n: i64) -> Expr {
    q(n, 1)
}

fn x() -> Expr {
    Expr::Var(0)
}

fn b(e: Expr) -> Box<Expr> {
    Box::new(e)
}

fn examples_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("proofs/examples.stab")
}

// ---- the examples of claim-language.md ----

#[test]
fn the_examples_file_gives_three_claims() {
    let path = examples_path();
    let bytes = fs::read(&path).unwrap();
    let claims = parse_bytes(&path, &bytes).unwrap();
    let names: Vec<&str> = claims.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["step2", "step4_odd", "seed_typo"]);
    let expects: Vec<Expect> = claims.iter().map(|c| c.expect).collect();
    assert_eq!(expects, [Expect::Proved, Expect::Proved, Expect::Refuted]);
    assert_eq!(
        claims[0].description.as_deref(),
        Some("h maps (1, 1.162) into (0.65, 1)")
    );
    for claim in &claims {
        assert_eq!(claim.file, path);
        assert!(claim.source.starts_with("claim "), "{}", claim.source);
        assert!(claim.source.ends_with("< 1") || claim.source.ends_with("< 1.162"));
        assert!(claim.hyps.is_empty());
        assert_eq!(claim.goals.len(), 2);
    }
    assert_eq!(claims[0].pos.line, 6);
    assert_eq!(claims[0].pos.col, 1);
}

#[test]
fn example_bindings_have_their_ends_and_openness() {
    let claims = parse_source(
        &examples_path(),
        &fs::read_to_string(examples_path()).unwrap(),
    )
    .unwrap();
    let openness = |c: &Claim| -> Vec<(String, bool, bool)> {
        c.bindings
            .iter()
            .map(|b| (b.name.clone(), b.lo_closed, b.hi_closed))
            .collect()
    };
    let o = |n: &str, lo, hi| (n.to_string(), lo, hi);
    assert_eq!(
        openness(&claims[0]),
        [o("u", false, false), o("g", false, true)]
    );
    assert_eq!(
        openness(&claims[1]),
        [
            o("e", false, true),
            o("g", true, false),
            o("u", false, false)
        ]
    );
    assert_eq!(
        openness(&claims[2]),
        [o("u", false, false), o("g", false, false)]
    );
    // g in [1 + 3*e, gmax): e is variable 0, gmax = 5/4 is substituted.
    let g = &claims[1].bindings[1];
    let three_e = Expr::Mul(b(c(3)), b(Expr::Var(0)));
    assert_eq!(g.lo, Expr::Add(b(c(1)), b(three_e)));
    assert_eq!(g.hi, q(5, 4));
    assert_eq!(
        claims[1].bindings[2].hi,
        Expr::Sub(b(c(1)), b(Expr::Var(0)))
    );
}

#[test]
fn example_goals_expand_the_def() {
    let claims = parse_source(
        &examples_path(),
        &fs::read_to_string(examples_path()).unwrap(),
    )
    .unwrap();
    let step2 = &claims[0];
    let (u, g) = (Expr::Var(0), Expr::Var(1));
    // h(u, g) = u + g*u*(1 - u^2)
    let h = Expr::Add(
        b(u.clone()),
        b(Expr::Mul(
            b(Expr::Mul(b(g), b(u.clone()))),
            b(Expr::Sub(b(c(1)), b(Expr::Pow(b(u), 2)))),
        )),
    );
    let texts: Vec<&str> = step2.goals.iter().map(|g| g.text.as_str()).collect();
    assert_eq!(texts, ["0.65 < h(u, g)", "h(u, g) < 1"]);
    assert_eq!(step2.goals[0].lhs, q(13, 20));
    assert_eq!(step2.goals[0].rhs, h);
    assert_eq!(step2.goals[1].lhs, h);
    assert_eq!(step2.goals[1].op, RelOp::Lt);
    assert_eq!(step2.goals[1].rhs, c(1));
}

// ---- numbers, chains, precedence, expansion ----

#[test]
fn decimals_are_exact() {
    assert_eq!(goal_rhs("1.162"), q(581, 500));
    assert_eq!(goal_rhs("2.5e-3"), q(1, 400));
    assert_eq!(goal_rhs("7E2"), c(700));
    assert_eq!(goal_rhs("1.50e+1"), c(15));
    assert_eq!(goal_rhs("0.000"), c(0));
    let tiny = rug::Integer::from(rug::Integer::u_pow_u(10, 10_000));
    assert_eq!(goal_rhs("1e-10000"), Expr::Const(Rational::from((1, tiny))));
}

#[test]
fn literal_division_stays_an_expression() {
    assert_eq!(goal_rhs("1/3"), Expr::Div(b(c(1)), b(c(3))));
}

#[test]
fn chains_split_into_one_condition_per_link() {
    let claims = parse("claim c: forall x in [0, 1] where 0 < x => 0 <= x < 2 >= 1, x > -1\n");
    let claim = &claims[0];
    let hyp: Vec<&str> = claim.hyps.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(hyp, ["0 < x"]);
    let goals: Vec<(&str, RelOp)> = claim
        .goals
        .iter()
        .map(|c| (c.text.as_str(), c.op))
        .collect();
    assert_eq!(
        goals,
        [
            ("0 <= x", RelOp::Le),
            ("x < 2", RelOp::Lt),
            ("2 >= 1", RelOp::Ge),
            ("x > -1", RelOp::Gt)
        ]
    );
    assert_eq!(claim.goals[1].lhs, x());
    assert_eq!(claim.goals[1].rhs, c(2));
    assert_eq!(claim.goals[3].rhs, Expr::Neg(b(c(1))));
}

#[test]
fn condition_text_leaves_out_comments_and_blanks() {
    let claims = parse("claim c: forall x in [0, 1]\n  => x < 1 # the end\n\n# more\n");
    assert_eq!(claims[0].goals[0].text, "x < 1");
    assert_eq!(claims[0].source, "claim c: forall x in [0, 1]\n  => x < 1");
}

#[test]
fn power_binds_tighter_than_unary_minus() {
    assert_eq!(goal_rhs("-x^2"), Expr::Neg(b(Expr::Pow(b(x()), 2))));
    assert_eq!(goal_rhs("(-x)^2"), Expr::Pow(b(Expr::Neg(b(x()))), 2));
    assert_eq!(goal_rhs("- -x"), Expr::Neg(b(Expr::Neg(b(x())))));
}

#[test]
fn negative_exponents_in_both_spellings() {
    let inv2 = Expr::Pow(b(x()), -2);
    assert_eq!(goal_rhs("x^-2"), inv2);
    assert_eq!(goal_rhs("x^(-2)"), inv2);
    assert_eq!(goal_rhs("x ^ ( - 2 )"), inv2);
    assert_eq!(goal_rhs("x^-2147483648"), Expr::Pow(b(x()), i32::MIN));
}

#[test]
fn binary_operators_have_precedence_and_associate_left() {
    let (one, two, three) = (c(1), c(2), c(3));
    assert_eq!(
        goal_rhs("1 + 2*3"),
        Expr::Add(
            b(one.clone()),
            b(Expr::Mul(b(two.clone()), b(three.clone())))
        )
    );
    assert_eq!(
        goal_rhs("1 - 2 - 3"),
        Expr::Sub(
            b(Expr::Sub(b(one.clone()), b(two.clone()))),
            b(three.clone())
        )
    );
    assert_eq!(
        goal_rhs("1 / 2 / 3"),
        Expr::Div(
            b(Expr::Div(b(one.clone()), b(two.clone()))),
            b(three.clone())
        )
    );
    assert_eq!(
        goal_rhs("1 - 2*3^2 + x"),
        Expr::Add(
            b(Expr::Sub(
                b(one),
                b(Expr::Mul(b(two), b(Expr::Pow(b(three), 2))))
            )),
            b(x())
        )
    );
}

#[test]
fn builtins_and_nested_defs_expand() {
    let src = "let k = 2\ndef sq(t) = t*t\ndef f(a, b) = sq(a) + k*b\n\
               claim c: forall x in [0, 1] => x < f(x + 1, sqrt(abs(min(x, max(x, 1)))))\n";
    let rhs = parse(src)[0].goals[0].rhs.clone();
    let x1 = Expr::Add(b(x()), b(c(1)));
    let inner = Expr::Sqrt(b(Expr::Abs(b(Expr::Min(
        b(x()),
        b(Expr::Max(b(x()), b(c(1)))),
    )))));
    let expected = Expr::Add(
        b(Expr::Mul(b(x1.clone()), b(x1))),
        b(Expr::Mul(b(c(2)), b(inner))),
    );
    assert_eq!(rhs, expected);
}

#[test]
fn endpoints_may_use_earlier_variables_and_conditions_all() {
    let claims = parse("claim c: forall a in [0, 1], b in (a, 2*a] where b > a => a < b + 1\n");
    let bind = &claims[0].bindings[1];
    assert_eq!(bind.lo, Expr::Var(0));
    assert_eq!(bind.hi, Expr::Mul(b(c(2)), b(Expr::Var(0))));
    assert_eq!(claims[0].hyps[0].lhs, Expr::Var(1));
}

#[test]
fn descriptions_take_utf8_and_escapes() {
    let claims = parse(
        "claim c \"θ* \\\"quoted\\\" \\\\ done\" expect proved: forall x in [0, 1] => x < 2\n",
    );
    assert_eq!(
        claims[0].description.as_deref(),
        Some("θ* \"quoted\" \\ done")
    );
    assert_eq!(claims[0].expect, Expect::Proved);
}

#[test]
fn a_file_of_only_lets_and_defs_has_no_claims() {
    assert!(parse("let a = 1\ndef f(x) = x\n").is_empty());
}

#[test]
fn the_examples_load_through_load_paths() {
    let claims = load_paths(&[examples_path()]).unwrap();
    assert_eq!(claims.len(), 3);
}

#[test]
fn names_may_start_with_keywords() {
    let claims = parse(
        "let letter = 1\ndef define(inx) = inx\n\
         claim claims: forall input in [0, letter], wherever in [0, 1] => define(input) < 2\n",
    );
    assert_eq!(claims[0].name, "claims");
    assert_eq!(claims[0].var_names(), ["input", "wherever"]);
}

#[test]
fn a_def_may_take_no_parameters() {
    assert_eq!(
        parse("def one() = 1\nclaim c: forall x in [0, 1] => x < one()\n")[0].goals[0].rhs,
        c(1)
    );
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_are_fine() {
    let claims = parse("\u{FEFF}let a = 1\r\nclaim c: forall x in [0, 1]\r\n  => x < a\r\n");
    assert_eq!(claims[0].goals[0].text, "x < a");
    assert_eq!(
        error("let a = 1\r\nclaim c: forall x in [0, 1] => x < y\r\n"),
        "t.stab:2:36: unknown name `y`\nclaim c: forall x in [0, 1] => x < y\n                                   ^"
    );
    assert_eq!(
        error("\u{FEFF}"),
        "t.stab:1:1: empty file: no items\n\u{FEFF}\n^"
    );
}

#[test]
fn invisible_characters_are_named_by_code() {
    assert_eq!(
        error("let a =\u{a0}1\n"),
        "t.stab:1:8: expected an expression, found character U+00A0\nlet a =\u{a0}1\n       ^"
    );
}

// ---- diagnostics: exact rendering ----

#[test]
fn a_syntax_error_renders_with_line_and_caret() {
    assert_eq!(
        error("let a = 1\nclaim f: forall x in [0, 1] => x < < a\n"),
        "t.stab:2:36: expected an expression, found `<`\n\
         claim f: forall x in [0, 1] => x < < a\n\
         \x20                                  ^"
    );
}

#[test]
fn syntax_errors_use_words_not_rule_names() {
    assert_eq!(
        error("claim f: forall x in [0, 1 => x < 1\n"),
        "t.stab:1:28: expected `)`, `]` or an operator, found `=`\n\
         claim f: forall x in [0, 1 => x < 1\n\
         \x20                          ^"
    );
    assert_eq!(
        error("let a = (1 + 2\nclaim f: forall x in [0, 1] => x < a\n"),
        "t.stab:2:1: expected an operator or `)`, found `claim`\n\
         claim f: forall x in [0, 1] => x < a\n\
         ^"
    );
    assert_eq!(
        error("claim f: forall x in [0, 1] =>\n"),
        "t.stab:1:31: expected an expression, found end of file\n\
         claim f: forall x in [0, 1] =>\n\
         \x20                             ^"
    );
    assert_eq!(
        error("claim f forall x in [0, 1] => x < 1"),
        "t.stab:1:9: expected a description in quotes, `expect` or `:`, found `forall`\n\
         claim f forall x in [0, 1] => x < 1\n\
         \x20       ^"
    );
    assert_eq!(
        error("stray\n"),
        "t.stab:1:1: expected `let`, `def`, `claim` or `system`, found `stray`\nstray\n^"
    );
    assert_eq!(
        error("let where = 2\n"),
        "t.stab:1:5: `where` is a keyword and cannot be used as a name\nlet where = 2\n    ^"
    );
    assert_eq!(
        error("claim f \"abc: forall x in [0, 1] => x < 1\n"),
        "t.stab:1:42: unterminated description: the closing `\"` must be on the same line\n\
         claim f \"abc: forall x in [0, 1] => x < 1\n\
         \x20                                        ^"
    );
}

#[test]
fn a_caret_under_a_tab_indented_line_keeps_the_tabs() {
    assert_eq!(
        error("claim f:\tforall x in [0, 1] =>\tx < @\n"),
        "t.stab:1:36: expected an expression, found `@`\n\
         claim f:\tforall x in [0, 1] =>\tx < @\n\
         \x20       \t                     \t    ^"
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    assert_eq!(
        error("claim c \"θθθ\": forall x in [0, 1] => x < y\n"),
        "t.stab:1:42: unknown name `y`\n\
         claim c \"θθθ\": forall x in [0, 1] => x < y\n\
         \x20                                        ^"
    );
}

#[test]
fn unknown_names() {
    assert_eq!(
        error("claim f: forall x in [0, 1] => x < y\n"),
        "t.stab:1:36: unknown name `y`\nclaim f: forall x in [0, 1] => x < y\n                                   ^"
    );
    assert_eq!(
        error("claim f: forall x in [0, 1] => x < a\nlet a = 1\n"),
        "t.stab:1:36: unknown name `a` (it is defined later, at 2:5; names must be defined before they are used)\n\
         claim f: forall x in [0, 1] => x < a\n\
         \x20                                  ^"
    );
    assert_eq!(
        error("claim f: forall x in [0, 1] => g(x) < 1\n"),
        "t.stab:1:32: unknown function `g`\nclaim f: forall x in [0, 1] => g(x) < 1\n                               ^"
    );
}

#[test]
fn shadowing_is_refused() {
    assert_eq!(
        error("let sqrt = 1\n"),
        "t.stab:1:5: `sqrt` is a built-in function and cannot be redefined\nlet sqrt = 1\n    ^"
    );
    assert_eq!(
        error("let a = 1\nclaim f: forall a in [0, 1] => a < 1\n"),
        "t.stab:2:17: variable `a` would shadow the let `a` defined at 1:5\n\
         claim f: forall a in [0, 1] => a < 1\n\
         \x20               ^"
    );
    assert_eq!(
        error("def h(u) = u\nclaim f: forall h in [0, 1] => h < 1\n"),
        "t.stab:2:17: variable `h` would shadow the def `h` defined at 1:5\n\
         claim f: forall h in [0, 1] => h < 1\n\
         \x20               ^"
    );
    assert_eq!(
        error("claim f: forall max in [0, 1] => max < 1\n"),
        "t.stab:1:17: variable `max` would shadow the built-in function `max`\n\
         claim f: forall max in [0, 1] => max < 1\n\
         \x20               ^"
    );
    assert_eq!(
        error("let k = 1\ndef f(k) = k\n"),
        "t.stab:2:7: parameter `k` would shadow the let `k` defined at 1:5\ndef f(k) = k\n      ^"
    );
}

#[test]
fn duplicates_are_refused() {
    assert_eq!(
        error("let a = 1\nlet a = 2\n"),
        "t.stab:2:5: duplicate name `a`: already defined at 1:5\nlet a = 2\n    ^"
    );
    assert_eq!(
        error("claim f: forall x in [0, 1] => x < 2\nclaim f: forall x in [0, 1] => x < 2\n"),
        "t.stab:2:7: duplicate name `f`: already defined at 1:7\n\
         claim f: forall x in [0, 1] => x < 2\n\
         \x20     ^"
    );
    assert_eq!(
        error("claim f: forall x in [0, 1], x in [0, 1] => x < 2\n"),
        "t.stab:1:30: duplicate variable `x`\n\
         claim f: forall x in [0, 1], x in [0, 1] => x < 2\n\
         \x20                            ^"
    );
    assert_eq!(
        error("def f(x, x) = x\n"),
        "t.stab:1:10: duplicate parameter `x`\ndef f(x, x) = x\n         ^"
    );
}

#[test]
fn wrong_arity_is_refused() {
    assert_eq!(
        error("def h(u, g) = u*g\nclaim f: forall x in [0, 1] => h(x) < 2\n"),
        "t.stab:2:32: `h` takes 2 arguments, but 1 was given\n\
         claim f: forall x in [0, 1] => h(x) < 2\n\
         \x20                              ^"
    );
    assert_eq!(
        error("claim f: forall x in [0, 1] => sqrt(x, x) < 2\n"),
        "t.stab:1:32: `sqrt` takes 1 argument, but 2 were given\n\
         claim f: forall x in [0, 1] => sqrt(x, x) < 2\n\
         \x20                              ^"
    );
    assert_eq!(
        error("claim f: forall x in [0, 1] => sqrt < 2\n"),
        "t.stab:1:32: `sqrt` is a built-in function: call it as sqrt(...)\n\
         claim f: forall x in [0, 1] => sqrt < 2\n\
         \x20                              ^"
    );
}

#[test]
fn variables_in_their_own_or_earlier_endpoints_are_refused() {
    assert_eq!(
        error("claim f: forall x in [0, x] => x < 2\n"),
        "t.stab:1:26: variable `x` is used in its own bounds\n\
         claim f: forall x in [0, x] => x < 2\n\
         \x20                        ^"
    );
    assert_eq!(
        error("claim f: forall x in [0, y], y in [0, 1] => x < 2\n"),
        "t.stab:1:26: variable `y` is used in the bounds of `x` but bound after it \
         (bindings are read left to right)\n\
         claim f: forall x in [0, y], y in [0, 1] => x < 2\n\
         \x20                        ^"
    );
}

#[test]
fn def_bodies_use_only_parameters_lets_and_earlier_defs() {
    assert_eq!(
        error("def h(u) = u + x\n"),
        "t.stab:1:16: unknown name `x`\ndef h(u) = u + x\n               ^"
    );
    assert_eq!(
        error("def h(u) = h(u)\n"),
        "t.stab:1:12: def `h` cannot call itself: a def may use only earlier defs\ndef h(u) = h(u)\n           ^"
    );
    assert_eq!(
        error("def f(u) = g(u)\ndef g(u) = u\n"),
        "t.stab:1:12: unknown function `g` (it is defined later, at 2:5; names must be defined \
         before they are used)\ndef f(u) = g(u)\n           ^"
    );
}

#[test]
fn exponents_must_be_integer_literals_in_range() {
    assert_eq!(
        error("claim f: forall x in [0, 1] => x^y < 2\n"),
        "t.stab:1:34: the exponent of `^` must be an integer literal (like 2, -1 or (-1)), not `y`\n\
         claim f: forall x in [0, 1] => x^y < 2\n\
         \x20                                ^"
    );
    assert!(error("claim f: forall x in [0, 1] => x^1.5 < 2\n").contains("integer literal"));
    assert_eq!(
        error("claim f: forall x in [0, 1] => x^2147483648 < 2\n"),
        "t.stab:1:34: exponent `2147483648` is out of range: it must lie between -2147483648 and 2147483647\n\
         claim f: forall x in [0, 1] => x^2147483648 < 2\n\
         \x20                                ^"
    );
    assert_eq!(
        error("claim f: forall x in [0, 1] => x^2^3 < 2\n"),
        "t.stab:1:35: chained `^` is ambiguous: add parentheses, like (a^b)^c\n\
         claim f: forall x in [0, 1] => x^2^3 < 2\n\
         \x20                                 ^"
    );
}

#[test]
fn huge_literals_are_refused_without_computing_them() {
    assert_eq!(
        error("let a = 1e999999999\n"),
        "t.stab:1:9: number `1e999999999` is out of range: its exponent must be between -10000 and 10000\n\
         let a = 1e999999999\n\
         \x20       ^"
    );
    assert!(error("let a = 1e-99999999999999999999999999\n").contains("out of range"));
    let digits = format!("let a = {}\n", "9".repeat(20_000));
    assert!(error(&digits).contains("too long"));
}

#[test]
fn exponential_def_expansion_is_refused_before_it_is_built() {
    let mut src = String::from("def f0(x) = x*x\n");
    for i in 1..64 {
        src += &format!("def f{i}(x) = f{j}(f{j}(x))\n", j = i - 1);
    }
    src += "claim c: forall x in [0, 1] => f63(x) < 1\n";
    assert_eq!(
        error(&src),
        "t.stab:6:13: expression too large: more than 200000 nodes after expanding lets and defs\n\
         def f5(x) = f4(f4(x))\n\
         \x20           ^"
    );
}

#[test]
fn a_claim_too_large_in_all_is_refused() {
    // `k` has 999 nodes and each condition 1000: fine alone, too many together (the two
    // endpoints count too).
    let src = |n: usize| {
        let conds = vec!["x < k"; n].join(", ");
        let k = "1+".repeat(499);
        format!("let k = {k}1\nclaim c: forall x in [0, 1]\n  => {conds}\n")
    };
    parse(&src(199));
    let e = error(&src(200));
    assert!(
        e.starts_with(
            "t.stab:3:1403: claim `c` too large: more than 200000 expression nodes in all"
        ),
        "{e}"
    );
}

#[test]
fn a_file_too_large_in_all_is_refused() {
    // f4(x) expands to 131071 nodes: a few characters each, but 16 claims pass the cap.
    let mut src = String::from("def f0(x) = x*x\n");
    for i in 1..5 {
        src += &format!("def f{i}(x) = f{j}(f{j}(x))\n", j = i - 1);
    }
    for i in 0..16 {
        src += &format!("claim c{i}: forall x in [0, 1] => x < f4(x)\n");
    }
    let e = error(&src);
    assert!(
        e.starts_with("t.stab:21:1: file too large: more than 2000000 expression nodes"),
        "{e}"
    );
}

#[test]
fn long_sums_are_refused_beyond_the_depth_limit() {
    let ok = format!(
        "claim c: forall x in [0, 1] => x < {}1\n",
        "1+".repeat(1_500)
    );
    parse(&ok);
    let deep = format!(
        "claim c: forall x in [0, 1] => x < {}1\n",
        "1+".repeat(3_000)
    );
    assert!(error(&deep).contains("expression nested too deeply: more than 2000 levels"));
}

#[test]
fn brackets_nest_up_to_256_levels_on_a_test_thread() {
    let ok = format!(
        "let a = {}1{}\nclaim c: forall x in [0, 1] => x < a\n",
        "(".repeat(256),
        ")".repeat(256)
    );
    assert_eq!(parse(&ok)[0].goals[0].rhs, c(1));
    let deep = format!("let a = {}1{}\n", "(".repeat(257), ")".repeat(257));
    assert_eq!(
        error(&deep).lines().next().unwrap(),
        "t.stab:1:265: expression nested too deeply (more than 256 levels of brackets)"
    );
}

// ---- input checks and hostile input ----

#[test]
fn empty_and_comment_only_files_have_no_items() {
    assert_eq!(error(""), "t.stab:1:1: empty file: no items\n\n^");
    assert_eq!(error("  \n\t\n"), "t.stab:1:1: empty file: no items\n  \n^");
    assert_eq!(
        error("# only a comment\n\n   # and another\n"),
        "t.stab:1:1: empty file: no items\n# only a comment\n^"
    );
}

fn bytes_error(bytes: &[u8]) -> Diagnostic {
    match parse_bytes(Path::new("b.stab"), bytes) {
        Ok(_) => panic!("expected an error"),
        Err(d) => d,
    }
}

#[test]
fn binary_files_are_refused_at_the_first_bad_byte() {
    let nul = bytes_error(b"let a = 1\nlet b\0 = 2\n");
    assert_eq!(
        nul.to_string(),
        "b.stab:2:6: binary or non-UTF-8 file\nlet b\u{FFFD} = 2\n     ^"
    );
    let bad_utf8 = bytes_error(b"let \xc3\xff = 1\n");
    assert_eq!(bad_utf8.pos.as_ref().map(|p| (p.line, p.col)), Some((1, 5)));
    let cli_case = bytes_error(&[0u8, 159, 146, 150, 0xff, 0, 1, 2, b'\n']);
    assert_eq!(cli_case.pos.as_ref().map(|p| (p.line, p.col)), Some((1, 1)));
    assert!(cli_case
        .to_string()
        .starts_with("b.stab:1:1: binary or non-UTF-8 file\n"));
    let late = bytes_error(b"let a = 1\n# fine\nlet b = \xc3\x28\n");
    assert_eq!(
        late.to_string(),
        "b.stab:3:9: binary or non-UTF-8 file\nlet b = \u{FFFD}(\n        ^"
    );
}

#[test]
fn hostile_inputs_are_errors_not_panics() {
    let cases: Vec<(&str, String)> = vec![
        (
            "nested",
            format!("let a = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000)),
        ),
        ("unbalanced", "(".repeat(100_000)),
        (
            "brackets",
            format!("claim c: forall x in {}", "[".repeat(100_000)),
        ),
        (
            "long sum",
            format!(
                "claim c: forall x in [0, 1] => x < {}1\n",
                "1+".repeat(5_000_000)
            ),
        ),
        (
            "minus signs",
            format!(
                "claim c: forall x in [0, 1] => x < {}1\n",
                "-".repeat(1_000_000)
            ),
        ),
        (
            "huge literal",
            "claim c: forall x in [0, 1] => x < 1e999999999\n".to_string(),
        ),
        ("many items", "claim ".repeat(200_000)),
    ];
    for (what, src) in cases {
        let d = bytes_error(src.as_bytes());
        assert!(d.pos.is_some(), "{what}: {d}");
        // A 10 MB line is shown as a short excerpt around the caret.
        assert!(
            d.to_string().len() < 1_000,
            "{what}: {} bytes",
            d.to_string().len()
        );
    }
}

#[test]
fn a_long_line_is_cut_around_the_caret() {
    let src = format!("let a = {}@\n", "1+".repeat(1_000));
    let d = error(&src);
    let lines: Vec<&str> = d.lines().collect();
    assert_eq!(lines[0], "t.stab:1:2009: expected an expression, found `@`");
    let caret = lines[2].find('^').unwrap();
    assert_eq!(&lines[1][caret..caret + 1], "@");
    assert!(lines[1].starts_with("...") && lines[1].len() < 200);
}

// ---- loading files and directories ----

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

fn claim_src(name: &str) -> String {
    format!("claim {name}: forall x in [0, 1] => x < 2\n")
}

#[test]
fn directories_are_searched_recursively_in_path_order() {
    let dir = tempfile::TempDir::new().unwrap();
    write(dir.path(), "b.stab", &claim_src("b"));
    write(dir.path(), "a/z.stab", &claim_src("az"));
    write(dir.path(), "a.stab", &claim_src("a"));
    write(dir.path(), "notes.txt", "not a proof");
    let claims = load_paths(&[dir.path().to_path_buf()]).unwrap();
    let names: Vec<&str> = claims.iter().map(|c| c.name.as_str()).collect();
    // Path order compares components: `a/z.stab` before `a.stab`.
    assert_eq!(names, ["az", "a", "b"]);
    assert_eq!(claims[0].file, dir.path().join("a").join("z.stab"));
}

#[test]
fn a_file_given_twice_is_read_once() {
    let dir = tempfile::TempDir::new().unwrap();
    let a = write(dir.path(), "a.stab", &claim_src("a"));
    let claims = load_paths(&[dir.path().to_path_buf(), a]).unwrap();
    assert_eq!(claims.len(), 1);
}

#[test]
fn claim_names_are_unique_across_files() {
    let dir = tempfile::TempDir::new().unwrap();
    let a = write(dir.path(), "a.stab", &claim_src("same"));
    let b = write(
        dir.path(),
        "b.stab",
        &format!("let k = 1\n{}", claim_src("same")),
    );
    let d = load_paths(&[a.clone(), b.clone()]).unwrap_err();
    assert_eq!(
        d.to_string(),
        format!(
            "{}:2:1: duplicate claim name `same`: already defined at {}:1:1\n{}\n^",
            b.display(),
            a.display(),
            claim_src("same").trim_end()
        )
    );
}

#[test]
fn a_missing_path_is_an_error() {
    let dir = tempfile::TempDir::new().unwrap();
    let missing = dir.path().join("missing.stab");
    let d = load_paths(std::slice::from_ref(&missing)).unwrap_err();
    assert_eq!(
        d.to_string(),
        format!("{}: no such file or directory", missing.display())
    );
}

#[test]
fn errors_name_the_file_they_are_in() {
    let dir = tempfile::TempDir::new().unwrap();
    write(dir.path(), "good.stab", &claim_src("good"));
    let bad = write(dir.path(), "sub/bad.stab", "let a = \n");
    let d = load_paths(&[dir.path().to_path_buf()]).unwrap_err();
    assert_eq!(d.file, bad);
    assert!(
        d.to_string()
            .contains("bad.stab:1:8: expected an expression, found end of file"),
        "{d}"
    );
}

// ---- no input makes the front end panic ----

/// Fragments of the language, so that random input gets past the first token.
fn fragment() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "let", "def", "claim", "forall", "where", "in", "expect", "proved", "refuted", "x", "y",
        "f", "sqrt", "min", "(", ")", "[", "]", ",", ":", "=", "=>", "<", "<=", ">", ">=", "+",
        "-", "*", "/", "^", "1", "2.5e-3", "1e99999", "\"d\"", "#c\n", " ", "\n", "\t", "\"", "θ",
        "\0",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_bytes(Path::new("p.stab"), &bytes).map_err(|d| d.to_string());
    }

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        let _ = parse_bytes(Path::new("p.stab"), s.as_bytes()).map_err(|d| d.to_string());
    }

    #[test]
    fn token_soup_never_panics(parts in prop::collection::vec(fragment(), 0..60)) {
        let src = parts.concat();
        let _ = parse_bytes(Path::new("p.stab"), src.as_bytes()).map_err(|d| d.to_string());
    }

    #[test]
    fn mutated_examples_never_panic(cut in 0usize..700, insert in fragment()) {
        let text = fs::read_to_string(examples_path()).unwrap();
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let src = format!("{}{}{}", &text[..at], insert, &text[at..]);
        let _ = parse_bytes(Path::new("p.stab"), src.as_bytes()).map_err(|d| d.to_string());
    }
}

// ---- systems ----

const SYSTEM: &str = "\
def h(u, g) = u + g*u*(1 - u^2)
system s \"a map\":
  params e in (0, 0.02]
  noise g in [1 + 3*e, 1.25)
  state u in (0, 1.162)
  next h(u, g)
  regions A = (0, 0.65], B = (0.65, 1 - e), C = [1 - e, 1.162)
  escape A grow 1.5
  escape C in 2 expand (1 + 6*e)^2 from 1
  target B
  exceptional C
";

#[test]
fn systems_parse_with_params_noise_state_and_regions() {
    let doc =
        stabcert::lang::parse_document(std::path::Path::new("t.stab"), SYSTEM).expect("parses");
    assert!(doc.claims.is_empty());
    let s = &doc.systems[0];
    assert_eq!((s.params.len(), s.noise.len()), (1, 1));
    assert_eq!(s.state.name, "u");
    let names: Vec<&str> = s.regions.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["A", "B", "C"]);
    assert!(s.regions[1].hi.uses_var(0), "region ends see the params");
    assert_eq!(s.escapes.len(), 2);
    assert_eq!(
        (s.target.clone(), s.exceptional.clone()),
        (vec!["B".to_string()], vec!["C".to_string()])
    );
    // the clause words stay usable as names elsewhere
    let ok = "claim c: forall state in [0, 1], next in [0, 1] => state*next <= 1\n";
    assert!(stabcert::lang::parse_document(std::path::Path::new("t.stab"), ok).is_ok());
}

#[test]
fn system_errors_are_positioned() {
    let doc = |src: &str| {
        stabcert::lang::parse_document(std::path::Path::new("t.stab"), src)
            .unwrap_err()
            .to_string()
    };
    let bad_region = SYSTEM.replace("escape A grow", "escape Z grow");
    assert!(
        doc(&bad_region).starts_with("t.stab:8:10: unknown region `Z`"),
        "{}",
        doc(&bad_region)
    );
    let noise_uses_state = SYSTEM.replace(
        "noise g in [1 + 3*e, 1.25)",
        "noise g in [1 + 3*e, 1.25), k in [0, g]",
    );
    assert!(
        doc(&noise_uses_state).contains("may use only the params"),
        "{}",
        doc(&noise_uses_state)
    );
    let region_uses_noise = SYSTEM.replace("A = (0, 0.65]", "A = (0, g]");
    assert!(
        doc(&region_uses_noise).starts_with("t.stab:7:11: region ends may use only the params"),
        "{}",
        doc(&region_uses_noise)
    );
    let zero_steps = SYSTEM.replace("in 2 expand", "in 0 expand");
    assert!(
        doc(&zero_steps).contains("between 1 and 16"),
        "{}",
        doc(&zero_steps)
    );
}

#[test]
fn transcendental_functions_and_pi_are_built_in() {
    use stabcert::expr::Fun;
    let b = Box::new;
    assert_eq!(goal_rhs("exp(x)"), Expr::Fun(Fun::Exp, b(x())));
    assert_eq!(goal_rhs("log(x)"), Expr::Fun(Fun::Log, b(x())));
    for f in Fun::ALL {
        assert_eq!(goal_rhs(&format!("{}(x)", f.name())), Expr::Fun(f, b(x())));
    }
    assert_eq!(goal_rhs("atan2(x, 1)"), Expr::Atan2(b(x()), b(c(1))));
    assert_eq!(goal_rhs("pow(x, 0.5)"), Expr::PowR(b(x()), b(q(1, 2))));
    assert_eq!(goal_rhs("2*pi"), Expr::Mul(b(c(2)), b(Expr::Pi)));
    // Printing gives the source form back.
    let e = goal_rhs("atan2(sin(x), pow(x, pi))");
    assert_eq!(e.to_string(), "atan2(sin(x0), pow(x0, pi))");
}

#[test]
fn transcendental_names_are_reserved() {
    assert_eq!(
        error("let pi = 3\n"),
        "t.stab:1:5: `pi` is a built-in constant and cannot be redefined\nlet pi = 3\n    ^"
    );
    assert_eq!(
        error("claim f: forall pi in [0, 1] => pi < 1\n"),
        "t.stab:1:17: variable `pi` would shadow the built-in constant `pi`\n\
         claim f: forall pi in [0, 1] => pi < 1\n\
         \x20               ^"
    );
    assert!(error("def exp(x) = x\n").contains("`exp` is a built-in function"));
    assert!(error("claim f: forall x in [0, 1] => pi(x) < 1\n")
        .contains("`pi` is a built-in constant, not a function"));
    assert!(error("claim f: forall x in [0, 1] => atan2(x) < 1\n")
        .contains("`atan2` takes 2 arguments, but 1 was given"));
    assert!(error("claim f: forall x in [0, 1] => exp < 1\n")
        .contains("`exp` is a built-in function: call it as exp(...)"));
}
