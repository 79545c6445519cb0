//! Turning what is typed in the search box into a tantivy query, in code, on every
//! keystroke: half-typed input never fails.
//!
//! Syntax: words (all must match), `"quoted phrases"`, `-exclusion`, `title:` and `by:`
//! filters, `paper:人民日报`, `page:A05`, `date:2019`, `date:2019-11`, `date:2019-11-20`, `date:2019..2020-06`.
//! The word still being typed (last, no space after it) matches as a prefix.

use super::analyzer::{Kind, bigram_spans, jieba_words};
use super::normalize::normalize_str;
use super::pinyin;
use super::schema::Fields;
use crate::text::script::is_cjk_letter as is_cjk;
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, InvertedIndexRangeQuery, Occur, PhrasePrefixQuery,
    PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

/// Which fields a word is looked for in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Any,
    Title,
    Byline,
}

/// One word or phrase of the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    /// Normalised text.
    pub(crate) text: String,
    pub(crate) target: Target,
    pub(crate) negated: bool,
    /// Still being typed: its last token matches as a prefix.
    pub(crate) typing: bool,
    /// The word read as pinyin, when it can be (read once, here: every query built from
    /// it on this keystroke uses it).
    pub(crate) pinyin: Option<pinyin::PinyinWord>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub(crate) words: Vec<Word>,
    /// Inclusive YYYYMMDD ranges.
    pub(crate) dates: Vec<(i64, i64)>,
    /// `paper:` names (normalised) and `page:` keys (see `schema::page_key`).
    pub(crate) papers: Vec<String>,
    pub(crate) pages: Vec<String>,
    /// What is wrong with the query, one line each (ignored while typing; a one-shot
    /// search reports them: see [`Parsed::problems`]).
    problems: Vec<String>,
}

/// How filters are written, for messages.
pub const DATE_FORMS: &str = "date:2019, date:2019-11, date:2019-11-20, date:2019..2020-06";

impl Parsed {
    /// What is wrong with the query as a whole search: a filter with nothing after it, a
    /// date that is none, nothing to search for.
    pub fn problems(&self) -> Vec<String> {
        let mut out = self.problems.clone();
        if out.is_empty()
            && self.words.is_empty()
            && self.dates.is_empty()
            && self.papers.is_empty()
            && self.pages.is_empty()
        {
            out.push("empty query: give a word, a \"phrase\" or a filter (see --help)".into());
        }
        out
    }
}

/// A word's tokens for the bigram field, and whether the last one is a prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct WordTokens {
    pub(crate) tokens: Vec<String>,
    pub(crate) last_is_prefix: bool,
}

/// Split typed input into words and filters.
pub fn parse(input: &str) -> Parsed {
    let text = normalize_str(input);
    let chars: Vec<char> = text.chars().collect();
    let mut out = Parsed::default();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut negated = false;
        if chars[i] == '-' {
            negated = true;
            i += 1;
        }
        let rest: String = chars[i..chars.len().min(i + 6)].iter().collect();
        let mut target = Target::Any;
        let mut filter: Option<&str> = None;
        for prefix in ["title:", "by:", "date:", "paper:", "page:"] {
            if rest.starts_with(prefix) {
                i += prefix.chars().count();
                match prefix {
                    "title:" => target = Target::Title,
                    "by:" => target = Target::Byline,
                    _ => filter = Some(prefix),
                }
                break;
            }
        }
        let is_date = filter == Some("date:");
        let (word, end, typing) = if i < chars.len() && matches!(chars[i], '"' | '“' | '”') {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && !matches!(chars[j], '"' | '“' | '”') {
                j += 1;
            }
            let closed = j < chars.len();
            (
                chars[start..j].iter().collect::<String>(),
                if closed { j + 1 } else { j },
                !closed,
            )
        } else {
            let start = i;
            let mut j = i;
            while j < chars.len() && !chars[j].is_whitespace() {
                j += 1;
            }
            (
                chars[start..j].iter().collect::<String>(),
                j,
                j == chars.len(),
            )
        };
        i = end.max(i + 1);
        let named = filter.or(match target {
            Target::Title => Some("title:"),
            Target::Byline => Some("by:"),
            Target::Any => None,
        });
        if let Some(f) = named
            && word.trim().is_empty()
        {
            let example = match f {
                "date:" => "2019-11",
                "page:" => "A05",
                "paper:" => "人民日报",
                _ => "焦作",
            };
            out.problems.push(format!(
                "`{f}` needs something after it (as in {f}{example})"
            ));
            continue;
        }
        if is_date {
            match parse_date_range(&word) {
                Some(r) => out.dates.push(r),
                None => out.problems.push(format!(
                    "`date:{word}` is not a date or range ({DATE_FORMS})"
                )),
            }
            continue;
        }
        if filter == Some("paper:") {
            out.papers.push(word);
            continue;
        }
        if filter == Some("page:") {
            match super::schema::page_key(&word) {
                Some(k) => out.pages.push(k),
                None => out.problems.push(format!(
                    "`page:{word}` is not a page number (page:2, page:A05)"
                )),
            }
            continue;
        }
        if word.chars().any(|c| c.is_alphanumeric()) {
            let pinyin = if negated {
                None
            } else {
                pinyin::read_word(&word, typing)
            };
            out.words.push(Word {
                text: word,
                target,
                negated,
                typing,
                pinyin,
            });
        }
    }
    out
}

