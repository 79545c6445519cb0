//! The real binary in a real terminal (tmux): first screen, a Chinese query, opening a
//! result, scrolling, a resize, quitting back to the shell — under several `TERM`s
//! (xterm-256color, screen, linux, vt100) and with NO_COLOR. Every captured row is
//! measured with an independent width oracle (Python `wcwidth`). Skipped, with a note,
//! without tmux.
//!
//! What the reader writes to the pty is captured raw (`tmux pipe-pane`): the colour
//! codes are checked, and the bytes per keystroke (typing, scrolling) are printed as a
//! table (`cargo test --test e2e_tmux -- --nocapture`). The binary's own count
//! (`DUBAO_TRACE_BYTES=1`, logged per frame) must agree with the pty's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn capture(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-t", "e2e"])
    }

    fn alternate_on(&self) -> bool {
        self.cmd(&["display", "-p", "-t", "e2e", "#{alternate_on}"])
            .trim()
            .eq("1")
    }

    /// Wait (up to a generous deadline) until the screen satisfies `ok`.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.capture();
            if ok(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "{}: waiting for {what}; screen:\n{screen}",
                self.socket
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Like [`wait_for`](Self::wait_for), and the screen is the same 100 ms later (not
    /// caught half-way through writing a frame).
    fn wait_for_stable(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        loop {
            let screen = self.wait_for(what, &ok);
            std::thread::sleep(Duration::from_millis(100));
            if self.capture() == screen {
                return screen;
            }
        }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend(keys);
        self.cmd(&args);
    }

    fn literal(&self, text: &str) {
        self.cmd(&["send-keys", "-t", "e2e", "-l", text]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn tmux_missing() -> bool {
    if Command::new("tmux").arg("-V").output().is_ok() {
        return false;
    }
    // CI installs tmux: there a missing one is a failure, not a skip.
    assert!(std::env::var_os("CI").is_none(), "tmux is missing in CI");
    eprintln!("note: tmux not installed; e2e_tmux skipped");
    true
}

fn check_widths(screen: &str, width: usize) -> bool {
    crate::util::rows_fit_by_wcwidth(screen, width)
}

/// The frames the binary logged with `DUBAO_TRACE_BYTES`: (what, bytes).
fn byte_log(state: &Path) -> Vec<(String, u64)> {
    std::fs::read_to_string(state.join("dubao.log"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once(" bytes ")?;
            let (what, n) = rest.rsplit_once(": ")?;
            Some((what.to_string(), n.trim().parse().ok()?))
        })
        .collect()
}

/// Whether a frame of the byte log drew an event of `kind`: a frame names every kind
/// it drew (`catalog+index`, when the list and the index came while one was drawn).
fn drew(what: &str, kind: &str) -> bool {
    what.split('+').any(|w| w == kind)
}

/// How to start the reader in its own tmux server.
struct Launch<'a> {
    tag: &'a str,
    size: (u16, u16),
    /// Data, state (and by default config) live here.
    dir: &'a Path,
    config: Option<PathBuf>,
    /// `VAR=value …` put before the binary.
    env: &'a str,
    before: &'a str,
    after: &'a str,
    /// tmux's `default-terminal`: the TERM the pane's programs see.
    term: Option<&'a str>,
    /// Append everything the pane's programs write to the pty to this file.
    raw: Option<&'a Path>,
}

impl<'a> Launch<'a> {
    fn new(tag: &'a str, size: (u16, u16), dir: &'a Path) -> Self {
        Launch {
            tag,
            size,
            dir,
            config: None,
            env: "",
            before: "",
            after: "echo EXIT=$?",
            term: None,
            raw: None,
        }
    }

    /// A tmux server of our own with one `sh` window, where the shell runs `before`,
    /// then dubao with its data, state and config under `dir`, then `after`.
    fn start(&self) -> Tmux {
        let tmux = Tmux {
            socket: format!("dubao-e2e-{}-{}", self.tag, std::process::id()),
        };
        let conf = self.dir.join("tmux.conf");
        let settings = match self.term {
            Some(term) => format!("set -g default-terminal \"{term}\"\n"),
            None => String::new(),
        };
        std::fs::write(&conf, settings).unwrap();
        let (w, h) = (self.size.0.to_string(), self.size.1.to_string());
        tmux.cmd(&[
            "-f",
            conf.to_str().unwrap(),
            "new",
            "-d",
            "-s",
            "e2e",
            "-x",
            &w,
            "-y",
            &h,
            "sh",
        ]);
        if let Some(raw) = self.raw {
            let pipe = format!("cat >> '{}'", raw.display());
            tmux.cmd(&["pipe-pane", "-t", "e2e", "-o", &pipe]);
        }
        let config = self
            .config
            .clone()
            .unwrap_or_else(|| self.dir.join("config.toml"));
        let line = format!(
            "clear; {} DUBAO_DATA_DIR='{}' DUBAO_STATE_DIR='{}' DUBAO_CONFIG='{}' {} '{}'; {}",
            self.before,
            self.dir.join("data").display(),
            self.dir.join("state").display(),
            config.display(),
            self.env,
            env!("CARGO_BIN_EXE_dubao"),
            self.after,
        );
        tmux.literal(&line);
        tmux.keys(&["Enter"]);
        tmux
    }
}

/// One run of the main scenario: what the table shows.
struct Figures {
    label: String,
    first_frame: u64,
    typing: Vec<u64>,
    line: Vec<u64>,
    page: Vec<u64>,
    /// `j` in the reader zoomed to the screen's width (`f`).
    zoomed: Vec<u64>,
}

fn median(v: &[u64]) -> u64 {
    let mut v = v.to_vec();
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

/// A reader in tmux whose pty output is captured: keystrokes with their cost.
struct Measured<'a> {
    tmux: Tmux,
    state: PathBuf,
    raw: &'a Path,
}

impl Measured<'_> {
    fn raw_len(&self) -> u64 {
        std::fs::metadata(self.raw).map_or(0, |m| m.len())
    }

    /// Press `keys` and wait until the reader has drawn for them (a `key` frame in its
    /// log, and a `results` frame after it when `results`) and the pty has carried all
    /// the bytes it logged. Returns the bytes that went through the pty.
    fn keystroke(&self, keys: &str, literal: bool, results: bool) -> u64 {
        let logged_before = byte_log(&self.state).len();
        let raw_before = self.raw_len();
        if literal {
            self.tmux.literal(keys);
        } else {
            self.tmux.keys(&[keys]);
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        // (A key and its results may come in one burst: then one `results` frame.)
        let drawn = |log: &[(String, u64)]| {
            let new = &log[logged_before.min(log.len())..];
            if results {
                new.iter().any(|(w, _)| drew(w, "results"))
            } else {
                !new.is_empty()
            }
        };
        loop {
            let log = byte_log(&self.state);
            let logged: u64 = log[logged_before.min(log.len())..]
                .iter()
                .map(|(_, n)| n)
                .sum();
            let through = self.raw_len() - raw_before;
            if drawn(&log) && through >= logged {
                // A last look: nothing more may come for this key.
                std::thread::sleep(Duration::from_millis(60));
                let log = byte_log(&self.state);
                let logged: u64 = log[logged_before..].iter().map(|(_, n)| n).sum();
                let through = self.raw_len() - raw_before;
                if through == logged {
                    return through;
                }
                assert!(
                    through < logged,
                    "{}: {through} bytes through the pty for {keys:?}, the reader counted {logged}",
                    self.tmux.socket
                );
            }
            assert!(
                Instant::now() < deadline,
                "{}: {keys:?}: {through} bytes through the pty, {logged} logged; screen:\n{}",
                self.tmux.socket,
                self.tmux.capture()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The status line's `row/rows` in the reader.
fn reader_row(screen: &str) -> Option<(usize, usize)> {
    let last = screen.lines().rfind(|l| !l.trim().is_empty())?;
    let token = last.split_whitespace().last()?;
    let (a, b) = token.split_once('/')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// Every SGR parameter (`ESC[…m`) in `bytes`, split at `;`.
fn sgr_codes(bytes: &[u8]) -> Vec<String> {
    crate::util::sgr_params(bytes)
        .iter()
        .flat_map(|p| p.split(';').map(str::to_string).collect::<Vec<_>>())
        .collect()
}

fn is_colour_code(code: &str) -> bool {
    matches!(
        code.parse::<u16>(),
        Ok(30..=49 | 58 | 59 | 90..=97 | 100..=107)
    )
}

/// The main scenario under one terminal type: every screen measured by the width
/// oracle, colour codes as the terminal understands them, bytes per keystroke.
/// Returns the figures, and whether the width oracle ran.
fn scenario(term: &str, no_color: bool) -> (Figures, bool) {
    let label = if no_color {
        format!("{term} + NO_COLOR")
    } else {
        term.to_string()
    };
    let tag = format!("{}{}", term, if no_color { "-nocolor" } else { "" });
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("pty.raw");
    let env = format!(
        "DUBAO_TRACE_BYTES=1{}",
        if no_color { " NO_COLOR=1" } else { "" }
    );
    let mut launch = Launch::new(&tag, (100, 30), dir.path());
    launch.term = Some(term);
    launch.raw = Some(&raw);
    launch.env = &env;
    launch.before = "echo TERM=$TERM BEFORE-DUBAO;";
    launch.after = "echo AFTER-DUBAO";
    let tmux = launch.start();
    let state = dir.path().join("state");

    // First screen: the issues as group headers; the index built.
    let lib = dubao::archive::load(&dubao::archive::source::LibrarySource::Embedded);
    let first: String = lib.files[0].name.chars().take(8).collect();
    let screen = tmux.wait_for("issue headers, article shown, index ready", |s| {
        s.contains(&first)
            && s.contains("? help")
            && !s.contains("indexing")
            && !s.contains("loading")
    });
    assert!(
        tmux.alternate_on(),
        "{label}: the reader uses the alternate screen"
    );
    let mut oracle = check_widths(&screen, 100);
    // The screen comes in several frames: at once (the list still loading), with the
    // list (the catalog), with the article (its page read), as the index gets ready;
    // all written before the first key: together, a full screen.
    let log = byte_log(&state);
    assert!(
        log.iter().any(|(w, _)| drew(w, "catalog")),
        "{label}: no catalog frame in {log:?}"
    );
    let first_frame: u64 = log.iter().map(|(_, n)| *n).sum();
    let m = Measured {
        tmux,
        state: state.clone(),
        raw: &raw,
    };

    // A Chinese query, typed one character at a time; each waits for its results.
    m.keystroke("/", true, false);
    m.tmux.wait_for("search box", |s| s.contains("Enter open"));
    let mut typing = Vec::new();
    for c in ["大", "气", "污", "染"] {
        typing.push(m.keystroke(c, true, true));
    }
    let screen = m.tmux.wait_for("results for 大气污染", |s| {
        s.matches("大气污染").count() >= 2
    });
    oracle &= check_widths(&screen, 100);

    // Enter opens the first result in the reader, matches highlighted.
    m.keystroke("Enter", false, false);
    let screen = m.tmux.wait_for("reader", |s| s.contains("n/N match"));
    oracle &= check_widths(&screen, 100);

    // `f`: the reader alone, as wide as the screen. Its rows move whole, so the
    // terminal moves them (a scroll region): a `j` writes the new row and the status.
    m.keystroke("f", false, false);
    let screen = m.tmux.wait_for("zoomed reader", |s| !s.contains('│'));
    let (mut row, _) = reader_row(&screen).expect("row/rows in the status line");
    let mut zoomed = Vec::new();
    for key in ["j", "j", "j", "k", "j", "j"] {
        let bytes = m.keystroke(key, false, false);
        let (now, _) = reader_row(&m.tmux.capture()).expect("row/rows");
        if now != row {
            zoomed.push(bytes);
        }
        row = now;
    }
    assert!(
        !zoomed.is_empty(),
        "{label}: the zoomed reader did not scroll"
    );
    // What the moved rows left on screen is what a full repaint draws: a resize
    // makes the reader draw everything again.
    let moved = m.tmux.capture();
    let resizes = || {
        byte_log(&state)
            .iter()
            .filter(|(w, _)| drew(w, "resize"))
            .count()
    };
    let before = resizes();
    for width in ["101", "100"] {
        m.tmux
            .cmd(&["resize-window", "-t", "e2e", "-x", width, "-y", "30"]);
        let deadline = Instant::now() + Duration::from_secs(20);
        while resizes() == before + usize::from(width == "100") {
            assert!(
                Instant::now() < deadline,
                "{label}: no frame for the resize to {width}: {:?}\n{}",
                byte_log(&state),
                m.tmux.capture()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    std::thread::sleep(Duration::from_millis(100));
    let repainted = m.tmux.capture();
    assert_eq!(
        moved, repainted,
        "{label}: rows moved by the terminal differ from a repaint"
    );
    m.keystroke("f", false, false);
    m.tmux.wait_for("two panes again", |s| s.contains('│'));

    // Scrolling: each j moves one row, each Space a page.
    let mut line = Vec::new();
    let mut page = Vec::new();
    let (mut row, rows) = reader_row(&m.tmux.capture()).expect("row/rows in the status line");
    for key in ["j", "j", "j", "j", "j", "Space", "Space", "Space"] {
        let bytes = m.keystroke(key, false, false);
        let screen = m.tmux.capture();
        let (now, _) = reader_row(&screen).expect("row/rows in the status line");
        if key == "Space" && now < row {
            break; // the article's end: Space went on to the next article
        }
        // Only keystrokes that moved count (an article's end stops the scroll).
        assert!(
            now > row || now + 30 >= rows,
            "{label}: {key} did not scroll"
        );
        if now > row {
            if key == "j" {
                line.push(bytes)
            } else {
                page.push(bytes)
            }
        }
        row = now;
    }
    assert!(
        !line.is_empty() && !page.is_empty(),
        "{label}: article too short"
    );
    oracle &= check_widths(&m.tmux.capture(), 100);

    // Narrower than 100 columns: one pane at a time.
    m.tmux
        .cmd(&["resize-window", "-t", "e2e", "-x", "60", "-y", "20"]);
    let screen = m.tmux.wait_for("narrow reader", |s| {
        !s.contains('│') && s.lines().any(|l| l.contains('%'))
    });
    oracle &= check_widths(&screen, 60);

    // q goes back to the list, q again quits to the shell.
    m.tmux.keys(&["q"]);
    let screen = m.tmux.wait_for("list", |s| s.contains("Enter read"));
    oracle &= check_widths(&screen, 60);
    m.tmux.keys(&["q"]);
    let screen = m.tmux.wait_for("shell", |s| s.contains("AFTER-DUBAO"));
    assert!(
        screen.contains(&format!("TERM={term} BEFORE-DUBAO")),
        "{label}: the main screen is back, under TERM={term}:\n{screen}"
    );
    assert!(!m.tmux.alternate_on());

    // The reading state was saved.
    let saved = std::fs::read_to_string(state.join("state.json")).unwrap();
    let saved: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert!(saved["last_article"].is_string(), "{saved}");
    assert!(!saved["read"].as_array().unwrap().is_empty(), "{saved}");

    // Colour codes as this terminal understands them.
    let bytes = std::fs::read(&raw).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let codes = sgr_codes(&bytes);
    assert!(
        !text.contains("38;5;") && !text.contains("48;5;"),
        "{label}: 256-colour codes written"
    );
    if no_color || term == "vt100" {
        let colour: Vec<&String> = codes.iter().filter(|c| is_colour_code(c)).collect();
        assert!(colour.is_empty(), "{label}: colour codes {colour:?}");
    } else {
        assert!(
            codes
                .iter()
                .any(|c| matches!(c.parse::<u16>(), Ok(30..=37 | 90..=97))),
            "{label}: no basic colour code: {codes:?}"
        );
    }
    // Reverse video marks the selection, colour or not.
    assert!(codes.iter().any(|c| c == "7"), "{label}: no reverse video");

    let figures = Figures {
        label,
        first_frame,
        typing,
        line,
        page,
        zoomed,
    };
    (figures, oracle)
}

/// The main scenario under each terminal type, in parallel (each its own tmux server),
/// with a table of bytes per keystroke.
#[test]
fn reader_in_tmux_under_each_term() {
    if tmux_missing() {
        return;
    }
    let runs = [
        ("xterm-256color", false),
        ("screen", false),
        ("linux", false),
        ("vt100", false),
        ("xterm-256color", true),
    ];
    let handles: Vec<_> = runs
        .iter()
        .map(|&(term, no_color)| std::thread::spawn(move || scenario(term, no_color)))
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join()).collect();

    println!(
        "bytes through the pty per keystroke, 100x30 (medians; each keystroke waits for its frames)"
    );
    println!(
        "{:<26} {:>11} {:>22} {:>14} {:>16} {:>14}",
        "TERM", "first frame", "typing 大气污染 (each)", "scroll j", "scroll Space", "zoomed j"
    );
    let mut oracle = true;
    let mut failure = None;
    for result in results {
        match result {
            Ok((f, ran)) => {
                oracle &= ran;
                println!(
                    "{:<26} {:>11} {:>22} {:>14} {:>16} {:>14}",
                    f.label,
                    f.first_frame,
                    format!("{} {:?}", median(&f.typing), f.typing),
                    median(&f.line),
                    median(&f.page),
                    median(&f.zoomed),
                );
                // Sane bounds: a keystroke never costs much more than a full repaint.
                let full = f.first_frame;
                assert!(full > 1000, "{}: first frame {full} bytes", f.label);
                for &t in &f.typing {
                    assert!(t < 2 * full, "{}: typing one character: {t} bytes", f.label);
                }
                for &j in &f.line {
                    assert!(
                        j * 2 < full * 3,
                        "{}: one row of scroll: {j} bytes",
                        f.label
                    );
                }
                for &p in &f.page {
                    assert!(p * 2 < full * 3, "{}: one page: {p} bytes", f.label);
                }
                // The terminal moves the rows: the new row and the status line.
                for &z in &f.zoomed {
                    assert!(z <= 300, "{}: one row, zoomed: {z} bytes", f.label);
                }
            }
            Err(panic) => failure = failure.or(Some(panic)),
        }
    }
    if let Some(panic) = failure {
        std::panic::resume_unwind(panic);
    }
    if !oracle {
        eprintln!("note: python3 wcwidth not installed; width oracle skipped");
    }
}

/// The reader's pid: the only child of the pane's shell.
fn reader_pid(tmux: &Tmux) -> String {
    let shell = tmux.cmd(&["display", "-p", "-t", "e2e", "#{pane_pid}"]);
    let child = Command::new("pgrep")
        .args(["-P", shell.trim()])
        .output()
        .expect("pgrep");
    let pid = String::from_utf8_lossy(&child.stdout).trim().to_string();
    assert!(!pid.is_empty(), "the reader runs");
    pid
}

/// SIGTERM and SIGHUP: state saved, terminal restored, the shell gets its screen back.
#[test]
fn signals_restore_the_terminal_and_save_state() {
    if tmux_missing() {
        return;
    }
    for signal in ["TERM", "HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let tag = format!("sig-{signal}");
        let tmux = Launch::new(&tag, (90, 24), dir.path()).start();
        tmux.wait_for("list", |s| s.contains("Enter read"));
        tmux.keys(&["Enter"]);
        tmux.wait_for("reader", |s| s.contains("n/N match"));
        let pid = reader_pid(&tmux);
        Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        let screen = tmux.wait_for("shell", |s| s.contains("EXIT="));
        assert!(!tmux.alternate_on(), "{signal}: alternate screen left");
        assert!(!screen.contains("n/N match"), "{screen}");
        let saved = std::fs::read_to_string(state.join("state.json")).unwrap();
        assert!(saved.contains("last_article"), "{signal}: {saved}");
    }
}

/// The terminal goes away (tmux killed, as an SSH connection dropping: the reader gets
/// SIGHUP and its terminal is gone): the article, the place in it and a new bookmark
/// survive, and the next start opens there.
#[test]
fn hangup_keeps_article_position_and_bookmark() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    // A long article that is not the first (the first is where a fresh start opens),
    // `n` rows down the list (`j` moves from article to article).
    let cat = dubao::archive::catalog::scan(&dubao::archive::source::LibrarySource::Embedded);
    let (n, article) = cat
        .articles()
        .enumerate()
        .skip(2)
        .max_by_key(|(_, a)| a.chars())
        .expect("sample articles");
    let title: String = article.title().chars().take(6).collect();

    let tmux = Launch::new("hup-kill", (100, 30), dir.path()).start();
    tmux.wait_for("list", |s| s.contains("Enter read"));
    for _ in 0..n {
        tmux.keys(&["j"]);
    }
    // In the list and at the top of the reader pane.
    tmux.wait_for("the long article in the reader pane", |s| {
        s.matches(&title).count() >= 2
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("reader", |s| s.contains("n/N match"));
    for _ in 0..7 {
        tmux.keys(&["j"]);
    }
    tmux.keys(&["Space"]);
    let screen = tmux.wait_for("scrolled", |s| reader_row(s).is_some_and(|(r, _)| r > 8));
    let (row, rows) = reader_row(&screen).unwrap();
    tmux.keys(&["m"]);
    tmux.wait_for("bookmarked", |s| s.contains("bookmarked"));
    let pid = reader_pid(&tmux);
    tmux.cmd(&["kill-server"]);

    // The reader saves on its way out; wait for it to be gone.
    let deadline = Instant::now() + Duration::from_secs(20);
    while Command::new("kill")
        .args(["-0", &pid])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        assert!(
            Instant::now() < deadline,
            "the reader outlived its terminal"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let saved = std::fs::read_to_string(state.join("state.json")).expect("state saved");
    let saved: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(saved["last_article"], article.id(), "{saved}");
    assert_eq!(
        saved["bookmarks"],
        serde_json::json!([article.id()]),
        "{saved}"
    );
    assert!(saved["positions"][article.id()].is_object(), "{saved}");

    // The next start shows that article at that row, and the bookmark.
    let tmux = Launch::new("hup-again", (100, 30), dir.path()).start();
    // A frame is written top to bottom: a capture in the middle of one can show the new
    // reader pane over the old status line. Wait for a laid-out article, twice alike.
    let screen = tmux.wait_for_stable("the article again", |s| {
        s.contains(&title)
            && !s.contains("loading")
            && reader_row(s).is_some_and(|(_, rows)| rows > 0)
    });
    assert_eq!(
        reader_row(&screen),
        Some((row, rows)),
        "reopened at the same row:\n{screen}"
    );
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for_stable("reader", |s| s.contains("n/N match"));
    assert_eq!(reader_row(&screen), Some((row, rows)), "{screen}");
    tmux.keys(&["'"]);
    let screen = tmux.wait_for("bookmarks", |s| s.contains("bookmarks"));
    // The overlay's rows start at its border; the list's and the reader's don't.
    assert!(
        screen.contains(&format!("│{title}")),
        "the bookmark is listed:\n{screen}"
    );
}

/// A config file's keys reach the real binary: the status line names the remapped
/// key, `l` steps articles, the remapped quit key ends the reader.
#[test]
fn configured_keys_in_tmux() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[keys]\nquit = [\"x\"]\nnext_article = [\"l\"]\n[colors]\nstatus = \"black on green\"\n",
    )
    .unwrap();
    let mut launch = Launch::new("keys", (90, 24), dir.path());
    launch.config = Some(config);
    let tmux = launch.start();
    // The list arrives from a worker after the first frame: a key before it moves nothing.
    tmux.wait_for("list with remapped quit", |s| {
        s.contains("x quit") && s.contains(" 1/42")
    });
    tmux.keys(&["l"]);
    tmux.wait_for("second article", |s| s.contains(" 2/42"));
    // Keys are handled in order: if `q` still quit, `l` would never show 3/42.
    tmux.keys(&["q", "l"]);
    tmux.wait_for("q no longer quits", |s| s.contains(" 3/42"));
    assert!(tmux.alternate_on());
    tmux.keys(&["x"]);
    let screen = tmux.wait_for("shell", |s| s.contains("EXIT="));
    assert!(screen.contains("EXIT=0"), "{screen}");
}

/// A library of papers in tmux at 80×24 and 120×40: papers, dated issues with their
/// weekdays and pages, and `:` jumping to a date typed.
#[test]
fn papers_and_a_jump_to_a_date_in_tmux() {
    if tmux_missing() {
        return;
    }
    let lib = crate::papers::library();
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let dir = tempfile::tempdir().unwrap();
        let env = format!("DUBAO_LIBRARY='{}'", lib.path().display());
        let mut launch = Launch::new("papers", (w, h), dir.path());
        launch.env = &env;
        let tmux = launch.start();
        let screen = tmux.wait_for("the papers", |s| {
            s.contains("人民日报 · 1期") && s.contains("Enter read")
        });
        assert!(screen.contains("2019-11-25 星期一 · 3版 (4)"), "{screen}");
        assert!(screen.contains(" 第01版 (2)"), "{screen}");
        check_widths(&screen, w as usize);
        tmux.literal(":20191124");
        tmux.keys(&["Enter"]);
        let screen = tmux.wait_for_stable("the 24th", |s| s.contains("2019-11-24 星期日"));
        // The status line says where the jump landed; the article is the one selected.
        let status = screen.lines().rfind(|l| !l.trim().is_empty()).unwrap();
        assert!(status.contains("2019-11-24 星期日"), "{screen}");
        if w >= 100 {
            assert!(
                screen.lines().any(|l| l.contains("│ 全市冬季征兵工作启动")),
                "the reader shows it:\n{screen}"
            );
        }
        tmux.keys(&["q"]);
        tmux.wait_for("shell", |s| s.contains("EXIT=0"));
    }
}

/// The left pane's result rows: (title, date) of each, top to bottom.
fn result_rows(screen: &str, list_width: usize) -> Vec<(String, String)> {
    screen
        .lines()
        .filter_map(|l| {
            let left: String = l.split('│').next()?.to_string();
            let left = left.trim_end();
            // ` 标题…        2019-11-22~`: a title row ends in a date.
            let (title, date) = left.rsplit_once(' ')?;
            let date = date.trim_end_matches('~');
            let is_date = date.len() == 10 && date.as_bytes()[4] == b'-';
            (is_date && left.starts_with(' ') && !left.starts_with("   ")).then(|| {
                (
                    title.trim().trim_end_matches('…').to_string(),
                    date.to_string(),
                )
            })
        })
        .filter(|(t, _)| !t.is_empty() && t.chars().count() < list_width)
        .collect()
}

/// The first row of the reader pane (right of the divider).
fn reader_first_row(screen: &str) -> String {
    let first = screen.lines().next().unwrap_or_default();
    first
        .rsplit_once('│')
        .map(|(_, r)| r.trim().to_string())
        .unwrap_or_default()
}

/// Searching as a user does in tmux at 120×30: the count of results, the chosen result
/// previewed in the reader while choosing, ^S for newest first, pinyin, Esc back to the
/// article the list had.
#[test]
fn search_previews_counts_and_sorts_in_tmux() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let tmux = Launch::new("search", (120, 30), dir.path()).start();
    let before = tmux.wait_for_stable("the list and its first article", |s| {
        s.contains("焦作日报 2019-11-22") && s.contains(" row 1/")
    });
    let listed = reader_first_row(&before);
    tmux.keys(&["/"]);
    tmux.literal("焦作");
    let screen = tmux.wait_for_stable("counted results", |s| {
        s.contains(" results · best first") && !s.contains("+ results")
    });
    let header = screen
        .lines()
        .find(|l| l.contains(" results · best first"))
        .unwrap();
    let count: usize = header.split_whitespace().next().unwrap().parse().unwrap();
    let rows = result_rows(&screen, 48);
    assert!(count >= rows.len() && rows.len() >= 3, "{screen}");
    // The first result is in the reader, its headline on top.
    let first = &rows[0].0;
    assert!(
        reader_first_row(&screen).starts_with(first.as_str()),
        "{screen}"
    );
    // Down: the second one.
    tmux.keys(&["Down"]);
    let second = rows[1].0.clone();
    tmux.wait_for("the second result previewed", |s| {
        s.lines().any(|l| l.contains(&format!("│ {second}")))
    });
    // ^S: newest first, the same count.
    tmux.keys(&["C-s"]);
    let screen = tmux.wait_for_stable("newest first", |s| {
        s.contains(&format!("{count} results · newest first"))
    });
    let dates: Vec<String> = result_rows(&screen, 48).into_iter().map(|r| r.1).collect();
    assert!(dates.len() >= 3, "{screen}");
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "{dates:?}\n{screen}"
    );
    // Esc: the list's article is back in the reader.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the list's article", |s| reader_first_row(s) == listed);
    // Pinyin finds the same place name in titles.
    tmux.keys(&["/", "C-u"]);
    tmux.literal("jiaozuo");
    let screen = tmux.wait_for_stable("pinyin results", |s| {
        s.contains(" results · ") || s.contains("1 result · ")
    });
    let rows = result_rows(&screen, 48);
    assert!(!rows.is_empty(), "{screen}");
    assert!(rows.iter().all(|(t, _)| t.contains("焦作")), "{rows:?}");
    // (Two sends: Esc and a key at once read as Alt+key.)
    tmux.keys(&["Escape"]);
    tmux.wait_for("the list", |s| !s.contains("搜索 search"));
    tmux.keys(&["q"]);
    tmux.wait_for("shell", |s| s.contains("EXIT=0"));
}

/// Folders and files under `dir` readable by everyone (temporary folders are the
/// owner's only), as a library and a data folder shared on a server are.
fn share(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        let mode = if entry.file_type().is_dir() {
            0o755
        } else {
            0o644
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[test]
fn another_user_reads_a_shared_index_in_tmux() {
    if tmux_missing() {
        return;
    }
    if !crate::util::can_switch_user() {
        eprintln!("note: not root with setpriv; the shared-index test is skipped");
        return;
    }
    // An administrator builds the index; a reader who can't write there opens it.
    let lib = crate::papers::library();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // `dubao index` as the administrator (this test's user).
    let index_as_admin = || {
        let out = Command::new(env!("CARGO_BIN_EXE_dubao"))
            .arg("index")
            .arg("--library")
            .arg(lib.path())
            .arg("--data-dir")
            .arg(&data)
            .env("DUBAO_CONFIG", dir.path().join("no-config.toml"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    index_as_admin();
    // Not `share(&data)`: the index's own files must be readable as they were written.
    share(lib.path());
    {
        use std::os::unix::fs::PermissionsExt;
        let open = |p: &Path, m| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
        open(dir.path(), 0o755).unwrap();
        std::fs::create_dir(dir.path().join("state")).unwrap();
        open(&dir.path().join("state"), 0o777).unwrap();
    }
    let listing = |d: &Path| -> Vec<(PathBuf, u64)> {
        walkdir::WalkDir::new(d)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                (e.path().to_path_buf(), e.metadata().unwrap().len())
            })
            .collect()
    };
    let before = listing(&data);
    let env = format!(
        "DUBAO_LIBRARY='{}' HOME='{}' DUBAO_TRACE_BYTES=1",
        lib.path().display(),
        dir.path().join("state").display()
    );
    // The reader as `nobody`: waits for `first` on screen, finds 征兵, quits; its log.
    let read_as_nobody = |tag: &str, first: &str| -> (String, String) {
        let _ = std::fs::remove_file(dir.path().join("state/dubao.log"));
        let mut launch = Launch::new(tag, (100, 30), dir.path());
        launch.before = "setpriv --reuid=65534 --regid=65534 --clear-groups env";
        launch.env = &env;
        let tmux = launch.start();
        let shown = tmux.wait_for(first, |s| s.contains(first));
        let screen = find_and_quit(&tmux, "征兵", "全市冬季征兵工作启动");
        let log = std::fs::read_to_string(dir.path().join("state/dubao.log")).unwrap();
        (shown + &screen, log)
    };
    let (screens, log) = read_as_nobody("shared", "人民日报 · 1期");
    for word in ["memory", "not writable", "内存"] {
        assert!(
            !screens.contains(word),
            "the shared index is used as it is:\n{screens}"
        );
    }
    assert!(log.contains("time to search: "), "{log}");
    assert!(
        !log.contains("notice: "),
        "opened as it is, nothing to say: {log}"
    );
    assert_eq!(
        listing(&data),
        before,
        "the reader wrote nothing in the data folder"
    );

    // The library grows (a crawler's new day) before the index is updated: the reader
    // who can't write there reads the index as it is and says so, rather than building
    // one of its own in memory.
    let day = lib.path().join("焦作日报/2019/11/27");
    std::fs::create_dir_all(&day).unwrap();
    std::fs::write(
        day.join("01.md"),
        "### 新建体育馆正式开放\n\n新建的市体育馆今天正式向市民开放，市民可免费入场健身。\n",
    )
    .unwrap();
    share(lib.path());
    let (screens, log) = read_as_nobody("shared-stale", "1 file changed since");
    assert!(!screens.contains("memory"), "{screens}");
    assert!(log.contains("notice: 1 file changed since"), "{log}");
    assert!(!log.contains("in memory"), "{log}");
    assert_eq!(
        listing(&data),
        before,
        "still nothing written in the data folder"
    );

    // The administrator updates the index while a reader is open: the reader (looking
    // every second here) opens it again, and finds the new article.
    std::fs::remove_file(dir.path().join("state/dubao.log")).unwrap();
    let env = format!("{env} DUBAO_RECHECK_SECS=1");
    let mut launch = Launch::new("shared-follow", (100, 30), dir.path());
    launch.before = "setpriv --reuid=65534 --regid=65534 --clear-groups env";
    launch.env = &env;
    let tmux = launch.start();
    let screen = tmux.wait_for("the notice", |s| s.contains("1 file changed since"));
    assert!(
        !screen.contains("新建体育馆"),
        "not in the index yet:\n{screen}"
    );
    index_as_admin();
    tmux.wait_for("the new article listed", |s| {
        s.contains("新建体育馆正式开放")
    });
    find_and_quit(&tmux, "体育馆", "新建体育馆正式开放");
}

/// Search `word` in the reader, see `title` among the results, quit: the results' screen.
fn find_and_quit(tmux: &Tmux, word: &str, title: &str) -> String {
    tmux.keys(&["/"]);
    tmux.literal(word);
    let screen = tmux.wait_for_stable("results", |s| s.contains(" result"));
    assert!(screen.contains(title), "{screen}");
    // Apart: an Escape followed at once by `q` reads as Alt+q.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the search closed", |s| !s.contains("搜索 search"));
    tmux.keys(&["q"]);
    tmux.wait_for("shell", |s| s.contains("EXIT=0"));
    screen
}
