//! The catalog: a library's articles without their bodies, grouped the way a paper is
//! made — paper → issue (a date) → page (版次, 版名) → articles — which is what the
//! list, bookmarks and citations need. A few dozen bytes per article, so a million fit
//! in memory and load from disk in a fraction of a second; an article's body is parsed
//! from its file when it is opened (see [`read_page`]).
//!
//! The index build keeps a catalog file next to its manifest, per file version (path
//! and content hash), so it converges the way the index does: a file whose version is
//! missing is parsed again, one that is gone is dropped. Grouping (see `group.rs`) is
//! done when the catalog is laid out, from the places stored per file.

mod flat;
mod group;
mod store;
mod stream;

pub use flat::{LAID_FILE, Listed};
pub use group::{IssueGroup, PageGroup, PaperGroup};
pub use store::{
    CatalogWriter, FILE_NAME, Fingerprint, Stored, fingerprint, read_dir, saved_fingerprint,
};
pub(crate) use store::{decode_record, read_dir_versions};
pub use stream::IssueStream;

use super::model::{Library, ParsedFile, Place, ReadError, Warning};
use super::read;
use super::source::{self, LibrarySource, SourceFile};
use serde::{Deserialize, Serialize};
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
    /// Identifies the text (title and body): the same article printed twice has one.
    pub content: u64,
    /// What few articles have (kept apart so the many pay one pointer).
    pub extra: Option<Box<Extra>>,
}

/// The rarer facts of an article.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extra {
    /// Where it stands, when not where its file stands (an article of a dump).
    pub place: Option<Place>,
    /// `（下转二版）` → `二版`.
    pub continued_on: Option<String>,
    /// `（上接第1版）` → `第1版`.
    pub continued_from: Option<String>,
    /// Set when the catalog is laid out (never stored): see [`Joined`].
    #[serde(skip)]
    pub joined: Option<Joined>,
    /// Set when laid out: the other pages that print the very same article
    /// (`第03版`), its copies there left out of the list.
    #[serde(skip)]
    pub also_on: Vec<String>,
}

/// An article that goes on on another page of its issue, and where its rest is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Joined {
    /// The rest: the file that holds it and its id (left out of the list: it is read
    /// and shown as part of this article).
    Rest { file: usize, id: String },
    /// The page it goes on to is not in the library.
    Missing { page: String },
}

impl ArticleHead {
    fn new(a: &super::Article, file_place: &Place) -> ArticleHead {
        let place = (a.place != *file_place).then(|| a.place.clone());
        let extra = (place.is_some() || a.continued_on.is_some() || a.continued_from.is_some())
            .then(|| {
                Box::new(Extra {
                    place,
                    continued_on: a.continued_on.clone(),
                    continued_from: a.continued_from.clone(),
                    ..Extra::default()
                })
            });
        ArticleHead {
            id: a.id.clone(),
            title: a.title.clone(),
            title_inferred: a.title_inferred,
            byline: a.byline.clone(),
            chars: a.chars().min(u32::MAX as usize) as u32,
            content: content_hash(&a.title, &a.paragraphs),
            extra,
        }
    }

    pub fn continued_on(&self) -> Option<&str> {
        self.extra.as_ref()?.continued_on.as_deref()
    }

    pub fn continued_from(&self) -> Option<&str> {
        self.extra.as_ref()?.continued_from.as_deref()
    }

    pub fn joined(&self) -> Option<&Joined> {
        self.extra.as_ref()?.joined.as_ref()
    }

    /// The other pages printing this very article (`第03版`).
    pub fn also_on(&self) -> &[String] {
        self.extra.as_ref().map_or(&[], |e| &e.also_on)
    }
}

/// The same title and paragraphs, the same number (wherever they were printed).
fn content_hash(title: &str, paragraphs: &[String]) -> u64 {
    let mut h = blake3::Hasher::new();
    h.update(title.as_bytes());
    for p in paragraphs {
        h.update(b"\0");
        h.update(p.as_bytes());
    }
    u64::from_le_bytes(h.finalize().as_bytes()[..8].try_into().unwrap_or_default())
}

