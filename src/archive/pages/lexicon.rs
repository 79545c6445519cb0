//! The lexicon of bylines, datelines and page furniture ([`lexicon.txt`], embedded):
//! what the page reader recognises by its words rather than its shape.

use std::sync::LazyLock;

#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    pub(crate) openers: Vec<String>,
    pub(crate) datelines: Vec<String>,
    pub(crate) reporters: Vec<String>,
    pub(crate) credits: Vec<String>,
    pub(crate) furniture: Vec<String>,
    pub(crate) page_names: Vec<String>,
    pub(crate) ad_headings: Vec<String>,
    /// Marks that open a brief's heading (`■`, `●`).
    pub(crate) brief_marks: Vec<char>,
    /// The last character of every opener and dateline word: a line with none of them
    /// holds no opener (one search instead of one per word).
    pub(crate) opener_marks: Vec<char>,
    /// The first character of every opener and dateline word, sorted: a line starting
    /// with none of them opens with none (asked of every line of a page).
    opener_firsts: Vec<char>,
}

/// Most characters between an agency's name and the `电` of its dateline
/// (`新华社乌鲁木齐12月31日电`).
const DATELINE_MAX: usize = 16;

impl Lexicon {
    fn parse(text: &str) -> Lexicon {
        let mut lex = Lexicon::default();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((kind, word)) = line.split_once(':') else {
                continue;
            };
            let word = word.trim().to_string();
            match kind.trim() {
                "opener" => lex.openers.push(word),
                "dateline" => lex.datelines.push(word),
                "reporter" => lex.reporters.push(word),
                "credit" => lex.credits.push(word),
                "furniture" => lex.furniture.push(word),
                // A 栏目's name alone on its line is furniture as a 版名 is.
                "page_name" | "column" => lex.page_names.push(word),
                "ad_heading" => lex.ad_headings.push(word),
                "brief_mark" => lex.brief_marks.extend(word.chars().next()),
                _ => {}
            }
        }
        // The first and last characters of every opener and dateline word.
        let (mut firsts, mut marks): (Vec<char>, Vec<char>) = lex
            .openers
            .iter()
            .chain(&lex.datelines)
            .filter_map(|w| Some((w.chars().next()?, w.chars().next_back()?)))
            .unzip();
        for chars in [&mut firsts, &mut marks] {
            chars.sort_unstable();
            chars.dedup();
        }
        (lex.opener_firsts, lex.opener_marks) = (firsts, marks);
        // Longest first, so `本报记者` is tried before `记者`.
        lex.reporters.sort_by_key(|w| std::cmp::Reverse(w.len()));
        lex
    }

    /// Byte length of the opener `s` starts with (`本报讯`, `新华社郑州5月13日电`),
    /// whitespace inside it allowed (pdfminer spaces out justified lines).
    pub(crate) fn opener_len(&self, s: &str) -> Option<usize> {
        let first = s.chars().next()?;
        if self.opener_firsts.binary_search(&first).is_err() {
            return None;
        }
        if let Some(n) = self.openers.iter().find_map(|w| prefix_spaced(s, w)) {
            return Some(n);
        }
        let n = self.datelines.iter().find_map(|w| prefix_spaced(s, w))?;
        let rest = &s[n..];
        let mut prev = ' ';
        for (k, (i, c)) in rest.char_indices().enumerate() {
            if k > DATELINE_MAX {
                break;
            }
            if c == '电' && (prev == '日' || prev == '讯') {
                return Some(n + i + c.len_utf8());
            }
            if matches!(c, '，' | '。' | '（' | '(') {
                break;
            }
            if !c.is_whitespace() {
                prev = c;
            }
        }
        None
    }

    /// `s` without a leading credit mark (`□`, `文/图`) and the space after it.
    pub(crate) fn strip_credit<'a>(&self, s: &'a str) -> (&'a str, bool) {
        for w in &self.credits {
            if let Some(n) = prefix_spaced(s, w) {
                return (s[n..].trim_start(), true);
            }
        }
        (s, false)
    }

    /// Whether a line opens with a brief's mark (`■城区新增停车泊位八百个`).
    pub(crate) fn opens_brief(&self, line: &str) -> bool {
        line.trim_start()
            .chars()
            .next()
            .is_some_and(|c| self.brief_marks.contains(&c))
    }

    /// A small ad's heading (`寻物启事`, `旺铺出租`): short, and ending in an ad word.
    pub(crate) fn is_ad_heading(&self, s: &str) -> bool {
        let t = s.trim();
        t.chars().count() <= AD_HEADING_CHARS
            && self.ad_headings.iter().any(|w| t.ends_with(w.as_str()))
    }

    /// A line of page furniture: it starts with a furniture word, or it is a page's
    /// 版名 or 版次 (`第02版`, `A05版`) standing alone.
    pub(crate) fn is_furniture(&self, s: &str) -> bool {
        if self.furniture.iter().any(|w| prefix_spaced(s, w).is_some()) {
            return true;
        }
        // 版名 and 版次 are a few characters: only short lines are looked at closer.
        if s.len() > SHORT_FURNITURE_BYTES {
            return false;
        }
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        self.page_names.contains(&t) || is_page_number(&t)
    }
}

