//! The article list as the reader browses it: papers → issues → pages → articles. Rows
//! are worked out for the rows on screen only (a million articles scroll as fast as
//! ten): the rows each issue takes are summed once per change of folds or order, and a
//! row is found by a binary search over those sums.
//!
//! The cursor is on an article, or on the header of a folded paper, issue or page
//! (an unfolded header is a title, not a stop).

use super::App;
use crate::archive::Date;
use crate::archive::catalog::Catalog;
use std::collections::HashSet;

/// One row of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListRow {
    Paper(usize),
    Issue(usize),
    Page(usize),
    /// Index into the catalog's articles.
    Article(usize),
}

/// How the list is shown: folds, order, and the row counts that follow from them.
#[derive(Clone, Debug, Default)]
pub struct ListView {
    /// Issues oldest first (within each paper) instead of newest first.
    pub oldest_first: bool,
    folded_papers: HashSet<usize>,
    folded_issues: HashSet<usize>,
    folded_pages: HashSet<usize>,
    /// Blocks in display order: a paper's header row, or an issue with its rows.
    blocks: Vec<Block>,
    /// Rows before each block (one more entry: all rows).
    starts: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Paper(usize),
    Issue(usize),
}

impl ListView {
    /// Work the row counts out again (after the catalog, a fold or the order changed).
    pub(crate) fn rebuild(&mut self, cat: &Catalog) {
        self.blocks.clear();
        self.starts.clear();
        let mut row = 0;
        let papers = show_papers(cat);
        for (p, paper) in cat.papers.iter().enumerate() {
            if papers {
                self.blocks.push(Block::Paper(p));
                self.starts.push(row);
                row += 1;
                if self.folded_papers.contains(&p) {
                    continue;
                }
            }
            let mut issues: Vec<usize> = paper.issues.clone().collect();
            if self.oldest_first {
                // Undated issues stay last.
                let dated = issues
                    .iter()
                    .take_while(|&&i| cat.issues[i].date.is_some())
                    .count();
                issues[..dated].reverse();
            }
            for i in issues {
                self.blocks.push(Block::Issue(i));
                self.starts.push(row);
                row += self.issue_rows(cat, i);
            }
        }
        self.starts.push(row);
    }

    /// Rows issue `i` takes: its header, and unless folded its pages' headers (when
    /// shown) and unfolded pages' articles.
    fn issue_rows(&self, cat: &Catalog, i: usize) -> usize {
        if self.folded_issues.contains(&i) {
            return 1;
        }
        let headers = show_pages(cat, i);
        1 + cat.issues[i]
            .pages
            .clone()
            .map(|p| {
                let header = usize::from(headers);
                if headers && self.folded_pages.contains(&p) {
                    header
                } else {
                    header + cat.pages[p].articles.len()
                }
            })
            .sum::<usize>()
    }

