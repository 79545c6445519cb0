//! From glyphs to paragraphs in reading order, by position and type size.
//!
//! Glyphs on one baseline that touch make a [`Line`] (a gutter or a change of type size
//! ends it); lines set one under another in the same column and size make a [`Block`];
//! blocks are put in reading order by cutting the page at its gaps (an XY cut: rows of
//! blank space across a region, else the gutters between its columns), with a headline
//! set at the top of an article's later columns read before the article's first column.
//! Blocks then give paragraphs: a first-line indent or a short last line ends one; a
//! paragraph that fills its column's last line goes on at the top of the next column.

use super::glyphs::Glyph;
use crate::archive::pages::lexicon::LEXICON;
use crate::archive::pages::reflow::{HEAD_RATIO, Para};

/// Glyphs further apart than this many ems (of the smaller size) are not one line: a
/// gutter lies between them. Headline type gets [`HEAD_GAP`] instead, since headlines
/// set phrases apart with wide spaces.
const GAP: f32 = 0.8;
const HEAD_GAP: f32 = 1.6;
/// Sizes within this ratio are one size (rounding, optical sizes).
const SAME_SIZE: f32 = 1.12;
/// A paragraph goes on in the next block only in its own type: sizes within this ratio
/// (a caption set a tenth smaller under a paragraph's last full line is not its end).
const SAME_TYPE: f32 = 1.04;
/// Baselines further apart than this many ems are not lines of one block.
const MAX_LEADING: f32 = 1.9;
/// A first line indented by this many ems starts a paragraph.
const INDENT: f32 = 0.8;
/// A line ending this many ems short of its column is a paragraph's last line.
const SHORT: f32 = 1.2;
/// A blank band this many body ems high across a region cuts it before its gutters.
const BAND: f32 = 0.9;
/// Gutters narrower than this many body ems are not cut at.
const GUTTER: f32 = 0.5;

/// Glyphs on one baseline, side by side.
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub(crate) x0: f32,
    pub(crate) x1: f32,
    /// The baseline.
    pub(crate) y: f32,
    pub(crate) size: f32,
    /// Where the line's first glyph stands, blank ones (U+3000 indents) included.
    lead_x: f32,
    pub(crate) text: String,
}

/// Lines one under another in one column and one size.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub(crate) lines: Vec<Line>,
    pub(crate) x0: f32,
    pub(crate) x1: f32,
    pub(crate) top: f32,
    pub(crate) bottom: f32,
    pub(crate) size: f32,
}

impl Block {
    fn new(line: Line) -> Block {
        let mut b = Block {
            x0: line.x0,
            x1: line.x1,
            top: 0.0,
            bottom: 0.0,
            size: line.size,
            lines: vec![line],
        };
        b.measure();
        b
    }

    fn measure(&mut self) {
        let first = &self.lines[0];
        let last = &self.lines[self.lines.len() - 1];
        self.top = first.y + 0.9 * first.size;
        self.bottom = last.y - 0.25 * last.size;
        self.x0 = self.lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
        self.x1 = self.lines.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
    }
}

/// What stands for a glyph with no Unicode mapping: the typesetter's mark for a missing
/// character (〓, U+3013), so a headline set in a font without a map still stands where
/// it is (and parts the articles around it) and the reader sees that something is there.
pub(crate) const UNMAPPED: char = '\u{3013}';

/// Whether a glyph is an unmapped one (no Unicode for it): NUL, or what an extractor
/// writes for such a glyph (the decoder's rule: private use, U+FFFD).
pub(crate) fn is_unmapped(c: char) -> bool {
    c == '\0' || crate::archive::decode::is_debris_char(c)
}

/// The lines of a page, top to bottom and left to right. Control characters are dropped
/// here (they keep their place, so the line is not cut there); unmapped glyphs become
/// [`UNMAPPED`].
pub(crate) fn lines(glyphs: &[Glyph], body: f32) -> Vec<Line> {
    let mut order: Vec<&Glyph> = glyphs
        .iter()
        .filter(|g| g.x.is_finite() && g.y.is_finite())
        .collect();
    order.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut out = Vec::new();
    let mut row: Vec<&Glyph> = Vec::new();
    for g in order {
        if let Some(first) = row.first()
            && (first.y - g.y) > 0.25 * first.size.min(g.size)
        {
            split_row(&mut row, body, &mut out);
        }
        row.push(g);
    }
    split_row(&mut row, body, &mut out);
    out
}

