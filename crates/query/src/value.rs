//! Query values ([`QValue`]) and Dataview's rules for them: type names, truthiness, the total
//! order used by comparisons and SORT, and `string()` conversion.
//!
//! Dataview docs: "Expressions" (types), "Functions › typeof", source `data-model/value.ts`.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use jiff::civil::DateTime;

use crate::collation::compare_text;
use crate::time::{format_date_default, format_duration};

/// Index of a page in a [`crate::QuerySource`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(pub u32);

/// What a wiki-link points to, beyond the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkKind {
    File,
    Header,
    Block,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::File => "file",
            LinkKind::Header => "header",
            LinkKind::Block => "block",
        }
    }
}

/// A link value (`[[path#subpath|display]]`). `path` is the vault path when it resolved at
/// index time (`ME/x/Note.md`), otherwise the text as written (`Note`).
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub path: std::sync::Arc<str>,
    pub subpath: Option<String>,
    pub kind: LinkKind,
    pub display: Option<String>,
    pub embed: bool,
}

impl Link {
    /// A link to a whole file.
    pub fn file(path: impl Into<std::sync::Arc<str>>) -> Link {
        Link {
            path: path.into(),
            subpath: None,
            kind: LinkKind::File,
            display: None,
            embed: false,
        }
    }

    /// Parse the inside of `[[…]]`: `path#heading|display`, `path#^block`.
    pub fn parse_inner(inner: &str) -> Link {
        let (target, display) = split_unescaped_pipe(inner);
        let mut link = if let Some((path, block)) = target.split_once("#^") {
            Link {
                subpath: Some(block.to_string()),
                kind: LinkKind::Block,
                ..Link::file(path)
            }
        } else if let Some((path, header)) = target.split_once('#') {
            Link {
                subpath: Some(header.to_string()),
                kind: LinkKind::Header,
                ..Link::file(path)
            }
        } else {
            Link::file(target)
        };
        link.display = display;
        link
    }

    /// The file's title: last path segment without `.md`.
    pub fn file_title(&self) -> &str {
        file_title(&self.path)
    }

    /// How Dataview shows the link: its display text, else the file title (`Note > Heading`).
    pub fn display_text(&self) -> String {
        if let Some(display) = &self.display {
            return display.clone();
        }
        match (&self.subpath, self.kind) {
            (Some(sub), LinkKind::Header | LinkKind::Block) => {
                format!("{} > {}", self.file_title(), sub)
            }
            _ => self.file_title().to_string(),
        }
    }

    /// Markdown form, as Dataview's `string()` gives it: `[[path|Title]]`.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        if self.embed {
            out.push('!');
        }
        out.push_str("[[");
        out.push_str(&self.path.replace('|', "\\|"));
        match self.kind {
            LinkKind::Header => {
                out.push('#');
                out.push_str(self.subpath.as_deref().unwrap_or(""));
            }
            LinkKind::Block => {
                out.push_str("#^");
                out.push_str(self.subpath.as_deref().unwrap_or(""));
            }
            LinkKind::File => {}
        }
        out.push('|');
        out.push_str(&self.display_text());
        out.push_str("]]");
        out
    }
}

fn split_unescaped_pipe(inner: &str) -> (String, Option<String>) {
    let bytes = inner.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
            return (
                inner[..i].replace("\\|", "|"),
                Some(inner[i + 1..].to_string()),
            );
        }
    }
    (inner.replace("\\|", "|"), None)
}

/// Last path segment without a trailing `.md`.
pub fn file_title(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

/// A length of time. Calendar months (years are 12 months) are kept apart from exact
/// milliseconds so `date + dur(1 month)` moves by a calendar month, as in Dataview.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Duration {
    pub months: f64,
    pub millis: f64,
}

pub(crate) const MS_DAY: f64 = 86_400_000.0;

impl Duration {
    /// Total length with Dataview's (Luxon's) casual conversion: a month is 30 days.
    pub fn approx_millis(self) -> f64 {
        self.months * 30.0 * MS_DAY + self.millis
    }
    pub fn is_zero(self) -> bool {
        self.months == 0.0 && self.millis == 0.0
    }
}

