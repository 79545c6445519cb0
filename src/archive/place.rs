//! Where a file's articles stand in the paper, as its path says: the paper (a folder's
//! name, or a known abbreviation leading the file name), the issue date (`2019/11/25`,
//! `2019-11-25`, `20191125`, in folders or the name), the page (版次: `第02版`, `02版`,
//! `A02`, `rmrb2019112503`, `_04`, a file named `01`) and, for one-article files, the
//! order on the page (`20191018-01-04`: page 1, article 4).
//!
//! What the path says is believed over what the text says (see `article.rs`): archives
//! are filed by paper, date and page, and a page's own text mentions many dates.

use super::date;
use super::model::{Date, PageNo};
use regex::Regex;
use std::sync::LazyLock;

/// What a file's path says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathPlace {
    pub paper: Option<String>,
    pub date: Option<Date>,
    pub page: Option<PageNo>,
    pub order: Option<u32>,
}

/// Folder names that say nothing about the paper (how people file their archives).
const GENERIC_FOLDERS: &[&str] = &[
    "archive",
    "archives",
    "article",
    "articles",
    "content",
    "data",
    "json",
    "jsonl",
    "library",
    "markdown",
    "md",
    "news",
    "newspaper",
    "newspapers",
    "out",
    "output",
    "page",
    "pages",
    "paper",
    "papers",
    "pdf",
    "text",
    "texts",
    "txt",
    "报纸",
    "版面",
    "数字报",
    "电子版",
    "文章",
];

/// Abbreviations that lead the file names of well-known papers' electronic editions
/// (pinyin initials); an unknown one is shown as it is written.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("rmrb", "人民日报"),
    ("gmrb", "光明日报"),
    ("jjrb", "经济日报"),
    ("zgqnb", "中国青年报"),
    ("fzrb", "法制日报"),
    ("kjrb", "科技日报"),
    ("nmrb", "农民日报"),
    ("jfjb", "解放军报"),
    ("hnrb", "河南日报"),
    ("jzrb", "焦作日报"),
];

/// The most pages a paper prints in a day (a number above it is not a page).
pub(crate) const MAX_PAGE: u32 = 400;

/// Read what `rel` (a path inside the library, `/` separators) says.
pub fn from_path(rel: &str) -> PathPlace {
    let (folders, file) = match rel.rsplit_once('/') {
        Some((dirs, file)) => (dirs.split('/').collect::<Vec<_>>(), file),
        None => (Vec::new(), rel),
    };
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let mut place = PathPlace {
        date: date::from_file_name(rel).or_else(|| dated_page(stem).map(|(d, _)| d)),
        paper: folders.iter().find_map(|f| paper_folder(f)),
        ..PathPlace::default()
    };
    let (mut page, order, abbreviation) = page_of_stem(stem);
    // `2019/11/25.md`: a one- or two-digit name under a month's folder is the day, not
    // a page; under a day's folder (`2019/11/25/01.txt`) it is the page.
    if stem.len() <= 2
        && stem.chars().all(|c| c.is_ascii_digit())
        && date::from_file_name(&folders.join("/")).is_none()
    {
        page = None;
    }
    place.page = page;
    place.order = order;
    // `2019-10-18/01_04.txt`: page and article of one-article files in a day's folder.
    if let Some((page, order)) = short_page_order(stem)
        && date::from_file_name(&folders.join("/")).is_some()
    {
        place.page = Some(PageNo::plain(page));
        place.order = Some(order);
    }
    if place.paper.is_none() {
        place.paper = abbreviation.map(|a| {
            ABBREVIATIONS
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&a))
                .map_or(a, |(_, name)| name.to_string())
        });
    }
    place
}

/// `01_04`, `1-4`: page and order on the page.
fn short_page_order(stem: &str) -> Option<(u16, u32)> {
    static SHORT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(\d{1,3})[-_](\d{1,3})$").expect("a valid pattern"));
    let c = SHORT.captures(stem)?;
    let page: u16 = c[1]
        .parse()
        .ok()
        .filter(|n| (1..=MAX_PAGE as u16).contains(n))?;
    let order: u32 = c[2].parse().ok().filter(|n| *n >= 1)?;
    Some((page, order))
}