/// `2019`, `2019-11`, `2019-11-20`, or `A..B` of those: inclusive YYYYMMDD bounds.
fn parse_date_range(s: &str) -> Option<(i64, i64)> {
    if let Some((a, b)) = s.split_once("..") {
        let (lo, _) = parse_date_bounds(a)?;
        let (_, hi) = parse_date_bounds(b)?;
        return (lo <= hi).then_some((lo, hi));
    }
    parse_date_bounds(s)
}

fn parse_date_bounds(s: &str) -> Option<(i64, i64)> {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let num = |p: &str, len: std::ops::RangeInclusive<usize>| -> Option<i64> {
        (len.contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit())).then(|| p.parse().ok())?
    };
    let y = num(parts.first()?, 4..=4)?;
    match parts.len() {
        1 => Some((y * 10_000 + 101, y * 10_000 + 1231)),
        2 => {
            let m = num(parts[1], 1..=2).filter(|m| (1..=12).contains(m))?;
            Some((y * 10_000 + m * 100 + 1, y * 10_000 + m * 100 + 31))
        }
        3 => {
            let m = num(parts[1], 1..=2).filter(|m| (1..=12).contains(m))?;
            let d = num(parts[2], 1..=2).filter(|d| (1..=31).contains(d))?;
            let k = y * 10_000 + m * 100 + d;
            Some((k, k))
        }
        _ => None,
    }
}

/// The bigram tokens a word is searched as.
pub(crate) fn word_tokens(word: &Word) -> WordTokens {
    let chars: Vec<char> = word.text.chars().collect();
    let mut spans = bigram_spans(&chars);
    // The tail unigram of the word's last CJK run adds nothing (its bigram covers it) and
    // would stop the word matching inside a longer run.
    if spans.len() > 1 && spans.last().is_some_and(|s| s.kind == Kind::Tail) {
        spans.pop();
    }
    let last_is_prefix = spans.last().is_some_and(|s| {
        s.kind == Kind::Lone || (s.kind == Kind::Word && word.typing && s.end == chars.len())
    });
    WordTokens {
        tokens: spans
            .iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect(),
        last_is_prefix,
    }
}

/// Most terms a one-token prefix (`焦`, `pm`) is expanded to: the most common ones, so
/// that a single typed character costs a few postings lists rather than hundreds.
pub(crate) const MAX_PREFIX_TERMS: usize = 12;

/// Looks up the terms of `field` starting with a prefix: `Some(terms)` with at most
/// [`MAX_PREFIX_TERMS`] of them, most frequent first, or `None` to match every term
/// of the range.
pub(crate) type Expand<'a> = &'a dyn Fn(Field, &str) -> Option<Vec<String>>;

