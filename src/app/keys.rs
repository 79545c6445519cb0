//! Keys → state changes, as plain functions: tests drive them without a terminal.

use super::keymap::{Action, Keymap, Mode};
use super::{App, Focus, Overlay};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What the event loop must do after a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Send this query to the search worker.
    Query {
        generation: u64,
        text: String,
        order: crate::index::Order,
    },
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
}

/// The help overlay's rows for the commands: which commands share a row, and what
/// the row says. Keys come from the keymap, so the help shows what the user bound.
const HELP_ROWS: &[(&[Action], &str)] = &[
    (&[Action::Down, Action::Up], "down / up"),
    (&[Action::Open], "read the article"),
    (&[Action::Back], "back to the list"),
    (&[Action::Quit], "quit (from the list)"),
    (&[Action::SwitchPane], "list / reader"),
    (&[Action::Zoom], "one pane, full width"),
    (&[Action::PageDown, Action::PageUp], "page down / up"),
    (&[Action::Top, Action::Bottom], "top / bottom"),
    (
        &[Action::PrevArticle, Action::NextArticle],
        "prev / next article",
    ),
    (&[Action::PrevIssue, Action::NextIssue], "prev / next issue"),
    (
        &[Action::PrevPage, Action::NextPage],
        "prev / next page (版)",
    ),
    (&[Action::Fold], "fold page / issue"),
    (&[Action::FoldAll], "fold all issues"),
    (&[Action::JumpToDate], "jump to a date"),
    (&[Action::FlipOrder], "newest / oldest first"),
    (&[Action::Search], "search"),
    (&[Action::NextMatch, Action::PrevMatch], "next / prev match"),
    (&[Action::Bookmark], "bookmark on / off"),
    (&[Action::Bookmarks], "list bookmarks"),
    (&[Action::Copy], "copy title, paper, date, page"),
    (&[Action::Help], "this help"),
];

/// The search box's keys: fixed, so listed as they are.
pub(crate) const SEARCH_HELP: &[(&str, &str)] = &[
    ("Ctrl-C", "quit"),
    ("Marks:", ""),
    ("2019-11-25~", "date worked out from the text"),
    ("（推断）", "the same, in the reader"),
    ("~Title", "no headline: made from the lead"),
    ("▸", "a folded issue or page"),
    ("In search:", ""),
    ("↑ ↓ Ctrl-P Ctrl-N", "choose a result"),
    ("Enter", "open it"),
    ("← → Home End", "move the caret"),
    ("Ctrl-A Ctrl-E", "start / end"),
    ("Bksp Del", "delete back / fwd"),
    ("Ctrl-U Ctrl-W", "delete line / word"),
    ("Esc", "close the search"),
];

/// Every key, for the help overlay: (keys, what they do). A row's commands are
/// separated by ` / ` (`j ↓ / k ↑`); an unbound command shows `-`.
pub fn help_rows(keymap: &Keymap) -> Vec<(String, &'static str)> {
    let mut rows: Vec<(String, &'static str)> = HELP_ROWS
        .iter()
        .map(|(actions, what)| {
            let keys: Vec<String> = actions
                .iter()
                .map(|&a| {
                    let l = keymap.labels(a);
                    if l.is_empty() { "-".to_string() } else { l }
                })
                .collect();
            (keys.join(" / "), *what)
        })
        .collect();
    rows.extend(SEARCH_HELP.iter().map(|(k, w)| (k.to_string(), *w)));
    rows
}

/// How the help overlay fits a `w`×`h` screen: (columns, rows shown per column, rows
/// per column in all). Two columns when one is too long and the screen is wide enough;
/// when even that is too long, the rows scroll. The box keeps a row of margin above and
/// below, plus its border.
pub(crate) fn help_layout(w: u16, h: u16, rows: usize) -> (usize, usize, usize) {
    let room = (h as usize).saturating_sub(4).max(1);
    let columns = if rows > room && w >= 60 { 2 } else { 1 };
    let per_column = rows.div_ceil(columns);
    (columns, per_column.min(room), per_column)
}

/// How far the help can scroll on this screen (0 when it all fits).
pub(crate) fn help_max_scroll(app: &App) -> usize {
    let rows = help_rows(&app.keymap).len();
    let (_, shown, per_column) = help_layout(app.size.0, app.size.1, rows);
    per_column - shown
}

/// Status line hints: (commands, how their keys are joined, what they do, rank). When
/// the line is too narrow, the hints of the highest rank go first (help and quit stay).
type Hint = (&'static [Action], &'static str, &'static str, u8);

const LIST_HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "/", "move", 2),
    (&[Action::Open], "", "read", 1),
    (&[Action::PrevIssue, Action::NextIssue], " ", "issue", 3),
    (&[Action::Fold], "", "fold", 5),
    (&[Action::JumpToDate], "", "date", 4),
    (&[Action::Search], "", "search", 1),
    (&[Action::Bookmark], "", "mark", 6),
    (&[Action::Bookmarks], "", "marks", 7),
    (&[Action::Copy], "", "copy", 8),
    (&[Action::Help], "", "help", 0),
    (&[Action::Quit], "", "quit", 0),
];

