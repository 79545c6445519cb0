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
    for file in &files {
        match read_issue(source, file) {
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
