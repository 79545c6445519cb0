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
    let mut app = App::new(lib, ReadingState::default(), 80, false);
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
        t.draw(|f| dubao::ui::draw(f, app)).unwrap();
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
        let Some(Effect::Query { generation, text }) = effect else {
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
