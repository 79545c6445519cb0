//! Reading state kept across runs: the last article, where each article was left,
//! which articles were read, bookmarks. One JSON file in the state folder, written
//! atomically, with the one it replaced kept as `state.json.prev`; a file we can't parse
//! is renamed aside, never overwritten silently, and the previous save is used instead.

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
    /// One pane at a time, full width, even on a wide screen (the `f` key): kept, as
    /// whoever chose it reads over a slow link.
    pub one_pane: bool,
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
/// read as state is renamed to `state.json.bak` (or `.bak.N`) and the state saved before
/// it (`state.json.prev`, see [`save`]) is used instead, else a fresh one; the warning
/// says which.
pub fn load(dir: &Path) -> (ReadingState, Option<String>) {
    let path = dir.join(FILE_NAME);
    let problem = match std::fs::read(&path) {
        Ok(bytes) => match serde_json::from_slice::<ReadingState>(&bytes) {
            Ok(s) => return (s, None),
            Err(e) => {
                let aside = backup_path(&path);
                match std::fs::rename(&path, &aside) {
                    Ok(()) => format!("not a state file ({e}); moved to {}", aside.display()),
                    Err(m) => format!("not a state file ({e}); could not move it aside ({m})"),
                }
            }
        },
        // Deleted on purpose (to start afresh): the previous copy is not brought back.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return (ReadingState::default(), None);
        }
        Err(e) => e.to_string(),
    };
    let prev = prev_path(dir);
    let recovered = std::fs::read(&prev)
        .ok()
        .and_then(|b| serde_json::from_slice::<ReadingState>(&b).ok());
    match recovered {
        Some(s) => (
            s,
            Some(format!(
                "{}: {problem}; recovered the state saved before it from {}",
                path.display(),
                prev.display()
            )),
        ),
        None => (
            ReadingState::default(),
            Some(format!("{}: {problem}; starting fresh", path.display())),
        ),
    }
}

/// The copy of the state as it was before the last save.
fn prev_path(dir: &Path) -> PathBuf {
    dir.join(format!("{FILE_NAME}.prev"))
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

/// Write `bytes` to `path` atomically: a synced temporary file in the same folder,
/// then a rename over it. Whoever reads `path` sees the old bytes or the new ones.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.error))?;
    Ok(())
}

/// Write the state atomically, first keeping the file it replaces as `state.json.prev`
/// so that a damaged state file costs one session's changes, not the bookmarks. The
/// previous state is copied (not moved) aside: `state.json` never goes missing, and at
/// every moment at least one of the two files is whole.
/// Refuses to replace a file that exists but does not parse (it may be someone's).
pub fn save(dir: &Path, state: &ReadingState) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    let path = dir.join(FILE_NAME);
    let mut new = serde_json::to_vec_pretty(state)?;
    new.push(b'\n');
    if let Ok(old) = std::fs::read(&path) {
        anyhow::ensure!(
            serde_json::from_slice::<ReadingState>(&old).is_ok(),
            "{}: exists and is not a state file; not replaced",
            path.display()
        );
        write_atomically(dir, &prev_path(dir), &old)?;
    }
    write_atomically(dir, &path, &new)
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

    fn with_bookmarks(ids: &[&str], row: usize) -> ReadingState {
        let mut s = ReadingState::default();
        for id in ids {
            s.toggle_bookmark(id);
            s.read.insert(id.to_string());
            s.positions.insert(
                id.to_string(),
                Position {
                    paragraph: Some(row / 2),
                    row,
                },
            );
        }
        s.last_article = ids.last().map(|s| s.to_string());
        s
    }

    #[test]
    fn save_keeps_the_state_it_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let first = with_bookmarks(&["a", "b"], 3);
        let second = with_bookmarks(&["a", "b", "c"], 7);
        save(dir.path(), &first).unwrap();
        assert!(!prev_path(dir.path()).exists(), "nothing to keep yet");
        save(dir.path(), &second).unwrap();
        let prev: ReadingState =
            serde_json::from_slice(&std::fs::read(prev_path(dir.path())).unwrap()).unwrap();
        assert_eq!(prev, first);
        assert_eq!(load(dir.path()), (second, None));
        // No temporary files left behind.
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["state.json", "state.json.prev"]);
    }

    #[test]
    fn damaged_state_falls_back_to_the_previous_save() {
        let first = with_bookmarks(&["x1", "x2"], 4);
        let second = with_bookmarks(&["x1", "x2", "x3"], 9);
        let good = serde_json::to_vec_pretty(&second).unwrap();
        let damages: [(&str, Vec<u8>); 4] = [
            ("truncated", good[..good.len() / 2].to_vec()),
            ("empty", Vec::new()),
            ("garbage", vec![0xff, 0x00, 0xfe, b'{', 0x9c, b'\n']),
            ("wrong shape", b"[1, 2, 3]".to_vec()),
        ];
        for (what, bytes) in damages {
            let dir = tempfile::tempdir().unwrap();
            save(dir.path(), &first).unwrap();
            save(dir.path(), &second).unwrap();
            std::fs::write(dir.path().join(FILE_NAME), &bytes).unwrap();
            let (state, warning) = load(dir.path());
            assert_eq!(state, first, "{what}");
            let warning = warning.unwrap_or_default();
            assert!(warning.contains("state.json.prev"), "{what}: {warning}");
            assert!(warning.contains("state.json.bak"), "{what}: {warning}");
            assert!(!warning.contains('\n'), "{what}: one line");
            // The damaged file is kept aside, byte for byte.
            assert_eq!(
                std::fs::read(dir.path().join("state.json.bak")).unwrap(),
                bytes,
                "{what}"
            );
            // The next save writes a good file and leaves the recovered copy alone.
            let third = with_bookmarks(&["x1", "x4"], 1);
            save(dir.path(), &third).unwrap();
            assert_eq!(load(dir.path()), (third, None), "{what}");
            let prev: ReadingState =
                serde_json::from_slice(&std::fs::read(prev_path(dir.path())).unwrap()).unwrap();
            assert_eq!(prev, first, "{what}");
        }
    }

    #[test]
    fn damaged_state_and_damaged_copy_start_fresh() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &with_bookmarks(&["a"], 1)).unwrap();
        save(dir.path(), &with_bookmarks(&["b"], 2)).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "{\"bookm").unwrap();
        std::fs::write(prev_path(dir.path()), "").unwrap();
        let (state, warning) = load(dir.path());
        assert_eq!(state, ReadingState::default());
        assert!(warning.unwrap().contains("starting fresh"));
    }

    #[test]
    fn deleted_state_is_not_brought_back() {
        // Deleting state.json is how a reader starts afresh.
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &with_bookmarks(&["a"], 1)).unwrap();
        save(dir.path(), &with_bookmarks(&["b"], 2)).unwrap();
        std::fs::remove_file(dir.path().join(FILE_NAME)).unwrap();
        assert_eq!(load(dir.path()), (ReadingState::default(), None));
    }
}
