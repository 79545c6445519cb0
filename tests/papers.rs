//! Papers, issues and pages: libraries filed the ways real archives are (folders per
//! paper and date, `第02版`, `rmrb2019112503`, `jzrb_20191125_04`, a file per article,
//! names that carry nothing), read into paper → issue → page → articles: grouping,
//! order, names, page numbers, continuations joined across pages, identical articles
//! listed once.

use dubao::archive::catalog::{self, Catalog, Joined};
use dubao::archive::{LibrarySource, PageNo};
use std::path::Path;
use std::process::Command;

/// A page of headline-first text: (headline, byline, paragraphs) per article.
fn page(articles: &[(&str, &str, &[&str])]) -> String {
    let mut out = String::new();
    for (title, byline, paragraphs) in articles {
        out.push_str(title);
        out.push_str("\n\n");
        for (i, p) in paragraphs.iter().enumerate() {
            if i == 0 {
                out.push_str(&format!("本报讯（{byline}）"));
            }
            out.push_str(p);
            out.push_str("\n\n");
        }
    }
    out
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A library of two papers in four shapes of file names, plus an undated file.
pub(crate) fn library() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "焦作日报/2019/11/25/01.txt",
        &page(&[
            (
                "焦作市区举办元宵灯会",
                "记者张三",
                &[
                    "2月19日，焦作市区举办元宵灯会，吸引市民数万人前来观赏。灯会将持续到本月底，每晚6时亮灯。（下转二版）",
                ],
            ),
            (
                "云台山迎来春节游客高峰",
                "记者李四",
                &["春节期间，云台山景区共接待游客10万人次，同比增长12%。"],
            ),
        ]),
    );
    write(
        root,
        "焦作日报/2019/11/25/02.txt",
        &page(&[
            (
                "焦作市区举办元宵灯会",
                "记者张三",
                &["据了解，今年灯会共设灯组三十余组，规模为历年之最，市民可免费入园观赏。"],
            ),
            (
                "修武县冬小麦长势良好",
                "通讯员王五",
                &["入冬以来，修武县八万亩冬小麦长势良好，农技人员深入田间指导管护。"],
            ),
        ]),
    );
    write(
        root,
        "jzrb_20191125_04.md",
        "# 焦作日报 第04版\n\n### 博物馆推出夜间开放\n\n市博物馆自本月起每周五延长开放至晚九时。\n",
    );
    write(
        root,
        "焦作日报/2019/11/24/01.txt",
        &page(&[(
            "全市冬季征兵工作启动",
            "记者赵六",
            &["11月24日，全市冬季征兵工作正式启动，各县区设立报名点。"],
        )]),
    );
    write(
        root,
        "人民日报/2019-11-25/第02版.txt",
        &page(&[(
            "各地冬季供暖陆续开始",
            "记者孙七",
            &["随着气温下降，北方各地陆续开始集中供暖，保障群众温暖过冬。"],
        )]),
    );
    write(
        root,
        "rmrb2019112503.txt",
        &page(&[(
            "冬季旅游市场升温",
            "记者周八",
            &["进入冬季，冰雪旅游持续升温，多地景区游客量同比增长。"],
        )]),
    );
    // The same article on page 3 and page 5 of one issue: listed once.
    let copy = page(&[(
        "冬季旅游市场升温",
        "记者周八",
        &["进入冬季，冰雪旅游持续升温，多地景区游客量同比增长。"],
    )]);
    write(root, "rmrb2019112505.txt", &copy);
    write(
        root,
        "杂项/notes.txt",
        &page(&[(
            "一份没有日期的稿件",
            "记者吴九",
            &["这是一份没有日期也没有版次的稿件，放在杂项文件夹里。"],
        )]),
    );
    dir
}

fn catalog_of(dir: &Path) -> Catalog {
    catalog::scan(&LibrarySource::Dir(dir.to_path_buf()))
}

fn titles(cat: &Catalog, range: std::ops::Range<usize>) -> Vec<&str> {
    range
        .filter_map(|n| cat.article(n))
        .map(|a| a.title())
        .collect()
}

