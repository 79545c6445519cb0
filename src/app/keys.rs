//! Keys → state changes, as plain functions: tests drive them without a terminal.

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
    },
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
}

/// Every key, for the help overlay: (keys, what they do).
pub const HELP: &[(&str, &str)] = &[
    ("j k ↓ ↑", "move in the list / scroll the reader"),
    ("Enter", "read the selected article"),
    ("Tab", "switch between list and reader (wide screen)"),
    ("Esc q", "back to the list; q in the list quits"),
    ("Space PgDn", "page down"),
    ("b PgUp", "page up"),
    ("g G Home End", "top / bottom"),
    ("[ ]", "previous / next article"),
    ("{ }", "previous / next issue"),
    ("/", "search"),
    ("n N", "next / previous match of the search"),
    ("m", "bookmark on / off"),
    ("'", "list bookmarks"),
    ("y", "copy title, issue, date and id"),
    ("?", "this help"),
    ("Ctrl-C", "quit"),
    ("In search:", ""),
    ("↑ ↓ Ctrl-P Ctrl-N", "choose a result"),
    ("Enter", "open it, matches highlighted"),
    ("← → Home End", "move the caret"),
    ("Ctrl-A Ctrl-E", "start / end of the line"),
    ("Bksp Del", "delete before / under the caret"),
    ("Ctrl-U Ctrl-W", "delete to the start / the word before"),
    ("Esc", "close the search"),
];

/// The keys that apply now, for the status line.
pub fn status_keys(app: &App) -> &'static str {
    match (app.overlay, app.focus) {
        (Some(Overlay::Help), _) => "any key: close help",
        (Some(Overlay::Bookmarks { .. }), _) => "↑↓ choose  Enter open  m remove  Esc close",
        (None, Focus::Search) => "type to search  ↑↓ choose  Enter open  Esc close",
        (None, Focus::Reader) => {
            "j/k scroll  Spc/b page  [ ] article  { } issue  n/N match  m mark  / search  Esc back  ? help"
        }
        (None, Focus::List) => {
            "j/k move  Enter read  { } issue  / search  m mark  ' marks  y copy  ? help  q quit"
        }
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
    match app.focus {
        Focus::Search => search_key(app, key),
        Focus::List => list_key(app, key),
        Focus::Reader => reader_key(app, key),
    }
}

/// Pasted text (bracketed paste) goes into the search box when it is open.
pub fn handle_paste(app: &mut App, text: &str) -> Option<Effect> {
    if app.focus != Focus::Search || app.overlay.is_some() {
        return None;
    }
    app.search.input.insert(text);
    Some(app.query_changed())
}

fn overlay_key(app: &mut App, overlay: Overlay, key: KeyEvent) -> Option<Effect> {
    match overlay {
        Overlay::Help => app.overlay = None,
        Overlay::Bookmarks { selected } => {
            let marks = app.bookmarks();
            let last = marks.len().saturating_sub(1);
            match key.code {
                KeyCode::Char('j') | KeyCode::Down => {
                    app.overlay = Some(Overlay::Bookmarks {
                        selected: (selected + 1).min(last),
                    })
                }
                KeyCode::Char('k') | KeyCode::Up => {
                    app.overlay = Some(Overlay::Bookmarks {
                        selected: selected.saturating_sub(1),
                    })
                }
                KeyCode::Enter => {
                    app.overlay = None;
                    if let Some(&n) = marks.get(selected) {
                        app.open_article(n);
                    }
                }
                KeyCode::Char('m') | KeyCode::Delete => {
                    if let Some(&n) = marks.get(selected)
                        && let Some(id) = app.article(n).map(|a| a.id.clone())
                    {
                        app.state.toggle_bookmark(&id);
                    }
                    app.overlay = Some(Overlay::Bookmarks {
                        selected: selected.min(marks.len().saturating_sub(2)),
                    });
                }
                KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('\'') => app.overlay = None,
                _ => {}
            }
        }
    }
    None
}

