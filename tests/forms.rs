//! Archives that say where their articles are (issue 17): one article per file,
//! Markdown pages in four styles, JSON Lines dumps. Every fixture under
//! `tests/archives/` has a gold file beside it (see its README); one test walks them
//! all and says every difference. Then `list`, `export --json`, `show` and the reader
//! on an article-file library.

use dubao::archive::catalog;
use dubao::archive::{self, Library, LibrarySource, ParsedFile};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/archives")
}

/// The archive roots of the fixtures: (folder under `tests/archives`, settings to put
/// at its root).
const ROOTS: &[(&str, &str)] = &[
    ("crawler", ""),
    ("markdown/a", ""),
    ("markdown/b", ""),
    ("markdown/c", ""),
    ("markdown/d", ""),
    // The mapping the README's gold assumes for `custom_fields.jsonl`.
    (
        "jsonl",
        "[fields]\ntitle = \"headline\"\ncontent = \"article\"\ndate = \"published\"\npaper = \"outlet\"\npage = \"pageno\"\nauthor = \"writer\"\nid = \"uid\"\n",
    ),
];

/// Copy an archive's inputs (not its gold files) into a fresh folder, with settings.
fn copy_inputs(root: &Path, settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(root) {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy();
        if !e.file_type().is_file() || name.ends_with(".gold.json") {
            continue;
        }
        let to = dir.path().join(e.path().strip_prefix(root).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(e.path(), to).unwrap();
    }
    if !settings.is_empty() {
        std::fs::write(dir.path().join("dubao.toml"), settings).unwrap();
    }
    dir
}

/// Every gold file of an archive root: (input file relative to the root, gold).
fn golds(root: &Path) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".gold.json") else {
            continue;
        };
        let input = std::fs::read_dir(e.path().parent().unwrap())
            .unwrap()
            .map(|f| f.unwrap().path())
            .find(|p| {
                let n = p.file_name().unwrap().to_string_lossy().to_string();
                !n.ends_with(".gold.json") && n.rsplit_once('.').is_some_and(|(s, _)| s == stem)
            })
            .expect("an input beside its gold");
        let rel = input
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let gold: Value = serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
        out.push((rel, gold));
    }
    out
}

