//! `dubao export --json`: one JSON object per article, in list order. An article that
//! goes on on another page is exported once, whole; the same article printed twice,
//! once, with the other pages it stands on.

use super::Context;
use anyhow::Context as _;
use dubao::archive::catalog::{Catalog, FileHead, Joined};
use dubao::archive::{Article, ParsedFile, catalog};
use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::rc::Rc;

/// One line of `export --json`.
#[derive(serde::Serialize)]
struct ExportArticle<'a> {
    id: &'a str,
    file: &'a str,
    /// The file's own title, else its name (as before papers and pages).
    issue: &'a str,
    paper: Option<&'a str>,
    date: Option<String>,
    date_inferred: bool,
    /// 版次 as printed (`02`, `A05`).
    page: Option<String>,
    page_name: Option<&'a str>,
    title: &'a str,
    title_inferred: bool,
    subtitle: Option<&'a str>,
    kicker: Option<&'a str>,
    byline: Option<&'a str>,
    /// The closing credit as printed (`本报记者  李  舸摄`).
    credit: Option<&'a str>,
    continued_on: Option<&'a str>,
    continued_from: Option<&'a str>,
    /// The id its source gave it (a dump record's `news_id` / `id`).
    source_id: Option<&'a str>,
    /// Other pages that print the same article.
    also_on: &'a [String],
    body: String,
}

impl<'a> ExportArticle<'a> {
    fn new(a: &'a Article, also_on: &'a [String], rest: Option<&'a Article>) -> Self {
        let mut body = a.body();
        if let Some(r) = rest {
            body.push_str("\n\n");
            body.push_str(&r.body());
        }
        ExportArticle {
            id: &a.id,
            file: &a.file,
            issue: &a.file_name,
            paper: a.place.paper.as_deref(),
            date: a.place.date.map(|d| d.to_string()),
            date_inferred: a.place.date_inferred,
            page: a.place.page.map(|p| p.to_string()),
            page_name: a.place.page_name.as_deref(),
            title: &a.title,
            title_inferred: a.title_inferred,
            subtitle: a.subtitle.as_deref(),
            kicker: a.kicker.as_deref(),
            byline: a.byline.as_deref(),
            credit: rest.map_or(a.credit.as_deref(), |r| r.credit.as_deref()),
            continued_on: rest.map_or(a.continued_on.as_deref(), |r| r.continued_on.as_deref()),
            continued_from: a.continued_from.as_deref(),
            source_id: a.source_id.as_deref(),
            also_on,
            body,
        }
    }
}

/// Files read at a time: only their articles are in memory.
const BATCH: usize = 64;
/// Parsed files kept from one issue to the next: a dump's records stand in many
/// issues, and the dump is parsed once for a run of them, not once for each.
const KEPT: usize = 8;

pub(super) fn run(ctx: &Context, json: bool) -> anyhow::Result<()> {
    anyhow::ensure!(json, "export needs a format: --json");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut kept: VecDeque<(String, Rc<ParsedFile>)> = VecDeque::new();
    // Issues are small (a few pages): the files of a run of them are read at once, on
    // every core, as for a batch of pages of the whole list. An issue of more files than
    // a batch (or a whole scanned library) is read a batch at a time by `write_issue`.
    let mut pending: Vec<Catalog> = Vec::new();
    ctx.for_each_issue(|issue| {
        if issue.file_count() > BATCH {
            write_run(ctx, &mut pending, &mut kept, &mut out)?;
            return write_issue(ctx, &issue, &mut kept, &mut out);
        }
        pending.push(issue);
        if pending.iter().map(|c| c.file_count()).sum::<usize>() >= BATCH {
            write_run(ctx, &mut pending, &mut kept, &mut out)?;
        }
        Ok(())
    })?;
    write_run(ctx, &mut pending, &mut kept, &mut out)?;
    out.flush().context("stdout")
}

/// The issues of `pending`, their files read at once first; `pending` is left empty.
fn write_run(
    ctx: &Context,
    pending: &mut Vec<Catalog>,
    kept: &mut VecDeque<(String, Rc<ParsedFile>)>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    prefetch(ctx, pending, kept);
    for issue in pending.drain(..) {
        write_issue(ctx, &issue, kept, out)?;
    }
    keep_last(kept, KEPT);
    Ok(())
}

