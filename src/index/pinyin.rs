//! Pinyin in the search box: `jiaozuo` and `yuntaishan` find 焦作 and 云台山 in titles and
//! bylines, `焦zuo` too, and initials (`jz`) find titles that start 焦作.
//!
//! Titles and bylines are indexed once more (only they: bodies would double the index)
//! in the `pinyin` field: each Han character stands at its position as itself, as
//! every reading it has (多音字: 行 is `xing` and `hang`) and as their first letters, so
//! a phrase of syllables, of characters, or of both matches, the last syllable still
//! being typed too. Titles also go in the `initials` field, as the first
//! letters of those readings after a start mark, so initials match at the start (not
//! bylines: most start 记者, `jz`). The readings
//! come from the `pinyin` crate (the Unicode Han database's readings), not a table of
//! ours. `ü` is typed `v`, as on Chinese keyboards.
//!
//! A query word of Latin letters (and Han characters) is split into syllables every
//! way it can be (`xian` is 先 and 西安), the last one still being typed as a prefix.

use super::normalize::{Normalized, normalize_into};
use crate::text::script::is_cjk_letter as is_cjk;
use pinyin::ToPinyinMulti;
use std::collections::HashSet;
use std::sync::OnceLock;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

pub(crate) const PINYIN: &str = "dubao_pinyin";
pub(crate) const INITIALS: &str = "dubao_initials";
/// Marks the initial of a title's first Han character (`^j`): initials match at the
/// start, and the phrase opens with a term few titles have.
pub(crate) const START: &str = "^";

/// Most ways one query word is read as syllables (each is a phrase query).
const MAX_SPELLINGS: usize = 8;
/// Longest run of letters read as pinyin (a longer one is not a name or a place).
const MAX_LETTERS: usize = 40;
/// Initials are tried for words of this many letters.
const INITIALS_LETTERS: std::ops::RangeInclusive<usize> = 2..=6;

/// The readings of a character without tones, each once; none for a character that is
/// not Han.
pub(crate) fn readings(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let r = p.plain().replace('ü', "v");
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

/// A text as one types it in pinyin: each Han character's usual reading, run together
/// (`焦作` → `jiaozuo`); other characters as they are.
pub fn typed(text: &str) -> String {
    use pinyin::ToPinyin;
    text.chars()
        .map(|c| match c.to_pinyin() {
            Some(p) => p.plain().replace('ü', "v"),
            None => c.to_string(),
        })
        .collect()
}

/// Every syllable some character is read as (built on the first pinyin query).
fn syllables() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        (0x3400u32..=0x9fff)
            .filter_map(char::from_u32)
            .flat_map(readings)
            .collect()
    })
}

/// Whether some syllable starts with `s`.
fn starts_a_syllable(s: &str) -> bool {
    syllables().iter().any(|y| y.starts_with(s))
}

/// The terms one Han character stands as. In the `pinyin` field: itself, every
/// reading, and the readings' first letters that are not a reading already (a
/// syllable being typed, `zhe` `c…`, is then one term, not the dozens that start with
/// `c`). In the `initials` field: the readings' first letters.
#[derive(Clone, Default)]
struct CharTerms {
    pinyin: Vec<Box<str>>,
    initials: Vec<Box<str>>,
}

fn char_terms(c: char) -> CharTerms {
    let rs = readings(c);
    let mut firsts: Vec<Box<str>> = Vec::new();
    for r in &rs {
        let f = &r[..r.chars().next().map_or(0, char::len_utf8)];
        if !firsts.iter().any(|x| &**x == f) {
            firsts.push(f.into());
        }
    }
    let mut pinyin: Vec<Box<str>> = vec![c.to_string().into()];
    pinyin.extend(rs.iter().map(|r| r.as_str().into()));
    pinyin.extend(
        firsts
            .iter()
            .filter(|f| !rs.iter().any(|r| r.as_str() == &***f))
            .cloned(),
    );
    CharTerms {
        pinyin,
        initials: firsts,
    }
}

/// The Han characters of the BMP, whose terms are worked out once: indexing asks for
/// them for every character of every title and byline.
const TABLE_CHARS: std::ops::RangeInclusive<u32> = 0x3400..=0x9fff;

/// The terms of `c`, from the table when it is in it.
fn terms_of(c: char) -> std::borrow::Cow<'static, CharTerms> {
    static TABLE: OnceLock<Vec<CharTerms>> = OnceLock::new();
    if !TABLE_CHARS.contains(&(c as u32)) {
        return std::borrow::Cow::Owned(char_terms(c));
    }
    let table = TABLE.get_or_init(|| {
        TABLE_CHARS
            .map(|u| char::from_u32(u).map(char_terms).unwrap_or_default())
            .collect()
    });
    std::borrow::Cow::Borrowed(&table[(c as u32 - TABLE_CHARS.start()) as usize])
}

