//! [`Note`]: one parsed Markdown file.

use crate::frontmatter::{Fences, Frontmatter, find_fences};
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
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_note_text(text.to_owned()),
        Err(error) => {
            let at = error.valid_up_to();
            let mut note = parse_note_text(String::from_utf8_lossy(bytes).into_owned());
            // Spans point into the decoded text, where the bad byte became a 3-byte `�`.
            let end = note.source[at..]
                .chars()
                .next()
                .map_or(at, |c| at + c.len_utf8());
            note.diagnostics.insert(
                0,
                Diagnostic::error(
                    "encoding/invalid-utf8",
                    "the file is not valid UTF-8; unreadable bytes are shown as �",
                )
                .with_span(Span::new(at, end))
                .with_help("re-save the file as UTF-8"),
            );
            note
        }
    }
}

/// Parse one note already held as text (saves the copy [`parse_note`] makes).
pub fn parse_note_text(source: String) -> Note {
    let bytes = source.as_bytes();
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let content_start = if bom { 3 } else { 0 };
    let line_ending = match memchr::memchr(b'\n', bytes) {
        Some(i) if i > 0 && bytes[i - 1] == b'\r' => LineEnding::CrLf,
        _ => LineEnding::Lf,
    };
    let mut diagnostics = Vec::new();
    let (frontmatter, body) = match find_fences(&source, content_start) {
        Fences::None => (None, Span::new(0, source.len())),
        Fences::Unterminated { opening } => {
            diagnostics.push(
                Diagnostic::warning("frontmatter/unterminated", "the note starts with `---` but no closing `---` line follows; it is read as body text")
                    .with_span(opening)
                    .with_help("add a line `---` after the last frontmatter key"),
            );
            (None, Span::new(0, source.len()))
        }
        Fences::Closed { span, yaml } => {
            let parsed = crate::yaml::parse(&source, yaml);
            diagnostics.extend(parsed.diagnostics);
            (
                Some(Frontmatter {
                    span,
                    yaml,
                    valid: parsed.valid,
                    fields: parsed.fields,
                }),
                Span::new(span.end as usize, source.len()),
            )
        }
    };
    let mut note = Note {
        bom,
        line_ending,
        frontmatter,
        body,
        links: Vec::new(),
        tags: Vec::new(),
        headings: Vec::new(),
        inline_fields: Vec::new(),
        query_blocks: Vec::new(),
        tasks: Vec::new(),
        diagnostics,
        source,
    };
    crate::markdown::scan_note(&mut note);
    note.shrink_to_fit();
    note
}

impl Note {
    /// Give back the spare capacity of every list grown while parsing: a vault holds
    /// every note at once, and amortised growth would otherwise leave most of a note's
    /// memory unused (measured: about half of the heap at 10 000 notes).
    fn shrink_to_fit(&mut self) {
        if let Some(fm) = &mut self.frontmatter {
            fm.fields.shrink_to_fit();
            for field in &mut fm.fields {
                field.item_spans.shrink_to_fit();
                field.value.shrink_to_fit();
            }
        }
        self.links.shrink_to_fit();
        self.tags.shrink_to_fit();
        self.headings.shrink_to_fit();
        self.inline_fields.shrink_to_fit();
        self.query_blocks.shrink_to_fit();
        self.tasks.shrink_to_fit();
        self.diagnostics.shrink_to_fit();
    }
}
