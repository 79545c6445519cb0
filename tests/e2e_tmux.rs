//! The real binary in a real terminal (tmux): first screen, a Chinese query, opening a
//! result, a resize, quitting back to the shell. Every captured row is measured with an
//! independent width oracle (Python `wcwidth`). Skipped, with a note, without tmux.
//!
//! Bytes written to the terminal per event are logged by the binary with
//! `DUBAO_TRACE_BYTES=1` and printed here (`cargo test --test e2e_tmux -- --nocapture`).

mod common;

use std::path::Path;
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
                "waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
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

fn check_widths(screen: &str, width: usize) -> bool {
    common::rows_fit_by_wcwidth(screen, width)
}

fn byte_log(state: &Path) -> Vec<String> {
    std::fs::read_to_string(state.join("dubao.log"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once(" bytes ").map(|(_, r)| r.to_string()))
        .collect()
}

/// A tmux server of our own with one `sh` window of `width`×`height`, where the shell
/// runs `before`, then dubao with its data, state and config under `dir` (config at
/// `config`), then `after`.
fn launch(
    tag: &str,
    (width, height): (u16, u16),
    dir: &Path,
    config: &Path,
    env: &str,
    before: &str,
    after: &str,
) -> Tmux {
    let tmux = Tmux {
        socket: format!("dubao-e2e-{tag}-{}", std::process::id()),
    };
    let (w, h) = (width.to_string(), height.to_string());
    tmux.cmd(&[
        "-f",
        "/dev/null",
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
    let line = format!(
        "clear; {before} DUBAO_DATA_DIR='{}' DUBAO_STATE_DIR='{}' DUBAO_CONFIG='{}' {env} '{}'; {after}",
        dir.join("data").display(),
        dir.join("state").display(),
        config.display(),
        env!("CARGO_BIN_EXE_dubao"),
    );
    tmux.literal(&line);
    tmux.keys(&["Enter"]);
    tmux
}

#[test]
fn reader_in_tmux() {
    if Command::new("tmux").arg("-V").output().is_err() {
        // CI installs tmux: there a missing one is a failure, not a skip.
        assert!(std::env::var_os("CI").is_none(), "tmux is missing in CI");
        eprintln!("note: tmux not installed; e2e_tmux skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let tmux = launch(
        "reader",
        (100, 30),
        dir.path(),
        &dir.path().join("config.toml"),
        "DUBAO_TRACE_BYTES=1",
        "echo BEFORE-DUBAO;",
        "echo AFTER-DUBAO",
    );

    // First screen: the issues as group headers.
    let lib = dubao::archive::load(&dubao::archive::source::LibrarySource::Embedded);
    let first: String = lib.issues[0].name.chars().take(8).collect();
    let screen = tmux.wait_for("issue headers", |s| {
        s.contains(&first) && s.contains("? help")
    });
    assert!(tmux.alternate_on(), "the reader uses the alternate screen");
    let mut oracle = check_widths(&screen, 100);

    // A Chinese query, typed one character at a time.
    tmux.keys(&["/"]);
    tmux.wait_for("search box", |s| s.contains("Enter open"));
    tmux.literal("大");
    tmux.wait_for("results for 大", |s| s.matches('大').count() >= 2);
    tmux.literal("气");
    let screen = tmux.wait_for("results for 大气", |s| s.matches("大气").count() >= 2);
    oracle &= check_widths(&screen, 100);

    // Enter opens the first result in the reader, matches highlighted.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("reader", |s| s.contains("n/N match"));
    oracle &= check_widths(&screen, 100);
    for _ in 0..3 {
        tmux.keys(&["j"]);
        std::thread::sleep(Duration::from_millis(100));
    }

    // Narrower than 100 columns: one pane at a time.
    tmux.cmd(&["resize-window", "-t", "e2e", "-x", "60", "-y", "20"]);
    let screen = tmux.wait_for("narrow reader", |s| {
        !s.contains('│') && s.lines().any(|l| l.contains('%'))
    });
    oracle &= check_widths(&screen, 60);

    // q goes back to the list, q again quits to the shell.
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("list", |s| s.contains("Enter read"));
    oracle &= check_widths(&screen, 60);
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("shell", |s| s.contains("AFTER-DUBAO"));
    assert!(
        screen.contains("BEFORE-DUBAO"),
        "main screen is back:\n{screen}"
    );
    assert!(!tmux.alternate_on());
    if !oracle {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 wcwidth is missing in CI"
        );
        eprintln!("note: python3 wcwidth not installed; width oracle skipped");
    }

    // The reading state was saved.
    let saved = std::fs::read_to_string(state.join("state.json")).unwrap();
    let saved: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert!(saved["last_article"].is_string(), "{saved}");
    assert!(!saved["read"].as_array().unwrap().is_empty(), "{saved}");

    eprintln!("bytes written to the terminal per event:");
    for l in byte_log(&state) {
        eprintln!("  {l}");
    }
}

/// SIGTERM and SIGHUP: state saved, terminal restored, the shell gets its screen back.
#[test]
fn signals_restore_the_terminal_and_save_state() {
    if Command::new("tmux").arg("-V").output().is_err() {
        // CI installs tmux: there a missing one is a failure, not a skip.
        assert!(std::env::var_os("CI").is_none(), "tmux is missing in CI");
        eprintln!("note: tmux not installed; e2e_tmux skipped");
        return;
    }
    for signal in ["TERM", "HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let tmux = launch(
            &format!("sig-{signal}"),
            (90, 24),
            dir.path(),
            &dir.path().join("config.toml"),
            "",
            "",
            "echo EXIT=$?",
        );
        tmux.wait_for("list", |s| s.contains("Enter read"));
        tmux.keys(&["Enter"]);
        tmux.wait_for("reader", |s| s.contains("n/N match"));
        // The reader is the only child of the pane's shell.
        let shell = tmux.cmd(&["display", "-p", "-t", "e2e", "#{pane_pid}"]);
        let child = Command::new("pgrep")
            .args(["-P", shell.trim()])
            .output()
            .expect("pgrep");
        let pid = String::from_utf8_lossy(&child.stdout).trim().to_string();
        assert!(!pid.is_empty(), "the reader runs");
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

/// A config file's keys reach the real binary: the status line names the remapped
/// key, `l` steps articles, the remapped quit key ends the reader.
#[test]
fn configured_keys_in_tmux() {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "tmux is missing in CI");
        eprintln!("note: tmux not installed; e2e_tmux skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[keys]\nquit = [\"x\"]\nnext_article = [\"l\"]\n[colors]\nstatus = \"black on green\"\n",
    )
    .unwrap();
    let tmux = launch(
        "keys",
        (90, 24),
        dir.path(),
        &config,
        "",
        "",
        "echo EXIT=$?",
    );
    tmux.wait_for("list with remapped quit", |s| s.contains("x quit"));
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
