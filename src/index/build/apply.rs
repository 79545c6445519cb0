//! Applying a [`Plan`]: parse the files it names (on worker threads, ahead of the
//! indexer), add their articles to the index, drop the stale file versions, commit as
//! it goes, and write the catalog — kept records copied from the old one, parsed files
//! streamed in — through the one [`CatalogWriter`], into the index folder or memory.

use super::plan::{self, Todo};
use super::{Fields, Progress, filekey, live_keys, mtime_ns};
use crate::archive::catalog::{self, CatalogWriter, Fingerprint, Stored, StoredFile};
use crate::archive::{self, ReadError, Warning, source::LibrarySource};
use crate::index::manifest::{FileEntry, Manifest};
use crate::index::schema::date_key;
use anyhow::Context as _;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, mpsc};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

/// Commit after this many bytes of source so that a killed build keeps its progress.
/// Every commit ends a segment per indexing thread, and every query looks up, scores and
/// ranks in each: not too often. (At 128 MB a 207 MB library was four segments, and a
/// query took a fifth longer than on two.) The search waits for the whole build anyway.
const COMMIT_EVERY: u64 = 256 << 20;
/// Memory for the indexing threads, shared between them: enough that a segment is
/// rarely flushed before a commit (small segments cost merges, and hashing terms into a
/// fuller table is no slower). Used only as the text needs it.
const WRITER_MEMORY: usize = 400_000_000;