#[test]
fn papers_issues_and_pages_from_the_paths() {
    let lib = library();
    let cat = catalog_of(lib.path());
    let papers: Vec<Option<&str>> = cat.papers.iter().map(|p| p.name.as_deref()).collect();
    // `rmrb` is the 人民日报's abbreviation, `jzrb` the 焦作日报's; a folder's name is
    // taken as its paper's (`杂项` too: a `dubao.toml` can say otherwise).
    assert_eq!(papers, [Some("人民日报"), Some("杂项"), Some("焦作日报")]);

    // 焦作日报: two issues, newest first; the 25th has pages 01, 02 and 04 in order.
    let jz = &cat.papers[2];
    let issues: Vec<_> = jz.issues.clone().map(|i| &cat.issues[i]).collect();
    let dates: Vec<String> = issues.iter().map(|i| i.date.unwrap().to_string()).collect();
    assert_eq!(dates, ["2019-11-25", "2019-11-24"]);
    assert!(
        issues.iter().all(|i| !i.date_inferred),
        "dates from the path"
    );
    let pages: Vec<Option<PageNo>> = issues[0].pages.clone().map(|p| cat.pages[p].page).collect();
    assert_eq!(
        pages,
        [1, 2, 4].map(|n| Some(PageNo::plain(n))),
        "page order, from `01.txt`, `02.txt` and `jzrb_…_04`"
    );
    // The rest of the lamp fair (on page 2) is shown with its start: one article.
    let first_page = &cat.pages[issues[0].pages.start];
    assert_eq!(
        titles(&cat, first_page.articles.clone()),
        ["焦作市区举办元宵灯会", "云台山迎来春节游客高峰"]
    );
    let second_page = &cat.pages[issues[0].pages.start + 1];
    assert_eq!(
        titles(&cat, second_page.articles.clone()),
        ["修武县冬小麦长势良好"]
    );
    let fair = first_page.articles.start;
    assert!(matches!(
        cat.article(fair).unwrap().joined(),
        Some(Joined::Rest { .. })
    ));

    // 人民日报: one issue, pages 02 and 03 (from `第02版` and `rmrb…03`); the copy on 05
    // is listed once, with the page it also stands on.
    let rm = &cat.papers[0];
    assert_eq!(rm.issues.len(), 1);
    let issue = &cat.issues[rm.issues.start];
    let labels: Vec<String> = issue.pages.clone().map(|p| cat.pages[p].label()).collect();
    assert_eq!(labels, ["第02版", "第03版"]);
    let tourism = cat
        .articles()
        .filter(|a| a.title() == "冬季旅游市场升温")
        .collect::<Vec<_>>();
    assert_eq!(tourism.len(), 1, "listed once");
    assert_eq!(tourism[0].also_on(), ["第05版"]);

    // The undated file: an undated issue of its own, after the dated ones.
    let misc = &cat.papers[1];
    let undated = &cat.issues[misc.issues.start];
    assert_eq!(undated.date, None);
}

#[test]
fn every_article_is_found_by_id_even_when_shown_with_another() {
    let lib = library();
    let loaded = dubao::archive::load(&LibrarySource::Dir(lib.path().to_path_buf()));
    let cat = catalog_of(lib.path());
    for a in loaded.articles() {
        let n = cat
            .position(&a.id)
            .unwrap_or_else(|| panic!("{} not found", a.title));
        // A copy or a rest leads to the article it is shown with, of the same title.
        assert_eq!(cat.article(n).unwrap().title(), a.title);
    }
}

