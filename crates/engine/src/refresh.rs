//! [`Vault::refresh`]: bring a loaded vault up to date with a few files that changed on disk
//! (what a file watcher reports) without reading the whole vault again. The changed notes are
//! read and parsed again, their classes and findings are decided again, and the link index
//! follows with [`Index::apply`], so links to and from the changed notes are resolved again
//! and nothing else is touched: the cost is that of the changed notes, not of the vault.
//!
//! The schema is read again only when its input may have changed: a note under the
//! fileClass folder, a note the schema read or looked for (a value list;
//! `Vault::schema_reads`), `attune.toml`, or the set of notes (its suggestions for missing
//! value lists name existing notes). Every class is decided again only when the schema that
//! comes out differs; when it is the same, only its own findings are replaced (a vault
//! opened from a snapshot would otherwise parse every note for one note added).
//!
//! [`Index::apply`]: attune_index::Index::apply
//!
//! *Invariant*: after `refresh(paths)` the vault equals what [`Vault::load`] would read now,
//! provided every file that changed is in `paths` (notes, classes, links and backlinks,
//! diagnostics). A change to Metadata Menu's settings (they decide which folders are indexed)
//! or a new folder makes it fall back to a full load; a change to a fileClass or to
//! `attune.toml` that changes the schema re-decides every note's class and rebuilds the index
//! from the notes in memory.

use std::collections::BTreeSet;
use std::path::Path;

use attune_index::{Change, NoteInput};
use attune_schema::{Schema, SchemaInput, load_schema};
use attune_store::{Disk, Entry, FileMeta, RealDisk, StoreError, VaultPath};
use attune_syntax::{Diagnostic, Note};
use rayon::prelude::*;

use crate::settings::METADATA_MENU_SETTINGS;
use crate::vault::{ATTUNE_TOML, LoadError, SchemaFiles, Vault, VaultNote, build_index, input_of};

/// What one [`Vault::refresh`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefreshReport {
    /// The vault was read again from scratch (settings changed, a folder appeared, …).
    pub full_reload: bool,
    /// The schema changed (a fileClass or `attune.toml`): every class was decided again.
    pub schema_changed: bool,
    /// Notes read again or added (vault-relative, as on disk).
    pub notes_changed: Vec<String>,
    /// Notes that are gone.
    pub notes_removed: Vec<String>,
    /// Attachments (non-Markdown files) that appeared or disappeared.
    pub files_changed: Vec<String>,
}

impl RefreshReport {
    /// Nothing in the vault changed.
    pub fn is_empty(&self) -> bool {
        !self.full_reload
            && !self.schema_changed
            && self.notes_changed.is_empty()
            && self.notes_removed.is_empty()
            && self.files_changed.is_empty()
    }
}

/// A copy shares every parsed note (`Arc`) with the original; the index is copied.
impl Clone for Vault {
    fn clone(&self) -> Vault {
        Vault {
            root: self.root.clone(),
            settings: self.settings.clone(),
            notes: self.notes.clone(),
            other_files: self.other_files.clone(),
            diagnostics: self.diagnostics.clone(),
            schema_diagnostics: self.schema_diagnostics.clone(),
            schema: self.schema.clone(),
            attune_toml: self.attune_toml.clone(),
            index: self.index.clone(),
            schema_reads: self.schema_reads.clone(),
            schema_findings: self.schema_findings,
        }
    }
}

/// What is at a changed path now.
enum OnDisk {
    Note(FileMeta, Box<Note>),
    File,
    Folder,
    Gone,
    /// Not part of the vault (a dot-folder, a hidden file).
    Ignored,
}

