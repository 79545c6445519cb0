//! Splitting a page into articles.
//!
//! A page of PDF column text is a sequence of paragraphs (see [`reflow`]).
//! Each is classified: a byline that opens an article (`本报讯（记者…）`, `本报记者 …`), body
//! text (maybe closed by `①2` or `（下转二版）`), a headline-like line, a photo caption or
//! an advertisement. Bylines open articles and marks close them; the runs of headline
//! lines between articles are then matched to the article they belong to. Some pages
//! print headlines after their body, others before, and a page can end with a headline
//! that belongs higher up — so the matching weighs what the headline says against each
//! body, not only where it stands.

use super::lexicon::LEXICON;
use super::reflow::{self, Para};
use crate::archive::article::ArticleParts;
use crate::archive::page_head;
use crate::text::join::{join_lines, squeeze_spaces};
use crate::text::script::is_han;
use crate::text::width::print_width;
use std::collections::HashSet;

/// What a paragraph of column text is.
#[derive(Clone, Debug)]
enum Item {
    /// Opens an article; `rest` is body text that follows the byline in the same paragraph.
    Opener {
        byline: Option<String>,
        rest: Option<Body>,
    },
    Body(Body),
    Head(Para),
    /// Captions and ads: not articles.
    Skip,
    /// A small ad's heading: what follows it up to the next headline or byline is the ad.
    AdHeading,
}

#[derive(Clone, Debug, Default)]
struct Body {
    text: String,
    /// Text a column break cut (see `Para::goes_on`).
    goes_on: bool,
    /// Its last line fills the column (see `Para::cut`).
    cut: bool,
    /// Some when a mark closed the article here; inside, where it continues.
    closes: Option<Option<String>>,
    /// A byline printed after the body (`（记者 张三）`), which closes it too.
    byline: Option<String>,
}

impl Body {
    fn new(text: String) -> Body {
        if let Some((at, place)) = reflow::closing_mark(&text) {
            return Body {
                text: text[..at].trim_end().to_string(),
                closes: Some(place),
                ..Body::default()
            };
        }
        if let Some(at) = reflow::end_byline(&text) {
            return Body {
                byline: Some(normalize_byline(&text[at..])),
                text: text[..at].trim_end().to_string(),
                closes: Some(None),
                ..Body::default()
            };
        }
        Body {
            text,
            ..Body::default()
        }
    }
}

fn classify(p: Para) -> Item {
    let first = p.lines.first().map_or("", |s| s.trim());
    if p.lines.len() == 1 && reflow::is_standalone_byline(first) {
        return Item::Opener {
            byline: Some(normalize_byline(first)),
            rest: None,
        };
    }
    let second = p.lines.get(1).map_or("", |l| l.trim());
    if LEXICON.opener_len(first).is_some() || reflow::wraps_dateline(first, second) {
        return opener_with_body(&p);
    }
    if LEXICON.is_furniture(first) {
        return Item::Skip;
    }
    // A small ad in a box of its own: its heading (`寻物启事`) on the first line, the
    // ad's text under it.
    if p.lines.len() >= 2 && p.lines.len() <= AD_LINES && LEXICON.is_ad_heading(first) {
        return Item::Skip;
    }
    // Lines made of furniture only (a date line, `第14637期 今日12版`) wherever the
    // extractor put them: never a headline.
    // (Furniture holds no sentence: that cheap test first, as this runs on every
    // paragraph.)
    if p.lines.len() <= FURNITURE_LINES
        && !p.text().contains(['，', '。', '；', '！', '？'])
        && p.lines
            .iter()
            .all(|l| page_head::is_furniture(l.trim()) || page_head::is_guide_entry(l))
    {
        return Item::Skip;
    }
    let text = p.text().to_string();
    if reflow::is_caption(&text) || page_head::is_weather(&text) {
        return Item::Skip;
    }
    // A headline whose face had no Unicode map still heads an article.
    if text.len() <= 4 * MAX_GARBAGE_HEAD
        && text.chars().count() <= MAX_GARBAGE_HEAD
        && reflow::glyph_garbage(&text).is_some()
    {
        return Item::Head(p);
    }
    // `（记者 张三）` alone closes the article above; it is no headline.
    if reflow::end_byline(&text) == Some(0) {
        return Item::Body(Body::new(text));
    }
    // Headline type is bigger than the body's; a bold title in body type (a brief's)
    // and every headline of a page without sizes go by their shape.
    let headline =
        p.size().is_some_and(|r| r >= reflow::HEAD_RATIO) || reflow::is_headline_like(&p);
    if headline && LEXICON.is_ad_heading(&text) {
        return Item::AdHeading;
    }
    if headline && reflow::is_ad(&text) {
        return Item::Skip;
    }
    if headline || (reflow::opens_subtitle(&text) && text.chars().count() <= 60) {
        return Item::Head(p);
    }
    Item::Body(Body {
        goes_on: p.goes_on,
        cut: p.cut,
        ..Body::new(text)
    })
}

/// Most lines a small ad's box has, its heading included.
const AD_LINES: usize = 8;

/// Longest paragraph with glyph garbage taken for a headline, in characters.
const MAX_GARBAGE_HEAD: usize = 48;

/// Most lines a paragraph of furniture has (a masthead's items, a 导读 box).
const FURNITURE_LINES: usize = 6;

/// `本报讯（记者李秋 实习\n生周唐）近日，…`: the byline from the raw lines (so the space
/// between two names survives), the body from the reflowed text.
fn opener_with_body(p: &Para) -> Item {
    let raw: String = p.lines.concat();
    let raw = raw.trim_start();
    let n = LEXICON.opener_len(raw).unwrap_or(0);
    let opener: String = raw[..n].chars().filter(|c| !c.is_whitespace()).collect();
    let after = raw[n..].trim_start();
    let inner = after
        .strip_prefix(['（', '('])
        .and_then(|inner| inner.find(['）', ')']).map(|j| &inner[..j]))
        .map(normalize_byline)
        .filter(|b| !b.is_empty());
    // `本报讯（记者 张三）` gives who wrote it; a dateline (`新华社郑州5月13日电`) is kept
    // whole, with its parenthesis.
    let byline = if LEXICON.openers.contains(&opener) && opener.ends_with('讯') {
        inner
    } else {
        Some(match inner {
            Some(i) => format!("{opener}（{i}）"),
            None => opener.clone(),
        })
    };
    let text = p.text();
    let body = LEXICON
        .opener_len(text)
        .map_or(text, |n| &text[n..])
        .trim_start();
    let body = match body.strip_prefix(['（', '(']) {
        Some(inner) => inner.find(['）', ')']).map_or(body, |j| {
            let close = inner[j..].chars().next().map_or(1, char::len_utf8);
            &inner[j + close..]
        }),
        None => body,
    };
    let body = body.trim_start_matches(['：', ':', ' ']).trim();
    let rest = (!body.is_empty()).then(|| Body {
        cut: p.cut,
        ..Body::new(body.to_string())
    });
    Item::Opener { byline, rest }
}

/// One space between parts, none inside a name: `本报记者 岳 静` → `本报记者 岳静`.
fn normalize_byline(s: &str) -> String {
    let s = s.trim();
    for prefix in ["本报记者", "本报通讯员", "通讯员", "记者"] {
        if let Some(rest) = s.strip_prefix(prefix)
            && rest.starts_with(char::is_whitespace)
        {
            let names: Vec<&str> = rest.split_whitespace().collect();
            // Two one-character parts are one name spaced out by justification.
            let joined = if names.iter().all(|n| n.chars().count() == 1) {
                names.concat()
            } else {
                names.join(" ")
            };
            return format!("{prefix} {joined}");
        }
    }
    squeeze_spaces(s)
}

#[derive(Debug, Default)]
struct Draft {
    byline: Option<String>,
    paragraphs: Vec<String>,
    /// Opened by a byline (an orphan draft is body text with none).
    opened: bool,
    closed: bool,
    continued: Option<String>,
    /// Closed by its own text (a jump mark, a byline after the body), not only by the
    /// article after it.
    ended: bool,
    /// A headline read before it is waiting for it (see `start_draft`).
    headed: bool,
    /// A headline was read right after it.
    parted: bool,
    /// Its text so far stops at a column's foot (see `Para::cut`).
    cut: bool,
    head: Option<usize>,
    dropped: bool,
    /// Where in `paragraphs` a run of text starts that something else (a caption,
    /// furniture, a subhead) parted from the text above it: see [`regroup_runs`].
    seams: Vec<usize>,
}

#[derive(Debug)]
struct HGroup {
    paras: Vec<Para>,
    prev: Option<usize>,
    next: Option<usize>,
}

impl HGroup {
    /// Its headline lines as one text (what is compared with the articles' words).
    fn text(&self) -> String {
        self.paras.iter().map(Para::text).collect()
    }
}

/// Split a page of column text into articles.
pub(crate) fn split_articles(text: &str) -> Vec<ArticleParts> {
    let unfolded = super::columns::unfold(text);
    let text = unfolded.as_deref().unwrap_or(text);
    let blocks = reflow::blocks(text);
    // Page features, computed once.
    let hard = reflow::is_hard_wrapped(&blocks);
    let boxed = reflow::has_boxes(text);
    let measure = reflow::measure(&blocks);
    let headline_bylines = headlines_sit_on_bylines(&blocks);
    let paras: Vec<Para> = blocks
        .into_iter()
        .flat_map(|b| reflow::paragraphs_of(b, hard, measure, boxed))
        .collect();
    let paras = reflow::join_column_breaks(paras, hard, headline_bylines);
    articles_of(paras, boxed)
}

