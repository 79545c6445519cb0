//! Finding the issue files of a library: a folder on disk, or the embedded samples.

use super::model::Warning;
use std::path::PathBuf;
use std::time::SystemTime;

/// Where a library's files come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LibrarySource {
    /// The sample pages built into the binary.
    Embedded,
    /// A folder searched recursively for `.txt`, `.md` and `.markdown` files.
    Dir(PathBuf),
}

/// One issue file found in a library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the library root, `/` separators.
    pub rel: String,
    /// Absolute path on disk (None for embedded files).
    pub path: Option<PathBuf>,
    pub size: u64,
    pub mtime: Option<SystemTime>,
}

/// Every issue file of the library, sorted by `rel`, and the files that were skipped.
pub fn discover(source: &LibrarySource) -> (Vec<SourceFile>, Vec<Warning>) {
    match source {
        LibrarySource::Embedded => (
            super::samples::SAMPLES
                .iter()
                .map(|(name, bytes)| SourceFile {
                    rel: name.to_string(),
                    path: None,
                    size: bytes.len() as u64,
                    mtime: None,
                })
                .collect(),
            Vec::new(),
        ),
        LibrarySource::Dir(root) => discover_dir(root),
    }
}

/// The bytes of one file.
pub fn read(source: &LibrarySource, file: &SourceFile) -> std::io::Result<Vec<u8>> {
    match (source, &file.path) {
        (_, Some(path)) => std::fs::read(path),
        (LibrarySource::Embedded, None) => super::samples::SAMPLES
            .iter()
            .find(|(n, _)| *n == file.rel)
            .map(|(_, b)| b.to_vec())
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such sample")),
        (LibrarySource::Dir(_), None) => {
            Err(std::io::Error::new(std::io::ErrorKind::NotFound, "no path"))
        }
    }
}

/// Minimal folder walk (the index helper's stop-gap until the real one lands).
fn discover_dir(root: &std::path::Path) -> (Vec<SourceFile>, Vec<Warning>) {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for entry in walkdir::WalkDir::new(root).follow_links(true) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                warnings.push(Warning {
                    file: e
                        .path()
                        .map_or_else(String::new, |p| p.display().to_string()),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !entry.file_type().is_file() || !matches!(ext, "txt" | "md" | "markdown") {
            continue;
        }
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let meta = entry.metadata().ok();
        files.push(SourceFile {
            rel,
            path: Some(path.to_path_buf()),
            size: meta.as_ref().map_or(0, |m| m.len()),
            mtime: meta.and_then(|m| m.modified().ok()),
        });
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    (files, warnings)
}
