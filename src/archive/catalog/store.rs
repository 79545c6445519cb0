//! The catalog as stored: a header, then one record per file ([`StoredFile`]), then the
//! warnings. Written a file at a time by [`CatalogWriter`] (an index build streams each
//! parsed file to it instead of holding a million articles' headlines) into an index
//! folder or into memory — one format, one writer — and read back a record at a time.
//!
//! Header: magic, format, the blake3 checksum of everything after the header, and the
//! catalog's [`Fingerprint`]. The checksum is verified before anything is decoded, so a
//! damaged file is refused whole; the fingerprint can be read without the rest.

use super::StoredFile;
use crate::archive::model::Warning;
use bincode::Options as _;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The catalog file in an index folder.
pub const FILE_NAME: &str = "dubao-catalog.bin";
/// Bumped whenever [`StoredFile`] changes shape or what parsing produces changes.
const FORMAT: u32 = 7;
const MAGIC: &[u8; 8] = b"DUBAOCAT";
/// Magic, format, checksum, fingerprint.
pub(super) const HEAD: usize = 8 + 4 + 32 + 64;
pub(super) const CHECKSUM_AT: usize = 12;
const PRINT_AT: usize = 44;

/// How records are encoded: bincode's fixed-width integers. Reading is limited to the
/// bytes there are, so no record can make the reader allocate more than the file holds.
pub(super) fn codec() -> impl bincode::Options {
    use bincode::Options;
    bincode::DefaultOptions::new()
        .with_fixint_encoding()
        .allow_trailing_bytes()
}

/// Record tags: a [`StoredFile`] (its length in bytes, u32 LE, before it: records can
/// be found without decoding them, and decoded on several threads), then the warnings,
/// which end the catalog. A file some of whose articles stand elsewhere than the file
/// (a dump's records, each with its own date) is tagged [`SPREAD_RECORD`]: the others'
/// issue is known from the head of their record alone (see `stream.rs`).
pub(super) const FILE_RECORD: u8 = 1;
pub(super) const END_RECORD: u8 = 2;
pub(super) const SPREAD_RECORD: u8 = 3;

/// Where a [`CatalogWriter`] writes.
pub(crate) enum Sink {
    /// A temporary file in an index folder, renamed over the catalog when finished.
    Dir {
        dir: PathBuf,
        file: std::io::BufWriter<std::fs::File>,
    },
    /// Memory, for an index kept in memory.
    Memory(Cursor<Vec<u8>>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Dir { file, .. } => file.write(buf),
            Sink::Memory(m) => m.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Dir { file, .. } => file.flush(),
            Sink::Memory(m) => m.flush(),
        }
    }
}

impl Seek for Sink {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match self {
            Sink::Dir { file, .. } => file.seek(pos),
            Sink::Memory(m) => m.seek(pos),
        }
    }
}

/// A finished catalog: where it is, and its fingerprint.
#[derive(Clone, Debug)]
pub enum Stored {
    Dir { dir: PathBuf, fingerprint: String },
    Memory { bytes: Vec<u8>, fingerprint: String },
}

impl Stored {
    pub fn fingerprint(&self) -> &str {
        match self {
            Stored::Dir { fingerprint, .. } | Stored::Memory { fingerprint, .. } => fingerprint,
        }
    }

    /// The warnings it ends with: files left out, lines of a dump not read (`None` if
    /// it can't be read back). In a folder, from the head of its laid-out form (mapped:
    /// the catalog itself is not read again); else its records are skipped, not decoded.
    pub(crate) fn warnings(&self) -> Option<Vec<Warning>> {
        let read;
        let bytes = match self {
            Stored::Dir { dir, .. } => {
                if let Some(cat) = super::Catalog::mapped(dir) {
                    return Some(cat.warnings);
                }
                read = std::fs::read(dir.join(FILE_NAME)).ok()?;
                &read[..]
            }
            Stored::Memory { bytes, .. } => &bytes[..],
        };
        Some(records(checked_body(bytes)?)?.1)
    }

    /// Laid out for the list (`None` if it can't be read back).
    pub(crate) fn load(&self) -> Option<super::Catalog> {
        match self {
            Stored::Dir { dir, .. } => super::Catalog::load(dir),
            Stored::Memory { bytes, .. } => {
                let mut files = Vec::new();
                let warnings = read_bytes(bytes, |f| files.push(f))?;
                Some(super::Catalog::from_files(files, warnings))
            }
        }
    }
}