/// Split paragraphs whose type sizes the page gave (a PDF read directly) into
/// articles: they are already whole (joined across columns) and in reading order.
pub(crate) fn split_sized(paras: Vec<Para>) -> Vec<ArticleParts> {
    articles_of(paras, true)
}

/// The paragraphs of a page, in reading order, into articles. `breaks_are_boxes`: the
/// page itself parted its headline lines (text boxes, type sizes); else the breaks
/// between them are guesses, and only the lines' widths say where a tier ends.
fn articles_of(paras: Vec<Para>, breaks_are_boxes: bool) -> Vec<ArticleParts> {
    let items: Vec<Item> = paras.into_iter().map(classify).collect();

    let mut drafts: Vec<Draft> = Vec::new();
    let mut groups: Vec<HGroup> = Vec::new();
    let mut pending: Vec<usize> = Vec::new(); // groups waiting for the next draft
    let mut i = 0;
    let mut in_ad = false;
    // The earlier draft that text cut by a column break was found to go on in.
    let mut goes_on_in: Option<usize> = None;
    while i < items.len() {
        if in_ad && matches!(items[i], Item::Body(_)) {
            i += 1;
            continue;
        }
        in_ad = matches!(items[i], Item::AdHeading);
        match &items[i] {
            Item::Opener { .. } | Item::Head(_) => goes_on_in = None,
            Item::Body(body) if body.goes_on => goes_on_in = open_sentence_above(&drafts),
            _ => {}
        }
        match &items[i] {
            Item::Opener { byline, rest } => {
                let mut d = Draft {
                    byline: byline.clone(),
                    opened: true,
                    ..Draft::default()
                };
                if let Some(body) = rest {
                    add_body(&mut d, body);
                }
                start_draft(&mut drafts, &mut groups, &mut pending, d);
            }
            // Text cut by a column break, under an article whose text ended: it goes
            // on from an earlier article left open mid-sentence, and so does the text
            // after it, up to the next byline or headline.
            Item::Body(body) if let Some(d) = goes_on_in => add_body(&mut drafts[d], body),
            Item::Body(body) => match drafts.last_mut().filter(|d| !d.closed) {
                Some(d) => {
                    let after_skip = i
                        .checked_sub(1)
                        .is_some_and(|j| matches!(items[j], Item::Skip));
                    if after_skip && !body.goes_on {
                        d.seams.push(d.paragraphs.len());
                    }
                    add_body(d, body)
                }
                None => {
                    let mut d = Draft::default();
                    add_body(&mut d, body);
                    start_draft(&mut drafts, &mut groups, &mut pending, d);
                }
            },
            Item::Head(_) => {
                let start = i;
                while i < items.len() && matches!(items[i], Item::Head(_)) {
                    i += 1;
                }
                let heads = items[start..i].iter().filter_map(|it| match it {
                    Item::Head(p) => Some(p),
                    _ => None,
                });
                let body_follows = matches!(items.get(i), Some(Item::Body(_)));
                // Type much bigger than the body's is a headline, never a subhead.
                // So is a `——` subtitle after a finished sentence: it stands under a
                // headline, never a subhead. (Inside a sentence, it is a neighbour's
                // line that the extractor set among this body's rows.)
                let sentence_done = drafts
                    .last()
                    .and_then(|d| d.paragraphs.last())
                    .is_none_or(|p| reflow::ends_sentence(p));
                // And a kicker of parallel phrases over a title: a subhead is one tier.
                // And, after a finished sentence, a headline in a face with no Unicode
                // map: subheads are set in the body's face, which the extractor read.
                let tiers = tiers_of(&items[start..i], breaks_are_boxes);
                let kicked =
                    tiers.len() >= 2 && tiers[0].lines.iter().any(|l| l.trim().contains(' '));
                // And a box set over several columns: a subhead stands in its column.
                let big = kicked || items[start..i].iter().any(|it| {
                    matches!(it, Item::Head(p) if p.spans || p.size().is_some_and(|r| r >= reflow::SUBHEAD_MAX)
                            || sentence_done && (p.lines.iter().any(|l| reflow::opens_subtitle(l))
                                || reflow::glyph_garbage(p.text()).is_some()))
                });
                // A headline over an earlier article's rest is no subhead of this one
                // (see `rejoin_rests_under_headlines`).
                let subhead = body_follows
                    && !big
                    && drafts.last().is_some_and(|d| d.opened && !d.closed)
                    && (first_columns_up_to(&drafts, drafts.len() - 1) < 2
                        || unreadable(&items[start..i]))
                    && !heads_an_earlier_rest(&drafts, &items[start..i]);
                match drafts.last_mut() {
                    // Subheads inside an article that a byline opened and that goes on
                    // after them.
                    Some(d) if subhead => {
                        d.seams.push(d.paragraphs.len());
                        d.paragraphs.extend(
                            // A lost headline's garbage is no subhead to show.
                            heads
                                .map(|p| p.text().to_string())
                                .filter(|t| !reflow::is_garbage_line(t)),
                        )
                    }
                    cur => {
                        // Anything else ends the article before it.
                        if let Some(d) = cur {
                            d.closed = true;
                        }
                        if let Some(d) = drafts.last_mut() {
                            d.parted = true;
                        }
                        groups.push(HGroup {
                            paras: tiers,
                            prev: drafts.len().checked_sub(1),
                            next: None,
                        });
                        pending.push(groups.len() - 1);
                    }
                }
                continue;
            }
            Item::Skip | Item::AdHeading => {}
        }
        i += 1;
    }
    drop_ads(&mut drafts, &mut groups);
    pair_rests_in_order(&mut drafts, &mut groups);
    rejoin_rests_under_headlines(&mut drafts, &mut groups);
    assign_headlines(&mut drafts, &groups);
    regroup_runs(&mut drafts, &groups);

    let parts: Vec<ArticleParts> = drafts
        .into_iter()
        .filter(|d| !d.dropped && !d.paragraphs.is_empty())
        .map(|d| {
            let (kicker, title, subtitle) = match d.head {
                Some(g) => headline_tiers(&groups[g].paras, &d.paragraphs),
                None => (None, None, None),
            };
            ArticleParts {
                kicker,
                title,
                subtitle,
                byline: d.byline,
                paragraphs: d.paragraphs,
                continued: d.continued,
                continued_from: None,
            }
        })
        .collect();
    if parts.is_empty() {
        return whole_page(&items);
    }
    parts
}

/// A page where no article could be made out (only headline-like fragments, say) is
/// still read: one article with all its text, so nothing on it is lost.
fn whole_page(items: &[Item]) -> Vec<ArticleParts> {
    let mut byline = None;
    let mut paragraphs = Vec::new();
    for item in items {
        match item {
            Item::Opener { byline: b, rest } => {
                byline = byline.take().or_else(|| b.clone());
                paragraphs.extend(rest.iter().map(|r| r.text.clone()));
            }
            Item::Body(b) => paragraphs.push(b.text.clone()),
            Item::Head(p) => paragraphs.push(p.text().to_string()),
            Item::Skip | Item::AdHeading => {}
        }
    }
    paragraphs.retain(|p| !p.is_empty());
    if paragraphs.is_empty() {
        return Vec::new();
    }
    vec![ArticleParts {
        byline,
        paragraphs,
        ..Default::default()
    }]
}

fn start_draft(drafts: &mut Vec<Draft>, groups: &mut [HGroup], pending: &mut Vec<usize>, d: Draft) {
    if let Some(prev) = drafts.last_mut() {
        prev.closed = true;
    }
    let headed = !pending.is_empty();
    drafts.push(Draft { headed, ..d });
    for g in pending.drain(..) {
        groups[g].next = Some(drafts.len() - 1);
    }
}

fn add_body(d: &mut Draft, body: &Body) {
    if !body.text.is_empty() {
        // Text a column break cut finishes the sentence left open.
        match d.paragraphs.last_mut() {
            Some(last) if body.goes_on && reflow::leaves_open(last) => last.push_str(&body.text),
            _ => d.paragraphs.push(body.text.clone()),
        }
        d.cut = body.cut;
    }
    if let Some(place) = &body.closes {
        d.closed = true;
        d.ended = true;
        d.continued = place.clone();
    }
    if d.byline.is_none() {
        d.byline = body.byline.clone();
    }
}

/// Does this page print its headlines directly above standalone bylines (`本报记者 …`)?
/// Then a short line followed by body text is a fragment of a paragraph, not a headline.
fn headlines_sit_on_bylines(blocks: &[Vec<String>]) -> bool {
    let count = blocks
        .windows(2)
        .filter(|w| {
            w[1].len() == 1
                && reflow::is_standalone_byline(&w[1][0])
                && w[0].len() <= 2
                && !reflow::ends_sentence(w[0].last().map_or("", |s| s))
        })
        .count();
    count >= 2
}

