//! `attune-bench`: generates vaults and measures attune against the floor and a Python peer.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "attune's synthetic vault generator and benchmark harness")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Write a synthetic vault of N notes into DIR (new or empty).
    Gen {
        dir: PathBuf,
        #[arg(long, default_value_t = 1000)]
        notes: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Gen { dir, notes, seed }) => {
            let started = std::time::Instant::now();
            let summary = attune_bench::generate(&dir, notes, seed)
                .with_context(|| format!("generating {notes} notes into {}", dir.display()))?;
            println!("{summary:#?}\nin {:.2?}", started.elapsed());
        }
        None => {}
    }
    Ok(())
}
