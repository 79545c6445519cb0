//! The two analyzers: CJK bigrams (recall: every substring of two or more characters is
//! found) and jieba words (ranking only).
//!
//! Bigram field tokens, at consecutive positions so phrase queries work:
//! - a CJK run of two or more characters → its overlapping bigrams, then its last
//!   character alone (the "tail unigram"), so that a prefix search for any single
//!   character finds it wherever it stands in a run;
//! - a lone CJK character → itself;
//! - a Latin/digit run → one token (`.` kept between digits: `pm2.5`, `6.6`), a `%`
//!   after a digit → its own token.

use super::normalize::{Normalized, normalize_into};
use crate::text::script::{is_cjk_letter as is_cjk, is_word_char};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Bumped whenever tokens or the schema change: an index built by another version is
/// rebuilt. Includes the crate version because article splitting changes with it.
pub(crate) const ANALYZER_VERSION: &str = concat!("9/", env!("CARGO_PKG_VERSION"));

pub(crate) const BIGRAM: &str = "dubao_bigram";
pub(crate) const JIEBA: &str = "dubao_jieba";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Bigram,
    /// A CJK run of one character.
    Lone,
    /// The last character of a CJK run of two or more.
    Tail,
    /// A Latin/digit run.
    Word,
    Percent,
}

/// A token as a span of normalised characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: Kind,
}

/// Bigram-field tokens of normalised characters.
pub(crate) fn bigram_spans(chars: &[char]) -> Vec<Span> {
    let mut out = Vec::new();
    bigram_spans_into(chars, &mut out);
    out
}

/// [`bigram_spans`] into `out` (cleared first), reusing its buffer.
pub(crate) fn bigram_spans_into(chars: &[char], out: &mut Vec<Span>) {
    let n = chars.len();
    out.clear();
    out.reserve(n + n / 4);
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if is_cjk(c) {
            let mut j = i + 1;
            while j < n && is_cjk(chars[j]) {
                j += 1;
            }
            if j - i == 1 {
                out.push(Span {
                    start: i,
                    end: j,
                    kind: Kind::Lone,
                });
            } else {
                for k in i..j - 1 {
                    out.push(Span {
                        start: k,
                        end: k + 2,
                        kind: Kind::Bigram,
                    });
                }
                out.push(Span {
                    start: j - 1,
                    end: j,
                    kind: Kind::Tail,
                });
            }
            i = j;
        } else if is_word_char(c) {
            let mut j = i + 1;
            loop {
                while j < n && is_word_char(chars[j]) {
                    j += 1;
                }
                if j + 1 < n
                    && chars[j] == '.'
                    && chars[j - 1].is_ascii_digit()
                    && chars[j + 1].is_ascii_digit()
                {
                    j += 1;
                    continue;
                }
                break;
            }
            out.push(Span {
                start: i,
                end: j,
                kind: Kind::Word,
            });
            i = j;
            if i < n && chars[i] == '%' && chars[i - 1].is_ascii_digit() {
                out.push(Span {
                    start: i,
                    end: i + 1,
                    kind: Kind::Percent,
                });
                i += 1;
            }
        } else {
            i += 1;
        }
    }
}

/// The bigram tokenizer for tantivy. Keeps its buffers from one text to the next:
/// tantivy calls it for every field of every article.
#[derive(Clone, Default)]
pub(crate) struct BigramTokenizer {
    norm: Normalized,
    spans: Vec<Span>,
    token: Token,
}

/// Tokens computed up front; one `Token` whose text is refilled on each advance.
pub(crate) struct SpanStream<'a> {
    norm: &'a Normalized,
    spans: &'a [Span],
    next: usize,
    token: &'a mut Token,
}

impl TokenStream for SpanStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(span) = self.spans.get(self.next) else {
            return false;
        };
        self.token.text.clear();
        for &c in &self.norm.chars[span.start..span.end] {
            self.token.text.push(c);
        }
        self.token.offset_from = self.norm.orig[span.start].0;
        self.token.offset_to = self.norm.orig[span.end - 1].1;
        self.token.position = self.next;
        self.token.position_length = 1;
        self.next += 1;
        true
    }
    fn token(&self) -> &Token {
        self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = SpanStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanStream<'a> {
        normalize_into(text, &mut self.norm);
        bigram_spans_into(&self.norm.chars, &mut self.spans);
        self.token.reset();
        SpanStream {
            norm: &self.norm,
            spans: &self.spans,
            next: 0,
            token: &mut self.token,
        }
    }
}

