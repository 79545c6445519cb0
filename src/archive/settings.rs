//! Per-folder settings: a `dubao.toml` in any folder of a library says what dubao
//! cannot always tell from the files themselves, for that folder and those under it:
//!
//! ```toml
//! unit = "article"        # each file is one article ("page": a page to segment)
//! paper = "人民日报"        # the paper these files belong to
//! [fields]                # JSON Lines field names: ours = theirs
//! title = "headline"
//! content = "article"
//! ```
//!
//! The nearest folder's setting wins, key by key. Settings files are not library files.

use super::source::LibrarySource;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::SystemTime;

/// The name of a settings file.
pub const FILE_NAME: &str = "dubao.toml";

/// The embedded library's own settings (see `assets/dubao.toml`).
const EMBEDDED: &str = include_str!("../../assets/dubao.toml");

/// What a file is, when a folder says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// One article per file: read as it is, never segmented.
    Article,
    /// A page of a paper: segmented into articles.
    Page,
}

/// The settings in force for one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub unit: Option<Unit>,
    pub paper: Option<String>,
    /// JSON Lines field names: our name (`title`, `content`, `desc`, `date`, `paper`,
    /// `page`, `author`, `id`) to the name in the dump.
    #[serde(default)]
    pub fields: HashMap<String, String>,
}

impl Settings {
    /// Parse the text of a `dubao.toml`; the error is one short line.
    pub fn parse(text: &str) -> Result<Settings, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    /// What of these settings changes how a file reads, as a short string: empty when
    /// there are none (a library without settings files keeps plain content hashes).
    pub(crate) fn digest(&self) -> String {
        if *self == Settings::default() {
            return String::new();
        }
        let mut fields: Vec<_> = self.fields.iter().collect();
        fields.sort();
        let text = format!("{:?}|{:?}|{fields:?}", self.unit, self.paper);
        blake3::hash(text.as_bytes()).to_hex()[..16].to_string()
    }

    /// `self` with `nearer`'s settings over it.
    fn under(mut self, nearer: &Settings) -> Settings {
        if nearer.unit.is_some() {
            self.unit = nearer.unit;
        }
        if nearer.paper.is_some() {
            self.paper = nearer.paper.clone();
        }
        for (k, v) in &nearer.fields {
            self.fields.insert(k.clone(), v.clone());
        }
        self
    }
}

/// The settings in force for the file `rel` of a library.
pub fn for_file(source: &LibrarySource, rel: &str) -> Arc<Settings> {
    match source {
        LibrarySource::Embedded => {
            static EMBEDDED_SETTINGS: LazyLock<Arc<Settings>> =
                LazyLock::new(|| Arc::new(Settings::parse(EMBEDDED).unwrap_or_default()));
            EMBEDDED_SETTINGS.clone()
        }
        LibrarySource::Dir(root) => {
            let mut settings = Settings::default();
            let mut folder = root.clone();
            let folders: Vec<&str> = rel.split('/').collect();
            let mut apply = |dir: &Path| {
                if let Some(s) = folder_settings(dir) {
                    settings = std::mem::take(&mut settings).under(&s);
                }
            };
            // A library that is a single file has no folder of its own to look in
            // but the one it sits in.
            if root.is_file() {
                if let Some(parent) = root.parent() {
                    apply(parent);
                }
            } else {
                apply(&folder);
                for name in &folders[..folders.len().saturating_sub(1)] {
                    folder.push(name);
                    apply(&folder);
                }
            }
            Arc::new(settings)
        }
    }
}

/// The settings of each file of a library and their digest ([`Settings::digest`]),
/// worked out once per folder: a folder's files share their settings, and each lookup
/// looks for a `dubao.toml` in the folder and every one above it (a stat each). An
/// update asks for every file, so the parse of a file uses the very settings its
/// version was hashed with.
pub(crate) struct Digests<'a> {
    source: &'a LibrarySource,
    by_folder: HashMap<String, (Arc<Settings>, String)>,
}

impl<'a> Digests<'a> {
    pub(crate) fn new(source: &'a LibrarySource) -> Digests<'a> {
        Digests {
            source,
            by_folder: HashMap::new(),
        }
    }

    /// The digest of the settings `rel` is read with.
    pub(crate) fn of(&mut self, rel: &str) -> String {
        self.settings(rel).1.clone()
    }

    /// The settings `rel` is read with, and their digest.
    pub(crate) fn settings(&mut self, rel: &str) -> &(Arc<Settings>, String) {
        let folder = rel.rsplit_once('/').map_or("", |(f, _)| f);
        if !self.by_folder.contains_key(folder) {
            let s = for_file(self.source, rel);
            let d = s.digest();
            self.by_folder.insert(folder.to_string(), (s, d));
        }
        &self.by_folder[folder]
    }
}

/// Settings files already read, by folder, with the version read (modified time,
/// size): a library's files are read by the thousand, its settings files are few.
type Cache = HashMap<PathBuf, (Option<(SystemTime, u64)>, Option<Arc<Settings>>)>;
static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(Default::default);

/// The settings file of one folder (a broken one counts as absent: [`check`] reports it).
fn folder_settings(dir: &Path) -> Option<Arc<Settings>> {
    let path = dir.join(FILE_NAME);
    let version = std::fs::metadata(&path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((v, s)) = cache.get(dir)
        && *v == version
    {
        return s.clone();
    }
    let settings = version
        .and_then(|_| std::fs::read_to_string(&path).ok())
        .and_then(|t| Settings::parse(&t).ok())
        .map(Arc::new);
    cache.insert(dir.to_path_buf(), (version, settings.clone()));
    settings
}

/// Why a settings file can't be used, if it can't: one line to show after its name.
pub(crate) fn check(path: &Path) -> Option<String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return Some(format!("settings not read: {e}")),
    };
    Settings::parse(&text)
        .err()
        .map(|e| format!("settings ignored: {}", e.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_folder_wins_key_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("人民日报/2019");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            "unit = \"page\"\npaper = \"甲报\"\n[fields]\ntitle = \"headline\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("人民日报").join(FILE_NAME),
            "unit = \"article\"\n",
        )
        .unwrap();
        let src = LibrarySource::Dir(dir.path().to_path_buf());
        let s = for_file(&src, "人民日报/2019/a.txt");
        assert_eq!(s.unit, Some(Unit::Article));
        assert_eq!(s.paper.as_deref(), Some("甲报"));
        assert_eq!(s.fields.get("title").map(String::as_str), Some("headline"));
        assert_eq!(for_file(&src, "b.txt").unit, Some(Unit::Page));
    }

    #[test]
    fn the_samples_are_the_jiaozuo_daily() {
        assert_eq!(
            for_file(&LibrarySource::Embedded, "000.txt")
                .paper
                .as_deref(),
            Some("焦作日报")
        );
        assert!(Settings::parse("unit = \"leaflet\"").is_err());
        assert!(Settings::parse("colour = 1").is_err());
    }
}
