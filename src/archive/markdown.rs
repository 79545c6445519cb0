//! Markdown pages, read with a CommonMark parser (pulldown-cmark) and their structure
//! believed: the heading level that repeats on a page marks its articles; a lone top
//! heading that names the paper, date or 版 (or one above article headings) is the
//! page's header; `---` rules separate articles too; an emphasised line or a quote
//! right above a title is its kicker, right below it (or a `——` line) its subtitle;
//! YAML (`---`) or TOML (`+++`) front matter says paper, date, page, page name, title.

use super::article::{ArticleParts, FileFacts, FullParts};
use super::byline;
use super::model::{Date, PageNo};
use super::place::parse_number;
use crate::text::join::{join_lines, squeeze_spaces};
use pulldown_cmark::{Event, HeadingLevel, MetadataBlockKind, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::sync::LazyLock;

/// A page read from Markdown.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub(crate) facts: FileFacts,
    pub(crate) articles: Vec<FullParts>,
}

/// Text before the first article shorter than this is page furniture (`（…评选）`), not
/// an article of its own.
const MIN_PREAMBLE_CHARS: usize = 60;

/// By extension, or a text whose headings are Markdown headings.
pub(crate) fn looks_like_markdown(rel: &str, text: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return true;
    }
    let heading = |l: &str| {
        let t = l.trim_start();
        let level = t.chars().take_while(|c| *c == '#').count();
        ((1..=6).contains(&level) && t[level..].starts_with(' ')).then_some(level)
    };
    let headings = text.lines().filter(|l| heading(l).is_some()).count();
    headings >= 2 && text.lines().any(|l| matches!(heading(l), Some(1..=3)))
}

/// The blocks of a page, as the parser sees them.
#[derive(Clone, Debug, PartialEq)]
enum Block {
    Heading(u8, String),
    /// A paragraph: its lines as written (soft breaks), and whether it is all emphasis.
    Para {
        lines: Vec<String>,
        emphasis: bool,
    },
    Quote(String),
    Rule,
}

impl Block {
    fn text(&self) -> String {
        match self {
            Block::Heading(_, t) | Block::Quote(t) => t.clone(),
            Block::Para { lines, .. } => lines.concat(),
            Block::Rule => String::new(),
        }
    }
}

fn level(l: HeadingLevel) -> u8 {
    l as u8
}

/// Inline state of the block being read.
#[derive(Default)]
struct Inline {
    /// Its lines so far (soft and hard breaks start a new one).
    lines: Vec<String>,
    /// Inside an image: its alt text is not text (the caption under it is).
    image: usize,
    /// Emphasis depth, whether any emphasis was seen, and any text outside emphasis.
    emph_depth: usize,
    emph: bool,
    plain: bool,
}

impl Inline {
    fn push(&mut self, t: &str) {
        if !t.trim().is_empty() && self.emph_depth == 0 {
            self.plain = true;
        }
        match self.lines.last_mut() {
            Some(last) => last.push_str(t),
            None => self.lines.push(t.to_string()),
        }
    }

    /// The block's lines, cleaned, and whether all its text was emphasis.
    fn take(&mut self) -> (Vec<String>, bool) {
        let emphasis = self.emph && !self.plain;
        let mut lines: Vec<String> = std::mem::take(&mut self.lines)
            .into_iter()
            .map(|s| clean_text(&s))
            .collect();
        lines.retain(|s| !s.trim().is_empty());
        self.emph = false;
        self.plain = false;
        (lines, emphasis)
    }
}

