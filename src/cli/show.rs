//! `dubao show ID`: one article, laid out exactly as the reader lays it out.

use super::Context;
use anyhow::Context as _;
use dubao::archive::{Catalog, Issue, catalog};
use std::io::{IsTerminal, Write};

pub(super) fn run(ctx: &Context, id: &str, width: Option<usize>) -> anyhow::Result<()> {
    let page = find_article(ctx, id)?;
    let article = page
        .articles
        .iter()
        .find(|a| a.id == id)
        .with_context(|| format!("no article with id {id} (see `dubao list`)"))?;
    let measure = ctx.config.reader.measure;
    let width = width.unwrap_or_else(|| {
        let tty = std::io::stdout().is_terminal();
        tty.then(terminal_width)
            .flatten()
            .map_or(measure, |w| w.min(measure))
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for row in dubao::layout::layout_article(article, width, &[]) {
        writeln!(out, "{}", row.plain())?;
    }
    out.flush().context("stdout")
}

/// The page holding article `id`: found through the catalog saved with the index when
/// there is one (one file read), else by scanning the library.
fn find_article(ctx: &Context, id: &str) -> anyhow::Result<Issue> {
    let look = |cat: &Catalog| -> Option<Issue> {
        let n = cat.position(id)?;
        catalog::read_page(&ctx.source, cat.issue_of(n)?)
            .ok()
            .filter(|page| page.articles.iter().any(|a| a.id == id))
    };
    if let Some(page) = dubao::index::saved_catalog(&ctx.source, &ctx.data_dir)
        .as_ref()
        .and_then(look)
    {
        return Ok(page);
    }
    let cat = ctx.scan_library()?;
    look(&cat).with_context(|| format!("no article with id {id} (see `dubao list`)"))
}

fn terminal_width() -> Option<usize> {
    crossterm::terminal::size()
        .ok()
        .map(|(w, _)| w as usize)
        .filter(|w| *w > 0)
}