/// Body text with no byline that advertises something (`扫一扫`, `官方微信`) is an ad;
/// so is the headline line printed right above it.
fn drop_ads(drafts: &mut [Draft], groups: &mut [HGroup]) {
    for (n, d) in drafts.iter_mut().enumerate() {
        if d.opened || !d.paragraphs.iter().any(|p| reflow::is_ad(p)) {
            continue;
        }
        d.dropped = true;
        if let Some(g) = groups.iter_mut().find(|g| g.next == Some(n))
            && g.paras.len() >= 2
        {
            g.paras.pop();
        }
    }
}

/// A headline printed beside its article's first column is read, with the columns
/// under it, after that first column — and in poppler's order, after its neighbours'
/// first columns too. Body text with no byline under a headline that says much more
/// of an earlier article's lead than of that text (`扫黑除恶：扫干净除彻底` over `从8月中旬
/// 开始…`, with `…扫黑除恶专项斗争的通知》以来` above) is that article's rest, when that
/// article has no headline over it and did not end itself (a jump mark, a byline).
fn rejoin_rests_under_headlines(drafts: &mut [Draft], groups: &mut [HGroup]) {
    for group in groups.iter_mut() {
        let Some(rest) = group.next else {
            continue;
        };
        if drafts[rest].opened || drafts[rest].dropped || group.paras.is_empty() {
            continue;
        }
        let text = group.text();
        if let Some(first) = earlier_article_headed(drafts, &text, rest) {
            take_rest(drafts, group, first, rest);
        }
    }
}

/// Draft `first` takes draft `rest` as the rest of its text, and `group` (the headline
/// over the rest) as its headline.
fn take_rest(drafts: &mut [Draft], group: &mut HGroup, first: usize, rest: usize) {
    let moved = std::mem::take(&mut drafts[rest]);
    drafts[rest].dropped = true;
    let d = &mut drafts[first];
    d.paragraphs.extend(moved.paragraphs);
    d.ended = moved.ended;
    d.continued = moved.continued;
    d.headed = true;
    if d.byline.is_none() {
        d.byline = moved.byline;
    }
    group.prev = Some(first);
    group.next = Some(first);
}

/// The article before draft `here` (within [`REST_REACH`]) whose lead says much more of
/// headline `text` than `here`'s own, and that is a bare first column (see
/// [`bare_first_column`]): the article `text` heads, printed beside its first column.
fn earlier_article_headed(drafts: &[Draft], text: &str, here: usize) -> Option<usize> {
    let head = bigrams(text);
    let sim = |d: usize| similarity(&head, &bigrams(&lead(&drafts[d].paragraphs, LEAD_BYTES)));
    let (best, s) = (here.saturating_sub(REST_REACH)..here)
        .filter(|&d| bare_first_column(&drafts[d]))
        .map(|d| (d, sim(d)))
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    (s >= REJOIN_SIMILARITY && s >= 2.0 * sim(here) + 0.1).then_some(best)
}

/// How many drafts back a headline's first column is looked for: articles set side by
/// side on one page, not the whole of a long file.
const REST_REACH: usize = 8;

/// Whether the headline lines `heads`, read inside the last draft, head an earlier
/// article instead (see [`earlier_article_headed`]).
fn heads_an_earlier_rest(drafts: &[Draft], heads: &[Item]) -> bool {
    let text: String = heads
        .iter()
        .filter_map(|it| match it {
            Item::Head(p) => Some(p.text()),
            _ => None,
        })
        .collect();
    earlier_article_headed(drafts, &text, drafts.len() - 1).is_some()
}

/// The draft, within [`REST_REACH`] above, whose text stops mid-sentence at a column's
/// foot, when the last draft's text ended one: where text cut by a column break goes
/// on.
fn open_sentence_above(drafts: &[Draft]) -> Option<usize> {
    let ended = |d: &Draft| d.paragraphs.last().is_none_or(|p| reflow::ends_sentence(p));
    let last = drafts.len().checked_sub(1)?;
    if !ended(&drafts[last]) {
        return None;
    }
    (last.saturating_sub(REST_REACH)..last).rev().find(|&i| {
        let d = &drafts[i];
        !d.ended
            && d.cut
            && !d.dropped
            && d.paragraphs.last().is_some_and(|p| reflow::leaves_open(p))
    })
}

/// Headline lines that came out as glyph garbage only: nothing to pair by.
fn unreadable(heads: &[Item]) -> bool {
    heads
        .iter()
        .all(|it| matches!(it, Item::Head(p) if reflow::is_garbage_line(p.text())))
}

/// An article's first column with nothing yet to head it: opened by a byline, not ended
/// by its own text, no headline over it.
fn bare_first_column(d: &Draft) -> bool {
    d.opened && !d.ended && !d.dropped && !d.headed
}

/// How many bare first columns stand in a row, with no headline between them, ending
/// with draft `last` (at most [`REST_REACH`]).
fn first_columns_up_to(drafts: &[Draft], last: usize) -> usize {
    let mut n = 0;
    while n <= last && n < REST_REACH && bare_first_column(&drafts[last - n]) {
        // A headline read after this draft parts it from the next.
        if n > 0 && drafts[last - n].parted {
            break;
        }
        n += 1;
    }
    n
}

/// Articles set side by side, each with its headline beside its first column, come out
/// of pdfminer (and poppler's default order) as their first columns one after another,
/// then each headline with the rest under it, in the same order. So
/// `本报讯（记者 聂楠）自中共中央…` and `本报讯（记者 聂楠）改革开放…`, then `扫黑除恶：扫干净除彻底`
/// over `从8月中旬开始…` and `庆祝：四十年看巨变` over `从矿区小城…`: the k-th rest belongs to
/// the k-th first column. Headlines need not repeat their lead (`庆祝：四十年看巨变`), so
/// the order decides; a headline that says clearly more of another first column in
/// the run vetoes it.
fn pair_rests_in_order(drafts: &mut [Draft], groups: &mut [HGroup]) {
    // The headline read right after each draft, if any (a group's `prev`).
    let mut after: Vec<Option<usize>> = vec![None; drafts.len()];
    for (g, group) in groups.iter().enumerate() {
        if let Some(p) = group.prev
            && group.next == p.checked_add(1)
        {
            after[p] = Some(g);
        }
    }
    let mut i = 0;
    while i < drafts.len() {
        let k = first_columns_up_to(drafts, i);
        if k < 2 || drafts.get(i + 1).is_some_and(bare_first_column) {
            i += 1;
            continue;
        }
        // Drafts i+1-k ..= i are first columns; the rests under headlines follow, each
        // headline read right after the draft before it.
        let firsts: Vec<usize> = (i + 1 - k..=i).collect();
        let mut units: Vec<(usize, usize)> = Vec::new(); // (group, rest)
        let mut before = i;
        while units.len() < k {
            let rest = before + 1;
            match (after[before], drafts.get(rest)) {
                (Some(g), Some(d)) if !d.opened && !d.dropped => units.push((g, rest)),
                _ => break,
            }
            before = rest;
        }
        if units.len() == k && in_order_is_best(drafts, groups, &firsts, &units) {
            for (&first, &(g, rest)) in firsts.iter().zip(&units) {
                take_rest(drafts, &mut groups[g], first, rest);
            }
            i += k;
        }
        i += 1;
    }
}

/// No headline of `units` says clearly more of another of `firsts` than of its own.
fn in_order_is_best(
    drafts: &[Draft],
    groups: &[HGroup],
    firsts: &[usize],
    units: &[(usize, usize)],
) -> bool {
    let leads: Vec<Bigrams> = firsts
        .iter()
        .map(|&d| bigrams(&lead(&drafts[d].paragraphs, LEAD_BYTES)))
        .collect();
    units.iter().enumerate().all(|(j, &(g, _))| {
        let head = bigrams(&groups[g].text());
        let own = similarity(&head, &leads[j]);
        leads
            .iter()
            .all(|other| similarity(&head, other) < own + ORDER_VETO)
    })
}

/// How much more of another first column than of its own a headline must say to
/// undo the pairing in order (see [`pair_rests_in_order`]).
const ORDER_VETO: f64 = 0.3;

