//! dubao (读报): a terminal reader for archives of Chinese newspaper issues.
//!
//! Data flows one way: files on disk → [`archive`] (decode, reflow, segment into
//! articles) → [`index`] (tantivy) → search results. The terminal UI ([`app`], [`ui`],
//! [`tui`]) only reads from those; the archive and the index know nothing of the terminal.

pub mod app;
pub mod archive;
pub mod bench;
pub mod cli;
pub mod config;
pub mod index;
pub mod layout;
pub mod term_sgr;
pub mod text;
pub mod tui;
pub mod ui;