/// A page row whose fields are read on demand (never cloned whole). `overrides` carry the
/// names set by FLATTEN (one allocation per row; the names are shared by every row of the
/// command); `task` marks a task row of a TASK query.
#[derive(Clone, Debug, PartialEq)]
pub struct PageValue {
    pub page: PageId,
    pub task: Option<u32>,
    pub overrides: Arc<[(Arc<str>, QValue)]>,
}

/// A value in a query: Dataview's data types.
///
/// `Page` and `File` are lazy views used during evaluation (`this`, `row`, a group's `rows`,
/// a dereferenced link, the implicit `file` object); results returned by [`crate::run_query`]
/// never contain them (they are materialised into `Object`s).
#[derive(Clone, Debug, PartialEq)]
pub enum QValue {
    Null,
    Bool(bool),
    Number(f64),
    /// Shared text: page fields hand theirs to result cells and sort keys by counting a
    /// reference, not by copying the string.
    Text(Arc<str>),
    Date(DateTime),
    Duration(Duration),
    /// Shared: a link is the largest value, and keeping it out of line keeps every value
    /// (and so every page field and result cell) small; copying one (a page's own link as
    /// a result's File column) only counts a reference.
    Link(Arc<Link>),
    List(Vec<QValue>),
    Object(Vec<(String, QValue)>),
    Page(PageValue),
    File(PageId),
}

impl QValue {
    pub fn text(s: impl Into<Arc<str>>) -> QValue {
        QValue::Text(s.into())
    }

    /// A link value.
    pub fn link(link: Link) -> QValue {
        QValue::Link(Arc::new(link))
    }

    /// Dataview's type name, as `typeof()` returns it.
    pub fn type_name(&self) -> &'static str {
        match self {
            QValue::Null => "null",
            QValue::Bool(_) => "boolean",
            QValue::Number(_) => "number",
            QValue::Text(_) => "string",
            QValue::Date(_) => "date",
            QValue::Duration(_) => "duration",
            QValue::Link(_) => "link",
            QValue::List(_) => "array",
            QValue::Object(_) | QValue::Page(_) | QValue::File(_) => "object",
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, QValue::Null)
    }

    /// Dataview truthiness: non-null and has data in it.
    pub fn is_truthy(&self) -> bool {
        match self {
            QValue::Null => false,
            QValue::Bool(b) => *b,
            QValue::Number(n) => *n != 0.0 && !n.is_nan(),
            QValue::Text(s) => !s.is_empty(),
            QValue::Date(_) => true,
            QValue::Duration(d) => !d.is_zero(),
            QValue::Link(l) => !l.path.is_empty(),
            QValue::List(l) => !l.is_empty(),
            QValue::Object(o) => !o.is_empty(),
            QValue::Page(_) | QValue::File(_) => true,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            QValue::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// Format a number as JavaScript prints it (`1`, `2.5`, `Infinity`, `NaN`).
pub fn format_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_string()
    } else if n.is_infinite() {
        if n > 0.0 {
            "Infinity".to_string()
        } else {
            "-Infinity".to_string()
        }
    } else if n == 0.0 {
        "0".to_string()
    } else if n.abs() >= 1e21 || n.abs() < 1e-6 {
        // JavaScript switches to exponent notation here: `1e+21`, `1.5e-7`.
        let e = format!("{n:e}");
        match e.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => e,
        }
    } else {
        format!("{n}")
    }
}

/// Dataview's `Values.toString`: what `string(x)`, `join` and `"a" + x` produce.
/// `null` gives `-` (Dataview's default `renderNullAs`). Lazy page views must be
/// materialised before (see `eval`); here they show as `{ }`.
pub fn value_to_string(value: &QValue) -> String {
    to_string_inner(value, false)
}

fn to_string_inner(value: &QValue, nested: bool) -> String {
    match value {
        QValue::Null => "-".to_string(),
        QValue::Bool(b) => b.to_string(),
        QValue::Number(n) => format_number(*n),
        QValue::Text(s) => s.to_string(),
        QValue::Date(d) => format_date_default(*d),
        QValue::Duration(d) => format_duration(*d),
        QValue::Link(l) => l.markdown(),
        QValue::List(items) => {
            let inner: Vec<String> = items.iter().map(|v| to_string_inner(v, true)).collect();
            if nested {
                format!("[{}]", inner.join(", "))
            } else {
                inner.join(", ")
            }
        }
        QValue::Object(fields) => {
            let inner: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{k}: {}", to_string_inner(v, true)))
                .collect();
            format!("{{ {} }}", inner.join(", "))
        }
        QValue::Page(_) | QValue::File(_) => "{ }".to_string(),
    }
}

