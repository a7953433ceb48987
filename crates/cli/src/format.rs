//! `--format text|json`, shared by the commands that print for people or for programs.

/// How a command prints its result.
#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    /// For people: tables and rustc-style findings, coloured on a terminal.
    Text,
    /// For programs: JSON on stdout.
    Json,
}
