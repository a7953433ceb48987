//! Lossless frontmatter edits. Only the lines of the touched key change.
//!
//! Every edit takes a note's whole source text and returns the new text, or a [`Diagnostic`]
//! saying why it refused. The law each one keeps (checked by proptest in
//! `tests/edit_law.rs`): the bytes before the touched key's [`crate::FieldAt::lines`] and after them are
//! identical in the result, and the result re-parses (strict YAML 1.2, saphyr) to the intended
//! value with every other field's value unchanged. `add_key` inserts whole lines between two
//! keys (or at the end) and changes nothing else; creating frontmatter on a note without one
//! inserts a block at the very start (after a BOM).
//!
//! # Why the splice is ours and not `yaml-edit`'s
//!
//! The team chose `yaml-edit` for lossless writes, and it is lossless outside the key in every
//! case we tried (comments, emoji with U+FE0F, CRLF, `|+` scalars). We still do the splice
//! ourselves on the key's `lines` span, because what it writes *inside* the key is not the
//! vault's style and cannot be asked to be: a link comes out single-quoted (`'[[X]]'`, the
//! vault writes `"[[X]]"`), a text that looks like a number comes out `'1'`, a new list's
//! layout is its own rather than the one this key (or this note's other lists) already use.
//! Our splice keeps, on top of the law: the key as written, the spacing after the colon, a
//! trailing `# comment` on the key's line, a block list's indent and dash spacing, a flow
//! list's brackets; it writes the note's own line ending. Safety does not rest on the
//! splice: before editing, the frontmatter must parse (else `edit/invalid-frontmatter`); after
//! editing, the result is parsed again and compared with the intended value and with every
//! other field (else `edit/verify-failed`, or `edit/would-disturb` when a neighbour such as
//! a `|+` text above would read the changed lines differently; the source is left as it was).

use std::sync::Arc;

use crate::frontmatter::FieldAt;
use crate::markdown::LinkTarget;
use crate::note::{LineEnding, Note, parse_note_text};
use crate::{Diagnostic, Span, Value};

/// A value to write into a frontmatter key.
#[derive(Clone, Debug, PartialEq)]
pub enum EditValue {
    /// Text; written plain when YAML would read it back as the same text, else double-quoted.
    /// Text that is exactly one `[[link]]` is written quoted, like [`EditValue::Link`].
    Scalar(String),
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Nothing: written `key:` (use `List(vec![])` for `key: []`).
    Null,
    /// The text between `[[` and `]]` (`Name`, `folder/Name`, `Name#Heading|alias`); written
    /// `"[[Name]]"`.
    Link(String),
    /// Items must not be lists themselves. Written as a block list (or flow, when the key
    /// already was a flow list); an empty list is written `[]`.
    List(Vec<EditValue>),
}

impl EditValue {
    /// The value attune reads back from what this writes (the normalisation of [`Value`]).
    pub fn intended(&self) -> Value {
        match self {
            EditValue::Scalar(s) => crate::yaml::text_value(s),
            EditValue::Bool(b) => Value::Bool(*b),
            EditValue::Int(i) => Value::Int(*i),
            EditValue::Float(f) => Value::Float(*f),
            EditValue::Null => Value::Null,
            EditValue::Link(l) => Value::Link(Arc::new(LinkTarget::parse(l))),
            EditValue::List(items) => Value::List(
                items
                    .iter()
                    .map(EditValue::intended)
                    .filter(|v| !matches!(v, Value::Null))
                    .collect(),
            ),
        }
    }

    /// The edit value that writes `value` back (maps become `None`: they cannot be written).
    pub fn from_value(value: &Value) -> Option<EditValue> {
        Some(match value {
            Value::Null => EditValue::Null,
            Value::Bool(b) => EditValue::Bool(*b),
            Value::Int(i) => EditValue::Int(*i),
            Value::Float(f) => EditValue::Float(*f),
            Value::Text(s) => EditValue::Scalar(s.to_string()),
            Value::Link(l) => {
                let wiki = l.to_wiki();
                EditValue::Link(wiki[2..wiki.len() - 2].to_owned())
            }
            Value::List(items) => EditValue::List(
                items
                    .iter()
                    .map(EditValue::from_value)
                    .collect::<Option<_>>()?,
            ),
            Value::Map(_) => return None,
        })
    }
}

