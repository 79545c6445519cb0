//! dubao (读报): a terminal reader for archives of Chinese newspaper issues.
//!
//! Data flows one way, and each layer uses only those before it:
//!
//! | layer | owns |
//! |---|---|
//! | [`text`], `work` | script classes, markup, display width, sanitising, the one wrapping routine; work spread over the cores |
//! | [`archive`] | finding files, decoding, reading them into articles, the catalog |
//! | [`index`] | the tantivy index: analyzers, build and update, queries, snippets |
//! | [`layout`] | an article as rows of text (the reader and `dubao show`) |
//! | [`app`] | all state of the reader and the keys that change it |
//! | [`ui`] | pure draw functions of that state |
//! | [`config`] | the config file and where things are kept |
//! | [`tui`] | the terminal, the event loop and its worker threads |
//!
//! The command line (clap) lives in the binary (`src/cli/`), on top of all of them.

#![deny(unsafe_code)]
#![warn(clippy::unwrap_used)]

pub mod app;
pub mod archive;
pub mod config;
pub mod index;
pub mod layout;
#[cfg(feature = "bench")]
pub mod synth;
pub mod text;
pub mod tui;
pub mod ui;
pub(crate) mod work;
