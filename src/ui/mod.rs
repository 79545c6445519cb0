//! Pure draw functions: the screen is a function of [`App`]. Every width goes through
//! `crate::text` (one width function); every line handed to ratatui already fits, so
//! ratatui never wraps or cuts a wide glyph for us.

pub mod theme;

use crate::app::{App, Focus, IndexStatus, ListRow, Overlay, keys};
use crate::layout::RowKind;
use crate::text::{grapheme_width, pad_to, str_width, truncate_to};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use theme::Theme;
use unicode_segmentation::UnicodeSegmentation;

/// Draw the whole screen, in the colours of `theme` (see [`Theme::with_colors`]).
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    if app.too_small() || area.width < crate::app::MIN_WIDTH || area.height < crate::app::MIN_HEIGHT
    {
        draw_too_small(frame, area);
        return;
    }
    let panes = app.panes();
    if let Some(list) = panes.list {
        if app.focus == Focus::Search {
            draw_search(frame, app, list, theme);
        } else {
            draw_list(frame, app, list, theme);
        }
    }
    if let Some(d) = panes.divider {
        let lines: Vec<Line> = (0..d.height).map(|_| Line::raw("│")).collect();
        frame.render_widget(Paragraph::new(lines).style(theme.dim), d);
    }
    if let Some(r) = panes.reader {
        draw_reader(frame, app, r, theme);
    }
    draw_status(frame, app, panes.status, theme);
    match app.overlay {
        Some(Overlay::Help) => draw_help(frame, app, theme),
        Some(Overlay::Bookmarks { selected }) => draw_bookmarks(frame, app, selected, theme),
        None => {}
    }
}

