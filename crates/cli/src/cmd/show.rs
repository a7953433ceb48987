//! `attune show NOTE [VAULT]`: one note as attune understands it — class, fields with their
//! logical values and validity, resolved links, relations, inverses and backlinks by class.

use std::fmt::Write as _;
use std::process::ExitCode;

use attune_engine::Vault;
use attune_engine::check::Locator;
use attune_engine::show::{LinkOutcome, NoteReport, NoteSummary, show};
use attune_syntax::Value;
use serde_json::json;

use crate::render;
use crate::vault_arg::VaultArg;

use crate::format::Format;

#[derive(clap::Args)]
pub struct Args {
    /// The note: a vault-relative path (with or without `.md`), a note name, or its `id`.
    note: String,
    #[command(flatten)]
    vault: VaultArg,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.vault.resolve()?;
    if !dir.path.is_dir() {
        anstream::eprintln!("error: no vault folder at {}", dir.path.display());
        return Ok(ExitCode::from(2));
    }
    let vault = dir.load(&attune_engine::vault::Silent)?;
    let report = match show(vault, &args.note) {
        Ok(report) => report,
        Err(e) => {
            anstream::eprintln!("error: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    match args.format {
        Format::Text => anstream::print!("{}", text(&report, vault)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report_json(&report, vault))?
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// A value as the owner would read it: text as is, lists in brackets, links as `[[…]]`.
pub fn display_value(v: &Value) -> String {
    match v {
        Value::Null => "(empty)".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Text(t) => t.to_string(),
        Value::Link(l) => l.to_wiki(),
        Value::List(items) if items.is_empty() => "(empty list)".to_owned(),
        Value::List(items) => items
            .iter()
            .map(display_value)
            .collect::<Vec<_>>()
            .join(", "),
        Value::Map(entries) => {
            format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", display_value(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

fn note_line(n: &NoteSummary) -> String {
    match &n.class {
        Some(c) => format!("{} ({c})", n.name),
        None => n.name.clone(),
    }
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RED: &str = "\x1b[31m";

fn text(r: &NoteReport, vault: &Vault) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{BOLD}{}{RESET}", r.note.path);
    let class = r.note.class.as_deref().unwrap_or("(none)");
    match &r.declared_class {
        Some(d) => {
            let _ = writeln!(
                out,
                "class: {BOLD}{class}{RESET} {YELLOW}(its fileClass: key says `{d}`){RESET}"
            );
        }
        None => {
            let _ = writeln!(out, "class: {BOLD}{class}{RESET}");
        }
    }
    if r.excluded {
        let _ = writeln!(
            out,
            "{DIM}under an excluded folder: not a link target{RESET}"
        );
    }

    let _ = writeln!(out, "\n{BOLD}fields{RESET}");
    if r.fields.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    let width = r
        .fields
        .iter()
        .map(|f| f.key.chars().count())
        .max()
        .unwrap_or(0);
    for f in &r.fields {
        let (mark, colour) = match f.findings.iter().map(|d| d.severity).max() {
            None => ("✓", GREEN),
            Some(attune_syntax::Severity::Info) => ("·", DIM),
            Some(attune_syntax::Severity::Warning) => ("!", YELLOW),
            Some(attune_syntax::Severity::Error) => ("✗", RED),
        };
        let ty = match f.field_type.as_deref() {
            Some(t) => t.to_owned(),
            None if f.key == vault.schema.settings.file_class_alias => "class key".to_owned(),
            None => "not in the class".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {colour}{mark}{RESET} {:<width$}  {}  {DIM}{ty}{RESET}",
            f.key,
            display_value(&f.value)
        );
        for d in &f.findings {
            let _ = writeln!(
                out,
                "      {colour}{}[{}]{RESET} {}",
                d.severity.as_str(),
                d.code,
                d.message
            );
        }
    }

    let _ = writeln!(out, "\n{BOLD}links{RESET}");
    if r.links.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for l in &r.links {
        let place = l
            .field
            .as_deref()
            .map_or_else(|| "body".to_owned(), |f| format!("`{f}`"));
        let outcome = match &l.outcome {
            LinkOutcome::Note(n) => format!("{GREEN}→{RESET} {}", n.path),
            LinkOutcome::File(p) => format!("{GREEN}→{RESET} {p}"),
            LinkOutcome::Dangling => format!("{YELLOW}→ no such note{RESET}"),
            LinkOutcome::Empty => format!("{YELLOW}→ empty link{RESET}"),
            LinkOutcome::Ambiguous(c) => {
                format!(
                    "{YELLOW}→ ambiguous:{RESET} {}",
                    c.iter()
                        .map(|n| n.path.as_str())
                        .collect::<Vec<_>>()
                        .join(" | ")
                )
            }
        };
        let _ = writeln!(
            out,
            "  {}{} {DIM}({place}){RESET} {outcome}",
            if l.embed { "!" } else { "" },
            l.written
        );
    }

    let _ = writeln!(out, "\n{BOLD}relations{RESET}");
    if r.relations.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for rel in &r.relations {
        let inverse = rel
            .inverse
            .as_deref()
            .map_or_else(String::new, |i| format!(" ↔ {i}"));
        let _ = writeln!(
            out,
            "  {} → {}{inverse}",
            rel.field,
            rel.target_classes.join(" | ")
        );
        for t in &rel.targets {
            let _ = writeln!(out, "      {}", note_line(t));
        }
        if rel.unresolved > 0 {
            let _ = writeln!(
                out,
                "      {YELLOW}{} link(s) not resolved{RESET}",
                rel.unresolved
            );
        }
    }

    let _ = writeln!(
        out,
        "\n{BOLD}inverses{RESET} {DIM}(relations of other notes that point here){RESET}"
    );
    if r.inverses.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for i in &r.inverses {
        let field = i.field.as_deref().unwrap_or("(no inverse field)");
        let _ = writeln!(
            out,
            "  {field} ← {} {DIM}via {}{RESET}",
            note_line(&i.source),
            i.via
        );
    }

    let _ = writeln!(out, "\n{BOLD}backlinks{RESET}");
    if r.backlinks.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for g in &r.backlinks {
        let _ = writeln!(
            out,
            "  {} ({})",
            g.class.as_deref().unwrap_or("no class"),
            g.notes.len()
        );
        for (n, fields) in &g.notes {
            let places: Vec<String> = fields
                .iter()
                .map(|f| {
                    f.as_deref()
                        .map_or_else(|| "body".to_owned(), str::to_owned)
                })
                .collect();
            let _ = writeln!(out, "      {} {DIM}[{}]{RESET}", n.path, places.join(", "));
        }
    }

    if !r.findings.is_empty() {
        let _ = writeln!(out, "\n{BOLD}findings{RESET}");
        let locator = Locator::new(vault);
        for d in &r.findings {
            let _ = writeln!(out, "{}", render::render(d, locator.source(&d.path)));
        }
    }
    out
}

fn summary_json(n: &NoteSummary) -> serde_json::Value {
    json!({ "path": n.path, "name": n.name, "class": n.class })
}

fn report_json(r: &NoteReport, vault: &Vault) -> serde_json::Value {
    let locator = Locator::new(vault);
    json!({
        "note": summary_json(&r.note),
        "declared_class": r.declared_class,
        "excluded": r.excluded,
        "fields": r.fields.iter().map(|f| json!({
            "key": f.key,
            "value": display_value(&f.value),
            "type": f.field_type,
            "valid": f.findings.is_empty(),
            "findings": f.findings.iter().map(|d| json!({"code": d.code, "severity": d.severity.as_str(), "message": d.message})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "links": r.links.iter().map(|l| json!({
            "written": l.written,
            "field": l.field,
            "embed": l.embed,
            "target": match &l.outcome {
                LinkOutcome::Note(n) => json!({"note": summary_json(n)}),
                LinkOutcome::File(p) => json!({"file": p}),
                LinkOutcome::Dangling => json!("dangling"),
                LinkOutcome::Empty => json!("empty"),
                LinkOutcome::Ambiguous(c) => json!({"ambiguous": c.iter().map(summary_json).collect::<Vec<_>>()}),
            },
        })).collect::<Vec<_>>(),
        "relations": r.relations.iter().map(|rel| json!({
            "field": rel.field,
            "target_classes": rel.target_classes,
            "inverse": rel.inverse,
            "targets": rel.targets.iter().map(summary_json).collect::<Vec<_>>(),
            "unresolved": rel.unresolved,
        })).collect::<Vec<_>>(),
        "inverses": r.inverses.iter().map(|i| json!({"field": i.field, "via": i.via, "source": summary_json(&i.source)})).collect::<Vec<_>>(),
        "backlinks": r.backlinks.iter().map(|g| json!({
            "class": g.class,
            "notes": g.notes.iter().map(|(n, fields)| json!({"note": summary_json(n), "fields": fields})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "findings": r.findings.iter().map(|d| {
            let lc = locator.locate(d);
            json!({"code": d.code, "severity": d.severity.as_str(), "line": lc.map(|l| l.line), "column": lc.map(|l| l.col), "message": d.message, "help": d.help})
        }).collect::<Vec<_>>(),
    })
}
