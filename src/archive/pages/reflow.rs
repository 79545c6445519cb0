//! Reflowing text extracted from PDF columns into paragraphs.
//!
//! PDF extraction leaves lines hard-wrapped every 13-20 characters, blank lines both
//! between paragraphs and where a column ended mid-sentence, spaces from justification
//! inside Chinese text, and bylines or headlines glued onto other lines. This module turns
//! that into [`Para`]s: one per paragraph, each remembering its source lines (headlines
//! need them) and how it sat on the page.

use super::lexicon::LEXICON;
use crate::text::join::join_lines;
use crate::text::script::is_han;
use crate::text::str_width;

/// One paragraph of a page, before it is known whether it is a headline or body text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Para {
    /// The source lines, trimmed, in order.
    pub(crate) lines: Vec<String>,
    /// The lines joined into clean text (see [`join_lines`]); kept because every test
    /// of a paragraph reads it.
    text: String,
    /// Its type size over the page's body size, in hundredths, when the page said it
    /// (a PDF): then size, not shape, tells a headline.
    size: Option<u16>,
    /// It opens a block with a line as wide as the column (no indent): text a column
    /// break cut, going on from somewhere above, not a paragraph's start.
    pub(crate) goes_on: bool,
    /// It closes a block with a line as wide as the column: where a column break may
    /// have cut it.
    pub(crate) cut: bool,
    /// A box of a few open lines, one wider than any column: set over several columns,
    /// as a headline (with its kicker) is; body text never is.
    pub(crate) spans: bool,
}

impl Para {
    pub(crate) fn new(lines: Vec<String>) -> Para {
        let text = join_lines(&lines);
        Para {
            lines,
            text,
            size: None,
            goes_on: false,
            cut: false,
            spans: false,
        }
    }

    /// A paragraph whose type size is known: `ratio` is its size over the body's.
    pub(crate) fn sized(lines: Vec<String>, ratio: f32) -> Para {
        Para {
            size: Some((ratio * 100.0).round().clamp(0.0, 60000.0) as u16),
            ..Para::new(lines)
        }
    }

    /// Its type size over the page's body size, when known.
    pub(crate) fn size(&self) -> Option<f32> {
        self.size.map(|s| f32::from(s) / 100.0)
    }

    /// The paragraph as one line of clean text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    fn last_line(&self) -> &str {
        self.lines.last().map_or("", |s| s.as_str())
    }
}

/// Type this much bigger than the page's body type is headline type (on pages that
/// give sizes: PDFs read directly).
pub(crate) const HEAD_RATIO: f32 = 1.15;
/// Subheads (小标题) inside an article are set barely bigger than its body: type this
/// much bigger heads an article of its own.
pub(crate) const SUBHEAD_MAX: f32 = 1.25;

/// Characters that end a sentence, and the closing marks that may follow them.
const FINAL: &[char] = &['。', '！', '？', '!', '?', '…', '；'];
const CLOSERS: &[char] = &['”', '’', '」', '』', '）', '》', '】', ')', '"', '\''];

/// True when `s` opens a subtitle (副题): `——` then its words.
pub(crate) fn opens_subtitle(s: &str) -> bool {
    s.starts_with("——")
}

/// True when `s` ends a sentence (`。`, `！`, `？`, `……`, possibly inside closing quotes).
pub(crate) fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end().trim_end_matches(CLOSERS);
    t.ends_with(FINAL)
}

/// Where a byline starts inside a line: `本报讯` anywhere, or `本报记者 Name` after a
/// space at the end of a headline line. Returns the byte offset.
fn glued_opener(line: &str) -> Option<usize> {
    let lex = &*LEXICON;
    // An opener or dateline of the lexicon run on to the end of a headline line.
    if line.contains(lex.opener_marks.as_slice())
        && let Some(i) = lex
            .openers
            .iter()
            .chain(&lex.datelines)
            .filter_map(|w| line.find(w.as_str()))
            .filter(|&i| i > 0 && lex.opener_len(&line[i..]).is_some())
            .min()
    {
        return Some(i);
    }
    if !line.contains('本') {
        return None;
    }
    let i = line.rfind("本报记者")?;
    if i == 0 || !line[..i].ends_with(char::is_whitespace) {
        return None;
    }
    // `文/图 本报记者 张三` is one byline with its credit mark, not a headline and a byline.
    if LEXICON.strip_credit(line[..i].trim()) == ("", true) {
        return None;
    }
    // A photo's credit run on after the body (`…的目的。 图为… 本报记者 张晓光 摄`) ends
    // that article as a byline would.
    credit_shaped(&line[i..]).then_some(i)
}

/// `本报记者 原文钊`, `本报记者 岳 静`, `通讯员 李想`: a byline on a line of its own.
/// `□ 本报记者 张三`, `文/图 本报记者郭树勋`: a credit mark before it (see the lexicon).
pub(crate) fn is_standalone_byline(line: &str) -> bool {
    credit_shaped(line) && !is_photo_credit(line)
}

/// `通讯员 王子豪 摄`: a photo's credit, on a line of its own under its caption: it opens
/// no article.
fn is_photo_credit(line: &str) -> bool {
    last_word(line) == Some("摄")
}

/// A line's last word, taken from its end (this runs on every line of a page).
fn last_word(line: &str) -> Option<&str> {
    line.trim_end().rsplit(char::is_whitespace).next()
}

/// A reporter word and one to three names: a byline, or a photo's credit.
fn credit_shaped(line: &str) -> bool {
    let (t, credited) = LEXICON.strip_credit(line.trim());
    let rest = LEXICON.reporters.iter().find_map(|p| strip_word(t, p));
    let Some(rest) = rest else { return false };
    let names: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let n = names.chars().count();
    // One to three names of two to four characters, maybe separated by `、`; after a
    // credit mark, the name may follow with no space.
    (2..=16).contains(&n)
        && names.chars().all(|c| is_han(c) || c == '、' || c == '·')
        && (rest.starts_with(char::is_whitespace) || credited && n <= 4 || two_credits(rest))
}

/// `s` after `word`; the first byte compared first, since this runs on every line
/// (and a call to compare whole strings costs more than most lines' answer).
fn strip_word<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    if s.as_bytes().first() != word.as_bytes().first() {
        return None;
    }
    s.strip_prefix(word)
}

