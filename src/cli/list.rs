//! `dubao list`: issues, then their articles, columns aligned by display width.

use super::Context;
use anyhow::Context as _;
use dubao::archive::Catalog;
use dubao::text::{pad_to, truncate_to};
use std::io::Write;

pub(super) fn run(ctx: &Context) -> anyhow::Result<()> {
    let cat = ctx.scan_library()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write_list(&mut out, &cat)?;
    out.flush().context("stdout")
}

fn write_list(out: &mut impl Write, cat: &Catalog) -> anyhow::Result<()> {
    for issue in &cat.issues {
        let date = match issue.date {
            Some(d) if issue.date_inferred => format!("{d}~"),
            Some(d) => format!("{d} "),
            None => "undated    ".to_string(),
        };
        writeln!(out, "{date} {}  ({} articles)", issue.name, issue.count)?;
        for a in &cat.articles[issue.first..issue.first + issue.count] {
            let title = if a.title_inferred {
                format!("{}…", a.title)
            } else {
                a.title.clone()
            };
            writeln!(
                out,
                "  {}  {}  {}  {:>6}",
                a.id,
                pad_to(&truncate_to(&title, 44), 44),
                pad_to(&truncate_to(a.byline.as_deref().unwrap_or("-"), 20), 20),
                a.chars
            )?;
        }
    }
    Ok(())
}
