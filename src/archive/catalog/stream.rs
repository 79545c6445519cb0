//! The saved catalog an issue at a time, in list order, without holding it whole: what
//! `dubao list` and `dubao export` print from, so that the first line of a million
//! articles comes at once and memory stays small.
//!
//! A first pass reads the file through, checking its checksum, and decodes only the
//! head of each record: the paper and date that place the file's issue in the list
//! (a record holds one file: path, version, name, then its place). Files whose articles
//! stand elsewhere than the file (a dump's records, tagged apart when written) are
//! decoded whole and kept. Then each issue's records are read again and laid out alone,
//! exactly as the whole catalog lays them out: papers by name, the unnamed last; issues
//! newest first, the undated last.

use super::group::{date_key, place_of};
use super::store::{self, END_RECORD, FILE_RECORD, HEAD, SPREAD_RECORD};
use super::{Catalog, StoredFile};
use crate::archive::Date;
use crate::archive::model::Warning;
use bincode::Options as _;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// The issues met so far, by paper then date key (see `group.rs`): papers by name,
/// the unnamed after the named; a paper's issues newest first, the undated last.
#[derive(Default)]
struct Issues {
    named: BTreeMap<String, BTreeMap<u32, Parts>>,
    unnamed: BTreeMap<u32, Parts>,
}

impl Issues {
    /// The parts of the issue of `paper` on `date` (looked up without copying the name:
    /// a million records name a handful of papers).
    fn of(&mut self, paper: Option<&str>, date: Option<Date>) -> &mut Parts {
        let issues = match paper {
            Some(p) => {
                if !self.named.contains_key(p) {
                    self.named.insert(p.to_string(), BTreeMap::new());
                }
                self.named.get_mut(p).expect("just inserted")
            }
            None => &mut self.unnamed,
        };
        issues.entry(date_key(date)).or_default()
    }

    /// In list order.
    fn in_order(self) -> Vec<Parts> {
        self.named
            .into_values()
            .flat_map(BTreeMap::into_values)
            .chain(self.unnamed.into_values())
            .collect()
    }
}

/// The head of a file record, borrowed from its bytes: the fields of [`StoredFile`]
/// up to its place's paper and date, in their order (bincode writes a struct as its
/// fields one after another; the rest of the record is not read).
#[derive(serde::Deserialize)]
struct RecordHead<'a> {
    #[serde(borrow)]
    _rel: &'a str,
    #[serde(borrow)]
    _path: Option<&'a [u8]>,
    #[serde(borrow)]
    _hash: &'a str,
    #[serde(borrow)]
    _name: &'a str,
    #[serde(borrow)]
    paper: Option<&'a str>,
    date: Option<Date>,
}

/// What one issue is made of.
#[derive(Default)]
struct Parts {
    /// (offset, length) of its file records.
    records: Vec<(u64, u32)>,
    /// Its spread files (indices into [`IssueStream::spread`]), each with the indices
    /// of its articles that stand in this issue.
    spread: Vec<(usize, Vec<u32>)>,
}

/// The issues of a saved catalog in list order (an iterator of one-issue catalogs).
pub struct IssueStream {
    file: File,
    issues: std::vec::IntoIter<Parts>,
    spread: Vec<StoredFile>,
    /// Files that could not be read when the index was built.
    pub warnings: Vec<Warning>,
    buf: Vec<u8>,
}

impl IssueStream {
    /// The catalog saved in the index folder `dir`; `None` when it is missing, damaged
    /// or of another format (checked before any issue is handed out).
    pub fn open(dir: &Path) -> Option<IssueStream> {
        // A catalog of another format is refused before anything is read.
        store::saved_fingerprint(dir)?;
        let path = dir.join(store::FILE_NAME);
        // The checksum is worked out on a thread of its own while the records are read
        // (a fifth of the first pass at a million files), from the file opened again:
        // if it was replaced in between, the two disagree and nothing is trusted.
        std::thread::scope(|scope| {
            let checksum = scope.spawn(|| store::checksum(&path));
            let stream = IssueStream::read(&path)?;
            let (sum, expected) = (checksum.join().ok()??, stream.1);
            (sum == expected).then_some(stream.0)
        })
    }

