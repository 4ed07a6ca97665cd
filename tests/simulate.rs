//! The `stabcert simulate` contract, end to end: determinism across thread counts, the
//! proven behaviour inside the window, violations outside it, exact mode, the label-noise
//! identities, and exit 2 on bad input.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use serde_json::Value;

/// Runs `stabcert simulate ARGS` and asserts the exit status; returns stdout.
fn simulate(args: &[&str], code: i32) -> String {
    let out = cargo_bin_cmd!("stabcert")
        .arg("simulate")
        .args(args)
        .assert()
        .code(code);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn json(args: &[&str], code: i32) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&simulate(&all, code)).unwrap()
}

const SMALL: [&str; 5] = ["oscillation", "--trajectories", "20000", "--steps", "400"];

fn oscillation(extra: &[&str], code: i32) -> Value {
    let mut args = SMALL.to_vec();
    args.extend(extra);
    json(&args, code)
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    for law in [
        &["--gamma-max", "1.3"][..],
        &["--distribution", "empirical"],
    ] {
        let mut one = vec!["--threads", "1", "--seed", "5"];
        one.extend(law);
        let mut two = one.clone();
        two[1] = "2";
        assert_eq!(oscillation(&one, 0), oscillation(&two, 0));
    }
}

#[test]
fn inside_the_window_every_trajectory_cycles_within_its_bound() {
    for law in [
        &["--gamma-min", "1.03", "--gamma-max", "1.249"][..],
        &[
            "--distribution",
            "two-point",
            "--gamma-min",
            "1.01",
            "--gamma-max",
            "1.24",
        ],
        &[
            "--x-min",
            "0.95",
            "--x-max",
            "1",
            "--theta-star",
            "1",
            "--eta",
            "1.2",
        ],
        &[
            "--x-atoms",
            "0.96,0.98,1",
            "--theta-star",
            "2",
            "--eta",
            "0.3",
        ],
    ] {
        let r = oscillation(law, 0);
        let n = r["trajectories"].as_u64().unwrap();
        assert!(r["inside_window"].as_bool().unwrap(), "{law:?}");
        assert_eq!(r["violations"], 0, "{law:?}");
        assert_eq!(r["entered"].as_u64(), Some(n), "{law:?}");
        assert_eq!(r["entered_band"].as_u64(), Some(n), "{law:?}");
        assert_eq!(r["entry_time"]["over_proven_bound"], 0);
        assert_eq!(r["band_entry_time"]["over_proven_bound"], 0);
        assert!(r["loss"]["inside_proven"].as_bool().unwrap());
        assert!(r["verdict"].as_str().unwrap().contains("no violations"));
    }
}

#[test]
fn above_the_threshold_trajectories_violate_and_the_report_says_so() {
    for gmax in ["1.3", "1.35"] {
        let r = oscillation(&["--gamma-max", gmax], 0);
        assert!(!r["inside_window"].as_bool().unwrap());
        assert!(r["violations"].as_u64().unwrap() > 0, "γ_max {gmax}");
        assert!(r["escaped"].as_u64().unwrap() > 0);
        assert!(r["verdict"].as_str().unwrap().contains("violated"));
    }
    let text = simulate(
        &[
            "oscillation",
            "--trajectories",
            "2000",
            "--gamma-max",
            "1.3",
        ],
        0,
    );
    assert!(
        text.contains("OUTSIDE") && text.contains("does not extend"),
        "{text}"
    );
}

#[test]
fn exact_mode_finds_the_preimage_of_the_fixed_point() {
    let r = json(
        &[
            "oscillation",
            "--exact",
            "--u0",
            "3/5",
            "--gamma-atoms",
            "25/24",
            "--trajectories",
            "3",
            "--steps",
            "4",
        ],
        0,
    );
    assert_eq!(r["exact"]["fixed_point_hits"], 3);
    assert_eq!(r["float"]["fixed_point_hits"], 0);
    let c = &r["counterexamples"][0];
    assert_eq!(
        (c["event"].as_str(), c["step"].as_u64()),
        (Some("fixed_point"), Some(1))
    );
    assert_eq!(c["u0"], "3/5");
    assert_eq!(c["gammas"][0], "25/24");
}

