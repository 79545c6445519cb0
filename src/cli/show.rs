//! `dubao show ID`: one article, laid out exactly as the reader lays it out (whole,
//! when it goes on on another page).

use super::Context;
use anyhow::Context as _;
use dubao::archive::catalog::{Catalog, Joined};
use dubao::archive::{Article, catalog};
use std::io::{IsTerminal, Write};

pub(super) fn run(ctx: &Context, id: &str, width: Option<usize>) -> anyhow::Result<()> {
    let (head, rest, missing, also) = find_article(ctx, id)?;
    let measure = ctx.config.reader.measure;
    let width = width.unwrap_or_else(|| {
        let tty = std::io::stdout().is_terminal();
        tty.then(terminal_width)
            .flatten()
            .map_or(measure, |w| w.min(measure))
    });
    let (article, join) = dubao::layout::whole_article(&head, rest.as_ref(), missing.as_deref());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for row in dubao::layout::layout_joined(&article, join.as_ref(), &also, width, &[]) {
        writeln!(out, "{}", row.plain())?;
    }
    out.flush().context("stdout")
}

/// Article `id` (or the article it is shown with: a copy of it, or the one it is the
/// rest of), its rest from another page, the page that is missing, and the other pages
/// printing it — found through the catalog saved with the index when there is one (a
/// file or two read), else by scanning the library.
type Found = (Article, Option<Article>, Option<String>, Vec<String>);

fn find_article(ctx: &Context, id: &str) -> anyhow::Result<Found> {
    let look = |cat: &Catalog| -> Option<Found> {
        let n = cat.position(id)?;
        let head = cat.article(n)?;
        let read = |file: &dubao::archive::catalog::FileHead, id: &str| -> Option<Article> {
            catalog::read_page(&ctx.source, file)
                .ok()?
                .articles
                .into_iter()
                .find(|a| a.id == id)
        };
        let article = read(&cat.file_of(n)?, head.id())?;
        let (rest, missing) = match head.joined() {
            Some(Joined::Rest { file, id }) => (read(&cat.file(file)?, &id), None),
            Some(Joined::Missing { page }) => (None, Some(page)),
            None => (None, None),
        };
        Some((article, rest, missing, head.also_on()))
    };
    if let Some(found) = dubao::index::saved_catalog(&ctx.source, &ctx.data_dir)
        .as_ref()
        .and_then(look)
    {
        return Ok(found);
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