const READER_HINTS: &[Hint] = &[
    (&[Action::Down, Action::Up], "/", "scroll", 2),
    (&[Action::PageDown, Action::PageUp], "/", "page", 2),
    (
        &[Action::PrevArticle, Action::NextArticle],
        " ",
        "article",
        3,
    ),
    (&[Action::PrevIssue, Action::NextIssue], " ", "issue", 5),
    (&[Action::NextMatch, Action::PrevMatch], "/", "match", 4),
    (&[Action::Bookmark], "", "mark", 6),
    (&[Action::Search], "", "search", 1),
    (&[Action::Back], "", "back", 0),
    (&[Action::Help], "", "help", 0),
];

/// The hints that fit in `width` columns, in their order.
fn hints(keymap: &Keymap, hints: &[Hint], width: usize) -> String {
    let mut shown: Vec<(u8, String)> = hints
        .iter()
        .filter_map(|(actions, join, what, rank)| {
            let keys: Vec<String> = actions
                .iter()
                .filter_map(|&a| keymap.first_label(a))
                .collect();
            (!keys.is_empty()).then(|| (*rank, format!("{} {what}", keys.join(join))))
        })
        .collect();
    let line = |shown: &[(u8, String)]| {
        shown
            .iter()
            .map(|(_, h)| h.as_str())
            .collect::<Vec<_>>()
            .join("  ")
    };
    while crate::text::str_width(&line(&shown)) > width {
        let Some(worst) = shown
            .iter()
            .enumerate()
            .filter(|(_, (rank, _))| *rank > 0)
            .max_by_key(|(i, (rank, _))| (*rank, *i))
            .map(|(i, _)| i)
        else {
            break;
        };
        shown.remove(worst);
    }
    line(&shown)
}

/// The keys that apply now, for a status line `width` columns wide.
pub fn status_keys(app: &App, width: usize) -> String {
    match (app.overlay, app.focus) {
        (Some(Overlay::Help), _) if help_max_scroll(app) > 0 => {
            "↑↓ scroll  other keys close".into()
        }
        (Some(Overlay::Help), _) => "any key: close help".into(),
        (Some(Overlay::Bookmarks { .. }), _) => {
            let remove = app
                .keymap
                .first_label(Action::Bookmark)
                .unwrap_or_else(|| "Del".into());
            format!("↑↓ choose  Enter open  {remove} remove  Esc close")
        }
        (None, Focus::Search) => {
            "type to search  ↑↓ choose  Enter open  ^S order  Esc close".into()
        }
        (None, _) if app.date_prompt.is_some() => {
            "date: 2019-11-25, 201911, 2019  Enter jump  Esc cancel".into()
        }
        // Keys wait for something to act on: say what we wait for instead.
        (None, Focus::List) if !app.catalog_ready => format!(
            "loading the library…  {}",
            hints(&app.keymap, &[(&[Action::Quit], "", "quit", 0)], width)
        ),
        // A big library's list is shown while the rest of it is read.
        (None, Focus::List) if app.catalog.partial => {
            let lead = "listing the library…  ";
            let room = width.saturating_sub(crate::text::str_width(lead));
            format!("{lead}{}", hints(&app.keymap, LIST_HINTS, room))
        }
        (None, Focus::Reader) if app.reader.rows.is_empty() && app.reader.error.is_none() => {
            "loading the page…".into()
        }
        (None, Focus::Reader) => hints(&app.keymap, READER_HINTS, width),
        (None, Focus::List) => hints(&app.keymap, LIST_HINTS, width),
    }
}

/// Apply one key to the state.
pub fn handle_key(app: &mut App, key: KeyEvent) -> Option<Effect> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    app.message = None;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Effect::Quit);
    }
    if let Some(overlay) = app.overlay {
        return overlay_key(app, overlay, key);
    }
    if app.date_prompt.is_some() {
        date_key(app, key);
        return None;
    }
    let mode = match app.focus {
        Focus::Search => return search_key(app, key),
        Focus::List => Mode::List,
        Focus::Reader => Mode::Reader,
    };
    let action = app.keymap.action(mode, &key)?;
    perform(app, action)
}

/// Pasted text (bracketed paste) goes into the search box when it is open.
pub fn handle_paste(app: &mut App, text: &str) -> Option<Effect> {
    if app.focus != Focus::Search || app.overlay.is_some() {
        return None;
    }
    app.search.input.insert(text);
    Some(app.query_changed())
}

