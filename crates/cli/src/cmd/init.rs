//! `attune init [DIR]`: a new vault with the self-work pack's fileClass schemas, its
//! `attune.toml` and Metadata Menu settings.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;

#[derive(clap::Args)]
pub struct Args {
    /// Folder of the new vault (default: the current folder). Existing files are never overwritten.
    dir: Option<PathBuf>,
}

/// Metadata Menu settings for a new vault: schemas under `Meta/fileClass/`, `Meta/` not notes.
const SETTINGS: &str = r#"{
  "classFilesPath": "Meta/fileClass/",
  "fileClassAlias": "fileClass",
  "fileIndexingExcludedFolders": ["Meta/"],
  "fileIndexingExcludedExtensions": [".excalidraw.md"],
  "globallyIgnoredFields": ["tags", "aliases", "cssclass"]
}
"#;

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let mut files: Vec<(&str, &[u8])> = attune_schema::pack::files()
        .into_iter()
        .map(|(p, t)| (p, t.as_bytes()))
        .collect();
    files.push((
        ".obsidian/plugins/metadata-menu/data.json",
        SETTINGS.as_bytes(),
    ));
    let existing: Vec<&str> = files
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| dir.join(p).exists())
        .collect();
    if !existing.is_empty() {
        bail!(
            "{} already holds {} of the files attune init writes (e.g. {}); nothing was written",
            dir.display(),
            existing.len(),
            existing[0]
        );
    }
    attune_store::write_new_files(&dir, files.iter().copied())?;
    anstream::println!(
        "wrote a new vault into {}: {} fileClass schemas, attune.toml and Metadata Menu settings\n\
         next: `attune schema {0}`, then `attune new trigger --title \"…\"` or `attune serve {0}`",
        dir.display(),
        files.len() - 2
    );
    Ok(ExitCode::SUCCESS)
}
