//! The lines around an article's body whose place is known (an article file, a Markdown
//! article): the dateline or byline at its start (`本报北京10月17日电  （记者王海涛）`,
//! `新华社北京10月1日电（记者 赵立新）`, a line `本报记者  陈静怡`) and the credit at its
//! end (`本报记者  李  舸摄`, `（新华社北京9月30日电）`, `夏  禾`). The words are data.

use crate::text::join::squeeze_spaces;
use regex::Regex;
use std::sync::LazyLock;

/// Who files datelines: `本报北京10月17日电`, `新华社北京9月30日电`.
const AGENCIES: &[&str] = &[
    "本报",
    "新华社",
    "中新社",
    "人民网",
    "新华网",
    "央视网",
    "中国日报",
    "光明日报",
    "经济日报",
];

/// What a byline line starts with (`本报记者  陈静怡`, `记者 张三 通讯员 李四`).
const BYLINE_ROLES: &[&str] = &[
    "本报记者",
    "本报特约记者",
    "本报通讯员",
    "本报评论员",
    "本报特约评论员",
    "新华社记者",
    "人民日报记者",
    "记者",
    "通讯员",
];

/// How a credit line ends: a photo (`…摄`), drawing (`…图`, `…画`), text (`…文`),
/// compilation (`…整理`).
const CREDIT_ENDINGS: &[&str] = &["摄", "图", "画", "文", "整理", "供图", "制图", "摄影"];

/// Marks of a continuation, never a credit (`（下转二版）`).
const CONTINUATION_MARKS: &[&str] = &["下转", "上接", "转第", "接第"];

/// The longest byline line and credit line, in characters.
const MAX_BYLINE: usize = 40;
const MAX_CREDIT: usize = 24;
/// A credit in parentheses (`（作者为北漳市委党校教授  高志远）`) may be longer.
const MAX_PAREN_CREDIT: usize = 60;

/// Punctuation that makes a line a sentence, not a name.
const SENTENCE_MARKS: &[char] = &['。', '，', '；', '：', '！', '？', '“', '”', '、'];

/// What else a byline says that is no name, besides its roles ([`BYLINE_ROLES`]).
/// Single characters such as 文 or 摄 are left alone: they occur inside names (原文钊).
const NOT_NAMES: &[&str] = &[
    "本报讯",
    "特约记者",
    "见习记者",
    "实习生",
    "摄影",
    "本报",
    "（",
    "）",
    "(",
    ")",
    "□",
    "文/图",
    "文／图",
    "、",
    "，",
];

