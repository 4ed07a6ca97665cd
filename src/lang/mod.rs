//! The claim language: parsing, name resolution, diagnostics.
