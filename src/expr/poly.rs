//! Exact multivariate polynomials over the rationals.
