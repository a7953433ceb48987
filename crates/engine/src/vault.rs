//! [`Vault`]: a loaded vault — every note parsed, its schema read, every note given its
//! class, every link resolved — the one model the commands and the web app work on.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use attune_index::{ClassFacts, Index, NoteCell, NoteInput};
use attune_schema::{Schema, SchemaInput, VaultFiles, load_schema};
use attune_store::{FileMeta, ScanOptions, StoreError, VaultPath};
use attune_syntax::{Diagnostic, Note, parse_note, parse_note_text};
use rayon::prelude::*;

use crate::settings::{METADATA_MENU_SETTINGS, Settings};

/// The vault's own rules for what fileClasses cannot say, at its root.
pub const ATTUNE_TOML: &str = "attune.toml";

/// One Markdown file of the vault, parsed. The note is shared with the index.
#[derive(Clone, Debug)]
pub struct VaultNote {
    pub meta: FileMeta,
    pub note: Arc<NoteCell>,
    /// Full name of the note's class (`me/foundations/trigger/trigger`), decided by the
    /// schema from the note's folder first, its `fileClass:` key second.
    /// Shared with the schema's class ([`attune_schema::Class::shared_name`]).
    pub class: Option<Arc<str>>,
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
        declared_file_class_by(&self.note, "fileClass")
    }
}

fn declared_file_class<'a>(note: &'a Note, schema: &Schema) -> Option<&'a str> {
    declared_file_class_by(note, &schema.settings.file_class_alias)
}

/// The value of the note's class key (`fileClass`, or Metadata Menu's `fileClassAlias`).
fn declared_file_class_by<'a>(note: &'a Note, key: &str) -> Option<&'a str> {
    let field = note.frontmatter.as_ref()?.get(key)?;
    match &field.value {
        attune_syntax::Value::Text(s) => Some(&**s),
        attune_syntax::Value::List(items) => items.iter().find_map(|v| match v {
            attune_syntax::Value::Text(s) => Some(&**s),
            _ => None,
        }),
        _ => None,
    }
}

/// The schema's relations as the index's plain class facts (short class names). A legacy
/// field name (an alias) carries the relation of the field it became.
pub fn class_facts(schema: &Schema) -> ClassFacts {
    let mut facts = ClassFacts::new();
    let short = |name: &str| {
        schema
            .class(name)
            .map_or_else(|| name.to_owned(), |c| c.short_name().to_owned())
    };
    for class in schema.classes() {
        for relation in &class.rules.relations {
            let targets: Vec<String> = relation.targets.iter().map(|t| short(t)).collect();
            facts.add_relation(
                class.short_name(),
                &relation.field,
                targets.clone(),
                relation.inverse.as_deref(),
            );
            if let Some(group_field) = &relation.chosen_by {
                facts.set_chosen_by(class.short_name(), &relation.field, group_field);
            }
            for (old, new) in class.rules.aliases.iter().chain(&schema.aliases) {
                if *new == relation.field && class.relation(old).is_none() {
                    facts.add_relation(class.short_name(), old, targets.clone(), None);
                }
            }
        }
    }
    facts
}

/// Build the index over the vault's notes with the schema's class facts.
/// Parse a note file's bytes; its findings carry `path` (vault-relative, as on disk).
/// Valid UTF-8 (nearly every note) becomes the note's source without a copy.
pub(crate) fn parse_file(path: &str, bytes: Vec<u8>) -> Note {
    let mut note = match String::from_utf8(bytes) {
        Ok(text) => parse_note_text(text),
        Err(e) => parse_note(e.as_bytes()),
    };
    for d in note.diagnostics_mut() {
        d.path = path.to_owned();
    }
    note
}

pub(crate) fn build_index(
    notes: &[VaultNote],
    other_files: &[VaultPath],
    schema: &Schema,
) -> Index {
    let inputs = notes.par_iter().map(|n| input_of(n, schema)).collect();
    let files = other_files.iter().map(|p| p.on_disk.to_string()).collect();
    Index::build(inputs, files, class_facts(schema))
}

/// What the index is told about one note.
pub(crate) fn input_of(n: &VaultNote, schema: &Schema) -> NoteInput {
    NoteInput {
        path: n.meta.path.on_disk.clone(),
        note: Arc::clone(&n.note),
        meta: attune_index::FileMeta {
            size: n.meta.size,
            mtime: n.meta.mtime_ms,
            ctime: n.meta.ctime_ms,
        },
        excluded: n.meta.excluded,
        class: n
            .class
            .as_deref()
            .and_then(|c| schema.class(c))
            .map(|c| c.short_name().to_owned()),
    }
}

