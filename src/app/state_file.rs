//! Reading state kept across runs: the last article, where each article was left,
//! which articles were read, bookmarks. One JSON file in the state folder, written
//! atomically; a file we can't parse is renamed aside, never overwritten silently.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "state.json";

/// Where an article was left: the paragraph at the top of the reader and the row in
/// it. Paragraphs survive a change of width; raw row numbers would not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Paragraph at the top of the screen; `None` for the header rows.
    pub paragraph: Option<usize>,
    /// Rows below the start of that paragraph (or of the article).
    pub row: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadingState {
    pub last_article: Option<String>,
    pub positions: BTreeMap<String, Position>,
    pub read: BTreeSet<String>,
    /// Bookmarked article ids, oldest first.
    pub bookmarks: Vec<String>,
}

impl ReadingState {
    pub fn is_bookmarked(&self, id: &str) -> bool {
        self.bookmarks.iter().any(|b| b == id)
    }

    /// Add or remove a bookmark; true when it is now bookmarked.
    pub fn toggle_bookmark(&mut self, id: &str) -> bool {
        if let Some(i) = self.bookmarks.iter().position(|b| b == id) {
            self.bookmarks.remove(i);
            false
        } else {
            self.bookmarks.push(id.to_string());
            true
        }
    }
}

/// Load the state from `dir`. A missing file is a fresh state. A file that can't be
/// read as state is renamed to `state.json.bak` (or `.bak.N`) and a fresh state is
/// returned with a warning saying so.
pub fn load(dir: &Path) -> (ReadingState, Option<String>) {
    let path = dir.join(FILE_NAME);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return (ReadingState::default(), None);
        }
        Err(e) => {
            return (
                ReadingState::default(),
                Some(format!("{}: {e}; starting fresh", path.display())),
            );
        }
    };
    match serde_json::from_slice::<ReadingState>(&bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let aside = backup_path(&path);
            let moved = std::fs::rename(&path, &aside);
            let what = match moved {
                Ok(()) => format!("moved to {}", aside.display()),
                Err(m) => format!("could not move it aside ({m})"),
            };
            (
                ReadingState::default(),
                Some(format!(
                    "{}: not a state file ({e}); {what}; starting fresh",
                    path.display()
                )),
            )
        }
    }
}

/// A name for the broken file that does not replace an older backup.
fn backup_path(path: &Path) -> PathBuf {
    let first = path.with_extension("json.bak");
    if !first.exists() {
        return first;
    }
    (1..)
        .map(|n| path.with_extension(format!("json.bak.{n}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Write the state atomically: a temporary file in the same folder, then a rename.
/// Refuses to replace a file that exists but does not parse (it may be someone's).
pub fn save(dir: &Path, state: &ReadingState) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    let path = dir.join(FILE_NAME);
    if let Ok(old) = std::fs::read(&path)
        && serde_json::from_slice::<ReadingState>(&old).is_err()
    {
        anyhow::bail!(
            "{}: exists and is not a state file; not replaced",
            path.display()
        );
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    serde_json::to_writer_pretty(&mut tmp, state)?;
    tmp.write_all(b"\n")?;
    tmp.as_file().sync_all()?;
    tmp.persist(&path)
        .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ReadingState {
            last_article: Some("abc".into()),
            ..ReadingState::default()
        };
        s.read.insert("abc".into());
        s.toggle_bookmark("abc");
        s.positions.insert(
            "abc".into(),
            Position {
                paragraph: Some(3),
                row: 1,
            },
        );
        save(dir.path(), &s).unwrap();
        let (back, warning) = load(dir.path());
        assert_eq!(warning, None);
        assert_eq!(back, s);
    }

    #[test]
    fn corrupt_file_is_moved_aside_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "{not json").unwrap();
        // Saving over a file we can't parse is refused.
        assert!(save(dir.path(), &ReadingState::default()).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{not json");
        let (s, warning) = load(dir.path());
        assert_eq!(s, ReadingState::default());
        assert!(warning.unwrap().contains("state.json.bak"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("state.json.bak")).unwrap(),
            "{not json"
        );
        // A second broken file does not replace the first backup.
        std::fs::write(&path, "42").unwrap();
        let (_, warning) = load(dir.path());
        assert!(warning.unwrap().contains("state.json.bak.1"));
        save(dir.path(), &ReadingState::default()).unwrap();
    }
}