/// Make the index hold exactly the library's articles and the catalog list exactly
/// them (see the module documentation of `build`); returns the catalog. `dir` is the
/// index folder, `None` for an index in memory. `after_catalog` runs once the catalog
/// is written, beside the last commit. The manifest is the caller's to save.
pub(crate) fn converge(
    index: &Index,
    fields: Fields,
    manifest: &mut Manifest,
    source: &LibrarySource,
    dir: Option<&Path>,
    progress: &mut dyn FnMut(Progress),
    after_catalog: impl FnOnce() -> anyhow::Result<()> + Send,
) -> anyhow::Result<Stored> {
    // Files are opened when surveyed, not while found (see `survey`).
    let (files, discover_warnings) = archive::source::discover_to_read(source);
    let indexed = live_keys(index, fields)?;
    let seen = plan::survey(source, files, manifest);
    // Which version of each file the old catalog lists (its records are copied from
    // it a file at a time, and only when a new catalog is written), and the records of
    // dumps appended to since (the new part's articles go after their own).
    let grown: HashMap<&str, &str> = seen
        .iter()
        .filter_map(|s| Some((s.file.rel.as_str(), s.append.as_ref()?.old_hash.as_str())))
        .collect();
    let mut cataloged: HashMap<String, String> = HashMap::new();
    let mut old_records: HashMap<String, StoredFile> = HashMap::new();
    let mut undecodable = false;
    let old_warnings = dir.and_then(|d| {
        catalog::read_dir_versions(d, |rel, hash, record| {
            if grown.get(rel) == Some(&hash) {
                match catalog::decode_record(record) {
                    Some(f) => {
                        old_records.insert(rel.to_string(), f);
                    }
                    None => undecodable = true,
                }
            }
            cataloged.insert(rel.to_string(), hash.to_string());
        })
    });
    // A record that does not decode: the old catalog is not trusted at all.
    let old_warnings = old_warnings.filter(|_| !undecodable);
    if old_warnings.is_none() {
        cataloged.clear();
        old_records.clear();
    }
    drop(grown);
    let mut plan = plan::plan(seen, manifest, &indexed, cataloged);
    // A repeat of an old article in the new part gets the id the whole file gives it.
    for t in &mut plan.parse {
        if let (Some(a), Some(r)) = (&mut t.append, old_records.get(&t.file.rel)) {
            a.taken_ids = r.articles.iter().map(|h| h.id.clone()).collect();
        }
    }

    let mut p = Progress {
        files_total: plan.parse.len(),
        bytes_total: plan.parse.iter().map(to_read).sum(),
        ..Progress::default()
    };
    progress(p);
    if plan.leaves_index_alone() {
        manifest.files = plan.entries;
        let warnings = file_warnings(discover_warnings, &manifest.files);
        if let Some(dir) = dir
            && plan.old_catalog_exact
            && old_warnings.as_ref() == Some(&warnings)
        {
            // The catalog on disk is already this one.
            let mut print = Fingerprint::default();
            for (rel, hash) in &plan.keep {
                print.listed(rel, hash);
            }
            for w in &warnings {
                print.warning(w);
            }
            after_catalog()?;
            return Ok(Stored::Dir {
                dir: dir.to_path_buf(),
                fingerprint: print.hex(),
            });
        }
        // Files gone, or other warnings: the same records, fewer of them.
        let out = new_catalog(dir)?;
        let stored = finish_catalog(out, dir, &plan.keep, &warnings)?;
        after_catalog()?;
        return Ok(stored);
    }

    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    let mut writer: IndexWriter = index.writer_with_num_threads(threads, WRITER_MEMORY)?;
    for k in &plan.stale {
        writer.delete_term(Term::from_field_text(fields.filekey, k));
    }
    // Files parsed now go straight to the catalog: a fresh build of a million articles
    // would otherwise hold all their headlines until the end.
    let mut out = new_catalog(dir)?;
    let mut entries = plan.entries;
    let mut since_commit = 0u64;
    // Reading and parsing run on their own threads, ahead of the indexing threads, so
    // that every core stays busy; files are still added (and committed) in order.
    for_each_parsed(source, plan.parse, |t, parsed| {
        let read = to_read(&t);
        // No delete before adding: a version to index is not among the index's live
        // keys, and what a killed try added before its commit was never kept. A part
        // appended to a dump may be (killed after a commit, before the manifest).
        let key = filekey(&t.file.rel, t.append.as_ref().map_or(&t.hash, |a| &a.part));
        if t.append.is_some() {
            writer.delete_term(Term::from_field_text(fields.filekey, &key));
        }
        let mut problems = Vec::new();
        let (articles, error) = match parsed {
            Ok(parsed) => {
                p.articles += parsed.articles.len();
                if t.index {
                    for a in &parsed.articles {
                        writer.add_document(article_doc(fields, &key, a))?;
                    }
                }
                let mut record = StoredFile::new(&t.file, t.hash.clone(), &parsed);
                let mut articles = parsed.articles.len();
                if let Some(a) = &t.append {
                    // The old part's record, the new part's articles after it.
                    let mut old = old_records
                        .remove(&t.file.rel)
                        .context("no catalog record of the dump's old version")?;
                    old.articles.append(&mut record.articles);
                    record.articles = old.articles;
                    articles += a.old_articles;
                    problems.clone_from(&a.old_problems);
                }
                problems.extend(parsed.problems);
                out.add(&record)?;
                (articles, None)
            }
            Err(reason) => {
                // Unreadable now: its old documents go too.
                writer.delete_term(Term::from_field_text(fields.filekey, &key));
                for v in t.append.iter().flat_map(|a| &a.old_parts) {
                    writer.delete_term(Term::from_field_text(
                        fields.filekey,
                        &filekey(&t.file.rel, v),
                    ));
                }
                (0, Some(reason.to_string()))
            }
        };
        let parts = match (&t.append, &error) {
            (Some(a), None) => a.parts(),
            _ => t.parts,
        };
        entries.insert(
            t.file.rel.clone(),
            FileEntry {
                size: t.file.size,
                mtime_ns: mtime_ns(t.file.mtime),
                hash: t.hash,
                articles,
                error,
                settings: t.settings,
                parts,
                problems,
            },
        );
        p.files_done += 1;
        p.bytes_done += read;
        since_commit += read;
        progress(p);
        if since_commit >= COMMIT_EVERY {
            since_commit = 0;
            writer.commit()?;
            if let Some(dir) = dir {
                manifest.files = entries.clone();
                manifest.save(dir)?;
            }
        }
        Ok(())
    })?;
    manifest.files = entries;
    let warnings = file_warnings(discover_warnings, &manifest.files);
    // The last commit (segments written on every indexing thread: most of a second at
    // 100,000 articles) and the catalog's end (one thread) side by side.
    let (committed, stored) = std::thread::scope(|s| {
        let commit = s.spawn(|| writer.commit());
        let stored = finish_catalog(out, dir, &plan.keep, &warnings)
            .and_then(|stored| after_catalog().map(|()| stored));
        let committed = commit
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (committed, stored)
    });
    committed?;
    // The caller saves the manifest, with the committed files' stamps (22 MB of JSON
    // at 100,000 files: not twice). Killed before that, the next update finds the
    // articles among the index's keys and only reads the files again.
    let stored = stored?;
    writer.wait_merging_threads()?;
    Ok(stored)
}

