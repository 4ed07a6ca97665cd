//! The two kernels against the plain definition, on the case study of `proofs/` and on
//! other maps.

use super::*;
use crate::expr::Expr;
use std::path::Path;

fn model() -> Model {
    crate::case_study::flagship().model
}

/// An expression in the model's variables `e, g, u`.
fn parse(text: &str) -> Expr {
    let src = format!("claim c: forall e in [0, 1], g in [0, 1], u in [0, 1] => {text} > 0\n");
    crate::lang::parse_source(Path::new("t.stab"), &src).unwrap()[0].goals[0]
        .lhs
        .clone()
}

/// The case study's model with another map.
fn with_map(text: &str) -> Model {
    Model {
        map: parse(text),
        map_text: text.into(),
        ..model()
    }
}

fn cfg(law: GammaLaw, trajectories: u64, steps: u64) -> OscillationConfig {
    OscillationConfig {
        law,
        u0: None,
        trajectories,
        steps,
        seed: 11,
        seed_scale: 1.0,
    }
}

fn laws() -> [GammaLaw; 4] {
    [
        GammaLaw::Uniform {
            min: 1.01,
            max: 1.24,
        },
        GammaLaw::Uniform {
            min: 1.06,
            max: 1.35,
        },
        GammaLaw::UniformX {
            scale: 1.1,
            x_min: 0.97,
            x_max: 1.05,
        },
        GammaLaw::Atoms {
            atoms: vec![1.05, 1.2, 1.3],
        },
    ]
}

/// The report's counts against the plain [`Track`] of every trajectory.
fn assert_agrees_with_tracks(m: &Model, c: &OscillationConfig, rep: &OscillationReport) {
    let tracks: Vec<Track> = (0..c.trajectories).map(|k| track_path(m, c, k)).collect();
    let count = |f: &dyn Fn(&Track) -> bool| tracks.iter().filter(|t| f(t)).count() as u64;
    assert_eq!(rep.entered, count(&|t| t.entered.is_some()), "{:?}", c.law);
    assert_eq!(rep.entered_band, count(&|t| t.band.is_some()));
    assert_eq!(rep.left_band, count(&|t| t.left_band));
    assert_eq!(rep.escaped, count(&|t| t.escaped));
    assert_eq!(rep.fixed_point_hits, count(&|t| t.fixed_point));
    let first_band: u64 = tracks.iter().filter_map(|t| t.band).max().unwrap_or(0);
    assert_eq!(rep.band_entry_time.max.unwrap_or(0), first_band);
}

/// The lane kernel against the plain [`Track`], trajectory by trajectory, inside and
/// outside the window, for every kind of law.
#[test]
fn lane_kernel_agrees_with_the_plain_definition() {
    let m = model();
    for law in laws() {
        assert!(lanes_apply(&m, &law));
        let c = cfg(law, 77, 301);
        let rep = oscillation(&m, &c);
        assert_eq!(rep.kernel, "lanes");
        assert_agrees_with_tracks(&m, &c, &rep);
    }
}

/// Forced onto the plain kernel, the cubic map gives the lane kernel's report to the bit.
#[test]
fn plain_kernel_gives_the_lane_kernels_report() {
    let m = model();
    for law in laws() {
        let c = cfg(law, 150, 257);
        let r = Regions::new(&m, c.law.support().0);
        let run = |lanes| {
            let t = run_law(&m, &c, &r, lanes, &c.law, &|_| {});
            serde_json::to_value(report(&m, &c, &r, true, &t)).unwrap()
        };
        assert_eq!(run(true), run(false), "{:?}", c.law);
    }
}

#[test]
fn the_lane_kernel_is_chosen_only_for_the_cubic_map() {
    let law = GammaLaw::Uniform {
        min: 1.06,
        max: 1.24,
    };
    assert!(lanes_apply(&with_map("u*(1 + g) - g*u^3"), &law));
    for other in [
        "u + g*u*(1 - u^2)/2",
        "u + g*u*(1 - u)",
        "u + g*u*(1 - u^2) + e^3",
    ] {
        assert!(!lanes_apply(&with_map(other), &law), "{other}");
    }
    let wrong_loss = Model {
        loss: parse("(1 - u^2)^2/2"),
        ..model()
    };
    assert!(!lanes_apply(&wrong_loss, &law));
    // Large γ can take a state below 0 directly, which the lane kernel would not see.
    let steep = GammaLaw::Uniform {
        min: 1.06,
        max: 3.0,
    };
    assert!(!lanes_apply(&model(), &steep));
}

/// Another map is run by the plain kernel, step by step as written.
#[test]
fn another_map_runs_as_written() {
    let m = with_map("u + g*u*(1 - u^2)/2");
    let c = cfg(
        GammaLaw::Uniform {
            min: 1.06,
            max: 1.24,
        },
        40,
        200,
    );
    let path = sample_path(&m, &c, 3, 60);
    for w in path.windows(2) {
        let ((g, u), (_, next)) = (w[0], w[1]);
        assert_eq!(next, u + g * u * (1.0 - u * u) / 2.0);
    }
    let rep = oscillation(&m, &c);
    assert_eq!(rep.kernel, "plain");
    assert_eq!(rep.map, "u + g*u*(1 - u^2)/2");
    assert_agrees_with_tracks(&m, &c, &rep);
    // Half the step settles on the fixed point instead of the 2-cycle: trajectories leave
    // the band the proof is about, which the cubic map never does.
    assert_eq!(rep.entered, 40);
    assert!(rep.left_band > 0);
    let cubic = oscillation(&model(), &c);
    assert_eq!((cubic.entered_band, cubic.left_band), (40, 0));
}

/// Beyond the lane kernel's reach the cubic map runs on the plain kernel, which sees every
/// exit from the state space.
#[test]
fn steep_laws_run_on_the_plain_kernel() {
    let m = model();
    let c = cfg(
        GammaLaw::Uniform {
            min: 1.06,
            max: 3.0,
        },
        60,
        50,
    );
    let rep = oscillation(&m, &c);
    assert_eq!(rep.kernel, "plain");
    assert!(rep.escaped > 0);
    assert_agrees_with_tracks(&m, &c, &rep);
}

#[test]
fn sample_paths_follow_the_map() {
    let c = cfg(GammaLaw::Uniform { min: 1.1, max: 1.2 }, 4, 50);
    let path = sample_path(&model(), &c, 2, 50);
    assert_eq!(path.len(), 50);
    for w in path.windows(2) {
        let ((g, u), (_, next)) = (w[0], w[1]);
        assert!((1.1..=1.2).contains(&g));
        assert_eq!(next, (g * u).mul_add(1.0 - u * u, u));
    }
}

#[test]
fn the_fixed_point_is_absorbing_in_floats() {
    let c = OscillationConfig {
        u0: Some(1.0),
        ..cfg(GammaLaw::Uniform { min: 1.1, max: 1.2 }, 9, 40)
    };
    let rep = oscillation(&model(), &c);
    assert_eq!(
        (rep.fixed_point_hits, rep.entered_band, rep.violations),
        (9, 0, 0)
    );
}
