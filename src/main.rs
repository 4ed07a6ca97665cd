fn main() {
    std::process::exit(stabcert::cli::main());
}
