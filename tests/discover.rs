//! Finding a library's issue files on disk, and the generated benchmark archive.

use dubao::archive::load;
use dubao::archive::source::{LibrarySource, discover};
use dubao::synth::corpus;
use std::fs;
use std::path::Path;

const PAGE: &str = "本报讯（记者麻酩）12月10日，市委书记王小平主持召开市党政班子务虚会。①2\n\n市党政班子务虚会召开\n";

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn rels(source: &LibrarySource) -> Vec<String> {
    discover(source).0.into_iter().map(|f| f.rel).collect()
}

/// How many warnings name `file`.
fn named(warnings: &[dubao::archive::Warning], file: &str) -> usize {
    warnings.iter().filter(|w| w.file == file).count()
}

#[test]
fn finds_text_and_markdown_files_recursively_sorted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for rel in [
        "2019/2019-11-25.txt",
        "2019/11/b.md",
        "a.markdown",
        "UPPER.TXT",
        "Mixed.Md",
        "notes.pdf",
        "image.png",
        "txt",
        "README",
        "archive.txt.bak",
    ] {
        write(root, rel, PAGE.as_bytes());
    }
    let (files, warnings) = discover(&LibrarySource::Dir(root.to_path_buf()));
    let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    assert_eq!(
        rels,
        [
            "2019/11/b.md",
            "2019/2019-11-25.txt",
            "Mixed.Md",
            "UPPER.TXT",
            "a.markdown",
            "notes.pdf"
        ]
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    for f in &files {
        assert_eq!(f.size, PAGE.len() as u64);
        assert!(f.mtime.is_some());
        assert_eq!(f.path.as_deref(), Some(root.join(&f.rel).as_path()));
    }
}

#[test]
fn hidden_files_and_folders_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(".library-in-a-hidden-folder");
    for rel in [
        "visible.txt",
        ".hidden.txt",
        ".git/HEAD.txt",
        "sub/.cache/page.md",
        "sub/shown.md",
    ] {
        write(&root, rel, PAGE.as_bytes());
    }
    // The root itself may be hidden; only what is inside it is filtered.
    assert_eq!(
        rels(&LibrarySource::Dir(root)),
        ["sub/shown.md", "visible.txt"]
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_and_a_loop_is_reported_once() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lib");
    let outside = dir.path().join("elsewhere");
    write(&root, "a/page.txt", PAGE.as_bytes());
    write(&outside, "far.txt", PAGE.as_bytes());
    symlink(&outside, root.join("linked")).unwrap();
    symlink(root.join("a"), root.join("a/loop")).unwrap();
    symlink(root.join("missing.txt"), root.join("broken.txt")).unwrap();

    let library = load(&LibrarySource::Dir(root.clone()));
    let files: Vec<&str> = library.files.iter().map(|i| i.file.as_str()).collect();
    assert!(files.contains(&"a/page.txt"), "{files:?}");
    assert!(files.contains(&"linked/far.txt"), "{files:?}");
    assert_eq!(
        named(&library.warnings, "a/loop"),
        1,
        "{:?}",
        library.warnings
    );
    assert_eq!(
        named(&library.warnings, "broken.txt"),
        1,
        "{:?}",
        library.warnings
    );
    assert_eq!(library.warnings.len(), 2, "{:?}", library.warnings);
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_are_still_read() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = OsStr::from_bytes(b"caf\xe9.txt");
    if fs::write(dir.path().join(name), PAGE).is_err() {
        return; // A file system that refuses such names: nothing to test.
    }
    let library = load(&LibrarySource::Dir(dir.path().to_path_buf()));
    assert!(library.warnings.is_empty(), "{:?}", library.warnings);
    assert_eq!(library.files.len(), 1);
    assert_eq!(library.files[0].file, "caf\u{FFFD}.txt");
}

#[test]
fn each_bad_file_is_named_once_and_good_files_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "good/2019-01-01.txt", PAGE.as_bytes());
    write(root, "good/crlf.txt", PAGE.replace('\n', "\r\n").as_bytes());
    let (gbk, _, _) = encoding_rs::GBK.encode(PAGE);
    write(root, "good/gbk.txt", &gbk);
    write(root, "bad/empty.txt", b"");
    write(root, "bad/blank.md", b"\n \n\t\n");
    write(
        root,
        "bad/binary.txt",
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
    );
    // A sparse file past the size limit: no disk space used.
    let big = fs::File::create(root.join("bad/huge.txt")).unwrap();
    big.set_len(dubao::archive::source::MAX_FILE_SIZE + 1)
        .unwrap();

    let library = load(&LibrarySource::Dir(root.to_path_buf()));
    let loaded: Vec<&str> = library.files.iter().map(|i| i.file.as_str()).collect();
    assert_eq!(loaded.len(), 3, "{loaded:?}");
    for good in ["good/2019-01-01.txt", "good/crlf.txt", "good/gbk.txt"] {
        assert!(loaded.contains(&good), "{good} missing from {loaded:?}");
    }
    let w = &library.warnings;
    assert_eq!(w.len(), 4, "{w:?}");
    for (file, reason) in [
        ("bad/empty.txt", "empty file"),
        ("bad/blank.md", "empty file"),
        ("bad/binary.txt", "binary"),
        ("bad/huge.txt", "too large"),
    ] {
        assert_eq!(named(w, file), 1, "{file}: {w:?}");
        let warning = w.iter().find(|x| x.file == file).unwrap();
        assert!(warning.reason.contains(reason), "{warning}");
        assert!(!warning.to_string().contains('\n'));
    }
    // The decoded text is the same whatever the encoding or line endings.
    let bodies: Vec<String> = library
        .files
        .iter()
        .map(|i| i.articles.iter().map(|a| a.body()).collect())
        .collect();
    assert!(bodies.windows(2).all(|b| b[0] == b[1]), "{bodies:?}");
}

