//! JSON Lines dumps (`.jsonl`, `.ndjson`, a `.json` of lines): one article a line, with
//! the field names of common news corpora (`title`, `content`/`body`/`text`, `desc`,
//! `time`/`date`/`pub_date`, `source`/`paper`, `page`, `author`, `news_id`/`id`) or
//! those a folder's settings map (`[fields] title = "headline"`). Read a line at a
//! time: a broken line is reported by its number and the rest is read.

use super::article::{ArticleParts, FullParts};
use super::byline;
use super::model::{Date, PageNo, Place};
use super::place::parse_number;
use super::settings::Settings;
use serde_json::{Map, Value};

/// Our fields and the names dumps use for them, most common first.
const FIELDS: &[(&str, &[&str])] = &[
    ("title", &["title", "headline", "heading"]),
    (
        "content",
        &["content", "body", "text", "article", "maintext"],
    ),
    ("desc", &["desc", "description", "summary", "abstract"]),
    (
        "date",
        &[
            "time",
            "date",
            "pub_date",
            "pubdate",
            "published",
            "publish_time",
            "pub_time",
        ],
    ),
    ("paper", &["source", "paper", "outlet", "newspaper"]),
    ("page", &["page", "pageno", "page_no", "banci"]),
    ("author", &["author", "writer", "byline"]),
    ("id", &["news_id", "id", "uid"]),
];

/// Extensions read as JSON Lines.
pub(crate) fn is_jsonl(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    [".jsonl", ".ndjson", ".json"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Seconds east of UTC in which epoch times are read: Chinese papers date by Beijing
/// time.
const BEIJING: i64 = 8 * 3600;

/// A dump read: its articles and its broken lines (`line 5: …`).
pub(crate) struct Dump {
    pub(crate) articles: Vec<FullParts>,
    pub(crate) problems: Vec<String>,
}

/// Read a dump line by line; `first_line` is the number of the text's first line (1,
/// or more for what was appended to a dump).
pub(crate) fn parse(text: &str, settings: &Settings, first_line: usize) -> Dump {
    let mut articles = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let n = n + first_line - 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(record)) => {
                if let Some(a) = article(&record, settings) {
                    articles.push(a);
                } else {
                    problems.push(format!("line {}: no title and no text", n + 1));
                }
            }
            Ok(_) => problems.push(format!("line {}: not a JSON object", n + 1)),
            Err(e) => problems.push(format!("line {}: broken JSON ({})", n + 1, short(&e))),
        }
    }
    Dump { articles, problems }
}

/// serde_json's message without its position (the line is named already).
fn short(e: &serde_json::Error) -> String {
    let s = e.to_string();
    s.split(" at line ").next().unwrap_or(&s).to_string()
}

