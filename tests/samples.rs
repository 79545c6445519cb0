//! The sample pages, article by article: the headline a reader sees on the page, the
//! byline, and where each body starts and ends. Written down from reading the pages.

use dubao::archive::{self, Library, source::LibrarySource};

type Expected = (&'static str, &'static str, &'static str, &'static str);

/// (title, byline, body starts with, body ends with) per article, per page.
const PAGES: &[(&str, &[Expected])] = &[
    (
        "000_83b84c91cdb592ac.txt",
        &[
            (
                "这一年，市委书记这样走过",
                "本报记者 原文钊",
                "时光飞逝，岁月如梭！",
                "迎接更加辉煌的明天！",
            ),
            (
                "换届两会：新起点 新征程",
                "本报记者 原文钊",
                "2018年9月，全市",
                "愧于人民的光辉业绩！",
            ),
            (
                "脱贫攻坚：小康路 齐步走",
                "本报记者 聂楠",
                "2018年，是聚焦脱",
                "确保实现高质量脱贫。",
            ),
            (
                "基础设施建设：责任明 推进快",
                "本报记者 詹长松",
                "2018年，为快速推",
                "照既定目标有序推进。",
            ),
            (
                "学思践悟：在成都 在佛山",
                "本报记者 聂楠",
                "为认真贯彻落实党的十",
                "提升、思路上的转变。",
            ),
            (
                "四城联创：家园美 百姓乐",
                "本报记者 原文钊",
                "2018年3月30日",
                "，幸福指数不断提升。",
            ),
            (
                "评班子：优服务 看担当",
                "本报记者 聂楠",
                "领导班子是一个单位的",
                "方阵”作出新的贡献。",
            ),
            (
                "庆祝：四十年 看巨变",
                "本报记者 聂楠",
                "改革开放的春风吹拂神",
                "理念示范城市而奋进。",
            ),
            (
                "环保攻坚：综合治 铁腕护",
                "本报记者 詹长松",
                "2018年，我市深入",
                "技术应用试点等工作。",
            ),
            (
                "扫黑除恶：扫干净 除彻底",
                "本报记者 聂楠",
                "自中共中央、国务院发",
                "争推向一个新的台阶。",
            ),
        ],
    ),
    (
        "001_1b6711bfa51548f6.txt",
        &[
            (
                "学成都佛山 促转型发展",
                "本报记者 吕正军 整理",
                "5月4日至10日，我",
                "、更精彩信心和决心。",
            ),
            (
                "省委书记、省长来我市指导工作",
                "本报记者 吕正军 整理",
                "5月9日，省委书记王",
                "提升制造业质量水平。",
            ),
            (
                "市两会顺利举行 监察委挂牌",
                "本报记者 吕正军 整理",
                "9月30日，市两会胜",
                "政府工作部门34个。",
            ),
            (
                "“四城联创” 比翼齐飞",
                "本报记者 吕正军 整理",
                "坚持“以人民为中心”",
                "云”示范段公园开园。",
            ),
            (
                "招商引资硕果盈枝",
                "本报记者 吕正军 整理",
                "4月1日，我市转型发",
                "强强联合结出了硕果。",
            ),
            (
                "“引才聚焦” 人才政策发布",
                "本报记者 吕正军 整理",
                "10月20日，全国第",
                "选人数居全省第一位。",
            ),
            (
                "脱贫攻坚对贫困村帮扶全覆盖",
                "本报记者 吕正军 整理",
                "去年，市委书记王小平",
                "态补偿金580万元。",
            ),
            (
                "平安焦作建设水平不断提升",
                "本报记者 吕正军 整理",
                "2018年，我市以落",
                "物价值7024万元。",
            ),
            (
                "“世界太极城” 步履铿锵",
                "本报记者 吕正军 整理",
                "河南省第十三届运动会",
                "家沟中华太极馆举行。",
            ),
            (
                "开展“转变作风抓落实、优化环境促发展”活动",
                "本报记者 吕正军 整理",
                "4月12日，全市工业",
                "额达209.9亿元。",
            ),
        ],
    ),
    (
        "002_25f68620b5f54466.txt",
        &[
            (
                "市党政班子务虚会召开",
                "记者麻酩",
                "12月10日，市委书",
                "重点工作提出了建议。",
            ),
            (
                "我市荣膺“中部崛起”最佳营商环境城市称号",
                "记者李秋 实习生周唐",
                "近日，由新华社《半月",
                "务局副局长付小文说。",
            ),
            (
                "维和烈士申亮亮英雄事迹将拍成电影",
                "通讯员徐少波、崔鹏",
                "近日，央视“感动中国",
                "迹改编权等的授权书。",
            ),
            (
                "辩论赛对焦作发展意义深远",
                "本报记者 岳静",
                "“本场比赛双方表现都",
                "的目标一定会实现。”",
            ),
            (
                "郑云高速开启云台休闲生活",
                "记者王言 通讯员程芳",
                "随着郑州至云台山高速",
                "动第三产业全面发展，",
            ),
            (
                "我市市直机关领导班子述职评议大会反响强烈",
                "记者李新和",
                "一年来，市直机关领导",
                "方阵”作出新的贡献。",
            ),
        ],
    ),
    (
        "003_382703217cb416d1.txt",
        &[
            (
                "示范区坚决打好秋冬季大气污染防治和“三散”污染治理攻坚战",
                "记者郭树勋",
                "秋冬季大气污染防治和",
                "和节约集约用地水平。",
            ),
            (
                "示范区积极开展冬季植树造林活动",
                "记者郭树勋",
                "11月22日上午，示",
                "范区的山美水清天蓝。",
            ),
            (
                "示范区召开软弱涣散村党组织整顿工作推进会",
                "记者郭树勋",
                "11月20日，示范区",
                "配合的整顿工作格局。",
            ),
            (
                "示范区开展“干事创业担当作为、转变作风狠抓落实”主题教育",
                "记者郭树勋",
                "根据市委的统一部署，",
                "发、互相借鉴的目的。",
            ),
            (
                "《为了“四城联创”，有这样一群人》报道引发关注",
                "记者郭树勋",
                "11月22日，《为了",
                "让父亲早日康复出院。",
            ),
            (
                "为了“四城联创”，他们同样出色",
                "本报记者 郭树勋",
                "《为了“四城联创”，",
                "南张村群众纷纷夸赞。",
            ),
            (
                "示范区召开重点工作汇报会",
                "记者郭树勋",
                "11月20日，示范区",
                "区领导作了现场点评。",
            ),
        ],
    ),
    (
        "004_6a2e5b0ea364f4ab.txt",
        &[
            (
                "示范区召开生态文明建设暨秋冬季大气污染防治、“三散”污染治理工作推进会",
                "记者付凯明",
                "11月9日上午，示范",
                "大气污染防治条例》。",
            ),
            (
                "示范区召开党工委（扩大）会议",
                "记者郭树勋",
                "11月3日下午，示范",
                "科学治污、规范治污。",
            ),
            (
                "坚持目标导向问题导向 让群众共享创建成果",
                "记者郭树勋",
                "11月8日上午，示范",
                "城联创”的良好成果。",
            ),
            (
                "示范区2020年度城乡居民医保征缴工作启动",
                "记者付凯明",
                "11月5日，示范区召",
                "年城乡居民医保政策。",
            ),
            (
                "示范区举行中小学生秋季田径运动会暨教职工运动会",
                "记者付凯明",
                "11月8日至11日，",
                "2个田径项目的比赛。",
            ),
            (
                "示范区创新引领培育壮大“四个一批”",
                "记者郭树勋",
                "今年年初以来，示范区",
                "研发攻关的首批项目。",
            ),
            (
                "苏家作乡多措并举推进“四城联创”",
                "通讯员李想",
                "自全市“四城联创”工",
                "众共享文明创建成果。",
            ),
            (
                "“四城联创”进校园",
                "通讯员史教轩",
                "“富强、民主、文明、",
                "“一眼净、一眼美”。",
            ),
            (
                "李志勇同志先进事迹示范区专场报告会举行",
                "记者付凯明",
                "11月6日上午，由市",
                "先进事迹报告团成员。",
            ),
        ],
    ),
];