/// A folder named after a paper: not a date, a number, a hash or a generic name.
fn paper_folder(name: &str) -> Option<String> {
    let n = name.trim();
    let has_letter = n.chars().any(|c| c.is_alphabetic());
    let datey = n
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | '年' | '月' | '日'));
    (has_letter
        && !datey
        && !is_hash_like(n)
        && !GENERIC_FOLDERS.iter().any(|g| g.eq_ignore_ascii_case(n)))
    .then(|| n.to_string())
}

/// `83b84c91cdb592ac`: ten or more hex digits, several of them letters and several
/// numbers — a content hash or an export's id, never a page or a date (unlike
/// `rmrb2019112503`, whose one `b` only looks like hex).
fn is_hash_like(s: &str) -> bool {
    static HASH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)[0-9a-f]{10,}").expect("a valid pattern"));
    HASH.find_iter(s).any(|m| {
        let t = m.as_str();
        t.chars().filter(|c| c.is_ascii_digit()).count() >= 3
            && t.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 3
    })
}

/// `rmrb2019112503`, `jzrb_20191125_04`: a date of eight digits with the page right
/// after it; the date and the page.
fn dated_page(stem: &str) -> Option<(Date, u32)> {
    static DATED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[^0-9])((?:19|20)\d{2})(\d{2})(\d{2})(\d{2,3})(?:$|[^0-9])")
            .expect("a valid pattern")
    });
    let c = DATED.captures(stem)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let date = Date::new(num(1)? as u16, num(2)? as u8, num(3)? as u8)?;
    Some((date, num(4)?))
}

/// Page, order on the page, and a leading abbreviation, from a file name without its
/// extension.
fn page_of_stem(stem: &str) -> (Option<PageNo>, Option<u32>, Option<String>) {
    static ABBR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^([A-Za-z]{2,6})[-_]?\d").expect("a valid pattern"));
    static MARKED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"第?\s*([0-9]{1,3}|[一二三四五六七八九十百〇零]{1,4})\s*版")
            .expect("a valid pattern")
    });
    static SECTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[^A-Za-z])([A-H])\s?([0-9]{1,2})(?:$|[^0-9])").expect("a valid pattern")
    });
    static CRAWLER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[^0-9])(?:19|20)\d{6}[-_](\d{1,3})[-_](\d{1,3})$")
            .expect("a valid pattern")
    });
    static AFTER_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:19|20)\d{2}[-_]?\d{2}[-_]?\d{2}[-_ ]+(?:(?:p|P|page|Page)[-_ ]?)?(\d{1,3})$",
        )
        .expect("a valid pattern")
    });
    static TRAILING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[-_ ]|[pP]|page|Page)(\d{1,3})$").expect("a valid pattern")
    });
    let abbreviation = ABBR.captures(stem).map(|c| c[1].to_ascii_lowercase());
    if is_hash_like(stem) {
        // `000_83b84c91cdb592ac`: the number is a sequence, not a page.
        return (None, None, abbreviation);
    }
    let plain = |n: u32| {
        (1..=MAX_PAGE)
            .contains(&n)
            .then_some(PageNo::plain(n as u16))
    };
    if let Some(c) = CRAWLER.captures(stem) {
        let page = c[1].parse().ok().and_then(plain);
        let order = c[2].parse().ok().filter(|n| *n >= 1);
        return (page, order, abbreviation);
    }
    if let Some(c) = MARKED.captures(stem)
        && let Some(n) = parse_number(&c[1])
    {
        return (plain(n), None, abbreviation);
    }
    if let Some((_, page)) = dated_page(stem) {
        return (plain(page), None, abbreviation);
    }
    if let Some(c) = AFTER_DATE.captures(stem) {
        return (c[1].parse().ok().and_then(plain), None, abbreviation);
    }
    if let Some(c) = SECTION.captures(stem)
        && let Ok(n) = c[2].parse::<u16>()
        && n >= 1
    {
        let section = c[1].chars().next();
        return (Some(PageNo { section, number: n }), None, abbreviation);
    }
    // A trailing number that is not part of a date (`2019/11/25/01.txt`, `page_3`).
    if date::from_file_name(stem).is_none()
        && let Some(c) = TRAILING.captures(stem)
    {
        return (c[1].parse().ok().and_then(plain), None, abbreviation);
    }
    (None, None, abbreviation)
}