/// `王言 通讯员程芳`: a name, then another reporter word: two credits on one line.
fn two_credits(rest: &str) -> bool {
    let mut parts = rest.split_whitespace();
    let first = parts.next().map_or(0, |p| p.chars().count());
    (2..=4).contains(&first)
        && parts.any(|p| LEXICON.reporters.iter().any(|r| p.starts_with(r.as_str())))
}

/// A dateline wrapped before its `电`: `line` starts it, `next` ends it
/// (`新华社武汉3月16日` / `电（记者 包静怡）…`).
pub(crate) fn wraps_dateline(line: &str, next: &str) -> bool {
    LEXICON
        .datelines
        .iter()
        .any(|w| line.starts_with(w.as_str()))
        && LEXICON
            .opener_len(&format!("{line}{next}"))
            .is_some_and(|n| n > line.len())
}

/// True when a line opens an article: an opener or dateline of the lexicon
/// (`本报讯…`, `新华社郑州5月13日电…`) or a standalone byline.
pub(crate) fn is_opener_line(line: &str) -> bool {
    let t = line.trim_start();
    LEXICON.opener_len(t).is_some() || is_standalone_byline(t)
}

/// Split a page into blocks of lines (a blank line ends a block; so does a byline,
/// which always starts a block of its own), after cutting bylines glued onto the end of
/// other lines.
pub(crate) fn blocks(text: &str) -> Vec<Vec<String>> {
    let mut blocks: Vec<Vec<String>> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let flush = |cur: &mut Vec<String>, blocks: &mut Vec<Vec<String>>| {
        if !cur.is_empty() {
            blocks.push(std::mem::take(cur));
        }
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut last_garbage = false;
    let mut skip = false;
    for (i, raw) in lines.iter().enumerate() {
        if std::mem::take(&mut skip) {
            continue;
        }
        let mut line = raw.trim();
        if line.is_empty() {
            flush(&mut cur, &mut blocks);
            continue;
        }
        // A byline wrapped inside a reporter word (`文/图 本报记者 何书瑶 通` / `讯员 龙思远`)
        // is one line.
        let joined: String;
        if let Some(next) = lines.get(i + 1)
            && let Some(whole) = wrapped_byline(line, next.trim())
        {
            joined = whole;
            line = &joined;
            skip = true;
        }
        let (head, opener) = match glued_opener(line) {
            Some(i) => (line[..i].trim(), Some(line[i..].trim())),
            None => ("", Some(line)),
        };
        if !head.is_empty() {
            cur.push(head.to_string());
        }
        let line = opener.unwrap_or_default();
        let wrapped_dateline = || wraps_dateline(line, lines.get(i + 1).map_or("", |l| l.trim()));
        // A brief's heading (`■城区新增停车泊位八百个`) starts a block, even when it is
        // set flush after the brief before it; so does a headline that came out as
        // glyph garbage, and what follows it.
        let garbage = is_garbage_line(line);
        let after_garbage = !cur.is_empty() && last_garbage;
        if LEXICON.opens_brief(line) || garbage != after_garbage {
            flush(&mut cur, &mut blocks);
        }
        last_garbage = garbage;
        if is_opener_line(line) || wrapped_dateline() {
            flush(&mut cur, &mut blocks);
            cur.push(line.to_string());
            if is_standalone_byline(line) {
                flush(&mut cur, &mut blocks);
            }
        } else {
            cur.push(line.to_string());
        }
    }
    flush(&mut cur, &mut blocks);
    blocks
}

/// `line` and `next` as one byline, when `line` is a byline that stops inside a reporter
/// word that `next` finishes (`…何书瑶 通` / `讯员 龙思远`).
fn wrapped_byline(line: &str, next: &str) -> Option<String> {
    let last = last_word(line)?;
    let word = LEXICON
        .reporters
        .iter()
        .find(|w| w.len() > last.len() && w.starts_with(last))?;
    if !next.starts_with(&word[last.len()..]) || !is_standalone_byline(line) {
        return None;
    }
    let whole = format!("{line}{next}");
    is_standalone_byline(&whole).then_some(whole)
}

/// True when the page is hard-wrapped column text (short lines) rather than one line
/// per paragraph.
pub(crate) fn is_hard_wrapped(blocks: &[Vec<String>]) -> bool {
    let mut widths: Vec<usize> = blocks
        .iter()
        .filter(|b| b.len() >= 3)
        .flat_map(|b| b.iter().map(|l| l.chars().count()))
        .collect();
    if widths.len() < 6 {
        return false;
    }
    widths.sort_unstable();
    widths[widths.len() / 2] <= 30
}

/// True when blank lines mark boxes on the page (pdfminer): at least one blank line
/// for every [`LINES_PER_BOX`] lines of text.
pub(crate) fn has_boxes(text: &str) -> bool {
    let (mut lines, mut blanks) = (0usize, 0usize);
    for l in text.lines() {
        if l.trim().is_empty() {
            blanks += 1;
        } else {
            lines += 1;
        }
    }
    blanks * LINES_PER_BOX >= lines
}

/// Lines of text per blank line below which a page is taken to mark its boxes.
const LINES_PER_BOX: usize = 40;

/// The column measure: the most common line width (in display columns) of a page's
/// blocks of three lines or more, or 0 when there are too few.
pub(crate) fn measure(blocks: &[Vec<String>]) -> usize {
    // A count per width (this runs on every page; wider lines are no column's).
    let mut count = [0usize; MAX_MEASURE + 1];
    for l in blocks.iter().filter(|b| b.len() >= 3).flatten() {
        let w = str_width(l);
        if w <= MAX_MEASURE {
            count[w] += 1;
        }
    }
    count
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .max_by_key(|&(w, &n)| (n, w))
        .map_or(0, |(w, _)| w)
}

/// The widest column measure looked for (display columns): a hard-wrapped column is
/// far narrower; a line wider than this is a paragraph of unwrapped text.
const MAX_MEASURE: usize = 160;

/// A line at least this much (display columns) wider than the measure spans columns.
const SPANNING: usize = 4;
/// A line at least this much narrower than the measure is short.
const SHORT: usize = 4;
/// Score at which a line inside a block is taken for a headline (see [`headline_score`]).
const HEADLINE_SCORE: i32 = 4;

/// How much a line of hard-wrapped text looks like a headline standing between two
/// articles in text with no blank lines: what comes before it ends something, what
/// comes after opens something, it is wider than a column (spans columns) or shorter
/// than one, and it carries no sentence punctuation.
fn headline_score(prev: Option<&str>, line: &str, next: Option<&str>, measure: usize) -> i32 {
    let t = line.trim();
    if ends_sentence(t) || t.ends_with(['，', '、', ',']) || is_opener_line(t) {
        return i32::MIN;
    }
    let w = str_width(t);
    let mut score = 0;
    let after_end = prev.is_none_or(|p| ends_something(p) || is_caption(p));
    if after_end {
        score += 2;
    }
    if next.is_some_and(is_opener_line) {
        score += 2;
    }
    if measure > 0 && w >= measure + SPANNING {
        score += 2;
    }
    if measure > 0 && w + SHORT <= measure {
        score += 1;
    }
    if t.contains(['，', '。', '；', '：']) {
        score -= 2;
    }
    score
}

/// Split blocks into paragraphs where a line ends a sentence well short of the column
/// width: in hard-wrapped text that is a paragraph end even without a blank line. Lines
/// that score as headlines ([`headline_score`]) stand apart too.
///
/// On pages whose blank lines already mark boxes (`boxed`: pdfminer, poppler's default
/// order) a headline line stands inside a block only at its top (see
/// [`mark_headline_atop_block`]); text with no boxes (`pdftotext -raw`) needs headlines
/// found anywhere in a block. `measure` is the page's column measure (0: unknown).
pub(crate) fn paragraphs_of(
    block: Vec<String>,
    hard_wrapped: bool,
    measure: usize,
    boxed: bool,
) -> Vec<Para> {
    if !hard_wrapped || block.len() < 2 {
        return vec![Para::new(block)];
    }
    // Where blank lines part the page, a block whose first line fills the column goes
    // on from a column above (an indented first line is a paragraph's start).
    let column_wide = |l: &str| column_wide(l, measure);
    // (A line led by digits is no sure sign: digits are narrower than Han characters,
    // so an indented `6月29日，…` can fill the column's width in characters.)
    let goes_on = boxed
        && measure > 0
        && column_wide(&block[0])
        && !block[0]
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit());
    let cut = boxed && measure > 0 && block.last().is_some_and(|l| column_wide(l));
    let full = block.iter().map(|l| str_width(l)).max().unwrap_or(0);
    let full = if measure > 0 && !boxed {
        full.min(measure + 1)
    } else {
        full
    };
    let mut heads: Vec<bool> = (0..block.len())
        .map(|i| {
            if measure == 0 || boxed {
                return false;
            }
            let prev = i.checked_sub(1).map(|j| block[j].as_str());
            headline_score(
                prev,
                &block[i],
                block.get(i + 1).map(String::as_str),
                measure,
            ) >= HEADLINE_SCORE
        })
        .collect();
    if measure > 0 && boxed {
        mark_headline_atop_block(&block, measure, &mut heads);
    }
    if measure > 0 && !boxed {
        mark_subtitled_headline(&block, measure, &mut heads);
        mark_headline_over_opener(&block, measure, &mut heads);
        mark_spanning_lines(&block, measure, &mut heads);
    }
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let n = block.len();
    for (i, line) in block.into_iter().enumerate() {
        // A headline starts a paragraph of its own (what follows it too).
        if heads[i] && !cur.is_empty() && !(i > 0 && heads[i - 1]) {
            out.push(Para::new(std::mem::take(&mut cur)));
        }
        let short = str_width(&line) + 4 <= full;
        let ends = ends_something(&line);
        let head_ends = heads[i] && !heads.get(i + 1).copied().unwrap_or(false);
        // A photo caption on its line (`图为…  记者 张三 摄`) stands apart, however wide.
        // (Whole: its credit closes the line.)
        let caption = is_caption(&line) && ends_with_credit(&line);
        if caption && !cur.is_empty() {
            out.push(Para::new(std::mem::take(&mut cur)));
        }
        cur.push(line);
        if i + 1 < n && (short && ends || head_ends || caption) {
            out.push(Para::new(std::mem::take(&mut cur)));
        }
    }
    if !cur.is_empty() {
        out.push(Para::new(cur));
    }
    if let Some(first) = out.first_mut() {
        first.goes_on = goes_on && !heads[0];
    }
    if let Some(last) = out.last_mut() {
        last.cut = cut && !heads[n - 1];
    }
    if boxed && measure > 0 && out.len() == 1 {
        out[0].spans = spanning_box(&out[0].lines, measure);
    }
    out
}

