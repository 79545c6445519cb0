fn main() -> std::process::ExitCode {
    dubao::cli::main()
}
