//! From what a reader found in a file (the facts its text gives, and each article's
//! kicker, title, byline, paragraphs…) to articles: where they stand (the path first,
//! then the text), titles inferred from the lead where a page printed none, stable ids.
//! Every reader of every form ends here, so an article is the same whatever file it
//! came from.

use super::date;
use super::jump;
use super::model::{Article, Date, PageNo, ParsedFile, Place};
use super::place;
use std::collections::{HashMap, HashSet};

/// What a file's own text says about where it stands: a page's furniture (masthead,
/// `第02版`, 版名, the date line), a Markdown page's heading or front matter.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FileFacts {
    /// The file's own title (a Markdown page's `#` heading).
    pub(crate) title: Option<String>,
    pub(crate) paper: Option<String>,
    /// A date the file states (a date line, front matter), not one guessed from its text.
    pub(crate) date: Option<Date>,
    pub(crate) page: Option<PageNo>,
    pub(crate) page_name: Option<String>,
    /// The paper a folder's settings name (wins over the path's guess).
    pub(crate) named_paper: Option<String>,
}

/// The parts of an article before it gets its id and issue fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ArticleParts {
    pub(crate) kicker: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) subtitle: Option<String>,
    pub(crate) byline: Option<String>,
    pub(crate) paragraphs: Vec<String>,
    /// Where the article goes on (`（下转二版）` → `二版`).
    pub(crate) continued: Option<String>,
    /// Where it came from (`（上接第1版）` → `第1版`).
    pub(crate) continued_from: Option<String>,
}

/// An article's parts with what only readers of structured forms know (a page's
/// segmenter does not): its closing credit and its own place.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FullParts {
    pub(crate) parts: ArticleParts,
    /// The closing credit (`本报记者  李  舸摄`), as written.
    pub(crate) credit: Option<String>,
    /// Where the article itself says it stands, over its file's place: a dump's record
    /// (paper, date, page), the position on a Markdown page.
    pub(crate) at: Place,
    /// The id a dump's record carries (`news_id`, `id`), kept for scripts.
    pub(crate) source_id: Option<String>,
}

impl From<ArticleParts> for FullParts {
    fn from(parts: ArticleParts) -> FullParts {
        FullParts {
            parts,
            ..FullParts::default()
        }
    }
}

/// A file's name without folders and extension: what names a file with no title.
pub(crate) fn file_stem(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
}

/// Where a file stands: what its path says, then what its text states, then (for the
/// date only, marked as inferred) what its text suggests.
pub(crate) fn place_of(rel: &str, facts: &FileFacts, text: &str) -> Place {
    let path = place::from_path(rel);
    let stated = path.date.or(facts.date);
    let inferred = if stated.is_none() {
        date::infer_from_text(text)
    } else {
        None
    };
    Place {
        paper: facts
            .named_paper
            .clone()
            .or(path.paper)
            .or_else(|| facts.paper.clone()),
        date: stated.or(inferred),
        date_inferred: inferred.is_some(),
        page: path.page.or(facts.page),
        page_name: facts.page_name.clone(),
        order: path.order,
    }
}

/// Give articles their places, titles (inferred from the lead when the page had none)
/// and ids.
pub(crate) fn build_file(
    rel: &str,
    facts: FileFacts,
    parts: Vec<FullParts>,
    text: &str,
) -> ParsedFile {
    build_file_after(rel, facts, parts, text, HashSet::new())
}

/// [`build_file`] for the rest of a file whose start was read before, with the ids its
/// articles were given (`taken`): a repeat gets the id it would get in the whole file.
pub(crate) fn build_file_after(
    rel: &str,
    facts: FileFacts,
    parts: Vec<FullParts>,
    text: &str,
    taken: HashSet<String>,
) -> ParsedFile {
    let place = place_of(rel, &facts, text);
    let name = facts.title.clone().unwrap_or_else(|| file_stem(rel));
    let mut seen = taken;
    let mut next_salt: HashMap<String, usize> = Default::default();
    let articles = parts
        .into_iter()
        .filter(|f| !f.parts.paragraphs.is_empty() || f.parts.title.is_some())
        .map(|f| {
            let (p, credit, at, source_id) =
                (take_opening_mark(f.parts), f.credit, f.at, f.source_id);
            let (title, title_inferred) = match p.title {
                Some(t) if !t.is_empty() => (t, false),
                _ => (infer_title(&p.paragraphs), true),
            };
            let content = article_hasher(rel, &title, &p.paragraphs);
            let base = salted_id(&content, 0);
            let mut id = base.clone();
            // The same article printed twice on a page: salts 1, 2, … tell them apart.
            // The next salt to try is remembered per article, so that a page of many
            // repeats costs no more than one of few (it used to rehash every text).
            if !seen.insert(id.clone()) {
                let n = next_salt.entry(base).or_insert(1);
                loop {
                    id = salted_id(&content, *n);
                    *n += 1;
                    if seen.insert(id.clone()) {
                        break;
                    }
                }
            }
            Article {
                id,
                file: rel.to_string(),
                file_name: name.clone(),
                place: place_with(&place, at),
                title,
                title_inferred,
                subtitle: p.subtitle,
                kicker: p.kicker,
                byline: p.byline,
                paragraphs: p.paragraphs,
                continued_on: p.continued,
                continued_from: p.continued_from,
                credit,
                source_id,
            }
        })
        .collect();
    ParsedFile {
        file: rel.to_string(),
        name,
        place,
        articles,
        problems: Vec::new(),
    }
}

