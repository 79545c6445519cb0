//! The search box as the reader uses it: what is typed goes to the search worker as a
//! numbered query, its answer (results, then how many match in all) is kept only if it
//! answers the latest one, and on a wide screen the chosen result is previewed in the
//! reader without being read.

use super::input::InputLine;
use super::{App, Effect, Focus, Shown};
use crate::index::{Hit, Order, Progress, SearchError};

/// The search index as the UI sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum IndexStatus {
    Building(Progress),
    Ready,
    Failed(String),
}

#[derive(Clone, Debug)]
pub struct SearchState {
    pub input: InputLine,
    /// Generation of the latest query sent to the worker.
    pub(crate) generation: u64,
    /// Generation the shown results answer (stale answers are dropped).
    pub(crate) answered: u64,
    pub results: Vec<Hit>,
    /// The query the shown results answer.
    pub(crate) results_query: String,
    pub selected: usize,
    pub(crate) index: IndexStatus,
    pub(crate) error: Option<String>,
    /// The order results are asked in.
    pub order: Order,
    /// How many articles match the shown results' query in all, once counted.
    pub count: Option<usize>,
}

impl SearchState {
    /// True while the shown results do not answer what is typed.
    pub fn pending(&self) -> bool {
        self.answered < self.generation
    }
}

impl App {
    /// The text (or the order) changed: a new query generation for the worker.
    pub(super) fn query_changed(&mut self) -> Effect {
        self.search.generation += 1;
        let width = self.input_width();
        self.search.input.scroll_to_caret(width);
        Effect::Query {
            generation: self.search.generation,
            text: self.search.input.text().to_string(),
            order: self.search.order,
        }
    }

    /// Results newest first, or best first again: the same words asked again.
    pub(crate) fn flip_result_order(&mut self) -> Option<Effect> {
        self.search.order = self.search.order.flipped();
        self.message = Some(format!("results {}", self.search.order.label()));
        (!self.search.input.text().trim().is_empty()).then(|| self.query_changed())
    }

    /// Results from the worker; dropped unless they answer the latest query.
    pub fn search_results(&mut self, generation: u64, result: Result<Vec<Hit>, SearchError>) {
        if generation != self.search.generation {
            return;
        }
        self.search.answered = generation;
        match result {
            Ok(hits) => {
                self.search.results = hits;
                self.search.error = None;
            }
            Err(e) => {
                self.search.results.clear();
                self.search.error = Some(e.to_string());
            }
        }
        self.search.results_query = self.search.input.text().to_string();
        self.search.selected = 0;
        self.search.count = None;
        self.preview_result();
    }

    /// How many articles the latest query matches in all (counted after its results).
    pub fn search_count(&mut self, generation: u64, count: usize) {
        if generation == self.search.generation && self.search.answered == generation {
            self.search.count = Some(count);
        }
    }

    /// Search results shown at once: two rows each, under the box and a header row.
    pub(crate) fn results_per_screen(&self) -> usize {
        let h = self.panes().list.map_or(0, |r| r.height as usize);
        (h.saturating_sub(4) / 2).max(1)
    }

    /// Choose the search result `k` (clamped), shown in the reader when there is room.
    pub(crate) fn select_result(&mut self, k: usize) {
        self.search.selected = k.min(self.search.results.len().saturating_sub(1));
        self.preview_result();
    }

    /// On a wide screen the reader shows the chosen result at its first match while
    /// the search box is open; with no result chosen, the list's article again.
    fn preview_result(&mut self) {
        if self.focus != Focus::Search || !self.wide() {
            return;
        }
        let chosen = self
            .search
            .results
            .get(self.search.selected)
            .and_then(|hit| self.catalog.position(&hit.id));
        match chosen {
            Some(n) => {
                let query = self.search.results_query.clone();
                if self.reader.preview
                    && self.reader.article == Some(n)
                    && self.reader.query.as_deref() == Some(query.as_str())
                {
                    return;
                }
                // What is on screen now stays there until the new page is read.
                let shown = if self.reader.rows.is_empty() {
                    self.reader.placeholder.take()
                } else {
                    Some(Box::new(Shown {
                        rows: self.reader.rows.clone(),
                        scroll: self.reader.scroll,
                        column: self.reader.column,
                    }))
                };
                self.show_article(n, Some(query));
                self.reader.preview = true;
                if self.reader.rows.is_empty() {
                    self.reader.placeholder = shown;
                }
            }
            None => self.end_preview(),
        }
    }

    /// The reader back on the list's article, where it was left.
    pub(crate) fn end_preview(&mut self) {
        if self.reader.preview {
            self.show_article(self.selected, None);
        }
    }

    pub fn index_progress(&mut self, status: IndexStatus) {
        self.search.index = status;
    }

    /// Open the selected search result in the reader with its matches highlighted.
    pub(super) fn open_result(&mut self) {
        let Some(hit) = self.search.results.get(self.search.selected) else {
            return;
        };
        let id = hit.id.clone();
        let Some(n) = self.catalog.position(&id) else {
            self.message = Some(format!("article {id} is no longer in the library"));
            return;
        };
        let query = self.search.results_query.clone();
        self.selected = n;
        self.ensure_list_visible();
        self.show_article(n, Some(query));
        self.focus_reader();
    }
}

/// Where a search result was printed: `2019-11-22 02版` (the date marked `~` when it
/// was inferred).
pub(crate) fn result_place(hit: &Hit) -> String {
    let mut place = hit.date.map(|d| d.to_string()).unwrap_or_default();
    if hit.date.is_some() && hit.date_inferred {
        place.push('~');
    }
    if let Some(page) = &hit.page {
        if !place.is_empty() {
            place.push(' ');
        }
        place.push_str(page);
        place.push('版');
    }
    place
}
