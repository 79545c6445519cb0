//! The torture library (`dubao::synth::torture`): odd encodings, line endings, binary and
//! empty files, escape sequences, bidi controls, odd names, link loops. The library
//! still opens; good files read right; each bad file is named in exactly one warning;
//! nothing that can drive a terminal (ESC, BEL, C0/C1 controls, bidi controls) reaches
//! the output of `export --json`, `list` or `show`; no command hangs.
//!
//! The big set (a 10 MB line, a 100 MB file, a 200,000-character paragraph, 10,000
//! files in one folder) is ignored by default; run it with
//!
//! ```text
//! cargo test --release --test torture -- --ignored
//! ```

use dubao::archive::{self, source::LibrarySource};
use dubao::synth::torture::{self, Expect, Outcome};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A command that runs longer than this is taken to hang.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Characters that must never reach a terminal: C0 (but `\n`), DEL, C1, and the bidi
/// controls that reorder what follows them.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn assert_clean(text: &str, what: &str) {
    if let Some((i, c)) = text.char_indices().find(|(_, c)| forbidden(*c)) {
        let from = text.floor_char_boundary(i.saturating_sub(40));
        let to = text.ceil_char_boundary((i + 40).min(text.len()));
        panic!(
            "{what}: U+{:04X} reaches the output near {:?}",
            c as u32,
            &text[from..to]
        );
    }
}

struct Run {
    stdout: String,
    stderr: String,
}

