//! An article laid out as rows of text: header (kicker, title, subtitle, byline and
//! date), then the wrapped paragraphs. The reader pane and `dubao show` both draw these
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

/// A search match inside the body: paragraph index and byte range in that paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub(crate) paragraph: usize,
    pub(crate) range: Range<usize>,
}

/// Lay out `article` in a column `width` columns wide.
pub fn layout_article(article: &Article, width: usize, highlights: &[Highlight]) -> Vec<LayoutRow> {
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
    if let Some(k) = &article.kicker {
        plain(RowKind::Kicker, k, &mut rows);
    }
    plain(RowKind::Title, &article.title, &mut rows);
    if let Some(s) = &article.subtitle {
        plain(RowKind::Subtitle, s, &mut rows);
    }
    let mut meta = Vec::new();
    if let Some(b) = &article.byline {
        meta.push(b.clone());
    }
    match article.date {
        Some(d) if article.date_inferred => meta.push(format!("{d}（推断）")),
        Some(d) => meta.push(d.to_string()),
        None => {}
    }
    meta.push(article.issue.clone());
    plain(RowKind::Meta, &meta.join(" · "), &mut rows);
    for (n, p) in article.paragraphs.iter().enumerate() {
        rows.push(LayoutRow::blank());
        let marks: Vec<&Range<usize>> = highlights
            .iter()
            .filter(|h| h.paragraph == n)
            .map(|h| &h.range)
            .collect();
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
    if let Some(c) = &article.continued {
        rows.push(LayoutRow::blank());
        plain(RowKind::Note, &format!("（下转{c}）"), &mut rows);
    }
    rows
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
