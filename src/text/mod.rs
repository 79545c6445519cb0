//! Text primitives shared by everything that shows or reads text: script classes,
//! markup, display width, sanitising, and the one wrapping routine with Chinese
//! line-breaking rules. Knows nothing of articles, the index or the terminal.

pub(crate) mod join;
pub(crate) mod markup;
pub mod sanitize;
pub mod script;
pub(crate) mod width;
pub(crate) mod wrap;

pub use width::{grapheme_width, pad_to, str_width, truncate_to};
pub use wrap::{Row, wrap};
