//! Terminal setup and restore, and the event loop. (Placeholder: prints the list.)

use crate::cli::{Context, TuiArgs};

pub fn run(ctx: &Context, _args: &TuiArgs) -> anyhow::Result<()> {
    let lib = ctx.load_library()?;
    let mut out = std::io::stdout().lock();
    crate::cli::write_list(&mut out, &lib)
}