/// Longest small ad heading, in characters.
const AD_HEADING_CHARS: usize = 8;

/// Longest line (in bytes, spaces included) that may be a 版名 or 版次 alone.
const SHORT_FURNITURE_BYTES: usize = 40;

/// `第02版`, `A05版`, `第5版`.
fn is_page_number(t: &str) -> bool {
    let Some(inner) = t.strip_suffix('版') else {
        return false;
    };
    let inner = inner.strip_prefix('第').unwrap_or(inner);
    let inner = inner.trim_start_matches(|c: char| c.is_ascii_uppercase());
    (1..=3).contains(&inner.len()) && inner.bytes().all(|b| b.is_ascii_digit())
}

/// Byte length of `word` at the start of `s`, spaces between its characters allowed.
pub(crate) fn prefix_spaced(s: &str, word: &str) -> Option<usize> {
    // Runs on every line: most fail on the first character.
    let first = word.chars().next()?;
    if !s.starts_with(first) {
        return None;
    }
    if let Some(rest) = s.strip_prefix(word) {
        return Some(s.len() - rest.len());
    }
    if !s.contains(' ') {
        return None;
    }
    let mut it = s.char_indices().peekable();
    for w in word.chars() {
        while it.peek().is_some_and(|(_, c)| *c == ' ') {
            it.next();
        }
        match it.next() {
            Some((_, c)) if c == w => {}
            _ => return None,
        }
    }
    Some(it.peek().map_or(s.len(), |(i, _)| *i))
}

pub(crate) static LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::parse(include_str!("lexicon.txt")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openers_and_datelines() {
        let l = &*LEXICON;
        assert_eq!(l.opener_len("本报讯（记者"), Some("本报讯".len()));
        assert_eq!(l.opener_len("本 报 讯 （ 记"), Some("本 报 讯".len()));
        let d = "新华社郑州5月13日电";
        assert_eq!(l.opener_len(&format!("{d}（记者 王五）")), Some(d.len()));
        assert_eq!(l.opener_len("新华社记者走进"), None);
        assert_eq!(l.strip_credit("□ 本报记者 张三"), ("本报记者 张三", true));
        assert!(l.is_furniture("责任编辑：李静怡"));
        assert!(l.is_furniture("第02版"));
        assert!(l.is_furniture("A05版"));
        assert!(l.is_furniture("综 合"));
        assert!(!l.is_furniture("综合施策见成效"));
        // Every opener is found, spaced out too (the first-character check lets each by).
        for w in &l.openers {
            let spaced: String = w.chars().flat_map(|c| [c, ' ']).collect();
            assert_eq!(l.opener_len(&format!("{w}（记者")), Some(w.len()), "{w}");
            assert!(
                l.opener_len(&format!("{spaced}（记者")).is_some(),
                "{spaced}"
            );
        }
        for w in &l.datelines {
            assert!(l.opener_len(&format!("{w}北京1月2日电")).is_some(), "{w}");
        }
    }
}