fn dubao(args: &[&str], library: &Path, data: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_dubao"))
        .args(args)
        .env("DUBAO_LIBRARY", library)
        .env("DUBAO_DATA_DIR", data)
        .env("DUBAO_STATE_DIR", data.join("state"))
        .env("DUBAO_CONFIG", data.join("no-config.toml"))
        .output()
        .expect("run dubao");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn list_export_and_show_carry_paper_date_and_page() {
    let lib = library();
    let data = tempfile::tempdir().unwrap();
    let list = dubao(&["list"], lib.path(), data.path());
    let headers: Vec<&str> = list.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(
        headers,
        [
            "2019-11-25 星期一  人民日报  (2 pages, 2 articles)",
            "undated  杂项  (1 article)",
            "2019-11-25 星期一  焦作日报  (3 pages, 4 articles)",
            "2019-11-24 星期日  焦作日报  (1 page, 1 article)",
        ],
        "{list}"
    );
    assert!(list.contains("\n  第02版\n"), "{list}");

    let export = dubao(&["export", "--json"], lib.path(), data.path());
    let rows: Vec<serde_json::Value> = export
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 8, "ten articles, less the rest and the copy");
    let fair = rows
        .iter()
        .find(|r| r["title"] == "焦作市区举办元宵灯会")
        .unwrap();
    assert_eq!(fair["paper"], "焦作日报");
    assert_eq!(fair["date"], "2019-11-25");
    assert_eq!(fair["date_inferred"], false);
    assert_eq!(fair["page"], "01");
    let body = fair["body"].as_str().unwrap();
    assert!(
        body.contains("每晚6时亮灯") && body.contains("规模为历年之最"),
        "the whole article: {body}"
    );
    let copy = rows
        .iter()
        .find(|r| r["title"] == "冬季旅游市场升温")
        .unwrap();
    assert_eq!(copy["also_on"], serde_json::json!(["第05版"]));

    // `show` lays the whole article out, with a note at the join.
    let id = fair["id"].as_str().unwrap();
    let shown = dubao(&["show", id, "--width", "40"], lib.path(), data.path());
    let flat: String = shown.split('\n').collect();
    assert!(flat.contains("焦作日报 2019年11月25日 第01版"), "{shown}");
    let note = flat.find("—— 下转二版 ——").expect("the join");
    let rest = flat.find("规模为历年之最").expect("the rest");
    assert!(note < rest, "{shown}");
}

#[test]
fn a_continuation_whose_page_is_missing_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "某报/2020-01-02/01.txt",
        &page(&[(
            "新年第一场雪如约而至",
            "记者郑十",
            &["1月2日清晨，我市迎来新年第一场降雪，环卫工人连夜清扫主干道。（下转三版）"],
        )]),
    );
    write(
        dir.path(),
        "某报/2020-01-02/02.txt",
        &page(&[(
            "图书馆新馆开放",
            "记者钱一",
            &["市图书馆新馆今日起对外开放，藏书一百二十万册。"],
        )]),
    );
    let cat = catalog_of(dir.path());
    let n = cat
        .heads()
        .iter()
        .position(|a| a.title == "新年第一场雪如约而至")
        .unwrap();
    assert_eq!(
        cat.article(n).unwrap().joined(),
        Some(Joined::Missing {
            page: "第03版".into()
        })
    );
    let data = tempfile::tempdir().unwrap();
    let shown = dubao(
        &["show", cat.article(n).unwrap().id(), "--width", "60"],
        dir.path(),
        data.path(),
    );
    assert!(shown.contains("第03版：这一版不在文库中"), "{shown}");
}

// ---- the reader's list ----

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dubao::app::state_file::ReadingState;
use dubao::app::{App, ListRow, handle_key};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn reader(dir: &Path, w: u16, h: u16) -> App {
    let lib = dubao::archive::load(&LibrarySource::Dir(dir.to_path_buf()));
    let mut app = App::new(lib, ReadingState::default(), 80);
    app.resize(w, h);
    app
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            c => KeyCode::Char(c),
        };
        handle_key(app, KeyEvent::new(code, KeyModifiers::NONE));
    }
}

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

#[test]
fn the_list_reads_like_the_paper() {
    let lib = library();
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let a = reader(lib.path(), w, h);
        let s = screen(&a, w, h);
        // Papers, then each issue with its weekday and page count, pages by number.
        assert!(s.starts_with("人民日报 · 1期"), "{s}");
        assert!(s.contains("2019-11-25 星期一 · 3版 (4)"), "{s}");
        assert!(s.contains(" 第01版 (2)"), "{s}");
        insta::assert_snapshot!(format!("papers_list_{w}x{h}"), s);
    }
}

