//! The manifest: what the index was built from. A cache of content hashes keyed by
//! (size, mtime), plus the analyzer version. Written atomically after each commit; the
//! index's own `filekey` terms are the truth about what it holds.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub(crate) struct Manifest {
    pub(crate) analyzer_version: String,
    /// The library: a folder's canonical path, or `embedded samples`.
    pub(crate) source: String,
    pub(crate) files: BTreeMap<String, FileEntry>,
    /// Index files whose checksums were verified, with the (length, mtime) they had then:
    /// only files that changed since are checked again on open.
    #[serde(default)]
    pub(crate) verified: BTreeMap<String, (u64, u128)>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct FileEntry {
    pub(crate) size: u64,
    /// Nanoseconds since the epoch, when known.
    pub(crate) mtime_ns: Option<u128>,
    /// Its version: blake3 of the bytes and settings (`source::version`), hex.
    pub(crate) hash: String,
    /// Articles indexed from this version of the file (0 when empty or unreadable).
    pub(crate) articles: usize,
    /// Why the file could not be read, if it could not.
    pub(crate) error: Option<String>,
    /// The digest of the settings it was read with (see `Settings::digest`).
    #[serde(default)]
    pub(crate) settings: String,
    /// A dump indexed a part at a time as it grew: each part's version (see
    /// `build::plan`), oldest first; its documents carry the file key of their part.
    /// Empty when the file was read whole (its documents carry the file's own key).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) parts: Vec<String>,
    /// What went wrong in it, the rest being read (`line 5: broken JSON (…)`): listed
    /// with the library's warnings as long as this version is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) problems: Vec<String>,
}

impl FileEntry {
    /// The versions whose file keys this file's documents carry.
    pub(crate) fn part_versions(&self) -> Vec<String> {
        if self.parts.is_empty() {
            vec![self.hash.clone()]
        } else {
            self.parts.clone()
        }
    }
}

pub const FILE_NAME: &str = "dubao-manifest.json";

impl Manifest {
    /// `None` when missing or unreadable.
    pub(crate) fn load(dir: &Path) -> Option<Manifest> {
        let text = std::fs::read(dir.join(FILE_NAME)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Write to a temporary file, sync, rename over the old one.
    pub(crate) fn save(&self, dir: &Path) -> std::io::Result<()> {
        use std::io::Write;
        let tmp = dir.join(format!("{FILE_NAME}.tmp"));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&serde_json::to_vec(self).map_err(std::io::Error::other)?)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, dir.join(FILE_NAME))?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}
