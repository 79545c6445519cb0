//! The archive: finding issue files, decoding them, reflowing column text and splitting
//! pages into articles. Knows nothing of tantivy or the terminal.

pub(crate) mod article;
pub(crate) mod article_file;
pub(crate) mod byline;
pub mod catalog;
pub(crate) mod date;
pub mod decode;
pub(crate) mod jsonl;
pub(crate) mod jump;
pub mod markdown;
pub(crate) mod model;
pub(crate) mod page_head;
pub(crate) mod pages;
pub(crate) mod pdf;
pub(crate) mod place;
pub(crate) mod read;
pub mod samples;
pub mod settings;
pub mod source;

pub use catalog::Catalog;
pub use model::{Article, Date, Library, PageNo, ParsedFile, Place, ReadError, Warning};
pub use pdf::in_pdf_parser;
pub use read::{load, parse_file, parse_in};
pub use source::LibrarySource;