impl Vault {
    /// Apply changes on disk at `changed` (vault-relative paths with `/`, or absolute paths
    /// inside the vault; added, modified, removed or renamed — both names of a rename) to this
    /// vault. See the module documentation for what is read again.
    pub fn refresh<P: AsRef<Path>>(&mut self, changed: &[P]) -> Result<RefreshReport, LoadError> {
        let mut paths = BTreeSet::new();
        for p in changed {
            match self.relative(p.as_ref()) {
                Some(rel) if !rel.is_empty() => {
                    paths.insert(rel);
                }
                // The vault folder itself, or something outside it: read everything.
                _ => return self.reload_all(),
            }
        }
        if paths.iter().any(|p| p == METADATA_MENU_SETTINGS) {
            return self.reload_all();
        }
        let mut report = RefreshReport::default();
        let mut schema_changed = false;
        if paths.remove(ATTUNE_TOML) {
            let text = attune_store::read_optional(&self.root, ATTUNE_TOML)?;
            if text != self.attune_toml {
                self.attune_toml = text;
                schema_changed = true;
            }
        }
        let mut io_errors = Vec::new();
        let mut note_changes: Vec<Change> = Vec::new();
        let mut modified: Vec<String> = Vec::new();
        let mut file_changes: Vec<Change> = Vec::new();
        let mut notes_added = false;
        for rel in &paths {
            match self.read(rel) {
                Err(e) => {
                    // Unreadable now: as a load, the note is left out and reported.
                    io_errors.push(
                        Diagnostic::error("io/unreadable", e.to_string()).with_help(
                            "check the file's permissions; attune read every other file",
                        ),
                    );
                    if self.remove_note(rel) {
                        report.notes_removed.push(rel.clone());
                        note_changes.push(Change::Deleted(rel.clone()));
                    }
                }
                Ok(OnDisk::Ignored) => {}
                Ok(OnDisk::Folder) => return self.reload_all(),
                Ok(OnDisk::Note(meta, note)) => {
                    if self.upsert_note(meta, *note) {
                        notes_added = true;
                    }
                    report.notes_changed.push(rel.clone());
                    // The class is decided below; the index change is made then.
                    modified.push(rel.clone());
                }
                Ok(OnDisk::File) => {
                    if self.remove_note(rel) {
                        report.notes_removed.push(rel.clone());
                        note_changes.push(Change::Deleted(rel.clone()));
                    }
                    if let Err(at) = self
                        .other_files
                        .binary_search_by(|f| (*f.on_disk).cmp(rel.as_str()))
                    {
                        self.other_files.insert(at, VaultPath::new(rel.clone()));
                        report.files_changed.push(rel.clone());
                        file_changes.push(Change::FileCreated(rel.clone()));
                    }
                }
                Ok(OnDisk::Gone) => {
                    // A note, an attachment, or a whole folder with everything below it.
                    let below = format!("{rel}/");
                    let gone_notes: Vec<String> = self
                        .notes
                        .iter()
                        .map(|n| n.path().to_owned())
                        .filter(|p| p == rel || p.starts_with(&below))
                        .collect();
                    for p in gone_notes {
                        self.remove_note(&p);
                        report.notes_removed.push(p.clone());
                        note_changes.push(Change::Deleted(p));
                    }
                    let before = self.other_files.len();
                    self.other_files.retain(|f| {
                        let gone = *f.on_disk == **rel || f.on_disk.starts_with(&below);
                        if gone {
                            report.files_changed.push(f.on_disk.to_string());
                            file_changes.push(Change::FileDeleted(f.on_disk.to_string()));
                        }
                        !gone
                    });
                    debug_assert!(self.other_files.len() <= before);
                }
            }
        }

        // The schema reads fileClass notes and value-list notes, and lists every path for its
        // suggestions: it is read again only when one of those may have changed.
        let class_folder = format!(
            "{}/",
            attune_store::path::nfc(self.schema.settings.class_files_path.trim_end_matches('/'))
        );
        let schema_input_changed = schema_changed
            || notes_added
            || !report.notes_removed.is_empty()
            || paths.iter().any(|p| {
                let key = attune_store::path::nfc(p);
                key.starts_with(&class_folder) || self.schema_reads.contains(key.as_str())
            });
        // The schema's input changed, but the schema may not have (a note added or gone,
        // a value list's body edited): then every note keeps its class, only the schema's
        // own findings (they may name notes) are replaced, and the rest follows the changed
        // notes alone, as below. Re-deciding every class would read every note (a warm
        // start's deferred notes would all be parsed for one new note).
        let mut new_schema = None;
        let mut schema_same = false;
        if schema_input_changed && !schema_changed {
            let (schema, schema_findings, reads) = self.schema_now();
            if format!("{schema:?}") == format!("{:?}", self.schema) {
                let count = schema_findings.len();
                self.schema_diagnostics
                    .splice(..self.schema_findings, schema_findings);
                self.schema_findings = count;
                self.schema_reads = reads;
                schema_same = true;
            } else {
                schema_changed = true;
                new_schema = Some((schema, schema_findings, reads));
            }
        }
        if schema_input_changed && !schema_same {
            self.rebuild_findings(&paths, io_errors);
            let (schema, schema_findings, reads) = new_schema.unwrap_or_else(|| self.schema_now());
            self.schema = schema;
            self.schema_reads = reads;
            self.schema_findings = schema_findings.len();
            let mut all = schema_findings;
            all.extend(self.assign_classes());
            self.schema_diagnostics = all;
        } else {
            // Only the changed and removed notes' findings and classes change.
            let touched: BTreeSet<&str> = paths
                .iter()
                .chain(&report.notes_removed)
                .map(String::as_str)
                .collect();
            self.diagnostics.retain(|d| {
                !((is_note_finding(d) && touched.contains(d.path.as_str()))
                    || (d.code == "io/unreadable"
                        && paths.iter().any(|p| d.message.contains(p.as_str()))))
            });
            let vault_wide = self
                .diagnostics
                .iter()
                .position(is_note_finding)
                .unwrap_or(self.diagnostics.len());
            self.diagnostics.splice(vault_wide..vault_wide, io_errors);
            // Each changed note's class findings, kept apart: each goes in at its own note's
            // place (one block for all of them put a later note's before an earlier one's).
            let mut class_findings: Vec<Vec<Diagnostic>> = Vec::new();
            let schema = &self.schema;
            for rel in &modified {
                if let Ok(at) = self.notes.binary_search_by(|n| n.path().cmp(rel)) {
                    let n = &mut self.notes[at];
                    insert_in_path_order(&mut self.diagnostics, vault_wide, n.note.diagnostics());
                    if !n.meta.excluded {
                        class_findings.push(crate::vault::assign_class(n, schema));
                    }
                }
            }
            let from = self.schema_findings;
            let mut kept = Vec::with_capacity(self.schema_diagnostics.len());
            for (i, d) in self.schema_diagnostics.drain(..).enumerate() {
                if i < from || !touched.contains(d.path.as_str()) {
                    kept.push(d);
                }
            }
            self.schema_diagnostics = kept;
            for found in &class_findings {
                insert_in_path_order(&mut self.schema_diagnostics, from, found);
            }
        }

        if schema_changed {
            report.schema_changed = true;
            self.index = build_index(&self.notes, &self.other_files, &self.schema);
        } else {
            for change in file_changes {
                self.index.apply(change);
            }
            for change in note_changes {
                self.index.apply(change);
            }
            for rel in &modified {
                if let Some(input) = self.note_input(rel) {
                    self.index.apply(Change::Modified(input));
                }
            }
        }
        report.notes_changed.sort();
        report.notes_changed.dedup();
        report.notes_removed.sort();
        report.notes_removed.dedup();
        report.files_changed.sort();
        report.files_changed.dedup();
        Ok(report)
    }

