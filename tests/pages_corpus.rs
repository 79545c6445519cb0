//! The page reader scored on the corpus of pages with known answers (tests/pages/,
//! see its README and `dubao bench pages` for the full table). The floors are what
//! the reader reaches today: a change that reads fewer articles right, makes more
//! junk or loses more text fails here. Raise them as the reader improves.

use dubao::synth::pages_score::{Score, score_split};
use std::path::Path;

/// (split, form, least right articles %, most junk %, most lost sentences %).
/// No page may get a date other than the one printed on it (see `bad_date`).
const FLOORS: &[(&str, &str, f64, f64, f64)] = &[
    ("tune", "pdfminer", 68.0, 1.0, 0.5),
    ("tune", "raw", 69.0, 1.0, 0.5),
    ("tune", "layout", 48.0, 1.0, 9.0),
    ("tune", "default", 55.0, 1.5, 2.0),
    ("heldout", "pdfminer", 56.0, 1.0, 0.5),
    ("heldout", "raw", 69.0, 1.0, 0.5),
    ("heldout", "layout", 40.0, 2.5, 12.0),
    ("heldout", "default", 47.0, 2.0, 3.0),
    // The page PDFs kept in the tree (one a layout; see tests/pages/README.md), read
    // directly.
    ("tune", "pdf", 93.0, 1.0, 0.5),
    ("heldout", "pdf", 94.0, 1.0, 1.0),
];

fn check(split: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/pages")
        .join(split);
    let score = score_split(&dir).expect("the corpus is readable");
    println!("{}", score.table(split));
    let mut failures = Vec::new();
    for &(s, form, right, junk, lost) in FLOORS.iter().filter(|f| f.0 == split) {
        let got: Score = score.form(form);
        assert!(got.pages > 0, "{s}/{form}: no pages found");
        if got.bad_date > 0 {
            failures.push(format!(
                "{s}/{form}: {} pages with a wrong date",
                got.bad_date
            ));
        }
        if got.right_pct() < right || got.junk_pct() > junk || got.lost_pct() > lost {
            failures.push(format!(
                "{s}/{form}: right {:.1}% (floor {right}), junk {:.1}% (ceiling {junk}), lost {:.1}% (ceiling {lost})",
                got.right_pct(),
                got.junk_pct(),
                got.lost_pct()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tune_split_meets_its_floors() {
    check("tune");
}

#[test]
fn heldout_split_meets_its_floors() {
    check("heldout");
}