/// A box (between blank lines) of at most [`MAX_SPANNING_BOX`] lines, none ending or
/// holding a sentence or a clause, one of them wider than the column by its characters
/// alone (justification spaces widen a column's lines too), at most one as wide as the
/// column: a headline set over several columns, often with its kicker or subtitle in the
/// same box (`一条高速 一小时生活圈 说走就走旅行更惬意` / `别样体验 …` / `郑云高速开启云台休闲生活`).
fn spanning_box(lines: &[String], measure: usize) -> bool {
    let solid = |l: &str| str_width(l) - l.chars().filter(|c| c.is_whitespace()).count();
    lines.len() <= MAX_SPANNING_BOX
        && lines.iter().any(|l| solid(l.trim()) >= measure + SPANNING)
        && lines
            .iter()
            .filter(|l| column_wide(l.trim(), measure))
            .count()
            <= 1
        && lines.iter().all(|l| open_phrase(l.trim()))
}

/// A line with no clause's or sentence's punctuation that ends nothing and opens no
/// article: what a headline's line is.
fn open_phrase(l: &str) -> bool {
    leaves_open(l) && !l.contains(['，', '。', '；', '！', '？']) && !is_opener_line(l)
}

/// A line as wide as the column, give or take the character justification moves.
fn column_wide(line: &str, measure: usize) -> bool {
    (measure.saturating_sub(1)..=measure + 1).contains(&str_width(line))
}

