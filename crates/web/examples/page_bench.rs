//! Server time of the biggest type page (and a few others) of a vault: a benchmark, not a
//! test. It prints figures; it asserts nothing.
//!
//! ```text
//! cargo run --release -p attune-bench -- gen /tmp/vault-10k --notes 10000
//! cargo run --release -p attune-web --example page_bench -- /tmp/vault-10k
//! ```

use std::time::{Duration, Instant};

/// The allocator of the `attune` binary, so the figures are the served app's.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use attune_web::{Access, AppState, href, router};
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let vault = std::env::args()
        .nth(1)
        .ok_or("usage: page_bench VAULT [RUNS]")?;
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let started = Instant::now();
    let state = AppState::load(std::path::Path::new(&vault), Access::default())?;
    let site = state.site();
    println!(
        "loaded {} notes ({} files) in {:?}",
        site.entries.len(),
        site.ws.vault.notes.len(),
        started.elapsed()
    );
    let (biggest, count) = site
        .class_counts()
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .ok_or("the vault has no classes")?;
    let label = site
        .class(&biggest)
        .map(|c| c.short_name().to_owned())
        .unwrap_or(biggest.clone());
    let first_note = site
        .entries_of(&biggest)
        .first()
        .map(|&i| site.entries[i].path.clone());
    drop(site);
    let app = router(state.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut pages = vec![
        (
            format!("type page `{label}` ({count} notes)"),
            href::class(&label),
        ),
        (
            format!("type page `{label}`, every row (?all=1)"),
            format!("{}?all=1", href::class(&label)),
        ),
        ("home".to_owned(), "/".to_owned()),
        ("insights".to_owned(), "/insights".to_owned()),
        ("insights data".to_owned(), "/api/insights".to_owned()),
    ];
    let first_note_path = first_note.clone();
    if let Some(p) = first_note {
        pages.push(("a note page".to_owned(), href::note(&p)));
    }
    pages.push(("search".to_owned(), "/search?q=feel".to_owned()));
    for (name, uri) in pages {
        let mut times: Vec<Duration> = Vec::with_capacity(runs);
        let mut bytes = 0;
        for _ in 0..runs {
            let request = Request::get(&uri)
                .header(header::HOST, "127.0.0.1")
                .body(Body::empty())?;
            let t = Instant::now();
            let response = runtime.block_on(app.clone().oneshot(request))?;
            let body = runtime.block_on(response.into_body().collect())?.to_bytes();
            times.push(t.elapsed());
            bytes = body.len();
        }
        times.sort();
        println!(
            "{name}: median {:?}, p90 {:?}, max {:?} over {runs} runs ({} KiB)",
            times[runs / 2],
            times[runs * 9 / 10],
            times[runs - 1],
            bytes / 1024
        );
    }
    // What the watcher does for one note it is told about. The file is only read (the vault
    // is read-only here): unchanged, as the echo of attune's own write, nothing is built or
    // announced. When it did change, the site is derived again too: both halves are timed.
    if let Some(p) = first_note_path {
        let changed = [std::path::PathBuf::from(&p)];
        let mut refresh = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            state.refresh(attune_web::Origin::External, &changed)?;
            refresh.push(t.elapsed());
        }
        refresh.sort();
        // Its two halves: the engine's Vault::refresh, and the site built from the result.
        let site = state.site();
        let mut vault = site.ws.vault.clone();
        let t = Instant::now();
        vault.refresh(&changed)?;
        let engine = t.elapsed();
        let t = Instant::now();
        let findings = attune_engine::check::check(&vault).len();
        println!(
            "  (of which attune check: {:?}, {findings} findings)",
            t.elapsed()
        );
        let t = Instant::now();
        let rebuilt = attune_web::site::Site::from_vault(vault);
        let derive = t.elapsed();
        drop((rebuilt, site));
        println!(
            "watcher, one changed note: Vault::refresh {engine:?} + Site::from_vault {derive:?}"
        );
        let t = Instant::now();
        state.reload(attune_web::Origin::External)?;
        println!(
            "watcher, one unchanged note (an echo): refresh median {:?}; full reload {:?}",
            refresh[refresh.len() / 2],
            t.elapsed()
        );
    }
    Ok(())
}
