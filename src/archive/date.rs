//! Issue dates: from the file name when it has one (`2019-11-25.txt`, `20191125.txt`,
//! `2019/11/25.md`), else worked out from the text and marked as inferred.

use super::model::Date;
use std::collections::HashMap;

/// A date written in a file's path, if any.
pub(crate) fn from_file_name(rel: &str) -> Option<Date> {
    let chars: Vec<char> = rel.chars().collect();
    // Digit runs with their positions.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let s = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((s, i));
        } else {
            i += 1;
        }
    }
    let num = |(s, e): (usize, usize)| chars[s..e].iter().collect::<String>();
    let sep =
        |a: usize, b: usize| b == a + 1 && matches!(chars[a], '-' | '_' | '.' | '/' | '年' | '月');
    // Prefer the last date in the path (the file name over its folders).
    let mut found = None;
    for (k, &run) in runs.iter().enumerate() {
        let s = num(run);
        if s.len() == 8 {
            if let Some(d) = ymd(&s[..4], &s[4..6], &s[6..8]) {
                found = Some(d);
            }
        } else if s.len() == 4
            && let (Some(&m), Some(&d)) = (runs.get(k + 1), runs.get(k + 2))
            && sep(run.1, m.0)
            && sep(m.1, d.0)
            && (1..=2).contains(&(m.1 - m.0))
            && (1..=2).contains(&(d.1 - d.0))
            && let Some(date) = ymd(&s, &num(m), &num(d))
        {
            found = Some(date);
        }
    }
    found
}

fn ymd(y: &str, m: &str, d: &str) -> Option<Date> {
    let y: u16 = y.parse().ok()?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    Date::new(y, m.parse().ok()?, d.parse().ok()?)
}

/// The issue date worked out from what the page says: the latest `M月D日` it reports,
/// in the year it talks about. Late in a year pages plan for the next one (`2020年1月至
/// 3月`), so between two neighbouring years mentioned about as often, the earlier wins.
///
/// A page's own date line (`2019年10月18日 星期五`) wins. When the extractor lost its
/// day (`2019年10月 星期五`), it still fixes year and month: a day is taken only from a
/// `10月D日` of that month on the page, else there is no date (never one made up from
/// digits that are not a date).
pub(crate) fn infer_from_text(text: &str) -> Option<Date> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    match text.lines().find_map(date_line) {
        Some((y, m, Some(d))) => return Date::new(y, m, d),
        Some((y, m, None)) => {
            let day = month_days(&chars, m)
                .filter(|(year, _)| year.is_none_or(|year| year == y))
                .map(|(_, d)| d)
                .max()?;
            return Date::new(y, m, day);
        }
        None => {}
    }
    let mut years: HashMap<u16, f64> = HashMap::new();
    let mut dates: Vec<(Option<u16>, u8, u8)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let (n, len) = number(&chars[i..]);
        let unit = chars.get(i + len).copied();
        match unit {
            Some('年') if len == 4 && (1950..=2100).contains(&n) => {
                *years.entry(n as u16).or_default() += year_weight(&chars, i, i + len);
            }
            Some('月') if len <= 2 && (1..=12).contains(&n) => {
                let j = i + len + 1;
                let (d, dlen) = number(&chars[j.min(chars.len())..]);
                if (1..=2).contains(&dlen)
                    && chars.get(j + dlen) == Some(&'日')
                    && (1..=31).contains(&d)
                {
                    let year = explicit_year(&chars, i);
                    dates.push((year, n as u8, d as u8));
                }
            }
            _ => {}
        }
        i += len.max(1);
    }
    let year = pick_year(&years, dates.iter().map(|d| d.1).max()?)?;
    let (_, m, d) = dates
        .iter()
        .filter(|(y, _, _)| y.is_none_or(|y| y == year))
        .max_by_key(|(_, m, d)| (*m, *d))?;
    Date::new(year, *m, *d)
}

/// Longest line (in characters, spaces left out) that can be a page's date line.
const DATE_LINE_MAX: usize = 40;
/// Most characters before the date on a date line that has no 星期 and no 版.
const DATE_LINE_REST: usize = 12;

/// A page's date line, its head or foot: `2019年10月18日 星期五`, `社会 第15版
/// 2018年2月14日`, `05 2016年1月19日`, or `2019年10月 星期五` with the day lost. A short
/// line, no sentence; a full date, or year and month followed by 星期.
pub(crate) fn date_line(line: &str) -> Option<(u16, u8, Option<u8>)> {
    // Every character is at least one byte: longer lines are sentences.
    if line.trim().len() > DATE_LINE_MAX * 4 || !line.contains('年') {
        return None;
    }
    // Spaces go, except between two numbers (`08 2018年…`: page 08, then the year).
    let mut chars: Vec<char> = Vec::new();
    let mut space = false;
    for c in line.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && c.is_ascii_digit() && chars.last().is_some_and(char::is_ascii_digit) {
            chars.push(' ');
        }
        space = false;
        chars.push(c);
    }
    if chars.len() > DATE_LINE_MAX || chars.iter().any(|c| matches!(c, '，' | '。' | '；')) {
        return None;
    }
    let mut i = 0;
    while i + 4 < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let (y, ylen) = number(&chars[i..]);
            let mut j = i + ylen;
            if ylen == 4 && chars.get(j) == Some(&'年') && (1950..=2100).contains(&y) {
                j += 1;
                let (m, mlen) = number(&chars[j.min(chars.len())..]);
                j += mlen;
                if (1..=2).contains(&mlen) && chars.get(j) == Some(&'月') && (1..=12).contains(&m)
                {
                    j += 1;
                    let (d, dlen) = number(&chars[j.min(chars.len())..]);
                    let day = ((1..=2).contains(&dlen) && chars.get(j + dlen) == Some(&'日')).then(
                        || {
                            j += dlen + 1;
                            d as u8
                        },
                    );
                    let weekday = chars.get(j) == Some(&'星') && chars.get(j + 1) == Some(&'期');
                    // Nothing after the date (a sentence goes on: `1日至2017年2月`).
                    let ends = j == chars.len();
                    let head = chars.contains(&'版') || i <= DATE_LINE_REST;
                    if weekday || (day.is_some() && ends && head) {
                        return Some((y as u16, m as u8, day));
                    }
                }
            }
            i += ylen.max(1);
        } else {
            i += 1;
        }
    }
    None
}