/// The first string after every string starting with `prefix`.
pub(crate) fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(c) = chars.pop() {
        let mut n = c as u32 + 1;
        if n == 0xd800 {
            n = 0xe000;
        }
        if let Some(next) = char::from_u32(n) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// `loose`: a phrase becomes the conjunction of its tokens (no position checks), for
/// finding candidates that the exact query then verifies.
fn field_query(
    field: Field,
    wt: &WordTokens,
    expand: Option<Expand>,
    loose: bool,
) -> Box<dyn Query> {
    let terms: Vec<Term> = wt
        .tokens
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    match (terms.len(), wt.last_is_prefix) {
        (1, false) => Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::WithFreqs,
        )),
        (1, true) => {
            if let Some(terms) = expand.and_then(|e| e(field, &wt.tokens[0])) {
                // Scored term queries: top-k search can skip most of their postings.
                let clauses: Vec<(Occur, Box<dyn Query>)> = terms
                    .iter()
                    .map(|t| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(field, t),
                            IndexRecordOption::WithFreqs,
                        ));
                        (Occur::Should, q)
                    })
                    .collect();
                return Box::new(BooleanQuery::new(clauses));
            }
            let upper = match prefix_end(&wt.tokens[0]) {
                Some(e) => Bound::Excluded(Term::from_field_text(field, &e)),
                None => Bound::Unbounded,
            };
            Box::new(InvertedIndexRangeQuery::new(
                Bound::Included(terms[0].clone()),
                upper,
            ))
        }
        (_, false) if loose => Box::new(BooleanQuery::new(
            terms
                .into_iter()
                .map(|t| {
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs));
                    (Occur::Must, q)
                })
                .collect(),
        )),
        (_, false) => Box::new(PhraseQuery::new(terms)),
        (_, true) => {
            let mut q = PhrasePrefixQuery::new(terms);
            q.set_max_expansions(1_000);
            Box::new(q)
        }
    }
}

/// What a word written in pinyin also matches: its spellings as phrases of the
/// `pinyin` field (titles and bylines), its initials at the start of one. Ranked under
/// what the text itself matches.
fn pinyin_queries(w: &Word, f: &Fields) -> Vec<(Occur, Box<dyn Query>)> {
    let Some(read) = &w.pinyin else {
        return Vec::new();
    };
    let terms = |field: Field, ts: &[String]| -> Vec<Term> {
        ts.iter().map(|t| Term::from_field_text(field, t)).collect()
    };
    let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for s in &read.spellings {
        let ts = terms(f.pinyin, &s.terms);
        // A last syllable begun with one letter is that letter's term (see `pinyin`).
        let q: Box<dyn Query> = if s.last_is_prefix && s.terms.last().is_some_and(|t| t.len() > 1) {
            let mut q = PhrasePrefixQuery::new(ts);
            q.set_max_expansions(64);
            Box::new(q)
        } else {
            Box::new(PhraseQuery::new(ts))
        };
        out.push((Occur::Should, Box::new(BoostQuery::new(q, 2.0))));
    }
    if let Some(initials) = &read.initials {
        let q = PhraseQuery::new(terms(f.initials, initials));
        out.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), 1.0))));
    }
    out
}

/// The tantivy query for parsed input; `None` when nothing can match or nothing was asked.
pub fn build(parsed: &Parsed, f: &Fields) -> Option<Box<dyn Query>> {
    build_with(parsed, f, None)
}

/// Like [`build`]; a one-token prefix of a positive word is looked up with `expand`
/// (see [`Expand`]), which may make recall partial: callers fall back to [`build`] when
/// that gives fewer results than they want.
pub(crate) fn build_with(
    parsed: &Parsed,
    f: &Fields,
    expand: Option<Expand>,
) -> Option<Box<dyn Query>> {
    build_inner(parsed, f, expand, false)
}

