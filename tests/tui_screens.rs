//! Whole screens drawn to ratatui's `TestBackend`, snapshotted with insta.
//! Regenerate after a layout or search change: `INSTA_UPDATE=always cargo test --test tui_screens`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dubao::app::state_file::ReadingState;
use dubao::app::{App, Effect, IndexStatus, handle_key};
use dubao::archive::source::LibrarySource;
use dubao::index::{Progress, SearchIndex};
use dubao::text::str_width;
use dubao::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (40, 20)];

/// The embedded samples, parsed once.
static LIBRARY: std::sync::LazyLock<dubao::archive::Library> =
    std::sync::LazyLock::new(|| dubao::archive::load(&LibrarySource::Embedded));

/// The reader's state and the colours it is drawn in.
struct Shown {
    app: App,
    theme: Theme,
}

impl std::ops::Deref for Shown {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl std::ops::DerefMut for Shown {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

fn app(w: u16, h: u16, no_color: bool) -> Shown {
    let lib = LIBRARY.clone();
    let mut app = App::new(lib, ReadingState::default(), 80);
    app.resize(w, h);
    app.index_progress(IndexStatus::Ready);
    Shown {
        app,
        theme: Theme::new(no_color),
    }
}

fn keys(app: &mut App, s: &str) -> Vec<Effect> {
    s.chars()
        .filter_map(|c| handle_key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
        .collect()
}

fn enter(app: &mut App) {
    handle_key(app, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
}

fn terminal(shown: &Shown, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| dubao::ui::draw(f, &shown.app, &shown.theme))
        .unwrap();
    no_half_glyphs(t.backend().buffer());
    t
}

fn render(app: &Shown, w: u16, h: u16) -> String {
    screen_text(terminal(app, w, h).backend().buffer())
}

/// The screen as text, one line per row, as a terminal shows it: the cell after a wide
/// glyph is its right half and is skipped. Trailing spaces are cut, edges marked `|`.
fn screen_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut x = 0;
        while x < buf.area.width {
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            x += str_width(sym).max(1) as u16;
        }
        out.push_str(line.trim_end());
        out.push_str("|\n");
    }
    out
}

/// The cell after a wide glyph is its right half: nothing may be drawn there
/// (ratatui's diff would drop it and the terminal would show something else).
fn no_half_glyphs(buf: &Buffer) {
    let area = buf.area;
    for y in 0..area.height {
        let mut row_width = 0;
        let mut x = 0;
        while x < area.width {
            let sym = buf[(x, y)].symbol();
            let w = str_width(sym).max(1) as u16;
            for k in 1..w {
                if x + k < area.width {
                    let hidden = buf[(x + k, y)].symbol();
                    assert!(
                        hidden == " " || hidden.is_empty(),
                        "row {y}: {hidden:?} drawn over the right half of {sym:?}"
                    );
                }
            }
            row_width += w;
            x += w;
        }
        assert!(row_width <= area.width + 1, "row {y} too wide");
    }
}

fn search(app: &mut App, query: &str) {
    keys(app, "/");
    let effects = keys(app, query);
    let Some(Effect::Query {
        generation, text, ..
    }) = effects.last()
    else {
        panic!("typing sends a query")
    };
    let index = SearchIndex::open(
        &LibrarySource::Embedded,
        std::path::Path::new("/nonexistent-unused"),
        &mut |_: Progress| {},
    )
    .unwrap();
    app.search_results(*generation, Ok(index.search(text, 50).unwrap()));
    let count = index.count(text, &|| false).unwrap().unwrap();
    app.search_count(*generation, count);
}

#[test]
fn list_screens() {
    for (w, h) in SIZES {
        let a = app(w, h, false);
        insta::assert_snapshot!(format!("list_{w}x{h}"), render(&a, w, h));
    }
}

#[test]
fn reader_screens() {
    for (w, h) in SIZES {
        let mut a = app(w, h, false);
        keys(&mut a, "j");
        enter(&mut a);
        keys(&mut a, "jjj");
        insta::assert_snapshot!(format!("reader_{w}x{h}"), render(&a, w, h));
    }
}

#[test]
fn search_screens() {
    for (w, h) in SIZES {
        let mut a = app(w, h, false);
        search(&mut a, "大气");
        assert!(!a.search.results.is_empty());
        let mut t = terminal(&a, w, h);
        // The caret sits after the two Han characters (4 columns) inside the box.
        assert_eq!(t.get_cursor_position().unwrap(), (1 + 4, 1).into());
        insta::assert_snapshot!(format!("search_{w}x{h}"), screen_text(t.backend().buffer()));
        // ... and the reader opened from a result, matches highlighted.
        enter(&mut a);
        insta::assert_snapshot!(format!("search_opened_{w}x{h}"), render(&a, w, h));
    }
}

#[test]
fn help_screens() {
    for (w, h) in SIZES {
        let mut a = app(w, h, false);
        keys(&mut a, "?");
        insta::assert_snapshot!(format!("help_{w}x{h}"), render(&a, w, h));
    }
}

#[test]
fn too_small_screen() {
    let a = app(19, 5, false);
    insta::assert_snapshot!("too_small_19x5", render(&a, 19, 5));
}

#[test]
fn indexing_gauge_shows_in_the_status_line() {
    let mut a = app(80, 24, false);
    a.index_progress(IndexStatus::Building(Progress {
        files_done: 2,
        files_total: 5,
        ..Progress::default()
    }));
    keys(&mut a, "/雾");
    let screen = render(&a, 80, 24);
    assert!(screen.contains("indexing [####      ] 2/5"), "{screen}");
    assert!(screen.contains("indexing…"), "{screen}");
    // Before anything is known to need indexing: checking, not a 0/0 gauge.
    a.index_progress(IndexStatus::Building(Progress::default()));
    let screen = render(&a, 80, 24);
    assert!(screen.contains("indexing: checking files"), "{screen}");
    assert!(screen.contains("checking the files"), "{screen}");
    assert!(!screen.contains("0/0"), "{screen}");
}

#[test]
fn no_panic_at_any_small_size() {
    for w in [0u16, 1, 2, 3, 5, 19, 20, 21, 23, 39, 41, 99, 100] {
        for h in [0u16, 1, 2, 5, 6, 7, 9] {
            for script in ["", "j\n", "?", "/大气", "'", "\nG"] {
                let mut a = app(w, h, false);
                for c in script.chars() {
                    if c == '\n' {
                        enter(&mut a);
                    } else {
                        keys(&mut a, &c.to_string());
                    }
                }
                let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                t.draw(|f| dubao::ui::draw(f, &a.app, &a.theme)).unwrap();
                no_half_glyphs(t.backend().buffer());
            }
        }
    }
}

#[test]
fn overlay_never_leaves_half_a_glyph_under_its_edge() {
    // Odd widths put the overlay's left border on odd columns, right of Han text.
    for w in [81u16, 83, 101, 121] {
        let mut a = app(w, 30, false);
        enter(&mut a);
        keys(&mut a, "?");
        terminal(&a, w, 30);
    }
}

fn colours(buf: &Buffer) -> Vec<Color> {
    buf.content
        .iter()
        .flat_map(|c| [c.fg, c.bg])
        .filter(|c| *c != Color::Reset)
        .collect()
}

#[test]
fn no_color_means_no_colour_and_basic_colours_otherwise() {
    let mut a = app(120, 40, true);
    search(&mut a, "大气");
    enter(&mut a);
    let t = terminal(&a, 120, 40);
    assert_eq!(colours(t.backend().buffer()), vec![]);

    let mut a = app(120, 40, false);
    search(&mut a, "大气");
    enter(&mut a);
    let t = terminal(&a, 120, 40);
    let used = colours(t.backend().buffer());
    assert!(!used.is_empty());
    assert!(
        used.iter()
            .all(|c| !matches!(c, Color::Rgb(..) | Color::Indexed(_))),
        "only the 16 basic colours"
    );
}

#[test]
fn help_shows_remapped_keys() {
    let mut a = app(80, 24, false);
    a.keymap = dubao::config::Config::parse("[keys]\nnext_article = [\"l\"]\nhelp = [\"F1\"]\n")
        .unwrap()
        .keys;
    handle_key(&mut a, KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE));
    let screen = render(&a, 80, 24);
    let row = |what: &str| {
        screen
            .lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no {what:?} row:\n{screen}"))
            .to_string()
    };
    assert!(row("prev / next article").contains("│[ / l "), "{screen}");
    // (In the second column when the help is laid out in two.)
    let help = row("this help");
    assert!(help.contains("│F1 ") || help.contains(" F1  "), "{screen}");
    // `l` left `open`: its row no longer lists it.
    assert!(row("read the article").contains("│Enter → "), "{screen}");
    assert!(!row("read the article").contains("→ l"), "{screen}");
}

