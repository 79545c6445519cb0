//! `dubao index` and `dubao search`. (Placeholder.)

use crate::cli::{Context, IndexArgs, SearchArgs};

pub fn index_command(_ctx: &Context, _args: &IndexArgs) -> anyhow::Result<()> {
    anyhow::bail!("the index is not built yet")
}

pub fn search_command(_ctx: &Context, _args: &SearchArgs) -> anyhow::Result<()> {
    anyhow::bail!("search is not built yet")
}
