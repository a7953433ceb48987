//! `attune views [VAULT]`: run every ```` ```dataview ```` block of the vault with `this` set
//! to its note, and report rows or the error with its position.

use std::process::ExitCode;

use attune_query::{QuerySource, RunOptions, find_query_blocks, run_block};
use attune_syntax::LineIndex;
use serde_json::json;

use crate::vault_arg::VaultArg;

use crate::format::Format;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    vault: VaultArg,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.vault.resolve()?;
    let vault = dir.load(&attune_engine::vault::Silent)?;
    let pages = crate::vault_arg::query_pages(vault);
    let options = RunOptions::default();
    let mut reports = Vec::new();
    let mut failed = 0usize;
    for n in vault.indexed_notes() {
        let text = &n.note.source;
        let blocks = find_query_blocks(text);
        if blocks.is_empty() {
            continue;
        }
        let Some(page) = pages.page_by_path(n.path()) else {
            continue;
        };
        let lines = LineIndex::new(text);
        for block in &blocks {
            let outcome = run_block(block, page, n.path(), pages, &options);
            let line = lines.line_col(text, block.span.start as usize).line;
            match &outcome.outcome {
                Ok(out) => reports.push((n.path(), line, Ok(out.result.len()), None)),
                Err(d) => {
                    failed += 1;
                    reports.push((n.path(), line, Err(d.clone()), Some(text.as_str())));
                }
            }
        }
    }
    match args.format {
        Format::Json => {
            let items: Vec<_> = reports
                .iter()
                .map(|(path, line, r, source)| match r {
                    Ok(rows) => json!({ "path": path, "line": line, "rows": rows }),
                    Err(d) => {
                        let pos = d
                            .span
                            .zip(*source)
                            .map(|(s, t)| LineIndex::new(t).line_col(t, s.start as usize));
                        json!({ "path": path, "line": line, "error": {
                            "code": d.code, "message": d.message, "help": d.help,
                            "line": pos.map(|p| p.line), "column": pos.map(|p| p.col),
                        }})
                    }
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(
                    &json!({ "blocks": items, "failed": failed, "total": reports.len() })
                )?
            );
        }
        Format::Text => {
            for (path, line, r, source) in &reports {
                match r {
                    Ok(rows) => anstream::println!("{path}:{line}: {rows} row(s)"),
                    Err(d) => anstream::println!("{}", crate::render::render(d, *source)),
                }
            }
            anstream::println!("{} block(s), {} failed", reports.len(), failed);
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
