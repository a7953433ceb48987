//! Time the web app's answer to one changed note (what the watcher calls): a benchmark, not a
//! test. It prints figures; it asserts nothing. Rewrites one note of VAULT (a body line
//! appended, then removed again) ROUNDS times and times `AppState::refresh` of that path,
//! split into its parts.
//!
//! ```text
//! cargo run --release -p attune-bench -- gen /tmp/vault-10k --notes 10000
//! cargo run --release -p attune-web --example refresh_bench -- /tmp/vault-10k
//! ```

use std::time::Instant;

/// The allocator of the `attune` binary, so the figures are the served app's.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use attune_web::{Access, AppState, Origin};

// The example edits a note on disk as an outside editor would, so it writes with `std::fs`
// (the crate's rule that only attune-store does I/O is about the app, not this bench).
#[allow(clippy::disallowed_methods)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let vault = std::env::args()
        .nth(1)
        .ok_or("usage: refresh_bench VAULT [ROUNDS]")?;
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let root = std::path::Path::new(&vault);
    let started = Instant::now();
    let state = AppState::load(root, Access::default())?;
    let site = state.site();
    let loaded = started.elapsed().as_secs_f64();
    state.wait_for_search();
    println!(
        "loaded {} notes in {loaded:.3} s (pages served from then on), search index ready at {:.3} s",
        site.entries.len(),
        started.elapsed().as_secs_f64()
    );
    let rel = site
        .entries
        .iter()
        .find(|e| !e.stub)
        .map(|e| e.path.clone())
        .ok_or("no note with content")?;
    drop(site);
    let abs = root.join(&rel);
    let original = std::fs::read_to_string(&abs)?;
    let mut times = Vec::new();
    for round in 0..rounds {
        let text = if round % 2 == 0 {
            format!("{original}\nA line added by refresh_bench.\n")
        } else {
            original.clone()
        };
        std::fs::write(&abs, text)?;
        let t = Instant::now();
        state.refresh(Origin::External, std::slice::from_ref(&abs))?;
        times.push(t.elapsed().as_secs_f64());
    }
    std::fs::write(&abs, &original)?;
    times.sort_by(f64::total_cmp);
    println!(
        "refresh of {rel}: min {:.3} s, median {:.3} s, max {:.3} s ({rounds} rounds)",
        times[0],
        times[times.len() / 2],
        times[times.len() - 1]
    );
    Ok(())
}
