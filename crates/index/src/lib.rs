//! attune-index: the vault model. Pure: plain data in (parsed notes, file metadata, class
//! facts), answers out; no I/O.
//!
//! - [`Index::build`] over every note, [`Index::apply`] for each file change after that;
//! - notes by path, name, alias, id, tag and folder ([`lookup`]);
//! - every link resolved with Obsidian's rules, plus the field's relation class to pick
//!   among notes that share a name ([`Target`]);
//! - backlinks, typed relations and their inverses ([`relation`]);
//! - the index's findings: `note/*`, `link/*`, `encoding/mojibake` ([`lint`], [`mojibake`]);
//! - a binary snapshot for a warm start, without the notes' contents ([`Index::encode`],
//!   [`Index::decode`]).
//!
//! *Architecture Invariant*: the index is derived; it can always be thrown away and rebuilt
//! from the files, and an index kept up to date with [`Index::apply`] equals a fresh build.

#![deny(clippy::disallowed_methods)]

pub mod cell;
pub mod census;
mod hash;
mod index;
pub mod input;
pub mod lint;
pub mod lookup;
pub mod mojibake;
pub mod name;
pub mod relation;
mod snapshot;

pub use cell::{NoteCell, NoteSource};
pub use index::{FileId, Index, NoteId, Target};
pub use input::{Change, ClassFacts, FileMeta, NoteInput, RelationFact};
pub use lookup::{Backlink, NoteRef};
pub use relation::{Inverse, Relation};
pub use snapshot::SnapshotError;
