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
        LibrarySource::Dir(_root) => todo!("source::discover"),
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
