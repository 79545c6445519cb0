//! An article laid out as rows of text: header (kicker, title, subtitle, byline and
//! where it was printed), then the wrapped paragraphs (and, for an article that goes on
//! on another page, a note at the join and the rest). The reader pane and `dubao show` both draw these
//! rows, so what a script sees is what the reader shows.

use crate::archive::Article;
use crate::text::{str_width, wrap};
use std::ops::Range;

/// What a row is, so the UI can style it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RowKind {
    Kicker,
    Title,
    Subtitle,
    Meta,
    Blank,
    /// A row of paragraph `n` of the body.
    Body(usize),
    Note,
}

/// A run of text in a row, highlighted when it is part of a search match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub highlight: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutRow {
    pub(crate) kind: RowKind,
    pub spans: Vec<Span>,
}

impl LayoutRow {
    /// The row as plain text.
    pub fn plain(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    pub fn width(&self) -> usize {
        self.spans.iter().map(|s| str_width(&s.text)).sum()
    }

    fn blank() -> LayoutRow {
        LayoutRow {
            kind: RowKind::Blank,
            spans: Vec::new(),
        }
    }
}

/// A search match: where (the headline, or a paragraph of the body) and its byte range
/// there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub(crate) part: Part,
    pub(crate) range: Range<usize>,
}

/// The parts of an article a search match is shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Title,
    Paragraph(usize),
}

/// Where an article shown whole joins its rest from another page: before paragraph
/// `at`, with `note` (`下转第02版`) between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Join {
    pub at: usize,
    pub note: String,
}

/// An article and what shows it whole: when it goes on on another page, its rest after
/// a note at the join; when that page is not in the library, a note saying so.
pub fn whole_article<'a>(
    head: &'a Article,
    rest: Option<&Article>,
    missing_page: Option<&str>,
) -> (std::borrow::Cow<'a, Article>, Option<Join>) {
    use std::borrow::Cow;
    match (rest, missing_page) {
        (Some(rest), _) => {
            let mut whole = head.clone();
            let join = Join {
                at: whole.paragraphs.len(),
                note: format!("下转{}", head.continued_on.as_deref().unwrap_or_default()),
            };
            whole.paragraphs.extend(rest.paragraphs.iter().cloned());
            whole.continued_on = rest.continued_on.clone();
            whole.credit = rest.credit.clone().or(whole.credit);
            (Cow::Owned(whole), Some(join))
        }
        (None, Some(page)) => {
            let mut whole = head.clone();
            whole.continued_on = Some(format!("{page}：这一版不在文库中"));
            (Cow::Owned(whole), None)
        }
        (None, None) => (Cow::Borrowed(head), None),
    }
}

/// Lay out `article` in a column `width` columns wide.
pub fn layout_article(article: &Article, width: usize, highlights: &[Highlight]) -> Vec<LayoutRow> {
    layout_joined(article, None, &[], width, highlights)
}

/// Like [`layout_article`], with a note row where the article's rest begins, and one
/// under the header naming the other pages printing the same article.
pub fn layout_joined(
    article: &Article,
    join: Option<&Join>,
    also_on: &[String],
    width: usize,
    highlights: &[Highlight],
) -> Vec<LayoutRow> {
    let mut rows = Vec::new();
    let plain = |kind: RowKind, text: &str, rows: &mut Vec<LayoutRow>| {
        for r in wrap(text, width, false) {
            rows.push(LayoutRow {
                kind,
                spans: vec![Span {
                    text: r.text(text),
                    highlight: false,
                }],
            });
        }
    };
    let marks_of = |part: Part| -> Vec<&Range<usize>> {
        highlights
            .iter()
            .filter(|h| h.part == part)
            .map(|h| &h.range)
            .collect()
    };
    if let Some(k) = &article.kicker {
        plain(RowKind::Kicker, k, &mut rows);
    }
    let marks = marks_of(Part::Title);
    for r in wrap(&article.title, width, false) {
        rows.push(LayoutRow {
            kind: RowKind::Title,
            spans: split_highlights(&article.title, r.range.clone(), &marks),
        });
    }
    if let Some(s) = &article.subtitle {
        plain(RowKind::Subtitle, s, &mut rows);
    }
    let mut meta = Vec::new();
    if let Some(b) = &article.byline {
        meta.push(b.clone());
    }
    meta.push(where_printed(article));
    plain(RowKind::Meta, &meta.join(" · "), &mut rows);
    if !also_on.is_empty() {
        plain(
            RowKind::Meta,
            &format!("同一篇也见于 {}", also_on.join("、")),
            &mut rows,
        );
    }
    for (n, p) in article.paragraphs.iter().enumerate() {
        rows.push(LayoutRow::blank());
        if let Some(j) = join.filter(|j| j.at == n) {
            plain(RowKind::Note, &format!("—— {} ——", j.note), &mut rows);
            rows.push(LayoutRow::blank());
        }
        let marks = marks_of(Part::Paragraph(n));
        for r in wrap(p, width, true) {
            let mut spans = Vec::new();
            if !r.indent.is_empty() {
                spans.push(Span {
                    text: r.indent.to_string(),
                    highlight: false,
                });
            }
            spans.extend(split_highlights(p, r.range.clone(), &marks));
            rows.push(LayoutRow {
                kind: RowKind::Body(n),
                spans,
            });
        }
    }
    // The closing credit (photo, sign-off) stands apart at the end, as printed.
    if let Some(c) = &article.credit {
        rows.push(LayoutRow::blank());
        plain(RowKind::Meta, c, &mut rows);
    }
    if let Some(c) = &article.continued_on
        && join.is_none()
    {
        rows.push(LayoutRow::blank());
        plain(RowKind::Note, &format!("（下转{c}）"), &mut rows);
    }
    rows
}

/// `焦作日报 2019年11月25日 第02版 要闻`, the date marked `（推断）` when worked out from
/// the text, and the file's name when the page has no number.
pub fn where_printed(article: &Article) -> String {
    let p = &article.place;
    let mut parts = Vec::new();
    if let Some(paper) = &p.paper {
        parts.push(paper.clone());
    }
    match p.date {
        Some(d) if p.date_inferred => parts.push(format!("{}（推断）", d.chinese())),
        Some(d) => parts.push(d.chinese()),
        None => {}
    }
    if let Some(n) = p.page {
        parts.push(n.label());
    }
    if let Some(name) = &p.page_name {
        parts.push(name.clone());
    }
    if p.page.is_none() {
        parts.push(article.file_name.clone());
    }
    parts.join(" ")
}

/// Cut `text[range]` into spans, marking the parts covered by `marks`.
fn split_highlights(text: &str, range: Range<usize>, marks: &[&Range<usize>]) -> Vec<Span> {
    let mut cuts = vec![range.start, range.end];
    for m in marks {
        for b in [m.start, m.end] {
            if b > range.start && b < range.end && text.is_char_boundary(b) {
                cuts.push(b);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut spans: Vec<Span> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let highlight = marks.iter().any(|m| m.start <= a && b <= m.end);
        match spans.last_mut() {
            Some(last) if last.highlight == highlight => last.text.push_str(&text[a..b]),
            _ => spans.push(Span {
                text: text[a..b].to_string(),
                highlight,
            }),
        }
    }
    spans
}
