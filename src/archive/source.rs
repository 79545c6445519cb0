//! Finding the issue files of a library: a folder on disk, or the embedded samples.

use super::model::Warning;
use std::ffi::OsStr;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use walkdir::WalkDir;

/// Where a library's files come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LibrarySource {
    /// The sample pages built into the binary.
    Embedded,
    /// A folder searched recursively for issue files (see [`is_issue_file`]).
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
    discover_opening(source, true)
}

/// [`discover`] for a caller that opens every file itself next, and says which it could
/// not: the index update, which reads each changed file and checks each unchanged one
/// with [`check_readable`]. One `open` and one `close` less a file: a third of the
/// system calls of a fresh build of an article-per-file library.
pub(crate) fn discover_to_read(source: &LibrarySource) -> (Vec<SourceFile>, Vec<Warning>) {
    discover_opening(source, false)
}

fn discover_opening(source: &LibrarySource, open: bool) -> (Vec<SourceFile>, Vec<Warning>) {
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
        LibrarySource::Dir(root) => discover_dir(root, open),
    }
}

/// Files larger than this are refused: no newspaper page is that big, and reading one
/// would only exhaust memory.
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

const NOT_REGULAR: &str = "not a regular file";

/// Whether a file name is an issue file: `.txt`, `.md`, `.markdown`, JSON Lines
/// (`.jsonl`, `.ndjson`, `.json`) or a page's `.pdf`, any case.
pub(crate) fn is_issue_file(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    !stem.is_empty()
        && ["txt", "md", "markdown", "jsonl", "ndjson", "json", "pdf"]
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e))
}

/// Hidden files and folders (`.git`, `.DS_Store`, editor swap files) are skipped.
fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

