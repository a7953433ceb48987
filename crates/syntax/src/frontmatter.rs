//! Frontmatter detection and the parsed YAML with byte spans for every key and value.

use crate::{Key, Span, Value};

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
    pub fields: Box<[Field]>,
    /// The list items' spans, see [`Frontmatter::item_spans`].
    pub(crate) items: ItemSpans,
}

/// The spans of list items of every field, kept beside the fields rather than in them: most
/// fields hold no list, and at 1.8 million fields a list per field would cost 16 bytes each
/// (a quarter of a [`Field`]). One allocation per note: all fields' item spans in field
/// order, then one `(field index, end of its items)` pair per field that has items, by field
/// index (`lists` of them).
#[derive(Clone, Debug, Default)]
pub(crate) struct ItemSpans {
    all: Box<[Span]>,
    lists: u32,
}

/// Collects [`ItemSpans`] while the fields are read, one field after the other.
#[derive(Default)]
pub(crate) struct ItemSpansBuilder {
    spans: Vec<Span>,
    ends: Vec<Span>,
}

impl ItemSpansBuilder {
    /// The items of field number `field` (fields are added in increasing order).
    pub(crate) fn add(&mut self, field: usize, items: impl IntoIterator<Item = Span>) {
        let before = self.spans.len();
        self.spans.extend(items);
        if self.spans.len() > before {
            self.ends.push(Span::new(field, self.spans.len()));
        }
    }

    pub(crate) fn finish(mut self) -> ItemSpans {
        let lists = self.ends.len() as u32;
        self.spans.append(&mut self.ends);
        ItemSpans {
            all: self.spans.into_boxed_slice(),
            lists,
        }
    }
}

impl ItemSpans {
    fn of(&self, field: usize) -> &[Span] {
        let (spans, ends) = self.all.split_at(self.all.len() - self.lists as usize);
        let Ok(i) = ends.binary_search_by_key(&(field as u32), |e| e.start) else {
            return &[];
        };
        let start = if i == 0 { 0 } else { ends[i - 1].end };
        &spans[start as usize..ends[i].end as usize]
    }
}

/// One top-level frontmatter key (48 bytes: a vault holds millions at once, so the lines
/// it occupies are computed from the source by [`Field::lines`] rather than stored, and the
/// spans of list items are kept by the frontmatter: [`Frontmatter::item_spans`]).
#[derive(Clone, Debug)]
pub struct Field {
    /// The key as written (trimmed of YAML quoting, not of inner whitespace: `strategy_group ` stays).
    /// Shared between the notes parsed on one thread (see [`Key`]).
    pub key: Key,
    pub key_span: Span,
    /// The value's text (empty span right after the colon when the value is empty). Quotes
    /// are included; a block list starts at its first `-`; a `|`/`>` text at its indicator.
    pub value_span: Span,
    /// The logical, normalised value.
    pub value: Value,
}

impl Field {
    /// Whole lines this key occupies in `source` (the text of the note it was parsed from):
    /// key line through its last value line, including the final line break; a `|`/`>` text
    /// also owns the blank lines after it. Comment lines above the key are not part of it; a
    /// comment at the end of its last line is. Edits change only these.
    ///
    /// Computed from the key and value spans: from the start of the key's line to the end of
    /// the line holding the value's last byte (the key's, for an empty value). The YAML text
    /// starts after the opening fence's line break and ends with a line break before the
    /// closing fence, so the search never leaves the frontmatter (`tests/parse_law.rs`
    /// checks this against a search bounded by the YAML text).
    pub fn lines(&self, source: &str) -> Span {
        line_block(
            source.as_bytes(),
            self.key_span.start as usize,
            self.key_span.end as usize,
            self.value_span.end as usize,
        )
    }
}

/// The lines from the one holding `key_start` through the one holding the last byte of
/// `key_end.max(value_end)`, with that line's break (or to the end of `bytes`).
pub(crate) fn line_block(bytes: &[u8], key_start: usize, key_end: usize, value_end: usize) -> Span {
    let line_start = memchr::memrchr(b'\n', &bytes[..key_start]).map_or(0, |i| i + 1);
    if fence_line(bytes, line_start).is_some() {
        // An empty key at the very end of the YAML (`? ` as the last line): the closing
        // fence is not the key's, so it owns no lines (no fence line can be inside YAML).
        return Span::new(line_start, line_start);
    }
    let last = value_end.max(key_end).max(line_start + 1) - 1;
    let line_end = memchr::memchr(b'\n', &bytes[last.min(bytes.len())..])
        .map_or(bytes.len(), |i| last + i + 1);
    Span::new(line_start, line_end.max(line_start))
}

