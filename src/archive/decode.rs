//! Bytes to clean text: encoding detection, line endings, control characters.

/// Decode a file's bytes to text with `\n` line endings and no control characters or
/// escape sequences. `Err` carries the reason the file can't be read as text.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    let s = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())?;
    let s = s.strip_prefix('\u{feff}').unwrap_or(s);
    Ok(crate::text::sanitize::sanitize(
        &s.replace("\r\n", "\n").replace('\r', "\n"),
    ))
}
