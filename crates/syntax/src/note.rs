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
///
/// The lists are boxed slices: a parsed note never grows them, and a vault holds every
/// note at once (a `Vec` would carry a capacity word and spare room in each).
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
    pub links: Box<[Link]>,
    pub headings: Box<[Heading]>,
    /// Tags, inline fields, query blocks, tasks and diagnostics: most notes have none of
    /// them, so they share one allocation that only a note with some of them has (a `Note`
    /// is 144 bytes instead of 216). Read them with [`Note::tags`] and the like.
    rare: Option<Box<Rare>>,
}

/// The lists most notes leave empty (see [`Note`]).
#[derive(Clone, Debug, Default)]
struct Rare {
    tags: Box<[Tag]>,
    inline_fields: Box<[InlineField]>,
    query_blocks: Box<[QueryBlock]>,
    tasks: Box<[Task]>,
    diagnostics: Box<[Diagnostic]>,
}

impl Note {
    /// Frontmatter `tags` and inline `#tags`.
    pub fn tags(&self) -> &[Tag] {
        self.rare.as_ref().map_or(&[], |r| &r.tags)
    }
    /// Dataview inline fields (`key:: value`).
    pub fn inline_fields(&self) -> &[InlineField] {
        self.rare.as_ref().map_or(&[], |r| &r.inline_fields)
    }
    /// Fenced query blocks (`dataview`, `dataviewjs`, `query`).
    pub fn query_blocks(&self) -> &[QueryBlock] {
        self.rare.as_ref().map_or(&[], |r| &r.query_blocks)
    }
    /// Markdown task lines.
    pub fn tasks(&self) -> &[Task] {
        self.rare.as_ref().map_or(&[], |r| &r.tasks)
    }
    /// Problems found while parsing (each note's own; a loader fills in their path).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.rare.as_ref().map_or(&[], |r| &r.diagnostics)
    }
    /// [`Note::diagnostics`], to change (a loader sets each one's path).
    pub fn diagnostics_mut(&mut self) -> &mut [Diagnostic] {
        self.rare.as_mut().map_or(&mut [], |r| &mut r.diagnostics)
    }

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

impl Rare {
    /// The lists, boxed together when any of them has something.
    fn of(
        tags: Vec<Tag>,
        inline_fields: Vec<InlineField>,
        query_blocks: Vec<QueryBlock>,
        tasks: Vec<Task>,
        diagnostics: Vec<Diagnostic>,
    ) -> Option<Box<Rare>> {
        if tags.is_empty()
            && inline_fields.is_empty()
            && query_blocks.is_empty()
            && tasks.is_empty()
            && diagnostics.is_empty()
        {
            return None;
        }
        Some(Box::new(Rare {
            tags: tags.into_boxed_slice(),
            inline_fields: inline_fields.into_boxed_slice(),
            query_blocks: query_blocks.into_boxed_slice(),
            tasks: tasks.into_boxed_slice(),
            diagnostics: diagnostics.into_boxed_slice(),
        }))
    }
}

/// Parse one note. Never panics, never fails: problems become `diagnostics`.
/// `bytes` that are not UTF-8 are decoded lossily with a `encoding/invalid-utf8` diagnostic.
pub fn parse_note(bytes: &[u8]) -> Note {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_note_text(text.to_owned()),
        Err(error) => {
            let at = error.valid_up_to();
            let source = String::from_utf8_lossy(bytes).into_owned();
            // Spans point into the decoded text, where the bad byte became a 3-byte `�`.
            let end = source[at..]
                .chars()
                .next()
                .map_or(at, |c| at + c.len_utf8());
            let invalid = Diagnostic::error(
                "encoding/invalid-utf8",
                "the file is not valid UTF-8; unreadable bytes are shown as �",
            )
            .with_span(Span::new(at, end))
            .with_help("re-save the file as UTF-8");
            parse(source, Some(invalid))
        }
    }
}

/// Parse one note already held as text (saves the copy [`parse_note`] makes).
pub fn parse_note_text(source: String) -> Note {
    parse(source, None)
}

/// Parse `source`; `first` is a diagnostic found before parsing (it goes first).
fn parse(source: String, first: Option<Diagnostic>) -> Note {
    let bytes = source.as_bytes();
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let content_start = if bom { 3 } else { 0 };
    let line_ending = match memchr::memchr(b'\n', bytes) {
        Some(i) if i > 0 && bytes[i - 1] == b'\r' => LineEnding::CrLf,
        _ => LineEnding::Lf,
    };
    let mut diagnostics: Vec<Diagnostic> = first.into_iter().collect();
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
                    fields: parsed.fields.into_boxed_slice(),
                    items: parsed.items,
                }),
                Span::new(span.end as usize, source.len()),
            )
        }
    };
    let found = crate::markdown::scan_note(&source, frontmatter.as_ref(), body);
    diagnostics.extend(found.diagnostics);
    // `into_boxed_slice` gives back the spare capacity of every list grown while parsing
    // (amortised growth would otherwise leave much of a note's memory unused).
    Note {
        bom,
        line_ending,
        frontmatter,
        body,
        links: found.links.into_boxed_slice(),

        headings: found.headings.into_boxed_slice(),
        rare: Rare::of(
            found.tags,
            found.inline_fields,
            found.query_blocks,
            found.tasks,
            diagnostics,
        ),
        source,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::Value;

    #[test]
    fn frontmatter_links_share_the_value_targets() {
        let note = parse_note_text(
            "---\nup: \"[[A#h|a]]\"\nrel:\n  - \"[[B]]\"\n  - \"[[C]]\"\nnest: [[D]]\n---\n[[A#h|a]]\n"
                .to_owned(),
        );
        let fm = note.frontmatter.as_ref().expect("frontmatter");
        let mut shared = Vec::new();
        for field in &fm.fields {
            let mut targets = Vec::new();
            field.value.link_targets(&mut targets);
            for link in note
                .links
                .iter()
                .filter(|l| l.place != crate::LinkPlace::Body)
            {
                if let Some(t) = targets.iter().find(|t| Arc::ptr_eq(t, &link.target)) {
                    shared.push(t.to_wiki());
                }
            }
        }
        assert_eq!(shared, ["[[A#h|a]]", "[[B]]", "[[C]]", "[[D]]"]);
        // The body link reads alike, and shares the target too (one per link text and thread).
        let body = note.links.last().expect("body link");
        assert_eq!(body.place, crate::LinkPlace::Body);
        assert!(matches!(&fm.fields[0].value, Value::Link(t) if Arc::ptr_eq(t, &body.target)));
    }
}