/// The value of one of our fields: the settings' name first, then the common ones.
fn field<'a>(record: &'a Map<String, Value>, ours: &str, settings: &Settings) -> Option<&'a Value> {
    if let Some(v) = settings
        .fields
        .get(ours)
        .and_then(|theirs| record.get(theirs))
        .filter(|v| !v.is_null())
    {
        return Some(v);
    }
    let names = FIELDS
        .iter()
        .find(|(o, _)| *o == ours)
        .map_or(&[][..], |(_, n)| n);
    names
        .iter()
        .find_map(|n| record.get(*n).filter(|v| !v.is_null()))
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(crate::text::sanitize::sanitize(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn article(record: &Map<String, Value>, settings: &Settings) -> Option<FullParts> {
    let get = |k: &str| field(record, k, settings).and_then(text_of);
    let title = get("title")
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let content = get("content").or_else(|| get("desc")).unwrap_or_default();
    let mut paragraphs: Vec<String> = content
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if title.is_none() && paragraphs.is_empty() {
        return None;
    }
    let (byline, credit) = byline::take_byline_and_credit(&mut paragraphs);
    // The record's own author when the text names none (`author`, `writer`, …).
    let byline = byline.or_else(|| {
        get("author")
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
    });
    let date = field(record, "date", settings).and_then(date_of);
    let page = get("page").and_then(|p| {
        let digits: String = p.chars().filter(|c| c.is_ascii_digit()).collect();
        parse_number(&digits)
            .and_then(|n| u16::try_from(n).ok())
            .map(PageNo::plain)
    });
    Some(FullParts {
        parts: ArticleParts {
            title,
            byline,
            paragraphs,
            ..ArticleParts::default()
        },
        credit,
        at: Place {
            paper: get("paper")
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            date,
            page,
            ..Place::default()
        },
        source_id: get("id")
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty()),
    })
}

/// `2019-10-18 07:30:00`, `2019年10月18日`, `2019-10-18T06:00:00+08:00` (the date as
/// written), or epoch seconds (read in Beijing time).
fn date_of(v: &Value) -> Option<Date> {
    match v {
        Value::Number(n) => {
            let secs = n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?;
            // Milliseconds, when the number is too big for seconds.
            let secs = if secs > 100_000_000_000 {
                secs / 1000
            } else {
                secs
            };
            civil(secs + BEIJING)
        }
        Value::String(s) => {
            let digits: Vec<u32> = s
                .split(|c: char| !c.is_ascii_digit())
                .filter(|p| !p.is_empty())
                .take(3)
                .filter_map(|p| p.parse().ok())
                .collect();
            match digits.as_slice() {
                [y, m, d] => Date::new(u16::try_from(*y).ok()?, *m as u8, *d as u8),
                [ymd] if *ymd > 19_000_000 => Date::new(
                    (ymd / 10_000) as u16,
                    (ymd / 100 % 100) as u8,
                    (ymd % 100) as u8,
                ),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The calendar date of a count of seconds since 1970-01-01 (days-to-civil).
fn civil(secs: i64) -> Option<Date> {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Date::new(u16::try_from(y).ok()?, m as u8, d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = |v: Value| date_of(&v).map(|d| d.to_string());
        assert_eq!(
            d(Value::from("2019-10-18 07:30:00")).as_deref(),
            Some("2019-10-18")
        );
        assert_eq!(
            d(Value::from("2019年10月18日")).as_deref(),
            Some("2019-10-18")
        );
        assert_eq!(
            d(Value::from("2019-10-18T06:00:00+08:00")).as_deref(),
            Some("2019-10-18")
        );
        // 2019-10-17 23:30 UTC is 10月18日 07:30 in Beijing.
        assert_eq!(d(Value::from(1_571_355_000)).as_deref(), Some("2019-10-18"));
        assert_eq!(d(Value::from("soon")), None);
    }

    #[test]
    fn broken_lines_are_named_and_the_rest_read() {
        let text = "{\"title\":\"甲\",\"content\":\"正文一。\"}\n{\"title\":\"乙\",\n[1,2]\n{\"hed\":\"丙\",\"txt\":\"正文三。\"}\n";
        let dump = parse(text, &Settings::default(), 1);
        assert_eq!(dump.articles.len(), 1);
        assert_eq!(dump.problems.len(), 3, "{:?}", dump.problems);
        assert!(dump.problems[0].starts_with("line 2: broken JSON"));
        assert!(dump.problems[1].starts_with("line 3: not a JSON object"));
        assert!(dump.problems[2].starts_with("line 4: no title"));
        // What was appended to a dump is named by its line in the whole file.
        let appended = parse("[1,2]\n", &Settings::default(), 41);
        assert!(appended.problems[0].starts_with("line 41: not a JSON object"));
        let mut s = Settings::default();
        s.fields.insert("title".into(), "hed".into());
        s.fields.insert("content".into(), "txt".into());
        let dump = parse(text, &s, 1);
        assert_eq!(dump.articles.len(), 2);
        assert_eq!(dump.articles[1].parts.title.as_deref(), Some("丙"));
    }

    #[test]
    fn the_author_field_is_the_byline_when_the_text_names_none() {
        let text = concat!(
            "{\"title\":\"甲\",\"content\":\"正文一。\",\"author\":\" 周雨桐 \"}\n",
            "{\"title\":\"乙\",\"content\":\"本报记者 潘悦\\n正文二。\",\"author\":\"潘悦\"}\n",
            "{\"title\":\"丙\",\"content\":\"正文三。\",\"writer\":\"\"}\n",
        );
        let dump = parse(text, &Settings::default(), 1);
        let bylines: Vec<Option<&str>> = dump
            .articles
            .iter()
            .map(|a| a.parts.byline.as_deref())
            .collect();
        assert_eq!(bylines, [Some("周雨桐"), Some("本报记者潘悦"), None]);
        assert_eq!(dump.articles[1].parts.paragraphs, ["正文二。"]);
        // Ids as strings or numbers, under the common names.
        let ids = parse(
            "{\"title\":\"甲\",\"news_id\":\"n-1\"}\n{\"title\":\"乙\",\"id\":9100}\n{\"title\":\"丙\"}\n",
            &Settings::default(),
            1,
        );
        let ids: Vec<Option<&str>> = ids
            .articles
            .iter()
            .map(|a| a.source_id.as_deref())
            .collect();
        assert_eq!(ids, [Some("n-1"), Some("9100"), None]);
    }
}
