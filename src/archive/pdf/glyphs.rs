//! Glyphs off a PDF page: each character with where it stands and how big it is set.
//! The PDF itself is parsed by `pdf-extract` (on `lopdf`); this is the one place that
//! knows that crate, so another could take its place behind [`read_pages`].

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use std::cell::Cell;
use std::sync::Once;

/// One character as printed: `x`, `y` are its origin on the baseline (points, y up),
/// `w` its advance, `size` the type size it is set in (points, after every transform).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Glyph {
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) w: f32,
    pub(crate) size: f32,
    pub(crate) ch: char,
}

/// The glyphs of one page, in the order the page draws them.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub(crate) glyphs: Vec<Glyph>,
}

/// Why a PDF gives no text. Each is said as one line next to the file's name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PdfError {
    #[error("not a readable PDF: {0}")]
    Broken(String),
    #[error("encrypted PDF: no text without its password")]
    Encrypted,
    #[error("no text layer: a scanned page (OCR is not done)")]
    Scanned,
    #[error("PDF with no text on its pages")]
    NoText,
    #[error("PDF fonts without a Unicode map: its text can't be read")]
    Unmapped,
    #[error("the PDF parser failed on this file")]
    ParserFailed,
    #[error("PDF page content inflates past {} MiB: not read", MAX_CONTENT >> 20)]
    Inflated,
}

/// Pages of a PDF, no more than this many (a whole year bound in one file is still
/// read, but a file claiming millions of pages is not walked).
pub(crate) const MAX_PAGES: usize = 2000;

/// A PDF's pages as read: at most [`MAX_PAGES`], and how many more it has.
#[derive(Debug, Default)]
pub(crate) struct Pages {
    pub(crate) pages: Vec<Page>,
    pub(crate) unread: usize,
    /// Pages the parser failed on (left empty).
    pub(crate) failed: usize,
}

/// Every page's glyphs, in page order.
pub(crate) fn read_pages(bytes: &[u8]) -> Result<Pages, PdfError> {
    quietly(|| {
        let doc = pdf_extract::Document::load_mem(bytes).map_err(|e| {
            let reason = e.to_string();
            if reason.to_lowercase().contains("decrypt") || reason.contains("ncrypt") {
                PdfError::Encrypted
            } else {
                PdfError::Broken(first_line(&reason))
            }
        })?;
        if doc.is_encrypted() {
            return Err(PdfError::Encrypted);
        }
        let ids = doc.get_pages();
        let unread = ids.len().saturating_sub(MAX_PAGES);
        let numbers: Vec<u32> = ids.keys().copied().take(MAX_PAGES).collect();
        if numbers.is_empty() {
            return Err(PdfError::Broken("no pages".into()));
        }
        let mut out = Collector::default();
        let mut inflated = 0;
        let mut failed = 0;
        for n in numbers {
            let page_count = out.pages.len();
            // A page whose content would inflate without end (a zip bomb) is not read.
            let bounded = ids.get(&n).is_some_and(|&id| content_is_bounded(&doc, id));
            if !bounded {
                inflated += 1;
            }
            // A page the parser can't read (or panics on) is left out; the others
            // still read.
            let read = bounded
                && std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    pdf_extract::output_doc_page(&doc, &mut out, n)
                }))
                .is_ok_and(|r| r.is_ok());
            if bounded && !read {
                failed += 1;
            }
            if !read {
                out.pages.truncate(page_count);
                out.pages.push(Page::default());
            }
        }
        let pages = out.pages;
        if inflated > 0 && pages.iter().all(|p| p.glyphs.is_empty()) {
            return Err(PdfError::Inflated);
        }
        if pages.iter().all(|p| p.glyphs.is_empty()) {
            return Err(if has_images(&doc) {
                PdfError::Scanned
            } else {
                PdfError::NoText
            });
        }
        Ok(Pages {
            pages,
            unread,
            failed,
        })
    })
}

/// Most bytes a page's content may inflate to (a newspaper page's is well under 1 MiB).
const MAX_CONTENT: u64 = 64 << 20;

/// Whether every content stream of a page inflates to at most [`MAX_CONTENT`] bytes,
/// found by inflating it into nothing with a cap. Streams with other filters are left
/// to the parser.
fn content_is_bounded(doc: &pdf_extract::Document, page: pdf_extract::ObjectId) -> bool {
    use std::io::Read;
    let mut total = 0u64;
    for id in doc.get_page_contents(page) {
        let Ok(stream) = doc.get_object(id).and_then(|o| o.as_stream()) else {
            continue;
        };
        let flate = match stream.dict.get(b"Filter") {
            Ok(pdf_extract::Object::Name(n)) => n == b"FlateDecode",
            Ok(pdf_extract::Object::Array(a)) => a
                .first()
                .and_then(|o| o.as_name().ok())
                .is_some_and(|n| n == b"FlateDecode"),
            _ => false,
        };
        if !flate {
            continue;
        }
        let left = MAX_CONTENT - total;
        let mut inflater = flate2::read::ZlibDecoder::new(stream.content.as_slice()).take(left + 1);
        total += std::io::copy(&mut inflater, &mut std::io::sink()).unwrap_or(0);
        if total > MAX_CONTENT {
            return false;
        }
    }
    true
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(120).collect()
}

/// Whether the document holds pictures: a page with pictures and no text is a scan.
fn has_images(doc: &pdf_extract::Document) -> bool {
    doc.objects.values().any(|o| {
        o.as_stream().is_ok_and(|s| {
            s.dict
                .get(b"Subtype")
                .and_then(|t| t.as_name())
                .is_ok_and(|n| n == b"Image")
        })
    })
}

#[derive(Default)]
struct Collector {
    pages: Vec<Page>,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.pages.push(Page::default());
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        // The text rendering matrix scales the font size; its first row is the
        // glyph's horizontal axis (rotated text is kept, sized by that axis).
        let scale = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        let size = (font_size * scale) as f32;
        let Some(page) = self.pages.last_mut() else {
            return Ok(());
        };
        if !size.is_finite() || size <= 0.0 {
            return Ok(());
        }
        let n = text.chars().count().max(1) as f32;
        let w = (width * font_size * scale) as f32 / n;
        for (i, ch) in text.chars().enumerate() {
            page.glyphs.push(Glyph {
                x: trm.m31 as f32 + w * i as f32,
                y: trm.m32 as f32,
                w,
                size,
                ch,
            });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

thread_local! {
    static IN_PDF_PARSER: Cell<bool> = const { Cell::new(false) };
}

/// True while this thread is inside the PDF parser, whose panics on malformed files
/// are caught and turned into a reason: a panic hook should then stay quiet (and a
/// terminal UI should not tear itself down).
pub fn in_pdf_parser() -> bool {
    IN_PDF_PARSER.with(Cell::get)
}

/// Run the PDF parser with its panics caught (it asserts on some malformed files) and
/// not printed.
fn quietly<T>(f: impl FnOnce() -> Result<T, PdfError>) -> Result<T, PdfError> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !in_pdf_parser() {
                previous(info)
            }
        }));
    });
    IN_PDF_PARSER.with(|c| c.set(true));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_PDF_PARSER.with(|c| c.set(false));
    out.unwrap_or(Err(PdfError::ParserFailed))
}
