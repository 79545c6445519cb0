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
}

/// Hash the files whose size or modification time differ from the manifest's; the
/// others keep the hash it recorded. What was read is kept for the indexer, up to
/// [`KEEP_READ_BYTES`]: a large library is read again (and checked against its hash).
pub(crate) fn survey(
    source: &LibrarySource,
    files: Vec<SourceFile>,
    manifest: &Manifest,
) -> Vec<Seen> {
    let mut kept_bytes = 0u64;
    let mut digests = settings::Digests::new(source);
    files
        .into_iter()
        .map(|file| {
            let mtime = mtime_ns(file.mtime);
            // A `dubao.toml` edited since changes the file's version as its bytes would.
            let (read_with, settings) = digests.settings(&file.rel).clone();
            let recorded = manifest.files.get(&file.rel).filter(|e| {
                e.size == file.size
                    && mtime.is_some()
                    && e.mtime_ns == mtime
                    && e.settings == settings
            });
            if let Some(e) = recorded {
                return Seen {
                    hash: Ok(e.hash.clone()),
                    settings,
                    read_with,
                    bytes: None,
                    file,
                };
            }
            match source::read(source, &file) {
                Ok(b) => {
                    let hash = source::version(&b, &settings);
                    let keep = kept_bytes + b.len() as u64 <= KEEP_READ_BYTES;
                    if keep {
                        kept_bytes += b.len() as u64;
                    }
                    Seen {
                        hash: Ok(hash),
                        settings,
                        read_with,
                        bytes: keep.then_some(b),
                        file,
                    }
                }
                Err(e) => Seen {
                    hash: Err(e.into()),
                    settings,
                    read_with,
                    bytes: None,
                    file,
                },
            }
        })
        .collect()
}

/// A file to parse.
pub(crate) struct Todo {
    pub(crate) file: SourceFile,
    pub(crate) hash: String,
    pub(crate) settings: String,
    pub(crate) read_with: Arc<Settings>,
    pub(crate) bytes: Option<Vec<u8>>,
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
                    },
                );
                continue;
            }
        };
        let key = filekey(&file.rel, &hash);
        desired.insert(key.clone());
        // What the manifest knows of this very version.
        let known = manifest.files.get(&file.rel).filter(|e| e.hash == hash);
        let known_empty = known.is_some_and(|e| e.articles == 0 && e.error.is_none());
        if let Some(e) = known {
            let mut e = e.clone();
            e.size = file.size;
            e.mtime_ns = mtime_ns(file.mtime);
            plan.entries.insert(file.rel.clone(), e);
        }
        let in_catalog = cataloged.remove(&file.rel).is_some_and(|h| h == hash);
        if known_empty {
            continue;
        }
        let in_index = indexed.contains(&key);
        if in_catalog && in_index {
            plan.keep.push((file.rel, hash));
        } else {
            plan.parse.push(Todo {
                file,
                hash,
                settings,
                read_with,
                bytes,
                index: !in_index,
            });
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