/// The page a continuation mark names: `二版`, `第2版`, `第二版`, `A2`, `2版`.
pub(crate) fn page_of_label(label: &str) -> Option<PageNo> {
    let t = label
        .trim()
        .trim_start_matches('第')
        .trim_end_matches('版')
        .trim();
    let mut chars = t.chars();
    let first = chars.next()?;
    if first.is_ascii_alphabetic() {
        let n = parse_number(chars.as_str())?;
        return Some(PageNo {
            section: Some(first.to_ascii_uppercase()),
            number: u16::try_from(n).ok()?,
        });
    }
    let n = parse_number(t)?;
    Some(PageNo::plain(u16::try_from(n).ok()?))
}

/// `12`, `十二`, `二十四`, `一百零二`: a page number written in digits or Chinese
/// numerals (what `（下转二版）` and `第十二版` use).
pub fn parse_number(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok().filter(|n| *n > 0);
    }
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as u32)
    };
    let mut total = 0;
    let mut current: Option<u32> = None;
    for c in s.chars() {
        match c {
            '零' | '〇' => current = Some(0),
            '十' => {
                total += current.unwrap_or(1) * 10;
                current = None;
            }
            '百' => {
                total += current.unwrap_or(1) * 100;
                current = None;
            }
            _ => current = Some(digit(c)?),
        }
    }
    let n = total + current.unwrap_or(0);
    (n > 0).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(rel: &str) -> (Option<String>, Option<String>, Option<String>, Option<u32>) {
        let p = from_path(rel);
        (
            p.paper,
            p.date.map(|d| d.to_string()),
            p.page.map(|p| p.to_string()),
            p.order,
        )
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn the_shapes_archives_come_in() {
        assert_eq!(
            place("焦作日报/2019/11/25/01.txt"),
            (some("焦作日报"), some("2019-11-25"), some("01"), None)
        );
        assert_eq!(
            place("人民日报/2019-11-25/第02版.txt"),
            (some("人民日报"), some("2019-11-25"), some("02"), None)
        );
        assert_eq!(
            place("rmrb2019112503.txt"),
            (some("人民日报"), some("2019-11-25"), some("03"), None)
        );
        assert_eq!(
            place("jzrb_20191125_04.md"),
            (some("焦作日报"), some("2019-11-25"), some("04"), None)
        );
        assert_eq!(
            place("2019年10月/20191018/20191018-01-04.txt"),
            (None, some("2019-10-18"), some("01"), Some(4))
        );
        assert_eq!(
            place("papers/南方日报/2020-03-01/A05.txt"),
            (some("南方日报"), some("2020-03-01"), some("A05"), None)
        );
        assert_eq!(
            place("xyzb/2020-03-01/3版.txt"),
            (some("xyzb"), some("2020-03-01"), some("03"), None)
        );
        assert_eq!(
            place("某报/2020-03-01/第十二版.md"),
            (some("某报"), some("2020-03-01"), some("12"), None)
        );
        assert_eq!(
            place("人民日报/2019-10-18/01_04.txt"),
            (some("人民日报"), some("2019-10-18"), some("01"), Some(4))
        );
        assert_eq!(
            place("rmrb_20191018_02_03.txt"),
            (some("人民日报"), some("2019-10-18"), some("02"), Some(3))
        );
        assert_eq!(
            place("2020-03-01_page_7.txt"),
            (None, some("2020-03-01"), some("07"), None)
        );
    }

    #[test]
    fn names_that_carry_nothing() {
        assert_eq!(place("000_83b84c91cdb592ac.txt"), (None, None, None, None));
        assert_eq!(place("notes.md"), (None, None, None, None));
        assert_eq!(place("txt/2019/11/25.txt").0, None, "generic folder");
        assert_eq!(place("2019-11-25.txt").2, None, "a date is not a page");
        assert_eq!(place("2019/11/25.md").2, None);
        assert_eq!(place("报/2019/1234.txt").2, None, "too big for a page");
    }

    #[test]
    fn chinese_numerals() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十四", 24),
            ("一百零二", 102),
            ("07", 7),
        ] {
            assert_eq!(parse_number(s), Some(n), "{s}");
        }
        assert_eq!(parse_number("零"), None);
        assert_eq!(parse_number("x"), None);
    }
}
