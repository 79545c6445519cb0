//! Laying stored files out for the list, the way a paper is made. Every article's place
//! (its own, else its file's) gives it a key: paper, issue date (newest first, undated
//! last), page (numbered pages in order, then unnumbered ones file by file), order on
//! the page. Sorted by key, the articles fall into papers, issues and pages. Two more
//! things happen on the way:
//! - the very same article (title and body) printed in two files is listed once, with
//!   the other pages it stands on;
//! - an article that goes on on another page of its issue (`（下转二版）`) is joined with
//!   the article there that picks it up (`（上接第1版）`, or the same headline): the rest
//!   is left out of the list and shown as part of it.
//!
//! Keys are numbers (papers and files ranked once), so sorting a million articles is
//! cheap.

use super::flat::TableWriter;
use super::{ArticleHead, Extra, Joined, StoredFile, id_key};
use crate::archive::model::{Date, PageNo, Place};
use crate::archive::place::page_of_label;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A paper and its issues (`Catalog::issues[issues]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperGroup {
    pub name: Option<String>,
    pub issues: Range<usize>,
}

/// One issue (a paper's day) and its pages (`Catalog::pages[pages]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueGroup {
    pub paper: usize,
    pub date: Option<Date>,
    /// True when no file of the issue states the date (it was worked out from text).
    pub date_inferred: bool,
    pub pages: Range<usize>,
    pub articles: Range<usize>,
}

/// One page of an issue and its articles (`Catalog::article(n)` for `n` in `articles`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageGroup {
    pub issue: usize,
    /// 版次, when known.
    pub page: Option<PageNo>,
    /// 版名, when known.
    pub name: Option<String>,
    /// The name of the file an unnumbered page comes from (its title, else its stem).
    pub file_name: Option<String>,
    pub articles: Range<usize>,
}

impl PageGroup {
    /// `第02版 要闻`, else the page's file name.
    pub fn label(&self) -> String {
        match (self.page, &self.name) {
            (Some(p), Some(n)) => format!("{} {n}", p.label()),
            (Some(p), None) => p.label(),
            (None, Some(n)) => n.clone(),
            (None, None) => self.file_name.clone().unwrap_or_default(),
        }
    }
}

/// An article's sort key: (paper, date, page, unnumbered page's file, order, file,
/// position in file).
type Key = (u32, u32, u32, u32, u32, u32, u32);

const NONE: u32 = u32::MAX;

pub(super) fn date_key(d: Option<Date>) -> u32 {
    // Newest first, undated last.
    d.map_or(NONE, |d| {
        NONE - 1 - (u32::from(d.year) * 512 + u32::from(d.month) * 32 + u32::from(d.day))
    })
}

fn page_key(p: Option<PageNo>) -> u32 {
    p.map_or(NONE, |p| {
        (p.section.map_or(0, |c| c as u32 & 0xFF) << 16) | u32::from(p.number)
    })
}

struct Entry {
    key: Key,
    file: usize,
    idx: usize,
}

/// Where an article stands: its own place (a record of a dump, a page of a PDF issue),
/// else its file's.
pub(super) fn place_of<'a>(f: &'a StoredFile, a: &'a ArticleHead) -> &'a Place {
    a.extra
        .as_ref()
        .and_then(|e| e.place.as_ref())
        .unwrap_or(&f.place)
}

/// More articles than a printed page holds: files whose dates were all guessed alike,
/// grouped as one page. Their headlines are not compared with every continued
/// article's (that was quadratic: a minute at a million articles).
const PRINTED_PAGE_MAX: usize = 64;

/// What laying out gives: the articles and files (to be finished into bytes), and
/// the groups.
pub(super) struct Laid {
    pub table: TableWriter,
    pub papers: Vec<PaperGroup>,
    pub issues: Vec<IssueGroup>,
    pub pages: Vec<PageGroup>,
}

