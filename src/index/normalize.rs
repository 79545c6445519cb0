//! Normalisation shared by indexing, querying and highlighting: NFKC, lower case,
//! Traditional → Simplified (character by character), `<sub>`/`_{}` markup unwrapped.
//!
//! Every normalised character remembers the byte range of the original text it came
//! from, so a match found in normalised text can be highlighted in the displayed text.
//!
//! Indexing normalises every field of every article, so the common case is one table
//! look-up per character ([`normalize_table`], compiled in by build.rs); the Unicode
//! and fast2s machinery only runs for the rare characters the table can't answer alone.

use super::normalize_table::{CONTEXT_DEPENDENT, SLOW, nfkc_lower};

/// Normalised text with a map back to the original.
#[derive(Clone, Debug, Default)]
pub(crate) struct Normalized {
    /// The normalised characters.
    pub(crate) chars: Vec<char>,
    /// For each normalised character, the byte range in the original text it came from.
    pub(crate) orig: Vec<(usize, usize)>,
}

impl Normalized {
    pub(crate) fn as_string(&self) -> String {
        self.chars.iter().collect()
    }
}

/// Normalise `text` (see the module documentation).
pub(crate) fn normalize(text: &str) -> Normalized {
    let mut out = Normalized::default();
    normalize_into(text, &mut out);
    out
}

/// [`normalize`] into `out`, reusing its buffers (the indexer calls this for every
/// field of every article).
pub(crate) fn normalize_into(text: &str, out: &mut Normalized) {
    out.chars.clear();
    out.orig.clear();
    out.chars.reserve(text.len() / 2);
    out.orig.reserve(text.len() / 2);
    // Where characters whose Traditional → Simplified conversion depends on their
    // neighbours stand (rare): converted at the end, once the neighbours are known.
    let mut with_context: Vec<usize> = Vec::new();
    for (c, span) in crate::text::markup::visible_chars(text) {
        let span = (span.start, span.end);
        if c.is_ascii() {
            out.chars.push(c.to_ascii_lowercase());
            out.orig.push(span);
            continue;
        }
        match table_get(c as u32) {
            Some(m) if m != SLOW => {
                out.chars.push(m);
                out.orig.push(span);
            }
            _ => {
                for d in nfkc_lower(c) {
                    if CONTEXT_DEPENDENT.contains(&d) {
                        with_context.push(out.chars.len());
                    }
                    let d = match table_get(d as u32) {
                        Some(m) if m != SLOW => m,
                        _ => d,
                    };
                    out.chars.push(d);
                    out.orig.push(span);
                }
            }
        }
    }
    let mut converted = Vec::with_capacity(with_context.len());
    for &i in &with_context {
        // fast2s looks at the characters on either side as they were before conversion.
        let mut window = String::new();
        if i > 0 {
            window.extend(unconverted(text, out, i - 1));
        }
        window.push(out.chars[i]);
        if i + 1 < out.chars.len() {
            window.extend(unconverted(text, out, i + 1));
        }
        let c = fast2s::convert(&window)
            .chars()
            .nth(usize::from(i > 0))
            .unwrap_or(out.chars[i]);
        converted.push(c);
    }
    for (&i, c) in with_context.iter().zip(converted) {
        out.chars[i] = c;
    }
}

/// The `i`th normalised character before Traditional → Simplified conversion, found
/// again from the original text.
fn unconverted(text: &str, norm: &Normalized, i: usize) -> Option<char> {
    let span = norm.orig[i];
    // Which of the characters its original character expands to.
    let nth = norm.orig[..i]
        .iter()
        .rev()
        .take_while(|s| **s == span)
        .count();
    let original = text.get(span.0..span.1)?.chars().next()?;
    nfkc_lower(original).nth(nth)
}

/// The table of [`compute_table`](super::normalize_table::compute_table) as build.rs wrote it: a `u32`
/// little-endian per character of the Basic Multilingual Plane.
static TABLE_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/normalize_table.bin"));

/// What the table says for `c` (`None` outside the plane; [`SLOW`] for the slow path).
#[inline]
fn table_get(c: u32) -> Option<char> {
    let at = c as usize * 4;
    let b = TABLE_BYTES.get(at..at + 4)?;
    char::from_u32(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The normalised form of `c` when one look-up gives it (ASCII and nearly every Chinese
/// character); `None` when it takes the slow path (and may become something else, or
/// several characters, or depend on its neighbours).
#[inline]
pub(crate) fn quick(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    table_get(c as u32).filter(|&m| m != SLOW)
}

/// Nothing to load any more: the table is compiled in. Kept for callers that warm up.
pub(crate) fn preload() {}

/// The reference normalisation: NFKC and lower case character by character, then
/// fast2s over the whole text so that its context rules apply.
#[cfg(test)]
fn normalize_with_context(text: &str, out: &mut Normalized) {
    out.chars.clear();
    out.orig.clear();
    for (c, span) in crate::text::markup::visible_chars(text) {
        for d in nfkc_lower(c) {
            out.chars.push(d);
            out.orig.push((span.start, span.end));
        }
    }
    to_simplified(&mut out.chars);
}

/// Traditional → Simplified, one character for one character (fast2s keeps the count).
#[cfg(test)]
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
pub(crate) fn normalize_str(text: &str) -> String {
    normalize(text).as_string()
}

#[cfg(test)]
mod tests {
    /// The table build.rs compiled in is the one the code computes now.
    #[test]
    fn compiled_table_is_current() {
        let fresh = crate::index::normalize_table::compute_table();
        for (code, &want) in fresh.iter().enumerate() {
            assert_eq!(table_get(code as u32), Some(want), "U+{code:04X}");
        }
    }

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

    /// The table gives what the reference (character by character, then fast2s over
    /// the whole text) gives, on the samples, on tricky strings and on every character.
    #[test]
    fn fast_path_matches_reference() {
        let mut texts: Vec<String> = crate::archive::samples::SAMPLES
            .iter()
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect();
        texts
            .push("ＰＭ２．５，ＡＢＣ　「環境」ﬁ①㍿ Ⅻ ß İ ½ ＿{x} 看著 批覆 計畫 憑藉 乾隆".into());
        texts.push("環境保護與經濟發展，於是乎".into());
        // Context-dependent characters at the ends, next to each other, next to
        // characters that expand (ﬁ, ㍿) or are converted themselves.
        texts.push("著名顯著看著 批覆覆 ﬁ著㍿ 答覆 回覆答 乾乾隆 瞭望 計畫企畫 著".into());
        for special in CONTEXT_DEPENDENT {
            for other in ['看', '計', '畫', '乾', 'Ａ', 'ﬁ', '㍿'] {
                texts.push(format!("{special}{other}"));
                texts.push(format!("{other}{special}"));
                texts.push(format!("{other}{special}{other}"));
            }
        }
        texts.push((0x80..0x10000u32).filter_map(char::from_u32).collect());
        texts.push(
            (0x80..0x10000u32)
                .filter_map(char::from_u32)
                .rev()
                .collect(),
        );
        for text in &texts {
            let fast = normalize(text);
            let mut reference = Normalized::default();
            normalize_with_context(text, &mut reference);
            assert_eq!(fast.chars, reference.chars);
            assert_eq!(fast.orig, reference.orig);
        }
    }

    #[test]
    fn context_rules_still_apply() {
        assert_eq!(normalize_str("看著"), "看着");
        assert_eq!(normalize_str("著作"), "著作");
        assert_eq!(normalize_str("計畫"), "计划");
    }
}