/// Lists lose the items that read back as nothing (`Null`, `""`), as [`Value`] does.
fn without_empty_items(value: &EditValue) -> std::borrow::Cow<'_, EditValue> {
    match value {
        EditValue::List(items) if items.iter().any(|i| matches!(i.intended(), Value::Null)) => {
            std::borrow::Cow::Owned(EditValue::List(
                items
                    .iter()
                    .filter(|i| !matches!(i.intended(), Value::Null))
                    .cloned()
                    .collect(),
            ))
        }
        other => std::borrow::Cow::Borrowed(other),
    }
}

impl From<&str> for EditValue {
    fn from(s: &str) -> EditValue {
        EditValue::Scalar(s.to_owned())
    }
}

/// Set `key` to `value`: replaces the key's value in place, adds the key at the end of the
/// frontmatter when it is missing, and creates a frontmatter block when the note has none.
/// Setting a key to the value it already has returns the source unchanged.
pub fn set_key(source: &str, key: &str, value: &EditValue) -> Result<String, Diagnostic> {
    check_key(key)?;
    check_value(value)?;
    let value = &*without_empty_items(value);
    let note = parse_note_text(source.to_owned());
    let Some(fm) = frontmatter(&note)? else {
        return create_frontmatter(&note, key, value);
    };
    let Some(field) = single_field(fm, key)? else {
        return insert_key(&note, key, value, fm.yaml.end as usize);
    };
    if field.value == value.intended() {
        return Ok(source.to_owned());
    }
    let new_lines = rewrite_lines(&note, &field, value);
    let result = splice(source, field.lines(source), &new_lines);
    verify(&note, &result, key, Some(&value.intended()))?;
    Ok(result)
}

/// Append `item` to the list in `key`, unless an equal item is already there (a link counts
/// as equal when its target and fragment are; the alias is ignored). A scalar value becomes
/// a list of it and `item`; an empty or missing key becomes a one-item list.
pub fn append_to_list(source: &str, key: &str, item: &EditValue) -> Result<String, Diagnostic> {
    check_key(key)?;
    if matches!(item, EditValue::List(_)) {
        return Err(invalid_value("a list item cannot itself be a list"));
    }
    check_value(item)?;
    let wanted = item.intended();
    if matches!(wanted, Value::Null) {
        return Ok(source.to_owned());
    }
    let note = parse_note_text(source.to_owned());
    let Some(fm) = frontmatter(&note)? else {
        return create_frontmatter(&note, key, &EditValue::List(vec![item.clone()]));
    };
    let Some(field) = single_field(fm, key)? else {
        return insert_key(
            &note,
            key,
            &EditValue::List(vec![item.clone()]),
            fm.yaml.end as usize,
        );
    };
    if field.value.items().any(|v| same_item(v, &wanted)) {
        return Ok(source.to_owned());
    }
    let mut intended: Vec<Value> = field.value.items().cloned().collect();
    intended.push(wanted);
    let intended = Value::list(intended);
    let text = &note.source;
    let item_spans = field.item_spans();
    let result = match &field.value {
        Value::Map(_) => {
            return Err(Diagnostic::error(
                "edit/not-a-list",
                format!("`{key}` holds a map; cannot append a list item to it"),
            )
            .with_span(field.value_span));
        }
        Value::List(items) if !items.is_empty() && !item_spans.is_empty() => {
            let last = *item_spans.last().expect("checked non-empty");
            match list_style(text, &field, item_spans) {
                ListStyle::Flow => {
                    let rendered = render_scalar(item, true);
                    splice(
                        text,
                        Span {
                            start: last.end,
                            end: last.end,
                        },
                        &format!(", {rendered}"),
                    )
                }
                ListStyle::Block { indent, after_dash } => {
                    let bytes = text.as_bytes();
                    let at = memchr::memchr(b'\n', &bytes[last.end as usize..])
                        .map_or(bytes.len(), |i| last.end as usize + i + 1);
                    let le = line_ending(&note);
                    let lead = if at == bytes.len() && !text.ends_with('\n') {
                        le
                    } else {
                        ""
                    };
                    splice(
                        text,
                        Span::new(at, at),
                        &format!(
                            "{lead}{indent}-{after_dash}{}{le}",
                            render_scalar(item, false)
                        ),
                    )
                }
            }
        }
        _ => {
            // A scalar (kept as written when it fits on one line), an empty list, or nothing.
            let mut items: Vec<String> = Vec::new();
            match &field.value {
                Value::Null | Value::List(_) => {}
                Value::Link(_) => items.push(render_scalar(
                    &EditValue::from_value(&field.value).unwrap_or(EditValue::Null),
                    false,
                )),
                _ => {
                    let old = &text[field.value_span.range()];
                    if old.contains('\n') {
                        match EditValue::from_value(&field.value) {
                            Some(v) => items.push(render_scalar(&v, false)),
                            None => {
                                return Err(invalid_value(
                                    "the current value cannot be turned into a list",
                                ));
                            }
                        }
                    } else {
                        items.push(old.to_owned());
                    }
                }
            }
            items.push(render_scalar(item, false));
            let new_lines = block_list_lines(&note, &field, &items);
            splice(text, field.lines(text), &new_lines)
        }
    };
    verify(&note, &result, key, Some(&intended))?;
    Ok(result)
}

