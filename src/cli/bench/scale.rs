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

    // 4. Many readers of the library at once, each through a terminal, kept open while
    // the keystrokes below are timed.
    let readers = Readers::start(&exe, &lib, &data, &root, READERS, true)?;
    match &readers {
        Some(r) => r.report()?,
        None => println!("readers  skipped: tmux is not installed"),
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
    if readers.is_some() {
        println!("search   (timed while the {READERS} readers are open)");
    }
    let timed = super::search::time_searches(&lib, &data, &idx);
    drop(readers);
    timed
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

/// Readers started at once by `bench scale`: people sharing one library on a server.
const READERS: usize = 8;

/// Start the reader in tmux with an existing index and read, from its log, when it
/// first drew a list. `None` without tmux.
pub(super) fn time_to_list_in_tmux(
    exe: &Path,
    lib: &Path,
    data: &Path,
    root: &Path,
) -> anyhow::Result<Option<ReaderTimes>> {
    let Some(readers) = Readers::start(exe, lib, data, root, 1, false)? else {
        return Ok(None);
    };
    let mut times = readers.times();
    let t = times.pop().context("no reader")?;
    anyhow::ensure!(
        t.listed.is_some(),
        "the reader did not list the library within 120 s"
    );
    Ok(Some(t))
}

/// Readers running in one tmux server, a 120×40 session each, each with its own state
/// folder; stopped when dropped.
pub(super) struct Readers {
    socket: String,
    logs: Vec<PathBuf>,
    pids: Vec<Option<u32>>,
    /// Who they run as, when not as this user.
    user: Option<&'static str>,
}

/// Another user for readers started by root: one who can read the library and its index
/// but not write them, as on a shared server.
const OTHER_USER: (&str, &str) = ("nobody", "65534");

impl Readers {
    /// `n` readers of `lib` with the index in `data`. With `other_user`, and when run
    /// as root, they run as [`OTHER_USER`] (if that user can read both). `None` without
    /// tmux.
    pub(super) fn start(
        exe: &Path,
        lib: &Path,
        data: &Path,
        root: &Path,
        n: usize,
        other_user: bool,
    ) -> anyhow::Result<Option<Readers>> {
        if Command::new("tmux").arg("-V").output().is_err() {
            return Ok(None);
        }
        let user =
            (other_user && is_root() && can_read_as_other(exe, lib, data)).then_some(OTHER_USER.0);
        let socket = format!("dubao-bench-{}", std::process::id());
        let mut logs = Vec::new();
        for k in 0..n {
            let state = root.join(format!("state-{k}"));
            let _ = std::fs::remove_dir_all(&state);
            std::fs::create_dir_all(&state)?;
            if user.is_some() {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o777))?;
            }
            // `exec` all the way: the pane's process is the reader.
            let as_user = match user {
                Some(_) => format!(
                    "setpriv --reuid={0} --regid={0} --clear-groups ",
                    OTHER_USER.1
                ),
                None => String::new(),
            };
            let cmd = format!(
                "exec {as_user}env DUBAO_TRACE_BYTES=1 HOME='{0}' DUBAO_STATE_DIR='{0}' '{1}' --library '{2}' --data-dir '{3}'",
                state.display(),
                exe.display(),
                lib.display(),
                data.display()
            );
            let session = format!("r{k}");
            let mut args = vec!["-L", &socket];
            if k == 0 {
                args.extend(["-f", "/dev/null"]);
            }
            args.extend(["new", "-d", "-s", &session, "-x", "120", "-y", "40", &cmd]);
            Command::new("tmux").args(&args).output()?;
            logs.push(state.join("dubao.log"));
        }
        let pids = (0..n)
            .map(|k| {
                let out = Command::new("tmux")
                    .args(["-L", &socket, "list-panes", "-t", &format!("r{k}")])
                    .args(["-F", "#{pane_pid}"])
                    .output()
                    .ok()?;
                String::from_utf8_lossy(&out.stdout).trim().parse().ok()
            })
            .collect();
        Ok(Some(Readers {
            socket,
            logs,
            pids,
            user,
        }))
    }

    /// Each reader's times, from its log, waiting for them up to 120 s from now.
    pub(super) fn times(&self) -> Vec<ReaderTimes> {
        let deadline = Instant::now() + Duration::from_secs(120);
        let wait = |log: &Path, what: &str| -> Option<u128> {
            loop {
                if let Some(ms) = logged(log, what) {
                    return Some(ms);
                }
                if Instant::now() > deadline {
                    return None;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        };
        self.logs
            .iter()
            .zip(&self.pids)
            .map(|(log, pid)| {
                let listed = wait(log, "time to list: ");
                let whole = wait(log, "time to whole list: ");
                let searchable = wait(log, "time to search: ");
                let memory = pid.and_then(memory_of);
                ReaderTimes {
                    listed,
                    whole,
                    searchable,
                    memory,
                }
            })
            .collect()
    }

    /// Prints their times and memory once all have their list and search ready.
    fn report(&self) -> anyhow::Result<()> {
        let times = self.times();
        let all = |f: fn(&ReaderTimes) -> Option<u128>| -> Vec<u128> {
            times.iter().filter_map(f).collect()
        };
        let listed = all(|t| t.listed);
        let searchable = all(|t| t.searchable);
        anyhow::ensure!(
            searchable.len() == times.len(),
            "{} of {} readers were not ready within 120 s",
            times.len() - searchable.len(),
            times.len()
        );
        let memory: Vec<Memory> = times.iter().filter_map(|t| t.memory).collect();
        let mb = |f: fn(&Memory) -> u64| -> Vec<u128> {
            memory.iter().map(|m| u128::from(f(m) / 1024)).collect()
        };
        let who = match self.user {
            Some(u) => format!("as user {u}, who can't write the data folder"),
            None => "as this user".to_string(),
        };
        println!(
            "readers  {} started at once in tmux (120×40, {who}): first list after {} ms, search ready after {} ms (median/max)",
            times.len(),
            median_max(listed),
            median_max(searchable)
        );
        println!(
            "memory   per reader with list and search ready, MB (median/max): private {} (Private_Clean + Private_Dirty), Pss {}, RSS {}, peak RSS {}",
            median_max(mb(|m| m.private_kb)),
            median_max(mb(|m| m.pss_kb)),
            median_max(mb(|m| m.rss_kb)),
            median_max(mb(|m| m.peak_kb)),
        );
        Ok(())
    }
}

impl Drop for Readers {
    fn drop(&mut self) {
        let tmux = |args: &[&str]| {
            let _ = Command::new("tmux")
                .arg("-L")
                .arg(&self.socket)
                .args(args)
                .output();
        };
        for k in 0..self.logs.len() {
            tmux(&["send-keys", "-t", &format!("r{k}"), "q", "q"]);
        }
        std::thread::sleep(Duration::from_millis(300));
        tmux(&["kill-server"]);
    }
}

/// `median/max` of some figures.
fn median_max(mut v: Vec<u128>) -> String {
    v.sort_unstable();
    match (v.get(v.len() / 2), v.last()) {
        (Some(m), Some(x)) => format!("{m}/{x}"),
        _ => "-".into(),
    }
}

/// The first figure in `ms` after `what` in a reader's log.
fn logged(log: &Path, what: &str) -> Option<u128> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.split(what).nth(1).map(str::to_string))
        .and_then(|rest| rest.trim_end_matches(" ms").trim().parse::<u128>().ok())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Whether [`OTHER_USER`] can run `exe` and read the library and the index.
