//! stabcert: a numeric-proof checker.
//!
//! Claims written in the claim language (`lang`) are resolved into [`claim::Claim`]s and decided
//! by the prover (`prover`): `proved` only with a rigorous enclosure argument, `refuted` only with
//! an exact witness, `unknown` otherwise. Systems (`dynamics`) reduce the transition graph of a
//! random map to such claims. Proofs are written as certificates (`cert`) and re-checked by an
//! independent exact kernel (`kernel`) that shares no code with the prover; `recheck` binds
//! certificates to the statements of proof files. `cli` and `output`
//! are the command line and its report formats; `report` writes a whole verification report.

pub mod audit;
pub mod cert;
pub mod claim;
pub mod cli;
pub mod dynamics;
pub mod expr;
pub mod kernel;
pub mod lang;
pub mod mpfi;
pub mod output;
pub mod prover;
pub mod recheck;
pub mod report;
pub mod simulate;
