//! The `attune` command line: argument parsing, human and JSON output, exit codes
//! (0 clean, 1 findings or a failed operation, 2 bad usage).

mod cmd;
mod format;
mod json;
mod note_arg;
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
    /// Report every problem of a vault (links, ids, templates, schema, YAML) with a stable code.
    Check(cmd::check::Args),
    /// Show one note as attune understands it: class, fields, links, relations, backlinks.
    Show(cmd::show::Args),
    /// Count the notes, types, stubs, links and parse problems of a vault.
    Stats(cmd::stats::Args),
    /// Serve the local web app (binds to 127.0.0.1 only).
    Serve(cmd::serve::Args),
    /// Create a note of a class (and what the system creates with it), in one transaction.
    New(cmd::new::Args),
    /// Change fields of a note; only those keys' lines change.
    Set(cmd::set::Args),
    /// Edit a note's fields in a prompted form, prefilled from the note.
    Edit(cmd::edit::Args),
    /// Restore the files of the last commit.
    Undo(cmd::undo::Args),
    /// List the commits attune made in the vault.
    Log(cmd::log::Args),
    /// Answer a Dataview query (DQL) from the command line.
    Query(cmd::query::Args),
    /// Run every ```dataview block of the vault and report rows or errors.
    Views(cmd::views::Args),
    /// List the vault's classes, or show one class's fields after inheritance.
    Schema(cmd::schema::Args),
    /// Write a new vault with the self-work pack's schemas and attune.toml.
    Init(cmd::init::Args),
    /// Import rules kept elsewhere (Modal Forms) into attune.toml.
    Import(cmd::import::Args),
    /// Write a synthetic vault shaped like a real self-work vault (deterministic by seed).
    Gen(cmd::generate::Args),
}

/// jemalloc instead of the system allocator: see the workspace Cargo.toml for the measurement.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Check(args) => cmd::check::run(args),
        Command::Show(args) => cmd::show::run(args),
        Command::Stats(args) => cmd::stats::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Set(args) => cmd::set::run(args),
        Command::Edit(args) => cmd::edit::run(args),
        Command::Undo(args) => cmd::undo::run(args),
        Command::Log(args) => cmd::log::run(args),
        Command::Query(args) => cmd::query::run(args),
        Command::Views(args) => cmd::views::run(args),
        Command::Schema(args) => cmd::schema::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Import(args) => cmd::import::run(args),
        Command::Gen(args) => cmd::generate::run(args),
    };
    match result {
        Ok(code) => {
            vault_arg::write_stale_snapshot();
            code
        }
        Err(e) => {
            anstream::eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