/// Read the files of `issues` not already kept, all at once, into `kept` (which holds
/// them until they are written, then only the last [`KEPT`]).
fn prefetch(ctx: &Context, issues: &[Catalog], kept: &mut VecDeque<(String, Rc<ParsedFile>)>) {
    let mut heads: Vec<FileHead> = Vec::new();
    for head in issues.iter().flat_map(|c| c.files()) {
        let known =
            kept.iter().any(|(rel, _)| *rel == head.rel) || heads.iter().any(|h| h.rel == head.rel);
        if !known {
            heads.push(head);
        }
    }
    for (head, result) in heads.iter().zip(catalog::read_pages(&ctx.source, &heads)) {
        match result {
            Ok(parsed) => kept.push_back((head.rel.clone(), Rc::new(parsed))),
            Err(w) => eprintln!("dubao: warning: {w}"),
        }
    }
}

/// Only the last `n` files read stay kept.
fn keep_last(kept: &mut VecDeque<(String, Rc<ParsedFile>)>, n: usize) {
    while kept.len() > n {
        kept.pop_front();
    }
}

/// The articles of a catalog (an issue, or a whole scanned library) in its order. Its
/// files are read again a batch at a time, so only a batch of whole articles is ever in
/// memory (with the last few files read, in `kept`).
fn write_issue(
    ctx: &Context,
    cat: &Catalog,
    kept: &mut VecDeque<(String, Rc<ParsedFile>)>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut n = 0;
    while n < cat.len() {
        // The next articles whose files (and their rests' files) fit in a batch.
        let mut files: Vec<usize> = Vec::new();
        let mut end = n;
        while end < cat.len() {
            let needed = files_of(cat, end);
            let new = needed.iter().filter(|f| !files.contains(f)).count();
            if files.len() + new > BATCH && end > n {
                break;
            }
            for f in needed {
                if !files.contains(&f) {
                    files.push(f);
                }
            }
            end += 1;
        }
        let mut read: HashMap<String, Rc<ParsedFile>> = HashMap::new();
        let mut heads = Vec::new();
        for head in files.iter().filter_map(|&f| cat.file(f)) {
            match kept.iter().find(|(rel, _)| *rel == head.rel) {
                Some((_, parsed)) => {
                    read.insert(head.rel, parsed.clone());
                }
                None => heads.push(head),
            }
        }
        for (head, result) in heads.iter().zip(catalog::read_pages(&ctx.source, &heads)) {
            match result {
                Ok(parsed) => {
                    let parsed = Rc::new(parsed);
                    kept.push_back((head.rel.clone(), parsed.clone()));
                    keep_last(kept, KEPT.max(BATCH));
                    read.insert(head.rel.clone(), parsed);
                }
                Err(w) => eprintln!("dubao: warning: {w}"),
            }
        }
        let find = |rel: &str, id: &str| -> Option<&Article> {
            read.get(rel)?.articles.iter().find(|a| a.id == id)
        };
        for k in n..end {
            let (Some(head), Some(file)) = (cat.article(k), cat.file_of(k)) else {
                continue;
            };
            let Some(a) = find(&file.rel, head.id()) else {
                continue;
            };
            let rest = match head.joined() {
                Some(Joined::Rest { file, id }) => {
                    find(&cat.file(file).map(|f| f.rel).unwrap_or_default(), &id)
                }
                _ => None,
            };
            serde_json::to_writer(&mut *out, &ExportArticle::new(a, &head.also_on(), rest))?;
            writeln!(out)?;
        }
        n = end;
    }
    Ok(())
}

/// The files article `n` is read from: its own, and its rest's.
fn files_of(cat: &Catalog, n: usize) -> Vec<usize> {
    let mut files = Vec::new();
    files.extend(cat.file_index(n));
    if let Some(Joined::Rest { file, .. }) = cat.article(n).and_then(|a| a.joined()) {
        files.push(file);
    }
    files
}
