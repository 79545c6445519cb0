//! jieba's word segmentation (no HMM) over a dictionary opened, not built: build.rs
//! compiles jieba-rs's dictionary into an FST included in the binary, so a process
//! reads it in place instead of inserting 350,000 words into a trie before its first
//! query (a third of a one-shot search's time).
//!
//! Same algorithm and the same floating-point steps as `jieba_rs::Jieba::cut(_, false)`,
//! so the words are the same (tested against jieba-rs): text split into runs of CJK,
//! ASCII alphanumerics and `+#&._%-`; in each run a DAG of the dictionary words starting
//! at every character and the route of highest log-probability through it; single
//! ASCII alphanumerics the route leaves alone are joined into one word.

use std::sync::OnceLock;
use tantivy_fst::raw::Fst;

include!(concat!(env!("OUT_DIR"), "/jieba_dict_total.rs"));

static DICT_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jieba_dict.fst"));

fn dict() -> &'static Fst<&'static [u8]> {
    static DICT: OnceLock<Fst<&'static [u8]>> = OnceLock::new();
    DICT.get_or_init(|| Fst::new(DICT_BYTES).expect("the dictionary compiled by build.rs"))
}

/// jieba's "han" class: the characters a dictionary run is made of.
fn is_han(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-')
    } else {
        matches!(c,
            '\u{4E00}'..='\u{9FFF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2A6DF}'
            | '\u{2A700}'..='\u{2B73F}'
            | '\u{2B740}'..='\u{2B81F}'
            | '\u{2B820}'..='\u{2CEAF}'
            | '\u{2CEB0}'..='\u{2EBEF}'
            | '\u{2F800}'..='\u{2FA1F}')
    }
}

/// One step of the best route: log-probability of the rest, and where the word ends.
#[derive(Clone, Copy)]
struct Step {
    prob: f64,
    end: usize,
}

/// Byte spans of jieba's words in `text`, in order (every character is in one span).
#[cfg(test)]
fn cut(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    Cutter::default().cut_into(text, &mut out);
    out
}

/// Cuts text after text with the same buffers: the indexer cuts every title, and
/// allocating a list per character was most of the cut's time.
#[derive(Clone, Default)]
pub(crate) struct Cutter {
    /// The run's characters with their byte offsets.
    chars: Vec<(usize, char)>,
    /// Every character's dictionary words, one list after another: (end index, ln
    /// freq); the words of character `i` are `edges[starts[i]..starts[i + 1]]`.
    edges: Vec<(usize, f64)>,
    starts: Vec<usize>,
    route: Vec<Step>,
}

impl Cutter {
    /// [`cut`] into `out` (cleared first).
    pub(crate) fn cut_into(&mut self, text: &str, out: &mut Vec<(usize, usize)>) {
        out.clear();
        let mut iter = text.char_indices().peekable();
        while let Some(&(start, c)) = iter.peek() {
            if is_han(c) {
                self.chars.clear();
                while let Some(&(i, c)) = iter.peek() {
                    if !is_han(c) {
                        break;
                    }
                    self.chars.push((i, c));
                    iter.next();
                }
                let end = self.chars.last().map_or(start, |&(i, c)| i + c.len_utf8());
                self.cut_run(text, end, out);
            } else {
                iter.next();
                // `\r\n` is one token, as in jieba.
                if c == '\r' && matches!(iter.peek(), Some(&(_, '\n'))) {
                    iter.next();
                    out.push((start, start + 2));
                } else {
                    out.push((start, start + c.len_utf8()));
                }
            }
        }
    }