#[test]
fn folding_jumping_and_stepping_through_issues_and_pages() {
    let lib = library();
    let mut a = reader(lib.path(), 80, 24);
    let cat = a.catalog.clone();
    let title = |a: &App| a.article(a.selected).unwrap().title().to_string();
    // `)` steps to the next page's first article, `(` back.
    let jz = cat
        .papers
        .iter()
        .position(|p| p.name.as_deref() == Some("焦作日报"))
        .unwrap();
    let day = cat.papers[jz].issues.start;
    press(&mut a, ":2019-11-25\n");
    // The current paper is 人民日报: its 2019-11-25 issue.
    assert_eq!(
        a.issue_of(a.selected).unwrap().date.unwrap().to_string(),
        "2019-11-25"
    );
    press(&mut a, "G");
    press(&mut a, ":20191124\n");
    assert_eq!(title(&a), "全市冬季征兵工作启动", "the 24th, in this paper");
    press(&mut a, ":2019-11\n");
    assert_eq!(
        a.issue_of(a.selected).unwrap().date.unwrap().to_string(),
        "2019-11-24",
        "the first issue of the month"
    );
    press(&mut a, ":1999\n");
    assert!(
        a.message.as_deref().unwrap().contains("nearest"),
        "{:?}",
        a.message
    );
    a.put_cursor(ListRow::Article(cat.issues[day].articles.start));
    assert_eq!(title(&a), "焦作市区举办元宵灯会");
    press(&mut a, ")");
    assert_eq!(title(&a), "修武县冬小麦长势良好");
    press(&mut a, ")");
    assert_eq!(title(&a), "博物馆推出夜间开放");
    press(&mut a, "(");
    assert_eq!(title(&a), "修武县冬小麦长势良好");
    // `z` folds the page; the cursor is on its header; `j` goes past the fold.
    press(&mut a, "z");
    assert!(matches!(a.cursor(), ListRow::Page(_)));
    assert!(screen(&a, 80, 24).contains("▸ 第02版 (1)"));
    press(&mut a, "j");
    assert_eq!(title(&a), "博物馆推出夜间开放");
    press(&mut a, "k\n");
    assert_eq!(title(&a), "修武县冬小麦长势良好", "Enter unfolds");
    // `Z` folds every issue: the list is a list of dates; Enter opens one.
    press(&mut a, "Z");
    let rows = a.list_rows(0, a.list_len());
    assert!(rows.iter().all(|r| !matches!(r, ListRow::Article(_))));
    assert_eq!(
        rows.iter()
            .filter(|r| matches!(r, ListRow::Issue(_)))
            .count(),
        cat.issues.len()
    );
    press(&mut a, "Z");
    assert_eq!(
        a.list_rows(0, a.list_len())
            .iter()
            .filter(|r| matches!(r, ListRow::Article(_)))
            .count(),
        cat.len()
    );
    // `o`: oldest issues first within each paper.
    a.put_cursor(ListRow::Article(cat.issues[day].articles.start));
    press(&mut a, "o");
    let order: Vec<usize> = a
        .list_rows(0, a.list_len())
        .into_iter()
        .filter_map(|r| match r {
            ListRow::Issue(i) => Some(i),
            _ => None,
        })
        .collect();
    let jz_order: Vec<usize> = order
        .into_iter()
        .filter(|i| cat.issues[*i].paper == jz)
        .collect();
    assert_eq!(jz_order, [day + 1, day], "the 24th before the 25th");
    assert_eq!(title(&a), "焦作市区举办元宵灯会", "the cursor stays");
    // `y` copies where the article was printed.
    let copied = handle_key(
        &mut a,
        KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE),
    );
    let Some(dubao::app::Effect::Copy(text)) = copied else {
        panic!("y copies");
    };
    assert!(text.contains("焦作日报 2019年11月25日 第01版"), "{text}");
}

/// The page head of page `n` of 临河日报's issue of 2020-03-06.
fn linhe_head(n: u32, name: &str) -> String {
    format!("临河日报\n2020年3月6日 星期五 第0{n}版 {name}\n\n")
}

/// Page 1 of that issue: one article, which goes on on page 2.
/// Page 1's lead article is shown with its rest from page 2 joined to it.
fn assert_lead_has_its_rest(cat: &Catalog) {
    let lead = cat
        .articles()
        .find(|a| a.title() == "临河新区首批项目集中开工")
        .expect("the lead article");
    assert!(
        matches!(lead.joined(), Some(Joined::Rest { .. })),
        "{:?}",
        lead.joined()
    );
}

