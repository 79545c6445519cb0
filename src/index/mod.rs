//! The full-text index (tantivy): schema, analyzers, build and update with a manifest,
//! query building, snippets. Knows nothing of the terminal.
//!
//! Recall comes from a CJK bigram field (any substring of two or more characters is
//! found, a single character by prefix); ranking from BM25 with title and byline boosts
//! and jieba words as optional clauses. See `build` for how an index on disk is kept
//! equal to the library whatever happened before.

pub(crate) mod analyzer;
pub mod build;
pub(crate) mod highlight;
pub mod manifest;
pub(crate) mod normalize;
pub(crate) mod normalize_table;
pub mod order;
pub mod pinyin;
pub mod query;
pub(crate) mod read_only_dir;
pub mod schema;
pub(crate) mod snippet;
pub(crate) mod stamps;
pub(crate) mod words;

use crate::archive::{Date, source::LibrarySource};
use anyhow::Context as _;
pub use order::Order;
use schema::Fields;
use std::ops::Range;
use std::path::Path;
use tantivy::query::{EnableScoring, PhraseQuery, Query, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::schema::Value;
use tantivy::{
    DocAddress, DocId, DocSet, Index, IndexReader, Searcher, SeekDangerResult, TantivyDocument,
};

/// From this many articles on, a one-character query looks in titles first.
pub(crate) const TITLES_FIRST_FROM: u64 = 200_000;

/// Display width of a hit's snippet, in columns.
pub(crate) const SNIPPET_WIDTH: usize = 80;

/// One search result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub issue: String,
    pub date: Option<Date>,
    /// The date was worked out from the text, not read from the path or metadata.
    pub date_inferred: bool,
    /// The file's path in the library.
    pub file: String,
    pub paper: Option<String>,
    /// The page as printed (`02`, `A05`).
    pub page: Option<String>,
    pub score: f32,
    /// One line of text around the best match (no newlines).
    pub snippet: String,
    /// Byte ranges of `snippet` to highlight.
    pub highlights: Vec<Range<usize>>,
}

/// Why a search failed. A query never fails on its own (any text is a query): a failing
/// search is an index whose files were damaged after their checksums were last
/// verified, or no index at all.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the search index is damaged; `dubao index --rebuild` builds it again")]
    Damaged(#[source] Option<tantivy::TantivyError>),
    #[error("no search index")]
    NoIndex,
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> SearchError {
        SearchError::Damaged(Some(e))
    }
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

/// An open index of one library. Cheap to share between threads (`Send + Sync`).
pub struct SearchIndex {
    #[allow(dead_code)]
    index: Index,
    reader: IndexReader,
    fields: Fields,
    notices: Vec<String>,
    catalog: Option<crate::archive::catalog::Stored>,
    /// See [`TITLES_FIRST_FROM`].
    titles_first_from: u64,
    /// What a running reader watches to know when to open the index again.
    watch: Watch,
}

/// What tells a running reader to open its index again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Watch {
    /// The library (a `stat` per folder and per dump; see [`library_changed`]): the
    /// index is its own to update.
    Library,
    /// The index's own stamps, which its next update rewrites: someone else's index,
    /// read as it was (a read-only data folder, another dubao updating it).
    Index,
    /// Nothing: an index kept in memory would be built again whole.
    Nothing,
}

/// The catalog saved with the library's index, if there is a sound one: what the reader
/// lists at once on start, before the index is checked against the files.
pub fn saved_catalog(source: &LibrarySource, data_dir: &Path) -> Option<crate::archive::Catalog> {
    let (key, _) = build::library_key(source).ok()?;
    crate::archive::Catalog::load(&build::index_dir(data_dir, &key))
}

/// Like [`saved_catalog`], handing `partial` what is read so far of a big one (see
/// [`crate::archive::Catalog::load_in_steps`]).
pub fn saved_catalog_in_steps(
    source: &LibrarySource,
    data_dir: &Path,
    partial: impl FnMut(crate::archive::Catalog),
) -> Option<crate::archive::Catalog> {
    let (key, _) = build::library_key(source).ok()?;
    crate::archive::Catalog::load_in_steps(&build::index_dir(data_dir, &key), partial)
}

