//! [`Workspace`]: a vault loaded together with its schema, ready to plan changes: which class
//! every note has, notes by name for link fields, and the names taken in each folder.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use attune_schema::{Class, Schema};
use attune_syntax::Diagnostic;

use crate::commit::EditError;
use crate::naming::key;
use crate::vault::{Vault, VaultNote};

/// A vault with its schema.
pub struct Workspace {
    pub vault: Vault,
    pub schema: Schema,
    /// Problems the schema layer found (missing value lists, bad `attune.toml`, …).
    pub schema_diagnostics: Vec<Diagnostic>,
    /// The write side's name lookups, built on first use: the web app makes a workspace
    /// for every change on disk, and most of them are never asked for a name (keying
    /// 100,000 paths and names took 0.2-0.4 s).
    names: std::sync::OnceLock<Names>,
}

/// Notes by name and by path, for the write side.
struct Names {
    /// Note indices by name key (file name without `.md`, NFC, lower-case); excluded notes
    /// (`Meta/`) are not link targets and are left out.
    by_name: HashMap<String, Vec<usize>>,
    /// Note indices by path key without `.md`.
    by_path: HashMap<String, usize>,
}

impl Names {
    fn of(vault: &Vault) -> Names {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_path = HashMap::new();
        for (i, n) in vault.notes.iter().enumerate() {
            if n.meta.excluded {
                continue;
            }
            let path = n
                .meta
                .path
                .key()
                .strip_suffix(".md")
                .unwrap_or(n.meta.path.key());
            by_path.insert(key(path), i);
            by_name.entry(key(name_of(path))).or_default().push(i);
        }
        Names { by_name, by_path }
    }
}

/// How a link value given for a field resolves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkResolution {
    /// One note: the text to write between `[[` and `]]` (the bare name, or the path without
    /// `.md` when the name alone is ambiguous in the vault).
    Note { path: String, link: String },
    /// No note has that name or path.
    Missing,
    /// Several notes fit and the field's class does not pick one: their paths.
    Ambiguous(Vec<String>),
}

impl Workspace {
    /// Load the vault at `root` and its schema. Finishes any commit a crash interrupted first.
    pub fn load(root: &Path) -> Result<Workspace, EditError> {
        crate::commit::recover(root)?;
        let vault = Vault::load(root)?;
        Ok(Workspace::new(vault))
    }

    /// [`Workspace::load`], opening the vault from its snapshot in `cache` when it has a
    /// usable one ([`Vault::open`]). A write planned on a note read from a snapshot is as
    /// safe as one planned on a fresh read: the commit checks each file still holds the
    /// bytes the plan started from.
    pub fn open(
        root: &Path,
        cache: &crate::snapshot::Cache,
    ) -> Result<(Workspace, crate::snapshot::Start), EditError> {
        crate::commit::recover(root)?;
        let (vault, start) = Vault::open(root, cache, &crate::vault::Silent)?;
        Ok((Workspace::new(vault), start))
    }

    /// Build from a loaded vault: its schema and each note's class come from the load; the
    /// write-side name lookups are built when first asked for.
    pub fn new(vault: Vault) -> Workspace {
        let schema = vault.schema.clone();
        let schema_diagnostics = vault.schema_diagnostics.clone();
        Workspace {
            vault,
            schema,
            schema_diagnostics,
            names: std::sync::OnceLock::new(),
        }
    }

    fn names(&self) -> &Names {
        self.names.get_or_init(|| Names::of(&self.vault))
    }

    /// The class of the note at index `i` of `vault.notes`.
    pub fn class_of_note(&self, i: usize) -> Option<&Class> {
        self.vault
            .notes
            .get(i)?
            .class
            .as_deref()
            .and_then(|c| self.schema.class(c))
    }

    /// A note by vault-relative path (with or without `.md`) or by unique name.
    pub fn find_note(&self, text: &str) -> Result<usize, Vec<String>> {
        let t = text.trim().trim_start_matches("[[").trim_end_matches("]]");
        let t = t.split(['|', '#']).next().unwrap_or(t).trim();
        let stem = t.strip_suffix(".md").unwrap_or(t);
        if let Some(&i) = self.names().by_path.get(&key(stem)) {
            return Ok(i);
        }
        match self.names().by_name.get(&key(stem)).map(Vec::as_slice) {
            Some([i]) => Ok(*i),
            Some(many) => Err(many
                .iter()
                .map(|&i| self.vault.notes[i].path().to_owned())
                .collect()),
            None => Err(Vec::new()),
        }
    }

    pub fn note(&self, i: usize) -> &VaultNote {
        &self.vault.notes[i]
    }

    /// Resolve a link target (`Name`, `folder/Name`) written in a field whose relation
    /// targets `targets` (full class names; empty when any note goes).
    pub fn resolve_link(&self, target: &str, targets: &[String]) -> LinkResolution {
        let stem = target.trim().strip_suffix(".md").unwrap_or(target.trim());
        if stem.contains('/')
            && let Some(&i) = self.names().by_path.get(&key(stem))
        {
            return self.link_to(i);
        }
        let Some(candidates) = self.names().by_name.get(&key(name_of(stem))) else {
            return LinkResolution::Missing;
        };
        if stem.contains('/') {
            return LinkResolution::Missing;
        }
        if let [only] = candidates.as_slice() {
            return self.link_to(*only);
        }
        let of_class: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| {
                self.vault.notes[i]
                    .class
                    .as_ref()
                    .is_some_and(|c| targets.iter().any(|t| **t == **c))
            })
            .collect();
        match of_class.as_slice() {
            [only] => self.link_to(*only),
            _ => LinkResolution::Ambiguous(
                candidates
                    .iter()
                    .map(|&i| self.vault.notes[i].path().to_owned())
                    .collect(),
            ),
        }
    }

    fn link_to(&self, i: usize) -> LinkResolution {
        let path = self.vault.notes[i].path().to_owned();
        let stem = path.strip_suffix(".md").unwrap_or(&path);
        let name = name_of(stem);
        let unique = self
            .names()
            .by_name
            .get(&key(name))
            .is_some_and(|v| v.len() == 1);
        let link = if unique {
            name.to_owned()
        } else {
            stem.to_owned()
        };
        LinkResolution::Note { path, link }
    }

    /// Names (without `.md`) of the notes in `folder`, as on disk.
    pub fn names_in(&self, folder: &str) -> Vec<&str> {
        let folder = key(folder.trim_end_matches('/'));
        self.vault
            .notes
            .iter()
            .map(|n| n.path())
            .filter(|p| key(folder_of(p)) == folder)
            .map(|p| name_of(p.strip_suffix(".md").unwrap_or(p)))
            .collect()
    }

    /// Every note of a class (full name), by path.
    pub fn notes_of_class(&self, class: &str) -> BTreeMap<&str, usize> {
        (self.vault.notes.iter().enumerate())
            .filter(|(_, n)| n.class.as_deref() == Some(class))
            .map(|(i, n)| (n.path(), i))
            .collect()
    }
}

/// The last segment of a `/` path.
pub fn name_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Everything before the last `/` (empty at the root).
pub fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(f, _)| f)
}
