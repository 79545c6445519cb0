//! Bytes to clean text: encoding detection, line endings, control characters.
//!
//! Issue files come from many tools and many years: UTF-8 (with or without a BOM),
//! UTF-16 from Windows editors, GBK/GB18030 and Big5 from older Chinese software. We
//! pick the encoding from the BOM, then from the shape of the bytes, then with
//! `chardetng` (the detector Firefox uses), and refuse files that are not text at all
//! rather than showing garbage. Every step is a single pass over the bytes, so a
//! 100 MB file or a 10 MB single line costs only a few passes of memory bandwidth.

use super::ReadError;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

/// How much of a file the encoding detector looks at: enough text for a confident
/// guess, and it keeps detection cheap on huge files.
const DETECT_PREFIX: usize = 1 << 20;
/// How much of a file the BOM-less UTF-16 check looks at.
const UTF16_PROBE: usize = 64 * 1024;

/// Decode a file's bytes to text with `\n` line endings and no control characters or
/// escape sequences. `Err` carries the reason the file can't be read as text.
pub fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    decode_counted(bytes).map(|(text, _)| text)
}

/// Glyphs a PDF extractor could not map to Unicode: a NUL byte, `(cid:123)` or a
/// private-use code point each, removed; U+FFFD, kept as the mark it is. The page is still read; the
/// count becomes one warning for the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Debris {
    pub nul: usize,
    pub cid: usize,
    pub replacement: usize,
    pub private_use: usize,
}

impl Debris {
    pub fn total(&self) -> usize {
        self.nul + self.cid + self.replacement + self.private_use
    }

