//! Scoring the page reader against the corpus of pages with known answers
//! (`tests/pages/`, see its README): every page of a split is read through
//! [`crate::archive::parse_file`] and compared with its gold answer. Used by the
//! `pages_corpus` test (floors) and by `dubao bench pages` (the table).
//!
//! What counts, per gold article:
//! - **title**: the article holding its first words has the gold title (whitespace
//!   ignored; any title when the gold says the title face had no Unicode mapping);
//! - **body**: its first and last words are in the same article, and that article holds
//!   no sentence of another gold article nor any furniture or caption;
//! - **right**: both.
//!
//! Per page: **junk** articles (less than half their text from any gold article), and
//! **lost** sentences (a gold sentence found in no article).

use crate::archive::{Article, parse_file};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The extraction forms, in the order the table shows them.
/// `pdf` is the page's PDF itself (`<layout>/<page>.pdf`, beside its gold answer), read
/// directly; it is scored where the PDFs are in the tree.
pub const FORMS: &[&str] = &["pdfminer", "raw", "layout", "default", "pdf"];

#[derive(Deserialize)]
struct Gold {
    date: Option<String>,
    articles: Vec<GoldArticle>,
    #[serde(default)]
    furniture: Vec<String>,
    #[serde(default)]
    captions: Vec<String>,
}

#[derive(Deserialize)]
struct GoldArticle {
    kicker: Option<String>,
    title: String,
    subtitle: Option<String>,
    byline: Option<String>,
    paragraphs: Vec<String>,
    #[serde(default)]
    unreadable: Vec<String>,
}

/// Counts for one page, or summed over many.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Score {
    pub pages: usize,
    /// Pages the reader refused (a warning instead of articles).
    pub refused: usize,
    pub gold: usize,
    pub title_ok: usize,
    pub body_ok: usize,
    pub right: usize,
    /// Articles the reader made.
    pub made: usize,
    pub junk: usize,
    pub sentences: usize,
    pub lost: usize,
    /// Pages given an issue date that is not the one printed on them.
    pub bad_date: usize,
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.pages += o.pages;
        self.refused += o.refused;
        self.gold += o.gold;
        self.title_ok += o.title_ok;
        self.body_ok += o.body_ok;
        self.right += o.right;
        self.made += o.made;
        self.junk += o.junk;
        self.sentences += o.sentences;
        self.lost += o.lost;
        self.bad_date += o.bad_date;
    }

    /// Share of gold articles right, in percent.
    pub fn right_pct(&self) -> f64 {
        pct(self.right, self.gold)
    }

    /// Share of the reader's articles that are junk, in percent.
    pub fn junk_pct(&self) -> f64 {
        pct(self.junk, self.made)
    }

    /// Share of gold sentences lost, in percent.
    pub fn lost_pct(&self) -> f64 {
        pct(self.lost, self.sentences)
    }
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

/// Scores of one split (`tune`, `heldout`): per (layout, form), and per form.
#[derive(Debug, Default)]
pub struct SplitScore {
    pub cells: BTreeMap<(String, String), Score>,
}

impl SplitScore {
    pub fn form(&self, form: &str) -> Score {
        let mut s = Score::default();
        for ((_, f), c) in &self.cells {
            if f == form {
                s.add(c);
            }
        }
        s
    }

    /// The table: one row per layout, one column group per form.
    pub fn table(&self, name: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{name}: right/gold articles (title ok, body ok) · j junk articles · l lost sentences · d pages with a wrong date"
        );
        let layouts: Vec<&String> = {
            let mut l: Vec<&String> = self.cells.keys().map(|(l, _)| l).collect();
            l.dedup();
            l
        };
        let _ = write!(out, "{:<16}", "layout");
        for f in FORMS {
            let _ = write!(out, " | {f:<29}");
        }
        out.push('\n');
        let cell = |s: &Score| {
            format!(
                "{:>2}/{:<2} ({:>2},{:>2}) j{:<2} l{:<3} d{}",
                s.right, s.gold, s.title_ok, s.body_ok, s.junk, s.lost, s.bad_date
            )
        };
        for l in &layouts {
            let _ = write!(out, "{l:<16}");
            for f in FORMS {
                let s = self
                    .cells
                    .get(&((*l).clone(), (*f).to_string()))
                    .copied()
                    .unwrap_or_default();
                let _ = write!(out, " | {:<29}", cell(&s));
            }
            out.push('\n');
        }
        let _ = write!(out, "{:<16}", "all");
        for f in FORMS {
            let s = self.form(f);
            let _ = write!(out, " | {:<29}", cell(&s));
        }
        out.push('\n');
        let _ = write!(out, "{:<16}", "%");
        for f in FORMS {
            let s = self.form(f);
            let _ = write!(
                out,
                " | {:<29}",
                format!(
                    "right {:.0}% junk {:.1}% lost {:.1}%",
                    s.right_pct(),
                    s.junk_pct(),
                    s.lost_pct()
                )
            );
        }
        out.push('\n');
        out
    }
}

