//! How the matching documents are gathered: the best by relevance or the newest, and
//! how many there are in all (a count that gives up when a newer query is waiting).

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::query::{Query, Weight};
use tantivy::{DocAddress, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED};

/// The order of results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// Best matches first (BM25 with title and byline boosts).
    #[default]
    Relevance,
    /// Newest issue first; among one day's articles, the best matches first. Undated
    /// articles come last.
    Newest,
}

impl Order {
    /// The other order (a key in the search box flips between them).
    pub fn flipped(self) -> Order {
        match self {
            Order::Relevance => Order::Newest,
            Order::Newest => Order::Relevance,
        }
    }

    /// How the search box names it.
    pub fn label(self) -> &'static str {
        match self {
            Order::Relevance => "best first",
            Order::Newest => "newest first",
        }
    }
}

/// The first `limit` documents matching `q` in `order`, with their scores.
pub(crate) fn top(
    searcher: &Searcher,
    q: &dyn Query,
    limit: usize,
    order: Order,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    match order {
        Order::Relevance => searcher.search(q, &TopDocs::with_limit(limit).order_by_score()),
        Order::Newest => {
            // (date, score): ties on a day are broken by relevance.
            let by_date = TopDocs::with_limit(limit).tweak_score(|seg: &SegmentReader| {
                let dates = seg
                    .fast_fields()
                    .i64(super::schema::DATE)
                    .ok()
                    .map(|c| c.first_or_default_col(i64::MIN));
                move |doc, score: Score| {
                    let date = dates.as_ref().map_or(i64::MIN, |d| d.get_val(doc));
                    (date, score)
                }
            });
            Ok(searcher
                .search(q, &by_date)?
                .into_iter()
                .map(|((_, score), addr)| (score, addr))
                .collect())
        }
    }
}

/// How many live documents match `q`; `None` as soon as `stop` says the answer is no
/// longer wanted (it is asked every few thousand documents).
pub(crate) fn count(
    searcher: &Searcher,
    q: &dyn Query,
    stop: &(dyn Fn() -> bool + Sync),
) -> tantivy::Result<Option<usize>> {
    searcher.search(q, &CountUnless { stop })
}

/// Documents between two looks at `stop`.
const COUNT_STRIDE: u32 = 4096;

struct CountUnless<'a> {
    stop: &'a (dyn Fn() -> bool + Sync),
}

/// Never used: [`CountUnless`] walks each segment itself.
struct NoSegmentCollector;

impl SegmentCollector for NoSegmentCollector {
    type Fruit = Option<usize>;
    fn collect(&mut self, _doc: tantivy::DocId, _score: Score) {}
    fn harvest(self) -> Option<usize> {
        None
    }
}

impl Collector for CountUnless<'_> {
    type Fruit = Option<usize>;
    type Child = NoSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<NoSegmentCollector> {
        Ok(NoSegmentCollector)
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, counts: Vec<Option<usize>>) -> tantivy::Result<Option<usize>> {
        Ok(counts.into_iter().sum())
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Option<usize>> {
        if (self.stop)() {
            return Ok(None);
        }
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let (mut n, mut since) = (0usize, 0u32);
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                n += 1;
            }
            since += 1;
            if since == COUNT_STRIDE {
                since = 0;
                if (self.stop)() {
                    return Ok(None);
                }
            }
            doc = scorer.advance();
        }
        Ok(Some(n))
    }
}
