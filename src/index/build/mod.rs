//! Building, updating and opening an index so that it always ends up answering exactly
//! as a fresh build of the library would.
//!
//! Convergence: every document carries a `filekey` naming its file and content hash
//! ([`filekey`]). On each open
//! the live keys in the index are compared with the library's files: keys of files that
//! are gone or changed are deleted, files whose key is missing are (re-)added. Commits are
//! atomic and a file's documents are always committed together, so a crash at any moment
//! leaves an index the next open repairs. The manifest only caches hashes by size and
//! mtime (and the analyzer version).

mod apply;
mod plan;

use super::Progress;
use super::analyzer::{self, ANALYZER_VERSION};
use super::manifest::Manifest;
use super::read_only_dir::ReadOnlyDir;
use super::schema::{Fields, build_schema};
use super::stamps::Stamps;
use crate::archive::catalog::{Stored, saved_fingerprint};
use crate::archive::{self, source::LibrarySource};
use anyhow::Context as _;
use apply::converge;
use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Index, IndexReader, ReloadPolicy, TERMINATED};

/// How long to wait for another dubao to finish updating before opening read-only.
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// An opened index and what happened while opening it.
pub struct Opened {
    pub(crate) index: Index,
    pub reader: IndexReader,
    pub(crate) fields: Fields,
    /// One-line messages for the user (rebuilt, read-only, in memory…).
    pub notices: Vec<String>,
    /// The library's catalog as of this index (`None` when opened read-only and no
    /// catalog was saved).
    pub(crate) catalog: Option<Stored>,
    /// Whether this opening brought the index up to date and may again; else it is
    /// someone else's, read as it was (a read-only data folder, another dubao updating
    /// it), or one kept in memory.
    pub(crate) updated: bool,
}

