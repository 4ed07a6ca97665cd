//! `report.md`: the blocks as GitHub-flavoured Markdown, figures as image links.

use super::document::Block;

/// The whole Markdown report, ending with a newline.
pub fn render(doc: &[Block]) -> String {
    let parts: Vec<String> = doc.iter().map(block).collect();
    parts.join("\n")
}

fn block(b: &Block) -> String {
    match b {
        Block::Heading(level, _, text) => format!("{} {text}\n", "#".repeat(*level as usize)),
        Block::Para(text) => format!("{text}\n"),
        Block::Markdown(md) => format!("{}\n", md.trim_end()),
        Block::Banner { ok, title, lines } => {
            let mark = if *ok { "**OK**" } else { "**FAILED**" };
            let title = title.strip_prefix("FAILED: ").unwrap_or(title);
            let mut s = format!("> {mark}: {title}\n");
            for l in lines {
                s.push_str(&format!(">\n> - {l}\n"));
            }
            s
        }
        Block::Table { header, rows } if rows.is_empty() => format!("({}: none)\n", header[0]),
        Block::Table { header, rows } => {
            let mut s = row(header);
            s.push_str(&row(&vec!["---".to_string(); header.len()]));
            rows.iter().for_each(|r| s.push_str(&row(r)));
            s
        }
        Block::Figure(path, caption) => {
            let caption = literal(caption);
            format!("![{caption}]({path})\n\n*{caption}*\n")
        }
        Block::Code(text) => format!("```text\n{}\n```\n", text.trim_end()),
        Block::Details(summary, inner) => {
            format!(
                "<details><summary>{summary}</summary>\n\n{}\n</details>\n",
                block(inner)
            )
        }
    }
}

/// Text with its `*` escaped, so that `g*u*(1 - u)` is not read as emphasis.
fn literal(text: &str) -> String {
    text.replace('*', "\\*")
}

/// `| a | b |`, with `|` and `*` in cells escaped and line breaks flattened.
fn row(cells: &[String]) -> String {
    let cells: Vec<String> = cells
        .iter()
        .map(|c| literal(c).replace('|', "\\|").replace('\n', " "))
        .collect();
    format!("| {} |\n", cells.join(" | "))
}
