//! The one display-width function. Measured per grapheme exactly as ratatui 0.30's buffer
//! measures (ratatui-core 0.1 `Buffer::set_stringn` + `CellWidth for str`), so what we lay
//! out is what the terminal shows:
//!
//! - graphemes containing a control character are dropped by ratatui: width 0 here;
//! - a one-byte grapheme (printable ASCII) is 1 column;
//! - otherwise `UnicodeWidthStr::width` of the whole grapheme (so emoji ZWJ sequences,
//!   VS16 presentation and combining marks come out as one glyph), plus 1 for each
//!   halfwidth katakana sound mark U+FF9E/U+FF9F, which ratatui counts as a column;
//! - zero-width graphemes (ZWSP, lone combining marks) are 0 and ratatui skips them.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Columns one grapheme cluster takes.
pub fn grapheme_width(g: &str) -> usize {
    let bytes = g.as_bytes();
    if bytes.len() == 1 {
        return usize::from(!bytes[0].is_ascii_control());
    }
    if g.chars().any(char::is_control) {
        return 0;
    }
    let sound_marks = g
        .chars()
        .filter(|c| matches!(c, '\u{FF9E}' | '\u{FF9F}'))
        .count();
    g.width() + sound_marks
}

/// Columns a string takes.
pub fn str_width(s: &str) -> usize {
    if s.is_ascii() {
        // Every ASCII byte is its own grapheme except "\r\n", which holds a control anyway.
        return s.bytes().filter(|b| !b.is_ascii_control()).count();
    }
    fast_width(s).unwrap_or_else(|| s.graphemes(true).map(grapheme_width).sum())
}

/// The width of text made only of characters that are always a grapheme of their own
/// (printable ASCII, Han, CJK and general punctuation, full-width forms): there the
/// per-grapheme sum is the per-character sum, without segmenting. `None` for anything
/// else (combining marks, joiners, emoji, controls…). Chinese text is nearly always
/// here, and this is the hot path of layout and reflow.
fn fast_width(s: &str) -> Option<usize> {
    s.chars().map(simple_char_width).sum()
}

/// The width of a character that is always a grapheme of its own and never joins the
/// one before it (see [`fast_width`]); `None` for any other character.
pub(crate) fn simple_char_width(c: char) -> Option<usize> {
    use unicode_width::UnicodeWidthChar;
    // The commonest first, answered without the width table (this runs on every
    // character of every line a page is reflowed from).
    match c as u32 {
        0x20..=0x7E => Some(1),
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF01..=0xFF60 => Some(2),
        0x2010..=0x2027 | 0x3000..=0x3029 | 0x3030..=0x303F => Some(c.width().unwrap_or(0)),
        _ => None,
    }
}

/// How wide a line is in a Chinese page's type, in half-ems: as [`str_width`], except
/// that characters of ambiguous width (`●`, `▲`, `“`, `…`) take a full em, as they do
/// set among Chinese. For comparing lines set to one measure, never for the terminal.
pub(crate) fn print_width(s: &str) -> usize {
    s.width_cjk()
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
    if width == 0 {
        return String::new();
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

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthChar;

    #[test]
    fn the_simple_widths_are_the_tables() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if let Some(w) = simple_char_width(c) {
                assert_eq!(w, c.width().unwrap_or(0), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn the_fast_path_agrees_with_grapheme_segmentation() {
        for (_, bytes) in crate::archive::samples::SAMPLES {
            for line in std::str::from_utf8(bytes).unwrap().lines() {
                let slow: usize = line.graphemes(true).map(grapheme_width).sum();
                assert_eq!(str_width(line), slow, "{line}");
            }
        }
        assert_eq!(fast_width("中文，PM2.5「」"), Some(15));
        assert_eq!(
            fast_width("e\u{301}"),
            None,
            "combining marks take the slow path"
        );
        assert_eq!(fast_width("👍"), None);
    }

    #[test]
    fn widths_match_ratatui_rules() {
        assert_eq!(str_width("abc"), 3);
        assert_eq!(str_width("中文"), 4);
        assert_eq!(str_width("“你”"), 4, "curly quotes are ambiguous = 1");
        assert_eq!(str_width("a\tb\r\n"), 2, "controls are dropped by ratatui");
        assert_eq!(grapheme_width("\u{200B}"), 0);
        assert_eq!(grapheme_width("e\u{301}"), 1);
        assert_eq!(grapheme_width("👨\u{200D}👩\u{200D}👧"), 2);
        assert_eq!(str_width("\u{3000}\u{3000}"), 4);
    }

    /// Columns ratatui's buffer advances when it writes `s`.
    fn ratatui_width(s: &str) -> usize {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        use ratatui::style::Style;
        let mut buf = Buffer::empty(Rect::new(0, 0, 200, 1));
        usize::from(buf.set_stringn(0, 0, s, 200, Style::default()).0)
    }

    #[test]
    fn agrees_with_ratatui_buffer() {
        let samples = [
            "a",
            "中",
            "。",
            "“",
            "…",
            "—",
            "·",
            "\u{3000}",
            "\t",
            "\r\n",
            "\u{1b}",
            "\u{9b}",
            "\u{200B}",
            "\u{200D}",
            "\u{FE0F}",
            "\u{301}",
            "e\u{301}",
            "❤\u{FE0F}",
            "❤",
            "👍🏽",
            "🇨🇳",
            "👨\u{200D}👩\u{200D}👧",
            "ｶﾞ",
            "ﾊﾟ",
            "ﾞ",
            "紅ﾞ",
            "ｶ\u{3099}",
            "\u{AD}",
            "\u{FEFF}",
            "\u{1160}",
            "각",
            "\u{1100}\u{1161}\u{11A8}",
            "Ａ",
            "１",
            "\u{E0067}",
            "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",
        ];
        for s in samples {
            assert_eq!(str_width(s), ratatui_width(s), "{s:?}");
        }
        let mixed = "时光飞逝，岁月如梭！2018年PM2.5 “第一方阵”——😀 e\u{301}ﾊﾟ\tx";
        assert_eq!(str_width(mixed), ratatui_width(mixed));
    }

    #[test]
    fn truncate_never_exceeds() {
        for w in 0..10 {
            assert!(str_width(&truncate_to("中文abc中文", w)) <= w, "width {w}");
        }
        assert_eq!(pad_to("中", 4), "中  ");
    }
}
