//! The expression tree shared by the claim language and the prover.
//!
//! After `let` and `def` are expanded, every expression of a claim is an [`Expr`] over exact
//! rational constants and the claim's bound variables (by index, in binding order).

use rug::ops::Pow;
use rug::Rational;
use std::fmt;

pub mod poly;

/// An expression over exact rationals and bound variables.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// An exact rational constant.
    Const(Rational),
    /// The bound variable with this index (binding order of the claim).
    Var(usize),
    /// `-a`.
    Neg(Box<Expr>),
    /// `a + b`.
    Add(Box<Expr>, Box<Expr>),
    /// `a - b`.
    Sub(Box<Expr>, Box<Expr>),
    /// `a * b`.
    Mul(Box<Expr>, Box<Expr>),
    /// `a / b`, undefined where `b = 0`.
    Div(Box<Expr>, Box<Expr>),
    /// Integer power; a negative exponent needs a non-zero base.
    Pow(Box<Expr>, i32),
    /// The square root, undefined where the argument is negative.
    Sqrt(Box<Expr>),
    /// The absolute value.
    Abs(Box<Expr>),
    /// The smaller of the two.
    Min(Box<Expr>, Box<Expr>),
    /// The larger of the two.
    Max(Box<Expr>, Box<Expr>),
    /// A unary transcendental function (`exp`, `log`, `sin`, ...), undefined outside its
    /// domain (see [`Fun`]).
    Fun(Fun, Box<Expr>),
    /// `atan2(y, x)`: the angle of the point `(x, y)`, in `(-pi, pi]`; undefined at `(0, 0)`.
    Atan2(Box<Expr>, Box<Expr>),
    /// `pow(x, y) = exp(y log x)`, a real exponent; undefined where `x <= 0`.
    PowR(Box<Expr>, Box<Expr>),
    /// The constant pi.
    Pi,
}

/// The unary transcendental functions of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fun {
    /// `exp`.
    Exp,
    /// The natural logarithm, undefined where the argument is `<= 0`.
    Log,
    /// `sin`.
    Sin,
    /// `cos`.
    Cos,
    /// `tan`, undefined at the odd multiples of `pi/2`.
    Tan,
    /// `atan`, in `(-pi/2, pi/2)`.
    Atan,
    /// `asin`, undefined outside `[-1, 1]`.
    Asin,
    /// `acos`, undefined outside `[-1, 1]`.
    Acos,
    /// `sinh`.
    Sinh,
    /// `cosh`.
    Cosh,
    /// `tanh`.
    Tanh,
}

impl Fun {
    /// Every function, in the order of the language reference.
    pub const ALL: [Fun; 11] = [
        Fun::Exp,
        Fun::Log,
        Fun::Sin,
        Fun::Cos,
        Fun::Tan,
        Fun::Atan,
        Fun::Asin,
        Fun::Acos,
        Fun::Sinh,
        Fun::Cosh,
        Fun::Tanh,
    ];