/// Decide one (not excluded) note's class; the findings carry the note's path and point at
/// its class key when they have no place of their own.
pub(crate) fn assign_class(n: &mut VaultNote, schema: &Schema) -> Vec<Diagnostic> {
    let assignment = schema.class_of(n.meta.path.key(), declared_file_class(&n.note, schema));
    let fc_span = n
        .note
        .frontmatter
        .as_ref()
        .and_then(|fm| fm.find(&schema.settings.file_class_alias))
        .map(|f| f.value_span);
    let mut found = assignment.diagnostics;
    for d in &mut found {
        (*n.meta.path.on_disk).clone_into(&mut d.path);
        if d.span.is_none() {
            d.span = fc_span;
        }
    }
    n.class = assignment.class;
    found
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
    /// A phase of the load ended, `elapsed` after the load began: `"read"` (walk, read and
    /// parse every note), `"schema"`, `"classes"`, `"index"` (links resolved). For the
    /// bench's per-phase figures.
    fn phase(&self, _name: &'static str, _elapsed: std::time::Duration) {}
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
    /// Problems met while reading: unreadable files, bad settings, note parse diagnostics
    /// (each with its path filled in).
    pub diagnostics: Vec<Diagnostic>,
    /// Problems the schema layer found: in the fileClasses and `attune.toml` (missing value
    /// lists, bad TOML, …) and in deciding each note's class (`schema/class-mismatch`, …).
    pub schema_diagnostics: Vec<Diagnostic>,
    /// The vault's types: its fileClasses plus `attune.toml` (or the built-in pack).
    pub schema: Schema,
    /// Text of `attune.toml`, when the vault has one.
    pub attune_toml: Option<String>,
    /// Links, backlinks and relations over the indexed notes.
    pub index: Index,
    /// Vault paths (NFC keys) whose text the schema read or looked for (fileClass notes,
    /// value-list notes, missing ones too): [`Vault::refresh`] reads the schema again only
    /// when one of these, the fileClass folder, `attune.toml` or the set of notes changes.
    pub(crate) schema_reads: BTreeSet<String>,
    /// How many of `schema_diagnostics` the schema itself gave; the rest are class findings
    /// of notes, in note order.
    pub(crate) schema_findings: usize,
}

/// The schema layer's view of the vault's files: NFC paths and note texts, remembering
/// which texts it asked for. A text is found by binary search over the notes in key order:
/// the schema asks for a few dozen texts, and hashing all hundred thousand paths up front
/// was a serial 30–50 ms of a 100k-note load.
pub(crate) struct SchemaFiles<'a> {
    notes: &'a [VaultNote],
    /// Positions in `notes` in key order, one per distinct key (the last note of a key, as
    /// a map built in note order keeps). `None` when `notes` are in strict key order
    /// already: a scan sorts them by path as on disk, which is key order unless a path is
    /// not NFC.
    order: Option<Vec<usize>>,
    reads: RefCell<BTreeSet<String>>,
}

impl<'a> SchemaFiles<'a> {
    pub(crate) fn of(notes: &'a [VaultNote]) -> SchemaFiles<'a> {
        let key = |i: usize| notes[i].meta.path.key();
        // In parallel: a comparison of two paths is a cache miss or two, and there are as
        // many as notes.
        let in_order = (1..notes.len())
            .into_par_iter()
            .all(|i| key(i - 1) < key(i));
        let order = (!in_order).then(|| {
            let mut order: Vec<usize> = (0..notes.len()).collect();
            // Stable: among equal keys the later note stays later, and is the one kept.
            order.sort_by(|&a, &b| key(a).cmp(key(b)));
            let mut kept: Vec<usize> = Vec::with_capacity(order.len());
            for i in order {
                match kept.last_mut() {
                    Some(last) if key(*last) == key(i) => *last = i,
                    _ => kept.push(i),
                }
            }
            kept
        });
        SchemaFiles {
            notes,
            order,
            reads: RefCell::new(BTreeSet::new()),
        }
    }

    /// The note whose key is `path`.
    fn find(&self, path: &str) -> Option<&'a VaultNote> {
        let notes = self.notes;
        let at = match &self.order {
            None => notes
                .binary_search_by(|n| n.meta.path.key().cmp(path))
                .ok()?,
            Some(order) => {
                order[order
                    .binary_search_by(|&i| notes[i].meta.path.key().cmp(path))
                    .ok()?]
            }
        };
        Some(&notes[at])
    }

    /// The paths whose text was asked for so far.
    pub(crate) fn into_reads(self) -> BTreeSet<String> {
        self.reads.into_inner()
    }
}

