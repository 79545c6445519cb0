//! What an update must do: which files to parse (for the index and the catalog, or for
//! the catalog only), which indexed file versions to drop, which catalog records to
//! keep. Worked out from the library's files, the manifest, the keys the index holds
//! and the versions the old catalog lists — [`plan`] is pure, so it is tested without
//! tantivy or a disk; [`survey`] is the only reading it needs.

use super::{filekey, mtime_ns};
use crate::archive::ReadError;
use crate::archive::settings::{self, Settings};
use crate::archive::source::{self, LibrarySource, SourceFile};
use crate::index::manifest::{FileEntry, Manifest};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Files read to hash them are kept in memory for the indexer up to this many bytes.
const KEEP_READ_BYTES: u64 = 256 << 20;

/// One file of the library as an update finds it.
pub(crate) struct Seen {
    pub(crate) file: SourceFile,
    /// Its version (`source::version`), or why it can't be read now.
    pub(crate) hash: Result<String, ReadError>,
    /// The digest of the settings it is read with.
    pub(crate) settings: String,
    /// Those settings.
    pub(crate) read_with: Arc<Settings>,
    /// Its bytes, when they were read to hash them.
    pub(crate) bytes: Option<Vec<u8>>,
    /// A dump only appended to since the version the manifest records.
    pub(crate) append: Option<Append>,
}

/// What was appended to a dump since its last indexed version: only that part is read
/// into articles, its documents carrying the key of the part's own version, so that
/// the index holds the file as the keys of its parts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Append {
    /// Where the new part starts (the old version's size) and the number of its first
    /// line in the whole file.
    pub(crate) from: u64,
    pub(crate) first_line: usize,
    /// The old version, the versions of its parts, its articles and its problems.
    pub(crate) old_hash: String,
    pub(crate) old_parts: Vec<String>,
    pub(crate) old_articles: usize,
    pub(crate) old_problems: Vec<String>,
    /// The new part's version: the whole file's, as it is now (a part's own bytes
    /// would not do: the same lines appended twice are two parts).
    pub(crate) part: String,
    /// The ids of the old part's articles (from the catalog, filled in before the
    /// new part is read): a repeat of one of them gets the id the whole file gives it.
    pub(crate) taken_ids: HashSet<String>,
}

impl Append {
    /// The parts of the file with the new one.
    pub(crate) fn parts(&self) -> Vec<String> {
        let mut parts = self.old_parts.clone();
        parts.push(self.part.clone());
        parts
    }
}

/// The version of `bytes`, the file `rel` now, and whether that is its version `e` (the
/// manifest's) with lines appended: then what was appended. The old bytes are hashed on
/// the way to the whole file's version, not again.
fn version_and_append(
    rel: &str,
    bytes: &[u8],
    e: Option<&FileEntry>,
    settings: &str,
) -> (String, Option<Append>) {
    // Only whole lines were there before: a dump written a line at a time.
    let grown = e.and_then(|e| {
        let from = usize::try_from(e.size).ok()?;
        let grew = e.error.is_none() && e.settings == settings && from > 0 && from < bytes.len();
        (grew && crate::archive::jsonl::is_jsonl(rel) && bytes[from - 1] == b'\n')
            .then_some((e, from))
    });
    let Some((e, from)) = grown else {
        return (source::version(bytes, settings), None);
    };
    let (hash, before) = source::versions_cut(bytes, from, settings);
    let append = (before == e.hash).then(|| Append {
        from: e.size,
        first_line: memchr::memchr_iter(b'\n', &bytes[..from]).count() + 1,
        old_hash: e.hash.clone(),
        old_parts: e.part_versions(),
        old_articles: e.articles,
        old_problems: e.problems.clone(),
        part: hash.clone(),
        taken_ids: HashSet::new(),
    });
    (hash, append)
}

