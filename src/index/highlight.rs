//! Where a query matches a text, by the same rules the index uses: normalised text,
//! bigram tokens, the typed tail as a prefix. Ranges are bytes of the original text.

use super::analyzer::bigram_spans;
use super::normalize::{normalize, quick};
use super::pinyin::{self, PinyinWord};
use super::query::{Parsed, Word, word_tokens};
use std::ops::Range;

/// The normalised characters a match of `parsed` can begin with (see [`may_match`]).
/// `None` when a word is spelled in pinyin (its match starts with any Han character).
pub(crate) fn first_chars(parsed: &Parsed) -> Option<Vec<char>> {
    let positive = || parsed.words.iter().filter(|w| !w.negated);
    if positive().any(|w| spelled(w).is_some()) {
        return None;
    }
    Some(
        positive()
            .filter_map(|w| word_tokens(w).tokens.first()?.chars().next())
            .collect(),
    )
}

/// False when `text` can't hold a match: none of its characters normalises to one of
/// `firsts` (every shown character is one of the text's own, markup only hides some).
/// A cheap look before [`match_ranges_parsed`], which normalises and tokenises: a hit's
/// body is read paragraph by paragraph for its snippet, most of them without a match.
pub(crate) fn may_match(firsts: Option<&[char]>, text: &str) -> bool {
    let Some(firsts) = firsts else {
        return true;
    };
    text.chars()
        .any(|c| quick(c).is_none_or(|n| firsts.contains(&n)))
}

/// The word's pinyin reading when it has spellings to look for in text.
fn spelled(word: &Word) -> Option<&PinyinWord> {
    word.pinyin.as_ref().filter(|p| !p.spellings.is_empty())
}

/// Byte ranges of `text` matching the positive words of `parsed`, sorted and merged.
pub(crate) fn match_ranges_parsed(parsed: &Parsed, text: &str) -> Vec<Range<usize>> {
    let words: Vec<_> = parsed
        .words
        .iter()
        .filter(|w| !w.negated)
        .map(word_tokens)
        .filter(|wt| !wt.tokens.is_empty())
        .collect();
    let spelled: Vec<&PinyinWord> = parsed
        .words
        .iter()
        .filter(|w| !w.negated)
        .filter_map(spelled)
        .collect();
    if (words.is_empty() && spelled.is_empty()) || text.is_empty() {
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
    // `jiaozuo`: where 焦作 stands.
    for word in spelled {
        for r in pinyin::spelled_in(word, &norm.chars) {
            ranges.push(norm.orig[r.start].0..norm.orig[r.end - 1].1);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::query::parse;

    /// The cheap look never says "no" where the full match finds something.
    #[test]
    fn may_match_never_hides_a_match() {
        let texts = [
            "焦作市区空气质量持续好转",
            "燒烤攤遷出市區",
            "ＰＭ２．５濃度下降",
            "PM<sub>2.5</sub>浓度下降",
            "今年 GDP 增長 6.6%",
            "没有相关的内容",
            "",
        ];
        for q in [
            "市区",
            "烧烤",
            "pm2.5",
            "gdp",
            "增长6.6",
            "焦",
            "浓度 -下降",
            "-市区",
        ] {
            let parsed = parse(q);
            let firsts = first_chars(&parsed);
            for t in texts {
                let found = !match_ranges_parsed(&parsed, t).is_empty();
                assert!(!found || may_match(firsts.as_deref(), t), "{q:?} in {t:?}");
            }
        }
        // And it does say "no" to plain text without the word's first character.
        let firsts = first_chars(&parse("市区"));
        assert!(!may_match(firsts.as_deref(), "没有相关的内容"));
        assert!(may_match(firsts.as_deref(), "燒烤攤遷出市區"));
        // Pinyin can start anywhere.
        assert!(may_match(
            first_chars(&parse("shiqu")).as_deref(),
            "燒烤攤遷出市區"
        ));
    }

    /// Pinyin words are highlighted where their characters stand.
    #[test]
    fn pinyin_is_highlighted_where_it_reads() {
        let shown = |q: &str, t: &str| -> Vec<String> {
            match_ranges_parsed(&parse(q), t)
                .into_iter()
                .map(|r| t[r].to_string())
                .collect()
        };
        assert_eq!(shown("jiaozuo", "今年焦作市区 焦 作"), ["焦作", "焦 作"]);
        // Still being typed; a heteronym (行 is hang and xing); mixed Han and letters.
        assert_eq!(shown("yinhang", "工商银行网点"), ["银行"]);
        assert_eq!(shown("jiaoz", "焦作市"), ["焦作"]);
        assert_eq!(shown("焦zuo", "焦作焦急"), ["焦作"]);
        // A word of Latin letters in the text is not taken for pinyin of itself, and a
        // syllable alone is no match (`jiao` would light up every 叫 and 教).
        assert!(shown("jiao", "叫教焦").is_empty());
        assert!(shown("jiaozuo", "焦急 工作").is_empty());
    }
}
