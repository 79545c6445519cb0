//! The full-text index (tantivy): schema, analyzers, build and update with a manifest,
//! query building, snippets. Knows nothing of the terminal.
//!
//! (Placeholder: the API the UI codes against, answered by a linear scan.)

pub mod cli;

use crate::archive::{Date, Library, source::LibrarySource};
use std::ops::Range;
use std::path::Path;

/// One search result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub issue: String,
    pub date: Option<Date>,
    pub score: f32,
    /// One line of text around the best match (no newlines).
    pub snippet: String,
    /// Byte ranges of `snippet` to highlight.
    pub highlights: Vec<Range<usize>>,
}

/// How far a build or update has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    pub articles: usize,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

/// An open index of one library.
pub struct SearchIndex {
    library: Library,
}

impl SearchIndex {
    /// Open the library's index in `data_dir`, building or updating it first so that it
    /// answers exactly as a fresh build would. Calls `progress` as it goes.
    pub fn open(
        source: &LibrarySource,
        _data_dir: &Path,
        progress: &mut dyn FnMut(Progress),
    ) -> anyhow::Result<SearchIndex> {
        let library = crate::archive::load(source);
        progress(Progress::default());
        Ok(SearchIndex { library })
    }

    /// Ranked results for a query as typed in the search box. Never fails on half-typed
    /// input.
    pub fn search(&self, query: &str, limit: usize) -> anyhow::Result<Vec<Hit>> {
        let q = query.trim();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .library
            .articles()
            .filter(|a| a.title.contains(q) || a.paragraphs.iter().any(|p| p.contains(q)))
            .take(limit)
            .map(|a| {
                let para = a
                    .paragraphs
                    .iter()
                    .find(|p| p.contains(q))
                    .cloned()
                    .unwrap_or_default();
                Hit {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    issue: a.issue.clone(),
                    date: a.date,
                    score: 1.0,
                    highlights: match_ranges(query, &para),
                    snippet: para,
                }
            })
            .collect())
    }
}

/// Byte ranges of `text` that match the query's terms (for highlights in the reader).
pub fn match_ranges(query: &str, text: &str) -> Vec<Range<usize>> {
    let q = query.trim();
    if q.is_empty() {
        return Vec::new();
    }
    text.match_indices(q).map(|(i, m)| i..i + m.len()).collect()
}