/// Writes a catalog a file at a time, checksummed (see the module documentation).
pub struct CatalogWriter {
    out: Hashing<Sink>,
    print: Fingerprint,
    /// The record being written (its length goes before it).
    record: Vec<u8>,
}

impl CatalogWriter {
    /// A catalog for the index folder `dir`, put in place by [`finish`](Self::finish).
    pub(crate) fn to_dir(dir: &Path) -> std::io::Result<CatalogWriter> {
        let file = std::fs::File::create(dir.join(format!("{FILE_NAME}.tmp")))?;
        CatalogWriter::new(Sink::Dir {
            dir: dir.to_path_buf(),
            file: std::io::BufWriter::new(file),
        })
    }

    /// A catalog kept in memory.
    pub(crate) fn in_memory() -> std::io::Result<CatalogWriter> {
        CatalogWriter::new(Sink::Memory(Cursor::new(Vec::new())))
    }

    fn new(mut sink: Sink) -> std::io::Result<CatalogWriter> {
        sink.write_all(MAGIC)?;
        sink.write_all(&FORMAT.to_le_bytes())?;
        // The checksum and the fingerprint, written last.
        sink.write_all(&[0u8; HEAD - 12])?;
        Ok(CatalogWriter {
            out: Hashing {
                inner: sink,
                hash: blake3::Hasher::new(),
            },
            print: Fingerprint::default(),
            record: Vec::new(),
        })
    }

    /// One issue file (left out when it has no articles, as the list leaves it out).
    pub(crate) fn add(&mut self, file: &StoredFile) -> std::io::Result<()> {
        if file.articles.is_empty() {
            return Ok(());
        }
        self.print.file(file);
        self.record.clear();
        codec()
            .serialize_into(&mut self.record, file)
            .map_err(std::io::Error::other)?;
        let len = u32::try_from(self.record.len()).map_err(std::io::Error::other)?;
        let spread = file
            .articles
            .iter()
            .any(|a| a.extra.as_ref().is_some_and(|e| e.place.is_some()));
        let tag = if spread { SPREAD_RECORD } else { FILE_RECORD };
        self.out.write_all(&[tag])?;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(&self.record)
    }

    /// Write the warnings, the checksum and the fingerprint; put a file in place.
    pub(crate) fn finish(mut self, warnings: &[Warning]) -> std::io::Result<Stored> {
        for w in warnings {
            self.print.warning(w);
        }
        let pairs: Vec<(&str, &str)> = warnings
            .iter()
            .map(|w| (w.file.as_str(), w.reason.as_str()))
            .collect();
        self.out.write_all(&[END_RECORD])?;
        codec()
            .serialize_into(&mut self.out, &pairs)
            .map_err(std::io::Error::other)?;
        let fingerprint = self.print.hex();
        let Hashing {
            inner: mut sink,
            hash,
        } = self.out;
        sink.seek(SeekFrom::Start(CHECKSUM_AT as u64))?;
        sink.write_all(hash.finalize().as_bytes())?;
        sink.write_all(fingerprint.as_bytes())?;
        match sink {
            Sink::Dir { dir, file } => {
                let f = file.into_inner().map_err(|e| e.into_error())?;
                f.sync_all()?;
                drop(f);
                std::fs::rename(dir.join(format!("{FILE_NAME}.tmp")), dir.join(FILE_NAME))?;
                Ok(Stored::Dir { dir, fingerprint })
            }
            Sink::Memory(m) => Ok(Stored::Memory {
                bytes: m.into_inner(),
                fingerprint,
            }),
        }
    }
}

/// A writer that hashes what goes through it.
struct Hashing<W> {
    inner: W,
    hash: blake3::Hasher,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Hand each stored file of the catalog in the index folder `dir` to `each`, one at a
/// time (an update of a big library never holds the old catalog whole); the warnings
/// at the end. `None` when missing, damaged or of another format (`each` has then seen
/// nothing, or — if a record fails to decode although the checksum held — part of it).
pub fn read_dir(dir: &Path, each: impl FnMut(StoredFile)) -> Option<Vec<Warning>> {
    read_bytes(&std::fs::read(dir.join(FILE_NAME)).ok()?, each)
}

/// The head of a file record: its path and version (bincode writes a struct's fields
/// one after another; the rest of the record is not read).
#[derive(serde::Deserialize)]
struct Version<'a> {
    #[serde(borrow)]
    rel: &'a str,
    #[serde(borrow)]
    _path: Option<&'a [u8]>,
    #[serde(borrow)]
    hash: &'a str,
}

