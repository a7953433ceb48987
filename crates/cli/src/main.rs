//! The `attune` command line: argument parsing, human and JSON output, exit codes
//! (0 clean, 1 findings or a failed operation, 2 bad usage).

mod cmd;
mod render;
mod vault_arg;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// attune: run a Metadata Menu / Dataview self-work vault without Obsidian.
#[derive(Parser)]
#[command(name = "attune", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Count the notes, types, stubs, links and parse problems of a vault.
    Stats(cmd::stats::Args),
    /// Serve the local web app (binds to 127.0.0.1 only).
    Serve(cmd::serve::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let result = match cli.command {
        Command::Stats(args) => cmd::stats::run(args),
        Command::Serve(args) => cmd::serve::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            anstream::eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