/// For each positive phrase word (two or more tokens, none a prefix), its phrase in each field it is
/// looked for in: a document matching [`build_loose`] matches the exact query when, for
/// every such word, one of its phrases is in the document.
pub(crate) fn phrase_checks(parsed: &Parsed, f: &Fields) -> Vec<Vec<PhraseQuery>> {
    parsed
        .words
        .iter()
        .filter(|w| !w.negated)
        .filter_map(|w| {
            let wt = word_tokens(w);
            if wt.tokens.len() < 2 || wt.last_is_prefix {
                return None;
            }
            // `焦zuo` may match by its pinyin alone, which no text phrase checks.
            if w.target == Target::Any && w.pinyin.is_some() {
                return None;
            }
            let fields: &[Field] = match w.target {
                Target::Any => &[f.title, f.byline, f.deck, f.body],
                Target::Title => &[f.title],
                Target::Byline => &[f.byline],
            };
            Some(
                fields
                    .iter()
                    .map(|&field| {
                        PhraseQuery::new(
                            wt.tokens
                                .iter()
                                .map(|t| Term::from_field_text(field, t))
                                .collect(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

/// Like [`build_with`] with every positive phrase loosened to the conjunction of its
/// tokens: matches a superset of the exact query, much faster for common bigrams.
/// Exclusions stay exact so that nothing the exact query finds is left out.
pub(crate) fn build_loose(
    parsed: &Parsed,
    f: &Fields,
    expand: Option<Expand>,
) -> Option<Box<dyn Query>> {
    build_inner(parsed, f, expand, true)
}

fn build_inner(
    parsed: &Parsed,
    f: &Fields,
    expand: Option<Expand>,
    loose: bool,
) -> Option<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut positive = false;
    for w in &parsed.words {
        let wt = word_tokens(w);
        if wt.tokens.is_empty() {
            continue;
        }
        let fields: &[(Field, f32)] = match w.target {
            Target::Any => &[
                (f.title, 3.0),
                (f.byline, 2.0),
                (f.deck, 1.5),
                (f.body, 1.0),
            ],
            Target::Title => &[(f.title, 3.0)],
            Target::Byline => &[(f.byline, 2.0)],
        };
        let mut per_field: Vec<(Occur, Box<dyn Query>)> = fields
            .iter()
            .map(|&(field, boost)| {
                // Exclusions must stay exact.
                let (expand, loose) = if w.negated {
                    (None, false)
                } else {
                    (expand, loose)
                };
                let q: Box<dyn Query> = Box::new(BoostQuery::new(
                    field_query(field, &wt, expand, loose),
                    boost,
                ));
                (Occur::Should, q)
            })
            .collect();
        if w.target == Target::Any && !w.negated {
            per_field.extend(pinyin_queries(w, f));
        }
        let any: Box<dyn Query> = Box::new(BooleanQuery::new(per_field));
        if w.negated {
            clauses.push((Occur::MustNot, any));
            continue;
        }
        positive = true;
        clauses.push((Occur::Must, any));
        // Ranking: whole words (jieba) score higher than chance bigram runs (a single
        // character is no word: nothing to add).
        if w.target != Target::Byline
            && w.text.chars().any(is_cjk)
            && w.text.chars().nth(1).is_some()
        {
            for (s, e) in jieba_words(&w.text) {
                let word = &w.text[s..e];
                let tq = TermQuery::new(
                    Term::from_field_text(f.title_jieba, word),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), 2.0))));
            }
        }
    }
    for &(lo, hi) in &parsed.dates {
        positive = true;
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.date, lo)),
                Bound::Included(Term::from_field_i64(f.date, hi)),
            )),
        ));
    }
    for (field, values) in [(f.paper, &parsed.papers), (f.page, &parsed.pages)] {
        for v in values {
            positive = true;
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, v),
                    IndexRecordOption::Basic,
                )),
            ));
        }
    }
    if clauses.is_empty() {
        return None;
    }
    if !positive {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    // One required clause and nothing else: that clause itself (one level less to
    // score through).
    if clauses.len() == 1 && clauses[0].0 == Occur::Must {
        return clauses.pop().map(|(_, q)| q);
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_filters_phrases_and_tail() {
        let p = parse("焦作 -市区 title:环境 by:李 date:2019-11 \"PM2.5 浓度\" pm");
        assert_eq!(p.dates, vec![(20191101, 20191131)]);
        let w: Vec<(&str, Target, bool, bool)> = p
            .words
            .iter()
            .map(|w| (w.text.as_str(), w.target, w.negated, w.typing))
            .collect();
        assert_eq!(
            w,
            vec![
                ("焦作", Target::Any, false, false),
                ("市区", Target::Any, true, false),
                ("环境", Target::Title, false, false),
                ("李", Target::Byline, false, false),
                ("pm2.5 浓度", Target::Any, false, false),
                ("pm", Target::Any, false, true),
            ]
        );
    }

    #[test]
    fn half_typed_input_is_harmless() {
        for q in [
            "\"",
            "-",
            "title:",
            "date:",
            "date:20",
            "date:2019..",
            "\"abc",
            "::",
            "—",
        ] {
            let _ = parse(q);
        }
        assert_eq!(parse("date:2019..2020").dates, vec![(20190101, 20201231)]);
        assert!(parse("date:2019-13").dates.is_empty());
    }

    #[test]
    fn tokens_drop_tail_and_mark_prefix() {
        let w = |t: &str, typing| Word {
            text: t.into(),
            target: Target::Any,
            negated: false,
            typing,
            pinyin: None,
        };
        assert_eq!(word_tokens(&w("焦作市", true)).tokens, ["焦作", "作市"]);
        assert!(!word_tokens(&w("焦作市", true)).last_is_prefix);
        assert!(word_tokens(&w("焦", false)).last_is_prefix);
        assert!(word_tokens(&w("pm2", true)).last_is_prefix);
        assert!(!word_tokens(&w("pm2", false)).last_is_prefix);
        assert_eq!(prefix_end("ab").as_deref(), Some("ac"));
    }
}
