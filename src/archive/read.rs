//! Reading files into articles: one file (decode, then the reader of its form), or a
//! whole library on every core.

use super::article::{FileFacts, FullParts};
use super::model::{Library, PageNo, ParsedFile, Place, ReadError, Warning};
use super::settings::{self, Settings, Unit};
use super::source::{self, LibrarySource, SourceFile};
use super::{article, article_file, decode, jsonl, markdown, page_head, pages, pdf};

/// Decode and read one file, with no folder settings. `Err` is the reason it can't be
/// read.
pub fn parse_file(rel: &str, bytes: &[u8]) -> Result<ParsedFile, ReadError> {
    parse_with(rel, bytes, &Settings::default())
}

/// Decode and read one file of a library, with the settings of its folder.
pub fn parse_in(source: &LibrarySource, rel: &str, bytes: &[u8]) -> Result<ParsedFile, ReadError> {
    parse_with(rel, bytes, &settings::for_file(source, rel))
}

/// Decode and read one file with the `settings` of its folder (see [`settings::Digests`]).
pub(crate) fn parse_with(
    rel: &str,
    bytes: &[u8],
    settings: &Settings,
) -> Result<ParsedFile, ReadError> {
    if pdf::is_pdf(rel, bytes) {
        return parse_pdf(rel, bytes, settings);
    }
    let (text, debris) = decode::decode_counted(bytes)?;
    let mut file = parse_text(rel, &text, settings);
    // Extractor debris removed from the text: said once, as one of the file's problems.
    file.problems.extend(debris.note());
    Ok(file)
}

/// Read what was appended to a dump (`whole` from byte `from`, line `first_line`, on)
/// whose start was read before, its articles having the ids `taken`: as the whole
/// file's reading would have them. `None` when `rel` is not a dump (only dumps are read
/// in parts).
pub(crate) fn parse_appended(
    rel: &str,
    whole: &[u8],
    from: usize,
    settings: &Settings,
    first_line: usize,
    taken: std::collections::HashSet<String>,
) -> Option<Result<ParsedFile, ReadError>> {
    if !jsonl::is_jsonl(rel) {
        return None;
    }
    let (text, debris) = match decode::decode_appended(whole, from) {
        Ok(t) => t,
        Err(e) => return Some(Err(e)),
    };
    let mut file = read_dump(rel, &text, settings, first_line, taken);
    file.problems.extend(debris.note());
    Some(Ok(file))
}

/// A dump's decoded text (from line `first_line` on, its articles' ids not among
/// `taken`) as a file. A dump's date is each record's, never one guessed from all of its
/// text.
fn read_dump(
    rel: &str,
    text: &str,
    settings: &Settings,
    first_line: usize,
    taken: std::collections::HashSet<String>,
) -> ParsedFile {
    let dump = jsonl::parse(text, settings, first_line);
    let facts = FileFacts {
        named_paper: settings.paper.clone(),
        ..FileFacts::default()
    };
    let mut file = article::build_file_after(rel, facts, dump.articles, "", taken);
    file.problems = dump.problems;
    file
}

/// What stands in the list for a scanned page (a PDF with pictures and no text).
const SCANNED_TITLE: &str = "〔扫描页，无文字层〕";
const SCANNED_NOTE: &str = "这一版是扫描的图片，没有文字层，读不出文字（dubao 不做 OCR）。";

/// Read a page's PDF: paragraphs by position and type size, then the page segmenter.
fn parse_pdf(rel: &str, bytes: &[u8], settings: &Settings) -> Result<ParsedFile, ReadError> {
    let read = match pdf::read(bytes) {
        Ok(read) => read,
        // A scanned page is still a page of the issue: listed, with why it has no text.
        Err(e @ pdf::PdfError::Scanned) => {
            let facts = FileFacts {
                named_paper: settings.paper.clone(),
                ..FileFacts::default()
            };
            let parts = article::ArticleParts {
                title: Some(SCANNED_TITLE.to_string()),
                paragraphs: vec![SCANNED_NOTE.to_string()],
                ..Default::default()
            };
            let mut file = article::build_file(rel, facts, vec![FullParts::from(parts)], "");
            file.problems.push(e.to_string());
            return Ok(file);
        }
        Err(e) => return Err(ReadError::Pdf(e.to_string())),
    };
    let first = read
        .pages
        .first()
        .map(|p| p.facts.clone())
        .unwrap_or_default();
    let facts = FileFacts {
        named_paper: settings.paper.clone(),
        ..first
    };
    // A whole issue in one file: each page is segmented on its own, and its articles
    // stand on the page its furniture names (else the page's place in the file); the
    // first page's 版次 and 版名 are not the file's.
    let several = read.pages.len() > 1;
    let facts = if several {
        FileFacts {
            page: None,
            page_name: None,
            ..facts
        }
    } else {
        facts
    };
    let mut parts = Vec::new();
    for (n, page) in read.pages.into_iter().enumerate() {
        let at = if several {
            Place {
                page: page
                    .facts
                    .page
                    .or_else(|| u16::try_from(n + 1).ok().map(PageNo::plain)),
                page_name: page.facts.page_name,
                ..Place::default()
            }
        } else {
            Place::default()
        };
        parts.extend(
            pages::split_sized(page.paras)
                .into_iter()
                .map(|p| FullParts {
                    at: at.clone(),
                    ..FullParts::from(p)
                }),
        );
    }
    let mut file = article::build_file(rel, facts, parts, &read.text);
    if read.failed_pages > 0 {
        file.problems.push(format!(
            "the PDF parser failed on {} of its pages (the others are read)",
            read.failed_pages
        ));
    }
    if read.unread_pages > 0 {
        file.problems.push(format!(
            "read its first {} pages: {} more are not read",
            pdf::MAX_PAGES,
            read.unread_pages
        ));
    }
    if read.unmapped > 0 {
        file.problems.push(format!(
            "read, with {} glyphs that have no Unicode mapping (shown as 〓)",
            read.unmapped
        ));
    }
    Ok(file)
}

