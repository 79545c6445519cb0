//! A torture library: every kind of hostile or odd file a real archive folder may hold,
//! written to a folder together with what dubao must make of each file. Tests
//! (`tests/torture.rs`) open it and check that good files read right, bad ones are
//! named once with a reason, and nothing from a file can drive the terminal.
//!
//! The Chinese text is real (lines of the embedded sample pages), so encodings are
//! detected on the kind of text they will meet. The `big` set adds sizes that find
//! quadratic code: a 10 MB line, a 100 MB file, a 200,000-character paragraph and
//! 10,000 files in one folder.
//!
//! ```no_run
//! let dir = tempfile::tempdir().unwrap();
//! let expects = dubao::synth::torture::generate(dir.path(), false).unwrap();
//! assert!(!expects.is_empty());
//! ```

use crate::text::script::is_han;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// What dubao must make of one file of the torture library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expect {
    /// The file's path relative to the library root as dubao names it: `/` separators,
    /// a name that is not UTF-8 shown lossily, control and bidi characters as U+FFFD.
    pub rel: String,
    /// What the file is, for failure messages.
    pub what: &'static str,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The file reads as an issue; when given, the word appears in one of its articles
    /// (title, byline or body).
    Reads { word: Option<String> },
    /// The file is named in exactly one warning.
    Warned,
}

impl Expect {
    fn reads(rel: impl Into<String>, what: &'static str, word: Option<String>) -> Expect {
        Expect {
            rel: rel.into(),
            what,
            outcome: Outcome::Reads { word },
        }
    }

    fn warned(rel: impl Into<String>, what: &'static str) -> Expect {
        Expect {
            rel: rel.into(),
            what,
            outcome: Outcome::Warned,
        }
    }
}

/// Write the torture library into `dir` (which should be empty) and say what each file
/// must give. `big` adds the huge files (about 130 MB on disk, 10,000 small files).
pub fn generate(dir: &Path, big: bool) -> io::Result<Vec<Expect>> {
    let lines = sample_lines();
    let mut out = Vec::new();
    encodings(dir, &lines, &mut out)?;
    line_endings(dir, &lines, &mut out)?;
    not_text(dir, &mut out)?;
    escapes(dir, &lines, &mut out)?;
    scripts(dir, &lines, &mut out)?;
    names(dir, &lines, &mut out)?;
    pdfs(dir, &mut out)?;
    if big {
        huge(dir, &lines, &mut out)?;
    }
    Ok(out)
}

/// Lines of real Chinese text from the sample pages, long enough to be paragraphs.
fn sample_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for (_, bytes) in crate::archive::samples::SAMPLES {
        let Ok(text) = crate::archive::decode::decode(bytes) else {
            continue;
        };
        lines.extend(
            text.lines()
                .map(str::trim)
                // Plain prose only: a Markdown heading (`#### …`) in a `.txt` file
                // makes the page Markdown, which is another test;
                // and whole paragraphs, not a column's hard-wrapped fragment.
                .filter(|l| l.starts_with(is_han) && l.ends_with(['。', '！', '？', '”']))
                .filter(|l| {
                    l.chars().count() >= 30 && l.chars().filter(|c| is_han(*c)).count() >= 20
                })
                .map(str::to_string),
        );
    }
    assert!(lines.len() >= 20, "the sample pages have long lines");
    lines
}

/// The first run of six Han characters in `text`: a word that no reflowing or
/// punctuation handling can split.
fn han_word(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(6)
        .find(|w| w.iter().all(|c| is_han(*c)))
        .map(|w| w.iter().collect())
}

/// A headline-first page: headline, byline, `n` paragraphs starting at line `from`.
/// Returns the page and a word from its first paragraph.
fn page(lines: &[String], from: usize, n: usize, headline: &str) -> (String, String) {
    let paras: Vec<&str> = (0..n)
        .map(|i| lines[(from + i) % lines.len()].as_str())
        .collect();
    let word = han_word(paras[0]).expect("sample lines have Han runs");
    let text = format!("{headline}\n\n本报记者 王小平\n\n{}\n", paras.join("\n\n"));
    (text, word)
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, bytes)
}

fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for unit in text.encode_utf16() {
        out.extend(if little {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

/// GB18030, Big5, UTF-16 in both byte orders with and without a BOM, UTF-8 with a BOM.
fn encodings(dir: &Path, lines: &[String], out: &mut Vec<Expect>) -> io::Result<()> {
    let (text, word) = page(lines, 0, 8, "国标编码的一页");
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable, "GB18030 encodes all of Unicode");
    write(dir, "enc/gb18030.txt", &gb)?;
    out.push(Expect::reads("enc/gb18030.txt", "GB18030", Some(word)));

    // Big5 has no simplified characters: keep only those it can encode, so the file is
    // a clean Big5 file (as one from a Taiwanese or Hong Kong source would be).
    let (text, _) = page(lines, 8, 10, "繁體編碼的一頁");
    let big5_text: String = text
        .chars()
        .filter(|c| {
            let mut buf = [0u8; 4];
            !encoding_rs::BIG5.encode(c.encode_utf8(&mut buf)).2
        })
        .collect();
    let word = han_word(big5_text.split("\n\n").nth(2).unwrap_or(&big5_text));
    let (big5, _, _) = encoding_rs::BIG5.encode(&big5_text);
    write(dir, "enc/big5.txt", &big5)?;
    out.push(Expect::reads("enc/big5.txt", "Big5", word));

    for (i, (name, little, bom)) in [
        ("enc/utf16le-bom.txt", true, true),
        ("enc/utf16be-bom.txt", false, true),
        ("enc/utf16le.txt", true, false),
        ("enc/utf16be.txt", false, false),
    ]
    .into_iter()
    .enumerate()
    {
        let (text, word) = page(lines, 20 + 3 * i, 3, "双字节编码");
        write(dir, name, &utf16(&text, little, bom))?;
        out.push(Expect::reads(name, "UTF-16", Some(word)));
    }

    let (text, word) = page(lines, 40, 3, "带签名的一页");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(text.as_bytes());
    write(dir, "enc/utf8-bom.txt", &bytes)?;
    out.push(Expect::reads(
        "enc/utf8-bom.txt",
        "UTF-8 with a BOM",
        Some(word),
    ));
    Ok(())
}

/// CRLF (Windows) and lone CR (old Mac) line endings.
fn line_endings(dir: &Path, lines: &[String], out: &mut Vec<Expect>) -> io::Result<()> {
    let (text, word) = page(lines, 50, 4, "视窗换行");
    write(dir, "eol/crlf.txt", text.replace('\n', "\r\n").as_bytes())?;
    out.push(Expect::reads(
        "eol/crlf.txt",
        "CRLF line endings",
        Some(word),
    ));
    let (text, word) = page(lines, 60, 4, "老式换行");
    write(dir, "eol/cr.txt", text.replace('\n', "\r").as_bytes())?;
    out.push(Expect::reads(
        "eol/cr.txt",
        "lone CR line endings",
        Some(word),
    ));
    Ok(())
}

/// Files that are not text: NUL bytes, random bytes, empty, only whitespace, only
/// escape sequences.
fn not_text(dir: &Path, out: &mut Vec<Expect>) -> io::Result<()> {
    let mut rng = Rng(0x5EED_2018);
    let with_nul = "本报讯 这一页的中间有一个空字节\0以及后面的文字。\n".repeat(20);
    write(dir, "bad/nul.txt", with_nul.as_bytes())?;
    // A few NULs are unmapped glyphs: the page reads, with one warning.
    out.push(Expect::warned("bad/nul.txt", "NUL bytes"));
    out.push(Expect::reads(
        "bad/nul.txt",
        "NUL bytes",
        Some("以及后面的文字".to_string()),
    ));
    // A page followed by a run of zeros (a file cut off and zero-filled) is not.
    let mut mostly_nul = with_nul.clone().into_bytes();
    mostly_nul.extend([0u8; 4096]);
    write(dir, "bad/mostly-nul.txt", &mostly_nul)?;
    out.push(Expect::warned("bad/mostly-nul.txt", "NUL bytes everywhere"));
    let random: Vec<u8> = (0..8192).map(|_| rng.next() as u8).collect();
    write(dir, "bad/random.txt", &random)?;
    out.push(Expect::warned("bad/random.txt", "random bytes"));
    let random: Vec<u8> = (0..8192).map(|_| (rng.next() % 255 + 1) as u8).collect();
    write(dir, "bad/random-no-nul.txt", &random)?;
    out.push(Expect::warned(
        "bad/random-no-nul.txt",
        "random bytes without NUL",
    ));
    write(dir, "bad/empty.txt", b"")?;
    out.push(Expect::warned("bad/empty.txt", "empty file"));
    write(dir, "bad/blank.md", b" \n\r\n\t\n\n")?;
    out.push(Expect::warned("bad/blank.md", "only whitespace"));
    write(
        dir,
        "bad/only-escapes.txt",
        b"\x1b[2J\x1b[H\x1b]0;title\x07\n\x1b[31m\x1b[0m\n\xc2\x9b2J\n",
    )?;
    out.push(Expect::warned(
        "bad/only-escapes.txt",
        "only escape sequences",
    ));
    Ok(())
}

/// PDFs: a zip bomb of a content stream, a page the parser gives up on beside a good
/// one, a scan with no text, no text at all, encrypted, cut off, not a PDF at all. (A
/// huge page count is in tests/pdf.rs: read by every command here, it would be slow.)
fn pdfs(dir: &Path, out: &mut Vec<Expect>) -> io::Result<()> {
    let text = |s: &str| format!("BT /F1 12 Tf 40 350 Td ({s}) Tj ET").into_bytes();
    // 100 MB of spaces deflate to about 100 KB.
    write(dir, "pdf/bomb.pdf", &pdf_of(&[&vec![b' '; 100 << 20]]))?;
    out.push(Expect::warned("pdf/bomb.pdf", "PDF zip bomb"));
    let good = text("Second page reads.");
    write(
        dir,
        "pdf/malformed.pdf",
        &pdf_of(&[b"BT /F1 12 Tf 40 350 Td Tj Tf ] >> ET", &good]),
    )?;
    out.push(Expect::warned(
        "pdf/malformed.pdf",
        "PDF with a malformed page",
    ));
    out.push(Expect::reads(
        "pdf/malformed.pdf",
        "PDF with a malformed page",
        Some("Second page".to_string()),
    ));
    let cut = pdf_of(&[&good]);
    write(dir, "pdf/cut.pdf", &cut[..cut.len() / 2])?;
    out.push(Expect::warned("pdf/cut.pdf", "PDF cut in half"));
    write(dir, "pdf/garbage.pdf", b"%PDF-1.4\nnot a pdf at all\n")?;
    out.push(Expect::warned("pdf/garbage.pdf", "not a PDF"));
    write(dir, "pdf/no-text.pdf", &pdf_of(&[b"0 0 m 100 100 l S"]))?;
    out.push(Expect::warned("pdf/no-text.pdf", "PDF with no text"));
    write(
        dir,
        "pdf/encrypted.pdf",
        include_bytes!("../../tests/pdf/encrypted.pdf"),
    )?;
    out.push(Expect::warned("pdf/encrypted.pdf", "encrypted PDF"));
    // A scanned page is listed (saying it has no text layer) and warned about.
    write(
        dir,
        "pdf/scanned.pdf",
        include_bytes!("../../tests/pdf/scanned.pdf"),
    )?;
    out.push(Expect::warned("pdf/scanned.pdf", "scanned PDF"));
    out.push(Expect::reads("pdf/scanned.pdf", "scanned PDF", None));
    Ok(())
}

/// A PDF whose pages draw these content streams (deflated), one a page, with
/// Helvetica as font `F1` and a correct xref.
pub fn pdf_of(contents: &[&[u8]]) -> Vec<u8> {
    let deflate = |content: &[u8]| {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(content).expect("writing to memory");
        let stream = z.finish().expect("writing to memory");
        [
            format!(
                "<< /Length {} /Filter /FlateDecode >>\nstream\n",
                stream.len()
            )
            .into_bytes(),
            stream,
            b"\nendstream".to_vec(),
        ]
        .concat()
    };
    // Objects: 1 catalog, 2 page tree, 3 font, then each page and its content.
    let pages = contents.len();
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for (i, content) in contents.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents {} 0 R \
                 /Resources << /Font << /F1 3 0 R >> >> >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        objects.push(deflate(content));
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Terminal escape sequences and C1 controls inside headlines, bylines and bodies.
fn escapes(dir: &Path, lines: &[String], out: &mut Vec<Expect>) -> io::Result<()> {
    let p = |i: usize| lines[(70 + i) % lines.len()].as_str();
    let word = han_word(p(1)).expect("Han run");
    let text = format!(
        "\x1b]0;owned\x07焦作\x1b[31m头条\x1b[0m新闻\x07\n\n\
         本报记者 \u{9b}31m王\u{85}小平\x1b[0m\n\n\
         {}\x1bP1;2|secret\x1b\\{}\n\n\
         \x1b]8;;http://example.com/\x1b\\{}\x1b]8;;\x1b\\\u{90}dcs\u{9c}\u{9d}osc\u{7}\n\n\
         {}\x1b]0;unterminated title runs to the end of the line\n\n\
         \x1b[?1049h\x1b[2J\x1bc{}\x1b(0\x1b7\x1b8\u{8}\u{7f}\u{1}\n",
        p(0),
        p(1),
        p(2),
        p(3),
        p(4)
    );
    write(dir, "esc/escapes.txt", text.as_bytes())?;
    out.push(Expect::reads(
        "esc/escapes.txt",
        "escape sequences",
        Some(word),
    ));

    let text = format!(
        "# \x1b]0;pwn\x07版面\u{202E}标题\n\n### \x1b[1m要闻\x1b[0m\u{9b}1m\n\n\
         #### 副题\u{2067}隔离\u{2069}\n\n{}\u{7}\u{1b}[5m\n\n{}\n",
        p(5),
        p(6)
    );
    let word = han_word(p(6)).expect("Han run");
    write(dir, "esc/markdown.md", text.as_bytes())?;
    out.push(Expect::reads(
        "esc/markdown.md",
        "escapes in Markdown",
        Some(word),
    ));
    Ok(())
}

/// Emoji with ZWJ, combining marks, right-to-left scripts and bidi controls.
fn scripts(dir: &Path, lines: &[String], out: &mut Vec<Expect>) -> io::Result<()> {
    let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
    let text = format!(
        "多语种的一页\n\n本报记者 李\u{0301}明\n\n\
         {family}一家人，🏳\u{FE0F}\u{200D}🌈，e\u{0301}\u{0302}\u{0303}，Z\u{0336}\u{0337}\u{0338}。{}\n\n\
         阿拉伯语：مرحبا بالعالم\u{202E}txt.exe\u{202C}，希伯来语：שלום עולם\u{2066}隔离\u{2069}\u{200F}。{}\n",
        lines[80 % lines.len()],
        lines[81 % lines.len()]
    );
    write(dir, "scripts/mixed.txt", text.as_bytes())?;
    out.push(Expect::reads(
        "scripts/mixed.txt",
        "emoji ZWJ sequence",
        Some(family.into()),
    ));
    out.push(Expect::reads(
        "scripts/mixed.txt",
        "Arabic text",
        Some("مرحبا".into()),
    ));
    Ok(())
}

/// Odd names: not UTF-8, escapes and bidi in the name, an unreadable file, symbolic
/// link loops.
fn names(dir: &Path, lines: &[String], out: &mut Vec<Expect>) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    fs::create_dir_all(dir.join("names"))?;

    // 报纸 in GBK: a name written by an old Chinese tool.
    let raw: &[u8] = b"\xb1\xa8\xd6\xbd-gbk.txt";
    let (text, word) = page(lines, 90, 3, "非统一码文件名");
    fs::write(
        dir.join("names").join(std::ffi::OsStr::from_bytes(raw)),
        text,
    )?;
    let rel = format!("names/{}", String::from_utf8_lossy(raw));
    out.push(Expect::reads(rel, "non-UTF-8 file name", Some(word)));

    for (name, shown, what) in [
        (
            "esc-\x1b[31mred\x07.txt",
            "esc-\u{FFFD}[31mred\u{FFFD}.txt",
            "escapes in the file name",
        ),
        (
            "bidi-\u{202E}txt.exe.txt",
            "bidi-\u{FFFD}txt.exe.txt",
            "bidi override in the file name",
        ),
    ] {
        let (text, word) = page(lines, 95, 2, "文件名");
        fs::write(dir.join("names").join(name), text)?;
        out.push(Expect::reads(format!("names/{shown}"), what, Some(word)));
    }

    // Unreadable: refused unless we are root, who reads it anyway.
    let (text, word) = page(lines, 100, 2, "不可读");
    let locked = dir.join("names/locked.txt");
    fs::write(&locked, text)?;
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000))?;
    }
    out.push(if fs::File::open(&locked).is_ok() {
        Expect::reads(
            "names/locked.txt",
            "unreadable file (but we are root)",
            Some(word),
        )
    } else {
        Expect::warned("names/locked.txt", "unreadable file")
    });

    // A folder link back to its parent, and a file link to itself.
    fs::create_dir_all(dir.join("loop"))?;
    std::os::unix::fs::symlink("..", dir.join("loop/back"))?;
    out.push(Expect::warned(
        "loop/back",
        "symbolic link loop to an ancestor",
    ));
    std::os::unix::fs::symlink("self.txt", dir.join("loop/self.txt"))?;
    out.push(Expect::warned("loop/self.txt", "symbolic link to itself"));
    Ok(())
}

