//! `attune schema [VAULT]` lists the classes with note counts; `attune schema CLASS [VAULT]`
//! prints one class's effective fields after inheritance: type, options and where they come
//! from, relation targets, group rules.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use attune_engine::Vault;
use attune_schema::{Class, FieldDef, Naming, OptionSource};
use serde_json::json;

use crate::vault_arg::VaultArg;

use crate::format::Format;

#[derive(clap::Args)]
pub struct Args {
    /// `[CLASS] [VAULT]`: a class by short or full name, and/or the vault folder. A single
    /// argument that is an existing folder is the vault.
    #[arg(value_name = "CLASS|VAULT", num_args = 0..=2)]
    args: Vec<String>,
    /// Work on a fresh copy of the built-in demo vault.
    #[arg(long)]
    demo: bool,
    /// Read every note, ignoring the vault's snapshot (and write none).
    #[arg(long)]
    no_cache: bool,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (class, vault_path) = match args.args.as_slice() {
        [] => (None, None),
        [one] if std::path::Path::new(one).is_dir() => (None, Some(PathBuf::from(one))),
        [one] => (Some(one.clone()), None),
        [class, vault] => (Some(class.clone()), Some(PathBuf::from(vault))),
        _ => bail!("give at most a class and a vault"),
    };
    if args.demo && vault_path.is_some() {
        bail!("give either a vault folder or --demo, not both");
    }
    let dir = VaultArg {
        vault: vault_path,
        demo: args.demo,
        no_cache: args.no_cache,
    }
    .resolve()?;
    let vault = dir.load(&attune_engine::vault::Silent)?;
    match class {
        None => list_classes(vault, args.format),
        Some(name) => {
            let Some(class) = vault.schema.class(&name) else {
                let names: Vec<&str> = vault
                    .schema
                    .classes()
                    .iter()
                    .map(|c| c.short_name())
                    .collect();
                let hint = attune_schema::suggest::closest_name(&name, names.iter().copied())
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                anstream::eprintln!(
                    "error: no class named `{name}`{hint}\n  classes: {}",
                    names.join(", ")
                );
                return Ok(ExitCode::from(1));
            };
            show_class(vault, class, args.format)
        }
    }
}