    /// Read everything again.
    fn reload_all(&mut self) -> Result<RefreshReport, LoadError> {
        *self = Vault::load(&self.root)?;
        Ok(RefreshReport {
            full_reload: true,
            ..RefreshReport::default()
        })
    }

    /// `path` as a vault-relative path with `/`, when it is inside the vault.
    fn relative(&self, path: &Path) -> Option<String> {
        // A watcher reports paths below the folder it watches, as that folder was written
        // (`self.root`, absolute or not); a caller may name them vault-relative or by the
        // root's real path.
        let canonical;
        let rel = if let Ok(rel) = path.strip_prefix(&self.root) {
            rel
        } else if path.is_absolute() {
            canonical = self.root.canonicalize().ok()?;
            path.strip_prefix(&canonical).ok()?
        } else {
            path
        };
        let mut out = String::new();
        for part in rel.components() {
            match part {
                std::path::Component::Normal(p) => {
                    if !out.is_empty() {
                        out.push('/');
                    }
                    out.push_str(p.to_str()?);
                }
                std::path::Component::CurDir => {}
                _ => return None,
            }
        }
        Some(out)
    }

    /// What is at `rel` now, read the way a load reads it.
    fn read(&self, rel: &str) -> Result<OnDisk, StoreError> {
        let parts: Vec<&str> = rel.split('/').collect();
        let (name, folders) = parts.split_last().unwrap_or((&"", &[]));
        // Obsidian never indexes dot-folders; hidden files are skipped (the template
        // leftover named `.md` is a note).
        if folders.iter().any(|f| f.starts_with('.')) || (name.starts_with('.') && *name != ".md") {
            return Ok(OnDisk::Ignored);
        }
        let abs = self.root.join(rel);
        let (size, mtime_ms, ctime_ms) = match attune_store::look(&abs)? {
            Entry::Missing => return Ok(OnDisk::Gone),
            Entry::Folder => return Ok(OnDisk::Folder),
            Entry::Other => return Ok(OnDisk::Ignored),
            Entry::File { .. } if !rel.ends_with(".md") => return Ok(OnDisk::File),
            Entry::File {
                size,
                mtime_ms,
                ctime_ms,
            } => (size, mtime_ms, ctime_ms),
        };
        let Some(bytes) = RealDisk.read(&abs).map_err(|e| StoreError::io(&abs, e))? else {
            return Ok(OnDisk::Gone);
        };
        let meta = FileMeta {
            size,
            mtime_ms,
            ctime_ms,
            path: VaultPath::new(rel.to_owned()),
            excluded: self.is_excluded(rel),
        };
        let note = crate::vault::parse_file(&meta.path.on_disk, bytes);
        Ok(OnDisk::Note(meta, Box::new(note)))
    }