/// Read the library's index files once, on a thread of their own, so that they are in
/// the page cache when the first keystrokes come: otherwise the first searches after a
/// rebuild (or on a machine that evicted them) wait for the disk — at a million articles,
/// first-pass keystrokes took p99 ~70 ms cold against ~18 ms warm. Reads through a small
/// buffer: no memory is kept. The handle ends when all is read.
pub fn prefetch(source: &LibrarySource, data_dir: &Path) -> std::thread::JoinHandle<u64> {
    let dir = build::library_key(source)
        .ok()
        .map(|(key, _)| build::index_dir(data_dir, &key));
    std::thread::spawn(move || {
        use std::io::Read;
        let mut read = 0u64;
        let Some(entries) = dir.and_then(|d| std::fs::read_dir(d).ok()) else {
            return read;
        };
        let mut buf = vec![0u8; 1 << 20];
        for entry in entries.flatten() {
            if let Ok(mut f) = std::fs::File::open(entry.path()) {
                while let Ok(n) = f.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    read += n as u64;
                }
            }
        }
        read
    })
}

/// The catalog saved with the library's index an issue at a time in list order, without
/// walking the library (see [`stamps`]), and how many files changed since it was saved:
/// `list` and `export` print the first issue at once and never hold the whole catalog.
pub fn trusted_issues(
    source: &LibrarySource,
    data_dir: &Path,
) -> Option<(crate::archive::catalog::IssueStream, usize)> {
    build::trusted_issues(source, data_dir)
}

/// Like [`trusted_issues`], the whole catalog at once, mapped, when the index laid it
/// out (a reader's list, `list` and `export` then decode nothing); `None` otherwise.
pub fn trusted_catalog(
    source: &LibrarySource,
    data_dir: &Path,
) -> Option<(crate::archive::Catalog, usize)> {
    build::trusted_catalog(source, data_dir)
}

/// The stamp (size, time) of the stamps an index update leaves in the library's index
/// folder: it changes when the index is updated, by whoever.
pub(crate) fn index_stamp(source: &LibrarySource, data_dir: &Path) -> (u64, u128) {
    build::library_key(source).map_or((0, 0), |(key, _)| {
        stamps::file_stamp(&build::index_dir(data_dir, &key).join(stamps::FILE_NAME))
    })
}

/// Whether files were added, removed or renamed in the library, or a dump grew, since
/// its index in `data_dir` was last updated (cheap: see [`stamps`]).
pub fn library_changed(source: &LibrarySource, data_dir: &Path) -> bool {
    build::library_changed(source, data_dir)
}

/// The line a one-shot command prints when the index is older than the files.
pub fn changed_notice(changed: usize) -> Option<String> {
    match changed {
        0 => None,
        1 => Some("1 file changed since the index was built: dubao index".into()),
        n => Some(format!(
            "{n} files changed since the index was built: dubao index"
        )),
    }
}

impl SearchIndex {
    /// The index as the last build left it, without walking the library (see
    /// [`stamps`]), and how many files changed since: for one-shot commands. `None`
    /// when there is no sound index to trust (use [`open`](Self::open)).
    pub fn open_trusted(source: &LibrarySource, data_dir: &Path) -> Option<(SearchIndex, usize)> {
        build::open_trusted(source, data_dir).map(|(o, n)| (Self::from_opened(o), n))
    }

    /// Open the library's index in `data_dir`, building or updating it first so that it
    /// answers exactly as a fresh build would. Calls `progress` as it goes. Slow the first
    /// time (and loads jieba): call it off the UI thread.
    pub fn open(
        source: &LibrarySource,
        data_dir: &Path,
        progress: &mut dyn FnMut(Progress),
    ) -> anyhow::Result<SearchIndex> {
        Self::open_with(source, data_dir, false, progress)
    }

    /// Like [`open`](Self::open), for the reader: where the data folder can't be written
    /// and the library changed since its index was built, the index as it is, with a
    /// notice saying so (see `build::Mode::Browse`).
    pub fn open_for_reader(
        source: &LibrarySource,
        data_dir: &Path,
        progress: &mut dyn FnMut(Progress),
    ) -> anyhow::Result<SearchIndex> {
        let opened = build::open(source, data_dir, build::Mode::Browse, progress)?
            .context("search index could not be opened")?;
        Ok(Self::from_opened(opened))
    }

