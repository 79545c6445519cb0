//! Text primitives shared by everything that shows or reads text: script classes,
//! markup, display width, sanitising, and the one wrapping routine with Chinese
//! line-breaking rules. Knows nothing of articles, the index or the terminal.

pub mod join;
pub mod markup;
pub mod sanitize;
pub mod script;
pub mod width;
pub mod wrap;

pub use width::{grapheme_width, pad_to, str_width, truncate_to};
pub use wrap::{Row, wrap};
