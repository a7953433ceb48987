//! What the schema layer reads from a vault, handed in as plain data by the store.

use std::collections::BTreeMap;

/// Read access to a vault's files: every vault-relative path (`/` separators, NFC), and
/// the text of any of them. Empty notes are listed too (folder-per-group option sets are
/// folders of empty notes). `Meta/` is included: fileClasses and value lists live there.
pub trait VaultFiles {
    /// Every file path of the vault, in any order.
    fn paths(&self) -> Vec<&str>;
    /// The text of one file, `None` when there is no such file.
    fn text(&self, path: &str) -> Option<&str>;
}

impl VaultFiles for BTreeMap<String, String> {
    fn paths(&self) -> Vec<&str> {
        self.keys().map(String::as_str).collect()
    }
    fn text(&self, path: &str) -> Option<&str> {
        self.get(path).map(String::as_str)
    }
}

impl VaultFiles for [(&str, &str)] {
    fn paths(&self) -> Vec<&str> {
        self.iter().map(|(p, _)| *p).collect()
    }
    fn text(&self, path: &str) -> Option<&str> {
        self.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
    }
}

/// Everything [`crate::load_schema`] needs.
pub struct SchemaInput<'a> {
    /// Text of `.obsidian/plugins/metadata-menu/data.json`, if present.
    pub metadata_menu_settings: Option<&'a str>,
    /// Text of `attune.toml` at the vault root, if present. When absent the built-in
    /// self-work pack's rules are used.
    pub attune_toml: Option<&'a str>,
    /// The vault's files.
    pub files: &'a dyn VaultFiles,
}