    pub(crate) fn len(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    /// Row `r`.
    pub(crate) fn row(&self, cat: &Catalog, r: usize) -> Option<ListRow> {
        if r >= self.len() {
            return None;
        }
        let b = self.starts.partition_point(|&s| s <= r).checked_sub(1)?;
        let mut k = r - self.starts[b];
        match self.blocks[b] {
            Block::Paper(p) => Some(ListRow::Paper(p)),
            Block::Issue(i) => {
                if k == 0 {
                    return Some(ListRow::Issue(i));
                }
                k -= 1;
                let headers = show_pages(cat, i);
                for p in cat.issues[i].pages.clone() {
                    if headers {
                        if k == 0 {
                            return Some(ListRow::Page(p));
                        }
                        k -= 1;
                        if self.folded_pages.contains(&p) {
                            continue;
                        }
                    }
                    let n = cat.pages[p].articles.len();
                    if k < n {
                        return Some(ListRow::Article(cat.pages[p].articles.start + k));
                    }
                    k -= n;
                }
                None
            }
        }
    }

    /// The row of `item`, if it is shown.
    pub(crate) fn row_of(&self, cat: &Catalog, item: ListRow) -> Option<usize> {
        let block = |b: Block| self.blocks.iter().position(|x| *x == b);
        match item {
            ListRow::Paper(p) => block(Block::Paper(p)).map(|b| self.starts[b]),
            ListRow::Issue(i) => block(Block::Issue(i)).map(|b| self.starts[b]),
            ListRow::Page(p) => {
                let i = cat.pages.get(p)?.issue;
                if self.folded_issues.contains(&i) || !show_pages(cat, i) {
                    return None;
                }
                let mut r = self.row_of(cat, ListRow::Issue(i))? + 1;
                for q in cat.issues[i].pages.start..p {
                    r += 1;
                    if !self.folded_pages.contains(&q) {
                        r += cat.pages[q].articles.len();
                    }
                }
                Some(r)
            }
            ListRow::Article(n) => {
                let p = cat.page_index(n)?;
                let i = cat.pages[p].issue;
                if self.folded_issues.contains(&i) {
                    return None;
                }
                let base = if show_pages(cat, i) {
                    if self.folded_pages.contains(&p) {
                        return None;
                    }
                    self.row_of(cat, ListRow::Page(p))? + 1
                } else {
                    self.row_of(cat, ListRow::Issue(i))? + 1
                };
                Some(base + n - cat.pages[p].articles.start)
            }
        }
    }

    pub(crate) fn is_folded(&self, item: ListRow) -> bool {
        match item {
            ListRow::Paper(p) => self.folded_papers.contains(&p),
            ListRow::Issue(i) => self.folded_issues.contains(&i),
            ListRow::Page(p) => self.folded_pages.contains(&p),
            ListRow::Article(_) => false,
        }
    }

    /// Fold or unfold a group; says whether it is folded now.
    pub(crate) fn toggle(&mut self, item: ListRow) -> bool {
        let set = match item {
            ListRow::Paper(p) => (&mut self.folded_papers, p),
            ListRow::Issue(i) => (&mut self.folded_issues, i),
            ListRow::Page(p) => (&mut self.folded_pages, p),
            ListRow::Article(_) => return false,
        };
        if !set.0.remove(&set.1) {
            set.0.insert(set.1);
            return true;
        }
        false
    }

    /// Fold every issue, or unfold them all when they all are.
    pub(crate) fn toggle_all_issues(&mut self, cat: &Catalog) -> bool {
        if self.folded_issues.len() == cat.issues.len() {
            self.folded_issues.clear();
            false
        } else {
            self.folded_issues = (0..cat.issues.len()).collect();
            true
        }
    }

    /// A new catalog: folds refer to groups that may be gone.
    pub(crate) fn forget_folds(&mut self) {
        self.folded_papers.clear();
        self.folded_issues.clear();
        self.folded_pages.clear();
    }
}

/// Papers get header rows when there is more than one.
pub(crate) fn show_papers(cat: &Catalog) -> bool {
    cat.papers.len() > 1
}

/// An issue's pages get header rows when there is something to say: several pages, or
/// one with a number or a name.
pub(crate) fn show_pages(cat: &Catalog, issue: usize) -> bool {
    let pages = &cat.issues[issue].pages;
    pages.len() > 1
        || pages
            .clone()
            .any(|p| cat.pages[p].page.is_some() || cat.pages[p].name.is_some())
}

/// A date as typed to jump to it: `2019-11-25`, `20191125`, `2019-11`, `201911`,
/// `2019`. Returns the first day it covers and the last.
pub(crate) fn parse_jump(text: &str) -> Option<(Date, Date)> {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    let parts: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let (y, m, d): (u16, Option<u8>, Option<u8>) = match (parts.len(), digits.len()) {
        (1, 8) => (
            digits[..4].parse().ok()?,
            Some(digits[4..6].parse().ok()?),
            Some(digits[6..].parse().ok()?),
        ),
        (1, 6) => (
            digits[..4].parse().ok()?,
            Some(digits[4..].parse().ok()?),
            None,
        ),
        (1, 4) => (digits.parse().ok()?, None, None),
        (2, _) => (parts[0].parse().ok()?, Some(parts[1].parse().ok()?), None),
        (3, _) => (
            parts[0].parse().ok()?,
            Some(parts[1].parse().ok()?),
            Some(parts[2].parse().ok()?),
        ),
        _ => return None,
    };
    match (m, d) {
        (Some(m), Some(d)) => {
            let day = Date::new(y, m, d)?;
            Some((day, day))
        }
        (Some(m), None) => {
            let first = Date::new(y, m, 1)?;
            let last = (28..=31).rev().find_map(|d| Date::new(y, m, d))?;
            Some((first, last))
        }
        _ => Some((Date::new(y, 1, 1)?, Date::new(y, 12, 31)?)),
    }
}

impl App {
    /// Rows in the list.
    pub fn list_len(&self) -> usize {
        self.list.len()
    }

