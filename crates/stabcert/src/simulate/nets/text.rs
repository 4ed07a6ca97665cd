//! Terminal renderings of the network reports.

use super::dln::DlnReport;
use super::relu::ReluReport;
use super::sde::SdeReport;
use super::NetRun;
use std::fmt::Write;

fn runs_table(out: &mut String, runs: &[NetRun]) {
    let _ = writeln!(
        out,
        "  method  eta        stabilised δ  final train  final test   sparsity  note"
    );
    for r in runs {
        let _ = writeln!(
            out,
            "  {:<6}  {:<9}  {:<12.3e}  {:<11.3e}  {:<11.3e}  {:<8.4}  {}",
            r.method,
            r.eta,
            r.stabilised_loss,
            r.train_loss,
            r.test_loss,
            r.sparsity_coefficient,
            if r.diverged {
                "diverged"
            } else if !r.fitted {
                "did not fit (not compared)"
            } else {
                ""
            }
        );
    }
}

/// `stabcert simulate dln`.
pub fn dln(r: &DlnReport) -> String {
    let c = &r.config;
    let mut out = format!(
        "{}\nn = {}, d = {}, k = {} (support {:?}), α = {}, init {:?}, batch {}, {} steps, schedule: {}, threshold {}, seed {}\n",
        r.model, c.n, c.d, c.k, r.beta_star_support, c.alpha, c.init, c.batch, c.steps, r.schedule, c.threshold, c.seed
    );
    runs_table(&mut out, &r.runs);
    match &r.comparison {
        Some(k) => {
            let _ = writeln!(
                out,
                "η = {} against η = {}: test loss {:.1}x lower, sparsity {:.4} against {:.4}, stabilised loss δ = {:.3e} (small step: {:.3e}): {}",
                k.large_eta,
                k.small_eta,
                k.test_loss_ratio,
                k.sparsity_large,
                k.sparsity_small,
                k.stabilised_loss_large,
                k.stabilised_loss_small,
                if k.as_in_the_seed { "as in the seed (≥ 2x lower test loss, sparser)" } else { "NOT as in the seed" }
            );
        }
        None => out.push_str("fewer than two stable step sizes: nothing compared\n"),
    }
    out
}

/// `stabcert simulate relu`.
pub fn relu(r: &ReluReport) -> String {
    let c = &r.config;
    let mut out = format!(
        "{}\nn = {}, width {}, {} parameters, batch {}, {} steps, schedule: {}, seed {}\n",
        r.model, c.n, c.width, r.parameters, c.batch, c.steps, r.schedule, c.seed
    );
    runs_table(&mut out, &r.runs);
    match &r.comparison {
        Some(k) => {
            let _ = writeln!(
                out,
                "η = {} against η = {}: sparsity coefficient {:.4} against {:.4}: {}",
                k.large_eta,
                k.small_eta,
                k.sparsity_large,
                k.sparsity_small,
                if k.lower_for_large_step {
                    "lower for the large step, as in the seed"
                } else {
                    "NOT lower for the large step"
                }
            );
        }
        None => out.push_str("fewer than two stable step sizes: nothing compared\n"),
    }
    out
}

/// `stabcert simulate sde`.
pub fn sde(r: &SdeReport) -> String {
    let c = &r.config.dln;
    let mut out = format!(
        "{}\nn = {}, d = {}, k = {}, α = {}, batch {}, η = {}, {} steps, schedule: {}, κ = {}, seed {}\n",
        r.model, c.n, c.d, c.k, c.alpha, c.batch, c.etas[0], c.steps, r.schedule, r.noise_constant, c.seed
    );
    runs_table(&mut out, &r.runs);
    let _ = writeln!(
        out,
        "stabilised loss: SGD δ = {:.4e}, SDE {:.4e}, relative difference {:.3} ({} tolerance {})",
        r.sgd_stabilised_loss,
        r.sde_stabilised_loss,
        r.relative_difference,
        if r.agree { "within" } else { "NOT within" },
        r.tolerance
    );
    out
}
