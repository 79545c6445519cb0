//! `dubao index` and `dubao search`.

use super::{Context, SearchArgs};
use anyhow::Context as _;
use dubao::index::{Hit, Progress, SearchIndex, build};
use std::io::{BufRead, IsTerminal, Write};
use std::time::Instant;

/// The query syntax, for `dubao search --help`.
pub(super) const QUERY_HELP: &str = "\
Query syntax:
  焦作 市区          articles holding every word (any two or more characters of a word
                     are found)
  jiaozuo  焦zuo     pinyin, in titles and bylines;  jz  initials of a title's start
  \"重点工作\"         a phrase, as written
  -会议              without this word
  title:焦作         in the title;  by:李秋  in the byline
  date:2019          in 2019; also date:2019-11, date:2019-11-20, date:2019..2020-06
  paper:人民日报     in this paper;  page:2, page:A05  on this page (版次)
Results are ranked: title and byline matches and whole words first (--sort newest:
newest issue first). The last word matches as a prefix when it is still being typed
(no space after it). --count prints how many articles match, and --batch with
--count a number and the query, tab-separated, per line.

Exit status: 0 (even with no results), 2 when the query can't be searched (an empty
query, `title:` with nothing after it, `date:2019-13`), 1 on other errors.

--json: one object per result: id, title, issue, file, paper, page, date,
date_inferred, score, snippet, and highlights_chars / highlights_bytes: the matches
as [start, end) offsets into snippet in characters (Unicode scalar values) and in
UTF-8 bytes.";

/// A query that can't be searched, with every reason (exit status 2).
#[derive(Debug)]
pub(super) struct BadQuery(pub(super) Vec<String>);

impl std::fmt::Display for BadQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("; "))
    }
}

impl std::error::Error for BadQuery {}

/// The query's problems as a [`BadQuery`].
fn check_query(q: &str) -> anyhow::Result<()> {
    let problems = dubao::index::query::parse(q).problems();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(BadQuery(problems).into())
    }
}

/// A progress bar on stderr when it is a terminal; nothing otherwise.
fn progress_bar() -> (Option<indicatif::ProgressBar>, impl FnMut(Progress)) {
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {percent:>3}%  {msg}  {binary_bytes}/{binary_total_bytes}  ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let b2 = bar.clone();
    let update = move |p: Progress| {
        if let Some(b) = &b2 {
            b.set_length(p.bytes_total);
            b.set_position(p.bytes_done);
            b.set_message(format!(
                "{}/{} files, {} articles",
                p.files_done, p.files_total, p.articles
            ));
        }
    };
    (bar, update)
}