/// The big set: a 10 MB line, a 100 MB file, a 200,000-character paragraph and
/// 10,000 files in one folder.
fn huge(dir: &Path, lines: &[String], out: &mut Vec<Expect>) -> io::Result<()> {
    fs::create_dir_all(dir.join("big"))?;
    let word = han_word(&lines[3]).expect("Han run");

    // One line of 10 MB, no newline at all.
    let mut f = BufWriter::new(fs::File::create(dir.join("big/one-line.txt"))?);
    let mut written = 0;
    let mut i = 0;
    while written < 10 << 20 {
        let line = &lines[i % lines.len()];
        f.write_all(line.as_bytes())?;
        written += line.len();
        i += 1;
    }
    f.flush()?;
    out.push(Expect::reads(
        "big/one-line.txt",
        "a 10 MB line",
        Some(han_word(&lines[0]).expect("Han run")),
    ));

    // 100 MB of ordinary pages, one after another.
    let mut f = BufWriter::new(fs::File::create(dir.join("big/hundred-mb.txt"))?);
    let mut written = 0;
    let mut n = 0;
    while written < 100 << 20 {
        let (text, _) = page(lines, n * 7, 6, &format!("第{n}篇长文件中的文章"));
        f.write_all(text.as_bytes())?;
        f.write_all(b"\n")?;
        written += text.len() + 1;
        n += 1;
    }
    f.flush()?;
    out.push(Expect::reads(
        "big/hundred-mb.txt",
        "a 100 MB file",
        Some(word.clone()),
    ));

    // A paragraph of 200,000 characters, hard-wrapped like a newspaper column.
    let mut para = String::new();
    let mut i = 0;
    while para.chars().count() < 200_000 {
        para.push_str(&lines[i % lines.len()]);
        i += 1;
    }
    let chars: Vec<char> = para.chars().take(200_000).collect();
    let column: Vec<String> = chars.chunks(15).map(|c| c.iter().collect()).collect();
    let text = format!("超长段落\n\n本报记者 王小平\n\n{}\n", column.join("\n"));
    write(dir, "big/long-paragraph.txt", text.as_bytes())?;
    out.push(Expect::reads(
        "big/long-paragraph.txt",
        "a 200,000-character paragraph",
        None,
    ));

    // 10,000 small files in one folder.
    fs::create_dir_all(dir.join("big/many"))?;
    for n in 0..10_000 {
        let (text, word) = page(lines, n, 1, &format!("第{n}号小文件"));
        let rel = format!("big/many/{n:05}.txt");
        write(dir, &rel, text.as_bytes())?;
        out.push(Expect::reads(rel, "one of 10,000 files", Some(word)));
    }
    Ok(())
}

/// A tiny deterministic PRNG (splitmix64): the same torture library on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