fn opt(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Every difference between what was read from one file and its gold.
fn differences(rel: &str, file: Option<&ParsedFile>, lib: &Library, gold: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut differ = |what: &str, got: &dyn std::fmt::Debug, want: &dyn std::fmt::Debug| {
        let (g, w) = (format!("{got:?}"), format!("{want:?}"));
        if g != w {
            out.push(format!("{rel}: {what}: got {g}, want {w}"));
        }
    };
    let Some(file) = file else {
        return vec![format!("{rel}: not read")];
    };
    let want: &Vec<Value> = gold["articles"].as_array().unwrap();
    differ("articles", &file.articles.len(), &want.len());
    if gold["ad"].as_bool() == Some(true) {
        differ("an ad slot has no article", &file.articles.len(), &0);
    }
    for (n, (a, w)) in file.articles.iter().zip(want).enumerate() {
        let at = |f: &str| format!("#{} {f}", n + 1);
        differ(&at("kicker"), &a.kicker, &opt(&w["kicker"]));
        differ(&at("title"), &Some(a.title.clone()), &opt(&w["title"]));
        differ(&at("subtitle"), &a.subtitle, &opt(&w["subtitle"]));
        differ(&at("byline"), &a.byline, &opt(&w["byline"]));
        differ(&at("credit"), &a.credit, &opt(&w["credit"]));
        let paragraphs: Vec<String> = w["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        differ(&at("paragraphs"), &a.paragraphs, &paragraphs);
        differ(
            &at("date"),
            &a.place.date.map(|d| d.to_string()),
            &opt(&w["date"]),
        );
        differ(
            &at("page"),
            &a.place.page.map(|p| p.number),
            &w["page"].as_u64().map(|p| p as u16),
        );
        if !w["order"].is_null() {
            differ(
                &at("order"),
                &a.place.order,
                &w["order"].as_u64().map(|o| o as u32),
            );
        }
        if let Some(paper) = w.get("paper") {
            differ(&at("paper"), &a.place.paper, &opt(paper));
        }
        // A dump record's own id is kept (the gold of the other forms has none).
        if let Some(id) = w.get("id") {
            differ(&at("source id"), &a.source_id, &opt(id));
        }
    }
    if want.is_empty() || gold["form"] != "jsonl" {
        differ("paper", &file.place.paper, &opt(&gold["paper"]));
        differ("page name", &file.place.page_name, &opt(&gold["page_name"]));
    }
    // Broken lines: one warning each, naming the line.
    let mut bad: Vec<u64> = lib
        .warnings
        .iter()
        .filter(|w| w.file == rel)
        .filter_map(|w| {
            w.reason
                .strip_prefix("line ")?
                .split(':')
                .next()?
                .parse()
                .ok()
        })
        .collect();
    bad.sort();
    let want_bad: Vec<u64> = gold["bad_lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    differ("bad lines", &bad, &want_bad);
    out
}

#[test]
fn every_fixture_reads_as_its_gold_says() {
    let mut all = Vec::new();
    let mut checked = 0;
    for (root, settings) in ROOTS {
        let root = fixtures().join(root);
        let dir = copy_inputs(&root, settings);
        let lib = archive::load(&LibrarySource::Dir(dir.path().to_path_buf()));
        // No file but the broken lines of dumps is a warning.
        for w in &lib.warnings {
            assert!(w.reason.starts_with("line "), "{w}");
        }
        for (rel, gold) in golds(&root) {
            let file = lib.files.iter().find(|f| f.file == rel);
            all.extend(differences(&rel, file, &lib, &gold));
            checked += 1;
        }
    }
    assert!(checked >= 60, "{checked} gold files");
    assert!(
        all.is_empty(),
        "{} differences:\n{}",
        all.len(),
        all.join("\n")
    );
}

/// The same article saved twice in one issue (on pages 01 and 03, or 01 and 04) is
/// listed once, with the other page it stands on; an ad slot is nowhere.
#[test]
fn copies_are_listed_once_and_ads_not_at_all() {
    let root = fixtures().join("crawler");
    let dir = copy_inputs(&root, "");
    let source = LibrarySource::Dir(dir.path().to_path_buf());
    let cat = catalog::scan(&source);
    let lib = archive::load(&source);
    let first_id = |rel: &str| -> String {
        lib.files.iter().find(|f| f.file == rel).unwrap().articles[0]
            .id
            .clone()
    };
    let mut copies = 0;
    for (rel, gold) in golds(&root) {
        if gold["ad"].as_bool() == Some(true) {
            let f = lib.files.iter().find(|f| f.file == rel).unwrap();
            assert!(f.articles.is_empty(), "{rel}: an ad is not an article");
            continue;
        }
        let Some(original) = gold["duplicate_of"].as_str() else {
            continue;
        };
        let original = original.strip_prefix("crawler/").unwrap_or(original);
        copies += 1;
        let (a, b) = (first_id(&rel), first_id(original));
        let pos = cat.position(&b).expect("the original is listed");
        assert_eq!(
            cat.position(&a),
            Some(pos),
            "{rel}: the copy leads to its original"
        );
        let listed = cat
            .heads()
            .iter()
            .filter(|h| h.id == a || h.id == b)
            .count();
        assert_eq!(listed, 1, "{rel}: listed once");
        let page = format!("第{:02}版", gold["page"].as_u64().unwrap());
        assert!(
            cat.article(pos).unwrap().also_on().contains(&page),
            "{rel}: also on {page}: {:?}",
            cat.article(pos).unwrap().also_on()
        );
    }
    assert_eq!(copies, 2);
    // Ads are in no list row: every title listed is a real one.
    assert!(cat.heads().iter().all(|h| h.title != "广告"));
}

/// Issues newest first, pages in order, articles in their order on the page: the list
/// of an article-file library reads like the paper.
#[test]
fn article_files_take_their_place_in_the_paper() {
    let dir = copy_inputs(&fixtures().join("crawler"), "");
    let cat = catalog::scan(&LibrarySource::Dir(dir.path().to_path_buf()));
    assert_eq!(cat.papers.len(), 1);
    let dates: Vec<String> = cat
        .issues
        .iter()
        .map(|i| i.date.map(|d| d.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(
        dates,
        ["2019-10-19", "2019-10-18", "2019-10-01", "2019-09-30"]
    );
    // No one-article issues: four issues for forty files.
    assert!(cat.len() >= 30, "{}", cat.len());
}

/// A folder's `dubao.toml` wins over the name and the shape: `unit = "page"` makes an
/// article file a page to segment, `unit = "article"` makes any text one article, and
/// `paper` names the folder's paper.
#[test]
fn folder_settings_win() {
    let dir = tempfile::tempdir().unwrap();
    let text = "引题\n标题甲\n\n\u{3000}\u{3000}第一段。\n\n标题乙\n\n\u{3000}\u{3000}第二段。\n";
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::create_dir_all(dir.path().join("b")).unwrap();
    std::fs::write(dir.path().join("a/x.txt"), text).unwrap();
    std::fs::write(dir.path().join("b/x.txt"), text).unwrap();
    std::fs::write(
        dir.path().join("a/dubao.toml"),
        "unit = \"article\"\npaper = \"甲报\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("b/dubao.toml"), "unit = \"page\"\n").unwrap();
    let lib = archive::load(&LibrarySource::Dir(dir.path().to_path_buf()));
    let file = |rel: &str| lib.files.iter().find(|f| f.file == rel).unwrap();
    let a = file("a/x.txt");
    assert_eq!(a.articles.len(), 1);
    assert_eq!(a.articles[0].kicker.as_deref(), Some("引题"));
    assert_eq!(a.articles[0].place.paper.as_deref(), Some("甲报"));
    assert_eq!(file("b/x.txt").articles.len(), 2);
    assert!(lib.warnings.is_empty(), "{:?}", lib.warnings);
    // A broken settings file is one warning naming it; the library reads on.
    std::fs::write(dir.path().join("b/dubao.toml"), "unit = \"leaflet\"\n").unwrap();
    let lib = archive::load(&LibrarySource::Dir(dir.path().to_path_buf()));
    assert_eq!(lib.files.len(), 2);
    assert_eq!(lib.warnings.len(), 1);
    assert_eq!(lib.warnings[0].file, "b/dubao.toml");
}

/// The built-in samples are the 焦作日报 (their own `dubao.toml` says so).
#[test]
fn the_samples_name_their_paper() {
    let lib = archive::load(&LibrarySource::Embedded);
    assert!(!lib.files.is_empty());
    assert!(
        lib.articles()
            .all(|a| a.place.paper.as_deref() == Some("焦作日报"))
    );
}

fn dubao(args: &[&str], library: &str, data: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_dubao"))
        .args(args)
        .env("DUBAO_LIBRARY", library)
        .env("DUBAO_DATA_DIR", data)
        .env("DUBAO_STATE_DIR", data.join("state"))
        .env("DUBAO_CONFIG", data.join("no-config.toml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `list`, `export --json` and `show` carry kicker, subtitle, byline and credit.
#[test]
fn list_export_and_show() {
    let dir = copy_inputs(&fixtures().join("crawler"), "");
    let data = tempfile::tempdir().unwrap();
    let lib = dir.path().to_str().unwrap();
    let list = dubao(&["list"], lib, data.path());
    assert!(list.contains("人民日报"), "{list}");
    assert!(list.contains("青溪县：山里的茶叶“飞”出了大山"), "{list}");
    assert!(
        !list.contains("20191018-01-01"),
        "no issue per file:\n{list}"
    );
    let export = dubao(&["export", "--json"], lib, data.path());
    let rows: Vec<Value> = export
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let tea = rows
        .iter()
        .find(|r| r["title"] == "青溪县：山里的茶叶“飞”出了大山")
        .expect("exported");
    assert_eq!(tea["kicker"], "走基层·看变化");
    assert_eq!(tea["byline"], "本报记者陈静怡");
    assert_eq!(tea["credit"], "本报记者  程  曦摄");
    assert_eq!(tea["paper"], "人民日报");
    assert_eq!(tea["date"], "2019-09-30");
    assert_eq!(tea["page"], "01");
    assert!(rows.iter().all(|r| r["title"] != "广告"));
    let id = tea["id"].as_str().unwrap();
    let show = dubao(&["show", id, "--width", "40"], lib, data.path());
    let lines: Vec<&str> = show.lines().collect();
    assert_eq!(lines[0], "走基层·看变化", "{show}");
    assert_eq!(
        lines.iter().rev().find(|l| !l.trim().is_empty()).copied(),
        Some("本报记者  程  曦摄"),
        "the credit closes the article:\n{show}"
    );
}

// ---- the reader ----

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dubao::app::state_file::ReadingState;
use dubao::app::{App, IndexStatus, handle_key};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let theme = dubao::ui::theme::Theme::new(true);
    t.draw(|f| dubao::ui::draw(f, app, &theme)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut x = 0;
        let mut line = String::new();
        while x < w {
            let s = buf[(x, y)].symbol();
            line.push_str(s);
            x += dubao::text::str_width(s).max(1) as u16;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// An article-file library in the reader at 80×24: paper → issue → page → article,
/// newest first, no issue per file, no ad; an article opened shows its kicker, title,
/// subtitle and byline, and closes with its credit.
#[test]
fn article_files_in_the_reader() {
    let dir = copy_inputs(&fixtures().join("crawler"), "");
    let lib = archive::load(&LibrarySource::Dir(dir.path().to_path_buf()));
    let mut app = App::new(lib, ReadingState::default(), 80);
    app.resize(80, 24);
    app.index_progress(IndexStatus::Ready);
    let list = screen(&app, 80, 24);
    assert!(list.starts_with("人民日报"), "{list}");
    assert!(list.contains("2019-10-19 星期六"), "{list}");
    assert!(!list.contains("广告"), "{list}");
    insta::assert_snapshot!("forms_article_files_list_80x24", list);
    // The newest issue's first article: 20191019-02-01, an interview with a subtitle.
    let key = |app: &mut App, code| handle_key(app, KeyEvent::new(code, KeyModifiers::NONE));
    key(&mut app, KeyCode::Enter);
    let article = screen(&app, 80, 24);
    assert!(article.contains("——访云州市教育局局长钱明华"), "{article}");
    assert!(
        article.contains("本报记者宋明远 · 人民日报 2019年10月19日 第02版"),
        "{article}"
    );
    insta::assert_snapshot!("forms_article_file_reader_80x24", article);
    // Its end: the last paragraph, then the credit alone.
    key(&mut app, KeyCode::End);
    let end = screen(&app, 80, 24);
    insta::assert_snapshot!("forms_article_file_reader_end_80x24", end);
}
