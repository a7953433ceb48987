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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_toml_parses_cleanly() {
        let (config, diagnostics) = parse_config(ATTUNE_TOML, "pack/attune.toml");
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let class = |name: &str| {
            config
                .classes
                .iter()
                .find(|c| c.class == name)
                .unwrap_or_else(|| panic!("{name}"))
        };
        assert_eq!(class("practice_session").fileclass_names, ["practice_log"]);
        let live = class("practice_session")
            .relations
            .iter()
            .find(|r| r.field == "live_rehearsals")
            .expect("relation");
        assert_eq!(
            (live.targets.as_slice(), live.inverse.as_deref()),
            (
                &["live_rehearsal".to_string()][..],
                Some("practice_session")
            )
        );
        assert_eq!(
            class("emotional_wound").aliases,
            [(
                "healing_resource".to_string(),
                "healing_resources".to_string()
            )]
        );
        let trigger_type = class("trigger")
            .groups
            .iter()
            .find(|g| g.field == "trigger_type")
            .expect("group");
        assert_eq!(trigger_type.by, "trigger_group");
        assert!(
            trigger_type
                .options_for("Relational")
                .is_some_and(|o| o.iter().any(|v| v == "Rejection"))
        );
    }
}
