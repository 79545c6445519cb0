//! Bytes to text: every encoding an issue file may come in, and every way a file may
//! fail to be text.

use dubao::archive::decode::{decode, decode_counted};
use dubao::archive::samples::SAMPLES;
use proptest::prelude::*;

/// A real page, as UTF-8 text.
fn sample_page() -> String {
    String::from_utf8(SAMPLES[2].1.to_vec()).unwrap()
}

/// Traditional Chinese (Big5 can't encode simplified characters such as 这 or 书).
const TRADITIONAL: &str = "本報訊（記者麻酩）12月10日，市委書記王小平主持召開市黨政班子務虛會，\n\
總結今年工作，謀劃明年工作，要求市黨政班子認真學習貫徹中央、省委工作部署，\n\
主動把焦作放在全國和全省發展的大邏輯、大思路、大戰略、大格局中找目標、補短板、求發展。\n\
市領導徐衣顯、姜繼鼎、王明德等出席會議。\n";

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
    for unit in units {
        out.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[test]
fn plain_utf8_is_unchanged() {
    let page = sample_page();
    assert_eq!(decode(page.as_bytes()).unwrap(), page);
}

#[test]
fn utf8_bom_is_removed() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend("焦作日报\n".as_bytes());
    assert_eq!(decode(&bytes).unwrap(), "焦作日报\n");
}

#[test]
fn utf16_with_bom_both_byte_orders() {
    let page = sample_page();
    assert_eq!(decode(&utf16(&page, false, true)).unwrap(), page);
    assert_eq!(decode(&utf16(&page, true, true)).unwrap(), page);
}

#[test]
fn utf16_without_bom_is_recognised() {
    let page = sample_page();
    assert_eq!(decode(&utf16(&page, false, false)).unwrap(), page);
    assert_eq!(decode(&utf16(&page, true, false)).unwrap(), page);
}

#[test]
fn gb18030_is_detected() {
    let page = sample_page();
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&page);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "test needs non-UTF-8 bytes"
    );
    assert_eq!(decode(&bytes).unwrap(), page);
}

#[test]
fn gbk_short_text_is_detected() {
    let text = "市委书记王小平主持召开市党政班子务虚会，总结今年工作，谋划明年工作。\n";
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    assert_eq!(decode(&bytes).unwrap(), text);
}

#[test]
fn big5_is_detected() {
    let (bytes, _, unmappable) = encoding_rs::BIG5.encode(TRADITIONAL);
    assert!(!unmappable, "test text must be encodable in Big5");
    assert_eq!(decode(&bytes).unwrap(), TRADITIONAL);
}

#[test]
fn crlf_and_lone_cr_become_newlines() {
    assert_eq!(
        decode("第一行\r\n第二行\r第三行\r\n\r\n第四段".as_bytes()).unwrap(),
        "第一行\n第二行\n第三行\n\n第四段"
    );
    // In UTF-16 too.
    let bytes = utf16("甲\r\n乙\r丙", false, true);
    assert_eq!(decode(&bytes).unwrap(), "甲\n乙\n丙");
}

#[test]
fn many_nul_bytes_mean_binary() {
    let mut bytes = sample_page().into_bytes();
    let n = bytes.len() / 10;
    for i in 0..n {
        bytes.insert(i * 9, 0);
    }
    let err = decode(&bytes).unwrap_err().to_string();
    assert!(err.contains("binary"), "{err}");
}

#[test]
fn extractor_debris_is_removed_and_counted() {
    // pdfminer writes a NUL, or `(cid:N)`, for each glyph it cannot map; pdftotext a
    // private-use code point.
    let page = sample_page();
    let mut bytes = page.clone().into_bytes();
    bytes.splice(
        0..0,
        b"\xEF\xBB\xBF\0\0\0(cid:12)(cid:345)\xEE\x80\x81\r\n"
            .iter()
            .copied(),
    );
    bytes.extend_from_slice(b"\x0C");
    let (text, debris) = decode_counted(&bytes).expect("a page with debris is read");
    assert_eq!((debris.nul, debris.cid, debris.private_use), (3, 2, 1));
    assert!(debris.note().unwrap().contains("6 unmapped glyphs"));
    assert!(!text.contains(['\0', '\u{E001}', '\r', '\x0C', '\u{FEFF}']));
    assert!(!text.contains("(cid:"));
    assert!(text.contains(page.lines().nth(3).unwrap().trim()));
    // A clean page has nothing to say.
    assert_eq!(decode_counted(page.as_bytes()).unwrap().1.note(), None);
}

#[test]
fn a_png_is_binary() {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0".to_vec();
    bytes.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let err = decode(&bytes).unwrap_err().to_string();
    assert!(err.contains("binary"), "{err}");
}

#[test]
fn random_bytes_without_nul_are_refused() {
    // Every byte value but NUL, scrambled: not text in any encoding.
    let bytes: Vec<u8> = (0..20_000u32)
        .map(|i| ((i.wrapping_mul(2_654_435_761) >> 11) % 255 + 1) as u8)
        .collect();
    let err = decode(&bytes).unwrap_err().to_string();
    assert!(err.contains("binary") || err.contains("not text"), "{err}");
}