    /// Row `r` of the list.
    pub(crate) fn list_row(&self, r: usize) -> Option<ListRow> {
        self.list.row(&self.catalog, r)
    }

    /// `height` rows of the list from row `offset`.
    pub fn list_rows(&self, offset: usize, height: usize) -> Vec<ListRow> {
        (offset..self.list_len().min(offset.saturating_add(height)))
            .filter_map(|r| self.list_row(r))
            .collect()
    }

    /// What the cursor is on: a folded header, else the selected article.
    pub fn cursor(&self) -> ListRow {
        self.on_fold.unwrap_or(ListRow::Article(self.selected))
    }

    /// The cursor's row (the nearest shown row when its article is folded away).
    fn cursor_row(&self) -> usize {
        let cat = &self.catalog;
        self.list
            .row_of(cat, self.cursor())
            .or_else(|| {
                let n = self.selected;
                let p = cat.page_index(n)?;
                let i = cat.pages.get(p)?.issue;
                self.list
                    .row_of(cat, ListRow::Page(p))
                    .or_else(|| self.list.row_of(cat, ListRow::Issue(i)))
                    .or_else(|| {
                        self.list
                            .row_of(cat, ListRow::Paper(cat.issues.get(i)?.paper))
                    })
            })
            .unwrap_or(0)
    }

    /// Whether the cursor may stop on a row: an article, or a folded header.
    fn stop(&self, row: ListRow) -> bool {
        matches!(row, ListRow::Article(_)) || self.list.is_folded(row)
    }

    /// Move the cursor `delta` stops (articles and folded headers) down or up.
    pub(crate) fn move_cursor(&mut self, delta: isize) {
        let len = self.list_len();
        if len == 0 {
            return;
        }
        let mut r = self.cursor_row();
        let mut left = delta.unsigned_abs();
        let mut last_stop = None;
        while left > 0 {
            let next = if delta > 0 {
                r + 1
            } else {
                match r.checked_sub(1) {
                    Some(x) => x,
                    None => break,
                }
            };
            let Some(row) = self.list_row(next) else {
                break;
            };
            r = next;
            if self.stop(row) {
                last_stop = Some(row);
                left -= 1;
            }
        }
        if let Some(row) = last_stop {
            self.put_cursor(row);
        }
    }

    /// The next (or previous) article shown, past headers and folds; false at the end.
    pub(crate) fn step_article(&mut self, forward: bool) -> bool {
        let len = self.list_len();
        let mut r = self.cursor_row();
        loop {
            r = match forward {
                true if r + 1 < len => r + 1,
                false if r > 0 => r - 1,
                _ => return false,
            };
            if let Some(ListRow::Article(n)) = self.list_row(r) {
                self.put_cursor(ListRow::Article(n));
                return true;
            }
        }
    }

    /// The first (or last) stop of the list.
    pub(crate) fn cursor_to_end(&mut self, last: bool) {
        let len = self.list_len();
        let rows: Box<dyn Iterator<Item = usize>> = if last {
            Box::new((0..len).rev())
        } else {
            Box::new(0..len)
        };
        for r in rows {
            if let Some(row) = self.list_row(r)
                && self.stop(row)
            {
                self.put_cursor(row);
                return;
            }
        }
    }

    /// Put the cursor on `row` (an article shows in the reader).
    pub fn put_cursor(&mut self, row: ListRow) {
        match row {
            ListRow::Article(n) => {
                self.on_fold = None;
                self.select(n);
            }
            header => {
                self.on_fold = Some(header);
                self.ensure_list_visible();
            }
        }
    }

    /// Fold (or unfold) what the cursor is in: on a folded header, unfold it; on an
    /// article, fold its page when pages show, else its issue.
    pub(crate) fn fold(&mut self) {
        let cat = &self.catalog;
        let target = match self.cursor() {
            ListRow::Article(n) => {
                let Some(p) = cat.page_index(n) else { return };
                let i = cat.pages[p].issue;
                if show_pages(cat, i) {
                    ListRow::Page(p)
                } else {
                    ListRow::Issue(i)
                }
            }
            header => header,
        };
        let folded = self.list.toggle(target);
        self.list.rebuild(&self.catalog);
        if folded {
            self.on_fold = Some(target);
        } else if self.on_fold == Some(target) {
            // Unfolded under the cursor: on to the first stop inside.
            self.move_cursor(1);
        }
        self.ensure_list_visible();
    }

