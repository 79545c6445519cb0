//! What the terminal shows, kept by the backend, so that text moving up or down the
//! screen is moved by the terminal instead of being written again.
//!
//! ratatui sends the backend the cells that changed since the last frame. When the
//! reader scrolls one row, that is every row of the text: about 3 KB at 100×30. A
//! terminal can move rows itself: a scroll region (DECSTBM) and index / reverse index
//! (IND, RI; VT100's, so every terminal and tmux has them). The backend keeps the screen
//! as it last drew it, finds rows of the new frame that are rows of the old one moved
//! up or down, has the terminal move them, and writes only what still differs: for a
//! `j`, the one new row and the status line.
//!
//! A scroll region spans the screen's whole width, so only rows that moved whole are
//! moved this way: a reader as wide as the screen, not a pane beside the list.

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Rect, Size};
use std::hash::{BuildHasher, BuildHasherDefault};
use unicode_width::UnicodeWidthStr;

/// Rows that must move for a scroll to pay for its escape sequences (about 20 bytes).
const MIN_ROWS_SAVED: usize = 3;

/// The screen as the terminal shows it, or `None` when that is not known (before the
/// size is known, after an inline append): then nothing is moved.
#[derive(Default)]
pub(crate) struct Shadow {
    screen: Option<Buffer>,
}

/// Rows `top..=bottom` (0-based) moved `by` rows: up when positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scroll {
    pub(crate) top: u16,
    pub(crate) bottom: u16,
    pub(crate) by: i16,
}

impl Scroll {
    /// The escape sequences that move the rows: set the region, index at its bottom (or
    /// reverse index at its top) once a row, then give the whole screen back. Colours
    /// are reset first, so the rows that come in are blank in the default colours.
    pub(crate) fn escapes(&self) -> String {
        let (top, bottom) = (self.top + 1, self.bottom + 1);
        let mut s = format!("\x1b[0m\x1b[{top};{bottom}r");
        let n = usize::from(self.by.unsigned_abs());
        if self.by > 0 {
            s.push_str(&format!("\x1b[{bottom};1H"));
            s.push_str(&"\x1bD".repeat(n));
        } else {
            s.push_str(&format!("\x1b[{top};1H"));
            s.push_str(&"\x1bM".repeat(n));
        }
        s.push_str("\x1b[r");
        s
    }
}

impl Shadow {
    /// The screen was cleared: blank, of this size (`None`: size unknown).
    pub(crate) fn cleared(&mut self, size: Option<Size>) {
        self.screen = size.map(|s| Buffer::empty(Rect::new(0, 0, s.width, s.height)));
    }

    /// What the screen holds is no longer known.
    pub(crate) fn forget(&mut self) {
        self.screen = None;
    }

    /// Take a frame's changed cells; say whether to move rows first, and which cells to
    /// write after that. Without a move, the cells are the ones given.
    pub(crate) fn plan(
        &mut self,
        updates: Vec<(u16, u16, Cell)>,
    ) -> (Option<Scroll>, Vec<(u16, u16, Cell)>) {
        let Some(old) = self.screen.as_ref() else {
            return (None, updates);
        };
        let area = old.area;
        if updates
            .iter()
            .any(|(x, y, _)| *x >= area.width || *y >= area.height)
        {
            // Drawn outside the screen we know: our picture is wrong; stop using it.
            self.screen = None;
            return (None, updates);
        }
        // A move pays only when rows it moves changed: with fewer changed rows than
        // that, none can (the common frame: a cursor, a status line), and the screen we
        // know is updated where it stands, without a copy or a search.
        let mut rows: Vec<u16> = updates.iter().map(|(_, y, _)| *y).collect();
        rows.sort_unstable();
        rows.dedup();
        if rows.len() < MIN_ROWS_SAVED {
            if let Some(screen) = self.screen.as_mut() {
                write_cells(screen, &updates);
            }
            return (None, updates);
        }
        let mut new = old.clone();
        write_cells(&mut new, &updates);
        let scroll = find_scroll(old, &new);
        let cells = match scroll {
            Some(s) => {
                let moved = moved(old, s);
                moved
                    .diff(&new)
                    .into_iter()
                    .map(|(x, y, c)| (x, y, c.clone()))
                    .collect()
            }
            None => updates,
        };
        self.screen = Some(new);
        (scroll, cells)
    }
}

/// Write changed cells into a screen as the terminal shows them.
fn write_cells(screen: &mut Buffer, updates: &[(u16, u16, Cell)]) {
    let width = screen.area.width;
    for (x, y, cell) in updates {
        let i = screen.index_of(*x, *y);
        screen.content[i] = cell.clone();
        // ratatui never sends the cells a wide glyph covers (its diff skips them): they
        // hold nothing the terminal shows. Its own width, not ours, says how many: this
        // mirrors its diff.
        let covered = UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
        let room = usize::from(width - *x - 1);
        for k in 1..=covered.min(room) {
            screen.content[i + k] = Cell::EMPTY;
        }
    }
}