    /// Like [`open`](Self::open); `rebuild` throws the old index away first.
    pub fn open_with(
        source: &LibrarySource,
        data_dir: &Path,
        rebuild: bool,
        progress: &mut dyn FnMut(Progress),
    ) -> anyhow::Result<SearchIndex> {
        let mode = if rebuild {
            build::Mode::Rebuild
        } else {
            build::Mode::Update
        };
        let opened = build::open(source, data_dir, mode, progress)?
            .context("search index could not be opened")?;
        Ok(Self::from_opened(opened))
    }

    /// The index as it is on disk, without building or updating anything: `None` when
    /// there is no usable index yet.
    pub fn open_read_only(
        source: &LibrarySource,
        data_dir: &Path,
    ) -> anyhow::Result<Option<SearchIndex>> {
        Ok(
            build::open(source, data_dir, build::Mode::ReadOnly, &mut |_| {})?
                .map(Self::from_opened),
        )
    }

    fn from_opened(o: build::Opened) -> SearchIndex {
        SearchIndex {
            index: o.index,
            reader: o.reader,
            fields: o.fields,
            notices: o.notices,
            watch: match (&o.catalog, o.updated) {
                (Some(crate::archive::catalog::Stored::Memory { .. }), _) => Watch::Nothing,
                (_, true) => Watch::Library,
                (_, false) => Watch::Index,
            },
            catalog: o.catalog,
            titles_first_from: TITLES_FIRST_FROM,
        }
    }

    /// What tells a running reader to open this index again (see [`Watch`]).
    pub(crate) fn watch(&self) -> Watch {
        self.watch
    }

    /// One-line messages about what happened while opening (index rebuilt, opened
    /// read-only, kept in memory…), for the status line or stderr.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// The library's catalog as this index saw it (taken once: it can be large).
    pub fn take_catalog(&mut self) -> Option<crate::archive::Catalog> {
        self.catalog.take()?.load()
    }

    /// The fingerprint of the catalog [`take_catalog`](Self::take_catalog) would give,
    /// without laying it out (to compare with the one already shown).
    pub(crate) fn catalog_fingerprint(&self) -> Option<String> {
        self.catalog.as_ref().map(|c| c.fingerprint().to_string())
    }

    /// From how many articles on a one-character query looks in titles first (tests
    /// set it low to see that path on a small library).
    pub fn set_titles_first_from(&mut self, articles: u64) {
        self.titles_first_from = articles;
    }

    /// Articles in the index.
    pub fn num_articles(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Ranked results for a query as typed in the search box. Never fails on half-typed
    /// input.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        self.search_in(query, limit, Order::Relevance)
    }

