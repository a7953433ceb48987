//! What a warm start (a new process with a persistent cache) cannot avoid, timed on a vault:
//! list every file, check each one against its cache record (one `stat` per file, on every
//! core), and allocate the loaded vault's memory again (the load's peak, in 48-byte objects,
//! on every core). ARCHITECTURE.md ("Why there is no persistent cache") quotes these figures;
//! the target for a warm start is 0.5 s at 100k notes.
//!
//! `cargo run --release -p attune-engine --example warm_floor -- VAULT [MiB]` (MiB: the
//! memory to allocate; by default the peak RSS of a load of VAULT, measured first).

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Every file under `dir`, folders listed in parallel (what a walk does, without reading).
#[allow(clippy::disallowed_methods)] // times the file system itself, not attune's store
fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut folders = Vec::new();
    let mut files = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            folders.push(entry.path());
        } else {
            files.push(entry.path());
        }
    }
    let below: Vec<PathBuf> = folders.par_iter().flat_map_iter(|f| walk(f)).collect();
    files.extend(below);
    files
}

#[allow(clippy::disallowed_methods)] // a profiling example reads /proc, not the vault
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, root] = args.as_slice()
        && flag == "--load"
    {
        // The child: load, report the peak, exit without freeing (as the binaries do).
        match attune_engine::Vault::load(Path::new(root)) {
            Ok(vault) => {
                println!("{:.1}", peak_rss_mib().unwrap_or(0.0));
                std::mem::forget(vault);
                return;
            }
            Err(e) => {
                eprintln!("cannot load {root}: {e}");
                std::process::exit(1);
            }
        }
    }
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: warm_floor VAULT [MiB]");
        std::process::exit(2);
    };
    let mib: f64 = match args.get(1) {
        Some(m) => m.parse().unwrap_or_else(|_| {
            eprintln!("MiB must be a number, not {m:?}");
            std::process::exit(2);
        }),
        None => {
            // The memory a load holds, measured in a child so this process starts clean.
            let out = std::process::Command::new(std::env::current_exe().expect("own path"))
                .arg("--load")
                .arg(&root)
                .output()
                .expect("run the load");
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .unwrap_or_else(|_| {
                    eprintln!("the load failed: {}", String::from_utf8_lossy(&out.stderr));
                    std::process::exit(1);
                })
        }
    };
    let started = Instant::now();
    let files = walk(&root);
    let walked = started.elapsed().as_secs_f64();
    let started = Instant::now();
    #[allow(clippy::disallowed_methods)] // times the file system itself
    let stated = files
        .par_iter()
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .count();
    let stat = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let objects = (mib * 1024.0 * 1024.0 / 48.0) as usize;
    let held: Vec<Vec<Box<[u64; 6]>>> = (0..rayon::current_num_threads())
        .into_par_iter()
        .map(|_| {
            let n = objects / rayon::current_num_threads();
            (0..n).map(|i| Box::new([i as u64; 6])).collect()
        })
        .collect();
    let alloc = started.elapsed().as_secs_f64();
    let count: usize = held.iter().map(Vec::len).sum();
    println!(
        "{} files: walk {walked:.3} s, stat {stated} files {stat:.3} s, allocate {mib:.0} MiB \
         ({count} objects of 48 bytes) {alloc:.3} s; together {:.3} s (a warm start's floor \
         before any note is decoded)",
        files.len(),
        walked + stat + alloc
    );
}
