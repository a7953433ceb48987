//! The file watcher: `notify` events, debounced, name the paths that changed; only those are
//! read again ([`AppState::refresh`], the engine's `Vault::refresh`: it falls back to a full
//! load when the settings change). The new snapshot is compared with the current one, so
//! attune's own writes (already loaded when the commit returned) come back as "nothing
//! changed" and are never reported as external.

use std::path::PathBuf;
use std::time::Duration;

use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::state::{AppState, Origin};

/// Keeps the watcher alive; dropping it stops watching.
pub struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

/// Start watching the vault of `state`. Must be called inside a tokio runtime.
pub fn start(state: AppState) -> Result<Watcher, String> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<PathBuf>>();
    let mut debouncer = new_debouncer(
        Duration::from_millis(150),
        None,
        move |result: DebounceEventResult| {
            match result {
                Ok(events) => {
                    let paths: Vec<PathBuf> = events
                        .iter()
                        .flat_map(|e| e.paths.iter())
                        .filter(|p| !is_noise(p))
                        .cloned()
                        .collect();
                    if !paths.is_empty() {
                        let _ = tx.send(paths);
                    }
                }
                // The watcher lost track (overflow, …): read everything again.
                Err(_) => {
                    let _ = tx.send(Vec::new());
                }
            }
        },
    )
    .map_err(|e| e.to_string())?;
    debouncer
        .watch(&state.0.root, RecursiveMode::Recursive)
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        while let Some(mut paths) = rx.recv().await {
            // Coalesce a burst into one refresh; an empty list means "everything".
            let mut everything = paths.is_empty();
            while let Ok(more) = rx.try_recv() {
                everything |= more.is_empty();
                paths.extend(more);
            }
            paths.sort();
            paths.dedup();
            let _guard = state.0.writing.lock().await;
            let s = state.clone();
            let result = tokio::task::spawn_blocking(move || {
                if everything {
                    s.reload(Origin::External)
                } else {
                    s.refresh(Origin::External, &paths)
                }
            })
            .await;
            if let Ok(Err(e)) = result {
                eprintln!("attune serve: reading the changed files failed: {e}");
            }
        }
    });
    Ok(Watcher {
        _debouncer: debouncer,
    })
}

/// Changes that never affect the vault: editors' swap files, `.git`, Obsidian's workspace.
fn is_noise(path: &std::path::Path) -> bool {
    let text = path.to_string_lossy();
    text.contains("/.git/")
        || text.contains("/.attune/")
        || text.contains("/.trash/")
        || text.ends_with(".swp")
        || text.ends_with('~')
        || text.ends_with("workspace.json")
        || text.ends_with("workspace-mobile.json")
}
