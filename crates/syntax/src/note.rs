//! [`Note`]: one parsed Markdown file.

use crate::frontmatter::Frontmatter;
use crate::markdown::{Heading, InlineField, Link, QueryBlock, Tag, Task};
use crate::{Diagnostic, Span};

/// Line terminator style of a note, detected from its first line break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LineEnding {
    #[default]
    Lf,
    CrLf,
}

/// One note, parsed losslessly. `source` is the exact text; every span points into it.
#[derive(Clone, Debug)]
pub struct Note {
    pub source: String,
    /// The text started with a UTF-8 byte order mark (kept in `source`).
    pub bom: bool,
    pub line_ending: LineEnding,
    /// `None` when the file has no frontmatter block (or an unterminated one, which is then body).
    pub frontmatter: Option<Frontmatter>,
    /// Everything after the closing fence line (or the whole text without frontmatter).
    pub body: Span,
    /// Wiki-links from frontmatter values and from the body, in source order.
    pub links: Vec<Link>,
    /// Frontmatter `tags` and inline `#tags`.
    pub tags: Vec<Tag>,
    pub headings: Vec<Heading>,
    pub inline_fields: Vec<InlineField>,
    pub query_blocks: Vec<QueryBlock>,
    pub tasks: Vec<Task>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Note {
    /// The exact text this note was parsed from (the round-trip law: `parse_note(x).print() == x`).
    pub fn print(&self) -> &str {
        &self.source
    }
    pub fn text(&self, span: Span) -> &str {
        &self.source[span.range()]
    }
    pub fn body_text(&self) -> &str {
        self.text(self.body)
    }
}

/// Parse one note. Never panics, never fails: problems become `diagnostics`.
/// `bytes` that are not UTF-8 are decoded lossily with a `encoding/invalid-utf8` diagnostic.
pub fn parse_note(bytes: &[u8]) -> Note {
    let _ = bytes;
    todo!("implemented by the syntax work")
}