    /// How many articles match `query` in all (every term of a typed prefix counted);
    /// `None` when `stop` said it is no longer wanted before the count was done.
    pub fn count(
        &self,
        query: &str,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<usize>, SearchError> {
        let parsed = query::parse(query);
        let Some(q) = query::build(&parsed, &self.fields) else {
            return Ok(Some(0));
        };
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Ok(order::count(&self.reader.searcher(), &*q, stop)?)
        }))
        .map_err(|_| SearchError::Damaged(None))?
    }

    /// [`SearchIndex::search`], the results in `order`.
    pub fn search_in(
        &self,
        query: &str,
        limit: usize,
        order: Order,
    ) -> Result<Vec<Hit>, SearchError> {
        let parsed = query::parse(query);
        if limit == 0 {
            return Ok(Vec::new());
        }
        // A damaged index must not take the reader down with it.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let searcher = self.reader.searcher();
            let truncated = std::cell::Cell::new(false);
            let expand = |field, prefix: &str| {
                let terms = expand_prefix(&searcher, field, prefix)?;
                truncated.set(truncated.get() || terms.len() >= query::MAX_PREFIX_TERMS);
                Some(terms)
            };
            // One character, just typed, in a big library: hundreds of thousands of
            // bodies hold it, and ranking them all is the slowest keystroke there is
            // (~50 ms at a million articles). Titles holding it rank first anyway:
            // when they are enough to fill the list, they are the answer.
            if let [word] = &parsed.words[..]
                && order == Order::Relevance
                && word.target == query::Target::Any
                && !word.negated
                && word.typing
                && word.text.chars().count() == 1
                && searcher.num_docs() >= self.titles_first_from
            {
                let mut titles = parsed.clone();
                titles.words[0].target = query::Target::Title;
                if let Some(q) = query::build_with(&titles, &self.fields, Some(&expand)) {
                    let hits = self.run(&searcher, &parsed, &*q, None, limit, order)?;
                    if hits.len() >= limit {
                        return Ok(hits);
                    }
                }
            }
            let Some(q) = query::build_with(&parsed, &self.fields, Some(&expand)) else {
                return Ok(Vec::new());
            };
            let phrases = query::phrase_checks(&parsed, &self.fields);
            let phrase = !phrases.is_empty();
            let loose = phrase
                .then(|| query::build_loose(&parsed, &self.fields, Some(&expand)))
                .flatten();
            let hits = self.run(
                &searcher,
                &parsed,
                &*q,
                loose.as_deref().map(|l| (l, &phrases[..])),
                limit,
                order,
            )?;
            if hits.len() >= limit || !truncated.get() {
                return Ok(hits);
            }
            // Too few with the common expansions only: every term of the prefix.
            let loose = phrase
                .then(|| query::build_loose(&parsed, &self.fields, None))
                .flatten();
            match query::build(&parsed, &self.fields) {
                Some(q) => self.run(
                    &searcher,
                    &parsed,
                    &*q,
                    loose.as_deref().map(|l| (l, &phrases[..])),
                    limit,
                    order,
                ),
                None => Ok(hits),
            }
        }))
        .map_err(|_| SearchError::Damaged(None))?
    }

    fn run(
        &self,
        searcher: &Searcher,
        parsed: &query::Parsed,
        q: &dyn Query,
        loose: Option<(&dyn Query, &[Vec<PhraseQuery>])>,
        limit: usize,
        order: Order,
    ) -> Result<Vec<Hit>, SearchError> {
        // A few more than asked: the copies of an article printed twice in one issue
        // are dropped below, and the list still fills.
        let top = top_docs(searcher, q, loose, limit + REPRINTS_MARGIN, order)?;
        let f = &self.fields;
        let mut hits: Vec<Hit> = Vec::with_capacity(limit.min(top.len()));
        // Each reprint key with the result standing for it.
        let mut seen: std::collections::HashMap<(String, Option<Date>, u64), usize> =
            std::collections::HashMap::new();
        // What a paragraph must hold to be looked at for the snippet: once per query.
        let firsts = highlight::first_chars(parsed);
        for (score, addr) in top {
            if hits.len() == limit {
                break;
            }
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
            let body = text(f.body);
            let title = text(f.title).to_string();
            let paper = text(f.paper_name).to_string();
            let date = doc
                .get_first(f.date)
                .and_then(|v| v.as_i64())
                .and_then(schema::date_from_key);
            // The same article printed on two pages of one dated issue is one result,
            // as it is one entry in the list (the best placed copy stays); undated
            // files are just files, and both stay.
            let reprint = date.map(|_| (paper.clone(), date, reprint_key(&title, body)));
            let mut replaces = None;
            if let Some(k) = &reprint
                && let Some(&i) = seen.get(k)
            {
                // Copies score alike: of those, the one on the first page stands (as
                // in the list), whatever order the index holds them in (an update's or
                // a fresh build's).
                let kept = &hits[i];
                let rank = |page: &str| {
                    let digits = page.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                    digits.parse::<u32>().unwrap_or(u32::MAX)
                };
                let earlier = (rank(text(f.page_name)), text(f.file), text(f.id))
                    < (
                        rank(kept.page.as_deref().unwrap_or("")),
                        kept.file.as_str(),
                        kept.id.as_str(),
                    );
                if score != kept.score || !earlier {
                    continue;
                }
                replaces = Some(i);
            }
            let (snippet, highlights) = body_snippet(parsed, firsts.as_deref(), body);
            let hit = Hit {
                id: text(f.id).to_string(),
                title,
                issue: text(f.issue).to_string(),
                date,
                date_inferred: doc
                    .get_first(f.date_inferred)
                    .and_then(|v| v.as_u64())
                    .is_some_and(|v| v == 1),
                file: text(f.file).to_string(),
                paper: Some(paper).filter(|s| !s.is_empty()),
                page: Some(text(f.page_name).to_string()).filter(|s| !s.is_empty()),
                score,
                snippet,
                highlights,
            };
            match replaces {
                Some(i) => hits[i] = hit,
                None => {
                    if let Some(k) = reprint {
                        seen.insert(k, hits.len());
                    }
                    hits.push(hit);
                }
            }
        }
        Ok(hits)
    }
}

