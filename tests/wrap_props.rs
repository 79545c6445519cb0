//! Properties of `text::wrap` over random Chinese/Latin/number/punctuation mixes and over the
//! sample pages: rows fit, nothing is lost or reordered, only spaces at breaks are dropped,
//! kinsoku holds and words stay whole whenever the row is wide enough for them.
//!
//! "Wide enough" is judged by an oracle independent of the implementation: it only knows
//! break points that are certainly allowed (between two Han characters; at spaces between
//! Han/ASCII letters and digits). Any piece between two such points is at least as wide as
//! the implementation's unbreakable units inside it, so when the piece fits a row, no rule
//! around it may be broken.

use dubao::text::{self, Row, str_width};
use proptest::prelude::*;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

const INDENT: &str = "\u{3000}\u{3000}";
/// Must not start a row.
const CLOSING: &[char] = &[
    '、', '，', '。', '；', '：', '！', '？', '”', '’', '）', '》', '」', '』', '】', '〉', '…',
    '—', ',', '.', ';', ':', '!', '?', ')', ']', '%',
];
/// Must not end a row.
const OPENING: &[char] = &['“', '‘', '（', '《', '「', '『', '【', '〈', '(', '['];

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}'
}

fn is_han(g: &str) -> bool {
    g.chars()
        .next()
        .is_some_and(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

fn is_plain(g: &str) -> bool {
    is_han(g) || g.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Pieces between certain break points, as (byte range, width).
fn oracle_segments(p: &str) -> Vec<(Range<usize>, usize)> {
    let gs: Vec<(usize, &str)> = p.grapheme_indices(true).collect();
    let mut segs = Vec::new();
    let mut i = 0;
    // Skip leading spaces.
    while i < gs.len() && gs[i].1.chars().all(is_space) {
        i += 1;
    }
    let mut seg_start = i;
    while i < gs.len() {
        let g = gs[i].1;
        // Look at the next non-space grapheme and whether spaces come between.
        let mut j = i + 1;
        while j < gs.len() && gs[j].1.chars().all(is_space) {
            j += 1;
        }
        let spaced = j > i + 1;
        let certain = j < gs.len()
            && if spaced {
                is_plain(g) && is_plain(gs[j].1)
            } else {
                is_han(g) && is_han(gs[j].1)
            };
        if certain || j == gs.len() {
            let range = gs[seg_start].0..gs[i].0 + g.len();
            let w = str_width(&p[range.clone()]);
            segs.push((range, w));
            seg_start = j;
            i = j;
        } else {
            i += 1;
        }
    }
    segs
}

fn segment_at(segs: &[(Range<usize>, usize)], byte: usize) -> usize {
    segs.iter()
        .find(|(r, _)| r.contains(&byte))
        .map(|(_, w)| *w)
        .unwrap_or(usize::MAX)
}

/// Check every property of `wrap(p, width, indent)`; `words` are byte ranges of Latin
/// words and numbers that must stay whole when they fit.
fn check(p: &str, width: usize, indent: bool, words: &[Range<usize>]) {
    let rows: Vec<Row> = text::wrap(p, width, indent);
    let eff = width.max(1);
    let ctx = || format!("width {width} indent {indent} input {p:?} rows {rows:?}");

    // Nothing lost or reordered: the gaps between rows hold only spaces.
    let mut pos = 0;
    for r in &rows {
        assert!(
            r.range.start >= pos && r.range.start < r.range.end,
            "{}",
            ctx()
        );
        assert!(
            p[pos..r.range.start].chars().all(is_space),
            "dropped non-space {:?}: {}",
            &p[pos..r.range.start],
            ctx()
        );
        pos = r.range.end;
    }
    assert!(p[pos..].chars().all(is_space), "lost tail: {}", ctx());
    if p.chars().any(|c| !is_space(c)) {
        assert!(!rows.is_empty(), "{}", ctx());
    }

    let segs = oracle_segments(p);
    for (k, r) in rows.iter().enumerate() {
        let body = &p[r.range.clone()];
        // No leading or trailing spaces.
        assert!(
            !body.starts_with(is_space) && !body.ends_with(is_space),
            "{}",
            ctx()
        );
        // Indent only on the first row.
        if k > 0 {
            assert_eq!(r.indent, "", "{}", ctx());
        }
        // Fit.
        let w = str_width(r.indent) + str_width(body);
        if width >= 2 {
            assert!(w <= width, "row {k} is {w} wide: {}", ctx());
        } else {
            assert!(
                w <= eff || body.graphemes(true).count() == 1,
                "row {k}: {}",
                ctx()
            );
        }
    }

    // Indent rules.
    if let Some(first) = rows.first() {
        if !indent || width < 6 {
            assert_eq!(first.indent, "", "{}", ctx());
        } else if segs.first().is_some_and(|(_, w)| *w <= width - 4) {
            assert_eq!(first.indent, INDENT, "{}", ctx());
        }
    }

    // Kinsoku at every break whose surroundings fit a row.
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let last = p[a.range.clone()].chars().next_back().unwrap();
        let first = p[b.range.clone()].chars().next().unwrap();
        let wa = segment_at(&segs, a.range.end - 1);
        let wb = segment_at(&segs, b.range.start);
        if wa.max(wb) <= eff {
            assert!(
                !CLOSING.contains(&first),
                "row starts with {first}: {}",
                ctx()
            );
            assert!(!OPENING.contains(&last), "row ends with {last}: {}", ctx());
            assert!(
                !(last == first && (last == '—' || last == '…')),
                "split {last}{first}: {}",
                ctx()
            );
        }
    }

    // Words and numbers stay whole when their piece fits.
    for word in words {
        if segment_at(&segs, word.start) <= eff {
            assert!(
                rows.iter()
                    .any(|r| r.range.start <= word.start && word.end <= r.range.end),
                "{:?} split: {}",
                &p[word.clone()],
                ctx()
            );
        }
    }
}

/// A piece of generated text; `true` when it is a Latin word or number to keep whole.
fn token() -> impl Strategy<Value = (String, bool)> {
    let han = prop::collection::vec(
        prop::sample::select("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞".chars().collect::<Vec<_>>(),
        ),
        1..8,
    )
    .prop_map(|v| (v.into_iter().collect::<String>(), false));
    let latin = "[A-Za-z]{1,10}".prop_map(|s| (s, true));
    let number = "[0-9]{1,5}(\\.[0-9]{1,2})?%?".prop_map(|s| (s, true));
    let punct = prop::sample::select(vec![
        "，", "。", "、", "；", "：", "！", "？", "“", "”", "‘", "’", "（", "）", "《", "》", "「",
        "」", "『", "』", "【", "】", "〈", "〉", "——", "……", ",", ".", "(", ")", "%", "/",
    ])
    .prop_map(|s| (s.to_string(), false));
    let space =
        prop::sample::select(vec![" ", " ", "  ", "\u{3000}"]).prop_map(|s| (s.to_string(), false));
    let other = prop::sample::select(vec![
        "😀",
        "👍🏽",
        "👨\u{200D}👩\u{200D}👧",
        "❤\u{FE0F}",
        "e\u{301}",
        "中\u{301}",
        "ñ",
        "Ａ",
        "２０",
        "·",
        "-",
        "~",
    ])
    .prop_map(|s| (s.to_string(), false));
    prop_oneof![4 => han, 2 => latin, 2 => number, 3 => punct, 2 => space, 1 => other]
}

fn paragraph() -> impl Strategy<Value = (String, Vec<Range<usize>>)> {
    prop::collection::vec(token(), 0..60).prop_map(|tokens| {
        let mut s = String::new();
        let mut words = Vec::new();
        for (t, whole) in tokens {
            if whole {
                words.push(s.len()..s.len() + t.len());
            }
            s.push_str(&t);
        }
        (s, words)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn wrap_keeps_every_rule((p, words) in paragraph()) {
        for width in 0..=120 {
            check(&p, width, false, &words);
            check(&p, width, true, &words);
        }
    }

    #[test]
    fn width_agrees_with_ratatui((p, _) in paragraph()) {
        use ratatui::{buffer::Buffer, layout::Rect, style::Style};
        let mut buf = Buffer::empty(Rect::new(0, 0, 1000, 1));
        let x = buf.set_stringn(0, 0, &p, 1000, Style::default()).0;
        prop_assert_eq!(str_width(&p), usize::from(x));
    }
}

/// Paragraphs of the sample pages shipped with the crate.
fn sample_paragraphs() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets");
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("assets folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    for path in entries {
        let raw = std::fs::read(&path).expect("sample");
        let s = String::from_utf8_lossy(&raw);
        out.extend(
            s.lines()
                .map(str::trim_end)
                .filter(|l| !l.trim().is_empty())
                .map(text::sanitize::sanitize),
        );
    }
    out
}

#[test]
fn sample_pages_keep_every_rule() {
    let paragraphs = sample_paragraphs();
    assert!(paragraphs.len() > 10, "expected sample text");
    for p in &paragraphs {
        for width in [1, 2, 3, 5, 8, 13, 20, 30, 36, 40, 42, 60, 80] {
            check(p, width, true, &[]);
            check(p, width, false, &[]);
        }
    }
}

fn rows(p: &str, width: usize) -> Vec<String> {
    text::wrap(p, width, true)
        .iter()
        .map(|r| r.text(p))
        .collect()
}

#[test]
fn real_sentence_at_several_widths() {
    let p = "时光飞逝，岁月如梭！刚刚过去的2018年，是焦作发展史上极不平凡的一年，更是市委书记王小平极为忙碌的一年！这一年，王小平用铿锵的脚步，丈量着怀川大地上的每一寸土地，为焦作早日跻身全省“第一方阵”，在中原更加出彩中出重彩、更精彩殚精竭虑。";
    for width in [10, 16, 20, 24, 36, 40] {
        let out = rows(p, width);
        assert!(out[0].starts_with(INDENT), "{width}: {out:?}");
        assert_eq!(
            out.concat().trim_start_matches('\u{3000}'),
            p,
            "{width}: rows join back to the text"
        );
        assert!(out.iter().any(|r| r.contains("2018")), "{width}: {out:?}");
        for r in &out {
            assert!(str_width(r) <= width, "{width}: {r}");
            assert!(!r.starts_with(CLOSING), "{width}: {r}");
            assert!(!r.ends_with(OPENING), "{width}: {r}");
        }
        // Greedy: a row (other than the last) is short only when the next one starts with
        // something it could not take.
        for pair in out.windows(2) {
            let spare = width - str_width(&pair[0]);
            assert!(spare < 6, "{width}: row {:?} left {spare} columns", pair[0]);
        }
    }
}

#[test]
fn measures_and_units_from_the_news() {
    let p = "焦作市PM2.5平均浓度为113微克/立方米，同比下降6.6%，GDP增长7.5%，AAAAA级景区1~10家。";
    for width in 8..40 {
        let out = rows(p, width);
        for unit in [
            "PM2.5", "113", "克/", "6.6%，", "GDP", "7.5%，", "AAAAA", "1~10",
        ] {
            assert!(
                out.iter().any(|r| r.contains(unit)),
                "{width}: {unit} split in {out:?}"
            );
        }
    }
}

#[test]
fn dash_and_ellipsis_pull_the_previous_character() {
    // At width 8 (4 Han), "一二三四——" would leave "——" alone on the next row, which may
    // not start a row: "四" comes down with it.
    for p in ["一二三四——五六", "一二三四……五六"] {
        let out: Vec<&str> = text::wrap(p, 8, false)
            .iter()
            .map(|r| &p[r.range.clone()])
            .collect();
        assert_eq!(out, [&p[..9], &p[9..]]);
    }
}

#[test]
fn latin_sentence_breaks_at_spaces() {
    let p = "The quick brown fox jumps over the lazy dog";
    let out: Vec<String> = text::wrap(p, 10, false).iter().map(|r| r.text(p)).collect();
    assert_eq!(
        out,
        ["The quick", "brown fox", "jumps over", "the lazy", "dog"]
    );
}