/// Whether permissions are enforced for us (they are not for root).
#[cfg(unix)]
fn permissions_enforced(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    fs::write(&probe, "x").unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    let enforced = fs::read(&probe).is_err();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o644)).unwrap();
    fs::remove_file(&probe).unwrap();
    enforced
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_warnings() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lib");
    fs::create_dir(&root).unwrap();
    if !permissions_enforced(&root) {
        eprintln!("skipped: running as root, permissions are not enforced");
        return;
    }
    write(&root, "ok.txt", PAGE.as_bytes());
    write(&root, "secret.txt", PAGE.as_bytes());
    write(&root, "locked/inside.txt", PAGE.as_bytes());
    let mode = |p: &Path, m| fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
    mode(&root.join("secret.txt"), 0o000);
    mode(&root.join("locked"), 0o000);

    let library = load(&LibrarySource::Dir(root.clone()));
    mode(&root.join("secret.txt"), 0o644);
    mode(&root.join("locked"), 0o755);

    let loaded: Vec<&str> = library.files.iter().map(|i| i.file.as_str()).collect();
    assert_eq!(loaded, ["ok.txt"]);
    let w = &library.warnings;
    assert_eq!(w.len(), 2, "{w:?}");
    for file in ["secret.txt", "locked"] {
        assert_eq!(named(w, file), 1, "{file}: {w:?}");
    }
    assert!(w.iter().all(|x| x.reason == "permission denied"), "{w:?}");
}

#[cfg(unix)]
#[test]
fn a_pipe_named_txt_is_a_warning_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.txt", PAGE.as_bytes());
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.txt"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        return; // No mkfifo here: nothing to test.
    }
    let library = load(&LibrarySource::Dir(dir.path().to_path_buf()));
    assert_eq!(library.files.len(), 1);
    assert_eq!(
        named(&library.warnings, "pipe.txt"),
        1,
        "{:?}",
        library.warnings
    );
    assert_eq!(library.warnings[0].reason, "not a regular file");
}

#[test]
fn a_missing_folder_is_one_warning_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (files, warnings) = discover(&LibrarySource::Dir(dir.path().join("nope")));
    assert!(files.is_empty());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[test]
fn the_generator_is_deterministic_and_writes_every_article() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    let stats = corpus::generate(a.path(), 123, 5).unwrap();
    assert_eq!(stats, corpus::generate(b.path(), 123, 5).unwrap());
    corpus::generate(c.path(), 123, 6).unwrap();
    assert_eq!(stats.articles, 123);

    let source_a = LibrarySource::Dir(a.path().to_path_buf());
    let files = discover(&source_a).0;
    assert_eq!(files.len(), stats.files);
    assert!(
        (123 / 10..=123 / 8 + 1).contains(&files.len()),
        "{}",
        files.len()
    );
    assert_eq!(files.iter().map(|f| f.size).sum::<u64>(), stats.bytes);
    for f in &files {
        // Dated issue files in a folder per year: `2016/2016-01-01.txt`.
        let (year, name) = f.rel.split_once('/').unwrap();
        let (stem, ext) = name.rsplit_once('.').unwrap();
        assert!(dubao::archive::Date::parse(stem).is_some(), "{}", f.rel);
        assert!(
            stem.starts_with(year) && (ext == "txt" || ext == "md"),
            "{}",
            f.rel
        );
    }

    let mut same_bytes = true;
    let mut articles = 0;
    for f in &files {
        let bytes_a = fs::read(a.path().join(&f.rel)).unwrap();
        let bytes_b = fs::read(b.path().join(&f.rel)).unwrap();
        assert_eq!(bytes_a, bytes_b, "{}", f.rel);
        same_bytes &= fs::read(c.path().join(&f.rel)).ok() == Some(bytes_a.clone());
        // Count articles by the marks each layout opens them with.
        let text = String::from_utf8(bytes_a).unwrap();
        articles += text.matches("本报讯（记者").count()
            + text.matches("\n本报记者 ").count()
            + text.lines().filter(|l| l.starts_with("### ")).count();
    }
    assert_eq!(articles, 123);
    assert!(!same_bytes, "another seed should give other text");

    let library = load(&source_a);
    assert!(library.warnings.is_empty(), "{:?}", library.warnings);
    assert_eq!(library.files.len(), stats.files);
}
