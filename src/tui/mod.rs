//! The terminal side: setup and restore (on quit, panic, SIGTERM, SIGHUP), the event
//! loop, and the threads that feed it (terminal input, the search worker, signals).
//!
//! Everything arrives on one channel and the loop blocks on it: no tick, no polling.
//! After a burst of events the screen is drawn once.

mod backend;
pub mod sgr;
mod shadow;

pub use backend::{CountingWriter, WideAwareBackend};

use crate::app::{Action, App, Effect, IndexStatus, handle_key, handle_paste, state_file};
use crate::archive::catalog::{self, Catalog, FileHead};
use crate::archive::{ParsedFile, source::LibrarySource};
use crate::config::Config;
use crate::index::{Hit, Order, Progress, SearchError, SearchIndex, Watch};
use crate::ui::theme::Theme;
use base64::Engine as _;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use sgr::Palette;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Most results asked of the index per query.
const RESULTS: usize = 50;

/// What the event loop waits for.
pub(crate) enum AppEvent {
    Term(Event),
    Index(IndexStatus),
    Results {
        generation: u64,
        result: Result<Vec<Hit>, SearchError>,
    },
    /// How many articles the query of that generation matches in all.
    Count {
        generation: u64,
        count: usize,
    },
    Signal(i32),
    /// Something to know about the search index (kept in memory, opened as it was…).
    Notice(String),
    /// The library's catalog: first the one saved with the index (or a quick scan),
    /// then the checked one if the files changed since.
    Catalog(Box<Catalog>),
    /// A page read for the reader.
    Page {
        file: String,
        result: Result<ParsedFile, crate::archive::ReadError>,
    },
}

/// Appends warnings to `dubao.log` in the state folder: the screen belongs to the
/// reader while it runs, so nothing goes to stdout or stderr.
#[derive(Clone)]
pub(crate) struct Log {
    path: PathBuf,
}

impl Log {
    pub(crate) fn new(dir: &Path) -> Log {
        Log {
            path: dir.join("dubao.log"),
        }
    }

    pub(crate) fn line(&self, msg: &str) {
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
        {
            let _ = writeln!(f, "{secs} {msg}");
        }
    }
}

