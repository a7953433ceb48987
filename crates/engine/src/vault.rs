//! [`Vault`]: a loaded vault — every note parsed, settings read — ready for the schema,
//! the index and queries.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use attune_store::{FileMeta, ScanOptions, StoreError, VaultPath};
use attune_syntax::{Diagnostic, Note, parse_note};

use crate::settings::{METADATA_MENU_SETTINGS, Settings};

/// One Markdown file of the vault, parsed.
#[derive(Clone, Debug)]
pub struct VaultNote {
    pub meta: FileMeta,
    pub note: Note,
}

impl VaultNote {
    /// Vault-relative path as on disk.
    pub fn path(&self) -> &str {
        &self.meta.path.on_disk
    }

    /// A 0-byte file, or an empty frontmatter block with nothing after it: what Obsidian
    /// leaves behind when someone clicks a link to a note that does not exist yet.
    pub fn is_empty_stub(&self) -> bool {
        let body_blank = self.note.body_text().trim().is_empty();
        match &self.note.frontmatter {
            None => body_blank,
            Some(fm) => body_blank && fm.valid && fm.fields.is_empty(),
        }
    }

    /// The `fileClass` key's value when it is a plain string.
    pub fn declared_file_class(&self) -> Option<&str> {
        let field = self.note.frontmatter.as_ref()?.get("fileClass")?;
        match &field.value {
            attune_syntax::Value::Text(s) => Some(s.as_str()),
            attune_syntax::Value::List(items) => items.iter().find_map(|v| match v {
                attune_syntax::Value::Text(s) => Some(s.as_str()),
                _ => None,
            }),
            _ => None,
        }
    }
}

/// Why a vault could not be loaded at all (content problems are diagnostics instead).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Progress of a load, for a progress bar.
pub trait LoadProgress: Sync {
    fn walked(&self, _total: usize) {}
    fn read(&self, _done: usize) {}
}

/// No progress reporting.
pub struct Silent;
impl LoadProgress for Silent {}

/// A vault in memory: its notes (sorted by path), other files, settings and every problem
/// found while reading them.
#[derive(Debug)]
pub struct Vault {
    pub root: PathBuf,
    pub settings: Settings,
    pub notes: Vec<VaultNote>,
    /// Attachments and other non-Markdown files, vault-relative.
    pub other_files: Vec<VaultPath>,
    /// Problems met while loading: unreadable files, bad settings, note parse diagnostics
    /// (each with its path filled in).
    pub diagnostics: Vec<Diagnostic>,
}

impl Vault {
    pub fn load(root: &Path) -> Result<Vault, LoadError> {
        Vault::load_with(root, &Silent)
    }

    /// Load with progress callbacks.
    pub fn load_with(root: &Path, progress: &dyn LoadProgress) -> Result<Vault, LoadError> {
        let mut diagnostics = Vec::new();
        let settings = match attune_store::read_optional(root, METADATA_MENU_SETTINGS)? {
            Some(text) => {
                let (settings, problems) = Settings::from_json(&text);
                diagnostics.extend(problems.into_iter().map(|p| {
                    Diagnostic::warning("settings/invalid", p)
                        .with_path(METADATA_MENU_SETTINGS)
                        .with_help("fix the JSON or delete the file to use Metadata Menu's defaults")
                }));
                settings
            }
            None => Settings::default(),
        };
        let options = ScanOptions {
            excluded_folders: settings.excluded_folders.clone(),
            excluded_extensions: settings.excluded_extensions.clone(),
        };
        let done = AtomicUsize::new(0);
        let scan = attune_store::scan(
            root,
            &options,
            |total| progress.walked(total),
            |_meta, bytes| {
                let note = parse_note(&bytes);
                progress.read(done.fetch_add(1, Ordering::Relaxed) + 1);
                note
            },
        )?;
        for e in scan.errors {
            diagnostics.push(
                Diagnostic::error("io/unreadable", e.to_string())
                    .with_help("check the file's permissions; attune read every other file"),
            );
        }
        let notes: Vec<VaultNote> = scan
            .notes
            .into_iter()
            .map(|(meta, mut note)| {
                for d in &mut note.diagnostics {
                    d.path.clone_from(&meta.path.on_disk);
                }
                VaultNote { meta, note }
            })
            .collect();
        for n in &notes {
            diagnostics.extend(n.note.diagnostics.iter().cloned());
        }
        Ok(Vault { root: scan.root, settings, notes, other_files: scan.other_files, diagnostics })
    }

    /// Notes that are notes of the vault (not under an excluded folder such as `Meta/`).
    pub fn indexed_notes(&self) -> impl Iterator<Item = &VaultNote> {
        self.notes.iter().filter(|n| !n.meta.excluded)
    }

    /// Find a note by its vault-relative path (NFC-insensitive).
    pub fn note_by_path(&self, path: &str) -> Option<&VaultNote> {
        let key = attune_store::path::nfc(path);
        self.notes.iter().find(|n| n.meta.path.key == key)
    }
}
