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
    let body = &lines[body_from..];
    let mut paragraphs: Vec<String> = if is_wrapped(body) {
        join_wrapped(body)
    } else {
        body.iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
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

/// Sentence-final marks: a line ending in one may end a paragraph.
const SENTENCE_END: &[char] = &['。', '！', '？', '”', '」', '）', '…', '：'];
/// Wrapped: at least this many lines, fewer than this share (per cent) ending a sentence.
const MIN_WRAPPED_LINES: usize = 4;
const MAX_WRAPPED_ENDS_PERCENT: usize = 50;
/// A wrapped paragraph's last line is shorter than this share (per cent) of the measure.
const LAST_LINE_PERCENT: usize = 85;

/// A body of hard-wrapped column lines rather than a paragraph a line: a file saved
/// from a page's text, named as an article.
fn is_wrapped(body: &[&str]) -> bool {
    let lines: Vec<&str> = body
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    let ends = lines.iter().filter(|l| l.ends_with(SENTENCE_END)).count();
    lines.len() >= MIN_WRAPPED_LINES && ends * 100 < lines.len() * MAX_WRAPPED_ENDS_PERCENT
}

/// Join wrapped lines into paragraphs: a paragraph ends at a blank line, before an
/// indented line, or after a short line that ends a sentence.
fn join_wrapped(body: &[&str]) -> Vec<String> {
    let measure = body
        .iter()
        .map(|l| l.trim().chars().count())
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let mut flush = |cur: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(crate::text::join::join_lines(cur));
            cur.clear();
        }
    };
    for line in body {
        let t = line.trim();
        if t.is_empty() || line.starts_with(INDENT) || line.starts_with("  ") {
            flush(&mut cur);
        }
        if t.is_empty() {
            continue;
        }
        cur.push(t.to_string());
        if t.ends_with(SENTENCE_END) && t.chars().count() * 100 < measure * LAST_LINE_PERCENT {
            flush(&mut cur);
        }
    }
    flush(&mut cur);
    out
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
    fn wrapped_lines_are_joined_whole_lines_kept() {
        let wrapped = "\n标题\n\n\u{3000}\u{3000}全市秋粮收购进度过半，已收购玉米\n二十万吨，比去年同期多三成，各地\n收购网点运转正常。\n\u{3000}\u{3000}下一步将加强监测，\n严禁压级压价和拖欠售粮款等问题。\n";
        let a = &parse(wrapped)[0];
        assert_eq!(
            a.parts.paragraphs,
            [
                "全市秋粮收购进度过半，已收购玉米二十万吨，比去年同期多三成，各地收购网点运转正常。",
                "下一步将加强监测，严禁压级压价和拖欠售粮款等问题。"
            ]
        );
        let whole = "\n标题\n\n\u{3000}\u{3000}第一段。\n\u{3000}\u{3000}第二段。\n";
        assert_eq!(parse(whole)[0].parts.paragraphs, ["第一段。", "第二段。"]);
    }

    #[test]
    fn wrapped_pages_are_not_article_files() {
        let page = "示范区召开会议\n\n本报记者 张三\n负责人依次发言，分别就今年1~10月份全区主\n要经济指标完成情况进行了汇报，会议强调\n要肯定成绩。\n";
        assert!(!looks_like_article(page));
    }
}