/// A file's place with what an article says of its own place over it.
fn place_with(file: &Place, at: Place) -> Place {
    if at == Place::default() {
        return file.clone();
    }
    Place {
        paper: at.paper.or_else(|| file.paper.clone()),
        date: at.date.or(file.date),
        date_inferred: if at.date.is_some() {
            at.date_inferred
        } else {
            file.date_inferred
        },
        page: at.page.or(file.page),
        page_name: at.page_name.or_else(|| file.page_name.clone()),
        order: at.order.or(file.order),
    }
}

/// An article that says it comes from another page (`（上接第1版）` after its headline
/// or opening its text) keeps that in `continued_from`, not in its words.
fn take_opening_mark(mut p: ArticleParts) -> ArticleParts {
    if p.continued_from.is_some() {
        return p;
    }
    if let Some((rest, place)) = p.title.as_deref().and_then(jump::opening_mark) {
        p.title = (!rest.is_empty()).then_some(rest);
        p.continued_from = Some(place);
    } else if let Some((rest, place)) = p.paragraphs.first().and_then(|t| jump::opening_mark(t)) {
        if rest.is_empty() {
            p.paragraphs.remove(0);
        } else {
            p.paragraphs[0] = rest;
        }
        p.continued_from = Some(place);
    }
    p
}

/// The hash of an article's file path and content, before any salt.
fn article_hasher(rel: &str, title: &str, paragraphs: &[String]) -> blake3::Hasher {
    let mut h = blake3::Hasher::new();
    h.update(rel.as_bytes());
    h.update(b"\0");
    h.update(title.as_bytes());
    for p in paragraphs {
        h.update(b"\0");
        h.update(p.as_bytes());
    }
    h
}

/// A stable id: the hash of the file path and the article's content, and a salt for
/// repeats (12 hex digits).
fn salted_id(content: &blake3::Hasher, salt: usize) -> String {
    let mut h = content.clone();
    if salt > 0 {
        h.update(&salt.to_le_bytes());
    }
    h.finalize().to_hex()[..12].to_string()
}

/// The longest title made from a lead, in characters.
const MADE_TITLE_CHARS: usize = 28;

/// A title made from the lead: its first clause after any date (`11月20日，示范区召开
/// 重点工作汇报会。` → `示范区召开重点工作汇报会`).
pub(crate) fn infer_title(paragraphs: &[String]) -> String {
    let Some(lead) = paragraphs.iter().find(|p| !p.trim().is_empty()) else {
        return "（无标题）".to_string();
    };
    let mut rest = strip_leading_time(lead.trim());
    for opening in [
        "近日，",
        "日前，",
        "目前，",
        "据了解，",
        "今年年初以来，",
        "今年以来，",
    ] {
        rest = rest.strip_prefix(opening).unwrap_or(rest);
    }
    let mut title = String::new();
    for c in rest.chars() {
        if matches!(c, '。' | '！' | '？' | '；' | '，' | '：') {
            if title.chars().count() >= 6 {
                break;
            }
            if matches!(c, '。' | '！' | '？') {
                break;
            }
        }
        title.push(c);
        // No `…` at the cut: where nothing else is cut (`dubao list`) it reads as
        // "truncated"; an inferred title is marked as such by `title_inferred`.
        if title.chars().count() >= MADE_TITLE_CHARS {
            break;
        }
    }
    let title = title.trim_matches(|c: char| c == '，' || c == '：' || c.is_whitespace());
    if title.is_empty() {
        "（无标题）".to_string()
    } else {
        title.to_string()
    }
}

/// Remove a leading `2019年11月20日上午，` / `11月8日至11日，` / `当日8时，`.
fn strip_leading_time(s: &str) -> &str {
    let mut t = s;
    let digits = |t: &str| t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let mut took = false;
    loop {
        let d = digits(t);
        if d == 0 {
            break;
        }
        let after = &t[d..];
        match after.chars().next() {
            Some(c @ ('年' | '月' | '日' | '时')) => {
                t = &after[c.len_utf8()..];
                took = true;
            }
            _ => break,
        }
        if let Some(r) = t.strip_prefix('至') {
            t = r;
        }
    }
    if !took {
        return s;
    }
    for part in ["上午", "下午", "晚上", "中午", "凌晨", "晚", "起"] {
        if let Some(r) = t.strip_prefix(part) {
            t = r;
            break;
        }
    }
    t.strip_prefix('，').unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inferred_titles_skip_the_date() {
        let p = vec!["11月20日，示范区召开重点工作汇报会。会议强调，要肯定成绩。".to_string()];
        assert_eq!(infer_title(&p), "示范区召开重点工作汇报会");
        let p = vec!["11月3日下午，示范区召开党工委（扩大）会议，传达10月29日会议精神".to_string()];
        assert_eq!(infer_title(&p), "示范区召开党工委（扩大）会议");
        let p = vec!["近日，央视人物公布，一位烈士入选。".to_string()];
        assert_eq!(infer_title(&p), "央视人物公布");
    }
}
