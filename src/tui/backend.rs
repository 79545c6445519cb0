//! The terminal backend: crossterm's, writing fewer bytes for Chinese text and only
//! colour codes the terminal understands, and a byte counter for `DUBAO_TRACE_BYTES`.

use super::sgr::{Palette, SgrFilter};
use super::shadow::Shadow;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts the bytes written to the terminal (for `DUBAO_TRACE_BYTES`).
pub struct CountingWriter<W> {
    inner: W,
    count: Arc<AtomicU64>,
}

impl<W: Write> CountingWriter<W> {
    pub fn new(inner: W) -> (Self, Arc<AtomicU64>) {
        let count = Arc::new(AtomicU64::new(0));
        (
            CountingWriter {
                inner,
                count: count.clone(),
            },
            count,
        )
    }
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The crossterm backend, minus one waste: it moves the cursor before every cell that
/// follows a wide glyph (it expects the next cell at x+1, a Han character puts it at
/// x+2), which is a cursor move per Han character. We hand it an empty cell for each
/// wide glyph's right half so its cursor bookkeeping stays in step: same screen,
/// about half the bytes for Chinese text. Its output goes through an [`SgrFilter`], so
/// colours reach the terminal as codes it understands (see [`super::sgr`]).
///
/// It also keeps the screen it drew ([`Shadow`]), so rows that moved are moved by the
/// terminal (a scroll region) rather than written again.
pub struct WideAwareBackend<W: Write> {
    inner: CrosstermBackend<SgrFilter<W>>,
    shadow: Shadow,
    /// Whether rows may be moved (`DUBAO_SCROLL_REGION=0` turns it off).
    scrolls: bool,
    started: bool,
}

impl<W: Write> WideAwareBackend<W> {
    /// Colours for the terminal in the environment (`TERM`, `NO_COLOR`).
    pub fn new(writer: W) -> Self {
        Self::with_palette(writer, Palette::from_env())
    }

    pub fn with_palette(writer: W, palette: Palette) -> Self {
        WideAwareBackend {
            inner: CrosstermBackend::new(SgrFilter::new(writer, palette)),
            shadow: Shadow::default(),
            scrolls: std::env::var_os("DUBAO_SCROLL_REGION").is_none_or(|v| v != "0"),
            started: false,
        }
    }

    /// The screen's size, when the terminal says (a pipe or a test's sink cannot: then
    /// no rows are moved).
    fn screen_size(&self) -> Option<Size> {
        self.inner.size().ok()
    }

    /// Write raw bytes to the terminal (OSC 52).
    pub(crate) fn write_raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.inner.write_all(bytes)?;
        Write::flush(&mut self.inner)
    }
}

impl<W: Write> Backend for WideAwareBackend<W> {
    type Error = std::io::Error;

    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        if !self.started {
            // The first frame is drawn on a blank (alternate) screen.
            self.started = true;
            let size = self.screen_size();
            self.shadow.cleared(size.filter(|_| self.scrolls));
        }
        let given: Vec<(u16, u16, Cell)> = content.map(|(x, y, c)| (x, y, c.clone())).collect();
        let (scroll, given) = self.shadow.plan(given);
        if let Some(scroll) = scroll {
            self.inner.write_all(scroll.escapes().as_bytes())?;
        }
        let mut cells: Vec<(u16, u16, Cell)> = Vec::with_capacity(given.len());
        for (x, y, cell) in given {
            let wide = is_surely_wide(cell.symbol());
            if wide {
                let mut half = cell.clone();
                half.set_symbol("");
                cells.push((x, y, cell));
                cells.push((x.saturating_add(1), y, half));
            } else {
                cells.push((x, y, cell));
            }
        }
        self.inner.draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))
    }
    fn append_lines(&mut self, n: u16) -> std::io::Result<()> {
        self.shadow.forget();
        self.inner.append_lines(n)
    }
    fn hide_cursor(&mut self) -> std::io::Result<()> {
        self.inner.hide_cursor()
    }
    /// Never fails. ratatui's `Terminal` shows the cursor when dropped and reports a
    /// failure with `eprintln!`, which panics when stderr is gone too (a hung-up
    /// terminal, SIGHUP): that panic used to end the reader before it saved the reading
    /// state. A dead terminal is noticed by the next draw's write anyway, and
    /// `restore_terminal` shows the cursor again.
    fn show_cursor(&mut self) -> std::io::Result<()> {
        let _ = self.inner.show_cursor();
        Ok(())
    }
    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> std::io::Result<()> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> std::io::Result<()> {
        self.inner.clear()?;
        self.screen_cleared();
        Ok(())
    }
    fn clear_region(&mut self, clear_type: ClearType) -> std::io::Result<()> {
        self.inner.clear_region(clear_type)?;
        match clear_type {
            ClearType::All => self.screen_cleared(),
            _ => self.shadow.forget(),
        }
        Ok(())
    }
    fn size(&self) -> std::io::Result<Size> {
        self.inner.size()
    }
    fn window_size(&mut self) -> std::io::Result<WindowSize> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

impl<W: Write> WideAwareBackend<W> {
    /// The whole screen is blank now (a clear, a resize).
    fn screen_cleared(&mut self) {
        self.started = true;
        let size = self.screen_size().filter(|_| self.scrolls);
        self.shadow.cleared(size);
    }
}

/// A grapheme that every terminal draws two columns wide (see
/// [`crate::text::script::is_surely_wide`]); emoji and other glyphs whose width
/// terminals disagree on keep the stock cursor moves.
fn is_surely_wide(symbol: &str) -> bool {
    let mut chars = symbol.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if crate::text::script::is_surely_wide(c))
}