/// Most lines of a box read as a headline over several columns (kicker, title in two
/// lines, subtitle).
const MAX_SPANNING_BOX: usize = 4;

/// A line that ends something: a sentence, an article (`①2`, `（下转二版）`) or its byline
/// printed after it.
pub(crate) fn ends_something(l: &str) -> bool {
    ends_sentence(l) || closing_mark(l).is_some() || end_byline(l).is_some()
}

/// A line that ends nothing, not even a clause, as a headline's line does not.
pub(crate) fn leaves_open(l: &str) -> bool {
    !ends_something(l) && !l.ends_with(['，', '、', ','])
}

/// In text with no blank lines, a `——` subtitle and the headline lines right above it:
/// - a `——` line closing a block (a byline or an opener comes next) takes the short, open
///   lines above it (`脱贫攻坚对贫` / `困村帮扶全覆盖` / `——环保攻坚成绩在全省名列前茅`);
/// - a `——` line wider than the column (no column line is) takes up to
///   [`MAX_HEAD_LINES`] open lines above it, back to where something ended (`（记者李新和）`
///   / `平安焦作建设水平不断提升` / `——我市公众安全感指数位列全省前三名`).
///
/// With no such line above, a `——` line is a quotation's attribution, and stays text.
fn mark_subtitled_headline(block: &[String], measure: usize, heads: &mut [bool]) {
    let n = block.len();
    for i in 0..n {
        let line = block[i].trim();
        if !opens_subtitle(line) || !leaves_open(line) {
            continue;
        }
        let spans = str_width(line) >= measure + SPANNING;
        if i + 1 != n && !spans {
            continue;
        }
        let mut top = i;
        while top > 0 && i - top < MAX_HEAD_LINES {
            let above = block[top - 1].trim();
            if !leaves_open(above) || !spans && str_width(above) + SHORT > measure {
                break;
            }
            top -= 1;
        }
        // Above a spanning subtitle's headline, something must have ended.
        let bounded = top == 0 || !leaves_open(block[top - 1].trim());
        if top < i && (!spans || bounded) {
            heads[top..=i].iter_mut().for_each(|h| *h = true);
        }
    }
}

/// In text with no blank lines, two or three lines in a row wider than the column, with
/// no sentence's punctuation, between lines of the column's measure: a headline set
/// over several columns (kicker and title, or a title in two lines), even where the
/// article above stops open at its column's foot (`…带动第三产业全面发展，` / `有效的监督形式
/// 有力的工作抓手` / `我市市直机关领导班子述职评议大会反响强烈`). One such line alone is scored
/// like any line ([`headline_score`]); more than three are a wider column's text.
fn mark_spanning_lines(block: &[String], measure: usize, heads: &mut [bool]) {
    let spans = |l: &str| {
        let l = l.trim();
        str_width(l) >= measure + SPANNING && open_phrase(l)
    };
    let in_column = |l: &str| str_width(l.trim()) <= measure + 1;
    let mut i = 0;
    while i < block.len() {
        let mut end = i;
        while end < block.len() && spans(&block[end]) {
            end += 1;
        }
        if (2..=MAX_SPANNING_LINES).contains(&(end - i))
            && (i == 0 || in_column(&block[i - 1]))
            && block.get(end).is_some_and(|l| in_column(l))
        {
            heads[i..end].iter_mut().for_each(|h| *h = true);
        }
        i = end.max(i + 1);
    }
}

/// Most lines of a headline over several columns (see [`mark_spanning_lines`]).
const MAX_SPANNING_LINES: usize = 3;

/// In text with no blank lines, a run of short open lines between something that ended
/// and an opening byline or the block's end (`…设置港湾式公交站台22处。` / `家庭医生签约服`
/// / `务覆盖九成村庄` / `本报讯（记者 蒋雨桐）`): a headline in several lines. Body lines fill the column but
/// for a paragraph's last, so two short ones in a row are no body text; one alone is
/// scored like any line ([`headline_score`]).
fn mark_headline_over_opener(block: &[String], measure: usize, heads: &mut [bool]) {
    let open_and_short = |l: &str| {
        let l = l.trim();
        !l.is_empty() && leaves_open(l) && !is_opener_line(l) && str_width(l) + SHORT <= measure
    };
    // A block ends where an opening byline begins the next (see [`blocks`]), or at a
    // blank line: its end stands for the opener too.
    for i in 1..=block.len() {
        if i < block.len() && !is_opener_line(block[i].trim()) {
            continue;
        }
        let mut top = i;
        while top > 0 && i - top < MAX_HEAD_LINES && open_and_short(&block[top - 1]) {
            top -= 1;
        }
        let ended = top == 0 || {
            let above = block[top - 1].trim();
            ends_something(above) || is_caption(above)
        };
        if i - top >= 2 && ended {
            heads[top..i].iter_mut().for_each(|h| *h = true);
        }
    }
}

/// At the top of a block, two or three short lines that end nothing and hold no
/// clause's punctuation, then more lines: a headline the extractor put at the head of
/// the column under it. Poppler reads a headline printed beside its article's first
/// column before the second (`扫黑除恶：扫干净` / `除彻底` / `从8月中旬开始，至`). A paragraph's
/// first line is short by its indent only, with a full line under it: it ends the run.
/// One short line alone is no headline here: it is as likely a paragraph's first; nor
/// is a line with no Han characters (a masthead's pinyin, `LINHE RIBAO`), nor a box of
/// short lines (`今日天气` / `小雨转阴` / `15℃～21℃`).
fn mark_headline_atop_block(block: &[String], measure: usize, heads: &mut [bool]) {
    // Headline lines over a `——` subtitle, whatever their width (`辩论赛对焦作发展意义深远`
    // / `——访“近学许昌、远学扬州，早日跻身全省‘第一方阵’”辩论赛评委林世选` / `“本场比赛…`).
    let titled = |l: &str| {
        l.chars().any(is_han)
            && leaves_open(l)
            && !l.contains(['，', '。', '；', '、', ','])
            && !is_opener_line(l)
    };
    let subtitle = (1..=MAX_HEAD_LINES.min(block.len().saturating_sub(2))).find(|&k| {
        let l = block[k].trim();
        opens_subtitle(l) && leaves_open(l) && block[..k].iter().all(|t| titled(t.trim()))
    });
    if let Some(k) = subtitle {
        heads[..=k].iter_mut().for_each(|h| *h = true);
        return;
    }
    let mut run = 0;
    for (j, line) in block.iter().take(MAX_HEAD_LINES).enumerate() {
        let l = line.trim();
        let w = str_width(l);
        if !titled(l) || w + SHORT > measure {
            break;
        }
        let full_under = block
            .get(j + 1)
            .is_some_and(|n| str_width(n.trim()) + 1 >= measure);
        if full_under && w + SHORT + INDENT_SLACK >= measure {
            break;
        }
        run += 1;
    }
    // Under it, a body line: full, or short by an indent (not a weather box's `15℃～21℃`).
    let body_under = block
        .get(run)
        .is_some_and(|l| str_width(l.trim()) + SHORT + INDENT_SLACK >= measure);
    if run >= 2 && body_under {
        heads[..run].iter_mut().for_each(|h| *h = true);
    }
}