    /// The first pass, and the checksum the header gives.
    fn read(path: &Path) -> Option<(IssueStream, [u8; 32])> {
        let file = File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        let mut r = BufReader::with_capacity(1 << 20, &file);
        let mut head = [0u8; HEAD];
        r.read_exact(&mut head).ok()?;
        if !store::head_is_current(&head) {
            return None;
        }
        let mut issues = Issues::default();
        let mut spread: Vec<StoredFile> = Vec::new();
        let mut record = Vec::new();
        let mut at = HEAD as u64;
        let warnings = loop {
            let mut tag = [0u8; 1];
            r.read_exact(&mut tag).ok()?;
            match tag[0] {
                FILE_RECORD | SPREAD_RECORD => {
                    let mut len = [0u8; 4];
                    r.read_exact(&mut len).ok()?;
                    let len = u32::from_le_bytes(len);
                    // No length can make us allocate more than the file holds.
                    if u64::from(len) > size.saturating_sub(at) {
                        return None;
                    }
                    record.resize(len as usize, 0);
                    r.read_exact(&mut record).ok()?;
                    let limit = u64::from(len);
                    if tag[0] == FILE_RECORD {
                        let h: RecordHead =
                            store::codec().with_limit(limit).deserialize(&record).ok()?;
                        issues.of(h.paper, h.date).records.push((at + 5, len));
                    } else {
                        let f: StoredFile =
                            store::codec().with_limit(limit).deserialize(&record).ok()?;
                        let n = spread.len();
                        for (i, a) in f.articles.iter().enumerate() {
                            let place = place_of(&f, a);
                            let parts = issues.of(place.paper.as_deref(), place.date);
                            match parts.spread.last_mut() {
                                Some((file, articles)) if *file == n => articles.push(i as u32),
                                _ => parts.spread.push((n, vec![i as u32])),
                            }
                        }
                        spread.push(f);
                    }
                    at += 5 + u64::from(len);
                }
                END_RECORD => {
                    record.clear();
                    r.read_to_end(&mut record).ok()?;
                    break store::decode_warnings(&record)?;
                }
                _ => return None,
            }
        };
        drop(r);
        let expected = head[store::CHECKSUM_AT..store::CHECKSUM_AT + 32]
            .try_into()
            .ok()?;
        let stream = IssueStream {
            file,
            issues: issues.in_order().into_iter(),
            spread,
            warnings,
            buf: Vec::new(),
        };
        Some((stream, expected))
    }

    /// The files of the next issue, its spread files cut to the articles in it.
    fn files(&mut self, parts: Parts) -> std::io::Result<Vec<StoredFile>> {
        let mut files = Vec::with_capacity(parts.records.len() + parts.spread.len());
        // An issue's records usually lie one after another (its files share a folder):
        // each run of them is read at once, not a seek and a read per record.
        let mut records = parts.records.as_slice();
        while let Some(&(start, _)) = records.first() {
            let mut end = 0;
            let run = records
                .iter()
                .take_while(|&&(at, len)| {
                    let next = end == 0 || at == end + 5;
                    if next {
                        end = at + u64::from(len);
                    }
                    next
                })
                .count();
            self.buf.resize((end - start) as usize, 0);
            (&self.file).seek(SeekFrom::Start(start))?;
            (&self.file).read_exact(&mut self.buf)?;
            for &(at, len) in &records[..run] {
                let from = (at - start) as usize;
                let f: StoredFile = store::codec()
                    .with_limit(u64::from(len))
                    .deserialize(&self.buf[from..from + len as usize])
                    .map_err(std::io::Error::other)?;
                files.push(f);
            }
            records = &records[run..];
        }
        for (n, articles) in parts.spread {
            let whole = &self.spread[n];
            let articles = articles
                .into_iter()
                .map(|i| whole.articles[i as usize].clone())
                .collect();
            files.push(StoredFile {
                articles,
                ..whole.clone_head()
            });
        }
        Ok(files)
    }
}

impl Iterator for IssueStream {
    type Item = std::io::Result<Catalog>;

    fn next(&mut self) -> Option<Self::Item> {
        let parts = self.issues.next()?;
        // No fingerprint: nothing compares one issue's catalog with another.
        Some(
            self.files(parts)
                .map(|files| Catalog::printed(files, Vec::new(), String::new(), false)),
        )
    }
}