impl Opened {
    /// What the index's catalog says went wrong in the library: the files left out
    /// (unreadable, binary) and the lines of a dump that could not be read.
    pub fn warnings(&self) -> Vec<crate::archive::model::Warning> {
        self.catalog
            .as_ref()
            .and_then(Stored::warnings)
            .unwrap_or_default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Build or update as needed.
    Update,
    /// Throw the index away and build it again.
    Rebuild,
    /// Never write: open what is there (`None` if there is nothing usable).
    ReadOnly,
    /// As [`Mode::Update`] where the data folder can be written; where it can't (a
    /// library shared on a server, its index built by someone else), the index as it
    /// is, saying how many files changed since, rather than one built in memory by every
    /// reader (a gigabyte each at a million articles). In memory only without one.
    Browse,
}

/// The folder name of a library's index: a hash of its canonical path, or of the
/// embedded samples' content.
pub fn library_key(source: &LibrarySource) -> anyhow::Result<(String, String)> {
    match source {
        LibrarySource::Embedded => {
            let mut h = blake3::Hasher::new();
            for (name, bytes) in archive::samples::SAMPLES {
                h.update(name.as_bytes());
                h.update(&(bytes.len() as u64).to_le_bytes());
                h.update(bytes);
            }
            Ok((
                format!("samples-{}", &h.finalize().to_hex()[..16]),
                "embedded samples".into(),
            ))
        }
        LibrarySource::Dir(dir) => {
            let canon = dir
                .canonicalize()
                .with_context(|| format!("{}: library folder not found", dir.display()))?;
            let s = canon.to_string_lossy().into_owned();
            let name: String = canon
                .file_name()
                .map(|n| {
                    n.to_string_lossy()
                        .chars()
                        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                        .take(24)
                        .collect()
                })
                .unwrap_or_default();
            let hash = blake3::hash(s.as_bytes()).to_hex();
            Ok((
                format!(
                    "{}{}{}",
                    name,
                    if name.is_empty() { "" } else { "-" },
                    &hash[..16]
                ),
                s,
            ))
        }
    }
}

/// Where a library's index lives under `data_dir`.
pub fn index_dir(data_dir: &Path, key: &str) -> PathBuf {
    data_dir.join("index").join(key)
}

/// How many segments the index of `source` in `data_dir` is in (see `index --merge`).
pub fn segment_count(source: &LibrarySource, data_dir: &Path) -> anyhow::Result<usize> {
    let (key, _) = library_key(source)?;
    let (_, reader, _) = open_existing(&index_dir(data_dir, &key))?;
    Ok(reader.searcher().segment_readers().len())
}

/// Open (building or updating per `mode`). Falls back to an index in memory when the
/// data folder can't be used.
pub(crate) fn open(
    source: &LibrarySource,
    data_dir: &Path,
    mode: Mode,
    progress: &mut dyn FnMut(Progress),
) -> anyhow::Result<Option<Opened>> {
    open_or_fall_back(source, data_dir, mode, true, false, progress)
}

/// Build or update the index on disk, for `dubao index`, whose only job that is: where
/// [`open`] would keep an index in memory, fails with the reason instead.
pub fn open_on_disk(
    source: &LibrarySource,
    data_dir: &Path,
    rebuild: bool,
    merge: bool,
    progress: &mut dyn FnMut(Progress),
) -> anyhow::Result<Opened> {
    let mode = if rebuild { Mode::Rebuild } else { Mode::Update };
    open_or_fall_back(source, data_dir, mode, false, merge, progress)?
        .context("search index could not be opened")
}

fn open_or_fall_back(
    source: &LibrarySource,
    data_dir: &Path,
    mode: Mode,
    in_ram: bool,
    merge: bool,
    progress: &mut dyn FnMut(Progress),
) -> anyhow::Result<Option<Opened>> {
    // The normalisation table, loaded while the files are being read.
    std::thread::spawn(analyzer::preload);
    let (key, source_name) = library_key(source)?;
    let dir = index_dir(data_dir, &key);
    let mut notices = Vec::new();

    if mode == Mode::ReadOnly {
        return Ok(open_existing(&dir)
            .ok()
            .map(|(index, reader, fields)| Opened {
                index,
                reader,
                fields,
                notices,
                catalog: load_catalog(&dir),
                updated: false,
            }));
    }

    let lock = match lock_file(data_dir, &key) {
        Ok(f) => f,
        Err(e) => {
            // A read-only data folder still serves an index that needs no update: known
            // by its stamps when no folder changed (a stat each: the many readers of a
            // shared library would otherwise each hold its manifest in memory to check
            // every file), else file by file.
            if matches!(mode, Mode::Update | Mode::Browse) {
                match open_trusted(source, data_dir) {
                    Some((found, 0)) => return Ok(Some(found)),
                    Some((mut found, changed)) if mode == Mode::Browse => {
                        found.notices.push(stale_notice(changed, data_dir));
                        return Ok(Some(found));
                    }
                    _ => {}
                }
                if let Ok(found) = open_if_up_to_date(&dir, source) {
                    return Ok(Some(found));
                }
            }
            let reason = format!("data folder {} is not writable ({e})", data_dir.display());
            return fall_back(in_ram, reason, notices, source, &source_name, progress);
        }
    };
    // `dubao index` waits for the other update to end, then checks its work.
    let patience = in_ram.then_some(LOCK_WAIT);
    if !wait_for_lock(&lock, patience) {
        if let Ok((index, reader, fields)) = open_existing(&dir) {
            notices.push("another dubao is updating the search index; using it as it was".into());
            return Ok(Some(Opened {
                index,
                reader,
                fields,
                notices,
                catalog: load_catalog(&dir),
                updated: false,
            }));
        }
        let reason = "another dubao is building the search index".to_string();
        return fall_back(in_ram, reason, notices, source, &source_name, progress);
    }
    let on_disk = (|| -> anyhow::Result<Opened> {
        let (index, mut manifest) = open_or_create(&dir, &source_name, mode, &mut notices)?;
        let fields = Fields::from_schema(&index.schema())?;
        // Folder times before the files are read: a file saved meanwhile shows next time.
        let mut stamps = Stamps::take(source, ANALYZER_VERSION, &Default::default());
        // The catalog is laid out once here, for every reader to map (see
        // `catalog/flat.rs`). Its checksum is checked by `dubao index` (the caller with
        // no index in memory to fall back to), not by each reader's update at start:
        // 155 MB read at 1M.
        let lay_out = || {
            crate::archive::catalog::lay_out_saved(&dir, !in_ram)
                .with_context(|| format!("{}: writing the laid-out catalog", dir.display()))
        };
        let catalog = converge(
            &index,
            fields,
            &mut manifest,
            source,
            Some(&dir),
            progress,
            lay_out,
        )?;
        if merge {
            merge_segments(&index)
                .with_context(|| format!("{}: merging the index", dir.display()))?;
        }
        let reader = make_reader(&index)?;
        // Record what we checked so later opens only verify files that changed.
        manifest.verified = file_stamps(&index, &dir)?;
        manifest
            .save(&dir)
            .with_context(|| format!("{}: writing manifest", dir.display()))?;
        stamps.verified = manifest.verified.clone();
        stamps.manifest = super::stamps::file_stamp(&dir.join(super::manifest::FILE_NAME));
        stamps
            .save(&dir)
            .with_context(|| format!("{}: writing folder stamps", dir.display()))?;
        share_like_catalog(&dir)
            .with_context(|| format!("{}: making the index readable", dir.display()))?;
        Ok(Opened {
            index,
            reader,
            fields,
            notices: Vec::new(),
            catalog: Some(catalog),
            updated: true,
        })
    })();
    drop(lock);
    match on_disk {
        Ok(mut o) => {
            o.notices = notices;
            Ok(Some(o))
        }
        Err(e) => {
            // The error of an indexing thread often hides its cause (a full disk, the
            // folder deleted): say what writing there does now.
            let cause = write_probe(&dir)
                .map(|p| format!("; writing there fails: {p}"))
                .unwrap_or_default();
            let reason = format!("search index in {} failed ({e:#}{cause})", dir.display());
            fall_back(in_ram, reason, notices, source, &source_name, progress)
        }
    }
}

/// `dubao index --merge`: the index in one segment. A build leaves a segment per
/// indexing thread and commit (four at 100,000 articles), and every query looks each
/// term up, scores and ranks in each: one segment answers `search --batch` a fifth
/// faster there. Not done by every build: the merge adds a fifth to a third to a fresh
/// build (2–2.5 s at 100,000 articles), and later updates add small segments anyway,
/// which tantivy's own policy merges. Done before the index's files are recorded as
/// verified, so the next open trusts them.
fn merge_segments(index: &Index) -> anyhow::Result<()> {
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, MERGE_MEMORY)?;
        writer.merge(&segments).wait()?;
        writer.wait_merging_threads()?;
    }
    Ok(())
}

