//! Pages made up in layouts other than the samples': headline-first plain text,
//! hard-wrapped columns with headlines after or before their body, glued bylines,
//! Markdown, pages with no headline at all.

use dubao::archive::{ParsedFile, parse_file};

/// Hard-wrap a paragraph every `n` characters, as PDF extraction leaves column text.
fn column(text: &str, n: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(n)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse(name: &str, text: &str) -> ParsedFile {
    parse_file(name, text.as_bytes()).expect("readable")
}

fn titles(issue: &ParsedFile) -> Vec<&str> {
    issue.articles.iter().map(|a| a.title.as_str()).collect()
}

#[test]
fn plain_text_with_headlines_before_their_paragraphs() {
    let page = "焦作市区举办元宵灯会\n\n2月19日，焦作市区举办元宵灯会，吸引市民数万人前来观赏。\n\n灯会将持续到本月底，每晚6时亮灯。\n\n云台山迎来春节游客高峰\n\n春节期间，云台山景区共接待游客10万人次，同比增长12%。\n";
    let issue = parse("2020-02-20.txt", page);
    assert_eq!(
        titles(&issue),
        vec!["焦作市区举办元宵灯会", "云台山迎来春节游客高峰"]
    );
    assert_eq!(issue.articles[0].paragraphs.len(), 2);
    assert!(issue.articles[1].body().ends_with("同比增长12%。"));
    assert_eq!(
        issue.place.date.map(|d| d.to_string()).as_deref(),
        Some("2020-02-20")
    );
    assert!(!issue.place.date_inferred);
    assert!(issue.articles.iter().all(|a| !a.title_inferred));
}

#[test]
fn columns_with_headlines_after_the_body_and_a_mid_sentence_column_break() {
    let a1 = "本报讯（记者张三 通讯员李四）3月5日，全市春季植树活动在南水北调公园启动，市领导与干部群众一起栽下树苗两千余棵。";
    let a1b = "据了解，今年我市计划新增造林面积五万亩，重点推进生态廊道和森林乡村建设，让城市处处见绿。①2";
    let a2 = "本报讯（记者王五）连日来，焦作市区各大商场迎来消费热潮，家电、服装销售同比增长两成。";
    let a2b = "业内人士表示，促消费政策落地见效，居民消费意愿持续增强。（下转二版）";
    // The second paragraph of the first article is broken across a column, mid-sentence.
    let (c1, c2) = a1b.split_at(a1b.find("重点").unwrap());
    let page = format!(
        "{}\n\n{}\n\n{}\n\n全市春季植树活动启动\n\n{}\n\n{}\n\n商场迎来消费热潮\n\n图为市民在商场选购家电。 赵六 摄\n",
        column(a1, 14),
        column(c1, 14),
        column(c2, 14),
        column(a2, 14),
        column(a2b, 14),
    );
    let issue = parse("a/2021-03-06.txt", &page);
    assert_eq!(
        titles(&issue),
        vec!["全市春季植树活动启动", "商场迎来消费热潮"]
    );
    let first = &issue.articles[0];
    assert_eq!(first.byline.as_deref(), Some("记者张三 通讯员李四"));
    assert_eq!(first.paragraphs.len(), 2, "{:#?}", first.paragraphs);
    assert!(
        first.paragraphs[1].contains("五万亩，重点推进"),
        "column break joined: {}",
        first.paragraphs[1]
    );
    assert!(first.paragraphs[1].ends_with("处处见绿。"));
    let second = &issue.articles[1];
    assert_eq!(second.continued_on.as_deref(), Some("二版"));
    assert!(second.body().ends_with("持续增强。"));
    assert!(
        !second.body().contains("图为"),
        "captions are not body text"
    );
}

#[test]
fn columns_with_headlines_before_the_body_and_standalone_bylines() {
    let body1 = "近年来，我市大力推进老旧小区改造，共完成改造项目一百二十个，惠及居民三万余户。";
    let body2 = "今年，全市将继续实施民生实事，新建城市书房十座，打造十五分钟阅读圈。";
    let page = format!(
        "老旧小区换新颜\n\n本报记者 陈 七\n\n{}\n\n城市书房遍地开花\n\n本报记者 周八\n\n{}\n",
        column(body1, 15),
        column(body2, 15)
    );
    let issue = parse("2021-05-01.txt", &page);
    assert_eq!(titles(&issue), vec!["老旧小区换新颜", "城市书房遍地开花"]);
    assert_eq!(issue.articles[0].byline.as_deref(), Some("本报记者 陈七"));
    assert_eq!(issue.articles[0].body(), body1);
    assert_eq!(issue.articles[1].body(), body2);
}

#[test]
fn a_headline_glued_to_the_next_byline() {
    let body1 = "本报讯（记者郑九）日前，示范区召开安全生产工作会议，部署冬季安全生产工作，要求各单位压实责任。";
    let body2 = "11月2日上午，示范区组织开展消防应急演练，三百余名干部职工参加。";
    // The first article's headline ends on the line where the second byline begins.
    let page = format!(
        "{}\n\n示范区部署冬季\n安全生产工作本报讯（记者郑九） 11\n月 2 日上午，示范区组织开展消防应急演练，三百余名干部职工参加。\n\n示范区开展消防应急演练\n",
        column(body1, 15)
    );
    let issue = parse("p.txt", &page);
    assert_eq!(
        titles(&issue),
        vec!["示范区部署冬季安全生产工作", "示范区开展消防应急演练"]
    );
    assert_eq!(issue.articles[1].body(), body2);
}

#[test]
fn a_trailing_headline_goes_to_the_article_it_describes() {
    // Headlines after bodies; the page's last headline belongs to the first article.
    let a =
        "本报讯（记者甲）11月3日，孟州市举办农民丰收节，展示特色农产品两百余种，吸引游客上万人。";
    let b = "本报讯（记者乙）11月4日，沁阳市召开招商引资推介会，签约项目十二个，总投资三十亿元。";
    let c = "本报讯（记者丙）11月5日，博爱县开展冬季供暖检查，确保群众温暖过冬。";
    let page = format!(
        "{}\n\n{}\n\n沁阳市招商推介会签约十二个项目\n\n{}\n\n博爱县开展冬季供暖检查\n\n孟州市举办农民丰收节\n",
        column(a, 16),
        column(b, 16),
        column(c, 16)
    );
    let issue = parse("q.txt", &page);
    assert_eq!(
        titles(&issue),
        vec![
            "孟州市举办农民丰收节",
            "沁阳市招商推介会签约十二个项目",
            "博爱县开展冬季供暖检查"
        ]
    );
}

#[test]
fn an_article_without_a_headline_gets_one_from_its_lead() {
    let page =
        "本报讯（记者丁）12月1日上午，全市冬季征兵工作会议召开。会议要求，确保完成征兵任务。\n";
    let issue = parse("r.txt", page);
    assert_eq!(titles(&issue), vec!["全市冬季征兵工作会议召开"]);
    assert!(issue.articles[0].title_inferred);
    assert_eq!(issue.articles[0].byline.as_deref(), Some("记者丁"));
}

#[test]
fn ads_and_notices_are_not_articles() {
    let page = "本报讯（记者戊）全市秋粮收购进度过半，已收购玉米二十万吨。①2\n\n秋粮收购进度过半\n\n扫一扫 关注本报官方微信\n\n本报官方微信公众账号\n看精彩内容请关注\n";
    let issue = parse("s.txt", page);
    assert_eq!(titles(&issue), vec!["秋粮收购进度过半"]);
}

#[test]
fn markdown_pages() {
    let page = "# 焦作日报 第三版\n\n## 城市新闻\n\n### 1 空气质量持续改善\n\n#### 今年PM<sub>2.5</sub>浓度下降一成\n\n今年1~10月，全市PM<sub>2.5</sub>平均浓度为52微克/立方米，\nPM_{10}为88微克/立方米。\n\n### 2 新建公园五座\n\n市区新建**口袋公园**五座，详见[公告](https://example.org)。\n\n本报记者 赵 整理\n";
    let issue = parse("2019/2019-11-25.md", page);
    assert_eq!(issue.name, "焦作日报 第三版");
    assert_eq!(titles(&issue), vec!["空气质量持续改善", "新建公园五座"]);
    let a = &issue.articles[0];
    assert_eq!(a.subtitle.as_deref(), Some("今年PM2.5浓度下降一成"));
    assert_eq!(
        a.body(),
        "今年1~10月，全市PM2.5平均浓度为52微克/立方米，PM10为88微克/立方米。"
    );
    assert_eq!(issue.articles[1].body(), "市区新建口袋公园五座，详见公告。");
    assert_eq!(
        issue.articles[1].byline.as_deref(),
        Some("本报记者 赵 整理")
    );
    assert_eq!(
        issue.place.date.map(|d| d.to_string()).as_deref(),
        Some("2019-11-25")
    );
}

#[test]
fn latin_words_keep_their_spaces_and_chinese_loses_justification_spaces() {
    let page = "本报讯（记者己） 12 月 1 日，Jiaozuo Daily 与 New York 的同行\n交流办报经验，（含 景 区 交 通 费）。\n";
    let issue = parse("t.txt", page);
    assert_eq!(
        issue.articles[0].body(),
        "12月1日，Jiaozuo Daily与New York的同行交流办报经验，（含景区交通费）。"
    );
}

#[test]
fn ids_depend_on_file_and_content_only() {
    let page = "标题甲\n\n正文甲，内容一。\n\n标题乙\n\n正文乙，内容二。\n";
    let a = parse("x/1.txt", page);
    let b = parse("x/1.txt", page);
    let c = parse("x/2.txt", page);
    assert_eq!(a.articles[0].id, b.articles[0].id);
    assert_ne!(a.articles[0].id, c.articles[0].id);
    assert_ne!(a.articles[0].id, a.articles[1].id);
}

#[test]
fn a_page_of_fragments_is_still_read_whole() {
    // Only a headline, a byline and a column fragment: no article can be made out, but
    // the text is kept.
    let page =
        "示范区召开重点工作汇报会\n\n本报记者 张三\n\n负责人依次发言，分别就今年1~10月份全区主\n";
    let issue = parse("u.txt", page);
    assert_eq!(issue.articles.len(), 1);
    let body = issue.articles[0].body();
    assert!(
        body.contains("示范区召开重点工作汇报会") && body.contains("全区主"),
        "{body}"
    );
    assert_eq!(issue.articles[0].byline.as_deref(), Some("本报记者 张三"));
}

#[test]
fn markdown_text_before_the_first_item_is_kept() {
    let page = "# 第三版\n\n本版导读：今年以来，全市上下坚持稳中求进工作总基调，统筹推进疫情防控和经济社会发展，经济运行稳中向好，民生保障有力有效。\n\n### 项目建设提速\n\n全市重点项目完成投资三百亿元。\n";
    let issue = parse("v.md", page);
    assert_eq!(issue.articles.len(), 2);
    assert!(issue.articles[0].title_inferred);
    assert!(issue.articles[0].body().starts_with("本版导读"));
    assert_eq!(issue.articles[1].title, "项目建设提速");
}

/// The same article printed many times on one page (a notice repeated, or a page
/// concatenated with itself): every copy is kept, each with its own stable id, and the
/// first copy has the id a page holding it once gives it.
#[test]
fn repeated_article_gets_unique_stable_ids() {
    let one = "### 停水通知\n\n因管道维修，12月1日市区部分地区停水一天，请市民提前储水。\n\n";
    let many = one.repeat(3000);
    let a = parse("notices.md", &many);
    let b = parse("notices.md", &many);
    assert_eq!(a.articles.len(), 3000);
    let ids: std::collections::HashSet<&str> = a.articles.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids.len(), 3000, "unique ids");
    let again: Vec<&str> = b.articles.iter().map(|x| x.id.as_str()).collect();
    let first: Vec<&str> = a.articles.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(first, again, "stable");
    assert_eq!(a.articles[0].id, parse("notices.md", one).articles[0].id);
}
