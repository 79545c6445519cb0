//! `dubao bench`: speed measured on a generated archive. (Placeholder.)

use crate::cli::{BenchArgs, Context};

pub fn run(_ctx: &Context, _args: &BenchArgs) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