/// How much narrower than the measure (beyond [`SHORT`]) a paragraph's indented first
/// line may come out (justification spreads some lines a character wider).
const INDENT_SLACK: usize = 2;

/// Most lines a headline over a `——` subtitle is read back over.
const MAX_HEAD_LINES: usize = 3;

/// `（记者 张三）`, `（记者 吕正军 整理）`: a byline printed after the body, at the end
/// of its last paragraph or on a line of its own. Returns the byte offset where it starts.
pub(crate) fn end_byline(text: &str) -> Option<usize> {
    let t = text.trim_end();
    if !t.ends_with(['）', ')']) {
        return None;
    }
    let i = t.rfind(['（', '('])?;
    let open = t[i..].chars().next().map_or(1, char::len_utf8);
    let inner = t[i + open..].trim_end_matches(['）', ')']).trim();
    let named = LEXICON
        .reporters
        .iter()
        .any(|r| inner.starts_with(r.as_str()));
    (named && inner.chars().count() <= END_BYLINE_MAX && !inner.contains(['，', '。'])).then_some(i)
}

/// Longest `（记者 …）` taken for a byline at the end (in characters, inside the marks).
const END_BYLINE_MAX: usize = 24;

/// A mark that closes an article at the end of a paragraph: the jump mark `①2`
/// (circled number, then the page code) or `（下转二版）`. Returns (byte offset where the
/// mark starts, where the article continues if it says).
pub(crate) fn closing_mark(text: &str) -> Option<(usize, Option<String>)> {
    let t = text.trim_end();
    // Both kinds end in a bracket or a digit; most lines end in neither.
    if !t.ends_with(|c: char| matches!(c, '）' | ')') || c.is_ascii_digit()) {
        return None;
    }
    // （下转二版） / (下转第2版) / （转二版）
    for open in ['（', '('] {
        if let Some(i) = t.rfind(open) {
            let inner = t[i + open.len_utf8()..].trim_end_matches(['）', ')']);
            if t.ends_with(['）', ')']) && (inner.starts_with("下转") || inner.starts_with("转"))
            {
                let place = inner.trim_start_matches("下转").trim_start_matches('转');
                if place.ends_with('版') && place.chars().count() <= 5 {
                    return Some((i, Some(place.to_string())));
                }
            }
        }
    }
    // ①2, ③5: a circled number and a digit or two.
    let digits = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let before = &t[..t.len() - digits];
    let circled = before.chars().next_back()?;
    if (1..=2).contains(&digits) && ('①'..='⑳').contains(&circled) {
        return Some((before.len() - circled.len_utf8(), None));
    }
    None
}

/// True for a paragraph that reads like a headline: short, a few lines, no sentence
/// punctuation inside and none at the end.
pub(crate) fn is_headline_like(p: &Para) -> bool {
    let text = p.text();
    let n = text.chars().count();
    // A headline never stops on a comma: that is a sentence broken by a column.
    let (most_chars, most_lines) = if p.spans {
        (MAX_SPANNING_HEAD, MAX_SPANNING_BOX)
    } else {
        (48, 3)
    };
    if n == 0
        || n > most_chars
        || p.lines.len() > most_lines
        || ends_sentence(text)
        || text.ends_with(['，', '、', ','])
    {
        return false;
    }
    if closing_mark(text).is_some() || is_opener_line(text) {
        return false;
    }
    !text.contains(['。', '；', '！', '？'])
}

/// Most characters of a headline box set over several columns (kicker and title).
const MAX_SPANNING_HEAD: usize = 96;

/// Join paragraphs that a column break split mid-sentence: `…早日跻身全省` + blank
/// line + `“第一方阵”的奋斗目标…`. `headline_bylines` says the page prints every
/// headline right above a byline, so a short line followed by body text is a fragment.
///
/// Works from the bottom up, so a lone line between two column breaks (`…正在宣传` /
/// `“四城联创”、督导工作的工作人` / `员交谈，…`) is judged together with what it leads into.
pub(crate) fn join_column_breaks(
    paras: Vec<Para>,
    hard_wrapped: bool,
    headline_bylines: bool,
) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    for mut p in paras.into_iter().rev() {
        if let Some(next) = out.last_mut()
            && continues(&p, next, hard_wrapped, headline_bylines)
        {
            p.lines.append(&mut next.lines);
            *next = Para::new(p.lines);
            continue;
        }
        out.push(p);
    }
    out.reverse();
    out
}

