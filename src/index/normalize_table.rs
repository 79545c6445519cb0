//! The normalisation look-up table, computed by build.rs (which includes this file) and
//! compiled into the binary: building it took ~10 ms of every process's start, a third
//! of a one-shot search. `src/index/normalize.rs` reads it; its tests compute it again
//! and compare. Uses only std, unicode-normalization and fast2s.

use unicode_normalization::UnicodeNormalization;

/// NFKC of one character, lower-cased.
pub(crate) fn nfkc_lower(c: char) -> impl Iterator<Item = char> {
    std::iter::once(c).nfkc().flat_map(char::to_lowercase)
}

/// Characters fast2s converts differently depending on the characters around them
/// (the keys of its `T2S_EXCLUDE` and `T2S_SPECIAL_CONVERT_TYPE` tables, fast2s 0.3):
/// never answered by the table. `fast_path_matches_reference` checks the rest.
pub(crate) const CONTEXT_DEPENDENT: &[char] = &[
    '兒', '覆', '夥', '藉', '瞭', '麽', '幺', '於', '乾', '著', '苧', '闔', '鍾', '讎', '畫',
];

/// "Not in the table": take the slow path.
pub(crate) const SLOW: char = '\u{ffff}';

/// For every character of the Basic Multilingual Plane, what normalisation turns it
/// into when that is one character whatever its neighbours (NFKC, lower case and
/// Traditional → Simplified in one look-up); [`SLOW`] otherwise.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn compute_table() -> Vec<char> {
    let mut table = vec![SLOW; 0x10000];
    // The characters fast2s may convert, converted in one call: none of them depends
    // on its neighbours, so one pass over them all is exact.
    let mut to_convert: Vec<(usize, char)> = Vec::new();
    for (code, slot) in table.iter_mut().enumerate() {
        let Some(c) = char::from_u32(code as u32) else {
            continue;
        };
        let mut it = nfkc_lower(c);
        let (Some(d), None) = (it.next(), it.next()) else {
            continue;
        };
        if CONTEXT_DEPENDENT.contains(&d) {
            continue;
        }
        *slot = d;
        if d.len_utf8() == 3 {
            to_convert.push((code, d));
        }
    }
    let joined: String = to_convert.iter().map(|&(_, d)| d).collect();
    let converted = fast2s::convert(&joined);
    if converted.chars().count() == to_convert.len() {
        for (&(code, _), s) in to_convert.iter().zip(converted.chars()) {
            table[code] = s;
        }
    } else {
        // Not one for one after all: leave those to the slow path.
        for &(code, _) in &to_convert {
            table[code] = SLOW;
        }
    }
    table
}