/// One baseline's glyphs into lines, cut at gutters and changes of size.
fn split_row(row: &mut Vec<&Glyph>, body: f32, out: &mut Vec<Line>) {
    row.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut cur: Vec<&Glyph> = Vec::new();
    for g in row.drain(..) {
        if let Some(prev) = cur.last() {
            // The same glyph struck twice (fake bold) is one glyph.
            if prev.ch == g.ch && (g.x - prev.x).abs() < 0.2 * g.size {
                continue;
            }
            let small = prev.size.min(g.size);
            let big = prev.size.max(g.size);
            let gap = g.x - (prev.x + prev.w);
            let ems = if small >= HEAD_RATIO * body {
                HEAD_GAP
            } else {
                GAP
            };
            if big / small > SAME_SIZE || gap > ems * small {
                out.extend(make_line(&cur));
                cur.clear();
            }
        }
        cur.push(g);
    }
    out.extend(make_line(&cur));
}

fn make_line(glyphs: &[&Glyph]) -> Option<Line> {
    let lead_x = glyphs.first()?.x;
    let shown: Vec<&&Glyph> = glyphs
        .iter()
        .filter(|g| is_unmapped(g.ch) || !(g.ch.is_whitespace() || g.ch.is_control()))
        .collect();
    let first = shown.first()?;
    let last = shown.last()?;
    let mut sizes: Vec<f32> = shown.iter().map(|g| g.size).collect();
    sizes.sort_by(f32::total_cmp);
    let size = sizes[sizes.len() / 2];
    let mut text = String::new();
    let mut prev: Option<&Glyph> = None;
    for g in glyphs {
        if g.ch.is_control() && !is_unmapped(g.ch) {
            continue;
        }
        if g.ch.is_whitespace() {
            if !text.is_empty() && !text.ends_with(' ') {
                text.push(' ');
            }
            prev = None;
            continue;
        }
        // A wide space set by position, not by a space glyph: a phrase gap.
        if let Some(p) = prev
            && g.x - (p.x + p.w) > 0.6 * size
            && !text.ends_with(' ')
        {
            text.push(' ');
        }
        text.push(if is_unmapped(g.ch) { UNMAPPED } else { g.ch });
        prev = Some(g);
    }
    Some(Line {
        x0: first.x,
        x1: last.x + last.w,
        y: first.y,
        size,
        lead_x,
        text: text.trim_end().to_string(),
    })
}

/// Lines into blocks: a line joins the block whose last line stands just above it, in
/// the same size and column.
pub(crate) fn blocks(lines: Vec<Line>) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for line in lines {
        let best = blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                let last = &b.lines[b.lines.len() - 1];
                let step = last.y - line.y;
                let (small, big) = (last.size.min(line.size), last.size.max(line.size));
                let overlap = last.x1.min(line.x1) - last.x0.max(line.x0);
                let width = (last.x1 - last.x0).min(line.x1 - line.x0);
                big / small <= SAME_SIZE
                    && step > 0.3 * small
                    && step <= MAX_LEADING * big
                    && (overlap >= 0.5 * width || (line.x0 - b.x0).abs() <= 2.0 * small)
                    && overlap > 0.0
            })
            .min_by(|(_, a), (_, b)| {
                let ya = a.lines[a.lines.len() - 1].y;
                let yb = b.lines[b.lines.len() - 1].y;
                ya.total_cmp(&yb)
            })
            .map(|(i, _)| i);
        match best {
            Some(i) => {
                blocks[i].lines.push(line);
                blocks[i].measure();
            }
            None => blocks.push(Block::new(line)),
        }
    }
    for b in &mut blocks {
        let mut sizes: Vec<f32> = b.lines.iter().map(|l| l.size).collect();
        sizes.sort_by(f32::total_cmp);
        b.size = sizes[sizes.len() / 2];
    }
    blocks
}