/// Put the terminal back as we found it. Safe to call twice and when the terminal is
/// gone (errors are ignored: there is nobody to tell).
pub(crate) fn restore_terminal() {
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

fn setup_terminal(mouse: bool) -> std::io::Result<()> {
    enable_raw_mode()?;
    let mut out = std::io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// The OSC 52 sequence that asks the terminal to put `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{b64}\x07")
}

/// What the reader is started with.
pub struct Options {
    pub source: LibrarySource,
    /// Where the index is (see [`crate::config::data_dir`]).
    pub data_dir: PathBuf,
    pub config: Config,
    /// Capture the mouse (off by default, so text can be selected over SSH).
    pub mouse: bool,
}

/// The reader. Returns when the user quits; exits the process after a SIGTERM/SIGHUP.
pub fn run(ctx: Options) -> anyhow::Result<()> {
    anyhow::ensure!(
        std::io::stdout().is_terminal() && std::io::stdin().is_terminal(),
        "the reader needs a terminal (for scripts: dubao list, show, search)"
    );
    let state_dir = crate::config::state_dir(&ctx.data_dir);
    let log = Log::new(&state_dir);
    let (state, warning) = state_file::load(&state_dir);
    if let Some(w) = &warning {
        log.line(&format!("warning: {w}"));
    }
    // NO_COLOR, or a terminal without colour (vt100): the theme of attributes only.
    let no_color = Palette::from_env() == Palette::Monochrome;
    // The library arrives from the worker: the first frame does not wait for it.
    let theme = Theme::with_colors(&ctx.config.colors, no_color);
    let mut app = App::loading(state, ctx.config.reader.measure);
    app.keymap = ctx.config.keys.clone();
    if warning.is_some() {
        app.message = Some(format!(
            "state file was unreadable: see {}",
            log.path.display()
        ));
    }

    let (tx, rx) = mpsc::channel::<AppEvent>();
    let queries = spawn_search_worker(ctx.source.clone(), ctx.data_dir.clone(), tx.clone());
    let pages = spawn_page_reader(ctx.source.clone(), tx.clone());
    spawn_signal_thread(tx.clone(), &log);

    // Our hook first restores the terminal, then the default hook prints the panic
    // on the normal screen.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // The PDF parser's panics on malformed files are caught and reported as the
        // file's reason; the UI goes on.
        if crate::archive::in_pdf_parser() {
            return;
        }
        restore_terminal();
        previous(info);
    }));
    setup_terminal(ctx.mouse)?;
    spawn_input_thread(tx);

    let trace = std::env::var_os("DUBAO_TRACE_BYTES").is_some();
    let (writer, bytes) = CountingWriter::new(std::io::stdout());
    let started = Instant::now();
    let mut listed = false;
    let mut whole = false;
    let mut searchable = false;
    let threads = Threads {
        queries: &queries,
        pages: &pages,
        log: &log,
    };
    let result = event_loop(&mut app, &theme, writer, &rx, &threads, |app, what| {
        if trace {
            log.line(&format!(
                "bytes {}: {}",
                what_drawn(what),
                bytes.swap(0, Ordering::Relaxed)
            ));
            if !listed && app.catalog_ready {
                listed = true;
                log.line(&format!(
                    "time to list: {} ms",
                    started.elapsed().as_millis()
                ));
                log.line(&format!("private memory at list: {} kB", private_kb()));
            }
            if !whole && app.catalog_ready && !app.catalog.partial {
                whole = true;
                log.line(&format!(
                    "time to whole list: {} ms",
                    started.elapsed().as_millis()
                ));
            }
            if !searchable && app.search.index == IndexStatus::Ready {
                searchable = true;
                log.line(&format!(
                    "time to search: {} ms",
                    started.elapsed().as_millis()
                ));
                log.line(&format!("private memory at search: {} kB", private_kb()));
            }
        }
    });
    app.finish();
    if let Err(e) = state_file::save(&state_dir, &app.state) {
        log.line(&format!("warning: reading state not saved: {e:#}"));
    }
    restore_terminal();
    match result {
        Ok(Some(signal)) => std::process::exit(128 + signal),
        Ok(None) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Where the event loop sends work, and its log.
struct Threads<'a> {
    queries: &'a Queries,
    pages: &'a mpsc::Sender<FileHead>,
    log: &'a Log,
}

/// Wait for events, apply them, draw after each burst. `Some(signal)` when a signal
/// ended it.
fn event_loop<W: Write>(
    app: &mut App,
    theme: &Theme,
    writer: W,
    rx: &mpsc::Receiver<AppEvent>,
    threads: &Threads,
    mut after_draw: impl FnMut(&App, &[&str]),
) -> anyhow::Result<Option<i32>> {
    let queries = threads.queries;
    let mut terminal = Terminal::new(WideAwareBackend::new(writer))?;
    let size = terminal.size()?;
    app.resize(size.width, size.height);
    terminal.draw(|f| crate::ui::draw(f, app, theme))?;
    after_draw(app, &["first frame"]);
    let mut logged_warnings = String::new();
    loop {
        let Ok(first) = rx.recv() else {
            return Ok(None);
        };
        let mut dirty = false;
        // Every kind of event drawn in this frame (`catalog+index`), for the byte trace.
        let mut what: Vec<&'static str> = Vec::new();
        let mut next = Some(first);
        // Apply everything already waiting, then draw once.
        while let Some(event) = next {
            match event {
                AppEvent::Signal(sig) => return Ok(Some(sig)),
                AppEvent::Term(Event::Key(key)) => {
                    note(&mut what, "key");
                    dirty = true;
                    match handle_key(app, key) {
                        Some(Effect::Quit) => return Ok(None),
                        Some(effect) => apply(effect, &mut terminal, queries)?,
                        None => {}
                    }
                }
                AppEvent::Term(Event::Paste(text)) => {
                    note(&mut what, "paste");
                    dirty = true;
                    if let Some(effect) = handle_paste(app, &text) {
                        apply(effect, &mut terminal, queries)?;
                    }
                }
                AppEvent::Term(Event::Resize(..)) => {
                    note(&mut what, "resize");
                    dirty = true;
                    let size = terminal.size()?;
                    app.resize(size.width, size.height);
                }
                AppEvent::Term(Event::Mouse(m)) => {
                    dirty = true;
                    let action = match m.kind {
                        MouseEventKind::ScrollDown => Some(Action::Down),
                        MouseEventKind::ScrollUp => Some(Action::Up),
                        _ => None,
                    };
                    if let Some(action) = action
                        && app.overlay.is_none()
                    {
                        app.message = None;
                        crate::app::perform(app, action);
                    }
                }
                AppEvent::Term(_) => {}
                AppEvent::Index(status) => {
                    note(&mut what, "index");
                    dirty |= app.search.index != status;
                    app.index_progress(status);
                }
                AppEvent::Notice(text) => {
                    note(&mut what, "notice");
                    dirty = true;
                    threads.log.line(&format!("notice: {text}"));
                    app.message = Some(text);
                }
                AppEvent::Results { generation, result } => {
                    note(&mut what, "results");
                    dirty |= generation == app.search.generation;
                    app.search_results(generation, result);
                }
                AppEvent::Count { generation, count } => {
                    dirty |= generation == app.search.generation;
                    app.search_count(generation, count);
                }
                AppEvent::Catalog(catalog) => {
                    note(&mut what, "catalog");
                    dirty = true;
                    note_warnings(app, &catalog, threads.log, &mut logged_warnings);
                    app.set_catalog(*catalog);
                }
                AppEvent::Page { file, result } => {
                    note(&mut what, "page");
                    dirty = true;
                    app.page_loaded(&file, result);
                }
            }
            next = rx.try_recv().ok();
        }
        if let Some(file) = app.wanted_page() {
            let _ = threads.pages.send(file);
        }
        if dirty {
            terminal.draw(|f| crate::ui::draw(f, app, theme))?;
            after_draw(app, &what);
        }
    }
}

