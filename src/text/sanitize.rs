//! Text from files never reaches the terminal raw.
//!
//! One linear pass over the characters, no backtracking:
//!
//! - `\n` kept; `\r\n` and a lone `\r` become `\n`; U+2028/U+2029 become `\n`; tab → one space.
//! - Escape sequences are removed whole, so their parameters do not show up as garbage:
//!   CSI `ESC [ params intermediates final` (and 8-bit CSI U+009B), OSC `ESC ] … (BEL | ST)`,
//!   DCS/SOS/PM/APC `ESC P/X/^/_ … ST`, and short `ESC intermediates final` sequences.
//!   A string sequence (OSC and friends) also ends at a newline, at another ESC, or after
//!   [`MAX_STRING_SEQUENCE`] characters, so an unterminated one cannot eat the rest of a file.
//! - Every other C0 control, DEL and C1 control (U+0080..U+009F) is dropped.
//! - Bidi embeddings/overrides/isolates and marks, and invisible format characters that
//!   terminals disagree about (soft hyphen, ZWSP, word joiner, BOM, …), are dropped.
//!   ZWJ/ZWNJ, variation selectors and emoji tag characters stay: emoji sequences need them.

/// Longest OSC/DCS/SOS/PM/APC body we swallow before giving up on finding its terminator.
pub const MAX_STRING_SEQUENCE: usize = 4096;

/// Longest CSI parameter/intermediate run we accept before deciding it is not a sequence.
const MAX_CSI: usize = 256;

const ESC: char = '\u{1B}';
const BEL: char = '\u{07}';
const ST8: char = '\u{9C}';
const CSI8: char = '\u{9B}';

/// Remove control characters and escape sequences; keep `\n`; tabs become a space.
pub fn sanitize(s: &str) -> String {
    if !s.chars().any(needs_work) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\u{2028}' | '\u{2029}' => out.push('\n'),
            ESC => skip_escape(&mut chars),
            CSI8 => skip_csi_body(&mut chars),
            c if c.is_control() => {}
            c if is_unsafe_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Does this character need anything other than copying?
fn needs_work(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{2028}' | '\u{2029}') || is_unsafe_format(c)
}

/// Invisible format characters (general category Cf) that reorder text or that terminals
/// measure differently. Keeps ZWNJ/ZWJ (U+200C/D), variation selectors and tag characters.
/// Public so text that is not sanitised whole (file names) can mask the same characters.
pub fn is_unsafe_format(c: char) -> bool {
    // Most characters of a Chinese text are ASCII or Han: answered by one comparison
    // each (every file's every character is asked).
    !(c < '\u{00AD}' || ('\u{2070}'..'\u{FEFF}').contains(&c)) && listed_format(c)
}

/// The characters of [`is_unsafe_format`].
fn listed_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                      // soft hyphen
        | '\u{061C}'                    // Arabic letter mark
        | '\u{0600}'..='\u{0605}'       // prepended concatenation marks
        | '\u{06DD}' | '\u{070F}' | '\u{0890}' | '\u{0891}' | '\u{08E2}'
        | '\u{180E}'                    // Mongolian vowel separator
        | '\u{200B}'                    // zero width space
        | '\u{200E}' | '\u{200F}'       // LRM, RLM
        | '\u{202A}'..='\u{202E}'       // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}'       // word joiner, invisible operators
        | '\u{2066}'..='\u{206F}'       // bidi isolates, deprecated format controls
        | '\u{FEFF}'                    // BOM / zero width no-break space
        | '\u{FFF9}'..='\u{FFFB}'       // interlinear annotation
        | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}'                   // language tag (deprecated)
    )
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Called just after an ESC: swallow the rest of the sequence.
fn skip_escape(chars: &mut Chars) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi_body(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string_body(chars);
        }
        Some('\u{20}'..='\u{2F}') => {
            // nF sequence: intermediates, then one final byte (e.g. `ESC ( B`).
            while let Some(&c) = chars.peek() {
                match c {
                    '\u{20}'..='\u{2F}' => {
                        chars.next();
                    }
                    '\u{30}'..='\u{7E}' => {
                        chars.next();
                        break;
                    }
                    _ => break,
                }
            }
        }
        Some('\u{30}'..='\u{7E}') => {
            // Two-character sequence: ESC 7, ESC c, ESC =, …
            chars.next();
        }
        // A lone ESC before anything else (text, a newline, the end): drop just the ESC.
        _ => {}
    }
}

/// After `ESC [` or U+009B: parameter bytes, intermediate bytes, one final byte. Anything
/// else ends the sequence without being eaten, so text after a broken sequence survives.
fn skip_csi_body(chars: &mut Chars) {
    let mut taken = 0;
    while let Some(&c) = chars.peek() {
        match c {
            '\u{30}'..='\u{3F}' | '\u{20}'..='\u{2F}' if taken < MAX_CSI => {
                chars.next();
                taken += 1;
            }
            '\u{40}'..='\u{7E}' => {
                chars.next();
                return;
            }
            _ => return,
        }
    }
}

/// After `ESC ]`, `ESC P` and friends: the body up to BEL or ST (`ESC \` or U+009C).
/// Also ends (keeping what follows) at a newline, at an ESC that does not start ST, or
/// after [`MAX_STRING_SEQUENCE`] characters.
fn skip_string_body(chars: &mut Chars) {
    let mut taken = 0;
    while let Some(&c) = chars.peek() {
        match c {
            BEL | ST8 => {
                chars.next();
                return;
            }
            ESC => {
                // `ESC \` is the terminator; any other ESC starts a new sequence, which the
                // caller's loop handles (no recursion, so no deep stacks on hostile input).
                let mut ahead = chars.clone();
                ahead.next();
                if ahead.peek() == Some(&'\\') {
                    chars.next();
                    chars.next();
                }
                return;
            }
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => return,
            _ if taken >= MAX_STRING_SEQUENCE => return,
            _ => {
                chars.next();
                taken += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The short cut for ASCII and Han passes over none of the listed characters.
    #[test]
    fn the_short_cut_agrees_with_the_list() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_unsafe_format(c), listed_format(c), "{c:?}");
        }
    }

    #[test]
    fn clean_text_is_unchanged() {
        let s = "焦作 2018年 PM2.5 👨\u{200D}👩\u{200D}👧 ❤\u{FE0F}\n下一段";
        assert_eq!(sanitize(s), s);
    }

    #[test]
    fn sequences_removed_whole() {
        assert_eq!(sanitize("a\x1b[1;31mred\x1b[0m"), "ared");
        assert_eq!(sanitize("a\x1b]0;title\x07b"), "ab");
        assert_eq!(
            sanitize("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"),
            "alink"
        );
        assert_eq!(sanitize("a\x1b(Bb\x1b7c"), "abc");
        assert_eq!(sanitize("a\u{9b}2Jb"), "ab");
    }
}