/// Load the normalisation table now (call from a worker thread). jieba's dictionary
/// needs no loading: it is compiled into the binary (see `words`).
pub(crate) fn preload() {
    super::normalize::preload();
}

/// jieba words of normalised text, punctuation dropped, ordinal positions.
pub(crate) fn jieba_words(normalized: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    jieba_words_into(normalized, &mut super::words::Cutter::default(), &mut out);
    out
}

/// [`jieba_words`] into `out`, with the buffers of `cutter`.
fn jieba_words_into(
    normalized: &str,
    cutter: &mut super::words::Cutter,
    out: &mut Vec<(usize, usize)>,
) {
    cutter.cut_into(normalized, out);
    out.retain(|&(s, e)| normalized[s..e].chars().any(|c| c.is_alphanumeric()));
}

/// The jieba tokenizer for tantivy (ranking field). Keeps its buffers from one title
/// to the next, as the bigram tokenizer does.
#[derive(Clone, Default)]
pub(crate) struct JiebaTokenizer {
    norm: Normalized,
    text: String,
    cutter: super::words::Cutter,
    words: Vec<(usize, usize)>,
    token: Token,
}

/// The words worked out up front; one `Token` whose text is refilled on each advance.
pub(crate) struct WordStream<'a> {
    text: &'a str,
    words: &'a [(usize, usize)],
    next: usize,
    token: &'a mut Token,
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(&(s, e)) = self.words.get(self.next) else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push_str(&self.text[s..e]);
        self.token.offset_from = s;
        self.token.offset_to = e;
        self.token.position = self.next;
        self.token.position_length = 1;
        self.next += 1;
        true
    }
    fn token(&self) -> &Token {
        self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = WordStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        normalize_into(text, &mut self.norm);
        self.text.clear();
        self.text.extend(&self.norm.chars);
        jieba_words_into(&self.text, &mut self.cutter, &mut self.words);
        self.token.reset();
        WordStream {
            text: &self.text,
            words: &self.words,
            next: 0,
            token: &mut self.token,
        }
    }
}

/// Register the analyzers on an index (needed after every open).
pub(crate) fn register(index: &tantivy::Index) {
    let t = index.tokenizers();
    t.register(
        BIGRAM,
        tantivy::tokenizer::TextAnalyzer::from(BigramTokenizer::default()),
    );
    t.register(
        JIEBA,
        tantivy::tokenizer::TextAnalyzer::from(JiebaTokenizer::default()),
    );
    for (name, initials) in [
        (super::pinyin::PINYIN, false),
        (super::pinyin::INITIALS, true),
    ] {
        t.register(
            name,
            tantivy::tokenizer::TextAnalyzer::from(super::pinyin::PinyinTokenizer::new(initials)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::normalize::normalize;

    fn texts(s: &str) -> Vec<String> {
        let n = normalize(s);
        bigram_spans(&n.chars)
            .iter()
            .map(|sp| n.chars[sp.start..sp.end].iter().collect())
            .collect()
    }

    #[test]
    fn bigrams_words_and_tails() {
        assert_eq!(texts("焦作市区"), ["焦作", "作市", "市区", "区"]);
        assert_eq!(texts("市，PM2.5浓度"), ["市", "pm2.5", "浓度", "度"]);
        assert_eq!(texts("增长6.6%。"), ["增长", "长", "6.6", "%"]);
        assert_eq!(texts("v1. end"), ["v1", "end"]);
    }

    /// The punctuation short cut in `is_word_char` agrees with the Unicode tables.
    #[test]
    fn word_chars_short_cut() {
        for c in (0..0x10000u32).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric() && !is_cjk(c), "{c:?}");
        }
    }

    /// A reused tokenizer gives each text its own tokens.
    #[test]
    fn tokenizer_reuses_buffers() {
        let mut t = BigramTokenizer::default();
        let mut collect = |s: &str| {
            let mut out = Vec::new();
            let mut stream = t.token_stream(s);
            while stream.advance() {
                let tok = stream.token();
                out.push((
                    tok.text.clone(),
                    tok.position,
                    tok.offset_from,
                    tok.offset_to,
                ));
            }
            out
        };
        let long = collect("環境保護與經濟發展");
        assert_eq!(long.len(), 9);
        assert_eq!(long[0], ("环境".to_string(), 0, 0, 6));
        let short = collect("Ａ市");
        assert_eq!(
            short,
            [("a".to_string(), 0, 0, 3), ("市".to_string(), 1, 3, 6)]
        );
    }
}