fn can_read_as_other(exe: &Path, lib: &Path, data: &Path) -> bool {
    Command::new("setpriv")
        .args([
            &format!("--reuid={}", OTHER_USER.1),
            &format!("--regid={}", OTHER_USER.1),
            "--clear-groups",
            "sh",
            "-c",
            "test -x \"$0\" && test -r \"$1\" && test -x \"$1\" && test -r \"$2\" && test -x \"$2\"",
        ])
        .arg(exe)
        .arg(lib)
        .arg(data)
        .status()
        .is_ok_and(|s| s.success())
}

/// A process's memory as Linux counts it, in KiB.
#[derive(Clone, Copy, Debug)]
pub(super) struct Memory {
    /// Resident pages no other process maps (Private_Clean + Private_Dirty).
    pub(super) private_kb: u64,
    /// Its share of every resident page (a page mapped by eight counts an eighth).
    pub(super) pss_kb: u64,
    pub(super) rss_kb: u64,
    pub(super) peak_kb: u64,
}

fn memory_of(pid: u32) -> Option<Memory> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |text: &str, name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    Some(Memory {
        private_kb: field(&rollup, "Private_Clean:") + field(&rollup, "Private_Dirty:"),
        pss_kb: field(&rollup, "Pss:"),
        rss_kb: field(&rollup, "Rss:"),
        peak_kb: field(&status, "VmHWM:"),
    })
}

/// The reader started on an existing index, as its log tells.
pub(super) struct ReaderTimes {
    /// Start to the first frame listing articles (of a big library, its first part).
    pub(super) listed: Option<u128>,
    /// Start to the frame listing the whole library.
    pub(super) whole: Option<u128>,
    /// Start to the index checked against the files (search ready).
    pub(super) searchable: Option<u128>,
    /// Its memory by then.
    pub(super) memory: Option<Memory>,
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