fn continues(a: &Para, b: &Para, hard_wrapped: bool, headline_bylines: bool) -> bool {
    let (a_text, b_text) = (a.text(), b.text());
    // A byline printed after the body (`…会实现。”（记者 岳静）`) closes the article as a
    // jump mark does, and a photo's credit its caption.
    if ends_sentence(a_text)
        || closing_mark(a_text).is_some()
        || end_byline(a_text).is_some()
        || opens_caption(a_text) && ends_with_credit(a_text)
    {
        return false;
    }
    // A byline on its own line is not part of the text after it; `本报讯（…）` is.
    let a_byline = a.lines.len() == 1 && is_standalone_byline(&a.lines[0]);
    if a_byline || is_opener_line(b.lines.first().map_or("", |s| s)) {
        return false;
    }
    if opens_subtitle(b_text) || is_headline_like(b) || is_caption(b_text) || is_ad(b_text) {
        return false;
    }
    if !is_headline_like(a) {
        return true;
    }
    if hard_wrapped {
        // A lone line about as wide as the column is the bottom of a column; a clearly
        // shorter one is a subhead. (Justification makes full lines vary by a character
        // or two.)
        // A `——` line, or one wider than the column, is a headline's subtitle or a
        // headline spanning columns, never the bottom of one column.
        let column = b.lines.iter().map(|l| str_width(l)).max().unwrap_or(0);
        let last = str_width(a.last_line());
        let spans =
            a.spans || last >= column + SPANNING || a.lines.iter().any(|l| opens_subtitle(l));
        last + 6 >= column && column > 0 && !spans && !restated(a_text, b_text)
    } else {
        headline_bylines
    }
}

/// True when most of `head`'s word pairs (two Han characters in a row) come back in
/// the first [`RESTATE_CHARS`] characters of `text`: a headline over the lead that says
/// it again (`新材料产业园首批企业投产` / `3月30日，位于高新区的新材料产业园迎来首批企业
/// 集中投产…`), not a column's last line that the next column goes on from.
fn restated(head: &str, text: &str) -> bool {
    let lead: Vec<char> = text.chars().take(RESTATE_CHARS).collect();
    let han: Vec<char> = head.chars().filter(|c| is_han(*c)).collect();
    let pairs = han.windows(2).count();
    let found = han
        .windows(2)
        .filter(|w| lead.windows(2).any(|l| l == *w))
        .count();
    pairs >= RESTATE_MIN_PAIRS && found * 10 >= pairs * RESTATE_SHARE_TENTHS
}

/// How far into the text after it a headline's words are looked for (see [`restated`]).
const RESTATE_CHARS: usize = 120;
/// Fewest word pairs a line needs for its words to tell anything.
const RESTATE_MIN_PAIRS: usize = 5;
/// Share of them (in tenths) the lead must say again.
const RESTATE_SHARE_TENTHS: usize = 6;

/// Where a headline set in a face with no Unicode map comes out as the face's own
/// encoding: a run of Latin-1 letters and typographic signs (`½¾¯¨ ¿ÀÁÂ`, `…†‡ˆ‰Š‹`)
/// that no Chinese page prints. Returns the byte range of the first such run of
/// [`GARBAGE_RUN`] characters or more (spaces and digits inside it allowed).
pub(crate) fn glyph_garbage(text: &str) -> Option<std::ops::Range<usize>> {
    let t = text.trim();
    // A line whose glyphs had no Unicode at all, marked lost by the decoder (`�`).
    if !t.is_empty() && t.chars().all(|c| c == '\u{FFFD}' || c.is_whitespace()) {
        let start = text.len() - text.trim_start().len();
        return Some(start..start + t.len());
    }
    if !may_hold_garbage(text.as_bytes()) || !text.chars().any(is_garbage_char) {
        return None;
    }
    // A line of nothing else, however short (`€‚`, `¡`).
    if t.chars()
        .all(|c| c.is_whitespace() || is_garbage_char(c) || WINANSI_SIGNS.contains(&c))
    {
        let start = text.len() - text.trim_start().len();
        return Some(start..start + t.len());
    }
    let mut start: Option<usize> = None;
    let mut count = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if is_garbage_char(c) {
            if start.is_none() {
                start = Some(i);
                count = 0;
            }
            count += 1;
            end = i + c.len_utf8();
        } else if start.is_some() && !(c.is_whitespace() || c.is_ascii_digit()) {
            if count >= GARBAGE_RUN {
                break;
            }
            start = None;
        }
    }
    start.filter(|_| count >= GARBAGE_RUN).map(|s| s..end)
}

/// A look at the bytes for what can begin a garbage character, as this runs on every
/// line: U+0080..U+02DC begin with C2..CB; of the WinAnsi signs (E2 ..), only `†‡•‰‹›`
/// (E2 80 A0..BA, not `…`), `€` (E2 82 AC) and `™` (E2 84 A2), not the quotes and
/// dashes every Chinese page has.
fn may_hold_garbage(b: &[u8]) -> bool {
    b.iter().any(|x| (0xC2..=0xCB).contains(x))
        || memchr::memchr_iter(0xE2, b).any(|i| {
            matches!(
                (b.get(i + 1), b.get(i + 2)),
                (Some(0x80), Some(0xA0..=0xA5 | 0xA7..=0xBA))
                    | (Some(0x82), Some(0xAC))
                    | (Some(0x84), Some(0xA2))
            )
        })
}

/// A line that is mostly glyph garbage (a kicker may share it).
pub(crate) fn is_garbage_line(line: &str) -> bool {
    glyph_garbage(line).is_some_and(|r| line[r.clone()].chars().count() * 2 >= line.chars().count())
}

/// Characters in a row that make a run of glyph garbage.
const GARBAGE_RUN: usize = 4;

/// Latin-1 and Latin Extended letters and signs, and the typographic signs of
/// WinAnsi (`€‚ƒ„†‡‰‹•™`), as an unmapped face's codes come out.
fn is_garbage_char(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{24F}' | '\u{2C6}'..='\u{2DC}' | '\u{2020}'..='\u{203A}' | '€' | '‚' | '„' | '™')
        && !matches!(c, '·' | '×' | '÷' | '…' | '°')
}

/// WinAnsi's signs that Chinese text uses too: garbage only among garbage.
const WINANSI_SIGNS: &[char] = &['‘', '’', '“', '”', '–', '—', '…', '·'];

/// A photo caption: `图为植树现场。 张双杰 摄`.
pub(crate) fn is_caption(text: &str) -> bool {
    let t = text.trim();
    let credit = ends_with_credit(t);
    opens_caption(t) && t.chars().count() < 200 || credit && t.chars().count() <= 80
}

/// `图为…`, `图：…`: how a photo's caption starts.
fn opens_caption(text: &str) -> bool {
    ["图为", "图：", "图:"]
        .iter()
        .any(|m| text.trim_start().starts_with(m))
}

/// `… 记者 张三 摄`, `（张三 摄）`: a photo's credit closes the text.
fn ends_with_credit(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(['）', ')'])
        .ends_with('摄')
}

