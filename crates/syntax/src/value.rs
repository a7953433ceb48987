//! The logical value of a frontmatter field, normalised at read time without touching the text.

use std::sync::Arc;

use crate::Text;
use crate::markdown::LinkTarget;

/// What a field means, whatever shape the owner's YAML gave it.
///
/// Normalisation rules (see `note` tests): `["", x]` drops the empty strings; an unquoted
/// `[[Name]]` that YAML reads as a nested list `[[Name]]` is recognised as a link;
/// `"[[Name]]"` text is a link; `YYYY-MM-DD HH:mm` stays [`Value::Text`] (use
/// [`Value::as_datetime`] for the date view); empty / `~` / `null` is [`Value::Null`].
///
/// In detail:
/// - plain scalars resolve by the YAML 1.2 core schema (`true`, `42`, `0x1F`, `1.5`, `~`);
///   quoted scalars are always text (`"42"` is `Text("42")`);
/// - a quoted or plain empty string is [`Value::Null`];
/// - text that is exactly one wiki-link (`[[Name]]`, `[[Name|alias]]`, surrounding blanks
///   ignored) is [`Value::Link`]; text holding a link among other words stays text (its
///   links are still in `Note::links`);
/// - a flow list written `[[Name]]` with the brackets touching is a link, at any depth
///   (`- [[A]]` in a block list, `[[[A]], [[B]]]`);
/// - inside lists, `Null` items (`""`, `~`, empty) are dropped; a list keeps its shape even
///   with one item (`[x]` is `List([x])`: use [`Value::items`] to treat `x` and `[x]` alike).
///
/// A value is 24 bytes: short text inline, longer text, lists and maps boxed (built once,
/// never grown), as a vault holds millions of them at once.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Up to 22 bytes inline, longer boxed ([`Text`]).
    Text(Text),
    /// Behind a pointer: a link is rare next to text, and inline it would make every value
    /// 56 bytes. Shared with the note's [`crate::Link`] for the same text.
    Link(Arc<LinkTarget>),
    List(Box<[Value]>),
    Map(Box<[(Box<str>, Value)]>),
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