/// Remove `key` and its lines. Removing a key that is not there returns the source unchanged.
pub fn remove_key(source: &str, key: &str) -> Result<String, Diagnostic> {
    let note = parse_note_text(source.to_owned());
    let Some(fm) = frontmatter(&note)? else {
        return Ok(source.to_owned());
    };
    let Some(field) = single_field(fm, key)? else {
        return Ok(source.to_owned());
    };
    let result = splice(source, field.lines(source), "");
    verify(&note, &result, key, None)?;
    Ok(result)
}

/// Add `key` (which must not exist yet) after the lines of `after`, or at the end of the
/// frontmatter when `after` is `None`. Creates the frontmatter when the note has none.
pub fn add_key(
    source: &str,
    key: &str,
    value: &EditValue,
    after: Option<&str>,
) -> Result<String, Diagnostic> {
    check_key(key)?;
    check_value(value)?;
    let value = &*without_empty_items(value);
    let note = parse_note_text(source.to_owned());
    let Some(fm) = frontmatter(&note)? else {
        if let Some(a) = after {
            return Err(missing_key(a));
        }
        return create_frontmatter(&note, key, value);
    };
    if fm.get(key).is_some() {
        return Err(Diagnostic::error(
            "edit/key-exists",
            format!("frontmatter already has `{key}`"),
        )
        .with_help("use set_key to change its value"));
    }
    let at = match after {
        None => fm.yaml.end as usize,
        Some(a) => {
            single_field(fm, a)?
                .ok_or_else(|| missing_key(a))?
                .lines(source)
                .end as usize
        }
    };
    insert_key(&note, key, value, at)
}

fn missing_key(key: &str) -> Diagnostic {
    Diagnostic::error(
        "edit/missing-key",
        format!("frontmatter has no key `{key}`"),
    )
}

fn invalid_value(message: impl Into<String>) -> Diagnostic {
    Diagnostic::error("edit/invalid-value", message)
}

fn check_key(key: &str) -> Result<(), Diagnostic> {
    if key.trim().is_empty()
        || key
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'))
    {
        return Err(Diagnostic::error(
            "edit/invalid-key",
            format!("`{}` cannot be a frontmatter key", key.escape_debug()),
        ));
    }
    Ok(())
}

fn check_value(value: &EditValue) -> Result<(), Diagnostic> {
    match value {
        EditValue::Link(l) if l.contains("]]") || l.contains("[[") || l.contains(['\n', '\r']) => {
            Err(invalid_value(format!(
                "`{}` cannot be written inside [[…]]",
                l.escape_debug()
            )))
        }
        EditValue::Float(f) if f.is_nan() => {
            Err(invalid_value("NaN cannot be written as a field value"))
        }
        EditValue::List(items) => items.iter().try_for_each(|i| match i {
            EditValue::List(_) => Err(invalid_value("a list item cannot itself be a list")),
            other => check_value(other),
        }),
        _ => Ok(()),
    }
}