/// A merge holds no documents in memory: tantivy's least writer memory.
const MERGE_MEMORY: usize = 15_000_000;

/// What a reader of an index it can't update says when the library changed since.
fn stale_notice(changed: usize, data_dir: &Path) -> String {
    let files = if changed == 1 { "file" } else { "files" };
    format!(
        "{changed} {files} changed since the search index was built; {} is read-only here: `dubao index` updates it",
        data_dir.display()
    )
}

/// When the data folder can't hold the index: one in memory, saying why; or, without
/// `in_ram`, the reason (after the other notices) as the error.
fn fall_back(
    in_ram: bool,
    reason: String,
    mut notices: Vec<String>,
    source: &LibrarySource,
    source_name: &str,
    progress: &mut dyn FnMut(Progress),
) -> anyhow::Result<Option<Opened>> {
    if !in_ram {
        notices.push(reason);
        anyhow::bail!("{}", notices.join("; "));
    }
    notices.push(format!("{reason}; keeping the search index in memory"));
    build_in_ram(source, source_name, notices, progress).map(Some)
}

/// The error writing a small file in `dir` gives now, if any.
fn write_probe(dir: &Path) -> Option<std::io::Error> {
    let probe = dir.join(".dubao-write-probe");
    let result = std::fs::write(&probe, vec![0u8; 64 << 10]);
    let _ = std::fs::remove_file(&probe);
    result.err()
}

/// The index in `dir` if it holds exactly the library's files as they are now (same
/// sizes and times as recorded, as `converge` trusts them), without writing anything.
fn open_if_up_to_date(dir: &Path, source: &LibrarySource) -> anyhow::Result<Opened> {
    let (index, manifest) = check_existing(dir, true)?;
    let fields = Fields::from_schema(&index.schema())?;
    let live = live_keys(&index, fields)?;
    let (files, _) = archive::source::discover(source);
    let mut with_articles = 0;
    let same = files.len() == manifest.files.len()
        && files.iter().all(|f| {
            manifest.files.get(&f.rel).is_some_and(|e| {
                let indexed = e.articles == 0 || {
                    with_articles += 1;
                    live.contains(&filekey(&f.rel, &e.hash))
                };
                e.error.is_none()
                    && e.size == f.size
                    && mtime_ns(f.mtime).is_some()
                    && e.mtime_ns == mtime_ns(f.mtime)
                    && indexed
            })
        });
    anyhow::ensure!(same && live.len() == with_articles, "out of date");
    let reader = make_reader(&index)?;
    Ok(Opened {
        index,
        reader,
        fields,
        notices: Vec::new(),
        catalog: load_catalog(dir),
        updated: false,
    })
}