/// The bookmarks list takes the moving commands' keys, plus the arrows, Enter, Delete
/// and Esc whatever the keymap says.
fn overlay_key(app: &mut App, overlay: Overlay, key: KeyEvent) -> Option<Effect> {
    match overlay {
        // Any key closes the help, except the moving keys while it is too long for
        // the screen: those scroll it.
        Overlay::Help => {
            let max = help_max_scroll(app);
            let (_, shown, _) = help_layout(app.size.0, app.size.1, help_rows(&app.keymap).len());
            let action = app.keymap.action(Mode::List, &key);
            let scroll = app.help_scroll;
            app.help_scroll = match (key.code, action) {
                _ if max == 0 => {
                    app.overlay = None;
                    return None;
                }
                (KeyCode::Down, _) | (_, Some(Action::Down)) => scroll + 1,
                (KeyCode::Up, _) | (_, Some(Action::Up)) => scroll.saturating_sub(1),
                (KeyCode::PageDown, _) | (_, Some(Action::PageDown)) => scroll + shown,
                (KeyCode::PageUp, _) | (_, Some(Action::PageUp)) => scroll.saturating_sub(shown),
                _ => {
                    app.overlay = None;
                    return None;
                }
            }
            .min(max);
        }
        Overlay::Bookmarks { selected } => {
            let marks = app.bookmarks();
            let last = marks.len().saturating_sub(1);
            let action = app.keymap.action(Mode::List, &key);
            match (key.code, action) {
                (KeyCode::Down, _) | (_, Some(Action::Down)) => {
                    app.overlay = Some(Overlay::Bookmarks {
                        selected: (selected + 1).min(last),
                    })
                }
                (KeyCode::Up, _) | (_, Some(Action::Up)) => {
                    app.overlay = Some(Overlay::Bookmarks {
                        selected: selected.saturating_sub(1),
                    })
                }
                (KeyCode::Enter, _) | (_, Some(Action::Open)) => {
                    app.overlay = None;
                    if let Some(&n) = marks.get(selected) {
                        app.open_article(n);
                    }
                }
                (KeyCode::Delete, _) | (_, Some(Action::Bookmark)) => {
                    if let Some(&n) = marks.get(selected)
                        && let Some(id) = app.article(n).map(|a| a.id().to_string())
                    {
                        app.state.toggle_bookmark(&id);
                    }
                    app.overlay = Some(Overlay::Bookmarks {
                        selected: selected.min(marks.len().saturating_sub(2)),
                    });
                }
                (KeyCode::Esc, _) | (_, Some(Action::Quit | Action::Bookmarks)) => {
                    app.overlay = None
                }
                _ => {}
            }
        }
    }
    None
}

/// Run one command in the list or the reader, as its key does (the mouse wheel
/// comes here too). Nothing happens while the search box has the focus.
pub fn perform(app: &mut App, action: Action) -> Option<Effect> {
    let reading = match app.focus {
        Focus::Search => return None,
        Focus::Reader => true,
        Focus::List => false,
    };
    let list_page = app.list_height().saturating_sub(1).max(1) as isize;
    let page = app.page();
    match action {
        Action::Down if reading => app.scroll_by(1),
        Action::Down => app.move_cursor(1),
        Action::Up if reading => app.scroll_by(-1),
        Action::Up => app.move_cursor(-1),
        // At the end of an article a page down goes on to the next one, as in less
        // and newsboat: reading a whole issue is one key held down.
        Action::PageDown if reading && app.at_article_end() => step_article(app, 1),
        Action::PageDown if reading => app.scroll_by(page),
        Action::PageDown => app.move_cursor(list_page),
        Action::PageUp if reading => app.scroll_by(-page),
        Action::PageUp => app.move_cursor(-list_page),
        Action::Top if reading => app.scroll_to(0),
        Action::Top => app.cursor_to_end(false),
        Action::Bottom if reading => app.scroll_to(usize::MAX),
        Action::Bottom => app.cursor_to_end(true),
        Action::Open if !reading => {
            if !app.unfold_here() {
                app.focus_reader();
            }
        }
        Action::Back if reading => {
            app.remember_position();
            app.focus = Focus::List;
            app.ensure_list_visible();
        }
        Action::Open | Action::Back => {}
        Action::Quit => return Some(Effect::Quit),
        Action::SwitchPane if app.wide() => {
            if reading {
                app.focus = Focus::List;
            } else {
                app.focus_reader();
            }
        }
        Action::SwitchPane => {}
        Action::Zoom => {
            app.state.one_pane = !app.state.one_pane;
            let (w, h) = app.size;
            app.resize(w, h);
        }
        Action::PrevArticle => step_article(app, -1),
        Action::NextArticle => step_article(app, 1),
        Action::PrevIssue => step_group(app, false, false),
        Action::NextIssue => step_group(app, true, false),
        Action::PrevPage => step_group(app, false, true),
        Action::NextPage => step_group(app, true, true),
        Action::Fold => app.fold(),
        Action::FoldAll => app.fold_all(),
        Action::FlipOrder => app.flip_order(),
        Action::JumpToDate => app.date_prompt = Some(Default::default()),
        Action::Search => {
            app.focus_before_search = app.focus;
            app.focus = Focus::Search;
            let width = app.input_width();
            app.search.input.scroll_to_caret(width);
        }
        Action::NextMatch => app.next_match(true),
        Action::PrevMatch => app.next_match(false),
        Action::Bookmark => {
            if let Some(id) = app.target_article_id() {
                let on = app.state.toggle_bookmark(&id);
                app.message = Some(if on { "bookmarked" } else { "bookmark removed" }.into());
            }
        }
        Action::Bookmarks => app.overlay = Some(Overlay::Bookmarks { selected: 0 }),
        Action::Copy => {
            return app.citation().map(|c| {
                app.message = Some("copied (OSC 52)".into());
                Effect::Copy(c)
            });
        }
        Action::Help => {
            app.overlay = Some(Overlay::Help);
            app.help_scroll = 0;
        }
    }
    None
}

