//! `attune stats [VAULT]`: counts per top-level folder, typed/untyped/stub notes, links,
//! parse problems and the time taken.

use std::process::ExitCode;
use std::time::Instant;

use attune_engine::Vault;
use attune_engine::stats::{FolderStats, Stats};
use attune_engine::vault::LoadProgress;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use crate::render;
use crate::vault_arg::VaultArg;

use crate::format::Format;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    vault: VaultArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// A progress bar on stderr; invisible when stderr is not a terminal.
struct Bar(ProgressBar);

impl LoadProgress for Bar {
    fn walked(&self, total: usize) {
        self.0.set_length(total as u64);
    }
    fn read(&self, done: usize) {
        if done.is_multiple_of(64) {
            self.0.set_position(done as u64);
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.vault.resolve()?;
    let started = Instant::now();
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{spinner} reading notes {pos}/{len} {wide_bar}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let vault = dir.load(&Bar(bar.clone()))?;
    bar.finish_and_clear();
    let stats = attune_engine::stats::compute(vault);
    let elapsed = started.elapsed();
    let root = if args.vault.demo {
        "(demo vault)".to_owned()
    } else {
        dir.path.display().to_string()
    };
    match args.format {
        Format::Json => {
            let diagnostics: Vec<_> = vault
                .diagnostics
                .iter()
                .map(|d| {
                    let source = vault.note_by_path(&d.path).map(|n| n.note.source.as_str());
                    let (line, column) = line_col(d, source);
                    json!({
                        "code": d.code, "severity": d.severity.as_str(), "path": d.path,
                        "line": line, "column": column, "message": d.message, "help": d.help,
                    })
                })
                .collect();
            let out = json!({
                "vault": root,
                "files": stats.files,
                "excluded_files": stats.excluded,
                "other_files": stats.other_files,
                "folders": stats.folders.iter().map(|(k, v)| (k.clone(), folder_json(v))).collect::<serde_json::Map<_, _>>(),
                "totals": folder_json(&stats.totals),
                "links": {
                    "total": stats.links.total, "in_frontmatter": stats.links.in_frontmatter,
                    "in_body": stats.links.in_body, "embeds": stats.links.embeds, "empty": stats.links.empty,
                },
                "query_blocks": stats.query_blocks,
                "diagnostics": diagnostics,
                "elapsed_ms": elapsed.as_secs_f64() * 1000.0,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        Format::Text => print_text(&root, &stats, vault, elapsed),
    }
    Ok(ExitCode::SUCCESS)
}

fn folder_json(f: &FolderStats) -> serde_json::Value {
    json!({ "notes": f.notes, "typed": f.typed, "untyped": f.untyped, "empty_stubs": f.empty_stubs })
}

fn line_col(d: &attune_syntax::Diagnostic, source: Option<&str>) -> (Option<u32>, Option<u32>) {
    match (d.span, source) {
        (Some(span), Some(text)) => {
            let lc = attune_syntax::LineIndex::new(text).line_col(text, span.start as usize);
            (Some(lc.line), Some(lc.col))
        }
        _ => (None, None),
    }
}

fn print_text(root: &str, stats: &Stats, vault: &Vault, elapsed: std::time::Duration) {
    use anstream::println;
    println!("\x1b[1m{root}\x1b[0m");
    println!(
        "{} Markdown files ({} under excluded folders such as Meta/), {} other files",
        stats.files, stats.excluded, stats.other_files
    );
    println!();
    let width = stats
        .folders
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    println!(
        "\x1b[1m{:<width$}  {:>6}  {:>6}  {:>8}  {:>11}\x1b[0m",
        "folder", "notes", "typed", "untyped", "empty stubs"
    );
    for (name, f) in &stats.folders {
        // Emoji are two columns wide in most terminals; pad by characters, good enough for a table.
        println!(
            "{:<width$}  {:>6}  {:>6}  {:>8}  {:>11}",
            name, f.notes, f.typed, f.untyped, f.empty_stubs
        );
    }
    let t = &stats.totals;
    println!(
        "\x1b[1m{:<width$}  {:>6}  {:>6}  {:>8}  {:>11}\x1b[0m",
        "total", t.notes, t.typed, t.untyped, t.empty_stubs
    );
    println!();
    let l = &stats.links;
    println!(
        "links: {} ({} in frontmatter, {} in bodies, {} embeds, {} empty `[[]]`)",
        l.total, l.in_frontmatter, l.in_body, l.embeds, l.empty
    );
    println!("query blocks: {}", stats.query_blocks);
    println!();
    if vault.diagnostics.is_empty() {
        println!("no parse problems");
    } else {
        println!("{} parse problem(s):", vault.diagnostics.len());
        for d in &vault.diagnostics {
            let source = vault.note_by_path(&d.path).map(|n| n.note.source.as_str());
            println!("{}", render::render(d, source));
        }
    }
    println!("took {:.0} ms", elapsed.as_secs_f64() * 1000.0);
}
