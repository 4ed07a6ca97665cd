//! `index.html`: the blocks as one self-contained page (inline CSS, no scripts, no network),
//! well-formed XML so that it can be checked by a parser; figures are SVG files beside it.

use super::document::Block;

const STYLE: &str = "
body { font-family: system-ui, sans-serif; max-width: 1180px; margin: 1.5em auto; padding: 0 1em;
       color: #1a1a1a; line-height: 1.45; }
h1 { margin-bottom: 0.3em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
nav { font-size: 0.92em; margin-bottom: 1em; }
nav a { margin-right: 0.8em; }
.banner { padding: 0.8em 1em; border-radius: 6px; margin: 1em 0; font-weight: 600; }
.banner.ok { background: #e6f4ea; border: 2px solid #34a853; }
.banner.fail { background: #fde7e7; border: 2px solid #d93025; }
.banner ul { font-weight: normal; margin: 0.4em 0 0 0; }
.scroll { overflow-x: auto; margin: 0.6em 0; }
table { border-collapse: collapse; font-size: 0.86em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
tr.bad td { background: #fde7e7; }
td.hash { font-family: ui-monospace, monospace; font-size: 0.85em; word-break: break-all;
          min-width: 9em; }
td.short { white-space: nowrap; }
summary { cursor: pointer; margin: 0.6em 0; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.92em; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; }
figure { margin: 1em 0; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #444; }
.notrun { background: #fff4e5; border-left: 4px solid #f29900; padding: 0.5em 0.8em; }
";

/// The whole page.
pub fn render(doc: &[Block]) -> String {
    let mut s =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    s.push_str("<title>stabcert verification report</title>\n");
    s.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    for (i, b) in doc.iter().enumerate() {
        s.push_str(&block(b));
        if i == 0 {
            s.push_str(&nav(doc));
        }
    }
    s.push_str("</body>\n</html>\n");
    s
}

/// Links to the level-2 sections.
fn nav(doc: &[Block]) -> String {
    let links: Vec<String> = doc
        .iter()
        .filter_map(|b| match b {
            Block::Heading(2, id, text) => {
                Some(format!("<a href=\"#{}\">{}</a>", esc(id), esc(text)))
            }
            _ => None,
        })
        .collect();
    format!("<nav>{}</nav>\n", links.join(" "))
}

/// Escapes text for element content and attribute values.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn block(b: &Block) -> String {
    match b {
        Block::Heading(level, id, text) => {
            format!("<h{level} id=\"{}\">{}</h{level}>\n", esc(id), esc(text))
        }
        Block::Para(text) if text.starts_with("NOT RUN") => {
            format!("<p class=\"notrun\">{}</p>\n", esc(text))
        }
        Block::Para(text) => format!("<p>{}</p>\n", esc(text)),
        Block::Markdown(md) => markdown(md),
        Block::Banner { ok, title, lines } => banner(*ok, title, lines),
        Block::Table { header, rows } if rows.is_empty() => {
            format!("<p>({}: none)</p>\n", esc(&header[0]))
        }
        Block::Table { header, rows } => table(header, rows),
        Block::Figure(path, caption) => format!(
            "<figure><img src=\"{}\" alt=\"{}\"/><figcaption>{}</figcaption></figure>\n",
            esc(path),
            esc(caption),
            esc(caption)
        ),
        Block::Code(text) => format!("<pre>{}</pre>\n", esc(text)),
        Block::Details(summary, inner) => format!(
            "<details><summary>{}</summary>\n{}</details>\n",
            esc(summary),
            block(inner)
        ),
    }
}

fn banner(ok: bool, title: &str, lines: &[String]) -> String {
    let class = if ok { "ok" } else { "fail" };
    let mut s = format!(
        "<div class=\"banner {class}\" id=\"verdict\">{}",
        esc(title)
    );
    if !lines.is_empty() {
        s.push_str("<ul>");
        for l in lines {
            s.push_str(&format!("<li>{}</li>", esc(l)));
        }
        s.push_str("</ul>");
    }
    s.push_str("</div>\n");
    s
}

fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut s = String::from("<div class=\"scroll\"><table>\n<tr>");
    for h in header {
        s.push_str(&format!("<th>{}</th>", esc(h)));
    }
    s.push_str("</tr>\n");
    for r in rows {
        let bad = r
            .iter()
            .any(|c| c.contains("UNMET") || c.starts_with("rejected") || c == "NOT OK");
        s.push_str(if bad { "<tr class=\"bad\">" } else { "<tr>" });
        for c in r {
            let hash = c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit());
            let class = match (hash, c.chars().count() < 14) {
                (true, _) => " class=\"hash\"",
                (false, true) => " class=\"short\"",
                _ => "",
            };
            s.push_str(&format!("<td{class}>{}</td>", esc(c)));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</table></div>\n");
    s
}

/// Markdown to XHTML-compatible HTML (pulldown-cmark closes void elements), tables on, and
/// headings moved two levels down so that an embedded document sits under the report's own.
fn markdown(md: &str) -> String {
    use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
    let lower = |l: HeadingLevel| match l {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    };
    let parser = Parser::new_ext(md, Options::ENABLE_TABLES).map(|e| match e {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        e => e,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, parser);
    out
}