fn samples() -> Library {
    archive::load(&LibrarySource::Embedded)
}

#[test]
fn every_sample_article_has_its_headline_byline_and_whole_body() {
    let lib = samples();
    assert!(lib.warnings.is_empty(), "{:?}", lib.warnings);
    for (file, expected) in PAGES {
        let issue = lib.files.iter().find(|i| i.file == *file).expect(file);
        let got: Vec<(&str, &str)> = issue
            .articles
            .iter()
            .map(|a| (a.title.as_str(), a.byline.as_deref().unwrap_or("")))
            .collect();
        let want: Vec<(&str, &str)> = expected.iter().map(|e| (e.0, e.1)).collect();
        assert_eq!(got, want, "{file}: titles and bylines");
        for (a, (title, _, starts, ends)) in issue.articles.iter().zip(expected.iter()) {
            let body = a.body();
            assert!(
                body.starts_with(starts),
                "{file} {title}: body starts {:?}",
                &body[..body.len().min(60)]
            );
            assert!(
                body.ends_with(ends),
                "{file} {title}: body ends {:?}",
                body.chars().rev().take(30).collect::<String>()
            );
        }
    }
}

#[test]
fn titles_are_inferred_only_where_the_page_printed_none() {
    let lib = samples();
    let inferred: Vec<&str> = lib
        .articles()
        .filter(|a| a.title_inferred)
        .map(|a| a.title.as_str())
        .collect();
    // 003 and 004 each have one article whose headline is not on the page.
    assert_eq!(
        inferred,
        vec!["示范区召开重点工作汇报会", "示范区召开党工委（扩大）会议"]
    );
}

