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

/// One article of an issue, with its body as clean paragraphs (no hard wraps, no
/// justification spaces, no control characters).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: the same file and content give the same id on every run and machine.
    pub id: String,
    /// Path of the issue file relative to the library root, with `/` separators.
    pub file: String,
    /// The issue's name (see [`Issue::name`]).
    pub issue: String,
    pub date: Option<Date>,
    /// True when the date was worked out from the text rather than the file name.
    pub date_inferred: bool,
    pub title: String,
    /// True when no headline was found and the title was made from the lead.
    pub title_inferred: bool,
    pub subtitle: Option<String>,
    pub kicker: Option<String>,
    pub byline: Option<String>,
    pub paragraphs: Vec<String>,
    /// Where the article continues in the printed paper (`下转二版` → `二版`).
    pub continued: Option<String>,
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

/// One issue file: a newspaper page (or a few) and its articles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// Path relative to the library root, `/` separators.
    pub file: String,
    /// The page title when the file has one (Markdown `#`), else the file stem.
    pub name: String,
    pub date: Option<Date>,
    pub date_inferred: bool,
    pub articles: Vec<Article>,
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
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> ReadError {
        ReadError::Io(e.to_string())
    }
}

/// A file that could not be read, and why. Shown as one line: `file: reason`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub reason: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.reason)
    }
}

/// Every issue of a library, ordered by date (undated last), then file name.
#[derive(Clone, Debug, Default)]
pub struct Library {
    pub issues: Vec<Issue>,
    pub warnings: Vec<Warning>,
}

impl Library {
    pub fn articles(&self) -> impl Iterator<Item = &Article> {
        self.issues.iter().flat_map(|i| i.articles.iter())
    }

    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles().find(|a| a.id == id)
    }
}
