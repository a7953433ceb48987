//! Dataview queries on the site: a note's ` ```dataview ` blocks rendered as live tables and
//! lists (attune-query's evaluator over the engine's `VaultPages` of the current snapshot), and ad-hoc queries for the API.
//! `dataviewjs` blocks are shown as written: attune never runs a note's JavaScript.

use std::fmt::Write;

use attune_query::{QValue, QueryOutput, QueryResult};

use crate::href;
use crate::site::Site;
use crate::view::escape;

/// Run a query with `this` set to the note at `this_path` (when given), over the engine's
/// [`attune_engine::query::VaultPages`] of the snapshot: links resolve exactly as in
/// `attune query` and `attune check`.
pub fn run(
    site: &Site,
    text: &str,
    this_path: Option<&str>,
) -> Result<QueryOutput, attune_query::QueryError> {
    site.with_pages(|pages| pages.run(text, this_path))
}

/// HTML for one query block of note `entry`.
pub fn render_block(site: &Site, entry: usize, language: &str, text: &str) -> String {
    if language == "dataviewjs" {
        return format!(
            "<figure class=\"query\"><figcaption>DataviewJS block (attune never runs a note's JavaScript)</figcaption><pre><code>{}</code></pre></figure>",
            escape(text.trim_end())
        );
    }
    match run(site, text, Some(&site.entries[entry].path)) {
        Ok(output) => {
            let mut html = String::from("<figure class=\"query live\">");
            html.push_str(&result_html(&output.result));
            for w in &output.warnings {
                let _ = write!(html, "<p class=\"muted\">{}</p>", escape(w));
            }
            let _ = write!(
                html,
                "<details><summary>Query</summary><pre><code>{}</code></pre></details></figure>",
                escape(text.trim_end())
            );
            html
        }
        Err(e) => format!(
            "<figure class=\"query error\"><figcaption>This query could not run: {}</figcaption><pre><code>{}</code></pre></figure>",
            escape(&e.to_string()),
            escape(text.trim_end())
        ),
    }
}

/// A result as an HTML table or list.
pub fn result_html(result: &QueryResult) -> String {
    let mut html = String::new();
    match result {
        QueryResult::Table { headers, rows } => {
            html.push_str(
                "<div class=\"table-wrap\"><table class=\"query-table sortable\"><thead><tr>",
            );
            for h in headers {
                let _ = write!(
                    html,
                    "<th scope=\"col\"><button type=\"button\" data-sort>{}</button></th>",
                    escape(h)
                );
            }
            html.push_str("</tr></thead><tbody>");
            for row in rows {
                html.push_str("<tr>");
                for v in row {
                    let _ = write!(
                        html,
                        "<td data-value=\"{}\">{}</td>",
                        escape(&attune_query::render::display_value(v)),
                        value_html(v)
                    );
                }
                html.push_str("</tr>");
            }
            let _ = write!(
                html,
                "</tbody></table></div><p class=\"muted\">{} results</p>",
                rows.len()
            );
        }
        QueryResult::List { items } => {
            html.push_str("<ul class=\"query-list\">");
            for item in items {
                html.push_str("<li>");
                if let Some(id) = &item.id {
                    html.push_str(&value_html(id));
                }
                if let Some(v) = &item.value {
                    if item.id.is_some() {
                        html.push_str(": ");
                    }
                    html.push_str(&value_html(v));
                }
                html.push_str("</li>");
            }
            html.push_str("</ul>");
        }
        QueryResult::Task { groups } => {
            for g in groups {
                if let Some(key) = &g.key {
                    let _ = write!(html, "<h4>{}</h4>", value_html(key));
                }
                html.push_str("<ul class=\"query-tasks\">");
                for t in &g.tasks {
                    let done = if t.status == ' ' { "☐" } else { "☑" };
                    let _ = write!(
                        html,
                        "<li>{done} {} <a href=\"{}\">↗</a></li>",
                        escape(&t.text),
                        escape(&href::note(&t.path))
                    );
                }
                html.push_str("</ul>");
            }
        }
    }
    html
}

/// One value: links to notes become links to their pages.
pub fn value_html(value: &QValue) -> String {
    match value {
        QValue::Link(l) if l.path.ends_with(".md") => {
            format!(
                "<a href=\"{}\">{}</a>",
                escape(&href::note(&l.path)),
                escape(&l.display_text())
            )
        }
        QValue::List(items) => items.iter().map(value_html).collect::<Vec<_>>().join(", "),
        other => escape(&attune_query::render::display_value(other)),
    }
}

/// A value as JSON for the API.
pub fn value_json(value: &QValue) -> serde_json::Value {
    use serde_json::json;
    match value {
        QValue::Null => serde_json::Value::Null,
        QValue::Bool(b) => json!(b),
        QValue::Number(n) => json!(n),
        QValue::Text(s) => json!(&**s),
        QValue::Link(l) => json!({ "link": &*l.path, "display": l.display_text() }),
        QValue::List(items) => serde_json::Value::Array(items.iter().map(value_json).collect()),
        QValue::Object(fields) => serde_json::Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), value_json(v)))
                .collect(),
        ),
        other => json!(attune_query::render::display_value(other)),
    }
}