pub(super) fn lay_out(mut stored: Vec<StoredFile>) -> Laid {
    stored.retain(|f| !f.articles.is_empty());
    stored.sort_by(|a, b| a.rel.cmp(&b.rel));
    // Papers ranked by name, the unnamed last (a set of borrowed names: a million files
    // of one paper are one name, not a million copies to sort).
    let mut names: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for f in &stored {
        names.extend(f.place.paper.as_deref());
        for a in &f.articles {
            if let Some(p) = a.extra.as_ref().and_then(|e| e.place.as_ref()) {
                names.extend(p.paper.as_deref());
            }
        }
    }
    let paper_rank: HashMap<Option<String>, u32> = names
        .iter()
        .map(|n| Some(n.to_string()))
        .chain([None])
        .enumerate()
        .map(|(i, n)| (n, i as u32))
        .collect();

    let mut entries = Vec::new();
    for (fi, f) in stored.iter().enumerate() {
        for (ai, a) in f.articles.iter().enumerate() {
            let p = place_of(f, a);
            let page = page_key(p.page);
            entries.push(Entry {
                key: (
                    paper_rank.get(&p.paper).copied().unwrap_or(NONE),
                    date_key(p.date),
                    page,
                    if page == NONE { fi as u32 } else { 0 },
                    p.order.unwrap_or(NONE),
                    fi as u32,
                    ai as u32,
                ),
                file: fi,
                idx: ai,
            });
        }
    }
    entries.sort_unstable_by_key(|e| e.key);

    // What is left out of the list, and the article each left-out id leads to (by
    // entry position).
    let mut left_out = vec![false; entries.len()];
    let mut leads_to: Vec<(usize, usize)> = Vec::new();
    let mut extras: HashMap<usize, Extra> = HashMap::default();

    // The same article twice in one dated issue (printed on two pages, or a record a
    // dump holds twice): the first place keeps it. Across issues it is a reprint, and
    // undated files are just files: both stay.
    let mut first_of: HashMap<(u32, u32, u64), usize> = HashMap::default();
    for (pos, e) in entries.iter().enumerate() {
        let a = &stored[e.file].articles[e.idx];
        if e.key.1 == NONE {
            continue;
        }
        let key = (e.key.0, e.key.1, a.content);
        match first_of.get(&key) {
            Some(&kept) => {
                left_out[pos] = true;
                leads_to.push((pos, kept));
                // A second place is said; the same place twice is not.
                let label_of = |e: &Entry| {
                    let f = &stored[e.file];
                    match place_of(f, &f.articles[e.idx]).page {
                        Some(p) => p.label(),
                        None => f.name.clone(),
                    }
                };
                let label = label_of(e);
                let also = &mut extras.entry(kept).or_default().also_on;
                if label != label_of(&entries[kept]) && !also.contains(&label) {
                    also.push(label);
                }
            }
            None => {
                first_of.insert(key, pos);
            }
        }
    }

    // Continuations: the pages of each issue, to find where an article goes on.
    let mut pages_of_issue: HashMap<(u32, u32, u32), Vec<usize>> = HashMap::default();
    for (pos, e) in entries.iter().enumerate() {
        if !left_out[pos] {
            pages_of_issue
                .entry((e.key.0, e.key.1, e.key.2))
                .or_default()
                .push(pos);
        }
    }
    // Issues with numbered pages (asked once per article that goes on elsewhere: a
    // walk over all pages each time was quadratic in a big library).
    let numbered: HashSet<(u32, u32)> = pages_of_issue
        .keys()
        .filter(|k| k.2 != NONE)
        .map(|k| (k.0, k.1))
        .collect();
    let issue_has_pages = |paper: u32, date: u32| numbered.contains(&(paper, date));
    // On each page, the articles that say where they come from (`（上接第1版）`): on a
    // "page" too big to be a printed one, the only candidates for a rest.
    let mut marked_of_page: HashMap<(u32, u32, u32), Vec<usize>> = HashMap::default();
    for (key, positions) in &pages_of_issue {
        if positions.len() > PRINTED_PAGE_MAX {
            marked_of_page.insert(
                *key,
                positions
                    .iter()
                    .copied()
                    .filter(|&c| {
                        stored[entries[c].file].articles[entries[c].idx]
                            .continued_from()
                            .is_some()
                    })
                    .collect(),
            );
        }
    }
    for pos in 0..entries.len() {
        let e = &entries[pos];
        let a = &stored[e.file].articles[e.idx];
        let Some(target) = a.continued_on().and_then(page_of_label) else {
            continue;
        };
        if left_out[pos] || e.key.1 == NONE {
            continue;
        }
        let here = place_of(&stored[e.file], a);
        let page = (e.key.0, e.key.1, page_key(Some(target)));
        let candidates = marked_of_page
            .get(&page)
            .or_else(|| pages_of_issue.get(&page))
            .cloned()
            .unwrap_or_default();
        let score = |c: usize| -> u32 {
            let b = &stored[entries[c].file].articles[entries[c].idx];
            let from = b.continued_from().and_then(page_of_label);
            let mut s = 0;
            if from.is_some() {
                s += 1;
            }
            if from.is_some() && from == here.page {
                s += 2;
            }
            if shares_headline(&a.title, &b.title) {
                s += 2;
            }
            s
        };
        let best = candidates
            .into_iter()
            .filter(|&c| c != pos && !left_out[c])
            .map(|c| (score(c), c))
            .filter(|(s, _)| *s >= 2)
            .max_by_key(|(s, c)| (*s, std::cmp::Reverse(*c)));
        let joined = match best {
            Some((_, c)) => {
                left_out[c] = true;
                leads_to.push((c, pos));
                let rest = &stored[entries[c].file].articles[entries[c].idx];
                Some(Joined::Rest {
                    file: entries[c].file,
                    id: rest.id.clone(),
                })
            }
            None if issue_has_pages(e.key.0, e.key.1)
                && !pages_of_issue.contains_key(&(e.key.0, e.key.1, page_key(Some(target)))) =>
            {
                Some(Joined::Missing {
                    page: target.label(),
                })
            }
            None => None,
        };
        if joined.is_some() {
            extras.entry(pos).or_default().joined = joined;
        }
    }

    // The list.
    let mut table = TableWriter::default();
    let mut papers: Vec<PaperGroup> = Vec::new();
    let mut issues: Vec<IssueGroup> = Vec::new();
    let mut pages: Vec<PageGroup> = Vec::new();
    let mut slots: Vec<Vec<Option<ArticleHead>>> = stored
        .iter_mut()
        .map(|f| {
            std::mem::take(&mut f.articles)
                .into_iter()
                .map(Some)
                .collect()
        })
        .collect();
    let mut position_of = vec![NONE; entries.len()];
    // Whether every file of each issue only guessed its date.
    let mut inferred_only: Vec<bool> = Vec::new();
    let (mut cur_paper, mut cur_issue, mut cur_page) = (None, None, None);
    for (pos, e) in entries.iter().enumerate() {
        if left_out[pos] {
            continue;
        }
        let f = &stored[e.file];
        let Some(mut a) = slots[e.file][e.idx].take() else {
            continue;
        };
        let p = place_of(f, &a).clone();
        let n = table.len();
        if cur_paper != Some(e.key.0) {
            cur_paper = Some(e.key.0);
            cur_issue = None;
            papers.push(PaperGroup {
                name: p.paper.clone(),
                issues: issues.len()..issues.len(),
            });
        }
        if cur_issue != Some(e.key.1) {
            cur_issue = Some(e.key.1);
            cur_page = None;
            issues.push(IssueGroup {
                paper: papers.len() - 1,
                date: p.date,
                date_inferred: true,
                pages: pages.len()..pages.len(),
                articles: n..n,
            });
            inferred_only.push(true);
        }
        if !p.date_inferred
            && let Some(last) = inferred_only.last_mut()
        {
            *last = false;
        }
        if cur_page != Some((e.key.2, e.key.3)) {
            cur_page = Some((e.key.2, e.key.3));
            pages.push(PageGroup {
                issue: issues.len() - 1,
                page: p.page,
                name: p.page_name.clone(),
                file_name: p.page.is_none().then(|| f.name.clone()),
                articles: n..n,
            });
        } else if let Some(pg) = pages.last_mut()
            && pg.name.is_none()
        {
            pg.name = p.page_name.clone();
        }
        if let Some(x) = extras.remove(&pos) {
            let extra = a.extra.get_or_insert_with(Default::default);
            extra.joined = x.joined;
            extra.also_on = x.also_on;
        }
        position_of[pos] = n as u32;
        table.id(id_key(&a.id), n);
        table.article(&a, pages.len() - 1, e.file);
        if let Some(pg) = papers.last_mut() {
            pg.issues.end = issues.len();
        }
        if let Some(i) = issues.last_mut() {
            i.pages.end = pages.len();
            i.articles.end = n + 1;
        }
        if let Some(pg) = pages.last_mut() {
            pg.articles.end = n + 1;
        }
    }
    for (issue, only) in issues.iter_mut().zip(inferred_only) {
        issue.date_inferred = only && issue.date.is_some();
    }
    // Ids of what was left out lead to the article it is shown with (following a copy
    // of a rest, or a rest of a copy, to what is listed).
    let lead: HashMap<usize, usize> = leads_to.iter().copied().collect();
    for &(gone, _) in &leads_to {
        let mut k = gone;
        for _ in 0..4 {
            match lead.get(&k) {
                Some(&next) if position_of[k] == NONE => k = next,
                _ => break,
            }
        }
        let e = &entries[gone];
        if let (Some(&n), Some(a)) = (
            position_of.get(k).filter(|n| **n != NONE),
            slots[e.file][e.idx].as_ref(),
        ) {
            table.id(id_key(&a.id), n as usize);
        }
    }
    for f in stored {
        table.file(f);
    }
    Laid {
        table,
        papers,
        issues,
        pages,
    }
}

/// Whether a jump headline repeats the headline (or a good part of it): what the rest
/// of an article on another page is printed under.
fn shares_headline(a: &str, b: &str) -> bool {
    let grams = |s: &str| -> Vec<(char, char)> {
        let cs: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
        cs.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (ga, gb) = (grams(a), grams(b));
    if ga.is_empty() || gb.is_empty() {
        return false;
    }
    let shared = gb.iter().filter(|g| ga.contains(g)).count();
    shared * 2 >= gb.len().min(ga.len())
}