    /// The name in the claim language (and the certificate format).
    pub fn name(self) -> &'static str {
        match self {
            Fun::Exp => "exp",
            Fun::Log => "log",
            Fun::Sin => "sin",
            Fun::Cos => "cos",
            Fun::Tan => "tan",
            Fun::Atan => "atan",
            Fun::Asin => "asin",
            Fun::Acos => "acos",
            Fun::Sinh => "sinh",
            Fun::Cosh => "cosh",
            Fun::Tanh => "tanh",
        }
    }

    /// The function called `name`, if any.
    pub fn from_name(name: &str) -> Option<Fun> {
        Fun::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl Expr {
    pub(crate) fn constant(q: impl Into<Rational>) -> Expr {
        Expr::Const(q.into())
    }

    #[allow(clippy::should_implement_trait)]
    pub(crate) fn add(a: Expr, b: Expr) -> Expr {
        Expr::Add(Box::new(a), Box::new(b))
    }

    #[allow(clippy::should_implement_trait)]
    pub(crate) fn sub(a: Expr, b: Expr) -> Expr {
        Expr::Sub(Box::new(a), Box::new(b))
    }

    #[allow(clippy::should_implement_trait)]
    pub(crate) fn mul(a: Expr, b: Expr) -> Expr {
        Expr::Mul(Box::new(a), Box::new(b))
    }

    /// Number of nodes of the tree.
    pub fn size(&self) -> usize {
        1 + self.children().iter().map(|c| c.size()).sum::<usize>()
    }

    /// The direct sub-expressions.
    pub fn children(&self) -> Vec<&Expr> {
        match self {
            Expr::Const(_) | Expr::Var(_) | Expr::Pi => vec![],
            Expr::Neg(a) | Expr::Pow(a, _) | Expr::Sqrt(a) | Expr::Abs(a) | Expr::Fun(_, a) => {
                vec![a]
            }
            Expr::Add(a, b)
            | Expr::Sub(a, b)
            | Expr::Mul(a, b)
            | Expr::Div(a, b)
            | Expr::Min(a, b)
            | Expr::Max(a, b)
            | Expr::Atan2(a, b)
            | Expr::PowR(a, b) => vec![a, b],
        }
    }

    /// Whether variable `v` occurs in the expression.
    pub fn uses_var(&self, v: usize) -> bool {
        match self {
            Expr::Var(w) => *w == v,
            _ => self.children().iter().any(|c| c.uses_var(v)),
        }
    }

    /// Whether any variable occurs in the expression.
    pub fn is_constant(&self) -> bool {
        match self {
            Expr::Var(_) => false,
            Expr::Const(_) | Expr::Pi => true,
            _ => self.children().iter().all(|c| c.is_constant()),
        }
    }

    /// Replaces every `Var(i)` by `subst[i]`.
    pub fn substitute(&self, subst: &[Expr]) -> Expr {
        let s = |e: &Expr| Box::new(e.substitute(subst));
        match self {
            Expr::Const(q) => Expr::Const(q.clone()),
            Expr::Var(i) => subst[*i].clone(),
            Expr::Neg(a) => Expr::Neg(s(a)),
            Expr::Add(a, b) => Expr::Add(s(a), s(b)),
            Expr::Sub(a, b) => Expr::Sub(s(a), s(b)),
            Expr::Mul(a, b) => Expr::Mul(s(a), s(b)),
            Expr::Div(a, b) => Expr::Div(s(a), s(b)),
            Expr::Pow(a, n) => Expr::Pow(s(a), *n),
            Expr::Sqrt(a) => Expr::Sqrt(s(a)),
            Expr::Abs(a) => Expr::Abs(s(a)),
            Expr::Min(a, b) => Expr::Min(s(a), s(b)),
            Expr::Max(a, b) => Expr::Max(s(a), s(b)),
            Expr::Fun(f, a) => Expr::Fun(*f, s(a)),
            Expr::Atan2(a, b) => Expr::Atan2(s(a), s(b)),
            Expr::PowR(a, b) => Expr::PowR(s(a), s(b)),
            Expr::Pi => Expr::Pi,
        }
    }
}

/// Prints the expression in claim-language syntax (fully parenthesised), with `x0, x1, ...`
/// for variables unless names are supplied through [`Expr::display_with`].
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.display_with(&[]))
    }
}

impl Expr {
    /// Renders the expression for people: a polynomial of at most two terms in its expanded
    /// form (`1 - (1 - e)` becomes `e`, `1 + (1 - 0.5^2)` becomes `1.75`), anything else as
    /// [`Expr::display_with`] without its outer parentheses.
    pub fn pretty_with(&self, names: &[String]) -> String {
        if let Some(p) = poly::Poly::from_expr(self, names.len().max(self.max_var() + 1)) {
            if p.terms().count() <= 2 {
                return p.display_with(names);
            }
        }
        self.plain_with(names)
    }

