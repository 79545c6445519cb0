//! Normalisation shared by indexing, querying and highlighting: NFKC, lower case,
//! Traditional → Simplified (character by character), `<sub>`/`_{}` markup unwrapped.
//!
//! Every normalised character remembers the byte range of the original text it came
//! from, so a match found in normalised text can be highlighted in the displayed text.

use unicode_normalization::UnicodeNormalization;

/// Normalised text with a map back to the original.
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    /// The normalised characters.
    pub chars: Vec<char>,
    /// For each normalised character, the byte range in the original text it came from.
    pub orig: Vec<(usize, usize)>,
}

impl Normalized {
    pub fn as_string(&self) -> String {
        self.chars.iter().collect()
    }
}

/// Markup that only changes how a run of text is drawn (`PM<sub>2.5</sub>`): dropped so
/// that `PM2.5` is found whichever way it was written.
const TAGS: &[&str] = &["<sub>", "</sub>", "<sup>", "</sup>"];

/// Normalise `text` (see the module documentation).
pub fn normalize(text: &str) -> Normalized {
    let mut chars = Vec::with_capacity(text.len() / 2);
    let mut orig = Vec::with_capacity(text.len() / 2);
    // `_{` / `^{` groups still open: their closing `}` is dropped.
    let mut open_groups = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let b = bytes[i];
        if b == b'<'
            && let Some(t) = TAGS.iter().find(|t| {
                bytes.len() >= i + t.len()
                    && bytes[i..i + t.len()].eq_ignore_ascii_case(t.as_bytes())
            })
        {
            i += t.len();
            continue;
        }
        if (b == b'_' || b == b'^') && bytes.get(i + 1) == Some(&b'{') {
            open_groups += 1;
            i += 2;
            continue;
        }
        if b == b'}' && open_groups > 0 {
            open_groups -= 1;
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or('\u{fffd}');
        let end = i + c.len_utf8();
        push_char(c, (i, end), &mut chars, &mut orig);
        i = end;
    }
    to_simplified(&mut chars);
    Normalized { chars, orig }
}

fn push_char(c: char, span: (usize, usize), chars: &mut Vec<char>, orig: &mut Vec<(usize, usize)>) {
    if c.is_ascii() {
        chars.push(c.to_ascii_lowercase());
        orig.push(span);
    } else if ('\u{4e00}'..='\u{9fff}').contains(&c) {
        // Unified ideographs are NFKC-stable and have no case: the common path.
        chars.push(c);
        orig.push(span);
    } else {
        for d in std::iter::once(c).nfkc() {
            for l in d.to_lowercase() {
                chars.push(l);
                orig.push(span);
            }
        }
    }
}

/// Traditional → Simplified, one character for one character (fast2s keeps the count).
fn to_simplified(chars: &mut [char]) {
    if !chars.iter().any(|c| c.len_utf8() == 3) {
        return;
    }
    let s: String = chars.iter().collect();
    let converted = fast2s::convert(&s);
    if converted.chars().count() == chars.len() {
        for (slot, c) in chars.iter_mut().zip(converted.chars()) {
            *slot = c;
        }
    }
}

/// Normalise a short string (a query word) to a plain `String`.
pub fn normalize_str(text: &str) -> String {
    normalize(text).as_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_markup() {
        assert_eq!(normalize_str("ＰＭ２．５"), "pm2.5");
        assert_eq!(normalize_str("PM<sub>2.5</sub>"), "pm2.5");
        assert_eq!(normalize_str("PM_{2.5}"), "pm2.5");
        assert_eq!(normalize_str("CO₂"), "co2");
        assert_eq!(normalize_str("環境保護"), "环境保护");
    }

    #[test]
    fn offsets_point_into_original() {
        let text = "Ａ<sub>環</sub>x";
        let n = normalize(text);
        assert_eq!(n.as_string(), "a环x");
        let (s, e) = n.orig[1];
        assert_eq!(&text[s..e], "環");
    }
}