/// The page's body size: the size most of its characters are set in (to half a point).
pub(crate) fn body_size(glyphs: &[Glyph]) -> f32 {
    let mut count: std::collections::HashMap<i32, usize> = Default::default();
    for g in glyphs.iter().filter(|g| !g.ch.is_whitespace()) {
        *count.entry((g.size * 2.0).round() as i32).or_default() += 1;
    }
    count
        .into_iter()
        .max_by_key(|&(s, n)| (n, -s))
        .map_or(10.0, |(s, _)| s as f32 / 2.0)
}

/// The blocks in reading order (indices into `blocks`).
pub(crate) fn reading_order(blocks: &[Block], body: f32) -> Vec<usize> {
    let mut out = Vec::with_capacity(blocks.len());
    cut(blocks, (0..blocks.len()).collect(), body, &mut out, 0);
    out
}

/// Groups of `idx` separated by gaps of at least `min` along one axis, in order
/// (`lo`/`hi` give each block's extent; `flip` reads from high to low).
fn split_by_gaps(
    blocks: &[Block],
    idx: &[usize],
    min: f32,
    extent: impl Fn(&Block) -> (f32, f32),
) -> Vec<Vec<usize>> {
    let mut sorted: Vec<usize> = idx.to_vec();
    sorted.sort_by(|&a, &b| extent(&blocks[a]).0.total_cmp(&extent(&blocks[b]).0));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut reach = f32::MIN;
    for i in sorted {
        let (lo, hi) = extent(&blocks[i]);
        match groups.last_mut() {
            Some(g) if lo - reach < min => g.push(i),
            _ => groups.push(vec![i]),
        }
        reach = reach.max(hi);
    }
    groups
}

/// The gaps along one axis between the blocks of `idx` (ranges nothing covers).
fn gaps(blocks: &[Block], idx: &[usize], extent: impl Fn(&Block) -> (f32, f32)) -> Vec<(f32, f32)> {
    let mut sorted: Vec<(f32, f32)> = idx.iter().map(|&i| extent(&blocks[i])).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = Vec::new();
    let mut reach = f32::MIN;
    for (lo, hi) in sorted {
        if reach > f32::MIN && lo > reach {
            out.push((reach, lo));
        }
        reach = reach.max(hi);
    }
    out
}

/// Down from the top: y flipped so that extents grow down the page.
fn vertical(b: &Block) -> (f32, f32) {
    (-b.top, -b.bottom)
}

fn horizontal(b: &Block) -> (f32, f32) {
    (b.x0, b.x1)
}

fn cut(blocks: &[Block], idx: Vec<usize>, body: f32, out: &mut Vec<usize>, depth: usize) {
    if idx.len() > 1 && depth < MAX_DEPTH {
        // Blank bands across the region first: they part articles stacked one above
        // another, whose columns need not line up.
        let bands = headlines_with_what_they_head(
            blocks,
            split_by_gaps(blocks, &idx, BAND * body, vertical),
            body,
        );
        if bands.len() > 1 {
            for band in bands {
                cut(blocks, band, body, out, depth + 1);
            }
            return;
        }
        if gaps(blocks, &idx, horizontal)
            .iter()
            .any(|g| g.1 - g.0 >= GUTTER * body)
        {
            let top = idx.iter().map(|&i| blocks[i].top).fold(f32::MIN, f32::max);
            let mut strips = split_by_gaps(blocks, &idx, GUTTER * body, horizontal);
            // Stacks of articles side by side: cut only at the gutter between them,
            // so that each side is then cut at its own blank bands.
            if let Some(k) = stack_gutter(blocks, &strips, body) {
                let right: Vec<usize> = strips.drain(k..).flatten().collect();
                let left: Vec<usize> = strips.drain(..).flatten().collect();
                strips = vec![left, right];
            }
            let mut strips: Vec<Vec<usize>> = strips
                .into_iter()
                .map(|s| {
                    let mut o = Vec::new();
                    cut(blocks, s, body, &mut o, depth + 1);
                    o
                })
                .collect();
            hoist_headline(blocks, &mut strips, top, body);
            out.extend(strips.into_iter().flatten());
            return;
        }
        let bands = split_by_gaps(blocks, &idx, f32::EPSILON, vertical);
        if bands.len() > 1 {
            for band in bands {
                cut(blocks, band, body, out, depth + 1);
            }
            return;
        }
    }
    // Overlapping blocks: top to bottom, left to right.
    let mut idx = idx;
    idx.sort_by(|&a, &b| {
        blocks[b]
            .top
            .total_cmp(&blocks[a].top)
            .then(blocks[a].x0.total_cmp(&blocks[b].x0))
    });
    out.extend(idx);
}

