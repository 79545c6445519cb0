//! All UI state and the changes made to it. Nothing here draws or touches the terminal:
//! keys come in through [`keys::handle_key`], and what the outside world must do
//! (quit, send a query to the search worker, copy to the clipboard) goes out as an
//! [`Effect`]. The screen is a pure function of [`App`] (see `crate::ui`).

pub mod input;
pub mod keymap;
pub mod keys;
pub mod state_file;

use crate::archive::{Article, Library};
use crate::index::{Hit, Progress, match_ranges};
use crate::layout::{Highlight, LayoutRow, RowKind, layout_article};
use input::InputLine;
use ratatui::layout::Rect;
use state_file::{Position, ReadingState};

pub use keymap::{Action, Keymap};
pub use keys::{Effect, handle_key, handle_paste, perform};

/// Below this size the screen only says it is too small.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 6;
/// From this width on, list and reader are side by side.
pub const WIDE: u16 = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
    Search,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Bookmarks { selected: usize },
}

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
    pub generation: u64,
    /// Generation the shown results answer (stale answers are dropped).
    pub answered: u64,
    pub results: Vec<Hit>,
    /// The query the shown results answer.
    pub results_query: String,
    pub selected: usize,
    pub index: IndexStatus,
    pub error: Option<String>,
}

impl SearchState {
    /// True while the shown results do not answer what is typed.
    pub fn pending(&self) -> bool {
        self.answered < self.generation
    }
}

/// The article in the reader, laid out for the current column width.
#[derive(Clone, Debug, Default)]
pub struct ReaderView {
    /// Index into [`App::order`]; `None` when the library is empty.
    pub article: Option<usize>,
    /// The search whose matches are highlighted.
    pub query: Option<String>,
    pub rows: Vec<LayoutRow>,
    /// Width the rows were laid out for.
    pub column: usize,
    /// First row shown.
    pub scroll: usize,
    /// Rows holding a highlighted match, in order.
    pub match_rows: Vec<usize>,
    pub current_match: Option<usize>,
}

/// Where each part of the screen goes. One function decides it, for drawing and for
/// the state that depends on sizes (page length, column width, list scroll).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panes {
    pub list: Option<Rect>,
    pub reader: Option<Rect>,
    /// Column between list and reader.
    pub divider: Option<Rect>,
    pub status: Rect,
}

pub struct App {
    pub library: Library,
    /// Every article, as (issue, article) indices, in list order.
    pub order: Vec<(usize, usize)>,
    /// Selected article (index into `order`).
    pub selected: usize,
    /// First list row shown (the list has a header row per issue).
    pub list_offset: usize,
    pub focus: Focus,
    /// Where focus goes back to when the search box closes.
    pub focus_before_search: Focus,
    pub overlay: Option<Overlay>,
    pub search: SearchState,
    pub reader: ReaderView,
    pub state: ReadingState,
    /// Text column width from the config.
    pub measure: usize,
    pub size: (u16, u16),
    /// A one-off note in the status line (cleared by the next key).
    pub message: Option<String>,
    pub no_color: bool,
    /// Which key runs which command (defaults, or the config file's `[keys]`).
    pub keymap: Keymap,
    /// The config file's `[colors]` (ignored under NO_COLOR).
    pub colors: crate::ui::theme::Colors,
    /// First help row shown, when the help is longer than the screen.
    pub help_scroll: usize,
}

/// One row of the article list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListRow {
    Issue(usize),
    /// Index into [`App::order`].
    Article(usize),
}

impl App {
    pub fn new(library: Library, state: ReadingState, measure: usize, no_color: bool) -> App {
        let order: Vec<(usize, usize)> = library
            .issues
            .iter()
            .enumerate()
            .flat_map(|(i, issue)| (0..issue.articles.len()).map(move |j| (i, j)))
            .collect();
        let selected = state
            .last_article
            .as_deref()
            .and_then(|id| {
                order
                    .iter()
                    .position(|&(i, j)| library.issues[i].articles[j].id == id)
            })
            .unwrap_or(0);
        let mut app = App {
            library,
            order,
            selected,
            list_offset: 0,
            focus: Focus::List,
            focus_before_search: Focus::List,
            overlay: None,
            search: SearchState {
                input: InputLine::default(),
                generation: 0,
                answered: 0,
                results: Vec::new(),
                results_query: String::new(),
                selected: 0,
                index: IndexStatus::Building(Progress::default()),
                error: None,
            },
            reader: ReaderView::default(),
            state,
            measure: measure.max(2),
            size: (80, 24),
            message: None,
            no_color,
            keymap: Keymap::default(),
            colors: Default::default(),
            help_scroll: 0,
        };
        app.show_article(selected, None);
        app
    }

