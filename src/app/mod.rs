//! All UI state and the changes made to it. Nothing here draws or touches the terminal:
//! keys come in through [`keys::handle_key`], and what the outside world must do
//! (quit, send a query to the search worker, copy to the clipboard) goes out as an
//! [`Effect`]. The screen is a pure function of [`App`] (see `crate::ui`).

pub(crate) mod input;
pub mod keymap;
pub mod keys;
mod list;
mod search;
pub mod state_file;

use crate::archive::catalog::{FileHead, IssueGroup, Joined, Listed, PageGroup};
use crate::archive::{Article, Catalog, Library, ParsedFile, ReadError};
use crate::index::{Order, Progress, match_ranges};
use crate::layout::{Highlight, LayoutRow, Part, RowKind, layout_joined, whole_article};
use input::InputLine;
use ratatui::layout::Rect;
use state_file::{Position, ReadingState};
use std::collections::VecDeque;

pub use keymap::{Action, Keymap};
pub use keys::{Effect, handle_key, handle_paste, perform};
pub(crate) use list::show_papers as shows_papers;
pub use list::{ListRow, ListView};
pub(crate) use search::result_place;
pub use search::{IndexStatus, SearchState};

/// What the reader says when an article's file no longer holds it.
const NOT_IN_FILE: &str = "this article is no longer in its file";

/// Below this size the screen only says it is too small.
pub(crate) const MIN_WIDTH: u16 = 20;
pub(crate) const MIN_HEIGHT: u16 = 6;
/// From this width on, list and reader are side by side.
pub(crate) const WIDE: u16 = 100;

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
    pub(crate) current_match: Option<usize>,
    /// Why the article's page could not be read, if it could not.
    pub error: Option<String>,
    /// A search result shown while it is being chosen: not marked read, and its
    /// position is not remembered.
    pub preview: bool,
    /// What a preview shows while its page is read: the article shown before it.
    pub(crate) placeholder: Option<Box<Shown>>,
}

/// Rows laid out and where they were scrolled to.
#[derive(Clone, Debug, Default)]
pub(crate) struct Shown {
    pub(crate) rows: Vec<LayoutRow>,
    pub(crate) scroll: usize,
    pub(crate) column: usize,
}

/// Parsed issue files, the most recently used last: the reader shows articles from
/// these, and asks for a file to be read when its article isn't here.
#[derive(Debug, Default)]
pub(crate) struct Pages {
    pages: VecDeque<ParsedFile>,
    /// How many to keep; `None` keeps all (a library given whole).
    limit: Option<usize>,
    /// The file asked for and not yet answered.
    pub(crate) requested: Option<String>,
}

impl Pages {
    /// Kept parsed files: enough to go back and forth between a few issues.
    const KEEP: usize = 8;

    fn get(&mut self, file: &str) -> Option<&ParsedFile> {
        let i = self.pages.iter().position(|p| p.file == file)?;
        let page = self.pages.remove(i)?;
        self.pages.push_back(page);
        self.pages.back()
    }

    fn peek(&self, file: &str) -> Option<&ParsedFile> {
        self.pages.iter().find(|p| p.file == file)
    }

    fn insert(&mut self, parsed: ParsedFile) {
        self.pages.retain(|p| p.file != parsed.file);
        self.pages.push_back(parsed);
        let limit = self.limit.unwrap_or(usize::MAX);
        while self.pages.len() > limit {
            self.pages.pop_front();
        }
    }

    /// Keep only the pages of files for which `keep` says so.
    fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.pages.retain(|p| keep(&p.file));
        if self.requested.as_deref().is_some_and(|f| !keep(f)) {
            self.requested = None;
        }
    }
}

/// Where each part of the screen goes. One function decides it, for drawing and for
/// the state that depends on sizes (page length, column width, list scroll).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panes {
    pub list: Option<Rect>,
    pub reader: Option<Rect>,
    /// Column between list and reader.
    pub(crate) divider: Option<Rect>,
    pub(crate) status: Rect,
}

