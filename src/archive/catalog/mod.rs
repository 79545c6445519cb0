//! The catalog: a library's issues and articles without their bodies — what the
//! article list, bookmarks and citations need. A few dozen bytes per article, so a
//! million articles fit in memory and load from disk in a fraction of a second; an
//! article's body is parsed from its file when it is opened (see [`read_page`]).
//!
//! The index build keeps a catalog file next to its manifest, per file version (path
//! and content hash), so it converges the way the index does: a file whose version is
//! missing is parsed again, one that is gone is dropped.

mod store;

pub use store::{
    CatalogWriter, FILE_NAME, Fingerprint, Stored, fingerprint, read_dir, saved_fingerprint,
};

use super::model::{Date, Issue, Library, ReadError, Warning};
use super::read;
use super::source::{self, LibrarySource, SourceFile};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the list shows of one article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleHead {
    pub id: String,
    pub title: String,
    /// True when the title was made from the lead (no headline was found).
    pub title_inferred: bool,
    pub byline: Option<String>,
    /// Length of the body in characters.
    pub chars: u32,
}

/// One issue file's part of the catalog: everything needed to list its articles and to
/// find its file again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    /// Path relative to the library root, `/` separators (display form).
    pub rel: String,
    /// The file's real path, as bytes (names need not be UTF-8); `None` when embedded.
    pub(crate) path: Option<Vec<u8>>,
    /// blake3 of the file's bytes, hex: which version of the file this describes.
    pub(crate) hash: String,
    pub(crate) name: String,
    pub(crate) date: Option<(u16, u8, u8)>,
    pub(crate) date_inferred: bool,
    pub(crate) articles: Vec<ArticleHead>,
}

impl StoredFile {
    pub fn new(file: &SourceFile, hash: String, issue: &Issue) -> StoredFile {
        StoredFile {
            rel: file.rel.clone(),
            path: file.path.as_deref().map(path_bytes),
            hash,
            name: issue.name.clone(),
            date: issue.date.map(|d| (d.year, d.month, d.day)),
            date_inferred: issue.date_inferred,
            articles: issue
                .articles
                .iter()
                .map(|a| ArticleHead {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    title_inferred: a.title_inferred,
                    byline: a.byline.clone(),
                    chars: a.chars().min(u32::MAX as usize) as u32,
                })
                .collect(),
        }
    }

    fn date(&self) -> Option<Date> {
        self.date.and_then(|(y, m, d)| Date::new(y, m, d))
    }
}

/// One issue as the list shows it; its articles are `Catalog::articles[first..first + count]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueHead {
    pub file: String,
    pub(crate) path: Option<PathBuf>,
    /// Which version of the file this describes (blake3 of its bytes, hex).
    pub(crate) hash: String,
    pub name: String,
    pub date: Option<Date>,
    pub date_inferred: bool,
    pub first: usize,
    pub count: usize,
}

impl IssueHead {
    /// The file to read again for this issue's pages.
    pub(crate) fn source_file(&self) -> SourceFile {
        SourceFile {
            rel: self.file.clone(),
            path: self.path.clone(),
            size: 0,
            mtime: None,
        }
    }
}

/// A library's issues (by date, like [`Library`]) and articles (in list order).
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub issues: Vec<IssueHead>,
    pub articles: Vec<ArticleHead>,
    /// For each article, the index of its issue.
    issue_of: Vec<u32>,
    /// Article by [`id_key`] of its id (a number, not a copy of the id: at a million
    /// articles, copies would cost tens of megabytes).
    by_id: HashMap<u64, u32>,
    /// Files that could not be read, and why.
    pub warnings: Vec<Warning>,
    /// Identifies the file versions described: equal fingerprints, equal catalogs.
    pub fingerprint: String,
}