/// The note's parsed frontmatter; `Ok(None)` when it has none; refusal when it cannot be edited.
fn frontmatter(note: &Note) -> Result<Option<&crate::Frontmatter>, Diagnostic> {
    if let Some(d) = note
        .diagnostics()
        .iter()
        .find(|d| d.code == "frontmatter/unterminated")
    {
        return Err(Diagnostic::error(
            "edit/invalid-frontmatter",
            "the frontmatter has no closing `---` line; refusing to edit it",
        )
        .with_span(d.span.unwrap_or_default())
        .with_help("add the closing `---` line first"));
    }
    let Some(fm) = &note.frontmatter else {
        return Ok(None);
    };
    if !fm.valid {
        let at = note
            .diagnostics()
            .iter()
            .find(|d| d.code == "yaml/invalid")
            .and_then(|d| d.span);
        let mut d = Diagnostic::error(
            "edit/invalid-frontmatter",
            "the frontmatter is not valid YAML; refusing to edit it",
        )
        .with_help("fix the YAML error first");
        d.span = at;
        return Err(d);
    }
    let first = note.source[fm.yaml.range()].trim_start_matches(|c: char| c.is_whitespace());
    let not_block_map = note
        .diagnostics()
        .iter()
        .any(|d| d.code == "yaml/not-a-mapping")
        || first.starts_with('{');
    if not_block_map {
        return Err(Diagnostic::error(
            "edit/invalid-frontmatter",
            "the frontmatter is not a block of `key: value` lines; refusing to edit it",
        )
        .with_span(fm.yaml));
    }
    Ok(Some(fm))
}

fn single_field<'a>(
    fm: &'a crate::Frontmatter,
    key: &str,
) -> Result<Option<FieldAt<'a>>, Diagnostic> {
    let mut matches = fm.iter().filter(|f| f.key == key);
    let first = matches.next();
    if let Some(second) = matches.next() {
        return Err(Diagnostic::error(
            "edit/duplicate-key",
            format!(
                "`{key}` appears more than once in the frontmatter; refusing to guess which to edit"
            ),
        )
        .with_span(second.key_span));
    }
    Ok(first)
}

fn same_item(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Link(x), Value::Link(y)) => x.target == y.target && x.fragment == y.fragment,
        _ => a == b,
    }
}

fn line_ending(note: &Note) -> &'static str {
    match note.line_ending {
        LineEnding::CrLf => "\r\n",
        LineEnding::Lf => "\n",
    }
}

fn splice(source: &str, span: Span, with: &str) -> String {
    let mut out = String::with_capacity(source.len() + with.len());
    out.push_str(&source[..span.start as usize]);
    out.push_str(with);
    out.push_str(&source[span.end as usize..]);
    out
}

/// How a list in this frontmatter is laid out.
enum ListStyle {
    Flow,
    /// `indent` before the dash, `after_dash` between the dash and the item.
    Block {
        indent: String,
        after_dash: String,
    },
}

/// The layout of `field`'s own list, when it is a non-empty one.
fn list_style(source: &str, field: &FieldAt<'_>, item_spans: &[Span]) -> ListStyle {
    if source.as_bytes().get(field.value_span.start as usize) == Some(&b'[') {
        return ListStyle::Flow;
    }
    match item_spans.first() {
        Some(item) => block_style_at(source, item.start as usize).unwrap_or_else(default_block),
        None => default_block(),
    }
}