#[test]
fn configured_colours_are_used_and_no_color_still_wins() {
    let colors = dubao::config::Config::parse(
        "[colors]\nstatus = \"bright_yellow on magenta\"\nselection = \"red on green\"\n",
    )
    .unwrap()
    .colors;
    let mut a = app(80, 24, false);
    a.theme = Theme::with_colors(&colors, false);
    let t = terminal(&a, 80, 24);
    let buf = t.backend().buffer();
    let status = &buf[(0, 23)];
    assert_eq!((status.fg, status.bg), (Color::LightYellow, Color::Magenta));
    let used = colours(buf);
    assert!(used.contains(&Color::Green), "the selected row");
    assert!(
        !used.contains(&Color::Blue),
        "the default status colour is gone"
    );

    let mut a = app(80, 24, true);
    a.theme = Theme::with_colors(&colors, true);
    let t = terminal(&a, 80, 24);
    assert_eq!(colours(t.backend().buffer()), vec![]);
}

/// Quit half-way down a long article, start again at the same size: the same page.
/// (The first layout happens at a default size, before the terminal's is known; the
/// saved row must survive it.)
#[test]
fn a_restart_reopens_the_same_page() {
    let longest = (2..LIBRARY
        .files
        .iter()
        .map(|i| i.articles.len())
        .sum::<usize>())
        .max_by_key(|&n| {
            let a = app(80, 24, false);
            a.article_text(n).map_or(0, |a| a.body().chars().count())
        })
        .unwrap();
    for (w, h) in [(100, 30), (120, 40), (80, 24), (40, 20)] {
        let mut a = app(w, h, false);
        for _ in 0..longest {
            keys(&mut a, "j");
        }
        enter(&mut a);
        keys(&mut a, "jjjjjjj ");
        assert!(a.reader.scroll > 7, "{w}x{h}: scrolled");
        let before = render(&a, w, h);
        a.finish();

        let mut b = Shown {
            app: App::new(LIBRARY.clone(), a.state.clone(), 80),
            theme: Theme::new(false),
        };
        b.resize(w, h);
        b.index_progress(IndexStatus::Ready);
        enter(&mut b);
        assert_eq!(b.reader.scroll, a.reader.scroll, "{w}x{h}");
        assert_eq!(render(&b, w, h), before, "{w}x{h}");
    }
}