/// Parse into blocks and front matter.
fn blocks(text: &str) -> (Vec<Block>, Option<(MetadataBlockKind, String)>) {
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut out = Vec::new();
    let mut meta = None;
    let mut inline = Inline::default();
    // For each open quote, how many blocks there were when it opened.
    let mut quotes: Vec<usize> = Vec::new();
    let mut in_meta: Option<MetadataBlockKind> = None;
    let flush = |inline: &mut Inline, out: &mut Vec<Block>, in_quote: bool| {
        let (lines, emphasis) = inline.take();
        if lines.is_empty() {
            return;
        }
        out.push(if in_quote {
            Block::Quote(lines.concat().trim().to_string())
        } else {
            Block::Para { lines, emphasis }
        });
    };
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(Tag::MetadataBlock(kind)) => in_meta = Some(kind),
            Event::End(TagEnd::MetadataBlock(_)) => in_meta = None,
            Event::Text(t) if in_meta.is_some() => {
                if let Some(kind) = in_meta {
                    meta = Some((kind, t.to_string()));
                }
            }
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::CodeBlock(_)) => {
                flush(&mut inline, &mut out, !quotes.is_empty())
            }
            Event::End(TagEnd::Heading(l)) => {
                let (lines, _) = inline.take();
                out.push(Block::Heading(level(l), lines.concat().trim().to_string()));
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::CodeBlock) => {
                flush(&mut inline, &mut out, !quotes.is_empty())
            }
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut inline, &mut out, !quotes.is_empty());
                quotes.push(out.len());
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut inline, &mut out, true);
                // `> ` with nothing: an empty kicker or subtitle slot.
                if quotes.pop() == Some(out.len()) {
                    out.push(Block::Quote(String::new()));
                }
            }
            Event::Start(Tag::Image { .. }) => inline.image += 1,
            Event::End(TagEnd::Image) => inline.image = inline.image.saturating_sub(1),
            Event::Start(Tag::Emphasis | Tag::Strong) => {
                inline.emph_depth += 1;
                inline.emph = true;
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong) => {
                inline.emph_depth = inline.emph_depth.saturating_sub(1)
            }
            Event::Text(t) | Event::Code(t) if inline.image == 0 => inline.push(&t),
            Event::SoftBreak | Event::HardBreak => inline.lines.push(String::new()),
            Event::Rule => {
                flush(&mut inline, &mut out, !quotes.is_empty());
                out.push(Block::Rule)
            }
            // Inline HTML (`<sub>`) is dropped, its text kept; HTML blocks are not text.
            _ => {}
        }
    }
    flush(&mut inline, &mut out, false);
    (out, meta)
}

/// Text as shown: markup the parser left (`**` CommonMark would not open, `PM_{10}`)
/// removed.
fn clean_text(s: &str) -> String {
    crate::text::markup::strip(&s.replace("**", "").replace("__", ""))
}