    pub fn article(&self, n: usize) -> Option<&Article> {
        let &(i, j) = self.order.get(n)?;
        self.library.issues.get(i)?.articles.get(j)
    }

    pub fn current_article(&self) -> Option<&Article> {
        self.reader.article.and_then(|n| self.article(n))
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    pub fn wide(&self) -> bool {
        self.size.0 >= WIDE
    }

    /// The screen's parts for the current size and focus.
    pub fn panes(&self) -> Panes {
        let (w, h) = self.size;
        let status = Rect::new(0, h.saturating_sub(1), w, 1.min(h));
        let main = Rect::new(0, 0, w, h.saturating_sub(1));
        if self.wide() {
            let list_w = (w * 2 / 5).clamp(36, 56);
            Panes {
                list: Some(Rect::new(0, 0, list_w, main.height)),
                divider: Some(Rect::new(list_w, 0, 1, main.height)),
                reader: Some(Rect::new(list_w + 1, 0, w - list_w - 1, main.height)),
                status,
            }
        } else if self.focus == Focus::Reader {
            Panes {
                list: None,
                divider: None,
                reader: Some(main),
                status,
            }
        } else {
            Panes {
                list: Some(main),
                divider: None,
                reader: None,
                status,
            }
        }
    }

    /// Width of the reader's text column for a pane `pane_width` wide.
    pub fn column_width(&self, pane_width: u16) -> usize {
        (pane_width as usize)
            .saturating_sub(2)
            .min(self.measure)
            .max(1)
    }

    /// Rows of text the reader shows at once.
    pub fn reader_height(&self) -> usize {
        let p = self.panes_for_reader();
        p.map_or(1, |r| r.height as usize).max(1)
    }

    /// The reader pane as it is (or would be, once focused in a narrow screen).
    fn panes_for_reader(&self) -> Option<Rect> {
        let (w, h) = self.size;
        if self.wide() {
            self.panes().reader
        } else {
            Some(Rect::new(0, 0, w, h.saturating_sub(1)))
        }
    }

    /// Rows the list shows at once.
    pub fn list_height(&self) -> usize {
        self.panes().list.map_or(1, |r| r.height as usize).max(1)
    }

    /// Rows the search results area shows (below a 3-row input box).
    pub fn results_height(&self) -> usize {
        self.list_height().saturating_sub(3).max(1)
    }

    /// Width of the text inside the search box.
    pub fn input_width(&self) -> usize {
        self.panes()
            .list
            .map_or(1, |r| r.width.saturating_sub(2) as usize)
            .max(1)
    }

    /// The terminal is now `w` x `h`: lay out again, keep the reading position.
    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.relayout();
        self.ensure_list_visible();
        let width = self.input_width();
        self.search.input.scroll_to_caret(width);
    }

    // ---- the list ----

    /// The list's rows: a header per issue, then its articles.
    pub fn list_rows(&self) -> Vec<ListRow> {
        let mut rows = Vec::with_capacity(self.order.len() + self.library.issues.len());
        let mut last_issue = None;
        for (n, &(i, _)) in self.order.iter().enumerate() {
            if last_issue != Some(i) {
                rows.push(ListRow::Issue(i));
                last_issue = Some(i);
            }
            rows.push(ListRow::Article(n));
        }
        rows
    }

    /// Scroll the list so the selected article (and its issue header when it is the
    /// issue's first article) is on screen.
    pub fn ensure_list_visible(&mut self) {
        let rows = self.list_rows();
        let Some(pos) = rows
            .iter()
            .position(|r| *r == ListRow::Article(self.selected))
        else {
            self.list_offset = 0;
            return;
        };
        let top = if pos > 0 && matches!(rows[pos - 1], ListRow::Issue(_)) {
            pos - 1
        } else {
            pos
        };
        let height = self.list_height();
        if top < self.list_offset {
            self.list_offset = top;
        } else if pos >= self.list_offset + height {
            self.list_offset = pos + 1 - height;
        }
        let max = rows.len().saturating_sub(height);
        self.list_offset = self.list_offset.min(max);
    }

    /// Select article `n` (clamped) and show it in the reader.
    pub fn select(&mut self, n: usize) {
        if self.order.is_empty() {
            return;
        }
        let n = n.min(self.order.len() - 1);
        self.selected = n;
        self.ensure_list_visible();
        if self.reader.article != Some(n) {
            self.show_article(n, None);
        }
    }

    /// Index of the first article of the issue before/after the selected one's.
    pub fn issue_start(&self, forward: bool) -> Option<usize> {
        let &(cur, _) = self.order.get(self.selected)?;
        if forward {
            self.order.iter().position(|&(i, _)| i > cur)
        } else {
            let this_start = self.order.iter().position(|&(i, _)| i == cur)?;
            let prev_issue = self.order[..this_start].last()?.0;
            self.order.iter().position(|&(i, _)| i == prev_issue)
        }
    }

