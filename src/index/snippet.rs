//! One-line snippets sized by display width, with every match highlighted.

use crate::text::str_width;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// Columns of context kept before the first match in a snippet.
const LEAD: usize = 12;

/// A line of at most `width` columns from `body` around the best cluster of `matches`
/// (byte ranges of `body`), and the matches as byte ranges of the returned line.
/// Never crosses a line break; `…` marks text cut at either end.
pub(crate) fn snippet(
    body: &str,
    matches: &[Range<usize>],
    width: usize,
) -> (String, Vec<Range<usize>>) {
    let width = width.max(8);
    // Candidate windows start a little before each of the first matches.
    let mut best: Option<(usize, usize)> = None; // (count, window start)
    for r in matches.iter().take(200) {
        let line_start = body[..r.start].rfind('\n').map_or(0, |i| i + 1);
        let start = back_off(body, line_start, r.start, LEAD);
        let end = forward(body, start, width);
        let count = matches
            .iter()
            .filter(|m| m.start >= start && m.end <= end)
            .count();
        if best.is_none_or(|(c, _)| count > c) {
            best = Some((count, start));
        }
    }
    let start = match best {
        Some((_, s)) => s,
        None => {
            // No match in the body: its beginning (skipping blank lines).
            body.len() - body.trim_start().len()
        }
    };
    let line_start = body[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = body[start..].find('\n').map_or(body.len(), |i| start + i);
    let mut out = String::new();
    if start > line_start {
        out.push('…');
    }
    let budget = width - str_width(&out);
    let mut end = forward(&body[..line_end], start, budget);
    if end < line_end {
        end = forward(&body[..line_end], start, budget - 1);
    }
    let offset = out.len();
    out.push_str(&body[start..end]);
    if end < line_end {
        out.push('…');
    }
    let highlights = matches
        .iter()
        .filter(|m| m.end > start && m.start < end)
        .map(|m| {
            let s = m.start.max(start) - start + offset;
            let e = m.end.min(end) - start + offset;
            s..e
        })
        .collect();
    (out, highlights)
}

/// Byte position up to `cols` columns before `pos`, not before `floor`, on a grapheme
/// boundary.
fn back_off(body: &str, floor: usize, pos: usize, cols: usize) -> usize {
    let mut w = 0;
    let mut start = pos;
    for (i, g) in body[floor..pos].grapheme_indices(true).rev() {
        w += str_width(g);
        if w > cols {
            break;
        }
        start = floor + i;
    }
    start
}

/// Byte position after as many graphemes from `start` as fit in `cols` columns, stopping
/// at a line break.
fn forward(body: &str, start: usize, cols: usize) -> usize {
    let mut w = 0;
    let mut end = start;
    for (i, g) in body[start..].grapheme_indices(true) {
        if g.contains('\n') {
            break;
        }
        w += str_width(g);
        if w > cols {
            break;
        }
        end = start + i + g.len();
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_and_highlights() {
        let body = format!(
            "{}焦作市区{}\n\n下一段",
            "前文".repeat(30),
            "后文".repeat(30)
        );
        let at = body.find("市区").unwrap();
        let (s, h) = snippet(&body, std::slice::from_ref(&(at..at + "市区".len())), 40);
        assert!(str_width(&s) <= 40, "{s}");
        assert!(!s.contains('\n'));
        assert_eq!(h.len(), 1);
        assert_eq!(&s[h[0].clone()], "市区");
        assert!(s.starts_with('…') && s.ends_with('…'));
    }

    #[test]
    fn no_match_gives_start() {
        let (s, h) = snippet("第一段\n\n第二段", &[], 80);
        assert_eq!(s, "第一段");
        assert!(h.is_empty());
    }
}