/// Like [`read_dir`], handing `each` only each file's path and version (what an index
/// update compares) with its record's bytes, decoded only when asked for (see
/// [`decode_record`]): at a million articles, decoding them all was most of an update
/// that found nothing to do.
pub(crate) fn read_dir_versions(
    dir: &Path,
    mut each: impl FnMut(&str, &str, &[u8]),
) -> Option<Vec<Warning>> {
    let bytes = std::fs::read(dir.join(FILE_NAME)).ok()?;
    let (records, warnings) = records(checked_body(&bytes)?)?;
    for r in records {
        let v: Version = codec().with_limit(r.len() as u64).deserialize(r).ok()?;
        each(v.rel, v.hash, r);
    }
    Some(warnings)
}

/// A file record's bytes (as [`read_dir_versions`] hands them) decoded whole.
pub(crate) fn decode_record(record: &[u8]) -> Option<StoredFile> {
    codec()
        .with_limit(record.len() as u64)
        .deserialize(record)
        .ok()
}

/// The catalog saved in `dir` whole, with the fingerprint its header gives (of the same
/// bytes, so of the same records: not worked out again from a million of them). Its
/// first `first` records are decoded before the rest and handed to `head` (a reader
/// lists them while the rest is decoded); the rest are decoded on every core.
pub(crate) fn load_dir(
    dir: &Path,
    first: usize,
    head: impl FnOnce(&[StoredFile]),
) -> Option<(Vec<StoredFile>, Vec<Warning>, String)> {
    let path = dir.join(FILE_NAME);
    // The checksum is worked out on a thread of its own, from the file opened again,
    // while the file is read and its first records decoded (at a million files it was
    // a third of the time to the first list); nothing is handed out before it holds.
    let checksum = {
        let path = path.clone();
        std::thread::spawn(move || checksum(&path))
    };
    let bytes = std::fs::read(&path).ok()?;
    if bytes.len() < HEAD || !head_is_current(&bytes) {
        return None;
    }
    let (records, warnings) = records(&bytes[HEAD..])?;
    let late_from = first.min(records.len());
    let mut files = decode(&records[..late_from])?;
    let sum = checksum.join().ok()??;
    (sum[..] == bytes[CHECKSUM_AT..PRINT_AT]).then_some(())?;
    let print = String::from_utf8_lossy(&bytes[PRINT_AT..HEAD]).into_owned();
    let late = &records[late_from..];
    if late_from > 0 && !late.is_empty() {
        head(&files);
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8));
    let parts: Vec<Option<Vec<StoredFile>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = late
            .chunks(late.len().div_ceil(threads).max(1))
            .map(|part| scope.spawn(move || decode(part)))
            .collect();
        workers.into_iter().map(|w| w.join().ok()?).collect()
    });
    for part in parts {
        files.extend(part?);
    }
    Some((files, warnings, print))
}

fn decode(records: &[&[u8]]) -> Option<Vec<StoredFile>> {
    records.iter().map(|r| decode_record(r)).collect()
}

/// Like [`read_dir`], from a stored catalog's bytes.
pub(crate) fn read_bytes(bytes: &[u8], mut each: impl FnMut(StoredFile)) -> Option<Vec<Warning>> {
    let (records, warnings) = records(checked_body(bytes)?)?;
    for r in records {
        each(decode_record(r)?);
    }
    Some(warnings)
}

/// The file records of a catalog's body, undecoded, and its warnings.
fn records(body: &[u8]) -> Option<(Vec<&[u8]>, Vec<Warning>)> {
    let mut records = Vec::new();
    let mut rest = body;
    loop {
        let (&tag, after) = rest.split_first()?;
        match tag {
            FILE_RECORD | SPREAD_RECORD => {
                let len = u32::from_le_bytes(after.get(..4)?.try_into().ok()?) as usize;
                records.push(after.get(4..4 + len)?);
                rest = &after[4 + len..];
            }
            END_RECORD => return Some((records, decode_warnings(after)?)),
            _ => return None,
        }
    }
}

