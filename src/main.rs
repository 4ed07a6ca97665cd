//! The `stabcert` command: parses the arguments, runs the subcommand on the `stabcert`
//! library, prints one error if there is one, and exits with the status the subcommand chose.

mod cli;
mod report_args;
mod simulate;

fn main() {
    std::process::exit(cli::main());
}
