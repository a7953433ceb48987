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
    /// The list items' spans (and the fields' spans of a long YAML text), see [`FieldAt::item_spans`].
    pub(crate) items: ItemSpans,
}

/// The spans of list items of every field, kept beside the fields rather than in them: most
/// fields hold no list, and at 1.8 million fields a list per field would cost 16 bytes each.
/// One allocation per note: when the YAML text is too long for a [`Field`]'s packed spans
/// (over 64 KiB), first the key and value spans of every field (`wide_fields` of them, two
/// spans each); then all fields' item spans in field order; then one `(field index, end of
/// its items)` pair per field that has items, by field index (`lists` of them).
#[derive(Clone, Debug, Default)]
pub(crate) struct ItemSpans {
    all: Box<[Span]>,
    lists: u32,
    wide_fields: u32,
}

/// Collects [`ItemSpans`] while the fields are read, one field after the other.
pub(crate) struct ItemSpansBuilder {
    /// Where the YAML text starts in the source; `None` when it is too long for packed spans.
    base: Option<u32>,
    wide: Vec<Span>,
    spans: Vec<Span>,
    ends: Vec<Span>,
}

impl ItemSpansBuilder {
    /// For a YAML text at `yaml` in the note's source.
    pub(crate) fn new(yaml: Span) -> ItemSpansBuilder {
        ItemSpansBuilder {
            base: (yaml.len() <= u16::MAX as usize).then_some(yaml.start),
            wide: Vec::new(),
            spans: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// Field number `field` (fields are added in increasing order) with its key, value and
    /// list items (all in source offsets): keeps the items, and returns the spans packed for
    /// the [`Field`] (or keeps them here when they do not fit).
    pub(crate) fn add(
        &mut self,
        field: usize,
        key: Span,
        value: Span,
        items: impl IntoIterator<Item = Span>,
    ) -> [u16; 4] {
        let before = self.spans.len();
        self.spans.extend(items);
        if self.spans.len() > before {
            self.ends.push(Span::new(field, self.spans.len()));
        }
        match self.base {
            // Inside a YAML text of at most 64 KiB every offset and length fits in 16 bits.
            Some(base) => [
                (key.start - base) as u16,
                key.len() as u16,
                (value.start - base) as u16,
                value.len() as u16,
            ],
            None => {
                self.wide.extend([key, value]);
                [0; 4]
            }
        }
    }

    pub(crate) fn finish(self) -> ItemSpans {
        let lists = self.ends.len() as u32;
        let wide_fields = (self.wide.len() / 2) as u32;
        // One allocation of the final size.
        let mut all = Vec::with_capacity(self.wide.len() + self.spans.len() + self.ends.len());
        all.extend_from_slice(&self.wide);
        all.extend_from_slice(&self.spans);
        all.extend_from_slice(&self.ends);
        ItemSpans {
            all: all.into_boxed_slice(),
            lists,
            wide_fields,
        }
    }
}

impl ItemSpans {
    fn of(&self, field: usize) -> &[Span] {
        let all = &self.all[2 * self.wide_fields as usize..];
        let (spans, ends) = all.split_at(all.len() - self.lists as usize);
        let Ok(i) = ends.binary_search_by_key(&(field as u32), |e| e.start) else {
            return &[];
        };
        let start = if i == 0 { 0 } else { ends[i - 1].end };
        &spans[start as usize..ends[i].end as usize]
    }
}

/// One top-level frontmatter key (40 bytes: a vault holds millions at once). Its spans are
/// packed relative to the YAML text and read through its frontmatter
/// ([`Frontmatter::field`] gives a [`FieldAt`]); the lines it occupies are computed from the
/// source by [`FieldAt::lines`] rather than stored, and the spans of list items are kept by
/// the frontmatter.
#[derive(Clone, Debug)]
pub struct Field {
    /// The key as written (trimmed of YAML quoting, not of inner whitespace: `strategy_group ` stays).
    /// Shared between the notes parsed on one thread (see [`Key`]).
    pub key: Key,
    /// Key start, key length, value start, value length, the starts relative to the YAML
    /// text (all zero when the YAML text is over 64 KiB: then [`ItemSpans`] has them).
    at: [u16; 4],
    /// The logical, normalised value.
    pub value: Value,
}

impl Field {
    pub(crate) fn new(key: Key, at: [u16; 4], value: Value) -> Field {
        Field { key, at, value }
    }
}

/// A frontmatter field with its place in the source: what [`Frontmatter::field`] and
/// [`Frontmatter::iter`] give. Reads as its [`Field`] (`Deref`).
#[derive(Clone, Copy, Debug)]
pub struct FieldAt<'a> {
    pub field: &'a Field,
    /// The field's position among its frontmatter's fields.
    pub index: usize,
    pub key_span: Span,
    /// The value's text (empty span right after the colon when the value is empty). Quotes
    /// are included; a block list starts at its first `-`; a `|`/`>` text at its indicator.
    pub value_span: Span,
    items: &'a [Span],
}

impl std::ops::Deref for FieldAt<'_> {
    type Target = Field;
    fn deref(&self) -> &Field {
        self.field
    }
}

