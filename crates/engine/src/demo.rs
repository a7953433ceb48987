//! The built-in demo vault (written by the attune team, not anyone's real notes), embedded
//! in the binary so `attune … --demo` works anywhere.

use std::path::Path;

use attune_store::StoreError;

#[derive(rust_embed::RustEmbed)]
#[folder = "../../demo/"]
struct DemoFiles;

/// Every file of the demo vault: the self-work pack's schemas and `attune.toml`, then the
/// demo notes; vault-relative path and bytes, sorted by path.
pub fn files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = attune_schema::pack::files()
        .into_iter()
        .map(|(path, text)| (path.to_owned(), text.as_bytes().to_vec()))
        .collect();
    files.extend(DemoFiles::iter().filter_map(|name| {
        DemoFiles::get(&name).map(|f| (name.into_owned(), f.data.into_owned()))
    }));
    files.sort();
    files
}

/// Write the demo vault into `dir` (which should be empty or not exist yet).
pub fn write_to(dir: &Path) -> Result<(), StoreError> {
    attune_store::write_new_files(dir, files().iter().map(|(p, b)| (p.as_str(), b.as_slice())))
}