impl Frontmatter {
    pub fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Spans of the individual items of `field`'s value when it is a list (block or flow), in
    /// order; empty otherwise (and for a field of another note).
    pub fn item_spans(&self, field: &Field) -> &[Span] {
        match self.fields.iter().position(|f| std::ptr::eq(f, field)) {
            Some(i) => self.items.of(i),
            None => &[],
        }
    }

    /// [`Frontmatter::item_spans`] of the field at `index`.
    pub fn item_spans_at(&self, index: usize) -> &[Span] {
        self.items.of(index)
    }
}

/// Where the frontmatter fences are, found without reading the YAML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fences {
    /// No opening `---` line at the start.
    None,
    /// An opening fence and a closing one: the block's span and the YAML between them.
    Closed { span: Span, yaml: Span },
    /// An opening fence and no closing one: the whole text is body.
    Unterminated { opening: Span },
}

/// Length of a fence line `---` (trailing blanks allowed) starting at `at`, including its
/// line break; `None` when the line there is not a fence.
fn fence_line(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = bytes.get(at..)?;
    if !rest.starts_with(b"---") {
        return None;
    }
    let mut i = 3;
    while i < rest.len() && matches!(rest[i], b' ' | b'\t') {
        i += 1;
    }
    match rest.get(i) {
        None => Some(i),
        Some(b'\n') => Some(i + 1),
        Some(b'\r') if rest.get(i + 1) == Some(&b'\n') => Some(i + 2),
        Some(b'\r') if i + 1 == rest.len() => Some(i + 1),
        _ => None,
    }
}

/// Find the frontmatter fences: `---` as the very first line (after `start`, the BOM's
/// length), closed by the next line that is `---`.
pub(crate) fn find_fences(text: &str, start: usize) -> Fences {
    let bytes = text.as_bytes();
    let Some(open_len) = fence_line(bytes, start) else {
        return Fences::None;
    };
    let yaml_start = start + open_len;
    // A `---` with no line break after it is the whole file: nothing can close it.
    if yaml_start == bytes.len() && !bytes[start..yaml_start].ends_with(b"\n") {
        return Fences::Unterminated {
            opening: Span::new(start, yaml_start),
        };
    }
    let mut line = yaml_start;
    while line < bytes.len() {
        if let Some(len) = fence_line(bytes, line) {
            return Fences::Closed {
                span: Span::new(start, line + len),
                yaml: Span::new(yaml_start, line),
            };
        }
        match memchr::memchr(b'\n', &bytes[line..]) {
            Some(i) => line += i + 1,
            None => break,
        }
    }
    Fences::Unterminated {
        opening: Span::new(start, yaml_start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences() {
        fn closed(t: &str) -> Option<(&str, &str)> {
            match find_fences(t, 0) {
                Fences::Closed { span, yaml } => Some((&t[span.range()], &t[yaml.range()])),
                _ => None,
            }
        }
        assert_eq!(
            closed("---\na: 1\n---\nbody"),
            Some(("---\na: 1\n---\n", "a: 1\n"))
        );
        assert_eq!(
            closed("---\r\na: 1\r\n---\r\n"),
            Some(("---\r\na: 1\r\n---\r\n", "a: 1\r\n"))
        );
        assert_eq!(closed("---\n---"), Some(("---\n---", "")));
        assert_eq!(
            closed("---  \na: 1\n--- \n"),
            Some(("---  \na: 1\n--- \n", "a: 1\n"))
        );
        assert_eq!(
            closed("---\na: 1\n----\n---\n"),
            Some(("---\na: 1\n----\n---\n", "a: 1\n----\n"))
        );
        assert_eq!(find_fences("", 0), Fences::None);
        assert_eq!(find_fences("----\n", 0), Fences::None);
        assert_eq!(find_fences("body\n---\n", 0), Fences::None);
        assert!(matches!(find_fences("---", 0), Fences::Unterminated { .. }));
        assert!(matches!(
            find_fences("---\na: 1\n", 0),
            Fences::Unterminated { .. }
        ));
    }
}
