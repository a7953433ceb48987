//! The `[VAULT]` / `--demo` arguments every command shares.

use std::path::PathBuf;

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
}

/// A vault folder to work on; for `--demo`, a temporary copy removed on drop.
pub struct VaultDir {
    pub path: PathBuf,
    temp: Option<PathBuf>,
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
            });
        }
        let path = self.vault.clone().unwrap_or_else(|| PathBuf::from("."));
        Ok(VaultDir { path, temp: None })
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
        let vault = attune_engine::Vault::load_with(&self.path, progress)?;
        Ok(Box::leak(Box::new(vault)))
    }
}

/// The query pages of a vault loaded with [`VaultDir::load`], never freed for the same
/// reason (at 100k notes dropping them was 6% of an `attune query`'s CPU).
pub fn query_pages(
    vault: &'static attune_engine::Vault,
) -> &'static attune_engine::query::VaultPages<'static> {
    Box::leak(Box::new(attune_engine::query::VaultPages::new(vault)))
}