pub struct App {
    /// Every issue and article, without bodies, in list order.
    pub catalog: Catalog,
    /// False until the catalog has arrived (the list says it is loading).
    pub catalog_ready: bool,
    /// The article last read, until a catalog lists it (a first scan sends the list in
    /// parts) or the user moves.
    waiting_for_last: Option<String>,
    /// The article [`App::set_catalog`] selected, to tell whether the user moved since.
    auto_pick: Option<String>,
    /// Parsed pages the reader draws from.
    pub(crate) pages: Pages,
    /// Selected article (index into the catalog's articles): in the reader, or under
    /// the cursor.
    pub selected: usize,
    /// The folded header the list's cursor is on, if it is on one (see `list.rs`).
    pub(crate) on_fold: Option<ListRow>,
    /// How the list is shown (folds, order).
    pub list: ListView,
    /// First list row shown.
    pub(crate) list_offset: usize,
    /// The date being typed to jump to (`:`), while it is.
    pub date_prompt: Option<InputLine>,
    pub focus: Focus,
    /// Where focus goes back to when the search box closes.
    pub(crate) focus_before_search: Focus,
    pub overlay: Option<Overlay>,
    pub search: SearchState,
    pub reader: ReaderView,
    pub state: ReadingState,
    /// Text column width from the config.
    pub(crate) measure: usize,
    pub(crate) size: (u16, u16),
    /// A one-off note in the status line (cleared by the next key).
    pub message: Option<String>,
    /// Which key runs which command (defaults, or the config file's `[keys]`).
    pub keymap: Keymap,
    /// First help row shown, when the help is longer than the screen.
    pub(crate) help_scroll: usize,
}

impl App {
    /// An app over a library already parsed: every page is kept, none is read again.
    pub fn new(library: Library, state: ReadingState, measure: usize) -> App {
        let mut app = App::loading(state, measure);
        app.pages.limit = None;
        let catalog = Catalog::from_library(&library);
        for parsed in library.files {
            app.pages.insert(parsed);
        }
        app.set_catalog(catalog);
        // The screen's size is not known yet: `resize` scrolls the list to the selection.
        app.list_offset = 0;
        app
    }

