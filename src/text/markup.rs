//! Markup that only changes how a run of text is drawn: sub- and superscripts, written
//! `<sub>…</sub>` / `<sup>…</sup>` or TeX-style `_{…}` / `^{…}` (`PM<sub>2.5</sub>`,
//! `PM_{2.5}`). The one owner of the rule: the archive strips it for display and the
//! index strips it while keeping offsets, so a highlight always lands on shown text.

use std::ops::Range;

const TAGS: &[&str] = &["<sub>", "</sub>", "<sup>", "</sup>"];

/// Longest TeX-style group (`_{…}`), in bytes: a longer one is text, not a subscript.
const MAX_GROUP: usize = 24;

/// Each character that markup leaves, with the byte range of `text` it stands on.
pub(crate) fn visible_chars(text: &str) -> impl Iterator<Item = (char, Range<usize>)> + '_ {
    // Most text has no markup at all: then every character, read in one sweep (the
    // indexer asks this of every field of every article).
    let plain = !text.contains('<') && !text.contains("_{") && !text.contains("^{");
    let (all, marked) = if plain {
        (Some(text.char_indices()), None)
    } else {
        (None, Some(marked_chars(text)))
    };
    let all = all
        .into_iter()
        .flatten()
        .map(|(i, c)| (c, i..i + c.len_utf8()));
    all.chain(marked.into_iter().flatten())
}

/// [`visible_chars`] of a text that may hold markup.
fn marked_chars(text: &str) -> impl Iterator<Item = (char, Range<usize>)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    // Where the `}` closing the open group is.
    let mut group_end: Option<usize> = None;
    std::iter::from_fn(move || {
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
            if group_end.is_none()
                && (b == b'_' || b == b'^')
                && bytes.get(i + 1) == Some(&b'{')
                && let Some(close) = closing_brace(&text[i + 2..])
            {
                group_end = Some(i + 2 + close);
                i += 2;
                continue;
            }
            if group_end == Some(i) {
                group_end = None;
                i += 1;
                continue;
            }
            let c = text[i..].chars().next()?;
            let start = i;
            i += c.len_utf8();
            return Some((c, start..i));
        }
        None
    })
}

/// The byte offset of the `}` that closes a group opened just before `rest`: near, on
/// the same line, with no other brace before it.
fn closing_brace(rest: &str) -> Option<usize> {
    let window = &rest.as_bytes()[..rest.len().min(MAX_GROUP + 1)];
    let at = window
        .iter()
        .position(|&b| matches!(b, b'}' | b'{' | b'\n'))?;
    (window[at] == b'}' && at > 0).then_some(at)
}

/// `text` without its markup (see the module documentation).
pub(crate) fn strip(text: &str) -> String {
    if !text.contains(['<', '{']) {
        return text.to_string();
    }
    visible_chars(text).map(|(c, _)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_stripped() {
        assert_eq!(strip("PM_{2.5}、PM_{10}"), "PM2.5、PM10");
        assert_eq!(strip("PM<sub>2.5</sub>和CO<SUB>2</SUB>"), "PM2.5和CO2");
        assert_eq!(strip("x^{2}"), "x2");
        assert_eq!(strip("a_{b"), "a_{b");
        assert_eq!(strip("a_{}"), "a_{}");
        assert_eq!(strip("a < b > c"), "a < b > c");
        let long = format!("a_{{{}}}", "x".repeat(40));
        assert_eq!(strip(&long), long, "a long group is text");
    }

    #[test]
    fn spans_point_at_the_original() {
        let t = "PM<sub>2.5</sub>值";
        let v: Vec<(char, &str)> = visible_chars(t).map(|(c, r)| (c, &t[r])).collect();
        assert_eq!(
            v,
            vec![
                ('P', "P"),
                ('M', "M"),
                ('2', "2"),
                ('.', "."),
                ('5', "5"),
                ('值', "值")
            ]
        );
        // Text with no markup: each character on its own bytes.
        let t = "焦作 PM2.5，a_b^c";
        let v: Vec<String> = visible_chars(t).map(|(_, r)| t[r].to_string()).collect();
        let each: Vec<String> = t.chars().map(String::from).collect();
        assert_eq!(v, each);
    }
}
