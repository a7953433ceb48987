//! The server's shared state: the current [`Site`] snapshot (swapped whole on reload),
//! the full-text index, the session's CSRF token and the channel that tells open pages
//! what changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use tokio::sync::broadcast;

use crate::search::{Document, SearchIndex};
use crate::site::Site;

/// Who caused a change: the person in another program, or attune itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Files changed on disk by someone else (Obsidian, an editor, sync).
    External,
    /// attune wrote them (a form was committed).
    Attune,
}

/// One reload that changed something, as sent to open pages.
#[derive(Clone, Debug, serde::Serialize)]
pub struct VaultChange {
    pub version: u64,
    pub origin: Origin,
    /// Vault-relative paths added, removed or changed.
    pub paths: Vec<String>,
}

/// How requests from other machines are let in.
#[derive(Clone, Debug, Default)]
pub struct Access {
    /// Set with `--allow-remote --token`: every request must present it.
    pub token: Option<String>,
}

pub struct Shared {
    site: RwLock<Arc<Site>>,
    version: AtomicU64,
    pub csrf: String,
    pub access: Access,
    pub vault_name: String,
    pub root: PathBuf,
    changes: broadcast::Sender<VaultChange>,
    /// Built on a thread of its own after the load (2.7 s of a 7.6 s start at 100,000
    /// notes): pages are served meanwhile, and a search says the index is not ready.
    search: std::sync::OnceLock<Result<Mutex<SearchIndex>, String>>,
    /// Serialises reloads and commits so a reload never interleaves with a write.
    pub writing: tokio::sync::Mutex<()>,
}

/// Cheap to clone; handed to every handler.
#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(transparent)]
    Load(#[from] attune_engine::LoadError),
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    #[error("the operating system gave no random bytes for the session token: {0}")]
    Random(String),
}

impl AppState {
    /// Load the vault at `root`. The full-text index is built afterwards on a thread of its
    /// own (see [`AppState::wait_for_search`]).
    pub fn load(root: &Path, access: Access) -> Result<AppState, StateError> {
        let site = Site::load(root)?;
        let (changes, _) = broadcast::channel(64);
        let vault_name = site
            .root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let state = AppState(Arc::new(Shared {
            root: site.root.clone(),
            site: RwLock::new(Arc::new(site)),
            version: AtomicU64::new(1),
            csrf: random_token()?,
            access,
            vault_name,
            changes,
            search: std::sync::OnceLock::new(),
            writing: tokio::sync::Mutex::new(()),
        }));
        let building = state.clone();
        let build = move || {
            let site = building.site();
            let built = SearchIndex::new()
                .and_then(|mut index| {
                    index.rebuild((0..site.entries.len()).map(|i| document(&site, i)))?;
                    Ok(index)
                })
                .map(Mutex::new)
                .map_err(|e| {
                    eprintln!("attune serve: {e}; search is off");
                    e.to_string()
                });
            // Only this thread sets it.
            let _ = building.0.search.set(built);
        };
        if let Err(e) = std::thread::Builder::new()
            .name("attune-search-index".to_owned())
            .spawn(build)
        {
            let _ = state
                .0
                .search
                .set(Err(format!("no thread to build it on: {e}")));
        }
        Ok(state)
    }

    /// The current snapshot.
    pub fn site(&self) -> Arc<Site> {
        self.0
            .site
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_else(|poisoned| Arc::clone(&poisoned.into_inner()))
    }