/// The bytes of a file to read: what was appended, or the whole file.
fn to_read(t: &Todo) -> u64 {
    t.file.size - t.append.as_ref().map_or(0, |a| a.from)
}

/// The catalog writer of an index in `dir`, or in memory.
fn new_catalog(dir: Option<&Path>) -> anyhow::Result<CatalogWriter> {
    let out = match dir {
        Some(dir) => CatalogWriter::to_dir(dir),
        None => CatalogWriter::in_memory(),
    };
    out.context("writing catalog")
}

/// Copy the kept files' records from the old catalog in `dir`, then the warnings.
fn finish_catalog(
    mut out: CatalogWriter,
    dir: Option<&Path>,
    keep: &[(String, String)],
    warnings: &[Warning],
) -> anyhow::Result<Stored> {
    let written = (|| {
        if let Some(dir) = dir
            && !keep.is_empty()
        {
            let keep: HashSet<&str> = keep.iter().map(|(rel, _)| rel.as_str()).collect();
            let mut failed = None;
            let read = catalog::read_dir(dir, |f| {
                if failed.is_none()
                    && keep.contains(f.rel.as_str())
                    && let Err(e) = out.add(&f)
                {
                    failed = Some(e);
                }
            });
            if let Some(e) = failed {
                return Err(e.into());
            }
            anyhow::ensure!(read.is_some(), "the old catalog changed while it was read");
        }
        anyhow::Ok(out.finish(warnings)?)
    })();
    match dir {
        Some(dir) => written.with_context(|| format!("{}: writing catalog", dir.display())),
        None => written.context("writing catalog"),
    }
}

/// Files that could not be listed (skipped while discovering, or unreadable) and what
/// went wrong in files read (a dump's broken lines).
fn file_warnings(mut warnings: Vec<Warning>, files: &BTreeMap<String, FileEntry>) -> Vec<Warning> {
    for (rel, e) in files {
        for reason in e.error.iter().chain(&e.problems) {
            warnings.push(Warning {
                file: rel.clone(),
                reason: reason.clone(),
            });
        }
    }
    warnings.sort_by(|a, b| a.file.cmp(&b.file));
    warnings
}

/// Read (unless already in memory), check against its hash and parse one file, or what
/// was appended to it.
fn read_and_parse(source: &LibrarySource, t: &mut Todo) -> Result<archive::ParsedFile, ReadError> {
    let bytes = match t.bytes.take() {
        // `hash` was computed from these very bytes.
        Some(b) => b,
        None => {
            let b = archive::source::read(source, &t.file)?;
            if archive::source::version(&b, &t.settings) != t.hash {
                return Err(ReadError::Changed);
            }
            b
        }
    };
    if let Some(a) = &mut t.append {
        let from = usize::try_from(a.from)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        let taken = std::mem::take(&mut a.taken_ids);
        let rel = &t.file.rel;
        if let Some(parsed) =
            archive::read::parse_appended(rel, &bytes, from, &t.read_with, a.first_line, taken)
        {
            return parsed;
        }
    }
    archive::read::parse_with(&t.file.rel, &bytes, &t.read_with)
}

