//! `dubao bench scale --articles N --dir D`: a big generated archive, measured the way a
//! user meets it.
//!
//! - `dubao index` in a child process: wall time and peak resident memory (the child's
//!   own high-water mark, from the kernel).
//! - The catalog saved with the index: time to load it (what the reader waits for
//!   before it can list anything) and the memory it takes.
//! - The list: keys that move through it (j, page down, G, issue jumps) applied and
//!   drawn at 120×40, timed per key.
//! - The real reader in tmux (when tmux is there): time from start to the first frame
//!   that lists articles, as the binary logs it.
//! - Search: the keystroke timings of `bench search` on this archive.
//!
//! `--reuse` keeps the archive and index of an earlier run in `--dir` (the `dubao index`
//! step then measures an update that finds nothing to do).

use super::BenchArgs;
use anyhow::Context as _;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dubao::app::{App, Effect, handle_key, state_file::ReadingState};
use dubao::archive::source::LibrarySource;
use dubao::index::SearchIndex;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub(super) fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let root: PathBuf = args
        .dir
        .clone()
        .context("bench scale needs --dir (a folder for the archive; it is big)")?;
    let reuse = args.reuse && root.join(super::parse::MARKER).is_file();
    let lib = root.join("library");
    let data = root.join("data");
    if !reuse {
        super::parse::prepare_dir(&root)?;
        super::search::generate_archive(&root, args.articles)?;
    }

    // 1. `dubao index` on its own, as a user runs it.
    let exe = std::env::current_exe().context("finding the dubao binary")?;
    let t = Instant::now();
    let status = Command::new(&exe)
        .arg("index")
        .arg("--library")
        .arg(&lib)
        .arg("--data-dir")
        .arg(&data)
        .stdout(std::process::Stdio::null())
        .status()
        .context("running dubao index")?;
    anyhow::ensure!(status.success(), "dubao index failed: {status}");
    println!(
        "index    `dubao index` {} in {:.1} s, peak RSS {} MB",
        if reuse {
            "(index already up to date)"
        } else {
            "(fresh build)"
        },
        t.elapsed().as_secs_f64(),
        children_peak_rss_kb() / 1024
    );

    // 2. The catalog: what the reader loads before its first list.
    let source = LibrarySource::Dir(lib.clone());
    let rss_before = self_rss_kb();
    let mut loads = Vec::new();
    let mut catalog = None;
    for _ in 0..5 {
        drop(catalog.take());
        let t = Instant::now();
        catalog = dubao::index::saved_catalog(&source, &data);
        loads.push(t.elapsed());
    }
    let catalog = catalog.context("no catalog was saved with the index")?;
    loads.sort();
    println!(
        "catalog  {} issues, {} articles: loaded in {:.0} ms (median of 5), {} MB in memory",
        catalog.issues.len(),
        catalog.len(),
        ms(loads[2]),
        self_rss_kb().saturating_sub(rss_before) / 1024
    );

    // 3. The list, drawn after every key, as the reader does.
    time_list(catalog)?;

    // 4. The real reader, through a terminal.
    match time_to_list_in_tmux(&exe, &lib, &data, &root) {
        Ok(Some(t)) => {
            println!(
                "reader   first frame listing articles {} ms after start, the whole list after {}, search ready after {} (tmux, 120×40); peak RSS {}",
                t.listed,
                t.whole
                    .map_or("(not within 120 s)".to_string(), |ms| format!("{ms} ms")),
                t.searchable
                    .map_or("(not within 120 s)".to_string(), |ms| format!("{ms} ms")),
                t.peak_rss_kb
                    .map_or("unknown".to_string(), |kb| format!("{} MB", kb / 1024))
            )
        }
        Ok(None) => println!("reader   skipped: tmux is not installed"),
        Err(e) => println!("reader   not measured: {e:#}"),
    }

    // 5. Search keystrokes on this archive: its index files read first, as the reader
    // does once its index is ready (see `index::prefetch`).
    let t = Instant::now();
    let bytes = dubao::index::prefetch(&source, &data).join().unwrap_or(0);
    println!(
        "prefetch index files read ({} MB) in {:.1} s",
        bytes >> 20,
        t.elapsed().as_secs_f64()
    );
    let idx = SearchIndex::open_read_only(&source, &data)?.context("the index is missing")?;
    super::search::time_searches(&lib, &data, &idx)
}