/// pdfminer's order can give an article's later columns after a neighbour's first
/// (`…接近完成任务。`, then the next article, a caption and `责任编辑`, then `面对今年目标
/// 任务，示范区…`), where they read as that neighbour's. So each run of text that
/// something parted from the text above it (see [`Draft::seams`]), and each draft with
/// neither byline nor headline, goes to the article nearby whose text says clearly more
/// of what the run says than its own does: the words the run shares with the page's
/// other articles are not counted.
fn regroup_runs(drafts: &mut [Draft], groups: &[HGroup]) {
    // The runs to weigh, found without reading any text: most pages have none.
    let runs: Vec<(usize, Vec<usize>)> = drafts
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.dropped)
        .filter_map(|(h, d)| {
            let mut starts = d.seams.clone();
            if !d.opened && d.head.is_none() {
                starts.insert(0, 0);
            }
            (!starts.is_empty()).then_some((h, starts))
        })
        .collect();
    if runs.is_empty() {
        return;
    }
    let head_text = |d: &Draft| d.head.map(|g| groups[g].text()).unwrap_or_default();
    // Each draft's words, worked out once and only for drafts near a run.
    let mut texts: Vec<Option<Bigrams>> = (0..drafts.len()).map(|_| None).collect();
    let mut moves: Vec<(usize, std::ops::Range<usize>, usize)> = Vec::new();
    for (h, starts) in runs {
        // Articles side by side on one page, not the whole of a long file.
        let near: Vec<usize> = (h.saturating_sub(REST_REACH)
            ..(h + REST_REACH + 1).min(drafts.len()))
            .filter(|&c| c != h && !drafts[c].dropped)
            .collect();
        if near.is_empty() {
            continue;
        }
        for &c in &near {
            if texts[c].is_none() {
                let mut t = drafts[c].paragraphs.concat();
                t.push_str(&head_text(&drafts[c]));
                texts[c] = Some(bigrams(&t));
            }
        }
        let d = &drafts[h];
        // The text above each run, gathered as the runs go down the draft.
        let mut above = bigrams(&head_text(d));
        let mut read = 0;
        for (k, &s) in starts.iter().enumerate() {
            let e = starts.get(k + 1).copied().unwrap_or(d.paragraphs.len());
            for p in &d.paragraphs[read..s] {
                above.extend(bigrams(p));
            }
            read = read.max(s);
            if s >= e {
                continue;
            }
            // Bigrams most of the neighbours hold say nothing of where the run belongs.
            let mut run = bigrams(&d.paragraphs[s..e].concat());
            run.retain(|b| {
                let holders = near
                    .iter()
                    .filter(|&&c| texts[c].as_ref().is_some_and(|t| t.contains(b)))
                    .count();
                holders < 2 || holders * 2 < near.len()
            });
            if run.len() < TOPIC_MIN_BIGRAMS {
                continue;
            }
            // A draft with neither byline nor headline is weighed against the text
            // under the run.
            let home = if s == 0 {
                similarity(&run, &bigrams(&d.paragraphs[e..].concat()))
            } else {
                similarity(&run, &above)
            };
            let best = near
                .iter()
                .filter(|&&c| !drafts[c].ended && (drafts[c].opened || drafts[c].head.is_some()))
                .filter_map(|&c| Some((c, similarity(&run, texts[c].as_ref()?))))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((c, score)) = best
                && score * run.len() as f64 >= TOPIC_MIN_SHARED
                && score >= TOPIC_MARGIN * home
                && (s > 0 || score >= ORPHAN_TOPIC_MIN)
            {
                moves.push((h, s..e, c));
            }
        }
    }
    // Runs are taken out from the last, so the ranges of the others stay right.
    let mut taken: Vec<(usize, Vec<String>)> = Vec::new();
    for (h, range, c) in moves.into_iter().rev() {
        let run: Vec<String> = drafts[h].paragraphs.drain(range).collect();
        taken.push((c, run));
    }
    for (c, run) in taken.into_iter().rev() {
        drafts[c].paragraphs.extend(run);
    }
}

/// Fewest distinctive bigrams a run needs for its words to say where it belongs.
const TOPIC_MIN_BIGRAMS: usize = 12;
/// Fewest of a run's distinctive bigrams another article must hold to take it.
const TOPIC_MIN_SHARED: f64 = 20.0;
/// Share of them another article must hold to take a whole draft with neither byline
/// nor headline: text of its own (an article whose headline went elsewhere) has
/// nothing of its own to weigh against.
const ORPHAN_TOPIC_MIN: f64 = 0.25;
/// How many times more of them it must hold than the run's own article.
const TOPIC_MARGIN: f64 = 2.0;

/// How much of a headline an earlier article's lead must share to take the body text
/// under it as its rest (see [`rejoin_rests_under_headlines`]).
const REJOIN_SIMILARITY: f64 = 0.5;

/// A set of bigrams, each packed into a u64 and hashed by one multiplication: this runs
/// over every body of every page, and SipHash was a fifth of parsing time.
type Bigrams = HashSet<u64, std::hash::BuildHasherDefault<PackedHasher>>;

#[derive(Default)]
struct PackedHasher(u64);

impl std::hash::Hasher for PackedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// CJK bigrams of a text (what a headline and its body share).
fn bigrams(text: &str) -> Bigrams {
    let mut set = Bigrams::with_capacity_and_hasher(text.len() / 3, Default::default());
    let mut prev: Option<char> = None;
    for c in text
        .chars()
        .filter(|c| is_han(*c) || c.is_ascii_alphanumeric())
    {
        if let Some(p) = prev {
            set.insert((u64::from(p as u32) << 32) | u64::from(c as u32));
        }
        prev = Some(c);
    }
    set
}

/// Share of the headline's bigrams found in the article (0..=1).
fn similarity(head: &Bigrams, body: &Bigrams) -> f64 {
    if head.is_empty() {
        return 0.0;
    }
    head.iter().filter(|b| body.contains(b)).count() as f64 / head.len() as f64
}

/// How much of a body is compared with headlines (about 500 Chinese characters).
const LEAD_BYTES: usize = 1500;

/// The start of a body, up to `bytes`.
fn lead(paragraphs: &[String], bytes: usize) -> String {
    let mut lead = String::new();
    for p in paragraphs {
        lead.push_str(p);
        if lead.len() >= bytes {
            break;
        }
    }
    let mut cut = bytes.min(lead.len());
    while !lead.is_char_boundary(cut) {
        cut -= 1;
    }
    lead.truncate(cut);
    lead
}

/// How many articles before and after its place a headline may be matched with.
const HEADLINE_REACH: usize = 64;

/// Give each run of headline lines to an article: by the page's habit (headlines after
/// their body, or before), unless what the headline says clearly matches another
/// article that still has none.
fn assign_headlines(drafts: &mut [Draft], groups: &[HGroup]) {
    // A headline sums up the lead: the first few hundred characters are enough to
    // recognise its article, and cheaper than the whole body.
    let bodies: Vec<Bigrams> = drafts
        .iter()
        .map(|d| bigrams(&lead(&d.paragraphs, LEAD_BYTES)))
        .collect();
    let heads: Vec<Bigrams> = groups.iter().map(|g| bigrams(&g.text())).collect();
    let live = |i: Option<usize>, drafts: &[Draft]| i.filter(|&i| !drafts[i].dropped);
    let (mut after, mut before) = (0.0, 0.0);
    for (g, h) in groups.iter().zip(&heads) {
        if let Some(p) = live(g.prev, drafts) {
            after += similarity(h, &bodies[p]);
        }
        if let Some(n) = live(g.next, drafts) {
            before += similarity(h, &bodies[n]);
        }
    }
    let headlines_after = after > before;
    for (gi, g) in groups.iter().enumerate() {
        if g.paras.is_empty() {
            continue;
        }
        let (prev, next) = (live(g.prev, drafts), live(g.next, drafts));
        // A brief's heading (`■…`) stands above its brief on every page.
        let brief = g
            .paras
            .first()
            .is_some_and(|p| LEXICON.opens_brief(p.text()));
        let order = if headlines_after && !brief {
            [prev, next]
        } else {
            [next, prev]
        };
        let free = |i: &usize| drafts[*i].head.is_none();
        let positional = order.into_iter().flatten().find(free);
        // Look for a better match only near the headline: a headline belongs to an
        // article of its own page, and scanning every article for every headline is
        // quadratic (a 100 MB file of 20,000 articles took hours).
        let near = g.prev.or(g.next).unwrap_or(0);
        let window =
            near.saturating_sub(HEADLINE_REACH)..(near + HEADLINE_REACH + 1).min(drafts.len());
        let best = window
            .filter(|i| !drafts[*i].dropped && free(i))
            .map(|i| (i, similarity(&heads[gi], &bodies[i])))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let chosen = match (positional, best) {
            (Some(p), Some((b, sb))) if b != p => {
                let sp = similarity(&heads[gi], &bodies[p]);
                if sb >= 0.5 && sb >= 2.0 * sp + 0.1 {
                    Some(b)
                } else {
                    Some(p)
                }
            }
            (Some(p), _) => Some(p),
            (None, Some((b, sb))) if sb >= 0.5 => Some(b),
            _ => None,
        };
        if let Some(c) = chosen {
            drafts[c].head = Some(gi);
        }
    }
}

/// Cut a headline paragraph into tiers: lines with spaces between phrases (`一条高速
/// 一小时生活圈 说走就走旅行更惬意`) form a tier of their own, and a line much narrower
/// than the one above it (with nothing left open there) starts a new one, and so does a
/// `——` subtitle line, and so do lines of glyph garbage (a title whose face had no
/// Unicode map) among readable ones; the other lines are one headline wrapped. In a text box
/// (`boxed`) the lines are of one type size, and a headline is often broken at a phrase
/// with its first line the shorter (`示范区2020年度` / `城乡居民医保征缴工作启动`);
/// unboxed, lines of all sizes run together, and a line wider than the one above
/// starts a tier too.
fn split_tiers(p: &Para, boxed: bool) -> Vec<Para> {
    let mut tiers: Vec<Vec<String>> = Vec::new();
    let mut prev: Option<(bool, bool, &str)> = None;
    for line in &p.lines {
        let line = line.trim();
        let spaced = line.contains(char::is_whitespace);
        let garbage = reflow::is_garbage_line(line);
        let new_tier = match prev {
            None => true,
            // `——…` is the subtitle, whatever its width.
            Some(_) if reflow::opens_subtitle(line) => true,
            Some((s, g, _)) if s != spaced || g != garbage => true,
            Some((_, _, above)) => {
                // Lines of one known size are one headline wrapped (a new tier comes in
                // a size of its own).
                let (width, above_width) = (print_width(line), print_width(above));
                p.size().is_none()
                    && !spaced
                    && (width * 10 < above_width * 6 && line.chars().count() > TAIL_CHARS
                        || !boxed && width > above_width + WIDER_SLACK)
                    && balanced(above)
            }
        };
        match tiers.last_mut() {
            Some(t) if !new_tier => t.push(line.to_string()),
            _ => tiers.push(vec![line.to_string()]),
        }
        prev = Some((spaced, garbage, line));
    }
    match p.size() {
        Some(ratio) => tiers.into_iter().map(|t| Para::sized(t, ratio)).collect(),
        None => tiers.into_iter().map(Para::new).collect(),
    }
}

