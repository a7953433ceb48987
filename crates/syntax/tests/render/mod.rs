//! A compact, stable text rendering of a parsed note for expect-test snapshots.

#![allow(clippy::unwrap_used)] // test-only rendering: writing to a String cannot fail

use std::fmt::Write;

use attune_syntax::{LineIndex, LinkPlace, Note, Value, parse_note};

pub fn value(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format!("{f:?}"),
        Value::Text(s) => format!("{s:?}"),
        Value::Link(l) => format!("link({})", l.to_wiki()),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(value).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Parse `text` and render what was found, spans shown as the text they cover.
pub fn render(text: &str) -> String {
    let note = parse_note(text.as_bytes());
    assert_eq!(note.print(), text, "round trip");
    render_note(&note)
}

pub fn render_note(note: &Note) -> String {
    let t = |s: attune_syntax::Span| format!("{:?}", note.text(s));
    let mut out = String::new();
    if note.bom {
        out.push_str("bom\n");
    }
    if let Some(fm) = &note.frontmatter {
        writeln!(
            out,
            "frontmatter {} yaml={} valid={}",
            t(fm.span),
            t(fm.yaml),
            fm.valid
        )
        .unwrap();
        for f in fm.iter() {
            writeln!(
                out,
                "  {} = {}  key={} value={} lines={}",
                f.key,
                value(&f.value),
                t(f.key_span),
                t(f.value_span),
                t(f.lines(&note.source))
            )
            .unwrap();
            if !f.item_spans().is_empty() {
                writeln!(
                    out,
                    "    items {}",
                    f.item_spans()
                        .iter()
                        .map(|&s| t(s))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
                .unwrap();
            }
        }
    }
    writeln!(out, "body {}", t(note.body)).unwrap();
    let index = LineIndex::new(&note.source);
    for l in &note.links {
        let place = match &l.place {
            LinkPlace::Frontmatter { key } => format!("fm:{key}"),
            LinkPlace::Body => "body".into(),
        };
        writeln!(
            out,
            "link {place} {} target={:?} fragment={:?} alias={:?}{}",
            t(l.span),
            l.target.target,
            l.target.fragment,
            l.target.alias,
            if l.embed { " embed" } else { "" }
        )
        .unwrap();
    }
    for g in note.tags() {
        writeln!(
            out,
            "tag {} {}{}",
            g.name,
            t(g.span),
            if g.in_frontmatter { " fm" } else { "" }
        )
        .unwrap();
    }
    for h in &note.headings {
        writeln!(out, "heading {} {} {}", h.level, t(h.text), t(h.span)).unwrap();
    }
    for f in note.inline_fields() {
        writeln!(out, "field {:?} = {:?} {}", f.key, f.value, t(f.span)).unwrap();
    }
    for q in note.query_blocks() {
        writeln!(
            out,
            "query {} {:?} text={}",
            q.language,
            q.text,
            t(q.text_span)
        )
        .unwrap();
    }
    for k in note.tasks() {
        writeln!(
            out,
            "task [{}] {:?} line {} {}",
            k.status,
            k.text,
            k.line,
            t(k.span)
        )
        .unwrap();
    }
    for d in note.diagnostics() {
        let at = d
            .span
            .map(|s| index.line_col(&note.source, s.start as usize));
        let at = at.map_or(String::new(), |a| format!("{}:{} ", a.line, a.col));
        writeln!(
            out,
            "{} {}{}: {}",
            d.severity.as_str(),
            at,
            d.code,
            d.message
        )
        .unwrap();
    }
    out
}
