//! The integration tests, gathered into one test binary (as ripgrep does): each module
//! is what used to be a binary of its own, and they share `util`. One binary links
//! tantivy and ratatui once instead of sixteen times.

mod util;

mod cli;
mod config;
mod decode;
mod discover;
mod e2e_tmux;
mod faults;
mod forms;
mod fuzz;
mod layouts;
mod pages_corpus;
mod papers;
mod pdf;
mod samples;
mod sanitize;
mod search;
mod shape;
mod torture;
mod tui_bytes;
mod tui_keys;
mod tui_screens;
mod wrap_props;
