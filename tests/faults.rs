//! Faults the search index and the reading state must survive, with the real binary:
//! kill -9 during a build at several moments, two builders at once, a full disk, a
//! read-only or deleted data folder, damaged index files, a damaged state file. Every
//! case ends with `dubao search` answering exactly as a clean index built in another data
//! folder does (or with a clear one-line message), and bookmarks surviving.
//!
//! The full-disk and read-only cases mount a small tmpfs. Without the right to mount,
//! they run again inside `unshare -rm` (a user and mount namespace), and are skipped
//! with a note when that is refused too.

use dubao::app::state_file::{self, Position, ReadingState};
use dubao::archive::source::LibrarySource;
use dubao::index::build;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_dubao");

/// Articles in the library killed builds run on: enough that a debug build takes a
/// couple of seconds, so that there is time to kill it at each moment.
const BIG: usize = 3000;
/// Articles in the library of the other cases: a build is quick, and the index is still
/// several megabytes (larger than the full disk).
const SMALL: usize = 800;

/// Queries whose answers are compared: words, a phrase, filters, an exclusion. Each
/// matches a few hundred articles at most, so that every hit is compared.
const QUERIES: &[&str] = &[
    "\"黄河\"",
    "扫黑除恶",
    "title:焦作",
    "\"高质量发展\" title:焦作",
    "焦作 date:2016-03",
    "农发行",
    "王小平 -焦作",
    "怀川",
    "太极拳",
];

/// Every query's hits, as sorted article ids (ranks are not compared: scores may differ
/// while deleted documents wait for a merge).
type Answers = BTreeMap<String, Vec<String>>;

/// The binary on `lib` with `data` as its data folder, and nothing from the
/// environment or a config file.
fn dubao(lib: &Path, data: &Path, state: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--library")
        .arg(lib)
        .arg("--data-dir")
        .arg(data)
        .env_remove("DUBAO_LIBRARY")
        .env_remove("DUBAO_DATA_DIR")
        .env_remove("RUST_BACKTRACE")
        .env("DUBAO_STATE_DIR", state)
        .env("DUBAO_CONFIG", state.join("no-config.toml"))
        .stdin(Stdio::null());
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Messages on stderr are whole lines of their own, `dubao: …`, with no panic and no
/// backtrace.
fn assert_tidy(stderr: &str, what: &str) {
    for line in stderr.lines() {
        assert!(
            line.starts_with("dubao: ") && line.len() > "dubao: ".len(),
            "{what}: stray line on stderr: {line:?}\n{stderr}"
        );
    }
    for bad in ["panicked at", "stack backtrace", "RUST_BACKTRACE"] {
        assert!(!stderr.contains(bad), "{what}: {bad} on stderr:\n{stderr}");
    }
}

/// The article count at the end of `dubao index`'s summary (`… N articles in the index`
/// or `index up to date: N articles`).
fn articles_in_summary(stdout: &str) -> u64 {
    let words: Vec<&str> = stdout.split_whitespace().collect();
    words
        .windows(2)
        .filter(|w| w[1] == "articles")
        .filter_map(|w| w[0].parse().ok())
        .next_back()
        .unwrap_or_else(|| panic!("no article count in {stdout:?}"))
}

/// Parse `search --json` lines (from a batch, each naming its query).
fn parse_answers(stdout: &str) -> Answers {
    let mut answers: Answers = QUERIES.iter().map(|q| (q.to_string(), vec![])).collect();
    for line in stdout.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        let q = v["query"].as_str().expect("query").to_string();
        let id = v["id"].as_str().expect("id").to_string();
        answers.entry(q).or_default().push(id);
    }
    for ids in answers.values_mut() {
        ids.sort();
    }
    answers
}

/// Every query of [`QUERIES`] in one file, for `search --batch`.
fn query_file() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("faults-queries.txt");
        let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
        std::fs::write(&tmp, QUERIES.join("\n") + "\n").unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        path
    })
}

