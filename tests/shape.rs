//! The shape of the code, as the README's "Layout of the code" table draws it: each layer
//! names (in `crate::…` paths) only the layers it may use, and no two files reach each other
//! through a chain of such paths. Read from the source text, as a newcomer reads it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of the library and the modules it may name. `cli` and `main.rs`
/// are the binary side and may use anything; `lib.rs` only declares modules.
const LAYERS: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("work", &[]),
    ("archive", &["text", "work"]),
    ("index", &["archive", "text", "work"]),
    ("layout", &["archive", "text"]),
    ("app", &["archive", "index", "layout", "text"]),
    ("ui", &["app", "layout", "text"]),
    ("config", &["app", "ui", "archive"]),
    (
        "tui",
        &["app", "archive", "config", "index", "layout", "text", "ui"],
    ),
    ("synth", &["archive", "text"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code as the library is built: its unit tests (which may borrow from any layer
/// to make fixtures) and its comments left out.
fn library_code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a::b::…` path in `code`, with `use crate::a::{b, c::d}` groups spread out.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let mut parts: Vec<String> = Vec::new();
        let mut tail = rest;
        loop {
            let end = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(tail.len());
            if end == 0 {
                break;
            }
            parts.push(tail[..end].to_string());
            tail = &tail[end..];
            match tail.strip_prefix("::") {
                Some(next) => tail = next,
                None => break,
            }
        }
        if let Some(group) = tail.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let mut path = parts.clone();
                path.extend(
                    item.split("::")
                        .map(|p| p.trim().to_string())
                        .filter(|p| !p.is_empty()),
                );
                paths.push(path);
            }
        }
        paths.push(parts);
    }
    paths
}

/// The file a path lands in: the longest prefix that is a module file.
fn file_of(path: &[String], files: &BTreeSet<PathBuf>) -> Option<PathBuf> {
    (1..=path.len()).rev().find_map(|n| {
        let base = Path::new("src").join(path[..n].join("/"));
        [base.with_extension("rs"), base.join("mod.rs")]
            .into_iter()
            .find(|f| files.contains(f))
    })
}

fn top_module(file: &Path) -> String {
    let rel = file.strip_prefix("src").unwrap();
    let first = rel.components().next().unwrap().as_os_str();
    Path::new(first)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn library_graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let mut all = Vec::new();
    rust_files(Path::new("src"), &mut all);
    let files: BTreeSet<PathBuf> = all.into_iter().collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let code = library_code(&std::fs::read_to_string(file).unwrap());
        let targets = crate_paths(&code)
            .iter()
            .filter_map(|p| file_of(p, &files))
            .filter(|t| t != file)
            .collect();
        graph.insert(file.clone(), targets);
    }
    graph
}

#[test]
fn each_layer_names_only_the_layers_below_it() {
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut wrong = Vec::new();
    for (file, targets) in library_graph() {
        let from = top_module(&file);
        if matches!(from.as_str(), "cli" | "main" | "lib") {
            continue;
        }
        let may = allowed
            .get(from.as_str())
            .unwrap_or_else(|| panic!("{} is in no layer of the table", file.display()));
        for target in targets {
            let to = top_module(&target);
            if to != from && !may.contains(&to.as_str()) {
                wrong.push(format!("{} uses {}", file.display(), target.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layers crossed upward:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_files_reach_each_other() {
    let graph = library_graph();
    // Depth-first search with three colours: meeting a file still on the stack is a cycle.
    fn visit(
        file: &PathBuf,
        graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        state: &mut BTreeMap<PathBuf, bool>,
        stack: &mut Vec<PathBuf>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(file.clone(), false);
        stack.push(file.clone());
        for next in &graph[file] {
            match state.get(next) {
                Some(false) => {
                    let from = stack.iter().position(|f| f == next).unwrap();
                    let names: Vec<_> = stack[from..]
                        .iter()
                        .chain([next])
                        .map(|f| f.display().to_string())
                        .collect();
                    cycles.push(names.join(" → "));
                }
                Some(true) => {}
                None => visit(next, graph, state, stack, cycles),
            }
        }
        stack.pop();
        state.insert(file.clone(), true);
    }
    let (mut state, mut stack, mut cycles) = (BTreeMap::new(), Vec::new(), Vec::new());
    for file in graph.keys() {
        if !state.contains_key(file) {
            visit(file, &graph, &mut state, &mut stack, &mut cycles);
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
    // The reading itself must see the imports, or both checks pass on nothing.
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    assert!(
        edges > 50,
        "only {edges} imports found: the reader of paths is broken"
    );
}