/// A line this short (in characters) under a wider one is the end of a headline wrapped
/// (`换届两会：新起点` / `新征程`), never a subtitle of its own.
const TAIL_CHARS: usize = 4;

/// How much wider (in columns) than the line above a line of one wrapped headline can
/// be: digits and Latin letters are narrower than Chinese, so the same measure holds a
/// little more or less.
const WIDER_SLACK: usize = 2;

/// The tiers of a run of headline paragraphs ([`split_tiers`]), read as one paragraph
/// when the breaks between them are not the page's own.
fn tiers_of(items: &[Item], breaks_are_boxes: bool) -> Vec<Para> {
    let heads = items.iter().filter_map(|it| match it {
        Item::Head(p) => Some(p),
        _ => None,
    });
    if breaks_are_boxes {
        return heads.flat_map(|p| split_tiers(p, true)).collect();
    }
    let lines: Vec<String> = heads.flat_map(|p| p.lines.iter().cloned()).collect();
    split_tiers(&Para::new(lines), false)
}

/// No quote or bracket left open (a headline wrapped inside `《…》` goes on).
fn balanced(s: &str) -> bool {
    let opens = s
        .chars()
        .filter(|c| matches!(c, '《' | '“' | '（' | '「' | '『' | '【'))
        .count();
    let closes = s
        .chars()
        .filter(|c| matches!(c, '》' | '”' | '）' | '」' | '』' | '】'))
        .count();
    opens <= closes
}

/// Kicker, title and subtitle from the headline tiers (of an article with `body`). A
/// `——` line is the subtitle.
pub(crate) fn headline_tiers(
    tier_paras: &[Para],
    body: &[String],
) -> (Option<String>, Option<String>, Option<String>) {
    if let Some(tiers) = around_garbage(tier_paras) {
        return tiers;
    }
    let mut tiers: Vec<String> = Vec::new();
    let mut subtitles: Vec<String> = Vec::new();
    for p in tier_paras {
        let spaced = p
            .lines
            .iter()
            .any(|l| l.trim().contains(char::is_whitespace));
        let text = if spaced {
            p.lines
                .iter()
                .flat_map(|l| l.split_whitespace())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            p.text().to_string()
        };
        if reflow::opens_subtitle(&text) {
            subtitles.push(text);
        } else if !text.is_empty() {
            tiers.push(text);
        }
    }
    let sizes: Vec<f32> = tier_paras.iter().filter_map(Para::size).collect();
    if sizes.len() == tier_paras.len() && tiers.len() + subtitles.len() == tier_paras.len() {
        return tiers_by_size(tier_paras, &sizes);
    }
    let (kicker, title, mut rest) = match tiers.len() {
        0 => (None, subtitles.pop(), Vec::new()),
        1 => match kicker_line(tier_paras, body) {
            Some((kicker, title)) => (Some(kicker), Some(title), Vec::new()),
            None => match subtitle_line(tier_paras, body) {
                Some((title, subtitle)) => (None, Some(title), vec![subtitle]),
                None => (None, tiers.pop(), Vec::new()),
            },
        },
        _ if is_kicker(&tiers[0], &tiers[1], body) => {
            let mut it = tiers.into_iter();
            (it.next(), it.next(), it.collect())
        }
        _ => {
            let mut it = tiers.into_iter();
            (None, it.next(), it.collect())
        }
    };
    rest.extend(subtitles);
    let subtitle = (!rest.is_empty()).then(|| rest.join(" "));
    (kicker, title, subtitle)
}

/// A headline whose title came out as glyph garbage ([`reflow::glyph_garbage`]): the
/// title is unreadable (the article's is inferred from its body); what stands before
/// it is the kicker, what stands after the subtitle.
fn around_garbage(tier_paras: &[Para]) -> Option<(Option<String>, Option<String>, Option<String>)> {
    let (g, run) = tier_paras
        .iter()
        .enumerate()
        .find_map(|(i, p)| reflow::glyph_garbage(p.text()).map(|r| (i, r)))?;
    let text = tier_paras[g].text();
    // Only words are kept: digits and signs beside the run belong to the lost title.
    let worded = |s: &str| s.chars().filter(|c| is_han(*c)).count() >= 2;
    let join = |parts: Vec<&str>| {
        let parts: Vec<&str> = parts
            .into_iter()
            .map(str::trim)
            .filter(|s| worded(s))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    };
    let before: Vec<&str> = tier_paras[..g]
        .iter()
        .map(Para::text)
        .chain([&text[..run.start]])
        .collect();
    let after: Vec<&str> = [&text[run.end..]]
        .into_iter()
        .chain(tier_paras[g + 1..].iter().map(Para::text))
        .collect();
    Some((join(before), None, join(after)))
}

