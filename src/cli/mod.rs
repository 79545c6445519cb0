//! The command line: `dubao [--library DIR] [--data-dir DIR] [COMMAND]`. With no command
//! the reader opens; the commands give the same engine to scripts. This is the binary's
//! side: the library (`dubao::…`) knows nothing of clap.

#[cfg(feature = "bench")]
mod bench;
mod export;
mod list;
mod search;
mod show;

use anyhow::Context as _;
use clap::{Args, CommandFactory, Parser, Subcommand};
use dubao::archive::{Catalog, LibrarySource};
use dubao::config::{self, Config};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "dubao",
    version,
    about = "读报: read and search archives of Chinese newspaper issues"
)]
struct Cli {
    /// Library folder (else DUBAO_LIBRARY, else the config file, else the built-in samples).
    #[arg(long, global = true, value_name = "DIR")]
    library: Option<PathBuf>,
    /// Data folder for the index (else DUBAO_DATA_DIR, else the XDG data folder).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Capture the mouse in the reader (off by default so text can be selected over SSH).
    #[arg(long)]
    mouse: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the issues and their articles.
    List,
    /// Export every article.
    Export {
        /// One JSON object per line per article.
        #[arg(long)]
        json: bool,
    },
    /// Show one article laid out as the reader lays it out.
    Show {
        /// Article id (as `dubao list` prints it).
        id: String,
        /// Width in columns (default: the config's reader.measure, or the terminal's
        /// width when that is narrower).
        #[arg(long)]
        width: Option<usize>,
    },
    /// Build or update the search index.
    Index {
        /// Throw the index away and build it again.
        #[arg(long)]
        rebuild: bool,
        /// Then merge the index into one segment: searches are about a fifth faster on
        /// a large library built in four segments or more (for the index a server's
        /// readers share); the merge adds a fifth to a third to the time of a fresh build.
        #[arg(long)]
        merge: bool,
    },
    /// Search the library.
    #[command(after_help = search::QUERY_HELP)]
    Search(SearchArgs),
    /// Print the default configuration, with comments.
    Config,
    /// Print shell completions: `dubao completions bash > /etc/bash_completion.d/dubao`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `dubao man > dubao.1; man ./dubao.1`.
    Man,
    /// Measure speed on a generated archive (built with `--features bench`).
    #[cfg(feature = "bench")]
    Bench(bench::BenchArgs),
}

#[derive(Debug, Args, Clone)]
struct SearchArgs {
    /// The query (as typed in the search box).
    #[arg(required_unless_present = "batch")]
    query: Option<String>,
    /// Answer every line of FILE as a query, in one process.
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    batch: Option<PathBuf>,
    /// Most results per query.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// The order of results: `relevance` (best matches first) or `newest` (newest issue
    /// first, the best matches first within a day; undated articles last).
    #[arg(long, value_enum, default_value_t = Sort::Relevance)]
    sort: Sort,
    /// Print only how many articles match (one number per query).
    #[arg(long, conflicts_with = "json")]
    count: bool,
    /// JSON lines.
    #[arg(long)]
    json: bool,
}

/// `--sort`'s values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Sort {
    Relevance,
    Newest,
}

impl From<Sort> for dubao::index::Order {
    fn from(s: Sort) -> dubao::index::Order {
        match s {
            Sort::Relevance => dubao::index::Order::Relevance,
            Sort::Newest => dubao::index::Order::Newest,
        }
    }
}

/// What every command needs: where the library and the data are.
#[derive(Debug, Clone)]
struct Context {
    source: LibrarySource,
    data_dir: PathBuf,
    config: Config,
}

impl Context {
    /// One line when the library folder does not exist, before any work.
    fn check_library(&self) -> anyhow::Result<()> {
        if let LibrarySource::Dir(dir) = &self.source {
            anyhow::ensure!(dir.is_dir(), "{}: library folder not found", dir.display());
        }
        Ok(())
    }

    /// The library's issues in list order: the whole catalog the index laid out, mapped;
    /// else a one-issue catalog at a time from the catalog saved with the index when
    /// there is a sound one (a `stat` per folder of the library, saying how many files
    /// changed since), so that the first comes at once and the whole is never in
    /// memory; else from [`scan_library`](Self::scan_library).
    fn for_each_issue(
        &self,
        mut each: impl FnMut(Catalog) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        self.check_library()?;
        // Laid out by the index: the whole list at once, mapped (nothing to decode).
        if let Some((cat, changed)) = dubao::index::trusted_catalog(&self.source, &self.data_dir) {
            for w in &cat.warnings {
                eprintln!("dubao: warning: {w}");
            }
            if let Some(n) = dubao::index::changed_notice(changed) {
                eprintln!("dubao: {n}");
            }
            return each(cat);
        }
        let Some((issues, changed)) = dubao::index::trusted_issues(&self.source, &self.data_dir)
        else {
            return each(self.scan_library()?);
        };
        for w in &issues.warnings {
            eprintln!("dubao: warning: {w}");
        }
        if let Some(n) = dubao::index::changed_notice(changed) {
            eprintln!("dubao: {n}");
        }
        for issue in issues {
            each(issue.context("reading the catalog saved with the index")?)?;
        }
        Ok(())
    }

    /// The library's catalog (every file parsed, bodies dropped as it goes, so memory
    /// stays small however big the library), printing one line on stderr per file that
    /// can't be read.
    fn scan_library(&self) -> anyhow::Result<Catalog> {
        self.check_library()?;
        let catalog = dubao::archive::catalog::scan(&self.source);
        for w in &catalog.warnings {
            eprintln!("dubao: warning: {w}");
        }
        Ok(catalog)
    }
}

/// Entry point: run, print the error chain on one line, return the exit code.
pub(crate) fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`dubao list | head`) is not an error worth a message.
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            // A query that can't be searched is a usage error, as clap's are.
            if let Some(bad) = e.downcast_ref::<search::BadQuery>() {
                for p in &bad.0 {
                    eprintln!("dubao: {p}");
                }
                return ExitCode::from(2);
            }
            eprintln!("dubao: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Whether the error is stdout's reader gone (directly or through serde_json's writer).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load()?;
    let ctx = Context {
        source: config::library_source(cli.library.as_deref(), &config),
        data_dir: config::data_dir(cli.data_dir.as_deref(), &config),
        config,
    };
    match cli.command {
        None => {
            ctx.check_library()?;
            dubao::tui::run(dubao::tui::Options {
                source: ctx.source,
                data_dir: ctx.data_dir,
                config: ctx.config,
                mouse: cli.mouse,
            })
        }
        Some(Command::List) => list::run(&ctx),
        Some(Command::Export { json }) => export::run(&ctx, json),
        Some(Command::Show { id, width }) => show::run(&ctx, &id, width),
        Some(Command::Index { rebuild, merge }) => search::index(&ctx, rebuild, merge),
        Some(Command::Search(args)) => search::search(&ctx, &args),
        Some(Command::Completions { shell }) => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "dubao", &mut out);
            out.flush().context("stdout")
        }
        Some(Command::Man) => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            out.flush().context("stdout")
        }
        Some(Command::Config) => {
            let mut out = std::io::stdout().lock();
            write!(out, "{}", config::default_config_text())?;
            out.flush().context("stdout")
        }
        #[cfg(feature = "bench")]
        Some(Command::Bench(args)) => bench::run(&args),
    }
}

/// `1 page`, `3 pages`.
pub(crate) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("{n} {what}")
    } else {
        format!("{n} {what}s")
    }
}
