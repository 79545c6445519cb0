//! Reading files into articles: one file (decode, then the reader of its form), or a
//! whole library on every core.

use super::model::{Issue, Library, ReadError, Warning};
use super::source::{self, LibrarySource, SourceFile};
use super::{article, decode, markdown, pages};

/// Decode and parse one issue file. `Err` is the reason it can't be read.
pub fn parse_issue(rel: &str, bytes: &[u8]) -> Result<Issue, ReadError> {
    let text = decode::decode(bytes)?;
    Ok(parse_text(rel, &text))
}

/// Read one file's decoded text with the reader of its form: Markdown files (by
/// extension, or by their `#` headings) with the Markdown reader, everything else as
/// page text from a PDF extractor.
fn parse_text(rel: &str, text: &str) -> Issue {
    let stem = article::file_stem(rel);
    let (name, parts) = if markdown::looks_like_markdown(rel, text) {
        let page = markdown::parse(text);
        (page.title.unwrap_or_else(|| stem.clone()), page.articles)
    } else {
        (stem, pages::split_articles(text))
    };
    article::build_issue(rel, name, parts, text)
}

/// Read every issue of a library. Files that can't be read become warnings; the rest
/// of the library reads on.
pub fn load(source: &LibrarySource) -> Library {
    let (files, mut warnings) = source::discover(source);
    let mut issues = Vec::new();
    for (file, result) in files.iter().zip(read_all(source, &files)) {
        match result {
            Ok(issue) => issues.push(issue),
            Err(reason) => warnings.push(Warning {
                file: file.rel.clone(),
                reason: reason.to_string(),
            }),
        }
    }
    sort_issues(&mut issues);
    Library { issues, warnings }
}

/// Files bigger than this are parsed one at a time (see [`read_all_with`]).
const HUGE_FILE: usize = 16 << 20;

/// Read and parse files on every core (files are independent), results in file order.
pub(crate) fn read_all(
    source: &LibrarySource,
    files: &[SourceFile],
) -> Vec<Result<Issue, ReadError>> {
    read_all_with(source, files, |_, _, issue| issue)
}

/// Like [`read_all`], but each parsed file goes through `keep` on its worker thread (with
/// its bytes), so a caller that needs only part of an issue never holds whole ones.
pub(crate) fn read_all_with<T: Send>(
    source: &LibrarySource,
    files: &[SourceFile],
    keep: impl Fn(&SourceFile, &[u8], Issue) -> T + Sync,
) -> Vec<Result<T, ReadError>> {
    // Parsing takes several times a file's size in memory: huge files (a whole year in
    // one file) take turns, so that memory is that of one of them, not of one per core.
    let huge_turn = std::sync::Mutex::new(());
    let one = |f: &SourceFile| -> Result<T, ReadError> {
        let bytes = source::read(source, f)?;
        let _turn = (bytes.len() > HUGE_FILE).then(|| huge_turn.lock());
        let issue = parse_issue(&f.rel, &bytes)?;
        Ok(keep(f, &bytes, issue))
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
pub(crate) fn read_issue(source: &LibrarySource, file: &SourceFile) -> Result<Issue, ReadError> {
    let bytes = source::read(source, file)?;
    parse_issue(&file.rel, &bytes)
}

/// Issues by date (undated last), then by file.
pub(crate) fn sort_issues(issues: &mut [Issue]) {
    issues.sort_by(|a, b| match (a.date, b.date) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.file.cmp(&b.file)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.file.cmp(&b.file),
    });
}
