//! `dubao export --json`: one JSON object per article, in list order.

use super::Context;
use anyhow::Context as _;
use dubao::archive::{Article, catalog};
use std::io::Write;

/// One line of `export --json`.
#[derive(serde::Serialize)]
struct ExportArticle<'a> {
    id: &'a str,
    file: &'a str,
    issue: &'a str,
    date: Option<String>,
    date_inferred: bool,
    title: &'a str,
    title_inferred: bool,
    subtitle: Option<&'a str>,
    kicker: Option<&'a str>,
    byline: Option<&'a str>,
    continued: Option<&'a str>,
    body: String,
}

impl<'a> From<&'a Article> for ExportArticle<'a> {
    fn from(a: &'a Article) -> Self {
        ExportArticle {
            id: &a.id,
            file: &a.file,
            issue: &a.issue,
            date: a.date.map(|d| d.to_string()),
            date_inferred: a.date_inferred,
            title: &a.title,
            title_inferred: a.title_inferred,
            subtitle: a.subtitle.as_deref(),
            kicker: a.kicker.as_deref(),
            byline: a.byline.as_deref(),
            continued: a.continued.as_deref(),
            body: a.body(),
        }
    }
}

pub(super) fn run(ctx: &Context, json: bool) -> anyhow::Result<()> {
    anyhow::ensure!(json, "export needs a format: --json");
    // The catalog gives the order; then the pages are read again a batch at a time, so
    // only a batch of whole articles is ever in memory.
    let cat = ctx.scan_library()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for batch in cat.issues.chunks(64) {
        for page in catalog::read_pages(&ctx.source, batch) {
            match page {
                Ok(issue) => {
                    for a in &issue.articles {
                        serde_json::to_writer(&mut out, &ExportArticle::from(a))?;
                        writeln!(out)?;
                    }
                }
                Err(w) => eprintln!("dubao: warning: {w}"),
            }
        }
    }
    out.flush().context("stdout")
}