/// Run every query; the search must succeed. Returns the answers and stderr.
fn search(lib: &Path, data: &Path, state: &Path) -> (Answers, String) {
    let out = dubao(lib, data, state)
        .args(["search", "--json", "--limit", "100000", "--batch"])
        .arg(query_file())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(out.status.success(), "search failed: {err}");
    assert_tidy(&err, "search");
    (parse_answers(&text(&out.stdout)), err)
}

/// `dubao index`, with tidy stderr whatever its outcome.
fn index(lib: &Path, data: &Path, state: &Path, extra: &[&str]) -> Output {
    let out = dubao(lib, data, state)
        .arg("index")
        .args(extra)
        .output()
        .unwrap();
    assert_tidy(&text(&out.stderr), "index");
    out
}

/// `dubao index` that must succeed; returns the number of articles it reports.
fn index_ok(lib: &Path, data: &Path, state: &Path) -> (u64, String) {
    let out = index(lib, data, state, &[]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "index failed: {stderr}");
    (articles_in_summary(&stdout), stderr)
}

/// What a clean index of a library answers.
#[derive(Clone, Debug)]
struct Clean {
    articles: u64,
    answers: Answers,
}

fn clean_of(lib: &Path) -> Clean {
    let data = tempfile::tempdir().unwrap();
    let state = data.path().join("state");
    let (articles, err) = index_ok(lib, data.path(), &state);
    assert!(err.is_empty(), "a clean build has nothing to say: {err}");
    let (answers, err) = search(lib, data.path(), &state);
    assert!(err.is_empty(), "{err}");
    assert!(articles > 0);
    assert!(
        answers.values().filter(|ids| !ids.is_empty()).count() >= QUERIES.len() - 1,
        "the queries find something: {answers:?}"
    );
    Clean { articles, answers }
}

/// A generated library shared by the tests that don't change it (the same bytes on
/// every run: made once, kept in the target folder).
fn corpus(articles: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("faults-corpus-{articles}"));
    if !dir.exists() {
        let tmp = dir.with_extension(format!("tmp-{}-{articles}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        dubao::synth::corpus::generate(&tmp, articles, 7).unwrap();
        // Another test (or test run) may have made it meanwhile: theirs is the same.
        if std::fs::rename(&tmp, &dir).is_err() {
            std::fs::remove_dir_all(&tmp).unwrap();
        }
    }
    dir
}

/// A private copy of a generated library, for the tests that change it.
fn corpus_copy(articles: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    dubao::synth::corpus::generate(dir.path(), articles, 7).unwrap();
    dir
}

fn clean(articles: usize) -> &'static Clean {
    static BIG_CLEAN: OnceLock<Clean> = OnceLock::new();
    static SMALL_CLEAN: OnceLock<Clean> = OnceLock::new();
    let cell = if articles == BIG {
        &BIG_CLEAN
    } else {
        &SMALL_CLEAN
    };
    cell.get_or_init(|| clean_of(&corpus(articles)))
}

/// The folder of a library's index in a data folder.
fn index_dir(lib: &Path, data: &Path) -> PathBuf {
    let (key, _) = build::library_key(&LibrarySource::Dir(lib.to_path_buf())).unwrap();
    build::index_dir(data, &key)
}

/// Reading state with bookmarks and positions, saved in `dir`: whatever happens to the
/// index, it must load back the same.
fn saved_state(dir: &Path) -> ReadingState {
    let mut s = ReadingState::default();
    for (i, id) in ["0a49c81c1faf", "fcff2bf19977", "b69ca8326436"]
        .iter()
        .enumerate()
    {
        s.toggle_bookmark(id);
        s.read.insert(id.to_string());
        s.positions.insert(
            id.to_string(),
            Position {
                paragraph: Some(i + 2),
                row: i,
            },
        );
    }
    s.last_article = Some("fcff2bf19977".into());
    state_file::save(dir, &s).unwrap();
    s
}

fn assert_state_survived(dir: &Path, want: &ReadingState) {
    assert_eq!(state_file::load(dir), (want.clone(), None));
}

const SEGMENT_EXTS: &[&str] = &["idx", "pos", "term", "store", "fast", "fieldnorm"];

fn ext_of(p: &Path) -> &str {
    p.extension().and_then(|e| e.to_str()).unwrap_or("")
}