impl VaultFiles for SchemaFiles<'_> {
    fn paths(&self) -> Vec<&str> {
        match &self.order {
            None => self.notes.iter().map(|n| n.meta.path.key()).collect(),
            Some(order) => order
                .iter()
                .map(|&i| self.notes[i].meta.path.key())
                .collect(),
        }
    }
    fn text(&self, path: &str) -> Option<&str> {
        self.reads.borrow_mut().insert(path.to_owned());
        self.find(path).map(|n| n.note.source.as_str())
    }
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
                        .with_help(
                            "fix the JSON or delete the file to use Metadata Menu's defaults",
                        )
                }));
                settings
            }
            None => Settings::default(),
        };
        let options = ScanOptions {
            excluded_folders: settings.excluded_folders.clone(),
            excluded_extensions: settings.excluded_extensions.clone(),
        };
        let started = std::time::Instant::now();
        let done = AtomicUsize::new(0);
        let scan = attune_store::scan(
            root,
            &options,
            |total| progress.walked(total),
            |meta, bytes| {
                let note = parse_file(&meta.path.on_disk, bytes);
                progress.read(done.fetch_add(1, Ordering::Relaxed) + 1);
                // The note shared from here on: the scan's result list holds a pointer per
                // note, not the note itself (a second 100 000-entry list of 256-byte notes
                // at the peak).
                VaultNote {
                    meta,
                    note: NoteCell::ready(note),
                    class: None,
                }
            },
        )?;
        // The parse threads' tables of shared link targets have done their work: give their
        // memory back for the steps that follow (a few MB per thread).
        rayon::broadcast(|_| attune_syntax::markdown::forget_shared_targets());
        for e in scan.errors {
            diagnostics.push(
                Diagnostic::error("io/unreadable", e.to_string())
                    .with_help("check the file's permissions; attune read every other file"),
            );
        }
        let mut notes = scan.notes;
        // In parallel (in note order): a serial pass was a cache miss per note.
        let found: Vec<Diagnostic> = notes
            .par_iter()
            .flat_map_iter(|n| n.note.diagnostics().iter().cloned())
            .collect();
        diagnostics.extend(found);
        progress.phase("read", started.elapsed());

        let attune_toml = attune_store::read_optional(root, ATTUNE_TOML)?;
        let (schema, schema_diagnostics, schema_reads) = {
            let files = SchemaFiles::of(&notes);
            let (schema, found) = load_schema(&SchemaInput {
                metadata_menu_settings: settings.raw.as_deref(),
                attune_toml: attune_toml.as_deref(),
                files: &files,
            });
            (schema, found, files.into_reads())
        };
        progress.phase("schema", started.elapsed());
        let mut schema_diagnostics = schema_diagnostics;
        let schema_findings = schema_diagnostics.len();
        // Each note's class on its own (in parallel); the findings keep the notes' order.
        let class_findings: Vec<Vec<Diagnostic>> = notes
            .par_iter_mut()
            .filter(|n| !n.meta.excluded)
            .map(|n| assign_class(n, &schema))
            .collect();
        schema_diagnostics.extend(class_findings.into_iter().flatten());
        progress.phase("classes", started.elapsed());
        let index = build_index(&notes, &scan.other_files, &schema);
        progress.phase("index", started.elapsed());
        Ok(Vault {
            root: scan.root,
            settings,
            notes,
            other_files: scan.other_files,
            diagnostics,
            schema_diagnostics,
            schema,
            attune_toml,
            index,
            schema_reads,
            schema_findings,
        })
    }

    /// Notes that are notes of the vault (not under an excluded folder such as `Meta/`).
    pub fn indexed_notes(&self) -> impl Iterator<Item = &VaultNote> {
        self.notes.iter().filter(|n| !n.meta.excluded)
    }

    /// Find a note by its vault-relative path (NFC-insensitive).
    pub fn note_by_path(&self, path: &str) -> Option<&VaultNote> {
        let key = attune_store::path::nfc(path);
        self.notes.iter().find(|n| n.meta.path.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(path: &str, text: &str) -> VaultNote {
        VaultNote {
            meta: FileMeta {
                path: attune_store::VaultPath::new(path),
                size: text.len() as u64,
                mtime_ms: 0,
                ctime_ms: 0,
                excluded: false,
            },
            note: NoteCell::ready(parse_note_text(text.to_owned())),
            class: None,
        }
    }

    /// Texts are found by NFC key whatever order the notes' keys come in, and of two files
    /// with one key the later is read (as a map filled in note order keeps it).
    #[test]
    fn schema_files_find_texts_by_key_in_and_out_of_order() {
        let in_order = [note("A/x.md", "x"), note("B.md", "b")];
        let files = SchemaFiles::of(&in_order);
        assert!(files.order.is_none());
        assert_eq!(files.paths(), ["A/x.md", "B.md"]);
        assert_eq!(files.text("B.md"), Some("b"));
        assert_eq!(files.text("C.md"), None);

        // On disk `e` + combining accent sorts before `f`; as NFC keys `é` sorts after it.
        let out_of_order = [
            note("Cafe\u{301} z.md", "decomposed"),
            note("Caff.md", "caff"),
            note("Caf\u{e9} z.md", "composed"),
        ];
        let files = SchemaFiles::of(&out_of_order);
        assert_eq!(files.paths(), ["Caff.md", "Caf\u{e9} z.md"]);
        assert_eq!(files.text("Caff.md"), Some("caff"));
        assert_eq!(files.text("Caf\u{e9} z.md"), Some("composed"));
        assert!(files.into_reads().contains("Caff.md"));
    }
}