#[test]
fn empty_and_blank_files_are_refused() {
    assert_eq!(decode(b"").unwrap_err().to_string(), "empty file");
    assert_eq!(
        decode(b"  \n\r\n\t \n").unwrap_err().to_string(),
        "empty file"
    );
    assert_eq!(
        decode("\u{3000}\u{3000}\n".as_bytes())
            .unwrap_err()
            .to_string(),
        "empty file"
    );
    assert_eq!(
        decode(b"\xEF\xBB\xBF\n").unwrap_err().to_string(),
        "empty file"
    );
    assert_eq!(
        decode(&utf16(" \n", false, true)).unwrap_err().to_string(),
        "empty file"
    );
}

#[test]
fn escape_sequences_are_removed() {
    let text = "\x1b[31m焦作\x1b[0m日报\x1b]0;title\x07\n第二行\x08\n";
    let out = decode(text.as_bytes()).unwrap();
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(!out.contains("[31m") && !out.contains("title"), "{out:?}");
    assert!(out.contains("焦作") && out.contains("日报") && out.contains("第二行"));
}

#[test]
fn a_damaged_byte_is_forgiven_and_latin1_is_read_as_latin1() {
    let page = sample_page();
    let mut bytes = page.clone().into_bytes();
    // Damage the first byte of a Han character somewhere in the middle.
    let at = page
        .char_indices()
        .find(|&(i, c)| i > 5000 && !c.is_ascii())
        .unwrap()
        .0;
    bytes[at] = 0xFF;
    let out = decode(&bytes).unwrap();
    assert!(out.contains('\u{FFFD}'));
    assert_eq!(out.chars().count(), page.chars().count() + 2);

    // Latin-1: too many broken UTF-8 sequences for damage, so it is detected instead.
    let bytes = b"caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la \xe9tag\xe8re\n";
    let out = decode(bytes).unwrap();
    assert_eq!(
        out, "café crème brûlée à la étagère\n",
        "read as a legacy encoding"
    );
}

#[test]
fn a_form_feed_breaks_the_line() {
    assert_eq!(
        decode("上一页\x0c下一页".as_bytes()).unwrap(),
        "上一页\n下一页"
    );
}

#[test]
fn a_long_single_line_decodes_whole() {
    let line = "市委书记王小平主持召开会议".repeat(300_000); // about 11.7 MB
    let out = decode(line.as_bytes()).unwrap();
    assert_eq!(out.len(), line.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any bytes at all: an answer, never a panic; and an `Ok` has no control
    /// characters but `\n`.
    #[test]
    fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(text) = decode(&bytes) {
            prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
            prop_assert!(!text.contains('\r'));
        }
    }

    /// Ordinary Chinese/Latin text round-trips through UTF-8 and both UTF-16 orders.
    #[test]
    fn text_round_trips(text in "[\u{4e00}-\u{9fa5}a-zA-Z0-9，。“”（）\n]{1,200}") {
        prop_assume!(!text.trim().is_empty());
        prop_assert_eq!(decode(text.as_bytes()).unwrap(), text.clone());
        prop_assert_eq!(decode(&utf16(&text, false, true)).unwrap(), text.clone());
        prop_assert_eq!(decode(&utf16(&text, true, true)).unwrap(), text);
    }
}

/// Run by hand (`cargo test --release --test decode -- --ignored --nocapture`): a
/// 100 MB page in each encoding path decodes in a few passes.
#[test]
#[ignore]
fn a_hundred_megabytes() {
    let page = sample_page().replace('\n', "\r\n");
    let big = page.repeat(100_000_000 / page.len());
    let (gbk, _, _) = encoding_rs::GBK.encode(&big);
    for (what, bytes) in [
        ("utf-8 crlf", big.as_bytes().to_vec()),
        ("utf-16le", utf16(&big, false, true)),
        ("gbk", gbk.into_owned()),
    ] {
        let t = std::time::Instant::now();
        let out = decode(&bytes).unwrap();
        eprintln!("{what}: {} MB in {:.2?}", bytes.len() >> 20, t.elapsed());
        assert!(out.len() > 90_000_000);
    }
}

#[test]
fn a_line_of_unmapped_glyphs_is_marked_lost_and_a_stray_glyph_removed() {
    // A headline in a face with no Unicode map: a line of private-use code points
    // (pdftotext), NULs (pdfminer) or `(cid:N)`; in `-layout` output, beside a column.
    let page = "\u{E001}\u{E002}\u{E003}\n\
                正文第一段。\n\
                \0\0\0\0\n\
                (cid:7)(cid:8)\n\
                本报讯（记者 甲）    \u{E004}\u{E005}\u{E006}    乙丙\n\
                焦\u{E007}作日报，单个\u{E008}字丢了。\n"
        .to_string()
        + &sample_page();
    let (text, debris) = decode_counted(page.as_bytes()).expect("read");
    assert_eq!((debris.nul, debris.cid, debris.private_use), (4, 2, 8));
    let lines: Vec<&str> = text.lines().collect();
    // One mark for the line; the run's width kept as spaces (columns stay in place).
    assert_eq!(lines[0], "\u{FFFD}  ");
    assert_eq!(lines[2], "\u{FFFD}   ");
    assert_eq!(lines[3], "\u{FFFD} ");
    assert_eq!(lines[4], "本报讯（记者 甲）    \u{FFFD}      乙丙");
    // Glyphs lost inside words are only removed: no mark, no space in the sentence.
    assert_eq!(lines[5], "焦作日报，单个字丢了。");
}