/// The next (or previous) article in list order, over folds.
fn step_article(app: &mut App, delta: isize) {
    if !app.step_article(delta > 0) {
        app.message = Some(
            if delta > 0 {
                "last article"
            } else {
                "first article"
            }
            .into(),
        );
        return;
    }
    if app.focus == Focus::Reader {
        app.focus_reader();
    }
}

fn step_group(app: &mut App, forward: bool, page: bool) {
    if app.step_group(forward, page) {
        if app.focus == Focus::Reader && app.on_fold.is_none() {
            app.focus_reader();
        }
        return;
    }
    let what = match (forward, page) {
        (true, true) => "last page",
        (false, true) => "first page",
        (true, false) => "last issue",
        (false, false) => "first issue",
    };
    app.message = Some(what.into());
}

/// Typing the date to jump to.
fn date_key(app: &mut App, key: KeyEvent) {
    let Some(input) = app.date_prompt.as_mut() else {
        return;
    };
    match key.code {
        KeyCode::Esc => app.date_prompt = None,
        KeyCode::Enter => {
            let typed = input.text().trim().to_string();
            app.date_prompt = None;
            if !typed.is_empty() {
                app.jump_to_date(&typed);
            }
        }
        KeyCode::Backspace => input.backspace(),
        KeyCode::Char(c) if c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | ' ') => {
            input.insert(c.encode_utf8(&mut [0; 4]))
        }
        _ => {}
    }
}

fn search_key(app: &mut App, key: KeyEvent) -> Option<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let input = &mut app.search.input;
    let before = input.text().to_string();
    let chosen = app.search.selected;
    match key.code {
        KeyCode::Esc => {
            app.focus = app.focus_before_search;
            app.end_preview();
            return None;
        }
        KeyCode::Enter => {
            app.open_result();
            return None;
        }
        KeyCode::Char('s') if ctrl => return app.flip_result_order(),
        KeyCode::Down | KeyCode::Tab => app.select_result(chosen + 1),
        KeyCode::Up | KeyCode::BackTab => app.select_result(chosen.saturating_sub(1)),
        KeyCode::Char('n') if ctrl => app.select_result(chosen + 1),
        KeyCode::Char('p') if ctrl => app.select_result(chosen.saturating_sub(1)),
        KeyCode::PageDown => app.select_result(chosen + app.results_per_screen()),
        KeyCode::PageUp => app.select_result(chosen.saturating_sub(app.results_per_screen())),
        KeyCode::Char('a') if ctrl => input.home(),
        KeyCode::Char('e') if ctrl => input.end(),
        KeyCode::Char('u') if ctrl => input.kill_to_start(),
        KeyCode::Char('w') if ctrl => input.delete_word(),
        KeyCode::Char('h') if ctrl => input.backspace(),
        KeyCode::Char(_) if ctrl || key.modifiers.contains(KeyModifiers::ALT) => {}
        KeyCode::Char(c) => input.insert(c.encode_utf8(&mut [0; 4])),
        KeyCode::Left => input.left(),
        KeyCode::Right => input.right(),
        KeyCode::Home => input.home(),
        KeyCode::End => input.end(),
        KeyCode::Backspace => input.backspace(),
        KeyCode::Delete => input.delete(),
        _ => {}
    }
    if app.search.input.text() != before {
        Some(app.query_changed())
    } else {
        let width = app.input_width();
        app.search.input.scroll_to_caret(width);
        None
    }
}
