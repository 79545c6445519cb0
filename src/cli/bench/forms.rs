//! `dubao bench forms DIR`: how well an archive of articles that says where they are
//! is read, scored against the gold written beside it by
//! `tests/archives/make_archives.py --big N --out DIR --form F` (in `DIR-gold/`).

use anyhow::Context as _;
use dubao::archive::{self, ParsedFile, source::LibrarySource};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Counts: (right, of).
#[derive(Default)]
struct Score {
    files: (usize, usize),
    titles: (usize, usize),
    kickers: (usize, usize),
    subtitles: (usize, usize),
    bylines: (usize, usize),
    credits: (usize, usize),
    paragraphs: (usize, usize),
    dates: (usize, usize),
    pages: (usize, usize),
    bad_lines: (usize, usize),
    lines_lost: usize,
}

fn tally(c: &mut (usize, usize), right: bool) {
    c.0 += usize::from(right);
    c.1 += 1;
}

fn pct((r, n): (usize, usize)) -> String {
    if n == 0 {
        "-".into()
    } else {
        format!("{:.2}% ({r}/{n})", r as f64 * 100.0 / n as f64)
    }
}

fn opt(v: &Value) -> Option<&str> {
    v.as_str()
}

pub(super) fn run(dir: &Path) -> anyhow::Result<()> {
    let gold_dir = PathBuf::from(format!("{}-gold", dir.display()));
    anyhow::ensure!(
        gold_dir.is_dir(),
        "{}: no gold beside the archive (make it with make_archives.py --big)",
        gold_dir.display()
    );
    let started = Instant::now();
    let lib = archive::load(&LibrarySource::Dir(dir.to_path_buf()));
    let read_s = started.elapsed().as_secs_f64();
    let files: HashMap<&str, &ParsedFile> =
        lib.files.iter().map(|f| (f.file.as_str(), f)).collect();
    let mut warned: HashMap<&str, Vec<u64>> = HashMap::new();
    for w in &lib.warnings {
        if let Some(n) = w
            .reason
            .strip_prefix("line ")
            .and_then(|r| r.split(':').next()?.parse().ok())
        {
            warned.entry(w.file.as_str()).or_default().push(n);
        }
    }
    let mut s = Score::default();
    let mut bytes = 0u64;
    for e in walkdir::WalkDir::new(&gold_dir) {
        let e = e.context("walking the gold")?;
        let name = e.file_name().to_string_lossy();
        let Some(stem) = name.strip_suffix(".gold.json") else {
            continue;
        };
        let folder = e
            .path()
            .parent()
            .unwrap_or(&gold_dir)
            .strip_prefix(&gold_dir)?;
        let gold: Value = serde_json::from_slice(&std::fs::read(e.path())?)?;
        let ext = match gold["form"].as_str() {
            Some("markdown") => "md",
            Some("jsonl") => "jsonl",
            _ => "txt",
        };
        let rel = folder
            .join(format!("{stem}.{ext}"))
            .to_string_lossy()
            .replace('\\', "/");
        bytes += std::fs::metadata(dir.join(&rel)).map_or(0, |m| m.len());
        let want = gold["articles"].as_array().cloned().unwrap_or_default();
        let got = files.get(rel.as_str()).map_or(&[][..], |f| &f.articles[..]);
        tally(&mut s.files, got.len() == want.len());
        let mut bad: Vec<u64> = warned.get(rel.as_str()).cloned().unwrap_or_default();
        bad.sort();
        for b in gold["bad_lines"].as_array().into_iter().flatten() {
            tally(
                &mut s.bad_lines,
                b.as_u64().is_some_and(|b| bad.contains(&b)),
            );
        }
        let all: std::collections::HashSet<&str> = got
            .iter()
            .flat_map(|a| {
                a.paragraphs
                    .iter()
                    .map(String::as_str)
                    .chain(a.credit.as_deref())
                    .chain(Some(a.title.as_str()))
            })
            .collect();
        for (n, w) in want.iter().enumerate() {
            let a = got.get(n);
            let field = |a: Option<&String>, w: &Value| a.map(String::as_str) == opt(w);
            tally(
                &mut s.titles,
                a.is_some_and(|a| Some(a.title.as_str()) == opt(&w["title"])),
            );
            if !w["kicker"].is_null() {
                tally(
                    &mut s.kickers,
                    a.is_some_and(|a| field(a.kicker.as_ref(), &w["kicker"])),
                );
            }
            if !w["subtitle"].is_null() {
                tally(
                    &mut s.subtitles,
                    a.is_some_and(|a| field(a.subtitle.as_ref(), &w["subtitle"])),
                );
            }
            if !w["byline"].is_null() {
                tally(
                    &mut s.bylines,
                    a.is_some_and(|a| field(a.byline.as_ref(), &w["byline"])),
                );
            }
            if !w["credit"].is_null() {
                tally(
                    &mut s.credits,
                    a.is_some_and(|a| field(a.credit.as_ref(), &w["credit"])),
                );
            }
            let paragraphs: Vec<&str> = w["paragraphs"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            tally(
                &mut s.paragraphs,
                a.is_some_and(|a| {
                    a.paragraphs
                        .iter()
                        .map(String::as_str)
                        .eq(paragraphs.iter().copied())
                }),
            );
            s.lines_lost += paragraphs
                .iter()
                .copied()
                .chain(opt(&w["credit"]))
                .filter(|p| !all.contains(p))
                .count();
            let date = a.and_then(|a| a.place.date).map(|d| d.to_string());
            tally(&mut s.dates, date.as_deref() == opt(&w["date"]));
            let page = a.and_then(|a| a.place.page).map(|p| u64::from(p.number));
            tally(&mut s.pages, page == w["page"].as_u64());
        }
    }
    println!(
        "{}: {} files read in {:.2} s ({:.1} MB/s), {} warnings",
        dir.display(),
        lib.files.len(),
        read_s,
        bytes as f64 / 1e6 / read_s.max(1e-9),
        lib.warnings.len()
    );
    println!("files with exactly their articles  {}", pct(s.files));
    println!("titles exact                       {}", pct(s.titles));
    println!("kickers in their field             {}", pct(s.kickers));
    println!("subtitles in their field           {}", pct(s.subtitles));
    println!("bylines exact                      {}", pct(s.bylines));
    println!("credits in their field             {}", pct(s.credits));
    println!(
        "articles with exactly their paragraphs {}",
        pct(s.paragraphs)
    );
    println!("lines lost                         {}", s.lines_lost);
    println!("date right                         {}", pct(s.dates));
    println!("page right                         {}", pct(s.pages));
    println!("bad lines named                    {}", pct(s.bad_lines));
    Ok(())
}