/// Segment files in an index folder, sorted.
fn segment_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| SEGMENT_EXTS.contains(&ext_of(p)))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The segment ids meta.json lists (committed segments); `None` while it can't be read.
fn committed_segments(dir: &Path) -> Option<Vec<String>> {
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("meta.json")).ok()?).ok()?;
    let mut ids: Vec<String> = meta["segments"]
        .as_array()?
        .iter()
        .filter_map(|s| s["segment_id"].as_str().map(str::to_string))
        .collect();
    ids.sort();
    Some(ids)
}

/// How many library files the manifest names; `None` while it can't be read.
fn manifest_files(dir: &Path) -> Option<usize> {
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(dubao::index::manifest::FILE_NAME)).ok()?)
            .ok()?;
    Some(m["files"].as_object()?.len())
}

/// Watch `child` and kill -9 it as soon as `reached` holds. True if it was killed then,
/// false if it ended first.
fn kill_when(mut child: Child, mut reached: impl FnMut() -> bool) -> bool {
    loop {
        if reached() {
            child.kill().unwrap();
            child.wait().unwrap();
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn spawn_index(lib: &Path, data: &Path, state: &Path, extra: &[&str]) -> Child {
    dubao(lib, data, state)
        .arg("index")
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// After whatever happened, `dubao index` then `dubao search` answer as a clean index.
fn assert_converges(lib: &Path, data: &Path, state: &Path, want: &Clean, what: &str) {
    let (n, _) = index_ok(lib, data, state);
    assert_eq!(n, want.articles, "{what}: articles in the index");
    let (got, err) = search(lib, data, state);
    assert!(err.is_empty(), "{what}: the index was repaired: {err}");
    assert_eq!(got, want.answers, "{what}");
}

#[test]
fn first_build_killed_at_several_moments_converges() {
    let lib = corpus(BIG);
    let want = clean(BIG);
    type Moment = (&'static str, fn(&Path) -> bool);
    let moments: [Moment; 4] = [
        // The empty index and its manifest exist; files are being read and parsed.
        ("reading the library", |d| manifest_files(d).is_some()),
        // The first commit is writing the segments.
        ("writing the segments", |d| {
            !segment_files(d).is_empty() && committed_segments(d).is_some_and(|s| s.is_empty())
        }),
        // Committed, the manifest not yet updated.
        ("right after the commit", |d| {
            committed_segments(d).is_some_and(|s| !s.is_empty())
        }),
        // The manifest names the files (the last steps: merges, checksums).
        ("after the manifest", |d| {
            manifest_files(d).is_some_and(|n| n > 0)
        }),
    ];
    let mut killed = Vec::new();
    for (what, reached) in moments {
        let data = tempfile::tempdir().unwrap();
        let state = data.path().join("state");
        let bookmarks = saved_state(&state);
        let dir = index_dir(&lib, data.path());
        let child = spawn_index(&lib, data.path(), &state, &[]);
        if kill_when(child, || reached(&dir)) {
            killed.push(what);
        }
        assert_converges(&lib, data.path(), &state, want, what);
        assert_state_survived(&state, &bookmarks);
    }
    eprintln!("killed: {killed:?}");
    // These last seconds each: a kill can't miss them.
    assert!(
        killed.contains(&"reading the library") && killed.contains(&"writing the segments"),
        "{killed:?}"
    );
}

#[test]
fn killed_update_and_rebuild_converge() {
    let lib = corpus_copy(BIG);
    let lib = lib.path();
    let data = tempfile::tempdir().unwrap();
    let state = data.path().join("state");
    let bookmarks = saved_state(&state);
    let dir = index_dir(lib, data.path());
    index_ok(lib, data.path(), &state);
    let before = committed_segments(&dir).unwrap();

    // A third of the files change, some go, a new year of issues arrives.
    let mut files: Vec<PathBuf> = walk(lib);
    files.sort();
    for (i, f) in files.iter().enumerate() {
        match i % 6 {
            0 => std::fs::remove_file(f).unwrap(),
            1 => {
                let mut t = std::fs::read_to_string(f).unwrap();
                t.push_str("\n\n### 改动的文章\n\n扫黑除恶，太极拳，怀川。\n");
                std::fs::write(f, t).unwrap();
            }
            _ => {}
        }
    }
    let extra = tempfile::tempdir().unwrap();
    dubao::synth::corpus::generate(extra.path(), 600, 99).unwrap();
    std::fs::rename(extra.path().join("2016"), lib.join("later")).unwrap();
    let want = clean_of(lib);

    let mut killed = Vec::new();
    // The update writes its new segments…
    let child = spawn_index(lib, data.path(), &state, &[]);
    if kill_when(child, || {
        segment_files(&dir).len() > before.len() * SEGMENT_EXTS.len()
    }) {
        killed.push("update writing segments");
    }
    // …then commits them with the deletions.
    let child = spawn_index(lib, data.path(), &state, &[]);
    if kill_when(child, || {
        committed_segments(&dir).is_some_and(|s| s != before)
    }) {
        killed.push("update committed");
    }
    assert_converges(lib, data.path(), &state, &want, "killed update");

    // A rebuild throws the index away first: killed while it writes the new one.
    let child = spawn_index(lib, data.path(), &state, &["--rebuild"]);
    let old = segment_files(&dir);
    if kill_when(child, || {
        let now = segment_files(&dir);
        !now.is_empty() && now.iter().all(|f| !old.contains(f))
    }) {
        killed.push("rebuild writing segments");
    }
    assert_converges(lib, data.path(), &state, &want, "killed rebuild");
    assert_state_survived(&state, &bookmarks);
    eprintln!("killed: {killed:?}");
    assert!(killed.contains(&"rebuild writing segments"), "{killed:?}");
}

/// Every issue file under `root`.
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn two_builders_and_a_searcher_at_once() {
    let lib = corpus(BIG);
    let want = clean(BIG);
    let data = tempfile::tempdir().unwrap();
    let state = data.path().join("state");
    let piped = |mut c: Command| {
        c.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut first = dubao(&lib, data.path(), &state);
    first.arg("index");
    let mut second = dubao(&lib, data.path(), &state);
    second.arg("index");
    let builders = [piped(first), piped(second)];
    // A search while they build: it waits a little, then answers from what there is.
    std::thread::sleep(Duration::from_millis(300));
    let mut searcher = dubao(&lib, data.path(), &state);
    searcher
        .args(["search", "--json", "--limit", "100000", "--batch"])
        .arg(query_file());
    let searcher = piped(searcher);
    for b in builders {
        let out = b.wait_with_output().unwrap();
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_tidy(&stderr, "builder");
        assert!(out.status.success(), "builder failed: {stderr}");
        // Both report the whole library indexed: the second waited for the first.
        assert_eq!(
            articles_in_summary(&stdout),
            want.articles,
            "{stdout}{stderr}"
        );
    }
    let out = searcher.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_tidy(&stderr, "searcher");
    assert!(out.status.success(), "searcher failed: {stderr}");
    let during = parse_answers(&text(&out.stdout));
    if during != want.answers {
        // Answers from an index still being built: never a wrong hit, and said so.
        assert!(!stderr.is_empty(), "incomplete answers without a word");
        for (q, ids) in &during {
            assert!(
                ids.iter()
                    .all(|id| want.answers[q].binary_search(id).is_ok()),
                "{q}: a hit a clean index does not have"
            );
        }
    }
    let (got, err) = search(&lib, data.path(), &state);
    assert!(err.is_empty(), "{err}");
    assert_eq!(&got, &want.answers);
}

/// A tmpfs mounted on a temporary folder, unmounted when dropped (even when the test
/// fails).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// `Err` with the reason when mounting is not permitted.
    fn mount(size: &str) -> Result<Tmpfs, String> {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={size},mode=0755"))
            .arg("tmpfs")
            .arg(dir.path())
            .output()
            .map_err(|e| format!("mount: {e}"))?;
        if !out.status.success() {
            return Err(text(&out.stderr).trim().to_string());
        }
        Ok(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, options: &str) {
        // Type and source spelled out: in a user namespace `mount` can't work them out.
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("remount,{options}"), "tmpfs"])
            .arg(self.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "remount: {}", text(&out.stderr));
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let umount = |lazy: bool| {
            let mut c = Command::new("umount");
            if lazy {
                c.arg("-l");
            }
            c.arg(self.dir.path())
                .output()
                .is_ok_and(|o| o.status.success())
        };
        // Busy (a process we started still inside)? Detach it anyway.
        if !umount(false) {
            umount(true);
        }
    }
}

/// Mount a tmpfs for `test`. Without the right to mount, run `test` again inside a user
/// and mount namespace (`unshare -rm`) and return `None`; `None` too, with a note, when
/// neither is possible.
fn tmpfs_or_namespace(size: &str, test: &str) -> Option<Tmpfs> {
    let refused = match Tmpfs::mount(size) {
        Ok(t) => return Some(t),
        Err(e) => e,
    };
    if std::env::var_os("DUBAO_FAULTS_IN_NAMESPACE").is_some() {
        panic!("cannot mount a tmpfs even in a namespace: {refused}");
    }
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("unshare")
        .args(["-rm", "--"])
        .arg(exe)
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env("DUBAO_FAULTS_IN_NAMESPACE", "1")
        .output();
    match out {
        Ok(o) if o.status.success() => {
            eprintln!("{test}: ran inside unshare -rm\n{}", text(&o.stdout));
        }
        Ok(o) if text(&o.stdout).contains("running 1 test") => {
            panic!(
                "{test} failed inside unshare -rm:\n{}{}",
                text(&o.stdout),
                text(&o.stderr)
            );
        }
        Ok(o) => eprintln!(
            "skipped: cannot mount ({refused}; unshare -rm: {})",
            text(&o.stderr).trim()
        ),
        Err(e) => eprintln!("skipped: cannot mount ({refused}; unshare: {e})"),
    }
    None
}

#[test]
fn full_disk_gives_a_clear_message_then_recovers() {
    // The index of the small library takes several megabytes.
    let Some(disk) = tmpfs_or_namespace("1m", "full_disk_gives_a_clear_message_then_recovers")
    else {
        return;
    };
    let lib = corpus(SMALL);
    let want = clean(SMALL);
    let data = disk.path().join("data");
    let state = tempfile::tempdir().unwrap();
    let bookmarks = saved_state(state.path());

    // Building runs out of space: a clear message, a failure.
    let out = index(&lib, &data, state.path(), &[]);
    let stderr = text(&out.stderr);
    assert!(
        !out.status.success(),
        "the index could not be written: {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.to_lowercase().contains("no space left"),
        "says why: {stderr}"
    );
    // Searching still answers (from an index in memory), and says so.
    let (got, stderr) = search(&lib, &data, state.path());
    assert_eq!(got, want.answers);
    assert!(stderr.contains("memory"), "{stderr}");

    // With room again, the index is built and answers as a clean one.
    disk.remount("size=64m");
    assert_converges(&lib, &data, state.path(), want, "after the disk full");

    // The disk fills up between two builds: the next update fails cleanly, answers stay
    // right, and once there is room again it catches up.
    let lib2 = corpus_copy(SMALL);
    let data2 = disk.path().join("data2");
    index_ok(lib2.path(), &data2, state.path());
    let extra = tempfile::tempdir().unwrap();
    dubao::synth::corpus::generate(extra.path(), 300, 5).unwrap();
    std::fs::rename(extra.path().join("2016"), lib2.path().join("later")).unwrap();
    let want2 = clean_of(lib2.path());
    fill(disk.path());
    let out = index(lib2.path(), &data2, state.path(), &[]);
    let stderr = text(&out.stderr);
    assert!(
        !out.status.success(),
        "the update could not be written: {stderr}"
    );
    assert!(stderr.to_lowercase().contains("no space left"), "{stderr}");
    let (got, _) = search(lib2.path(), &data2, state.path());
    assert_eq!(got, want2.answers);
    std::fs::remove_file(disk.path().join("filler")).unwrap();
    assert_converges(
        lib2.path(),
        &data2,
        state.path(),
        &want2,
        "after room again",
    );
    assert_state_survived(state.path(), &bookmarks);
}

/// Fill the file system of `dir` up to the last byte.
fn fill(dir: &Path) {
    let mut f = std::fs::File::create(dir.join("filler")).unwrap();
    let block = vec![0u8; 64 << 10];
    while f.write_all(&block).is_ok() {}
    while f.write_all(&[0]).is_ok() {}
}

#[test]
fn read_only_data_folder() {
    let Some(disk) = tmpfs_or_namespace("64m", "read_only_data_folder") else {
        return;
    };
    let lib = corpus_copy(SMALL);
    let lib = lib.path();
    let want = clean_of(lib);
    let data = disk.path().join("data");
    let state = tempfile::tempdir().unwrap();
    index_ok(lib, &data, state.path());
    disk.remount("ro");

    // Nothing changed: the index on disk is used as it is.
    let (got, stderr) = search(lib, &data, state.path());
    assert_eq!(got, want.answers);
    assert!(
        !stderr.contains("memory"),
        "an up-to-date index is used, not rebuilt: {stderr}"
    );
    // The library changed: the index can't be updated; the answers are still right (from
    // an index in memory) and a message says why.
    let files = walk(lib);
    std::fs::remove_file(&files[0]).unwrap();
    std::fs::write(&files[1], "### 新的文章\n\n太极拳和怀川。\n").unwrap();
    let want = clean_of(lib);
    let (got, stderr) = search(lib, &data, state.path());
    assert_eq!(got, want.answers);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("not writable"), "{stderr}");
    // `dubao index` can't do its job: it fails, saying why.
    let out = index(lib, &data, state.path(), &[]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("not writable"), "{stderr}");
    // Writable again: it catches up.
    disk.remount("rw");
    assert_converges(lib, &data, state.path(), &want, "writable again");
}

/// Lines from a child's stdout, as they come.
fn line_reader(out: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Ask every query through a running `search --batch` and read its answers (as many
/// lines as a clean index gives: fewer would be a failure, noticed at the deadline).
fn converse(
    stdin: &mut impl Write,
    lines: &std::sync::mpsc::Receiver<String>,
    want: &Clean,
) -> Answers {
    for q in QUERIES {
        writeln!(stdin, "{q}").unwrap();
    }
    stdin.flush().unwrap();
    let expected: usize = want.answers.values().map(Vec::len).sum();
    let mut got = Vec::new();
    while got.len() < expected {
        // Not a timing assertion: a deadline so that a missing answer fails, not hangs.
        match lines.recv_timeout(Duration::from_secs(120)) {
            Ok(l) => got.push(l),
            Err(e) => panic!("answers stopped after {} lines: {e}", got.len()),
        }
    }
    parse_answers(&got.join("\n"))
}

#[test]
fn data_folder_deleted_while_searching() {
    let lib = corpus(SMALL);
    let want = clean(SMALL);
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let state = root.path().join("state");
    let bookmarks = saved_state(&state);
    index_ok(&lib, &data, &state);
    let mut child = dubao(&lib, &data, &state)
        .args([
            "search",
            "--json",
            "--limit",
            "100000",
            "--batch",
            "/dev/stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let lines = line_reader(child.stdout.take().unwrap());
    assert_eq!(converse(&mut stdin, &lines, want), want.answers);
    delete_in_use(&data);
    // The open index keeps answering.
    assert_eq!(converse(&mut stdin, &lines, want), want.answers);
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_tidy(&text(&out.stderr), "search");
    // The next run builds it again.
    let out = index(&lib, &data, &state, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("indexed "), "rebuilt");
    assert_converges(
        &lib,
        &data,
        &state,
        want,
        "after the data folder was deleted",
    );
    assert_state_survived(&state, &bookmarks);
}

/// `rm -rf` a folder another process may be writing into: the removal can meet a file
/// created after it listed the folder (ENOTEMPTY), as it would for a user; do as they
/// would, again.
fn delete_in_use(dir: &Path) {
    let mut tries = 0;
    while let Err(e) = std::fs::remove_dir_all(dir) {
        tries += 1;
        assert!(tries < 200, "could not delete {}: {e}", dir.display());
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn data_folder_deleted_while_building() {
    let lib = corpus(BIG);
    let want = clean(BIG);
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let state = root.path().join("state");
    let dir = index_dir(&lib, &data);
    let mut child = dubao(&lib, &data, &state)
        .arg("index")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once the segments are being written, the whole data folder goes.
    while segment_files(&dir).is_empty() && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(1));
    }
    delete_in_use(&data);
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_tidy(&stderr, "index");
    if !out.status.success() {
        assert_eq!(stderr.lines().count(), 1, "a clear message: {stderr}");
    }
    assert_converges(
        &lib,
        &data,
        &state,
        want,
        "data folder deleted while building",
    );
}

/// Copy a folder with its times (so the index's checksum cache still applies).
fn copy_dir(from: &Path, to: &Path) {
    let out = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .output()
        .unwrap();
    assert!(out.status.success(), "cp: {}", text(&out.stderr));
}

/// Flip 16 bytes in the middle of a file.
fn flip_middle(p: &Path) {
    let mut bytes = std::fs::read(p).unwrap();
    let mid = bytes.len() / 2;
    for b in bytes.iter_mut().skip(mid.saturating_sub(8)).take(16) {
        *b ^= 0xa5;
    }
    std::fs::write(p, bytes).unwrap();
}

fn truncate(p: &Path, to: impl Fn(u64) -> u64) {
    let f = std::fs::OpenOptions::new().write(true).open(p).unwrap();
    let len = f.metadata().unwrap().len();
    f.set_len(to(len)).unwrap();
}

#[test]
fn damaged_index_files_are_rebuilt() {
    let lib = corpus(SMALL);
    let want = clean(SMALL);
    let root = tempfile::tempdir().unwrap();
    let pristine = root.path().join("pristine");
    let state = root.path().join("state");
    let bookmarks = saved_state(&state);
    index_ok(&lib, &pristine, &state);
    let largest_segment = |dir: &Path, ext: &str| -> PathBuf {
        segment_files(dir)
            .into_iter()
            .filter(|p| ext_of(p) == ext)
            .max_by_key(|p| std::fs::metadata(p).unwrap().len())
            .unwrap_or_else(|| panic!("no .{ext} file"))
    };
    type Damage = (String, Box<dyn Fn(&Path)>);
    let mut damages: Vec<Damage> = Vec::new();
    // Every kind of segment file cut short: to nothing, or in the middle.
    for (i, ext) in SEGMENT_EXTS.iter().enumerate() {
        let (what, keep): (&str, fn(u64) -> u64) = if i % 2 == 0 {
            ("cut in half", |n| n / 2)
        } else {
            ("emptied", |_| 0)
        };
        damages.push((
            format!(".{ext} {what}"),
            Box::new(move |d| truncate(&largest_segment(d, ext), keep)),
        ));
    }
    for ext in ["pos", "fieldnorm"] {
        damages.push((
            format!(".{ext} with bytes flipped"),
            Box::new(move |d| flip_middle(&largest_segment(d, ext))),
        ));
    }
    damages.push((
        ".term deleted".into(),
        Box::new(move |d| std::fs::remove_file(largest_segment(d, "term")).unwrap()),
    ));
    damages.push((
        "meta.json emptied".into(),
        Box::new(|d| truncate(&d.join("meta.json"), |_| 0)),
    ));
    damages.push((
        "manifest cut in half".into(),
        Box::new(|d| truncate(&d.join(dubao::index::manifest::FILE_NAME), |n| n / 2)),
    ));
    for (what, damage) in &damages {
        let data = root.path().join("data");
        let _ = std::fs::remove_dir_all(&data);
        copy_dir(&pristine, &data);
        damage(&index_dir(&lib, &data));
        let (got, stderr) = search(&lib, &data, &state);
        assert_eq!(stderr.lines().count(), 1, "{what}: one notice: {stderr}");
        assert!(stderr.contains("rebuilding"), "{what}: {stderr}");
        assert_eq!(got, want.answers, "{what}");
        // Repaired on disk: the next run has nothing to say or do.
        let (n, stderr) = index_ok(&lib, &data, &state);
        assert!(stderr.is_empty(), "{what}: {stderr}");
        assert_eq!(n, want.articles, "{what}");
    }
    assert_state_survived(&state, &bookmarks);
}

/// Bit rot: bytes change but the size and time of the file do not, so the checksums
/// (checked only for files that changed since they were verified) don't catch it. A
/// search then answers right or fails with a one-line message saying how to rebuild.
#[test]
fn index_damaged_behind_its_back_says_how_to_rebuild() {
    let lib = corpus(SMALL);
    let want = clean(SMALL);
    let root = tempfile::tempdir().unwrap();
    let state = root.path().join("state");
    for ext in ["store", "idx"] {
        let data = root.path().join(ext);
        index_ok(&lib, &data, &state);
        let dir = index_dir(&lib, &data);
        let file = segment_files(&dir)
            .into_iter()
            .filter(|p| ext_of(p) == ext)
            .max_by_key(|p| std::fs::metadata(p).unwrap().len())
            .unwrap();
        let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
        flip_middle(&file);
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let out = dubao(&lib, &data, &state)
            .args(["search", "--json", "--limit", "100000", "--batch"])
            .arg(query_file())
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_tidy(&stderr, ext);
        if out.status.success() {
            assert_eq!(parse_answers(&text(&out.stdout)), want.answers, "{ext}");
        } else {
            assert_eq!(stderr.lines().count(), 1, "{ext}: {stderr}");
            assert!(stderr.contains("dubao index --rebuild"), "{ext}: {stderr}");
        }
        let out = index(&lib, &data, &state, &["--rebuild"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let (got, stderr) = search(&lib, &data, &state);
        assert!(stderr.is_empty(), "{stderr}");
        assert_eq!(got, want.answers, "{ext}: rebuilt");
    }
}

#[test]
fn damaged_state_file_keeps_bookmarks_and_positions() {
    let dir = tempfile::tempdir().unwrap();
    let first = saved_state(dir.path());
    let mut second = first.clone();
    second.toggle_bookmark("4cc1a2b3c4d5");
    second.positions.insert(
        "4cc1a2b3c4d5".into(),
        Position {
            paragraph: Some(11),
            row: 2,
        },
    );
    let path = dir.path().join(state_file::FILE_NAME);
    let whole = serde_json::to_vec_pretty(&second).unwrap();
    let damages: [(&str, Vec<u8>); 3] = [
        ("cut mid-JSON", whole[..whole.len() * 2 / 3].to_vec()),
        ("empty", vec![]),
        ("garbage", (0..=255u8).rev().cycle().take(700).collect()),
    ];
    for (what, bytes) in damages {
        // Two saves, then the last one is damaged.
        state_file::save(dir.path(), &first).unwrap();
        state_file::save(dir.path(), &second).unwrap();
        std::fs::write(&path, &bytes).unwrap();
        let (state, warning) = state_file::load(dir.path());
        // The last good save before the damaged one.
        assert_eq!(state, first, "{what}");
        let warning = warning.unwrap_or_default();
        assert!(warning.contains(".prev"), "{what}: {warning}");
        assert!(!warning.contains('\n'), "{what}: {warning}");
        // Saving again works (the damaged file was moved aside), and loads back.
        state_file::save(dir.path(), &second).unwrap();
        assert_eq!(
            state_file::load(dir.path()),
            (second.clone(), None),
            "{what}"
        );
    }
    // Saved twice the same: the copy is as recent as the last save.
    state_file::save(dir.path(), &second).unwrap();
    std::fs::write(&path, b"{").unwrap();
    assert_eq!(state_file::load(dir.path()).0, second);

    // A full disk while saving: the save fails, and what was saved stays whole.
    let Some(disk) = tmpfs_or_namespace("256k", "damaged_state_file_keeps_bookmarks_and_positions")
    else {
        return;
    };
    state_file::save(disk.path(), &first).unwrap();
    fill(disk.path());
    let mut big = second.clone();
    for i in 0..5000 {
        big.read.insert(format!("article-{i:06}"));
    }
    let e = state_file::save(disk.path(), &big).unwrap_err();
    assert!(
        format!("{e:#}").to_lowercase().contains("no space left"),
        "{e:#}"
    );
    assert_eq!(state_file::load(disk.path()), (first, None));
}
