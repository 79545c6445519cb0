//! Text from files never reaches the terminal raw: escape sequences, controls and bidi
//! overrides are removed, Chinese text and emoji survive untouched.

use dubao::text::sanitize::{MAX_STRING_SEQUENCE, sanitize};
use proptest::prelude::*;

/// Nothing a terminal would act on is left.
fn assert_inert(s: &str) {
    for c in s.chars() {
        assert!(c == '\n' || !c.is_control(), "control {c:?} left in {s:?}");
        assert!(
            !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'),
            "bidi/separator {c:?} left in {s:?}"
        );
    }
}

#[test]
fn csi_sequences_removed_with_their_parameters() {
    assert_eq!(sanitize("红\x1b[1;31m色\x1b[0m字"), "红色字");
    assert_eq!(sanitize("清屏\x1b[2J\x1b[H了"), "清屏了");
    assert_eq!(sanitize("私有\x1b[?1049h模式"), "私有模式");
    assert_eq!(sanitize("8位\u{9b}31m序列"), "8位序列");
}

#[test]
fn osc_and_string_sequences_removed() {
    assert_eq!(sanitize("标题\x1b]0;pwned\x07正文"), "标题正文");
    assert_eq!(
        sanitize("链接\x1b]8;;https://example.com\x1b\\文字\x1b]8;;\x1b\\完"),
        "链接文字完"
    );
    assert_eq!(sanitize("设备\x1bPq#0;2;0;0;0\x1b\\控制"), "设备控制");
    assert_eq!(sanitize("应用\x1b_payload\x1b\\程序"), "应用程序");
    assert_eq!(sanitize("隐私\x1b^secret\u{9c}消息"), "隐私消息");
}

#[test]
fn short_escapes_and_lone_esc_removed() {
    assert_eq!(sanitize("字符集\x1b(B切换"), "字符集切换");
    assert_eq!(sanitize("保存\x1b7光标\x1b8"), "保存光标");
    assert_eq!(sanitize("结尾\x1b"), "结尾");
    assert_eq!(sanitize("换行\x1b\n继续"), "换行\n继续");
}

#[test]
fn c0_c1_and_del_removed_tab_and_cr_normalised() {
    assert_eq!(sanitize("响\x07铃\x08退\x7f格"), "响铃退格");
    assert_eq!(sanitize("甲\u{85}乙\u{90}丙\u{9f}丁"), "甲乙丙丁");
    assert_eq!(sanitize("列一\t列二"), "列一 列二");
    assert_eq!(sanitize("一行\r\n二行\r三行"), "一行\n二行\n三行");
    assert_eq!(sanitize("段\u{2028}落\u{2029}分"), "段\n落\n分");
}

#[test]
fn bidi_and_invisible_format_characters_removed() {
    let s = "正\u{202E}反\u{202A}向\u{2066}隔\u{2069}离\u{200F}标\u{200B}记\u{FEFF}完\u{AD}";
    let out = sanitize(s);
    assert_eq!(out, "正反向隔离标记完");
    assert_inert(&out);
}

#[test]
fn chinese_and_emoji_sequences_kept() {
    let s = "焦作市“四城联创”——全省第一方阵……PM2.5：113微克/立方米 👨\u{200D}👩\u{200D}👧 ❤\u{FE0F} 👍🏽 🇨🇳 葛\u{E0100} e\u{301}";
    assert_eq!(sanitize(s), s);
}

#[test]
fn unterminated_osc_is_capped_at_a_newline() {
    let body = "后文".repeat(10_000);
    let s = format!("前文\x1b]0;没有结束\n{body}");
    assert_eq!(sanitize(&s), format!("前文\n{body}"));
}

#[test]
fn unterminated_osc_is_capped_by_length() {
    let body = "x".repeat(100_000);
    let s = format!("前文\x1b]0;{body}");
    let out = sanitize(&s);
    assert!(out.starts_with("前文"));
    // At most the cap is swallowed; the rest of the file survives.
    let kept = out.len() - "前文".len();
    assert!(kept >= body.len() + 2 - MAX_STRING_SEQUENCE, "kept {kept}");
    assert!(kept < body.len(), "something of the sequence was removed");
    assert_inert(&out);
}

#[test]
fn many_escape_starts_do_not_blow_up() {
    // A hostile file of nothing but sequence starts: must finish and leave nothing active.
    let s = "\x1b]\x1bP\x1b[".repeat(50_000);
    let out = sanitize(&s);
    assert_inert(&out);
    assert!(!out.contains('\x1b'));
}

proptest! {
    #[test]
    fn output_is_always_inert(s in "(\\PC|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{2028}\\u{2029}]|\\x1b\\[[0-9;]{0,4}[a-zA-Z]|\\x1b\\][^\\x07]{0,10}\\x07){0,60}") {
        let out = sanitize(&s);
        assert_inert(&out);
        // Idempotent: cleaning clean text changes nothing.
        prop_assert_eq!(sanitize(&out), out.clone());
    }

    #[test]
    fn printable_han_and_latin_untouched(s in "[\\u{4e00}-\\u{9fa5}a-zA-Z0-9，。“”—… \\n]{0,80}") {
        prop_assert_eq!(sanitize(&s), s);
    }
}