/// Whether the library changed since its index in `data_dir` was last brought up to
/// date, by the stamps (a `stat` per folder and per dump): a running reader asks now
/// and then. False when there are no stamps to go by.
pub(crate) fn library_changed(source: &LibrarySource, data_dir: &Path) -> bool {
    let Ok((key, _)) = library_key(source) else {
        return false;
    };
    Stamps::load(&index_dir(data_dir, &key)).is_some_and(|s| s.library_changed(source))
}

/// The library's index as the last build left it, for a one-shot command, without
/// walking the library: `None` when there is none, it is of another version, or another
/// process changed it since (then the full [`open`] is needed). With it, how many files
/// changed since (0 unless a folder of the library changed: see [`Stamps`]).
pub(crate) fn open_trusted(source: &LibrarySource, data_dir: &Path) -> Option<(Opened, usize)> {
    let (dir, stamps) = stamped_dir(source, data_dir)?;
    if stamps.manifest != super::stamps::file_stamp(&dir.join(super::manifest::FILE_NAME)) {
        return None;
    }
    let opened = std::panic::catch_unwind(|| -> anyhow::Result<Opened> {
        let index = Index::open(ReadOnlyDir::open(&dir)?)?;
        analyzer::register(&index);
        let fields = Fields::from_schema(&index.schema())?;
        anyhow::ensure!(file_stamps(&index, &dir)? == stamps.verified, "rewritten");
        let reader = make_reader(&index)?;
        Ok(Opened {
            index,
            reader,
            fields,
            notices: Vec::new(),
            catalog: load_catalog(&dir),
            updated: false,
        })
    })
    .ok()?
    .ok()?;
    let changed = trusted_changes(source, &dir, &stamps)?;
    Some((opened, changed))
}

/// How many files changed since the build that left `stamps` in `dir` (0 without
/// walking the library when no folder changed); `None` without a sound index there.
pub(crate) fn trusted_changes(
    source: &LibrarySource,
    dir: &Path,
    stamps: &Stamps,
) -> Option<usize> {
    if !stamps.library_changed(source) {
        return Some(0);
    }
    let manifest = Manifest::load(dir)?;
    let (files, _) = archive::source::discover(source);
    let mut seen = 0;
    let mut changed = 0;
    let mut digests = archive::settings::Digests::new(source);
    for f in &files {
        match manifest.files.get(&f.rel) {
            Some(e) => {
                seen += 1;
                // Its bytes, or the settings it is read with (a `dubao.toml` edited).
                if e.size != f.size
                    || e.mtime_ns != mtime_ns(f.mtime)
                    || e.settings != digests.of(&f.rel)
                {
                    changed += 1;
                }
            }
            None => changed += 1,
        }
    }
    Some(changed + manifest.files.len() - seen)
}

/// The catalog saved with the library's index, an issue at a time (see
/// [`crate::archive::catalog::IssueStream`]), trusted as [`open_trusted`] trusts the
/// index, and how many files changed since; `None` when there is no sound one.
pub(crate) fn trusted_issues(
    source: &LibrarySource,
    data_dir: &Path,
) -> Option<(crate::archive::catalog::IssueStream, usize)> {
    let (dir, stamps) = stamped_dir(source, data_dir)?;
    let issues = crate::archive::catalog::IssueStream::open(&dir)?;
    Some((issues, trusted_changes(source, &dir, &stamps)?))
}

/// The library's index folder and the stamps its last build left there, when that
/// build was of this version.
fn stamped_dir(source: &LibrarySource, data_dir: &Path) -> Option<(PathBuf, Stamps)> {
    let (key, _) = library_key(source).ok()?;
    let dir = index_dir(data_dir, &key);
    let stamps = Stamps::load(&dir)?;
    (stamps.analyzer_version == ANALYZER_VERSION).then_some((dir, stamps))
}

