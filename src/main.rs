//! The `dubao` binary: the command line (see [`cli`]) over the `dubao` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
