//! Pure draw functions. (Placeholder.)