/// A hash of each row's cells.
fn row_hashes(b: &Buffer) -> Vec<u64> {
    let w = usize::from(b.area.width).max(1);
    let hasher = BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default();
    b.content
        .chunks(w)
        .map(|row| hasher.hash_one(row))
        .collect()
}

/// The move that leaves the most rows in place: a run of new rows that are old rows
/// `by` rows further down (or up), counting only rows that changed.
fn find_scroll(old: &Buffer, new: &Buffer) -> Option<Scroll> {
    let (o, n) = (row_hashes(old), row_hashes(new));
    let h = o.len();
    let mut best: Option<(usize, Scroll)> = None;
    for by in 1..h {
        for up in [true, false] {
            // New row y shows old row `from(y)`.
            let from = |y: usize| if up { y + by } else { y.wrapping_sub(by) };
            let rows = if up { 0..h - by } else { by..h };
            let mut run_start = None;
            let mut saved = 0;
            // One step past the rows ends the last run.
            for y in rows.start..=rows.end {
                let same = y < rows.end && n[y] == o[from(y)];
                match (same, run_start) {
                    (true, None) => {
                        run_start = Some(y);
                        saved = usize::from(n[y] != o[y]);
                    }
                    (true, Some(_)) => saved += usize::from(n[y] != o[y]),
                    (false, Some(start)) => {
                        run_start = None;
                        let end = y; // exclusive
                        let s = if up {
                            Scroll {
                                top: start as u16,
                                bottom: (end + by - 1) as u16,
                                by: by as i16,
                            }
                        } else {
                            Scroll {
                                top: (start - by) as u16,
                                bottom: (end - 1) as u16,
                                by: -(by as i16),
                            }
                        };
                        if saved >= MIN_ROWS_SAVED && best.is_none_or(|(b, _)| saved > b) {
                            best = Some((saved, s));
                        }
                    }
                    (false, None) => {}
                }
            }
        }
    }
    best.map(|(_, s)| s)
}

