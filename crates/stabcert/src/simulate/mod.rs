//! `stabcert simulate`: Monte Carlo of the dynamics the proof is about, and the exact and
//! statistical check of the seed's label-noise identities.
//!
//! - [`oscillation`]: float trajectories of the rescaled toy model, vectorised, with the
//!   proof's region checks every step; [`exact`]: the same in `rug::Rational`.
//! - [`label_noise`]: the four identities of section 6, exactly and by Monte Carlo.
//! - [`nets`]: the later slides: diagonal linear and ReLU networks trained with large steps,
//!   and the label-noise SDE.
//!
//! The library entry points ([`oscillation::oscillation`], [`exact::exact`],
//! [`label_noise::label_noise`], [`oscillation::sample_path`]) return serialisable reports;
//! [`text`] renders them for a terminal.

pub mod exact;
pub mod label_noise;
pub mod law;
pub mod nets;
pub mod oscillation;
pub mod regions;
pub mod rng;
pub mod text;