/// Results looked at beyond those asked for, to make up for reprints dropped.
const REPRINTS_MARGIN: usize = 8;

/// What makes two results of one issue the same article: its title and text (a fast
/// hash: it runs on every hit, and only results of one issue are compared).
fn reprint_key(title: &str, body: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    title.hash(&mut h);
    body.hash(&mut h);
    h.finish()
}

/// Candidates taken from the loose query (at least; more when more hits are asked for).
const PHRASE_CANDIDATES: usize = 200;

/// The first `limit` documents in `order` matching `exact`. With `loose` (the same query without
/// phrase position checks, see [`query::build_loose`]) and its phrases: the best
/// candidates by the loose query (BM25 of the bigrams) are checked for the phrases, kept
/// in that order, instead of checking positions in every document holding all the
/// bigrams (7 ms for `示范区` at 100,000 articles). Each hit still matches `exact`; when
/// the candidates were all the loose matches the set of hits equals the exact search's;
/// when too few candidates pass, the exact query runs in full.
fn top_docs(
    searcher: &Searcher,
    exact: &dyn Query,
    loose: Option<(&dyn Query, &[Vec<PhraseQuery>])>,
    limit: usize,
    order: Order,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    let Some((loose, phrases)) = loose else {
        return order::top(searcher, exact, limit, order);
    };
    let k = limit.saturating_mul(10).max(PHRASE_CANDIDATES);
    let ranked = order::top(searcher, loose, k, order)?;
    let complete = ranked.len() < k;
    let mut cands: Vec<DocAddress> = ranked.iter().map(|(_, addr)| *addr).collect();
    cands.sort_unstable();
    let weights: Vec<Vec<Box<dyn Weight>>> = phrases
        .iter()
        .map(|fields| {
            fields
                .iter()
                .map(|q| q.weight(EnableScoring::disabled_from_searcher(searcher)))
                .collect()
        })
        .collect::<tantivy::Result<_>>()?;
    let mut matching: std::collections::HashSet<DocAddress> = std::collections::HashSet::new();
    for seg in cands.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let reader = searcher.segment_reader(seg[0].segment_ord);
        let mut checks: Vec<Vec<PhraseCheck>> = weights
            .iter()
            .map(|fields| {
                fields
                    .iter()
                    .map(|w| w.scorer(reader, 1.0).map(PhraseCheck::new))
                    .collect()
            })
            .collect::<tantivy::Result<_>>()?;
        for addr in seg {
            let doc = addr.doc_id;
            if checks
                .iter_mut()
                .all(|fields| fields.iter_mut().any(|c| c.contains(doc)))
            {
                matching.insert(*addr);
            }
        }
    }
    if matching.len() < limit && !complete {
        return order::top(searcher, exact, limit, order);
    }
    Ok(ranked
        .into_iter()
        .filter(|(_, addr)| matching.contains(addr))
        .take(limit)
        .collect())
}

/// Whether documents hold a phrase, asked in increasing document order: only the asked
/// documents' positions are read (`seek_danger`), where `seek` would check every
/// document up to the next match.
struct PhraseCheck {
    scorer: Box<dyn Scorer>,
    /// No match below this document.
    lower: DocId,
    /// The scorer stands on a match (`lower` is its document), so `doc()` can be trusted.
    valid: bool,
}

