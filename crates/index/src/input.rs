//! What the index is built from: plain data computed by the engine (parsed notes, file
//! metadata, class facts) and the file changes it is kept up to date with.
//!
//! The index knows nothing about schemas: the engine asks the schema crate which class each
//! note has and which fields are relations, and hands the answers over as [`ClassFacts`].

use std::collections::HashMap;
use std::sync::Arc;

use attune_syntax::Note;

use crate::cell::NoteCell;

/// File metadata as plain numbers (milliseconds since the Unix epoch for the times).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileMeta {
    pub size: u64,
    pub mtime: i64,
    pub ctime: i64,
}

/// One Markdown note as the index receives it.
#[derive(Clone, Debug)]
pub struct NoteInput {
    /// Vault-relative path with `/` separators, the file name as it is on disk (`ME/🎭 Emotions/Shame.md`).
    pub path: Arc<str>,
    pub note: Arc<NoteCell>,
    pub meta: FileMeta,
    /// Under a folder that Metadata Menu excludes from indexing (`Meta/`): never a link target.
    pub excluded: bool,
    /// The note's class (short name, as the schema resolved it from the folder), if any.
    pub class: Option<String>,
}

impl NoteInput {
    pub fn new(path: impl Into<Arc<str>>, note: Note) -> NoteInput {
        NoteInput {
            path: path.into(),
            note: NoteCell::ready(note),
            meta: FileMeta::default(),
            excluded: false,
            class: None,
        }
    }
    pub fn with_class(mut self, class: impl Into<String>) -> NoteInput {
        self.class = Some(class.into());
        self
    }
    pub fn with_meta(mut self, meta: FileMeta) -> NoteInput {
        self.meta = meta;
        self
    }
    pub fn excluded(mut self, excluded: bool) -> NoteInput {
        self.excluded = excluded;
        self
    }
}

/// A relation field of a class: the classes its links point to and the field on the target
/// that names the way back, when the schema declares one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RelationFact {
    /// Target classes (short names). Include subclasses the engine wants accepted
    /// (`emotional_need` targets also take `attachment_need` notes only if listed here).
    pub targets: Vec<String>,
    pub inverse: Option<String>,
    /// A field of the linking note whose value names which target folder or class a link
    /// means, when several fit (`threatened_by` links are told apart by `threat_source_group:
    /// 🪖 Protective Strategies`).
    pub chosen_by: Option<String>,
}

/// Relation facts per `(class, field)`, as plain data from the schema.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClassFacts {
    relations: HashMap<String, HashMap<String, RelationFact>>,
}

impl ClassFacts {
    pub fn new() -> ClassFacts {
        ClassFacts::default()
    }

    /// Declare `class.field` a relation to `targets`, with `inverse` the field on the target
    /// that points back (`practice_session.live_rehearsals` ↔ `live_rehearsal.practice_session`).
    /// A legacy field name (`healing_resource`) can be declared too, with the same targets.
    pub fn add_relation<S: Into<String>>(
        &mut self,
        class: &str,
        field: &str,
        targets: impl IntoIterator<Item = S>,
        inverse: Option<&str>,
    ) -> &mut ClassFacts {
        let fact = RelationFact {
            targets: targets.into_iter().map(Into::into).collect(),
            inverse: inverse.map(str::to_owned),
            chosen_by: None,
        };
        self.relations
            .entry(class.to_owned())
            .or_default()
            .insert(field.to_owned(), fact);
        self
    }

    /// Say that `class.field`'s links are told apart by the value of the linking note's
    /// `group_field`, which names the target's folder (`🪖 Protective Strategies`) or class.
    /// Does nothing unless the relation was added first.
    pub fn set_chosen_by(
        &mut self,
        class: &str,
        field: &str,
        group_field: &str,
    ) -> &mut ClassFacts {
        if let Some(fact) = self.relations.get_mut(class).and_then(|f| f.get_mut(field)) {
            fact.chosen_by = Some(group_field.to_owned());
        }
        self
    }

    pub fn relation(&self, class: &str, field: &str) -> Option<&RelationFact> {
        self.relations.get(class)?.get(field)
    }

    /// Every `(class, field, fact)`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, &RelationFact)> {
        self.relations
            .iter()
            .flat_map(|(c, fs)| fs.iter().map(move |(f, r)| (c.as_str(), f.as_str(), r)))
    }
}

/// A change to one file of the vault, as the store's watcher or a commit reports it.
#[derive(Clone, Debug)]
pub enum Change {
    /// A new note (a note at an existing path replaces it, as [`Change::Modified`]).
    Created(NoteInput),
    /// New content (or class, or metadata) for a note.
    Modified(NoteInput),
    /// The note at this path is gone.
    Deleted(String),
    /// The note moved from `from` to `to.path` (its content may have changed too).
    Renamed { from: String, to: NoteInput },
    /// A file that is not a note (image, PDF, canvas) appeared at this path.
    FileCreated(String),
    /// A file that is not a note disappeared.
    FileDeleted(String),
}
