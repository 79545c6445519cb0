//! Newspaper PDFs read directly, as a user meets them: a folder of page PDFs beside
//! broken ones. Good pages list their articles by paper, date and page; each bad PDF
//! is one line naming the file and the reason, and the rest reads on.

use std::path::Path;
use std::process::Command;

fn corpus_pdf(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/pages")
        .join(rel)
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/pdf")
        .join(name)
}

fn gold_titles(rel: &str) -> Vec<String> {
    let gold: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus_pdf(rel)).unwrap()).unwrap();
    gold["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().replace(' ', ""))
        .collect()
}

#[test]
fn a_folder_of_pdfs_lists_good_pages_and_one_line_for_each_bad_one() {
    let lib = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let page = lib.path().join("临河日报/2019/11/25");
    std::fs::create_dir_all(&page).unwrap();
    std::fs::copy(
        corpus_pdf("tune/two_line_heads/p01.pdf"),
        page.join("02.pdf"),
    )
    .unwrap();
    for bad in ["encrypted.pdf", "scanned.pdf", "truncated.pdf"] {
        std::fs::copy(fixture(bad), page.join(bad)).unwrap();
    }
    std::fs::write(page.join("garbage.pdf"), b"%PDF-1.4\nnot a pdf at all\n").unwrap();
    // A zero-length stream where the content should be, and a page count that lies.
    let mut lying = std::fs::read(fixture("scanned.pdf")).unwrap();
    lying.truncate(lying.len() * 3 / 4);
    std::fs::write(page.join("cut.pdf"), &lying).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_dubao"))
        .args(["list"])
        .env("DUBAO_LIBRARY", lib.path())
        .env("DUBAO_DATA_DIR", data.path())
        .env("DUBAO_STATE_DIR", data.path().join("state"))
        .env("DUBAO_CONFIG", data.path().join("none.toml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();

    // The good page: its paper and date from the path, its articles by their titles.
    assert!(stdout.contains("临河日报"), "{stdout}");
    assert!(stdout.contains("2019-11-25"), "{stdout}");
    let listed: String = stdout.chars().filter(|c| !c.is_whitespace()).collect();
    let titles = gold_titles("tune/two_line_heads/p01.gold.json");
    let found = titles
        .iter()
        .filter(|t| listed.contains(t.as_str()))
        .count();
    assert!(
        found * 10 >= titles.len() * 8,
        "{found} of {titles:?} in\n{stdout}"
    );

    // Each bad file: one line, its name and why.
    let line = |name: &str| -> String {
        let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name}: {stderr}");
        lines[0].to_string()
    };
    assert!(line("encrypted.pdf").contains("encrypted PDF"), "{stderr}");
    assert!(line("scanned.pdf").contains("no text layer"), "{stderr}");
    // …and a scanned page is still listed, saying why it has no text.
    assert!(stdout.contains("扫描页"), "{stdout}");
    assert!(line("truncated.pdf").contains("PDF"), "{stderr}");
    assert!(
        line("garbage.pdf").contains("not a readable PDF"),
        "{stderr}"
    );
    assert!(line("cut.pdf").contains("PDF"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_pdf_page_reads_like_its_extracted_text() {
    // The same page from its PDF and from pdfminer's text: the PDF finds at least as
    // many of the gold titles.
    let titles = gold_titles("tune/headline_after/p01.gold.json");
    let count = |rel: &str| {
        let bytes = std::fs::read(corpus_pdf(rel)).unwrap();
        let file = dubao::archive::parse_file(rel, &bytes).unwrap();
        let made: Vec<String> = file
            .articles
            .iter()
            .map(|a| a.title.replace(' ', ""))
            .collect();
        titles.iter().filter(|t| made.contains(t)).count()
    };
    let from_pdf = count("tune/headline_after/p01.pdf");
    let from_text = count("tune/headline_after/pdfminer/p01.txt");
    assert!(from_pdf >= from_text, "pdf {from_pdf}, text {from_text}");
    assert!(
        from_pdf * 4 >= titles.len() * 3,
        "pdf {from_pdf} of {}",
        titles.len()
    );
}

#[test]
fn text_from_a_pdf_is_never_raw() {
    // Whatever the fonts map glyphs to, no control character reaches an article.
    for rel in ["tune/furniture/p01.pdf", "tune/byline_end/p01.pdf"] {
        let bytes = std::fs::read(corpus_pdf(rel)).unwrap();
        let file = dubao::archive::parse_file(rel, &bytes).unwrap();
        assert!(!file.articles.is_empty(), "{rel}");
        for a in &file.articles {
            for t in std::iter::once(&a.title).chain(&a.paragraphs) {
                assert!(!t.chars().any(char::is_control), "{rel}: {t:?}");
            }
        }
    }
}

/// A one-page PDF whose content stream is `content`.
fn pdf_with_content(content: &[u8]) -> Vec<u8> {
    pdf_of(&[content])
}

use dubao::synth::torture::pdf_of;

#[test]
fn a_pdf_of_a_huge_page_count_is_read_up_to_a_bound_and_says_so() {
    // 2,500 pages: the first 2,000 are read, and one line says how many were not.
    let page: &[u8] = b"BT /F1 12 Tf 40 350 Td (Page of a long bound volume.) Tj ET";
    let pdf = pdf_of(&vec![page; 2500]);
    let file = dubao::archive::parse_file("volume.pdf", &pdf).unwrap();
    assert!(
        file.problems.iter().any(|p| p.contains("500 more")),
        "{:?}",
        file.problems
    );
    assert!(!file.articles.is_empty());
    assert!(file.articles.len() <= 2000, "{}", file.articles.len());
    // Each page of a file of many is a page of its own.
    let last = file.articles.last().unwrap();
    assert_eq!(last.place.page.map(|p| p.number), Some(2000));
    assert!(
        last.title.contains("long bound volume") || last.body().contains("long bound volume"),
        "{last:?}"
    );
}

#[test]
fn malformed_content_streams_give_a_line_or_what_reads_never_a_panic() {
    // Operators with missing operands, an unknown font, unbalanced arrays and strings:
    // each file is either read (keeping what is readable) or refused with one line.
    let streams: [&[u8]; 5] = [
        b"BT /F1 12 Tf 40 350 Td (Readable words.) Tj ET Tj Tf Td ] >> ET ET",
        b"BT /F9 12 Tf 40 350 Td (Unknown font.) Tj ET",
        b"BT /F1 12 Tf 40 350 Td [(Unclosed array) -250 (and string Tj ET",
        b"q q q 1 0 0 0 0 0 cm BT /F1 12 Tf 0 0 Td (Singular matrix.) Tj ET Q",
        b"BT /F1 1e300 Tf 40 350 Td (Huge size.) Tj /F1 -5 Tf (Negative.) Tj ET",
    ];
    for content in streams {
        let pdf = pdf_with_content(content);
        match dubao::archive::parse_file("odd.pdf", &pdf) {
            Ok(file) => {
                for a in &file.articles {
                    for t in std::iter::once(&a.title).chain(&a.paragraphs) {
                        assert!(!t.chars().any(char::is_control), "{t:?}");
                    }
                }
            }
            Err(e) => {
                let line = e.to_string();
                assert!(!line.contains('\n') && line.contains("PDF"), "{line}");
            }
        }
    }
    // A page the parser gives up on leaves the file's other pages readable.
    let two = pdf_of(&[
        streams[0],
        b"BT /F1 12 Tf 40 350 Td (Second page reads.) Tj ET",
    ]);
    let file = dubao::archive::parse_file("odd.pdf", &two).expect("the good page reads");
    assert!(
        file.articles
            .iter()
            .any(|a| a.title.contains("Second page") || a.body().contains("Second page")),
        "{:?}",
        file.articles
    );
}

#[test]
fn a_whole_issue_in_one_pdf_lists_each_article_on_its_own_page() {
    // issue.pdf binds two corpus pages: 第08版 (two_line_heads) and 第03版 (long_article).
    let bytes = std::fs::read(fixture("issue.pdf")).unwrap();
    let file = dubao::archive::parse_file("issue.pdf", &bytes).unwrap();
    let norm = |s: &str| s.replace(' ', "");
    for (rel, page) in [
        ("tune/two_line_heads/p01.gold.json", 8),
        ("tune/long_article/p01.gold.json", 3),
    ] {
        let titles = gold_titles(rel);
        let on_page: Vec<&dubao::archive::Article> = file
            .articles
            .iter()
            .filter(|a| titles.contains(&norm(&a.title)))
            .collect();
        assert!(
            on_page.len() * 10 >= titles.len() * 8,
            "{rel}: {} of {titles:?}",
            on_page.len()
        );
        let gold: serde_json::Value =
            serde_json::from_slice(&std::fs::read(corpus_pdf(rel)).unwrap()).unwrap();
        for a in on_page {
            assert_eq!(a.place.page.map(|p| p.number), Some(page), "{}", a.title);
            // Each page's 版名 is its own, never the first page's.
            assert_eq!(
                a.place.page_name.as_deref(),
                gold["page_name"].as_str(),
                "{}",
                a.title
            );
        }
    }
    // Nothing of one page runs into an article of the other.
    let first_page = gold_titles("tune/two_line_heads/p01.gold.json");
    let body_of_second: String = gold_body("tune/long_article/p01.gold.json");
    for a in &file.articles {
        if first_page.contains(&norm(&a.title)) {
            let body: String = norm(&a.body());
            let start: String = body_of_second.chars().take(12).collect();
            assert!(!body.contains(&start), "{}", a.title);
        }
    }
}

fn gold_body(rel: &str) -> String {
    let gold: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus_pdf(rel)).unwrap()).unwrap();
    gold["articles"][0]["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().replace(' ', ""))
        .collect()
}

#[test]
fn a_content_stream_that_inflates_without_end_is_refused() {
    // 100 MB of spaces deflate to about 100 KB: a zip bomb in small.
    let bomb = pdf_with_content(&vec![b' '; 100 << 20]);
    assert!(bomb.len() < 1 << 20);
    let err = dubao::archive::parse_file("bomb.pdf", &bomb)
        .unwrap_err()
        .to_string();
    assert!(err.contains("inflates past"), "{err}");
    // The same page with a little content reads (as a page with no text).
    let small = pdf_with_content(b"0 0 m 10 10 l S");
    let err = dubao::archive::parse_file("small.pdf", &small)
        .unwrap_err()
        .to_string();
    assert!(err.contains("no text"), "{err}");
}

#[test]
fn a_headline_set_down_the_page_heads_the_columns_beside_it() {
    // vertical.pdf (make_pdfs.py): a 竖排 headline, each glyph placed on its own, right
    // of two columns of body text.
    let bytes = std::fs::read(fixture("vertical.pdf")).unwrap();
    let file = dubao::archive::parse_file("vertical.pdf", &bytes).unwrap();
    assert_eq!(file.articles.len(), 1, "{:?}", file.articles);
    let a = &file.articles[0];
    assert_eq!(a.title, "山城秋色分外浓");
    assert!(!a.title_inferred);
    let body = a.body();
    assert!(body.contains("入秋以来，城北山区层林尽染"), "{body}");
    assert!(body.ends_with("沿途设置临时停靠站点六处。"), "{body}");
    assert_eq!(a.paragraphs.len(), 3, "{:?}", a.paragraphs);
}