    /// Renders the expression as [`Expr::display_with`] does, without its outer brackets
    /// (`x + 1`, not `(x + 1)`), keeping the order of its terms.
    pub fn plain_with(&self, names: &[String]) -> String {
        let s = self.display_with(names);
        match s.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            Some(inner) if balanced(inner) => inner.to_string(),
            _ => s,
        }
    }

    /// The largest variable index used (0 if none).
    fn max_var(&self) -> usize {
        match self {
            Expr::Var(i) => *i,
            _ => self
                .children()
                .iter()
                .map(|c| c.max_var())
                .max()
                .unwrap_or(0),
        }
    }

    /// Renders the expression with the given variable names.
    pub fn display_with(&self, names: &[String]) -> String {
        let r = |e: &Expr| e.display_with(names);
        match self {
            Expr::Const(q) => {
                decimal(q).unwrap_or_else(|| format!("({}/{})", q.numer(), q.denom()))
            }
            Expr::Var(i) => names.get(*i).cloned().unwrap_or_else(|| format!("x{i}")),
            Expr::Neg(a) => format!("(-{})", r(a)),
            Expr::Add(a, b) => format!("({} + {})", r(a), r(b)),
            Expr::Sub(a, b) => format!("({} - {})", r(a), r(b)),
            Expr::Mul(a, b) => format!("({} * {})", r(a), r(b)),
            Expr::Div(a, b) => format!("({} / {})", r(a), r(b)),
            Expr::Pow(a, n) => format!("({}^{})", r(a), n),
            Expr::Sqrt(a) => format!("sqrt({})", r(a)),
            Expr::Abs(a) => format!("abs({})", r(a)),
            Expr::Min(a, b) => format!("min({}, {})", r(a), r(b)),
            Expr::Max(a, b) => format!("max({}, {})", r(a), r(b)),
            Expr::Fun(fun, a) => format!("{}({})", fun.name(), r(a)),
            Expr::Atan2(a, b) => format!("atan2({}, {})", r(a), r(b)),
            Expr::PowR(a, b) => format!("pow({}, {})", r(a), r(b)),
            Expr::Pi => "pi".to_string(),
        }
    }
}

/// `q` as a terminating decimal (`0.25`, `-3`), if it has one of at most 12 places.
fn decimal(q: &Rational) -> Option<String> {
    for places in 0..=12u32 {
        let scaled = Rational::from(q * rug::Integer::from(10).pow(places));
        if *scaled.denom() == 1 {
            let digits = scaled.numer().clone().abs().to_string();
            let sign = if *q < 0 { "-" } else { "" };
            if places == 0 {
                return Some(format!("{sign}{digits}"));
            }
            let p = places as usize;
            let padded = format!("{digits:0>width$}", width = p + 1);
            let (int, frac) = padded.split_at(padded.len() - p);
            return Some(format!("{sign}{int}.{frac}"));
        }
    }
    None
}

/// Whether the parentheses of `s` balance (so dropping an outer pair keeps its meaning).
fn balanced(s: &str) -> bool {
    let mut depth = 0i64;
    for c in s.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(n: i64, d: i64) -> Expr {
        Expr::constant(Rational::from((n, d)))
    }

    #[test]
    fn pretty_printing_simplifies_short_polynomials_only() {
        let names = vec!["e".to_string()];
        let e = Expr::Var(0);
        assert_eq!(
            Expr::sub(c(1, 1), Expr::sub(c(1, 1), e.clone())).pretty_with(&names),
            "e"
        );
        let growth = Expr::add(
            c(1, 1),
            Expr::sub(c(1, 1), Expr::Pow(Box::new(c(13, 20)), 2)),
        );
        assert_eq!(growth.pretty_with(&names), "1.5775");
        assert_eq!(
            Expr::sub(c(1, 3), e.clone()).pretty_with(&names),
            "(1/3) - e"
        );
        let square = Expr::Pow(Box::new(Expr::add(c(1, 1), Expr::mul(c(6, 1), e))), 2);
        assert_eq!(square.pretty_with(&names), "(1 + (6 * e))^2");
    }
}