/// One file's part of the catalog: everything needed to list its articles and to find
/// its file again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    /// Path relative to the library root, `/` separators (display form).
    pub rel: String,
    /// The file's real path, as bytes (names need not be UTF-8); `None` when embedded.
    pub(crate) path: Option<Vec<u8>>,
    /// blake3 of the file's bytes, hex: which version of the file this describes.
    pub(crate) hash: String,
    /// Its title, else its stem.
    pub(crate) name: String,
    /// Where it stands (see [`Place`]).
    pub(crate) place: Place,
    pub(crate) articles: Vec<ArticleHead>,
}

impl StoredFile {
    pub fn new(file: &SourceFile, hash: String, parsed: &ParsedFile) -> StoredFile {
        StoredFile {
            rel: file.rel.clone(),
            path: file.path.as_deref().map(path_bytes),
            hash,
            name: parsed.name.clone(),
            place: parsed.place.clone(),
            articles: parsed
                .articles
                .iter()
                .map(|a| ArticleHead::new(a, &parsed.place))
                .collect(),
        }
    }
}

/// A file of the library as the catalog knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileHead {
    pub rel: String,
    pub(crate) path: Option<PathBuf>,
    /// Which version of the file this describes (blake3 of its bytes, hex).
    pub(crate) hash: String,
    /// Its title, else its stem.
    pub name: String,
    pub place: Place,
}

impl FileHead {
    /// The file to read again for its articles' bodies.
    pub(crate) fn source_file(&self) -> SourceFile {
        SourceFile {
            rel: self.rel.clone(),
            path: self.path.clone(),
            size: 0,
            mtime: None,
        }
    }
}

/// A library's articles in list order, grouped into papers, issues and pages. The
/// groups are decoded; the articles and files are read where they lie, in the laid-out
/// bytes of `flat.rs` (a file mapped into memory and shared by every reader of the
/// library, or a vector).
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    /// Papers by name (an archive of one unnamed paper has one, unnamed).
    pub papers: Vec<PaperGroup>,
    /// Issues, newest first within each paper (undated last).
    pub issues: Vec<IssueGroup>,
    /// Pages in page order within each issue.
    pub pages: Vec<PageGroup>,
    /// Files that could not be read, and why.
    pub warnings: Vec<Warning>,
    /// Identifies the file versions described: equal fingerprints, equal catalogs.
    pub fingerprint: String,
    /// The files read so far of a library still being listed (see [`Catalog::part`]).
    pub partial: bool,
    /// Articles in list order (by paper, issue, page, then order on the page), each with
    /// its page and file; the files; article by [`id_key`] of its id (ids of copies and
    /// of rests shown as part of another article lead to that article).
    table: flat::Table,
}

impl Catalog {
    /// Lay the stored files out for the list (see `group.rs`).
    pub fn from_files(files: Vec<StoredFile>, mut warnings: Vec<Warning>) -> Catalog {
        warnings.sort_by(|a, b| a.file.cmp(&b.file).then_with(|| a.reason.cmp(&b.reason)));
        let fingerprint = fingerprint(&files, &warnings);
        Catalog::printed(files, warnings, fingerprint, false)
    }

    /// [`Catalog::from_files`] when the fingerprint is known (warnings sorted).
    fn printed(
        files: Vec<StoredFile>,
        warnings: Vec<Warning>,
        fingerprint: String,
        partial: bool,
    ) -> Catalog {
        let laid = group::lay_out(files);
        let meta = flat::Meta {
            fingerprint,
            partial,
            warnings,
            papers: laid.papers,
            issues: laid.issues,
            pages: laid.pages,
        };
        let bytes = tantivy::directory::OwnedBytes::new(laid.table.finish(&meta));
        Catalog::opened(flat::Table::open(bytes).unwrap_or_default())
    }

    fn opened((table, meta): (flat::Table, flat::Meta)) -> Catalog {
        Catalog {
            papers: meta.papers,
            issues: meta.issues,
            pages: meta.pages,
            warnings: meta.warnings,
            fingerprint: meta.fingerprint,
            partial: meta.partial,
            table,
        }
    }

