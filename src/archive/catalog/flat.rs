//! The catalog laid out for the list as one block of bytes, read where it lies. An index
//! build writes it next to the stored catalog ([`LAID_FILE`]) and every reader of the
//! library maps that file into memory: the kernel keeps one copy of its pages for all
//! of them, where each used to hold its own deserialised catalog (~350 bytes an article,
//! half a gigabyte a reader at a million articles). A catalog made in memory (a first
//! scan, a part listed early) is the same bytes in a vector, so there is one way to
//! read a catalog.
//!
//! Layout: magic, format, the blake3 checksum of everything after the header, then a
//! table of sections (offset and length, u64 LE each):
//! - `META`: bincode of [`Meta`], decoded when opened: fingerprint, warnings and the
//!   groups (papers, issues, pages), a few bytes per page;
//! - `ROWS`: one fixed-width row per listed article ([`ROW`] bytes: see `Row`), whose
//!   strings point into `STRINGS`;
//! - `IDS`: (id key, article) pairs sorted by key, for [`super::Catalog::position`];
//! - `EXTRA_*`, `FILE_*`: the rarer facts of an article ([`Extra`]) and the files, as
//!   bincode records behind an offset table, decoded when asked for.
//!
//! No `unsafe`: the map is tantivy's (`OwnedBytes`), and every read is a checked slice,
//! so a damaged file reads as wrong text at worst, never as a crash; the groups, which
//! the list indexes directly, are checked when the file is opened. The checksum is not
//! checked by a reader (that would read the whole file at every start) but by
//! `dubao index`, which writes the file again when it does not hold. (rkyv reads such a
//! layout without copying too, but only through `unsafe` or a validation pass over the
//! whole file at every start; this crate denies `unsafe`.)

use super::group::{IssueGroup, PageGroup, PaperGroup};
use super::{ArticleHead, Extra, FileHead, Joined, StoredFile, bytes_path, store::codec};
use crate::archive::model::{Place, Warning};
use bincode::Options as _;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::Path;
use tantivy::directory::OwnedBytes;

/// The laid-out catalog in an index folder.
pub const LAID_FILE: &str = "dubao-catalog-laid.bin";
const MAGIC: &[u8; 8] = b"DUBAOLAY";
/// Bumped whenever the layout or what is laid out changes.
const FORMAT: u32 = 1;

const META: usize = 0;
const STRINGS: usize = 1;
const ROWS: usize = 2;
const IDS: usize = 3;
const EXTRA_INDEX: usize = 4;
const EXTRA_DATA: usize = 5;
const FILE_INDEX: usize = 6;
const FILE_DATA: usize = 7;
const SECTIONS: usize = 8;
const CHECKSUM_AT: usize = 12;
const TABLE_AT: usize = CHECKSUM_AT + 32;
const HEAD: usize = TABLE_AT + SECTIONS * 16;

/// An article's row: id, title and byline (strings, see [`pack`]), content hash, length
/// in characters, page, file, extra record (`NONE` for none), flags.
const ROW: usize = 49;
const ID_AT: usize = 0;
const TITLE_AT: usize = 8;
const BYLINE_AT: usize = 16;
const CONTENT_AT: usize = 24;
const CHARS_AT: usize = 32;
const PAGE_AT: usize = 36;
const FILE_AT: usize = 40;
const EXTRA_AT: usize = 44;
const FLAGS_AT: usize = 48;
const TITLE_INFERRED: u8 = 1;
/// An id key and its article.
const ID_ROW: usize = 12;
const NONE: u32 = u32::MAX;
const NO_STRING: u64 = u64::MAX;
/// A string is its offset in `STRINGS` (40 bits) and its length in bytes (24 bits).
const LEN_BITS: u32 = 24;
const MAX_LEN: usize = (1 << LEN_BITS) - 1;

/// What is decoded when the catalog is opened.
#[derive(Default, Serialize, Deserialize)]
pub(super) struct Meta {
    pub fingerprint: String,
    pub partial: bool,
    pub warnings: Vec<Warning>,
    pub papers: Vec<PaperGroup>,
    pub issues: Vec<IssueGroup>,
    pub pages: Vec<PageGroup>,
}

/// [`Extra`] as laid out: with what the layout worked out.
#[derive(Serialize, Deserialize)]
struct LaidExtra {
    place: Option<Place>,
    continued_on: Option<String>,
    continued_from: Option<String>,
    joined: Option<Joined>,
    also_on: Vec<String>,
}