/// Tiers whose type sizes are known: the biggest is the title, what stands above it the
/// kicker, what stands below the subtitle.
fn tiers_by_size(
    tier_paras: &[Para],
    sizes: &[f32],
) -> (Option<String>, Option<String>, Option<String>) {
    let text = |p: &Para| {
        let spaced = p.lines.iter().any(|l| l.trim().contains(' '));
        if spaced {
            squeeze_spaces(&p.lines.join(" "))
        } else {
            p.text().to_string()
        }
    };
    let biggest = (0..sizes.len())
        .filter(|&i| !reflow::opens_subtitle(tier_paras[i].text()))
        .max_by(|&a, &b| sizes[a].total_cmp(&sizes[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    let join = |ps: &[Para]| {
        let t: Vec<String> = ps.iter().map(text).filter(|t| !t.is_empty()).collect();
        (!t.is_empty()).then(|| t.join(" "))
    };
    (
        join(&tier_paras[..biggest]),
        Some(text(&tier_paras[biggest])),
        join(&tier_paras[biggest + 1..]),
    )
}

/// Is the first of several headline tiers a kicker (引题) over the title, rather than
/// the title over a subtitle? It is when it is a short name (`示范区教育局`) or says who
/// spoke (`…时强调`). Else the title is the tier that says what the article's lead
/// says: the next tier sharing clearly more of the lead's words than this one makes
/// this one the kicker, clearly fewer the title; between the two, a row of parallel
/// phrases over a plain title is a kicker.
fn is_kicker(tier: &str, next: &str, body: &[String]) -> bool {
    if tier.chars().count() <= KICKER_CHARS
        || ["强调", "指出", "要求", "表示", "说"]
            .iter()
            .any(|w| tier.ends_with(w))
    {
        return true;
    }
    let shared = lead_share(body);
    let says_more = shared(next) - shared(tier);
    says_more >= KICKER_LEAD_MARGIN
        || says_more > -KICKER_LEAD_MARGIN && tier.contains(' ') && !next.contains(' ')
}

/// A headline of two lines, the second as wide as the first or wider, that reads as
/// one title wrapped but is a kicker over its title (`乡村振兴进行时` / `小山楂做成大产业`):
/// in text without type sizes the two look alike, and only the lead tells them apart,
/// saying much of the title and nothing of the kicker. `(kicker, title)`.
fn kicker_line(tier_paras: &[Para], body: &[String]) -> Option<(String, String)> {
    let (p, first) = one_plain_headline(tier_paras)?;
    let rest = &p.lines[1..];
    let title = join_lines(rest);
    // Under a kicker, a title of one line as wide as the kicker or wider, or a title
    // wrapped in two (`项目建设看一线` / `新材料产业园` / `首批企业投产`).
    let title_shaped = match rest {
        [second] => print_width(second.trim()) >= print_width(first),
        [_, _] => true,
        _ => false,
    };
    if !title_shaped {
        return None;
    }
    let shared = lead_share(body);
    (shared(first) <= KICKER_LINE_SHARE && shared(&title) - shared(first) >= KICKER_LEAD_MARGIN)
        .then(|| (first.to_string(), title))
}

/// A headline of two long lines, the second no wider than a subtitle in smaller type
/// would make it nor short as the end of a title wrapped (`数字化：让非遗“活”` /
/// `在指尖`), that reads as one title wrapped but is a title over its subtitle
/// with no `——` (`东环路快速化改造工程全线通车` / `市区东西向通行时间缩短约15分钟`): a
/// title wrapped in one type breaks inside a phrase the body says too (`…大气污染` /
/// `防治…`: `染防`), a title and its subtitle part where the body never joins them.
/// `(title, subtitle)`.
fn subtitle_line(tier_paras: &[Para], body: &[String]) -> Option<(String, String)> {
    let (p, first) = one_plain_headline(tier_paras)?;
    let [_, second] = &p.lines[..] else {
        return None;
    };
    let second = second.trim();
    if first.chars().count() < SUBTITLED_TITLE_CHARS
        || print_width(second) * 4 > print_width(first) * 5
        || print_width(second) * 2 < print_width(first)
        // A clause's comma: text a column cut, not a title.
        || p.text().contains(['，', ','])
    {
        return None;
    }
    let across: String = first
        .chars()
        .last()
        .into_iter()
        .chain(second.chars().next())
        .collect();
    let joined = body.iter().any(|p| p.contains(&across));
    (!joined && !body.is_empty()).then(|| (first.to_string(), second.to_string()))
}

/// Fewest characters of a title's line for the line under it to be read as its
/// subtitle (see [`subtitle_line`]): a shorter first line is a title broken early at
/// a phrase (`示范区2020年度` / `城乡居民医保征缴工作启动`).
const SUBTITLED_TITLE_CHARS: usize = 10;

/// The one headline paragraph (besides `——` subtitles) of a page without type sizes,
/// and its first line, when that line could stand as a tier of its own: one phrase (no
/// spaces), no bracket left open, no brief's mark. What [`kicker_line`] and
/// [`subtitle_line`] weigh.
fn one_plain_headline(tier_paras: &[Para]) -> Option<(&Para, &str)> {
    let mut plain = tier_paras
        .iter()
        .filter(|p| !reflow::opens_subtitle(p.text()));
    let p = plain.next().filter(|_| plain.next().is_none())?;
    let first = p.lines.first()?.trim();
    let alone = p.size().is_none()
        && !first.contains(char::is_whitespace)
        && balanced(first)
        && !LEXICON.opens_brief(first);
    alone.then_some((p, first))
}

/// How much of a headline line's words the lead of `body` says (a share, 0..=1).
fn lead_share(body: &[String]) -> impl Fn(&str) -> f64 {
    let lead = bigrams(&lead(body, TIER_LEAD_BYTES));
    move |t| similarity(&bigrams(t), &lead)
}

/// Most of the lead's words (a share) a kicker line may share: it names a topic or a
/// column, little of the news.
const KICKER_LINE_SHARE: f64 = 0.2;

/// A tier this short (in characters) is a kicker's name or topic (`文化惠民`).
const KICKER_CHARS: usize = 6;
/// How much of the body the title is expected to restate (about 200 characters).
const TIER_LEAD_BYTES: usize = 600;
/// How much more of the lead's words (a share, 0..=1) the next tier must share for the
/// first to be its kicker.
const KICKER_LEAD_MARGIN: f64 = 0.15;

#[cfg(test)]
mod tests {
    use super::*;

    /// A finished article's box (pdfminer's form), ahead of what a test puts after it.
    const FARMLAND: &[&str] = &[
        "本报讯（记者 张三） 河阳县今",
        "年新建高标准农田三万亩，挖掘",
        "机、推土机往来穿梭，施工人员",
        "正在铺设灌溉管道、修建田间道",
        "路，机井和泵房同步建设。",
        "",
    ];

    /// The articles of a page of [`FARMLAND`], then `rest`.
    fn farmland_then(rest: &[&str]) -> Vec<ArticleParts> {
        split_articles(&[FARMLAND, rest].concat().join("\n"))
    }

    /// A headline paragraph of these lines.
    fn p(lines: &[&str]) -> Para {
        Para::new(lines.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn a_garbled_title_is_left_out_and_its_kicker_kept() {
        let (k, t, s) = headline_tiers(&[p(&["关注“双减”"]), p(&["…†‡ˆ‰Š‹", "Œ•Ž••‘’"])], &[]);
        assert_eq!((k.as_deref(), t, s), (Some("关注“双减”"), None, None));
        let (k, t, s) = headline_tiers(&[p(&["½¾¯¨ ¿ÀÁÂ ÃÄÅÃ 6.8%"])], &[]);
        assert_eq!((k, t, s), (None, None, None));
    }

    #[test]
    fn a_kicker_line_as_wide_as_its_title_is_told_by_the_lead() {
        let body = [
            "新材料产业园里，三家企业的新生产线同时投产，园区产值比去年翻了一番，\
                     产业园的建设速度让客商惊叹。"
                .to_string(),
        ];
        let (k, t, _) =
            headline_tiers(&[p(&["高质量发展看园区", "新材料产业园的“加速度”"])], &body);
        assert_eq!(
            (k.as_deref(), t.as_deref()),
            (Some("高质量发展看园区"), Some("新材料产业园的“加速度”"))
        );
        // A title wrapped at a phrase, both lines said by the lead, stays one title.
        let body = ["市人民医院胸痛中心日前通过国家认证，成为全市第一家。".to_string()];
        let (k, t, _) = headline_tiers(&[p(&["市人民医院胸痛", "中心通过国家认证"])], &body);
        assert_eq!(
            (k, t.as_deref()),
            (None, Some("市人民医院胸痛中心通过国家认证"))
        );
        // A kicker over a title wrapped in two lines.
        let body = ["3月30日，位于高新区的新材料产业园迎来首批企业集中投产，\
                     5家企业的生产线同时开机运行。"
            .to_string()];
        let (k, t, _) = headline_tiers(
            &[p(&["项目建设看一线", "新材料产业园", "首批企业投产"])],
            &body,
        );
        assert_eq!(
            (k.as_deref(), t.as_deref()),
            (Some("项目建设看一线"), Some("新材料产业园首批企业投产"))
        );
        // A title wrapped in three lines, its first said by the lead too, stays whole.
        let (k, t, _) =
            headline_tiers(&[p(&["高新区新材料", "产业园首批", "企业集中投产"])], &body);
        assert_eq!(
            (k, t.as_deref()),
            (None, Some("高新区新材料产业园首批企业集中投产"))
        );
    }

    #[test]
    fn a_headline_beside_a_first_column_takes_the_rest_under_it() {
        // Poppler's order: two articles' first columns, then the first one's headline
        // and its second column (a box each).
        let page = [
            "本报讯（记者 张三） 市里开",
            "展扫黑除恶专项斗争以来，各部",
            "门协同推进，扫黑除恶专项斗争",
            "成效显著，群众拍手称快。",
            "",
            "本报讯（记者 李四） 昨日，",
            "市图书馆新馆正式开放，读者纷",
            "纷前来参观借阅图书，现场秩序",
            "井然，气氛热烈。",
            "",
            "扫黑除恶成效",
            "显著见实效",
            "今年以来，全市共破获各类",
            "案件一百余起，打掉犯罪团伙十",
            "个，群众安全感明显提升。",
            "",
        ]
        .join("\n");
        let articles = split_articles(&page);
        assert_eq!(articles.len(), 2, "{articles:#?}");
        let first = &articles[0];
        assert_eq!(first.title.as_deref(), Some("扫黑除恶成效显著见实效"));
        assert!(
            first.paragraphs.last().unwrap().starts_with("今年以来"),
            "{first:#?}"
        );
        // The headline is no subhead of the article read just before it.
        assert!(articles[1].paragraphs.iter().all(|p| !p.contains("扫黑")));
    }

    #[test]
    fn a_rest_read_after_a_neighbour_goes_back_to_the_article_it_speaks_of() {
        // pdfminer's order: the first column of article 1, then article 2 with a
        // caption under it, then article 1's second column. Both columns end a sentence,
        // so only what the text says tells where the second column belongs.
        let articles = farmland_then(&[
            "本报讯（记者 李四） 市图书馆",
            "自本月起延长夜间开放时间，自",
            "习室座位增加到四百个，读者可",
            "以在网上预约座位和借阅图书。",
            "",
            "图为读者在市图书馆自习室看书。 王五 摄",
            "",
            "高标准农田建成后，灌溉管道",
            "铺到田头，机井和泵房覆盖全部",
            "地块，河阳县农民浇地不再排队，",
            "田间道路也让挖掘机、推土机",
            "和收割机开到了地头。",
            "",
        ]);
        assert_eq!(articles.len(), 2, "{articles:#?}");
        assert!(
            articles[0]
                .paragraphs
                .last()
                .unwrap()
                .starts_with("高标准农田建成后"),
            "{articles:#?}"
        );
        assert!(articles[1].paragraphs.iter().all(|p| !p.contains("农田")));
    }

    #[test]
    fn a_box_of_lines_wider_than_the_column_is_a_headline_not_text() {
        // pdfminer's box of a kicker in two lines set over three columns and the title
        // under it (56 characters: longer than a headline of column lines), between a
        // finished article and the next one's byline.
        let articles = farmland_then(&[
            "一河清水 两岸新绿 百里长堤串起城乡美景处处",
            "千家游园 万户花香 四季风光引来八方游客驻足",
            "滨河公园今日开园迎客",
            "",
            "本报讯（记者 李四） 滨河公园",
            "今天正式开园，公园沿河绵延三",
            "公里，种下各类树木两万余株，",
            "市民可以沿河散步、骑行健身。",
            "",
        ]);
        assert_eq!(articles.len(), 2, "{articles:#?}");
        assert!(
            articles[0].paragraphs.iter().all(|p| !p.contains("滨河")),
            "{articles:#?}"
        );
        assert_eq!(articles[1].title.as_deref(), Some("滨河公园今日开园迎客"));
        assert!(
            articles[1]
                .kicker
                .as_deref()
                .is_some_and(|k| k.starts_with("一河清水")),
            "{articles:#?}"
        );
    }

    #[test]
    fn a_headline_as_wide_as_the_column_over_a_lead_that_restates_it_is_no_column_end() {
        // pdfminer's boxes, unindented paragraphs: the headline is as wide as a column
        // line and ends open, as a column's last line would; the lead says it again.
        let page = [
            "作为焦作人，林世选对家乡的",
            "发展充满信心，他说再大的困",
            "难都可以克服。（记者 岳静）",
            "",
            "新材料产业园首批企业投产",
            "",
            "3月30日，位于高新区的新",
            "材料产业园迎来首批企业集",
            "中投产，5家企业的生产线",
            "同时开机运行。",
            "",
        ]
        .join("\n");
        let articles = split_articles(&page);
        let last = articles.last().expect("articles");
        assert_eq!(
            (last.title.as_deref(), last.paragraphs[0].chars().next()),
            (Some("新材料产业园首批企业投产"), Some('3')),
            "{articles:#?}"
        );
    }

    #[test]
    fn a_subtitle_with_no_dash_is_told_from_a_title_wrapped_by_the_body() {
        let body = [
            "4月28日上午，随着最后一段高架桥面完成交通标线施划，东环路快速化改造工程\
                     全线通车，市民从城东到城西只需十来分钟。"
                .to_string(),
        ];
        let (_, t, s) = headline_tiers(
            &[p(&[
                "东环路快速化改造工程全线通车",
                "市区东西向通行时间缩短约15分钟",
            ])],
            &body,
        );
        assert_eq!(
            (t.as_deref(), s.as_deref()),
            (
                Some("东环路快速化改造工程全线通车"),
                Some("市区东西向通行时间缩短约15分钟")
            )
        );
        // Broken inside a phrase the body says (`污染` / `防治`: `染防`): one title.
        let body = ["示范区紧盯年度目标，推动大气污染防治和“三散”污染治理攻坚。".to_string()];
        let (_, t, s) = headline_tiers(
            &[p(&[
                "示范区坚决打好秋冬季大气污染",
                "防治和“三散”污染治理攻坚战",
            ])],
            &body,
        );
        assert_eq!(
            (t.as_deref(), s),
            (
                Some("示范区坚决打好秋冬季大气污染防治和“三散”污染治理攻坚战"),
                None
            )
        );
        // A short end under a long line is a title's end, whatever the body says.
        let (_, t, s) = headline_tiers(&[p(&["数字化：让非遗“活”在指", "尖上传承"])], &body);
        assert_eq!(
            (t.as_deref(), s),
            (Some("数字化：让非遗“活”在指尖上传承"), None)
        );
    }

    #[test]
    fn side_by_side_first_columns_take_the_rests_under_their_headlines_in_order() {
        // pdfminer's order for two articles side by side, each headline beside its
        // first column: both first columns, then each headline with its rest. The
        // second headline shares no word with its first column.
        let page = [
            "本报讯（记者 张三） 市里开",
            "展扫黑除恶专项斗争以来，各部",
            "门协同推进，取得明显成效。",
            "",
            "本报讯（记者 李四） 改革开",
            "放的春风吹拂大地的时候，这座",
            "城市正当年华。",
            "",
            "扫黑除恶见实效",
            "",
            "今年以来，全市共破获各类",
            "案件一百余起，打掉犯罪团伙十",
            "个，群众安全感明显提升。",
            "",
            "庆祝：四十年看巨变",
            "",
            "从矿区小城到区域中心，这",
            "座城市的综合实力不断提升，人",
            "民生活日益改善。",
            "",
        ]
        .join("\n");
        let articles = split_articles(&page);
        let got: Vec<(Option<&str>, &str)> = articles
            .iter()
            .map(|a| (a.title.as_deref(), a.paragraphs.last().unwrap().as_str()))
            .collect();
        assert_eq!(got.len(), 2, "{articles:#?}");
        assert_eq!(got[0].0, Some("扫黑除恶见实效"));
        assert!(got[0].1.starts_with("今年以来"), "{got:?}");
        assert_eq!(got[1].0, Some("庆祝：四十年看巨变"));
        assert!(got[1].1.starts_with("从矿区小城"), "{got:?}");
    }

    #[test]
    fn text_a_column_break_cut_goes_on_in_the_article_left_open() {
        // Poppler's order: article A's column stops mid-sentence at its foot, article
        // B follows and ends, then A's next column, its first line as wide as the column.
        let page = [
            "本报讯（记者 张三） 市里开",
            "展扫黑除恶专项斗争以来，各部",
            "门协同推进，取得明显成效。全",
            "",
            "本报讯（记者 李四） 昨日，",
            "市图书馆新馆正式开放，读者纷",
            "纷前来参观借阅图书，现场秩序",
            "井然。",
            "",
            "市共破获各类案件一百余起，打",
            "掉犯罪团伙十个，群众安全感明",
            "显提升。",
            "",
        ]
        .join("\n");
        let articles = split_articles(&page);
        assert_eq!(articles.len(), 2, "{articles:#?}");
        assert!(
            articles[0].paragraphs[0]
                .ends_with("全市共破获各类案件一百余起，打掉犯罪团伙十个，群众安全感明显提升。"),
            "{articles:#?}"
        );
        assert!(articles[1].paragraphs.iter().all(|p| !p.contains("破获")));
        // An indented first line is a paragraph's start: it stays where it is read.
        let indented = page.replace("市共破获各类案件一百余起，打", "市共破获各类案件一百");
        let articles = split_articles(&indented);
        assert!(
            articles[1].paragraphs.iter().any(|p| p.contains("破获")),
            "{articles:#?}"
        );
    }

    #[test]
    fn a_photo_credit_on_its_line_opens_no_article() {
        assert!(!reflow::is_standalone_byline("通讯员 王子豪 摄"));
        assert!(matches!(
            classify(Para::new(vec!["通讯员 王子豪 摄".into()])),
            Item::Head(_) | Item::Body(_) | Item::Skip
        ));
        assert!(reflow::is_standalone_byline("通讯员 王子豪"));
    }

    #[test]
    fn a_wrapped_dateline_opens_its_article() {
        let p = Para::new(vec![
            "新华社武汉3月16日".into(),
            "电（记者 包静怡）记者日前获悉。".into(),
        ]);
        match classify(p) {
            Item::Opener { byline, rest } => {
                assert_eq!(
                    byline.as_deref(),
                    Some("新华社武汉3月16日电（记者 包静怡）")
                );
                assert_eq!(rest.map(|r| r.text).as_deref(), Some("记者日前获悉。"));
            }
            other => panic!("not an opener: {other:?}"),
        }
    }

    #[test]
    fn an_end_byline_alone_closes_the_article_above() {
        match classify(Para::new(vec!["（记者李新和）".into()])) {
            Item::Body(b) => {
                assert_eq!(b.byline.as_deref(), Some("（记者李新和）"));
                assert!(b.closes.is_some() && b.text.is_empty());
            }
            other => panic!("not a closing byline: {other:?}"),
        }
    }

    #[test]
    fn a_kicker_over_a_title_starts_an_article_not_a_subhead() {
        let page = "郑云高速开启云台休闲生活\n\n本报记者 王言\n\
                    随着郑州至云台山高速公路的全线贯通，车程缩短为一小时左右。\n\n\
                    有效的监督形式 有力的工作抓手\n我市市直机关领导班子述职评议大会反响强烈\n\n\
                    一年来，市直机关领导班子干了哪些工作，取得哪些成效，都摆到了台面上。\n";
        let articles = split_articles(page);
        assert_eq!(articles.len(), 2, "{articles:#?}");
        assert_eq!(
            articles[1].kicker.as_deref(),
            Some("有效的监督形式 有力的工作抓手")
        );
        assert_eq!(
            articles[1].title.as_deref(),
            Some("我市市直机关领导班子述职评议大会反响强烈")
        );
    }

    /// `text`'s paragraphs hard-wrapped at `width` characters, as `pdftotext -raw`
    /// prints a column (no blank lines).
    fn column(paragraphs: &[&str], width: usize) -> String {
        let mut out = String::new();
        for p in paragraphs {
            let chars: Vec<char> = p.chars().collect();
            for line in chars.chunks(width) {
                out.extend(line);
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn a_headline_whose_glyphs_were_lost_starts_an_article_after_a_finished_one() {
        // `-raw` text of a page whose headline face had no Unicode map (the decoder
        // marks each such line `�`), bylines at the end: no byline opens the second
        // article, only its lost headline does.
        let first = [
            "第一篇文章的第一段写的是城里新开的一座图书馆，馆里的书架一直排到了窗边，来看书的人很多。",
            "第一篇文章的第二段说到开馆那天的情形，许多老人带着孙子孙女一早就来排队，门口热闹极了。",
        ];
        let second = [
            "第二篇文章从这里开始，讲的是另一件事：城东的菜市场翻修以后，摊位宽了，过道也亮堂了。",
            "第二篇的第二段也说完了，摊主们说生意比从前好做，买菜的人也愿意多走几步过来看看。",
        ];
        let page = format!(
            "\u{FFFD}\n文/图 本报记者 甲乙\n{}\u{FFFD}\n\u{FFFD}\n{}（记者 丙丁）\n",
            column(&first, 12),
            column(&second, 12)
        );
        let articles = split_articles(&page);
        assert_eq!(articles.len(), 2, "{articles:#?}");
        assert!(articles[1].paragraphs[0].starts_with("第二篇文章从这里开始"));
        assert_eq!(articles[1].byline.as_deref(), Some("（记者丙丁）"));
        // The lost headline is no title, kicker or paragraph.
        for a in &articles {
            assert!(a.title.is_none() && a.kicker.is_none(), "{a:#?}");
            assert!(
                a.paragraphs.iter().all(|p| !p.contains('\u{FFFD}')),
                "{a:#?}"
            );
        }
        // Inside a sentence, it is the headline of an article set beside this one
        // (the sample pages' habit): the article goes on, and nothing shows the mark.
        let body = column(&first, 12);
        // After the second row, inside the first sentence.
        let (top, bottom) = body.split_at(body.match_indices('\n').nth(1).unwrap().0 + 1);
        let page = format!("\u{FFFD}\n文/图 本报记者 甲乙\n{top}\u{FFFD}\n{bottom}");
        let articles = split_articles(&page);
        assert_eq!(articles.len(), 1, "{articles:#?}");
        assert!(
            articles[0]
                .paragraphs
                .iter()
                .all(|p| !p.contains('\u{FFFD}')),
            "{articles:#?}"
        );
        assert!(articles[0].paragraphs.concat().contains("来看书的人很多。"));
    }

    #[test]
    fn which_tier_is_the_title_is_told_by_widths_and_by_the_lead() {
        let tiers = |lines: &[&str], body: &str| {
            headline_tiers(&split_tiers(&p(lines), false), &[body.to_string()])
        };
        // Unboxed, a line wider than the one above starts a tier. The title is the
        // tier that restates the lead.
        let (k, t, s) = tiers(
            &["春管时节走田间", "柳林乡三万亩小麦长势喜人"],
            "眼下正值小麦返青拔节的关键时期，记者日前走进柳林乡，只见连片麦田绿意盎然。",
        );
        assert_eq!(
            (k.as_deref(), t.as_deref(), s),
            (
                Some("春管时节走田间"),
                Some("柳林乡三万亩小麦长势喜人"),
                None
            )
        );
        let (k, t, s) = tiers(
            &[
                "今明两天我",
                "市有明显降温",
                "最低气温将降至零下5℃，请注意防寒保暖",
            ],
            "记者从市气象台获悉，受新一股冷空气影响，今明两天我市将出现明显降温。",
        );
        assert_eq!(
            (k, t.as_deref(), s.as_deref()),
            (
                None,
                Some("今明两天我市有明显降温"),
                Some("最低气温将降至零下5℃，请注意防寒保暖")
            )
        );
        // A few characters under a wider line end the headline: no subtitle is so short.
        for boxed in [true, false] {
            let (k, t, s) = headline_tiers(
                &split_tiers(&p(&["换届两会：新起点", "新征程"]), boxed),
                &[],
            );
            assert_eq!(
                (k, t.as_deref(), s),
                (None, Some("换届两会：新起点新征程"), None)
            );
        }
        // A title whose glyphs were lost (a line of marks) is a tier of its own under
        // its kicker, however narrow.
        let (k, t, s) = headline_tiers(
            &split_tiers(&p(&["为民办实事", "\u{FFFD}", "\u{FFFD}"]), false),
            &[],
        );
        assert_eq!((k.as_deref(), t, s), (Some("为民办实事"), None, None));
        // A brief's bullet takes a full em, as printed: its title wrapped is one tier.
        let (k, t, _) = tiers(
            &["●免费婚检", "服务全面开展"],
            "本月起，全市免费婚检服务全面开展。",
        );
        assert_eq!((k, t.as_deref()), (None, Some("●免费婚检服务全面开展")));
        // A row of parallel phrases over a plain title is a kicker, unless it is what
        // says the lead.
        let (k, t, s) = tiers(
            &["市两会顺利举行 监察委挂牌", "机构改革方案获省批准"],
            "9月30日，市两会胜利闭幕；1月13日，市监察委员会挂牌运行。",
        );
        assert_eq!(
            (k, t.as_deref(), s.as_deref()),
            (
                None,
                Some("市两会顺利举行 监察委挂牌"),
                Some("机构改革方案获省批准")
            )
        );
        let (k, t, _) = tiers(
            &[
                "有效的监督形式 有力的工作抓手",
                "我市市直机关领导班子述职评议大会反响强烈",
            ],
            "一年来，市直机关领导班子干了哪些工作？述职评议大会上都摆到了台面上。",
        );
        assert_eq!(
            (k.as_deref(), t.as_deref()),
            (
                Some("有效的监督形式 有力的工作抓手"),
                Some("我市市直机关领导班子述职评议大会反响强烈")
            )
        );
    }

    #[test]
    fn headline_lines_that_text_without_boxes_parted_are_one_headline() {
        // `-raw` text: short headline lines each end a paragraph, but only their widths
        // say where a tier ends.
        let body = [
            "记者从市气象台获悉，受新一股冷空气影响，今明两天我市将出现明显降温，并伴有四级至五级偏北风。",
            "据预报，今天白天我市多云转阴，最低气温将降至零下五摄氏度，请市民注意防寒保暖，出行注意安全。",
        ];
        let prev = ["上一篇文章写到这里就全部结束了，这一段话说的是上一篇文章里的最后一件事情。"];
        for (head, kicker, title, subtitle) in [
            (
                "今明两天我\n市有明显降温\n最低气温将降至零下5℃，请注意防寒保暖",
                None,
                "今明两天我市有明显降温",
                Some("最低气温将降至零下5℃，请注意防寒保暖"),
            ),
            (
                "冷空气来了 寒潮到了 出门多穿衣\n风大降温 今明两天 注意保暖\n今明两天我市有明显降温",
                Some("冷空气来了 寒潮到了 出门多穿衣 风大降温 今明两天 注意保暖"),
                "今明两天我市有明显降温",
                None,
            ),
        ] {
            let page = format!(
                "{}{head}\n本报讯（记者 许晴川）\n{}",
                column(&prev, 12),
                column(&body, 12)
            );
            let articles = split_articles(&page);
            let a = articles.last().unwrap();
            assert_eq!(
                (
                    a.kicker.as_deref(),
                    a.title.as_deref(),
                    a.subtitle.as_deref()
                ),
                (kicker, Some(title), subtitle),
                "{articles:#?}"
            );
        }
    }

    #[test]
    fn a_small_ad_in_its_own_box_is_no_part_of_the_article_above() {
        // pdfminer's boxes: the ad's heading and text in one box after the last article.
        let page = "全民健身运动会乒乓球比赛落幕\n\n\
                    本报讯（记者 岳子墨）\n10月22日，市第五届全民健身运动会乒乓球比赛\n\
                    在市体育馆落下帷幕，来自各县区的两百余名选手参加了比赛。\n\n\
                    寻物启事\n本人于本月12日在东环路公交站附近遗失黑色公文包一\n\
                    个，内有证件若干，拾到者请与失主联系，必有酬谢。\n电话：0396-8007321\n";
        let articles = split_articles(page);
        assert_eq!(articles.len(), 1, "{articles:#?}");
        let body = articles[0].paragraphs.concat();
        assert!(body.ends_with("参加了比赛。"), "{body}");
    }

    #[test]
    fn bylines_are_normalised() {
        assert_eq!(normalize_byline("本报记者 岳 静"), "本报记者 岳静");
        assert_eq!(
            normalize_byline("记者李秋 实习生周唐"),
            "记者李秋 实习生周唐"
        );
        assert_eq!(normalize_byline("本报记者  原文钊"), "本报记者 原文钊");
    }

    #[test]
    fn tiers() {
        let tiers = |ps: &[Para]| {
            headline_tiers(
                &ps.iter()
                    .flat_map(|p| split_tiers(p, true))
                    .collect::<Vec<_>>(),
                &[],
            )
        };
        let (k, t, s) = tiers(&[p(&[
            "有效的监督形式 有力的工作抓手",
            "我市市直机关领导班子述职评议大会反响强烈",
        ])]);
        assert_eq!(k.as_deref(), Some("有效的监督形式 有力的工作抓手"));
        assert_eq!(
            t.as_deref(),
            Some("我市市直机关领导班子述职评议大会反响强烈")
        );
        assert_eq!(s, None);
        let (k, t, s) = tiers(&[p(&["辩论赛对焦作", "发展意义深远"]), p(&["——访评委林世选"])]);
        assert_eq!(k, None);
        assert_eq!(t.as_deref(), Some("辩论赛对焦作发展意义深远"));
        assert_eq!(s.as_deref(), Some("——访评委林世选"));
        let (k, t, _) = tiers(&[p(&[
            "郑云高速开启云台休闲生活",
            "走郑云游云台",
            "过路费抵门票",
        ])]);
        assert_eq!(k, None);
        assert_eq!(t.as_deref(), Some("郑云高速开启云台休闲生活"));
        // A `——` line under a headline of one box is its subtitle, even when wider.
        let (k, t, s) = tiers(&[p(&[
            "脱贫攻坚对贫困村帮扶全覆盖",
            "——环保攻坚成绩在全省名列前茅",
        ])]);
        assert_eq!(k, None);
        assert_eq!(t.as_deref(), Some("脱贫攻坚对贫困村帮扶全覆盖"));
        assert_eq!(s.as_deref(), Some("——环保攻坚成绩在全省名列前茅"));
        let (_, t, s) = tiers(&[p(&["《为了“四城联创”，有这样一", "群人》报道引发关注"])]);
        assert_eq!(
            t.as_deref(),
            Some("《为了“四城联创”，有这样一群人》报道引发关注")
        );
        assert_eq!(s, None);
    }
}