/// Tokens of the `pinyin` field (`initials: false`) or the `initials` field.
#[cfg(test)]
fn tokens(text: &str, initials: bool) -> Vec<(String, usize)> {
    let mut t = PinyinTokenizer::new(initials);
    let mut stream = t.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push((stream.token().text.clone(), stream.token().position));
    }
    out
}

/// Whether `c` is read `term` (a syllable typed with `v` for `ü`), or is `term` itself (a
/// Han character of a mixed word like `焦zuo`); with `prefix`, a reading starting with it.
fn reads_as(c: char, term: &str, prefix: bool) -> bool {
    let mut own = [0u8; 4];
    if term == c.encode_utf8(&mut own) {
        return true;
    }
    let Some(multi) = c.to_pinyin_multi() else {
        return false;
    };
    multi.into_iter().any(|p| {
        let mut reading = p.plain().chars().map(|r| if r == 'ü' { 'v' } else { r });
        let mut typed = term.chars();
        loop {
            match (typed.next(), reading.next()) {
                (None, None) => return true,
                (None, Some(_)) => return prefix,
                (Some(t), Some(r)) if t == r => {}
                _ => return false,
            }
        }
    })
}

/// Where `word`'s spellings are read in `chars` (normalised text): runs of Han
/// characters, as ranges of indices into `chars`. Whitespace between two characters
/// is passed over, as the index does; initials are not looked for (they match a
/// title's start, not text).
pub(crate) fn spelled_in(word: &PinyinWord, chars: &[char]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for spelling in &word.spellings {
        let terms = &spelling.terms;
        for start in 0..chars.len() {
            let (mut at, mut k) = (start, 0);
            while k < terms.len() {
                if k > 0 {
                    while chars.get(at).is_some_and(|c| c.is_whitespace()) {
                        at += 1;
                    }
                }
                let Some(&c) = chars.get(at) else { break };
                let prefix = spelling.last_is_prefix && k + 1 == terms.len();
                if !is_cjk(c) || !reads_as(c, &terms[k], prefix) {
                    break;
                }
                at += 1;
                k += 1;
            }
            if k == terms.len() {
                out.push(start..at);
            }
        }
    }
    out
}

/// A query word read as pinyin: its spellings (each a phrase of syllables and Han
/// characters, the last maybe a prefix) and, for a short word of letters, its initials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PinyinWord {
    pub(crate) spellings: Vec<Spelling>,
    /// `[^j, z]`: a phrase for the initials field.
    pub(crate) initials: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Spelling {
    pub(crate) terms: Vec<String>,
    pub(crate) last_is_prefix: bool,
}

/// How a normalised query word reads as pinyin; `None` when it has no Latin letter or
/// holds anything but letters, Han characters and `'` (`xi'an`).
pub(crate) fn read_word(word: &str, typing: bool) -> Option<PinyinWord> {
    if !word.chars().any(|c| c.is_ascii_lowercase())
        || !word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '\'' || is_cjk(c))
    {
        return None;
    }
    // Runs: a Han character alone, or letters (an apostrophe ends a run).
    let mut runs: Vec<Vec<Vec<String>>> = Vec::new();
    let mut letters = String::new();
    let chars: Vec<char> = word.chars().collect();
    let flush = |letters: &mut String, runs: &mut Vec<Vec<Vec<String>>>, last: bool| {
        if letters.is_empty() {
            return true;
        }
        if letters.len() > MAX_LETTERS {
            return false;
        }
        let ways = split(letters, typing && last);
        letters.clear();
        if ways.is_empty() {
            return false;
        }
        runs.push(ways);
        true
    };
    let mut spelled = true;
    for (i, &c) in chars.iter().enumerate() {
        let last = i + 1 == chars.len();
        if c.is_ascii_lowercase() {
            letters.push(c);
            if last {
                spelled &= flush(&mut letters, &mut runs, true);
            }
        } else {
            spelled &= flush(&mut letters, &mut runs, false);
            if is_cjk(c) {
                runs.push(vec![vec![c.to_string()]]);
            }
        }
    }
    let mut spellings = Vec::new();
    if spelled {
        // Every combination of the runs' ways; of those of two syllables or more, the
        // fewest (`jiaozuo` is jiao zuo, not ji ao zuo; `xian` is xi an, since 先
        // alone is no search).
        let mut combos: Vec<Vec<String>> = vec![Vec::new()];
        for ways in &runs {
            let mut next = Vec::new();
            for c in &combos {
                for w in ways {
                    if next.len() < MAX_SPELLINGS * MAX_SPELLINGS {
                        next.push(c.iter().chain(w).cloned().collect::<Vec<_>>());
                    }
                }
            }
            combos = next;
        }
        combos.retain(|c| c.len() >= 2);
        let fewest = combos.iter().map(Vec::len).min().unwrap_or(0);
        combos.retain(|c| c.len() == fewest);
        combos.truncate(MAX_SPELLINGS);
        let ends_in_letters = chars.last().is_some_and(|c| c.is_ascii_lowercase());
        for terms in combos {
            let last_is_prefix =
                typing && ends_in_letters && terms.last().is_some_and(|t| !syllables().contains(t));
            spellings.push(Spelling {
                terms,
                last_is_prefix,
            });
        }
    }
    let initials = chars
        .iter()
        .all(char::is_ascii_lowercase)
        .then_some(())
        .filter(|_| INITIALS_LETTERS.contains(&chars.len()))
        .map(|_| {
            chars
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if i == 0 {
                        format!("{START}{c}")
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        });
    (!spellings.is_empty() || initials.is_some()).then_some(PinyinWord {
        spellings,
        initials,
    })
}