/// [`FileHead`] as laid out (its path as bytes: names need not be UTF-8).
#[derive(Serialize, Deserialize)]
struct LaidFile {
    rel: String,
    path: Option<Vec<u8>>,
    hash: String,
    name: String,
    place: Place,
}

/// Builds the bytes of a laid-out catalog, an article at a time in list order.
#[derive(Default)]
pub(super) struct TableWriter {
    strings: Vec<u8>,
    rows: Vec<u8>,
    ids: Vec<(u64, u32)>,
    extras: Records,
    files: Records,
}

/// Bincode records behind a table of their end offsets.
#[derive(Default)]
struct Records {
    ends: Vec<u64>,
    data: Vec<u8>,
}

impl Records {
    fn push(&mut self, value: &impl Serialize) -> u32 {
        // Serialising plain structs into a vector cannot fail.
        let _ = codec().serialize_into(&mut self.data, value);
        self.ends.push(self.data.len() as u64);
        (self.ends.len() - 1) as u32
    }

    fn index_bytes(&self) -> Vec<u8> {
        self.ends.iter().flat_map(|e| e.to_le_bytes()).collect()
    }
}

impl TableWriter {
    /// Articles listed so far.
    pub fn len(&self) -> usize {
        self.rows.len() / ROW
    }

    fn string(&mut self, s: &str) -> u64 {
        let mut end = s.len().min(MAX_LEN);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let at = self.strings.len() as u64;
        self.strings.extend_from_slice(&s.as_bytes()[..end]);
        at << LEN_BITS | end as u64
    }

    /// Adds article `a`, on page `page` of the groups, read from file `file`; returns
    /// its number in the list.
    pub fn article(&mut self, a: &ArticleHead, page: usize, file: usize) -> usize {
        let n = self.len();
        let id = self.string(&a.id);
        let title = self.string(&a.title);
        let byline = a.byline.as_deref().map_or(NO_STRING, |b| self.string(b));
        let extra = a.extra.as_deref().map_or(NONE, |x| {
            self.extras.push(&LaidExtra {
                place: x.place.clone(),
                continued_on: x.continued_on.clone(),
                continued_from: x.continued_from.clone(),
                joined: x.joined.clone(),
                also_on: x.also_on.clone(),
            })
        });
        let row = &mut self.rows;
        row.extend_from_slice(&id.to_le_bytes());
        row.extend_from_slice(&title.to_le_bytes());
        row.extend_from_slice(&byline.to_le_bytes());
        row.extend_from_slice(&a.content.to_le_bytes());
        row.extend_from_slice(&a.chars.to_le_bytes());
        row.extend_from_slice(&(page as u32).to_le_bytes());
        row.extend_from_slice(&(file as u32).to_le_bytes());
        row.extend_from_slice(&extra.to_le_bytes());
        row.push(if a.title_inferred { TITLE_INFERRED } else { 0 });
        debug_assert_eq!(row.len(), (n + 1) * ROW, "a row is ROW bytes, as read");
        n
    }

    /// Id key `key` leads to article `n` (the first given for a key wins).
    pub fn id(&mut self, key: u64, n: usize) {
        self.ids.push((key, n as u32));
    }

    /// The next file (files are numbered in the order given; its articles are not
    /// read here).
    pub fn file(&mut self, f: StoredFile) {
        self.files.push(&LaidFile {
            rel: f.rel,
            path: f.path,
            hash: f.hash,
            name: f.name,
            place: f.place,
        });
    }

    pub fn finish(mut self, meta: &Meta) -> Vec<u8> {
        // Stable: of two ids with one key, the first given stays.
        self.ids.sort_by_key(|&(key, _)| key);
        self.ids.dedup_by_key(|&mut (key, _)| key);
        let ids: Vec<u8> = self
            .ids
            .iter()
            .flat_map(|&(key, n)| key.to_le_bytes().into_iter().chain(n.to_le_bytes()))
            .collect();
        let meta = codec().serialize(meta).unwrap_or_default();
        let sections: [&[u8]; SECTIONS] = [
            &meta,
            &self.strings,
            &self.rows,
            &ids,
            &self.extras.index_bytes(),
            &self.extras.data,
            &self.files.index_bytes(),
            &self.files.data,
        ];
        let total = HEAD + sections.iter().map(|s| s.len()).sum::<usize>();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        out.extend_from_slice(&[0; 32]);
        let mut at = HEAD as u64;
        for s in &sections {
            out.extend_from_slice(&at.to_le_bytes());
            out.extend_from_slice(&(s.len() as u64).to_le_bytes());
            at += s.len() as u64;
        }
        for s in sections {
            out.extend_from_slice(s);
        }
        let sum = blake3::hash(&out[TABLE_AT..]);
        out[CHECKSUM_AT..TABLE_AT].copy_from_slice(sum.as_bytes());
        out
    }
}

