//! One-line snippets sized by display width, with every match highlighted.

use crate::text::str_width;
use crate::text::width::simple_char_width;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// Columns of context kept before the first match in a snippet.
const LEAD: usize = 12;
/// A snippet starts at the beginning of the clause holding the match when that is at
/// most this many columns before it (else `LEAD` columns before, never inside a word).
const CLAUSE_REACH: usize = 24;
/// Punctuation after which a clause or sentence begins (an ASCII one only before a
/// space: `10:30`, `3,000` go on).
const CLAUSE_ENDS: &[char] = &['，', '。', '；', '：', '！', '？', '、', '）', '」', '』'];
const ASCII_CLAUSE_ENDS: &[char] = &[',', '.', ';', ':', '!', '?'];
/// A number or Latin word is moved back to whole when it starts at most this many
/// columns before the cut, else the cut moves past it.
const WORD_BACK: usize = 16;

/// Windows tried, one starting before each of the first matches: a common word can
/// match hundreds of times in a paragraph, and the first few dozen hold the best.
const WINDOWS_TRIED: usize = 32;

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
    for r in matches.iter().take(WINDOWS_TRIED) {
        let start = window_start(body, r.start);
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
        // Not inside a number or a Latin word: end before it.
        let word = word_start(body, start, end);
        if word > start {
            end = word;
        }
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

/// Where a snippet showing a match at `pos` starts: after the earliest clause end (or at
/// the line start) within [`CLAUSE_REACH`] columns, else [`LEAD`] columns
/// before it, moved out of any number or Latin word it would cut.
fn window_start(body: &str, pos: usize) -> usize {
    let line_start = body[..pos].rfind('\n').map_or(0, |i| i + 1);
    let reach = back_off(body, line_start, pos, CLAUSE_REACH);
    if reach == line_start {
        return line_start;
    }
    // The earliest clause start within reach: the most context that starts cleanly.
    for (i, c) in body[reach..pos].char_indices() {
        let after = reach + i + c.len_utf8();
        let next = body[after..].chars().next();
        let ascii_end = ASCII_CLAUSE_ENDS.contains(&c) && next.is_some_and(char::is_whitespace);
        if CLAUSE_ENDS.contains(&c) || ascii_end {
            let rest = &body[after..pos];
            return after + (rest.len() - rest.trim_start().len());
        }
    }
    let start = back_off(body, line_start, pos, LEAD);
    let word = word_start(body, line_start, start);
    if word == start {
        start
    } else if str_width(&body[word..start]) <= WORD_BACK {
        word
    } else {
        word_end(body, start).min(pos)
    }
}

/// Part of a number or Latin word: letters and digits other than CJK, the marks that
/// combine with them, and `.` `%` between digits as the analyzer keeps them.
fn in_word(c: char) -> bool {
    crate::text::script::is_word_char(c) || unicode_normalization::char::is_combining_mark(c)
}

/// The start of the word `pos` cuts (`pos` itself when it cuts none), not before `floor`.
fn word_start(body: &str, floor: usize, pos: usize) -> usize {
    let starts_word = body[pos..].chars().next().is_some_and(in_word);
    if !starts_word {
        return pos;
    }
    let mut start = pos;
    for (i, c) in body[floor..pos].char_indices().rev() {
        let joined = in_word(c)
            || (matches!(c, '.' | ',')
                && body[floor..floor + i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| p.is_ascii_digit())
                && body[floor + i + 1..].starts_with(|n: char| n.is_ascii_digit()));
        if !joined {
            break;
        }
        start = floor + i;
    }
    start
}

/// The end of the word `pos` stands in (`pos` itself when in none).
fn word_end(body: &str, pos: usize) -> usize {
    let mut end = pos;
    for (i, c) in body[pos..].char_indices() {
        let decimal_point =
            c == '.' && body[pos + i + 1..].starts_with(|n: char| n.is_ascii_digit());
        if !(in_word(c) || decimal_point) {
            break;
        }
        end = pos + i + c.len_utf8();
    }
    end
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
    // Characters that are graphemes of their own (nearly all Chinese text) are taken
    // one by one; from the first other one on, the text is segmented.
    let mut w = 0;
    let mut end = start;
    let mut last: Option<(usize, usize)> = None; // the last character taken: (at, width)
    for (i, c) in body[start..].char_indices() {
        let Some(cw) = simple_char_width(c) else {
            // `c` may join the character before it: segment from that one.
            let (from, before) = match last {
                Some((at, lw)) => (at, w - lw),
                None => (start + i, w),
            };
            return forward_graphemes(body, from, before, cols);
        };
        if w + cw > cols {
            return end;
        }
        w += cw;
        last = Some((start + i, cw));
        end = start + i + c.len_utf8();
    }
    end
}

/// [`forward`] by graphemes, from `start` with `w` columns already taken.
fn forward_graphemes(body: &str, start: usize, mut w: usize, cols: usize) -> usize {
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
    fn forward_by_characters_ends_where_graphemes_do() {
        let texts = [
            "焦作市区，空气质量PM2.5持续好转。",
            "e\u{301}te\u{301} 咖啡 cafe\u{301}",
            "家庭👨\u{200d}👩\u{200d}👧合影，🇨🇳国旗",
            "ｶﾞｷﾞ半角，a\u{200b}b\r\n下一行",
            "第一段\n第二段",
        ];
        for t in texts {
            // From every grapheme boundary (where a window can start).
            for (start, _) in t.grapheme_indices(true) {
                for cols in 0..30 {
                    assert_eq!(
                        forward(t, start, cols),
                        forward_graphemes(t, start, 0, cols),
                        "{t:?} from {start}, {cols} columns"
                    );
                }
            }
        }
    }

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

    fn around(body: &str, word: &str) -> String {
        let at = body.find(word).unwrap();
        snippet(body, std::slice::from_ref(&(at..at + word.len())), 40).0
    }

    /// `11月20日` must not show as `…1月20日` (a wrong date); a clause start near the
    /// match is where the snippet begins.
    #[test]
    fn never_starts_or_ends_inside_a_number_or_word() {
        let lead = "据悉本次会议由区政府办公室牵头组织相关部门参加会议并作出部署安排";
        for (body, word) in [
            (format!("{lead}11月20日示范区召开重点工作汇报会"), "示范区"),
            (format!("{lead}2019年11月3日下午示范区召开会议"), "示范区"),
            (format!("{lead}iPhone15发布会上示范区召开会议"), "示范区"),
            (format!("{lead}PM2.5浓度12.75下降示范区召开会议"), "示范区"),
        ] {
            let s = around(&body, word);
            let shown = s.trim_start_matches('…');
            let at = body.find(shown.trim_end_matches('…')).unwrap();
            let before = body[..at].chars().next_back();
            let first = shown.chars().next();
            assert!(
                !(before.is_some_and(in_word) && first.is_some_and(in_word)),
                "starts inside a word: {s}"
            );
            let end = at + shown.trim_end_matches('…').len();
            let last = body[..end].chars().next_back();
            let after = body[end..].chars().next();
            assert!(
                !(last.is_some_and(in_word) && after.is_some_and(in_word)),
                "ends inside a word: {s}"
            );
        }
        let s = around(
            &format!("{lead}，11月20日，示范区召开重点工作汇报会"),
            "示范区",
        );
        assert!(s.starts_with("…11月20日，示范区"), "{s}");
        // The end of a long line cut before a number, not inside it.
        let s = around(
            &format!("示范区召开重点工作汇报会{}123456789", "会".repeat(12)),
            "示范区",
        );
        assert!(s.ends_with("会…"), "{s}");
    }

    #[test]
    fn no_match_gives_start() {
        let (s, h) = snippet("第一段\n\n第二段", &[], 80);
        assert_eq!(s, "第一段");
        assert!(h.is_empty());
    }
}
