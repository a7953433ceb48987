//! JSON for query values (serialisation lives in the binary, not in the pure crates).

use attune_query::{QValue, QueryResult, render};
use serde_json::{Value, json};

/// A query value as typed JSON: numbers, booleans and null as themselves, dates as
/// `{"date": "…"}`, durations as `{"duration": "…"}`, links as `{"link": path, …}`.
pub fn qvalue(v: &QValue) -> Value {
    match v {
        QValue::Null => Value::Null,
        QValue::Bool(b) => json!(b),
        QValue::Number(n) => json!(n),
        QValue::Text(s) => json!(&**s),
        QValue::Date(_) => json!({ "date": render::display_value(v) }),
        QValue::Duration(_) => json!({ "duration": render::display_value(v) }),
        QValue::Link(l) => {
            json!({ "link": &*l.path, "subpath": l.subpath, "display": l.display, "embed": l.embed })
        }
        QValue::List(items) => Value::Array(items.iter().map(qvalue).collect()),
        QValue::Object(fields) => {
            Value::Object(fields.iter().map(|(k, v)| (k.clone(), qvalue(v))).collect())
        }
        QValue::Page(_) | QValue::File(_) => json!({ "page": render::display_value(v) }),
    }
}

/// A whole result: `{"type": "table", "headers": […], "rows": [[…]]}` and so on.
pub fn result(r: &QueryResult) -> Value {
    match r {
        QueryResult::Table { headers, rows } => json!({
            "type": "table",
            "headers": headers,
            "rows": rows.iter().map(|row| row.iter().map(qvalue).collect::<Vec<_>>()).collect::<Vec<_>>(),
        }),
        QueryResult::List { items } => json!({
            "type": "list",
            "items": items.iter().map(|i| json!({
                "id": i.id.as_ref().map(qvalue),
                "value": i.value.as_ref().map(qvalue),
            })).collect::<Vec<_>>(),
        }),
        QueryResult::Task { groups } => json!({
            "type": "task",
            "groups": groups.iter().map(|g| json!({
                "key": g.key.as_ref().map(qvalue),
                "tasks": g.tasks.iter().map(|t| json!({
                    "path": t.path, "line": t.line, "status": t.status.to_string(), "text": t.text,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }),
    }
}
