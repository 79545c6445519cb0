//! Markdown pages: `#`/`##` give the page's title, each `###` opens an article, a
//! `####` right under it is its subtitle. `PM<sub>2.5</sub>` and `PM_{2.5}` become
//! `PM2.5`.

use super::article::ArticleParts;
use crate::text::join::join_lines;

/// A page read from Markdown.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub(crate) title: Option<String>,
    pub(crate) subtitle: Option<String>,
    pub(crate) articles: Vec<ArticleParts>,
}

/// By extension, or a text whose headings are Markdown headings.
pub(crate) fn looks_like_markdown(rel: &str, text: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return true;
    }
    let headings = text.lines().filter(|l| heading(l).is_some()).count();
    headings >= 2 && text.lines().any(|l| matches!(heading(l), Some((1..=3, _))))
}

/// `### 标题` → (3, "标题").
fn heading(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_start();
    let level = t.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &t[level..];
    rest.starts_with(' ')
        .then(|| (level, rest.trim().trim_end_matches('#').trim()))
}

pub(crate) fn parse(text: &str) -> Page {
    let mut page = Page::default();
    let mut cur: Option<ArticleParts> = None;
    let mut para: Vec<String> = Vec::new();
    let mut preamble: Vec<String> = Vec::new();
    // The last paragraph as written (spaces kept), for a closing credit line.
    let mut last_raw = String::new();
    let mut flush =
        |para: &mut Vec<String>, cur: &mut Option<ArticleParts>, preamble: &mut Vec<String>| {
            if para.is_empty() {
                return;
            }
            let t = clean_inline(&join_lines(para));
            last_raw = para.join(" ");
            para.clear();
            if t.is_empty() {
                return;
            }
            match cur {
                Some(a) => a.paragraphs.push(t),
                None => preamble.push(t),
            }
        };
    for line in text.lines() {
        if let Some((level, h)) = heading(line) {
            flush(&mut para, &mut cur, &mut preamble);
            let h = clean_inline(h);
            match level {
                1 | 2 if cur.is_none() => {
                    if level == 1 && page.title.is_none() {
                        page.title = Some(h);
                    } else {
                        page.subtitle = Some(h);
                    }
                }
                1..=3 => {
                    if let Some(a) = cur.take() {
                        page.articles.push(a);
                    }
                    cur = Some(ArticleParts {
                        title: Some(strip_ordinal(&h)),
                        ..Default::default()
                    });
                }
                _ => match cur.as_mut() {
                    Some(a) if a.paragraphs.is_empty() && a.subtitle.is_none() => {
                        a.subtitle = Some(h)
                    }
                    Some(a) => a.paragraphs.push(h),
                    None => preamble.push(h),
                },
            }
        } else if line.trim().is_empty() {
            flush(&mut para, &mut cur, &mut preamble);
        } else {
            para.push(line.trim().to_string());
        }
    }
    flush(&mut para, &mut cur, &mut preamble);
    if let Some(a) = cur.take() {
        page.articles.push(a);
    }
    // Text before the first `###` is kept as an article of its own when it is more
    // than a line of credits (`(…评选)`).
    let preamble_len: usize = preamble.iter().map(|p| p.chars().count()).sum();
    if !page.articles.is_empty() && preamble_len >= 60 {
        page.articles.insert(
            0,
            ArticleParts {
                paragraphs: std::mem::take(&mut preamble),
                ..Default::default()
            },
        );
    }
    if page.articles.is_empty() && !preamble.is_empty() {
        // A page with no `###`: one article, titled by the page.
        page.articles.push(ArticleParts {
            title: page.title.clone(),
            subtitle: page.subtitle.clone(),
            paragraphs: std::mem::take(&mut preamble),
            ..Default::default()
        });
    }
    credit_compiler(&mut page, &last_raw);
    page
}

/// A byline on the page's last line (`本报记者 吕正军 整理`) credits every article.
fn credit_compiler(page: &mut Page, raw: &str) {
    let Some(last) = page.articles.last_mut() else {
        return;
    };
    let Some(line) = last.paragraphs.last() else {
        return;
    };
    let is_credit = line.chars().count() <= 24
        && (line.starts_with("本报记者") || line.starts_with("记者") || line.starts_with("通讯员"))
        && !line.contains(['。', '，']);
    if !is_credit {
        return;
    }
    let credit = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    last.paragraphs.pop();
    for a in &mut page.articles {
        if a.byline.is_none() {
            a.byline = Some(credit.clone());
        }
    }
}

/// `1 学成都佛山 促转型发展` → `学成都佛山 促转型发展`: the running number of a list.
fn strip_ordinal(h: &str) -> String {
    let digits = h.chars().take_while(|c| c.is_ascii_digit()).count();
    let rest = &h[digits..];
    if (1..=2).contains(&digits) && rest.starts_with([' ', '、', '.', '．']) && rest.len() > 1 {
        rest[1..].trim().to_string()
    } else {
        h.to_string()
    }
}

/// Remove inline markup, keeping the text: `<sub>2.5</sub>` → `2.5`, `**b**` → `b`,
/// `[text](url)` → `text`, images dropped.
pub fn clean_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(end) = rest.find('>') {
                let tag = &rest[1..end];
                let is_tag = tag
                    .trim_start_matches('/')
                    .starts_with(|c: char| c.is_ascii_alphabetic())
                    && tag.len() <= 12
                    && tag
                        .trim_start_matches('/')
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == ' ');
                if is_tag {
                    rest = &rest[end + 1..];
                    continue;
                }
            }
        } else if c == '!' && rest[1..].starts_with('[') {
            if let Some(after) = link_end(&rest[1..]) {
                rest = &rest[1 + after..];
                continue;
            }
        } else if c == '[' {
            if let Some(close) = rest.find("](")
                && let Some(after) = link_end(rest)
            {
                out.push_str(&rest[1..close]);
                rest = &rest[after..];
                continue;
            }
        } else if rest.starts_with("**") || rest.starts_with("__") {
            rest = &rest[2..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    crate::text::markup::strip(&out)
}

/// `[text](url)…` → byte length of the link.
fn link_end(s: &str) -> Option<usize> {
    let close = s.find("](")?;
    let end = s[close..].find(')')?;
    Some(close + end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup() {
        assert_eq!(clean_inline("PM<sub>2.5</sub>、PM_{10}"), "PM2.5、PM10");
        assert_eq!(
            clean_inline("**重点** [链接](http://x) ![图](a.png)尾"),
            "重点 链接 尾"
        );
        assert_eq!(clean_inline("a < b > c"), "a < b > c");
    }

    #[test]
    fn headings_make_articles() {
        let p = parse(
            "# 报名\n\n## ——副题\n\n导语。\n\n### 1 标题一\n\n#### 副题一\n\n正文一。\n\n### 2 标题二\n\n正文二。\n\n本报记者 张三 整理\n",
        );
        assert_eq!(p.title.as_deref(), Some("报名"));
        assert_eq!(p.articles.len(), 2);
        assert_eq!(p.articles[0].title.as_deref(), Some("标题一"));
        assert_eq!(p.articles[0].subtitle.as_deref(), Some("副题一"));
        assert_eq!(p.articles[1].paragraphs, vec!["正文二。"]);
        assert_eq!(p.articles[1].byline.as_deref(), Some("本报记者 张三 整理"));
    }
}
