//! `attune log [VAULT]`: the commits attune made in this vault, newest first.

use std::process::ExitCode;

use attune_engine::commit::{local_time, log};
use serde_json::json;

use crate::format::Format;
use crate::vault_arg::VaultArg;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    vault: VaultArg,
    /// Show the files each commit touched.
    #[arg(long, short)]
    files: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.vault.resolve()?;
    let commits = log(&dir.path)?;
    if args.format == Format::Json {
        let list: Vec<_> = commits
            .iter()
            .map(|c| {
                json!({"number": c.number(), "time_ms": c.manifest.time_ms, "message": c.manifest.message,
                    "undoes": c.manifest.undoes, "undone_by": c.undone_by,
                    "files": c.manifest.files.iter().map(|f| json!({"path": f.path, "created": f.before.is_none(), "deleted": f.after.is_none()})).collect::<Vec<_>>()})
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(ExitCode::SUCCESS);
    }
    if commits.is_empty() {
        anstream::println!("no commits yet");
    }
    for c in &commits {
        let undone = c
            .undone_by
            .map(|n| format!("  \x1b[2m(undone by #{n})\x1b[0m"))
            .unwrap_or_default();
        let files = c.manifest.files.len();
        anstream::println!(
            "\x1b[1m#{}\x1b[0m  {}  {}  \x1b[2m{files} file{}\x1b[0m{undone}",
            c.number(),
            local_time(c.manifest.time_ms),
            c.manifest.message,
            if files == 1 { "" } else { "s" }
        );
        if args.files {
            for f in &c.manifest.files {
                let what = match (f.before, f.after) {
                    (None, _) => "new",
                    (_, None) => "deleted",
                    _ => "changed",
                };
                anstream::println!("      {what} {}", f.path);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