/// The old screen with the rows moved as the terminal moves them.
fn moved(old: &Buffer, s: Scroll) -> Buffer {
    let mut b = old.clone();
    let w = usize::from(old.area.width);
    let (top, bottom) = (usize::from(s.top), usize::from(s.bottom));
    let by = usize::from(s.by.unsigned_abs());
    for y in top..=bottom {
        let src = if s.by > 0 {
            (y + by <= bottom).then_some(y + by)
        } else {
            (y >= top + by).then(|| y - by)
        };
        for x in 0..w {
            b.content[y * w + x] = match src {
                Some(sy) => old.content[sy * w + x].clone(),
                None => Cell::EMPTY,
            };
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen(rows: &[&str]) -> Buffer {
        Buffer::with_lines(rows.iter().copied())
    }

    /// Cells of `new` that differ from `old`, as ratatui would send them.
    fn updates(old: &Buffer, new: &Buffer) -> Vec<(u16, u16, Cell)> {
        old.diff(new)
            .into_iter()
            .map(|(x, y, c)| (x, y, c.clone()))
            .collect()
    }

    /// The plan for going from `old` (on a screen that showed it) to `new`.
    fn planned(old: &Buffer, new: &Buffer) -> (Option<Scroll>, Vec<(u16, u16, Cell)>) {
        let mut s = Shadow::default();
        s.cleared(Some(Size::new(old.area.width, old.area.height)));
        s.plan(updates(&Buffer::empty(old.area), old));
        s.plan(updates(old, new))
    }

    #[test]
    fn text_moved_up_a_row_is_scrolled_and_only_the_new_row_written() {
        let old = screen(&["head", "aaaa", "bbbb", "cccc", "dddd", "eeee", "stat"]);
        let new = screen(&["head", "bbbb", "cccc", "dddd", "eeee", "ffff", "stat"]);
        let (scroll, cells) = planned(&old, &new);
        assert_eq!(
            scroll,
            Some(Scroll {
                top: 1,
                bottom: 5,
                by: 1
            })
        );
        // Only row 5 (`ffff`) is written after the move.
        assert!(cells.iter().all(|(_, y, _)| *y == 5), "{cells:?}");
        assert_eq!(cells.len(), 4);
    }

    #[test]
    fn text_moved_down_is_reverse_scrolled() {
        let old = screen(&["bbbb", "cccc", "dddd", "eeee", "ffff"]);
        let new = screen(&["aaaa", "bbbb", "cccc", "dddd", "eeee"]);
        let (scroll, cells) = planned(&old, &new);
        assert_eq!(
            scroll,
            Some(Scroll {
                top: 0,
                bottom: 4,
                by: -1
            })
        );
        assert!(cells.iter().all(|(_, y, _)| *y == 0));
    }

    #[test]
    fn rows_that_only_half_moved_are_written_not_scrolled() {
        // A pane beside the list: the left half stays, so no whole row moved.
        let old = screen(&["L1|aa", "L2|bb", "L3|cc", "L4|dd", "L5|ee"]);
        let new = screen(&["L1|bb", "L2|cc", "L3|dd", "L4|ee", "L5|ff"]);
        let (scroll, cells) = planned(&old, &new);
        assert_eq!(scroll, None);
        assert_eq!(cells, updates(&old, &new));
    }

    #[test]
    fn a_run_to_the_last_row_is_moved_too() {
        // Everything moved up, the last row new: the run ends at the screen's foot.
        let old = screen(&["aaaa", "bbbb", "cccc", "dddd", "eeee"]);
        let new = screen(&["bbbb", "cccc", "dddd", "eeee", "eeee"]);
        let (scroll, _) = planned(&old, &new);
        assert!(scroll.is_some());
    }

    #[test]
    fn moving_then_writing_the_planned_cells_gives_the_new_screen() {
        // Screens made of a few kinds of rows, moved by random amounts with rows
        // replaced: the moved old screen, with the planned cells written over it, must
        // be the new screen, whatever the plan.
        let kinds = ["aaaaaa", "bbbbbb", "中文字", "      ", "x中y  ", "dddddd"];
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for _ in 0..500 {
            let h = 3 + next(8);
            let old_rows: Vec<&str> = (0..h).map(|_| kinds[next(kinds.len())]).collect();
            let by = next(h) as isize - (h as isize / 2);
            let new_rows: Vec<&str> = (0..h as isize)
                .map(|y| {
                    let from = y + by;
                    if next(4) == 0 || from < 0 || from >= h as isize {
                        kinds[next(kinds.len())]
                    } else {
                        old_rows[from as usize]
                    }
                })
                .collect();
            let (old, new) = (screen(&old_rows), screen(&new_rows));
            let (scroll, cells) = planned(&old, &new);
            let mut shown = match scroll {
                Some(sc) => moved(&old, sc),
                None => old.clone(),
            };
            for (x, y, c) in cells {
                let i = shown.index_of(x, y);
                shown.content[i] = c;
            }
            let text = |b: &Buffer| -> Vec<String> {
                (0..b.area.height)
                    .map(|y| {
                        let mut row = String::new();
                        let mut x = 0;
                        while x < b.area.width {
                            let sym = b[(x, y)].symbol();
                            row.push_str(sym);
                            x += UnicodeWidthStr::width(sym).max(1) as u16;
                        }
                        row
                    })
                    .collect()
            };
            assert_eq!(text(&shown), text(&new), "{old_rows:?} -> {new_rows:?}");
        }
    }

    #[test]
    fn a_frame_of_few_changed_rows_keeps_the_screen_known() {
        // One row changes (no move can pay), then the text moves up over it: the move
        // must start from the screen with that row changed, or the row that comes up
        // (`EEEE` on the terminal) would be taken for `eeee`, and left.
        let a = screen(&["aaaa", "bbbb", "cccc", "dddd", "eeee", "stat"]);
        let b = screen(&["aaaa", "bbbb", "cccc", "dddd", "EEEE", "stat"]);
        let c = screen(&["bbbb", "cccc", "dddd", "eeee", "ffff", "stat"]);
        let mut s = Shadow::default();
        s.cleared(Some(Size::new(4, 6)));
        s.plan(updates(&Buffer::empty(a.area), &a));
        let (scroll, cells) = s.plan(updates(&a, &b));
        assert_eq!((scroll, cells.len()), (None, 4));
        let (scroll, cells) = s.plan(updates(&b, &c));
        let scroll = scroll.expect("the text moved up");
        let mut shown = moved(&b, scroll);
        for (x, y, cell) in cells {
            let i = shown.index_of(x, y);
            shown.content[i] = cell;
        }
        assert_eq!(shown, c);
    }

    #[test]
    fn an_unknown_screen_passes_cells_through() {
        let old = screen(&["aaaa", "bbbb", "cccc", "dddd"]);
        let new = screen(&["bbbb", "cccc", "dddd", "eeee"]);
        let mut s = Shadow::default();
        let (scroll, cells) = s.plan(updates(&old, &new));
        assert_eq!(scroll, None);
        assert_eq!(cells, updates(&old, &new));
    }

    #[test]
    fn escapes_set_the_region_move_and_give_it_back() {
        let up = Scroll {
            top: 1,
            bottom: 27,
            by: 1,
        };
        assert_eq!(up.escapes(), "\x1b[0m\x1b[2;28r\x1b[28;1H\x1bD\x1b[r");
        let down = Scroll {
            top: 0,
            bottom: 9,
            by: -2,
        };
        assert_eq!(down.escapes(), "\x1b[0m\x1b[1;10r\x1b[1;1H\x1bM\x1bM\x1b[r");
    }
}
