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
pub(crate) fn infer_from_text(text: &str) -> Option<Date> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
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
}
