//! What a one-shot command (`dubao search`, `list`, `show`, `export`) checks before it
//! trusts the index instead of walking the library: the modification time of every
//! folder of the library as the last build saw it. Adding, removing or renaming a file
//! (which is how editors and crawlers save) changes its folder's time; checking is one
//! `stat` per folder, against reading every file's metadata and a manifest of every file
//! (100 ms at 100,000 files). Only when a folder changed is the library walked, to say
//! how many files changed. JSON Lines dumps are the exception: they grow in place (a line
//! appended keeps the folder's time), so each dump's size and time are kept too. Any
//! other edit in place that keeps the folder's time is seen by the next `dubao index` or
//! reader start, which check every file.
//!
//! Kept apart from the manifest, which grows with the library: this file grows with the
//! number of folders only.

use crate::archive::source::LibrarySource;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub(crate) const FILE_NAME: &str = "dubao-stamps.json";

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub(crate) struct Stamps {
    pub(crate) analyzer_version: String,
    /// The index's own files as verified (see `Manifest::verified`): one that changed
    /// since means another process wrote the index, and the full open checks it.
    pub(crate) verified: BTreeMap<String, (u64, u128)>,
    /// The manifest's (length, mtime) as written with these stamps: a manifest changed
    /// since (damaged, or rewritten by another process) sends to the full open.
    #[serde(default)]
    pub(crate) manifest: (u64, u128),
    /// Every folder of the library (relative path, `""` for the root) and its
    /// modification time in nanoseconds.
    pub(crate) dirs: Vec<(String, u128)>,
    /// Every dump of the library (relative path), its size and modification time.
    #[serde(default)]
    pub(crate) dumps: Vec<(String, (u64, u128))>,
}

impl Stamps {
    /// The library's folders as they are now.
    pub(crate) fn take(
        source: &LibrarySource,
        analyzer_version: &str,
        verified: &BTreeMap<String, (u64, u128)>,
    ) -> Stamps {
        let mut dirs = Vec::new();
        let mut dumps = Vec::new();
        if let LibrarySource::Dir(root) = source {
            let walker = walkdir::WalkDir::new(root)
                .follow_links(true)
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().as_encoded_bytes().starts_with(b".")
                });
            for e in walker.flatten() {
                let rel = || {
                    e.path()
                        .strip_prefix(root)
                        .unwrap_or(e.path())
                        .to_string_lossy()
                        .into_owned()
                };
                if e.file_type().is_dir() {
                    if let Some(t) = dir_mtime(e.path()) {
                        dirs.push((rel(), t));
                    }
                } else if crate::archive::jsonl::is_jsonl(&e.file_name().to_string_lossy()) {
                    dumps.push((rel(), file_stamp(e.path())));
                }
            }
        }
        Stamps {
            analyzer_version: analyzer_version.to_string(),
            verified: verified.clone(),
            manifest: (0, 0),
            dirs,
            dumps,
        }
    }

    /// Whether any folder of the library changed (or went), or any dump, since these
    /// stamps.
    pub(crate) fn library_changed(&self, source: &LibrarySource) -> bool {
        let LibrarySource::Dir(root) = source else {
            // The embedded samples are part of the index's key.
            return false;
        };
        self.dirs
            .iter()
            .any(|(rel, t)| dir_mtime(&root.join(rel)) != Some(*t))
            || self
                .dumps
                .iter()
                .any(|(rel, stamp)| file_stamp(&root.join(rel)) != *stamp)
    }

    /// `None` when missing or unreadable.
    pub(crate) fn load(dir: &Path) -> Option<Stamps> {
        serde_json::from_slice(&std::fs::read(dir.join(FILE_NAME)).ok()?).ok()
    }

    /// Written to a temporary file and renamed over the old one.
    pub(crate) fn save(&self, dir: &Path) -> std::io::Result<()> {
        let tmp = dir.join(format!("{FILE_NAME}.tmp"));
        std::fs::write(
            &tmp,
            serde_json::to_vec(self).map_err(std::io::Error::other)?,
        )?;
        std::fs::rename(&tmp, dir.join(FILE_NAME))
    }
}

/// (length, mtime) of a file, `(0, 0)` when it can't be read.
pub(crate) fn file_stamp(path: &Path) -> (u64, u128) {
    std::fs::metadata(path).map_or((0, 0), |m| {
        (
            m.len(),
            super::build::mtime_ns(m.modified().ok()).unwrap_or(0),
        )
    })
}

fn dir_mtime(path: &Path) -> Option<u128> {
    super::build::mtime_ns(std::fs::metadata(path).ok()?.modified().ok())
}
