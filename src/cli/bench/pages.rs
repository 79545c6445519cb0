//! `dubao bench pages [DIR]`: how well pages are split into articles, scored on the
//! corpus of pages with known answers (`tests/pages/`): a table per layout and
//! extraction form, for the tuning split and the held-out split separately.

use anyhow::Context as _;
use dubao::synth::pages_score;
use std::path::Path;

pub(super) fn run(dir: Option<&Path>) -> anyhow::Result<()> {
    let dir = dir.unwrap_or(Path::new("tests/pages"));
    for split in ["tune", "heldout"] {
        let path = dir.join(split);
        if !path.is_dir() {
            continue;
        }
        let score = pages_score::score_split(&path)
            .with_context(|| format!("{}: scoring", path.display()))?;
        println!("{}", score.table(split));
    }
    Ok(())
}