fn write_linhe_page_1(dir: &Path, rel: &str) {
    write(
        dir,
        rel,
        &format!(
            "{}{}",
            linhe_head(1, "要闻"),
            page(&[(
                "临河新区首批项目集中开工",
                "记者方明",
                &[
                    "3月5日，临河新区首批十二个项目集中开工，总投资八十亿元。项目涵盖新材料、装备制造等领域。（下转第2版）"
                ],
            )])
        ),
    );
}

/// Files whose names say nothing (hashes, as some crawlers save them): paper, date, page
/// and 版名 come from the page's own furniture, and a page whose text opens with
/// `（上接第1版）` is the rest of the article on page 1 that says `（下转第2版）`.
#[test]
fn a_page_head_places_a_page_and_a_jump_mark_joins_its_rest() {
    let dir = tempfile::tempdir().unwrap();
    write_linhe_page_1(dir.path(), "pages/a1f09c3e77b2.txt");
    write(
        dir.path(),
        "pages/0d5e8b21c4aa.txt",
        &format!(
            "{}（上接第1版）据介绍，新区今年计划实施重点项目六十个，年内完成投资一百二十亿元。\n\n{}",
            linhe_head(2, "综合"),
            page(&[(
                "春季植树活动启动",
                "记者林青",
                &["连日来，各乡镇组织干部群众植树，已栽种苗木两万余株。"],
            )])
        ),
    );
    let cat = catalog_of(dir.path());
    assert_eq!(cat.issues.len(), 1, "one issue from the page heads");
    let issue = &cat.issues[0];
    assert_eq!(
        issue.date.map(|d| d.to_string()).as_deref(),
        Some("2020-03-06")
    );
    assert!(!issue.date_inferred, "the page head states the date");
    assert_eq!(cat.papers[issue.paper].name.as_deref(), Some("临河日报"));
    let pages: Vec<(String, Option<String>)> = cat.pages[issue.pages.clone()]
        .iter()
        .map(|p| (p.label(), p.name.clone()))
        .collect();
    assert_eq!(
        pages,
        [
            ("第01版 要闻".to_string(), Some("要闻".to_string())),
            ("第02版 综合".to_string(), Some("综合".to_string()))
        ]
    );
    // The rest on page 2 is joined to its start: not listed on its own.
    assert_lead_has_its_rest(&cat);
    assert!(
        cat.heads().iter().all(|a| !a.title.contains("上接")),
        "no article titled with the jump mark"
    );
}

/// A "page" of more articles than any printed page holds (here 80 briefs on page 2)
/// still gives the article on page 1 its rest, the one marked `（上接第1版）`: only
/// marked articles are tried there, not every headline against every other.
#[test]
fn a_crowded_page_still_gives_a_continued_article_its_rest() {
    let dir = tempfile::tempdir().unwrap();
    write_linhe_page_1(dir.path(), "pages/p1.txt");
    let briefs: Vec<(String, String)> = (1..=80)
        .map(|n| {
            (
                format!("第{n}个村卫生室建成"),
                format!("全县第{n}个标准化村卫生室日前建成，可服务周边{n}百名群众。"),
            )
        })
        .collect();
    let paras: Vec<[&str; 1]> = briefs.iter().map(|(_, p)| [p.as_str()]).collect();
    let articles: Vec<(&str, &str, &[&str])> = briefs
        .iter()
        .zip(&paras)
        .map(|((t, _), p)| (t.as_str(), "记者林青", &p[..]))
        .collect();
    write(
        dir.path(),
        "pages/p2.txt",
        &format!(
            "{}（上接第1版）据介绍，新区今年计划实施重点项目六十个。\n\n{}",
            linhe_head(2, "综合"),
            page(&articles)
        ),
    );
    let cat = catalog_of(dir.path());
    let on_page_2 = cat
        .heads()
        .iter()
        .filter(|a| a.title.ends_with("村卫生室建成"))
        .count();
    assert!(on_page_2 > 64, "a crowded page: {on_page_2} articles");
    assert_lead_has_its_rest(&cat);
}
