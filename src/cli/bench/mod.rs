//! `dubao bench`: speed measured on a generated archive, never by timed assertions in
//! tests. Built only with `--features bench`, so the shipped reader carries none of it.

mod pages;
mod parse;
mod scale;
mod search;

use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args, Clone)]
pub(super) struct BenchArgs {
    /// What to measure: parse, search, scale, pages (see README).
    #[arg(default_value = "parse")]
    what: String,
    /// For `pages`: the corpus folder (default `tests/pages`).
    #[arg(value_name = "DIR")]
    path: Option<PathBuf>,
    /// Articles in the generated archive.
    #[arg(long, default_value_t = 10_000)]
    articles: usize,
    /// Folder for the generated archive (default: a temporary folder).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Reuse the archive and index already generated in `--dir` (faster reruns).
    #[arg(long, requires = "dir")]
    reuse: bool,
}

pub(super) fn run(args: &BenchArgs) -> anyhow::Result<()> {
    match args.what.as_str() {
        "parse" => parse::run(args),
        "search" => search::run(args),
        "scale" => scale::run(args),
        "pages" => pages::run(args.path.as_deref()),
        other => anyhow::bail!("unknown benchmark {other:?} (parse, search, scale, pages)"),
    }
}
