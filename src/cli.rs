//! The command line: `dubao [--library DIR] [--data-dir DIR] [COMMAND]`.
//! With no command the reader opens; the commands give the same engine to scripts.

use crate::archive::catalog::{self, Catalog};
use crate::archive::{self, source::LibrarySource};
use crate::config::{self, Config};
use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "dubao",
    version,
    about = "读报: read and search archives of Chinese newspaper issues"
)]
pub struct Cli {
    /// Library folder (else DUBAO_LIBRARY, else the config file, else the built-in samples).
    #[arg(long, global = true, value_name = "DIR")]
    pub library: Option<PathBuf>,
    /// Data folder for the index (else DUBAO_DATA_DIR, else the XDG data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub tui: TuiArgs,
}

#[derive(Debug, Args, Default, Clone)]
pub struct TuiArgs {
    /// Capture the mouse (off by default so text can be selected over SSH).
    #[arg(long)]
    pub mouse: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
    Index(IndexArgs),
    /// Search the library.
    Search(SearchArgs),
    /// Print the default configuration, with comments.
    Config,
    /// Measure speed on a generated archive.
    Bench(BenchArgs),
}

#[derive(Debug, Args, Clone)]
pub struct IndexArgs {
    /// Throw the index away and build it again.
    #[arg(long)]
    pub rebuild: bool,
}

#[derive(Debug, Args, Clone)]
pub struct SearchArgs {
    /// The query (as typed in the search box).
    #[arg(required_unless_present = "batch")]
    pub query: Option<String>,
    /// Answer every line of FILE as a query, in one process.
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub batch: Option<PathBuf>,
    /// Most results per query.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// JSON lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args, Clone)]
pub struct BenchArgs {
    /// What to measure: parse, search, scale (see `dubao bench scale --help`). scale.
    #[arg(default_value = "parse")]
    pub what: String,
    /// Articles in the generated archive.
    #[arg(long, default_value_t = 10_000)]
    pub articles: usize,
    /// Folder for the generated archive (default: a temporary folder).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Reuse the archive and index already generated in `--dir` (faster reruns).
    #[arg(long, requires = "dir")]
    pub reuse: bool,
}

/// What every command needs: where the library and the data are.
#[derive(Debug, Clone)]
pub struct Context {
    pub source: LibrarySource,
    pub data_dir: PathBuf,
    pub config: Config,
}

impl Context {
    /// The library's catalog (every file parsed, bodies dropped as it goes, so memory
    /// stays small however big the library), printing one line on stderr per file that
    /// can't be read.
    pub fn scan_library(&self) -> anyhow::Result<Catalog> {
        if let LibrarySource::Dir(dir) = &self.source {
            anyhow::ensure!(dir.is_dir(), "{}: library folder not found", dir.display());
        }
        let catalog = catalog::scan(&self.source);
        for w in &catalog.warnings {
            eprintln!("dubao: warning: {w}");
        }
        Ok(catalog)
    }
}

/// Entry point: run, print the error chain on one line, return the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`dubao list | head`) is not an error worth a message.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("dubao: {e:#}");
            ExitCode::FAILURE
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load()?;
    let ctx = Context {
        source: config::library_source(cli.library.as_deref(), &config),
        data_dir: config::data_dir(cli.data_dir.as_deref(), &config),
        config,
    };
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    match cli.command {
        None => crate::tui::run(&ctx, &cli.tui),
        Some(Command::List) => {
            let cat = ctx.scan_library()?;
            write_list(&mut out, &cat)?;
            out.flush().context("stdout")
        }
        Some(Command::Export { json }) => {
            anyhow::ensure!(json, "export needs a format: --json");
            // The catalog gives the order; then the pages are read again a batch at a
            // time, so only a batch of whole articles is ever in memory.
            let cat = ctx.scan_library()?;
            for batch in cat.issues.chunks(64) {
                for page in catalog::read_pages(&ctx.source, batch) {
                    match page {
                        Ok(issue) => {
                            for a in &issue.articles {
                                serde_json::to_writer(&mut out, &ExportArticle::from(a))?;
                                writeln!(out)?;
                            }
                        }
                        Err(e) => eprintln!("dubao: warning: {e}"),
                    }
                }
            }
            out.flush().context("stdout")
        }
        Some(Command::Show { id, width }) => {
            let page = find_article(&ctx, &id)?;
            let article = page
                .articles
                .iter()
                .find(|a| a.id == id)
                .with_context(|| format!("no article with id {id} (see `dubao list`)"))?;
            let tty = std::io::stdout().is_terminal();
            let measure = ctx.config.reader.measure;
            let width = width.unwrap_or_else(|| {
                tty.then(terminal_width)
                    .flatten()
                    .map_or(measure, |w| w.min(measure))
            });
            for row in crate::layout::layout_article(article, width, &[]) {
                writeln!(out, "{}", row.plain())?;
            }
            out.flush().context("stdout")
        }
        Some(Command::Index(args)) => crate::index::cli::index_command(&ctx, &args),
        Some(Command::Search(args)) => crate::index::cli::search_command(&ctx, &args),
        Some(Command::Config) => {
            write!(out, "{}", config::default_config_text())?;
            out.flush().context("stdout")
        }
        Some(Command::Bench(args)) => crate::bench::run(&ctx, &args),
    }
}

/// The page holding article `id`: found through the catalog saved with the index when
/// there is one (one file read), else by scanning the library.
fn find_article(ctx: &Context, id: &str) -> anyhow::Result<archive::Issue> {
    let look = |cat: &Catalog| -> Option<archive::Issue> {
        let n = cat.position(id)?;
        catalog::read_page(&ctx.source, cat.issue_of(n)?)
            .ok()
            .filter(|page| page.articles.iter().any(|a| a.id == id))
    };
    if let Some(page) = crate::index::saved_catalog(&ctx.source, &ctx.data_dir)
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

/// One line of `export --json`.
#[derive(serde::Serialize)]
pub struct ExportArticle<'a> {
    pub id: &'a str,
    pub file: &'a str,
    pub issue: &'a str,
    pub date: Option<String>,
    pub date_inferred: bool,
    pub title: &'a str,
    pub title_inferred: bool,
    pub subtitle: Option<&'a str>,
    pub kicker: Option<&'a str>,
    pub byline: Option<&'a str>,
    pub continued: Option<&'a str>,
    pub body: String,
}

impl<'a> From<&'a archive::Article> for ExportArticle<'a> {
    fn from(a: &'a archive::Article) -> Self {
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

/// `dubao list`: issues, then their articles, columns aligned by display width.
pub fn write_list(out: &mut impl Write, cat: &Catalog) -> anyhow::Result<()> {
    use crate::text::{pad_to, truncate_to};
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
