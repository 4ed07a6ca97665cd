//! The report with every section filled: the case study of `proofs/`, a tiny deterministic
//! simulation made here (test code only, not a simulator of the product) and an audit-shaped
//! JSON value.

use super::*;
use crate::{lang, prover};
use serde_json::json;

const CLAIMS: &str = "
def h(u, g) = u + g*u*(1 - u^2)
claim step2 \"h maps (1, 1.162) into (0.65, 1)\":
  forall u in (1, 1.162), g in (1, 1.25]
  => 0.65 < h(u, g) < 1
claim typo \"minus sign\" expect refuted:
  forall u in (0, 1.162), g in (1, 1.25)
  => 0 < u - g*u*(1 - u^2)
";

/// xorshift64*: a fixed sequence for a fixed seed.
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The map of the case study.
fn h(g: f64, u: f64) -> f64 {
    u + g * u * (1.0 - u * u)
}

fn case_study() -> CaseStudy {
    crate::case_study::flagship()
}

/// Iterates the map from random `u0 ∈ (0, 1)`, γ uniform in `[1 + 3ε, 1.25)`, ε = 0.02.
pub(super) fn small_simulation(seed: u64) -> SimulationSection {
    let (eps, steps, trajectories) = (0.02, 40u64, 200u64);
    let (gamma_min, gamma_max) = (1.0 + 3.0 * eps, 1.25);
    let mut rng = Rng(seed.max(1));
    let in_cycle = |u: f64| (0.65 < u && u < 1.0 - eps) || (1.0 + eps < u && u < 1.162);
    let (mut entry_times, mut samples, mut violations) = (Vec::new(), Vec::new(), 0);
    for k in 0..trajectories {
        let mut u = rng.next_f64().max(1e-3);
        let mut path = Vec::new();
        let mut entered = None;
        for t in 0..steps {
            let g = gamma_min + (gamma_max - gamma_min) * rng.next_f64();
            path.push((g, u));
            if entered.is_none() && in_cycle(u) {
                entered = Some(t);
            }
            u = h(g, u);
            violations += u64::from(!(0.0 < u && u < 1.162));
        }
        entry_times.extend(entered);
        if k < 3 {
            samples.push(path);
        }
    }
    let state_max = 1.25;
    let curve = |g: f64| {
        (
            g,
            (0..=50)
                .map(|i| (i as f64 / 40.0, h(g, i as f64 / 40.0)))
                .collect(),
        )
    };
    SimulationSection {
        map: "u + g*u*(1 - u^2)".into(),
        seed,
        trajectories,
        steps,
        gamma_min,
        gamma_max,
        entered: entry_times.len() as u64,
        violations,
        entry_histogram: (0..steps)
            .map(|t| {
                (
                    t,
                    t + 1,
                    entry_times.iter().filter(|&&e| e == t).count() as u64,
                )
            })
            .collect(),
        proven_entry_bound: Some(12),
        sample_losses: samples
            .iter()
            .map(|p| {
                p.iter()
                    .map(|&(_, u)| (1.0 - u * u).powi(2) / 4.0)
                    .collect()
            })
            .collect(),
        samples,
        loss_label: "(1 - u^2)^2/4".into(),
        loss_band_proven: (eps * eps * (2.0 - eps) * (2.0 - eps) / 4.0, 0.083_376_562_5),
        curves: vec![curve(gamma_min), curve(gamma_max)],
        state_max,
    }
}

fn audit_value() -> serde_json::Value {
    json!({"version": 1, "digits": 30,
        "constants": [{"name": "1.162", "stated": "1.162", "role": "top of the state space",
            "sharp": {"lower": "1.16189500386", "upper": "1.16189500387"},
            "sharp_form": "2*sqrt(15)/... ", "verdict": "holds with slack",
            "slack": {"lower": "1.05e-4", "upper": "1.06e-4"},
            "claim": "step1_invariant", "note": "max of h"}],
        "clauses": [
            {"id": "step1-formula", "text": "h(θ) = θ − γθ(1 − θ²)", "verdict": "false",
             "witness": {"u": "1/4", "g": "9/8"}, "correction": "h(u) = u + γu(1 − u²)"},
            {"id": "step4", "text": "h(I1) ⊂ (1 + ε, 1.162)", "verdict": "holds",
             "witness": null, "correction": null,
             "claims": [{"name": "step4_odd", "verdict": "proved", "ok": true}]}],
        "gamma_max": [{"case": "stated constants", "lower": "1.25", "upper": "1.26",
            "proved_at": "1.25", "claim": "step2"}]})
}