#[test]
fn exact_mode_agrees_with_floats_within_the_reported_drift() {
    let r = json(
        &[
            "oscillation",
            "--exact",
            "--trajectories",
            "200",
            "--steps",
            "8",
            "--seed",
            "3",
        ],
        0,
    );
    assert_eq!(r["disagreements"], 0);
    let drift = r["max_drift"].as_f64().unwrap();
    assert!(drift > 0.0 && drift < 1e-13, "{drift}");
    assert_eq!(r["exact"], r["float"]);
}

#[test]
fn label_noise_identities_hold_and_their_controls_fail() {
    let r = json(&["label-noise", "--samples", "50000", "--seed", "2"], 0);
    assert_eq!(r["all_ok"], true);
    let models: Vec<&str> = r["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    assert_eq!(
        models,
        [
            "scalar_toy",
            "linear_regression",
            "diagonal_linear",
            "two_layer_relu"
        ]
    );
    for m in r["models"].as_array().unwrap() {
        for i in m["identities"].as_array().unwrap() {
            let control = i["name"].as_str().unwrap().starts_with("control");
            let want = if control { "fails" } else { "holds" };
            assert_eq!(i["result"], want, "{}: {}", m["model"], i["name"]);
        }
        for e in m["monte_carlo"].as_array().unwrap() {
            assert_eq!(
                e["covers"],
                !e["control"].as_bool().unwrap(),
                "{}",
                e["quantity"]
            );
        }
    }
}

/// Every identity of a label-noise report: its name, whether it is a control, its result.
fn identities(r: &Value) -> Vec<(String, bool, String)> {
    let mut out = Vec::new();
    for m in r["models"].as_array().unwrap() {
        for i in m["identities"].as_array().unwrap() {
            let name = format!("{} {}", m["model"], i["name"]);
            let control = i["expected"] == "fails";
            out.push((name, control, i["result"].as_str().unwrap().to_string()));
        }
    }
    out
}

#[test]
fn a_degenerate_draw_is_redrawn() {
    // Seed 52 first draws the scalar toy at θ = 0: every gradient is 0, so the controls
    // (the noise with the wrong sign) could not fail. It is redrawn, and the run passes.
    let r = json(&["label-noise", "--seed", "52"], 0);
    assert_eq!(r["all_ok"], true);
    let toy = &r["models"][0];
    assert_eq!(toy["model"], "scalar_toy");
    assert!(toy["draws"].as_u64().unwrap() >= 2, "{}", toy["draws"]);
    assert_eq!(toy["degenerate"], Value::Null);
    assert!(toy["span"]["gradient_rank"].as_u64().unwrap() > 0);
    for (name, control, result) in identities(&r) {
        assert_eq!(result, if control { "fails" } else { "holds" }, "{name}");
    }
}

#[test]
fn no_seed_fails_a_true_identity_or_passes_a_control() {
    for seed in 0..=100 {
        let seed = seed.to_string();
        let r = json(&["label-noise", "--seed", &seed], 0);
        assert_eq!(r["all_ok"], true, "seed {seed}");
    }
}

#[test]
fn too_few_monte_carlo_draws_are_refused_not_failed() {
    // Ten draws: a Monte Carlo interval from the sample variance had width 0 when no draw
    // hit i_t = i, and reported E ξ_i = 0 as FAIL. Now: refused, saying how many are needed.
    let out = cargo_bin_cmd!("stabcert")
        .args(["simulate", "label-noise", "--samples", "10"])
        .assert()
        .code(2);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(!stdout.contains("FAIL"), "{stdout}");
    assert!(stderr.contains("--samples 10: too few"), "{stderr}");
    let needed: u64 = stderr
        .split("use --samples ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {stderr}"));
    // As many as it asks for: every interval covers its exact value and misses the control;
    // no interval has width 0.
    let r = json(&["label-noise", "--samples", &needed.to_string()], 0);
    assert_eq!(r["min_samples"], needed);
    for m in r["models"].as_array().unwrap() {
        for e in m["monte_carlo"].as_array().unwrap() {
            let control = e["control"].as_bool().unwrap();
            assert_eq!(e["covers"], !control, "{}: {}", m["model"], e["quantity"]);
            let (lo, hi) = (e["ci"][0].as_f64().unwrap(), e["ci"][1].as_f64().unwrap());
            assert!(hi > lo, "{}: {}", m["model"], e["quantity"]);
        }
    }
}

