//! Text primitives shared by everything that shows text: display width, sanitising,
//! and the one wrapping routine with Chinese line-breaking rules.

pub mod sanitize;
pub mod width;
pub mod wrap;

pub use width::{grapheme_width, pad_to, str_width, truncate_to};
pub use wrap::{Row, wrap};