/// On a screen too short for the help, the moving keys scroll it until every key has
/// been shown, and other keys still close it; where it all fits, any key closes it.
#[test]
fn help_scrolls_on_a_small_screen() {
    use dubao::app::Overlay;
    for (w, h) in [(40, 20), (40, 12), (60, 10), (100, 14)] {
        let mut a = app(w, h, false);
        keys(&mut a, "?");
        let mut seen = String::new();
        for _ in 0..30 {
            seen.push_str(&render(&a, w, h));
            keys(&mut a, "j");
            assert_eq!(a.overlay, Some(Overlay::Help), "{w}x{h}: j scrolls");
        }
        // (Two narrow columns may cut the end of a description.)
        for (_, what) in dubao::app::keys::help_rows(&a.keymap) {
            let start: String = what.chars().take(12).collect();
            assert!(seen.contains(&start), "{w}x{h}: {what:?} never shown");
        }
        let end = render(&a, w, h);
        assert!(
            end.contains("close the search") && end.contains("↑"),
            "{end}"
        );
        if (w, h) == (40, 20) {
            insta::assert_snapshot!("help_40x20_scrolled", end);
        }
        for _ in 0..4 {
            handle_key(&mut a, KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE));
        }
        assert!(
            render(&a, w, h).contains("down / up"),
            "{w}x{h}: back to the top"
        );
        keys(&mut a, "q");
        assert_eq!(a.overlay, None, "{w}x{h}: q closes");
    }
    let mut a = app(120, 40, false);
    keys(&mut a, "?j");
    assert_eq!(a.overlay, None, "the whole help fits: j closes it");
}
