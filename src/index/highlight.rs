//! Where a query matches a text, by the same rules the index uses: normalised text,
//! bigram tokens, the typed tail as a prefix. Ranges are bytes of the original text.

use super::analyzer::bigram_spans;
use super::normalize::normalize;
use super::query::{Parsed, word_tokens};
use std::ops::Range;

/// Byte ranges of `text` matching the positive words of `parsed`, sorted and merged.
pub(crate) fn match_ranges_parsed(parsed: &Parsed, text: &str) -> Vec<Range<usize>> {
    let words: Vec<_> = parsed
        .words
        .iter()
        .filter(|w| !w.negated)
        .map(word_tokens)
        .filter(|wt| !wt.tokens.is_empty())
        .collect();
    if words.is_empty() || text.is_empty() {
        return Vec::new();
    }
    let norm = normalize(text);
    let spans = bigram_spans(&norm.chars);
    let toks: Vec<&[char]> = spans.iter().map(|s| &norm.chars[s.start..s.end]).collect();
    let mut ranges = Vec::new();
    for wt in &words {
        let q: Vec<Vec<char>> = wt.tokens.iter().map(|t| t.chars().collect()).collect();
        let m = q.len();
        if m > toks.len() {
            continue;
        }
        for i in 0..=toks.len() - m {
            let ok = (0..m).all(|k| {
                if k == m - 1 && wt.last_is_prefix {
                    toks[i + k].starts_with(&q[k])
                } else {
                    toks[i + k] == q[k].as_slice()
                }
            });
            if !ok {
                continue;
            }
            let last = spans[i + m - 1];
            let end_char = if wt.last_is_prefix {
                last.start + q[m - 1].len()
            } else {
                last.end
            };
            let start = norm.orig[spans[i].start].0;
            let end = norm.orig[end_char - 1].1;
            ranges.push(start..end);
        }
    }
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}