    /// Below one of Metadata Menu's excluded folders, or with an excluded ending.
    fn is_excluded(&self, rel: &str) -> bool {
        self.settings.excluded_folders.iter().any(|f| {
            let f = f.trim_end_matches('/');
            !f.is_empty() && rel.starts_with(f) && rel.as_bytes().get(f.len()) == Some(&b'/')
        }) || self
            .settings
            .excluded_extensions
            .iter()
            .any(|ext| !ext.is_empty() && rel.ends_with(ext.as_str()))
    }

    /// Put a note in its place (notes stay sorted by path), replacing the one at that path;
    /// whether it is new.
    fn upsert_note(&mut self, meta: FileMeta, note: Note) -> bool {
        let rel = meta.path.on_disk.clone();
        let vault_note = VaultNote {
            meta,
            note: attune_index::NoteCell::ready(note),
            class: None,
        };
        let added = match self.notes.binary_search_by(|n| n.path().cmp(&rel)) {
            Ok(at) => {
                self.notes[at] = vault_note;
                false
            }
            Err(at) => {
                self.notes.insert(at, vault_note);
                true
            }
        };
        // A note that was an attachment before (cannot happen with `.md`, kept for symmetry).
        self.other_files.retain(|f| f.on_disk != rel);
        added
    }

