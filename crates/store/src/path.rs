//! Vault-relative paths: `/`-separated, as on disk, with an NFC key for lookups.

use unicode_normalization::{UnicodeNormalization, is_nfc};

/// A path relative to the vault root. `on_disk` keeps the name exactly as the file system
/// has it (macOS may store NFD); `key` is its NFC form, used for every lookup.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VaultPath {
    pub on_disk: String,
    pub key: String,
}

impl VaultPath {
    pub fn new(on_disk: String) -> VaultPath {
        let key = nfc(&on_disk);
        VaultPath { on_disk, key }
    }
}

/// NFC form of `s`, without allocating a different string when it already is NFC.
pub fn nfc(s: &str) -> String {
    if is_nfc(s) {
        s.to_owned()
    } else {
        s.nfc().collect()
    }
}
