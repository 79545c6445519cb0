//! Which script a character belongs to: the one owner of these rules, so that the
//! reader, the page reader and the index never disagree about what is Chinese.

/// A Han character (汉字): the unified ideographs, their extensions and compatibility
/// forms, and `〇`. What headlines and names are made of.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007                  // 〇
        | 0x3400..=0x4DBF       // extension A
        | 0x4E00..=0x9FFF       // unified ideographs
        | 0xF900..=0xFAFF       // compatibility ideographs
        | 0x20000..=0x3FFFF) // extensions B and on (planes 2 and 3)
}

/// A letter of a script written without spaces between words: Han, kana, Hangul. The
/// index cuts runs of these into bigrams; anything else is cut at spaces.
pub fn is_cjk_letter(c: char) -> bool {
    is_han(c) || matches!(c as u32, 0x3040..=0x30FF | 0xAC00..=0xD7AF)
}

/// Any character of Chinese running text: CJK letters, CJK and full-width punctuation
/// and symbols, and the quotes, dashes, ellipsis and circled numbers Chinese text
/// borrows. A space next to one of these in extracted text is justification, not a
/// word break.
pub(crate) fn is_cjk_text(c: char) -> bool {
    is_cjk_letter(c)
        || matches!(c as u32,
            0x2E80..=0x2FFF         // radicals
            | 0x3000..=0x303F       // CJK punctuation
            | 0x3100..=0x31FF       // bopomofo, strokes
            | 0x3200..=0x33FF       // enclosed, compatibility
            | 0xFE30..=0xFE4F       // vertical forms
            | 0xFF00..=0xFF60       // full-width forms
            | 0xFFE0..=0xFFEE
            | 0x2018..=0x201D       // ‘’“”
            | 0x2014 | 0x2015 | 0x2026 | 0x00B7
            | 0x2460..=0x24FF) // circled numbers ①
}

/// A letter or digit of a script that puts spaces between words (Latin, Greek,
/// Cyrillic…) or a digit: runs of these are words, kept whole when wrapping and
/// indexed whole.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Punctuation that Chinese text is full of: skip the Unicode tables.
    if matches!(c, '\u{2000}'..='\u{206f}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}') {
        return false;
    }
    c.is_alphanumeric() && !is_cjk_letter(c)
}

/// A character that every terminal draws two columns wide (East Asian Wide in every
/// version of Unicode's tables that terminals ship): the reader's backend can skip the
/// cursor move after these. Emoji and other glyphs whose width terminals disagree on
/// are not in the list.
pub(crate) fn is_surely_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF01..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_nest() {
        for c in ['汉', '〇', '𠀀', 'か', '한'] {
            assert!(is_cjk_letter(c) && is_cjk_text(c), "{c}");
        }
        for c in ['，', '。', '“', '—', '①', 'Ａ'] {
            assert!(is_cjk_text(c) && !is_cjk_letter(c), "{c}");
        }
        for c in ['a', 'é', '1', ' ', '.'] {
            assert!(!is_cjk_text(c), "{c}");
        }
        assert!(is_han('汉') && !is_han('か'));
        for c in ['a', 'é', 'Ж', '7', '７'] {
            assert!(is_word_char(c), "{c}");
        }
        for c in ['汉', '，', '—', ' ', '.', '×'] {
            assert!(!is_word_char(c), "{c}");
        }
    }

    #[test]
    fn surely_wide_chars_are_wide_by_our_width_too() {
        for c in ['汉', '，', 'Ａ', '한', '〇'] {
            assert!(is_surely_wide(c));
            assert_eq!(crate::text::str_width(&c.to_string()), 2, "{c}");
        }
    }
}
