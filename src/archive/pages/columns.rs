//! Pages extracted with columns side by side (`pdftotext -layout`): each line holds a
//! piece of every column, padded with spaces. Columns are found by the character
//! offsets where pieces start, the same all down the page (the page's grid); the page
//! is then cut into blocks as a newspaper is made (an XY cut): at rows blank across a
//! block, at gutters no piece crosses, and above and below a headline that spans
//! columns. Each block's columns are read one after another into the one-column text
//! the rest of the reader takes.

use super::reflow::{ends_sentence, ends_something, is_opener_line, leaves_open, opens_subtitle};
use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;

/// Spaces that separate two columns' pieces of a line (one space is justification).
const GUTTER: usize = 2;
/// A page is side by side when at least this share of its lines (in percent) hold
/// pieces of two columns or more: a fifth, as a page whose first column runs alone
/// down beside a photo has few such lines (27% on one of the corpus's).
const SIDE_BY_SIDE_PCT: usize = 20;
/// Fewest lines a page needs before its columns are looked for.
const MIN_LINES: usize = 10;
/// A column start is an offset where at least this share of lines (in percent) start a
/// piece.
const COLUMN_START_PCT: usize = 15;
/// Column starts closer than this are one (paragraph indents, uneven justification).
const SAME_COLUMN: usize = 5;
/// A piece may start this many characters left of its column's start: digits and
/// Latin letters are narrower than Han, so a line holding some is shorter in
/// characters and what follows it on the page drifts left.
const DRIFT: usize = 3;
/// Rows under a headline where its ——subtitle may stand.
const SUBTITLE_ROWS: usize = 3;
/// A line that ends this many characters left of its column's right edge stops short.
/// Characters, not display columns: the extractor gives every glyph one place, a
/// full-width quote mark as a Han character, and a digit too (so a line holding digits
/// runs a little long, never short).
const SHORT_LINE: usize = 2;
/// Blank rows all across a block that part it: one is not enough (see [`Grid::read`]).
const MIN_GAP_ROWS: usize = 2;

/// One piece of a line: where it starts and ends (in characters) and its text.
struct Piece<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

fn pieces(line: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (char offset, byte offset)
    let mut spaces = 0;
    let mut last_end = (0, 0);
    for (ci, (bi, c)) in line.char_indices().enumerate() {
        if c == ' ' {
            spaces += 1;
            if spaces == GUTTER
                && let Some((cs, bs)) = start.take()
            {
                out.push(Piece {
                    start: cs,
                    end: last_end.0,
                    text: &line[bs..last_end.1],
                });
            }
            continue;
        }
        spaces = 0;
        if start.is_none() {
            start = Some((ci, bi));
        }
        last_end = (ci + 1, bi + c.len_utf8());
    }
    if let Some((cs, bs)) = start {
        out.push(Piece {
            start: cs,
            end: last_end.0,
            text: &line[bs..last_end.1],
        });
    }
    out
}

/// The page read column by column, when it is set side by side; `None` otherwise.
pub(crate) fn unfold(text: &str) -> Option<String> {
    // Cheap test first: most pages have no run of spaces inside a line at all.
    if !text.contains("  ") {
        return None;
    }
    let lines: Vec<Vec<Piece>> = text.lines().map(pieces).collect();
    let filled = lines.iter().filter(|p| !p.is_empty()).count();
    let multi = lines.iter().filter(|p| p.len() >= 2).count();
    if filled < MIN_LINES || multi * 100 < filled * SIDE_BY_SIDE_PCT {
        return None;
    }
    let starts = column_starts(&lines, filled);
    if starts.len() < 2 {
        return None;
    }
    let page = Grid::new(&lines, &starts);
    let mut out = String::with_capacity(text.len());
    page.read(0..lines.len(), 0..starts.len(), &mut out);
    Some(out)
}

/// True when `s` leaves a bracket open: `本报讯（记者 岳子`.
fn opens_bracket(s: &str) -> bool {
    s.rfind(['（', '(']) > s.rfind(['）', ')'])
}

/// A piece placed on the page's grid: the column it starts in and the last one it
/// reaches into (the same, unless it spans columns).
struct Placed<'a> {
    /// Where it starts and ends on its line, in characters.
    start: usize,
    end: usize,
    first: usize,
    last: usize,
    text: &'a str,
    /// Already read out of its place (a subtitle read with its headline).
    taken: Cell<bool>,
}

struct Grid<'a> {
    rows: Vec<Vec<Placed<'a>>>,
}

