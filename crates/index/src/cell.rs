//! [`NoteCell`]: a parsed note, or the promise of one. A cold load parses every note and
//! hands each over ready; a warm start (the engine's snapshot) hands over notes that are
//! parsed when something first reads them, so opening a vault does not decode a hundred
//! thousand notes that a command may never look at.
//!
//! A `NoteCell` reads as its [`Note`] (`Deref`): code that takes a `&Note` takes a
//! `&NoteCell` unchanged. The first read of a deferred note blocks on its parse (once,
//! whichever thread reads first; the others wait for that parse).

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use attune_syntax::Note;

/// Where a deferred note's text is: given the number the note was deferred with, its
/// parsed note.
pub trait NoteSource: Send + Sync {
    /// The note deferred as `slot`. It cannot fail: a source that cannot read its text
    /// gives the best note it can (the engine's snapshot reads the note's file instead).
    fn load(&self, slot: u32) -> Note;
    /// The bytes the note deferred as `slot` is parsed from (to write them elsewhere
    /// without parsing them).
    fn bytes(&self, slot: u32) -> std::io::Result<Vec<u8>>;
}

/// A note parsed now or on first read; shared (`Arc`) by the vault and the index.
pub struct NoteCell {
    note: OnceLock<Note>,
    source: Option<(Arc<dyn NoteSource>, u32)>,
}

impl NoteCell {
    /// A note already parsed.
    pub fn ready(note: Note) -> Arc<NoteCell> {
        Arc::new(NoteCell {
            note: OnceLock::from(note),
            source: None,
        })
    }

    /// A note that `source` parses when it is first read.
    pub fn deferred(source: Arc<dyn NoteSource>, slot: u32) -> Arc<NoteCell> {
        Arc::new(NoteCell {
            note: OnceLock::new(),
            source: Some((source, slot)),
        })
    }

    /// The note, parsed now if it was not yet.
    pub fn get(&self) -> &Note {
        self.note.get_or_init(|| match &self.source {
            Some((source, slot)) => source.load(*slot),
            // `ready` fills the cell and `deferred` gives a source: unreachable, but an
            // empty note is a safe answer.
            None => attune_syntax::parse_note(b""),
        })
    }

    /// Where a deferred note is read from, and its number there (`None` for a note that
    /// was handed over parsed).
    pub fn source(&self) -> Option<(&dyn NoteSource, u32)> {
        self.source.as_ref().map(|(s, slot)| (&**s, *slot))
    }

    /// Whether the note has been parsed (a deferred note that nothing has read yet is not).
    pub fn is_parsed(&self) -> bool {
        self.note.get().is_some()
    }
}

impl Deref for NoteCell {
    type Target = Note;
    fn deref(&self) -> &Note {
        self.get()
    }
}

impl fmt::Debug for NoteCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}