fn apply<W: Write>(
    effect: Effect,
    terminal: &mut Terminal<WideAwareBackend<W>>,
    queries: &Queries,
) -> anyhow::Result<()> {
    match effect {
        Effect::Quit => {}
        Effect::Query {
            generation,
            text,
            order,
        } => queries.send(Query {
            generation,
            text,
            order,
        }),
        Effect::Copy(text) => {
            terminal.backend_mut().write_raw(osc52(&text).as_bytes())?;
        }
    }
    Ok(())
}

/// Files the library could not read go to the log (once for each set of them), and a
/// line in the status bar says where.
fn note_warnings(app: &mut App, catalog: &Catalog, log: &Log, logged: &mut String) {
    let text: String = catalog
        .warnings
        .iter()
        .map(|w| format!("warning: {w}\n"))
        .collect();
    if text.is_empty() || text == *logged {
        return;
    }
    for line in text.lines() {
        log.line(line);
    }
    *logged = text;
    app.message = Some(warnings_message(&catalog.warnings, &log.path));
}

/// The status line for the library's warnings: how many files have problems (a file
/// unreadable, or a dump with broken lines, its other lines read) and where to look.
fn warnings_message(warnings: &[crate::archive::Warning], log: &std::path::Path) -> String {
    let files: std::collections::HashSet<&str> = warnings.iter().map(|w| w.file.as_str()).collect();
    let (n, s) = (files.len(), if files.len() == 1 { "" } else { "s" });
    format!("problems in {n} file{s}: see {}", log.display())
}

/// Files are read and parsed on their own thread: only the newest request
/// is served, the reader having moved on from older ones.
fn spawn_page_reader(source: LibrarySource, tx: mpsc::Sender<AppEvent>) -> mpsc::Sender<FileHead> {
    let (ptx, prx) = mpsc::channel::<FileHead>();
    std::thread::spawn(move || {
        while let Ok(mut file) = prx.recv() {
            while let Ok(newer) = prx.try_recv() {
                file = newer;
            }
            let result = catalog::read_page(&source, &file);
            let event = AppEvent::Page {
                file: file.rel,
                result,
            };
            if tx.send(event).is_err() {
                break;
            }
        }
    });
    ptx
}

/// Terminal input on its own thread, so the loop blocks on one channel.
fn spawn_input_thread(tx: mpsc::Sender<AppEvent>) {
    std::thread::spawn(move || {
        while let Ok(event) = crossterm::event::read() {
            if tx.send(AppEvent::Term(event)).is_err() {
                break;
            }
        }
    });
}

