//! The one wrapping routine, with Chinese line-breaking rules. Everything that shows a
//! paragraph (the reader pane, `dubao show`) wraps through [`wrap`], so they agree.
//!
//! # Rules
//!
//! Widths are measured per grapheme with [`grapheme_width`] (ratatui's own measure).
//!
//! - **Fit**: no row is wider than `width`. A wide glyph that does not fit moves to the next
//!   row. A width of 0 counts as 1; at width 1 a wide glyph (Han, emoji) sits alone on its
//!   row and overflows it by a column, since it cannot be cut.
//! - **Break opportunities**: between any two Han/kana/hangul characters and around emoji
//!   (every wide glyph); at spaces. Runs of Latin letters, digits and ASCII symbols are
//!   glued, so `GDP`, `AAAAA`, `PM2.5`, `6.6%`, `1,000`, `1~10`, `km/h` stay whole
//!   (`AAAAA级` may break before `级`). Fullwidth letters and digits (`２０１８`) are
//!   treated like Latin ones.
//! - **Kinsoku** (W3C clreq, basic level; no hanging punctuation): no break before closing
//!   and ending punctuation (`、，。；：！？”’）》」』】〉…—%` and their relatives, ASCII
//!   `,.;:!?)]}%/`), no break after opening punctuation (`“‘（《「『【〈` and ASCII `([{`).
//!   So `——` and `……` never split. ASCII `"` and `'` are ambiguous and glue on both sides.
//!   The same holds across spaces: `GDP )` does not break at the space.
//! - A **unit** is a run between two break opportunities. Rows are filled greedily with whole
//!   units, so every rule holds whenever the row is at least as wide as the longest unit.
//!   A unit wider than a row starts a new row and is cut by grapheme (rules may then be
//!   broken, width never is).
//! - **Spaces**: a break at spaces drops them; rows never start or end with a space (the
//!   paragraph's leading and trailing spaces, ASCII or U+3000, are dropped too). Spaces
//!   inside a row are kept. A `\n` inside the paragraph forces a break.
//! - **Indent**: with `indent`, the first row starts with two U+3000 ([`INDENT`], 4
//!   columns), replacing whatever whitespace the paragraph starts with (never doubled).
//!   No indent when `width < 6`, or when the first unit fits a full row but not an indented
//!   one (better than a row holding only the indent).
//!
//! Cost: one pass to measure graphemes, one to group units, one to fill rows; no
//! per-character allocation.

use super::width::grapheme_width;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// The first-row indent: two ideographic spaces.
pub(crate) const INDENT: &str = "\u{3000}\u{3000}";
const INDENT_WIDTH: usize = 4;
/// Below this width an indent would eat most of the row.
const MIN_WIDTH_FOR_INDENT: usize = 6;

/// One row of a wrapped paragraph: an optional indent, then `text[range]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Leading indent (two U+3000 on a paragraph's first row, else empty).
    pub indent: &'static str,
    /// Byte range of the row's text in the paragraph that was wrapped.
    pub range: Range<usize>,
}

impl Row {
    /// The row as display text.
    pub fn text(&self, paragraph: &str) -> String {
        format!("{}{}", self.indent, &paragraph[self.range.clone()])
    }
}

/// How a grapheme behaves at a possible break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Breakable space, dropped at a break.
    Space,
    /// Forces a break, dropped.
    Newline,
    /// Latin letters, digits, ASCII symbols: no break between two of these.
    Word,
    /// Han, kana, emoji and other wide glyphs: a break is allowed on either side.
    Ideo,
}

#[derive(Clone, Copy, Debug)]
struct Cluster {
    start: usize,
    end: usize,
    width: usize,
    kind: Kind,
    /// Must not start a row (closing punctuation).
    no_break_before: bool,
    /// Must not end a row (opening punctuation).
    no_break_after: bool,
}

/// A run of clusters with no break opportunity inside.
#[derive(Clone, Copy, Debug)]
struct Unit {
    /// First and last non-space cluster (inclusive).
    first: usize,
    last: usize,
    width: usize,
    /// Width of the breakable spaces between the previous unit and this one.
    gap_before: usize,
    /// A newline came before this unit.
    hard_before: bool,
}

/// Wrap `paragraph` into rows no wider than `width` columns (see the module docs for rules).
pub fn wrap(paragraph: &str, width: usize, indent: bool) -> Vec<Row> {
    let width = width.max(1);
    let clusters = measure(paragraph);
    let units = group(&clusters);
    fill(&clusters, &units, width, indent)
}

