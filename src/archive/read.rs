//! Reading files into articles: one file (decode, then the reader of its form), or a
//! whole library on every core.

use super::article::FileFacts;
use super::model::{Library, ParsedFile, ReadError, Warning};
use super::source::{self, LibrarySource, SourceFile};
use super::{article, decode, markdown, pages};

/// Decode and read one file. `Err` is the reason it can't be read.
pub fn parse_file(rel: &str, bytes: &[u8]) -> Result<ParsedFile, ReadError> {
    let (text, debris) = decode::decode_counted(bytes)?;
    let mut file = parse_text(rel, &text);
    file.note = debris.note();
    Ok(file)
}

/// Read one file's decoded text with the reader of its form: Markdown files (by
/// extension, or by their `#` headings) with the Markdown reader, everything else as
/// page text from a PDF extractor.
fn parse_text(rel: &str, text: &str) -> ParsedFile {
    let (facts, parts) = if markdown::looks_like_markdown(rel, text) {
        let page = markdown::parse(text);
        let facts = FileFacts {
            title: page.title,
            ..FileFacts::default()
        };
        (facts, page.articles)
    } else {
        (FileFacts::default(), pages::split_articles(text))
    };
    article::build_file(rel, facts, parts, text)
}

/// Read every file of a library. Files that can't be read become warnings; the rest
/// of the library reads on.
pub fn load(source: &LibrarySource) -> Library {
    let (files, mut warnings) = source::discover(source);
    let mut parsed = Vec::new();
    for (file, result) in files.iter().zip(read_all(source, &files)) {
        match result {
            Ok(f) => {
                if let Some(note) = &f.note {
                    warnings.push(Warning {
                        file: file.rel.clone(),
                        reason: note.clone(),
                    });
                }
                parsed.push(f)
            }
            Err(reason) => warnings.push(Warning {
                file: file.rel.clone(),
                reason: reason.to_string(),
            }),
        }
    }
    Library {
        files: parsed,
        warnings,
    }
}

/// Files bigger than this are parsed one at a time (see [`read_all_with`]).
const HUGE_FILE: usize = 16 << 20;

/// Read and parse files on every core (files are independent), results in file order.
pub(crate) fn read_all(
    source: &LibrarySource,
    files: &[SourceFile],
) -> Vec<Result<ParsedFile, ReadError>> {
    read_all_with(source, files, |_, _, file| file)
}

/// Like [`read_all`], but each parsed file goes through `keep` on its worker thread (with
/// its bytes), so a caller that needs only part of a file never holds whole ones.
pub(crate) fn read_all_with<T: Send>(
    source: &LibrarySource,
    files: &[SourceFile],
    keep: impl Fn(&SourceFile, &[u8], ParsedFile) -> T + Sync,
) -> Vec<Result<T, ReadError>> {
    // Parsing takes several times a file's size in memory: huge files (a whole year in
    // one file) take turns, so that memory is that of one of them, not of one per core.
    let huge_turn = std::sync::Mutex::new(());
    let one = |f: &SourceFile| -> Result<T, ReadError> {
        let bytes = source::read(source, f)?;
        let _turn = (bytes.len() > HUGE_FILE).then(|| huge_turn.lock());
        let parsed = parse_file(&f.rel, &bytes)?;
        Ok(keep(f, &bytes, parsed))
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || files.len() < 8 {
        return files.iter().map(one).collect();
    }
    // Small chunks handed out in turn keep every core busy when file sizes differ.
    let chunk = files.len().div_ceil(threads * 8).max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut parts: Vec<(usize, Vec<Result<T, ReadError>>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(part) = files.chunks(chunk).nth(k) else {
                            break;
                        };
                        let out = part
                            .iter()
                            .map(|f| {
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| one(f)))
                                    .unwrap_or(Err(ReadError::ParserFailed))
                            })
                            .collect();
                        done.push((k, out));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    parts.sort_by_key(|(k, _)| *k);
    parts.into_iter().flat_map(|(_, out)| out).collect()
}

/// Read and parse one file of a library.
pub(crate) fn read_file(
    source: &LibrarySource,
    file: &SourceFile,
) -> Result<ParsedFile, ReadError> {
    let bytes = source::read(source, file)?;
    parse_file(&file.rel, &bytes)
}