/// A laid-out catalog's bytes, read in place.
#[derive(Clone)]
pub(super) struct Table {
    bytes: OwnedBytes,
    sections: [Range<usize>; SECTIONS],
}

impl Default for Table {
    fn default() -> Table {
        Table {
            bytes: OwnedBytes::empty(),
            sections: Default::default(),
        }
    }
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Table({} bytes, {} rows)", self.bytes.len(), self.len())
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map_or(NONE, u32::from_le_bytes)
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|s| s.try_into().ok())
        .map_or(NO_STRING, u64::from_le_bytes)
}

impl Table {
    /// Opens laid-out bytes: the table and what `META` holds. `None` when they are not
    /// a laid-out catalog of this format, or their groups point outside it.
    pub fn open(bytes: OwnedBytes) -> Option<(Table, Meta)> {
        let b = bytes.as_slice();
        if b.len() < HEAD || &b[..8] != MAGIC || u32_at(b, 8) != FORMAT {
            return None;
        }
        let mut sections: [Range<usize>; SECTIONS] = Default::default();
        for (i, s) in sections.iter_mut().enumerate() {
            let at = usize::try_from(u64_at(b, TABLE_AT + i * 16)).ok()?;
            let len = usize::try_from(u64_at(b, TABLE_AT + 8 + i * 16)).ok()?;
            let end = at.checked_add(len).filter(|&e| e <= b.len())?;
            *s = at..end;
        }
        let table = Table { bytes, sections };
        let meta: Meta = codec()
            .with_limit(table.section(META).len() as u64)
            .deserialize(table.section(META))
            .ok()?;
        let whole = |len: usize, row: usize| len.is_multiple_of(row);
        (whole(table.section(ROWS).len(), ROW)
            && whole(table.section(IDS).len(), ID_ROW)
            && whole(table.section(EXTRA_INDEX).len(), 8)
            && whole(table.section(FILE_INDEX).len(), 8)
            && groups_fit(&meta, table.len()))
        .then_some((table, meta))
    }

    /// Maps the laid-out catalog in `dir` into memory.
    pub fn map(dir: &Path) -> Option<(Table, Meta)> {
        use tantivy::directory::{Directory, MmapDirectory};
        let slice = MmapDirectory::open(dir)
            .ok()?
            .open_read(Path::new(LAID_FILE))
            .ok()?;
        Table::open(slice.read_bytes().ok()?)
    }

    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_slice()
    }

    /// Whether the checksum holds (reads the whole file: for index updates, not for
    /// readers).
    pub fn checksum_holds(&self) -> bool {
        let b = self.bytes.as_slice();
        b.len() >= HEAD && blake3::hash(&b[TABLE_AT..]).as_bytes()[..] == b[CHECKSUM_AT..TABLE_AT]
    }

    fn section(&self, s: usize) -> &[u8] {
        self.bytes
            .as_slice()
            .get(self.sections[s].clone())
            .unwrap_or_default()
    }

    /// Listed articles.
    pub fn len(&self) -> usize {
        self.section(ROWS).len() / ROW
    }

    pub fn row(&self, n: usize) -> Option<Listed<'_>> {
        let row = self.section(ROWS).get(n * ROW..(n + 1) * ROW)?;
        Some(Listed { table: self, row })
    }

    fn string(&self, packed: u64) -> Option<&str> {
        if packed == NO_STRING {
            return None;
        }
        let at = usize::try_from(packed >> LEN_BITS).ok()?;
        let len = (packed & MAX_LEN as u64) as usize;
        let bytes = self.section(STRINGS).get(at..at.checked_add(len)?)?;
        std::str::from_utf8(bytes).ok()
    }

    fn record(&self, index: usize, data: usize, i: usize) -> Option<&[u8]> {
        let ends = self.section(index);
        let end = usize::try_from(u64_at(ends, i * 8)).ok()?;
        let start = match i {
            0 => 0,
            _ => usize::try_from(u64_at(ends, (i - 1) * 8)).ok()?,
        };
        self.section(data).get(start..end)
    }

    fn decode<T: serde::de::DeserializeOwned>(
        &self,
        index: usize,
        data: usize,
        i: usize,
    ) -> Option<T> {
        let r = self.record(index, data, i)?;
        codec().with_limit(r.len() as u64).deserialize(r).ok()
    }

    pub fn files(&self) -> usize {
        self.section(FILE_INDEX).len() / 8
    }

    pub fn file(&self, i: usize) -> Option<FileHead> {
        let f: LaidFile = self.decode(FILE_INDEX, FILE_DATA, i)?;
        Some(FileHead {
            rel: f.rel,
            path: f.path.map(bytes_path),
            hash: f.hash,
            name: f.name,
            place: f.place,
        })
    }

    /// The file listed under `rel` (files are laid out in path order).
    pub fn file_by_rel(&self, rel: &str) -> Option<FileHead> {
        let (mut lo, mut hi) = (0, self.files());
        while lo < hi {
            let mid = (lo + hi) / 2;
            let f = self.file(mid)?;
            match f.rel.as_str().cmp(rel) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(f),
            }
        }
        None
    }

    /// The article id key `key` leads to.
    pub fn by_id(&self, key: u64) -> Option<usize> {
        let ids = self.section(IDS);
        let (mut lo, mut hi) = (0, ids.len() / ID_ROW);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match u64_at(ids, mid * ID_ROW).cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    return Some(u32_at(ids, mid * ID_ROW + 8) as usize);
                }
            }
        }
        None
    }
}