/// A band of headlines only (two articles' headlines side by side, with a blank band
/// under them) is not cut from what stands under it: each headline goes with its own
/// columns, which the gutters below tell apart.
fn headlines_with_what_they_head(
    blocks: &[Block],
    bands: Vec<Vec<usize>>,
    body: f32,
) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut carry: Vec<usize> = Vec::new();
    for band in bands {
        let heads_only = band.iter().all(|&i| blocks[i].size >= HEAD_RATIO * body);
        carry.extend(band);
        if !heads_only {
            out.push(std::mem::take(&mut carry));
        }
    }
    if !carry.is_empty() {
        out.push(carry);
    }
    out
}

/// Blank bands (at least [`BAND`] body ems high) across a set of blocks: y ranges.
fn bands(blocks: &[Block], idx: &[usize], body: f32) -> Vec<(f32, f32)> {
    let mut out = gaps(blocks, idx, vertical);
    out.retain(|g| g.1 - g.0 >= BAND * body);
    out
}

/// The gutter between two stacks of articles: of the gutters between `strips`, the one
/// whose two sides are both cut by blank bands that the other side does not share (so
/// each side is a stack of articles of its own). `None` when no gutter parts stacks:
/// the strips are then one article's columns, read one after another.
fn stack_gutter(blocks: &[Block], strips: &[Vec<usize>], body: f32) -> Option<usize> {
    let unshared = |a: &[(f32, f32)], b: &[(f32, f32)]| {
        a.iter()
            .filter(|x| !b.iter().any(|y| x.0 < y.1 && y.0 < x.1))
            .count()
    };
    (1..strips.len())
        .map(|k| {
            let left: Vec<usize> = strips[..k].iter().flatten().copied().collect();
            let right: Vec<usize> = strips[k..].iter().flatten().copied().collect();
            let (l, r) = (bands(blocks, &left, body), bands(blocks, &right, body));
            (k, unshared(&l, &r).min(unshared(&r, &l)))
        })
        .filter(|&(_, score)| score > 0)
        .max_by_key(|&(k, score)| (score, std::cmp::Reverse(k)))
        .map(|(k, _)| k)
}

/// Cuts nest no deeper than this (a page has a few levels; a malformed one may have many).
const MAX_DEPTH: usize = 64;

/// An article whose headline stands at the top of its later columns, its first column
/// starting beside it: the headline (and the headline tiers under it) is read first.
fn hoist_headline(blocks: &[Block], strips: &mut [Vec<usize>], top: f32, body: f32) {
    let is_head = |i: usize| blocks[i].size >= HEAD_RATIO * body;
    let Some(first) = strips.first().and_then(|s| s.first().copied()) else {
        return;
    };
    if is_head(first) {
        return;
    }
    for k in 1..strips.len() {
        let Some(&h) = strips[k].first() else {
            continue;
        };
        if is_head(h) && blocks[h].top >= top - 1.5 * body {
            let n = strips[k].iter().take_while(|&&i| is_head(i)).count();
            let heads: Vec<usize> = strips[k].drain(..n).collect();
            strips[0].splice(0..0, heads);
            return;
        }
    }
}