    /// The warning's reason, `None` when nothing was removed.
    pub fn note(&self) -> Option<String> {
        if self.total() == 0 {
            return None;
        }
        let parts: Vec<String> = [
            (self.nul, "NUL"),
            (self.cid, "(cid:N)"),
            (self.replacement, "U+FFFD"),
            (self.private_use, "private-use"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        Some(format!(
            "read, with {} unmapped glyphs removed or marked ({})",
            self.total(),
            parts.join(", ")
        ))
    }
}

/// A file with more NUL bytes than one in this many is binary, not a page with a few
/// unmapped glyphs (pdfminer writes one NUL per glyph it cannot map: tens in a page).
const NUL_SHARE: usize = 50;

/// [`decode`], also removing extractor debris (see [`Debris`]) and saying how much.
pub fn decode_counted(bytes: &[u8]) -> Result<(String, Debris), ReadError> {
    decode_part(bytes, bytes)
}

/// [`decode_counted`] of what was appended to a file (`whole` from byte `from` on): a
/// legacy encoding is the one guessed from the whole file, not from a few new lines
/// that could pass for another (`學校` alone reads as Big5 as well as GBK).
pub(crate) fn decode_appended(whole: &[u8], from: usize) -> Result<(String, Debris), ReadError> {
    decode_part(&whole[from.min(whole.len())..], whole)
}

/// Decode `bytes`, guessing a legacy encoding from `sample` (the file they are of).
fn decode_part(bytes: &[u8], sample: &[u8]) -> Result<(String, Debris), ReadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    let mut debris = Debris::default();
    let raw = to_unicode(bytes, sample, &mut debris)?;
    if looks_binary(&raw) {
        return Err(if debris.nul > 0 {
            ReadError::BinaryNul
        } else {
            ReadError::BinaryControl
        });
    }
    // Debris first: the sanitizer would take NULs for any other control character.
    let text = strip_debris(normalize_newlines(raw), &mut debris);
    let text = crate::text::sanitize::sanitize_owned(text);
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    Ok((text, debris))
}

/// A code point an extractor writes for a glyph it could not map.
pub(crate) fn is_debris_char(c: char) -> bool {
    matches!(c, '\u{FFFD}' | '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}')
}

/// A byte-level test for [`is_debris_char`], cheaper than decoding every character:
/// private use U+E000..U+F8FF is `EE ..` or `EF 80..A3`, U+FFFD `EF BF BD`, planes 15
/// and 16 `F3`/`F4`. (Fullwidth punctuation, `EF BC ..`, is in every Chinese page.)
fn may_hold_debris_char(b: &[u8]) -> bool {
    let mut i = 0;
    // Jump from lead byte to lead byte of EE and above (a search that vectorises).
    while let Some(k) = b[i..].iter().position(|&x| x >= 0xEE) {
        let j = i + k;
        let hit = match b[j] {
            0xEE | 0xF3 | 0xF4 => true,
            0xEF => match b.get(j + 1) {
                Some(&n) if n <= 0xA3 => true,
                Some(&0xBF) => b.get(j + 2) == Some(&0xBD),
                _ => false,
            },
            _ => false,
        };
        if hit {
            return true;
        }
        i = j + 1;
    }
    false
}

/// Remove NULs, `(cid:N)` and private-use code points, and count them and U+FFFD (kept: it
/// already shows a character was lost). A run of such glyphs standing alone between
/// spaces or line ends (a headline set in a face with no Unicode map) becomes one
/// U+FFFD, padded with spaces to the run's length: the reader shows that a line was
/// lost, the page reader still sees a headline there rather than a blank line, and
/// the columns of `pdftotext -layout` keep their offsets.
fn strip_debris(text: String, debris: &mut Debris) -> String {
    let ascii_debris = text.contains("(cid:") || text.contains('\0');
    if !ascii_debris && !may_hold_debris_char(text.as_bytes()) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    // Where the run of removed glyphs being read began in `out`, and its length in
    // characters; `None` when the last character kept was not a space or line start.
    let mut run: Option<(usize, usize)> = Some((0, 0));
    let end_run = |out: &mut String, run: Option<(usize, usize)>| {
        if let Some((at, n)) = run.filter(|&(_, n)| n >= MIN_LOST_RUN) {
            out.truncate(at);
            out.push('\u{FFFD}');
            out.extend(std::iter::repeat_n(' ', n - 1));
        }
    };
    while let Some(c) = rest.chars().next() {
        if let Some(len) = debris_len(rest) {
            match c {
                '(' => debris.cid += 1,
                '\0' => debris.nul += 1,
                _ => debris.private_use += 1,
            }
            run = run.map(|(at, n)| (at, n + 1));
            rest = &rest[len..];
            continue;
        }
        if c.is_whitespace() {
            end_run(&mut out, run);
            run = Some((out.len() + c.len_utf8(), 0));
        } else {
            run = None;
        }
        if c == '\u{FFFD}' {
            // Already a visible mark of a lost character: kept, counted.
            debris.replacement += 1;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    end_run(&mut out, run);
    out
}

/// Glyphs lost in a row, alone between spaces, for the run to be marked (one stray
/// glyph is no headline).
const MIN_LOST_RUN: usize = 2;

/// The byte length of the unmapped glyph `rest` starts with: a NUL, `(cid:N)` or a
/// private-use code point.
fn debris_len(rest: &str) -> Option<usize> {
    if let Some(code) = rest.strip_prefix("(cid:") {
        let digits = code.bytes().take_while(u8::is_ascii_digit).count();
        return (digits > 0 && code[digits..].starts_with(')')).then_some(5 + digits + 1);
    }
    let c = rest.chars().next()?;
    (c == '\0' || c != '\u{FFFD}' && is_debris_char(c)).then(|| c.len_utf8())
}

/// The bytes as Unicode, with the BOM (if any) removed; line endings untouched.
fn to_unicode(bytes: &[u8], sample: &[u8], debris: &mut Debris) -> Result<String, ReadError> {
    // UTF-32 LE starts with FF FE 00 00 too, but nobody writes newspapers in it; a
    // file like that fails the UTF-16 decode below as "mostly NUL characters".
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, UTF_16LE).ok_or(ReadError::Undecodable);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, UTF_16BE).ok_or(ReadError::Undecodable);
    }
    if let Some(text) = bomless_utf16(bytes) {
        return Ok(text);
    }
    let nuls = count_nul(bytes);
    if nuls > 0 {
        // A few NULs are glyphs an extractor could not map; many mean a binary file.
        if nuls.saturating_mul(NUL_SHARE) > bytes.len() {
            return Err(ReadError::BinaryNul);
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        // UTF-8 holds NULs as they are: removed (and counted) with the other debris,
        // where a line of them is marked as lost.
        if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
            return Ok(text.to_string());
        }
        debris.nul = nuls;
        let kept: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
        let kept = kept.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&kept);
        return utf8(kept)
            .or_else(|| legacy(kept, kept))
            .ok_or(ReadError::BinaryNul);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest).ok_or(ReadError::Undecodable);
    }
    if let Some(text) = utf8(bytes) {
        return Ok(text);
    }
    legacy(bytes, sample).ok_or(ReadError::Undecodable)
}