/// Walk a folder: follow symbolic links (a loop is reported once and not followed),
/// skip hidden entries, and turn every unreadable folder or file into a warning (a file
/// that cannot be opened only when `open`).
fn discover_dir(root: &Path, open: bool) -> (Vec<SourceFile>, Vec<Warning>) {
    let mut candidates = Vec::new();
    let mut warnings = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Ok(entry) => {
                // Settings files are not library files; one that can't be used says so.
                if entry.file_name() == super::settings::FILE_NAME {
                    if let Some(reason) = super::settings::check(entry.path()) {
                        warnings.push(Warning {
                            file: rel_path(root, entry.path()),
                            reason,
                        });
                    }
                    continue;
                }
                if entry.file_type().is_dir() || !is_issue_file(entry.file_name()) {
                    continue;
                }
                candidates.push((rel_path(root, entry.path()), entry.into_path()));
            }
            Err(err) => {
                if let Some(w) = walk_warning(root, &err) {
                    warnings.push(w);
                }
            }
        }
    }
    let mut files = Vec::with_capacity(candidates.len());
    for ((rel, path), checked) in candidates.iter().zip(check_files(&candidates, open)) {
        match checked {
            Ok((size, mtime)) => files.push(SourceFile {
                rel: rel.clone(),
                path: Some(path.clone()),
                size,
                mtime,
            }),
            Err(reason) => warnings.push(Warning {
                file: rel.clone(),
                reason,
            }),
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    (files, warnings)
}

/// Files checked by one thread at a time.
const CHECK_CHUNK: usize = 512;

/// [`check_file`] of every file, in order: on every core, for each check is three system
/// calls, and a library may have a million files.
fn check_files(
    files: &[(String, PathBuf)],
    open: bool,
) -> Vec<Result<(u64, Option<SystemTime>), String>> {
    let paths: Vec<&Path> = files.iter().map(|(_, p)| p.as_path()).collect();
    crate::work::map_in_order(paths, CHECK_CHUNK, 4, || (), |_, p| check_file(p, open))
}

/// Size and modification time of a file we can actually open (when `open`), or the
/// reason we can't.
fn check_file(path: &Path, open: bool) -> Result<(u64, Option<SystemTime>), String> {
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    // A pipe or device named `.txt` would block or never end when opened.
    if !meta.is_file() {
        return Err(NOT_REGULAR.into());
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(too_large(meta.len()));
    }
    // Opening (not reading) catches permission problems now, so the file is reported
    // once, up front, instead of failing later in a background reader.
    if open {
        open_to_read(path).map_err(|e| e.to_string())?;
    }
    Ok((meta.len(), meta.modified().ok()))
}

/// The warning for an entry the walk could not enter, or `None` for entries that are
/// not ours to report (say, a broken link named `photo.jpg`).
fn walk_warning(root: &Path, err: &walkdir::Error) -> Option<Warning> {
    let path = err.path().unwrap_or(root);
    let file = rel_path(root, path);
    if err.loop_ancestor().is_some() {
        return Some(Warning {
            file,
            reason: "symbolic link loop (not followed)".into(),
        });
    }
    let io = err.io_error()?;
    // A broken link or an unreadable entry matters only if it is a folder we would
    // walk or a file we would read; names tell us which, since metadata failed.
    let is_dir = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    let relevant = path == root
        || is_dir
        || path.file_name().is_some_and(is_issue_file)
        || io.kind() == ErrorKind::PermissionDenied;
    relevant.then(|| Warning {
        file,
        reason: match io.kind() {
            ErrorKind::NotFound if path != root => "broken symbolic link".into(),
            _ => io_reason(io),
        },
    })
}

/// Path relative to the library root with `/` separators. Names that are not UTF-8
/// are shown lossily (reading uses [`SourceFile::path`]); control characters and bidi
/// controls in names are replaced so a file name can't drive or reorder the terminal
/// either.
fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = if rel.as_os_str().is_empty() {
        // The root itself (a library that is a single file): use its name.
        path.file_name().map_or(path, Path::new)
    } else {
        rel
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts
        .join("/")
        .chars()
        .map(|c| {
            if c.is_control() || crate::text::sanitize::is_unsafe_format(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// A short, lower-case reason for an I/O error, without the OS error number.
fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::NotFound => "not found".into(),
        ErrorKind::IsADirectory => "is a folder".into(),
        ErrorKind::OutOfMemory => "out of memory".into(),
        _ => {
            let text = err.to_string();
            match text.split_once(" (os error") {
                Some((head, _)) => head.to_lowercase(),
                None => text,
            }
        }
    }
}

fn too_large(size: u64) -> String {
    format!(
        "too large ({} MiB; the limit is {} MiB)",
        size >> 20,
        MAX_FILE_SIZE >> 20
    )
}

/// Which version of a file this is: the blake3 of its bytes, and of the `digest` of the
/// settings it is read with when a `dubao.toml` governs it (so editing one re-reads
/// the files under it).
pub(crate) fn version(bytes: &[u8], settings_digest: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(bytes);
    version_of(h, settings_digest)
}

/// The version of `bytes` and that of its first `cut` bytes, in one pass (was a file
/// only appended to since its version of `cut` bytes?).
pub(crate) fn versions_cut(bytes: &[u8], cut: usize, settings_digest: &str) -> (String, String) {
    let mut h = blake3::Hasher::new();
    h.update(&bytes[..cut]);
    let before = version_of(h.clone(), settings_digest);
    h.update(&bytes[cut..]);
    (version_of(h, settings_digest), before)
}

fn version_of(mut h: blake3::Hasher, settings_digest: &str) -> String {
    if !settings_digest.is_empty() {
        h.update(b"\0dubao.toml\0");
        h.update(settings_digest.as_bytes());
    }
    h.finalize().to_hex().to_string()
}

/// The bytes of one file. Errors carry a short reason ("permission denied",
/// "too large ...") fit to show after the file name.
pub fn read(source: &LibrarySource, file: &SourceFile) -> std::io::Result<Vec<u8>> {
    match (source, &file.path) {
        (_, Some(path)) => read_file(path, file.size),
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

/// Whether `file` can be opened to be read now: an error says why not, as [`read`]'s do.
pub(crate) fn check_readable(file: &SourceFile) -> std::io::Result<()> {
    match &file.path {
        Some(path) => open_to_read(path).map(drop),
        None => Ok(()),
    }
}

/// Open a file to read it, without blocking: a file replaced by a pipe since it was
/// found reads as empty instead of hanging the reader (the flag does nothing to a
/// regular file).
fn open_to_read(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(shortened)
}

/// The same error, with [`io_reason`]'s short text.
fn shortened(e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), io_reason(&e))
}

/// Read a file whole, refusing one that grew past the size limit since discovery.
/// `size` (as found) is only a hint: the file may have changed since.
fn read_file(path: &Path, size: u64) -> std::io::Result<Vec<u8>> {
    // No `stat` first: discovery checked the file, and a library of small files pays
    // for each system call (open, read, read to the end, close).
    let mut file = open_to_read(path)?;
    // One read asks for a byte more than discovery saw: getting exactly the size seen
    // is the whole file, with no second read to hear the end (a system call per file
    // in a library of small ones). Anything else is read on to the end.
    let seen = size.min(MAX_FILE_SIZE) as usize;
    let mut bytes = vec![0; seen + 1];
    let first = match file.read(&mut bytes) {
        Ok(n) => n,
        Err(e) if e.kind() == ErrorKind::Interrupted => 0,
        Err(e) => return Err(shortened(e)),
    };
    bytes.truncate(first);
    if first != seen || seen == 0 {
        file.take(MAX_FILE_SIZE + 1 - first as u64)
            .read_to_end(&mut bytes)
            .map_err(shortened)?;
    }
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(std::io::Error::other(too_large(bytes.len() as u64)));
    }
    Ok(bytes)
}