/// Like [`trusted_issues`], the whole catalog at once when its laid-out file is there
/// (mapped, not read: see `catalog/flat.rs`).
pub(crate) fn trusted_catalog(
    source: &LibrarySource,
    data_dir: &Path,
) -> Option<(crate::archive::Catalog, usize)> {
    let (dir, stamps) = stamped_dir(source, data_dir)?;
    let catalog = crate::archive::Catalog::mapped(&dir)?;
    Some((catalog, trusted_changes(source, &dir, &stamps)?))
}

/// The catalog saved in an index folder (its records are checked when it is loaded).
fn load_catalog(dir: &Path) -> Option<Stored> {
    Some(Stored::Dir {
        fingerprint: saved_fingerprint(dir)?,
        dir: dir.to_path_buf(),
    })
}

/// Tantivy writes its meta files through temporary files, which are readable by their
/// owner only: readers of a shared data folder (other users, see [`ReadOnlyDir`]) could
/// not open the index, and fell back to building one in memory each. They get the mode
/// the catalog file got from the umask, as every other file of the index has.
fn share_like_catalog(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(crate::archive::catalog::FILE_NAME))?
            .permissions()
            .mode();
        for name in ["meta.json", ".managed.json"] {
            let path = dir.join(name);
            if let Ok(meta) = std::fs::metadata(&path)
                && meta.permissions().mode() & 0o777 != mode & 0o777
            {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))?;
            }
        }
    }
    Ok(())
}

/// The file a dubao updating a library's index holds locked.
pub fn lock_path(data_dir: &Path, key: &str) -> PathBuf {
    data_dir.join("index").join(format!("{key}.lock"))
}

fn lock_file(data_dir: &Path, key: &str) -> std::io::Result<File> {
    std::fs::create_dir_all(data_dir.join("index"))?;
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path(data_dir, key))
}

/// True once we hold the lock; false if another process still holds it after
/// `patience` (`None`: as long as it takes).
fn wait_for_lock(f: &File, patience: Option<Duration>) -> bool {
    let Some(patience) = patience else {
        // An error here is a file system without locks, as below.
        let _ = f.lock();
        return true;
    };
    let start = Instant::now();
    loop {
        match f.try_lock() {
            Ok(()) => return true,
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < patience => {
                std::thread::sleep(Duration::from_millis(50))
            }
            Err(std::fs::TryLockError::WouldBlock) => return false,
            // Locks unsupported on this file system: go on without.
            Err(std::fs::TryLockError::Error(_)) => return true,
        }
    }
}

fn make_reader(index: &Index) -> tantivy::Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
}

/// Open an index on disk without writing; fails if missing, corrupt or of another
/// analyzer version.
fn open_existing(dir: &Path) -> anyhow::Result<(Index, IndexReader, Fields)> {
    let (index, _) = check_existing(dir, false)?;
    let fields = Fields::from_schema(&index.schema())?;
    let reader = make_reader(&index)?;
    Ok((index, reader, fields))
}

/// The index in `dir` and its manifest if both are sound. `lock_free` opens it without
/// the lock file tantivy takes to read (see [`ReadOnlyDir`]).
fn check_existing(dir: &Path, lock_free: bool) -> anyhow::Result<(Index, Manifest)> {
    anyhow::ensure!(dir.join("meta.json").exists(), "missing");
    let manifest = Manifest::load(dir).context("its manifest is missing or unreadable")?;
    anyhow::ensure!(
        manifest.analyzer_version == ANALYZER_VERSION,
        "it was built by another version of dubao ({})",
        manifest.analyzer_version
    );
    let result = std::panic::catch_unwind(|| -> anyhow::Result<Index> {
        let index = if lock_free {
            Index::open(ReadOnlyDir::open(dir)?)?
        } else {
            Index::open_in_dir(dir)?
        };
        analyzer::register(&index);
        Fields::from_schema(&index.schema())?;
        // Files changed since we last verified them must still match their checksums.
        let stamps = file_stamps(&index, dir)?;
        for (name, stamp) in &stamps {
            if manifest.verified.get(name) != Some(stamp) {
                let ok = index
                    .directory()
                    .validate_checksum(Path::new(name))
                    .unwrap_or(false);
                anyhow::ensure!(ok, "{name} is damaged");
            }
        }
        make_reader(&index)?;
        Ok(index)
    });
    let index = result.map_err(|_| anyhow::anyhow!("it could not be read"))??;
    Ok((index, manifest))
}

