//! Frontmatter YAML → [`Field`]s with byte spans, read from saphyr's event stream.
//!
//! saphyr (strict YAML 1.2) reports positions as *character* indices; everything here is
//! converted to byte offsets into the note's source at once ([`CharToByte`]), so emoji and
//! `U+FE0F` never shift a span. The tree is built with an explicit stack (no recursion), and
//! collections nested deeper than [`MAX_DEPTH`] are read as `Null`, so hostile input can
//! neither overflow the stack nor make dropping the value recurse without bound.

use std::borrow::Cow;

use saphyr::Scalar;
use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::frontmatter::{Field, ItemSpans, ItemSpansBuilder};
use crate::markdown::LinkTarget;
use crate::{Diagnostic, Span, Value};

mod flat;

/// Collections nested deeper than this are read as `Null`.
pub const MAX_DEPTH: usize = 64;

/// What reading a frontmatter block's YAML gave.
pub(crate) struct ParsedYaml {
    pub valid: bool,
    pub fields: Vec<Field>,
    pub items: ItemSpans,
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks a text from character index to byte offset; cheap for the mostly increasing
/// positions saphyr reports, exact for any.
struct CharToByte<'a> {
    text: &'a str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'a> CharToByte<'a> {
    fn new(text: &'a str) -> Self {
        CharToByte {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.chars {
            self.chars = 0;
            self.bytes = 0;
        }
        let bytes = self.text.as_bytes();
        while self.chars < char_index && self.bytes < bytes.len() {
            self.bytes += utf8_width(bytes[self.bytes]);
            self.chars += 1;
        }
        self.bytes = self.bytes.min(bytes.len());
        self.bytes
    }
}

fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// A finished node: its normalised value and where it sits (bytes, relative to the YAML text).
struct Node {
    value: Value,
    start: usize,
    end: usize,
    /// The scalar's text as YAML read it (used when the node is a mapping key).
    scalar: Option<String>,
    block_scalar: bool,
    item_spans: Vec<Span>,
}

enum Frame {
    Seq {
        items: Vec<Value>,
        item_spans: Vec<Span>,
        start: usize,
        last_end: usize,
    },
    Map {
        entries: Vec<(Box<str>, Value)>,
        key: Option<Node>,
        start: usize,
        last_end: usize,
    },
}

struct Builder<'a> {
    yaml: &'a str,
    /// Offset of the YAML text in the note's source.
    base: usize,
    stack: Vec<Frame>,
    /// How many collections deeper than `MAX_DEPTH` are open (their content is ignored).
    skipped: usize,
    anchors: Vec<(usize, Value)>,
    root: Option<Node>,
    fields: Vec<Field>,
    /// One bit per key read so far, from [`key_bit`]: a key whose bit is clear is no
    /// duplicate, without comparing it with every key before it.
    seen_keys: u128,
    items: ItemSpansBuilder,
    diagnostics: Vec<Diagnostic>,
}

/// A bit for `key` from its length and its first and last bytes: equal keys get equal bits,
/// and the keys of one note mostly get different ones.
fn key_bit(key: &str) -> u128 {
    let b = key.as_bytes();
    let (first, last) = (
        b.first().copied().unwrap_or(0),
        b.last().copied().unwrap_or(0),
    );
    let h = (b.len() as u32)
        .wrapping_mul(31)
        .wrapping_add(u32::from(first).wrapping_mul(7))
        .wrapping_add(u32::from(last));
    1u128 << (h % 128)
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, base: usize) -> Builder<'a> {
        Builder {
            yaml: text,
            base,
            stack: Vec::new(),
            skipped: 0,
            anchors: Vec::new(),
            root: None,
            fields: Vec::with_capacity(top_level_lines(text)),
            seen_keys: 0,
            items: ItemSpansBuilder::new(Span::new(base, base + text.len())),
            diagnostics: Vec::new(),
        }
    }
}