/// The warnings that end a catalog.
pub(super) fn decode_warnings(bytes: &[u8]) -> Option<Vec<Warning>> {
    let warnings: Vec<(String, String)> = codec()
        .with_limit(bytes.len() as u64)
        .deserialize(bytes)
        .ok()?;
    Some(
        warnings
            .into_iter()
            .map(|(file, reason)| Warning { file, reason })
            .collect(),
    )
}

/// Whether a catalog's header is of this format (its magic and format number).
pub(super) fn head_is_current(head: &[u8]) -> bool {
    head.len() >= 12
        && &head[..MAGIC.len()] == MAGIC
        && head[8..12]
            .try_into()
            .is_ok_and(|b| u32::from_le_bytes(b) == FORMAT)
}

/// The blake3 of everything after the header of the catalog at `path`, read through a
/// small buffer (run beside a reader of the same file, see `load_dir` and `stream.rs`).
pub(super) fn checksum(path: &Path) -> Option<[u8; 32]> {
    let mut f = std::fs::File::open(path).ok()?;
    f.seek(SeekFrom::Start(HEAD as u64)).ok()?;
    let mut hash = blake3::Hasher::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match f.read(&mut buf) {
            Ok(0) => return Some(*hash.finalize().as_bytes()),
            Ok(n) => {
                hash.update(&buf[..n]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

/// The records of a sound catalog of this format.
fn checked_body(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.len() < HEAD || &bytes[..MAGIC.len()] != MAGIC {
        return None;
    }
    let format = u32::from_le_bytes(bytes[8..12].try_into().ok()?);
    let body = &bytes[HEAD..];
    (format == FORMAT && blake3::hash(body).as_bytes() == &bytes[CHECKSUM_AT..PRINT_AT])
        .then_some(body)
}

/// The fingerprint of the catalog saved in `dir`, read from its header alone (the
/// records are not checked: a damaged catalog is refused when loaded).
pub fn saved_fingerprint(dir: &Path) -> Option<String> {
    let mut head = [0u8; HEAD];
    std::fs::File::open(dir.join(FILE_NAME))
        .ok()?
        .read_exact(&mut head)
        .ok()?;
    let format = u32::from_le_bytes(head[8..12].try_into().ok()?);
    (&head[..MAGIC.len()] == MAGIC && format == FORMAT)
        .then(|| String::from_utf8_lossy(&head[PRINT_AT..]).into_owned())
}

/// An order-free digest of the file versions listed and the warnings: sums of per-item
/// hashes, so it can be computed while streaming, in any order.
#[derive(Default)]
pub struct Fingerprint {
    files: u128,
    warnings: u128,
}

impl Fingerprint {
    fn item(parts: [&str; 2]) -> u128 {
        let mut h = blake3::Hasher::new();
        h.update(parts[0].as_bytes());
        h.update(b"\0");
        h.update(parts[1].as_bytes());
        let bytes: [u8; 16] = h.finalize().as_bytes()[..16].try_into().unwrap_or_default();
        u128::from_le_bytes(bytes)
    }

    fn file(&mut self, f: &StoredFile) {
        if !f.articles.is_empty() {
            self.listed(&f.rel, &f.hash);
        }
    }

    /// A file listed (with articles) at version `hash`.
    pub(crate) fn listed(&mut self, rel: &str, hash: &str) {
        self.files = self.files.wrapping_add(Self::item([rel, hash]));
    }

    pub(crate) fn warning(&mut self, w: &Warning) {
        self.warnings = self.warnings.wrapping_add(Self::item([&w.file, &w.reason]));
    }

    /// 64 hex digits.
    pub(crate) fn hex(&self) -> String {
        format!("{:032x}{:032x}", self.files, self.warnings)
    }
}

/// Identifies a catalog's content: the versions of the files listed (whatever their
/// order) and the warnings. Equal fingerprints, equal catalogs.
pub fn fingerprint(files: &[StoredFile], warnings: &[Warning]) -> String {
    let mut print = Fingerprint::default();
    for f in files {
        print.file(f);
    }
    for w in warnings {
        print.warning(w);
    }
    print.hex()
}
