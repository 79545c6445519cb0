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
    if !any_needs_work(s) {
        return s.to_string();
    }
    sanitize_work(s)
}

/// [`sanitize`] of text already owned: returned as it is when it is clean (the
/// common case: no copy).
pub(crate) fn sanitize_owned(s: String) -> String {
    if !any_needs_work(&s) {
        return s;
    }
    sanitize_work(&s)
}

/// Does any character need anything other than copying? Read a character at a time
/// by its lead byte's [`Lead`] class: every file's every character is asked. Only a
/// few lead bytes can start a character [`needs_work`] holds; the two a Chinese text
/// is full of (`E2 80` quotes and dashes, `EF BC` fullwidth punctuation) are answered
/// from their bytes.
fn any_needs_work(s: &str) -> bool {
    let b = s.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while i < b.len() {
        match LEADS[b[i] as usize] {
            Lead::Skip(n) => i += n as usize,
            Lead::Control => return true,
            // General punctuation U+2000..U+207F: the listed spaces, marks, separators
            // and bidi controls.
            Lead::E2 => {
                let work = match at(i + 1) {
                    0x80 => matches!(at(i + 2), 0x8B | 0x8E | 0x8F | 0xA8..=0xAE),
                    0x81 => matches!(at(i + 2), 0xA0..=0xA4 | 0xA6..=0xAF),
                    _ => false,
                };
                if work {
                    return true;
                }
                i += 3;
            }
            // U+FEFF `EF BB BF` and U+FFF9..U+FFFB `EF BF B9..BB`.
            Lead::Ef => {
                let work = match at(i + 1) {
                    0xBB => at(i + 2) == 0xBF,
                    0xBF => matches!(at(i + 2), 0xB9..=0xBB),
                    _ => false,
                };
                if work {
                    return true;
                }
                i += 3;
            }
            Lead::Decode => {
                let c = s[i..].chars().next().expect("i is at a character's start");
                if needs_work(c) {
                    return true;
                }
                i += c.len_utf8();
            }
        }
    }
    false
}

/// What a byte that starts a character says of it, for [`any_needs_work`].
#[derive(Clone, Copy)]
enum Lead {
    /// Needs no work: skip this many bytes.
    Skip(u8),
    /// A C0 control (other than `\n`) or DEL.
    Control,
    E2,
    Ef,
    /// May need work: decode the character and ask [`needs_work`] (C1 controls and
    /// U+00AD `C2`, Arabic `D8`..`DC`, `E0`, `E1`, the planes above `F0`..).
    Decode,
}

static LEADS: [Lead; 256] = {
    let mut t = [Lead::Skip(1); 256];
    let mut x = 0;
    while x < 256 {
        t[x] = match x as u8 {
            b'\n' => Lead::Skip(1),
            0x00..0x20 | 0x7F => Lead::Control,
            0xC2 | 0xD8..=0xDC | 0xE0 | 0xE1 | 0xF0.. => Lead::Decode,
            0xE2 => Lead::E2,
            0xEF => Lead::Ef,
            0xC0..0xE0 => Lead::Skip(2),
            0xE0..0xF0 => Lead::Skip(3),
            _ => Lead::Skip(1),
        };
        x += 1;
    }
    t
};

fn sanitize_work(s: &str) -> String {
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

    /// The byte-level scan finds every character that needs work, wherever it stands
    /// among characters of every length, and nothing else.
    #[test]
    fn the_byte_scan_agrees_with_the_character_test() {
        let mut s = String::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            s.clear();
            s.extend(['a', 'é', '中', c, '😀', 'b']);
            assert_eq!(any_needs_work(&s), needs_work(c), "{c:?}");
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
