fn main() -> std::process::ExitCode {
    beatbook::cli::main()
}