fn list_classes(vault: &Vault, format: Format) -> anyhow::Result<ExitCode> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for n in vault.indexed_notes() {
        if let Some(c) = &n.class {
            *counts.entry(&**c).or_default() += 1;
        }
    }
    let classes = vault.schema.classes();
    match format {
        Format::Json => {
            let items: Vec<_> = classes
                .iter()
                .map(|c| {
                    json!({
                        "name": c.name(), "short_name": c.short_name(),
                        "notes": counts.get(c.name()).copied().unwrap_or(0),
                        "fields": c.fields.len(), "extends": c.file_class.extends,
                        "folders": c.file_class.files_paths, "icon": c.file_class.icon,
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&json!({ "classes": items }))?
            );
        }
        Format::Text => {
            let w = classes
                .iter()
                .map(|c| c.short_name().chars().count())
                .max()
                .unwrap_or(5)
                .max(5);
            anstream::println!(
                "\x1b[1m{:<w$}  {:>5}  {:>6}  {}\x1b[0m",
                "class",
                "notes",
                "fields",
                "full name / folder"
            );
            for c in classes {
                let folder = c.file_class.files_paths.first().or(c.rules.folder.as_ref());
                anstream::println!(
                    "{:<w$}  {:>5}  {:>6}  {}{}",
                    c.short_name(),
                    counts.get(c.name()).copied().unwrap_or(0),
                    c.fields.len(),
                    c.name(),
                    folder.map(|f| format!("  ({f})")).unwrap_or_default()
                );
            }
            let source = match vault.schema.rules_source {
                attune_schema::RulesSource::Vault => "the vault's attune.toml",
                attune_schema::RulesSource::Pack => {
                    "the built-in self-work pack (the vault has no attune.toml)"
                }
            };
            anstream::println!("\n{} classes; rules from {source}", classes.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn options_summary(def: &FieldDef) -> String {
    match &def.options {
        OptionSource::None => String::new(),
        OptionSource::Inline(v) if v.is_empty() => "any value".to_owned(),
        OptionSource::Inline(v) => format!("{} inline: {}", v.len(), preview(v)),
        OptionSource::Note(n) => match &n.values {
            Some(v) => format!("{} from {}: {}", v.len(), n.path, preview(v)),
            None => format!("missing list note {}", n.path),
        },
        OptionSource::Query(q) => format!("from query: {q}"),
    }
}

fn preview(values: &[String]) -> String {
    let mut s: Vec<&str> = values.iter().take(4).map(String::as_str).collect();
    if values.len() > 4 {
        s.push("…");
    }
    s.join(", ")
}

fn naming(n: &Option<Naming>) -> String {
    match n {
        None => "-".to_owned(),
        Some(Naming::TitleCase) => "Title Case".to_owned(),
        Some(Naming::AsTyped) => "as typed".to_owned(),
        Some(Naming::Pattern(p)) => p.clone(),
        Some(Naming::ByField { field, patterns }) => format!(
            "by {field}: {}",
            patterns
                .iter()
                .map(|(v, p)| format!("{v} → {p}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

fn show_class(vault: &Vault, class: &Class, format: Format) -> anyhow::Result<ExitCode> {
    let rows: Vec<_> = class
        .fields
        .iter()
        .map(|f| {
            let relation = class.relation(&f.def.name);
            let group = class.group_rule(&f.def.name);
            (f, relation, group)
        })
        .collect();
    match format {
        Format::Json => {
            let fields: Vec<_> = rows
                .iter()
                .map(|(f, rel, group)| {
                    json!({
                        "name": f.def.name, "type": f.def.field_type.as_str(), "id": f.def.id,
                        "from": f.from, "overrides": f.overrides,
                        "options": match &f.def.options {
                            OptionSource::None => json!(null),
                            OptionSource::Inline(v) => json!({ "inline": v }),
                            OptionSource::Note(n) => json!({ "note": n.path, "values": n.values }),
                            OptionSource::Query(q) => json!({ "query": q }),
                        },
                        "relation": rel.map(|r| json!({ "targets": r.targets, "inverse": r.inverse })),
                        "group": group.map(|g| json!({ "by": g.by, "groups": g.options.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>() })),
                    })
                })
                .collect();
            let out = json!({
                "name": class.name(), "short_name": class.short_name(), "ancestors": class.ancestors,
                "folder": class.rules.folder, "naming": naming(&class.rules.naming), "body": class.rules.body,
                "defaults": class.rules.defaults.iter().map(|(k, v)| (k.clone(), json!(format!("{v:?}")))).collect::<serde_json::Map<_, _>>(),
                "aliases": class.rules.aliases, "fields": fields,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        Format::Text => {
            use anstream::println;
            println!("\x1b[1m{}\x1b[0m ({})", class.short_name(), class.name());
            if !class.ancestors.is_empty() {
                println!("extends: {}", class.ancestors.join(" → "));
            }
            println!(
                "folder: {}",
                class
                    .rules
                    .folder
                    .as_deref()
                    .or(class.file_class.files_paths.first().map(String::as_str))
                    .unwrap_or("-")
            );
            println!("naming: {}", naming(&class.rules.naming));
            let notes = vault
                .indexed_notes()
                .filter(|n| n.class.as_deref() == Some(class.name()))
                .count();
            println!("notes: {notes}\n");
            let w = rows
                .iter()
                .map(|(f, ..)| f.def.name.chars().count())
                .max()
                .unwrap_or(5)
                .max(5);
            println!(
                "\x1b[1m{:<w$}  {:<10}  {}\x1b[0m",
                "field", "type", "options / relation / inherited from"
            );
            for (f, rel, group) in &rows {
                let mut notes = Vec::new();
                let opts = options_summary(&f.def);
                if !opts.is_empty() {
                    notes.push(opts);
                }
                if let Some(r) = rel {
                    notes.push(format!(
                        "→ {}{}",
                        r.targets.join(" | "),
                        r.inverse
                            .as_ref()
                            .map(|i| format!(" (inverse {i})"))
                            .unwrap_or_default()
                    ));
                }
                if let Some(g) = group {
                    notes.push(format!("depends on {} ({} groups)", g.by, g.options.len()));
                }
                if f.from != class.name() {
                    notes.push(format!("from {}", f.from));
                }
                println!(
                    "{:<w$}  {:<10}  {}",
                    f.def.name,
                    f.def.field_type.as_str(),
                    notes.join("; ")
                );
            }
            if !class.rules.aliases.is_empty() {
                println!(
                    "\nrenamed fields: {}",
                    class
                        .rules
                        .aliases
                        .iter()
                        .map(|(o, n)| format!("{o} → {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