/// (length, mtime) of every file of the committed segments.
fn file_stamps(
    index: &Index,
    dir: &Path,
) -> anyhow::Result<std::collections::BTreeMap<String, (u64, u128)>> {
    let mut out = std::collections::BTreeMap::new();
    if dir.as_os_str().is_empty() {
        return Ok(out);
    }
    for path in index.load_metas()?.list_segment_files() {
        if let Ok(m) = std::fs::metadata(dir.join(&path)) {
            out.insert(
                path.to_string_lossy().into_owned(),
                (m.len(), mtime_ns(m.modified().ok()).unwrap_or(0)),
            );
        }
    }
    Ok(out)
}

fn open_or_create(
    dir: &Path,
    source_name: &str,
    mode: Mode,
    notices: &mut Vec<String>,
) -> anyhow::Result<(Index, Manifest)> {
    if mode != Mode::Rebuild && dir.exists() {
        match check_existing(dir, false) {
            Ok(found) => return Ok(found),
            Err(e) => notices.push(format!(
                "search index in {}: {e:#}; rebuilding it",
                dir.display()
            )),
        }
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("{}: removing old index", dir.display()))?;
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: creating index folder", dir.display()))?;
    let index = Index::builder()
        .settings(index_settings())
        .schema(build_schema())
        .create_in_dir(dir)?;
    analyzer::register(&index);
    let manifest = Manifest {
        analyzer_version: ANALYZER_VERSION.to_string(),
        source: source_name.to_string(),
        ..Manifest::default()
    };
    manifest.save(dir)?;
    Ok((index, manifest))
}

/// Stored text in blocks of this many bytes. A hit's snippet needs its article's
/// text, and the block holding it is decompressed whole: tantivy's 16 KB blocks hold
/// about eight articles, most of them decompressed for nothing on every hit. Half that
/// made a batch of queries 10-15% faster for an index 5% bigger (`dubao bench search`).
const DOCSTORE_BLOCK: usize = 8192;

fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK,
        ..tantivy::IndexSettings::default()
    }
}

fn build_in_ram(
    source: &LibrarySource,
    source_name: &str,
    notices: Vec<String>,
    progress: &mut dyn FnMut(Progress),
) -> anyhow::Result<Opened> {
    let index = Index::builder()
        .settings(index_settings())
        .schema(build_schema())
        .create_in_ram()?;
    analyzer::register(&index);
    let fields = Fields::from_schema(&index.schema())?;
    let mut manifest = Manifest {
        analyzer_version: ANALYZER_VERSION.to_string(),
        source: source_name.to_string(),
        ..Manifest::default()
    };
    let catalog = converge(
        &index,
        fields,
        &mut manifest,
        source,
        None,
        progress,
        || Ok(()),
    )?;
    let reader = make_reader(&index)?;
    Ok(Opened {
        index,
        reader,
        fields,
        notices,
        catalog: Some(catalog),
        updated: false,
    })
}

pub(crate) fn mtime_ns(t: Option<SystemTime>) -> Option<u128> {
    t?.duration_since(SystemTime::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_nanos())
}

/// Which version of which file a document came from: 128 bits of the blake3 of the
/// path and the content hash. Short, because every document has its own: a key the
/// length of a path (and a 64-digit hash) made the term dictionary's build several
/// percent of a fresh build of an article-per-file library.
pub(crate) fn filekey(rel: &str, hash: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(rel.as_bytes());
    h.update(b"\0");
    h.update(hash.as_bytes());
    h.finalize().to_hex()[..32].to_string()
}

/// The file keys with at least one live document.
fn live_keys(index: &Index, fields: Fields) -> anyhow::Result<HashSet<String>> {
    let reader = make_reader(index)?;
    let searcher = reader.searcher();
    let mut keys = HashSet::new();
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(fields.filekey)?;
        let mut stream = inv.terms().stream()?;
        while stream.advance() {
            let mut postings =
                inv.read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)?;
            let mut doc = postings.doc();
            while doc != TERMINATED && seg.is_deleted(doc) {
                doc = postings.advance();
            }
            if doc != TERMINATED {
                keys.insert(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
    }
    Ok(keys)
}