/// Files handed to a parsing thread at a time, at most: few enough that every core
/// stays busy to the end, many enough that the queue and the channel are not touched
/// per file (an article-per-file library has files of a kilobyte).
const BATCH_FILES: usize = 32;
/// …and at most this many bytes of source (parsed files waiting hold memory).
const BATCH_BYTES: u64 = 1 << 20;

/// Parse files on worker threads (as many as there are cores) and hand each to `add`
/// in the order of `todo`, on this thread. Stops at the first error of `add`.
fn for_each_parsed(
    source: &LibrarySource,
    todo: Vec<Todo>,
    mut add: impl FnMut(Todo, Result<archive::ParsedFile, ReadError>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let parsers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    let mut batches: Vec<Vec<Todo>> = Vec::new();
    let mut bytes = 0u64;
    for t in todo {
        match batches.last_mut() {
            Some(b) if b.len() < BATCH_FILES && bytes + t.file.size <= BATCH_BYTES => {
                bytes += t.file.size;
                b.push(t);
            }
            _ => {
                bytes = t.file.size;
                batches.push(vec![t]);
            }
        }
    }
    let queue = Mutex::new(batches.into_iter().enumerate());
    // Bounded: parsed files waiting for the indexer hold memory.
    let (tx, rx) = mpsc::sync_channel(2 * parsers);
    std::thread::scope(|scope| {
        for _ in 0..parsers {
            let tx = tx.clone();
            let queue = &queue;
            scope.spawn(move || {
                loop {
                    let next = queue.lock().map(|mut q| q.next()).unwrap_or(None);
                    let Some((i, batch)) = next else { break };
                    let parsed: Vec<_> = batch
                        .into_iter()
                        .map(|mut t| {
                            let parsed =
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    read_and_parse(source, &mut t)
                                }))
                                .unwrap_or(Err(ReadError::ParserFailed));
                            (t, parsed)
                        })
                        .collect();
                    if tx.send((i, parsed)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Workers finish out of order: hold early batches until their turn.
        let mut waiting = BTreeMap::new();
        let mut turn = 0;
        for (i, parsed) in rx {
            waiting.insert(i, parsed);
            while let Some(parsed) = waiting.remove(&turn) {
                turn += 1;
                for (t, parsed) in parsed {
                    add(t, parsed)?;
                }
            }
        }
        Ok(())
    })
}

fn article_doc(f: Fields, key: &str, a: &archive::Article) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.id, &a.id);
    d.add_text(f.filekey, key);
    d.add_text(f.issue, &a.file_name);
    d.add_text(f.title, &a.title);
    d.add_text(f.title_jieba, &a.title);
    let deck: Vec<&str> = [a.kicker.as_deref(), a.subtitle.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !deck.is_empty() {
        d.add_text(f.deck, deck.join("\n"));
    }
    d.add_text(f.pinyin, &a.title);
    d.add_text(f.initials, &a.title);
    if let Some(b) = &a.byline {
        d.add_text(f.byline, b);
        // Its names only (about half of a byline's pinyin terms were 本报记者 and the
        // like); not their initials, which match a title's start.
        d.add_text(f.pinyin, archive::byline::names(b));
    }
    let body = a.body();
    d.add_text(f.body, body);
    if let Some(date) = a.place.date {
        d.add_i64(f.date, date_key(date));
    }
    d.add_text(f.file, &a.file);
    if let Some(p) = &a.place.paper {
        d.add_text(f.paper, crate::index::normalize::normalize_str(p));
        d.add_text(f.paper_name, p);
    }
    if let Some(p) = a.place.page {
        let printed = p.to_string();
        if let Some(k) = crate::index::schema::page_key(&printed) {
            d.add_text(f.page, k);
        }
        d.add_text(f.page_name, printed);
    }
    d.add_u64(f.date_inferred, u64::from(a.place.date_inferred));
    d
}
