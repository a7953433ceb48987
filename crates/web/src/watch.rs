//! The file watcher: `notify` events, debounced, trigger a reload of the vault; the reload
//! compares the files with the current snapshot, so attune's own writes (already loaded when
//! the commit returned) come back as "nothing changed" and are never reported as external.

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
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut debouncer = new_debouncer(
        Duration::from_millis(150),
        None,
        move |result: DebounceEventResult| {
            if let Ok(events) = result
                && events.iter().any(|e| !e.paths.iter().all(|p| is_noise(p)))
            {
                let _ = tx.send(());
            }
        },
    )
    .map_err(|e| e.to_string())?;
    debouncer
        .watch(&state.0.root, RecursiveMode::Recursive)
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        while rx.recv().await.is_some() {
            // Coalesce a burst into one reload.
            while rx.try_recv().is_ok() {}
            let _guard = state.0.writing.lock().await;
            let s = state.clone();
            let result = tokio::task::spawn_blocking(move || s.reload(Origin::External)).await;
            if let Ok(Err(e)) = result {
                eprintln!("attune serve: reloading the vault failed: {e}");
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
        || text.contains("/.trash/")
        || text.ends_with(".swp")
        || text.ends_with('~')
        || text.ends_with("workspace.json")
        || text.ends_with("workspace-mobile.json")
}