/// Remove inline markup, keeping the text: `<sub>2.5</sub>` → `2.5`, `**b**` → `b`,
/// `[text](url)` → `text`, images dropped; blocks on lines of their own.
pub fn clean_inline(s: &str) -> String {
    let (blocks, _) = blocks(s);
    blocks
        .iter()
        .map(Block::text)
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn parse(text: &str) -> Page {
    let (blocks, meta) = blocks(text);
    let mut facts = meta
        .map(|(kind, m)| front_matter(kind, &m))
        .unwrap_or_default();
    // Heading levels and how often each occurs.
    let mut counts = [0usize; 7];
    for b in &blocks {
        if let Block::Heading(l, _) = b {
            counts[*l as usize] += 1;
        }
    }
    let first_heading = blocks.iter().position(|b| matches!(b, Block::Heading(..)));
    let content_before = |i: usize| {
        blocks[..i]
            .iter()
            .any(|b| matches!(b, Block::Para { .. } | Block::Quote(_)))
    };
    // The page's header: a lone top heading before any text that names the paper, the
    // date or the page, or that stands above deeper headings.
    let mut header = None;
    if let Some(i) = first_heading
        && let Block::Heading(l, t) = &blocks[i]
        && counts[*l as usize] == 1
        && !content_before(i)
        && (names_page(t) || counts[*l as usize + 1..].iter().any(|c| *c > 0))
    {
        header = Some(i);
    }
    let others =
        |l: usize| {
            counts[l]
                - usize::from(header.is_some_and(
                    |h| matches!(&blocks[h], Block::Heading(hl, _) if *hl as usize == l),
                ))
        };
    let article_level = (1..=6)
        .find(|&l| others(l) >= 2)
        .or_else(|| (1..=6).find(|&l| others(l) >= 1))
        .map(|l| l as u8);
    if let Some(h) = header
        && let Block::Heading(_, t) = &blocks[h]
    {
        header_facts(t, &mut facts);
        facts.title.get_or_insert_with(|| t.clone());
    }

    let is_title = |b: &Block| matches!(b, Block::Heading(l, _) if Some(*l) == article_level);
    let mut articles: Vec<FullParts> = Vec::new();
    let mut preamble: Vec<String> = Vec::new();
    let mut page_subtitle: Option<String> = None;
    let mut cur: Option<Draft> = None;
    let mut pending_kicker: Option<Option<String>> = None;
    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        if Some(i) == header {
            i += 1;
            continue;
        }
        let next_is_title = blocks.get(i + 1).is_some_and(is_title);
        match b {
            _ if is_title(b) => {
                if let Some(d) = cur.take() {
                    articles.push(d.finish());
                }
                let Block::Heading(_, t) = b else {
                    unreachable!()
                };
                let mut d = Draft {
                    kicker: pending_kicker.take().flatten(),
                    title: Some(strip_ordinal(t)),
                    ..Draft::default()
                };
                // The subtitle: the block right under the title, when it is emphasis,
                // a quote, a `——` line or a deeper heading.
                if let Some(next) = blocks.get(i + 1) {
                    let sub = match next {
                        Block::Para { emphasis: true, .. } => Some(next.text()),
                        Block::Para { .. } if next.text().starts_with("——") => {
                            Some(next.text())
                        }
                        Block::Quote(t) => Some(t.clone()),
                        Block::Heading(l, t) if Some(*l) > article_level => Some(t.clone()),
                        _ => None,
                    };
                    if let Some(s) = sub {
                        d.subtitle = Some(s.trim().to_string()).filter(|s| !s.is_empty());
                        i += 1;
                    }
                }
                cur = Some(d);
            }
            Block::Para { emphasis: true, .. } | Block::Quote(_) if next_is_title => {
                pending_kicker = Some(Some(b.text().trim().to_string()).filter(|s| !s.is_empty()));
            }
            Block::Rule => {
                if let Some(d) = cur.take() {
                    articles.push(d.finish());
                }
            }
            Block::Heading(_, t) if cur.is_none() && articles.is_empty() => {
                // Above the first article: the page's title, then its subtitle.
                if facts.title.is_none() {
                    facts.title = Some(t.clone());
                } else {
                    page_subtitle.get_or_insert_with(|| t.clone());
                }
            }
            _ => {
                let raw = b.text();
                if raw.trim().is_empty() {
                    i += 1;
                    continue;
                }
                let lines = match b {
                    Block::Para { lines, .. } => lines.clone(),
                    _ => vec![raw.clone()],
                };
                match cur.as_mut() {
                    Some(d) => d.paragraphs.push((raw.trim().to_string(), lines)),
                    // After a rule with no title: an article of its own, untitled.
                    None if !articles.is_empty() => {
                        cur = Some(Draft {
                            paragraphs: vec![(raw.trim().to_string(), lines)],
                            ..Draft::default()
                        })
                    }
                    None => preamble.push(join_lines(&lines)),
                }
            }
        }
        i += 1;
    }
    if let Some(d) = cur.take() {
        articles.push(d.finish());
    }
    let preamble_len: usize = preamble.iter().map(|p| p.chars().count()).sum();
    if articles.is_empty() && !preamble.is_empty() {
        // A page with no article headings: one article, titled by the page.
        articles.push(FullParts::from(ArticleParts {
            title: facts.title.clone(),
            subtitle: page_subtitle.clone(),
            paragraphs: preamble,
            ..ArticleParts::default()
        }));
    } else if preamble_len >= MIN_PREAMBLE_CHARS {
        articles.insert(
            0,
            FullParts::from(ArticleParts {
                paragraphs: preamble,
                ..ArticleParts::default()
            }),
        );
    }
    page_compiler(&mut articles);
    for (n, a) in articles.iter_mut().enumerate() {
        a.at.order = Some(n as u32 + 1);
    }
    Page { facts, articles }
}

/// An article being read: paragraphs as (text as written, lines).
#[derive(Default)]
struct Draft {
    kicker: Option<String>,
    title: Option<String>,
    subtitle: Option<String>,
    paragraphs: Vec<(String, Vec<String>)>,
}