/// Keys shared by the list and the reader.
fn common_key(app: &mut App, key: KeyEvent) -> Option<Option<Effect>> {
    match key.code {
        KeyCode::Char('/') => {
            app.focus_before_search = app.focus;
            app.focus = Focus::Search;
            let width = app.input_width();
            app.search.input.scroll_to_caret(width);
        }
        KeyCode::Char('?') => app.overlay = Some(Overlay::Help),
        KeyCode::Char('\'') => app.overlay = Some(Overlay::Bookmarks { selected: 0 }),
        KeyCode::Char('m') => {
            if let Some(id) = app.target_article_id() {
                let on = app.state.toggle_bookmark(&id);
                app.message = Some(if on { "bookmarked" } else { "bookmark removed" }.into());
            }
        }
        KeyCode::Char('y') => {
            return Some(app.citation().map(|c| {
                app.message = Some("copied (OSC 52)".into());
                Effect::Copy(c)
            }));
        }
        KeyCode::Char('[') => step_article(app, -1),
        KeyCode::Char(']') => step_article(app, 1),
        KeyCode::Char('{') => step_issue(app, false),
        KeyCode::Char('}') => step_issue(app, true),
        KeyCode::Tab | KeyCode::BackTab if app.wide() => match app.focus {
            Focus::List => app.focus_reader(),
            _ => app.focus = Focus::List,
        },
        _ => return None,
    }
    Some(None)
}

fn step_article(app: &mut App, delta: isize) {
    if app.order.is_empty() {
        return;
    }
    let n = app.selected.saturating_add_signed(delta);
    app.select(n);
    if app.focus == Focus::Reader {
        app.focus_reader();
    }
}

fn step_issue(app: &mut App, forward: bool) {
    match app.issue_start(forward) {
        Some(n) => {
            app.select(n);
            if app.focus == Focus::Reader {
                app.focus_reader();
            }
        }
        None => {
            app.message = Some(if forward { "last issue" } else { "first issue" }.into());
        }
    }
}

fn list_key(app: &mut App, key: KeyEvent) -> Option<Effect> {
    if let Some(effect) = common_key(app, key) {
        return effect;
    }
    let page = app.list_height().saturating_sub(1).max(1) as isize;
    let n = app.selected;
    match key.code {
        KeyCode::Char('q') => return Some(Effect::Quit),
        KeyCode::Char('j') | KeyCode::Down => app.select(n + 1),
        KeyCode::Char('k') | KeyCode::Up => app.select(n.saturating_sub(1)),
        KeyCode::PageDown | KeyCode::Char(' ') => app.select(n.saturating_add_signed(page)),
        KeyCode::PageUp | KeyCode::Char('b') => app.select(n.saturating_add_signed(-page)),
        KeyCode::Char('g') | KeyCode::Home => app.select(0),
        KeyCode::Char('G') | KeyCode::End => app.select(usize::MAX),
        KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => app.focus_reader(),
        _ => {}
    }
    None
}

fn reader_key(app: &mut App, key: KeyEvent) -> Option<Effect> {
    if let Some(effect) = common_key(app, key) {
        return effect;
    }
    let page = app.page();
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Left | KeyCode::Char('h') => {
            app.remember_position();
            app.focus = Focus::List;
            app.ensure_list_visible();
        }
        KeyCode::Char('j') | KeyCode::Down => app.scroll_by(1),
        KeyCode::Char('k') | KeyCode::Up => app.scroll_by(-1),
        KeyCode::Char(' ') | KeyCode::PageDown => app.scroll_by(page),
        KeyCode::Char('b') | KeyCode::PageUp => app.scroll_by(-page),
        KeyCode::Char('g') | KeyCode::Home => app.scroll_to(0),
        KeyCode::Char('G') | KeyCode::End => app.scroll_to(usize::MAX),
        KeyCode::Char('n') => app.next_match(true),
        KeyCode::Char('N') => app.next_match(false),
        _ => {}
    }
    None
}

fn search_key(app: &mut App, key: KeyEvent) -> Option<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let input = &mut app.search.input;
    let before = input.text().to_string();
    let last = app.search.results.len().saturating_sub(1);
    match key.code {
        KeyCode::Esc => {
            app.focus = app.focus_before_search;
            return None;
        }
        KeyCode::Enter => {
            app.open_result();
            return None;
        }
        KeyCode::Down | KeyCode::Tab => app.search.selected = (app.search.selected + 1).min(last),
        KeyCode::Up | KeyCode::BackTab => {
            app.search.selected = app.search.selected.saturating_sub(1)
        }
        KeyCode::Char('n') if ctrl => app.search.selected = (app.search.selected + 1).min(last),
        KeyCode::Char('p') if ctrl => app.search.selected = app.search.selected.saturating_sub(1),
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