/// Lines of `text` that may start a top-level key (not indented, not a list item or a
/// comment): exactly the keys of flat frontmatter, so the fields' list is allocated once at
/// its final size instead of growing and shrinking (copies that were 5% of a load's CPU).
fn top_level_lines(text: &str) -> usize {
    let bytes = text.as_bytes();
    let starts_key = |at: usize| {
        bytes
            .get(at)
            .is_some_and(|b| !matches!(b, b' ' | b'\t' | b'-' | b'#' | b'\n' | b'\r'))
    };
    usize::from(starts_key(0))
        + memchr::memchr_iter(b'\n', bytes)
            .filter(|&i| starts_key(i + 1))
            .count()
}

/// Parse the YAML text at `yaml` in `source` (the text between the fences): flat
/// frontmatter by the fast reader in [`flat`], anything else by saphyr.
pub(crate) fn parse(source: &str, yaml: Span) -> ParsedYaml {
    flat::parse(source, yaml).unwrap_or_else(|| parse_with_saphyr(source, yaml))
}

/// Parse the YAML text at `yaml` in `source` with saphyr, whatever its shape.
pub(crate) fn parse_with_saphyr(source: &str, yaml: Span) -> ParsedYaml {
    let text = &source[yaml.range()];
    let mut builder = Builder::new(text, yaml.start as usize);
    let mut pos = CharToByte::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    loop {
        match parser.next_event() {
            None => break,
            Some(Err(error)) => {
                let at = builder.base + pos.byte(error.marker().index());
                let diagnostic = Diagnostic::error("yaml/invalid", format!("frontmatter is not valid YAML: {}", error.info()))
                    .with_span(Span::new(at, at))
                    .with_help("fix the YAML between the `---` lines; until then this note's fields are not read");
                return ParsedYaml {
                    valid: false,
                    fields: Vec::new(),
                    items: ItemSpans::default(),
                    diagnostics: vec![diagnostic],
                };
            }
            Some(Ok((event, span))) => {
                let start = pos.byte(span.start.index());
                let end = pos.byte(span.end.index()).max(start);
                match event {
                    Event::StreamEnd => break,
                    Event::DocumentStart(_) => {
                        documents += 1;
                        if documents == 2 {
                            let at = builder.base + start;
                            builder.diagnostics.push(
                                Diagnostic::warning("yaml/extra-document", "frontmatter holds more than one YAML document; only the first is read")
                                    .with_span(Span::new(at, at)),
                            );
                        }
                    }
                    _ if documents > 1 => {}
                    event => builder.event(event, start, end),
                }
            }
        }
    }
    builder.finish()
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, start: usize, end: usize) {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                if self.skipped > 0 {
                    return;
                }
                let value = scalar_value(&text, style, tag.as_ref());
                if anchor != 0 {
                    self.anchors.push((anchor, value.clone()));
                }
                let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
                self.finish_node(Node {
                    value,
                    start,
                    end,
                    // Only a mapping key needs its text kept apart from the value.
                    scalar: matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
                        .then(|| text.into_owned()),
                    block_scalar: block,
                    item_spans: Vec::new(),
                });
            }
            Event::Alias(anchor) => {
                if self.skipped > 0 {
                    return;
                }
                let value = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(id, _)| *id == anchor)
                    .map_or(Value::Null, |(_, v)| v.clone());
                self.finish_node(Node {
                    value,
                    start,
                    end,
                    scalar: None,
                    block_scalar: false,
                    item_spans: Vec::new(),
                });
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if self.skipped > 0 || self.stack.len() >= MAX_DEPTH {
                    self.skipped += 1;
                    return;
                }
                let mut start = start;
                if matches!(event, Event::SequenceStart(..)) && end == start {
                    // A block list (its start event has an empty span) that is indentless
                    // (`key:\n- a`) is reported at its first item; the list starts at the dash.
                    let bytes = self.yaml.as_bytes();
                    let mut i = start.min(bytes.len());
                    while i > 0 && bytes[i - 1] == b' ' {
                        i -= 1;
                    }
                    if bytes.get(start) != Some(&b'-') && i > 0 && bytes[i - 1] == b'-' {
                        start = i - 1;
                    }
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        items: Vec::new(),
                        item_spans: Vec::new(),
                        start,
                        last_end: end,
                    }
                } else {
                    Frame::Map {
                        entries: Vec::new(),
                        key: None,
                        start,
                        last_end: end,
                    }
                };
                self.stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if self.skipped > 0 {
                    self.skipped -= 1;
                    if self.skipped == 0 {
                        // The too-deep collection ends here: it stands as `Null`.
                        self.diagnostics.push(
                            Diagnostic::warning("yaml/too-deep", format!("frontmatter nests collections deeper than {MAX_DEPTH}; the inner part is not read"))
                                .with_span(Span::new(self.base + start, self.base + end)),
                        );
                        self.finish_node(Node {
                            value: Value::Null,
                            start,
                            end,
                            scalar: None,
                            block_scalar: false,
                            item_spans: Vec::new(),
                        });
                    }
                    return;
                }
                let Some(frame) = self.stack.pop() else {
                    return;
                };
                // A flow collection ends with its bracket (`end` is after it); a block one
                // ends where its last item ended (saphyr reports the next key's position).
                let flow = matches!(self.yaml.as_bytes().get(start), Some(b']' | b'}'));
                let end = if flow { start + 1 } else { end };
                let node = match frame {
                    Frame::Seq {
                        items,
                        item_spans,
                        start: s,
                        last_end,
                    } => {
                        let e = if flow { end } else { last_end };
                        let value = self.sequence_value(items, &item_spans, s, e, flow);
                        Node {
                            value,
                            start: s,
                            end: e,
                            scalar: None,
                            block_scalar: false,
                            item_spans,
                        }
                    }
                    Frame::Map {
                        entries,
                        start: s,
                        last_end,
                        ..
                    } => {
                        let e = if flow { end } else { last_end };
                        Node {
                            value: Value::Map(entries.into_boxed_slice()),
                            start: s,
                            end: e,
                            scalar: None,
                            block_scalar: false,
                            item_spans: Vec::new(),
                        }
                    }
                };
                self.finish_node(node);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => {}
        }
    }

    fn sequence_value(
        &self,
        items: Vec<Value>,
        item_spans: &[Span],
        start: usize,
        end: usize,
        flow: bool,
    ) -> Value {
        // `[[Name]]` unquoted: a flow list holding one flow list, brackets touching.
        if flow && items.len() == 1 && item_spans.len() == 1 && end >= start + 4 {
            let inner = item_spans[0];
            let bytes = self.yaml.as_bytes();
            if inner.start as usize == start + 1
                && inner.end as usize + 1 == end
                && bytes[start + 1] == b'['
                && bytes[end - 2] == b']'
                && matches!(items[0], Value::List(_) | Value::Null)
            {
                let text = &self.yaml[start + 2..end - 2];
                if !text.contains(['[', ']']) {
                    return Value::Link(LinkTarget::shared(text));
                }
            }
        }
        // The same nested list written as block lists (`- - Name`, how Obsidian's property
        // editor re-saves an unquoted `[[Name]]`): one item, itself a one-text block list.
        if !flow
            && let [Value::List(inner)] = items.as_slice()
            && let [Value::Text(name)] = &**inner
            && item_spans.len() == 1
            && self.yaml.as_bytes().get(item_spans[0].start as usize) == Some(&b'-')
            && !name.contains(['[', ']', '\n'])
        {
            return Value::Link(LinkTarget::shared(name));
        }
        Value::List(
            items
                .into_iter()
                .filter(|v| !matches!(v, Value::Null))
                .collect(),
        )
    }

    fn finish_node(&mut self, node: Node) {
        let depth = self.stack.len();
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq {
                items,
                item_spans,
                last_end,
                ..
            }) => {
                *last_end = node.end;
                item_spans.push(Span::new(node.start, node.end));
                items.push(node.value);
            }
            Some(Frame::Map { key, last_end, .. }) => {
                *last_end = node.end;
                let Some(k) = key.take() else {
                    *key = Some(node);
                    return;
                };
                let name = match &k.scalar {
                    Some(s) => s.clone(),
                    None => self.yaml[k.start..k.end].to_owned(),
                };
                if depth == 1 {
                    // Top-level keys become fields; the root map's own entries are not kept.
                    let field = self.field(&name, &k, node);
                    self.fields.push(field);
                } else if let Some(Frame::Map { entries, .. }) = self.stack.last_mut() {
                    entries.push((name.into_boxed_str(), node.value));
                }
            }
        }
    }

    /// A top-level key with its spans (relative positions turned into source offsets).
    fn field(&mut self, key: &str, k: &Node, v: Node) -> Field {
        let bytes = self.yaml.as_bytes();
        // The colon after the key, then the value's first byte.
        let mut colon = k.end;
        while colon < bytes.len() && matches!(bytes[colon], b' ' | b'\t') {
            colon += 1;
        }
        let after_colon = if bytes.get(colon) == Some(&b':') {
            colon + 1
        } else {
            k.end
        };
        let (value_start, value_end) = if v.block_scalar {
            // From the `|`/`>` indicator.
            let indicator = bytes[after_colon..v.start.max(after_colon)]
                .iter()
                .position(|&b| b == b'|' || b == b'>');
            (indicator.map_or(v.start, |i| after_colon + i), v.end)
        } else if v.end <= v.start && matches!(v.value, Value::Null) {
            (after_colon, after_colon)
        } else {
            (v.start.max(after_colon), v.end.max(after_colon))
        };
        let b = self.base;
        let shift = |s: Span| Span {
            start: s.start + b as u32,
            end: s.end + b as u32,
        };
        let bit = key_bit(key);
        let maybe_seen = self.seen_keys & bit != 0;
        self.seen_keys |= bit;
        if maybe_seen && self.fields.iter().any(|f| f.key == key) {
            self.diagnostics.push(
                Diagnostic::warning(
                    "yaml/duplicate-key",
                    format!(
                        "frontmatter key `{key}` appears more than once; the first one is read"
                    ),
                )
                .with_span(Span::new(b + k.start, b + k.end)),
            );
        }
        let at = self.items.add(
            self.fields.len(),
            Span::new(b + k.start, b + k.end),
            Span::new(b + value_start, b + value_end),
            v.item_spans.iter().map(|&s| shift(s)),
        );
        let position = self.fields.len();
        Field::new(crate::key::shared_key_at(key, position), at, v.value)
    }

    fn finish(mut self) -> ParsedYaml {
        match self.root {
            Some(Node {
                value: Value::Map(_),
                ..
            })
            | None => {}
            Some(Node {
                value: Value::Null, ..
            }) => {}
            Some(node) => {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "yaml/not-a-mapping",
                        format!(
                            "frontmatter is a YAML {}, not `key: value` lines; no fields are read",
                            node.value.kind()
                        ),
                    )
                    .with_span(Span::new(self.base + node.start, self.base + node.end)),
                );
            }
        }
        ParsedYaml {
            valid: true,
            fields: self.fields,
            items: self.items.finish(),
            diagnostics: self.diagnostics,
        }
    }
}

