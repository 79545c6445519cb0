//! Pages extracted with columns side by side (`pdftotext -layout`): each line holds a
//! piece of every column, padded with spaces. Columns are found by the character
//! offsets where pieces start, the same all down the page; the page is then read column
//! by column, band by band (a headline spanning columns starts a new band), into the
//! one-column text the rest of the reader takes.

/// Spaces that separate two columns' pieces of a line (one space is justification).
const GUTTER: usize = 2;
/// A page is side by side when at least this share of its lines (in percent) hold
/// pieces of two columns or more.
const SIDE_BY_SIDE_PCT: usize = 30;
/// Fewest lines a page needs before its columns are looked for.
const MIN_LINES: usize = 10;
/// A column start is an offset where at least this share of lines (in percent) start a
/// piece.
const COLUMN_START_PCT: usize = 15;
/// Column starts closer than this are one (paragraph indents, uneven justification).
const SAME_COLUMN: usize = 5;

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
    let column_of = |start: usize| starts.iter().rposition(|&s| s <= start + 1).unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    let mut band: Vec<Vec<String>> = vec![Vec::new(); starts.len()];
    let flush = |cols: &mut [Vec<String>], out: &mut String| {
        for col in cols.iter_mut().filter(|c| !c.is_empty()) {
            for l in col.drain(..) {
                out.push_str(&l);
                out.push('\n');
            }
            out.push('\n');
        }
    };
    for line in &lines {
        let mut seen = vec![false; starts.len()];
        for p in line {
            let c = column_of(p.start);
            // A piece reaching over the next columns' starts spans them: a headline
            // over an article set in those columns. What stands above it in them was
            // read first; the article under it goes on from here.
            let last = starts
                .iter()
                .rposition(|&s| s + 1 < p.end)
                .unwrap_or(c)
                .max(c);
            if last > c {
                flush(&mut band[c..=last], &mut out);
                out.push_str(p.text);
                out.push_str("\n\n");
                seen[c..=last].iter_mut().for_each(|s| *s = true);
                continue;
            }
            seen[c] = true;
            band[c].push(p.text.to_string());
        }
        // A column with nothing on this line has a gap: a blank line there.
        for (c, s) in seen.iter().enumerate() {
            if !s && band[c].last().is_some_and(|l| !l.is_empty()) {
                band[c].push(String::new());
            }
        }
    }
    flush(&mut band, &mut out);
    Some(out)
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
}
