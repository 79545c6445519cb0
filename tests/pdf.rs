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

/// A one-page PDF whose content stream is `content` deflated, with a correct xref.
fn pdf_with_content(content: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(content).unwrap();
    let stream = z.finish().unwrap();
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let objects: [Vec<u8>; 4] = [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents 4 0 R /Resources << >> >>"
            .to_vec(),
        [
            format!(
                "<< /Length {} /Filter /FlateDecode >>\nstream\n",
                stream.len()
            )
            .into_bytes(),
            stream,
            b"\nendstream".to_vec(),
        ]
        .concat(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(b"xref\n0 5\n0000000000 65535 f \n");
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    out
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