impl Draft {
    fn finish(self) -> FullParts {
        // Byline and credit are found on the text as written (their spaces matter);
        // body paragraphs are joined lines.
        let mut paras = self.paragraphs;
        let mut byline = None;
        if let Some((raw, _)) = paras.first() {
            if paras.len() > 1 && byline::is_byline_line(raw) {
                byline = Some(byline::compact(raw));
                paras.remove(0);
            } else if let Some((dateline, rest)) = byline::split_dateline(raw) {
                byline = Some(byline::compact(&dateline));
                paras[0] = (rest.clone(), vec![rest]);
            }
        }
        let mut credit = None;
        if paras.len() > 1 && paras.last().is_some_and(|(raw, _)| byline::is_credit(raw)) {
            credit = paras.pop().map(|(raw, _)| raw);
        }
        byline::settle(&mut byline, &mut credit);
        let mut paragraphs: Vec<String> = paras
            .into_iter()
            .map(|(_, lines)| join_lines(&lines))
            .collect();
        paragraphs.retain(|p| !p.is_empty());
        FullParts {
            parts: ArticleParts {
                kicker: self.kicker,
                title: self.title,
                subtitle: self.subtitle,
                byline,
                paragraphs,
                ..ArticleParts::default()
            },
            credit,
            ..FullParts::default()
        }
    }
}

/// A compiler's credit closing the page (`本报记者 吕正军 整理`) credits every article
/// of it that names no one.
fn page_compiler(articles: &mut [FullParts]) {
    let Some(last) = articles.last_mut() else {
        return;
    };
    if !last.credit.as_deref().is_some_and(|c| c.ends_with("整理")) {
        return;
    }
    let Some(credit) = last.credit.take() else {
        return;
    };
    let credit = squeeze_spaces(&credit);
    for a in articles.iter_mut() {
        if a.parts.byline.is_none() {
            a.parts.byline = Some(credit.clone());
        }
    }
}

/// A heading that names the paper, a date or a page: `人民日报 2019年10月1日 第01版`,
/// `第02版：要闻`.
fn names_page(t: &str) -> bool {
    page_of(t).is_some() || date_of(t).is_some() || paper_of(t).is_some()
}

static PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"第\s*([0-9]{1,3}|[一二三四五六七八九十百]{1,4})\s*版(?:\s*[：:]\s*(\S+))?")
        .expect("a valid pattern")
});

fn page_of(t: &str) -> Option<(PageNo, Option<String>)> {
    let c = PAGE.captures(t)?;
    let n = parse_number(&c[1])?;
    let name = c.get(2).map(|m| m.as_str().to_string());
    Some((PageNo::plain(u16::try_from(n).ok()?), name))
}

fn date_of(t: &str) -> Option<Date> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
            .expect("a valid pattern")
    });
    let c = DATE.captures(t)?;
    Date::new(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
}

/// The first word of a header when it is a paper's name (`人民日报`, `焦作日报`).
fn paper_of(t: &str) -> Option<String> {
    let first = t.split_whitespace().next()?;
    (first.chars().count() <= 10 && first.ends_with('报') && !first.contains('版'))
        .then(|| first.to_string())
}

fn header_facts(t: &str, facts: &mut FileFacts) {
    if facts.paper.is_none() {
        facts.paper = paper_of(t);
    }
    if facts.date.is_none() {
        facts.date = date_of(t);
    }
    if let Some((page, name)) = page_of(t) {
        facts.page.get_or_insert(page);
        if facts.page_name.is_none() {
            facts.page_name = name;
        }
    }
}

/// Front matter: YAML (`key: value` lines) or TOML.
fn front_matter(kind: MetadataBlockKind, text: &str) -> FileFacts {
    let pairs: Vec<(String, String)> = match kind {
        MetadataBlockKind::PlusesStyle => match text.parse::<toml::Table>() {
            Ok(t) => t
                .into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        toml::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (k, v)
                })
                .collect(),
            Err(_) => Vec::new(),
        },
        MetadataBlockKind::YamlStyle => text
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| {
                let v = v.trim();
                let v = v
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                    .unwrap_or(v);
                (k.trim().to_string(), v.to_string())
            })
            .collect(),
    };
    let mut facts = FileFacts::default();
    for (k, v) in pairs {
        let v = crate::text::sanitize::sanitize(v.trim());
        if v.is_empty() {
            continue;
        }
        match k.to_ascii_lowercase().as_str() {
            "paper" | "newspaper" | "source" => facts.paper = Some(v),
            "date" => facts.date = date_of(&v),
            "page" => {
                facts.page = page_of(&v).map(|(p, _)| p).or_else(|| {
                    parse_number(&v)
                        .and_then(|n| u16::try_from(n).ok())
                        .map(PageNo::plain)
                })
            }
            "page_name" | "pagename" | "section" => facts.page_name = Some(v),
            "title" => facts.title = Some(v),
            _ => {}
        }
    }
    facts
}