/// A scalar's logical value: core-schema resolution for plain scalars, links recognised in text.
fn scalar_value(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Cow<'_, saphyr_parser::Tag>>,
) -> Value {
    // A plain scalar that cannot start a null, a boolean or a number (the core schema's
    // `~`, `null`, `true`, `false`, digits, signs, `.inf`, `.nan`) is text: most field values
    // (`To Review`, an emotion's name) skip saphyr's guesses.
    if style == ScalarStyle::Plain
        && tag.is_none()
        && text
            .as_bytes()
            .first()
            .is_some_and(|b| !b"~nNtTfF+-.0123456789".contains(b))
    {
        return text_value(text);
    }
    resolved_by_saphyr(text, style, tag)
}

/// The value saphyr's core-schema resolution gives a scalar (text, links recognised, when it
/// is no null, boolean or number).
fn resolved_by_saphyr(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Cow<'_, saphyr_parser::Tag>>,
) -> Value {
    match Scalar::parse_from_cow_and_metadata(Cow::Borrowed(text), style, tag) {
        None => text_value(text),
        Some(Scalar::Null) => Value::Null,
        Some(Scalar::Boolean(b)) => Value::Bool(b),
        Some(Scalar::Integer(i)) => Value::Int(i),
        Some(Scalar::FloatingPoint(f)) => Value::Float(f.into_inner()),
        Some(Scalar::String(s)) => text_value(&s),
    }
}