impl StoredFile {
    /// The file without its articles.
    fn clone_head(&self) -> StoredFile {
        StoredFile {
            rel: self.rel.clone(),
            path: self.path.clone(),
            hash: self.hash.clone(),
            name: self.name.clone(),
            place: self.place.clone(),
            articles: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::catalog::{CatalogWriter, Joined};
    use crate::archive::source::{self, LibrarySource};

    /// A library's files as the index stores them.
    fn stored(lib: &LibrarySource) -> (Vec<StoredFile>, Vec<Warning>) {
        let (files, warnings) = source::discover(lib);
        let stored = files
            .iter()
            .filter_map(|f| {
                let bytes = source::read(lib, f).ok()?;
                let parsed = crate::archive::parse_in(lib, &f.rel, &bytes).ok()?;
                let settings = crate::archive::settings::for_file(lib, &f.rel);
                Some(StoredFile::new(
                    f,
                    source::version(&bytes, &settings.digest()),
                    &parsed,
                ))
            })
            .collect();
        (stored, warnings)
    }

    /// Each issue as the list shows it: paper, date, pages, and per article its id,
    /// title, byline, rest and other pages.
    fn listing(cat: &Catalog) -> Vec<String> {
        let mut out = Vec::new();
        for issue in &cat.issues {
            let paper = &cat.papers[issue.paper].name;
            out.push(format!(
                "{paper:?} {:?} {}",
                issue.date, issue.date_inferred
            ));
            for page in &cat.pages[issue.pages.clone()] {
                out.push(format!("  {}", page.label()));
                for n in page.articles.clone() {
                    let a = cat.article(n).unwrap();
                    let rest = match a.joined() {
                        Some(Joined::Rest { file, id }) => {
                            format!("{} {id}", cat.file(file).unwrap().rel)
                        }
                        other => format!("{other:?}"),
                    };
                    out.push(format!(
                        "    {} {} {:?} {rest} {:?} {}",
                        a.id(),
                        a.title(),
                        a.byline(),
                        a.also_on(),
                        cat.file_of(n).unwrap().rel
                    ));
                }
            }
        }
        out
    }

    #[test]
    fn issues_one_at_a_time_are_the_whole_catalog_laid_out() {
        let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        let libraries = [
            LibrarySource::Embedded,
            LibrarySource::Dir(tests.join("archives/jsonl")),
            LibrarySource::Dir(tests.join("archives/crawler")),
            LibrarySource::Dir(tests.join("archives/markdown")),
            LibrarySource::Dir(tests.join("pages/tune/continuations/pdfminer")),
            LibrarySource::Dir(tests.join("pages/tune/furniture/raw")),
        ];
        let mut spread_seen = false;
        for lib in &libraries {
            let (files, warnings) = stored(lib);
            let dir = tempfile::tempdir().unwrap();
            let mut w = CatalogWriter::to_dir(dir.path()).unwrap();
            for f in &files {
                w.add(f).unwrap();
            }
            w.finish(&warnings).unwrap();
            let whole = Catalog::load(dir.path()).unwrap();
            let stream = IssueStream::open(dir.path()).unwrap();
            spread_seen |= !stream.spread.is_empty();
            assert_eq!(stream.warnings, whole.warnings, "{lib:?}");
            let mut issues = 0;
            let mut streamed = Vec::new();
            for issue in stream {
                let issue = issue.unwrap();
                assert_eq!(issue.issues.len(), 1, "{lib:?}: one issue at a time");
                issues += 1;
                streamed.extend(listing(&issue));
            }
            assert!(issues > 1, "{lib:?}: several issues");
            assert_eq!(streamed, listing(&whole), "{lib:?}");
        }
        assert!(spread_seen, "a dump whose records stand in several issues");
    }

    #[test]
    fn a_damaged_catalog_gives_no_issues() {
        let (files, warnings) = stored(&LibrarySource::Embedded);
        let dir = tempfile::tempdir().unwrap();
        let mut w = CatalogWriter::to_dir(dir.path()).unwrap();
        for f in &files {
            w.add(f).unwrap();
        }
        w.finish(&warnings).unwrap();
        let path = dir.path().join(store::FILE_NAME);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x20;
        std::fs::write(&path, &bytes).unwrap();
        assert!(IssueStream::open(dir.path()).is_none(), "checksum");
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert!(IssueStream::open(dir.path()).is_none(), "truncated");
    }
}
