//! `dubao bench`: speed measured on a generated archive, never by timed assertions in
//! tests. Built only with `--features bench`, so the shipped reader carries none of it.

mod forms;
mod pages;
mod parse;
mod scale;
mod search;
mod start;

use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args, Clone)]
pub(super) struct BenchArgs {
    /// What to measure: parse, search, scale, start, forms, pages (see README).
    #[arg(default_value = "parse")]
    what: String,
    /// `forms`: the archive to score (made by `make_archives.py --big`); `pages`: the
    /// corpus folder (default `tests/pages`).
    #[arg(value_name = "DIR")]
    path: Option<PathBuf>,
    /// `parse` only: time reading the PDFs under DIR instead (default `tests/pages`),
    /// one file at a time on one core.
    #[arg(long)]
    pdf: bool,
    /// Articles in the generated archive.
    #[arg(long, default_value_t = 10_000)]
    articles: usize,
    /// Folder for the generated archive (default: a temporary folder).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Reuse the archive and index already generated in `--dir` (faster reruns).
    #[arg(long, requires = "dir")]
    reuse: bool,
    /// Library sizes for `start` (articles, one a file).
    #[arg(long, value_delimiter = ',', default_value = "10000,100000")]
    sizes: Vec<usize>,
    /// `start` only: measure the library already in `--dir` (run by `start` itself in
    /// a small process, so that the searches' peak memory is theirs alone: a child
    /// starts with its parent's peak).
    #[arg(long, hide = true, requires = "dir")]
    measure_only: bool,
}

pub(super) fn run(args: &BenchArgs) -> anyhow::Result<()> {
    match args.what.as_str() {
        "parse" if args.pdf => parse::run_pdf(args.path.as_deref()),
        "parse" => parse::run(args),
        "search" => search::run(args),
        "scale" => scale::run(args),
        "start" => start::run(args),
        "forms" => forms::run(
            args.path
                .as_deref()
                .ok_or_else(|| anyhow::anyhow!("bench forms needs the archive's folder"))?,
        ),
        "pages" => pages::run(args.path.as_deref()),
        other => {
            anyhow::bail!("unknown benchmark {other:?} (parse, search, scale, start, forms, pages)")
        }
    }
}
