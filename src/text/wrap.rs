//! The one wrapping routine. (Placeholder: breaks anywhere; the real one keeps the
//! Chinese line-breaking rules.)

use std::ops::Range;

/// One row of a wrapped paragraph: an optional indent, then `text[range]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Leading indent (two U+3000 on a paragraph's first row, else empty).
    pub indent: &'static str,
    /// Byte range of the row's text in the paragraph that was wrapped.
    pub range: Range<usize>,
}

impl Row {
    /// The row as display text.
    pub fn text(&self, paragraph: &str) -> String {
        format!("{}{}", self.indent, &paragraph[self.range.clone()])
    }
}

/// Wrap `paragraph` into rows no wider than `width` columns.
pub fn wrap(paragraph: &str, width: usize, indent: bool) -> Vec<Row> {
    let _ = indent;
    let width = width.max(2);
    let mut rows = Vec::new();
    let mut start = 0;
    let mut w = 0;
    for (i, c) in paragraph.char_indices() {
        let cw = super::str_width(&c.to_string());
        if w + cw > width && i > start {
            rows.push(Row {
                indent: "",
                range: start..i,
            });
            start = i;
            w = 0;
        }
        w += cw;
    }
    if start < paragraph.len() {
        rows.push(Row {
            indent: "",
            range: start..paragraph.len(),
        });
    }
    rows
}