/// Text from files, made safe for one terminal row.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn draw_too_small(frame: &mut Frame, area: Rect) {
    let w = area.width as usize;
    let text = if w >= 18 {
        "terminal too small"
    } else {
        "too small"
    };
    let lines = vec![
        Line::raw(truncate_to(text, w)),
        Line::raw(truncate_to("≥ 20x6", w)),
    ];
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_list(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let w = area.width as usize;
    let rows = app.list_rows(app.list_offset, area.height as usize);
    let cursor = app.cursor();
    let mut lines = Vec::new();
    for row in &rows {
        let on_cursor = *row == cursor;
        let cursor_style = if app.focus == Focus::List {
            theme.selected
        } else {
            theme.selected_unfocused
        };
        let header = |text: String, style| {
            let style = if on_cursor { cursor_style } else { style };
            Line::styled(pad_to(&truncate_to(&text, w), w), style)
        };
        match *row {
            ListRow::Paper(p) => {
                let paper = &app.catalog.papers[p];
                let name = paper.name.as_deref().map_or("（未署报名）".into(), clean);
                let fold = fold_mark(app.list.is_folded(*row));
                lines.push(header(
                    format!("{fold}{name} · {}期", paper.issues.len()),
                    theme.header,
                ));
            }
            ListRow::Issue(i) => {
                lines.push(header(
                    issue_label(app, i, app.list.is_folded(*row)),
                    theme.header,
                ));
            }
            ListRow::Page(p) => {
                let page = &app.catalog.pages[p];
                let fold = fold_mark(app.list.is_folded(*row));
                lines.push(header(
                    format!(" {fold}{} ({})", clean(&page.label()), page.articles.len()),
                    theme.dim,
                ));
            }
            ListRow::Article(n) => {
                let Some(a) = app.article(n) else { continue };
                let read = app.state.read.contains(a.id());
                let mark = if app.state.is_bookmarked(a.id()) {
                    '*'
                } else if read {
                    '✓'
                } else {
                    ' '
                };
                let avail = w.saturating_sub(3);
                // Names are never cut (`原…` for 原文钊 misnames a reporter): the byline
                // shows whole, short form first, or not at all when it does not fit.
                let byline = a
                    .byline()
                    .map(|b| {
                        let names = || a.byline_names().map(|n| clean(&n)).unwrap_or_default();
                        fitting_byline(&clean(b), names, avail * 2 / 5)
                    })
                    .unwrap_or_default();
                let by_w = str_width(&byline);
                let gap = if by_w > 0 { 1 } else { 0 };
                // `~`: no headline was printed, the title was made from the lead.
                let title = if a.title_inferred() {
                    format!("~{}", clean(a.title()))
                } else {
                    clean(a.title())
                };
                let title = pad_to(
                    &truncate_to(&title, avail.saturating_sub(by_w + gap)),
                    avail.saturating_sub(by_w + gap),
                );
                let base = if on_cursor {
                    cursor_style
                } else if read {
                    Style::default()
                } else {
                    theme.unread
                };
                let mut spans = vec![
                    Span::styled(truncate_to(&format!(" {mark} "), w), base),
                    Span::styled(title, base),
                ];
                if by_w > 0 {
                    spans.push(Span::styled(" ", base));
                    spans.push(Span::styled(byline, base.patch(theme.byline_on(on_cursor))));
                }
                lines.push(Line::from(spans));
            }
        }
    }
    if !app.catalog_ready {
        lines.push(Line::styled(
            truncate_to("loading the library…", w),
            theme.dim,
        ));
    } else if rows.is_empty() {
        lines.push(Line::raw(truncate_to("No articles in this library.", w)));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// `▸ ` before a folded group's header.
fn fold_mark(folded: bool) -> &'static str {
    if folded { "▸ " } else { "" }
}

/// An issue's header: `▸ 焦作日报 2019-11-25 星期一 · 4版 (23)`; a date worked out
/// from the text gets `~`, and the paper is left out when the list shows it above.
fn issue_label(app: &App, i: usize, folded: bool) -> String {
    let cat = &app.catalog;
    let issue = &cat.issues[i];
    let mut parts = Vec::new();
    if !crate::app::shows_papers(cat)
        && let Some(name) = &cat.papers[issue.paper].name
    {
        parts.push(clean(name));
    }
    parts.push(match issue.date {
        Some(d) if issue.date_inferred => format!("{d}~ {}", d.weekday()),
        Some(d) => format!("{d} {}", d.weekday()),
        None => "undated".into(),
    });
    let pages = issue.pages.len();
    let numbered = cat.pages[issue.pages.clone()]
        .iter()
        .any(|p| p.page.is_some());
    let count = if numbered {
        format!("· {pages}版 ({})", issue.articles.len())
    } else {
        format!("({})", issue.articles.len())
    };
    parts.push(count);
    format!("{}{}", fold_mark(folded), parts.join(" "))
}

fn draw_reader(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let r = &app.reader;
    if r.article.is_none() {
        let msg = if app.catalog_ready {
            "Nothing to read: dubao --library DIR"
        } else {
            ""
        };
        let msg = truncate_to(msg, area.width as usize);
        frame.render_widget(Paragraph::new(msg), area);
        return;
    }
    // A preview whose page is still being read shows the one before it meanwhile (no
    // "loading…" flash, and no screenful of bytes spent on it over a slow link).
    let (rows, scroll, width) = match &r.placeholder {
        Some(p) if r.rows.is_empty() && r.error.is_none() => (&p.rows, p.scroll, p.column),
        _ => (&r.rows, r.scroll, r.column),
    };
    if rows.is_empty() {
        let msg = match &r.error {
            Some(e) => format!("cannot show this article: {}", clean(e)),
            None => "loading…".to_string(),
        };
        let msg = truncate_to(&msg, area.width.saturating_sub(2) as usize);
        let line = Line::styled(msg, theme.dim);
        frame.render_widget(
            Paragraph::new(line),
            area.inner(ratatui::layout::Margin::new(1, 0)),
        );
        return;
    }
    let col = (width as u16).min(area.width);
    let x = area.x + (area.width - col) / 2;
    let column = Rect::new(x, area.y, col, area.height);
    let lines: Vec<Line> = rows
        .iter()
        .skip(scroll)
        .take(area.height as usize)
        .map(|row| {
            let base = match row.kind {
                RowKind::Kicker => theme.dim,
                RowKind::Title => theme.title,
                RowKind::Subtitle => theme.subtitle,
                RowKind::Meta => theme.byline,
                RowKind::Note => theme.dim,
                RowKind::Blank | RowKind::Body(_) => Style::default(),
            };
            Line::from(
                row.spans
                    .iter()
                    .map(|s| {
                        let style = if s.highlight {
                            base.patch(theme.highlight)
                        } else {
                            base
                        };
                        Span::styled(clean(&s.text), style)
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), column);
}

fn draw_search(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let s = &app.search;
    let box_area = Rect::new(area.x, area.y, area.width, 3.min(area.height));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" 搜索 search ", theme.header));
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let (view, caret) = s.input.view(inner.width as usize);
    frame.render_widget(Paragraph::new(view), inner);
    if app.overlay.is_none() && inner.width > 0 && inner.height > 0 {
        let cx = inner.x + (caret as u16).min(inner.width.saturating_sub(1));
        frame.set_cursor_position((cx, inner.y));
    }

    let results = Rect::new(
        area.x,
        area.y + box_area.height,
        area.width,
        area.height.saturating_sub(box_area.height),
    );
    let w = results.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let note = |t: &str| Line::styled(truncate_to(t, w), theme.dim);
    match &s.index {
        IndexStatus::Building(p) if p.files_total == 0 => lines.push(note(
            "indexing… checking the files; search works when it is done",
        )),
        IndexStatus::Building(p) => lines.push(note(&format!(
            "indexing… {}/{} files; search works when it is done",
            p.files_done, p.files_total
        ))),
        IndexStatus::Failed(e) => lines.push(note(&format!("index failed: {}", clean(e)))),
        IndexStatus::Ready => {}
    }
    if let Some(e) = &s.error {
        lines.push(note(&format!("search failed: {}", clean(e))));
    }
    if s.input.text().trim().is_empty() {
        lines.push(note("type words to search every article"));
        lines.push(note(SYNTAX_HINT));
    } else if s.results.is_empty() && !s.pending() && s.index == IndexStatus::Ready {
        lines.push(note("no results"));
    } else if s.pending() && s.results.is_empty() && s.index == IndexStatus::Ready {
        lines.push(note("searching…"));
    }
    if !s.results.is_empty() {
        lines.push(note(&results_header(s)));
    }
    let per_screen = ((results.height as usize).saturating_sub(lines.len()) / 2).max(1);
    let first = (s.selected + 1).saturating_sub(per_screen);
    for (k, hit) in s.results.iter().enumerate().skip(first).take(per_screen) {
        let selected = k == s.selected;
        let style = if selected {
            theme.selected
        } else {
            Style::default()
        };
        let place = clean(&crate::app::result_place(hit));
        let place_w = str_width(&place);
        let title_w = w.saturating_sub(place_w + 2);
        let title = pad_to(&truncate_to(&clean(&hit.title), title_w), title_w);
        lines.push(Line::from(vec![
            Span::styled(
                truncate_to(&format!(" {title} "), w),
                style.patch(theme.bold),
            ),
            Span::styled(truncate_to(&place, w.saturating_sub(title_w + 2)), style),
        ]));
        let mut spans = vec![Span::raw(truncate_to("   ", w))];
        for (text, hl) in snippet_spans(&hit.snippet, &hit.highlights, w.saturating_sub(3)) {
            spans.push(Span::styled(
                text,
                if hl { theme.highlight } else { theme.dim },
            ));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), results);
}

/// The query syntax, in one row under an empty search box.
const SYNTAX_HINT: &str =
    "焦作 \"重点工作\" -会议 jiaozuo title:… by:… date:2019-11 paper:… page:2";

/// `23 results · best first (^S: newest first)`: how many, in which order, how to flip.
fn results_header(s: &crate::app::SearchState) -> String {
    let count = match s.count {
        Some(1) => "1 result".to_string(),
        Some(n) => format!("{n} results"),
        None => format!("{}+ results", s.results.len()),
    };
    format!(
        "{count} · {} (^S: {})",
        s.order.label(),
        s.order.flipped().label()
    )
}

/// A window of `snippet` at most `width` columns wide starting a little before the
/// first highlight, as (text, highlighted) runs. Bad ranges are ignored.
pub(crate) fn snippet_spans(
    snippet: &str,
    highlights: &[std::ops::Range<usize>],
    width: usize,
) -> Vec<(String, bool)> {
    let valid: Vec<&std::ops::Range<usize>> = highlights
        .iter()
        .filter(|r| {
            r.start < r.end
                && r.end <= snippet.len()
                && snippet.is_char_boundary(r.start)
                && snippet.is_char_boundary(r.end)
        })
        .collect();
    let graphemes: Vec<(usize, &str)> = snippet.grapheme_indices(true).collect();
    let first_hl = valid.iter().map(|r| r.start).min().unwrap_or(0);
    // Start up to a quarter of the width before the first match.
    let mut start = graphemes
        .iter()
        .position(|(i, _)| *i >= first_hl)
        .unwrap_or(0);
    let match_at = start;
    let mut lead = 0;
    while start > 0 && lead + grapheme_width(graphemes[start - 1].1) <= width / 4 {
        start -= 1;
        lead += grapheme_width(graphemes[start].1);
    }
    start = snippet_start(&graphemes, start, match_at, NEAR_CLAUSE.min(width / 4));
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut used = 0;
    if start > 0 && width > 1 {
        out.push(("…".into(), false));
        used = 1;
    }
    for &(i, g) in &graphemes[start..] {
        let gw = grapheme_width(g);
        if used + gw > width {
            break;
        }
        used += gw;
        let hl = valid.iter().any(|r| r.start <= i && i < r.end);
        let g = if g.chars().any(char::is_control) {
            " "
        } else {
            g
        };
        match out.last_mut() {
            Some((t, h)) if *h == hl => t.push_str(g),
            _ => out.push((g.to_string(), hl)),
        }
    }
    out
}

/// The byline as the list shows it in at most `room` columns: whole, or its `names`
/// without the role words (`本报讯（记者 原文钊 通讯员 李秋实）` → `原文钊 李秋实`), or
/// nothing: never a name cut short.
fn fitting_byline(byline: &str, names: impl FnOnce() -> String, room: usize) -> String {
    if str_width(byline) <= room {
        return byline.to_string();
    }
    let names = names();
    if !names.is_empty() && str_width(&names) <= room {
        names
    } else {
        String::new()
    }
}

/// Where a snippet window that may start at `start` (and must show `match_at`) should
/// start: just after a clause's punctuation in the lead when there is one, and never
/// inside a number or a Latin word (`11月20日` cut to `1月20日` states a wrong fact).
fn snippet_start(
    graphemes: &[(usize, &str)],
    start: usize,
    match_at: usize,
    near_clause: usize,
) -> usize {
    let ends_clause = |g: &str| g.chars().any(|c| "，。；！？、：,;!?".contains(c));
    // A clause mark a little further back than the lead allows is worth the columns.
    let mut reach = start;
    let mut extra = 0;
    while reach > 0 && extra + grapheme_width(graphemes[reach - 1].1) <= near_clause {
        reach -= 1;
        extra += grapheme_width(graphemes[reach].1);
    }
    if let Some(p) = (reach..match_at)
        .rev()
        .find(|&k| ends_clause(graphemes[k].1))
    {
        return p + 1;
    }
    let wordy = |k: usize| {
        graphemes[k]
            .1
            .chars()
            .all(crate::text::script::is_word_char)
    };
    if start == 0 || start >= match_at || !(wordy(start - 1) && wordy(start)) {
        return start;
    }
    // Inside a word: take it whole when it is short, else start after it.
    let mut back = start;
    while back > 0 && wordy(back - 1) && start - back < WHOLE_WORD {
        back -= 1;
    }
    if back == 0 || !wordy(back - 1) {
        return back;
    }
    let mut s = start;
    while s < match_at && wordy(s) {
        s += 1;
    }
    s
}

/// How many columns further back than its usual lead a snippet may start, to start
/// at a clause.
const NEAR_CLAUSE: usize = 6;

/// A word of up to this many characters cut by a snippet's start is shown whole.
const WHOLE_WORD: usize = 12;

fn draw_status(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let w = area.width as usize;
    let mut right = String::new();
    if let IndexStatus::Building(p) = &app.search.index {
        right.push_str(&gauge(p.files_done, p.files_total, 10));
        right.push(' ');
    }
    let reader_shown = app.panes().reader.is_some();
    if reader_shown && app.reader.article.is_some() {
        // Say what the figures count: the reader's rows, or the list's articles.
        right.push_str(&format!(
            "{}% row {}/{}",
            app.percent(),
            (app.reader.scroll + 1).min(app.reader.rows.len()),
            app.reader.rows.len()
        ));
    } else if !app.catalog.is_empty() && app.focus == Focus::List {
        right.push_str(&format!(
            "article {}/{}",
            app.selected + 1,
            app.catalog.len()
        ));
    }
    let right = truncate_to(&right, w / 2);
    let left_w = w.saturating_sub(str_width(&right) + 1);
    let left = match &app.message {
        Some(m) => clean(m),
        None => keys::status_keys(app, left_w),
    };
    let text = format!("{} {right}", pad_to(&truncate_to(&left, left_w), left_w));
    frame.render_widget(
        Paragraph::new(truncate_to(&text, w)).style(theme.status),
        area,
    );
}

/// `indexing ▕████      ▏ 2/5` in `cells` cells of bar.
pub(crate) fn gauge(done: usize, total: usize, cells: usize) -> String {
    if total == 0 {
        // Nothing to build yet: the index is being checked against the files.
        return "indexing: checking files".into();
    }
    let filled = (done * cells).checked_div(total).unwrap_or(0).min(cells);
    format!(
        "indexing [{}{}] {done}/{total}",
        "#".repeat(filled),
        " ".repeat(cells - filled)
    )
}

/// A box centred on the screen, at most `w` x `h`, with a margin.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2)).max(1);
    let h = h.min(area.height.saturating_sub(2)).max(1);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clear under an overlay, and blank a wide glyph whose right half the overlay's left
/// edge would cover (ratatui's diff would otherwise drop the overlay's first cell).
fn clear_for_overlay(buf: &mut Buffer, area: Rect) {
    if area.x > 0 {
        for y in area.y..area.y + area.height {
            if let Some(cell) = buf.cell_mut((area.x - 1, y))
                && str_width(cell.symbol()) > 1
            {
                cell.set_symbol(" ");
            }
        }
    }
}

/// A bordered box over the screen; `bottom`, when not empty, goes in its lower border.
fn overlay_frame(frame: &mut Frame, area: Rect, title: &str, bottom: &str, theme: &Theme) -> Rect {
    clear_for_overlay(frame.buffer_mut(), area);
    frame.render_widget(Clear, area);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title.to_string(), theme.header));
    if !bottom.is_empty() {
        block = block.title_bottom(Span::styled(bottom.to_string(), theme.dim));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// The keys, in one or two columns; when the screen is too short for them all they
/// scroll (`app.help_scroll`) and the lower border says how many are out of sight.
fn draw_help(frame: &mut Frame, app: &App, theme: &Theme) {
    let rows = keys::help_rows(&app.keymap);
    let full = frame.area();
    let (columns, shown, per_column) = keys::help_layout(full.width, full.height, rows.len());
    let scroll = app.help_scroll.min(per_column - shown);
    let box_w = if columns == 2 { 124 } else { 64 };
    let mut area = centered(full, box_w, shown as u16 + 2);
    if full.width < 60 {
        // Narrow: no side margins, every column counts.
        area.x = full.x;
        area.width = full.width;
    }
    let (title, bottom) = if per_column > shown {
        let below = per_column - shown - scroll;
        let bottom = match (scroll, below) {
            (0, n) => format!(" ↓ {n} more "),
            (n, 0) => format!(" ↑ {n} more "),
            (up, down) => format!(" ↑ {up} ↓ {down} "),
        };
        (" keys (↑↓ scroll) ", bottom)
    } else {
        (" keys (any key closes) ", String::new())
    };
    let inner = overlay_frame(frame, area, title, &bottom, theme);
    let col_w = (inner.width as usize + 1) / columns;
    let first_w = if columns == 1 {
        inner.width as usize
    } else {
        col_w - 1
    };
    // Wide enough for the longest keys, unless that would cut what they do.
    let longest_key = rows.iter().map(|(k, _)| str_width(k)).max().unwrap_or(0);
    let longest_what = rows.iter().map(|(_, w)| str_width(w)).max().unwrap_or(0);
    let key_w = (longest_key + 1).min(first_w.saturating_sub(longest_what).max(first_w * 2 / 5));
    let cell = |(k, what): &(String, &str), w: usize| -> Vec<Span<'static>> {
        vec![
            // One column always separates the keys from what they do.
            Span::styled(
                pad_to(&truncate_to(k, key_w.saturating_sub(1)), key_w),
                theme.bold,
            ),
            Span::raw(pad_to(
                &truncate_to(what, w.saturating_sub(key_w)),
                w.saturating_sub(key_w),
            )),
        ]
    };
    let lines: Vec<Line> = (scroll..scroll + shown)
        .map(|r| {
            let mut spans = Vec::new();
            for c in 0..columns {
                if let Some(row) = rows.get(c * per_column + r) {
                    // The last column takes what is left, less the gap between columns.
                    let w = if c + 1 == columns {
                        inner.width as usize - c * col_w
                    } else {
                        col_w - 1
                    };
                    if c > 0 {
                        spans.push(Span::raw(" "));
                    }
                    spans.extend(cell(row, w));
                }
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_bookmarks(frame: &mut Frame, app: &App, selected: usize, theme: &Theme) {
    let marks = app.bookmarks();
    let area = centered(frame.area(), 70, marks.len().max(1) as u16 + 2);
    let inner = overlay_frame(frame, area, " bookmarks ", "", theme);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    if marks.is_empty() {
        lines.push(Line::raw(truncate_to(
            "no bookmarks yet: m marks an article",
            w,
        )));
    }
    let h = inner.height as usize;
    let first = (selected + 1).saturating_sub(h);
    for (k, &n) in marks.iter().enumerate().skip(first).take(h) {
        let Some(a) = app.article(n) else { continue };
        let date = app
            .issue_of(n)
            .and_then(|i| i.date)
            .map(|d| d.to_string())
            .unwrap_or_default();
        let title_w = w.saturating_sub(str_width(&date) + 1);
        let text = format!(
            "{} {date}",
            pad_to(&truncate_to(&clean(a.title()), title_w), title_w)
        );
        let style = if k == selected {
            theme.selected
        } else {
            Style::default()
        };
        lines.push(Line::styled(truncate_to(&text, w), style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::snippet_spans;

    fn shown(snippet: &str, needle: &str, width: usize) -> String {
        let at = snippet.find(needle).unwrap();
        let hl: Vec<std::ops::Range<usize>> = std::iter::once(at..at + needle.len()).collect();
        snippet_spans(snippet, &hl, width)
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    }

    #[test]
    fn the_results_header_counts_in_words() {
        let mut s = crate::app::App::loading(Default::default(), 40).search;
        s.count = Some(1);
        assert_eq!(
            super::results_header(&s),
            "1 result · best first (^S: newest first)"
        );
        s.count = Some(26);
        s.order = s.order.flipped();
        assert_eq!(
            super::results_header(&s),
            "26 results · newest first (^S: best first)"
        );
    }

    #[test]
    fn bylines_show_whole_names_or_nothing() {
        use super::fitting_byline;
        let b = "本报讯（记者 原文钊 通讯员 李秋实）";
        let names = || "原文钊 李秋实".to_string();
        assert_eq!(fitting_byline(b, names, 40), b);
        assert_eq!(fitting_byline(b, names, 16), "原文钊 李秋实");
        assert_eq!(fitting_byline(b, names, 10), "");
    }

    #[test]
    fn a_snippet_never_starts_inside_a_number() {
        // The lead before the match is the last 10 columns or so: it would start in "11".
        let s = "会上，2019年11月20日示范区召开重点工作汇报会";
        let out = shown(s, "示范区", 28);
        assert!(!out.contains("…1月") && !out.contains("…019"), "{out}");
        assert!(out.starts_with("…11月20日示范区"), "{out}");
    }

    #[test]
    fn a_snippet_starts_after_a_clause_mark_in_its_lead() {
        let s = "前面很长的一段文字没有标点符号，项目今天开工建设";
        let out = shown(s, "开工", 30);
        assert!(out.starts_with("…项目"), "{out}");
    }

    #[test]
    fn a_snippet_never_starts_inside_a_latin_word() {
        let s = "用户反映Bluetooth连接不稳定的问题已经解决";
        let out = shown(s, "连接", 20);
        assert!(out.starts_with("…Bluetooth连接"), "{out}");
    }
}
