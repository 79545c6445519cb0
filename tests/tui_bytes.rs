//! Bytes written to the terminal per keystroke, through the real crossterm backend into
//! a buffer. Prints the figures (`-- --nocapture`); asserts only that small changes
//! cost less than a full repaint.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dubao::app::state_file::ReadingState;
use dubao::app::{App, Effect, IndexStatus, handle_key};
use dubao::archive::source::LibrarySource;
use dubao::index::{Progress, SearchIndex};
use dubao::tui::CountingWriter;
use dubao::tui::WideAwareBackend;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::sync::atomic::Ordering;

#[test]
fn bytes_per_keystroke_stock_backend() {
    let (writer, count) = CountingWriter::new(std::io::sink());
    measure(
        "stock CrosstermBackend",
        CrosstermBackend::new(writer),
        count,
    );
}

#[test]
fn bytes_per_keystroke() {
    let (writer, count) = CountingWriter::new(std::io::sink());
    measure("WideAwareBackend", WideAwareBackend::new(writer), count);
}

fn measure<B: ratatui::backend::Backend>(
    name: &str,
    backend: B,
    count: std::sync::Arc<std::sync::atomic::AtomicU64>,
) where
    B::Error: std::fmt::Debug,
{
    println!("== {name}");
    let (w, h) = (120u16, 40u16);
    let lib = dubao::archive::load(&LibrarySource::Embedded);
    let index = SearchIndex::open(
        &LibrarySource::Embedded,
        std::path::Path::new("/nonexistent-unused"),
        &mut |_: Progress| {},
    )
    .unwrap();
    let mut app = App::new(lib, ReadingState::default(), 80);
    app.resize(w, h);
    app.index_progress(IndexStatus::Ready);
    let mut t = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
        },
    )
    .unwrap();
    let mut frame = |app: &App| {
        t.draw(|f| dubao::ui::draw(f, app, &dubao::ui::theme::Theme::new(false)))
            .unwrap();
        count.swap(0, Ordering::Relaxed)
    };
    let full = frame(&app);
    println!("first frame {w}x{h}: {full} bytes");

    let key = |c: KeyCode| KeyEvent::new(c, KeyModifiers::NONE);
    println!("open search: {} bytes", {
        handle_key(&mut app, key(KeyCode::Char('/')));
        frame(&app)
    });
    for c in "大气污染".chars() {
        let effect = handle_key(&mut app, key(KeyCode::Char(c)));
        let typed = frame(&app);
        let Some(Effect::Query {
            generation, text, ..
        }) = effect
        else {
            panic!("a query per keystroke")
        };
        app.search_results(generation, Ok(index.search(&text, 50).unwrap()));
        let answered = frame(&app);
        println!("type {c}: {typed} bytes for the keystroke, {answered} for its results");
        assert!(typed < full);
    }
    handle_key(&mut app, key(KeyCode::Enter));
    println!("open result: {} bytes", frame(&app));
    let mut scroll = Vec::new();
    for _ in 0..5 {
        handle_key(&mut app, key(KeyCode::Char('j')));
        scroll.push(frame(&app));
    }
    println!("scroll one row (j): {scroll:?} bytes");
    handle_key(&mut app, key(KeyCode::Char(' ')));
    println!("page down: {} bytes", frame(&app));
    handle_key(&mut app, key(KeyCode::Char('n')));
    println!("next match (n): {} bytes", frame(&app));
    println!("summary {name}: first frame {full}, scroll {}", scroll[0]);
}

/// A writer whose bytes the test can still read after handing it to a backend.
#[derive(Clone, Default)]
struct SharedBuf(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One frame with every basic colour as foreground and as background, plus bold and
/// reverse, drawn through the real backend; the raw bytes it wrote.
fn frame_with_every_colour(palette: dubao::tui::sgr::Palette) -> Vec<u8> {
    use ratatui::style::{Color, Modifier, Style};
    use ratatui::text::{Line, Span};
    use ratatui::widgets::Paragraph;
    let colours = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    let out = SharedBuf::default();
    let backend = WideAwareBackend::with_palette(out.clone(), palette);
    let mut t = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 40, 4)),
        },
    )
    .unwrap();
    t.draw(|f| {
        let fg: Vec<Span> = colours
            .iter()
            .map(|&c| Span::styled("读", Style::default().fg(c)))
            .collect();
        let bg: Vec<Span> = colours
            .iter()
            .map(|&c| Span::styled("x", Style::default().bg(c)))
            .collect();
        let attrs = Line::from(vec![
            Span::styled("bold", Style::default().add_modifier(Modifier::BOLD)),
            Span::styled("sel", Style::default().add_modifier(Modifier::REVERSED)),
        ]);
        f.render_widget(
            Paragraph::new(vec![Line::from(fg), Line::from(bg), attrs]),
            f.area(),
        );
    })
    .unwrap();
    out.0.take()
}

/// Linux consoles and vt100-era terminals don't know `ESC[38;5;Nm`: the basic colours
/// go out as SGR 30–37 / 90–97 and 40–47 / 100–107.
#[test]
fn basic_colours_use_the_classic_sgr_codes() {
    let bytes = frame_with_every_colour(dubao::tui::sgr::Palette::Basic16);
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("38;5;") && !text.contains("48;5;"),
        "{text:?}"
    );
    let codes: std::collections::BTreeSet<u16> = crate::util::sgr_params(&bytes)
        .iter()
        .flat_map(|p| {
            p.split(';')
                .filter_map(|n| n.parse().ok())
                .collect::<Vec<u16>>()
        })
        .collect();
    for code in (30..=37).chain(90..=97).chain(40..=47).chain(100..=107) {
        assert!(codes.contains(&code), "SGR {code} missing: {text:?}");
    }
    assert!(codes.contains(&1) && codes.contains(&7), "{text:?}");
    // The text itself is untouched.
    assert_eq!(text.matches('读').count(), 16);
}

/// NO_COLOR and colourless terminals: no colour code at all, bold and reverse kept.
#[test]
fn monochrome_writes_no_colour_codes() {
    let bytes = frame_with_every_colour(dubao::tui::sgr::Palette::Monochrome);
    let text = String::from_utf8_lossy(&bytes);
    let mut attrs = std::collections::BTreeSet::new();
    for params in crate::util::sgr_params(&bytes) {
        for n in params.split(';').filter_map(|n| n.parse::<u16>().ok()) {
            assert!(
                !matches!(n, 30..=49 | 58 | 59 | 90..=97 | 100..=107),
                "colour SGR {n} in {params:?}: {text:?}"
            );
            attrs.insert(n);
        }
    }
    assert!(attrs.contains(&1) && attrs.contains(&7), "{text:?}");
    assert_eq!(text.matches('读').count(), 16);
}