/// Read one file's decoded text with the reader of its form: JSON Lines by extension;
/// Markdown (by extension, or by its `#` headings) with the Markdown reader; one
/// article per file (by the folder's setting, the name or the shape) as it is; anything
/// else as page text from a PDF extractor, to be segmented.
fn parse_text(rel: &str, text: &str, settings: &Settings) -> ParsedFile {
    let mut facts = FileFacts {
        named_paper: settings.paper.clone(),
        ..FileFacts::default()
    };
    if jsonl::is_jsonl(rel) {
        return read_dump(rel, text, settings, 1, Default::default());
    }
    let parts: Vec<FullParts> = if markdown::looks_like_markdown(rel, text) {
        let page = markdown::parse(text);
        facts = FileFacts {
            named_paper: facts.named_paper,
            ..page.facts
        };
        page.articles
    } else if unit_of(rel, text, settings) == Unit::Article {
        article_file::parse(text)
    } else {
        facts = FileFacts {
            named_paper: facts.named_paper,
            ..page_head::facts(text)
        };
        pages::split_articles(&page_head::without_furniture(text))
            .into_iter()
            .map(FullParts::from)
            .collect()
    };
    article::build_file(rel, facts, parts, text)
}

/// Whether a text file is one article or a page: the folder's setting, else its name
/// (`20191018-01-04`), else its shape.
fn unit_of(rel: &str, text: &str, settings: &Settings) -> Unit {
    settings.unit.unwrap_or_else(|| {
        if article_file::is_article_name(rel) || article_file::looks_like_article(text) {
            Unit::Article
        } else {
            Unit::Page
        }
    })
}

/// Read every file of a library. Files that can't be read become warnings; the rest
/// of the library reads on.
pub fn load(source: &LibrarySource) -> Library {
    let (files, mut warnings) = source::discover(source);
    let mut parsed = Vec::new();
    for (file, result) in files.iter().zip(read_all(source, &files)) {
        match result {
            Ok(f) => {
                warnings.extend(f.problems.iter().map(|p| Warning {
                    file: file.rel.clone(),
                    reason: p.clone(),
                }));
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
    read_all_with(source, files, |_, _, _, file| file)
}

/// Like [`read_all`], but each parsed file goes through `keep` on its worker thread (with
/// its bytes and the settings it was read with), so a caller that needs only part of a
/// file never holds whole ones.
pub(crate) fn read_all_with<T: Send>(
    source: &LibrarySource,
    files: &[SourceFile],
    keep: impl Fn(&SourceFile, &[u8], &Settings, ParsedFile) -> T + Sync,
) -> Vec<Result<T, ReadError>> {
    // Parsing takes several times a file's size in memory: huge files (a whole year in
    // one file) take turns, so that memory is that of one of them, not of one per core.
    let huge_turn = std::sync::Mutex::new(());
    // Each folder's settings looked up once, not once per file (a `stat` per folder
    // above it).
    let mut digests = settings::Digests::new(source);
    let settings: Vec<std::sync::Arc<Settings>> = files
        .iter()
        .map(|f| digests.settings(&f.rel).0.clone())
        .collect();
    let one = |i: usize| -> Result<T, ReadError> {
        let f = &files[i];
        let bytes = source::read(source, f)?;
        let _turn = (bytes.len() > HUGE_FILE).then(|| huge_turn.lock());
        let parsed = parse_with(&f.rel, &bytes, &settings[i])?;
        Ok(keep(f, &bytes, &settings[i], parsed))
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Small chunks handed out in turn keep every core busy when file sizes differ.
    let chunk = files.len().div_ceil(threads * 8).max(8);
    crate::work::map_in_order(
        (0..files.len()).collect(),
        chunk,
        8,
        || (),
        |_, i| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| one(i)))
                .unwrap_or(Err(ReadError::ParserFailed))
        },
    )
}

/// Read and parse one file of a library.
pub(crate) fn read_file(
    source: &LibrarySource,
    file: &SourceFile,
) -> Result<ParsedFile, ReadError> {
    let bytes = source::read(source, file)?;
    parse_in(source, &file.rel, &bytes)
}
