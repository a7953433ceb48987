//! Body scanning: wiki-links, tags, headings, inline fields, query blocks, tasks.
//! A fast hand-written scanner (no Markdown render): code spans, fenced code and
//! `%% comments %%` are skipped for links and tags.

use crate::Span;

/// The target of a wiki-link, as written: `[[folder/Name#Heading|alias]]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LinkTarget {
    /// Path or name before `#`/`|`, trimmed (`folder/Name`, `Name`, `Name.md`); empty for `[[]]`.
    pub target: String,
    /// `Heading` or `^block` after `#`.
    pub fragment: Option<String>,
    /// Display text after `|`.
    pub alias: Option<String>,
}

/// Where a link sits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LinkPlace {
    /// In the value of this top-level frontmatter key.
    Frontmatter { key: String },
    Body,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Link {
    pub target: LinkTarget,
    /// `![[…]]`
    pub embed: bool,
    /// The whole `[[…]]` (with the `!` for embeds).
    pub span: Span,
    pub place: LinkPlace,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tag {
    /// Without `#`, as written (`self-work/trigger`).
    pub name: String,
    pub span: Span,
    pub in_frontmatter: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub span: Span,
}

/// A Dataview inline field: `key:: value` on its own line, or `[key:: value]` / `(key:: value)` inline.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InlineField {
    pub key: String,
    pub value: String,
    pub span: Span,
}

/// A fenced query block (```` ```dataview ````, also ```` ``` dataview ````, `dataviewjs`, `query`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QueryBlock {
    /// The info string's language, lower-cased (`dataview`, `dataviewjs`, …).
    pub language: String,
    /// The query text between the fences.
    pub text: String,
    /// The query text's span.
    pub text_span: Span,
    /// The whole block including fences.
    pub span: Span,
}

/// A Markdown task line `- [ ] text` / `- [x] text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Task {
    pub text: String,
    /// The character between the brackets (' ' open, 'x' done, other custom statuses).
    pub status: char,
    pub span: Span,
    pub line: u32,
}
