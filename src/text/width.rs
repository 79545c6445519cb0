//! The one display-width function. Measured per grapheme with `unicode-width`, exactly as
//! ratatui's buffer measures, so what we lay out is what the terminal shows.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Columns one grapheme cluster takes.
pub fn grapheme_width(g: &str) -> usize {
    g.width()
}

/// Columns a string takes.
pub fn str_width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// Pad with spaces to exactly `width` columns (if the text is narrower).
pub fn pad_to(s: &str, width: usize) -> String {
    let w = str_width(s);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// Cut to at most `width` columns, ending with `…` when something was cut.
pub fn truncate_to(s: &str, width: usize) -> String {
    if str_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for g in s.graphemes(true) {
        let gw = grapheme_width(g);
        if w + gw + 1 > width {
            break;
        }
        out.push_str(g);
        w += gw;
    }
    out.push('…');
    out
}
