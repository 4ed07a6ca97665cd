//! Plain-text renderings of the simulation reports.

use super::exact::ExactReport;
use super::label_noise::{IdentityCheck, LabelNoiseReport};
use super::oscillation::Bench;
use super::oscillation::{EntryTimes, OscillationReport};
use std::fmt::Write;

/// Six decimals, or four significant digits below 0.001 (small ε₀ give tiny loss ends).
fn num(x: f64) -> String {
    match x != 0.0 && x.abs() < 1e-3 {
        true => format!("{x:.3e}"),
        false => format!("{x:.6}"),
    }
}

fn opt(v: Option<u64>) -> String {
    v.map_or("-".into(), |v| v.to_string())
}

fn entry_lines(out: &mut String, what: &str, e: &EntryTimes, of: u64) {
    let _ = writeln!(
        out,
        "{what}: {} of {of}; steps p50 {} p90 {} p99 {} max {} (proven bound, largest met: {}; over it: {})",
        e.count,
        opt(e.p50),
        opt(e.p90),
        opt(e.p99),
        opt(e.max),
        e.proven_bound_max,
        e.over_proven_bound
    );
    let peak = e
        .histogram
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(0)
        .max(1);
    for b in e.histogram.iter().filter(|b| b.count > 0) {
        let bar = "#".repeat((40 * b.count).div_ceil(peak) as usize);
        let _ = writeln!(
            out,
            "  [{:>5}, {:>5})  {:>10}  {bar}",
            b.from, b.to, b.count
        );
    }
}

/// `stabcert simulate oscillation`.
pub fn oscillation(r: &OscillationReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} trajectories × {} steps, γ in [{}, {}], ε₀ = {:.6}, {} the window ({}, {})",
        r.trajectories,
        r.steps,
        r.gamma_min,
        r.gamma_max,
        r.epsilon,
        if r.inside_window { "inside" } else { "OUTSIDE" },
        r.window[0],
        r.window[1]
    );
    entry_lines(
        &mut out,
        "entered I1 ∪ I2 ∪ I3",
        &r.entry_time,
        r.trajectories,
    );
    entry_lines(
        &mut out,
        "entered the 2-cycle band",
        &r.band_entry_time,
        r.trajectories,
    );
    let _ = writeln!(
        out,
        "violations: {} ({} left the band after entering, {} left (0, {})); exact fixed-point hits: {}",
        r.violations, r.left_band, r.escaped, r.state_space[1], r.fixed_point_hits
    );
    let l = &r.loss;
    match l.observed {
        Some([lo, hi]) => {
            let _ = writeln!(
                out,
                "loss on the cycle / ({}): observed [{}, {}], proven ({}, {}): {}",
                l.unit,
                num(lo),
                num(hi),
                num(l.proven[0]),
                num(l.proven[1]),
                if l.inside_proven {
                    "inside"
                } else {
                    "NOT inside"
                }
            );
            if let Some([a, b]) = l.observed_over_theta_star_sq {
                let caveat = match l.unit == l.seed_band_unit {
                    true => "",
                    false => " (not dimensionally consistent)",
                };
                let _ = writeln!(
                    out,
                    "loss / {}: observed [{}, {}] beside the stated band ({}, {}) = ({}, {}){caveat}",
                    l.seed_band_unit,
                    num(a),
                    num(b),
                    l.seed_band_form[0],
                    l.seed_band_form[1],
                    num(l.seed_band[0]),
                    num(l.seed_band[1])
                );
            }
        }
        None => out.push_str("loss on the cycle: no trajectory reached the band\n"),
    }
    let _ = writeln!(out, "{}", r.verdict);
    out
}