impl PhraseCheck {
    fn new(scorer: Box<dyn Scorer>) -> PhraseCheck {
        let lower = scorer.doc();
        PhraseCheck {
            scorer,
            lower,
            valid: true,
        }
    }

    /// `doc` must be greater than at the previous call.
    fn contains(&mut self, doc: DocId) -> bool {
        if doc < self.lower {
            return false;
        }
        if self.valid && doc == self.lower {
            return true;
        }
        match self.scorer.seek_danger(doc) {
            SeekDangerResult::Found => {
                self.lower = doc;
                self.valid = true;
                true
            }
            SeekDangerResult::SeekLowerBound(b) => {
                self.lower = b;
                self.valid = false;
                false
            }
        }
    }
}

/// The snippet of a hit: around the matches in the first paragraph that has any (only
/// paragraphs up to that one are analysed, and only those that may match, see
/// [`highlight::may_match`]), else the body's beginning.
fn body_snippet(
    parsed: &query::Parsed,
    firsts: Option<&[char]>,
    body: &str,
) -> (String, Vec<Range<usize>>) {
    for line in body.split('\n') {
        if !highlight::may_match(firsts, line) {
            continue;
        }
        let ranges = highlight::match_ranges_parsed(parsed, line);
        if !ranges.is_empty() {
            return snippet::snippet(line, &ranges, SNIPPET_WIDTH);
        }
    }
    snippet::snippet(body, &[], SNIPPET_WIDTH)
}

/// The [`query::MAX_PREFIX_TERMS`] terms of `field` starting with `prefix` found in the
/// most documents; `None` when the term dictionaries can't be read (the caller then
/// matches the whole range).
fn expand_prefix(searcher: &Searcher, field: Field, prefix: &str) -> Option<Vec<String>> {
    let k = query::MAX_PREFIX_TERMS;
    let end = query::prefix_end(prefix);
    // Each segment's k most common terms (kept without allocating for the others),
    // then their document counts summed over the segments.
    let mut freq: std::collections::HashMap<Vec<u8>, u64> = std::collections::HashMap::new();
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field).ok()?;
        let range = inv.terms().range().ge(prefix.as_bytes());
        let range = match &end {
            Some(e) => range.lt(e.as_bytes()),
            None => range,
        };
        let mut stream = range.into_stream().ok()?;
        let mut best: Vec<(u32, Vec<u8>)> = Vec::with_capacity(k + 1);
        while stream.advance() {
            let df = stream.value().doc_freq;
            if best.len() == k && best.last().is_some_and(|b| b.0 >= df) {
                continue;
            }
            let at = best.partition_point(|b| b.0 >= df);
            best.insert(at, (df, stream.key().to_vec()));
            best.truncate(k);
        }
        for (df, key) in best {
            *freq.entry(key).or_default() += u64::from(df);
        }
    }
    let mut terms: Vec<(Vec<u8>, u64)> = freq.into_iter().collect();
    terms.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    terms.truncate(k);
    Some(
        terms
            .into_iter()
            .filter_map(|(t, _)| String::from_utf8(t).ok())
            .collect(),
    )
}

/// Byte ranges of `text` that match the query's terms (for highlights in the reader):
/// normalised matching, the typed tail as a prefix, exclusions ignored.
pub fn match_ranges(query: &str, text: &str) -> Vec<Range<usize>> {
    highlight::match_ranges_parsed(&query::parse(query), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn search_index_is_send_and_sync() {
        assert_send_sync::<SearchIndex>();
    }

    #[test]
    fn match_ranges_normalised() {
        let t = "空气中ＰＭ２．５和PM<sub>2.5</sub>浓度";
        let r = match_ranges("pm2.5", t);
        let got: Vec<&str> = r.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(got, ["ＰＭ２．５", "PM<sub>2.5"]);
        let t = "焦作市区環境";
        let got: Vec<&str> = match_ranges("市区 环境", t)
            .iter()
            .map(|r| &t[r.clone()])
            .collect();
        assert_eq!(got, ["市区環境"]);
        let got: Vec<&str> = match_ranges("焦", t)
            .iter()
            .map(|r| &t[r.clone()])
            .collect();
        assert_eq!(got, ["焦"]);
    }
}