/// `1 学成都佛山 促转型发展` → `学成都佛山 促转型发展`: the running number of a list.
fn strip_ordinal(h: &str) -> String {
    let digits = h.chars().take_while(|c| c.is_ascii_digit()).count();
    let rest = &h[digits..];
    if (1..=2).contains(&digits) && rest.starts_with([' ', '、', '.', '．']) && rest.len() > 1 {
        rest[1..].trim().to_string()
    } else {
        h.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup() {
        assert_eq!(clean_inline("PM<sub>2.5</sub>、PM_{10}"), "PM2.5、PM10");
        assert_eq!(
            clean_inline("**重点** [链接](http://x) ![图](a.png)尾"),
            "重点 链接 尾"
        );
        assert_eq!(clean_inline("a < b > c"), "a < b > c");
    }

    #[test]
    fn headings_make_articles() {
        let p = parse(
            "# 报名\n\n## ——副题\n\n导语。\n\n### 1 标题一\n\n#### 副题一\n\n正文一。\n\n### 2 标题二\n\n正文二。\n\n本报记者 张三 整理\n",
        );
        assert_eq!(p.facts.title.as_deref(), Some("报名"));
        assert_eq!(p.articles.len(), 2);
        assert_eq!(p.articles[0].parts.title.as_deref(), Some("标题一"));
        assert_eq!(p.articles[0].parts.subtitle.as_deref(), Some("副题一"));
        assert_eq!(p.articles[1].parts.paragraphs, vec!["正文二。"]);
        assert_eq!(
            p.articles[1].parts.byline.as_deref(),
            Some("本报记者 张三 整理")
        );
    }

    #[test]
    fn page_header_kicker_subtitle_front_matter() {
        let p = parse(
            "# 人民日报 2019年10月1日 第01版\n\n*走基层*\n## 山里的茶叶\n**茶叶飞出大山**\n\n本报记者  陈静怡\n\n清晨六点，\n茶园里一片忙碌。\n\n本报记者  程  曦摄\n\n## 第二篇\n\n正文。\n",
        );
        assert_eq!(p.facts.paper.as_deref(), Some("人民日报"));
        assert_eq!(
            p.facts.date.map(|d| d.to_string()).as_deref(),
            Some("2019-10-01")
        );
        assert_eq!(p.facts.page, Some(PageNo::plain(1)));
        let a = &p.articles[0];
        assert_eq!(a.parts.kicker.as_deref(), Some("走基层"));
        assert_eq!(a.parts.subtitle.as_deref(), Some("茶叶飞出大山"));
        assert_eq!(a.parts.byline.as_deref(), Some("本报记者陈静怡"));
        assert_eq!(a.parts.paragraphs, vec!["清晨六点，茶园里一片忙碌。"]);
        assert_eq!(a.credit.as_deref(), Some("本报记者  程  曦摄"));
        let p = parse(
            "+++\npaper = \"人民日报\"\ndate = 2019-10-19\npage = 8\n+++\n\n## 标题\n\n正文。\n",
        );
        assert_eq!(
            p.facts.date.map(|d| d.to_string()).as_deref(),
            Some("2019-10-19")
        );
        assert_eq!(p.facts.page, Some(PageNo::plain(8)));
        let p = parse(
            "---\npaper: 人民日报\ndate: \"2019-10-18\"\npage: \"06\"\n---\n\n> 引题\n# 标题\n> \n\n正文。\n",
        );
        assert_eq!(p.facts.page, Some(PageNo::plain(6)));
        assert_eq!(p.articles[0].parts.kicker.as_deref(), Some("引题"));
        assert_eq!(p.articles[0].parts.subtitle, None);
        assert_eq!(p.articles[0].parts.paragraphs, vec!["正文。"]);
    }
}