    pub fn version(&self) -> u64 {
        self.0.version.load(Ordering::SeqCst)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<VaultChange> {
        self.0.changes.subscribe()
    }

    pub fn search(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<crate::search::Hit>, crate::search::SearchError> {
        match self.0.search.get() {
            None => Err(crate::search::SearchError::Building(
                self.site().entries.len(),
            )),
            Some(Err(why)) => Err(crate::search::SearchError::Failed(why.clone())),
            Some(Ok(index)) => index
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .search(query, limit),
        }
    }

    /// Wait until the search index is built (tests, and callers that need every note
    /// searchable); `false` when building it failed.
    pub fn wait_for_search(&self) -> bool {
        self.0.search.wait().is_ok()
    }

    /// Read the vault again, swap the snapshot in, update the search index, and tell open
    /// pages what changed. Returns the change, or `None` when the files hold exactly what
    /// the current snapshot holds (as after attune's own write has been loaded already).
    pub fn reload(&self, origin: Origin) -> Result<Option<VaultChange>, StateError> {
        let new = Site::load(&self.0.root)?;
        self.swap_in(new, origin, None)
    }

    /// Like [`AppState::reload`], but only the files at `changed` (absolute, or relative to
    /// the vault) are read again: [`attune_engine::Vault::refresh`] on a copy of the current
    /// vault (the copy shares every unchanged parsed note).
    pub fn refresh(
        &self,
        origin: Origin,
        changed: &[PathBuf],
    ) -> Result<Option<VaultChange>, StateError> {
        let old = self.site();
        let mut vault = old.ws.vault.clone();
        let report = vault.refresh(changed)?;
        // Only files outside the vault's notes (`.attune/`, a dot-folder, a path that is
        // already gone), or notes read again exactly as they were (the watcher's echo of
        // attune's own write): nothing to build.
        let same = |path: &String| match (old.ws.vault.note_by_path(path), vault.note_by_path(path))
        {
            (Some(a), Some(b)) => a.meta == b.meta && a.note.source == b.note.source,
            _ => false,
        };
        if report.is_empty()
            || (!report.full_reload
                && !report.schema_changed
                && report.notes_removed.is_empty()
                && report.files_changed.is_empty()
                && report.notes_changed.iter().all(same))
        {
            return Ok(None);
        }
        // The notes the refresh read again or lost, and the attachments that came or went:
        // only these can differ between the snapshots (unless the vault was read whole).
        let candidates = (!report.full_reload && !report.schema_changed).then(|| {
            let mut paths: Vec<String> = (report.notes_changed.iter())
                .chain(&report.notes_removed)
                .filter(|p| !same(p))
                .chain(&report.files_changed)
                .cloned()
                .collect();
            paths.sort();
            paths.dedup();
            paths
        });
        drop(old);
        self.swap_in(Site::from_vault(vault), origin, candidates)
    }

    /// Put `new` in place of the current snapshot when something differs: the notes at
    /// `changed` when the caller knows them, else every note whose text differs.
    fn swap_in(
        &self,
        new: Site,
        origin: Origin,
        changed: Option<Vec<String>>,
    ) -> Result<Option<VaultChange>, StateError> {
        let old = self.site();
        let paths = changed.unwrap_or_else(|| changed_paths(&old, &new));
        if paths.is_empty() {
            return Ok(None);
        }
        // Waits for the first build: the change is applied to the finished index.
        if let Ok(search) = self.0.search.wait() {
            let mut search = search
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for p in &paths {
                match new.entry_by_path(p) {
                    Some(i) => search.put(&document(&new, i))?,
                    None => search.remove(p)?,
                }
            }
        }
        {
            let mut slot = self
                .0
                .site
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *slot = Arc::new(new);
        }
        let version = self.0.version.fetch_add(1, Ordering::SeqCst) + 1;
        let change = VaultChange {
            version,
            origin,
            paths,
        };
        // Nobody listening is fine.
        let _ = self.0.changes.send(change.clone());
        // Freeing a snapshot of a large vault takes a while (0.15 s at 100,000 notes): let
        // another thread do it, so the change reaches the pages now. A page still rendering
        // with the old snapshot frees it itself when done.
        let dropped = std::thread::Builder::new()
            .name("attune-free-snapshot".to_owned())
            .spawn(move || drop(old));
        drop(dropped);
        Ok(Some(change))
    }
}

/// Paths whose text differs between two snapshots (added and removed included). A note the
/// two snapshots share (an unchanged note kept by a refresh) is not compared at all.
fn changed_paths(old: &Site, new: &Site) -> Vec<String> {
    fn notes(s: &Site) -> HashMap<&str, &Arc<attune_index::NoteCell>> {
        s.ws.vault
            .notes
            .iter()
            .map(|n| (n.path(), &n.note))
            .collect()
    }
    let (a, b) = (notes(old), notes(new));
    let same = |x: &Arc<attune_index::NoteCell>, y: &Arc<attune_index::NoteCell>| {
        Arc::ptr_eq(x, y) || x.source == y.source
    };
    let mut out: Vec<String> = a
        .iter()
        .filter(|(p, t)| b.get(*p).is_none_or(|u| !same(t, u)))
        .map(|(p, _)| (*p).to_owned())
        .chain(
            b.keys()
                .filter(|p| !a.contains_key(*p))
                .map(|p| (*p).to_owned()),
        )
        .collect();
    out.sort();
    out
}

/// What the search index holds for one note.
fn document(site: &Site, entry: usize) -> Document<'_> {
    let e = &site.entries[entry];
    let note = &site.vault_note(entry).note;
    let mut fields = String::new();
    if let Some(fm) = &note.frontmatter {
        for f in fm.iter() {
            if matches!(
                f.key.as_str(),
                "id" | "created" | "last_modified" | "fileClass"
            ) {
                continue;
            }
            fields.push_str(note.text(f.value_span));
            fields.push('\n');
        }
    }
    Document {
        path: &e.path,
        title: &e.title,
        fields,
        body: note.body_text(),
    }
}

/// 32 random bytes as hex, from the operating system's generator.
pub fn random_token() -> Result<String, StateError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StateError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
