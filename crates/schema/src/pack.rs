//! The built-in self-work pack: `attune.toml` rules and Metadata Menu fileClass notes for
//! the self-work system (Foundations, Practice Lab, Captured Moments, Observations, Journal,
//! Inner Check-Ins). Its rules apply when a vault has no `attune.toml`; `attune init` writes
//! its files into a new vault.

use crate::config::{VaultConfig, parse_config};

/// The pack's `attune.toml`.
pub const ATTUNE_TOML: &str = include_str!("../pack/attune.toml");

/// The pack's rules, parsed. The pack is tested to parse without diagnostics.
pub fn config() -> VaultConfig {
    parse_config(ATTUNE_TOML, "<self-work pack>/attune.toml").0
}

/// Every file of the pack as `(vault-relative path, text)`: `attune.toml` and the fileClass notes.
pub fn files() -> Vec<(&'static str, &'static str)> {
    let mut out = vec![("attune.toml", ATTUNE_TOML)];
    out.extend_from_slice(crate::pack_files::FILECLASSES);
    out
}
