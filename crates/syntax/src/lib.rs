//! Lossless parsing of one Obsidian Markdown note. Pure: text in, values out, no I/O.
//!
//! [`parse_note`] never fails and never panics: for any byte string it returns a [`Note`]
//! whose `diagnostics` describe what could not be understood. Everything the note holds
//! points back into the original text with byte [`Span`]s; [`Note::source`] is kept
//! verbatim so printing a parsed note gives back the identical bytes.
//!
//! Editing lives in [`edit`]: it changes the lines of one frontmatter key and nothing else.
//!
//! What a parse gives (all spans are byte ranges into `Note::source`):
//! - frontmatter: `---` fences at the very start (after a BOM), CRLF or LF, read by saphyr
//!   (strict YAML 1.2) into top-level [`Field`]s with key/value/line spans and a normalised
//!   [`Value`]; a YAML error is one `yaml/invalid` diagnostic at the error's position, and the
//!   note still loads (its frontmatter links are then found line by line). Flat frontmatter
//!   (`key: scalar`, one-line `[flow, lists]`, `- item` lists, quoted scalars, comments: most
//!   notes) is read by a hand-written reader that gives exactly saphyr's result and leaves
//!   anything else to saphyr (tests compare the two on whole vaults and generated YAML);
//! - body: wiki-links and embeds, `#tags`, ATX headings, Dataview inline fields, fenced query
//!   blocks and tasks, by one hand-written pass over the lines with `memchr` (no Markdown
//!   render). Code spans, fenced code (``` and ~~~) and `%% comments %%` hide links and tags.
//!   Not recognised (by design, for speed): indented code blocks, setext headings, HTML
//!   comments, links inside blockquote-nested fences.
//!
//! Diagnostic codes: `yaml/invalid` (error), `yaml/duplicate-key`, `yaml/not-a-mapping`,
//! `yaml/extra-document`, `yaml/too-deep`, `frontmatter/unterminated`,
//! `markdown/unclosed-query` (warnings), `encoding/invalid-utf8` (error); edits refuse with
//! `edit/*` codes (see [`edit`]).

#![deny(clippy::disallowed_methods)]

pub mod diagnostic;
pub mod edit;
pub mod frontmatter;
pub mod key;
pub mod line_index;
pub mod markdown;
pub mod note;
pub mod text;
pub mod value;
mod yaml;

pub use diagnostic::{Diagnostic, Severity};
pub use frontmatter::{Field, FieldAt, Frontmatter};
pub use key::Key;
pub use line_index::{LineCol, LineIndex};
pub use markdown::{
    Heading, InlineField, Link, LinkPlace, LinkTarget, NameMemo, QueryBlock, Tag, Task,
};
pub use note::{LineEnding, Note, parse_note, parse_note_text};
pub use text::Text;
pub use value::{DateTimeView, Value};

/// A half-open byte range `start..end` into a note's source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}
