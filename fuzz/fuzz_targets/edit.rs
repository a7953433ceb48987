//! Fuzz the frontmatter edits: for any note text, key and value, an edit either refuses with a
//! diagnostic or keeps the edit law (no byte outside the key's lines changes; the result parses).
//!
//! Input layout: byte 0 picks the operation, byte 1 the key (an existing key by index, or a
//! new one), byte 2 the value's kind; the rest, split at the first `\0`, is the value's text
//! and the note.
#![no_main]

use attune_syntax::edit::{EditValue, add_key, append_to_list, remove_key, set_key};
use attune_syntax::parse_note;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [op, key_pick, kind, rest @ ..] = data else {
        return;
    };
    let Ok(rest) = std::str::from_utf8(rest) else {
        return;
    };
    let (value_text, source) = rest.split_once('\0').unwrap_or(("x", rest));
    let before = parse_note(source.as_bytes());
    let existing = before
        .frontmatter
        .as_ref()
        .filter(|fm| !fm.fields.is_empty() && key_pick % 4 != 0)
        .map(|fm| fm.field(*key_pick as usize % fm.fields.len()));
    let key = existing.as_ref().map_or("fuzz_key", |f| f.field.key.as_str());
    let value = match kind % 6 {
        0 => EditValue::Scalar(value_text.to_owned()),
        1 => EditValue::Link(value_text.to_owned()),
        2 => EditValue::Int(value_text.len() as i64),
        3 => EditValue::Bool(value_text.is_empty()),
        4 => EditValue::Null,
        _ => EditValue::List(
            value_text
                .split(',')
                .map(|s| EditValue::Scalar(s.to_owned()))
                .collect(),
        ),
    };
    let result = match op % 4 {
        0 => set_key(source, key, &value),
        1 => append_to_list(source, key, &value),
        2 => remove_key(source, key),
        _ => add_key(source, key, &value, None),
    };
    let Ok(result) = result else { return };
    let after = parse_note(result.as_bytes());
    if result != source {
        assert!(
            after.frontmatter.as_ref().is_some_and(|fm| fm.valid),
            "an accepted edit must leave valid frontmatter"
        );
    }
    if let Some(field) = existing.filter(|_| op % 4 != 3) {
        let lines = field.lines(source);
        let (head, tail) = (
            &source[..lines.start as usize],
            &source[lines.end as usize..],
        );
        assert!(
            result.starts_with(head) && result.ends_with(tail),
            "bytes outside `{key}`'s lines changed"
        );
    }
});