    /// What has been read so far of a catalog still being read: listed at once so that
    /// a big library's first screen does not wait for the rest. Its fingerprint is its
    /// own (no complete catalog has it), and [`Catalog::partial`] says it is one.
    pub fn part(files: Vec<StoredFile>, warnings: Vec<Warning>) -> Catalog {
        let print = format!("partial:{}", fingerprint(&files, &warnings));
        Catalog::printed(files, warnings, print, true)
    }

    /// The catalog of a library already in memory (tests, small libraries).
    pub fn from_library(library: &Library) -> Catalog {
        let files = library
            .files
            .iter()
            .map(|parsed| {
                let file = SourceFile {
                    rel: parsed.file.clone(),
                    path: None,
                    size: 0,
                    mtime: None,
                };
                StoredFile::new(&file, String::new(), parsed)
            })
            .collect();
        Catalog::from_files(files, library.warnings.clone())
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Article `n` of the list.
    pub fn article(&self, n: usize) -> Option<Listed<'_>> {
        self.table.row(n)
    }

    /// The articles in list order.
    pub fn articles(&self) -> impl Iterator<Item = Listed<'_>> {
        (0..self.len()).map_while(|n| self.article(n))
    }

    /// The articles in list order, copied out (tests compare catalogs with them).
    pub fn heads(&self) -> Vec<ArticleHead> {
        self.articles().map(|a| a.head()).collect()
    }

    /// Index of article `n`'s page.
    pub fn page_index(&self, n: usize) -> Option<usize> {
        Some(self.article(n)?.page()).filter(|&p| p < self.pages.len())
    }

    /// Index of article `n`'s issue.
    pub fn issue_index(&self, n: usize) -> Option<usize> {
        Some(self.pages.get(self.page_index(n)?)?.issue)
    }

    pub fn page_of(&self, n: usize) -> Option<&PageGroup> {
        self.pages.get(self.page_index(n)?)
    }

    pub fn issue_of(&self, n: usize) -> Option<&IssueGroup> {
        self.issues.get(self.issue_index(n)?)
    }

    /// How many files the articles are read from.
    pub fn file_count(&self) -> usize {
        self.table.files()
    }

    /// The files the articles are read from, in path order.
    pub fn files(&self) -> impl Iterator<Item = FileHead> + '_ {
        (0..self.file_count()).map_while(|i| self.file(i))
    }

    /// File `i` (see [`Catalog::file_index`]).
    pub fn file(&self, i: usize) -> Option<FileHead> {
        self.table.file(i)
    }

    /// The file listed under `rel`.
    pub fn file_by_rel(&self, rel: &str) -> Option<FileHead> {
        self.table.file_by_rel(rel)
    }

    /// The file article `n` is read from.
    pub fn file_of(&self, n: usize) -> Option<FileHead> {
        self.file(self.file_index(n)?)
    }

    /// Index (into the files) of the file article `n` is read from.
    pub fn file_index(&self, n: usize) -> Option<usize> {
        Some(self.article(n)?.file())
    }

    /// Where article `n` stands: its own place, else its file's.
    pub fn place_of(&self, n: usize) -> Option<Place> {
        match self.article(n)?.extra().and_then(|e| e.place) {
            Some(p) => Some(p),
            None => Some(self.file_of(n)?.place),
        }
    }

    /// Where the article with this id is in the list (a copy or a rest leads to the
    /// article it is shown with).
    pub fn position(&self, id: &str) -> Option<usize> {
        let n = self.table.by_id(id_key(id))?;
        if let Some(a) = self.article(n)
            && (a.id() == id || is_shown_with(&a, id))
        {
            return Some(n);
        }
        // Two ids with one key (never seen with real ids): look the slow way.
        self.articles().position(|a| a.id() == id)
    }

    /// The laid-out bytes (what [`LAID_FILE`] holds).
    pub(crate) fn laid_bytes(&self) -> &[u8] {
        self.table.bytes()
    }

    /// The catalog saved in `dir`, ready for the list: its laid-out file mapped into
    /// memory when it is there and of the same files, else laid out from the records.
    /// `None` when missing, damaged or of another format.
    pub fn load(dir: &Path) -> Option<Catalog> {
        Catalog::load_in_steps(dir, |_| {})
    }

    /// Like [`Catalog::load`], handing `partial` the catalog of its first [`FIRST_PART`]
    /// files when it has more and must be laid out from its records: a reader lists a
    /// big library at once, and the whole when it has been read.
    pub fn load_in_steps(dir: &Path, mut partial: impl FnMut(Catalog)) -> Option<Catalog> {
        if let Some(laid) = Catalog::mapped(dir) {
            return Some(laid);
        }
        let (files, warnings, print) = store::load_dir(dir, FIRST_PART, |head| {
            partial(Catalog::part(head.to_vec(), Vec::new()))
        })?;
        Some(Catalog::printed(files, warnings, print, false))
    }

    /// The laid-out catalog in `dir`, when it is of the catalog stored there.
    pub(crate) fn mapped(dir: &Path) -> Option<Catalog> {
        let print = saved_fingerprint(dir)?;
        let cat = Catalog::opened(flat::Table::map(dir)?);
        (cat.fingerprint == print && !cat.partial).then_some(cat)
    }
}

