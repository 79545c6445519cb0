//! What a page's own furniture says about where it stands: the masthead (`焦作日报`),
//! the page line (`第02版 要闻`, `版名：要闻`, `A05版`) and the date line
//! (`2019年11月25日 星期一`). Read from the top and foot of the page only, where
//! furniture is printed, so that an article's words are never taken for it.

use super::article::FileFacts;
use super::date;
use super::model::{Date, PageNo};
use super::pages::lexicon::LEXICON;
use super::place::{self, page_of_label};
use crate::text::join::squeeze_spaces;
use regex::Regex;
use std::sync::LazyLock;

/// How many non-empty lines at the top of a page and at its foot are looked at.
const HEAD_LINES: usize = 15;
const FOOT_LINES: usize = 5;
/// Furniture lines are short; a longer line is text.
const MAX_LINE_CHARS: usize = 48;
/// A 版名 is a short name (要闻, 理论·学习, 经济新闻).
const MAX_PAGE_NAME_CHARS: usize = 6;

/// How a paper's name ends (a masthead is the name alone on its line).
const PAPER_ENDINGS: &[&str] = &[
    "日报",
    "晚报",
    "早报",
    "时报",
    "商报",
    "晨报",
    "青年报",
    "法治报",
    "报社",
];

static PAGE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s　])(第\s*[0-9０-９〇零一二三四五六七八九十百]{1,4}\s*版|[A-Z][0-9]{1,2}\s*版|[0-9]{1,2}\s*版)(?:[\s　]*[：:·|｜]?[\s　]*([\p{Han}·]{2,8}))?",
    )
    .expect("page line pattern")
});
/// What else a masthead prints: the issue number, the page count, the serial and
/// postal codes (`第14637期`, `今日12版`, `国内统一连续出版物号 CN41-0092`, `邮发代号 35-43`).
static MASTHEAD_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"第\s*[0-9]{1,6}\s*期|今日\s*[0-9]{1,2}\s*版|国内统一(?:连续出版物号|刊号)\s*(?:CN\s*[0-9]{2}\s*[-－]\s*[0-9]{4}(?:/[A-Z]{1,2})?)?|邮发代号\s*(?:[0-9]{1,2}\s*[-－]\s*[0-9]{1,3})?",
    )
    .expect("masthead item pattern")
});
/// A word each of the patterns [`is_furniture`] reads needs: a written date or
/// [`date::date_line`] `年`, [`PAGE_LINE`] `版`, [`MASTHEAD_ITEM`] `期`, `版`, `国内统一`
/// or `邮发代号`. A line with none of them (nor a staff word) is no furniture.
const FURNITURE_WORDS: &[&str] = &["年", "版", "期", "国内统一", "邮发代号"];
static PAGE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"版名[：:]\s*([\p{Han}·]{2,8})").expect("page name pattern"));