impl Catalog {
    /// Order the files like [`sort_issues`](crate::archive::read::sort_issues) and lay their articles out flat.
    pub fn from_files(mut files: Vec<StoredFile>, mut warnings: Vec<Warning>) -> Catalog {
        warnings.sort_by(|a, b| a.file.cmp(&b.file).then_with(|| a.reason.cmp(&b.reason)));
        files.retain(|f| !f.articles.is_empty());
        files.sort_by(|a, b| match (a.date(), b.date()) {
            (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.rel.cmp(&b.rel)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.rel.cmp(&b.rel),
        });
        let fingerprint = fingerprint(&files, &warnings);
        let total = files.iter().map(|f| f.articles.len()).sum();
        let mut cat = Catalog {
            issues: Vec::with_capacity(files.len()),
            articles: Vec::with_capacity(total),
            issue_of: Vec::with_capacity(total),
            by_id: HashMap::with_capacity(total),
            warnings,
            fingerprint,
        };
        for f in files {
            let i = cat.issues.len();
            let first = cat.articles.len();
            cat.issues.push(IssueHead {
                date: f.date(),
                file: f.rel,
                path: f.path.map(bytes_path),
                hash: f.hash,
                name: f.name,
                date_inferred: f.date_inferred,
                first,
                count: f.articles.len(),
            });
            for a in f.articles {
                cat.by_id
                    .entry(id_key(&a.id))
                    .or_insert(cat.articles.len() as u32);
                cat.articles.push(a);
                cat.issue_of.push(i as u32);
            }
        }
        cat
    }

    /// The catalog of a library already in memory (tests, small libraries).
    pub(crate) fn from_library(library: &Library) -> Catalog {
        let files = library
            .issues
            .iter()
            .map(|issue| {
                let file = SourceFile {
                    rel: issue.file.clone(),
                    path: None,
                    size: 0,
                    mtime: None,
                };
                StoredFile::new(&file, String::new(), issue)
            })
            .collect();
        Catalog::from_files(files, library.warnings.clone())
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    pub(crate) fn article(&self, n: usize) -> Option<&ArticleHead> {
        self.articles.get(n)
    }

    /// Index of article `n`'s issue.
    pub fn issue_index(&self, n: usize) -> Option<usize> {
        self.issue_of.get(n).map(|&i| i as usize)
    }

    pub fn issue_of(&self, n: usize) -> Option<&IssueHead> {
        self.issues.get(self.issue_index(n)?)
    }

    /// Where the article with this id is in the list.
    pub fn position(&self, id: &str) -> Option<usize> {
        match self.by_id.get(&id_key(id)) {
            Some(&n) if self.articles[n as usize].id == id => Some(n as usize),
            // Two ids with one key (never seen with real ids): look the slow way.
            Some(_) => self.articles.iter().position(|a| a.id == id),
            None => None,
        }
    }

    /// The catalog saved in `dir`, ready for the list: `None` when missing, damaged
    /// or of another format.
    pub(crate) fn load(dir: &Path) -> Option<Catalog> {
        let mut files = Vec::new();
        let warnings = store::read_dir(dir, |f| files.push(f))?;
        Some(Catalog::from_files(files, warnings))
    }
}

/// A number standing for an article id: ids are 12 hex digits of a hash, so the digits
/// themselves; anything else is hashed.
fn id_key(id: &str) -> u64 {
    if id.len() <= 16
        && let Ok(k) = u64::from_str_radix(id, 16)
    {
        return k;
    }
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish() | 1 << 63
}

/// Parse a library's files for their catalog only, on every core; bodies are dropped
/// as soon as each file is parsed, so memory stays at the catalog's size.
pub fn scan(source: &LibrarySource) -> Catalog {
    scan_in_steps(source, |_| {})
}

/// Like [`scan`], handing `partial` the catalog of the files read so far every time the
/// count of files read doubles (from 512): a reader shows a big library filling in
/// rather than nothing until the end. Laying out the partial catalogs costs at most as
/// much again as the final one.
pub(crate) fn scan_in_steps(source: &LibrarySource, mut partial: impl FnMut(Catalog)) -> Catalog {
    let (files, mut warnings) = source::discover(source);
    let mut stored = Vec::with_capacity(files.len());
    let mut done = 0;
    let mut step = 512;
    while done < files.len() {
        let part = &files[done..(done + step).min(files.len())];
        let results = read::read_all_with(source, part, |file, bytes, issue| {
            StoredFile::new(file, blake3::hash(bytes).to_hex().to_string(), &issue)
        });
        for (file, result) in part.iter().zip(results) {
            match result {
                Ok(f) => stored.push(f),
                Err(reason) => warnings.push(Warning {
                    file: file.rel.clone(),
                    reason: reason.to_string(),
                }),
            }
        }
        done += part.len();
        if done < files.len() {
            partial(Catalog::from_files(stored.clone(), warnings.clone()));
        }
        step = done;
    }
    Catalog::from_files(stored, warnings)
}

/// Parse the issue file an [`IssueHead`] describes (to show one of its articles).
pub fn read_page(source: &LibrarySource, issue: &IssueHead) -> Result<Issue, ReadError> {
    read::read_issue(source, &issue.source_file())
}

/// Parse the files of several issues on every core; results in the order given, a
/// file that can't be read as the warning to show.
pub fn read_pages(source: &LibrarySource, issues: &[IssueHead]) -> Vec<Result<Issue, Warning>> {
    let files: Vec<SourceFile> = issues.iter().map(IssueHead::source_file).collect();
    read::read_all(source, &files)
        .into_iter()
        .zip(&files)
        .map(|(r, f)| {
            r.map_err(|e| Warning {
                file: f.rel.clone(),
                reason: e.to_string(),
            })
        })
        .collect()
}

#[cfg(unix)]
fn path_bytes(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn bytes_path(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(b))
}

#[cfg(not(unix))]
fn path_bytes(p: &Path) -> Vec<u8> {
    p.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn bytes_path(b: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_catalog() -> Catalog {
        scan(&LibrarySource::Embedded)
    }

    #[test]
    fn catalog_lists_what_the_library_holds() {
        let library = super::super::load(&LibrarySource::Embedded);
        let cat = sample_catalog();
        let from_lib: Vec<_> = library.articles().map(|a| (&a.id, &a.title)).collect();
        let from_cat: Vec<_> = cat.articles.iter().map(|a| (&a.id, &a.title)).collect();
        assert_eq!(from_lib, from_cat);
        assert_eq!(cat.issues.len(), library.issues.len());
        for (n, a) in library.articles().enumerate() {
            assert_eq!(cat.position(&a.id), Some(n));
            assert_eq!(cat.issue_of(n).unwrap().file, a.file);
        }
    }

    #[test]
    fn saved_catalog_loads_back_and_damage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cat = sample_catalog();
        let (files, warnings) = {
            let (files, w) = source::discover(&LibrarySource::Embedded);
            let stored: Vec<StoredFile> = files
                .iter()
                .map(|f| {
                    let bytes = source::read(&LibrarySource::Embedded, f).unwrap();
                    let issue = super::super::parse_issue(&f.rel, &bytes).unwrap();
                    StoredFile::new(f, blake3::hash(&bytes).to_hex().to_string(), &issue)
                })
                .collect();
            (stored, w)
        };
        let mut out = CatalogWriter::to_dir(dir.path()).unwrap();
        let mut mem = CatalogWriter::in_memory().unwrap();
        for f in &files {
            out.add(f).unwrap();
            mem.add(f).unwrap();
        }
        let written = out.finish(&warnings).unwrap();
        let back = Catalog::load(dir.path()).unwrap();
        assert_eq!(back.articles, cat.articles);
        assert_eq!(back.fingerprint, cat.fingerprint);
        assert_eq!(
            written.fingerprint(),
            cat.fingerprint,
            "streamed and laid-out fingerprints agree"
        );
        assert_eq!(
            saved_fingerprint(dir.path()).as_deref(),
            Some(written.fingerprint())
        );
        // Kept in memory, the same catalog in the same format.
        let mem = mem.finish(&warnings).unwrap();
        let Stored::Memory { bytes, .. } = &mem else {
            panic!("a catalog in memory")
        };
        assert_eq!(bytes, &std::fs::read(dir.path().join(FILE_NAME)).unwrap());
        assert_eq!(mem.load().unwrap().articles, cat.articles);
        // Flip one byte of the body: the checksum refuses it.
        let path = dir.path().join(FILE_NAME);
        let mut bytes = std::fs::read(&path).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x55;
        std::fs::write(&path, &bytes).unwrap();
        assert!(Catalog::load(dir.path()).is_none());
        // Truncated, empty, other format: refused too.
        std::fs::write(&path, &bytes[..mid]).unwrap();
        assert!(Catalog::load(dir.path()).is_none());
        std::fs::write(&path, b"").unwrap();
        assert!(Catalog::load(dir.path()).is_none());
    }

    #[test]
    fn read_page_gives_the_articles_listed() {
        let cat = sample_catalog();
        for issue in &cat.issues {
            let page = read_page(&LibrarySource::Embedded, issue).unwrap();
            let ids: Vec<_> = page.articles.iter().map(|a| a.id.as_str()).collect();
            let listed: Vec<_> = cat.articles[issue.first..issue.first + issue.count]
                .iter()
                .map(|a| a.id.as_str())
                .collect();
            assert_eq!(ids, listed);
        }
    }
}
