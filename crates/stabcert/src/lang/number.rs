//! Exact values of decimal literals and integer exponents.

use rug::{Integer, Rational};

/// Largest `|e|` accepted in `1.5e<e>`: `1e999999999` must be refused, not computed.
pub const MAX_DECIMAL_EXPONENT: u32 = 10_000;

/// Most digits accepted in one literal, for the same reason.
pub const MAX_DIGITS: usize = 10_000;

/// The exact value of a literal matched by the grammar's `number` rule: `1.375` is 11/8,
/// `2.5e-3` is 1/400.
pub fn decimal(text: &str) -> Result<Rational, String> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, "0"),
    };
    let exponent = decimal_exponent(text, exponent)?;
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.len() + frac.len() > MAX_DIGITS {
        return Err(format!(
            "number `{}` is too long: at most {MAX_DIGITS} digits",
            shorten(text)
        ));
    }
    let digits: Integer = format!("{int}{frac}")
        .parse()
        .map_err(|_| format!("malformed number `{}`", shorten(text)))?;
    // Both terms are bounded by the checks above, so the power stays small.
    let scale = exponent - frac.len() as i64;
    let power = Integer::from(Integer::u_pow_u(10, scale.unsigned_abs() as u32));
    Ok(if scale >= 0 {
        Rational::from(digits * power)
    } else {
        Rational::from((digits, power))
    })
}

fn decimal_exponent(text: &str, exponent: &str) -> Result<i64, String> {
    let (negative, digits) = match exponent.as_bytes().first() {
        Some(b'-') => (true, &exponent[1..]),
        Some(b'+') => (false, &exponent[1..]),
        _ => (false, exponent),
    };
    let out_of_range = || {
        format!(
            "number `{}` is out of range: its exponent must be between -{MAX_DECIMAL_EXPONENT} and {MAX_DECIMAL_EXPONENT}",
            shorten(text)
        )
    };
    let digits = digits.trim_start_matches('0');
    // Too many digits cannot be in range; this also keeps the parse below from overflowing.
    if digits.len() > 9 {
        return Err(out_of_range());
    }
    let magnitude: u32 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| out_of_range())?
    };
    if magnitude > MAX_DECIMAL_EXPONENT {
        return Err(out_of_range());
    }
    let magnitude = i64::from(magnitude);
    Ok(if negative { -magnitude } else { magnitude })
}

/// The exponent of `^`, from the source text of the grammar's `exponent` rule: an integer
/// literal, optionally negative, optionally in parentheses (`x^2`, `x^-2`, `x^(-2)`).
pub fn integer_exponent(text: &str) -> Result<i32, String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = compact
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(&compact);
    let digits = inner.strip_prefix('-').unwrap_or(inner);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "the exponent of `^` must be an integer literal (like 2, -1 or (-1)), not `{}`",
            shorten(text)
        ));
    }
    inner.parse().map_err(|_| {
        format!(
            "exponent `{}` is out of range: it must lie between {} and {}",
            shorten(text),
            i32::MIN,
            i32::MAX
        )
    })
}

/// A literal as quoted in a message: long ones are cut.
fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}...")
    }
}
