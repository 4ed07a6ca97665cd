//! stabcert: a numeric-proof checker.
//!
//! Claims written in the claim language ([`lang`]) are resolved into [`claim::Claim`]s and
//! decided by the prover ([`prover`]): `proved` only with a rigorous enclosure argument,
//! `refuted` only with an exact witness, `unknown` otherwise. Systems ([`dynamics`]) reduce
//! the transition graph of a random map to such claims. Proofs are written as certificates
//! ([`cert`]) and re-checked by the independent exact kernel (the `stabcert-kernel` crate),
//! which shares no code with this one; [`recheck`] binds certificates to the
//! statements of proof files.
//!
//! [`run`] is what a run does (load, check, certify) for every front end; [`output`] renders
//! its results as text, JSON or JUnit; [`shard`] splits a run over machines and merges the
//! parts. Around the prover: [`audit`] checks a statement as written, [`simulate`] runs
//! dynamics, [`report`] writes a verification report. The command line is a separate, thin
//! crate (`stabcert-cli`); nothing here knows about it.
#![warn(missing_docs)]

pub mod audit;
pub mod case_study;
pub mod cert;
pub mod claim;
pub mod dynamics;
mod error;
pub mod export;
pub mod expr;
pub mod lang;
pub mod mpfi;
pub mod output;
pub mod prover;
pub mod recheck;
pub mod report;
pub mod run;
pub mod shard;
pub mod simulate;
pub mod smtlib;

pub use error::{Error, Result};