    /// Fold every issue (a list of dates), or unfold them all.
    pub(crate) fn fold_all(&mut self) {
        let folded = self.list.toggle_all_issues(&self.catalog);
        self.list.rebuild(&self.catalog);
        let issue = self.catalog.issue_index(self.selected);
        self.on_fold = match (folded, issue) {
            (true, Some(i)) => Some(ListRow::Issue(i)),
            _ => None,
        };
        self.ensure_list_visible();
        self.message = Some(
            if folded {
                "issues folded: Enter opens one"
            } else {
                "issues unfolded"
            }
            .into(),
        );
    }

    /// Enter on a folded header unfolds it.
    pub(crate) fn unfold_here(&mut self) -> bool {
        match self.on_fold {
            Some(row) if self.list.is_folded(row) => {
                self.fold();
                true
            }
            _ => false,
        }
    }

    /// Newest first, or oldest first.
    pub(crate) fn flip_order(&mut self) {
        self.list.oldest_first = !self.list.oldest_first;
        self.list.rebuild(&self.catalog);
        self.ensure_list_visible();
        self.message = Some(
            if self.list.oldest_first {
                "oldest issues first"
            } else {
                "newest issues first"
            }
            .into(),
        );
    }

    /// The first stop of the next (or previous) issue or page, in list order.
    pub(crate) fn step_group(&mut self, forward: bool, page: bool) -> bool {
        let cat = &self.catalog;
        // Which group a stop belongs to, as (level, index).
        let group_of = |row: ListRow| -> Option<(u8, usize)> {
            Some(match row {
                ListRow::Article(n) if page => (2, cat.page_index(n)?),
                ListRow::Article(n) => (1, cat.issue_index(n)?),
                ListRow::Page(p) if page => (2, p),
                ListRow::Page(p) => (1, cat.pages.get(p)?.issue),
                ListRow::Issue(i) => (1, i),
                ListRow::Paper(p) => (0, p),
            })
        };
        let here = self.cursor_row();
        let mine = self.list_row(here).and_then(group_of);
        let len = self.list_len();
        let mut target: Option<((u8, usize), ListRow)> = None;
        let mut r = here;
        loop {
            r = match forward {
                true if r + 1 < len => r + 1,
                false if r > 0 => r - 1,
                _ => break,
            };
            let Some(row) = self.list_row(r) else { break };
            if !self.stop(row) {
                continue;
            }
            let g = group_of(row);
            match target {
                None if g != mine => {
                    target = g.map(|g| (g, row));
                    if forward {
                        break;
                    }
                }
                // Backwards: on to the group's first stop.
                Some((tg, _)) if Some(tg) == g => target = Some((tg, row)),
                Some(_) => break,
                None => {}
            }
        }
        match target {
            Some((_, row)) => {
                self.put_cursor(row);
                true
            }
            None => false,
        }
    }

    /// Jump to the issue nearest the date typed (`2019-11`, `20191125`): the first
    /// issue within it, else the closest one before or after; the current paper's when
    /// two are as close.
    pub(crate) fn jump_to_date(&mut self, typed: &str) {
        let Some((from, to)) = parse_jump(typed) else {
            self.message = Some(format!(
                "not a date: {typed:?} (try 2019-11-25, 201911, 2019)"
            ));
            return;
        };
        let cat = &self.catalog;
        let paper = cat.issue_of(self.selected).map(|i| i.paper);
        let day = |d: Date| i64::from(d.year) * 372 + i64::from(d.month) * 31 + i64::from(d.day);
        let distance = |d: Date| {
            if d >= from && d <= to {
                0
            } else {
                (day(d) - day(from)).abs().min((day(d) - day(to)).abs())
            }
        };
        // The closest date wins; between equally close ones, the current paper's.
        let best = cat
            .issues
            .iter()
            .enumerate()
            .filter_map(|(k, i)| {
                let d = i.date?;
                Some(((distance(d), Some(i.paper) != paper, d), k))
            })
            .min();
        let Some(((dist, _, date), i)) = best else {
            self.message = Some("no dated issues".into());
            return;
        };
        let first = cat.issues[i].articles.start;
        let paper_of = cat.issues[i].paper;
        self.list.folded_issues.remove(&i);
        self.list.folded_papers.remove(&paper_of);
        self.list.rebuild(&self.catalog);
        self.on_fold = None;
        self.select(first);
        self.message = Some(if dist == 0 {
            format!("{date} {}", date.weekday())
        } else {
            format!("no issue then; the nearest: {date}")
        });
    }
}