/// Hash the files whose size or modification time differ from the manifest's; the
/// others keep the hash it recorded, once opened to check they still can be. What was
/// read is kept for the indexer, up to [`KEEP_READ_BYTES`]: a large library is read
/// again (and checked against its hash).
pub(crate) fn survey(
    source: &LibrarySource,
    files: Vec<SourceFile>,
    manifest: &Manifest,
) -> Vec<Seen> {
    let kept_bytes = AtomicU64::new(0);
    // Reading and hashing a file is mostly system calls (open, read, close): a library
    // of small files is surveyed on every core.
    crate::work::map_in_order(
        files,
        SURVEY_CHUNK,
        4,
        || settings::Digests::new(source),
        |digests, f| survey_one(source, f, manifest, digests, &kept_bytes),
    )
}

/// Files surveyed by one thread at a time.
const SURVEY_CHUNK: usize = 256;

/// One file's [`Seen`]: its recorded hash, or its bytes read and hashed (kept while
/// `kept_bytes`, shared by the threads, stays under [`KEEP_READ_BYTES`]).
fn survey_one(
    source: &LibrarySource,
    file: SourceFile,
    manifest: &Manifest,
    digests: &mut settings::Digests,
    kept_bytes: &AtomicU64,
) -> Seen {
    let mtime = mtime_ns(file.mtime);
    // A `dubao.toml` edited since changes the file's version as its bytes would.
    let (read_with, settings) = digests.settings(&file.rel).clone();
    let recorded = manifest.files.get(&file.rel).filter(|e| {
        e.size == file.size && mtime.is_some() && e.mtime_ns == mtime && e.settings == settings
    });
    if let Some(e) = recorded {
        // Unchanged, so not read: still readable? (Discovery left that to the survey.)
        return Seen {
            hash: source::check_readable(&file)
                .map(|()| e.hash.clone())
                .map_err(Into::into),
            settings,
            read_with,
            bytes: None,
            append: None,
            file,
        };
    }
    match source::read(source, &file) {
        Ok(b) => {
            let recorded = manifest.files.get(&file.rel);
            let (hash, append) = version_and_append(&file.rel, &b, recorded, &settings);
            let len = b.len() as u64;
            let keep = kept_bytes
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |k| {
                    (k + len <= KEEP_READ_BYTES).then_some(k + len)
                })
                .is_ok();
            Seen {
                hash: Ok(hash),
                settings,
                read_with,
                bytes: keep.then_some(b),
                append,
                file,
            }
        }
        Err(e) => Seen {
            hash: Err(e.into()),
            settings,
            read_with,
            bytes: None,
            append: None,
            file,
        },
    }
}

/// A file to parse.
pub(crate) struct Todo {
    pub(crate) file: SourceFile,
    pub(crate) hash: String,
    pub(crate) settings: String,
    pub(crate) read_with: Arc<Settings>,
    pub(crate) bytes: Option<Vec<u8>>,
    /// Only this part is to be read (see [`Append`]).
    pub(crate) append: Option<Append>,
    /// The versions of the parts the file's documents are already indexed as, when it
    /// is parsed for the catalog only (see `FileEntry::parts`).
    pub(crate) parts: Vec<String>,
    /// False when the index already holds this version and only the catalog lacks it
    /// (a build killed before its catalog was written).
    pub(crate) index: bool,
}

/// What an update does (see the module documentation).
#[derive(Default)]
pub(crate) struct Plan {
    /// Files to parse, in library order.
    pub(crate) parse: Vec<Todo>,
    /// Keys of indexed file versions that the library no longer has.
    pub(crate) stale: Vec<String>,
    /// Files whose records are copied from the old catalog: (path, hash).
    pub(crate) keep: Vec<(String, String)>,
    /// Manifest entries of the files not parsed (unchanged, known to be empty, unreadable).
    pub(crate) entries: BTreeMap<String, FileEntry>,
    /// The old catalog lists exactly the files kept: nothing of it must go.
    pub(crate) old_catalog_exact: bool,
}

impl Plan {
    /// Nothing to add to the index or take from it.
    pub(crate) fn leaves_index_alone(&self) -> bool {
        self.parse.is_empty() && self.stale.is_empty()
    }
}