/// The names in a byline, without the role words, spaced
/// (`本报讯（记者 原文钊 通讯员 李秋实）` → `原文钊 李秋实`): what the list shows when the
/// whole byline does not fit, and what is indexed in pinyin (typing `jizhe` should not
/// find every article).
pub(crate) fn names(byline: &str) -> String {
    // One pass, the longest word at each place (the indexer calls this for every
    // article).
    let mut out = String::with_capacity(byline.len());
    let mut rest = byline;
    while let Some(c) = rest.chars().next() {
        let word = BYLINE_ROLES
            .iter()
            .chain(NOT_NAMES)
            .filter(|w| rest.starts_with(**w))
            .max_by_key(|w| w.len());
        match word {
            Some(w) => {
                out.push(' ');
                rest = &rest[w.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    crate::text::join::squeeze_spaces(&out)
}

/// A glued dateline at the start of a paragraph: the dateline as written (with the
/// reporters' parenthesis) and the text after it. `本报讯` counts.
pub(crate) fn split_dateline(p: &str) -> Option<(String, String)> {
    static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
        let agencies = AGENCIES.join("|");
        Regex::new(&format!(
            r"^(?:(?:{agencies})[^\s，。：；（）“”]{{0,16}}?(?:电|讯))(?:[ \u{{3000}}]*（[^（）。]{{1,40}}）)?"
        ))
        .expect("a valid pattern")
    });
    let m = DATELINE.find(p)?;
    let rest = p[m.end()..].trim_start();
    (!rest.is_empty()).then(|| (m.as_str().to_string(), rest.to_string()))
}

/// A paragraph that is only a byline (`本报记者  孙嘉禾  周雨桐`).
pub(crate) fn is_byline_line(p: &str) -> bool {
    let t = p.trim();
    t.chars().count() <= MAX_BYLINE
        && BYLINE_ROLES.iter().any(|r| t.starts_with(r))
        && !t.contains(SENTENCE_MARKS)
        && t.chars().count() > 3
}

/// A closing line that credits rather than tells: a photo credit, a sign-off, an
/// author's note in parentheses, a Xinhua `（新华社北京9月30日电）`.
pub(crate) fn is_credit(p: &str) -> bool {
    let t = p.trim();
    let n = t.chars().count();
    if n == 0 || CONTINUATION_MARKS.iter().any(|m| t.contains(m)) {
        return false;
    }
    if let Some(inner) = t.strip_prefix('（').and_then(|s| s.strip_suffix('）')) {
        return n <= MAX_PAREN_CREDIT && !inner.contains(['（', '）', '。']);
    }
    if n > MAX_CREDIT || t.contains(SENTENCE_MARKS) || t.ends_with(['。', '！', '？', '…']) {
        return false;
    }
    // A name spaced out as papers print it (`夏  禾`), a role, or a credit's ending.
    t.contains("  ")
        || t.contains('\u{3000}')
        || BYLINE_ROLES.iter().any(|r| t.starts_with(r))
        || CREDIT_ENDINGS.iter().any(|e| t.ends_with(e)) && n <= MAX_CREDIT / 2
}

/// A byline as stored: the text as written without its spaces (`本报记者  陈静怡` →
/// `本报记者陈静怡`), a space kept only between two Latin letters or digits.
pub(crate) fn compact(raw: &str) -> String {
    let chars: Vec<char> = raw.trim().chars().collect();
    let mut out = String::with_capacity(raw.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().next_back();
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if let (Some(p), Some(n)) = (prev, next)
                && p.is_ascii_alphanumeric()
                && n.is_ascii_alphanumeric()
                && !out.ends_with(' ')
            {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Take the byline off the start of a body (a line of its own, or glued to the first
/// paragraph), and the credit off its end. Paragraphs are trimmed text as written.
pub(crate) fn take_byline_and_credit(
    paragraphs: &mut Vec<String>,
) -> (Option<String>, Option<String>) {
    let mut byline = None;
    if let Some(first) = paragraphs.first() {
        if is_byline_line(first) && paragraphs.len() > 1 {
            byline = Some(compact(first));
            paragraphs.remove(0);
        } else if let Some((dateline, rest)) = split_dateline(first) {
            byline = Some(compact(&dateline));
            paragraphs[0] = rest;
        }
    }
    let mut credit = None;
    if paragraphs.len() > 1 && paragraphs.last().is_some_and(|p| is_credit(p)) {
        credit = paragraphs.pop();
    }
    settle(&mut byline, &mut credit);
    (byline, credit)
}

/// `记者 张卫东 报道` closing an article that names no one up top is its byline, printed
/// at the end (a photo credit `…摄` or a compiler's `…整理` stays a credit).
pub(crate) fn settle(byline: &mut Option<String>, credit: &mut Option<String>) {
    if byline.is_none()
        && let Some(c) = credit.as_deref()
        && is_byline_at_end(c)
    {
        // Spaces folded, not removed: the names stay apart, as such lines were read
        // before there were credits.
        *byline = Some(squeeze_spaces(c));
        *credit = None;
    }
}

/// A role-led closing line that is not a photo, drawing or compiler's credit.
fn is_byline_at_end(c: &str) -> bool {
    let t = c.trim();
    BYLINE_ROLES.iter().any(|r| t.starts_with(r)) && !CREDIT_ENDINGS.iter().any(|e| t.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_leave_the_role_words_out() {
        assert_eq!(
            names("本报讯（记者 原文钊 通讯员 李秋实）"),
            "原文钊 李秋实"
        );
        assert_eq!(names("本报记者蔡远航"), "蔡远航");
        assert_eq!(names("文/图 王伟"), "王伟");
        assert_eq!(names("新华社记者 王海涛"), "王海涛");
        // 文 alone is left: it is in names (原文钊).
        assert_eq!(names("记者原文钊"), "原文钊");
    }

    #[test]
    fn datelines() {
        let (d, rest) = split_dateline("本报北京9月29日电  （记者王海涛）记者从……获悉").unwrap();
        assert_eq!(d, "本报北京9月29日电  （记者王海涛）");
        assert_eq!(rest, "记者从……获悉");
        let (d, rest) = split_dateline("本报北京9月29日电  连日来，各地举行活动。").unwrap();
        assert_eq!(
            (d.as_str(), rest.as_str()),
            ("本报北京9月29日电", "连日来，各地举行活动。")
        );
        let (d, _) = split_dateline("新华社北京9月30日电（记者 赵立新）国庆假期，").unwrap();
        assert_eq!(compact(&d), "新华社北京9月30日电（记者赵立新）");
        let (d, _) = split_dateline("本报讯  （记者郑启明）在北漳市，").unwrap();
        assert_eq!(compact(&d), "本报讯（记者郑启明）");
        assert!(split_dateline("本报记者从有关部门获悉，今年……").is_none());
        assert!(split_dateline("（新华社北京9月30日电）").is_none());
    }

    #[test]
    fn credits_and_bylines() {
        for c in [
            "本报记者  程  曦摄",
            "（新华社北京9月30日电）",
            "（作者为北漳市委党校教授  高志远）",
            "夏  禾",
            "勾  犇图  羽  生文",
            "本报记者 吕正军 整理",
        ] {
            assert!(is_credit(c), "{c}");
        }
        for p in [
            "那一刻，我忽然明白，故乡的味道，其实就是亲人的牵挂。",
            "（下转第二版）",
            "从“肩挑背扛”到“车来车往”",
            "记者：今年的收成怎么样？",
        ] {
            assert!(!is_credit(p), "{p}");
        }
        assert!(is_byline_line("本报记者  孙嘉禾  周雨桐"));
        assert!(!is_byline_line("记者：今年的收成怎么样？"));
        assert_eq!(compact("本报记者  孙嘉禾  周雨桐"), "本报记者孙嘉禾周雨桐");
        assert_eq!(compact("记者 John Smith"), "记者John Smith");
        let mut body = vec!["正文。".to_string(), "记者 张卫东 报道".to_string()];
        assert_eq!(
            take_byline_and_credit(&mut body),
            (Some("记者 张卫东 报道".to_string()), None)
        );
        let mut body = vec!["正文。".to_string(), "本报记者  程  曦摄".to_string()];
        assert_eq!(
            take_byline_and_credit(&mut body),
            (None, Some("本报记者  程  曦摄".to_string()))
        );
    }
}