impl DateTimeView {
    /// Read `YYYY-MM-DD`, optionally followed by `' '` or `T` and `HH:mm` or `HH:mm:ss`
    /// (a fraction of a second, `Z` or a `±HH:mm` offset after that is accepted and ignored).
    /// Surrounding blanks are ignored; anything else after the date gives `None`.
    pub fn parse(text: &str) -> Option<DateTimeView> {
        let b = text.trim().as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = digits(&b[0..4])? as i16;
        let month = digits(&b[5..7])? as u8;
        let day = digits(&b[8..10])? as u8;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let mut view = DateTimeView {
            year,
            month,
            day,
            time: None,
        };
        let rest = &b[10..];
        if rest.is_empty() {
            return Some(view);
        }
        if !matches!(rest[0], b' ' | b'T' | b't') || rest.len() < 6 || rest[3] != b':' {
            return None;
        }
        let hour = digits(&rest[1..3])? as u8;
        let minute = digits(&rest[4..6])? as u8;
        let mut second = 0;
        let mut tail = &rest[6..];
        if tail.len() >= 3 && tail[0] == b':' {
            second = digits(&tail[1..3])? as u8;
            tail = &tail[3..];
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        if tail.first() == Some(&b'.') {
            let n = tail[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            tail = &tail[1 + n..];
        }
        let zone_ok = match tail {
            [] | [b'Z' | b'z'] => true,
            [b'+' | b'-', h1, h2, b':', m1, m2] => {
                [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit())
            }
            [b'+' | b'-', rest @ ..] => rest.len() == 4 && rest.iter().all(u8::is_ascii_digit),
            _ => false,
        };
        if !zone_ok {
            return None;
        }
        view.time = Some((hour, minute, second));
        Some(view)
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

fn days_in_month(year: i16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Value {
    /// A `Text` value (no link recognition: `Value::text("[[A]]")` stays text).
    pub fn text(text: impl Into<Text>) -> Value {
        Value::Text(text.into())
    }

    /// A `List` value from its items (kept as given, `Null`s included).
    pub fn list(items: impl Into<Box<[Value]>>) -> Value {
        Value::List(items.into())
    }

    /// `Null`, empty text, or a list/map with nothing in it: what the owner sees as "not filled in".
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Text(s) => s.trim().is_empty(),
            Value::List(items) => items.iter().all(Value::is_empty),
            Value::Map(entries) => entries.is_empty(),
            Value::Link(l) => l.target.is_empty() && l.fragment.is_none(),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => false,
        }
    }

    /// The text of a `Text` value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a `Text` value, or of the single item of a one-item list (`[x]` reads as `x`).
    pub fn as_single_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            Value::List(items) if items.len() == 1 => items[0].as_str(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// An `Int` or `Float` as `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub fn as_link(&self) -> Option<&LinkTarget> {
        match self {
            Value::Link(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Box<str>, Value)]> {
        match self {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The date view of a text value (`2025-07-05 00:46`); the text itself is unchanged.
    pub fn as_datetime(&self) -> Option<DateTimeView> {
        match self {
            Value::Text(s) => DateTimeView::parse(s),
            _ => None,
        }
    }

    /// The value as a sequence of items: a list's items, nothing for `Null`, else the value
    /// itself once. Makes `x`, `[x]`, `["", x]` and empty read alike.
    pub fn items(&self) -> std::slice::Iter<'_, Value> {
        match self {
            Value::List(items) => items.iter(),
            Value::Null => [].iter(),
            other => std::slice::from_ref(other).iter(),
        }
    }

    /// Every link in the value, depth first (a link, or links inside lists and maps).
    pub fn links(&self) -> Vec<&LinkTarget> {
        let mut out = Vec::new();
        self.collect_links(&mut out);
        out
    }

    /// Every link target in the value, depth first, as the shared pointers it holds.
    pub(crate) fn link_targets<'a>(&'a self, out: &mut Vec<&'a Arc<LinkTarget>>) {
        match self {
            Value::Link(l) => out.push(l),
            Value::List(items) => items.iter().for_each(|v| v.link_targets(out)),
            Value::Map(entries) => entries.iter().for_each(|(_, v)| v.link_targets(out)),
            _ => {}
        }
    }

    fn collect_links<'a>(&'a self, out: &mut Vec<&'a LinkTarget>) {
        match self {
            Value::Link(l) => out.push(l),
            Value::List(items) => items.iter().for_each(|v| v.collect_links(out)),
            Value::Map(entries) => entries.iter().for_each(|(_, v)| v.collect_links(out)),
            _ => {}
        }
    }

    /// A short name for the kind of value, for messages (`text`, `list`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "empty",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::Text(_) => "text",
            Value::Link(_) => "link",
            Value::List(_) => "list",
            Value::Map(_) => "map",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_forms() {
        let d = |s: &str| DateTimeView::parse(s);
        assert_eq!(
            d("2025-07-05"),
            Some(DateTimeView {
                year: 2025,
                month: 7,
                day: 5,
                time: None
            })
        );
        assert_eq!(d("2025-07-05 00:46").and_then(|v| v.time), Some((0, 46, 0)));
        assert_eq!(
            d("2025-07-05T00:46:07Z").and_then(|v| v.time),
            Some((0, 46, 7))
        );
        assert_eq!(
            d("2025-07-05T00:46:07.123+02:00").and_then(|v| v.time),
            Some((0, 46, 7))
        );
        assert_eq!(d("2024-02-29").map(|v| v.day), Some(29));
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-07-05 24:00",
            "2025-07-05 00:46 x",
            "July",
            "2025-7-5",
            "2025-07-05T",
        ] {
            assert_eq!(d(bad), None, "{bad}");
        }
    }

    #[test]
    fn items_treat_scalar_and_list_alike() {
        let x = Value::text("x");
        assert_eq!(x.items().count(), 1);
        assert_eq!(Value::list(vec![x.clone()]).items().count(), 1);
        assert_eq!(Value::Null.items().count(), 0);
        assert!(Value::list(vec![]).is_empty());
        assert_eq!(Value::list(vec![x]).as_single_str(), Some("x"));
    }

    #[test]
    fn parsed_parts_stay_small() {
        // A vault holds millions of these at once (see ARCHITECTURE.md, "Memory").
        assert_eq!(std::mem::size_of::<Value>(), 24);
        assert_eq!(std::mem::size_of::<LinkTarget>(), 56);
        assert_eq!(std::mem::size_of::<crate::Key>(), 8);
        assert_eq!(std::mem::size_of::<crate::Field>(), 40);
        assert_eq!(std::mem::size_of::<crate::Link>(), 32);
        assert_eq!(std::mem::size_of::<crate::Note>(), 144);
    }
}
