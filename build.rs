//! Computes at build time what every process used to build at start, and the binary
//! includes as bytes: the normalisation table (src/index/normalize_table.rs, ~10 ms)
//! and jieba's dictionary as an FST (word → frequency), opened in place instead of
//! inserting 350,000 words into a trie (a third of a one-shot search's time; see
//! `src/index/words.rs`).
//!
//! The dictionary is the one shipped inside the jieba-rs package this crate depends on
//! (`DUBAO_JIEBA_DICT` names another file), read from cargo's package sources.

#[allow(dead_code)]
#[path = "src/index/normalize_table.rs"]
mod normalize_table;

use std::collections::BTreeMap;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/index/normalize_table.rs");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    // The normalisation table (see src/index/normalize_table.rs).
    let table: Vec<u8> = normalize_table::compute_table()
        .into_iter()
        .flat_map(|c| u32::from(c).to_le_bytes())
        .collect();
    fs::write(out.join("normalize_table.bin"), table).expect("write normalize_table.bin");

    println!("cargo:rerun-if-env-changed=DUBAO_JIEBA_DICT");
    let dict = find_dict();
    println!("cargo:rerun-if-changed={}", dict.display());
    // The unit tests load the same file into jieba-rs itself, the oracle of our cutter.
    println!("cargo:rustc-env=DUBAO_JIEBA_DICT_FILE={}", dict.display());
    let text = fs::read_to_string(&dict)
        .unwrap_or_else(|e| panic!("{}: cannot read jieba's dictionary: {e}", dict.display()));

    // As jieba-rs loads its default dictionary: the total counts every line, a word
    // listed twice keeps its last frequency.
    let mut words: BTreeMap<&str, u64> = BTreeMap::new();
    let mut total: u64 = 0;
    for line in text.lines() {
        let mut it = line.split_ascii_whitespace();
        let Some(word) = it.next() else { continue };
        let freq: u64 = it.next().map_or(0, |f| {
            f.parse()
                .unwrap_or_else(|_| panic!("{}: bad frequency in `{line}`", dict.display()))
        });
        total += freq;
        words.insert(word, freq);
    }
    let mut fst = tantivy_fst::MapBuilder::memory();
    for (w, f) in &words {
        fst.insert(w.as_bytes(), *f).expect("sorted unique keys");
    }
    let bytes = fst.into_inner().expect("fst in memory");
    fs::write(out.join("jieba_dict.fst"), bytes).expect("write jieba_dict.fst");
    fs::write(
        out.join("jieba_dict_total.rs"),
        format!("/// Sum of all frequencies in the dictionary.\npub(crate) const TOTAL: u64 = {total};\n"),
    )
    .expect("write jieba_dict_total.rs");
}

/// jieba-rs's `src/data/dict.txt` in cargo's package sources, at the version Cargo.lock
/// pins.
fn find_dict() -> PathBuf {
    if let Some(p) = env::var_os("DUBAO_JIEBA_DICT") {
        return PathBuf::from(p);
    }
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let version = jieba_version(&manifest.join("Cargo.lock"));
    let package = format!("jieba-rs-{version}");
    let mut roots: Vec<PathBuf> = vec![manifest.join("vendor")];
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    if let Some(home) = cargo_home
        && let Ok(entries) = fs::read_dir(home.join("registry").join("src"))
    {
        roots.extend(entries.flatten().map(|e| e.path()));
    }
    for root in &roots {
        for name in [package.as_str(), "jieba-rs"] {
            let p = root.join(name).join("src").join("data").join("dict.txt");
            if p.is_file() {
                return p;
            }
        }
    }
    panic!(
        "jieba's dictionary ({package}/src/data/dict.txt) not found in {roots:?}: \
         set DUBAO_JIEBA_DICT to its path"
    );
}

fn jieba_version(lock: &Path) -> String {
    let text = fs::read_to_string(lock).unwrap_or_default();
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if l.trim() == "name = \"jieba-rs\""
            && let Some(v) = lines
                .next()
                .and_then(|v| v.trim().strip_prefix("version = "))
        {
            return v.trim_matches('"').to_string();
        }
    }
    "0.11.0".to_string()
}
