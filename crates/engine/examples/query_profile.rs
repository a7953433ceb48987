//! Profile the query engine on a generated vault without the bench harness:
//! `cargo run --release -p attune-engine --example query_profile -- VAULT [SHAPE] [RUNS]`.
//!
//! Loads the vault, builds [`VaultPages`] once (timed), then runs the shapes the bench
//! measures (the Emotions dashboard's two blocks with `this` set, and a FLATTEN + GROUP BY
//! over captured moments) `RUNS` times each and prints p50/p99 and the row count. `SHAPE` is
//! `to_review`, `completed`, `group_by`, `all` (default) or `dql:A;;B` (any queries,
//! `this` being the dashboard). Meant for `perf record -g`, where
//! the bench's child mode spends most of its samples loading. Uses jemalloc, as `attune` and
//! the bench do.

use std::time::Instant;

use attune_engine::query::VaultPages;

/// The allocator `attune` and the bench use, so the figures here match theirs.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const DASHBOARD: &str = "ME/🏛️ Foundations/🎭 Emotions/🎭 Emotions.md";
const GROUP_BY: &str = "TABLE length(rows) AS \"Moments\"
FROM \"ME/📝 Captured Moments\"
FLATTEN emotions AS emotion
GROUP BY emotion
SORT length(rows) DESC";

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: query_profile VAULT [to_review|completed|group_by|all] [RUNS]");
        std::process::exit(2);
    };
    let shape = args.next().unwrap_or_else(|| "all".to_string());
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(30);
    let vault = match attune_engine::Vault::load(std::path::Path::new(&root)) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("cannot load {root}: {e}");
            std::process::exit(1);
        }
    };
    let loaded_rss = rss_mib();
    let started = Instant::now();
    let pages = VaultPages::new(&vault);
    println!(
        "VaultPages::new {:.1} ms, RSS {loaded_rss} MiB after the load, {} MiB with the pages",
        started.elapsed().as_secs_f64() * 1000.0,
        rss_mib()
    );
    let blocks = vault
        .note_by_path(DASHBOARD)
        .map(|n| attune_query::find_query_blocks(&n.note.source))
        .unwrap_or_default();
    let mut shapes: Vec<(String, String, Option<&str>)> = Vec::new();
    if let [to_review, completed, ..] = blocks.as_slice() {
        shapes.push(("to_review".into(), to_review.text.clone(), Some(DASHBOARD)));
        shapes.push(("completed".into(), completed.text.clone(), Some(DASHBOARD)));
    }
    shapes.push(("group_by".into(), GROUP_BY.to_string(), None));
    // `dql:A;;B` runs queries A and B (with `this` set to the Emotions dashboard), to time a
    // query's parts in one load.
    if let Some(texts) = shape.strip_prefix("dql:") {
        shapes = texts
            .split(";;")
            .enumerate()
            .map(|(i, t)| (format!("dql{i}"), t.to_string(), Some(DASHBOARD)))
            .collect();
    }
    for (name, text, this) in shapes {
        if shape != "all" && shape != name && !shape.starts_with("dql:") {
            continue;
        }
        let mut millis = Vec::with_capacity(runs);
        let mut cpu = Vec::with_capacity(runs);
        let mut rows = 0;
        for _ in 0..runs.max(1) {
            let started = Instant::now();
            let cpu_started = process_cpu_ns();
            match pages.run(&text, this) {
                Ok(out) => rows = out.result.len(),
                Err(e) => {
                    eprintln!("{name}: {e:?}");
                    break;
                }
            }
            millis.push(started.elapsed().as_secs_f64() * 1000.0);
            cpu.push(process_cpu_ns().saturating_sub(cpu_started) as f64 / 1e6);
        }
        if !millis.is_empty() {
            println!(
                "{name}: rows {rows} wall min {:.2} p50 {:.2} ms p99 {:.2} ms, cpu p50 {:.2} ms p99 {:.2} ms",
                quantile(&mut millis, 0.0),
                quantile(&mut millis, 0.5),
                quantile(&mut millis, 0.99),
                quantile(&mut cpu, 0.5),
                quantile(&mut cpu, 0.99),
            );
        }
    }
    // The process ends here: skip freeing the vault (it would show in a profile).
    std::mem::forget(pages);
    std::mem::forget(vault);
}

fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() as f64 * q) as usize).min(values.len() - 1)]
}

/// This thread's CPU time in ns (Linux `schedstat`; 0 elsewhere): steadier than wall time
/// on a busy machine. A measuring tool, not the engine: it reads `/proc` directly.
#[allow(clippy::disallowed_methods)]
/// CPU time of every thread of this process (the query runs on rayon's workers), in ns.
fn process_cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// This process's resident memory (`VmRSS`), in MiB; 0 where /proc is missing.
#[allow(clippy::disallowed_methods)] // a profiling example reads /proc, not the vault
fn rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kib| kib / 1024)
}
