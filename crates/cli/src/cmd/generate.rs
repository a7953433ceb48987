//! `attune gen DIR --notes N [--seed S]`: write a synthetic vault shaped like a real
//! self-work vault (for benchmarks and for trying attune at scale). Deterministic by seed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Folder to write (must not exist, or be empty).
    dir: PathBuf,
    /// How many Markdown notes to write under `ME/`.
    #[arg(long, default_value_t = 1000)]
    notes: usize,
    /// Seed: the same notes and seed give the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let s = attune_bench::generate(&args.dir, args.notes, args.seed)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.dir.display()))?;
    anstream::println!(
        "wrote {} notes ({} typed, {} empty stubs, {} folder indexes, {} invalid YAML, {} template leftovers), \
         {} people, {} schema files, {} links, {:.1} MB into {} in {:.2} s",
        s.notes,
        s.typed,
        s.stubs,
        s.folder_indexes,
        s.invalid_yaml,
        s.template_leftovers,
        s.people,
        s.schema_files,
        s.links,
        s.bytes as f64 / 1e6,
        args.dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