/// A whole date as papers write it, `2019年11月25日` (spaces allowed): page furniture
/// is told by what is left once its dates are taken out.
pub(crate) static WRITTEN_DATE: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?:19|20)[0-9]{2}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日")
            .expect("date pattern")
    });

/// Days `D` of every `M月D日` of one month on the page, with the year written before
/// the month if any.
fn month_days(chars: &[char], month: u8) -> impl Iterator<Item = (Option<u16>, u8)> + '_ {
    (0..chars.len()).filter_map(move |i| {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            return None;
        }
        let (m, mlen) = number(&chars[i..]);
        if mlen > 2 || m != u32::from(month) || chars.get(i + mlen) != Some(&'月') {
            return None;
        }
        let j = i + mlen + 1;
        let (d, dlen) = number(&chars[j.min(chars.len())..]);
        ((1..=2).contains(&dlen) && chars.get(j + dlen) == Some(&'日') && (1..=31).contains(&d))
            .then(|| (explicit_year(chars, i), d as u8))
    })
}

fn number(chars: &[char]) -> (u32, usize) {
    let len = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let n = chars[..len.min(6)]
        .iter()
        .fold(0u32, |n, c| n * 10 + c.to_digit(10).unwrap_or(0));
    (n, len)
}

/// `2019年11月`: the year written right before a month, if any.
fn explicit_year(chars: &[char], month_start: usize) -> Option<u16> {
    if month_start < 5 || chars[month_start - 1] != '年' {
        return None;
    }
    let y: String = chars[month_start - 5..month_start - 1].iter().collect();
    y.parse().ok()
}

/// A year named as a plan or a target (`2020年度`, `决胜2019年`, `至2020年3月`) says less
/// about when the page was printed than one named as a fact.
fn year_weight(chars: &[char], start: usize, end: usize) -> f64 {
    let after: String = chars[end..(end + 2).min(chars.len())].iter().collect();
    let before: String = chars[start.saturating_sub(2)..start].iter().collect();
    let planned = ["年度", "年是", "年既", "年重"].contains(&after.as_str())
        || before.ends_with("决胜")
        || before.ends_with('至')
        || before.ends_with('到');
    if planned { 0.25 } else { 1.0 }
}

fn pick_year(years: &HashMap<u16, f64>, latest_month: u8) -> Option<u16> {
    let (&top, &score) = years
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))?;
    let earlier = years.get(&(top - 1)).copied().unwrap_or(0.0);
    if latest_month >= 9 && earlier >= score * 0.5 {
        Some(top - 1)
    } else {
        Some(top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_file_names() {
        let d = |s| from_file_name(s).map(|d| d.to_string());
        assert_eq!(d("2019-11-25.txt").as_deref(), Some("2019-11-25"));
        assert_eq!(d("jzrb/20191125_01.txt").as_deref(), Some("2019-11-25"));
        assert_eq!(d("2019/11/5.md").as_deref(), Some("2019-11-05"));
        assert_eq!(d("2019年11月25日.txt").as_deref(), Some("2019-11-25"));
        assert_eq!(d("000_83b84c91cdb592ac.txt"), None);
        assert_eq!(d("2019-13-01.txt"), None);
        assert_eq!(d("120191125.txt"), None);
    }

    #[test]
    fn date_from_text_prefers_the_year_reported_on() {
        let t = "11 月 22 日上午，示范区植树。决胜2019年。2020年1月至3月，全市PM2.5。2020年重点项目。11月20日，会议召开。2019 年 10 月";
        assert_eq!(
            infer_from_text(t).map(|d| d.to_string()).as_deref(),
            Some("2019-11-22")
        );
        assert_eq!(infer_from_text("没有日期的文本。"), None);
        assert_eq!(
            infer_from_text("12月10日，会议。"),
            None,
            "no year, no date"
        );
    }

    #[test]
    fn a_date_line_wins_and_a_month_alone_invents_no_day() {
        let d = |s| infer_from_text(s).map(|d| d.to_string());
        // The page's own date line, over a year its articles talk about more.
        assert_eq!(
            d("2019年10月18日 星期五\n1989年，1989年，1989年10月14日，建厂。").as_deref(),
            Some("2019-10-18")
        );
        // The day lost: only a day of that month, in that year, printed on the page.
        assert_eq!(
            d("2019年10月 星期五\n1989年10月14日建厂。1989年。10月16日，开会。").as_deref(),
            Some("2019-10-16")
        );
        assert_eq!(d("2019年10月 星期五\n1989年10月14日建厂。1989年。"), None);
        assert_eq!(d("2019年10月 星期五\n第5版 社会"), None);
        assert_eq!(
            d("社会 第15版 2018年2月14日\n2017年12月1日，全省。").as_deref(),
            Some("2018-02-14")
        );
        assert_eq!(d("08 2018年3月19日\n正文。").as_deref(), Some("2018-03-19"));
        assert_eq!(
            date_line("2016年12月1日至2017年2月"),
            None,
            "a wrapped sentence"
        );
    }
}
