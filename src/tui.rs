//! The terminal side: setup and restore (on quit, panic, SIGTERM, SIGHUP), the event
//! loop, and the threads that feed it (terminal input, the search worker, signals).
//!
//! Everything arrives on one channel and the loop blocks on it: no tick, no polling.
//! After a burst of events the screen is drawn once.

use crate::app::{Action, App, Effect, IndexStatus, handle_key, handle_paste, state_file};
use crate::archive::catalog::{self, Catalog, IssueHead};
use crate::archive::{Issue, source::LibrarySource};
use crate::cli::{Context, TuiArgs};
use crate::index::{Hit, Progress, SearchIndex};
use crate::term_sgr::{Palette, SgrFilter};
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
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

/// Most results asked of the index per query.
const RESULTS: usize = 50;

/// What the event loop waits for.
pub enum AppEvent {
    Term(Event),
    Index(IndexStatus),
    Results {
        generation: u64,
        result: Result<Vec<Hit>, String>,
    },
    Signal(i32),
    /// The library's catalog: first the one saved with the index (or a quick scan),
    /// then the checked one if the files changed since.
    Catalog(Box<Catalog>),
    /// A page read for the reader.
    Page {
        file: String,
        result: Result<Issue, String>,
    },
}

/// Appends warnings to `dubao.log` in the state folder: the screen belongs to the
/// reader while it runs, so nothing goes to stdout or stderr.
#[derive(Clone)]
pub struct Log {
    path: PathBuf,
}

impl Log {
    pub fn new(dir: &Path) -> Log {
        Log {
            path: dir.join("dubao.log"),
        }
    }

    pub fn line(&self, msg: &str) {
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

/// Counts the bytes written to the terminal (for `DUBAO_TRACE_BYTES`).
pub struct CountingWriter<W> {
    inner: W,
    count: Arc<AtomicU64>,
}

impl<W: Write> CountingWriter<W> {
    pub fn new(inner: W) -> (Self, Arc<AtomicU64>) {
        let count = Arc::new(AtomicU64::new(0));
        (
            CountingWriter {
                inner,
                count: count.clone(),
            },
            count,
        )
    }
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The crossterm backend, minus one waste: it moves the cursor before every cell that
/// follows a wide glyph (it expects the next cell at x+1, a Han character puts it at
/// x+2), which is a cursor move per Han character. We hand it an empty cell for each
/// wide glyph's right half so its cursor bookkeeping stays in step: same screen,
/// about half the bytes for Chinese text. Its output goes through an [`SgrFilter`], so
/// colours reach the terminal as codes it understands (see [`crate::term_sgr`]).
pub struct WideAwareBackend<W: Write> {
    inner: CrosstermBackend<SgrFilter<W>>,
}

impl<W: Write> WideAwareBackend<W> {
    /// Colours for the terminal in the environment (`TERM`, `NO_COLOR`).
    pub fn new(writer: W) -> Self {
        Self::with_palette(writer, Palette::from_env())
    }

    pub fn with_palette(writer: W, palette: Palette) -> Self {
        WideAwareBackend {
            inner: CrosstermBackend::new(SgrFilter::new(writer, palette)),
        }
    }

    /// Write raw bytes to the terminal (OSC 52).
    pub fn write_raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.inner.write_all(bytes)?;
        Write::flush(&mut self.inner)
    }
}

impl<W: Write> Backend for WideAwareBackend<W> {
    type Error = std::io::Error;

    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut cells: Vec<(u16, u16, Cell)> = Vec::new();
        for (x, y, cell) in content {
            let wide = is_cjk_wide(cell.symbol());
            cells.push((x, y, cell.clone()));
            if wide {
                let mut half = cell.clone();
                half.set_symbol("");
                cells.push((x.saturating_add(1), y, half));
            }
        }
        self.inner.draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))
    }
    fn append_lines(&mut self, n: u16) -> std::io::Result<()> {
        self.inner.append_lines(n)
    }
    fn hide_cursor(&mut self) -> std::io::Result<()> {
        self.inner.hide_cursor()
    }
    /// Never fails. ratatui's `Terminal` shows the cursor when dropped and reports a
    /// failure with `eprintln!`, which panics when stderr is gone too (a hung-up
    /// terminal, SIGHUP): that panic used to end the reader before it saved the reading
    /// state. A dead terminal is noticed by the next draw's write anyway, and
    /// `restore_terminal` shows the cursor again.
    fn show_cursor(&mut self) -> std::io::Result<()> {
        let _ = self.inner.show_cursor();
        Ok(())
    }
    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> std::io::Result<()> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> std::io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> std::io::Result<()> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> std::io::Result<Size> {
        self.inner.size()
    }
    fn window_size(&mut self) -> std::io::Result<WindowSize> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// A single CJK character that every terminal draws two columns wide (emoji and other
