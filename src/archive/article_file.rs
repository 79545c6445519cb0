//! Files that hold one article each, as crawlers of electronic editions store them
//! (`人民日报/2019年10月/20191018/20191018-01-04.txt`): line 1 the kicker (引题) or
//! empty, line 2 the title, line 3 the subtitle (副题) or empty, then one paragraph a
//! line, indented `　　`, often a credit (`本报记者  李  舸摄`) last. Nothing here is
//! guessed from a page's layout: the lines are the structure.

use super::article::{ArticleParts, FullParts};
use super::byline;
use regex::Regex;
use std::sync::LazyLock;

/// An ideographic space: how article files indent paragraphs.
const INDENT: char = '\u{3000}';
/// What an ad slot holds.
const AD: &str = "广告";

/// Header lines at most (kicker, title, subtitle).
const HEADER_LINES: usize = 3;
/// Shape: the longest header line, in characters (a headline, not a paragraph).
const MAX_HEADER_CHARS: usize = 60;
/// Shape: at most this many body lines (a page of text has hundreds).
const MAX_BODY_LINES: usize = 400;
/// Shape: the share of body lines (per cent) that must be indented paragraphs.
const MIN_INDENTED_PERCENT: usize = 70;
/// Shape: the share of indented lines (per cent) that must end a sentence, i.e. not be
/// wrapped column lines.
const MIN_WHOLE_PERCENT: usize = 60;

/// A name that says "one article": `20191018-01-04` (date, page, article), or
/// `…_01_04` / `01-04` in a dated folder.
pub(crate) fn is_article_name(rel: &str) -> bool {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[^0-9])(?:19|20)\d{6}[-_]\d{1,3}[-_]\d{1,3}$").expect("a valid pattern")
    });
    static SHORT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d{1,3}[-_]\d{1,3}$").expect("a valid pattern"));
    let stem = super::article::file_stem(rel);
    NAME.is_match(&stem) || (SHORT.is_match(&stem) && super::place::from_path(rel).date.is_some())
}

/// A text shaped like an article file: a short header of at most three lines, then
/// lines that are whole indented paragraphs (not a page's wrapped column lines).
pub(crate) fn looks_like_article(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    let header = header_len(&lines);
    if header == 0
        || lines[..header]
            .iter()
            .any(|l| l.trim().chars().count() > MAX_HEADER_CHARS || l.contains('。'))
        || lines[..header].iter().all(|l| l.trim().is_empty())
    {
        return false;
    }
    let body: Vec<&str> = lines[header..]
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .collect();
    if body.is_empty() || body.len() > MAX_BODY_LINES {
        return false;
    }
    let indented: Vec<&&str> = body.iter().filter(|l| l.starts_with(INDENT)).collect();
    let whole = indented
        .iter()
        .filter(|l| {
            l.trim_end()
                .ends_with(['。', '！', '？', '”', '」', '）', '…'])
        })
        .count();
    indented.len() * 100 >= body.len() * MIN_INDENTED_PERCENT
        && whole * 100 >= indented.len() * MIN_WHOLE_PERCENT
}

/// A file that holds only `广告`: an ad's slot on the page, no article.
pub(crate) fn is_ad(text: &str) -> bool {
    text.trim() == AD
}

/// Header lines: up to three leading lines that are not indented body lines or a
/// dateline (a file without a kicker line starts right with its title).
fn header_len(lines: &[&str]) -> usize {
    lines
        .iter()
        .take(HEADER_LINES)
        .take_while(|l| {
            !l.starts_with(INDENT)
                && !l.starts_with("  ")
                && byline::split_dateline(l.trim()).is_none()
        })
        .count()
}

/// Read one article file (none for an ad slot).
pub(crate) fn parse(text: &str) -> Vec<FullParts> {
    if is_ad(text) {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut header: Vec<Option<String>> = lines[..header_len(&lines)]
        .iter()
        .map(|l| Some(l.trim().to_string()).filter(|t| !t.is_empty()))
        .collect();
    let mut body_from = header.len();
    // A third line that is a byline (`本报记者  孙嘉禾`) belongs to the body.
    if header.len() == HEADER_LINES && header[2].as_deref().is_some_and(byline::is_byline_line) {
        header.pop();
        body_from -= 1;
    }
    let (kicker, title, subtitle) = match header.as_slice() {
        [k, t, s] => (k.clone(), t.clone(), s.clone()),
        // Two lines: the title and its subtitle, or an empty line and the title.
        [None, t] => (None, t.clone(), None),
        [t, s] => (None, t.clone(), s.clone()),
        [t] => (None, t.clone(), None),
        _ => (None, None, None),
    };
    // An empty title line with a kicker: the kicker is the title.
    let (kicker, title) = match (kicker, title) {
        (Some(k), None) => (None, Some(k)),
        other => other,
    };
    let mut paragraphs: Vec<String> = lines[body_from..]
        .iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let (byline, credit) = byline::take_byline_and_credit(&mut paragraphs);
    vec![FullParts {
        parts: ArticleParts {
            kicker,
            title,
            subtitle,
            byline,
            paragraphs,
            ..ArticleParts::default()
        },
        credit,
        ..FullParts::default()
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_article_name(
            "人民日报/2019年10月/20191018/20191018-01-04.txt"
        ));
        assert!(is_article_name("rmrb_20191018_01_04.txt"));
        assert!(is_article_name("2019-10-18/01_04.txt"));
        assert!(!is_article_name("01_04.txt"));
        assert!(!is_article_name("2019/11/25/01.txt"));
        assert!(!is_article_name("rmrb2019112503.txt"));
    }

    #[test]
    fn header_body_credit() {
        let text = "走基层\n山里的茶叶\n\n\u{3000}\u{3000}本报记者  陈静怡\n\u{3000}\u{3000}清晨六点，茶园里已是一片忙碌。\n\u{3000}\u{3000}如今茶叶销往全国。\n本报记者  程  曦摄\n";
        assert!(looks_like_article(text));
        let a = &parse(text)[0];
        assert_eq!(a.parts.kicker.as_deref(), Some("走基层"));
        assert_eq!(a.parts.title.as_deref(), Some("山里的茶叶"));
        assert_eq!(a.parts.subtitle, None);
        assert_eq!(a.parts.byline.as_deref(), Some("本报记者陈静怡"));
        assert_eq!(a.parts.paragraphs.len(), 2);
        assert_eq!(a.credit.as_deref(), Some("本报记者  程  曦摄"));
        assert!(parse("\n广告\n\n").is_empty());
    }

    #[test]
    fn wrapped_pages_are_not_article_files() {
        let page = "示范区召开会议\n\n本报记者 张三\n负责人依次发言，分别就今年1~10月份全区主\n要经济指标完成情况进行了汇报，会议强调\n要肯定成绩。\n";
        assert!(!looks_like_article(page));
    }
}
