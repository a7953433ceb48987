//! `attune query 'DQL' [VAULT] [--this NOTE] [--format table|json|csv|md]`.

use std::process::ExitCode;

use anyhow::Context;
use attune_query::render;

use crate::vault_arg::VaultArg;

#[derive(clap::Args)]
pub struct Args {
    /// The query, in Dataview's language (`TABLE status FROM "ME" WHERE …`).
    query: String,
    #[command(flatten)]
    vault: VaultArg,
    /// The note that plays `this` (vault-relative path, with or without `.md`, or a name).
    #[arg(long, value_name = "NOTE")]
    this: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Md,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.vault.resolve()?;
    let vault = dir.load(&attune_engine::vault::Silent)?;
    let pages = crate::vault_arg::query_pages(vault);
    let this = match &args.this {
        Some(name) => {
            Some(crate::note_arg::find(vault, name).with_context(|| format!("--this {name}"))?)
        }
        None => None,
    };
    let output = match pages.run(&args.query, this.as_deref()) {
        Ok(o) => o,
        Err(e) => {
            let d = e.to_diagnostic("<query>", 0);
            anstream::eprintln!("{}", crate::render::render(&d, Some(&args.query)));
            return Ok(ExitCode::from(1));
        }
    };
    match args.format {
        Format::Json => {
            let mut out = crate::json::result(&output.result);
            out["warnings"] = serde_json::json!(output.warnings);
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        Format::Csv => print_lines(&render::to_csv(&output.result)),
        Format::Md => print_lines(&render::to_markdown(&output.result)),
        Format::Table => {
            let width = terminal_width();
            anstream::print!("{}", render::to_terminal(&output.result, width));
            anstream::eprintln!("{} result(s)", output.result.len());
            for w in &output.warnings {
                anstream::eprintln!("warning: {w}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Print `text`, ending it with a line break if it has none.
fn print_lines(text: &str) {
    if text.ends_with('\n') {
        print!("{text}")
    } else {
        println!("{text}")
    }
}

/// The terminal's width from `COLUMNS`, else 100.
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 20)
        .unwrap_or(100)
}