fn full_report(doc: &lang::Document) -> Vec<(String, Vec<u8>)> {
    let budget = prover::Budget::default();
    let results = crate::run::prove_all(&doc.claims, &budget);
    let check = CheckSection::new(results, Vec::new(), true).unwrap();
    let input = ReportInput {
        check,
        case_study: Some(case_section(&case_study())),
        corrected_md: Some("- (P1) the band is `(e²(2 − e)²/4, 0.0834) E[x²] θ*⁴`".into()),
        audit: Some(AuditSection {
            value: audit_value(),
        }),
        simulation: Some(small_simulation(7)),
        environment: Environment {
            lines: vec![("stabcert".into(), "test".into())],
        },
        reproducible: true,
        problems: Vec::new(),
    };
    render(&input).unwrap()
}

fn text_of<'f>(files: &'f [(String, Vec<u8>)], name: &str) -> &'f str {
    let (_, bytes) = files.iter().find(|(p, _)| p == name).expect(name);
    std::str::from_utf8(bytes).unwrap()
}

#[test]
fn every_section_is_rendered_when_filled() {
    let doc = lang::parse_document(Path::new("t.stab"), CLAIMS).unwrap();
    let files = full_report(&doc);
    if let Ok(dir) = std::env::var("STABCERT_REPORT_PREVIEW") {
        write_tree(Path::new(&dir), &files).unwrap();
    }
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for f in [
        "figures/map-family.svg",
        "figures/cobweb-1.svg",
        "figures/entry_times.svg",
        "figures/loss.svg",
    ] {
        assert!(names.contains(&f), "{f} in {names:?}");
    }
    let md = text_of(&files, "report.md");
    assert!(md.contains("| step1-formula | h(θ) = θ − γθ(1 − θ²) | false | g = 9/8, u = 1/4 | - |"));
    assert!(
        md.contains("| step4_odd proved |"),
        "claim checks by name and verdict"
    );
    assert!(
        md.contains("| [1.05e-4, 1.06e-4] |"),
        "enclosures as intervals"
    );
    assert!(md.contains("### Errata: the clauses that are false"));
    assert!(md.contains("(P1) the band is"));
    assert!(!md.contains("NOT RUN"));
    let html = text_of(&files, "index.html");
    let mut reader = quick_xml::Reader::from_str(html);
    while !matches!(
        reader.read_event().expect("well-formed HTML"),
        quick_xml::events::Event::Eof
    ) {}
    assert!(html.contains("<img src=\"figures/paving-step2.svg\""));
}

#[test]
fn simulation_is_deterministic_and_stays_in_the_state_space() {
    let (a, b) = (small_simulation(3), small_simulation(3));
    assert_eq!(a.entry_histogram, b.entry_histogram);
    assert_eq!(a.violations, 0);
    assert!(a.entered > 0);
}

#[test]
fn dates_are_civil() {
    assert_eq!(civil_from_days(0), (1970, 1, 1));
    assert_eq!(civil_from_days(20_421), (2025, 11, 29));
    assert_eq!(civil_from_days(-1), (1969, 12, 31));
}

#[test]
fn a_rejected_certificate_fails_the_report_and_its_junit_case() {
    let doc = lang::parse_document(Path::new("t.stab"), CLAIMS).unwrap();
    let results = crate::run::prove_all(&doc.claims, &prover::Budget::default());
    let mut check = CheckSection::new(results, Vec::new(), true).unwrap();
    let cert = check.lemmas[0].certificate.as_mut().unwrap();
    (cert.recheck_ok, cert.recheck) = (false, "rejected: forged".into());
    assert!(!check.all_ok());
    let input = ReportInput {
        check,
        case_study: None,
        corrected_md: None,
        audit: None,
        simulation: None,
        environment: Environment { lines: Vec::new() },
        reproducible: true,
        problems: Vec::new(),
    };
    let files = render(&input).unwrap();
    let md = text_of(&files, "report.md");
    assert!(md.contains("> **FAILED**: 1 certificate rejected"), "{md}");
    let junit = text_of(&files, "junit.xml");
    assert!(junit.contains("type=\"rejected\""), "{junit}");
}
