//! `attune set NOTE field=value… [--append field=value] [--remove field] [--reviewed]
//! [--dry-run]`: change keys of one note; only those keys' lines change on disk.

use std::process::ExitCode;

use anyhow::Context;
use attune_engine::create::Now;
use attune_engine::update::{NoteUpdate, plan_update};

use super::new::{Output, apply_plan, parse_pairs};

#[derive(clap::Args)]
pub struct Args {
    /// The note: its name, or its path from the vault root.
    note: String,
    /// `field=value` pairs replacing each field's value (a field given twice gets a list).
    #[arg(value_name = "FIELD=VALUE")]
    set: Vec<String>,
    /// Add a value to a list field, unless it is already there.
    #[arg(long, value_name = "FIELD=VALUE")]
    append: Vec<String>,
    /// Remove a key from the note.
    #[arg(long, value_name = "FIELD")]
    remove: Vec<String>,
    /// Mark the note reviewed: `entered: true`, `status: 🟩 complete`.
    #[arg(long)]
    reviewed: bool,
    /// Show what would be written, write nothing.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    out: Output,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ws = crate::vault_arg::workspace(&args.out.vault, args.out.no_cache)
        .with_context(|| format!("loading {}", args.out.vault.display()))?;
    let update = NoteUpdate {
        note: args.note.clone(),
        set: parse_pairs(&args.set)?,
        append: parse_pairs(&args.append)?,
        remove: args.remove.clone(),
        reviewed: args.reviewed,
    };
    let plan = plan_update(ws, &update, &Now::local());
    apply_plan(&args.out.vault, &plan, args.dry_run, args.out.format)
}