fn measure(paragraph: &str) -> Vec<Cluster> {
    paragraph
        .grapheme_indices(true)
        .map(|(start, g)| {
            let width = grapheme_width(g);
            let (kind, no_break_before, no_break_after) = classify(g, width);
            Cluster {
                start,
                end: start + g.len(),
                width,
                kind,
                no_break_before,
                no_break_after,
            }
        })
        .collect()
}

/// Kind, no-break-before, no-break-after of one grapheme, decided by its first character.
fn classify(g: &str, width: usize) -> (Kind, bool, bool) {
    let mut chars = g.chars();
    let Some(c) = chars.next() else {
        return (Kind::Word, true, true);
    };
    let single = chars.next().is_none();
    if c == '\n' || c == '\r' {
        return (Kind::Newline, false, false);
    }
    if single && is_breaking_space(c) {
        return (Kind::Space, false, false);
    }
    match c {
        // Closing and ending punctuation that sits on the previous row's end.
        '、' | '，' | '。' | '．' | '；' | '：' | '！' | '？' | '”' | '）' | '》' | '」' | '』'
        | '】' | '〉' | '〕' | '〗' | '〙' | '〛' | '］' | '｝' | '｠' | '〞' | '〟' | '％'
        | '‰' | '℃' | '…' | '⋯' | '—' | '―' | '⸺' | '⸻' | '·' | '・' | '°' | '′' | '″' | '‼'
        | '⁇' | '⁈' | '⁉' | '｡' | '､' | '｣' | 'ー' | '々' | '〻' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ'
        | 'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' | 'っ' | 'ゃ' | 'ゅ' | 'ょ' | 'ゎ' | 'ゕ' | 'ゖ'
        | 'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ッ' | 'ャ' | 'ュ' | 'ョ' | 'ヮ' | 'ヵ' | 'ヶ'
        | ')' | ']' | '}' | '»' | '›' => (Kind::Ideo, true, false),
        // ASCII ending punctuation glues to the word before it, and to a digit after it
        // (`1,000`, `PM2.5`, `6.6%`); `’` doubles as an apostrophe (`it’s`).
        ',' | '.' | ';' | ':' | '!' | '?' | '%' | '/' | '’' | '～' => (Kind::Word, true, false),
        // Opening punctuation that sits on the next row's start.
        '“' | '‘' | '（' | '《' | '「' | '『' | '【' | '〈' | '〔' | '〖' | '〘' | '〚' | '［'
        | '｛' | '｟' | '〝' | '｢' | '(' | '[' | '{' | '«' | '‹' => {
            (Kind::Ideo, false, true)
        }
        // Straight quotes can open or close: never break next to one.
        '"' | '\'' => (Kind::Word, true, true),
        // Fullwidth letters and digits behave like Latin ones.
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => (Kind::Word, false, false),
        // Zero-width graphemes (stray marks, controls) cling to their neighbours.
        _ if width == 0 => (Kind::Word, true, true),
        _ if width >= 2 => (Kind::Ideo, false, false),
        _ => (Kind::Word, false, false),
    }
}

/// Spaces a row may break at (not the no-break ones: U+00A0, U+2007, U+202F).
fn is_breaking_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}' | '\u{1680}' | '\u{2000}'..='\u{2006}' | '\u{2008}'..='\u{200A}' | '\u{205F}'
    )
}

/// May a row end after `a` and the next start with `b` (with or without spaces between)?
fn may_break(a: &Cluster, b: &Cluster, spaces_between: bool) -> bool {
    if a.no_break_after || b.no_break_before {
        return false;
    }
    spaces_between || a.kind == Kind::Ideo || b.kind == Kind::Ideo
}

fn group(clusters: &[Cluster]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut gap_width = 0;
    let mut gap_spaces = false;
    let mut gap_newline = false;
    for (i, c) in clusters.iter().enumerate() {
        match c.kind {
            Kind::Space => {
                gap_width += c.width;
                gap_spaces = true;
            }
            Kind::Newline => gap_newline = true,
            Kind::Word | Kind::Ideo => {
                let join = match units.last() {
                    Some(u) if !gap_newline => !may_break(&clusters[u.last], c, gap_spaces),
                    _ => false,
                };
                if join {
                    let u = units.last_mut().expect("join implies a unit");
                    u.last = i;
                    u.width += gap_width + c.width;
                } else {
                    units.push(Unit {
                        first: i,
                        last: i,
                        width: c.width,
                        gap_before: if units.is_empty() { 0 } else { gap_width },
                        hard_before: gap_newline && !units.is_empty(),
                    });
                }
                gap_width = 0;
                gap_spaces = false;
                gap_newline = false;
            }
        }
    }
    units
}

/// The row being filled: byte range and columns used.
struct OpenRow {
    start: usize,
    end: usize,
    used: usize,
}

