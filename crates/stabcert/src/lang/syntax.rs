//! The pest parser of one item, and its errors in words.

use super::SrcError;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "lang/grammar.pest"]
struct ClaimParser;

/// Parses `src[start..end]`, one segment found by the pre-pass, into the item it holds
/// (`None` for a segment of comments and blank space). Error offsets are into `src`.
pub fn parse_segment(
    src: &str,
    start: usize,
    end: usize,
) -> Result<Option<Pair<'_, Rule>>, SrcError> {
    let text = &src[start..end];
    let mut pairs = ClaimParser::parse(Rule::segment, text).map_err(|e| convert(src, start, &e))?;
    let segment = pairs.next();
    Ok(segment.and_then(|s| s.into_inner().find(|p| p.as_rule() != Rule::EOI)))
}

/// A pest error as "expected X or Y, found Z", at its position in the whole file.
fn convert(src: &str, base: usize, err: &pest::error::Error<Rule>) -> SrcError {
    let mut at = base
        + match err.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
    // "found end of file" is clearer right after the last token than on a blank last line.
    if src[at..].trim().is_empty() {
        at = src.trim_end().len();
    }
    let message = match &err.variant {
        ErrorVariant::ParsingError {
            positives,
            negatives,
        } => parsing_message(src, at, positives, negatives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    SrcError::new(at, message)
}

fn parsing_message(src: &str, at: usize, positives: &[Rule], negatives: &[Rule]) -> String {
    let found = found(src, at);
    if let Some(special) = special_case(src, at, positives, &found) {
        return special;
    }
    let expected = words(positives);
    if expected.is_empty() {
        let unexpected = words(negatives);
        if unexpected.is_empty() {
            return format!("unexpected {found}");
        }
        return format!("unexpected {}, found {found}", one_of(&unexpected));
    }
    format!("expected {}, found {found}", one_of(&expected))
}

/// The rules in words, without repeats, in the order pest tried them.
fn words(rules: &[Rule]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for &word in rules.iter().flat_map(|&r| describe(r)) {
        if !out.contains(&word) {
            out.push(word);
        }
    }
    // "an expression" already covers a name and a parenthesis; after a name, "`(`" (of a
    // call) next to "an operator" only distracts.
    if out.contains(&AN_EXPRESSION) {
        out.retain(|w| ![A_NAME, "`(`"].contains(w));
    }
    if out.contains(&AN_OPERATOR) {
        out.retain(|w| *w != "`(`");
    }
    // "the end of the item" is only noise next to anything more specific.
    if out.len() > 1 {
        out.retain(|w| *w != END_OF_ITEM);
    }
    out
}

const END_OF_ITEM: &str = "the end of the item";
const END_OF_LINE: &str = "end of line";
const END_OF_FILE: &str = "end of file";
const A_NAME: &str = "a name";
const AN_EXPRESSION: &str = "an expression";
const AN_OPERATOR: &str = "an operator";

/// Messages better than "expected ...": a keyword where a name belongs, an unterminated
/// description.
fn special_case(src: &str, at: usize, positives: &[Rule], found: &str) -> Option<String> {
    let word = word_at(src, at);
    if positives.contains(&Rule::name) && KEYWORDS.contains(&word) {
        return Some(format!(
            "`{word}` is a keyword and cannot be used as a name"
        ));
    }
    let in_description = positives.contains(&Rule::quote) || positives.contains(&Rule::description);
    if in_description && (found == END_OF_LINE || found == END_OF_FILE) {
        return Some("unterminated description: the closing `\"` must be on the same line".into());
    }
    None
}

pub const KEYWORDS: [&str; 10] = [
    "let", "def", "claim", "system", "forall", "where", "in", "expect", "proved", "refuted",
];

/// What the error position holds, for "found ...".
fn found(src: &str, at: usize) -> String {
    if src[at..].trim().is_empty() {
        return END_OF_FILE.to_string();
    }
    let word = word_at(src, at);
    if !word.is_empty() {
        return format!("`{}`", truncate(word, 30));
    }
    match src[at..].chars().next() {
        None => END_OF_FILE.to_string(),
        Some('\n') | Some('\r') => END_OF_LINE.to_string(),
        // Invisible characters (a no-break space, a control character) by their code.
        Some(c) if c.is_control() || c.is_whitespace() || c == '\u{FEFF}' => {
            format!("character U+{:04X}", u32::from(c))
        }
        Some(c) => format!("`{c}`"),
    }
}

/// The name, keyword or number starting at `at`, or "".
fn word_at(src: &str, at: usize) -> &str {
    let rest = &src[at..];
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    &rest[..len]
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(max).collect::<String>())
    }
}

/// "a", "a or b", "a, b or c".
fn one_of(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Rule names in words; nothing for rules that should not appear in a message.
fn describe(rule: Rule) -> &'static [&'static str] {
    use Rule::*;
    match rule {
        EOI => &[END_OF_ITEM],
        // Only reported before the first item, when nothing in `segment` matched.
        segment => &["`let`", "`def`", "`claim`", "`system`"],
        let_item | kw_let => &["`let`"],
        def_item | kw_def => &["`def`"],
        claim_item | kw_claim => &["`claim`"],
        system_item | kw_system => &["`system`"],
        kw_params => &["`params`"],
        kw_noise => &["`noise`"],
        kw_state => &["`state`"],
        kw_next => &["`next`"],
        kw_regions => &["`regions`"],
        region => &["a region like `I0 = (0, 1/2]`"],
        escape_clause | kw_escape => &["`escape`"],
        grow_rule | kw_grow => &["`grow`"],
        expand_rule | kw_expand => &["`expand`"],
        kw_from => &["`from`"],
        steps => &["a number of steps"],
        target_clause | kw_target => &["`target`"],
        exceptional_clause | kw_exceptional => &["`exceptional`"],
        kw_forall => &["`forall`"],
        kw_where | hyps => &["`where`"],
        kw_in => &["`in`"],
        kw_expect | expectation => &["`expect`"],
        kw_proved | kw_refuted | kw_vacuous | verdict => &["`proved`", "`refuted`", "`vacuous`"],
        name | params => &[A_NAME],
        description | quote => &["a description in quotes"],
        binding => &["a binding like `x in (0, 1)`"],
        lbound => &["`(`", "`[`"],
        rbound => &["`)`", "`]`"],
        cond | goals => &["a condition"],
        // A condition starts with an expression (or `not`, `(`): said as before connectives.
        bcond | bterm | bfactor => &[AN_EXPRESSION],
        kw_and | kw_or | kw_not => &[],
        relop => &["a comparison (`<`, `<=`, `>`, `>=`)"],
        expr | args | neg | number | call | paren => &[AN_EXPRESSION],
        exponent => &["an integer exponent"],
        add | sub | mul | div | power | caret => &[AN_OPERATOR],
        lparen => &["`(`"],
        rparen => &["`)`"],
        comma => &["`,`"],
        colon => &["`:`"],
        equals => &["`=`"],
        arrow => &["`=>`"],
        item | sys_clause | operand | infix | primary | desc_text | keyword | WHITESPACE
        | COMMENT | name_char => &[],
    }
}
