//! The case study of `proofs/` against its proof file, and bad case studies: each one a
//! positioned input error.

use super::*;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn proofs_case_study() -> CaseStudy {
    CaseStudy::load(&Path::new(ROOT).join("proofs/case-study.toml")).unwrap()
}

/// The text of `proofs/case-study.toml` with its relative paths made absolute.
fn text() -> String {
    let root = Path::new(ROOT).canonicalize().unwrap();
    let text = std::fs::read_to_string(root.join("proofs/case-study.toml")).unwrap();
    let proof = root.join("proofs/loss_stabilization.stab");
    let stated = root.join("docs/stated-proposition.md");
    text.replace(
        "proof = \"loss_stabilization.stab\"",
        &format!("proof = {:?}", proof.display().to_string()),
    )
    .replace(
        "stated = \"../docs/stated-proposition.md\"",
        &format!("stated = {:?}", stated.display().to_string()),
    )
}

/// Loads `text` with each `from` replaced by its `to` (each must occur).
fn load_edits(edits: &[(&str, &str)]) -> Result<CaseStudy> {
    let mut text = text();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case-study.toml");
    std::fs::write(&path, text).unwrap();
    CaseStudy::load(&path)
}

fn load_edited(from: &str, to: &str) -> Result<CaseStudy> {
    load_edits(&[(from, to)])
}

/// The input error of an edited case study: `case-study.toml:LINE:COL: message`, the line
/// and a caret under column COL.
fn error_of(from: &str, to: &str) -> (usize, String, String) {
    error_of_edits(&[(from, to)])
}

fn error_of_edits(edits: &[(&str, &str)]) -> (usize, String, String) {
    let Err(Error::Input(e)) = load_edits(edits) else {
        panic!("{edits:?} was accepted");
    };
    let first = e.lines().next().unwrap();
    let (_, rest) = first.split_once("case-study.toml:").expect(&e);
    let (line, rest) = rest.split_once(':').unwrap();
    let (col, message) = rest.split_once(": ").unwrap();
    let col: usize = col.parse().unwrap();
    let shown = e.lines().nth(1).expect("the line is shown").to_string();
    let caret = e.lines().nth(2).expect("a caret").to_string();
    assert_eq!(caret.chars().count(), col, "{e}");
    let _ = line.parse::<usize>().unwrap();
    (col, shown, message.to_string())
}

#[test]
fn the_case_study_of_the_proofs_loads_and_is_the_cubic() {
    let cs = proofs_case_study();
    assert_eq!(cs.system, "sgd");
    assert!(cs.stated_md.contains("(P1)"));
    let m = &cs.model;
    assert!(m.is_cubic());
    assert!(matches!(m.evaluator(), Evaluator::Cubic));
    assert_eq!(m.names, ["e", "g", "u"].map(String::from));
    assert_eq!(m.param(1.06), 0.02);
    assert_eq!(m.param(1.03), (1.03f64 - 1.0) / 3.0);
    assert_eq!(m.at(&m.growth, 0.02), 1.5775);
    assert_eq!(m.at(&m.expand, 0.02), 1.2544);
    assert_eq!(nearest(&m.top), 1.162);
    assert!(m.inside_window(1.06, 1.24) && !m.inside_window(1.06, 1.25));
    assert_eq!(
        (cs.simulation.noise_min, cs.simulation.noise_max),
        (1.06, 1.24)
    );
}

/// The loss band of the case study is the one `loss_band_I1` and `loss_band_odd` prove.
#[test]
fn the_loss_band_is_the_proven_one() {
    let cs = proofs_case_study();
    let doc = lang::load_documents(std::slice::from_ref(&cs.proof)).unwrap();
    let m = &cs.model;
    for name in ["loss_band_I1", "loss_band_odd"] {
        let c = doc.claims.iter().find(|c| c.name == name).unwrap();
        assert_eq!(c.var_names(), ["e", "u"]);
        // The claim's (e, u) as the model's (e, g, u).
        let model_vars = |x: &Expr| x.substitute(&[Expr::Var(PARAM), Expr::Var(STATE)]);
        let (lo, hi) = (&c.goals[0], &c.goals[1]);
        assert!(same_function(
            &model_vars(&lo.lhs),
            &m.proven_band[0],
            NVARS
        ));
        assert!(same_function(&model_vars(&lo.rhs), &m.loss, NVARS));
        assert!(same_function(&model_vars(&hi.lhs), &m.loss, NVARS));
        assert!(same_function(
            &model_vars(&hi.rhs),
            &m.proven_band[1],
            NVARS
        ));
    }
}