/// UTF-8, allowing a handful of broken sequences (a damaged byte, a file cut off in
/// the middle of a character) that become U+FFFD.
fn utf8(bytes: &[u8]) -> Option<String> {
    // The check that passes nearly every file, with SIMD (std's is a byte loop, slow
    // on CJK text); std's says where a file that fails it breaks.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Some(s.to_string());
    }
    // Cut off inside the last character: drop the partial character.
    if let Err(e) = std::str::from_utf8(bytes)
        && e.error_len().is_none()
    {
        let valid = &bytes[..e.valid_up_to()];
        return std::str::from_utf8(valid).ok().map(str::to_string);
    }
    // Count damaged places, not bytes: one broken character yields a run of invalid
    // chunks with nothing valid between them.
    let mut bad = 0usize;
    let mut chars = 0usize;
    let mut in_damage = false;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid().chars().count();
        chars += valid;
        if valid > 0 {
            in_damage = false;
        }
        if !chunk.invalid().is_empty() && !in_damage {
            bad += 1;
            in_damage = true;
        }
    }
    few_errors(bad, chars).then(|| String::from_utf8_lossy(bytes).into_owned())
}

/// UTF-16 in the given byte order; `None` when more than a few code units are broken.
fn utf16(bytes: &[u8], encoding: &'static Encoding) -> Option<String> {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
    let chars = text.chars().count();
    few_errors(bad, chars).then(|| text.into_owned())
}

/// A legacy (non-Unicode) encoding guessed by chardetng: GBK/GB18030, Big5, and the
/// rest of what browsers know, from `sample` (`bytes` or the file they are part of).
fn legacy(bytes: &[u8], sample: &[u8]) -> Option<String> {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let whole = sample.len() <= DETECT_PREFIX;
    detector.feed(&sample[..sample.len().min(DETECT_PREFIX)], whole);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _, _) = encoding.decode(bytes);
    let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
    let chars = text.chars().count();
    few_errors(bad, chars).then(|| text.into_owned())
}

/// "A few" broken characters: at most one in 500, so a damaged byte in a long page is
/// forgiven but a file in the wrong encoding is not.
fn few_errors(bad: usize, chars: usize) -> bool {
    bad == 0 || bad.saturating_mul(500) <= chars
}

/// UTF-16 without a BOM: NUL bytes (the high half of ASCII characters such as
/// newlines and digits) in at least 1% of one byte position. Common Han characters
/// have a zero low byte too (一 U+4E00, 开 U+5F00, 最 U+6700, 需 U+9700), so prose with
/// few ASCII characters has NULs in both positions: rather than demand a clear majority,
/// try the byte order most NULs point to, then the other, and keep the one that reads
/// as plausible text.
fn bomless_utf16(bytes: &[u8]) -> Option<String> {
    let probe = &bytes[..bytes.len().min(UTF16_PROBE) & !1];
    let pairs = probe.len() / 2;
    // No NUL at all (a fast search): the common case, UTF-8 or a legacy encoding.
    if pairs < 4 || !probe.contains(&0) {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in probe.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    if even.max(odd) * 100 < pairs {
        return None;
    }
    let orders = if odd >= even {
        [UTF_16LE, UTF_16BE]
    } else {
        [UTF_16BE, UTF_16LE]
    };
    orders
        .into_iter()
        .find_map(|encoding| utf16(bytes, encoding).filter(|t| plausible_text(t)))
}

/// Guard for the BOM-less UTF-16 guess: binary data with NULs in alternate bytes
/// decodes to a jumble of rare scripts and controls, not to Chinese or ASCII text.
fn plausible_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut good = 0usize;
    for c in text.chars().take(UTF16_PROBE) {
        total += 1;
        let ok = c == '\n'
            || c == '\r'
            || c == '\t'
            || (' '..='~').contains(&c)
            || ('\u{A0}'..='\u{24F}').contains(&c)
            || ('\u{2000}'..='\u{206F}').contains(&c)
            || ('\u{3000}'..='\u{303F}').contains(&c)
            || ('\u{3400}'..='\u{4DBF}').contains(&c)
            || ('\u{4E00}'..='\u{9FFF}').contains(&c)
            || ('\u{FF00}'..='\u{FFEF}').contains(&c)
            || ('\u{2460}'..='\u{24FF}').contains(&c);
        good += usize::from(ok);
    }
    total > 0 && good * 10 >= total * 9
}

