//! Newspaper pages read from their PDFs: the glyphs with their positions and type sizes
//! ([`glyphs`]) put in reading order and made paragraphs ([`layout`]); the page's
//! furniture read from its top and foot rows; the articles then split by the page
//! segmenter, which takes type size as the mark of a headline.

mod glyphs;
mod layout;

use super::article::FileFacts;
use super::page_head;
use super::pages::reflow::Para;
pub use glyphs::in_pdf_parser;
pub(crate) use glyphs::{Glyph, MAX_PAGES, PdfError};

/// A PDF read: each page's paragraphs in reading order and what its furniture says,
/// the rows of text, and how many glyphs had no Unicode mapping.
#[derive(Debug, Default)]
pub(crate) struct PdfText {
    /// Its pages in order (a page PDF has one; a whole issue in one file, several). The
    /// first page's furniture says the file's paper, date and page.
    pub(crate) pages: Vec<PdfPage>,
    /// The pages as plain rows of text, top to bottom (what the date is looked for in).
    pub(crate) text: String,
    pub(crate) unmapped: usize,
    /// Pages the file has past the ones read ([`glyphs::MAX_PAGES`]).
    pub(crate) unread_pages: usize,
    /// Pages the parser failed on (the others are read).
    pub(crate) failed_pages: usize,
}

/// One page of a PDF: its paragraphs, and what its own furniture says (its 版次 and
/// 版名, when a file holds a whole issue).
#[derive(Debug, Default)]
pub(crate) struct PdfPage {
    pub(crate) paras: Vec<Para>,
    pub(crate) facts: FileFacts,
}

/// Whether a file is a PDF: by its name, or by the `%PDF-` its bytes open with.
pub(crate) fn is_pdf(rel: &str, bytes: &[u8]) -> bool {
    rel.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("pdf"))
        || bytes.starts_with(b"%PDF-")
}

/// More unmapped glyphs than this share of all: the text can't be read at all.
const UNMAPPED_SHARE: f32 = 0.5;

/// Read a PDF file's bytes.
pub(crate) fn read(bytes: &[u8]) -> Result<PdfText, PdfError> {
    let doc = glyphs::read_pages(bytes)?;
    let mut out = PdfText {
        unread_pages: doc.unread,
        failed_pages: doc.failed,
        ..PdfText::default()
    };
    let (mut total, mut unmapped) = (0usize, 0usize);
    for page in &doc.pages {
        total += page.glyphs.iter().filter(|g| !g.ch.is_whitespace()).count();
        unmapped += page
            .glyphs
            .iter()
            .filter(|g| layout::is_unmapped(g.ch))
            .count();
        let (paras, text) = read_page(&page.glyphs);
        let facts = page_head::facts(&text);
        out.pages.push(PdfPage { paras, facts });
        out.text.push_str(&text);
        out.text.push('\n');
    }
    if total > 0 && unmapped as f32 > UNMAPPED_SHARE * total as f32 {
        return Err(PdfError::Unmapped);
    }
    out.unmapped = unmapped;
    Ok(out)
}

/// How many rows at the top of a page and at its foot may be furniture.
const HEAD_ROWS: usize = 8;
const FOOT_ROWS: usize = 3;

/// One page's paragraphs in reading order, and its rows of text.
fn read_page(glyphs: &[Glyph]) -> (Vec<Para>, String) {
    let body = layout::body_size(glyphs);
    let lines = layout::lines(glyphs, body);
    let rows = rows(&lines);
    let text: String = rows.iter().map(|r| row_text(&lines, r) + "\n").collect();
    // Furniture rows (masthead, date line, page line, 责任编辑) are not text.
    let mut furniture = vec![false; lines.len()];
    let edge = rows
        .iter()
        .take(HEAD_ROWS)
        .chain(rows.iter().skip(rows.len().saturating_sub(FOOT_ROWS)));
    for r in edge {
        let whole = page_head::is_furniture(&row_text(&lines, r));
        for &i in r {
            // A row may hold a masthead beside a weather box: each line is looked at too.
            furniture[i] |= whole || page_head::is_furniture(&lines[i].text);
        }
    }
    // `“周末大舞台”唱响百姓心声 第7版`: an entry of a 今日导读 box, pointing elsewhere.
    for (i, l) in lines.iter().enumerate() {
        furniture[i] |= is_pointer(&l.text);
    }
    let kept: Vec<layout::Line> = lines
        .into_iter()
        .zip(furniture)
        .filter(|(_, f)| !f)
        .map(|(l, _)| l)
        .collect();
    let blocks = layout::blocks(kept);
    let order = layout::reading_order(&blocks, body);
    // `DUBAO_PDF_DEBUG=1 dubao list`: the blocks in reading order (size over body size,
    // box, lines, start), to see why a page reads as it does.
    #[cfg(feature = "bench")]
    if std::env::var_os("DUBAO_PDF_DEBUG").is_some() {
        for &i in &order {
            let b = &blocks[i];
            let t: String = b.lines[0].text.chars().take(24).collect();
            eprintln!(
                "{:5.2} x {:5.0}-{:5.0} y {:5.0}-{:5.0} n{:<3} {}",
                b.size / body,
                b.x0,
                b.x1,
                b.top,
                b.bottom,
                b.lines.len(),
                t
            );
        }
    }
    let paras = layout::paragraphs(&blocks, &order, body);
    #[cfg(feature = "bench")]
    if std::env::var_os("DUBAO_PDF_DEBUG").is_some_and(|v| v == "paras") {
        for p in &paras {
            let t: String = p.text().chars().take(30).collect();
            eprintln!(
                "P {:4.2} n{:<2} {t}",
                p.size().unwrap_or(0.0),
                p.lines.len()
            );
        }
    }
    (paras, text)
}

/// A line that names a headline and the page it is on (`… 第7版`): a 导读 entry.
fn is_pointer(line: &str) -> bool {
    static POINTER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^\S.{1,30}\s+第\s*[0-9０-９]{1,2}\s*版$").expect("pointer pattern")
    });
    POINTER.is_match(line.trim())
}

/// Lines on one baseline (indices), top row first: what a header row is made of.
fn rows(lines: &[layout::Line]) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        match rows.last_mut() {
            Some(r) if (lines[r[0]].y - l.y).abs() <= 0.3 * l.size.min(lines[r[0]].size) => {
                r.push(i)
            }
            _ => rows.push(vec![i]),
        }
    }
    rows
}

fn row_text(lines: &[layout::Line], row: &[usize]) -> String {
    row.iter()
        .map(|&i| lines[i].text.as_str())
        .collect::<Vec<_>>()
        .join("  ")
}