fn open(ctx: &Context, rebuild: bool, stats: &mut Progress) -> anyhow::Result<SearchIndex> {
    ctx.check_library()?;
    let (bar, mut update) = progress_bar();
    let idx = SearchIndex::open_with(&ctx.source, &ctx.data_dir, rebuild, &mut |p| {
        *stats = p;
        update(p)
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let idx = idx?;
    for n in idx.notices() {
        eprintln!("dubao: {n}");
    }
    Ok(idx)
}

pub(super) fn index(ctx: &Context, rebuild: bool, merge: bool) -> anyhow::Result<()> {
    ctx.check_library()?;
    say_if_another_update(ctx)?;
    let start = Instant::now();
    let mut p = Progress::default();
    let (bar, mut update) = progress_bar();
    let opened = build::open_on_disk(&ctx.source, &ctx.data_dir, rebuild, merge, &mut |x| {
        p = x;
        update(x)
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let opened = opened?;
    for n in &opened.notices {
        eprintln!("dubao: {n}");
    }
    // The files left out (unreadable, binary) or read in part (a dump's broken lines),
    // as `list` names them: a script running only `index` hears of them too.
    for w in opened.warnings() {
        eprintln!("dubao: warning: {w}");
    }
    let articles = opened.reader.searcher().num_docs();
    let secs = start.elapsed().as_secs_f64();
    let mb = p.bytes_done as f64 / 1e6;
    let summary = if p.files_total == 0 {
        format!(
            "index up to date: {}",
            super::plural(articles as usize, "article")
        )
    } else {
        format!(
            "indexed {} ({}, {:.1} MB) in {:.1} s; {} in the index",
            super::plural(p.files_done, "file"),
            super::plural(p.articles, "article"),
            mb,
            secs,
            super::plural(articles as usize, "article"),
        )
    };
    // `--merge` says that it did (an index up to date says nothing else).
    let summary = if merge && opened.reader.searcher().segment_readers().len() == 1 {
        format!("{summary}; in one segment")
    } else {
        summary
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{summary}")?;
    out.flush().context("stdout")
}

/// Say so when another dubao (the reader, another `dubao index`) is updating this
/// library's index: `open_on_disk` waits for it to finish, then checks its work.
fn say_if_another_update(ctx: &Context) -> anyhow::Result<()> {
    let (key, _) = build::library_key(&ctx.source)?;
    if let Ok(lock) = std::fs::File::open(build::lock_path(&ctx.data_dir, &key))
        && let Err(std::fs::TryLockError::WouldBlock) = lock.try_lock_shared()
    {
        eprintln!("dubao: waiting for another dubao to finish updating the search index");
    }
    Ok(())
}

/// One line of `search --json` (documented in `QUERY_HELP`).
#[derive(serde::Serialize)]
struct JsonHit<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    id: &'a str,
    title: &'a str,
    issue: &'a str,
    file: &'a str,
    paper: Option<&'a str>,
    page: Option<&'a str>,
    date: Option<String>,
    date_inferred: bool,
    score: f32,
    snippet: &'a str,
    /// `[start, end)` of each match in `snippet`, in characters.
    highlights_chars: Vec<[usize; 2]>,
    /// The same in UTF-8 bytes.
    highlights_bytes: Vec<[usize; 2]>,
}

/// A byte offset of `s` as a count of characters.
fn char_offset(s: &str, byte: usize) -> usize {
    s[..byte.min(s.len())].chars().count()
}

fn write_hits(
    out: &mut impl Write,
    hits: &[Hit],
    json: bool,
    query: Option<&str>,
) -> anyhow::Result<()> {
    for h in hits {
        if json {
            let j = JsonHit {
                query,
                id: &h.id,
                title: &h.title,
                issue: &h.issue,
                file: &h.file,
                paper: h.paper.as_deref(),
                page: h.page.as_deref(),
                date: h.date.map(|d| d.to_string()),
                date_inferred: h.date_inferred,
                score: h.score,
                snippet: &h.snippet,
                highlights_chars: h
                    .highlights
                    .iter()
                    .map(|r| {
                        [
                            char_offset(&h.snippet, r.start),
                            char_offset(&h.snippet, r.end),
                        ]
                    })
                    .collect(),
                highlights_bytes: h.highlights.iter().map(|r| [r.start, r.end]).collect(),
            };
            serde_json::to_writer(&mut *out, &j)?;
            writeln!(out)?;
        } else {
            let date = h
                .date
                .map_or_else(|| "undated   ".to_string(), |d| d.to_string());
            writeln!(out, "{date}  {}  [{}]", h.title, h.id)?;
            writeln!(out, "    {}", h.snippet)?;
        }
    }
    Ok(())
}

/// The answer to one query of a batch, as it is printed.
fn answer(idx: &SearchIndex, q: &str, args: &SearchArgs) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    if args.count {
        writeln!(out, "{}\t{q}", count(idx, q)?)?;
    } else {
        let hits = idx.search_in(q, args.limit, args.sort.into())?;
        if !args.json {
            writeln!(out, "# {q}")?;
        }
        write_hits(&mut out, &hits, args.json, Some(q))?;
    }
    Ok(out)
}

/// `--batch`: every line a query, answered on every core, printed in the order asked.
/// Each answer is printed (and flushed) as soon as it and those before it are ready: a
/// program may be waiting for it on the other end of a pipe before it asks the next.
fn batch(
    idx: &SearchIndex,
    lines: impl Iterator<Item = anyhow::Result<String>> + Send,
    args: &SearchArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    use std::sync::{Mutex, mpsc};
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (jobs_tx, jobs_rx) = mpsc::channel::<(usize, anyhow::Result<String>)>();
    let jobs_rx = Mutex::new(jobs_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, anyhow::Result<Vec<u8>>)>();
    std::thread::scope(|s| {
        s.spawn(move || {
            let queries = lines.filter(|l| l.as_ref().map_or(true, |q| !q.trim().is_empty()));
            for (k, line) in queries.enumerate() {
                let failed = line.is_err();
                if jobs_tx.send((k, line)).is_err() || failed {
                    break;
                }
            }
        });
        for _ in 0..workers {
            let (jobs_rx, done_tx) = (&jobs_rx, done_tx.clone());
            s.spawn(move || {
                loop {
                    let job = jobs_rx
                        .lock()
                        .map_err(|_| ())
                        .and_then(|rx| rx.recv().map_err(|_| ()));
                    let Ok((k, line)) = job else { break };
                    let answer = line.and_then(|q| answer(idx, q.trim(), args));
                    if done_tx.send((k, answer)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let mut ready = std::collections::BTreeMap::new();
        let mut next = 0;
        for (k, answer) in done_rx {
            ready.insert(k, answer);
            while let Some(answer) = ready.remove(&next) {
                out.write_all(&answer?).context("stdout")?;
                out.flush().context("stdout")?;
                next += 1;
            }
        }
        Ok(())
    })
}

/// How many articles match `q` (a count that is never given up).
fn count(idx: &SearchIndex, q: &str) -> anyhow::Result<usize> {
    Ok(idx.count(q, &|| false)?.unwrap_or_default())
}

pub(super) fn search(ctx: &Context, args: &SearchArgs) -> anyhow::Result<()> {
    if let Some(q) = &args.query {
        check_query(q)?;
    }
    ctx.check_library()?;
    // The index as built when a stat per folder finds nothing changed; else (or when
    // there is none) built or updated first, so that the answers are always the
    // library's as it is now.
    let idx = match SearchIndex::open_trusted(&ctx.source, &ctx.data_dir) {
        Some((idx, 0)) => idx,
        _ => open(ctx, false, &mut Progress::default())?,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if let Some(path) = &args.batch {
        let f =
            std::fs::File::open(path).with_context(|| format!("{}: can't open", path.display()))?;
        let lines = std::io::BufReader::new(f)
            .lines()
            .map(|l| l.with_context(|| format!("{}: not readable text", path.display())));
        batch(&idx, lines, args, &mut out)?;
    } else if let Some(q) = &args.query
        && args.count
    {
        writeln!(out, "{}", count(&idx, q)?)?;
    } else if let Some(q) = &args.query {
        let hits = idx.search_in(q, args.limit, args.sort.into())?;
        write_hits(&mut out, &hits, args.json, None)?;
    }
    out.flush().context("stdout")
}