/// SIGTERM and SIGHUP (an SSH disconnect) end the reader cleanly: state saved,
/// terminal restored.
fn spawn_signal_thread(tx: mpsc::Sender<AppEvent>, log: &Log) {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    match signal_hook::iterator::Signals::new([SIGTERM, SIGHUP]) {
        Ok(mut signals) => {
            std::thread::spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    let _ = tx.send(AppEvent::Signal(sig));
                }
            });
        }
        Err(e) => log.line(&format!("warning: signals not handled: {e}")),
    }
}

/// A query for the search worker.
pub(crate) struct Query {
    pub(crate) generation: u64,
    pub(crate) text: String,
    pub(crate) order: Order,
}

/// The way to the search worker. It also knows the latest generation sent, so that a
/// count still running for an older query gives up.
#[derive(Clone)]
pub(crate) struct Queries {
    tx: mpsc::Sender<Query>,
    latest: Arc<AtomicU64>,
}

impl Queries {
    pub(crate) fn send(&self, q: Query) {
        self.latest.store(q.generation, Ordering::SeqCst);
        let _ = self.tx.send(q);
    }
}

/// This process's private memory (resident pages no other process shares), in kB, as
/// Linux counts it; 0 elsewhere.
fn private_kb() -> u64 {
    let rollup = std::fs::read_to_string("/proc/self/smaps_rollup").unwrap_or_default();
    rollup
        .lines()
        .filter(|l| l.starts_with("Private_Clean:") || l.starts_with("Private_Dirty:"))
        .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .sum()
}

