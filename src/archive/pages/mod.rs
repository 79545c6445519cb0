//! Pages of text extracted from PDFs (pdfminer boxes, `pdftotext` in its modes): the
//! one form whose articles must be found by reading the text, since nothing marks where
//! one ends. [`columns`] reads side-by-side columns one after another; [`reflow`] turns column lines into paragraphs; [`segment`] splits them into
//! articles.

pub(crate) mod columns;
pub(crate) mod lexicon;
pub(crate) mod reflow;
pub(crate) mod segment;

pub(crate) use segment::{split_articles, split_sized};