pub(crate) fn text_value(text: &str) -> Value {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Value::Null;
    }
    if let Some(inner) = trimmed
        .strip_prefix("[[")
        .and_then(|t| t.strip_suffix("]]"))
        && !inner.contains("[[")
        && !inner.contains("]]")
    {
        return Value::Link(LinkTarget::shared(inner));
    }
    Value::Text(text.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn plain_scalars_resolve_as_saphyr_resolves_them(
            text in "[~nNtTfFaeEiIoOulrsx+\\-.0-9 ]{0,7}|[A-Za-z\\[\\]é🎭 ]{0,12}"
        ) {
            let fast = scalar_value(&text, ScalarStyle::Plain, None);
            // What it gave before its shortcut for plain text: saphyr's guess, always.
            let slow = resolved_by_saphyr(&text, ScalarStyle::Plain, None);
            // NaN is not equal to itself: compare floats by their bits.
            match (&fast, &slow) {
                (Value::Float(a), Value::Float(b)) => proptest::prop_assert_eq!(a.to_bits(), b.to_bits()),
                _ => proptest::prop_assert_eq!(fast, slow),
            }
        }
    }

    /// The duplicate check skips keys whose bit ([`key_bit`]) no key before had: keys that
    /// share a bit are still told apart, and a duplicate is found among many keys.
    #[test]
    fn duplicate_keys_are_found_whatever_their_bits() {
        let duplicates = |yaml: &str| {
            let note = crate::parse_note(format!("---\n{yaml}---\n").as_bytes());
            note.diagnostics()
                .iter()
                .filter(|d| d.code == "yaml/duplicate-key")
                .count()
        };
        assert_eq!(key_bit("axb"), key_bit("ayb"));
        assert_eq!(duplicates("axb: 1\nayb: 2\n"), 0);
        assert_eq!(duplicates("axb: 1\nayb: 2\naxb: 3\n"), 1);
        let many: String = (0..300).map(|i| format!("key{i}: {i}\n")).collect();
        assert_eq!(duplicates(&many), 0);
        assert_eq!(
            duplicates(&format!("{many}key7: again\nkey299: again\n")),
            2
        );
    }

    #[test]
    fn core_schema_words_are_still_typed() {
        for (text, want) in [
            ("~", Value::Null),
            ("null", Value::Null),
            ("TRUE", Value::Bool(true)),
            ("False", Value::Bool(false)),
            ("-12", Value::Int(-12)),
            ("+7", Value::Int(7)),
            ("0x1F", Value::Int(31)),
            (".5", Value::Float(0.5)),
        ] {
            assert_eq!(scalar_value(text, ScalarStyle::Plain, None), want, "{text}");
        }
        assert_eq!(
            scalar_value("To Review", ScalarStyle::Plain, None),
            Value::Text("To Review".into())
        );
    }
}
