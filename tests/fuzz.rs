//! Fuzzing with proptest: arbitrary bytes and newspaper-like strings through the parser,
//! arbitrary text through `text::wrap`, arbitrary typed queries through the query
//! builder. Nothing panics, and what comes out is safe to show.
//!
//! 256 cases per property by default (CI stays fast); more with e.g.
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz`. Inputs that found bugs are
//! kept below as named regression tests.

use dubao::archive::{self, ParsedFile};
use dubao::index::{match_ranges, query, schema};
use dubao::text::{self, sanitize::is_unsafe_format, str_width};
use proptest::prelude::*;
use std::collections::HashSet;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        // Failures become named tests here rather than files beside the sources.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A character that must not reach the terminal: a control (including `\n`: a
/// paragraph is one line) or an invisible format character that reorders text.
fn unsafe_char(c: char) -> bool {
    c.is_control() || is_unsafe_format(c)
}

/// Every text field of every article, with its name.
fn fields(issue: &ParsedFile) -> Vec<(&'static str, &str)> {
    let mut out = vec![("issue name", issue.name.as_str())];
    for a in &issue.articles {
        out.push(("title", a.title.as_str()));
        for (name, f) in [
            ("subtitle", &a.subtitle),
            ("kicker", &a.kicker),
            ("byline", &a.byline),
            ("continued", &a.continued_on),
        ] {
            if let Some(s) = f {
                out.push((name, s.as_str()));
            }
        }
        for p in &a.paragraphs {
            out.push(("paragraph", p.as_str()));
        }
    }
    out
}

fn assert_safe(issue: &ParsedFile) {
    for (name, s) in fields(issue) {
        if let Some(c) = s.chars().find(|c| unsafe_char(*c)) {
            panic!("{name} has U+{:04X}: {s:?}", c as u32);
        }
    }
}

/// Parse a string as a page and check the output; the body may only hold characters
/// of the input (and the spaces reflowing puts between joined Latin words).
fn check_page(rel: &str, page: &str) {
    let Ok(issue) = archive::parse_file(rel, page.as_bytes()) else {
        return;
    };
    assert_safe(&issue);
    let input: HashSet<char> = page.chars().collect();
    for a in &issue.articles {
        for p in &a.paragraphs {
            if let Some(c) = p.chars().find(|c| *c != ' ' && !input.contains(c)) {
                panic!("U+{:04X} in {p:?} is not from the input", c as u32);
            }
        }
    }
}

/// Pieces of newspaper text: Han runs, punctuation, the markers the parser looks for,
/// blank lines, long lines, and hostile characters.
fn piece() -> impl Strategy<Value = String> {
    let marker = prop::sample::select(vec![
        "本报讯（记者",
        "本报记者 ",
        "）",
        "①2",
        "（下转二版）",
        "（上接一版）",
        "###",
        "# ",
        "#### ",
        "<sub>",
        "</sub>",
        "2018年12月26日",
        "\u{3000}\u{3000}",
        "\x1b[31m",
        "\x1b]0;t\x07",
        "\u{9b}2J",
        "\u{202E}",
        "\r\n",
        "\r",
        "\t",
        "👨\u{200D}👩\u{200D}👧",
        "e\u{301}",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        4 => "[\u{4e00}-\u{9fa5}]{1,30}",
        4 => Just("\n".to_string()),
        2 => Just("\n\n".to_string()),
        3 => marker,
        2 => "[，。、；：！？“”（）《》—…·]{1,3}",
        1 => "[a-zA-Z0-9 .%]{1,12}",
        1 => "[\u{4e00}-\u{9fa5}，。]{200,600}",
        1 => any::<char>().prop_map(String::from),
    ]
}

fn page() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..80).prop_map(|v| v.concat())
}

/// Typed queries: words, filters, dates, quotes, exclusions, odd characters.
fn typed_query() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[\u{4e00}-\u{9fa5}]{1,6}",
        prop::sample::select(vec![
            "title:",
            "by:",
            "date:",
            "-",
            "\"",
            " ",
            "..",
            "2019",
            "2019-11",
            "2019-11-20",
            "pm2.5",
            "PM<sub>2.5",
            "ＰＭ２．５",
            "*",
            ":",
            "\u{3000}",
            "\\",
            "(",
            ")",
            "+",
            "\u{0}",
            "\x1b[",
        ])
        .prop_map(str::to_string),
        "[0-9\\-.]{1,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parse_file_survives_any_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
        md in any::<bool>(),
    ) {
        let rel = if md { "2018/2018-12-26.md" } else { "2018/2018-12-26.txt" };
        if let Ok(issue) = archive::parse_file(rel, &bytes) {
            assert_safe(&issue);
        }
    }

    #[test]
    fn parse_file_survives_newspaper_like_text(page in page(), md in any::<bool>()) {
        let rel = if md { "page.md" } else { "page.txt" };
        check_page(rel, &page);
        // The same text in the other encodings a library holds.
        let utf16: Vec<u8> = page.encode_utf16().flat_map(u16::to_le_bytes).collect();
        if let Ok(issue) = archive::parse_file(rel, &utf16) {
            assert_safe(&issue);
        }
        let (gb, _, _) = encoding_rs::GB18030.encode(&page);
        if let Ok(issue) = archive::parse_file(rel, &gb) {
            assert_safe(&issue);
        }
    }

    #[test]
    fn wrap_survives_any_text(
        s in prop_oneof![any::<String>(), page()],
        width in 0usize..200,
        indent in any::<bool>(),
    ) {
        let rows = text::wrap(&s, width, indent);
        for row in &rows {
            prop_assert!(row.range.start <= row.range.end && row.range.end <= s.len());
            prop_assert!(s.is_char_boundary(row.range.start) && s.is_char_boundary(row.range.end));
            let shown = row.text(&s);
            if width >= 2 {
                prop_assert!(
                    str_width(&shown) <= width,
                    "row {shown:?} is {} columns, wider than {width}",
                    str_width(&shown)
                );
            }
        }
    }

    #[test]
    fn queries_build_from_any_typed_text(q in typed_query(), text in page()) {
        let fields = schema::Fields::from_schema(&schema::build_schema()).expect("schema");
        let parsed = query::parse(&q);
        let _ = query::build(&parsed, &fields);
        for r in match_ranges(&q, &text) {
            prop_assert!(r.start < r.end && r.end <= text.len(), "range {r:?}");
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
}
