//! Key handling without a terminal: keys go into `handle_key`, we look at the state.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dubao::app::state_file::ReadingState;
use dubao::app::{App, Effect, Focus, Overlay, handle_key, handle_paste};
use dubao::archive::source::LibrarySource;
use dubao::index::{Order, Progress, SearchIndex};

fn app(w: u16, h: u16) -> App {
    let lib = dubao::archive::load(&LibrarySource::Embedded);
    let mut app = App::new(lib, ReadingState::default(), 80);
    app.resize(w, h);
    app
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn code(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.chars()
        .filter_map(|c| handle_key(app, key(c)))
        .collect()
}

/// Answer the latest query the way the worker would.
fn answer(app: &mut App, effects: &[Effect]) {
    let index = SearchIndex::open(
        &LibrarySource::Embedded,
        std::path::Path::new("/nonexistent-unused"),
        &mut |_: Progress| {},
    )
    .unwrap();
    if let Some(Effect::Query {
        generation,
        text,
        order,
    }) = effects
        .iter()
        .rev()
        .find(|e| matches!(e, Effect::Query { .. }))
    {
        app.index_progress(dubao::app::IndexStatus::Ready);
        app.search_results(*generation, Ok(index.search_in(text, 50, *order).unwrap()));
    }
}

#[test]
fn list_moves_within_bounds() {
    let mut a = app(80, 24);
    let last = a.catalog.len() - 1;
    assert!(last > 0, "the samples have several articles");
    press(&mut a, "j");
    assert_eq!(a.selected, 1);
    press(&mut a, "k");
    press(&mut a, "k");
    assert_eq!(a.selected, 0);
    press(&mut a, "G");
    assert_eq!(a.selected, last);
    press(&mut a, "jjj");
    assert_eq!(a.selected, last);
    handle_key(&mut a, code(KeyCode::Home));
    assert_eq!(a.selected, 0);
    // The reader follows the selection.
    press(&mut a, "j");
    assert_eq!(a.reader.article, Some(1));
}

#[test]
fn narrow_screen_shows_one_pane_at_a_time() {
    let mut a = app(80, 24);
    assert!(a.panes().reader.is_none());
    handle_key(&mut a, code(KeyCode::Enter));
    assert_eq!(a.focus, Focus::Reader);
    let p = a.panes();
    assert!(p.list.is_none() && p.reader.is_some());
    let id = a.current_article().unwrap().id().to_string();
    assert!(a.state.read.contains(&id), "opening marks it read");
    handle_key(&mut a, code(KeyCode::Esc));
    assert_eq!(a.focus, Focus::List);
    handle_key(&mut a, code(KeyCode::Enter));
    assert_eq!(press(&mut a, "q"), vec![], "q in the reader goes back");
    assert_eq!(a.focus, Focus::List);
    assert_eq!(press(&mut a, "q"), vec![Effect::Quit]);
}

#[test]
fn wide_screen_shows_both() {
    let mut a = app(120, 40);
    let p = a.panes();
    assert!(p.list.is_some() && p.reader.is_some());
    assert!(a.reader.column <= 80 && a.reader.column <= p.reader.unwrap().width as usize - 2);
    handle_key(&mut a, code(KeyCode::Tab));
    assert_eq!(a.focus, Focus::Reader);
    handle_key(&mut a, code(KeyCode::Tab));
    assert_eq!(a.focus, Focus::List);
}

#[test]
fn f_shows_one_pane_full_width_and_back() {
    let mut a = app(100, 30);
    handle_key(&mut a, code(KeyCode::Enter));
    assert_eq!(a.focus, Focus::Reader);
    assert!(a.panes().list.is_some(), "two panes at 100 columns");
    press(&mut a, "f");
    let p = a.panes();
    assert!(p.list.is_none());
    assert_eq!(p.reader.map(|r| (r.x, r.width)), Some((0, 100)));
    // The list, too, takes the whole screen while zoomed.
    handle_key(&mut a, code(KeyCode::Esc));
    let p = a.panes();
    assert_eq!(p.list.map(|r| r.width), Some(100));
    assert!(p.reader.is_none());
    // The choice is part of the reading state, so it is kept across runs.
    assert!(a.state.one_pane);
    let saved = serde_json::to_string(&a.state).unwrap();
    let restored: ReadingState = serde_json::from_str(&saved).unwrap();
    let mut b = App::new(dubao::archive::load(&LibrarySource::Embedded), restored, 80);
    b.resize(100, 30);
    assert!(b.panes().reader.is_none() && b.panes().list.map(|r| r.width) == Some(100));
    handle_key(&mut a, code(KeyCode::Enter));
    press(&mut a, "f");
    let p = a.panes();
    assert!(p.list.is_some() && p.reader.is_some(), "both again");
    assert!(!a.state.one_pane);
}

#[test]
fn reader_scrolls_and_stops_at_the_ends() {
    let mut a = app(80, 24);
    handle_key(&mut a, code(KeyCode::Enter));
    let total = a.reader.rows.len();
    let h = a.reader_height();
    assert!(total > h, "a sample article is longer than a screen");
    press(&mut a, "jj");
    assert_eq!(a.reader.scroll, 2);
    press(&mut a, "k");
    assert_eq!(a.reader.scroll, 1);
    press(&mut a, " ");
    assert_eq!(a.reader.scroll, 1 + a.page() as usize);
    press(&mut a, "b");
    assert_eq!(a.reader.scroll, 1);
    press(&mut a, "G");
    assert_eq!(a.reader.scroll, total - h);
    assert_eq!(a.percent(), 100);
    press(&mut a, "jjj");
    assert_eq!(a.reader.scroll, total - h);
    press(&mut a, "g");
    assert_eq!(a.reader.scroll, 0);
    assert!(a.percent() < 100);
}

#[test]
fn space_at_the_end_of_an_article_goes_on_to_the_next() {
    let mut a = app(80, 24);
    handle_key(&mut a, code(KeyCode::Enter));
    let first = a.current_article().unwrap().id().to_string();
    // Space pages through the article first...
    press(&mut a, " ");
    assert_eq!(a.current_article().unwrap().id(), first);
    assert!(a.reader.scroll > 0);
    // ...and once its end is on screen, opens the next one at its top.
    press(&mut a, "G ");
    assert_ne!(a.current_article().unwrap().id(), first);
    assert_eq!(a.reader.scroll, 0);
    assert_eq!(a.focus, Focus::Reader);
    // At the very last article it stays and says so.
    press(&mut a, "]");
    for _ in 0..a.catalog.len() {
        press(&mut a, "]");
    }
    press(&mut a, "G ");
    assert_eq!(a.message.as_deref(), Some("last article"));
}

#[test]
fn brackets_step_articles_and_braces_step_issues() {
    let mut a = app(80, 24);
    handle_key(&mut a, code(KeyCode::Enter));
    press(&mut a, "]");
    assert_eq!(a.selected, 1);
    assert_eq!(a.reader.article, Some(1));
    assert_eq!(a.focus, Focus::Reader);
    press(&mut a, "[[[");
    assert_eq!(a.selected, 0);
    let first_issue = a.catalog.issue_index(0).unwrap();
    press(&mut a, "}");
    assert_ne!(a.catalog.issue_index(a.selected).unwrap(), first_issue);
    press(&mut a, "{");
    assert_eq!(a.catalog.issue_index(a.selected).unwrap(), first_issue);
    press(&mut a, "{");
    assert_eq!(a.message.as_deref(), Some("first issue"));
}

#[test]
fn position_is_remembered_per_article_and_survives_a_resize() {
    let mut a = app(80, 24);
    handle_key(&mut a, code(KeyCode::Enter));
    press(&mut a, "          "); // ten pages down
    let pos = a.position();
    assert!(pos.paragraph.is_some());
    press(&mut a, "]");
    assert_eq!(a.reader.scroll, 0, "a new article starts at the top");
    press(&mut a, "[");
    assert_eq!(a.position(), pos);
    // A narrower column changes the rows, not the paragraph at the top.
    a.resize(60, 24);
    assert_eq!(a.position().paragraph, pos.paragraph);
    a.finish();
    let id = a.current_article().unwrap().id().to_string();
    assert_eq!(a.state.last_article.as_deref(), Some(id.as_str()));
    assert!(a.state.positions.contains_key(&id));
}

#[test]
fn search_sends_generations_drops_stale_answers_and_opens_with_highlights() {
    let mut a = app(120, 40);
    press(&mut a, "/");
    assert_eq!(a.focus, Focus::Search);
    let effects = press(&mut a, "大气");
    assert_eq!(
        effects,
        vec![
            Effect::Query {
                generation: 1,
                text: "大".into(),
                order: Order::Relevance,
            },
            Effect::Query {
                generation: 2,
                text: "大气".into(),
                order: Order::Relevance,
            }
        ]
    );
    // The answer to the first keystroke arrives late: dropped.
    a.search_results(1, Ok(Vec::new()));
    assert!(a.search.pending());
    answer(&mut a, &effects);
    assert!(!a.search.pending());
    assert!(a.search.results.len() >= 2, "several samples mention 大气");
    handle_key(&mut a, code(KeyCode::Down));
    handle_key(&mut a, ctrl('n'));
    handle_key(&mut a, ctrl('p'));
    assert_eq!(a.search.selected, 1);
    let want = a.search.results[1].id.clone();
    handle_key(&mut a, code(KeyCode::Enter));
    assert_eq!(a.focus, Focus::Reader);
    assert_eq!(a.current_article().unwrap().id(), want);
    assert_eq!(a.reader.query.as_deref(), Some("大气"));
    assert!(!a.reader.match_rows.is_empty());
    let first = a.reader.match_rows[0];
    assert!(a.reader.scroll <= first && first < a.reader.scroll + a.reader_height());
    for row in &a.reader.match_rows {
        let r = &a.reader.rows[*row];
        assert!(r.spans.iter().any(|s| s.highlight && s.text.contains('气')));
    }
    press(&mut a, "n");
    assert!(a.message.as_deref().unwrap().starts_with("match "));
    // Going round the last match says so; the steps before it don't.
    let count = a.reader.match_rows.len();
    let last = format!("match {count}/{count}");
    while a.message.as_deref() != Some(last.as_str()) {
        press(&mut a, "n");
        assert!(!a.message.as_deref().unwrap().contains("wrapped"));
    }
    press(&mut a, "n");
    assert_eq!(
        a.message.as_deref(),
        Some(format!("match 1/{count} (wrapped to the top)").as_str())
    );
    press(&mut a, "N");
    assert!(
        a.message
            .as_deref()
            .unwrap()
            .contains("wrapped to the bottom")
    );
    // One match: `n` says it is the only one rather than that it went round.
    a.reader.match_rows.truncate(1);
    press(&mut a, "n");
    assert_eq!(a.message.as_deref(), Some("match 1/1 (the only one)"));
}

#[test]
fn a_wide_screen_previews_the_chosen_result_without_reading_it() {
    let mut a = app(120, 40);
    press(&mut a, "j");
    let listed = a.selected;
    let listed_id = a.current_article().unwrap().id().to_string();
    press(&mut a, "/");
    let effects = press(&mut a, "大气");
    answer(&mut a, &effects);
    assert!(a.search.results.len() >= 2, "several samples mention 大气");
    // The first result is in the reader, at a highlighted match, and not read.
    let first = a.search.results[0].id.clone();
    assert_eq!(a.focus, Focus::Search);
    assert_eq!(a.current_article().unwrap().id(), first);
    assert!(a.reader.preview);
    assert!(
        !a.reader.match_rows.is_empty(),
        "its matches are highlighted"
    );
    // In its headline too.
    let headline = &a.search.results[0].title;
    assert!(
        headline.contains("大气"),
        "the best result has it in its title"
    );
    // The headline's rows: the first rows, each a piece of it.
    let title_lit: String = a
        .reader
        .rows
        .iter()
        .take_while(|r| {
            let text: String = r.spans.iter().map(|s| s.text.as_str()).collect();
            !text.is_empty() && headline.contains(&text)
        })
        .flat_map(|r| r.spans.iter().filter(|s| s.highlight))
        .map(|s| s.text.as_str())
        .collect();
    assert!(title_lit.contains("大气"), "{headline}: {title_lit:?}");
    let m = a.reader.match_rows[0];
    assert!(a.reader.scroll <= m && m < a.reader.scroll + a.reader_height());
    // Down shows the next one.
    handle_key(&mut a, code(KeyCode::Down));
    let second = a.search.results[1].id.clone();
    assert_eq!(a.current_article().unwrap().id(), second);
    assert!(!a.state.read.contains(&first) && !a.state.read.contains(&second));
    assert!(
        !a.state.positions.contains_key(&first),
        "a preview leaves no reading position behind"
    );
    // Esc: the list's article again, as it was.
    handle_key(&mut a, code(KeyCode::Esc));
    assert_eq!(a.focus, Focus::List);
    assert!(!a.reader.preview);
    assert_eq!(a.selected, listed);
    assert_eq!(a.current_article().unwrap().id(), listed_id);
    // Enter on a previewed result opens it for reading: now it is read.
    press(&mut a, "/");
    let again = a_query(&mut a);
    answer(&mut a, &[again]);
    handle_key(&mut a, code(KeyCode::Down));
    handle_key(&mut a, code(KeyCode::Enter));
    assert_eq!(a.focus, Focus::Reader);
    assert!(!a.reader.preview);
    assert_eq!(a.current_article().unwrap().id(), second);
    assert!(a.state.read.contains(&second));
}

/// The query the search box holds, sent again: its last character deleted and typed.
fn a_query(a: &mut App) -> Effect {
    let last = a
        .search
        .input
        .text()
        .chars()
        .last()
        .expect("a query in the box");
    handle_key(a, code(KeyCode::Backspace));
    handle_key(a, key(last)).expect("typing sends a query")
}

#[test]
fn a_narrow_screen_keeps_the_reader_on_the_list_article_while_searching() {
    let mut a = app(80, 24);
    let before = a.reader.article;
    press(&mut a, "/");
    let effects = press(&mut a, "大气");
    answer(&mut a, &effects);
    handle_key(&mut a, code(KeyCode::Down));
    assert_eq!(a.reader.article, before);
    assert!(!a.reader.preview);
}

#[test]
fn ctrl_s_asks_for_the_results_newest_first_and_back() {
    let mut a = app(120, 40);
    press(&mut a, "/");
    let effects = press(&mut a, "焦作");
    answer(&mut a, &effects);
    let best: Vec<String> = a.search.results.iter().map(|h| h.id.clone()).collect();
    let flip = handle_key(&mut a, ctrl('s')).expect("the same words asked again");
    assert!(matches!(
        &flip,
        Effect::Query { text, order: Order::Newest, .. } if text == "焦作"
    ));
    assert_eq!(a.search.order, Order::Newest);
    answer(&mut a, &[flip]);
    let dates: Vec<_> = a.search.results.iter().map(|h| h.date).collect();
    assert!(dates.len() >= 3, "the samples have several 焦作 articles");
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    assert!(
        dates.first() != dates.last(),
        "the results span several days"
    );
    let mut newest: Vec<String> = a.search.results.iter().map(|h| h.id.clone()).collect();
    let mut best_sorted = best.clone();
    newest.sort();
    best_sorted.sort();
    assert_eq!(newest, best_sorted, "the same articles, in another order");
    let back = handle_key(&mut a, ctrl('s')).unwrap();
    assert!(matches!(
        back,
        Effect::Query {
            order: Order::Relevance,
            ..
        }
    ));
}

#[test]
fn search_box_editing_keys() {
    let mut a = app(80, 24);
    press(&mut a, "/");
    press(&mut a, "空气质量");
    handle_key(&mut a, code(KeyCode::Left));
    handle_key(&mut a, code(KeyCode::Backspace));
    assert_eq!(a.search.input.text(), "空气量");
    handle_key(&mut a, ctrl('a'));
    handle_key(&mut a, code(KeyCode::Delete));
    assert_eq!(a.search.input.text(), "气量");
    handle_key(&mut a, ctrl('e'));
    assert_eq!(a.search.input.caret_col(), 4);
    let e = handle_paste(&mut a, " PM2.5\n");
    assert!(matches!(e, Some(Effect::Query { text, .. }) if text == "气量 PM2.5 "));
    handle_key(&mut a, ctrl('w'));
    assert_eq!(a.search.input.text(), "气量 ");
    handle_key(&mut a, ctrl('u'));
    assert_eq!(a.search.input.text(), "");
    // Keys that are commands elsewhere are text here.
    press(&mut a, "q?j");
    assert_eq!(a.search.input.text(), "q?j");
    assert_eq!(a.focus, Focus::Search);
    handle_key(&mut a, code(KeyCode::Esc));
    assert_eq!(a.focus, Focus::List);
    // Paste outside the search box does nothing.
    assert_eq!(handle_paste(&mut a, "x"), None);
}

#[test]
fn help_bookmarks_copy_and_quit() {
    let mut a = app(80, 24);
    press(&mut a, "?");
    assert_eq!(a.overlay, Some(Overlay::Help));
    assert_eq!(press(&mut a, "q"), vec![], "q closes the help, not the app");
    assert_eq!(a.overlay, None);

    press(&mut a, "m");
    let first = a.article(0).unwrap().id().to_string();
    assert!(a.state.is_bookmarked(&first));
    press(&mut a, "jjm");
    assert_eq!(a.bookmarks(), vec![0, 2]);
    press(&mut a, "'");
    assert!(matches!(a.overlay, Some(Overlay::Bookmarks { .. })));
    handle_key(&mut a, code(KeyCode::Enter));
    assert_eq!(a.overlay, None);
    assert_eq!(a.selected, 0);
    assert_eq!(a.focus, Focus::Reader);
    press(&mut a, "m");
    assert!(!a.state.is_bookmarked(&first));

    let effects = press(&mut a, "y");
    let Some(Effect::Copy(text)) = effects.first() else {
        panic!("y copies")
    };
    let art = a.current_article().unwrap();
    let n = a.reader.article.unwrap();
    let date = a.issue_of(n).unwrap().date.unwrap().chinese();
    assert!(text.contains(art.title()) && text.contains(art.id()) && text.contains(&date));
    let osc = dubao::tui::osc52(text);
    let b64 = osc
        .strip_prefix("\x1b]52;c;")
        .and_then(|s| s.strip_suffix('\x07'))
        .unwrap();
    use base64::Engine as _;
    let back = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert_eq!(String::from_utf8(back).unwrap(), *text);

    assert_eq!(handle_key(&mut a, ctrl('c')), Some(Effect::Quit));
}

#[test]
fn empty_library_does_not_panic() {
    let lib = dubao::archive::Library::default();
    let mut a = App::new(lib, ReadingState::default(), 80);
    a.resize(80, 24);
    for k in "jkG g[]{}nNmy'?q".chars() {
        handle_key(&mut a, key(k));
        handle_key(&mut a, code(KeyCode::Esc));
    }
    handle_key(&mut a, code(KeyCode::Enter));
    assert_eq!(a.focus, Focus::List);
}

#[test]
fn remembered_last_article_is_selected_on_start() {
    let lib = dubao::archive::load(&LibrarySource::Embedded);
    let id = lib.articles().nth(2).unwrap().id.clone();
    let state = ReadingState {
        last_article: Some(id.clone()),
        ..ReadingState::default()
    };
    let a = App::new(lib, state, 80);
    let n = a.catalog.position(&id).unwrap();
    assert_ne!(n, 0, "not the article a fresh start shows");
    assert_eq!(a.selected, n);
    assert_eq!(a.reader.article, Some(n));
}

/// A keymap from a config file's `[keys]` table.
fn keymap(toml: &str) -> dubao::app::Keymap {
    dubao::config::Config::parse(toml).unwrap().keys
}

#[test]
fn remapped_keys_dispatch_through_the_keymap() {
    let mut a = app(80, 24);
    a.keymap = keymap("[keys]\nnext_article = [\"l\"]\ndown = [\"Ctrl-n\"]\n");
    press(&mut a, "]");
    assert_eq!(a.selected, 0, "] is no longer next_article");
    press(&mut a, "l");
    assert_eq!(a.selected, 1, "l is");
    assert_eq!(a.focus, Focus::List, "and no longer opens the reader");
    press(&mut a, "j");
    assert_eq!(a.selected, 1, "j is unbound");
    handle_key(&mut a, ctrl('n'));
    assert_eq!(a.selected, 2);
    // Keys not remapped keep working; the reader sees the same keymap.
    handle_key(&mut a, code(KeyCode::Enter));
    assert_eq!(a.focus, Focus::Reader);
    press(&mut a, "l");
    assert_eq!(a.selected, 3);
    assert_eq!(a.focus, Focus::Reader);
    handle_key(&mut a, ctrl('n'));
    assert_eq!(a.reader.scroll, 1);
}

#[test]
fn remapped_quit_and_an_unbound_command() {
    let mut a = app(80, 24);
    a.keymap = keymap("[keys]\nquit = [\"Q\"]\nhelp = []\n");
    assert_eq!(press(&mut a, "q"), vec![]);
    assert_eq!(
        handle_key(
            &mut a,
            KeyEvent::new(KeyCode::Char('Q'), KeyModifiers::SHIFT)
        ),
        Some(Effect::Quit)
    );
    press(&mut a, "?");
    assert_eq!(a.overlay, None);
    // Ctrl-C quits whatever the keymap says.
    assert_eq!(handle_key(&mut a, ctrl('c')), Some(Effect::Quit));
}

#[test]
fn the_bookmark_list_follows_the_keymap() {
    let mut a = app(80, 24);
    a.keymap = keymap("[keys]\nbookmark = [\"x\"]\nbookmarks = [\"B\"]\n");
    press(&mut a, "m");
    assert!(a.state.bookmarks.is_empty(), "m is unbound");
    press(&mut a, "x");
    assert_eq!(a.state.bookmarks.len(), 1);
    press(&mut a, "B");
    assert_eq!(a.overlay, Some(Overlay::Bookmarks { selected: 0 }));
    press(&mut a, "x");
    assert!(a.state.bookmarks.is_empty(), "x removes it in the list too");
    press(&mut a, "B");
    assert_eq!(a.overlay, None);
}

#[test]
fn status_hints_show_the_bound_keys() {
    let mut a = app(80, 24);
    let before = dubao::app::keys::status_keys(&a, 200);
    assert!(before.starts_with("j/k move"), "{before}");
    a.keymap = keymap("[keys]\ndown = [\"Ctrl-n\"]\nsearch = [\"s\"]\nquit = []\n");
    let hints = dubao::app::keys::status_keys(&a, 200);
    // On a narrow line the least needed hints go first; help stays.
    let narrow = dubao::app::keys::status_keys(&a, 40);
    assert!(dubao::text::str_width(&narrow) <= 40, "{narrow}");
    assert!(narrow.contains("? help"), "{narrow}");
    assert!(hints.starts_with("Ctrl-n/k move"), "{hints}");
    assert!(hints.contains("s search"), "{hints}");
    assert!(
        !hints.contains("quit"),
        "an unbound command has no hint: {hints}"
    );
}

#[test]
fn the_reader_column_is_the_configured_measure() {
    let lib = dubao::archive::load(&LibrarySource::Embedded);
    let measure = dubao::config::Config::parse("[reader]\nmeasure = 40\n")
        .unwrap()
        .reader
        .measure;
    let mut a = App::new(lib, ReadingState::default(), measure);
    a.resize(160, 40);
    assert_eq!(a.reader.column, 40);
    assert!(a.reader.rows.iter().all(|r| r.width() <= 40));
    // A window narrower than the measure gives a narrower column.
    a.resize(30, 20);
    handle_key(&mut a, code(KeyCode::Enter));
    assert_eq!(a.reader.column, 28);
}

/// The reader as it starts for real: no catalog yet, then the catalog, then each page
/// read on request.
#[test]
fn catalog_then_pages_arrive_later() {
    use dubao::app::ListRow;
    use dubao::archive::catalog;
    let cat = catalog::scan(&LibrarySource::Embedded);
    let lib = dubao::archive::load(&LibrarySource::Embedded);
    // The longest article, so that its second paragraph can be at the top.
    let want = cat
        .heads()
        .iter()
        .max_by_key(|a| a.chars)
        .unwrap()
        .id
        .clone();
    let mut state = ReadingState {
        last_article: Some(want.clone()),
        ..ReadingState::default()
    };
    state.positions.insert(
        want.clone(),
        dubao::app::state_file::Position {
            paragraph: Some(1),
            row: 0,
        },
    );
    let mut a = App::loading(state, 60);
    a.resize(120, 20);
    assert!(!a.catalog_ready && a.wanted_page().is_none());
    // Keys before the library arrives do nothing harmful.
    press(&mut a, "jjkG");
    a.set_catalog(cat.clone());
    assert_eq!(
        a.current_article().unwrap().id(),
        want,
        "the last article read"
    );
    assert!(a.reader.rows.is_empty(), "its page is not read yet");
    let issue = a.wanted_page().expect("asks for the page");
    assert_eq!(a.wanted_page(), None, "asked once");
    let page = catalog::read_page(&LibrarySource::Embedded, &issue).unwrap();
    a.page_loaded(&issue.rel, Ok(page));
    assert!(!a.reader.rows.is_empty());
    assert_eq!(
        a.position().paragraph,
        Some(1),
        "opens where it was left: {:?}",
        a.position()
    );

    // The virtual list: a header per issue, its pages' headers when it has several,
    // then exactly their articles, in order.
    let rows = a.list_rows(0, a.list_len());
    let mut expect = Vec::new();
    for (i, issue) in cat.issues.iter().enumerate() {
        expect.push(ListRow::Issue(i));
        for p in issue.pages.clone() {
            if issue.pages.len() > 1 {
                expect.push(ListRow::Page(p));
            }
            expect.extend(cat.pages[p].articles.clone().map(ListRow::Article));
        }
    }
    assert_eq!(rows, expect);
    assert_eq!(
        rows.iter()
            .filter(|r| matches!(r, ListRow::Article(_)))
            .count(),
        lib.articles().count()
    );
    // Windows of it agree with the whole.
    for off in [0, 1, 7, rows.len() - 3] {
        assert_eq!(a.list_rows(off, 5), rows[off..(off + 5).min(rows.len())]);
    }

    // A page that can't be read: the reader says so, the rest goes on.
    let here = a.catalog.issue_index(a.selected).unwrap();
    let other = if here == 0 { "}" } else { "{" };
    press(&mut a, other);
    assert_ne!(a.catalog.issue_index(a.selected).unwrap(), here);
    let issue = a.wanted_page().expect("another issue's page is asked for");
    a.page_loaded(
        &issue.rel,
        Err(dubao::archive::ReadError::Io("permission denied".into())),
    );
    assert!(
        a.reader
            .error
            .as_deref()
            .unwrap()
            .contains("permission denied")
    );
    assert_eq!(a.wanted_page(), None, "not asked again and again");
    press(&mut a, if here == 0 { "{" } else { "}" });
    assert!(a.reader.error.is_none());

    // A new catalog (a file gone, the others changed) keeps the selection.
    let id = a.article(a.selected).unwrap().id().to_string();
    let keep = a.catalog.file_of(a.selected).unwrap().rel.clone();
    let mut files: Vec<catalog::StoredFile> = Vec::new();
    for issue in &lib.files {
        let f = dubao::archive::source::SourceFile {
            rel: issue.file.clone(),
            path: None,
            size: 0,
            mtime: None,
        };
        files.push(catalog::StoredFile::new(&f, "changed".into(), issue));
    }
    let gone = files.iter().position(|f| f.rel != keep).unwrap();
    files.remove(gone);
    let smaller = dubao::archive::Catalog::from_files(files, Vec::new());
    a.set_catalog(smaller);
    assert_eq!(
        a.catalog.files().collect::<Vec<_>>().len(),
        lib.files.len() - 1
    );
    assert_eq!(a.article(a.selected).unwrap().id(), id);
}

/// The reader as it starts: the samples listed, no page read yet (they arrive later,
/// from `page_loaded`).
fn listed_not_read(w: u16, h: u16) -> App {
    let mut a = App::loading(ReadingState::default(), 60);
    a.resize(w, h);
    a.set_catalog(dubao::archive::catalog::scan(&LibrarySource::Embedded));
    a
}

/// The file changed since the list was made: its page no longer holds the article. The
/// reader says so (once: it does not ask for the page again and again).
#[test]
fn article_gone_from_its_changed_file() {
    use dubao::archive::catalog;
    let mut a = listed_not_read(120, 30);
    let issue = a.wanted_page().expect("asks for the first page");
    let mut page = catalog::read_page(&LibrarySource::Embedded, &issue).unwrap();
    for art in &mut page.articles {
        art.id = format!("changed-{}", art.id);
    }
    a.page_loaded(&issue.rel, Ok(page));
    assert!(a.reader.rows.is_empty());
    assert!(a.reader.error.as_deref().unwrap().contains("no longer"));
    // The next article of the same issue: the page is there, the article is not.
    press(&mut a, "j");
    assert_eq!(a.catalog.file_of(a.selected).unwrap().rel, issue.rel);
    assert_eq!(a.wanted_page(), None);
    assert!(a.reader.error.as_deref().unwrap().contains("no longer"));
}

/// A first launch sends the list in parts as the files are read: the reader goes to
/// the article last read when it turns up (unless the user moved meanwhile), and pages
/// already read are not read again.
#[test]
fn list_in_parts_finds_the_last_article() {
    use dubao::archive::catalog::{self, StoredFile};
    let lib = dubao::archive::load(&LibrarySource::Embedded);
    let stored: Vec<StoredFile> = lib
        .files
        .iter()
        .map(|issue| {
            let f = dubao::archive::source::SourceFile {
                rel: issue.file.clone(),
                path: None,
                size: 0,
                mtime: None,
            };
            StoredFile::new(&f, format!("v1-{}", issue.file), issue)
        })
        .collect();
    let part = |k: usize| {
        if k < stored.len() {
            dubao::archive::Catalog::part(stored[..k].to_vec(), Vec::new())
        } else {
            dubao::archive::Catalog::from_files(stored.clone(), Vec::new())
        }
    };
    let last = lib.files.last().unwrap().articles[1].id.clone();
    let state = || ReadingState {
        last_article: Some(last.clone()),
        ..ReadingState::default()
    };

    let mut a = App::loading(state(), 60);
    a.resize(120, 30);
    a.set_catalog(part(1));
    assert_ne!(a.current_article().unwrap().id(), last, "not listed yet");
    let first = a.wanted_page().unwrap();
    a.page_loaded(
        &first.rel,
        Ok(catalog::read_page(&LibrarySource::Embedded, &first).unwrap()),
    );
    a.set_catalog(part(3));
    // Newer issues came in above it: the user, who has not moved, is at the top again.
    assert_eq!(a.selected, 0, "the top of the list as it now stands");
    assert_ne!(
        a.wanted_page().map(|p| p.rel),
        Some(first.rel.clone()),
        "the page read stays read (same file, same version)"
    );
    a.set_catalog(part(stored.len()));
    assert_eq!(a.current_article().unwrap().id(), last, "found when listed");

    // The user moves before the last article is listed: no jump.
    let mut b = App::loading(state(), 60);
    b.resize(120, 30);
    b.set_catalog(part(1));
    press(&mut b, "j");
    let moved_to = b.current_article().unwrap().id().to_string();
    b.set_catalog(part(stored.len()));
    assert_eq!(b.current_article().unwrap().id(), moved_to);

    // Nothing read before: the whole list opens at its top (the newest issue), not at
    // the article that happened to be first in the part listed early.
    let mut c = App::loading(ReadingState::default(), 60);
    c.resize(120, 30);
    c.set_catalog(part(2));
    let early_top = c.current_article().unwrap().id().to_string();
    let status = dubao::app::keys::status_keys(&c, 100);
    assert!(status.starts_with("listing the library…"), "{status}");
    assert!(status.contains("quit"), "keys work meanwhile: {status}");
    c.set_catalog(part(stored.len()));
    let status = dubao::app::keys::status_keys(&c, 100);
    assert!(!status.contains("listing"), "{status}");
    let whole = dubao::archive::Catalog::from_files(stored.clone(), Vec::new());
    assert_eq!(c.selected, 0);
    assert_eq!(
        c.current_article().unwrap().id(),
        whole.article(0).unwrap().id()
    );
    assert_ne!(
        early_top,
        whole.article(0).unwrap().id(),
        "the test needs a part whose top is not the whole's top"
    );
}

/// A preview whose page is still being read keeps the article before it on screen (no
/// "loading…" in between); the new one replaces it once read.
#[test]
fn a_preview_keeps_the_screen_until_its_page_is_read() {
    use dubao::archive::catalog;
    let mut a = listed_not_read(120, 30);
    let first = a.wanted_page().expect("the first article's page");
    a.page_loaded(
        &first.rel,
        catalog::read_page(&LibrarySource::Embedded, &first),
    );
    assert!(!a.reader.rows.is_empty());
    let shown = screen(&a, 120, 30);
    let listed_line = shown.lines().next().unwrap().to_string();
    press(&mut a, "/");
    let effects = press(&mut a, "大气");
    answer(&mut a, &effects);
    // A result from another page than the one read.
    let other = a
        .search
        .results
        .iter()
        .position(|h| h.file != first.rel)
        .expect("大气 is on several pages");
    for _ in 0..other {
        handle_key(&mut a, code(KeyCode::Down));
    }
    assert!(
        a.reader.preview && a.reader.rows.is_empty(),
        "its page is being read"
    );
    let waiting = screen(&a, 120, 30);
    assert!(!waiting.contains("loading…"), "{waiting}");
    let reader_of = |screen: &str| -> String {
        screen
            .lines()
            .next()
            .and_then(|l| l.rsplit_once('│'))
            .map(|(_, r)| r.trim().to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        reader_of(&waiting),
        reader_of(&listed_line),
        "the screen before"
    );
    let page = a.wanted_page().expect("asks for the result's page");
    a.page_loaded(
        &page.rel,
        catalog::read_page(&LibrarySource::Embedded, &page),
    );
    let read = screen(&a, 120, 30);
    // Its headline on top (wrapped: the first row is the start of it).
    let want = &a.search.results[other].title;
    let top = reader_of(&read);
    assert!(top.chars().count() > 4 && want.starts_with(&top), "{read}");
}

/// The screen as text (each wide glyph once), as the terminal would show it.
fn screen(a: &App, w: u16, h: u16) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| dubao::ui::draw(f, a, &dubao::ui::theme::Theme::new(true)))
        .unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            x += dubao::text::str_width(sym).max(1) as u16;
        }
        out.push('\n');
    }
    out
}