/// Whether every range of the groups stays inside them and the rows.
fn groups_fit(m: &Meta, rows: usize) -> bool {
    m.papers
        .iter()
        .all(|p| p.issues.start <= p.issues.end && p.issues.end <= m.issues.len())
        && m.issues.iter().all(|i| {
            i.paper < m.papers.len()
                && i.pages.start <= i.pages.end
                && i.pages.end <= m.pages.len()
                && i.articles.start <= i.articles.end
                && i.articles.end <= rows
        })
        && m.pages.iter().all(|p| {
            p.issue < m.issues.len() && p.articles.start <= p.articles.end && p.articles.end <= rows
        })
}

/// An article as the list has it, read from its row.
#[derive(Clone, Copy)]
pub struct Listed<'a> {
    table: &'a Table,
    row: &'a [u8],
}

impl std::fmt::Debug for Listed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Listed({} {})", self.id(), self.title())
    }
}

impl<'a> Listed<'a> {
    fn text(&self, at: usize) -> Option<&'a str> {
        self.table.string(u64_at(self.row, at))
    }

    pub fn id(&self) -> &'a str {
        self.text(ID_AT).unwrap_or_default()
    }

    pub fn title(&self) -> &'a str {
        self.text(TITLE_AT).unwrap_or_default()
    }

    /// True when the title was made from the lead (no headline was found).
    pub fn title_inferred(&self) -> bool {
        self.row
            .get(FLAGS_AT)
            .is_some_and(|f| f & TITLE_INFERRED != 0)
    }

    pub fn byline(&self) -> Option<&'a str> {
        self.text(BYLINE_AT)
    }

    /// The byline's names, without its role words (see [`crate::archive::byline::names`]).
    pub fn byline_names(&self) -> Option<String> {
        self.byline().map(crate::archive::byline::names)
    }

    /// Length of the body in characters.
    pub fn chars(&self) -> u32 {
        u32_at(self.row, CHARS_AT)
    }

    /// Identifies the text (see [`ArticleHead::content`]).
    pub fn content(&self) -> u64 {
        u64_at(self.row, CONTENT_AT)
    }

    pub(super) fn page(&self) -> usize {
        u32_at(self.row, PAGE_AT) as usize
    }

    pub(super) fn file(&self) -> usize {
        u32_at(self.row, FILE_AT) as usize
    }

    /// The rarer facts, decoded (most articles have none).
    pub fn extra(&self) -> Option<Extra> {
        let i = u32_at(self.row, EXTRA_AT);
        if i == NONE {
            return None;
        }
        let x: LaidExtra = self.table.decode(EXTRA_INDEX, EXTRA_DATA, i as usize)?;
        Some(Extra {
            place: x.place,
            continued_on: x.continued_on,
            continued_from: x.continued_from,
            joined: x.joined,
            also_on: x.also_on,
        })
    }

    /// `（下转二版）` → `二版`.
    pub fn continued_on(&self) -> Option<String> {
        self.extra()?.continued_on
    }

    /// `（上接第1版）` → `第1版`.
    pub fn continued_from(&self) -> Option<String> {
        self.extra()?.continued_from
    }

    /// Where it goes on, when it does (see [`Joined`]).
    pub fn joined(&self) -> Option<Joined> {
        self.extra()?.joined
    }

    /// The other pages printing this very article (`第03版`).
    pub fn also_on(&self) -> Vec<String> {
        self.extra().map(|x| x.also_on).unwrap_or_default()
    }

    /// The article as stored (tests compare catalogs with it).
    pub fn head(&self) -> ArticleHead {
        ArticleHead {
            id: self.id().to_string(),
            title: self.title().to_string(),
            title_inferred: self.title_inferred(),
            byline: self.byline().map(str::to_string),
            chars: self.chars(),
            content: self.content(),
            extra: self.extra().map(Box::new),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Catalog, lay_out_saved, scan};
    use super::*;
    use crate::archive::source::LibrarySource;

    /// Reads everything a reader can ask of a catalog (a damaged one must not panic).
    fn read_all(cat: &Catalog) -> usize {
        let mut seen = 0;
        for n in 0..cat.len() + 2 {
            if let Some(a) = cat.article(n) {
                seen += a.id().len() + a.title().len() + a.byline().map_or(0, str::len);
                seen += a.chars() as usize + usize::from(a.title_inferred());
                seen += a.also_on().len() + usize::from(a.joined().is_some());
                seen += usize::from(cat.position(a.id()).is_some());
            }
            seen += usize::from(cat.page_of(n).is_some() && cat.issue_of(n).is_some());
            seen += cat.place_of(n).map_or(0, |p| p.citation().len());
        }
        for f in cat.files() {
            seen += f.rel.len() + usize::from(cat.file_by_rel(&f.rel).is_some());
        }
        seen
    }

    #[test]
    fn damaged_bytes_read_as_something_or_nothing_never_a_panic() {
        let cat = scan(&LibrarySource::Embedded);
        let good = cat.laid_bytes().to_vec();
        let whole = read_all(&cat);
        assert!(whole > 0);
        let open = |bytes: Vec<u8>| Table::open(OwnedBytes::new(bytes)).map(Catalog::opened);
        // Every 13th byte flipped in turn, and the file cut at every 97th.
        for at in (0..good.len()).step_by(13) {
            let mut bytes = good.clone();
            bytes[at] ^= 0x5a;
            if let Some(c) = open(bytes) {
                read_all(&c);
            }
        }
        for len in (0..good.len()).step_by(97) {
            if let Some(c) = open(good[..len].to_vec()) {
                read_all(&c);
            }
        }
        // Not a laid-out catalog, or of another format: refused.
        assert!(open(Vec::new()).is_none());
        let mut other = good.clone();
        other[8] ^= 1;
        assert!(open(other).is_none());
        assert_eq!(read_all(&open(good).unwrap()), whole);
    }

    #[test]
    fn the_laid_out_file_is_mapped_as_the_catalog_it_was_laid_out_from() {
        let dir = tempfile::tempdir().unwrap();
        let (files, warnings) = super::super::tests::stored_samples();
        let mut out = super::super::CatalogWriter::to_dir(dir.path()).unwrap();
        for f in &files {
            out.add(f).unwrap();
        }
        out.finish(&warnings).unwrap();
        let from_records = Catalog::load(dir.path()).unwrap();
        assert!(!dir.path().join(LAID_FILE).exists());
        lay_out_saved(dir.path(), true).unwrap();
        let laid = dir.path().join(LAID_FILE);
        let written = std::fs::read(&laid).unwrap();
        assert_eq!(written, from_records.laid_bytes());
        let mapped = Catalog::mapped(dir.path()).expect("mapped");
        assert_eq!(mapped.heads(), from_records.heads());
        assert_eq!(mapped.pages, from_records.pages);
        assert_eq!(read_all(&mapped), read_all(&from_records));
        // Laid out again only when its checksum fails.
        let stamp = std::fs::metadata(&laid).unwrap().modified().unwrap();
        lay_out_saved(dir.path(), true).unwrap();
        assert_eq!(std::fs::metadata(&laid).unwrap().modified().unwrap(), stamp);
        let mut bytes = written.clone();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&laid, &bytes).unwrap();
        lay_out_saved(dir.path(), true).unwrap();
        assert_eq!(std::fs::read(&laid).unwrap(), written);
        // A laid-out file of other files (its fingerprint is not the catalog's): unused.
        let other = Catalog::part(Vec::new(), Vec::new());
        std::fs::write(&laid, other.laid_bytes()).unwrap();
        assert!(Catalog::mapped(dir.path()).is_none());
        assert_eq!(
            Catalog::load(dir.path()).unwrap().heads(),
            from_records.heads()
        );
    }
}