fn fill(clusters: &[Cluster], units: &[Unit], width: usize, indent: bool) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut row_indent = if indent && width >= MIN_WIDTH_FOR_INDENT {
        INDENT
    } else {
        ""
    };
    let mut avail = width
        - if row_indent.is_empty() {
            0
        } else {
            INDENT_WIDTH
        };
    let mut open: Option<OpenRow> = None;

    // Close the open row; later rows have no indent and the full width.
    let mut close =
        |open: &mut Option<OpenRow>, row_indent: &mut &'static str, avail: &mut usize| {
            if let Some(r) = open.take() {
                rows.push(Row {
                    indent: row_indent,
                    range: r.start..r.end,
                });
                *row_indent = "";
                *avail = width;
            }
        };

    for u in units {
        if let Some(r) = open.as_mut() {
            if !u.hard_before && r.used + u.gap_before + u.width <= avail {
                r.end = clusters[u.last].end;
                r.used += u.gap_before + u.width;
                continue;
            }
            close(&mut open, &mut row_indent, &mut avail);
        }
        // The row is empty here.
        if u.width > avail && !row_indent.is_empty() && u.width <= width {
            row_indent = "";
            avail = width;
        }
        if u.width <= avail {
            open = Some(OpenRow {
                start: clusters[u.first].start,
                end: clusters[u.last].end,
                used: u.width,
            });
            continue;
        }
        // Wider than any row: cut by grapheme, dropping spaces at the cuts.
        let mut pending_space = 0;
        for c in &clusters[u.first..=u.last] {
            if c.kind == Kind::Space {
                if open.is_some() {
                    pending_space += c.width;
                }
                continue;
            }
            if let Some(r) = open.as_ref()
                && r.used + pending_space + c.width > avail
            {
                close(&mut open, &mut row_indent, &mut avail);
                pending_space = 0;
            }
            match open.as_mut() {
                Some(r) => {
                    r.end = c.end;
                    r.used += pending_space + c.width;
                }
                None => {
                    open = Some(OpenRow {
                        start: c.start,
                        end: c.end,
                        used: c.width,
                    })
                }
            }
            pending_space = 0;
        }
    }
    close(&mut open, &mut row_indent, &mut avail);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::str_width;

    fn texts(p: &str, width: usize, indent: bool) -> Vec<String> {
        wrap(p, width, indent).iter().map(|r| r.text(p)).collect()
    }

    #[test]
    fn han_breaks_anywhere_and_fills_rows() {
        assert_eq!(
            texts("一二三四五六七", 6, false),
            ["一二三", "四五六", "七"]
        );
    }

    #[test]
    fn closing_punctuation_pulls_a_character_down() {
        // "三，" cannot be split, so "三" moves down with the comma.
        assert_eq!(texts("一二三，四五", 6, false), ["一二", "三，四", "五"]);
    }

    #[test]
    fn opening_punctuation_moves_down() {
        assert_eq!(texts("一二“三四”", 6, false), ["一二", "“三四”"]);
    }

    #[test]
    fn dashes_and_ellipses_stay_together() {
        for w in 4..12 {
            for row in texts("他说——好的……走吧", w, false) {
                assert!(!row.starts_with('—') && !row.starts_with('…'), "{w}: {row}");
            }
        }
    }

    #[test]
    fn words_and_numbers_whole() {
        let p = "空气中PM2.5浓度为113微克/立方米，增长6.6%";
        for w in 8..30 {
            let rows = texts(p, w, false);
            let joined = rows.concat();
            assert_eq!(joined, p);
            for tok in ["PM2.5", "113", "6.6%"] {
                assert!(
                    rows.iter().any(|r| r.contains(tok)),
                    "{w}: {tok} split in {rows:?}"
                );
            }
        }
    }

    #[test]
    fn indent_not_doubled() {
        let rows = texts("\u{3000}\u{3000}正文开始了", 12, true);
        assert_eq!(rows[0], "\u{3000}\u{3000}正文开始");
        assert_eq!(texts("abc", 5, true), ["abc"], "no indent below width 6");
    }

    #[test]
    fn tiny_widths_do_not_panic() {
        for w in 0..4 {
            let rows = wrap("中文 GDP，“好”——😀", w, true);
            assert!(!rows.is_empty());
            for r in &rows {
                let t = r.text("中文 GDP，“好”——😀");
                assert!(str_width(&t) <= w.max(2), "{w}: {t}");
            }
        }
    }

    #[test]
    fn spaces_dropped_at_breaks() {
        assert_eq!(texts("  hello world  ", 7, false), ["hello", "world"]);
        assert_eq!(texts("a b", 10, false), ["a b"]);
    }
}
