//! Vault-relative paths: `/`-separated, as on disk, with an NFC key for lookups.

use unicode_normalization::{UnicodeNormalization, is_nfc};

/// A path relative to the vault root. `on_disk` keeps the name exactly as the file system
/// has it (macOS may store NFD); [`VaultPath::key`] is its NFC form, used for every lookup.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VaultPath {
    /// Shared (`Arc`): the index keeps the same text for its entry and maps.
    pub on_disk: std::sync::Arc<str>,
    /// The NFC form, only when it differs from `on_disk` (nearly every path is NFC already:
    /// a second copy of each of a hundred thousand paths would be kept for nothing).
    nfc: Option<Box<str>>,
}

impl VaultPath {
    pub fn new(on_disk: impl Into<std::sync::Arc<str>>) -> VaultPath {
        let on_disk = on_disk.into();
        // ASCII is always NFC; the quick check is for the rest (emoji folders, accents).
        let nfc = (!on_disk.is_ascii() && !is_nfc(&on_disk))
            .then(|| on_disk.nfc().collect::<String>().into());
        VaultPath { on_disk, nfc }
    }

    /// The NFC form of the path, used for every lookup.
    pub fn key(&self) -> &str {
        self.nfc.as_deref().unwrap_or(&self.on_disk)
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
