//! The law of `γ_t = η θ*² x²`: drawn uniformly, through a uniform `x`, or from atoms; and the
//! branch-free draw the lane kernel inlines.

use super::rng::{below, unit};
use serde::Serialize;

/// How `γ` is drawn each step.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GammaLaw {
    /// `γ` uniform on `[min, max]`.
    Uniform {
        /// The smallest `γ`.
        min: f64,
        /// The largest `γ`.
        max: f64,
    },
    /// `x` uniform on `[x_min, x_max]`, `γ = scale · x²` (`scale = η θ*²`).
    UniformX {
        /// `η θ*²`, the factor of `x²`.
        scale: f64,
        /// The smallest `x`.
        x_min: f64,
        /// The largest `x`.
        x_max: f64,
    },
    /// `γ` uniform over these atoms (an empirical distribution; two atoms: the extremes).
    Atoms {
        /// The values `γ` takes, each with probability `1 / atoms.len()` (repeats count twice).
        atoms: Vec<f64>,
    },
}

impl GammaLaw {
    /// The support's ends `(γ_min, γ_max)`.
    pub fn support(&self) -> (f64, f64) {
        match self {
            GammaLaw::Uniform { min, max } => (*min, *max),
            GammaLaw::UniformX {
                scale,
                x_min,
                x_max,
            } => (scale * x_min * x_min, scale * x_max * x_max),
            GammaLaw::Atoms { atoms } => atoms
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &g| {
                    (lo.min(g), hi.max(g))
                }),
        }
    }

    /// `E[γ]`.
    pub fn mean(&self) -> f64 {
        match self {
            GammaLaw::Uniform { min, max } => (min + max) / 2.0,
            GammaLaw::UniformX {
                scale,
                x_min: a,
                x_max: b,
            } => scale * (a * a + a * b + b * b) / 3.0,
            GammaLaw::Atoms { atoms } => atoms.iter().sum::<f64>() / atoms.len() as f64,
        }
    }

    /// `γ` from 64 random bits, exactly as the lane kernel draws it.
    pub fn draw(&self, bits: u64) -> f64 {
        match self {
            GammaLaw::Uniform { min, max } => UniformGamma::new(*min, *max).gamma(bits),
            GammaLaw::UniformX {
                scale,
                x_min,
                x_max,
            } => UniformX::new(*scale, *x_min, *x_max).gamma(bits),
            GammaLaw::Atoms { atoms } => Atoms(atoms).gamma(bits),
        }
    }
}

/// A `γ` draw from 64 random bits, inlined into the lane kernel.
pub(crate) trait Draw: Sync {
    fn gamma(&self, bits: u64) -> f64;
}

impl Draw for GammaLaw {
    fn gamma(&self, bits: u64) -> f64 {
        self.draw(bits)
    }
}

/// `γ = min + (max − min) U`.
pub(crate) struct UniformGamma {
    min: f64,
    width: f64,
}

impl UniformGamma {
    pub fn new(min: f64, max: f64) -> Self {
        UniformGamma {
            min,
            width: max - min,
        }
    }
}

impl Draw for UniformGamma {
    #[inline(always)]
    fn gamma(&self, bits: u64) -> f64 {
        self.width.mul_add(unit(bits), self.min)
    }
}

/// `x = x_min + (x_max − x_min) U`, `γ = scale · x²`.
pub(crate) struct UniformX {
    scale: f64,
    x_min: f64,
    width: f64,
}

impl UniformX {
    pub fn new(scale: f64, x_min: f64, x_max: f64) -> Self {
        UniformX {
            scale,
            x_min,
            width: x_max - x_min,
        }
    }
}

impl Draw for UniformX {
    #[inline(always)]
    fn gamma(&self, bits: u64) -> f64 {
        let x = self.width.mul_add(unit(bits), self.x_min);
        self.scale * x * x
    }
}

/// One of the atoms, uniformly.
pub(crate) struct Atoms<'a>(pub &'a [f64]);

impl Draw for Atoms<'_> {
    #[inline(always)]
    fn gamma(&self, bits: u64) -> f64 {
        self.0[below(bits, self.0.len() as u64)]
    }
}