/// More than one character in twenty is a control character (other than line
/// breaks, tabs, form feeds and the ESC of terminal colour codes, which sanitising
/// handles). Real text has next to none; random bytes decoded as a single-byte
/// encoding have about one in eight.
fn looks_binary(text: &str) -> bool {
    let b = text.as_bytes();
    // NULs were judged by their count already (`NUL_SHARE`).
    let c0 =
        |x: u8| (x < 0x20 && !matches!(x, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B | 0)) || x == 0x7F;
    // Every file is asked: first a count in one loop that vectorises of the bytes a
    // control can be (a C0 control or DEL is one byte, a C1 control `C2 80..9F`).
    // Text has next to none of them.
    let suspects: usize = b
        .chunks(64)
        .filter(|chunk| {
            chunk
                .iter()
                .fold(false, |any, &x| any | c0(x) | (x == 0xC2))
        })
        .map(|chunk| chunk.iter().filter(|&&x| c0(x) || x == 0xC2).count())
        .sum();
    if suspects <= 4 {
        return false;
    }
    let c1 = b
        .windows(2)
        .filter(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1]))
        .count();
    let controls = b.iter().filter(|&&x| c0(x)).count() + c1;
    // Characters are the bytes that do not continue one.
    controls > 4 && controls * 20 > b.iter().filter(|&&x| x & 0xC0 != 0x80).count()
}

fn count_nul(bytes: &[u8]) -> usize {
    if !bytes.contains(&0) {
        return 0;
    }
    bytes.iter().filter(|&&b| b == 0).count()
}

/// CRLF and lone CR become `\n`; a form feed (a page break in `pdftotext` output)
/// becomes a line break too.
fn normalize_newlines(text: String) -> String {
    let next_break = |from: usize| memchr::memchr2(b'\r', 0x0C, &text.as_bytes()[from..]);
    let Some(first) = next_break(0) else {
        return text;
    };
    // Copied a run at a time between the (ASCII) bytes replaced: each run is a `str`
    // slice, so nothing is decoded or checked again.
    let b = text.as_bytes();
    let mut out = String::with_capacity(b.len());
    out.push_str(&text[..first]);
    let mut i = first;
    while i < b.len() {
        out.push('\n');
        i += 1 + usize::from(b[i] == b'\r' && b.get(i + 1) == Some(&b'\n'));
        let run = next_break(i).unwrap_or(b.len() - i);
        out.push_str(&text[i..i + run]);
        i += run;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte count of [`looks_binary`] says what counting characters says.
    #[test]
    fn binary_by_bytes_agrees_with_binary_by_characters() {
        let by_chars = |text: &str| {
            let total = text.chars().count();
            let controls = text
                .chars()
                .filter(|&c| {
                    c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0C' | '\x1B' | '\0')
                })
                .count();
            controls > 4 && controls * 20 > total
        };
        let pieces = [
            "中文", "ab", "\u{85}", "\u{9F}", "\u{A0}", "\x01", "\x7F", "\n", "\0", "é",
        ];
        let mut seed = 7u64;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..(seed % 60) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert_eq!(looks_binary(&text), by_chars(&text), "{text:?}");
        }
    }

    #[test]
    fn newlines_are_normalised() {
        assert_eq!(
            normalize_newlines("a\r\nb\rc\n\rd\x0Ce".into()),
            "a\nb\nc\n\nd\ne"
        );
    }

    #[test]
    fn truncated_utf8_drops_the_partial_character() {
        let mut bytes = "焦作日报".as_bytes().to_vec();
        bytes.pop();
        assert_eq!(utf8(&bytes).as_deref(), Some("焦作日"));
    }

    #[test]
    fn one_bad_byte_in_a_long_page_is_forgiven() {
        let mut bytes = "市委书记王小平主持召开会议。".repeat(100).into_bytes();
        bytes[30] = 0xFF;
        let text = utf8(&bytes).expect("forgiven");
        assert!(text.contains('\u{FFFD}'));
        assert!(text.ends_with("主持召开会议。"));
        // A GBK page read as UTF-8 is damaged everywhere: refused.
        let page = "市委书记王小平主持召开会议。".repeat(100);
        let (gbk, _, _) = encoding_rs::GBK.encode(&page);
        assert!(utf8(&gbk).is_none());
    }

    #[test]
    fn bomless_utf16_le_is_recognised() {
        let text = "本报讯（记者麻酩）12月10日\n市委书记\n".repeat(20);
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&bytes).unwrap(), text);
    }

    /// Found by the torture library: prose with few ASCII characters and several Han
    /// characters whose low byte is zero (开 U+5F00, 最 U+6700) was refused as binary.
    #[test]
    fn bomless_utf16_be_with_zero_low_bytes_is_recognised() {
        let text =
            "开会最需要开放。一开始\n".repeat(3) + "本报讯 市委书记主持召开会议，研究部署工作。\n";
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&bytes).unwrap(), text);
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&bytes).unwrap(), text);
    }
}