#[test]
fn bench_mode_reports_a_rate() {
    let r = json(
        &[
            "oscillation",
            "--bench",
            "--trajectories",
            "10000",
            "--steps",
            "100",
        ],
        0,
    );
    assert_eq!(r["trajectory_steps"], 1_000_000);
    assert!(r["steps_per_second"].as_f64().unwrap() > 0.0);
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sim.json");
    let p = path.to_str().unwrap();
    simulate(
        &[
            "label-noise",
            "--samples",
            "5000",
            "--format",
            "json",
            "-o",
            p,
        ],
        0,
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(v["models"].is_array());
}

/// `proofs/case-study.toml` with `from` replaced by `to`, in a temporary directory (the
/// relative paths in it made absolute).
fn case_study_with(from: &str, to: &str) -> (tempfile::TempDir, String) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("proofs/case-study.toml")).unwrap();
    let abs = |rel: &str| format!("{:?}", root.join(rel).display().to_string());
    let text = text
        .replace(
            "\"loss_stabilization.stab\"",
            &abs("proofs/loss_stabilization.stab"),
        )
        .replace(
            "\"../docs/stated-proposition.md\"",
            &abs("docs/stated-proposition.md"),
        );
    assert!(text.contains(from));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cs.toml");
    std::fs::write(&path, text.replace(from, to)).unwrap();
    (dir, path.to_str().unwrap().to_string())
}

#[test]
fn the_case_study_supplies_the_map_and_its_constants() {
    let r = oscillation(&[], 0);
    assert_eq!(r["kernel"], "lanes");
    assert_eq!(r["map"], "u + g*u*(1 - u^2)");
    assert_eq!(r["state_space"][1], 1.162);
    assert_eq!(r["gamma_min"], 1.06);
    // The same polynomial written otherwise still takes the lane kernel, with the same result.
    let (_dir, same) =
        case_study_with("map = \"u + g*u*(1 - u^2)\"", "map = \"u*(1 + g) - g*u^3\"");
    let s = oscillation(&["--case-study", &same], 0);
    assert_eq!(
        (&s["kernel"], &s["entry_time"]),
        (&r["kernel"], &r["entry_time"])
    );
    // The default law and horizon come from the case study too.
    let (_dir, other) = case_study_with("noise_max = \"1.24\"", "noise_max = \"1.3\"");
    let o = json(
        &[
            "oscillation",
            "--case-study",
            &other,
            "--trajectories",
            "2000",
        ],
        0,
    );
    assert_eq!(
        (o["gamma_max"].as_f64(), o["steps"].as_u64()),
        (Some(1.3), Some(1000))
    );
    assert!(o["violations"].as_u64().unwrap() > 0);
}

/// A user's own system whose map the lane kernel does not recognise (it is the cubic on the
/// state space, written with `abs`): the plain kernel runs it, and the proof's behaviour shows.
#[test]
fn another_map_runs_on_the_plain_kernel() {
    let system = "let top = 1.162\nlet low = 0.65\n\
        system m \"the cubic, written with abs\":\n  params e in (0, 0.02]\n  \
        noise g in [1 + 3*e, 1.25)\n  state u in (0, top)\n  next u + g*u*(1 - abs(u)^2)\n  \
        regions I0 = (0, low], I1 = (low, 1 - e), I2 = [1 - e, 1), Ione = [1, 1],\n    \
        I3 = (1, 1 + e], I4 = (1 + e, top)\n  escape I0 grow 1 + (1 - low^2)\n  \
        escape I2 in 2 expand (1 + 6*e)^2 from 1\n  target I1, I4\n  exceptional Ione\n";
    let (dir, path) = case_study_with(
        "map = \"u + g*u*(1 - u^2)\"",
        "map = \"u + g*u*(1 - abs(u)^2)\"",
    );
    std::fs::write(dir.path().join("m.stab"), system).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace("system = \"sgd\"", "system = \"m\"");
    let proof = text.lines().find(|l| l.starts_with("proof = ")).unwrap();
    std::fs::write(&path, text.replace(proof, "proof = \"m.stab\"")).unwrap();
    let r = oscillation(&["--case-study", &path], 0);
    assert_eq!(r["kernel"], "plain");
    assert_eq!(r["map"], "u + g*u*(1 - abs(u)^2)");
    let n = r["trajectories"].as_u64();
    assert_eq!(
        (r["entered_band"].as_u64(), r["violations"].as_u64()),
        (n, Some(0))
    );
    assert_eq!(r["band_entry_time"]["over_proven_bound"], 0);
    assert!(r["loss"]["inside_proven"].as_bool().unwrap());
}

