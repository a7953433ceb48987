//! The `[VAULT]` / `--demo` arguments every command shares.

use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::Context;

/// Which vault a command works on.
#[derive(clap::Args, Debug, Clone)]
pub struct VaultArg {
    /// The vault folder (default: the current folder).
    #[arg(value_name = "VAULT")]
    pub vault: Option<PathBuf>,
    /// Work on a fresh copy of the built-in demo vault instead.
    #[arg(long, conflicts_with = "vault")]
    pub demo: bool,
    /// Read every note, ignoring the snapshot an earlier run left in the cache folder (and
    /// write none).
    #[arg(long)]
    pub no_cache: bool,
}

/// A vault folder to work on; for `--demo`, a temporary copy removed on drop.
pub struct VaultDir {
    pub path: PathBuf,
    temp: Option<PathBuf>,
    /// Where the vault's snapshot is kept; `None` with `--no-cache` or `--demo`.
    cache: Option<attune_engine::snapshot::Cache>,
}

impl Drop for VaultDir {
    fn drop(&mut self) {
        if let Some(dir) = &self.temp {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl VaultArg {
    pub fn resolve(&self) -> anyhow::Result<VaultDir> {
        if self.demo {
            let dir = std::env::temp_dir().join(format!(
                "attune-demo-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos())
            ));
            attune_engine::demo::write_to(&dir).context("writing the demo vault")?;
            return Ok(VaultDir {
                path: dir.clone(),
                temp: Some(dir),
                cache: None,
            });
        }
        let path = self.vault.clone().unwrap_or_else(|| PathBuf::from("."));
        Ok(VaultDir {
            path,
            temp: None,
            cache: cache_unless(self.no_cache),
        })
    }
}

impl VaultDir {
    /// Load this vault for a command that ends the process when it is done. The vault is
    /// never freed: the OS takes a process's memory back at exit at once, while freeing a
    /// 100 000-note vault piece by piece takes about a second of the command's time.
    pub fn load(
        &self,
        progress: &dyn attune_engine::vault::LoadProgress,
    ) -> Result<&'static attune_engine::Vault, attune_engine::LoadError> {
        let Some(cache) = &self.cache else {
            let vault = attune_engine::Vault::load_with(&self.path, progress)?;
            return Ok(Box::leak(Box::new(vault)));
        };
        let (vault, start) = attune_engine::Vault::open(&self.path, cache, progress)?;
        let vault: &'static attune_engine::Vault = Box::leak(Box::new(vault));
        remember_if_stale(vault, &start, cache);
        Ok(vault)
    }
}

/// The workspace of a writing command's vault, from its snapshot unless `no_cache` (see
/// [`VaultDir::load`]); kept until the process ends, for the same reason.
pub fn workspace(
    path: &std::path::Path,
    no_cache: bool,
) -> Result<&'static attune_engine::workspace::Workspace, attune_engine::commit::EditError> {
    use attune_engine::workspace::Workspace;
    let Some(cache) = cache_unless(no_cache) else {
        return Ok(Box::leak(Box::new(Workspace::load(path)?)));
    };
    let (ws, start) = Workspace::open(path, &cache)?;
    let ws: &'static Workspace = Box::leak(Box::new(ws));
    remember_if_stale(&ws.vault, &start, &cache);
    Ok(ws)
}

/// The user's snapshot folder, unless `--no-cache` or `ATTUNE_NO_CACHE` says otherwise.
fn cache_unless(no_cache: bool) -> Option<attune_engine::snapshot::Cache> {
    if no_cache || std::env::var_os("ATTUNE_NO_CACHE").is_some() {
        return None;
    }
    attune_engine::snapshot::Cache::from_env()
}

/// Keep `vault` for [`write_stale_snapshot`] when its snapshot was missing or out of date.
fn remember_if_stale(
    vault: &'static attune_engine::Vault,
    start: &attune_engine::snapshot::Start,
    cache: &attune_engine::snapshot::Cache,
) {
    if start.snapshot_is_stale() {
        *lock(&STALE) = Some((vault, cache.clone()));
    }
}

/// A vault loaded by [`VaultDir::load`] whose snapshot is missing or out of date.
static STALE: Mutex<
    Option<(
        &'static attune_engine::Vault,
        attune_engine::snapshot::Cache,
    )>,
> = Mutex::new(None);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Write the snapshot of the vault this command loaded, when it had none or an old one:
/// after the command's output, so the answer does not wait for it. A failure costs only the
/// next run's time, so it is a warning.
pub fn write_stale_snapshot() {
    let Some((vault, cache)) = lock(&STALE).take() else {
        return;
    };
    if let Err(e) = vault.write_snapshot(&cache) {
        anstream::eprintln!(
            "warning: could not write the vault's snapshot to {}: {e}\n  = help: the next run \
             reads every note again; set ATTUNE_CACHE_DIR to a folder you can write, or \
             ATTUNE_NO_CACHE=1 to keep no snapshots",
            cache.dir.display()
        );
    }
}

/// The query pages of a vault loaded with [`VaultDir::load`], never freed for the same
/// reason (at 100k notes dropping them was 6% of an `attune query`'s CPU).
pub fn query_pages(
    vault: &'static attune_engine::Vault,
) -> &'static attune_engine::query::VaultPages<'static> {
    Box::leak(Box::new(attune_engine::query::VaultPages::new(vault)))
}
