//! Generating archives of any size in the sample pages' layouts, for benchmarks.
//!
//! The text is real: sentences cut from the embedded sample pages
//! ([`crate::archive::samples::SAMPLES`]) and shuffled by a small deterministic PRNG,
//! so the same seed always gives byte-identical files. The layouts copy the samples:
//!
//! - **column** pages (most): text from a PDF's narrow columns. Each article opens
//!   ` 本报讯（记者XXX）`, its paragraphs are hard-wrapped every 13-18 characters with a
//!   blank line between paragraphs (and now and then a blank line mid-sentence, where a
//!   column broke), it ends `①2`, and its 1-2 line headline comes *after* the body;
//! - **headline-first** pages: headline, `本报记者 XXX`, then the paragraphs;
//! - **Markdown** pages (`.md`): `# page title`, `### title`, `#### subtitle`, paragraphs.
//!
//! Files are dated issues, `2016/2016-01-01.txt` and on, one per day, 8-10 articles each.
//!
//! ```no_run
//! let dir = tempfile::tempdir().unwrap();
//! let stats = dubao::synth::corpus::generate(dir.path(), 1000, 7).unwrap();
//! assert_eq!(stats.articles, 1000);
//! ```

use crate::archive::Date;
use std::path::Path;
use std::sync::OnceLock;

/// The seed the benchmarks use, so their archives are the same on every run.
pub const DEFAULT_SEED: u64 = 2018;

/// What [`generate`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CorpusStats {
    /// Issue files written.
    pub files: usize,
    /// Articles across all files (always the number asked for).
    pub articles: usize,
    /// Total size of the files.
    pub bytes: u64,
}

/// The layout of one generated page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PageStyle {
    /// PDF columns: ` 本报讯（记者XXX）`, hard-wrapped body, `①2`, headline after.
    Column,
    /// Headline, `本报记者 XXX`, then paragraphs.
    HeadlineFirst,
    /// Markdown headings and paragraphs.
    Markdown,
}

/// Write an archive of `articles` generated articles under `dir` (created if needed).
/// The same `articles` and `seed` always give the same files, byte for byte.
pub fn generate(dir: &Path, articles: usize, seed: u64) -> std::io::Result<CorpusStats> {
    let mut rng = Rng::new(seed);
    let mut stats = CorpusStats::default();
    let mut date = (2016u16, 1u8, 1u8);
    while stats.articles < articles {
        let count = rng.range(8, 10).min(articles - stats.articles);
        let style = match rng.below(10) {
            0..=6 => PageStyle::Column,
            7 | 8 => PageStyle::HeadlineFirst,
            _ => PageStyle::Markdown,
        };
        let text = page(&mut rng, style, count);
        let ext = if style == PageStyle::Markdown {
            "md"
        } else {
            "txt"
        };
        let (y, m, d) = date;
        let folder = dir.join(y.to_string());
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join(format!("{y:04}-{m:02}-{d:02}.{ext}")), &text)?;
        stats.files += 1;
        stats.articles += count;
        stats.bytes += text.len() as u64;
        date = next_day(date);
    }
    Ok(stats)
}

/// Articles per day in [`generate_one_per_file`]: a daily's few pages.
const ARTICLES_PER_DAY: usize = 30;
/// Articles per page there.
const ARTICLES_PER_PAGE: usize = 6;

/// Write an archive of `articles` generated articles under `dir`, one article a file, as
/// public crawlers store a daily: `人民日报/2016/01/20160101-02-03.txt` (page 2, third
/// article), a folder a month. Same arguments, same files, byte for byte.
pub fn generate_one_per_file(
    dir: &Path,
    articles: usize,
    seed: u64,
) -> std::io::Result<CorpusStats> {
    let mut rng = Rng::new(seed);
    let mut stats = CorpusStats::default();
    let mut date = (2016u16, 1u8, 1u8);
    while stats.articles < articles {
        let (y, m, d) = date;
        let folder = dir
            .join("人民日报")
            .join(y.to_string())
            .join(format!("{m:02}"));
        std::fs::create_dir_all(&folder)?;
        for k in 0..ARTICLES_PER_DAY.min(articles - stats.articles) {
            let style = if rng.chance(70) {
                PageStyle::HeadlineFirst
            } else {
                PageStyle::Column
            };
            let text = page(&mut rng, style, 1);
            let (pg, n) = (k / ARTICLES_PER_PAGE + 1, k % ARTICLES_PER_PAGE + 1);
            let name = format!("{y:04}{m:02}{d:02}-{pg:02}-{n:02}.txt");
            std::fs::write(folder.join(name), &text)?;
            stats.files += 1;
            stats.articles += 1;
            stats.bytes += text.len() as u64;
        }
        date = next_day(date);
    }
    Ok(stats)
}