/// Writes the laid-out form of the catalog stored in `dir` next to it (see `flat.rs`),
/// unless it is there already: readers then map it instead of laying the catalog out
/// each; or again, when `verify` finds that its checksum does not hold (it reads the
/// whole file). Written aside and renamed, so a reader never maps half a file (call it
/// with the library's index locked, as its catalog is written).
pub(crate) fn lay_out_saved(dir: &Path, verify: bool) -> std::io::Result<()> {
    if Catalog::mapped(dir).is_some_and(|c| !verify || c.table.checksum_holds()) {
        return Ok(());
    }
    let Some((files, warnings, print)) = store::load_dir(dir, 0, |_| {}) else {
        return Ok(());
    };
    let cat = Catalog::printed(files, warnings, print, false);
    let tmp = dir.join(format!("{LAID_FILE}.tmp"));
    let mut f = std::fs::File::create(&tmp)?;
    std::io::Write::write_all(&mut f, cat.laid_bytes())?;
    f.sync_all()?;
    std::fs::rename(tmp, dir.join(LAID_FILE))
}

/// Whether `id` is a copy or the rest of listed article `a` (so shown as part of it).
fn is_shown_with(a: &Listed<'_>, id: &str) -> bool {
    a.extra().is_some_and(|e| {
        matches!(&e.joined, Some(Joined::Rest { id: rest, .. }) if rest == id)
            || !e.also_on.is_empty()
    })
}

/// Files in the first part of a saved catalog, listed while the rest is read: many
/// screenfuls of issues, laid out in milliseconds.
const FIRST_PART: usize = 8192;

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
        let results = read::read_all_with(source, part, |file, bytes, settings, parsed| {
            // The same version an index build gives it (see `source::version`).
            let version = source::version(bytes, &settings.digest());
            let stored = StoredFile::new(file, version, &parsed);
            (stored, parsed.problems)
        });
        for (file, result) in part.iter().zip(results) {
            match result {
                Ok((f, problems)) => {
                    warnings.extend(problems.into_iter().map(|reason| Warning {
                        file: file.rel.clone(),
                        reason,
                    }));
                    stored.push(f)
                }
                Err(reason) => warnings.push(Warning {
                    file: file.rel.clone(),
                    reason: reason.to_string(),
                }),
            }
        }
        done += part.len();
        if done < files.len() {
            partial(Catalog::part(stored.clone(), warnings.clone()));
        }
        step = done;
    }
    Catalog::from_files(stored, warnings)
}

/// Read the file a [`FileHead`] describes (to show one of its articles).
pub fn read_page(source: &LibrarySource, file: &FileHead) -> Result<ParsedFile, ReadError> {
    read::read_file(source, &file.source_file())
}

