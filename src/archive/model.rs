//! The archive model: a library holds issues (one per file), an issue holds articles.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date (no time zone: an issue date is a day on the paper's masthead).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub(crate) day: u8,
}

impl Date {
    /// A date if it exists on the calendar.
    pub(crate) fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days).then_some(Date { year, month, day })
    }

    /// Parse `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.split('-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        if it.next().is_some() {
            return None;
        }
        Date::new(y, m, d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a date: {s}")))
    }
}

impl Date {
    /// 星期一 … 星期日.
    pub fn weekday(&self) -> &'static str {
        // Days since 1970-01-01 (a Thursday), by the civil-from-days inverse.
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        [
            "星期四",
            "星期五",
            "星期六",
            "星期日",
            "星期一",
            "星期二",
            "星期三",
        ][days.rem_euclid(7) as usize]
    }

    /// `2019年11月25日`.
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

/// A page number (版次), with the section letter some papers print (`A05`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PageNo {
    pub section: Option<char>,
    pub number: u16,
}

impl PageNo {
    pub fn plain(number: u16) -> PageNo {
        PageNo {
            section: None,
            number,
        }
    }

    /// `第02版`, `A05版`: as a paper prints it.
    pub fn label(&self) -> String {
        match self.section {
            Some(_) => format!("{self}版"),
            None => format!("第{self}版"),
        }
    }
}

/// `02`, `A05` (two digits at least, as electronic editions number their pages).
impl fmt::Display for PageNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = self.section {
            write!(f, "{s}")?;
        }
        write!(f, "{:02}", self.number)
    }
}

/// Where an article stands in the paper: paper → issue (a date) → page → order on the
/// page. Each part is optional; `date_inferred` says the date was worked out from the
/// text rather than read from the path or the file's own metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub paper: Option<String>,
    pub date: Option<Date>,
    pub date_inferred: bool,
    pub page: Option<PageNo>,
    /// 版名: `要闻`, `综合`.
    pub page_name: Option<String>,
    /// Position among the articles of its page (one-article files say it in their name).
    pub order: Option<u32>,
}

impl Place {
    /// `焦作日报 2019年11月25日 第02版 要闻`: what a citation says (parts left out when
    /// unknown).
    pub fn citation(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.paper {
            parts.push(p.clone());
        }
        if let Some(d) = self.date {
            parts.push(d.chinese());
        }
        if let Some(n) = self.page {
            parts.push(n.label());
        }
        if let Some(n) = &self.page_name {
            parts.push(n.clone());
        }
        parts.join(" ")
    }
}

/// One article, with its body as clean paragraphs (no hard wraps, no justification
/// spaces, no control characters).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: the same file and content give the same id on every run and machine.
    pub id: String,
    /// Path of its file relative to the library root, with `/` separators.
    pub file: String,
    /// Its file's name (see [`ParsedFile::name`]).
    pub file_name: String,
    /// Paper, issue date, page.
    pub place: Place,
    pub title: String,
    /// True when no headline was found and the title was made from the lead.
    pub title_inferred: bool,
    pub subtitle: Option<String>,
    pub kicker: Option<String>,
    pub byline: Option<String>,
    pub paragraphs: Vec<String>,
    /// Where the article goes on in the printed paper (`（下转二版）` → `二版`).
    pub continued_on: Option<String>,
    /// Where it came from, when it goes on from another page (`（上接第1版）` → `第1版`).
    pub continued_from: Option<String>,
    /// The closing credit as printed (`本报记者  李  舸摄`, `（新华社北京9月30日电）`):
    /// shown at the end of the article.
    #[serde(default)]
    pub credit: Option<String>,
    /// The id the source gave it (a dump record's `news_id` / `id`), if any.
    #[serde(default)]
    pub source_id: Option<String>,
}

impl Article {
    /// The body as one string, paragraphs separated by a blank line.
    pub fn body(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    /// Length of the body in characters.
    pub(crate) fn chars(&self) -> usize {
        self.paragraphs.iter().map(|p| p.chars().count()).sum()
    }
}

/// One file of the library and the articles read from it: a page, one article, or a
/// dump of many.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParsedFile {
    /// Path relative to the library root, `/` separators.
    pub file: String,
    /// Its own title when it has one (a Markdown page's `#`), else the file's stem.
    pub name: String,
    /// Where the file stands (its articles start from this; a dump's may differ).
    pub place: Place,
    pub articles: Vec<Article>,
    /// Parts of the file that could not be read, the rest being read (`line 5: …` of a
    /// JSON Lines dump): one line each, shown after the file's name.
    #[serde(default)]
    pub problems: Vec<String>,
}

/// Why a file can't be read into articles: one short line, shown after the file's name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("empty file")]
    Empty,
    #[error("binary file (NUL bytes)")]
    BinaryNul,
    #[error("binary file (control bytes)")]
    BinaryControl,
    #[error("not text: undecodable bytes in an unknown encoding")]
    Undecodable,
    /// Opening or reading failed: `permission denied`, `too large (…)`, `not found`.
    #[error("{0}")]
    Io(String),
    /// The file is not the version that was listed or hashed.
    #[error("changed while reading")]
    Changed,
    #[error("the parser failed on this file")]
    ParserFailed,
    /// A PDF with no text to read: `encrypted PDF: …`, `no text layer: a scanned page`.
    #[error("{0}")]
    Pdf(String),
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> ReadError {
        ReadError::Io(e.to_string())
    }
}

/// A file that could not be read, and why. Shown as one line: `file: reason`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub file: String,
    pub reason: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.reason)
    }
}

/// Every file of a library, read, in path order (the list's order is the catalog's:
/// see `catalog`).
#[derive(Clone, Debug, Default)]
pub struct Library {
    pub files: Vec<ParsedFile>,
    pub warnings: Vec<Warning>,
}

impl Library {
    pub fn articles(&self) -> impl Iterator<Item = &Article> {
        self.files.iter().flat_map(|f| f.articles.iter())
    }

    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles().find(|a| a.id == id)
    }
}