impl<'a> FieldAt<'a> {
    /// Spans of the individual items of the value when it is a list (block or flow), in
    /// order; empty otherwise.
    pub fn item_spans(&self) -> &'a [Span] {
        self.items
    }

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
    /// The first field named `key`.
    pub fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The first field named `key`, with its place in the source.
    pub fn find(&self, key: &str) -> Option<FieldAt<'_>> {
        let index = self.fields.iter().position(|f| f.key == key)?;
        Some(self.field(index))
    }

    /// The field at `index` (of [`Frontmatter::fields`]) with its place in the source.
    pub fn field(&self, index: usize) -> FieldAt<'_> {
        let field = &self.fields[index];
        let (key_span, value_span) = if self.items.wide_fields > 0 {
            (self.items.all[2 * index], self.items.all[2 * index + 1])
        } else {
            let [key_start, key_len, value_start, value_len] = field.at.map(u32::from);
            let base = self.yaml.start;
            (
                Span {
                    start: base + key_start,
                    end: base + key_start + key_len,
                },
                Span {
                    start: base + value_start,
                    end: base + value_start + value_len,
                },
            )
        };
        FieldAt {
            field,
            index,
            key_span,
            value_span,
            items: self.items.of(index),
        }
    }

    /// Every field in source order, with its place in the source.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = FieldAt<'_>> {
        (0..self.fields.len()).map(|i| self.field(i))
    }

    /// [`FieldAt::item_spans`] of the field at `index`.
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

    /// Spans read the same whether they are packed in the field (YAML text up to 64 KiB) or
    /// kept by the frontmatter (longer YAML text), through the flat reader and saphyr alike.
    #[test]
    fn spans_of_short_and_long_frontmatter_agree() {
        let fields = "a: 1\nlist:\n  - x\n  - \"[[Y]]\"\nflow: [p, q]\nempty:\nlast: z\n";
        let nested = "nested:\n  deep: 1\n";
        for filler_len in [0, 70_000] {
            for extra in ["", nested] {
                let filler = format!("filler: {}\n", "w".repeat(filler_len));
                let source = format!("\u{feff}---\n{filler}{fields}{extra}---\nbody\n");
                let note = crate::parse_note_text(source.clone());
                let fm = note.frontmatter.as_ref().expect("frontmatter");
                assert_eq!(fm.items.wide_fields > 0, filler_len > 0);
                let text = |s: Span| &source[s.range()];
                let seen: Vec<_> = fm
                    .iter()
                    .skip(1)
                    .map(|f| {
                        let items: Vec<&str> = f.item_spans().iter().map(|&s| text(s)).collect();
                        (
                            text(f.key_span),
                            text(f.value_span),
                            text(f.lines(&source)),
                            items,
                        )
                    })
                    .collect();
                let mut want = vec![
                    ("a", "1", "a: 1\n", vec![]),
                    (
                        "list",
                        "- x\n  - \"[[Y]]\"",
                        "list:\n  - x\n  - \"[[Y]]\"\n",
                        vec!["x", "\"[[Y]]\""],
                    ),
                    ("flow", "[p, q]", "flow: [p, q]\n", vec!["p", "q"]),
                    ("empty", "", "empty:\n", vec![]),
                    ("last", "z", "last: z\n", vec![]),
                ];
                if !extra.is_empty() {
                    want.push(("nested", "deep: 1", "nested:\n  deep: 1\n", vec![]));
                }
                assert_eq!(seen, want, "filler {filler_len}, extra {extra:?}");
                assert_eq!(fm.find("last").map(|f| f.index), Some(5));
            }
        }
    }
}