    /// An app whose catalog is still on its way ([`App::set_catalog`]); pages are read
    /// when asked for ([`App::wanted_page`], [`App::page_loaded`]).
    pub fn loading(state: ReadingState, measure: usize) -> App {
        App {
            catalog: Catalog::default(),
            catalog_ready: false,
            waiting_for_last: state.last_article.clone(),
            auto_pick: None,
            pages: Pages {
                limit: Some(Pages::KEEP),
                ..Pages::default()
            },
            selected: 0,
            on_fold: None,
            list: ListView::default(),
            list_offset: 0,
            date_prompt: None,
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
                order: Order::default(),
                count: None,
            },
            reader: ReaderView::default(),
            state,
            measure: measure.max(2),
            size: (80, 24),
            message: None,
            keymap: Keymap::default(),
            help_scroll: 0,
        }
    }

    /// The library's catalog arrived (first, or updated after the index was checked
    /// against the files): keep the selected article, or the one last read.
    pub fn set_catalog(&mut self, catalog: Catalog) {
        if self.catalog_ready && catalog.fingerprint == self.catalog.fingerprint {
            return;
        }
        self.remember_position();
        let current = self.article(self.selected).map(|a| a.id().to_string());
        // While a first scan fills the list in, the article last read may come later:
        // go to it then, unless the user has moved since.
        if current.is_some() && current != self.auto_pick {
            self.waiting_for_last = None;
        }
        let keep = match self.waiting_for_last.clone() {
            Some(id) if catalog.position(&id).is_some() => {
                self.waiting_for_last = None;
                Some(id)
            }
            // The list was still filling in and the user has not chosen: what was first
            // then is not first now (newer issues came in), so start again at the top.
            _ if self.catalog.partial && current == self.auto_pick => None,
            _ => current.clone(),
        };
        // Parsed pages stay if their file is listed at the same version (looked up
        // for the few pages kept, not over a million files).
        if self.catalog_ready {
            let version = |cat: &Catalog, rel: &str| cat.file_by_rel(rel).map(|f| f.hash);
            let old = &self.catalog;
            self.pages.retain(|file| {
                version(old, file).is_some_and(|v| version(&catalog, file) == Some(v))
            });
        }
        let reading = self.focus == Focus::Reader;
        let query = self.reader.query.take();
        // Folds name groups by position, which a new catalog moves.
        if self.catalog_ready {
            self.list.forget_folds();
        }
        self.catalog = catalog;
        self.catalog_ready = true;
        self.list.rebuild(&self.catalog);
        self.on_fold = None;
        self.selected = keep
            .and_then(|id| self.catalog.position(&id))
            .unwrap_or(0)
            .min(self.catalog.len().saturating_sub(1));
        self.auto_pick = self.article(self.selected).map(|a| a.id().to_string());
        self.reader = ReaderView::default();
        // Still the same article: keep its search highlights.
        let query = query.filter(|_| self.auto_pick == current);
        self.show_article(self.selected, query);
        if reading && self.reader.article.is_none() {
            self.focus = Focus::List;
        }
        self.ensure_list_visible();
    }

    /// What the list shows of article `n`.
    pub fn article(&self, n: usize) -> Option<Listed<'_>> {
        self.catalog.article(n)
    }

    /// The issue article `n` belongs to.
    pub fn issue_of(&self, n: usize) -> Option<&IssueGroup> {
        self.catalog.issue_of(n)
    }

    /// The page article `n` stands on.
    pub fn page_of(&self, n: usize) -> Option<&PageGroup> {
        self.catalog.page_of(n)
    }

    pub fn current_article(&self) -> Option<Listed<'_>> {
        self.reader.article.and_then(|n| self.article(n))
    }

    /// Article `n` whole, if its file has been read.
    pub fn article_text(&self, n: usize) -> Option<&Article> {
        let head = self.article(n)?;
        let file = self.catalog.file_of(n)?;
        let page = self.pages.peek(&file.rel)?;
        // By id: the file may have changed since the catalog was made.
        page.articles.iter().find(|a| a.id == head.id())
    }

    /// The rest of article `n` from another page, when it goes on there and that
    /// page's file has been read.
    fn rest_text(&self, n: usize) -> Option<&Article> {
        let Some(Joined::Rest { file, id }) = self.article(n)?.joined() else {
            return None;
        };
        let page = self.pages.peek(&self.catalog.file(file)?.rel)?;
        page.articles.iter().find(|a| a.id == id)
    }

    /// The files the reader needs for article `n`: its own, and its rest's.
    fn files_for(&self, n: usize) -> Vec<FileHead> {
        let mut files: Vec<FileHead> = self.catalog.file_of(n).into_iter().collect();
        if let Some(Joined::Rest { file, .. }) = self.article(n).and_then(|a| a.joined())
            && let Some(f) = self.catalog.file(file)
            && !files.iter().any(|x| x.rel == f.rel)
        {
            files.push(f);
        }
        files
    }

    /// The file the reader needs and nobody has asked for yet: the event loop has it
    /// read (off the UI thread) and hands it to [`App::page_loaded`].
    pub fn wanted_page(&mut self) -> Option<FileHead> {
        let n = self.reader.article?;
        if !self.reader.rows.is_empty() || self.reader.error.is_some() {
            return None;
        }
        let files = self.files_for(n);
        if let Some(missing) = files.iter().find(|f| self.pages.peek(&f.rel).is_none()) {
            if self.pages.requested.as_deref() == Some(missing.rel.as_str()) {
                return None;
            }
            self.pages.requested = Some(missing.rel.clone());
            return Some(missing.clone());
        }
        // Read, and the article is not in it: the file changed since the list was
        // made (the list follows once the index has checked the files).
        self.reader.error = Some(NOT_IN_FILE.into());
        None
    }

    /// A file read for the reader: show the current article if it was waiting for it.
    pub fn page_loaded(&mut self, file: &str, result: Result<ParsedFile, ReadError>) {
        if self.pages.requested.as_deref() == Some(file) {
            self.pages.requested = None;
        }
        let current = self
            .reader
            .article
            .is_some_and(|n| self.files_for(n).iter().any(|f| f.rel == file));
        match result {
            Ok(parsed) => {
                self.pages.insert(parsed);
                let Some(n) = self.reader.article else { return };
                let all_read = self
                    .files_for(n)
                    .iter()
                    .all(|f| self.pages.peek(&f.rel).is_some());
                if current && all_read && self.reader.rows.is_empty() {
                    self.relayout();
                    if self.reader.rows.is_empty() {
                        self.reader.error = Some(NOT_IN_FILE.into());
                    }
                    self.place_reader();
                }
            }
            Err(e) if current => self.reader.error = Some(format!("{file}: {e}")),
            Err(_) => {}
        }
    }

    pub(crate) fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// Whether the list and the reader stand side by side: on a wide screen, unless
    /// one pane at a time was chosen ([`Action::Zoom`]; a reader as wide as the screen
    /// scrolls by moving rows, a few bytes a line).
    pub(crate) fn wide(&self) -> bool {
        self.size.0 >= WIDE && !self.state.one_pane
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
    pub(crate) fn column_width(&self, pane_width: u16) -> usize {
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
    pub(crate) fn list_height(&self) -> usize {
        self.panes().list.map_or(1, |r| r.height as usize).max(1)
    }

    /// Width of the text inside the search box.
    pub(crate) fn input_width(&self) -> usize {
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

    // ---- the list (see list.rs) ----

    /// Scroll the list so the cursor (and the headers just above it, when it is the
    /// first of its issue or page) is on screen.
    pub(crate) fn ensure_list_visible(&mut self) {
        let cat = &self.catalog;
        if cat.is_empty() {
            self.list_offset = 0;
            return;
        }
        let Some(pos) = self.list.row_of(cat, self.cursor()) else {
            return;
        };
        // Headers right above the cursor come along.
        let mut top = pos;
        while top > 0
            && self
                .list_row(top - 1)
                .is_some_and(|r| !matches!(r, ListRow::Article(_)) && !self.list.is_folded(r))
        {
            top -= 1;
        }
        let height = self.list_height();
        if top < self.list_offset {
            self.list_offset = top;
        } else if pos >= self.list_offset + height {
            self.list_offset = pos + 1 - height;
        }
        let max = self.list_len().saturating_sub(height);
        self.list_offset = self.list_offset.min(max);
    }

    /// Select article `n` (clamped) and show it in the reader.
    pub(crate) fn select(&mut self, n: usize) {
        if self.catalog.is_empty() {
            return;
        }
        let n = n.min(self.catalog.len() - 1);
        self.selected = n;
        self.ensure_list_visible();
        if self.reader.article != Some(n) {
            self.show_article(n, None);
        }
    }

    // ---- the reader ----

    /// Put article `n` in the reader: with `query`, its matches highlighted and the
    /// first one on screen; without, at the position it was left at.
    pub(crate) fn show_article(&mut self, n: usize, query: Option<String>) {
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
        // Mark the files as just used, so they are the last to go.
        for f in self.files_for(n) {
            self.pages.get(&f.rel);
        }
        self.relayout();
        self.place_reader();
    }

    /// With a query, put its first match on screen; else go where the article was left.
    fn place_reader(&mut self) {
        if self.reader.rows.is_empty() {
            return;
        }
        if self.reader.query.is_some() && !self.reader.match_rows.is_empty() {
            self.jump_to_match(0);
        } else {
            let id = self
                .current_article()
                .map(|a| a.id().to_string())
                .unwrap_or_default();
            if let Some(p) = self.state.positions.get(&id).copied() {
                self.reader.scroll = self.row_of(p);
                self.clamp_scroll();
            }
        }
    }

    /// Lay the current article out again if the column width changed, keeping the
    /// paragraph at the top of the screen.
    pub(crate) fn relayout(&mut self) {
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
        let Some(head) = self.article_text(n) else {
            return;
        };
        // An article that goes on on another page is shown whole.
        let missing = match self.article(n).and_then(|a| a.joined()) {
            Some(Joined::Missing { page }) => Some(page),
            _ => None,
        };
        let (article, join) = whole_article(head, self.rest_text(n), missing.as_deref());
        // Matches in the headline too: a result is often found by its title.
        let highlights = match &self.reader.query {
            Some(q) => std::iter::once((Part::Title, article.title.as_str()))
                .chain(
                    article
                        .paragraphs
                        .iter()
                        .enumerate()
                        .map(|(p, text)| (Part::Paragraph(p), text.as_str())),
                )
                .flat_map(|(part, text)| {
                    match_ranges(q, text)
                        .into_iter()
                        .map(move |range| Highlight { part, range })
                })
                .collect(),
            None => Vec::new(),
        };
        let also = self.article(n).map(|a| a.also_on()).unwrap_or_default();
        let rows = layout_joined(&article, join.as_ref(), &also, column, &highlights);
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

    /// True when the last row of the article is on screen.
    pub(crate) fn at_article_end(&self) -> bool {
        self.reader.scroll >= self.max_scroll()
    }

    pub(crate) fn scroll_by(&mut self, delta: isize) {
        self.reader.scroll = self.reader.scroll.saturating_add_signed(delta);
        self.clamp_scroll();
    }

    pub(crate) fn scroll_to(&mut self, row: usize) {
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
        // A blank or note row after a paragraph counts from that paragraph's start, so
        // the position survives a new width (see `row_of`).
        let body_at = match rows.get(top).map(|r| r.kind) {
            Some(RowKind::Blank | RowKind::Note) => rows[..top]
                .iter()
                .rposition(|r| matches!(r.kind, RowKind::Body(_)))
                .unwrap_or(top),
            _ => top,
        };
        match rows.get(body_at).map(|r| r.kind) {
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
            .and_then(|a| self.state.positions.get(a.id()).copied());
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
                        // The paragraph's rows and the blank or note rows after it.
                        let body = self.reader.rows[f..]
                            .iter()
                            .take_while(|r| r.kind == RowKind::Body(n))
                            .count();
                        let after = self.reader.rows[f + body..]
                            .iter()
                            .take_while(|r| matches!(r.kind, RowKind::Blank | RowKind::Note))
                            .count();
                        f + p.row.min((body + after).saturating_sub(1))
                    }
                    None => 0,
                }
            }
            None => p.row,
        }
    }

    /// Store where the reader is, so the article reopens there.
    pub(crate) fn remember_position(&mut self) {
        if self.reader.rows.is_empty() || self.reader.preview {
            return;
        }
        let Some(id) = self.current_article().map(|a| a.id().to_string()) else {
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
    pub(crate) fn jump_to_match(&mut self, k: usize) {
        let Some(&row) = self.reader.match_rows.get(k) else {
            return;
        };
        self.reader.current_match = Some(k);
        self.scroll_to(row.saturating_sub(self.reader_height() / 3));
    }

    /// `n` / `N`: the next or previous match, wrapping around.
    pub(crate) fn next_match(&mut self, forward: bool) {
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
        // Say so when the search goes round, as less and vim do: otherwise the jump
        // back to the top reads like a match further down.
        let wrapped = match self.reader.current_match {
            Some(old) if forward => k <= old,
            Some(old) => k >= old,
            None => false,
        };
        self.jump_to_match(k);
        self.message = Some(if wrapped && count == 1 {
            // Nothing went round: there is nowhere else to go.
            "match 1/1 (the only one)".to_string()
        } else if wrapped {
            let side = if forward { "top" } else { "bottom" };
            format!("match {}/{} (wrapped to the {side})", k + 1, count)
        } else {
            format!("match {}/{}", k + 1, count)
        });
    }

    /// Move the focus to the reader and count the article as read.
    pub(crate) fn focus_reader(&mut self) {
        if self.reader.article.is_none() {
            return;
        }
        self.focus = Focus::Reader;
        if let Some(id) = self.current_article().map(|a| a.id().to_string()) {
            self.state.read.insert(id.clone());
            self.state.last_article = Some(id);
        }
        self.relayout();
    }

    // ---- search: see search.rs ----

    /// Open article `n` from a bookmark or a jump, at its remembered position.
    fn open_article(&mut self, n: usize) {
        self.select(n);
        self.focus_reader();
    }

    /// Title, paper, date, page and id: what `y` copies
    /// (`标题 — 焦作日报 2019年11月25日 第02版 要闻 [id]`).
    pub(crate) fn citation(&self) -> Option<String> {
        let n = self.reader.article.unwrap_or(self.selected);
        let a = self.article(n)?;
        let mut place = self.catalog.place_of(n)?.citation();
        if place.is_empty() {
            place = self.catalog.file_of(n)?.name.clone();
        }
        Some(format!("{} — {place} [{}]", a.title(), a.id()))
    }

    /// The article whose bookmark `m` toggles: the one being read or selected.
    fn target_article_id(&self) -> Option<String> {
        match self.focus {
            Focus::Reader => self.current_article(),
            _ => self.article(self.selected),
        }
        .map(|a| a.id().to_string())
    }

    /// Bookmarked articles still in the library, as indices into `order`.
    pub fn bookmarks(&self) -> Vec<usize> {
        self.state
            .bookmarks
            .iter()
            .filter_map(|id| self.catalog.position(id))
            .collect()
    }

    /// Before quitting: the position and last article go into the state.
    pub fn finish(&mut self) {
        self.remember_position();
        if let Some(id) = self.article(self.selected).map(|a| a.id().to_string()) {
            self.state.last_article = Some(id);
        }
    }
}
