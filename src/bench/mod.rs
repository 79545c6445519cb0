//! `dubao bench`: speed measured on a generated archive, never by timed assertions in
//! tests.

pub mod corpus;
pub mod parse;
pub mod scale;
pub mod search;
pub mod torture;

use crate::cli::{BenchArgs, Context};

pub fn run(ctx: &Context, args: &BenchArgs) -> anyhow::Result<()> {
    match args.what.as_str() {
        "parse" => parse::run(ctx, args),
        "search" => search::run(ctx, args),
        "scale" => scale::run(ctx, args),
        other => anyhow::bail!("unknown benchmark {other:?} (parse, search, scale)"),
    }
}
