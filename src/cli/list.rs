//! `dubao list`: issues (newest first), their pages, their articles — as the reader's
//! list shows them, columns aligned by display width.

use super::{Context, plural};
use anyhow::Context as _;
use dubao::archive::Catalog;
use dubao::text::pad_to;
use std::io::Write;

/// Display width of the title column.
const TITLE: usize = 44;

pub(super) fn run(ctx: &Context) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    ctx.for_each_issue(|issue| write_list(&mut out, &issue))?;
    out.flush().context("stdout")
}

fn write_list(out: &mut impl Write, cat: &Catalog) -> anyhow::Result<()> {
    for issue in &cat.issues {
        let date = match issue.date {
            Some(d) if issue.date_inferred => format!("{d}~ {}", d.weekday()),
            Some(d) => format!("{d} {}", d.weekday()),
            None => "undated".to_string(),
        };
        let paper = cat.papers[issue.paper]
            .name
            .as_deref()
            .map(|p| format!("  {p}"))
            .unwrap_or_default();
        let pages = &cat.pages[issue.pages.clone()];
        let numbered = pages.iter().filter(|p| p.page.is_some()).count();
        let count = if numbered > 0 {
            format!(
                "{}, {}",
                plural(pages.len(), "page"),
                plural(issue.articles.len(), "article")
            )
        } else {
            plural(issue.articles.len(), "article")
        };
        writeln!(out, "{date}{paper}  ({count})")?;
        let headers = pages.len() > 1 || numbered > 0 || pages.iter().any(|p| p.name.is_some());
        for page in pages {
            let indent = if headers {
                writeln!(out, "  {}", page.label())?;
                "    "
            } else {
                "  "
            };
            for a in page.articles.clone().filter_map(|n| cat.article(n)) {
                // `~`: a title worked out from the lead (no headline was printed).
                let title = if a.title_inferred() {
                    format!("~{}", a.title())
                } else {
                    a.title().to_string()
                };
                // Whole titles (a script reads them); the bylines line up after the
                // titles that fit the column.
                let byline = a.byline().unwrap_or("-");
                writeln!(
                    out,
                    "{indent}{}  {:>6}  {}  {byline}",
                    a.id(),
                    a.chars(),
                    pad_to(&title, TITLE),
                )?;
            }
        }
    }
    Ok(())
}