/// Per-key time of list movement at 120×40: handling the key and drawing the frame.
fn time_list(catalog: dubao::archive::Catalog) -> anyhow::Result<()> {
    let mut app = App::loading(ReadingState::default(), 40);
    let theme = dubao::ui::theme::Theme::new(true);
    let t = Instant::now();
    app.set_catalog(catalog);
    let set = t.elapsed();
    app.resize(120, 40);
    let mut term = Terminal::new(TestBackend::new(120, 40))?;
    term.draw(|f| dubao::ui::draw(f, &app, &theme))?;
    let mut times: Vec<(&str, Vec<Duration>)> = Vec::new();
    let keys: [(&str, KeyCode, usize); 5] = [
        ("j", KeyCode::Char('j'), 500),
        ("PgDn", KeyCode::PageDown, 200),
        ("}", KeyCode::Char('}'), 200),
        ("G", KeyCode::Char('G'), 5),
        ("g", KeyCode::Char('g'), 5),
    ];
    for (name, code, count) in keys {
        let mut each = Vec::with_capacity(count);
        for _ in 0..count {
            let t = Instant::now();
            let effect = handle_key(&mut app, KeyEvent::new(code, KeyModifiers::NONE));
            anyhow::ensure!(!matches!(effect, Some(Effect::Quit)), "{name} quit");
            term.draw(|f| dubao::ui::draw(f, &app, &theme))?;
            each.push(t.elapsed());
        }
        each.sort();
        times.push((name, each));
    }
    let parts: Vec<String> = times
        .iter()
        .map(|(name, t)| {
            format!(
                "{name} {:.2}/{:.2}",
                ms(t[t.len() / 2]),
                ms(*t.last().unwrap())
            )
        })
        .collect();
    println!(
        "list     catalog handed to the UI in {:.0} ms; key + frame, median/max ms: {}",
        ms(set),
        parts.join(", ")
    );
    Ok(())
}

/// Start the reader in tmux with an existing index and read, from its log, when it
/// first drew a list. `None` without tmux.
pub(super) fn time_to_list_in_tmux(
    exe: &Path,
    lib: &Path,
    data: &Path,
    root: &Path,
) -> anyhow::Result<Option<ReaderTimes>> {
    if Command::new("tmux").arg("-V").output().is_err() {
        return Ok(None);
    }
    let state = root.join("state");
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state)?;
    let socket = format!("dubao-bench-{}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .arg("-L")
            .arg(&socket)
            .args(args)
            .output()
    };
    let cmd = format!(
        "DUBAO_TRACE_BYTES=1 DUBAO_STATE_DIR='{}' '{}' --library '{}' --data-dir '{}'",
        state.display(),
        exe.display(),
        lib.display(),
        data.display()
    );
    tmux(&[
        "-f",
        "/dev/null",
        "new",
        "-d",
        "-s",
        "bench",
        "-x",
        "120",
        "-y",
        "40",
        &cmd,
    ])?;
    let deadline = Instant::now() + Duration::from_secs(120);
    let log = state.join("dubao.log");
    let logged = |what: &str| -> Option<u128> {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.split(what).nth(1).map(str::to_string))
            .and_then(|rest| rest.trim_end_matches(" ms").trim().parse::<u128>().ok())
    };
    let wait = |what: &str| -> Option<u128> {
        loop {
            if let Some(ms) = logged(what) {
                return Some(ms);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let listed = wait("time to list: ");
    let whole = wait("time to whole list: ");
    let searchable = wait("time to search: ");
    // The reader's memory once it has its list and its index.
    let pid = tmux(&["list-panes", "-t", "bench", "-F", "#{pane_pid}"])
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let peak = pid.and_then(|pid| {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
    });
    let _ = tmux(&["send-keys", "-t", "bench", "q", "q"]);
    std::thread::sleep(Duration::from_millis(300));
    let _ = tmux(&["kill-server"]);
    let listed = listed.context("the reader did not list the library within 120 s")?;
    Ok(Some(ReaderTimes {
        listed,
        whole,
        searchable,
        peak_rss_kb: peak,
    }))
}

/// The reader started on an existing index, as its log tells.
pub(super) struct ReaderTimes {
    /// Start to the first frame listing articles (of a big library, its first part).
    pub(super) listed: u128,
    /// Start to the frame listing the whole library.
    pub(super) whole: Option<u128>,
    /// Start to the index checked against the files (search ready).
    pub(super) searchable: Option<u128>,
    /// Peak resident memory by then, in KiB.
    pub(super) peak_rss_kb: Option<u64>,
}

/// Peak resident memory of the largest child waited for, in KiB.
fn children_peak_rss_kb() -> u64 {
    // SAFETY: getrusage only writes into the struct we hand it.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) == 0 {
            usage.ru_maxrss.max(0) as u64
        } else {
            0
        }
    }
}

/// This process's resident memory now, in KiB.
fn self_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