#[test]
fn kickers_and_subtitles_stay_with_their_headline() {
    let lib = samples();
    let by_title = |t: &str| {
        lib.articles()
            .find(|a| a.title == t)
            .unwrap_or_else(|| panic!("{t}"))
    };
    let a = by_title("郑云高速开启云台休闲生活");
    assert_eq!(
        a.kicker.as_deref(),
        Some("一条高速 一小时生活圈 说走就走旅行更惬意 别样体验 双城恰如一城 减压慢生活就在身边")
    );
    assert_eq!(a.continued_on.as_deref(), Some("二版"));
    let a = by_title("辩论赛对焦作发展意义深远");
    assert_eq!(
        a.subtitle.as_deref(),
        Some("——访“近学许昌、远学扬州，早日跻身全省‘第一方阵’”辩论赛评委林世选")
    );
    let a = by_title("这一年，市委书记这样走过");
    assert_eq!(a.kicker.as_deref(), Some("2018 我们的脚步"));
    let a = by_title("坚持目标导向问题导向 让群众共享创建成果");
    assert_eq!(
        a.kicker.as_deref(),
        Some("王家鹏在调研“四城联创”工作时强调")
    );
    let a = by_title("学成都佛山 促转型发展");
    assert_eq!(
        a.subtitle.as_deref(),
        Some("建设全面体现新发展理念的示范城市 打造“精致城市、品质焦作”")
    );
}

#[test]
fn no_marks_ads_captions_or_justification_spaces_in_bodies() {
    let lib = samples();
    for a in lib.articles() {
        for p in &a.paragraphs {
            for junk in [
                "①2",
                "下转",
                "本报讯",
                "扫一扫",
                "公众账号",
                "官方微信",
                "图为",
                "<sub>",
                "_{",
            ] {
                assert!(!p.contains(junk), "{}: {junk:?} in {p}", a.title);
            }
            let chars: Vec<char> = p.chars().collect();
            for w in chars.windows(3) {
                let han = |c: char| dubao::text::script::is_han(c);
                assert!(
                    !(w[1] == ' ' && (han(w[0]) || han(w[2]))),
                    "{}: space in {p}",
                    a.title
                );
            }
        }
    }
    let pm = lib
        .articles()
        .filter(|a| a.body().contains("PM2.5"))
        .count();
    assert!(
        pm >= 3,
        "PM_{{2.5}} and PM<sub>2.5</sub> read as PM2.5 ({pm})"
    );
}

/// Every paragraph is a run of the page's own text (nothing invented, nothing from a
/// neighbour), and every sentence of the page is in some article but for the ad.
#[test]
fn bodies_are_the_pages_text_and_all_of_it() {
    let lib = samples();
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut missing = Vec::new();
    for (name, bytes) in archive::samples::SAMPLES {
        let source = squeeze(&archive::markdown::clean_inline(
            std::str::from_utf8(bytes).unwrap(),
        ));
        let articles: Vec<_> = lib.articles().filter(|a| a.file == *name).collect();
        let all = squeeze(&articles.iter().map(|a| a.body()).collect::<String>());
        for a in &articles {
            for p in &a.paragraphs {
                assert!(
                    source.contains(&squeeze(p)),
                    "{name}: not a run of the page: {p}"
                );
            }
        }
        let sentences: Vec<&str> = source.split('。').collect();
        // The last piece is not a sentence (no 。), and captions are not articles.
        for sentence in sentences[..sentences.len() - 1]
            .iter()
            .filter(|s| !s.contains("图为"))
        {
            let tail: String = sentence
                .chars()
                .rev()
                .take(8)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if sentence.chars().count() >= 8 && !all.contains(&format!("{tail}。")) {
                missing.push(format!("{name}: {tail}"));
            }
        }
    }
    // The only sentences in no article are the two of the 云台山 ticket advert.
    assert!(
        missing.len() <= 3 && missing.iter().all(|m| m.starts_with("002")),
        "{missing:#?}"
    );
}

#[test]
fn issue_dates_are_inferred_from_the_text() {
    let lib = samples();
    let dates: Vec<(String, String)> = lib
        .files
        .iter()
        .map(|i| {
            (
                i.file.clone(),
                i.place.date.map(|d| d.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    let want = [
        ("000_83b84c91cdb592ac.txt", "2018-12-29"),
        ("001_1b6711bfa51548f6.txt", "2018-12-29"),
        ("002_25f68620b5f54466.txt", "2016-12-10"),
        ("003_382703217cb416d1.txt", "2019-11-22"),
        ("004_6a2e5b0ea364f4ab.txt", "2019-11-09"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(f, d)| (f.to_string(), d.to_string()))
        .collect();
    assert_eq!(dates, want, "the date of each file");
    assert!(lib.files.iter().all(|i| i.place.date_inferred));
    assert_eq!(
        lib.files[1].name,
        "携手阔步推动高质量发展 不忘初心打造高品质城市"
    );
}

#[test]
fn ids_are_stable_and_unique() {
    let a: Vec<String> = samples().articles().map(|a| a.id.clone()).collect();
    let b: Vec<String> = samples().articles().map(|a| a.id.clone()).collect();
    assert_eq!(a, b);
    let mut u = a.clone();
    u.sort();
    u.dedup();
    assert_eq!(u.len(), a.len());
    assert!(
        a.iter()
            .all(|id| id.len() == 12 && id.chars().all(|c| c.is_ascii_hexdigit()))
    );
}