    /// Take the note at `rel` out; whether there was one.
    fn remove_note(&mut self, rel: &str) -> bool {
        match self.notes.binary_search_by(|n| n.path().cmp(rel)) {
            Ok(at) => {
                self.notes.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// The note and I/O findings from scratch: the vault-wide ones that are not about a
    /// changed path, then `io_errors`, then every note's parse findings in note order.
    fn rebuild_findings(&mut self, paths: &BTreeSet<String>, io_errors: Vec<Diagnostic>) {
        let mut diagnostics: Vec<Diagnostic> = self
            .diagnostics
            .iter()
            .filter(|d| {
                d.code != "io/unreadable" || !paths.iter().any(|p| d.message.contains(p.as_str()))
            })
            .filter(|d| !is_note_finding(d))
            .cloned()
            .collect();
        diagnostics.extend(io_errors);
        for n in &self.notes {
            diagnostics.extend(n.note.diagnostics().iter().cloned());
        }
        self.diagnostics = diagnostics;
    }

    /// The schema as the vault's files say now, with the paths it read.
    fn schema_now(&self) -> (Schema, Vec<Diagnostic>, BTreeSet<String>) {
        let files = SchemaFiles::of(&self.notes);
        let (schema, found) = load_schema(&SchemaInput {
            metadata_menu_settings: self.settings.raw.as_deref(),
            attune_toml: self.attune_toml.as_deref(),
            files: &files,
        });
        (schema, found, files.into_reads())
    }

    /// Decide every note's class again (as a load does), returning the findings in note order.
    fn assign_classes(&mut self) -> Vec<Diagnostic> {
        let schema = &self.schema;
        let findings: Vec<Vec<Diagnostic>> = self
            .notes
            .par_iter_mut()
            .filter(|n| !n.meta.excluded)
            .map(|n| crate::vault::assign_class(n, schema))
            .collect();
        findings.into_iter().flatten().collect()
    }

    /// The index's input for the note at `rel`.
    fn note_input(&self, rel: &str) -> Option<NoteInput> {
        let at = self.notes.binary_search_by(|n| n.path().cmp(rel)).ok()?;
        Some(input_of(&self.notes[at], &self.schema))
    }
}

/// A parse finding of some note (these are rebuilt from the notes themselves).
fn is_note_finding(d: &Diagnostic) -> bool {
    !d.path.is_empty() && d.path != METADATA_MENU_SETTINGS && d.code != "io/unreadable"
}

/// Insert `found` (one note's findings, in order) into `list` after position `from`, where
/// findings are kept in note (path) order.
fn insert_in_path_order(list: &mut Vec<Diagnostic>, from: usize, found: &[Diagnostic]) {
    let Some(first) = found.first() else {
        return;
    };
    let at = from + list[from..].partition_point(|d| d.path <= first.path);
    list.splice(at..at, found.iter().cloned());
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the tests write the fixture vault's files
mod tests {
    use super::*;
    use crate::vault::Silent;
    use proptest::prelude::*;
    use std::path::PathBuf;

    /// Everything a load decides, as comparable text: notes (parsed, classed), attachments,
    /// findings, and the index's answers (links, backlinks, classes) for every note.
    fn facts(v: &Vault) -> Vec<String> {
        let mut out = Vec::new();
        for n in &v.notes {
            out.push(format!(
                "note {} size={} excluded={} class={:?} note={:?}",
                n.path(),
                n.meta.size,
                n.meta.excluded,
                n.class,
                n.note
            ));
        }
        for f in &v.other_files {
            out.push(format!("file {}", f.on_disk));
        }
        for d in &v.diagnostics {
            out.push(format!("diag {d:?}"));
        }
        for d in &v.schema_diagnostics {
            out.push(format!("schema {d:?}"));
        }
        let ix = &v.index;
        let path_of = |t: &attune_index::Target| match t {
            attune_index::Target::Note(id) => ix
                .note(*id)
                .map(|n| n.path().to_owned())
                .unwrap_or_default(),
            attune_index::Target::File(id) => format!("file:{}", ix.file_path(*id).unwrap_or("")),
            attune_index::Target::Ambiguous(ids) => format!(
                "ambiguous:{:?}",
                ids.iter()
                    .filter_map(|i| ix.note(*i).map(|n| n.path().to_owned()))
                    .collect::<Vec<_>>()
            ),
            other => format!("{other:?}"),
        };
        let mut indexed: Vec<_> = ix.notes().collect();
        indexed.sort_by_key(|n| n.path());
        for n in indexed {
            out.push(format!(
                "index {} class={:?} excluded={}",
                n.path(),
                n.class(),
                n.excluded()
            ));
            for (link, target) in n.links() {
                out.push(format!(
                    "  link {:?} -> {}",
                    link.target.target,
                    path_of(target)
                ));
            }
            for b in n.backlinks() {
                let from = ix
                    .note(b.source)
                    .map(|s| s.path().to_owned())
                    .unwrap_or_default();
                out.push(format!("  backlink {from} {:?}", b.link.target.target));
            }
        }
        for d in crate::check::check(v) {
            out.push(format!("check {d:?}"));
        }
        out
    }

    fn assert_same(refreshed: &Vault, root: &Path) {
        let fresh = Vault::load(root).expect("load");
        let (a, b) = (facts(refreshed), facts(&fresh));
        if a != b {
            let diff = similar::TextDiff::from_lines(b.join("\n").as_str(), a.join("\n").as_str())
                .unified_diff()
                .header("fresh load", "refreshed")
                .to_string();
            panic!("refresh differs from a fresh load:\n{diff}");
        }
    }

    fn demo() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("vault");
        crate::demo::write_to(&root).expect("demo");
        (dir, root)
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    fn remove(root: &Path, rel: &str) {
        std::fs::remove_file(root.join(rel)).expect("remove");
    }

    const TRIGGERS: &str = "ME/🏛️ Foundations/⚡ Triggers";
    const EMOTIONS: &str = "ME/🏛️ Foundations/🎭 Emotions";

    /// One case: what to do on disk, and which paths the watcher reports.
    type Step = fn(&Path) -> Vec<String>;

    fn cases() -> Vec<(&'static str, Step, bool)> {
        vec![
            (
                "modify a note's links",
                |r| {
                    let rel = format!("{TRIGGERS}/Crowded Rooms.md");
                    let text = std::fs::read_to_string(r.join(&rel)).expect("read");
                    write(
                        r,
                        &rel,
                        &text.replace("[[Withdrawal]]", "[[People Pleasing]]\", \"[[Nowhere Yet]]"),
                    );
                    vec![rel]
                },
                false,
            ),
            (
                "add a note linking to others",
                |r| {
                    let rel = format!("{TRIGGERS}/Loud Music.md");
                    write(
                        r,
                        &rel,
                        "---\nfileClass: trigger\ntrigger_group: Environmental\nprotective_strategies: [\"[[Withdrawal]]\"]\n---\n\nSee [[Crowded Rooms]] and [[Shame]].\n",
                    );
                    vec![rel]
                },
                false,
            ),
            (
                "delete a linked note",
                |r| {
                    let rel = format!("{EMOTIONS}/Anxiety.md");
                    remove(r, &rel);
                    vec![rel]
                },
                false,
            ),
            (
                "rename a note",
                |r| {
                    let from = format!("{EMOTIONS}/Calm.md");
                    let to = format!("{EMOTIONS}/Serenity.md");
                    std::fs::rename(r.join(&from), r.join(&to)).expect("rename");
                    vec![from, to]
                },
                false,
            ),
            (
                "a second note of an existing name makes links ambiguous",
                |r| {
                    let rel = "Personal/Crowded Rooms.md".to_owned();
                    write(r, &rel, "# another\n");
                    vec![rel]
                },
                false,
            ),
            (
                "add and embed an attachment",
                |r| {
                    write(r, "assets/calm.png", "png");
                    let rel = format!("{EMOTIONS}/Calm.md");
                    let text = std::fs::read_to_string(r.join(&rel)).expect("read");
                    write(r, &rel, &format!("{text}\n![[calm.png]]\n"));
                    vec!["assets/calm.png".to_owned(), rel]
                },
                false,
            ),
            (
                "a broken frontmatter",
                |r| {
                    let rel = format!("{EMOTIONS}/Pride.md");
                    write(r, &rel, "---\nfileClass: [emotion\n---\nbody\n");
                    vec![rel]
                },
                false,
            ),
            (
                "an edit that changes a note's class",
                |r| {
                    let rel = "Personal/Loose.md".to_owned();
                    write(r, &rel, "---\nfileClass: emotion\n---\n");
                    vec![rel]
                },
                false,
            ),
            (
                "delete a whole folder",
                |r| {
                    let dir = "ME/🧪 Practice Lab/🧠 Coaching";
                    std::fs::remove_dir_all(r.join(dir)).expect("rmdir");
                    vec![dir.to_owned()]
                },
                false,
            ),
            (
                "change a fileClass",
                |r| {
                    let dir = r.join("Meta/fileClass");
                    let file = find(&dir, "emotion.md").expect("the emotion fileClass");
                    let text = std::fs::read_to_string(&file).expect("read");
                    std::fs::write(&file, text.replace("fields:", "fields:\n  - name: intensity\n    type: Number\n    options: {}\n    path: \"\"\n    id: intens1")).expect("write");
                    vec![file.to_string_lossy().into_owned()]
                },
                true,
            ),
            (
                "edit attune.toml",
                |r| {
                    let text = std::fs::read_to_string(r.join(ATTUNE_TOML)).expect("read");
                    write(r, ATTUNE_TOML, &format!("{text}\n# edited\n"));
                    vec![ATTUNE_TOML.to_owned()]
                },
                false,
            ),
            (
                "a new folder with notes",
                |r| {
                    write(r, "Inbox/Deep/One.md", "[[Two]]\n");
                    write(r, "Inbox/Deep/Two.md", "[[One]]\n");
                    vec!["Inbox".to_owned()]
                },
                false,
            ),
            (
                "settings change",
                |r| {
                    write(
                        r,
                        METADATA_MENU_SETTINGS,
                        "{\"fileIndexingExcludedFolders\": [\"Personal\"]}",
                    );
                    vec![METADATA_MENU_SETTINGS.to_owned()]
                },
                false,
            ),
            (
                "dot-folders and unknown paths are ignored",
                |r| {
                    write(r, ".trash/Old.md", "x");
                    vec![".trash/Old.md".to_owned(), "Not/There.md".to_owned()]
                },
                false,
            ),
        ]
    }

    fn find(dir: &Path, name: &str) -> Option<PathBuf> {
        for entry in std::fs::read_dir(dir).ok()? {
            let p = entry.ok()?.path();
            if p.is_dir() {
                if let Some(f) = find(&p, name) {
                    return Some(f);
                }
            } else if p.file_name().is_some_and(|n| n == name) {
                return Some(p);
            }
        }
        None
    }

    #[test]
    fn every_kind_of_change_matches_a_fresh_load() {
        for (name, step, schema_changes) in cases() {
            let (_dir, root) = demo();
            let mut vault = Vault::load(&root).expect("load");
            let changed = step(&root);
            let report = vault.refresh(&changed).expect("refresh");
            if schema_changes {
                assert!(
                    report.schema_changed || report.full_reload,
                    "{name}: {report:?}"
                );
            }
            eprintln!("{name}: {report:?}");
            assert_same(&vault, &root);
        }
    }

    fn cache(dir: &tempfile::TempDir) -> crate::snapshot::Cache {
        crate::snapshot::Cache {
            dir: dir.path().join("cache"),
            min_notes: 0,
        }
    }

    /// The warm start's invariant: whatever changed on disk since the snapshot, opening
    /// from it gives what a fresh load reads (every note parsed from the snapshot's bytes
    /// included: `facts` reads them all).
    #[test]
    fn every_kind_of_change_opens_from_a_snapshot_as_a_fresh_load() {
        use crate::snapshot::Start;
        for (name, step, _) in cases() {
            let (dir, root) = demo();
            let cache = cache(&dir);
            let (vault, start) = Vault::open(&root, &cache, &Silent).expect("open");
            assert!(matches!(start, Start::Cold { .. }), "{name}: {start:?}");
            assert!(vault.write_snapshot(&cache).expect("write"));
            step(&root);
            let (opened, start) = Vault::open(&root, &cache, &Silent).expect("open");
            eprintln!("{name}: {start:?}");
            if !name.contains("settings") {
                assert!(matches!(start, Start::Warm { .. }), "{name}: {start:?}");
            }
            assert_same(&opened, &root);
            // A snapshot written from a warm start (notes still deferred) opens the same.
            opened.write_snapshot(&cache).expect("write again");
            let (again, start) = Vault::open(&root, &cache, &Silent).expect("open");
            assert_eq!(start, Start::Warm { changed: 0 }, "{name}");
            assert_same(&again, &root);
        }
    }

    /// Opening an unchanged vault parses only the notes the schema reads; a damaged
    /// snapshot, or one of another folder, is a full load with a reason, never a panic.
    #[test]
    fn a_warm_start_parses_little_and_a_bad_snapshot_is_a_full_load() {
        use crate::snapshot::Start;
        let (dir, root) = demo();
        let cache = cache(&dir);
        let (vault, _) = Vault::open(&root, &cache, &Silent).expect("open");
        vault.write_snapshot(&cache).expect("write");
        let (opened, start) = Vault::open(&root, &cache, &Silent).expect("open");
        assert_eq!(start, Start::Warm { changed: 0 });
        let parsed = opened.notes.iter().filter(|n| n.note.is_parsed()).count();
        assert!(
            parsed > 0 && parsed * 2 < opened.notes.len(),
            "{parsed} of {} notes parsed",
            opened.notes.len()
        );
        // The snapshot emptied in place behind the open vault's back (attune never does
        // that): the notes not parsed yet come from their files instead.
        let saved = std::fs::read(cache.file_for(&root)).expect("snapshot");
        std::fs::File::create(cache.file_for(&root)).expect("truncate");
        assert_same(&opened, &root);
        std::fs::write(cache.file_for(&root), saved).expect("put back");

        // A note added and one removed since: the schema is read again and comes out the
        // same, so only the changed notes and those whose links the index resolves again
        // (links to the removed name) are parsed, not every note.
        write(
            &root,
            &format!("{TRIGGERS}/Loud Music.md"),
            "---\nfileClass: trigger\n---\n",
        );
        remove(&root, &format!("{EMOTIONS}/Anxiety.md"));
        let (opened, start) = Vault::open(&root, &cache, &Silent).expect("open");
        assert_eq!(start, Start::Warm { changed: 2 });
        let parsed_now = opened.notes.iter().filter(|n| n.note.is_parsed()).count();
        // (The demo's 62 notes: the schema reads 25, the change reaches 7 more.)
        assert!(
            parsed_now <= parsed + 10 && parsed_now < opened.notes.len(),
            "{parsed_now} of {} notes parsed ({parsed} without the change)",
            opened.notes.len()
        );
        assert_same(&opened, &root);
        opened.write_snapshot(&cache).expect("write");

        let file = cache.file_for(&root);
        let bytes = std::fs::read(&file).expect("snapshot");
        let step = (bytes.len() / 97).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            // Cut short, and one byte changed.
            std::fs::write(&file, &bytes[..cut]).expect("write");
            let (v, start) = Vault::open(&root, &cache, &Silent).expect("open");
            if let Start::Warm { .. } = start {
                panic!("a snapshot cut at {cut} of {} was used", bytes.len());
            }
            assert_same(&v, &root);
            let mut flipped = bytes.clone();
            flipped[cut] ^= 0x55;
            std::fs::write(&file, &flipped).expect("write");
            // A changed byte in a note's text is not detected (a cache trusts its file);
            // anywhere else it must not crash the open.
            let _ = Vault::open(&root, &cache, &Silent).expect("open");
        }

        // Another vault folder's snapshot (under this one's name) is turned away.
        let other = dir.path().join("other");
        std::fs::rename(&root, &other).expect("move");
        std::fs::write(cache.file_for(&other), &bytes).expect("write");
        let (_, start) = Vault::open(&other, &cache, &Silent).expect("open");
        assert!(matches!(start, Start::Cold { .. }), "{start:?}");
    }

    #[test]
    fn a_note_change_is_not_a_full_reload_and_unchanged_paths_report_nothing() {
        let (_dir, root) = demo();
        let mut vault = Vault::load(&root).expect("load");
        let rel = format!("{EMOTIONS}/Relief.md");
        let report = vault.refresh(&[rel.as_str()]).expect("refresh");
        // Read again (it may or may not differ); never a full load for one note.
        assert!(!report.full_reload && !report.schema_changed, "{report:?}");
        assert_eq!(report.notes_changed, vec![rel.clone()]);
        // As a watcher names it: below the root as the vault was opened, or its real path.
        for path in [
            root.join(&rel),
            root.canonicalize().expect("real root").join(&rel),
        ] {
            let report = vault.refresh(&[path]).expect("refresh");
            assert_eq!(report.notes_changed, vec![rel.clone()], "{report:?}");
        }
        let report = vault.refresh(&["Nowhere/x.md"]).expect("refresh");
        assert!(report.is_empty(), "{report:?}");
        let report = vault.refresh(std::slice::from_ref(&root)).expect("refresh");
        assert!(report.full_reload);
    }

    /// A note the schema reads (a value list) changes: the schema is read again, although
    /// the note is neither a fileClass nor new. A plain note changes: it is not.
    #[test]
    fn a_value_list_note_is_schema_input() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("vault");
        write(
            &root,
            "Meta/fileClass/trigger.md",
            "---\nfields:\n  - name: trigger_group\n    type: Select\n    options:\n      sourceType: ValuesListNotePath\n      valuesListNotePath: Lists/groups.md\n    path: \"\"\n    id: tg\n---\n",
        );
        write(&root, "Lists/groups.md", "- Body\n- Mind\n");
        write(
            &root,
            "T/One.md",
            "---\nfileClass: trigger\ntrigger_group: Social\n---\nSee [[Two]].\n",
        );
        write(
            &root,
            "T/Two.md",
            "---\nfileClass: trigger\ntrigger_group: Body\n---\n",
        );
        let mut vault = Vault::load(&root).expect("load");

        write(&root, "Lists/groups.md", "- Body\n- Mind\n- Social\n");
        let report = vault.refresh(&["Lists/groups.md"]).expect("refresh");
        assert!(report.schema_changed, "{report:?}");
        assert_same(&vault, &root);

        write(
            &root,
            "T/One.md",
            "---\nfileClass: trigger\ntrigger_group: Nowhere\n---\n",
        );
        let report = vault.refresh(&["T/One.md"]).expect("refresh");
        assert!(!report.schema_changed && !report.full_reload, "{report:?}");
        assert_same(&vault, &root);
    }

    #[derive(Clone, Debug)]
    enum Op {
        /// Write note `i` (in folder `f`) linking to notes `links`.
        Write {
            i: usize,
            folder: usize,
            links: Vec<usize>,
            class: usize,
        },
        Delete {
            i: usize,
            folder: usize,
        },
        Attach {
            i: usize,
        },
        Detach {
            i: usize,
        },
    }

    const FOLDERS: [&str; 3] = ["Personal", "ME/🏛️ Foundations/🎭 Emotions", "Inbox"];
    const CLASSES: [&str; 3] = ["", "fileClass: emotion\n", "fileClass: trigger\n"];

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0..6usize, 0..3usize, prop::collection::vec(0..8usize, 0..4), 0..3usize)
                .prop_map(|(i, folder, links, class)| Op::Write { i, folder, links, class }),
            2 => (0..6usize, 0..3usize).prop_map(|(i, folder)| Op::Delete { i, folder }),
            1 => (0..3usize).prop_map(|i| Op::Attach { i }),
            1 => (0..3usize).prop_map(|i| Op::Detach { i }),
        ]
    }

    fn apply(root: &Path, op: &Op) -> String {
        match op {
            Op::Write {
                i,
                folder,
                links,
                class,
            } => {
                let rel = format!("{}/N{i}.md", FOLDERS[*folder]);
                let body: String = links
                    .iter()
                    .map(|l| {
                        if *l >= 6 {
                            format!("![[a{}.png]] ", l - 6)
                        } else {
                            format!("[[N{l}]] ")
                        }
                    })
                    .collect();
                write(
                    root,
                    &rel,
                    &format!(
                        "---\n{}related: [\"[[N{}]]\"]\n---\n{body}\n",
                        CLASSES[*class],
                        links.first().copied().unwrap_or(0)
                    ),
                );
                rel
            }
            Op::Delete { i, folder } => {
                let rel = format!("{}/N{i}.md", FOLDERS[*folder]);
                let _ = std::fs::remove_file(root.join(&rel));
                rel
            }
            Op::Attach { i } => {
                let rel = format!("Inbox/a{i}.png");
                write(root, &rel, "png");
                rel
            }
            Op::Detach { i } => {
                let rel = format!("Inbox/a{i}.png");
                let _ = std::fs::remove_file(root.join(&rel));
                rel
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Any batches of writes, deletes and attachments, refreshed batch by batch, leave the
        /// vault equal to a fresh load.
        #[test]
        fn refresh_equals_load(batches in prop::collection::vec(prop::collection::vec(op(), 1..5), 1..4)) {
            let (_dir, root) = demo();
            std::fs::create_dir_all(root.join("Inbox")).expect("inbox");
            let mut vault = Vault::load(&root).expect("load");
            for batch in &batches {
                let changed: Vec<String> = batch.iter().map(|op| apply(&root, op)).collect();
                let report = vault.refresh(&changed).expect("refresh");
                prop_assert!(!report.full_reload);
                assert_same(&vault, &root);
            }
        }
    }
}