/// `stabcert simulate oscillation --bench`.
pub fn bench(b: &Bench) -> String {
    let cpu = match (b.cpu_seconds, b.steps_per_cpu_second) {
        (Some(c), Some(r)) => format!("; {c:.3} CPU-s, {r:.3e} steps per CPU-second"),
        _ => String::new(),
    };
    format!(
        "{} trajectory-steps ({} × {}) in {:.3} s on {} threads: {:.3e} steps/s{cpu} ({} violations)\n",
        b.trajectory_steps, b.trajectories, b.steps, b.seconds, b.threads, b.steps_per_second, b.violations
    )
}

/// `stabcert simulate oscillation --exact`.
pub fn exact(r: &ExactReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} exact trajectories × {} steps (largest state: {} bits)",
        r.trajectories, r.steps, r.max_bits
    );
    for (name, c) in [("exact", &r.exact), ("float", &r.float)] {
        let _ = writeln!(
            out,
            "  {name:<5}  entered {}  band {}  left band {}  escaped {}  fixed point {}",
            c.entered, c.entered_band, c.left_band, c.escaped, c.fixed_point_hits
        );
    }
    let _ = writeln!(
        out,
        "float rounding drift: max |u_float − u_exact| = {:.3e}; {} trajectories classified differently",
        r.max_drift, r.disagreements
    );
    for c in &r.counterexamples {
        let _ = writeln!(
            out,
            "counterexample: trajectory {} from u0 = {} with γ = [{}]: {} at step {} (float u there: {})",
            c.trajectory,
            c.u0,
            c.gammas.join(", "),
            c.event,
            c.step,
            c.float_u
        );
    }
    out
}

/// `stabcert simulate label-noise`.
pub fn label_noise(r: &LabelNoiseReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "label-noise identities, n = {}, {} Monte Carlo draws, {}% family-wise Hoeffding intervals (δ = {:.2e} each; the controls are excluded from {} draws on)\nsign convention: {}",
        r.config.n,
        r.config.samples,
        r.confidence * 100.0,
        r.delta,
        r.min_samples,
        r.sign_convention
    );
    for m in &r.models {
        let _ = writeln!(out, "{} (L = {}):", m.description, m.loss);
        match m.degenerate {
            Some(why) => {
                let _ = writeln!(
                    out,
                    "  DEGENERATE after {} draws: {why}; the controls are not checked",
                    m.draws
                );
            }
            None if m.draws > 1 => {
                let _ = writeln!(
                    out,
                    "  (drawn {} times: the first draws were degenerate, their controls could not fail)",
                    m.draws
                );
            }
            None => {}
        }
        for i in &m.identities {
            let mark = match (i.ok, i.result) {
                (_, "not checked") => "n/a ",
                (true, _) => "ok  ",
                (false, _) => "FAIL",
            };
            let _ = writeln!(
                out,
                "  {mark} {:<6} (expected {}) {}",
                i.result, i.expected, i.statement
            );
        }
        let _ = writeln!(
            out,
            "       noise coefficients at i_t = 1: [{}]; rank of the gradients {} = rank with the noise {}",
            m.span.coefficients.join(", "),
            m.span.gradient_rank,
            m.span.rank_with_noise
        );
        for e in &m.monte_carlo {
            let mark = if e.ok { "ok  " } else { "FAIL" };
            let covers = if e.covers { "covers" } else { "misses" };
            let _ = writeln!(
                out,
                "  {mark} {:<32} estimate {:+.6} CI [{:+.6}, {:+.6}] {covers} {:+.6}",
                e.quantity, e.estimate, e.ci[0], e.ci[1], e.exact
            );
        }
    }
    let failed = r.models.iter().any(|m| {
        let identity = |i: &&IdentityCheck| !i.ok && i.result != "not checked";
        m.identities.iter().any(|i| identity(&i)) || m.monte_carlo.iter().any(|e| !e.ok)
    });
    let verdict = match (r.all_ok, failed) {
        (true, _) => "every identity as expected",
        (false, true) => "SOME IDENTITY NOT AS EXPECTED",
        (false, false) => "NOT ALL CHECKED: a degenerate draw left some control unchecked",
    };
    let _ = writeln!(out, "{verdict}");
    out
}