/// Dataview's total order over values (`Values.compareValue`): null first, then values of
/// different types by type name, then within a type. `normalize` maps a link path to the
/// path it resolves to (links compare by resolved path).
pub fn compare_values(
    a: &QValue,
    b: &QValue,
    normalize: &dyn Fn(&str) -> Cow<'_, str>,
) -> Ordering {
    use QValue::*;
    match (a, b) {
        (Null, Null) => return Ordering::Equal,
        (Null, _) => return Ordering::Less,
        (_, Null) => return Ordering::Greater,
        _ => {}
    }
    let (ta, tb) = (a.type_name(), b.type_name());
    if ta != tb {
        return ta.cmp(tb);
    }
    match (a, b) {
        (Text(x), Text(y)) => {
            if x == y {
                Ordering::Equal
            } else {
                compare_text(x, y)
            }
        }
        (Number(x), Number(y)) => {
            if x < y {
                Ordering::Less
            } else if x == y {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        (Bool(x), Bool(y)) => x.cmp(y),
        (Link(x), Link(y)) => {
            let (px, py) = (normalize(&x.path), normalize(&y.path));
            let by_path = if px == py {
                Ordering::Equal
            } else {
                compare_text(&px, &py)
            };
            by_path
                .then_with(|| x.kind.as_str().cmp(y.kind.as_str()))
                .then_with(|| match (&x.subpath, &y.subpath) {
                    (Some(_), None) => Ordering::Greater,
                    (None, Some(_)) => Ordering::Less,
                    (None, None) => Ordering::Equal,
                    (Some(s), Some(t)) => {
                        if s == t {
                            Ordering::Equal
                        } else {
                            compare_text(s, t)
                        }
                    }
                })
        }
        (Date(x), Date(y)) => x.cmp(y),
        (Duration(x), Duration(y)) => x
            .approx_millis()
            .partial_cmp(&y.approx_millis())
            .unwrap_or(Ordering::Equal),
        (List(x), List(y)) => {
            for (u, v) in x.iter().zip(y) {
                let c = compare_values(u, v, normalize);
                if c != Ordering::Equal {
                    return c;
                }
            }
            x.len().cmp(&y.len())
        }
        (Object(x), Object(y)) => {
            let mut kx: Vec<&String> = x.iter().map(|(k, _)| k).collect();
            let mut ky: Vec<&String> = y.iter().map(|(k, _)| k).collect();
            kx.sort();
            ky.sort();
            for (u, v) in kx.iter().zip(&ky) {
                let c = compare_text(u, v);
                if c != Ordering::Equal {
                    return c;
                }
            }
            if kx.len() != ky.len() {
                return kx.len().cmp(&ky.len());
            }
            for k in kx {
                let u = x.iter().find(|(key, _)| key == k).map(|(_, v)| v);
                let v = y.iter().find(|(key, _)| key == k).map(|(_, v)| v);
                let c = compare_values(u.unwrap_or(&Null), v.unwrap_or(&Null), normalize);
                if c != Ordering::Equal {
                    return c;
                }
            }
            Ordering::Equal
        }
        (Page(x), Page(y)) => x.page.cmp(&y.page).then(x.task.cmp(&y.task)),
        (File(x), File(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_stay_small() {
        // Page fields, result cells and evaluation results are all `QValue`s: a big variant
        // (a link held inline was 80 bytes) makes every one of them bigger.
        assert!(std::mem::size_of::<QValue>() <= 32);
    }

    #[test]
    fn numbers_print_like_javascript() {
        let printed: Vec<String> = [
            1.0,
            2.5,
            -0.0,
            1e21,
            1.5e-7,
            1751700000000.0,
            0.1 + 0.2,
            f64::INFINITY,
        ]
        .map(format_number)
        .to_vec();
        assert_eq!(
            printed,
            [
                "1",
                "2.5",
                "0",
                "1e+21",
                "1.5e-7",
                "1751700000000",
                "0.30000000000000004",
                "Infinity"
            ]
        );
    }
}