/// One page of `articles` generated articles in the given style. Exposed so tests and
/// other benchmarks can make single pages.
pub(crate) fn page(rng: &mut Rng, style: PageStyle, articles: usize) -> String {
    match style {
        PageStyle::Column => articles_in_column_style(rng, articles),
        PageStyle::HeadlineFirst => articles_headline_first(rng, articles),
        PageStyle::Markdown => markdown_page(rng, articles),
    }
}

/// Articles as a PDF's columns come out of `pdftotext`: body first, headline after.
pub(crate) fn articles_in_column_style(rng: &mut Rng, articles: usize) -> String {
    let width = rng.range(13, 18);
    let mut out = String::new();
    for _ in 0..articles {
        let mut paragraphs = body(rng);
        let lead = format!(" 本报讯（记者{}） ", name(rng));
        paragraphs[0].insert_str(0, &lead);
        // Most articles end `①2` (kept whole on the last line, as in print); a few
        // continue on another page.
        let continued = rng.below(20) == 0;
        if continued && let Some(last) = paragraphs.last_mut() {
            last.push_str("（下转二版）");
        }
        for p in &paragraphs {
            push_wrapped(rng, &mut out, p, width);
            out.push_str("\n\n");
        }
        if !continued {
            out.insert_str(out.len() - 2, "①2");
        }
        for line in headline(rng) {
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// Articles with the headline and a `本报记者` byline before the body; paragraphs are
/// long lines or hard-wrapped, as in the samples.
pub(crate) fn articles_headline_first(rng: &mut Rng, articles: usize) -> String {
    let wrap = rng.chance(50).then(|| rng.range(13, 18));
    let mut out = String::from("\n\n");
    for _ in 0..articles {
        for line in headline(rng) {
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str(&format!("\n本报记者 {}\n\n", name(rng)));
        for p in body(rng) {
            match wrap {
                Some(width) => push_wrapped(rng, &mut out, &p, width),
                None => out.push_str(&p),
            }
            out.push_str("\n\n");
        }
        out.push('\n');
    }
    out
}

/// A Markdown page: a page title, then `### n title`, an optional `#### subtitle` and
/// unwrapped paragraphs per article.
pub(crate) fn markdown_page(rng: &mut Rng, articles: usize) -> String {
    let mut out = format!("\n\n# {}\n\n", headline(rng).join(" "));
    if rng.chance(50) {
        out.push_str(&format!("## ——{}\n\n", clause(rng)));
    }
    for n in 1..=articles {
        out.push_str(&format!("### {n} {}\n\n", clause(rng)));
        if rng.chance(60) {
            out.push_str(&format!("#### {}\n\n", headline(rng).join(" ")));
        }
        for p in body(rng) {
            out.push_str(&p);
            out.push_str("\n\n");
        }
    }
    out
}

/// A small, fast, deterministic PRNG (SplitMix64): benchmarks need repeatable
/// archives, not cryptographic randomness.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True `percent` times in a hundred.
    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Sentences and headline phrases cut from the samples, built once.
struct Material {
    sentences: Vec<String>,
    /// Short clauses (5-14 characters) that read as headlines.
    clauses: Vec<String>,
}

fn material() -> &'static Material {
    static MATERIAL: OnceLock<Material> = OnceLock::new();
    MATERIAL.get_or_init(|| {
        let mut sentences = Vec::new();
        for (_, bytes) in crate::archive::samples::SAMPLES {
            let text = String::from_utf8_lossy(bytes);
            sentences.extend(split_sentences(&flatten(&text)));
        }
        sentences.retain(|s| {
            let n = s.chars().count();
            (10..=160).contains(&n)
                && !["本报", "记者", "①", "下转", "#", "摄", "(", "）（"]
                    .iter()
                    .any(|bad| s.contains(bad))
        });
        let mut clauses: Vec<String> = sentences
            .iter()
            .flat_map(|s| s.split(['，', '、', '；', '：', '。', '！', '？']))
            .map(|c| c.replace(['“', '”', '‘', '’', '《', '》', '（', '）'], ""))
            .filter(|c| (5..=14).contains(&c.chars().count()) && !c.starts_with(char::is_numeric))
            .collect();
        clauses.sort();
        clauses.dedup();
        if sentences.is_empty() {
            sentences.push("这一年，全市上下认真学习，各项工作稳步推进。".to_string());
        }
        if clauses.is_empty() {
            clauses.push("各项工作稳步推进".to_string());
        }
        Material { sentences, clauses }
    })
}

/// The samples' text as one stream: heading lines dropped, hard wraps and
/// justification spaces removed (spaces kept only between Latin letters or digits).
fn flatten(text: &str) -> String {
    let joined: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.trim().chars())
        .collect();
    let chars: Vec<char> = joined.chars().collect();
    let mut out = String::with_capacity(joined.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' || c == '\u{3000}' {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if !(latin(before) && latin(after)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Split after `。！？`, keeping a closing quote with its sentence.
fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        if matches!(c, '。' | '！' | '？') {
            while let Some(&q) = chars.peek() {
                if matches!(q, '”' | '’' | '）') {
                    current.push(q);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(std::mem::take(&mut current));
        }
    }
    out
}

/// 2-7 paragraphs of 1-4 sentences each.
fn body(rng: &mut Rng) -> Vec<String> {
    let sentences = &material().sentences;
    (0..rng.range(2, 7))
        .map(|_| {
            (0..rng.range(1, 4))
                .map(|_| rng.pick(sentences).as_str())
                .collect()
        })
        .collect()
}

fn clause(rng: &mut Rng) -> String {
    rng.pick(&material().clauses).clone()
}

/// A headline of one or two lines.
fn headline(rng: &mut Rng) -> Vec<String> {
    let mut lines = vec![clause(rng)];
    if rng.chance(40) {
        lines.push(clause(rng));
    }
    lines
}

const SURNAMES: &str = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡杜程苏魏吕丁任沈姚卢姜崔谭陆范金石贾夏付方白孟秦聂原詹麻岳";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚英华玉萍红文辉力鹏飞斌宇浩凯健俊帆旭宁博楠钊松勋秋酩凯";

/// A reporter's name: a surname and one or two given-name characters.
fn name(rng: &mut Rng) -> String {
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let given: Vec<char> = GIVEN.chars().collect();
    let mut s = String::new();
    s.push(*rng.pick(&surnames));
    for _ in 0..rng.range(1, 2) {
        s.push(*rng.pick(&given));
    }
    s
}

/// Hard-wrap a paragraph at `width` Han characters (Latin letters and digits count
/// half, as in a PDF column), now and then with a blank line where a column broke.
fn push_wrapped(rng: &mut Rng, out: &mut String, paragraph: &str, width: usize) {
    let limit = width * 2;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in paragraph.chars() {
        let w = if c.is_ascii() { 1 } else { 2 };
        if used + w > limit && !line.trim().is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        line.push(c);
        used += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let column_break = (lines.len() >= 3 && rng.chance(8)).then(|| rng.range(1, lines.len() - 1));
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            if column_break == Some(i) {
                out.push('\n');
            }
        }
        out.push_str(l);
    }
}

/// The calendar day after `(year, month, day)`.
fn next_day((y, m, d): (u16, u8, u8)) -> (u16, u8, u8) {
    if Date::new(y, m, d + 1).is_some() {
        (y, m, d + 1)
    } else if m < 12 {
        (y, m + 1, 1)
    } else {
        (y + 1, 1, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_come_from_the_samples_without_bylines() {
        let sentences = &material().sentences;
        assert!(sentences.len() > 100, "only {} sentences", sentences.len());
        assert!(
            sentences
                .iter()
                .all(|s| !s.contains("本报") && !s.contains('\n'))
        );
        assert!(sentences.iter().any(|s| s.contains("焦作")));
    }

    #[test]
    fn column_pages_wrap_and_sign_off() {
        let mut rng = Rng::new(1);
        let text = page(&mut rng, PageStyle::Column, 9);
        assert_eq!(text.matches("本报讯（记者").count(), 9);
        let joined = text.replace('\n', "");
        assert_eq!(
            text.matches("①2\n").count() + joined.matches("（下转二版）").count(),
            9
        );
        // Hard-wrapped: no line longer than 18 Han characters (36 half-widths).
        for line in text.lines() {
            let w: usize = line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
            assert!(w <= 40, "line too long: {line}");
        }
    }

    #[test]
    fn markdown_pages_have_one_title_per_article() {
        let mut rng = Rng::new(2);
        let text = page(&mut rng, PageStyle::Markdown, 8);
        assert_eq!(text.lines().filter(|l| l.starts_with("### ")).count(), 8);
        assert_eq!(text.lines().filter(|l| l.starts_with("# ")).count(), 1);
    }

    #[test]
    fn days_roll_over_months_and_years() {
        assert_eq!(next_day((2016, 2, 28)), (2016, 2, 29));
        assert_eq!(next_day((2016, 2, 29)), (2016, 3, 1));
        assert_eq!(next_day((2016, 12, 31)), (2017, 1, 1));
    }
}