    /// Segment the run of han characters in `self.chars` (`end`: the byte after it).
    fn cut_run(&mut self, text: &str, end: usize, out: &mut Vec<(usize, usize)>) {
        let chars = &self.chars;
        let n = chars.len();
        let byte_at = |i: usize| chars.get(i).map_or(end, |&(b, _)| b);
        let fst = dict();
        let log_total = (TOTAL as f64).ln();

        // For every character, the dictionary words starting there.
        self.edges.clear();
        self.starts.clear();
        for pos in 0..n {
            self.starts.push(self.edges.len());
            let mut node = fst.root();
            let mut out_acc = tantivy_fst::raw::Output::zero();
            let bytes = &text.as_bytes()[byte_at(pos)..end];
            let mut next_char = pos + 1;
            for (k, &b) in bytes.iter().enumerate() {
                let Some(t) = node.find_input(b) else { break };
                let tr = node.transition(t);
                out_acc = out_acc.cat(tr.out);
                node = fst.node(tr.addr);
                // A word ends only where a character ends.
                if byte_at(pos) + k + 1 == byte_at(next_char) {
                    if node.is_final() {
                        let freq = out_acc.cat(node.final_output()).value();
                        self.edges.push((next_char, (freq as f64).ln()));
                    }
                    next_char += 1;
                }
            }
        }
        self.starts.push(self.edges.len());

        // The route, from the end back, exactly as jieba-rs computes it.
        let route = &mut self.route;
        route.clear();
        route.resize(n + 1, Step { prob: 0.0, end: 0 });
        route[n] = Step { prob: 0.0, end: n };
        let log1 = 0.0f64 - log_total;
        for idx in (0..n).rev() {
            let mut best: Option<Step> = None;
            for &(e, log_freq) in &self.edges[self.starts[idx]..self.starts[idx + 1]] {
                let prob = log_freq - log_total + route[e].prob;
                match best {
                    Some(b) if !(prob > b.prob || (prob == b.prob && e > b.end)) => {}
                    _ => best = Some(Step { prob, end: e }),
                }
            }
            route[idx] = best.unwrap_or(Step {
                prob: log1 + route[idx + 1].prob,
                end: idx + 1,
            });
        }

        // Words along the route; lone ASCII alphanumerics joined.
        let mut x = 0;
        let mut left: Option<usize> = None;
        while x < n {
            let y = route[x].end;
            if y - x == 1 && chars[x].1.is_ascii_alphanumeric() {
                left.get_or_insert(x);
            } else {
                if let Some(l) = left.take() {
                    out.push((byte_at(l), byte_at(x)));
                }
                out.push((byte_at(x), byte_at(y)));
            }
            x = y;
        }
        if let Some(l) = left {
            out.push((byte_at(l), byte_at(n)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        cut(s).into_iter().map(|(a, b)| &s[a..b]).collect()
    }

    /// A cutter used again gives each text its own words: nothing of a longer text
    /// before it is left in its buffers.
    #[test]
    fn a_reused_cutter_cuts_each_text_alone() {
        let mut cutter = Cutter::default();
        let mut out = Vec::new();
        for t in ["我们中出了一个叛徒", "南京", "", "云台山景区", "市"] {
            cutter.cut_into(t, &mut out);
            assert_eq!(out, cut(t), "{t}");
        }
    }

    #[test]
    fn cuts_as_jieba() {
        let dict = std::fs::File::open(env!("DUBAO_JIEBA_DICT_FILE")).expect("jieba's dictionary");
        let jieba = jieba_rs::Jieba::with_dict(&mut std::io::BufReader::new(dict)).expect("loads");
        let samples = [
            "焦作市区召开重点工作汇报会",
            "我们中出了一个叛徒",
            "南京市长江大桥",
            "PM2.5浓度增长6.6%，iPhone15发布",
            "11月20日，示范区召开重点工作汇报会\r\n下午 三点",
            "環境保護與經濟發展 abc-def C++ C# AT&T a_b",
            "",
            "，。",
            "𠀀𠀁云台山景区",
        ];
        for s in samples {
            let theirs: Vec<&str> = jieba.cut(s, false).iter().map(|t| t.word).collect();
            assert_eq!(words(s), theirs, "{s:?}");
        }
        // And over a longer text of the sample pages.
        for entry in std::fs::read_dir("assets").into_iter().flatten().flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let theirs: Vec<&str> = jieba.cut(&text, false).iter().map(|t| t.word).collect();
            assert_eq!(words(&text), theirs, "{}", entry.path().display());
        }
    }
}
