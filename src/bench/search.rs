//! `dubao bench search --articles N`: build the index of a generated archive (MB/s), then
//! type 50 queries drawn from its text one character at a time and time every keystroke
//! (query + top 20 + snippets), and time ripgrep scanning the same files for the same
//! final strings.

use crate::archive::source::LibrarySource;
use crate::cli::{BenchArgs, Context};
use crate::index::{Progress, SearchIndex};
use anyhow::Context as _;
use std::path::Path;
use std::time::{Duration, Instant};

pub fn run(_ctx: &Context, args: &BenchArgs) -> anyhow::Result<()> {
    let tmp;
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => {
            tmp = tempfile::tempdir()?;
            tmp.path().to_path_buf()
        }
    };
    let lib = dir.join("library");
    let data = dir.join("data");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&lib)?;
    eprintln!("generating {} articles in {}", args.articles, lib.display());
    let texts = generate(&lib, args.articles, 42)?;

    let start = Instant::now();
    let mut last = Progress::default();
    let idx = SearchIndex::open(&LibrarySource::Dir(lib.clone()), &data, &mut |p| last = p)?;
    let secs = start.elapsed().as_secs_f64();
    let mb = last.bytes_done as f64 / 1e6;
    println!(
        "build: {} articles, {:.1} MB in {:.2} s = {:.1} MB/s",
        idx.num_articles(),
        mb,
        secs,
        mb / secs
    );

    let queries = pick_queries(&texts, 50, 7);
    let mut keystrokes = Vec::new();
    let mut finals = Vec::new();
    for q in &queries {
        let chars: Vec<char> = q.chars().collect();
        for n in 1..=chars.len() {
            let typed: String = chars[..n].iter().collect();
            let t = Instant::now();
            let hits = idx.search(&typed, 20)?;
            let e = t.elapsed();
            keystrokes.push(e);
            if n == chars.len() {
                finals.push(e);
                anyhow::ensure!(!hits.is_empty(), "query {q:?} found nothing");
            }
        }
    }
    keystrokes.sort();
    finals.sort();
    let p50 = pct(&keystrokes, 0.50);
    let p99 = pct(&keystrokes, 0.99);
    println!(
        "search: {} queries, {} keystrokes: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms (query + top 20 + snippets)",
        queries.len(),
        keystrokes.len(),
        ms(p50),
        ms(p99),
        ms(*keystrokes.last().unwrap_or(&Duration::ZERO))
    );

    match time_ripgrep(&lib, &queries) {
        Some(mut rg) => {
            rg.sort();
            let rg50 = pct(&rg, 0.5);
            println!(
                "ripgrep: p50 {:.2} ms per query; index is {:.0}x faster per keystroke (p50), {:.0}x at p99",
                ms(rg50),
                ms(rg50) / ms(p50).max(1e-6),
                ms(rg50) / ms(p99).max(1e-6)
            );
        }
        None => println!("ripgrep: `rg` not installed (apt-get install ripgrep) — no comparison"),
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn time_ripgrep(lib: &Path, queries: &[String]) -> Option<Vec<Duration>> {
    let mut out = Vec::new();
    for q in queries {
        let t = Instant::now();
        let status = std::process::Command::new("rg")
            .args(["-l", "-F", "--", q])
            .arg(lib)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        out.push(t.elapsed());
        let _ = status;
    }
    Some(out)
}

/// A tiny deterministic random number generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Sentences of the sample pages, the raw material of generated articles.
fn sample_sentences() -> Vec<String> {
    let mut out = Vec::new();
    for (_, bytes) in crate::archive::samples::SAMPLES {
        let text = String::from_utf8_lossy(bytes);
        for s in text.split(['。', '\n']) {
            let s = s.trim();
            if s.chars().count() >= 8 && !s.starts_with('#') {
                out.push(format!("{s}。"));
            }
        }
    }
    out
}

/// Write `n` articles, 20 to a file, made of sample sentences with numbers and names
/// mixed in. Returns each file's text. (Stand-in until `bench::corpus::generate` lands.)
pub fn generate(dir: &Path, n: usize, seed: u64) -> anyhow::Result<Vec<String>> {
    let sentences = sample_sentences();
    anyhow::ensure!(!sentences.is_empty(), "no sample sentences");
    let names = ["王小平", "徐衣显", "张卫东", "李明华", "赵丽", "刘新旺"];
    let mut rng = Rng(seed | 1);
    let mut texts = Vec::new();
    let per_file = 20;
    for f in 0..n.div_ceil(per_file) {
        let date = format!("{}-{:02}-{:02}", 2015 + f % 8, 1 + f % 12, 1 + f % 28);
        let mut page = format!("# 焦作日报 {date}\n\n");
        for a in 0..per_file.min(n - f * per_file) {
            page.push_str(&format!(
                "### {}\n\n",
                sentences[rng.below(sentences.len())].trim_end_matches('。')
            ));
            page.push_str(&format!("记者 {}\n\n", names[rng.below(names.len())]));
            for _ in 0..3 + rng.below(5) {
                let mut para = String::new();
                for _ in 0..2 + rng.below(4) {
                    para.push_str(&sentences[rng.below(sentences.len())]);
                }
                para.push_str(&format!(
                    "编号{}-{}，增长{}.{}%。",
                    f,
                    a,
                    rng.below(20),
                    rng.below(10)
                ));
                page.push_str(&para);
                page.push_str("\n\n");
            }
        }
        let path = dir.join(format!("{:03}/{date}-{f:06}.md", f / 500));
        std::fs::create_dir_all(path.parent().context("no parent")?)?;
        std::fs::write(&path, &page)?;
        texts.push(page);
    }
    Ok(texts)
}

/// Queries drawn from the text: CJK words of 2-6 characters, names, numbers.
fn pick_queries(texts: &[String], n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng(seed | 1);
    let mut out = Vec::new();
    let mut guard = 0;
    while out.len() < n && guard < n * 100 {
        guard += 1;
        let text: Vec<char> = texts[rng.below(texts.len())].chars().collect();
        let kind = out.len() % 5;
        let q = if kind == 4 {
            // A number such as `6.6%` or `编号12-3`.
            let s: String = text.iter().collect();
            let Some(i) = s.match_indices("增长").nth(rng.below(3)).map(|(i, _)| i) else {
                continue;
            };
            s[i..]
                .chars()
                .take_while(|c| *c != '，' && *c != '。')
                .collect::<String>()
        } else {
            let len = 2 + rng.below(5);
            let start = rng.below(text.len().saturating_sub(len));
            let w: String = text[start..start + len].iter().collect();
            if !w.chars().all(crate::index::analyzer::is_cjk) {
                continue;
            }
            w
        };
        if !q.is_empty() {
            out.push(q);
        }
    }
    out
}
