//! The search engine end to end: relevance on made-up pages and the samples, typing,
//! filters, incremental updates and every fault the index must survive.

use dubao::archive::source::LibrarySource;
use dubao::index::{Hit, Order, SearchIndex, build, match_ranges};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

struct Lib {
    dir: tempfile::TempDir,
}

impl Lib {
    fn new(files: &[(&str, &str)]) -> Lib {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            write(dir.path(), name, text);
        }
        Lib { dir }
    }
    fn source(&self) -> LibrarySource {
        LibrarySource::Dir(self.dir.path().to_path_buf())
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn write(root: &Path, name: &str, text: &str) {
    let p = root.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// An article page: a heading and paragraphs.
fn page(title: &str, paras: &[&str]) -> String {
    let mut s = format!("### {title}\n\n");
    for p in paras {
        s.push_str(p);
        s.push_str("\n\n");
    }
    s
}

fn open(source: &LibrarySource, data: &Path) -> SearchIndex {
    SearchIndex::open(source, data, &mut |_| {}).unwrap()
}

fn search(idx: &SearchIndex, q: &str) -> Vec<Hit> {
    idx.search(q, 1000).unwrap()
}

fn issues(hits: &[Hit]) -> BTreeSet<String> {
    hits.iter().map(|h| h.issue.clone()).collect()
}

fn made_up() -> Lib {
    Lib::new(&[
        (
            "a.md",
            &page(
                "焦作市区空气质量持续改善",
                &["今年以来，焦作市区PM2.5平均浓度下降。", "记者 张卫东 报道"],
            ),
        ),
        (
            "b.md",
            &page(
                "中国农业发展银行支持春耕",
                &["农发行焦作分行发放贷款，支持农民购买化肥。"],
            ),
        ),
        (
            "c.md",
            &page("全角数字", &["监测显示ＰＭ２．５浓度为每立方米35微克。"]),
        ),
        (
            "d.md",
            &page("下标写法", &["细颗粒物PM<sub>2.5</sub>与PM_{10}同步下降。"]),
        ),
        ("e.md", &page("另一种下标", &["公式里写作PM_{2.5}的指标。"])),
        (
            "f.md",
            &page(
                "环境保护工作会议",
                &["会议研究了生态环境保护和Beijing合作事项，增长6.6%。"],
            ),
        ),
        (
            "g.md",
            &page("体育新闻", &["焦作队在比赛中获胜，市民欢呼。"]),
        ),
    ])
}

fn stems(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn sub_words_inside_longer_words() {
    let lib = made_up();
    let data = tempfile::tempdir().unwrap();
    let idx = open(&lib.source(), data.path());
    assert_eq!(issues(&search(&idx, "市区")), stems(&["a"]));
    assert_eq!(issues(&search(&idx, "农业")), stems(&["b"]));
    assert_eq!(issues(&search(&idx, "发展银行")), stems(&["b"]));
    assert!(search(&idx, "量子纠缠").is_empty());
}

#[test]
fn pm25_in_every_spelling() {
    let lib = made_up();
    let data = tempfile::tempdir().unwrap();
    let idx = open(&lib.source(), data.path());
    let want = stems(&["a", "c", "d", "e"]);
    assert_eq!(issues(&search(&idx, "PM2.5")), want);
    assert_eq!(issues(&search(&idx, "ＰＭ２．５ ")), want);
    assert_eq!(issues(&search(&idx, "pm2.5 ")), want);
    // Every hit's snippet highlights the match.
    for h in search(&idx, "PM2.5") {
        assert!(!h.highlights.is_empty(), "{h:?}");
        let lit: String = h.highlights.iter().map(|r| &h.snippet[r.clone()]).collect();
        assert!(!lit.is_empty());
    }
    assert_eq!(issues(&search(&idx, "6.6%")), stems(&["f"]));
}

#[test]
fn traditional_finds_simplified() {
    let lib = made_up();
    let data = tempfile::tempdir().unwrap();
    let idx = open(&lib.source(), data.path());
    assert_eq!(issues(&search(&idx, "環境保護")), stems(&["f"]));
    assert_eq!(issues(&search(&idx, "農業")), stems(&["b"]));
}

#[test]
fn every_prefix_while_typing_finds_the_word() {
    let lib = made_up();
    let data = tempfile::tempdir().unwrap();
    let idx = open(&lib.source(), data.path());
    let articles = dubao::archive::load(&lib.source());
    for word in ["环境保护", "张卫东", "Beijing", "农发行"] {
        let chars: Vec<char> = word.chars().collect();
        for n in 1..=chars.len() {
            let typed: String = chars[..n].iter().collect();
            let hits = search(&idx, &typed);
            assert!(!hits.is_empty(), "{typed:?} found nothing");
            for h in &hits {
                // The match is shown: in the title, the byline, or the snippet.
                let byline = articles
                    .article(&h.id)
                    .and_then(|a| a.byline.clone())
                    .unwrap_or_default();
                let in_meta = !match_ranges(&typed, &h.title).is_empty()
                    || !match_ranges(&typed, &byline).is_empty();
                assert!(in_meta || !h.highlights.is_empty(), "{typed:?}: {h:?}");
            }
            let want = if word == "Beijing" || word == "环境保护" {
                "f"
            } else if word == "农发行" {
                "b"
            } else {
                "a"
            };
            assert!(issues(&hits).contains(want), "{typed:?} missed {want}");
        }
    }
}

#[test]
fn phrases_exclusions_filters_and_junk() {
    let lib = made_up();
    let data = tempfile::tempdir().unwrap();
    let idx = open(&lib.source(), data.path());
    let both = issues(&search(&idx, "焦作 市区"));
    assert!(both.contains("a"));
    assert_eq!(issues(&search(&idx, "\"焦作市区\"")), stems(&["a"]));
    assert!(search(&idx, "\"市区焦作\"").is_empty());
    let jiaozuo = issues(&search(&idx, "焦作"));
    assert!(jiaozuo.len() >= 3);
    let without = issues(&search(&idx, "焦作 -市区"));
    assert!(!without.contains("a") && without.len() == jiaozuo.len() - 1);
    // Filters: title words only in titles.
    let t = search(&idx, "title:环境");
    assert_eq!(issues(&t), stems(&["f"]));
    assert!(search(&idx, "title:化肥").is_empty());
    assert!(!search(&idx, "化肥").is_empty());
    // Dates: whatever the archive dates, a filter never returns a date outside it.
    for h in search(&idx, "焦作 date:2019-11") {
        let d = h.date.expect("a dated hit");
        assert_eq!((d.year, d.month), (2019, 11));
    }
    for junk in [
        "", " ", "\"", "-", "title:", "by:", "date:", "date:20", "\"焦作", "-\"", "：", "((", "*",
    ] {
        idx.search(junk, 10).unwrap();
    }
}

#[test]
fn samples_names_and_places() {
    let data = tempfile::tempdir().unwrap();
    let idx = open(&LibrarySource::Embedded, data.path());
    assert!(idx.num_articles() >= 5);
    let lib = dubao::archive::load(&LibrarySource::Embedded);
    for q in ["焦作", "王小平", "高质量发展"] {
        let hits = search(&idx, q);
        assert!(!hits.is_empty(), "{q}");
        // Every article containing the words is found, and nothing else.
        let want: BTreeSet<String> = lib
            .articles()
            .filter(|a| {
                a.title.contains(q)
                    || a.body().contains(q)
                    || a.byline.as_deref().is_some_and(|b| b.contains(q))
            })
            .map(|a| a.id.clone())
            .collect();
        let got: BTreeSet<String> = hits.iter().map(|h| h.id.clone()).collect();
        assert_eq!(got, want, "{q}");
        for h in &hits {
            assert!(dubao::text::str_width(&h.snippet) <= 80);
            assert!(!h.snippet.contains('\n'));
        }
    }
}

/// Everything a query set answers, to compare two indexes.
fn answers(idx: &SearchIndex) -> Vec<(String, BTreeSet<String>)> {
    [
        "焦作",
        "市区",
        "PM2.5",
        "环境",
        "新文章",
        "改动",
        "体育",
        "农",
        "-焦作",
    ]
    .iter()
    .map(|q| {
        (
            q.to_string(),
            search(idx, q)
                .into_iter()
                .map(|h| format!("{}|{}", h.id, h.snippet))
                .collect(),
        )
    })
    .collect()
}

fn fresh(source: &LibrarySource) -> (u64, Vec<(String, BTreeSet<String>)>) {
    let data = tempfile::tempdir().unwrap();
    let idx = open(source, data.path());
    (idx.num_articles(), answers(&idx))
}

#[test]
fn incremental_update_equals_fresh_build() {
    let lib = made_up();
    let data = tempfile::tempdir().unwrap();
    let first = open(&lib.source(), data.path());
    assert_eq!(
        (first.num_articles(), answers(&first)),
        fresh(&lib.source())
    );
    drop(first);
    change_library(&lib);
    let mut p = dubao::index::Progress::default();
    let idx = SearchIndex::open(&lib.source(), data.path(), &mut |x| p = x).unwrap();
    assert_eq!(
        p.files_total, 2,
        "only the added and changed files are read"
    );
    assert!(!search(&idx, "新文章").is_empty());
    assert!(search(&idx, "体育").is_empty());
    assert!(search(&idx, "市区").is_empty());
    assert_eq!((idx.num_articles(), answers(&idx)), fresh(&lib.source()));
    drop(idx);
    // Nothing changed: nothing read.
    SearchIndex::open(&lib.source(), data.path(), &mut |x| p = x).unwrap();
    assert_eq!(p.files_total, 0);
}

/// One line of a made-up dump.
fn dump_line(title: &str, body: &str, date: &str) -> String {
    format!("{{\"title\":\"{title}\",\"content\":\"{body}\",\"date\":\"{date}\"}}\n")
}

/// What a search and the catalog say of a library: each hit's id, issue and snippet,
/// sorted (results that score alike may come in another order); each listed article's
/// id, title and place, and the warnings.
fn everything(mut idx: SearchIndex, queries: &[&str]) -> (Vec<String>, Vec<String>) {
    let mut hits: Vec<String> = queries
        .iter()
        .flat_map(|q| search(&idx, q))
        .map(|h| format!("{}|{}|{}", h.id, h.issue, h.snippet))
        .collect();
    hits.sort();
    let catalog = idx.take_catalog().expect("a catalog");
    let listed = (0..catalog.len())
        .map(|n| {
            let a = catalog.article(n).unwrap();
            format!("{}|{}|{:?}", a.id(), a.title(), catalog.place_of(n))
        })
        .chain((catalog.warnings.iter()).map(|w| format!("warning|{}: {}", w.file, w.reason)))
        .collect();
    (hits, listed)
}

/// A dump that grows a line at a time (a crawler appending to it) is read where it
/// grew: the update parses only the new lines, and the index and the list are those of
/// a fresh build of the whole dump — a repeat of an old article and a broken line
/// among the new ones included. A dump rewritten, not appended to, is read whole.
#[test]
fn an_appended_dump_is_read_only_where_it_grew() {
    let old = dump_line("云台山红叶正浓", "游客络绎不绝，红叶满山。", "2019-10-01")
        + &dump_line("秋粮收购开始", "粮站前排起长队。", "2019-10-02");
    let lib = Lib::new(&[
        ("dump/feed.jsonl", &old),
        (
            "other.md",
            &page("环境保护工作会议", &["会议研究了合作事项。"]),
        ),
    ]);
    let data = tempfile::tempdir().unwrap();
    drop(open(&lib.source(), data.path()));
    let added = dump_line("新粮入库", "粮仓满了，秋粮收购过半。", "2019-10-03")
        + "{\"title\": broken\n"
        + &dump_line("云台山红叶正浓", "游客络绎不绝，红叶满山。", "2019-10-01");
    write(lib.path(), "dump/feed.jsonl", &(old.clone() + &added));
    let mut p = dubao::index::Progress::default();
    let idx = SearchIndex::open(&lib.source(), data.path(), &mut |x| p = x).unwrap();
    assert_eq!(
        (p.files_total, p.bytes_total, p.articles),
        (1, added.len() as u64, 2),
        "only the appended lines are read"
    );
    let queries = ["秋粮", "红叶", "粮仓", "合作", "qiuliang", "白菜"];
    assert_eq!(idx.num_articles(), 5);
    let fresh_data = tempfile::tempdir().unwrap();
    let fresh = open(&lib.source(), fresh_data.path());
    assert_eq!(fresh.num_articles(), 5);
    let appended = everything(idx, &queries);
    assert_eq!(appended, everything(fresh, &queries));
    assert_eq!(appended.1.len(), 5, "{:?}", appended.1);
    assert!(
        appended.1[4].starts_with("warning|dump/feed.jsonl: line 4: broken JSON"),
        "the broken line is named by its line in the whole dump: {:?}",
        appended.1
    );
    assert!(
        appended.1.iter().filter(|a| a.contains("红叶")).count() == 1,
        "a record the dump holds twice in one issue is listed once, as it is found once: {:?}",
        appended.1
    );
    assert_eq!(appended.0.iter().filter(|h| h.contains("红叶")).count(), 1);
    // Nothing changed: nothing read; the parts stay as they are.
    let idx = SearchIndex::open(&lib.source(), data.path(), &mut |x| p = x).unwrap();
    assert_eq!((p.files_total, idx.num_articles()), (0, 5));
    drop(idx);
    // Appended to again, twice with the same line, then rewritten with more bytes than
    // before: the first two are read where they grew, the last whole, and each answers
    // as a fresh build.
    let more = dump_line("冬储菜上市", "白菜萝卜堆成山。", "2019-11-01");
    let mut grown = old.clone() + &added;
    for articles in [6, 7] {
        grown.push_str(&more);
        write(lib.path(), "dump/feed.jsonl", &grown);
        let idx = SearchIndex::open(&lib.source(), data.path(), &mut |x| p = x).unwrap();
        assert_eq!((p.bytes_total, p.articles), (more.len() as u64, 1));
        assert_eq!(idx.num_articles(), articles);
        let fresh_data = tempfile::tempdir().unwrap();
        let fresh = open(&lib.source(), fresh_data.path());
        assert_eq!(everything(idx, &queries), everything(fresh, &queries));
    }
    let rewritten = grown.replace("粮站前排起长队", "粮站门前排长队");
    write(lib.path(), "dump/feed.jsonl", &(rewritten.clone() + &more));
    let idx = SearchIndex::open(&lib.source(), data.path(), &mut |x| p = x).unwrap();
    assert_eq!(
        p.bytes_total,
        (rewritten.len() + more.len()) as u64,
        "read whole"
    );
    assert!(search(&idx, "前排起").is_empty(), "the old text is gone");
    let fresh_data = tempfile::tempdir().unwrap();
    let fresh = open(&lib.source(), fresh_data.path());
    assert_eq!(idx.num_articles(), 8);
    assert_eq!(everything(idx, &queries), everything(fresh, &queries));
}

/// A dump in GBK grown by a short line is read in the whole dump's encoding: the
/// line alone (`學校`, `開學`) would pass for Big5.
#[test]
fn a_line_appended_to_a_gbk_dump_is_read_in_its_encoding() {
    let gbk = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
    let old: String = (1..=6)
        .map(|d| {
            let day = format!("2019-10-0{d}");
            dump_line("秋粮收购开始", "粮站前排起长队，农民把新粮送进粮仓。", &day)
        })
        .collect();
    let lib = Lib::new(&[("other.md", &page("环境保护", &["会议研究了合作事项。"]))]);
    std::fs::create_dir_all(lib.path().join("dump")).unwrap();
    let file = lib.path().join("dump/feed.jsonl");
    std::fs::write(&file, gbk(&old)).unwrap();
    let data = tempfile::tempdir().unwrap();
    drop(open(&lib.source(), data.path()));
    let added = dump_line("學校", "開學", "2019-10-09");
    let tail = gbk(&added);
    assert_ne!(
        dubao::archive::decode::decode(&tail).ok().as_deref(),
        Some(added.as_str()),
        "the test needs a line that alone is taken for another encoding"
    );
    std::fs::write(&file, [gbk(&old), tail].concat()).unwrap();
    let mut p = dubao::index::Progress::default();
    let idx = SearchIndex::open(&lib.source(), data.path(), &mut |x| p = x).unwrap();
    assert_eq!((p.files_total, p.articles), (1, 1), "read where it grew");
    let hits = search(&idx, "學校");
    assert_eq!(hits.len(), 1, "the appended title is found as written");
    let fresh_data = tempfile::tempdir().unwrap();
    let fresh = open(&lib.source(), fresh_data.path());
    assert_eq!(
        everything(idx, &["學校", "粮仓"]),
        everything(fresh, &["學校", "粮仓"])
    );
}

/// One file added (h.md: 新文章), one changed (a.md), one deleted (g.md).
fn change_library(lib: &Lib) {
    write(
        lib.path(),
        "h.md",
        &page("新文章", &["新增加的一篇新文章。"]),
    );
    write(
        lib.path(),
        "a.md",
        &page("改动以后的标题", &["内容改动了。"]),
    );
    std::fs::remove_file(lib.path().join("g.md")).unwrap();
}

fn lock_path(source: &LibrarySource, data: &Path) -> PathBuf {
    let (key, _) = build::library_key(source).unwrap();
    data.join("index").join(format!("{key}.lock"))
}

#[test]
fn held_lock_opens_read_only_then_catches_up() {
    let lib = made_up();
    let data = tempfile::tempdir().unwrap();
    drop(open(&lib.source(), data.path()));
    write(
        lib.path(),
        "h.md",
        &page("新文章", &["新增加的一篇新文章。"]),
    );
    let lock = std::fs::File::open(lock_path(&lib.source(), data.path())).unwrap();
    lock.lock().unwrap();
    let idx = open(&lib.source(), data.path());
    assert!(!idx.notices().is_empty());
    assert!(
        search(&idx, "新文章").is_empty(),
        "read-only: the index as it was"
    );
    assert!(!search(&idx, "市区").is_empty());
    lock.unlock().unwrap();
    drop(idx);
    let idx = open(&lib.source(), data.path());
    assert!(idx.notices().is_empty());
    assert_eq!((idx.num_articles(), answers(&idx)), fresh(&lib.source()));
}

#[test]
fn corrupted_index_is_rebuilt() {
    let lib = made_up();
    for target in ["segment", "meta.json", "manifest"] {
        let data = tempfile::tempdir().unwrap();
        drop(open(&lib.source(), data.path()));
        let (key, _) = build::library_key(&lib.source()).unwrap();
        let dir = build::index_dir(data.path(), &key);
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let hit = match target {
                "segment" => {
                    name.ends_with(".idx") || name.ends_with(".term") || name.ends_with(".store")
                }
                "meta.json" => name == "meta.json",
                _ => name.starts_with("dubao-manifest"),
            };
            if hit {
                let mut bytes = std::fs::read(&p).unwrap();
                let mid = bytes.len() / 2;
                for b in bytes.iter_mut().skip(mid.saturating_sub(8)).take(16) {
                    *b ^= 0x5a;
                }
                std::fs::write(&p, bytes).unwrap();
            }
        }
        let idx = open(&lib.source(), data.path());
        assert!(
            idx.notices().iter().any(|n| n.contains("rebuilding")),
            "{target}: {:?}",
            idx.notices()
        );
        assert_eq!(
            (idx.num_articles(), answers(&idx)),
            fresh(&lib.source()),
            "{target}"
        );
    }
}

#[test]
fn unwritable_data_folder_keeps_index_in_memory() {
    let lib = made_up();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let idx = open(&lib.source(), &file.join("sub"));
    assert!(idx.notices().iter().any(|n| n.contains("memory")));
    assert_eq!((idx.num_articles(), answers(&idx)), fresh(&lib.source()));
}

/// A library big enough that building it takes a while.
fn big_library(root: &Path, files: usize) {
    let words = [
        "焦作",
        "市区",
        "环境",
        "农业",
        "发展",
        "银行",
        "会议",
        "记者",
        "建设",
        "PM2.5",
        "增长6.6%",
    ];
    for f in 0..files {
        let mut paras = Vec::new();
        for p in 0..40 {
            let mut s = String::new();
            for k in 0..30 {
                s.push_str(words[(f * 7 + p * 3 + k) % words.len()]);
                s.push_str(if k % 5 == 4 { "，" } else { "的" });
            }
            s.push_str(&format!("第{f}号文件第{p}段。"));
            paras.push(s);
        }
        let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
        write(
            root,
            &format!("{:03}/{f:05}.md", f / 100),
            &page(&format!("标题{f}"), &refs),
        );
    }
}

#[test]
fn killed_build_converges_on_next_run() {
    let lib = Lib::new(&[]);
    big_library(lib.path(), 1500);
    let data = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_dubao");
    for delay_ms in [300u64, 900, 2000] {
        let mut child = std::process::Command::new(bin)
            .arg("--library")
            .arg(lib.path())
            .arg("--data-dir")
            .arg(data.path())
            .arg("index")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
    }
    // Some files change between the kills and the next run.
    write(
        lib.path(),
        "000/00001.md",
        &page("改动", &["改动后的内容。"]),
    );
    let idx = open(&lib.source(), data.path());
    let q = ["焦作", "第7号文件", "改动", "增长6.6%", "第1号文件第3段"];
    // Every hit (no cut-off by rank: scores may differ while deleted documents await a
    // merge), as sorted lists of ids.
    let all = |idx: &SearchIndex| -> Vec<Vec<String>> {
        q.iter()
            .map(|q| {
                let mut v: Vec<String> = idx
                    .search(q, 100_000)
                    .unwrap()
                    .into_iter()
                    .map(|h| h.id)
                    .collect();
                v.sort();
                v
            })
            .collect()
    };
    let got = all(&idx);
    let n = idx.num_articles();
    drop(idx);
    let fresh_data = tempfile::tempdir().unwrap();
    let fresh_idx = open(&lib.source(), fresh_data.path());
    let want = all(&fresh_idx);
    assert_eq!(n, fresh_idx.num_articles());
    assert_eq!(got, want);
}

/// A phrase whose bigrams are everywhere but side by side only in some articles: with
/// few results asked (candidates cut short) every hit still holds the phrase, and with
/// many asked the answer is exactly the articles holding it.
#[test]
fn phrase_with_common_bigrams_stays_exact() {
    let lib = tempfile::tempdir().unwrap();
    let near = "示范 范区 ".repeat(8);
    for i in 0..260 {
        write(lib.path(), &format!("n{i}.md"), &page("范区示范", &[&near]));
    }
    for i in 0..3 {
        write(
            lib.path(),
            &format!("p{i}.md"),
            &page("新闻", &["建设示范区。"]),
        );
    }
    let data = tempfile::tempdir().unwrap();
    let idx = open(&LibrarySource::Dir(lib.path().to_path_buf()), data.path());
    let want = stems(&["p0", "p1", "p2"]);
    assert_eq!(issues(&search(&idx, "示范区")), want);
    let few = idx.search("示范区", 2).unwrap();
    assert_eq!(few.len(), 2);
    assert!(issues(&few).is_subset(&want));
    // Many articles hold the phrase: the first results all do.
    for i in 3..250 {
        write(
            lib.path(),
            &format!("p{i}.md"),
            &page("新闻", &["建设示范区。"]),
        );
    }
    let idx = open(&LibrarySource::Dir(lib.path().to_path_buf()), data.path());
    let few = idx.search("示范区", 5).unwrap();
    assert_eq!(few.len(), 5);
    assert!(few.iter().all(|h| h.issue.starts_with('p')), "{few:?}");
    assert_eq!(search(&idx, "示范区").len(), 250);
}

/// What the list shows: ids and titles in list order, and the files it could not read.
fn listing(c: &dubao::archive::Catalog) -> (Vec<(String, String)>, Vec<String>) {
    (
        c.heads()
            .iter()
            .map(|a| (a.id.clone(), a.title.clone()))
            .collect(),
        c.warnings.iter().map(|w| w.to_string()).collect(),
    )
}

#[test]
fn catalog_follows_the_files() {
    use dubao::archive::catalog;
    let lib = made_up();
    let data = tempfile::tempdir().unwrap();
    let mut idx = open(&lib.source(), data.path());
    let built = idx.take_catalog().expect("a catalog");
    let scanned = catalog::scan(&lib.source());
    assert!(!scanned.is_empty());
    assert_eq!(listing(&built), listing(&scanned));
    assert_eq!(built.fingerprint, scanned.fingerprint);
    let saved = dubao::index::saved_catalog(&lib.source(), data.path()).expect("saved");
    assert_eq!(listing(&saved), listing(&scanned));
    drop(idx);

    // Added, changed, deleted and unreadable files: the saved catalog follows.
    change_library(&lib);
    std::fs::write(lib.path().join("bad.txt"), [0u8, 159, 146, 150, 0, 0, 7, 1]).unwrap();
    let mut idx = open(&lib.source(), data.path());
    let scanned = catalog::scan(&lib.source());
    let built = idx.take_catalog().unwrap();
    assert_eq!(listing(&built), listing(&scanned));
    assert!(
        built.warnings.iter().any(|w| w.file == "bad.txt"),
        "{:?}",
        built.warnings
    );
    assert!(built.heads().iter().any(|a| a.title == "改动以后的标题"));
    let saved = dubao::index::saved_catalog(&lib.source(), data.path()).unwrap();
    assert_eq!(listing(&saved), listing(&scanned));
    let articles = idx.num_articles();
    let before = answers(&idx);
    drop(idx);

    // The laid-out catalog damaged: the next update lays it out again, the same bytes.
    let (key, _) = build::library_key(&lib.source()).unwrap();
    let laid = build::index_dir(data.path(), &key).join(catalog::LAID_FILE);
    let good = std::fs::read(&laid).unwrap();
    let mut bytes = good.clone();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&laid, bytes).unwrap();
    // (`dubao index` checks it; a reader's update leaves that to it.)
    drop(build::open_on_disk(&lib.source(), data.path(), false, false, &mut |_| {}).unwrap());
    assert!(std::fs::read(&laid).unwrap() == good, "laid out again");

    // The catalog lost (or damaged) while the index is sound: the files are parsed again
    // for the catalog, the index is left as it is.
    let file = build::index_dir(data.path(), &key).join(catalog::FILE_NAME);
    for damage in ["delete", "flip"] {
        for file in [&file, &laid] {
            if damage == "delete" {
                std::fs::remove_file(file).unwrap();
            } else {
                let mut bytes = std::fs::read(file).unwrap();
                let mid = bytes.len() / 2;
                bytes[mid] ^= 0xff;
                std::fs::write(file, bytes).unwrap();
            }
        }
        // A reader does not read the whole laid-out file to check it (see
        // `catalog/flat.rs`): a flipped byte there is found by the update below.
        if damage == "delete" {
            assert!(dubao::index::saved_catalog(&lib.source(), data.path()).is_none());
        }
        let mut p = dubao::index::Progress::default();
        let mut idx = SearchIndex::open(&lib.source(), data.path(), &mut |x| p = x).unwrap();
        assert!(p.files_total > 0, "{damage}: files parsed again");
        assert_eq!(idx.num_articles(), articles, "{damage}");
        assert_eq!(answers(&idx), before, "{damage}");
        assert_eq!(listing(&idx.take_catalog().unwrap()), listing(&scanned));
        let saved = dubao::index::saved_catalog(&lib.source(), data.path()).unwrap();
        assert_eq!(listing(&saved), listing(&scanned), "{damage}");
    }
}

#[test]
fn one_character_looks_in_titles_first_when_they_fill_the_list() {
    // 水 in three titles and in many bodies; 雪 only in bodies.
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..3 {
        files.push((
            format!("t{i}.md"),
            page(&format!("第{i}篇水利新闻"), &["今天天气晴朗。"]),
        ));
    }
    for i in 0..8 {
        files.push((
            format!("b{i}.md"),
            page(&format!("第{i}篇报道"), &["河里的水很清，下雪了。"]),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let lib = Lib::new(&refs);
    let data = tempfile::tempdir().unwrap();
    let mut idx = open(&lib.source(), data.path());
    let everywhere = idx.search("水", 3).unwrap();
    idx.set_titles_first_from(0);
    let titles = idx.search("水", 3).unwrap();
    assert_eq!(titles.len(), 3);
    assert!(titles.iter().all(|h| h.title.contains('水')), "{titles:?}");
    // Titles rank first anyway: the same answer as looking everywhere.
    let ids = |h: &[Hit]| h.iter().map(|h| h.id.clone()).collect::<BTreeSet<_>>();
    assert_eq!(ids(&titles), ids(&everywhere));
    // Too few titles: bodies too.
    assert_eq!(idx.search("水", 6).unwrap().len(), 6);
    assert_eq!(idx.search("雪", 20).unwrap().len(), 8);
    // Not for a word of two characters, an exclusion or a finished word.
    assert_eq!(idx.search("水很", 20).unwrap().len(), 8);
    assert_eq!(idx.search("水 ", 20).unwrap().len(), 11);
}

/// Pinyin in the search box: whole syllables, syllables still being typed, Han and
/// pinyin mixed, polyphones, initials at the start of a title; titles and bylines only.
#[test]
fn pinyin_finds_titles_and_bylines() {
    let lib = Lib::new(&[
        (
            "a.md",
            &page(
                "焦作市区空气质量持续改善",
                &["记者 张卫东 报道", "今年以来，焦作市区细颗粒物浓度下降。"],
            ),
        ),
        (
            "b.md",
            &page("春耕备耕有序推进", &["农发行焦作分行发放贷款。"]),
        ),
        (
            "h.md",
            &page(
                "云台山景区迎来游客高峰",
                &["记者 李明 报道", "游客络绎不绝。"],
            ),
        ),
        ("i.md", &page("银行服务进社区", &["网点延长服务时间。"])),
        ("j.md", &page("西安客商来访", &["双方签订合作协议。"])),
        ("k.md", &page("先进典型事迹报告会", &["报告会在市里举行。"])),
        (
            "f.md",
            &page("环境保护工作会议", &["会议研究了与Beijing合作事项。"]),
        ),
    ]);
    let data = tempfile::tempdir().unwrap();
    let idx = open(&lib.source(), data.path());
    let found = |q: &str| issues(&search(&idx, q));
    assert_eq!(
        found("jiaozuo "),
        stems(&["a"]),
        "titles only: b says 焦作 in its body"
    );
    assert_eq!(found("yuntaishan "), stems(&["h"]));
    assert_eq!(found("焦zuo "), stems(&["a"]));
    assert_eq!(found("jiaoz"), stems(&["a"]), "the syllable being typed");
    assert_eq!(found("yinhang "), stems(&["i"]));
    assert_eq!(found("yinxing "), stems(&["i"]), "行 read both ways");
    assert!(found("xian ").contains("j"), "xi'an as well as xian");
    assert_eq!(found("xi'an "), stems(&["j"]));
    assert_eq!(found("zhangweidong "), stems(&["a"]), "a byline");
    assert_eq!(
        found("jz "),
        stems(&["a"]),
        "initials at the start of a title, not of h's byline 记者 李明"
    );
    assert_eq!(found("liming "), stems(&["h"]));
    assert!(
        found("jizhe ").is_empty(),
        "a byline's names are read in pinyin, not its role words (记者)"
    );
    assert_eq!(found("ytsjq "), stems(&["h"]));
    assert_eq!(
        found("ytsjqy "),
        stems(&["h"]),
        "initials as long as they are read: six letters"
    );
    // The snippet shows where the body says it, highlighted.
    let hit = &search(&idx, "jiaozuo ")[0];
    let lit: Vec<&str> = hit
        .highlights
        .iter()
        .map(|r| &hit.snippet[r.clone()])
        .collect();
    assert_eq!(lit, ["焦作"], "{hit:?}");
    assert!(
        search(&idx, "yuntaishan ")[0].highlights.is_empty(),
        "h's body does not say 云台山"
    );
    assert!(
        found("kq ").is_empty(),
        "initials inside a title (空气) do not count"
    );
    // Latin words in the text still come first.
    let hits = search(&idx, "beijing ");
    assert_eq!(hits.first().map(|h| h.issue.as_str()), Some("f"));
}

/// Editing a folder's `dubao.toml` re-reads the files under it, though they did not
/// change; the other files are kept.
#[test]
fn a_settings_change_rereads_the_files_it_governs() {
    let lib = Lib::new(&[
        (
            "dump/feed.jsonl",
            "{\"hed\":\"云台山红叶正浓\",\"txt\":\"游客络绎不绝。\"}\n",
        ),
        (
            "other.md",
            &page("环境保护工作会议", &["会议研究了合作事项。"]),
        ),
    ]);
    let data = tempfile::tempdir().unwrap();
    let idx = open(&lib.source(), data.path());
    assert!(
        search(&idx, "红叶").is_empty(),
        "no field it knows the name of"
    );
    drop(idx);
    write(
        lib.path(),
        "dump/dubao.toml",
        "[fields]\ntitle = \"hed\"\ncontent = \"txt\"\n",
    );
    let idx = open(&lib.source(), data.path());
    assert_eq!(issues(&search(&idx, "红叶")), stems(&["feed"]));
    assert_eq!(issues(&search(&idx, "合作")), stems(&["other"]));
    // And back: the mapping gone, the article goes too.
    drop(idx);
    std::fs::remove_file(lib.path().join("dump/dubao.toml")).unwrap();
    let idx = open(&lib.source(), data.path());
    assert!(search(&idx, "红叶").is_empty());
    assert_eq!(idx.num_articles(), 1);
}

/// Twenty-five one-article files on as many days (a crawler's folders), each about
/// 秋粮, some of them 秋粮收购, the text of the dates out of their order on disk; and
/// one article with no date at all.
fn dated_library() -> Lib {
    let lib = Lib::new(&[]);
    for k in 0..25u32 {
        // Days in a shuffled order: file k is dated day (k * 7) % 25 + 1.
        let day = (k * 7) % 25 + 1;
        let d = format!("201911{day:02}");
        let what = if k % 2 == 0 {
            "秋粮收购"
        } else {
            "秋粮晾晒"
        };
        let extra = "秋粮".repeat((k % 5) as usize);
        write(
            lib.path(),
            &format!("{d}/{d}-01-01.txt"),
            &format!(
                "\n第{k}篇稿件说{what}\n\n　　本报讯 {what}进展顺利，{extra}各乡镇按时完成。\n"
            ),
        );
    }
    write(
        lib.path(),
        "杂稿/无日期.md",
        &page("秋粮收购的一封来信", &["来信说秋粮收购很顺利。"]),
    );
    lib
}

#[test]
fn results_newest_first_and_counted_in_all() {
    let lib = dated_library();
    let data = tempfile::tempdir().unwrap();
    let idx = open(&lib.source(), data.path());
    for q in ["秋粮", "\"秋粮收购\"", "秋粮 -晾晒"] {
        let all = search(&idx, q);
        assert!(all.len() > 10, "{q}: {} results", all.len());
        assert_eq!(idx.count(q, &|| false).unwrap(), Some(all.len()), "{q}");
        // The ten newest, newest first; among them the same articles as the ten
        // newest of every result.
        let newest = idx.search_in(q, 10, Order::Newest).unwrap();
        let dates: Vec<_> = newest.iter().map(|h| h.date.unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] > w[1]), "{q}: {dates:?}");
        let mut every: Vec<_> = all.iter().filter_map(|h| h.date).collect();
        every.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(dates, every[..10], "{q}");
        // Asked for all: the undated one comes last.
        let whole = idx.search_in(q, 100, Order::Newest).unwrap();
        assert_eq!(whole.len(), all.len(), "{q}");
        if q.contains("收购") {
            assert_eq!(whole.last().unwrap().date, None, "{q}");
        }
    }
    assert_eq!(
        idx.count("秋粮", &|| true).unwrap(),
        None,
        "a count given up"
    );
    assert_eq!(idx.count("冬小麦", &|| false).unwrap(), Some(0));
}

/// An article printed on two pages of one issue is one result, as it is one entry in
/// the list; printed in two issues (a reprint) or in undated files, each stays.
#[test]
fn an_article_printed_twice_in_an_issue_is_one_result() {
    let article = "\n国庆假期铁路运输平稳有序\n\n　　国庆假期，全国铁路运输安全平稳有序。\n";
    let lib = Lib::new(&[
        ("20191001/20191001-01-01.txt", article),
        ("20191001/20191001-04-02.txt", article),
        ("20191002/20191002-03-01.txt", article),
        (
            "杂稿/a.md",
            &page("铁路运输平稳", &["国庆假期，全国铁路运输安全平稳有序。"]),
        ),
        (
            "杂稿/b.md",
            &page("铁路运输平稳", &["国庆假期，全国铁路运输安全平稳有序。"]),
        ),
    ]);
    let data = tempfile::tempdir().unwrap();
    let idx = open(&lib.source(), data.path());
    let hits = search(&idx, "铁路运输");
    let dated: Vec<String> = hits
        .iter()
        .filter_map(|h| h.date.map(|d| d.to_string()))
        .collect();
    let mut days = dated.clone();
    days.sort();
    assert_eq!(days, ["2019-10-01", "2019-10-02"], "{hits:?}");
    assert_eq!(
        hits.iter().filter(|h| h.date.is_none()).count(),
        2,
        "{hits:?}"
    );
    // The list agrees: one entry for the issue of the 1st.
    let cat = dubao::archive::catalog::scan(&lib.source());
    let first = cat
        .issues
        .iter()
        .find(|i| i.date.map(|d| d.to_string()).as_deref() == Some("2019-10-01"))
        .unwrap();
    assert_eq!(first.articles.len(), 1);
    let on_the_1st: Vec<Option<&str>> = hits
        .iter()
        .filter(|h| h.date.is_some_and(|d| d.to_string() == "2019-10-01"))
        .map(|h| h.page.as_deref())
        .collect();
    assert_eq!(on_the_1st, [Some("01")], "{hits:?}");
    // The copy on the first page stands for it, as in the list, even when the index
    // holds the other first (the first page's file added by a later update).
    let lib = Lib::new(&[("20191001/20191001-04-02.txt", article)]);
    let data = tempfile::tempdir().unwrap();
    drop(open(&lib.source(), data.path()));
    write(lib.path(), "20191001/20191001-01-01.txt", article);
    let idx = open(&lib.source(), data.path());
    let hits = search(&idx, "铁路运输");
    let pages: Vec<Option<&str>> = hits.iter().map(|h| h.page.as_deref()).collect();
    assert_eq!(pages, [Some("01")], "{hits:?}");
}