fn block_style_at(source: &str, item_start: usize) -> Option<ListStyle> {
    let bytes = source.as_bytes();
    let line_start = bytes[..item_start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let dash = bytes[line_start..item_start]
        .iter()
        .rposition(|&b| b == b'-')
        .map(|i| line_start + i)?;
    let indent = &source[line_start..dash];
    let after = &source[dash + 1..item_start];
    (indent.bytes().all(|b| b == b' ') && !after.is_empty() && after.bytes().all(|b| b == b' '))
        .then(|| ListStyle::Block {
            indent: indent.to_owned(),
            after_dash: after.to_owned(),
        })
}

fn default_block() -> ListStyle {
    ListStyle::Block {
        indent: "  ".to_owned(),
        after_dash: " ".to_owned(),
    }
}

/// The block-list layout this note's frontmatter already uses (its first block list), else
/// the vault's `  - item`.
fn note_block_style(note: &Note) -> (String, String) {
    if let Some(fm) = &note.frontmatter {
        for f in fm.iter() {
            if let (Value::List(_), Some(item)) = (&f.value, f.item_spans().first())
                && !value_on_key_line(&note.source, &f)
                && let Some(ListStyle::Block { indent, after_dash }) =
                    block_style_at(&note.source, item.start as usize)
            {
                return (indent, after_dash);
            }
        }
    }
    ("  ".to_owned(), " ".to_owned())
}

/// The key as written up to and including its colon.
fn key_prefix<'a>(source: &'a str, field: &FieldAt<'_>) -> &'a str {
    let bytes = source.as_bytes();
    let mut colon = field.key_span.end as usize;
    while colon < bytes.len() && matches!(bytes[colon], b' ' | b'\t') {
        colon += 1;
    }
    let end = if bytes.get(colon) == Some(&b':') {
        colon + 1
    } else {
        field.key_span.end as usize
    };
    &source[field.lines(source).start as usize..end]
}

/// A `# comment` after the value on the key's own line, if any.
fn key_line_comment<'a>(source: &'a str, field: &FieldAt<'_>) -> Option<&'a str> {
    let bytes = source.as_bytes();
    let key_end = field.key_span.end as usize;
    let key_line_end =
        memchr::memchr(b'\n', &bytes[key_end..]).map_or(bytes.len(), |i| key_end + i);
    let after_colon = field.lines(source).start as usize + key_prefix(source, field).len();
    let from = if value_on_key_line(source, field) {
        (field.value_span.end as usize).max(after_colon)
    } else {
        after_colon
    };
    let rest = source[from.min(key_line_end)..key_line_end].trim_end_matches('\r');
    let comment = rest.trim_start();
    (comment.starts_with('#') && comment.len() < rest.len()).then(|| comment.trim_end())
}

/// The new text of `field`'s lines with `value` in it.
fn rewrite_lines(note: &Note, field: &FieldAt<'_>, value: &EditValue) -> String {
    let source = note.source.as_str();
    let le = line_ending(note);
    let field_lines = field.lines(source);
    let lines = &source[field_lines.range()];
    let value_rel = (field.value_span.start - field_lines.start) as usize
        ..(field.value_span.end - field_lines.start) as usize;
    let old_single_line = value_on_key_line(source, field)
        && !matches!(first_value_byte(source, field), Some(b'|' | b'>'));
    let non_empty_list = matches!(value, EditValue::List(items) if !items.is_empty());
    if !non_empty_list && old_single_line {
        // Replace the value's own bytes: key, spacing and trailing comment stay.
        let rendered = match value {
            EditValue::List(_) => "[]".to_owned(),
            other => render_scalar(other, false),
        };
        return replace_value(lines, value_rel, &rendered);
    }
    if let EditValue::List(items) = value
        && non_empty_list
    {
        let item_spans = field.item_spans();
        let is_list =
            matches!(field.value, Value::List(ref v) if !v.is_empty()) && !item_spans.is_empty();
        if is_list {
            match list_style(source, field, item_spans) {
                ListStyle::Flow => {
                    let rendered = format!(
                        "[{}]",
                        items
                            .iter()
                            .map(|i| render_scalar(i, true))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    return replace_value(lines, value_rel, &rendered);
                }
                ListStyle::Block { indent, after_dash } => {
                    // Keep the key's line as written; write the items in its layout.
                    let key_line_end = lines.find('\n').map_or(lines.len(), |i| i + 1);
                    let mut out = lines[..key_line_end].to_owned();
                    if !out.ends_with('\n') {
                        out.push_str(le);
                    }
                    for item in items {
                        out.push_str(&format!(
                            "{indent}-{after_dash}{}{le}",
                            render_scalar(item, false)
                        ));
                    }
                    return out;
                }
            }
        }
        let rendered: Vec<String> = items.iter().map(|i| render_scalar(i, false)).collect();
        return block_list_lines(note, field, &rendered);
    }
    // A scalar (or `[]`) replacing a value that ran over several lines.
    let rendered = match value {
        EditValue::List(_) => "[]".to_owned(),
        other => render_scalar(other, false),
    };
    let mut out = key_prefix(source, field).to_owned();
    if !rendered.is_empty() {
        out.push(' ');
        out.push_str(&rendered);
    }
    if let Some(c) = key_line_comment(source, field) {
        out.push(' ');
        out.push_str(c);
    }
    out.push_str(le);
    out
}

/// The value starts and ends on the key's own line.
fn value_on_key_line(source: &str, field: &FieldAt<'_>) -> bool {
    !source[field.key_span.start as usize..field.value_span.end.max(field.key_span.end) as usize]
        .contains('\n')
}

fn first_value_byte(source: &str, field: &FieldAt<'_>) -> Option<u8> {
    source
        .as_bytes()
        .get(field.value_span.start as usize)
        .copied()
        .filter(|_| !field.value_span.is_empty())
}

/// `lines` with the value's bytes (`value` relative to `lines`) replaced by `rendered`.
fn replace_value(lines: &str, value: std::ops::Range<usize>, rendered: &str) -> String {
    let mut out = String::with_capacity(lines.len() + rendered.len() + 1);
    let (mut start, mut end) = (value.start, value.end);
    if start == end {
        // `key:` with nothing after it: eat blanks up to the line's end, keep a comment.
        let rest = &lines[end..];
        let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let after = &rest[blanks..];
        if after.is_empty() || after.starts_with(['\n', '\r']) {
            end += blanks;
        }
        out.push_str(&lines[..start]);
        if !rendered.is_empty() {
            out.push(' ');
            out.push_str(rendered);
        }
        out.push_str(&lines[end..]);
        return out;
    }
    if rendered.is_empty() {
        // Emptying a value: no blanks left dangling after the colon.
        start = lines[..start].trim_end_matches([' ', '\t']).len();
    }
    out.push_str(&lines[..start]);
    out.push_str(rendered);
    out.push_str(&lines[end..]);
    out
}

/// `key:` (with a trailing comment kept) and a block list of `items` in the note's layout.
fn block_list_lines(note: &Note, field: &FieldAt<'_>, items: &[String]) -> String {
    let source = note.source.as_str();
    let le = line_ending(note);
    let (indent, after_dash) = note_block_style(note);
    let mut out = key_prefix(source, field).to_owned();
    if let Some(c) = key_line_comment(source, field) {
        out.push(' ');
        out.push_str(c);
    }
    out.push_str(le);
    for item in items {
        out.push_str(&format!("{indent}-{after_dash}{item}{le}"));
    }
    out
}

/// Whole lines for a new key.
fn new_key_lines(note: &Note, key: &str, value: &EditValue) -> String {
    let le = line_ending(note);
    let key = render_key(key);
    match value {
        EditValue::List(items) if items.is_empty() => format!("{key}: []{le}"),
        EditValue::List(items) => {
            let (indent, after_dash) = note_block_style(note);
            let mut out = format!("{key}:{le}");
            for item in items {
                out.push_str(&format!(
                    "{indent}-{after_dash}{}{le}",
                    render_scalar(item, false)
                ));
            }
            out
        }
        other => {
            let rendered = render_scalar(other, false);
            if rendered.is_empty() {
                format!("{key}:{le}")
            } else {
                format!("{key}: {rendered}{le}")
            }
        }
    }
}

fn insert_key(note: &Note, key: &str, value: &EditValue, at: usize) -> Result<String, Diagnostic> {
    let source = note.source.as_str();
    let mut lines = new_key_lines(note, key, value);
    if at > 0 && !source[..at].ends_with('\n') {
        lines.insert_str(0, line_ending(note));
    }
    let result = splice(source, Span::new(at, at), &lines);
    verify(note, &result, key, Some(&value.intended()))?;
    Ok(result)
}

fn create_frontmatter(note: &Note, key: &str, value: &EditValue) -> Result<String, Diagnostic> {
    let le = line_ending(note);
    let at = if note.bom { 3 } else { 0 };
    let block = format!("---{le}{}---{le}", new_key_lines(note, key, value));
    let result = splice(&note.source, Span::new(at, at), &block);
    verify(note, &result, key, Some(&value.intended()))?;
    Ok(result)
}

/// Parse the result again: the key must hold `intended` (or be gone when `None`), and every
/// other field must hold what it held before.
fn verify(
    before: &Note,
    result: &str,
    key: &str,
    intended: Option<&Value>,
) -> Result<(), Diagnostic> {
    let after = parse_note_text(result.to_owned());
    let fail = |why: String| {
        Err(Diagnostic::error(
            "edit/verify-failed",
            format!("the edit of `{key}` was not written: {why}"),
        )
        .with_help("this is a bug in attune; please report it with the note's frontmatter"))
    };
    let Some(fm) = after.frontmatter.as_ref().filter(|fm| fm.valid) else {
        return fail("the result does not parse as YAML".to_owned());
    };
    match (fm.get(key), intended) {
        (Some(f), Some(v)) if f.value == *v => {}
        (Some(f), Some(v)) => return fail(format!("it reads back as {:?}, not {:?}", f.value, v)),
        (None, Some(_)) => return fail("the key is missing from the result".to_owned()),
        (Some(_), None) => return fail("the key is still there".to_owned()),
        (None, None) => {}
    }
    let old_fields = before
        .frontmatter
        .as_ref()
        .map_or(&[][..], |f| &f.fields[..]);
    let others_before = old_fields.iter().filter(|f| f.key != key);
    let mut others_after = fm.fields.iter().filter(|f| f.key != key);
    for old in others_before {
        match others_after.next() {
            Some(new) if new.key == old.key && new.value == old.value => {}
            _ => {
                return Err(Diagnostic::error("edit/would-disturb", format!("the edit of `{key}` was not written: `{}` would change too", old.key))
                    .with_help("a neighbouring key reads these lines too (e.g. a `|+` text above keeps the blank lines after it); edit this note by hand"));
            }
        }
    }
    if others_after.next().is_some() {
        return fail("another key would appear".to_owned());
    }
    Ok(())
}

fn render_key(key: &str) -> String {
    if needs_quotes(key, true) || key.contains(':') {
        double_quote(key)
    } else {
        key.to_owned()
    }
}

/// A scalar as YAML text: plain when that reads back as the same text, else double-quoted;
/// links always `"[[…]]"`. `flow` is true inside `[…]`.
fn render_scalar(value: &EditValue, flow: bool) -> String {
    match value {
        EditValue::Scalar(s) => {
            if matches!(crate::yaml::text_value(s), Value::Link(_)) || needs_quotes(s, flow) {
                double_quote(s)
            } else {
                s.clone()
            }
        }
        EditValue::Bool(b) => b.to_string(),
        EditValue::Int(i) => i.to_string(),
        EditValue::Float(f) if f.is_nan() => ".nan".to_owned(),
        EditValue::Float(f) if f.is_infinite() => {
            if *f > 0.0 { ".inf" } else { "-.inf" }.to_owned()
        }
        EditValue::Float(f) => {
            let s = format!("{f:?}");
            if s.contains(['.', 'e', 'E']) {
                s
            } else {
                format!("{s}.0")
            }
        }
        EditValue::Null => String::new(),
        EditValue::Link(l) => double_quote(&format!("[[{l}]]")),
        EditValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| render_scalar(i, true))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Whether `s` must be quoted to read back as the same text.
fn needs_quotes(s: &str, flow: bool) -> bool {
    if s.is_empty()
        || s != s.trim()
        || s.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`',
        ])
    {
        return true;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains("[[") {
        return true;
    }
    if s.chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{85}'))
    {
        return true;
    }
    if flow && s.contains([',', '[', ']', '{', '}', ':']) {
        return true;
    }
    // Text that YAML would read as something else (`42`, `true`, `null`, `.5`), and the
    // YAML 1.1 booleans other readers (Obsidian's) still take for booleans.
    if !matches!(
        saphyr::Scalar::parse_from_cow(std::borrow::Cow::Borrowed(s)),
        saphyr::Scalar::String(_)
    ) {
        return true;
    }
    matches!(s.to_ascii_lowercase().as_str(), "yes" | "no" | "on" | "off")
}

fn double_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