/// Score every page of a split folder (`tests/pages/tune`).
pub fn score_split(dir: &Path) -> std::io::Result<SplitScore> {
    let mut split = SplitScore::default();
    // Debug output names the split too, so tuning can skip what is held out.
    let split_name = dir
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let mut layouts: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    layouts.sort();
    for layout in layouts {
        let ldir = dir.join(&layout);
        let mut golds: Vec<_> = std::fs::read_dir(&ldir)?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".gold.json"))
            .collect();
        golds.sort();
        for g in golds {
            let stem = g.trim_end_matches(".gold.json");
            let gold: Gold = serde_json::from_slice(&std::fs::read(ldir.join(&g))?)
                .map_err(|e| std::io::Error::other(format!("{layout}/{g}: {e}")))?;
            for form in FORMS {
                let (path, rel) = if *form == "pdf" {
                    (
                        ldir.join(format!("{stem}.pdf")),
                        format!("{layout}/pdf/{stem}.pdf"),
                    )
                } else {
                    (
                        ldir.join(form).join(format!("{stem}.txt")),
                        format!("{layout}/{form}/{stem}.txt"),
                    )
                };
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                let s = score_page(&rel, &format!("{split_name}/{rel}"), &bytes, &gold);
                split
                    .cells
                    .entry((layout.clone(), (*form).to_string()))
                    .or_default()
                    .add(&s);
            }
        }
    }
    Ok(split)
}

/// Text compared without any whitespace (justification spaces are not text).
fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Sentences of a paragraph, normalised; very short ones say too little to look for.
fn sentences(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in norm(p).chars() {
        cur.push(c);
        if matches!(c, '。' | '！' | '？' | '；') {
            out.push(std::mem::take(&mut cur));
        }
    }
    out.push(cur);
    out.retain(|s| s.chars().count() >= MIN_SENTENCE);
    out
}

/// Shortest sentence (in characters) that is looked for.
const MIN_SENTENCE: usize = 6;
/// How many characters of a body's start and end are its first and last words.
const EDGE: usize = 10;
/// Shortest furniture or caption string that counts when found inside an article.
const MIN_FURNITURE: usize = 8;

fn first_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn last_chars(s: &str, n: usize) -> String {
    let v: Vec<char> = s.chars().collect();
    v[v.len().saturating_sub(n)..].iter().collect()
}

fn article_body(a: &Article) -> String {
    norm(&a.paragraphs.concat())
}

fn article_all(a: &Article) -> String {
    let mut s = String::new();
    for f in [&a.kicker, &a.subtitle, &a.byline].into_iter().flatten() {
        s.push_str(f);
    }
    if !a.title_inferred {
        s.push_str(&a.title);
    }
    s.push_str(&a.paragraphs.concat());
    norm(&s)
}

