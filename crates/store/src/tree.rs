//! Writing a whole new tree of files (the demo vault, `attune init`, generated vaults).
//! Existing files are never overwritten.

use std::io::Write;
use std::path::Path;

use crate::StoreError;

/// Create every `(vault-relative path, bytes)` below `root`, making folders as needed.
/// Fails, naming the file, if any of them already exists.
pub fn write_new_files<'a>(
    root: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<(), StoreError> {
    for (rel, bytes) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs_err::create_dir_all(parent).map_err(|e| StoreError::io(parent, e))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| StoreError::io(&path, e))?;
        file.write_all(bytes)
            .map_err(|e| StoreError::io(&path, e))?;
    }
    Ok(())
}
