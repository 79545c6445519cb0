//! `dubao bench parse`. (Placeholder.)

use crate::cli::{BenchArgs, Context};

pub fn run(_ctx: &Context, _args: &BenchArgs) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
