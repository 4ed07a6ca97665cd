//! The `stabcert` binary: all of it is in [`stabcert::cli`].

fn main() {
    std::process::exit(stabcert::cli::main());
}
