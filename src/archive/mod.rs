//! The archive: finding issue files, decoding them, reflowing column text and splitting
//! pages into articles. Knows nothing of tantivy or the terminal.

pub mod date;
pub mod decode;
pub mod markdown;
pub mod model;
pub mod reflow;
pub mod samples;
pub mod segment;
pub mod source;

pub use model::{Article, Date, Issue, Library, Warning};

use source::{LibrarySource, SourceFile};

/// Decode and parse one issue file. `Err` is the one-line reason it can't be read.
pub fn parse_issue(rel: &str, bytes: &[u8]) -> Result<Issue, String> {
    let text = decode::decode(bytes)?;
    Ok(segment::parse_page(rel, &text))
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
                reason,
            }),
        }
    }
    sort_issues(&mut issues);
    Library { issues, warnings }
}

/// Read and parse files on every core (files are independent), results in file order.
pub fn read_all(source: &LibrarySource, files: &[SourceFile]) -> Vec<Result<Issue, String>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || files.len() < 8 {
        return files.iter().map(|f| read_issue(source, f)).collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|f| read_issue(source, f))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join().unwrap_or_else(|_| {
                    vec![Err("the parser failed on this file".to_string()); chunk]
                })
            })
            .collect()
    })
}

/// Read and parse one file of a library.
pub fn read_issue(source: &LibrarySource, file: &SourceFile) -> Result<Issue, String> {
    let bytes = source::read(source, file).map_err(|e| e.to_string())?;
    parse_issue(&file.rel, &bytes)
}

/// Issues by date (undated last), then by file.
pub fn sort_issues(issues: &mut [Issue]) {
    issues.sort_by(|a, b| match (a.date, b.date) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.file.cmp(&b.file)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.file.cmp(&b.file),
    });
}