/// Read several files on every core; results in the order given, a file that can't be
/// read as the warning to show.
pub fn read_pages(source: &LibrarySource, heads: &[FileHead]) -> Vec<Result<ParsedFile, Warning>> {
    let files: Vec<SourceFile> = heads.iter().map(FileHead::source_file).collect();
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

    /// The sample pages' records, as an index build stores them.
    pub(super) fn stored_samples() -> (Vec<StoredFile>, Vec<Warning>) {
        let src = LibrarySource::Embedded;
        let (files, warnings) = source::discover(&src);
        let stored = files
            .iter()
            .map(|f| {
                let bytes = source::read(&src, f).unwrap();
                let parsed = super::super::parse_in(&src, &f.rel, &bytes).unwrap();
                let settings = super::super::settings::for_file(&src, &f.rel);
                StoredFile::new(f, source::version(&bytes, &settings.digest()), &parsed)
            })
            .collect();
        (stored, warnings)
    }

    #[test]
    fn catalog_lists_what_the_library_holds() {
        let library = super::super::load(&LibrarySource::Embedded);
        let cat = sample_catalog();
        assert_eq!(cat.len(), library.articles().count());
        for a in library.articles() {
            let n = cat.position(&a.id).expect("listed");
            assert_eq!(cat.article(n).unwrap().title(), a.title);
            assert_eq!(cat.file_of(n).unwrap().rel, a.file);
            assert_eq!(cat.place_of(n).as_ref(), Some(&a.place));
        }
        // Issues by date, newest first; each issue's articles in its pages.
        let dates: Vec<_> = cat.issues.iter().map(|i| i.date).collect();
        assert!(dates.windows(2).all(|w| w[0] > w[1]), "{dates:?}");
        for (i, issue) in cat.issues.iter().enumerate() {
            let pages = &cat.pages[issue.pages.clone()];
            assert_eq!(pages.first().unwrap().articles.start, issue.articles.start);
            assert_eq!(pages.last().unwrap().articles.end, issue.articles.end);
            assert!(pages.iter().all(|p| p.issue == i));
        }
    }

    #[test]
    fn saved_catalog_loads_back_and_damage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cat = sample_catalog();
        let (files, warnings) = stored_samples();
        let mut out = CatalogWriter::to_dir(dir.path()).unwrap();
        let mut mem = CatalogWriter::in_memory().unwrap();
        for f in &files {
            out.add(f).unwrap();
            mem.add(f).unwrap();
        }
        let written = out.finish(&warnings).unwrap();
        let back = Catalog::load(dir.path()).unwrap();
        assert_eq!(back.heads(), cat.heads());
        assert_eq!(back.fingerprint, cat.fingerprint);
        assert!(!back.partial);
        // Read with its first two files handed over early, the rest decoded on several
        // threads: the same records in the same order as one after another.
        let mut one_by_one = Vec::new();
        read_dir(dir.path(), |f| one_by_one.push(f)).unwrap();
        assert!(one_by_one.len() > 3, "the samples make several records");
        // Read for their versions only, each record decoded when asked: the same.
        let mut versions = Vec::new();
        read_dir_versions(dir.path(), |rel, hash, record| {
            versions.push((rel.to_string(), hash.to_string(), decode_record(record)))
        })
        .unwrap();
        let want: Vec<_> = one_by_one
            .iter()
            .map(|f| (f.rel.clone(), f.hash.clone(), Some(f.clone())))
            .collect();
        assert_eq!(versions, want);
        let mut early = Vec::new();
        let (all, _, print) = store::load_dir(dir.path(), 2, |head| early = head.to_vec()).unwrap();
        assert_eq!(early, one_by_one[..2]);
        assert_eq!(all, one_by_one);
        assert_eq!(print, cat.fingerprint);
        // A part listed early says so, and is never taken for the whole.
        let part = Catalog::part(early, Vec::new());
        assert!(part.partial);
        assert!(part.len() < cat.len());
        assert_ne!(part.fingerprint, cat.fingerprint);
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
        assert_eq!(mem.load().unwrap().heads(), cat.heads());
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
        for file in cat.files() {
            let page = read_page(&LibrarySource::Embedded, &file).unwrap();
            let ids: Vec<_> = page.articles.iter().map(|a| a.id.as_str()).collect();
            let listed: Vec<_> = (0..cat.len())
                .filter(|&n| cat.file_of(n).as_ref() == Some(&file))
                .map(|n| cat.article(n).unwrap().id())
                .collect();
            assert_eq!(ids, listed);
        }
    }
}
