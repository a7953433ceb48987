//! Frontmatter detection and the parsed YAML with byte spans for every key and value.

use crate::{Span, Value};

/// The `---` … `---` block at the very start of a note.
#[derive(Clone, Debug)]
pub struct Frontmatter {
    /// From the opening fence (after any BOM) to the end of the closing fence line, including its line break.
    pub span: Span,
    /// The YAML text between the fences (may be empty).
    pub yaml: Span,
    /// `false` when the YAML did not parse (then `fields` is empty and a `yaml/invalid` diagnostic exists).
    pub valid: bool,
    /// Top-level keys in source order (only when the top level is a mapping).
    pub fields: Vec<Field>,
}

/// One top-level frontmatter key.
#[derive(Clone, Debug)]
pub struct Field {
    /// The key as written (trimmed of YAML quoting, not of inner whitespace: `strategy_group ` stays).
    pub key: String,
    pub key_span: Span,
    /// The value's text (empty span right after the colon when the value is empty).
    pub value_span: Span,
    /// Whole lines this key occupies (key line through its last value line, including the final line break).
    pub lines: Span,
    /// The logical, normalised value.
    pub value: Value,
    /// Spans of individual items when the value is a list (block or flow), in order.
    pub item_spans: Vec<Span>,
}

impl Frontmatter {
    pub fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}
