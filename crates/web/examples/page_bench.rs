//! Server time of the biggest type page (and a few others) of a vault: a benchmark, not a
//! test. It prints figures; it asserts nothing.
//!
//! ```text
//! cargo run --release -p attune-bench -- gen /tmp/vault-10k --notes 10000
//! cargo run --release -p attune-web --example page_bench -- /tmp/vault-10k
//! ```

use std::time::{Duration, Instant};

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
        ("home".to_owned(), "/".to_owned()),
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
    // What the watcher does for one changed note (the file is only read: nothing changes,
    // so nothing is announced), against reading the whole vault again.
    if let Some(p) = first_note_path {
        let changed = [std::path::PathBuf::from(&p)];
        let mut refresh = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            state.refresh(attune_web::Origin::External, &changed)?;
            refresh.push(t.elapsed());
        }
        refresh.sort();
        let t = Instant::now();
        state.reload(attune_web::Origin::External)?;
        println!(
            "watcher, one changed note: refresh median {:?}; full reload {:?}",
            refresh[refresh.len() / 2],
            t.elapsed()
        );
    }
    Ok(())
}
