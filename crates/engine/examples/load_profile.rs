//! Load a vault and stop: `cargo run --release -p attune-engine --example load_profile -- VAULT`.
//!
//! The load phase alone, with the system allocator (the `attune` and `attune-bench` binaries
//! use jemalloc, which heaptrack cannot see): for `heaptrack` (what holds the peak memory) and
//! `perf record` (where the load spends its time). Prints the note count and the seconds.

use std::time::Instant;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: load_profile VAULT");
        std::process::exit(2);
    };
    let started = Instant::now();
    match attune_engine::Vault::load(std::path::Path::new(&root)) {
        Ok(vault) => {
            println!(
                "notes={} seconds={:.3}",
                vault.notes.len(),
                started.elapsed().as_secs_f64()
            );
            // The process ends here: skip freeing the vault (it would show in a profile).
            std::mem::forget(vault);
        }
        Err(e) => {
            eprintln!("cannot load {root}: {e}");
            std::process::exit(1);
        }
    }
}