#[test]
fn an_equal_polynomial_is_the_same_map() {
    let cs = load_edited("map = \"u + g*u*(1 - u^2)\"", "map = \"u*(1 + g) - g*u^3\"").unwrap();
    assert!(cs.model.is_cubic());
}

#[test]
fn a_syntax_error_points_into_the_expression() {
    let (col, line, message) = error_of(
        "map = \"u + g*u*(1 - u^2)\"",
        "map = \"u + g*u*(1 - u^^2)\"",
    );
    assert_eq!(line, "map = \"u + g*u*(1 - u^^2)\"");
    assert!(message.starts_with("not an expression"), "{message}");
    // The caret is inside the string, at or just before the second `^`.
    assert!((21..=24).contains(&col), "{col}");
}

#[test]
fn every_inconsistency_with_the_system_is_refused_where_it_is_written() {
    let cases = [
        (
            "map = \"u + g*u*(1 - u^2)\"",
            "map = \"u + g*u*(1 - u^2)/2\"",
            "map = ",
            "not system `sgd`",
        ),
        (
            "top = \"1.162\"",
            "top = \"1.163\"",
            "top = ",
            "state range",
        ),
        (
            "growth = \"1 + (1 - 0.65^2)\"",
            "growth = \"1.5776\"",
            "growth = ",
            "grow",
        ),
        (
            "expand = \"(1 + 6*e)^2\"",
            "expand = \"(1 + 7*e)^2\"",
            "expand = ",
            "expand",
        ),
        ("low = \"0.65\"", "low = \"0.66\"", "growth = ", "grow"),
        (
            "window = [\"1\", \"1.25\"]",
            "window = [\"1\", \"1.3\"]",
            "window = ",
            "noise",
        ),
        (
            "system = \"sgd\"",
            "system = \"sgdx\"",
            "system = ",
            "no system `sgdx`",
        ),
        (
            "noise = \"g\"",
            "noise = \"x\"",
            "map = ",
            "not an expression",
        ),
        (
            "expr = \"(1 - u^2)^2/4\"",
            "expr = \"(1 - u^2)^2/4 + g\"",
            "expr = ",
            "`g` may not occur",
        ),
        (
            "state = \"u\"",
            "state = \"sqrt\"",
            "state = ",
            "cannot name a variable",
        ),
        ("steps = 1000", "steps = 0", "steps = ", "steps must be"),
        (
            "low = \"0.65\"",
            "low = \"sqrt(2)/2\"",
            "low = ",
            "not a rational",
        ),
        ("version = 1", "version = 2", "version = ", "version 2"),
        (
            "steps = 1000",
            "steps = 1000\nspeed = 3",
            "speed = ",
            "unknown field",
        ),
    ];
    for (from, to, line_start, message) in cases {
        let (_, line, got) = error_of(from, to);
        assert!(
            line.starts_with(line_start),
            "{to}: the error is on `{line}`"
        );
        assert!(got.contains(message), "{to}: {got}");
    }
}

#[test]
fn the_names_must_be_the_systems() {
    let renamed = [
        ("noise = \"g\"", "noise = \"x\""),
        ("g*u", "x*u"),
        ("(g - 1)", "(x - 1)"),
    ];
    let (_, line, message) = error_of_edits(&renamed);
    assert!(line.starts_with("param = "), "{line}");
    assert!(
        message.contains("noise [g]") && message.contains("same names"),
        "{message}"
    );
}

#[test]
fn a_missing_case_study_or_proposition_is_an_input_error() {
    let missing = CaseStudy::load(Path::new("no/such/case-study.toml"));
    assert!(matches!(missing, Err(Error::Input(e)) if e.contains("cannot read the case study")));
    let (_, line, message) = error_of(".md\"", ".markdown\"");
    assert!(line.starts_with("stated = "));
    assert!(message.contains("cannot read"), "{message}");
}