impl<'a> Grid<'a> {
    fn new(lines: &'a [Vec<Piece<'a>>], starts: &[usize]) -> Grid<'a> {
        let rows = lines
            .iter()
            .map(|line| {
                line.iter()
                    .map(|p| {
                        let first = starts
                            .iter()
                            .rposition(|&s| s <= p.start + DRIFT)
                            .unwrap_or(0);
                        let last = starts
                            .iter()
                            .rposition(|&s| s + 1 < p.end)
                            .unwrap_or(first)
                            .max(first);
                        Placed {
                            start: p.start,
                            end: p.end,
                            first,
                            last,
                            text: p.text,
                            taken: Cell::new(false),
                        }
                    })
                    .collect()
            })
            .collect();
        Grid { rows }
    }

    /// The pieces of row `r` that start in columns `cols`.
    fn in_block(&self, r: usize, cols: &Range<usize>) -> impl Iterator<Item = &Placed<'a>> {
        self.rows[r]
            .iter()
            .filter(move |p| cols.contains(&p.first) && !p.taken.get())
    }

    /// Append the block of `rows` × `cols` to `out` in reading order.
    fn read(&self, rows: Range<usize>, cols: Range<usize>, out: &mut String) {
        let filled: Vec<usize> = rows
            .clone()
            .filter(|&r| self.in_block(r, &cols).next().is_some())
            .collect();
        let (Some(&top), Some(&bottom)) = (filled.first(), filled.last()) else {
            return;
        };
        let rows = top..bottom + 1;
        if cols.len() == 1 {
            return self.read_column(rows, &cols, out);
        }
        // Rows blank all across the block part what is stacked in it. A single blank
        // row does not: two articles set with different leading interleave their rows.
        let parts =
            |w: &[usize]| w[1] > w[0] + MIN_GAP_ROWS && !self.runs_across(w[0], w[1], &cols);
        if filled.windows(2).any(parts) {
            let mut from = top;
            for w in filled.windows(2) {
                if parts(w) {
                    self.read(from..w[0] + 1, cols.clone(), out);
                    from = w[1];
                }
            }
            return self.read(from..bottom + 1, cols, out);
        }
        // Gutters that no piece crosses part what stands side by side.
        let crossed = |k: usize| {
            rows.clone()
                .any(|r| self.in_block(r, &cols).any(|p| p.first < k && p.last >= k))
        };
        // Of several, the gutter between blocks stacked differently: the rows filled on
        // one side and blank on the other. Cutting between two columns of one article
        // first would read its left columns, then what stands under it, then its right.
        let filled_in = |r: usize, c: Range<usize>| self.in_block(r, &c).next().is_some();
        let unlike = |k: usize| {
            rows.clone()
                .filter(|&r| filled_in(r, cols.start..k) != filled_in(r, k..cols.end))
                .count()
        };
        // And of those, one where the column on its left ends its text (`…工作。`), not
        // one that goes on at the top of the next (`…市民` / `要及时添衣保暖；`).
        let ends_left = |k: usize| {
            let left = k - 1..k;
            rows.clone()
                .rev()
                .find_map(|r| self.in_block(r, &left).last())
                .is_none_or(|p| ends_something(p.text))
        };
        if let Some(k) = (cols.start + 1..cols.end)
            .filter(|&k| !crossed(k))
            .max_by_key(|&k| (ends_left(k), unlike(k), std::cmp::Reverse(k)))
        {
            self.read(rows.clone(), cols.start..k, out);
            return self.read(rows, k..cols.end, out);
        }
        // A headline spanning columns: what stands above it, then it, then what it heads.
        let spans = |r: usize| self.in_block(r, &cols).any(|p| p.last > p.first);
        let Some(head) = rows.clone().find(|&r| spans(r)) else {
            return self.read_column(rows, &cols, out);
        };
        let head_end = (head..bottom + 1)
            .find(|&r| !spans(r))
            .unwrap_or(bottom + 1);
        self.read(top..head, cols.clone(), out);
        for r in head..head_end {
            for p in self.in_block(r, &cols) {
                out.push_str(p.text);
                out.push('\n');
            }
        }
        // A ——subtitle set just under the headline goes with it, wherever its row put it.
        for r in head_end..(head_end + SUBTITLE_ROWS).min(bottom + 1) {
            for p in self.in_block(r, &cols).filter(|p| opens_subtitle(p.text)) {
                out.push_str(p.text);
                out.push('\n');
                p.taken.set(true);
            }
        }
        out.push('\n');
        self.read(head_end..bottom + 1, cols, out);
    }

    /// True when some column of `cols` goes on across the blank rows between `above`
    /// and `below`: its line right above them stops at a clause's comma (`…进村入户，`)
    /// and its text goes on right under them, not indented. Rows of a neighbour set with
    /// other leading leave such gaps; they part nothing.
    fn runs_across(&self, above: usize, below: usize, cols: &Range<usize>) -> bool {
        cols.clone().any(|c| {
            let one = c..c + 1;
            let Some(up) = self.in_block(above, &one).last() else {
                return false;
            };
            let down = self.in_block(below, &one).next();
            down.is_some_and(|d| d.start <= up.start + 1)
                && up.first == up.last
                && up.text.ends_with(['，', '、', ','])
        })
    }

    /// The edges of the column `cols`: where most of its lines start and end.
    fn edges(&self, rows: Range<usize>, cols: &Range<usize>) -> Edges {
        let placed: Vec<&Placed> = rows.flat_map(|r| self.in_block(r, cols)).collect();
        Edges {
            left: most_common(placed.iter().map(|p| p.start)),
            right: most_common(placed.iter().filter(|p| p.first == p.last).map(|p| p.end)),
        }
    }

    /// One column: its lines in order, and a blank line after it. A gap in the column
    /// is kept as a blank line only where a paragraph or headline could end (see
    /// `stops`): rows of a neighbour set with other leading leave gaps anywhere, even
    /// inside a byline.
    fn read_column(&self, rows: Range<usize>, cols: &Range<usize>, out: &mut String) {
        // The column's edges: where most of its lines start and end.
        let edges = self.edges(rows.clone(), cols);
        // Whether a gap after this line is a real one: after a sentence's end, or after
        // a short line that is no paragraph's indented start (a headline), never inside
        // an open bracket (a byline broken over lines).
        let stops = |p: &Placed| {
            let short = stops_short(p, &edges) && p.start <= edges.left;
            (ends_sentence(p.text) || short) && !opens_bracket(p.text)
        };
        // A headline's lines, set in a large type, stand a row or more apart: a gap
        // between two lines that could both be a headline's is no gap.
        let mut gap = false;
        let mut last_stops = true;
        let mut last_headline_like = false;
        let mut wrote = false;
        for r in rows {
            let line: Vec<&Placed> = self.in_block(r, cols).collect();
            let (Some(first), Some(last)) = (line.first(), line.last()) else {
                gap |= wrote && last_stops;
                continue;
            };
            if gap && !(last_headline_like && line.len() == 1 && headline_like(first, &edges)) {
                out.push('\n');
            }
            gap = false;
            wrote = true;
            last_stops = stops(last);
            last_headline_like = line.len() == 1 && headline_like(last, &edges);
            for (i, p) in line.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(p.text);
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

/// The value seen most often (the smallest of equals); 0 when there is none.
fn most_common(values: impl Iterator<Item = usize>) -> usize {
    let mut count = HashMap::<usize, usize>::new();
    for v in values {
        *count.entry(v).or_default() += 1;
    }
    count
        .into_iter()
        .max_by_key(|&(v, n)| (n, std::cmp::Reverse(v)))
        .map_or(0, |(v, _)| v)
}

/// Where most lines of a column start and end, in characters.
struct Edges {
    left: usize,
    right: usize,
}

/// True when a piece ends short of its column's right edge; a piece that spans
/// columns does too: no column's lines end where it does.
fn stops_short(p: &Placed, edges: &Edges) -> bool {
    p.last > p.first || p.end + SHORT_LINE <= edges.right
}

/// A piece that could be a line of a headline: short of its column's edge, open (no
/// sentence's or clause's end, see [`leaves_open`]), and neither a bracket left open
/// (a byline broken over lines) nor an opener.
fn headline_like(p: &Placed, edges: &Edges) -> bool {
    stops_short(p, edges)
        && leaves_open(p.text)
        && !opens_bracket(p.text)
        && !is_opener_line(p.text)
}

/// Offsets where many lines start a piece, nearby ones merged into the most used.
fn column_starts(lines: &[Vec<Piece>], filled: usize) -> Vec<usize> {
    let width = lines
        .iter()
        .flat_map(|l| l.iter().map(|p| p.end))
        .max()
        .unwrap_or(0);
    let mut count = vec![0usize; width + 1];
    for p in lines.iter().flatten() {
        count[p.start] += 1;
    }
    let least = (filled * COLUMN_START_PCT / 100).max(4);
    let mut peaks: Vec<(usize, usize)> = count
        .iter()
        .enumerate()
        .filter(|(_, n)| **n >= least)
        .map(|(i, n)| (i, *n))
        .collect();
    // Strongest first; a peak near a stronger one is the same column.
    peaks.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut starts: Vec<usize> = Vec::new();
    for (i, _) in peaks {
        if starts.iter().all(|&s| s.abs_diff(i) >= SAME_COLUMN) {
            starts.push(i);
        }
    }
    starts.sort_unstable();
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_by_side_columns_are_read_one_after_the_other() {
        let mut page = String::from("一条横跨两栏的大标题在这里写得很长很长很长\n");
        for i in 0..12 {
            page.push_str(&format!("甲栏第{i:02}行文字     乙栏第{i:02}行文字\n"));
        }
        let out = unfold(&page).expect("side by side");
        let a = out.find("甲栏第11行").unwrap();
        let b = out.find("乙栏第00行").unwrap();
        assert!(a < b, "{out}");
        assert!(out.starts_with("一条横跨两栏"));
        assert_eq!(unfold("一行  两段\n普通的文字。\n"), None);
    }

    #[test]
    fn a_page_side_by_side_only_below_a_column_running_alone_is_unfolded() {
        let mut page = String::new();
        for i in 0..11 {
            page.push_str(&format!("甲栏第{i:02}行文字\n"));
        }
        for i in 11..15 {
            page.push_str(&format!("甲栏第{i:02}行文字     乙栏第{i:02}行文字\n"));
        }
        let out = unfold(&page).expect("side by side");
        let at = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing:\n{out}"));
        assert!(at("甲栏第14行") < at("乙栏第11行"), "{out}");
    }

    /// Four grid columns, each piece 10 characters wide: article 甲 down columns 1–3
    /// (its text cut at the foot of the first two, `…，`), article 乙 down column 4
    /// beside it all, and under 甲, after blank rows, the headline of the next article.
    fn beside_a_long_column(gap_in_yi: bool) -> String {
        let cell = |s: &str| format!("{s}{}", " ".repeat(12 - s.chars().count()));
        let mut p = String::new();
        for r in 0..14 {
            let jia = |c: usize, last: usize, end: &str| match r.cmp(&last) {
                std::cmp::Ordering::Less => format!("甲栏{c}第{r:02}行文字"),
                std::cmp::Ordering::Equal => format!("甲栏{c}第{r:02}行{end}"),
                std::cmp::Ordering::Greater => String::new(),
            };
            let mut row = cell(&jia(1, 3, "写到，"));
            row.push_str(&cell(&jia(2, 3, "写到，")));
            row.push_str(&cell(&jia(3, 5, "写完。")));
            if r == 10 {
                row = cell("丙文的标题");
                row.push_str(&cell(""));
                row.push_str(&cell(""));
            }
            // 乙's rows skip a few where the extractor set a neighbour's leading.
            let yi = match r {
                6..=8 if gap_in_yi => String::new(),
                5 => format!("乙栏第{r:02}行文，"),
                13 => format!("乙栏第{r:02}行文。"),
                _ => format!("乙栏第{r:02}行文字"),
            };
            row.push_str(&yi);
            p.push_str(row.trim_end());
            p.push('\n');
        }
        p
    }

    #[test]
    fn a_block_is_cut_where_a_column_ends_its_text() {
        let out = unfold(&beside_a_long_column(false)).expect("side by side");
        let at = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing:\n{out}"));
        // 甲 is read whole, its three columns in order, before the headline under it.
        assert!(at("甲栏1第03行") < at("甲栏2第00行"), "{out}");
        assert!(at("甲栏3第05行") < at("丙文的标题"), "{out}");
    }

    #[test]
    fn blank_rows_part_nothing_a_column_runs_across() {
        let out = unfold(&beside_a_long_column(true)).expect("side by side");
        let at = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing:\n{out}"));
        // 乙 goes on across its blank rows (`…文，` / `乙栏第09行…`), unbroken by 丙.
        let yi = &out[at("乙栏第05行")..];
        assert!(yi.starts_with("乙栏第05行文，\n乙栏第09行"), "{out}");
        assert!(at("甲栏3第05行") < at("丙文的标题"), "{out}");
    }

    /// A page of three grid columns: article 甲 in columns 1–2 with a headline over
    /// both, 丙 stacked under it, and 乙 down column 3 beside both.
    fn stacked_page() -> String {
        let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w - s.chars().count()));
        let mut p = String::new();
        p.push_str(&pad("甲文的标题横跨两栏写在这里很长", 30));
        p.push_str("乙栏第00行文字写满\n");
        for i in 1..8 {
            p.push_str(&format!(
                "甲左第{i:02}行文字    甲右第{i:02}行文字    乙栏第{i:02}行文字写满\n"
            ));
        }
        for i in 8..11 {
            p.push_str(&pad("", 30));
            p.push_str(&format!("乙栏第{i:02}行文字写满\n"));
        }
        p.push_str(&pad("丙文的标题横跨两栏写在这里也长", 30));
        p.push_str("乙栏第11行文字写满\n");
        for i in 12..20 {
            p.push_str(&format!(
                "丙左第{i:02}行文字    丙右第{i:02}行文字    乙栏第{i:02}行文字写满\n"
            ));
        }
        p
    }

    #[test]
    fn stacked_articles_are_read_whole_before_what_stands_beside_them() {
        let out = unfold(&stacked_page()).expect("side by side");
        let at = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing:\n{out}"));
        let order = [
            "甲文的标题",
            "甲左第01行",
            "甲左第07行",
            "甲右第01行",
            "甲右第07行",
            "丙文的标题",
            "丙左第12行",
            "丙左第19行",
            "丙右第12行",
            "丙右第19行",
            "乙栏第00行",
            "乙栏第19行",
        ];
        for w in order.windows(2) {
            assert!(at(w[0]) < at(w[1]), "{} before {}:\n{out}", w[0], w[1]);
        }
    }

    #[test]
    fn a_subtitle_goes_with_its_headline_and_a_byline_is_not_cut_by_a_neighbour_row() {
        let mut p = String::from("一条横跨两栏的大标题在这里写得很长很长很长\n");
        p.push_str("本报讯（记者 岳子\n");
        p.push_str("              ——副题写在下面的一行\n");
        // A row where only the second column has text leaves a gap in the first.
        p.push_str("                    乙栏第一行文字\n");
        for i in 0..12 {
            p.push_str(&format!("甲栏第{i:02}行文字     乙栏第{i:02}行文字\n"));
        }
        p = p.replacen("甲栏第00行文字", "墨 柯思琪）文字", 1);
        let out = unfold(&p).expect("side by side");
        assert!(
            out.starts_with("一条横跨两栏的大标题在这里写得很长很长很长\n——副题写在下面的一行\n"),
            "{out}"
        );
        assert!(out.contains("本报讯（记者 岳子\n墨 柯思琪）"), "{out}");
    }

    #[test]
    fn a_headline_over_fewer_columns_does_not_cut_the_article_above_it() {
        let mut p = String::from("甲文的标题横跨三栏写在这里很长很长很长很长很长很长\n");
        for i in 0..8 {
            p.push_str(&format!(
                "甲左第{i:02}行文字    甲中第{i:02}行文字    甲右第{i:02}行文字\n"
            ));
        }
        p.push_str("\n\n\n丙文的标题横跨两栏写在这里也长\n");
        for i in 0..8 {
            p.push_str(&format!(
                "丙左第{i:02}行文字    丙中第{i:02}行文字    丙右第{i:02}行文字\n"
            ));
        }
        let out = unfold(&p).expect("side by side");
        let at = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing:\n{out}"));
        assert!(at("甲右第07行") < at("丙文的标题"), "{out}");
        assert!(at("丙文的标题") < at("丙左第00行"), "{out}");
    }

    #[test]
    fn a_headline_set_large_is_one_block_though_its_lines_stand_a_row_apart() {
        // Column 甲 holds a two-line headline in a large type: a blank row between its
        // lines, where column 乙's lines, set smaller, run on.
        let mut p = String::new();
        for (i, left) in [
            "■个体工商户",
            "",
            "突破十五万户",
            "",
            "",
            "甲栏文字写满了一整行。",
        ]
        .iter()
        .enumerate()
        {
            let pad = " ".repeat(14 - left.chars().count());
            p.push_str(&format!("{left}{pad}乙栏第{i:02}行文字写满\n"));
        }
        for i in 6..12 {
            p.push_str(&format!(
                "甲栏第{i:02}行文字写满    乙栏第{i:02}行文字写满\n"
            ));
        }
        let out = unfold(&p).expect("side by side");
        assert!(out.contains("■个体工商户\n突破十五万户\n\n"), "{out}");
        // A body's short last line and what follows a gap stay apart.
        assert!(out.contains("突破十五万户\n\n甲栏文字"), "{out}");
    }
}
