//! The logical value of a frontmatter field, normalised at read time without touching the text.

use crate::markdown::LinkTarget;

/// What a field means, whatever shape the owner's YAML gave it.
///
/// Normalisation rules (see `note` tests): `["", x]` drops the empty strings; an unquoted
/// `[[Name]]` that YAML reads as a nested list `[[Name]]` is recognised as a link;
/// `"[[Name]]"` text is a link; `YYYY-MM-DD HH:mm` stays [`Value::Text`] (use
/// [`Value::as_datetime`] for the date view); empty / `~` / `null` is [`Value::Null`].
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Link(LinkTarget),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}

/// A calendar date (and optional time of day) read from text such as `2025-07-05` or
/// `2025-07-05 00:46` or `2025-07-05T00:46:00`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTimeView {
    pub year: i16,
    pub month: u8,
    pub day: u8,
    /// `(hour, minute, second)` when the text carried a time.
    pub time: Option<(u8, u8, u8)>,
}