/// How often a running reader looks for changes in the library (or in the index, when
/// someone else updates it): every 30 s, or `DUBAO_RECHECK_SECS`.
fn recheck_every() -> Duration {
    let secs = std::env::var("DUBAO_RECHECK_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|&s| s > 0)
        .unwrap_or(30);
    Duration::from_secs(secs)
}

/// An index just opened, to the UI: its catalog if the list's differs (`sent`,
/// updated), its notices, and that search is ready.
fn publish(mut ix: SearchIndex, sent: &mut String, tx: &mpsc::Sender<AppEvent>) -> SearchIndex {
    if let Some(c) = changed_catalog(&mut ix, sent) {
        let _ = tx.send(AppEvent::Catalog(Box::new(c)));
    }
    for notice in ix.notices() {
        let _ = tx.send(AppEvent::Notice(notice.clone()));
    }
    let _ = tx.send(AppEvent::Index(IndexStatus::Ready));
    ix
}

/// The index's catalog when it differs from the one the list has (`sent`, updated).
fn changed_catalog(ix: &mut SearchIndex, sent: &mut String) -> Option<Catalog> {
    let print = ix.catalog_fingerprint()?;
    if print == *sent {
        return None;
    }
    let c = ix.take_catalog()?;
    *sent = print;
    Some(c)
}

/// The search worker owns the index: it opens (or builds) it, reporting progress, then
/// answers queries. Only the latest waiting query is answered; each answer carries the
/// query's generation so the UI can drop stale ones. After the results comes the
/// count of all matches, unless a newer query arrives first.
pub(crate) fn spawn_search_worker(
    source: LibrarySource,
    data_dir: PathBuf,
    tx: mpsc::Sender<AppEvent>,
) -> Queries {
    let (qtx, qrx) = mpsc::channel::<Query>();
    let latest = Arc::new(AtomicU64::new(0));
    let queries = Queries {
        tx: qtx,
        latest: latest.clone(),
    };
    std::thread::spawn(move || {
        let mut last = Instant::now();
        let mut last_files = usize::MAX;
        let progress_tx = tx.clone();
        let mut progress = |p: Progress| {
            // At most ~20 updates a second, plus every finished file.
            if p.files_done != last_files || last.elapsed() > Duration::from_millis(50) {
                last = Instant::now();
                last_files = p.files_done;
                let _ = progress_tx.send(AppEvent::Index(IndexStatus::Building(p)));
            }
        };
        // The list first: the catalog saved with the index (its first part at once, the
        // rest as it is read), else a scan of the files for their headlines.
        let saved = crate::index::saved_catalog_in_steps(&source, &data_dir, |part| {
            let _ = tx.send(AppEvent::Catalog(Box::new(part)));
        });
        let first = saved.unwrap_or_else(|| {
            // A first launch: the list fills in as the files are read.
            catalog::scan_in_steps(&source, |part| {
                let _ = tx.send(AppEvent::Catalog(Box::new(part)));
            })
        });
        let mut sent = first.fingerprint.clone();
        let _ = tx.send(AppEvent::Catalog(Box::new(first)));
        let index = SearchIndex::open_for_reader(&source, &data_dir, &mut progress);
        // Ready for the first keystrokes: the index files into the page cache.
        let _ = crate::index::prefetch(&source, &data_dir);
        let mut index = match index {
            Ok(ix) => Some(publish(ix, &mut sent, &tx)),
            Err(e) => {
                let _ = tx.send(AppEvent::Index(IndexStatus::Failed(format!("{e:#}"))));
                None
            }
        };
        // While the reader is open, it looks now and then for a reason to open the index
        // again (see `Watch`): its own index when the library changed (a stat per folder
        // and per dump: a crawler adding today's files, appending to a dump); someone
        // else's when it was updated; never one kept in memory.
        let mut watch = index.as_ref().map_or(Watch::Nothing, SearchIndex::watch);
        let mut stamp = crate::index::index_stamp(&source, &data_dir);
        loop {
            let mut query = match qrx.recv_timeout(recheck_every()) {
                Ok(q) => q,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let due = match watch {
                        Watch::Library => crate::index::library_changed(&source, &data_dir),
                        Watch::Index => crate::index::index_stamp(&source, &data_dir) != stamp,
                        Watch::Nothing => false,
                    };
                    if due {
                        match SearchIndex::open_for_reader(&source, &data_dir, &mut progress) {
                            Ok(ix) => {
                                let ix = publish(ix, &mut sent, &tx);
                                watch = ix.watch();
                                index = Some(ix);
                            }
                            Err(_) => {
                                // The index open before still answers.
                                watch = Watch::Nothing;
                                let _ = tx.send(AppEvent::Index(IndexStatus::Ready));
                            }
                        }
                        stamp = crate::index::index_stamp(&source, &data_dir);
                    }
                    continue;
                }
            };
            while let Ok(newer) = qrx.try_recv() {
                query = newer;
            }
            let Query {
                generation,
                text,
                order,
            } = query;
            let Some(ix) = &index else {
                let result = Err(SearchError::NoIndex);
                if tx.send(AppEvent::Results { generation, result }).is_err() {
                    break;
                }
                continue;
            };
            let result = ix.search_in(&text, RESULTS, order);
            // Fewer than asked for: they are all there is.
            let all = match &result {
                Ok(hits) if hits.len() < RESULTS => Some(hits.len()),
                _ => None,
            };
            let failed = result.is_err();
            if tx.send(AppEvent::Results { generation, result }).is_err() {
                break;
            }
            let stop = || latest.load(Ordering::SeqCst) != generation;
            let count = match all {
                Some(n) => Some(n),
                None if failed || stop() => None,
                None => ix.count(&text, &stop).ok().flatten(),
            };
            if let Some(count) = count
                && tx.send(AppEvent::Count { generation, count }).is_err()
            {
                break;
            }
        }
    });
    queries
}

/// Add `kind` to the kinds of event a frame draws.
fn note(what: &mut Vec<&'static str>, kind: &'static str) {
    if !what.contains(&kind) {
        what.push(kind);
    }
}

/// The kinds of event a frame draws, as the byte trace names them (`catalog+index`).
fn what_drawn(what: &[&str]) -> String {
    if what.is_empty() {
        "event".to_string()
    } else {
        what.join("+")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::Warning;

    #[test]
    fn warnings_are_counted_by_file() {
        let w = |file: &str, reason: &str| Warning {
            file: file.into(),
            reason: reason.into(),
        };
        let log = std::path::Path::new("/l/dubao.log");
        let one = [
            w("d.jsonl", "line 2: broken JSON"),
            w("d.jsonl", "line 4: not a JSON object"),
        ];
        assert_eq!(
            warnings_message(&one, log),
            "problems in 1 file: see /l/dubao.log"
        );
        let two = [w("a.txt", "permission denied"), one[0].clone()];
        assert_eq!(
            warnings_message(&two, log),
            "problems in 2 files: see /l/dubao.log"
        );
    }
}