#[test]
fn a_case_study_that_is_missing_or_wrong_is_exit_2_with_its_position() {
    let (_dir, wrong) = case_study_with("top = \"1.162\"", "top = \"1.2\"");
    let (_dir2, bad) = case_study_with("map = \"u + g*u*(1 - u^2)\"", "map = \"u + g*u*(1 - u^2\"");
    for (path, message) in [
        (wrong.as_str(), "state range"),
        (bad.as_str(), "not an expression"),
        ("no/such.toml", "no/such.toml: no such case study"),
    ] {
        let out = cargo_bin_cmd!("stabcert")
            .args(["simulate", "oscillation", "--case-study", path])
            .assert()
            .code(2);
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(message), "{stderr}");
        if path.ends_with("cs.toml") {
            assert!(
                stderr.starts_with(&format!("{path}:")),
                "positioned: {stderr}"
            );
            assert!(stderr.lines().nth(2).unwrap().ends_with('^'), "{stderr}");
        }
    }
}

#[test]
fn bad_input_is_exit_2_with_a_message() {
    let cases = [
        "oscillation --trajectories 0",
        "oscillation --steps 99999999999999999999",
        "oscillation --steps 1000000000",
        "oscillation --trajectories 10000000000 --steps 100000000",
        "oscillation --gamma-min 1.2 --gamma-max 1.1",
        "oscillation --gamma-min 0.9",
        "oscillation --gamma-min NaN",
        "oscillation --gamma-max inf",
        "oscillation --x-min -1 --x-max 1 --theta-star 1 --eta 1.1",
        "oscillation --x-min 1 --x-max 1.1",
        "oscillation --distribution cauchy",
        "oscillation --gamma-atoms 1.1,x",
        "oscillation --gamma-atoms 1/0",
        "oscillation --u0 2",
        "oscillation --exact --steps 20",
        "oscillation --threads 0",
        "label-noise --n 1",
    ];
    for args in cases {
        cargo_bin_cmd!("stabcert")
            .arg("simulate")
            .args(args.split_whitespace())
            .assert()
            .code(2)
            .stderr(predicate::str::is_empty().not())
            .stderr(predicate::str::contains("panicked").not());
    }
}

// ---- `simulate dln`, `simulate relu`, `simulate sde` (issue 17) ----