/// The ways `letters` splits into syllables, fewest first; with `open_end`, the last
/// piece may be the start of a syllable (still being typed).
fn split(letters: &str, open_end: bool) -> Vec<Vec<String>> {
    fn walk(
        rest: &str,
        open_end: bool,
        path: &mut Vec<String>,
        out: &mut Vec<Vec<String>>,
        budget: &mut usize,
    ) {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        if rest.is_empty() {
            out.push(path.clone());
            return;
        }
        // Syllables are at most six letters (`zhuang`).
        for n in (1..=rest.len().min(6)).rev() {
            let (head, tail) = rest.split_at(n);
            let whole = syllables().contains(head);
            let open = open_end && tail.is_empty() && starts_a_syllable(head);
            if whole || open {
                path.push(head.to_string());
                walk(tail, open_end, path, out, budget);
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    let mut budget = 2_000;
    walk(letters, open_end, &mut Vec::new(), &mut out, &mut budget);
    out.sort_by_key(Vec::len);
    out.dedup();
    // One more syllable than the fewest at most: the word picks among them.
    let fewest = out.first().map_or(0, Vec::len);
    out.retain(|w| w.len() <= fewest + 1);
    out.truncate(MAX_SPELLINGS);
    out
}

/// The tokenizer of the `pinyin` and `initials` fields.
#[derive(Clone)]
pub(crate) struct PinyinTokenizer {
    initials: bool,
    norm: Normalized,
    token: Token,
}

impl PinyinTokenizer {
    pub(crate) fn new(initials: bool) -> PinyinTokenizer {
        PinyinTokenizer {
            initials,
            norm: Normalized::default(),
            token: Token::default(),
        }
    }
}

/// The terms of a text's Han characters, one after another, each at its character's
/// position; a character that is not Han and not a space between two of them leaves
/// a position empty, so they are not adjacent.
pub(crate) struct PinyinStream<'a> {
    chars: &'a [char],
    /// The next character to read.
    at: usize,
    initials: bool,
    /// The character being read: its terms, the next of them, its position, and
    /// whether its terms are the text's first.
    terms: std::borrow::Cow<'static, CharTerms>,
    next: usize,
    position: usize,
    first: bool,
    /// Where the next character stands.
    next_position: usize,
    /// A term has been given; something not Han has come since the last character.
    emitted: bool,
    gap: bool,
    token: &'a mut Token,
}

impl TokenStream for PinyinStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let terms = if self.initials {
                &self.terms.initials
            } else {
                &self.terms.pinyin
            };
            if let Some(term) = terms.get(self.next) {
                self.next += 1;
                self.token.text.clear();
                if self.initials && self.first {
                    self.token.text.push_str(START);
                }
                self.token.text.push_str(term);
                self.token.position = self.position;
                self.emitted = true;
                return true;
            }
            // The next Han character.
            let c = loop {
                let Some(&c) = self.chars.get(self.at) else {
                    return false;
                };
                self.at += 1;
                if is_cjk(c) {
                    break c;
                }
                self.gap |= !c.is_whitespace() && self.emitted;
            };
            if self.gap {
                self.next_position += 1;
                self.gap = false;
            }
            self.position = self.next_position;
            // Initials are matched only as a phrase from the title's start (the `^`
            // term) of at most `INITIALS_LETTERS` letters: terms past those positions
            // would never be read.
            if self.initials && self.position >= *INITIALS_LETTERS.end() {
                return false;
            }
            self.next_position += 1;
            self.first = !self.emitted;
            self.terms = terms_of(c);
            self.next = 0;
        }
    }
    fn token(&self) -> &Token {
        self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

impl Tokenizer for PinyinTokenizer {
    type TokenStream<'a> = PinyinStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> PinyinStream<'a> {
        normalize_into(text, &mut self.norm);
        self.token.reset();
        PinyinStream {
            chars: &self.norm.chars,
            at: 0,
            initials: self.initials,
            terms: std::borrow::Cow::Owned(CharTerms::default()),
            next: 0,
            position: 0,
            first: false,
            next_position: 0,
            emitted: false,
            gap: false,
            token: &mut self.token,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, initials: bool) -> Vec<(String, usize)> {
        tokens(text, initials)
    }

    #[test]
    fn characters_stand_with_all_their_readings() {
        let t = texts("焦作", false);
        assert!(t.contains(&("焦".into(), 0)) && t.contains(&("jiao".into(), 0)));
        assert!(t.contains(&("作".into(), 1)) && t.contains(&("zuo".into(), 1)));
        // 多音字: both readings of 行 at one position.
        let t = texts("银行", false);
        assert!(t.contains(&("hang".into(), 1)) && t.contains(&("xing".into(), 1)));
        // ü is v; punctuation parts characters.
        assert!(texts("绿", false).contains(&("lv".into(), 0)));
        assert!(t.contains(&("y".into(), 0)) && t.contains(&("h".into(), 1)));
        let t = texts("焦，作", false);
        assert!(t.contains(&("zuo".into(), 2)), "{t:?}");
        let t = texts("《云台山》", true);
        assert_eq!(t[0], ("^y".into(), 0));
        assert!(t.contains(&("t".into(), 1)) && t.contains(&("s".into(), 2)));
        assert_eq!(t.iter().map(|(_, p)| *p).max(), Some(2));
    }

    /// Initials stand only where a query of them can reach: the title's first six
    /// positions (the pinyin field goes on to the end).
    #[test]
    fn initials_stop_where_a_query_of_them_ends() {
        let title = "焦作市区空气质量持续改善";
        let initials = texts(title, true);
        assert_eq!(initials.first(), Some(&("^j".into(), 0)));
        assert_eq!(
            initials.iter().map(|(_, p)| *p).max(),
            Some(*INITIALS_LETTERS.end() - 1)
        );
        let pinyin = texts(title, false);
        assert_eq!(pinyin.iter().map(|(_, p)| *p).max(), Some(11));
    }

    #[test]
    fn one_tokenizer_reads_text_after_text_afresh() {
        // The indexer keeps one tokenizer per thread: the second title starts anew.
        let mut t = PinyinTokenizer::new(true);
        let mut all = Vec::new();
        for text in ["焦作", "云台山"] {
            let mut s = t.token_stream(text);
            while s.advance() {
                all.push((s.token().text.clone(), s.token().position));
            }
        }
        let second = all.iter().position(|t| t.0 == "^y").expect("云 read");
        assert_eq!(all[second - 1], ("z".into(), 1), "{all:?}");
        assert_eq!(all[second + 1], ("t".into(), 1), "{all:?}");
        // A character beyond the table's (〇, read líng) has its terms too.
        assert!(texts("\u{3007}", false).contains(&("ling".into(), 0)));
    }

    #[test]
    fn words_are_read_every_way_they_split() {
        let spellings = |w: &str, typing: bool| -> Vec<Vec<String>> {
            read_word(w, typing)
                .map(|p| p.spellings.into_iter().map(|s| s.terms).collect())
                .unwrap_or_default()
        };
        assert_eq!(spellings("jiaozuo", false), [["jiao", "zuo"]]);
        assert_eq!(spellings("yuntaishan", false), [["yun", "tai", "shan"]]);
        // 西安 as well as 先 (alone too short a search, so only the split).
        assert!(spellings("xian", false).contains(&vec!["xi".into(), "an".into()]));
        assert_eq!(spellings("xi'an", false), [["xi", "an"]]);
        assert_eq!(spellings("焦zuo", false), [["焦", "zuo"]]);
        // Still typing: the last piece is the start of a syllable.
        let half = read_word("jiaoz", true).unwrap();
        assert!(
            half.spellings
                .iter()
                .any(|s| s.terms == ["jiao", "z"] && s.last_is_prefix)
        );
        assert!(
            spellings("jiaoz", false).is_empty(),
            "z alone is no syllable"
        );
        // Initials for short words of letters, after the start mark.
        assert_eq!(
            read_word("jz", false).unwrap().initials.unwrap(),
            ["^j", "z"]
        );
        assert_eq!(read_word("焦作", false), None, "no Latin letter");
        assert_eq!(typed("焦作市"), "jiaozuoshi");
        assert_eq!(read_word("pm2.5", false), None, "digits are no pinyin");
    }
}