    // ---- the reader ----

    /// Put article `n` in the reader: with `query`, its matches highlighted and the
    /// first one on screen; without, at the position it was left at.
    pub fn show_article(&mut self, n: usize, query: Option<String>) {
        self.remember_position();
        if self.article(n).is_none() {
            self.reader = ReaderView::default();
            return;
        }
        self.reader = ReaderView {
            article: Some(n),
            query: query.filter(|q| !q.trim().is_empty()),
            ..ReaderView::default()
        };
        self.relayout();
        if self.reader.query.is_some() && !self.reader.match_rows.is_empty() {
            self.jump_to_match(0);
        } else {
            let id = self.article(n).map(|a| a.id.clone()).unwrap_or_default();
            if let Some(p) = self.state.positions.get(&id).copied() {
                self.reader.scroll = self.row_of(p);
                self.clamp_scroll();
            }
        }
    }

    /// Lay the current article out again if the column width changed, keeping the
    /// paragraph at the top of the screen.
    pub fn relayout(&mut self) {
        let Some(pane) = self.panes_for_reader() else {
            return;
        };
        let column = self.column_width(pane.width);
        let Some(n) = self.reader.article else {
            return;
        };
        if column == self.reader.column && !self.reader.rows.is_empty() {
            self.clamp_scroll();
            return;
        }
        let keep = (!self.reader.rows.is_empty()).then(|| self.position_to_keep());
        let Some(article) = self.article(n) else {
            return;
        };
        let highlights = match &self.reader.query {
            Some(q) => article
                .paragraphs
                .iter()
                .enumerate()
                .flat_map(|(p, text)| {
                    match_ranges(q, text)
                        .into_iter()
                        .map(move |range| Highlight {
                            paragraph: p,
                            range,
                        })
                })
                .collect(),
            None => Vec::new(),
        };
        let rows = layout_article(article, column, &highlights);
        self.reader.match_rows = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.spans.iter().any(|s| s.highlight))
            .map(|(i, _)| i)
            .collect();
        self.reader.rows = rows;
        self.reader.column = column;
        if let Some(p) = keep {
            self.reader.scroll = self.row_of(p);
        }
        self.clamp_scroll();
    }

    fn max_scroll(&self) -> usize {
        self.reader.rows.len().saturating_sub(self.reader_height())
    }

    fn clamp_scroll(&mut self) {
        self.reader.scroll = self.reader.scroll.min(self.max_scroll());
    }

    pub fn scroll_by(&mut self, delta: isize) {
        self.reader.scroll = self.reader.scroll.saturating_add_signed(delta);
        self.clamp_scroll();
    }

    pub fn scroll_to(&mut self, row: usize) {
        self.reader.scroll = row;
        self.clamp_scroll();
    }

    pub fn page(&self) -> isize {
        (self.reader_height().saturating_sub(2)).max(1) as isize
    }

    /// How far through the article the bottom of the screen is, in percent.
    pub fn percent(&self) -> usize {
        let total = self.reader.rows.len();
        if total == 0 {
            return 100;
        }
        ((self.reader.scroll + self.reader_height()).min(total) * 100) / total
    }

    /// The reading position in width-independent terms.
    pub fn position(&self) -> Position {
        let rows = &self.reader.rows;
        let top = self.reader.scroll.min(rows.len().saturating_sub(1));
        match rows.get(top).map(|r| r.kind) {
            Some(RowKind::Body(p)) => {
                let first = rows
                    .iter()
                    .position(|r| r.kind == RowKind::Body(p))
                    .unwrap_or(top);
                Position {
                    paragraph: Some(p),
                    row: top - first,
                }
            }
            _ => Position {
                paragraph: None,
                row: top,
            },
        }
    }

    /// Where the reader is, for a new layout. While the view still sits at the position
    /// saved for this article, that one: [`App::position`] counts rows at the old width,
    /// and the first layout is at a default size, where the saved row may fall past its
    /// paragraph's end and be cut (a restart at the same size moved a row up).
    fn position_to_keep(&self) -> Position {
        let saved = self
            .current_article()
            .and_then(|a| self.state.positions.get(&a.id).copied());
        match saved {
            Some(p) if self.row_of(p).min(self.max_scroll()) == self.reader.scroll => p,
            _ => self.position(),
        }
    }

    fn row_of(&self, p: Position) -> usize {
        match p.paragraph {
            Some(n) => {
                let first = self
                    .reader
                    .rows
                    .iter()
                    .position(|r| r.kind == RowKind::Body(n));
                match first {
                    Some(f) => {
                        let len = self.reader.rows[f..]
                            .iter()
                            .take_while(|r| r.kind == RowKind::Body(n))
                            .count();
                        f + p.row.min(len.saturating_sub(1))
                    }
                    None => 0,
                }
            }
            None => p.row,
        }
    }

    /// Store where the reader is, so the article reopens there.
    pub fn remember_position(&mut self) {
        if self.reader.rows.is_empty() {
            return;
        }
        let Some(id) = self.current_article().map(|a| a.id.clone()) else {
            return;
        };
        let p = self.position();
        if p == Position::default() {
            self.state.positions.remove(&id);
        } else {
            self.state.positions.insert(id, p);
        }
    }

    /// Scroll so match `k` sits a third of the way down the screen.
    pub fn jump_to_match(&mut self, k: usize) {
        let Some(&row) = self.reader.match_rows.get(k) else {
            return;
        };
        self.reader.current_match = Some(k);
        self.scroll_to(row.saturating_sub(self.reader_height() / 3));
    }

    /// `n` / `N`: the next or previous match, wrapping around.
    pub fn next_match(&mut self, forward: bool) {
        let count = self.reader.match_rows.len();
        if count == 0 {
            self.message = Some(match self.reader.query {
                Some(_) => "no matches in this article".into(),
                None => "no search: press / to search".into(),
            });
            return;
        }
        let k = match (self.reader.current_match, forward) {
            (None, true) => 0,
            (None, false) => count - 1,
            (Some(k), true) => (k + 1) % count,
            (Some(k), false) => (k + count - 1) % count,
        };
        self.jump_to_match(k);
        self.message = Some(format!("match {}/{}", k + 1, count));
    }

    /// Move the focus to the reader and count the article as read.
    pub fn focus_reader(&mut self) {
        if self.reader.article.is_none() {
            return;
        }
        self.focus = Focus::Reader;
        if let Some(id) = self.current_article().map(|a| a.id.clone()) {
            self.state.read.insert(id.clone());
            self.state.last_article = Some(id);
        }
        self.relayout();
    }

    // ---- search ----

    /// The text changed: a new query generation for the worker.
    fn query_changed(&mut self) -> Effect {
        self.search.generation += 1;
        let width = self.input_width();
        self.search.input.scroll_to_caret(width);
        Effect::Query {
            generation: self.search.generation,
            text: self.search.input.text().to_string(),
        }
    }

    /// Results from the worker; dropped unless they answer the latest query.
    pub fn search_results(&mut self, generation: u64, result: Result<Vec<Hit>, String>) {
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
                self.search.error = Some(e);
            }
        }
        self.search.results_query = self.search.input.text().to_string();
        self.search.selected = 0;
    }

    pub fn index_progress(&mut self, status: IndexStatus) {
        self.search.index = status;
    }

    /// Open the selected search result in the reader with its matches highlighted.
    fn open_result(&mut self) {
        let Some(hit) = self.search.results.get(self.search.selected) else {
            return;
        };
        let id = hit.id.clone();
        let Some(n) = self
            .order
            .iter()
            .position(|&(i, j)| self.library.issues[i].articles[j].id == id)
        else {
            self.message = Some(format!("article {id} is no longer in the library"));
            return;
        };
        let query = self.search.results_query.clone();
        self.selected = n;
        self.ensure_list_visible();
        self.show_article(n, Some(query));
        self.focus_reader();
    }

    /// Open article `n` from a bookmark or a jump, at its remembered position.
    fn open_article(&mut self, n: usize) {
        self.select(n);
        self.focus_reader();
    }

    /// Title, issue, date and id: what `y` copies.
    pub fn citation(&self) -> Option<String> {
        let a = self
            .current_article()
            .or_else(|| self.article(self.selected))?;
        let date = a
            .date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "undated".into());
        Some(format!("{} — {} {} [{}]", a.title, a.issue, date, a.id))
    }

    /// The article whose bookmark `m` toggles: the one being read or selected.
    fn target_article_id(&self) -> Option<String> {
        match self.focus {
            Focus::Reader => self.current_article(),
            _ => self.article(self.selected),
        }
        .map(|a| a.id.clone())
    }

    /// Bookmarked articles still in the library, as indices into `order`.
    pub fn bookmarks(&self) -> Vec<usize> {
        self.state
            .bookmarks
            .iter()
            .filter_map(|id| {
                self.order
                    .iter()
                    .position(|&(i, j)| self.library.issues[i].articles[j].id == *id)
            })
            .collect()
    }

    /// Before quitting: the position and last article go into the state.
    pub fn finish(&mut self) {
        self.remember_position();
        if let Some(id) = self.article(self.selected).map(|a| a.id.clone()) {
            self.state.last_article = Some(id);
        }
    }
}