fn run_by_eta(r: &Value, eta: f64) -> &Value {
    r["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["eta"].as_f64() == Some(eta))
        .unwrap_or_else(|| panic!("no run at η = {eta}"))
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn dln_default_large_steps_with_decay_beat_small_steps() {
    let r = json(&["dln", "--threads", "2"], 0);
    let (small, large) = (run_by_eta(&r, 0.01), run_by_eta(&r, 0.11));
    // Every setting is in the report, and every run has its final values and curves.
    for key in [
        "n", "d", "k", "alpha", "init", "etas", "schedule", "steps", "batch",
    ] {
        assert!(!r["config"][key].is_null(), "config.{key}");
    }
    for run in r["runs"].as_array().unwrap() {
        for key in [
            "eta",
            "schedule",
            "train_loss",
            "test_loss",
            "sparsity_coefficient",
        ] {
            assert!(!run[key].is_null(), "{key}");
        }
        let points = run["curves"]["step"].as_array().unwrap().len();
        assert!(points > 100, "{points} points");
        for c in ["train_loss", "test_loss", "sparsity_coefficient"] {
            assert_eq!(run["curves"][c].as_array().unwrap().len(), points, "{c}");
        }
    }
    // The bar: at least 2x lower test loss, a sparser predictor, a loss level δ > 0.
    assert!(
        f(&small["test_loss"]) >= 2.0 * f(&large["test_loss"]),
        "{r:#}"
    );
    assert!(f(&large["sparsity_coefficient"]) < f(&small["sparsity_coefficient"]));
    assert!(f(&large["stabilised_loss"]) > 0.0);
    assert!(r["comparison"]["as_in_the_seed"].as_bool().unwrap());
    // Full-batch GD at the same large step does not find the sparse predictor: the effect
    // is SGD's.
    let gd = json(&["dln", "--eta", "0.01,0.11", "--batch", "20"], 1);
    let gd_large = run_by_eta(&gd, 0.11);
    assert_eq!(gd_large["method"], "gd");
    assert!(f(&gd_large["test_loss"]) > 10.0 * f(&large["test_loss"]));
}

#[test]
fn dln_decay_divides_the_step_size_at_its_step() {
    // A decay by 1e9 at step 2000 freezes the predictor: its test loss is flat afterwards;
    // without the decay it keeps moving.
    let base = ["dln", "--eta", "0.11", "--steps", "4000", "--records", "40"];
    let frozen = json(
        &[&base[..], &["--decay-at", "2000", "--decay-factor", "1e9"]].concat(),
        0,
    );
    let free = json(&[&base[..], &["--schedule", "constant"]].concat(), 0);
    let after = |r: &Value| -> Vec<f64> {
        let c = &r["runs"][0]["curves"];
        let steps = c["step"].as_array().unwrap();
        let test = c["test_loss"].as_array().unwrap();
        steps
            .iter()
            .zip(test)
            .filter(|(s, _)| s.as_u64().unwrap() >= 2000)
            .map(|(_, t)| f(t))
            .collect()
    };
    let spread = |v: &[f64]| {
        let (lo, hi) = v
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
        (hi - lo) / hi
    };
    assert!(spread(&after(&frozen)) < 1e-3, "{:?}", after(&frozen));
    assert!(spread(&after(&free)) > 1e-2, "{:?}", after(&free));
    assert_eq!(frozen["config"]["schedule"]["decay_at"], 2000);
    assert_eq!(frozen["runs"][0]["schedule"], "decay at 2000 by 1000000000");
}

#[test]
fn sde_stabilised_loss_is_within_a_quarter_of_sgds() {
    let r = json(&["sde"], 0);
    let (sgd, sde) = (f(&r["sgd_stabilised_loss"]), f(&r["sde_stabilised_loss"]));
    assert!(
        sgd > 0.0 && (sde - sgd).abs() <= 0.25 * sgd,
        "SGD {sgd}, SDE {sde}"
    );
    assert_eq!(r["runs"][0]["method"], "sgd");
    assert_eq!(r["runs"][1]["method"], "sde");
    assert!((f(&r["noise_constant"]) - 0.1).abs() < 1e-15); // 2/n, n = 20
                                                            // Without the noise the SDE is gradient descent: its loss falls far below δ.
    let quiet = json(&["sde", "--noise-constant", "0"], 1);
    assert!(f(&quiet["sde_stabilised_loss"]) < 0.01 * sgd);
    // The seed's literal √(ηδ) (κ = 1) overshoots: the constant matters.
    let literal = json(&["sde", "--noise-constant", "1"], 1);
    assert!(f(&literal["sde_stabilised_loss"]) > 2.0 * sgd);
}

#[test]
fn relu_large_steps_give_a_lower_sparsity_coefficient() {
    for setup in ["two", "three"] {
        let r = json(&["relu", "--setup", setup], 0);
        let runs = r["runs"].as_array().unwrap();
        let (small, large) = (&runs[0], &runs[runs.len() - 1]);
        assert!(large["fitted"].as_bool().unwrap(), "{setup}");
        assert!(
            f(&large["sparsity_coefficient"]) < f(&small["sparsity_coefficient"]),
            "{setup}: {} vs {}",
            large["sparsity_coefficient"],
            small["sparsity_coefficient"]
        );
        assert!(r["comparison"]["lower_for_large_step"].as_bool().unwrap());
    }
    let two = json(&["relu", "--steps", "2000"], 0);
    assert_eq!(two["config"]["n"], 12);
    assert_eq!(two["config"]["width"], 100);
    let three = json(&["relu", "--setup", "three", "--steps", "2000"], 0);
    assert_eq!(three["config"]["n"], 50);
    assert_eq!(three["config"]["width"], 10);
    assert_eq!(three["config"]["teacher_width"], 2);
    assert_eq!(three["config"]["schedule"]["warmup"], 200);
}

#[test]
fn network_runs_do_not_depend_on_the_thread_count() {
    for args in [
        &["dln", "--eta", "0.01,0.05,0.11,0.2", "--steps", "3000"][..],
        &["relu", "--steps", "3000"],
        &["relu", "--setup", "three", "--steps", "3000"],
        &["sde", "--steps", "3000"],
    ] {
        let one = [args, &["--threads", "1", "--seed", "3"]].concat();
        let two = [args, &["--threads", "2", "--seed", "3"]].concat();
        let (a, b) = (simulate_json_any(&one), simulate_json_any(&two));
        assert_eq!(a, b, "{args:?}");
        let other = [args, &["--threads", "2", "--seed", "4"]].concat();
        assert_ne!(
            a,
            simulate_json_any(&other),
            "{args:?}: the seed must matter"
        );
    }
}

/// The JSON report whatever the exit status (0 or 1).
fn simulate_json_any(args: &[&str]) -> Value {
    let out = cargo_bin_cmd!("stabcert")
        .arg("simulate")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn bad_network_input_is_exit_2_with_a_message() {
    for (args, message) in [
        (
            &["dln", "--eta", "-0.1"][..],
            "--eta -0.1: step sizes must be positive",
        ),
        (&["dln", "--eta", "0"], "step sizes must be positive"),
        (&["dln", "--eta", "nan"], "finite number"),
        (&["dln", "--n", "0"], "--n"),
        (
            &["dln", "--n", "100000", "--d", "100000"],
            "exceeds 1e8 inputs",
        ),
        (&["dln", "--k", "40"], "--k 40"),
        (&["dln", "--batch", "21"], "--batch 21 exceeds"),
        (
            &["dln", "--steps", "100", "--decay-at", "200"],
            "--decay-at 200 is past",
        ),
        (
            &["dln", "--schedule", "constant", "--decay-at", "5"],
            "--decay-at needs",
        ),
        (&["dln", "--decay-factor", "0.5"], "--decay-factor 0.5"),
        (&["dln", "--alpha", "-1"], "--alpha -1"),
        (
            &["dln", "--steps", "100000000", "--d", "100000", "--n", "20"],
            "multiply-adds",
        ),
        (&["sde", "--eta", "0.1,0.2"], "one step size"),
        (&["sde", "--noise-constant", "-1"], "--noise-constant -1"),
        (
            &["relu", "--width", "1000000", "--setup", "three"],
            "multiply-adds",
        ),
        (&["relu", "--batch", "13"], "--batch 13 exceeds"),
        (&["relu", "--setup", "four"], "four"),
    ] {
        cargo_bin_cmd!("stabcert")
            .arg("simulate")
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message))
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn network_figures_are_written_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("figs");
    let path = out.to_str().unwrap();
    simulate(&["dln", "--steps", "2000", "--figures", path], 0);
    simulate(
        &[
            "relu",
            "--steps",
            "2000",
            "--eta",
            "0.005,0.03",
            "--figures",
            path,
        ],
        0,
    );
    for name in ["dln", "relu2"] {
        for panel in ["train-loss", "test-loss", "sparsity"] {
            let svg = std::fs::read_to_string(out.join(format!("{name}-{panel}.svg"))).unwrap();
            assert!(svg.starts_with("<svg"), "{name}-{panel}");
            assert!(
                svg.contains("η = 0.005") || svg.contains("η = 0.01"),
                "{name}-{panel}"
            );
            assert!(
                svg.matches("<polyline").count() >= 2,
                "{name}-{panel}: one line a run"
            );
        }
    }
}
