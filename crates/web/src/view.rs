//! Small pieces of HTML the pages share: escaping, a field value as chips and links, the
//! page layout's data. Everything from a note passes through [`escape`] before it reaches a
//! page; templates escape their own fields.

use std::fmt::Write;

use attune_syntax::Value;

use crate::href;
use crate::site::{Resolved, Site};

/// HTML-escape text for element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// What the layout around every page needs.
pub struct Layout {
    pub title: String,
    pub csrf: String,
    pub vault_name: String,
    /// `(label, href)` of the types shown in the navigation.
    pub nav: Vec<(String, String)>,
    pub version: u64,
}

/// A class's label: its icon (when the fileClass has one that is an emoji) and short name.
pub fn class_label(site: &Site, class: &str) -> String {
    match site.class(class) {
        Some(c) => c.short_name().to_owned(),
        None => class.rsplit('/').next().unwrap_or(class).to_owned(),
    }
}

/// A link to an entry, escaped.
pub fn entry_link(site: &Site, entry: usize) -> String {
    let e = &site.entries[entry];
    format!(
        "<a href=\"{}\">{}</a>",
        escape(&href::note(&e.path)),
        escape(&e.name)
    )
}

/// One frontmatter value as HTML: links resolved, option values and list items as chips.
pub fn value_html(site: &Site, from: Option<usize>, field: Option<&str>, value: &Value) -> String {
    let mut out = String::new();
    write_value(site, from, field, value, &mut out);
    out
}

fn write_value(
    site: &Site,
    from: Option<usize>,
    field: Option<&str>,
    value: &Value,
    out: &mut String,
) {
    match value {
        Value::Null => out.push_str("<span class=\"empty\">—</span>"),
        Value::Bool(b) => out.push_str(if *b {
            "<span class=\"bool yes\">yes</span>"
        } else {
            "<span class=\"bool no\">no</span>"
        }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => {
            let _ = write!(out, "{f}");
        }
        Value::Text(t) if t.trim().is_empty() => out.push_str("<span class=\"empty\">—</span>"),
        Value::Text(t) => {
            if field.is_some_and(is_chip_field) {
                let _ = write!(out, "<span class=\"chip\">{}</span>", escape(t));
            } else {
                out.push_str(&escape(t));
            }
        }
        Value::Link(target) => {
            let label = target.alias.as_deref().unwrap_or_else(|| target.name());
            match site.resolve(from, target, field) {
                r @ (Resolved::Note(_) | Resolved::Ambiguous(_)) => {
                    let i = r.note().expect("found");
                    let class = if matches!(r, Resolved::Ambiguous(_)) {
                        " class=\"ambiguous\" title=\"several notes have this name\""
                    } else {
                        ""
                    };
                    let _ = write!(
                        out,
                        "<a href=\"{}\"{class}>{}</a>",
                        escape(&href::note(&site.entries[i].path)),
                        escape(label)
                    );
                }
                Resolved::File(p) => {
                    let _ = write!(
                        out,
                        "<a class=\"file\" href=\"{}\" title=\"{}\">{}</a>",
                        escape(&href::file(&p)),
                        escape(&p),
                        escape(label)
                    );
                }
                Resolved::Missing => {
                    let _ = write!(
                        out,
                        "<a class=\"missing\" href=\"{}\" title=\"no such note yet\">{}</a>",
                        escape(&href::missing(target.name())),
                        escape(label)
                    );
                }
            }
        }
        Value::List(items) => {
            let items: Vec<&Value> = items.iter().filter(|v| !v.is_empty()).collect();
            if items.is_empty() {
                out.push_str("<span class=\"empty\">—</span>");
                return;
            }
            out.push_str("<span class=\"list\">");
            for item in items {
                match item {
                    Value::Text(t) => {
                        let _ = write!(out, "<span class=\"chip\">{}</span>", escape(t));
                    }
                    other => {
                        out.push_str("<span class=\"item\">");
                        write_value(site, from, field, other, out);
                        out.push_str("</span>");
                    }
                }
            }
            out.push_str("</span>");
        }
        Value::Map(entries) => {
            out.push_str("<dl class=\"map\">");
            for (k, v) in entries {
                let _ = write!(out, "<dt>{}</dt><dd>", escape(k));
                write_value(site, from, field, v, out);
                out.push_str("</dd>");
            }
            out.push_str("</dl>");
        }
    }
}

/// Fields whose single text values read best as chips (status, priority, groups, types).
fn is_chip_field(field: &str) -> bool {
    matches!(
        field,
        "status" | "priority" | "visibility" | "category" | "type"
    ) || field.ends_with("_group")
        || field.ends_with("_type")
        || field.ends_with("_mode")
}

/// A value as plain text for sorting and filtering tables.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Text(t) => t.to_string(),
        Value::Link(l) => l.alias.as_deref().unwrap_or_else(|| l.name()).to_owned(),
        Value::List(items) => items
            .iter()
            .map(value_text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| format!("{k}: {}", value_text(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Where a note stands in the owner's review: status empty, in progress or review → to review.
pub fn needs_review(status: Option<&str>) -> bool {
    match status {
        None => true,
        Some(s) => {
            let s = s.to_lowercase();
            s.trim().is_empty()
                || s.contains("progress")
                || s.contains("review")
                || s.contains("draft")
        }
    }
}

/// Completed (`🟩 complete`).
pub fn is_complete(status: Option<&str>) -> bool {
    status.is_some_and(|s| s.to_lowercase().contains("complete"))
}
