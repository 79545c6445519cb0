//! The search box's line editor. Edits by grapheme so that a caret never lands inside
//! a Han character or a combining sequence, and measures with the one width function
//! so that the caret is drawn where the terminal shows the text.

use crate::text::{grapheme_width, str_width};
use unicode_segmentation::UnicodeSegmentation;

/// One line of editable text, a caret (a byte offset on a grapheme boundary) and a
/// horizontal scroll in columns for text longer than the box.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InputLine {
    text: String,
    caret: usize,
    scroll: usize,
}

impl InputLine {
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte offset of the caret.
    #[cfg(test)]
    pub(crate) fn caret(&self) -> usize {
        self.caret
    }

    /// Columns from the start of the text to the caret.
    pub fn caret_col(&self) -> usize {
        str_width(&self.text[..self.caret])
    }

    /// Insert text at the caret (one key, an IME commit or a paste). Line breaks and
    /// control characters become spaces or vanish: a query is one line.
    pub(crate) fn insert(&mut self, s: &str) {
        let clean: String = s
            .chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect();
        self.text.insert_str(self.caret, &clean);
        self.caret += clean.len();
    }

    fn prev_boundary(&self) -> Option<usize> {
        self.text[..self.caret]
            .grapheme_indices(true)
            .next_back()
            .map(|(i, _)| i)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.text[self.caret..]
            .graphemes(true)
            .next()
            .map(|g| self.caret + g.len())
    }

    pub(crate) fn left(&mut self) {
        if let Some(i) = self.prev_boundary() {
            self.caret = i;
        }
    }

    pub(crate) fn right(&mut self) {
        if let Some(i) = self.next_boundary() {
            self.caret = i;
        }
    }

    pub(crate) fn home(&mut self) {
        self.caret = 0;
    }

    pub(crate) fn end(&mut self) {
        self.caret = self.text.len();
    }

    /// Delete the grapheme before the caret.
    pub(crate) fn backspace(&mut self) {
        if let Some(i) = self.prev_boundary() {
            self.text.replace_range(i..self.caret, "");
            self.caret = i;
        }
    }

    /// Delete the grapheme under the caret.
    pub(crate) fn delete(&mut self) {
        if let Some(i) = self.next_boundary() {
            self.text.replace_range(self.caret..i, "");
        }
    }

    /// Ctrl-U: delete everything before the caret.
    pub(crate) fn kill_to_start(&mut self) {
        self.text.replace_range(..self.caret, "");
        self.caret = 0;
    }

    /// Ctrl-W: delete the word before the caret (spaces, then up to the previous space).
    pub(crate) fn delete_word(&mut self) {
        let before: Vec<(usize, &str)> = self.text[..self.caret].grapheme_indices(true).collect();
        let mut i = before.len();
        while i > 0 && before[i - 1].1.trim().is_empty() {
            i -= 1;
        }
        while i > 0 && !before[i - 1].1.trim().is_empty() {
            i -= 1;
        }
        let start = before.get(i).map_or(self.caret, |(b, _)| *b);
        self.text.replace_range(start..self.caret, "");
        self.caret = start;
    }

    /// Keep the caret visible in a box `width` columns wide (one column is kept for
    /// the caret after the last character).
    pub(crate) fn scroll_to_caret(&mut self, width: usize) {
        let width = width.max(1);
        let col = self.caret_col();
        if col < self.scroll {
            self.scroll = col;
        } else if col >= self.scroll + width {
            self.scroll = col + 1 - width;
        }
        // Don't leave empty space on the right when text was deleted.
        let total = str_width(&self.text) + 1;
        if total <= width {
            self.scroll = 0;
        } else if self.scroll + width > total {
            self.scroll = total - width;
        }
    }

    /// The part of the text shown in a box `width` columns wide, and the caret's column
    /// in it. A wide glyph cut by either edge is shown as spaces, never half drawn.
    pub(crate) fn view(&self, width: usize) -> (String, usize) {
        let mut out = String::new();
        let mut col = 0;
        let end = self.scroll + width;
        for g in self.text.graphemes(true) {
            let w = grapheme_width(g);
            let (start, stop) = (col, col + w);
            col = stop;
            if stop <= self.scroll {
                continue;
            }
            if start >= end {
                break;
            }
            if start < self.scroll || stop > end {
                let visible = stop.min(end) - start.max(self.scroll);
                out.extend(std::iter::repeat_n(' ', visible));
            } else {
                out.push_str(g);
            }
        }
        let caret = self.caret_col().saturating_sub(self.scroll).min(width);
        (out, caret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> InputLine {
        let mut l = InputLine::default();
        l.insert(s);
        l
    }

    #[test]
    fn caret_moves_by_grapheme_and_measures_columns() {
        let mut l = line("雾霾e\u{301}x");
        assert_eq!(l.caret_col(), 6);
        l.left();
        assert_eq!(l.caret_col(), 5);
        l.left(); // over e + combining acute as one grapheme
        assert_eq!(l.caret_col(), 4);
        l.backspace();
        assert_eq!(l.text(), "雾e\u{301}x");
        assert_eq!(l.caret_col(), 2);
        l.delete();
        assert_eq!(l.text(), "雾x");
    }

    #[test]
    fn ctrl_w_and_ctrl_u() {
        let mut l = line("PM2.5 雾霾  ");
        l.delete_word();
        assert_eq!(l.text(), "PM2.5 ");
        l.insert("治理");
        l.left();
        l.kill_to_start();
        assert_eq!(l.text(), "理");
        assert_eq!(l.caret(), 0);
    }

    #[test]
    fn paste_is_one_line() {
        let l = line("大气\n污染\x1b[31m");
        assert_eq!(l.text(), "大气 污染[31m");
    }

    #[test]
    fn long_text_scrolls_and_never_shows_half_a_glyph() {
        let mut l = line("一二三四五六七八九十");
        l.scroll_to_caret(7);
        let (view, caret) = l.view(7);
        assert!(str_width(&view) <= 7, "{view:?}");
        assert_eq!(caret, 6);
        assert!(view.ends_with("十"));
        l.home();
        l.scroll_to_caret(7);
        let (view, caret) = l.view(7);
        assert_eq!(caret, 0);
        assert_eq!(view, "一二三 ");
    }
}