/// Run dubao on the library, killing it (and failing) if it does not finish in time.
fn dubao(args: &[&str], library: &Path, data: &Path) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dubao"))
        .arg("--library")
        .arg(library)
        .args(args)
        .env_remove("DUBAO_LIBRARY")
        .env("DUBAO_DATA_DIR", data)
        .env("DUBAO_STATE_DIR", data.join("state"))
        .env("DUBAO_CONFIG", data.join("no-config.toml"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dubao");
    // Drain both pipes while waiting, so a big output cannot block the child.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).map(|_| bytes)
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("dubao {args:?} hung: killed after {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout = out.join().unwrap().expect("stdout");
    let stderr = err.join().unwrap().expect("stderr");
    let stderr = String::from_utf8(stderr).expect("stderr is UTF-8");
    assert!(status.success(), "dubao {args:?} failed: {stderr}");
    Run {
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr,
    }
}

/// Every string in a JSON value (object keys too), unescaped.
fn json_strings<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match v {
        serde_json::Value::String(s) => out.push(s),
        serde_json::Value::Array(a) => a.iter().for_each(|v| json_strings(v, out)),
        serde_json::Value::Object(o) => {
            for (k, v) in o {
                out.push(k);
                json_strings(v, out);
            }
        }
        _ => {}
    }
}

/// Which files must read and which must be warned about, by path.
fn by_file(expects: &[Expect]) -> (BTreeMap<&str, Vec<&Expect>>, BTreeSet<&str>) {
    let mut reads: BTreeMap<&str, Vec<&Expect>> = BTreeMap::new();
    let mut warned = BTreeSet::new();
    for e in expects {
        match e.outcome {
            Outcome::Reads { .. } => reads.entry(e.rel.as_str()).or_default().push(e),
            Outcome::Warned => {
                warned.insert(e.rel.as_str());
            }
        }
    }
    (reads, warned)
}

/// The whole check. `show_all`: run `show` for every article (else for the first
/// article of each file outside the 10,000-file folder).
fn torture(big: bool, show_all: bool) {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("library");
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&lib).unwrap();
    let expects = torture::generate(&lib, big).unwrap();
    let (reads, warned) = by_file(&expects);

    // The library opens; every bad file is named once with a reason, good files never.
    let library = archive::load(&LibrarySource::Dir(lib.clone()));
    for w in &library.warnings {
        assert!(
            warned.contains(w.file.as_str()),
            "unexpected warning: {w} (expected to read: {})",
            reads.contains_key(w.file.as_str())
        );
        assert!(!w.reason.trim().is_empty(), "warning without a reason: {w}");
        assert_clean(&w.to_string(), "warning");
    }
    for rel in &warned {
        let n = library.warnings.iter().filter(|w| w.file == *rel).count();
        assert_eq!(n, 1, "{rel} must be named in exactly one warning");
    }
    let issues: BTreeSet<&str> = library.files.iter().map(|i| i.file.as_str()).collect();
    for (rel, es) in &reads {
        assert!(
            issues.contains(rel),
            "{rel} ({}) did not read: {:?}",
            es[0].what,
            library.warnings
        );
    }

    // export --json: good files' words are there; nothing unsafe after unescaping.
    let run = dubao(&["export", "--json"], &lib, &data);
    assert_clean(&run.stderr, "export stderr");
    let mut text_by_file: BTreeMap<String, String> = BTreeMap::new();
    let mut ids: Vec<(String, String)> = Vec::new();
    for line in run.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let mut strings = Vec::new();
        json_strings(&v, &mut strings);
        for s in strings {
            assert_clean(s, "export --json");
        }
        let file = v["file"].as_str().expect("file").to_string();
        let text = text_by_file.entry(file.clone()).or_default();
        for key in ["title", "subtitle", "kicker", "byline", "body"] {
            if let Some(s) = v[key].as_str() {
                text.push_str(s);
                text.push('\n');
            }
        }
        ids.push((file, v["id"].as_str().expect("id").to_string()));
    }
    for (rel, es) in &reads {
        for e in es {
            if let Outcome::Reads { word: Some(word) } = &e.outcome {
                let text = text_by_file.get(*rel).map_or("", String::as_str);
                assert!(
                    text.contains(word.as_str()),
                    "{rel} ({}): {word:?} not in its export",
                    e.what
                );
            }
        }
    }
    // Warnings on stderr: once per bad file.
    for rel in &warned {
        let n = run
            .stderr
            .lines()
            .filter(|l| l.starts_with(&format!("dubao: warning: {rel}: ")))
            .count();
        assert_eq!(n, 1, "{rel} named {n} times on stderr:\n{}", run.stderr);
    }

    let run = dubao(&["list"], &lib, &data);
    assert_clean(&run.stdout, "list");
    assert_clean(&run.stderr, "list stderr");

    let mut shown = BTreeSet::new();
    for (file, id) in &ids {
        if !show_all && (file.starts_with("big/many/") || !shown.insert(file.clone())) {
            continue;
        }
        let run = dubao(&["show", id, "--width", "60"], &lib, &data);
        assert!(!run.stdout.trim().is_empty(), "show {id} ({file}) is empty");
        assert_clean(&run.stdout, &format!("show {id} ({file})"));
    }
}

#[test]
fn torture_library() {
    torture(false, true);
}

/// Slow (minutes in a debug build, ~130 MB on disk): run in release with `--ignored`.
#[test]
#[ignore]
fn torture_library_big() {
    torture(true, false);
}

/// The generator itself: it writes what it says, and the expectations name real files.
#[test]
fn generator_describes_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    let expects = torture::generate(tmp.path(), false).unwrap();
    let (reads, warned) = by_file(&expects);
    assert!(reads.len() >= 15, "good files: {}", reads.len());
    assert!(warned.len() >= 7, "bad files: {}", warned.len());
    // Only pages with a few NULs (unmapped glyphs), and PDFs read with one problem (a
    // page the parser failed on, a scan listed without text), are both read and warned.
    assert!(
        reads
            .keys()
            .filter(|r| warned.contains(*r))
            .all(|r| r.contains("nul") || r.starts_with("pdf/"))
    );
    // Every expectation without an odd name points at a file (or link) on disk.
    for e in &expects {
        if !e.rel.contains('\u{FFFD}') {
            let path = tmp.path().join(&e.rel);
            assert!(
                std::fs::symlink_metadata(&path).is_ok(),
                "{} is not on disk",
                e.rel
            );
        }
    }
}