/// `label` names the page in debug output (`SCORE_MISSES`, `SCORE_DEBUG`): split and `rel`.
fn score_page(rel: &str, label: &str, bytes: &[u8], gold: &Gold) -> Score {
    let mut s = Score {
        pages: 1,
        gold: gold.articles.len(),
        ..Score::default()
    };
    let gold_sentences: Vec<Vec<String>> = gold
        .articles
        .iter()
        .map(|g| g.paragraphs.iter().flat_map(|p| sentences(p)).collect())
        .collect();
    s.sentences = gold_sentences.iter().map(Vec::len).sum();
    let articles = match parse_file(rel, bytes) {
        Ok(f) => {
            let date = f.place.date.map(|d| d.to_string());
            s.bad_date = usize::from(date.is_some() && gold.date.is_some() && date != gold.date);
            f.articles
        }
        Err(_) => {
            s.refused = 1;
            s.lost = s.sentences;
            return s;
        }
    };
    s.made = articles.len();
    let bodies: Vec<String> = articles.iter().map(article_body).collect();
    let alls: Vec<String> = articles.iter().map(article_all).collect();
    let outside: Vec<String> = gold
        .furniture
        .iter()
        .chain(&gold.captions)
        .map(|f| norm(f))
        .filter(|f| f.chars().count() >= MIN_FURNITURE)
        .collect();

    for (gi, g) in gold.articles.iter().enumerate() {
        let body = norm(&g.paragraphs.concat());
        let (first, last) = (first_chars(&body, EDGE), last_chars(&body, EDGE));
        // The article holding the first words (and the last, when several hold them).
        let holders: Vec<usize> = (0..articles.len())
            .filter(|&i| bodies[i].contains(&first))
            .collect();
        let Some(&a) = holders
            .iter()
            .find(|&&i| bodies[i].contains(&last))
            .or(holders.first())
        else {
            if std::env::var_os("SCORE_MISSES").is_some() {
                eprintln!(
                    "MISS {label}: {} -> no article holds its first words",
                    g.title
                );
            }
            continue;
        };
        let title_ok = g.unreadable.iter().any(|f| f == "title")
            || (!articles[a].title_inferred && norm(&articles[a].title) == norm(&g.title));
        let foreign = gold_sentences
            .iter()
            .enumerate()
            .filter(|(o, _)| *o != gi)
            .flat_map(|(_, ss)| ss)
            .filter(|x| !body.contains(x.as_str()))
            .any(|x| alls[a].contains(x.as_str()))
            || outside
                .iter()
                .any(|f| !body.contains(f.as_str()) && alls[a].contains(f.as_str()));
        let body_ok = bodies[a].contains(&last) && !foreign;
        if std::env::var_os("SCORE_MISSES").is_some() && !(title_ok && body_ok) {
            eprintln!(
                "MISS {label}: {} -> {} (title {title_ok}, body {body_ok}, foreign {foreign})",
                g.title, articles[a].title
            );
        }
        s.title_ok += usize::from(title_ok);
        s.body_ok += usize::from(body_ok);
        s.right += usize::from(title_ok && body_ok);
    }

    // Junk: an article whose text mostly comes from no gold article.
    let gold_text: Vec<String> = gold
        .articles
        .iter()
        .map(|g| {
            let mut t = String::new();
            for f in [&g.kicker, &g.subtitle, &g.byline].into_iter().flatten() {
                t.push_str(f);
            }
            t.push_str(&g.title);
            t.push_str(&g.paragraphs.concat());
            norm(&t)
        })
        .collect();
    for all in &alls {
        let chars: Vec<char> = all.chars().collect();
        let chunks: Vec<String> = chars
            .chunks(8)
            .filter(|c| c.len() >= 4)
            .map(|c| c.iter().collect())
            .collect();
        let found = chunks
            .iter()
            .filter(|c| gold_text.iter().any(|t| t.contains(c.as_str())))
            .count();
        if chunks.is_empty() || found * 2 < chunks.len() {
            s.junk += 1;
        }
    }

    if std::env::var("SCORE_DEBUG").is_ok_and(|v| label.contains(&v)) {
        for a in &articles {
            eprintln!("== {} | {:?}", a.title, a.byline);
            for p in &a.paragraphs {
                eprintln!("   {p}");
            }
        }
        for x in gold_sentences
            .iter()
            .flatten()
            .filter(|x| !alls.iter().any(|a| a.contains(x.as_str())))
        {
            eprintln!("LOST {x}");
        }
    }
    // Lost: gold sentences in no article.
    s.lost = gold_sentences
        .iter()
        .flatten()
        .filter(|x| !alls.iter().any(|a| a.contains(x.as_str())))
        .count();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_and_drop_short_ones() {
        assert_eq!(
            sentences("今天 下雨了。好。明天会晴天吗？"),
            vec!["今天下雨了。", "明天会晴天吗？"]
        );
    }
}
