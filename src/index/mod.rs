//! The full-text index (tantivy): schema, analyzers, build and update with a manifest,
//! query building, snippets. Knows nothing of the terminal. (Placeholder.)

pub mod cli;