/// Advertising and notices printed between articles.
pub(crate) fn is_ad(text: &str) -> bool {
    const MARKS: &[&str] = &[
        "扫一扫",
        "二维码",
        "公众账号",
        "公众号",
        "官方微信",
        "请关注",
        "看精彩内容",
    ];
    // One pass, looking closer only where a mark could start: this runs on every
    // paragraph of every page.
    text.char_indices().any(|(i, c)| {
        matches!(c, '扫' | '二' | '公' | '官' | '请' | '看')
            && MARKS.iter().any(|m| text[i..].starts_with(m))
    })
}

#[cfg(test)]
mod tests {

    use super::*;

    fn lines(ls: &[&str]) -> Vec<String> {
        ls.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn closing_marks() {
        assert_eq!(closing_mark("建议。①2"), Some(("建议。".len(), None)));
        assert_eq!(
            closing_mark("全面发展，（下转二版）"),
            Some(("全面发展，".len(), Some("二版".to_string())))
        );
        assert_eq!(closing_mark("增长了12"), None);
        assert_eq!(closing_mark("（含景区交通费）"), None);
    }

    #[test]
    fn glued_bylines_are_cut_off() {
        let b = blocks(
            "示范区坚决打好秋冬季大气污染\n防治和攻坚战本报讯 （记者郭树勋） 11\n月 22 日上午，示范区",
        );
        assert_eq!(b.len(), 2);
        assert_eq!(b[0], vec!["示范区坚决打好秋冬季大气污染", "防治和攻坚战"]);
        assert!(b[1][0].starts_with("本报讯"));
        let b = blocks(
            "示范区积极落实\n市领导批示精神 本报记者 郭树勋\n《为了“四城联创”》在本报刊发后",
        );
        assert_eq!(b.len(), 3);
        assert_eq!(b[1], vec!["本报记者 郭树勋"]);
        // A brief's heading starts a block of its own, even set flush after a brief.
        let b = blocks("子私自到河塘游泳。\n■中小学生暑期安全提醒\n本报讯 市教育局提");
        assert_eq!(b.len(), 3);
        assert_eq!(b[1], vec!["■中小学生暑期安全提醒"]);
        // A credit mark before the byline is part of it.
        assert_eq!(
            blocks("文/图 本报记者 孟清和"),
            vec![vec!["文/图 本报记者 孟清和"]]
        );
    }

    #[test]
    fn a_byline_wrapped_inside_a_reporter_word_is_one_line() {
        let b =
            blocks("早见效。\n文/图 本报记者 何书瑶 通\n讯员 龙思远\n\n高新区管委会负责人表示，");
        assert_eq!(b[1], vec!["文/图 本报记者 何书瑶 通讯员 龙思远"], "{b:?}");
        assert_eq!(b.len(), 3, "{b:?}");
        // A name that merely starts like a reporter word is left alone.
        let b = blocks("本报记者 何书瑶\n通知要求各单位");
        assert_eq!(b.len(), 2, "{b:?}");
    }

    #[test]
    fn a_headline_with_a_subtitle_is_not_the_bottom_of_a_column() {
        let p = |lines: &[&str]| Para::new(lines.iter().map(|s| s.to_string()).collect());
        let head = p(&[
            "平安焦作建设水平不断提升",
            "——我市公众安全感指数位列全省前三名",
        ]);
        let body = p(&["2018年，我市以落实社会治", "安综合治理领导责任制。"]);
        let joined = join_column_breaks(vec![head.clone(), body.clone()], true, false);
        assert_eq!(joined, vec![head, body.clone()]);
        // A column's last line, as wide as the column, still goes on below.
        let bottom = p(&["的现场打分和分管市领导的"]);
        let joined = join_column_breaks(vec![bottom, body.clone()], true, false);
        assert_eq!(joined.len(), 1);
        // But a byline after the body closes its article: what comes next is another's
        // (here a headline as wide as the column, which alone would read as its foot).
        let signed = p(&["一定会实现。”（记者 岳静）"]);
        let head = p(&["新材料产业园首批企业投产"]);
        let joined = join_column_breaks(vec![signed, head, body.clone()], true, false);
        assert_eq!(joined[0].text(), "一定会实现。”（记者岳静）", "{joined:?}");
        // Nor does a caption go on past its photo's credit (joined, the text under it
        // was taken for part of the caption and dropped with it).
        let caption = p(&["图为读者在市图书馆自习。 王五 摄"]);
        let joined = join_column_breaks(vec![caption, body], true, false);
        assert_eq!(joined.len(), 2, "{joined:?}");
    }

    #[test]
    fn short_open_lines_atop_a_box_are_the_headline_poppler_put_there() {
        let body = [
            "从8月中旬开始，至",
            "11月底结束，我市全面部",
            "署开展扫黑除恶专项斗争",
        ];
        let block = lines(&[&["扫黑除恶：扫干净", "除彻底"][..], &body[..]].concat());
        let paras = paragraphs_of(block, true, 22, true);
        assert_eq!(paras.len(), 2, "{paras:?}");
        assert_eq!(paras[0].text(), "扫黑除恶：扫干净除彻底");
        // A paragraph's first line, short by its indent, with a full line under it.
        let first = lines(&[
            "本次比赛设男子单",
            "打、女子单打、混合双打",
            "和团体赛四个项目。",
        ]);
        assert_eq!(paragraphs_of(first, true, 22, true).len(), 1);
        // A box of short lines (a weather box) heads nothing.
        let weather = lines(&["今日天气", "小雨转阴", "15℃～21℃", "东风3级"]);
        assert_eq!(paragraphs_of(weather, true, 22, true).len(), 1);
        // A title as wide as the column, over a `——` subtitle with a comma in it.
        let block = lines(&[
            "辩论赛对焦作发展意义深远",
            "——访“近学许昌、远学扬州，早日跻身全省”辩论赛评委",
            "“本场比赛双方表现都很出",
            "色，科学的顶层设计和强大",
        ]);
        let paras = paragraphs_of(block, true, 24, true);
        assert_eq!(paras.len(), 2, "{paras:?}");
        assert_eq!(paras[0].lines.len(), 2);
        // Text with no boxes keeps its own rules: the first lines are not a headline.
        let block = lines(&[&["扫黑除恶：扫干净", "除彻底"][..], &body[..]].concat());
        assert_eq!(paragraphs_of(block, true, 22, false).len(), 1);
    }

    #[test]
    fn short_open_lines_after_a_sentence_at_a_block_end_are_a_headline() {
        let block = lines(&[
            "据悉，东环路沿线同步建",
            "设了慢行系统和绿化景观带，",
            "新增绿地面积约9万平方米，",
            "设置港湾式公交站台22处。",
            "家庭医生签约服",
            "务覆盖九成村庄",
        ]);
        let paras = paragraphs_of(block.clone(), true, 26, false);
        assert_eq!(paras.len(), 2, "{paras:?}");
        assert_eq!(paras[1].lines, lines(&["家庭医生签约服", "务覆盖九成村庄"]));
        // Short lines that end in a sentence are a paragraph's last: no headline.
        let mut body = block[..4].to_vec();
        body.extend(lines(&["家庭医生签约服", "务覆盖九成村庄。"]));
        assert_eq!(paragraphs_of(body, true, 26, false).len(), 1);
    }

    #[test]
    fn lines_wider_than_the_column_in_a_row_are_a_headline_over_columns() {
        let column = [
            "实现区域资源有机整合、产",
            "业深度融合发展和社会共同",
            "参与，通过旅游业带动第三",
            "产业全面发展，",
        ];
        let head = [
            "有效的监督形式 有力的工作抓手",
            "我市市直机关领导班子述职评议大会反响强烈",
        ];
        let next = ["一年来，市直机关领导班子", "干了哪些工作，取得哪些成"];
        let block = lines(&[&column[..], &head[..], &next[..]].concat());
        let paras = paragraphs_of(block, true, 24, false);
        assert_eq!(paras.len(), 3, "{paras:?}");
        assert_eq!(paras[1].lines, lines(&head));
        // A wider column's text (more than three such lines, or punctuated) stays text.
        let wide = lines(&[
            "产业全面发展，",
            "实现区域资源有机整合产业深度融合发展和",
            "社会共同参与通过旅游业带动第三产业全面",
            "发展推动全市经济转型升级取得新的突破性",
            "进展和全面发展的新格局已经形成并且巩固",
            "一年来，市直机关领导班子",
        ]);
        let paras = paragraphs_of(wide, true, 24, false);
        assert_eq!(paras.len(), 1, "{paras:?}");
    }

    #[test]
    fn glyph_garbage_is_found_and_chinese_text_is_not() {
        assert!(glyph_garbage("½¾¯¨ ¿ÀÁÂ ÃÄÅÃ 6.8%").is_some());
        let kicked = "关注“双减”…†‡ˆ‰Š‹";
        let r = glyph_garbage(kicked).expect("a run after the kicker");
        assert_eq!(&kicked[..r.start], "关注“双减”…");
        assert_eq!(glyph_garbage("“周末大舞台”唱响百姓心声——文化惠民……"), None);
        assert_eq!(glyph_garbage("气温15°C，PM2.5 指数 · 良"), None);
        assert!(is_garbage_line("š›œ•žŸš"));
        assert!(is_garbage_line("€‚"));
        assert!(is_garbage_line("¡"));
        assert!(!is_garbage_line("“”"));
        assert!(!is_garbage_line(
            "关注“双减”课后服务让家长接孩子不再犯愁…†‡ˆ"
        ));
    }

    #[test]
    fn a_dateline_wrapped_before_its_dian_opens_a_block() {
        let b = blocks("借还图书12万余册。\n新华社武汉3月16日\n电（记者 包静怡）记者\n日前获悉");
        assert_eq!(b.len(), 2);
        assert_eq!(b[1][0], "新华社武汉3月16日");
    }

    #[test]
    fn a_subtitle_closing_a_block_takes_its_headline_lines_along() {
        let block = |lines: &[&str]| lines.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let paras = paragraphs_of(
            block(&[
                "和社会共同参与，通过旅游业",
                "带动第三产业全面发展，",
                "脱贫攻坚对贫",
                "困村帮扶全覆盖",
                "——环保攻坚成绩在全省名列前茅",
            ]),
            true,
            26,
            false,
        );
        let last = paras.last().expect("paragraphs");
        assert_eq!(last.lines[0], "脱贫攻坚对贫");
        assert_eq!(last.lines.len(), 3);
        // A subtitle wider than the column, inside a block, after an article's end.
        let inside = block(&[
            "的贡献。",
            "（记者李新和）",
            "平安焦作建设水平不断提升",
            "——我市公众安全感指数位列全省前三名",
            "2018年，我市以落实社会治",
        ]);
        let mut heads = vec![false; 5];
        mark_subtitled_headline(&inside, 26, &mut heads);
        assert_eq!(heads, vec![false, false, true, true, false]);
        // A quotation's attribution under a finished sentence is no headline.
        let quote = block(&["这是我们共同的心愿，也是", "我们不变的追求。", "——王家鹏"]);
        let mut heads = vec![false; 3];
        mark_subtitled_headline(&quote, 26, &mut heads);
        assert_eq!(heads, vec![false; 3]);
    }

    #[test]
    fn a_whole_caption_line_stands_apart_from_the_headline_below_it() {
        let block: Vec<String> = [
            "心和决心。",
            "图为群众在文化广场观看文艺演出。 记者 张晓光 摄",
            "2018 我们的脚步",
            "这一年，市委书记这样走过",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let paras = paragraphs_of(block, true, 26, false);
        let texts: Vec<&str> = paras.iter().map(|p| p.lines[0].as_str()).collect();
        assert_eq!(
            texts,
            [
                "心和决心。",
                "图为群众在文化广场观看文艺演出。 记者 张晓光 摄",
                "2018 我们的脚步"
            ]
        );
    }

    #[test]
    fn standalone_bylines() {
        assert!(is_standalone_byline("本报记者 岳 静"));
        assert!(is_standalone_byline("本报记者 原文钊"));
        assert!(!is_standalone_byline("本报记者走进云台山景区，深入了解"));
        assert!(!is_standalone_byline("记者走进云台山"));
    }
}