/// What must happen for the index and the catalog to hold exactly the files `seen`:
/// `indexed` are the file keys the index holds live documents of, `cataloged` the
/// version of each file the old catalog lists.
pub(crate) fn plan(
    seen: Vec<Seen>,
    manifest: &Manifest,
    indexed: &HashSet<String>,
    mut cataloged: HashMap<String, String>,
) -> Plan {
    let cataloged_count = cataloged.len();
    let mut plan = Plan::default();
    let mut desired = HashSet::new();
    for Seen {
        file,
        hash,
        settings,
        read_with,
        bytes,
        append,
    } in seen
    {
        let hash = match hash {
            Ok(h) => h,
            Err(reason) => {
                // Unreadable now: nothing of it belongs in the index.
                plan.entries.insert(
                    file.rel.clone(),
                    FileEntry {
                        size: file.size,
                        mtime_ns: None,
                        hash: String::new(),
                        articles: 0,
                        error: Some(reason.to_string()),
                        settings,
                        parts: Vec::new(),
                        problems: Vec::new(),
                    },
                );
                continue;
            }
        };
        let key_of = |version: &String| filekey(&file.rel, version);
        // What the manifest knows of this very version, and the keys its documents
        // carry: the file's, or its parts' (a dump indexed as it grew).
        let known = manifest.files.get(&file.rel).filter(|e| e.hash == hash);
        let parts = known.map_or_else(Vec::new, |e| e.parts.clone());
        let keys: Vec<String> = known.map_or_else(
            || vec![key_of(&hash)],
            |e| e.part_versions().iter().map(key_of).collect(),
        );
        let known_empty = known.is_some_and(|e| e.articles == 0 && e.error.is_none());
        if let Some(e) = known {
            let mut e = e.clone();
            e.size = file.size;
            e.mtime_ns = mtime_ns(file.mtime);
            plan.entries.insert(file.rel.clone(), e);
        }
        let listed = cataloged.remove(&file.rel);
        let in_catalog = listed.as_ref() == Some(&hash);
        let in_index = keys.iter().all(|k| indexed.contains(k));
        if known_empty {
            desired.extend(keys);
            continue;
        }
        // Appended to a dump whose old version the index and the catalog hold whole:
        // only the new lines are read.
        let append = append.filter(|a| {
            listed.as_ref() == Some(&a.old_hash)
                && a.old_parts.iter().all(|v| indexed.contains(&key_of(v)))
        });
        // What to read: (only what was appended, the parts already indexed, whether
        // its documents go into the index); `None`: nothing, its record is kept.
        let read = if let Some(a) = append {
            desired.extend(a.parts().iter().map(key_of));
            Some((Some(a), Vec::new(), true))
        } else if in_index {
            desired.extend(keys);
            // Indexed, not in the catalog: read for the catalog only.
            (!in_catalog).then_some((None, parts, false))
        } else {
            // Read whole, its documents under the file's own key (a part already
            // indexed goes: it is not desired).
            desired.insert(key_of(&hash));
            Some((None, Vec::new(), true))
        };
        match read {
            None => plan.keep.push((file.rel, hash)),
            Some((append, parts, index)) => plan.parse.push(Todo {
                file,
                hash,
                settings,
                read_with,
                bytes,
                append,
                parts,
                index,
            }),
        }
    }
    plan.stale = indexed
        .iter()
        .filter(|k| !desired.contains(*k))
        .cloned()
        .collect();
    plan.stale.sort();
    plan.old_catalog_exact = plan.keep.len() == cataloged_count;
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str) -> SourceFile {
        SourceFile {
            rel: rel.to_string(),
            path: None,
            size: 10,
            mtime: None,
        }
    }

    fn seen(rel: &str, hash: &str) -> Seen {
        Seen {
            file: file(rel),
            hash: Ok(hash.to_string()),
            settings: String::new(),
            read_with: Arc::default(),
            bytes: None,
            append: None,
        }
    }

    fn entry(hash: &str, articles: usize) -> FileEntry {
        FileEntry {
            size: 10,
            mtime_ns: None,
            hash: hash.to_string(),
            articles,
            error: None,
            settings: String::new(),
            parts: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn keys(pairs: &[(&str, &str)]) -> HashSet<String> {
        pairs.iter().map(|(r, h)| filekey(r, h)).collect()
    }

    fn versions(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(r, h)| (r.to_string(), h.to_string()))
            .collect()
    }

    fn parsed(plan: &Plan) -> Vec<(&str, bool)> {
        plan.parse
            .iter()
            .map(|t| (t.file.rel.as_str(), t.index))
            .collect()
    }

    fn append_of(old_hash: &str, old_parts: &[&str], part: &str) -> Append {
        Append {
            from: 5,
            first_line: 3,
            old_hash: old_hash.to_string(),
            old_parts: old_parts.iter().map(|p| p.to_string()).collect(),
            old_articles: 2,
            old_problems: Vec::new(),
            part: part.to_string(),
            taken_ids: HashSet::new(),
        }
    }

    #[test]
    fn a_dump_appended_to_is_read_where_it_grew_if_its_old_parts_are_all_there() {
        let mut manifest = Manifest::default();
        manifest.files.insert("d.jsonl".into(), entry("1", 2));
        let grown = Seen {
            append: Some(append_of("1", &["1"], "p2")),
            ..seen("d.jsonl", "2")
        };
        let cataloged = versions(&[("d.jsonl", "1")]);
        let p = plan(
            vec![grown],
            &manifest,
            &keys(&[("d.jsonl", "1")]),
            cataloged.clone(),
        );
        assert_eq!(p.parse[0].append, Some(append_of("1", &["1"], "p2")));
        assert!(p.stale.is_empty(), "the old part stays: {:?}", p.stale);
        // The old part not indexed (or not listed): read whole, the new version's key.
        for (indexed, listed) in [
            (keys(&[]), cataloged.clone()),
            (keys(&[("d.jsonl", "1")]), versions(&[])),
        ] {
            let grown = Seen {
                append: Some(append_of("1", &["1"], "p2")),
                ..seen("d.jsonl", "2")
            };
            let p = plan(vec![grown], &manifest, &indexed, listed);
            assert_eq!(p.parse[0].append, None);
            assert!(p.parse[0].index);
            assert_eq!(p.stale, Vec::from_iter(indexed));
        }
    }

    #[test]
    fn appended_means_the_old_bytes_whole_lines_and_unchanged_then_more() {
        let old = b"{\"title\":\"a\"}\n{\"title\":\"b\"}\n";
        let mut e = entry(&source::version(old, ""), 2);
        e.size = old.len() as u64;
        let now = [&old[..], b"{\"title\":\"c\"}\n"].concat();
        let appended = |rel: &str, now: &[u8], e: &FileEntry, settings: &str| {
            let (hash, append) = version_and_append(rel, now, Some(e), settings);
            assert_eq!(
                hash,
                source::version(now, settings),
                "the version, whatever else"
            );
            append.map(|a| (hash, a))
        };
        let (hash, a) = appended("d.jsonl", &now, &e, "").unwrap();
        assert_eq!(hash, source::version(&now, ""));
        assert_eq!((a.from, a.first_line), (old.len() as u64, 3));
        assert_eq!(a.part, hash);
        assert_eq!(a.old_parts, [e.hash.clone()]);
        // Not a dump; another settings file; the old text changed; a line cut in two.
        assert!(appended("d.txt", &now, &e, "").is_none());
        assert!(appended("d.jsonl", &now, &e, "0123").is_none());
        let mut edited = now.clone();
        edited[10] = b'A';
        assert!(appended("d.jsonl", &edited, &e, "").is_none());
        e.size -= 1;
        e.hash = source::version(&old[..old.len() - 1], "");
        assert!(appended("d.jsonl", &now, &e, "").is_none());
    }

    #[test]
    fn a_dump_in_parts_is_kept_while_all_its_parts_are_indexed() {
        let mut manifest = Manifest::default();
        let mut e = entry("3", 4);
        e.parts = vec!["p1".into(), "p2".into()];
        manifest.files.insert("d.jsonl".into(), e);
        let both = keys(&[("d.jsonl", "p1"), ("d.jsonl", "p2")]);
        let p = plan(
            vec![seen("d.jsonl", "3")],
            &manifest,
            &both,
            versions(&[("d.jsonl", "3")]),
        );
        assert_eq!((p.keep.len(), p.parse.len(), p.stale.len()), (1, 0, 0));
        // Not in the catalog: read for it only, the parts kept in the entry.
        let p = plan(vec![seen("d.jsonl", "3")], &manifest, &both, versions(&[]));
        assert_eq!(parsed(&p), [("d.jsonl", false)]);
        assert_eq!(p.parse[0].parts, ["p1", "p2"]);
        assert!(p.stale.is_empty());
        // A part lost: read whole, the other part's documents go.
        let p = plan(
            vec![seen("d.jsonl", "3")],
            &manifest,
            &keys(&[("d.jsonl", "p1")]),
            versions(&[("d.jsonl", "3")]),
        );
        assert_eq!(parsed(&p), [("d.jsonl", true)]);
        assert!(p.parse[0].parts.is_empty());
        assert_eq!(p.stale, [filekey("d.jsonl", "p1")]);
    }

    #[test]
    fn a_fresh_build_parses_everything() {
        let p = plan(
            vec![seen("a.txt", "1"), seen("b.txt", "2")],
            &Manifest::default(),
            &HashSet::new(),
            HashMap::new(),
        );
        assert_eq!(parsed(&p), [("a.txt", true), ("b.txt", true)]);
        assert!(p.stale.is_empty() && p.keep.is_empty());
    }

    #[test]
    fn unchanged_files_are_kept_changed_ones_parsed_gone_ones_dropped() {
        let mut manifest = Manifest::default();
        manifest.files.insert("a.txt".into(), entry("1", 3));
        manifest.files.insert("b.txt".into(), entry("2", 3));
        manifest.files.insert("gone.txt".into(), entry("9", 3));
        let p = plan(
            vec![
                seen("a.txt", "1"),
                seen("b.txt", "2b"),
                seen("new.txt", "7"),
            ],
            &manifest,
            &keys(&[("a.txt", "1"), ("b.txt", "2"), ("gone.txt", "9")]),
            versions(&[("a.txt", "1"), ("b.txt", "2"), ("gone.txt", "9")]),
        );
        assert_eq!(p.keep, [("a.txt".to_string(), "1".to_string())]);
        assert_eq!(parsed(&p), [("b.txt", true), ("new.txt", true)]);
        assert_eq!(p.stale, {
            let mut s = vec![filekey("b.txt", "2"), filekey("gone.txt", "9")];
            s.sort();
            s
        });
        assert!(!p.old_catalog_exact, "b and gone leave the catalog");
        assert!(p.entries.contains_key("a.txt") && !p.entries.contains_key("b.txt"));
    }

    #[test]
    fn indexed_but_not_catalogued_is_parsed_for_the_catalog_only() {
        let p = plan(
            vec![seen("a.txt", "1")],
            &Manifest::default(),
            &keys(&[("a.txt", "1")]),
            HashMap::new(),
        );
        assert_eq!(parsed(&p), [("a.txt", false)]);
        assert!(p.stale.is_empty());
    }

    #[test]
    fn known_empty_files_are_left_alone_and_unreadable_ones_recorded() {
        let mut manifest = Manifest::default();
        manifest.files.insert("empty.txt".into(), entry("0", 0));
        let unreadable = Seen {
            file: file("locked.txt"),
            hash: Err(ReadError::Io("permission denied".into())),
            settings: String::new(),
            read_with: Arc::default(),
            bytes: None,
            append: None,
        };
        let p = plan(
            vec![seen("empty.txt", "0"), unreadable],
            &manifest,
            &keys(&[("locked.txt", "5")]),
            HashMap::new(),
        );
        assert!(p.parse.is_empty() && p.keep.is_empty());
        assert_eq!(p.stale, [filekey("locked.txt", "5")]);
        assert_eq!(
            p.entries["locked.txt"].error.as_deref(),
            Some("permission denied")
        );
        assert_eq!(p.entries["empty.txt"].articles, 0);
        assert!(p.old_catalog_exact);
        assert!(!p.leaves_index_alone());
    }

    #[test]
    fn nothing_changed_leaves_the_index_alone() {
        let mut manifest = Manifest::default();
        manifest.files.insert("a.txt".into(), entry("1", 2));
        let p = plan(
            vec![seen("a.txt", "1")],
            &manifest,
            &keys(&[("a.txt", "1")]),
            versions(&[("a.txt", "1")]),
        );
        assert!(p.leaves_index_alone() && p.old_catalog_exact);
        assert_eq!(p.keep.len(), 1);
    }
}