/// glyphs whose width terminals disagree on keep the stock cursor moves).
fn is_cjk_wide(symbol: &str) -> bool {
    let mut chars = symbol.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF01..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Put the terminal back as we found it. Safe to call twice and when the terminal is
/// gone (errors are ignored: there is nobody to tell).
pub fn restore_terminal() {
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

/// The reader. Returns when the user quits; exits the process after a SIGTERM/SIGHUP.
pub fn run(ctx: &Context, args: &TuiArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        std::io::stdout().is_terminal() && std::io::stdin().is_terminal(),
        "the reader needs a terminal (for scripts: dubao list, show, search)"
    );
    if let LibrarySource::Dir(dir) = &ctx.source {
        anyhow::ensure!(dir.is_dir(), "{}: library folder not found", dir.display());
    }
    let state_dir = crate::config::state_dir(&ctx.data_dir);
    let log = Log::new(&state_dir);
    let (state, warning) = state_file::load(&state_dir);
    if let Some(w) = &warning {
        log.line(&format!("warning: {w}"));
    }
    // NO_COLOR, or a terminal without colour (vt100): the theme of attributes only.
    let no_color = Palette::from_env() == Palette::Monochrome;
    // The library arrives from the worker: the first frame does not wait for it.
    let mut app = App::loading(state, ctx.config.reader.measure, no_color);
    app.keymap = ctx.config.keys.clone();
    app.colors = ctx.config.colors.clone();
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
        restore_terminal();
        previous(info);
    }));
    setup_terminal(args.mouse)?;
    spawn_input_thread(tx);

    let trace = std::env::var_os("DUBAO_TRACE_BYTES").is_some();
    let (writer, bytes) = CountingWriter::new(std::io::stdout());
    let started = Instant::now();
    let mut listed = false;
    let mut searchable = false;
    let threads = Threads {
        queries: &queries,
        pages: &pages,
        log: &log,
    };
    let result = event_loop(&mut app, writer, &rx, &threads, |app, what| {
        if trace {
            log.line(&format!(
                "bytes {what}: {}",
                bytes.swap(0, Ordering::Relaxed)
            ));
            if !listed && app.catalog_ready {
                listed = true;
                log.line(&format!(
                    "time to list: {} ms",
                    started.elapsed().as_millis()
                ));
            }
            if !searchable && app.search.index == IndexStatus::Ready {
                searchable = true;
                log.line(&format!(
                    "time to search: {} ms",
                    started.elapsed().as_millis()
                ));
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

/// Wait for events, apply them, draw after each burst. `Some(signal)` when a signal
/// ended it.
/// Where the event loop sends work, and its log.
struct Threads<'a> {
    queries: &'a mpsc::Sender<(u64, String)>,
    pages: &'a mpsc::Sender<IssueHead>,
    log: &'a Log,
}

fn event_loop<W: Write>(
    app: &mut App,
    writer: W,
    rx: &mpsc::Receiver<AppEvent>,
    threads: &Threads,
    mut after_draw: impl FnMut(&App, &str),
) -> anyhow::Result<Option<i32>> {
    let queries = threads.queries;
    let mut terminal = Terminal::new(WideAwareBackend::new(writer))?;
    let size = terminal.size()?;
    app.resize(size.width, size.height);
    terminal.draw(|f| crate::ui::draw(f, app))?;
    after_draw(app, "first frame");
    let mut logged_warnings = String::new();
    loop {
        let Ok(first) = rx.recv() else {
            return Ok(None);
        };
        let mut dirty = false;
        let mut what = "event";
        let mut next = Some(first);
        // Apply everything already waiting, then draw once.
        while let Some(event) = next {
            match event {
                AppEvent::Signal(sig) => return Ok(Some(sig)),
                AppEvent::Term(Event::Key(key)) => {
                    what = "key";
                    dirty = true;
                    match handle_key(app, key) {
                        Some(Effect::Quit) => return Ok(None),
                        Some(effect) => apply(effect, &mut terminal, queries)?,
                        None => {}
                    }
                }
                AppEvent::Term(Event::Paste(text)) => {
                    what = "paste";
                    dirty = true;
                    if let Some(effect) = handle_paste(app, &text) {
                        apply(effect, &mut terminal, queries)?;
                    }
                }
                AppEvent::Term(Event::Resize(..)) => {
                    what = "resize";
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
                    what = "index";
                    dirty |= app.search.index != status;
                    app.index_progress(status);
                }
                AppEvent::Results { generation, result } => {
                    what = "results";
                    dirty |= generation == app.search.generation;
                    app.search_results(generation, result);
                }
                AppEvent::Catalog(catalog) => {
                    what = "catalog";
                    dirty = true;
                    note_warnings(app, &catalog, threads.log, &mut logged_warnings);
                    app.set_catalog(*catalog);
                }
                AppEvent::Page { file, result } => {
                    what = "page";
                    dirty = true;
                    app.page_loaded(&file, result);
                }
            }
            next = rx.try_recv().ok();
        }
        if let Some(issue) = app.wanted_page() {
            let _ = threads.pages.send(issue);
        }
        if dirty {
            terminal.draw(|f| crate::ui::draw(f, app))?;
            after_draw(app, what);
        }
    }
}

fn apply<W: Write>(
    effect: Effect,
    terminal: &mut Terminal<WideAwareBackend<W>>,
    queries: &mpsc::Sender<(u64, String)>,
) -> anyhow::Result<()> {
    match effect {
        Effect::Quit => {}
        Effect::Query { generation, text } => {
            let _ = queries.send((generation, text));
        }
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
    app.message = Some(format!(
        "{} files could not be read: see {}",
        catalog.warnings.len(),
        log.path.display()
    ));
}

/// Pages (issue files) are read and parsed on their own thread: only the newest request
/// is served, the reader having moved on from older ones.
fn spawn_page_reader(source: LibrarySource, tx: mpsc::Sender<AppEvent>) -> mpsc::Sender<IssueHead> {
    let (ptx, prx) = mpsc::channel::<IssueHead>();
    std::thread::spawn(move || {
        while let Ok(mut issue) = prx.recv() {
            while let Ok(newer) = prx.try_recv() {
                issue = newer;
            }
            let result = catalog::read_page(&source, &issue);
            let event = AppEvent::Page {
                file: issue.file,
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

/// The search worker owns the index: it opens (or builds) it, reporting progress, then
/// answers queries. Only the latest waiting query is answered; each answer carries the
/// query's generation so the UI can drop stale ones.
pub fn spawn_search_worker(
    source: LibrarySource,
    data_dir: PathBuf,
    tx: mpsc::Sender<AppEvent>,
) -> mpsc::Sender<(u64, String)> {
    let (qtx, qrx) = mpsc::channel::<(u64, String)>();
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
        // The list first: the catalog saved with the index (a fraction of a second even
        // for a million articles), else a scan of the files for their headlines.
        let first = crate::index::saved_catalog(&source, &data_dir).unwrap_or_else(|| {
            // A first launch: the list fills in as the files are read.
            catalog::scan_in_steps(&source, |part| {
                let _ = tx.send(AppEvent::Catalog(Box::new(part)));
            })
        });
        let sent = first.fingerprint.clone();
        let _ = tx.send(AppEvent::Catalog(Box::new(first)));
        let index = SearchIndex::open(&source, &data_dir, &mut progress);
        // Ready for the first keystrokes: the index files into the page cache.
        let _ = crate::index::prefetch(&source, &data_dir);
        let index = match index {
            Ok(mut ix) => {
                // The index checked the files: if they changed, so did the list.
                if ix.catalog_fingerprint().is_some_and(|f| f != sent)
                    && let Some(c) = ix.take_catalog()
                {
                    let _ = tx.send(AppEvent::Catalog(Box::new(c)));
                }
                let _ = tx.send(AppEvent::Index(IndexStatus::Ready));
                Some(ix)
            }
            Err(e) => {
                let _ = tx.send(AppEvent::Index(IndexStatus::Failed(format!("{e:#}"))));
                None
            }
        };
        while let Ok(mut query) = qrx.recv() {
            while let Ok(newer) = qrx.try_recv() {
                query = newer;
            }
            let (generation, text) = query;
            let result = match &index {
                Some(ix) => ix.search(&text, RESULTS).map_err(|e| format!("{e:#}")),
                None => Err("no index".to_string()),
            };
            if tx.send(AppEvent::Results { generation, result }).is_err() {
                break;
            }
        }
    });
    qtx
}
