//! The archive: finding issue files, decoding them, reflowing column text and splitting
//! pages into articles. Knows nothing of tantivy or the terminal.

pub(crate) mod article;
pub mod catalog;
pub(crate) mod date;
pub mod decode;
pub(crate) mod jump;
pub mod markdown;
pub(crate) mod model;
pub(crate) mod page_head;
pub(crate) mod pages;
pub(crate) mod place;
pub(crate) mod read;
pub mod samples;
pub mod source;

pub use catalog::Catalog;
pub use model::{Article, Date, Library, PageNo, ParsedFile, Place, ReadError, Warning};
pub use read::{load, parse_file};
pub use source::LibrarySource;