/// A page's furniture lines (masthead, date line, page line, 责任编辑) blanked out, so
/// the segmenter never takes them for headlines; a blank line keeps the text boxes
/// around them apart. Only whole lines made of furniture go, and only at the top and
/// foot of the page.
pub(crate) fn without_furniture(text: &str) -> std::borrow::Cow<'_, str> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let filled: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let edge: Vec<usize> = filled
        .iter()
        .take(HEAD_LINES)
        .chain(filled.iter().skip(filled.len().saturating_sub(FOOT_LINES)))
        .copied()
        .filter(|&i| is_furniture(lines[i].trim()))
        .collect();
    if edge.is_empty() {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        if edge.contains(&i) {
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out.into()
}

/// What credits a page's staff at its foot or head (`责任编辑：王明`).
const STAFF_WORDS: &[&str] = &[
    "责任编辑",
    "美术编辑",
    "版式设计",
    "责任校对",
    "校对",
    "编辑",
    "版式",
    "组版",
];

/// A line made of furniture only: a masthead, or dates, weekdays, page labels, 版名 and
/// staff credits with at most a couple of other characters between them.
pub(crate) fn is_furniture(line: &str) -> bool {
    // `pdftotext -layout` spreads a header line across the page's width.
    let line = &squeeze_spaces(line);
    if line.chars().count() > MAX_LINE_CHARS {
        return false;
    }
    let paper = masthead(line);
    if paper.as_ref().is_some_and(|m| m.len() == line.len()) {
        return true;
    }
    // What follows needs a date, a page or masthead item, or a staff credit: most
    // lines have none of their words (this runs on the edge lines of every page).
    if !FURNITURE_WORDS
        .iter()
        .chain(STAFF_WORDS)
        .any(|w| line.contains(w))
    {
        return false;
    }
    // Dates go, then the page label; what is left must be other furniture.
    let mut rest = date::WRITTEN_DATE.replace_all(line, " ").into_owned();
    let mut said = rest.len() != line.len() || date::date_line(line).is_some();
    if MASTHEAD_ITEM.is_match(&rest) {
        rest = MASTHEAD_ITEM.replace_all(&rest, " ").into_owned();
        said = true;
    }
    if let Some(c) = PAGE_LINE.captures(&rest.clone()) {
        rest = rest.replacen(&c[0], " ", 1);
        said = true;
    }
    for w in [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
        "星期天",
        "农历",
    ] {
        rest = rest.replace(w, " ");
    }
    if let Some(m) = paper {
        rest = rest.replacen(&m, " ", 1);
    }
    if let Some(w) = STAFF_WORDS
        .iter()
        .find(|w| rest.trim_start().starts_with(*w))
    {
        // `责任编辑：王明  美术编辑：李红`: the staff and their names.
        let names_only = rest.trim_start()[w.len()..]
            .split(|c: char| c.is_whitespace() || "：:，、".contains(c))
            .all(|t| t.chars().count() <= 4 || STAFF_WORDS.iter().any(|s| t.starts_with(s)));
        return names_only;
    }
    let left = rest.chars().filter(|c| c.is_alphanumeric()).count();
    said && left <= 2
}

/// A line of a 今日导读 box: a headline, a space, the page it is on
/// (`城市书房成为市民“精神加油站”　第3版`). Furniture in the body of a page; at its head, a
/// line so shaped may be a headline beside the page label (`-layout`), so
/// [`is_furniture`] leaves it alone.
pub(crate) fn is_guide_entry(line: &str) -> bool {
    let t = line.trim();
    match t.rsplit_once(char::is_whitespace) {
        Some((head, page)) => {
            !head.trim().is_empty()
                && t.chars().count() <= GUIDE_ENTRY_CHARS
                && LEXICON.is_furniture(page)
        }
        None => false,
    }
}

/// Longest 今日导读 line, in characters.
const GUIDE_ENTRY_CHARS: usize = 40;

/// A weather box's line (`小雨转阴15℃～21℃东风3级`): short, with temperatures and no
/// sentence. A sentence that mentions one is body text.
pub(crate) fn is_weather(text: &str) -> bool {
    text.len() <= 4 * WEATHER_CHARS
        && text.chars().count() <= WEATHER_CHARS
        && (text.contains('℃') || wind_force(text))
        && !text.contains(['。', '，'])
}

/// `东南风3～4级`, `北风 2级`: a wind's force.
fn wind_force(text: &str) -> bool {
    text.match_indices('风').any(|(i, _)| {
        let rest = text[i + '风'.len_utf8()..].trim_start();
        rest.starts_with(|c: char| c.is_ascii_digit())
            && rest
                .trim_start_matches(|c: char| c.is_ascii_digit() || "～~-－到至".contains(c))
                .starts_with('级')
    })
}

/// Longest weather line, in characters.
const WEATHER_CHARS: usize = 40;

/// Facts from the furniture of a page of extracted text.
pub(crate) fn facts(text: &str) -> FileFacts {
    // Only the head and the foot are read: only their lines are squeezed.
    let filled: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let squeezed = |ls: &[&str]| ls.iter().map(|l| squeeze_spaces(l)).collect::<Vec<_>>();
    let head = squeezed(&filled[..filled.len().min(HEAD_LINES)]);
    let foot = squeezed(&filled[filled.len().saturating_sub(FOOT_LINES)..]);
    let mut facts = FileFacts::default();
    for line in head.iter().chain(&foot) {
        if line.chars().count() > MAX_LINE_CHARS {
            continue;
        }
        if facts.page.is_none()
            && let Some((page, name)) = page_line(line)
        {
            facts.page = Some(page);
            facts.page_name = facts.page_name.or(name).or_else(|| known_page_name(line));
        }
        if facts.page_name.is_none()
            && let Some(c) = PAGE_NAME.captures(line)
        {
            facts.page_name = Some(c[1].to_string());
        }
        if facts.date.is_none()
            && let Some((y, m, Some(d))) = date::date_line(line)
        {
            facts.date = Date::new(y, m, d);
        }
    }
    facts.paper = head.iter().find_map(|l| masthead(l));
    facts
}

/// A 版名 of the lexicon standing as a word of a page line (`专题  2023年03月03日  第03版`).
fn known_page_name(line: &str) -> Option<String> {
    line.split_whitespace()
        .find(|w| LEXICON.page_names.iter().any(|n| n == w))
        .map(str::to_string)
}

/// `第02版 要闻` → (page 2, 要闻).
fn page_line(line: &str) -> Option<(PageNo, Option<String>)> {
    let c = PAGE_LINE.captures(line)?;
    let label: String = c[1].chars().filter(|c| !c.is_whitespace()).collect();
    let label: String = label
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect();
    let page = page_of_label(&label)?;
    if u32::from(page.number) > place::MAX_PAGE {
        return None;
    }
    let name = c
        .get(2)
        .map(|m| m.as_str().to_string())
        .filter(|n| n.chars().count() <= MAX_PAGE_NAME_CHARS && !n.contains("星期"));
    Some((page, name))
}

/// A masthead: a paper's name alone on its line (`焦作日报`), or opening a header line
/// that goes on with a date or page (`焦作日报  2019年11月25日`).
fn masthead(line: &str) -> Option<String> {
    let first = line.split([' ', '　', '\t']).next()?;
    let alone = first.len() == line.len();
    let n = first.chars().count();
    let named = (3..=8).contains(&n)
        && first.chars().all(crate::text::script::is_han)
        && PAPER_ENDINGS.iter().any(|e| first.ends_with(e));
    let rest_is_furniture = || date::WRITTEN_DATE.is_match(line) || PAGE_LINE.is_match(line);
    (named && (alone || rest_is_furniture())).then(|| first.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_head_gives_paper_page_name_and_date() {
        let f = facts(
            "焦作日报\n2019年11月25日 星期一 第01版 要闻\n\n示范区召开重点工作汇报会\n本报讯…",
        );
        assert_eq!(f.paper.as_deref(), Some("焦作日报"));
        assert_eq!(f.page, Some(PageNo::plain(1)));
        assert_eq!(f.page_name.as_deref(), Some("要闻"));
        assert_eq!(f.date, Date::new(2019, 11, 25));
    }

    #[test]
    fn a_page_name_before_the_date_and_page_is_the_pages_name() {
        let f = facts("专题   2023年03月03日 星期五   第03版\n\n高质量发展看园区\n");
        assert_eq!(f.page, Some(PageNo::plain(3)));
        assert_eq!(f.page_name.as_deref(), Some("专题"));
        // A word that is no 版名 is not taken for one.
        let f = facts("园区   2023年03月03日 星期五   第03版\n");
        assert_eq!(f.page_name, None);
    }

    #[test]
    fn furniture_lines_are_blanked_and_text_is_kept() {
        let page = "焦作日报\n2019年11月25日 星期一 第01版 要闻\n\n示范区召开会议\n2019年11月25日，示范区召开会议。\n责任编辑：王明  美术编辑：李红\n";
        let out = without_furniture(page);
        assert_eq!(
            out,
            "\n\n\n示范区召开会议\n2019年11月25日，示范区召开会议。\n\n"
        );
        // A page without furniture is untouched (and not copied).
        let plain = "示范区召开会议\n会议要求，各单位要抓好落实。\n";
        assert!(matches!(
            without_furniture(plain),
            std::borrow::Cow::Borrowed(_)
        ));
        // A headline that happens to hold a date is text.
        assert!(!is_furniture("2019年11月25日示范区召开重点工作汇报会"));
        assert!(!is_furniture(
            "编辑部收到读者来信三百余封，内容涉及城市管理"
        ));
        // A masthead's issue number, page count and codes.
        assert!(is_furniture("第14637期 今日12版"));
        assert!(is_furniture("国内统一连续出版物号 CN41-0092"));
        assert!(is_furniture("邮发代号 35-43"));
        assert!(!is_furniture("第十期培训班今日开班"));
    }

    #[test]
    fn a_head_line_spread_across_the_page_is_furniture() {
        // `pdftotext -layout` sets the date, 版名 and page far apart on one line.
        let line = format!(
            "2016年12月20日 星期二{}社会{}第02版",
            " ".repeat(39),
            " ".repeat(47)
        );
        assert!(is_furniture(&line));
        let f = facts(&format!("{line}\n\n示范区召开会议\n本报讯…"));
        assert_eq!(f.page, Some(PageNo::plain(2)));
        assert_eq!(f.date, Date::new(2016, 12, 20));
    }

    #[test]
    fn page_lines_in_their_forms() {
        let page = |l: &str| page_line(l).map(|(p, n)| (p.label(), n));
        assert_eq!(
            page("第 5 版　社会"),
            Some(("第05版".into(), Some("社会".into())))
        );
        assert_eq!(page("第十二版"), Some(("第12版".into(), None)));
        assert_eq!(
            page("A05版：经济新闻"),
            Some(("A05版".into(), Some("经济新闻".into())))
        );
        assert_eq!(
            page("责任编辑：王明　第３版"),
            Some(("第03版".into(), None))
        );
        // A sentence about pages is not a page line; nor is a year.
        assert_eq!(page("全书共第三百五十版次"), None);
        assert_eq!(page("2019年出版"), None);
    }

    #[test]
    fn a_sentence_with_a_date_is_not_a_date_line_and_titles_are_not_mastheads() {
        let f = facts(
            "市政府召开常务会议\n11月20日，市政府召开会议，会议决定于2019年12月1日起施行新的管理办法，请各单位遵照执行。\n",
        );
        assert_eq!(f.date, None);
        assert_eq!(f.paper, None);
        // A month alone is no date.
        assert_eq!(facts("2019年10月 星期五\n第5版 社会").date, None);
        // A headline ending in 报 that is not a paper's name.
        assert_eq!(facts("喜报\n全市夏粮再获丰收").paper, None);
    }

    #[test]
    fn weather_is_furniture_a_sentence_about_it_is_not() {
        assert!(is_weather("小雨转阴15℃～21℃东风3级"));
        assert!(is_weather("东南风3～4级"));
        assert!(!is_weather("风雨无阻"));
        assert!(is_guide_entry("城市书房成为市民“精神加油站”　第3版"));
        assert!(!is_guide_entry("第3版"));
        assert!(!is_guide_entry("会议要求各单位 抓好落实"));
        assert!(!is_weather("今天最高气温达到35℃，市民注意防暑。"));
    }
}
