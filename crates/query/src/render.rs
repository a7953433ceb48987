//! Showing results: a value as the text Dataview would show in a cell (links by name, lists
//! joined, `null` as `-`, dates in Dataview's default format), and whole results as CSV, a
//! Markdown table, or a terminal table that fits a width.

use crate::execute::QueryResult;
use crate::value::{QValue, format_number};

/// The text of one value as Dataview displays it.
pub fn display_value(value: &QValue) -> String {
    match value {
        QValue::Null => "-".to_string(),
        QValue::Bool(b) => b.to_string(),
        QValue::Number(n) => format_number(*n),
        QValue::Text(s) => s.to_string(),
        QValue::Date(d) => crate::time::format_date_default(*d),
        QValue::Duration(d) => crate::time::format_duration(*d),
        QValue::Link(l) => l.display_text(),
        QValue::List(items) => items
            .iter()
            .map(display_value)
            .collect::<Vec<_>>()
            .join(", "),
        QValue::Object(fields) => {
            let inner: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{k}: {}", display_value(v)))
                .collect();
            format!("{{ {} }}", inner.join(", "))
        }
        QValue::Page(_) | QValue::File(_) => "{ }".to_string(),
    }
}

/// Header and rows of text cells, whatever the query type.
pub fn to_cells(result: &QueryResult) -> (Vec<String>, Vec<Vec<String>>) {
    match result {
        QueryResult::Table { headers, rows } => (
            headers.clone(),
            rows.iter()
                .map(|r| r.iter().map(display_value).collect())
                .collect(),
        ),
        QueryResult::List { items } => {
            let has_id = items.iter().any(|i| i.id.is_some());
            let has_value = items.iter().any(|i| i.value.is_some());
            let mut headers = Vec::new();
            if has_id {
                headers.push("File".to_string());
            }
            if has_value || !has_id {
                headers.push("Value".to_string());
            }
            let rows = items
                .iter()
                .map(|i| {
                    let mut row = Vec::new();
                    if has_id {
                        row.push(i.id.as_ref().map_or_else(String::new, display_value));
                    }
                    if has_value || !has_id {
                        row.push(i.value.as_ref().map_or_else(String::new, display_value));
                    }
                    row
                })
                .collect();
            (headers, rows)
        }
        QueryResult::Task { groups } => {
            let grouped = groups.iter().any(|g| g.key.is_some());
            let mut headers = Vec::new();
            if grouped {
                headers.push("Group".to_string());
            }
            headers.extend(["Task".to_string(), "File".to_string(), "Line".to_string()]);
            let mut rows = Vec::new();
            for g in groups {
                for t in &g.tasks {
                    let mut row = Vec::new();
                    if grouped {
                        row.push(g.key.as_ref().map_or_else(String::new, display_value));
                    }
                    row.push(format!("[{}] {}", t.status, t.text));
                    row.push(crate::value::file_title(&t.path).to_string());
                    row.push(t.line.to_string());
                    rows.push(row);
                }
            }
            (headers, rows)
        }
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// RFC 4180 CSV with a header line.
pub fn to_csv(result: &QueryResult) -> String {
    let (headers, rows) = to_cells(result);
    let mut out = String::new();
    for line in std::iter::once(&headers).chain(rows.iter()) {
        out.push_str(
            &line
                .iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// A Markdown (GFM) table.
pub fn to_markdown(result: &QueryResult) -> String {
    let (headers, rows) = to_cells(result);
    let mut out = String::new();
    out.push_str(&format!(
        "| {} |\n",
        headers
            .iter()
            .map(|h| md_cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!(
        "|{}|\n",
        headers
            .iter()
            .map(|_| " --- ")
            .collect::<Vec<_>>()
            .join("|")
    ));
    for row in rows {
        out.push_str(&format!(
            "| {} |\n",
            row.iter()
                .map(|c| md_cell(c))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    out
}

/// Display width of a text in terminal columns (wide CJK and emoji count 2, joiners and
/// selectors 0).
pub fn text_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c {
            '\u{200B}'..='\u{200F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{0300}'..='\u{036F}'
            | '\u{E0020}'..='\u{E007F}' => 0,
            '\u{1100}'..='\u{115F}'
            | '\u{2E80}'..='\u{A4CF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FF00}'..='\u{FF60}'
            | '\u{1F300}'..='\u{1FAFF}'
            | '\u{2600}'..='\u{27BF}'
            | '\u{2B00}'..='\u{2BFF}' => 2,
            c if c.is_control() => 0,
            _ => 1,
        })
        .sum()
}

fn cut(s: &str, width: usize) -> String {
    let flat = s.replace(['\n', '\r'], " ");
    if text_width(&flat) <= width {
        let pad = width - text_width(&flat);
        return format!("{flat}{}", " ".repeat(pad));
    }
    let mut out = String::new();
    let mut used = 0;
    for c in flat.chars() {
        let w = text_width(c.encode_utf8(&mut [0u8; 4]));
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    used += 1;
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// A plain-text table no wider than `width` columns: wide columns shrink (ending in `…`).
pub fn to_terminal(result: &QueryResult, width: usize) -> String {
    let (headers, rows) = to_cells(result);
    let n = headers.len();
    if n == 0 {
        return String::new();
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| text_width(h)).collect();
    for row in &rows {
        for (i, c) in row.iter().enumerate().take(n) {
            widths[i] = widths[i].max(text_width(&c.replace(['\n', '\r'], " ")));
        }
    }
    let separators = 3 * (n - 1);
    let available = width.saturating_sub(separators).max(n * 3);
    while widths.iter().sum::<usize>() > available {
        let (i, w) = widths
            .iter()
            .copied()
            .enumerate()
            .max_by_key(|(_, w)| *w)
            .unwrap_or((0, 0));
        if w <= 3 {
            break;
        }
        widths[i] = w - 1;
    }
    let line = |cells: &[String]| -> String {
        let parts: Vec<String> = (0..n)
            .map(|i| cut(cells.get(i).map_or("", String::as_str), widths[i]))
            .collect();
        parts.join(" │ ").trim_end().to_string()
    };
    let mut out = String::new();
    out.push_str(&line(&headers));
    out.push('\n');
    out.push_str(
        &widths
            .iter()
            .map(|w| "─".repeat(*w))
            .collect::<Vec<_>>()
            .join("─┼─"),
    );
    out.push('\n');
    for row in &rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}