/// Paragraphs of the blocks in reading order, each with its type size relative to the
/// body's (see [`Para::size`]).
pub(crate) fn paragraphs(blocks: &[Block], order: &[usize], body: f32) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    // The open body paragraph: its lines, and whether it may go on in the next block.
    let mut open: Vec<String> = Vec::new();
    let mut open_size = 0.0f32;
    let mut may_go_on = false;
    let flush = |open: &mut Vec<String>, out: &mut Vec<Para>, size: f32| {
        if !open.is_empty() {
            out.push(Para::sized(std::mem::take(open), size / body));
        }
    };
    for &bi in order {
        let b = &blocks[bi];
        if b.size >= HEAD_RATIO * body {
            flush(&mut open, &mut out, open_size);
            may_go_on = false;
            out.push(Para::sized(
                b.lines.iter().map(|l| l.text.clone()).collect(),
                b.size / body,
            ));
            continue;
        }
        for (li, line) in b.lines.iter().enumerate() {
            let em = line.size;
            let indented = line.x0 - b.x0 >= INDENT * em || line.x0 - line.lead_x >= INDENT * em;
            let starts = if LEXICON.opens_brief(&line.text) {
                true
            } else if li == 0 {
                !(may_go_on
                    && !indented
                    && (open_size / line.size) < SAME_TYPE
                    && (line.size / open_size) < SAME_TYPE)
            } else {
                indented
            };
            if starts {
                flush(&mut open, &mut out, open_size);
            }
            open.push(line.text.clone());
            open_size = line.size;
            let short = b.x1 - line.x1 >= SHORT * em;
            if short && li + 1 < b.lines.len() {
                flush(&mut open, &mut out, open_size);
            }
            may_go_on = !short;
        }
    }
    flush(&mut open, &mut out, open_size);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs of `text` set from `x` on baseline `y`, one em apart.
    fn set(x: f32, y: f32, size: f32, text: &str) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, ch)| Glyph {
                x: x + size * i as f32,
                y,
                w: size,
                size,
                ch,
            })
            .collect()
    }

    fn read(glyphs: &[Glyph]) -> Vec<(String, f32)> {
        let body = body_size(glyphs);
        let blocks = blocks(lines(glyphs, body));
        let order = reading_order(&blocks, body);
        paragraphs(&blocks, &order, body)
            .iter()
            .map(|p| (p.text().to_string(), p.size().unwrap_or(0.0)))
            .collect()
    }

    /// Two columns of ten characters, 12 points apart, a 10-point gutter.
    fn columns(top: f32) -> Vec<Glyph> {
        let mut g = Vec::new();
        g.extend(set(20.0, top, 10.0, "　　第一段第一行字字"));
        g.extend(set(20.0, top - 12.0, 10.0, "第一段第二行字字字字"));
        g.extend(set(20.0, top - 24.0, 10.0, "第一段第三行字字字字"));
        g.extend(set(130.0, top, 10.0, "第一段末行。"));
        g.extend(set(130.0, top - 12.0, 10.0, "　　第二段第一行字字"));
        g.extend(set(130.0, top - 24.0, 10.0, "第二段完。"));
        g
    }

    #[test]
    fn a_headline_over_two_columns_then_the_columns_in_turn() {
        let mut g = set(40.0, 300.0, 20.0, "标题横跨两栏");
        g.extend(columns(270.0));
        let paras = read(&g);
        let texts: Vec<&str> = paras.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "标题横跨两栏",
                "第一段第一行字字第一段第二行字字字字第一段第三行字字字字第一段末行。",
                "第二段第一行字字第二段完。"
            ]
        );
        assert!(
            paras[0].1 >= HEAD_RATIO && paras[1].1 < HEAD_RATIO,
            "{paras:?}"
        );
    }

    #[test]
    fn a_headline_beside_the_first_column_is_read_before_it() {
        // The body starts at the top of the first column; the headline stands over the
        // second, whose text starts lower.
        let mut g = Vec::new();
        g.extend(set(20.0, 300.0, 10.0, "　　正文从第一栏顶上"));
        g.extend(set(20.0, 288.0, 10.0, "开始排字字字字字字字"));
        g.extend(set(130.0, 300.0, 16.0, "标题在右"));
        g.extend(set(130.0, 276.0, 10.0, "接着排完。"));
        let texts: Vec<String> = read(&g).into_iter().map(|(t, _)| t).collect();
        assert_eq!(texts[0], "标题在右");
        assert!(texts[1].starts_with("正文从第一栏顶上"), "{texts:?}");
        assert!(texts[1].ends_with("接着排完。"), "{texts:?}");
    }

    #[test]
    fn articles_stacked_beside_another_stack_are_cut_apart() {
        // Left: two articles one above the other (a blank band between them); right: one
        // tall column. The left stack is read whole before the right column.
        let mut g = Vec::new();
        g.extend(set(20.0, 300.0, 10.0, "　　甲文一行字字字字"));
        g.extend(set(20.0, 288.0, 10.0, "甲文完。"));
        g.extend(set(20.0, 250.0, 10.0, "　　乙文一行字字字字"));
        g.extend(set(20.0, 238.0, 10.0, "乙文完。"));
        for (i, y) in [300.0, 288.0, 276.0, 264.0, 252.0, 240.0]
            .iter()
            .enumerate()
        {
            let t = if i == 5 {
                "丙文完。"
            } else {
                "丙文字字字字字字字字"
            };
            g.extend(set(130.0, *y, 10.0, t));
        }
        let texts: Vec<String> = read(&g).into_iter().map(|(t, _)| t).collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(
            texts[0].starts_with("甲") && texts[1].starts_with("乙"),
            "{texts:?}"
        );
        assert!(texts[2].starts_with("丙"), "{texts:?}");
    }

    /// Glyphs of `text` set down from `y` at `x`, one under another (竖排).
    fn set_down(x: f32, y: f32, size: f32, text: &str) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, ch)| Glyph {
                x,
                y: y - 1.1 * size * i as f32,
                w: size,
                size,
                ch,
            })
            .collect()
    }

    #[test]
    fn a_vertical_headline_is_read_whole_before_the_columns_it_heads() {
        // Its glyphs, one a line, make one block of headline type, which is read first
        // whether it stands right or left of its columns.
        let body = [
            "第一段第一行字字第一段第二行字字字字第一段第三行字字字字第一段末行。",
            "第二段第一行字字第二段完。",
        ];
        for x in [245.0, -15.0] {
            let mut g = set_down(x, 282.0, 20.0, "竖排标题");
            g.extend(columns(282.0));
            let paras = read(&g);
            let texts: Vec<&str> = paras.iter().map(|(t, _)| t.as_str()).collect();
            assert_eq!(texts, ["竖排标题", body[0], body[1]], "x {x}");
            assert!(paras[0].1 >= HEAD_RATIO, "{paras:?}");
        }
    }

    #[test]
    fn unmapped_glyphs_keep_their_place_as_a_mark() {
        let mut g = set(20.0, 300.0, 20.0, "\0\0\0\0");
        g.extend(columns(270.0));
        let paras = read(&g);
        assert_eq!(paras[0].0, "〓〓〓〓");
        assert_eq!(paras.len(), 3);
    }

    #[test]
    fn headlines_side_by_side_go_each_with_its_own_columns() {
        // Two articles' headlines on one baseline, a blank band under them, then each
        // article's column: each headline is read with its own text.
        let mut g = set(20.0, 320.0, 20.0, "甲标题");
        g.extend(set(130.0, 320.0, 20.0, "乙标题"));
        g.extend(set(20.0, 290.0, 10.0, "　　甲文正文字字字字"));
        g.extend(set(20.0, 278.0, 10.0, "甲文完。"));
        g.extend(set(130.0, 290.0, 10.0, "　　乙文正文字字字字"));
        g.extend(set(130.0, 278.0, 10.0, "乙文完。"));
        let texts: Vec<String> = read(&g).into_iter().map(|(t, _)| t).collect();
        assert_eq!(
            texts,
            [
                "甲标题",
                "甲文正文字字字字甲文完。",
                "乙标题",
                "乙文正文字字字字乙文完。"
            ]
        );
    }
}
