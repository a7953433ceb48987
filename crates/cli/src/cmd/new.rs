//! `attune new CLASS [--set field=value]… [--title T] [--dry-run] [--create-missing]`:
//! create a note (and what the system creates with it) in one transaction. In a terminal,
//! missing fields are asked for; without one, the missing fields are listed.
//!
//! Also home of [`apply_plan`], which `set` and `edit` share: show the plan, refuse it, or
//! commit it.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use attune_engine::commit::{EditError, commit};
use attune_engine::create::{NewNote, Now, plan_create};
use attune_engine::form::{Form, FormField};
use attune_engine::plan::Plan;
use attune_engine::workspace::Workspace;
use serde_json::json;

use crate::render;

use crate::format::Format;

#[derive(clap::Args)]
pub struct Args {
    /// The class of the new note (`trigger`, `practice_session`, …).
    class: String,
    /// A field's value; repeat the option for several fields (or several values of a list).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    set: Vec<String>,
    /// The title, for classes named after it (Title Case is applied).
    #[arg(long)]
    title: Option<String>,
    /// Show what would be written, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Create a stub note of the right class for each linked name that does not exist.
    #[arg(long)]
    create_missing: bool,
    /// Never ask; fail listing what is missing (the default when stdin is not a terminal).
    #[arg(long)]
    no_input: bool,
    #[command(flatten)]
    out: Output,
}

/// Options every writing command shares.
#[derive(clap::Args)]
pub struct Output {
    /// The vault folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub vault: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Read every note, ignoring the vault's snapshot (and write none).
    #[arg(long)]
    pub no_cache: bool,
}

/// Split `field=value`.
pub fn parse_pairs(pairs: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    pairs
        .iter()
        .map(|p| match p.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
            _ => anyhow::bail!("`{p}` is not FIELD=VALUE"),
        })
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ws = crate::vault_arg::workspace(&args.out.vault, args.out.no_cache)
        .with_context(|| format!("loading {}", args.out.vault.display()))?;
    let mut request = NewNote {
        class: args.class.clone(),
        title: args.title.clone(),
        values: parse_pairs(&args.set)?,
        create_missing: args.create_missing,
    };
    let interactive =
        !args.no_input && args.out.format == Format::Text && std::io::stdin().is_terminal();
    if interactive && let Some(class) = ws.schema.class(&request.class) {
        let form = Form::of(ws, class);
        ask_missing(ws, &form, &mut request)?;
    }
    let plan = plan_create(ws, &request, &Now::local());
    apply_plan(&args.out.vault, &plan, args.dry_run, args.out.format)
}

/// Ask for the title (when the class is named after it), the fields its name needs, and
/// each group/type pair not given (group first, then the types of that group).
fn ask_missing(ws: &Workspace, form: &Form, request: &mut NewNote) -> anyhow::Result<()> {
    let given = |r: &NewNote, f: &str| r.values.iter().any(|(k, _)| k == f);
    let class = ws.schema.class(&form.class).context("the class vanished")?;
    let named_by_title = matches!(
        class.rules.naming,
        None | Some(attune_schema::Naming::TitleCase) | Some(attune_schema::Naming::AsTyped)
    );
    if named_by_title && request.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        let t = inquire::Text::new("title:")
            .with_validator(|t: &str| {
                Ok(if t.trim().is_empty() {
                    inquire::validator::Validation::Invalid("a title is needed".into())
                } else {
                    inquire::validator::Validation::Valid
                })
            })
            .prompt()?;
        request.title = Some(t);
    }
    for field in form.fields.iter().filter(|f| f.required) {
        if !given(request, &field.name) {
            let value = ask_field(ws, field, None)?;
            request.values.push((field.name.clone(), value));
        }
    }
    // Group fields the user chose to leave empty: their dependent fields are not asked.
    let mut skipped: Vec<&str> = Vec::new();
    for field in form.fields.iter().filter(|f| f.group.is_some()) {
        let Some(rule) = &field.group else { continue };
        if given(request, &field.name)
            || rule.options.is_empty()
            || skipped.contains(&rule.by.as_str())
        {
            continue;
        }
        let group = match request.values.iter().find(|(k, _)| *k == rule.by) {
            Some((_, g)) => g.clone(),
            None => {
                let mut groups: Vec<String> = Vec::new();
                if !field.required {
                    groups.push(SKIP.to_owned());
                }
                groups.extend(rule.options.iter().map(|(g, _)| g.clone()));
                let g = inquire::Select::new(&format!("{}:", rule.by), groups).prompt()?;
                if g == SKIP {
                    skipped.push(&rule.by);
                    continue;
                }
                request.values.push((rule.by.clone(), g.clone()));
                g
            }
        };
        let value = ask_field(ws, field, Some(&group))?;
        if !value.is_empty() {
            request.values.push((field.name.clone(), value));
        }
    }
    Ok(())
}

/// The first choice of an optional group select: leave the pair empty.
const SKIP: &str = "(skip)";

/// Ask for one field's value: a select for options, a fuzzy picker for links, text else.
/// An optional field's select starts with "(skip)", which gives an empty answer.
pub fn ask_field(ws: &Workspace, field: &FormField, group: Option<&str>) -> anyhow::Result<String> {
    let label = format!("{}:", field.name);
    let options: Vec<String> = match group.and_then(|g| field.options_for_group(g)) {
        Some(o) => o.to_vec(),
        None => field.options.clone(),
    };
    if !options.is_empty() {
        let mut choices = Vec::with_capacity(options.len() + 1);
        if !field.required {
            choices.push(SKIP.to_owned());
        }
        choices.extend(options);
        let picked = inquire::Select::new(&label, choices).prompt()?;
        return Ok(if picked == SKIP {
            String::new()
        } else {
            picked
        });
    }
    if field.field_type.is_link() {
        let mut names: Vec<String> = Vec::new();
        for class in &field.link_targets {
            for path in ws.notes_of_class(class).keys() {
                names.push(
                    path.trim_end_matches(".md")
                        .rsplit('/')
                        .next()
                        .unwrap_or(path)
                        .to_owned(),
                );
            }
        }
        names.sort();
        names.dedup();
        if !names.is_empty() {
            return Ok(format!(
                "[[{}]]",
                inquire::Select::new(&label, names).prompt()?
            ));
        }
    }
    Ok(inquire::Text::new(&label).prompt()?)
}

/// Show `plan` (diff and diagnostics) and commit it unless refused or `dry_run`.
pub fn apply_plan(
    root: &Path,
    plan: &Plan,
    dry_run: bool,
    format: Format,
) -> anyhow::Result<ExitCode> {
    let source = |path: &str| plan.file(path).map(|f| f.after.clone());
    let outcome = if plan.is_refused() || dry_run {
        None
    } else {
        Some(commit(root, plan))
    };
    if format == Format::Json {
        let diagnostics: Vec<_> = plan
            .diagnostics
            .iter()
            .map(|d| json!({"code": d.code, "severity": d.severity.as_str(), "path": d.path, "message": d.message, "help": d.help}))
            .collect();
        let files: Vec<_> = plan
            .files
            .iter()
            .map(|f| json!({"path": f.path, "new": f.is_new(), "diff": f.diff()}))
            .collect();
        let (committed, error) = match &outcome {
            Some(Ok(m)) => (Some(m.number), None),
            Some(Err(e)) => (None, Some(e.to_string())),
            None => (None, None),
        };
        let out = json!({"summary": plan.summary, "refused": plan.is_refused(), "dry_run": dry_run, "files": files,
            "diagnostics": diagnostics, "commit": committed, "error": error});
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for f in &plan.files {
            anstream::print!("{}", colour_diff(&f.diff()));
        }
        for d in &plan.diagnostics {
            let text = if d.span.is_some() {
                source(&d.path)
            } else {
                None
            };
            anstream::eprint!("{}", render::render(d, text.as_deref()));
        }
        if plan.is_refused() {
            let n = plan.errors().count();
            anstream::eprintln!(
                "refused ({n} error{}): nothing was written",
                if n == 1 { "" } else { "s" }
            );
        } else if dry_run {
            anstream::eprintln!("dry run: {} — nothing was written", plan.summary);
        }
        match &outcome {
            Some(Ok(m)) => {
                for p in plan.created() {
                    anstream::println!("created {p}");
                }
                for p in plan.changed() {
                    anstream::println!("changed {p}");
                }
                anstream::println!(
                    "commit #{}: {} (undo with `attune undo`)",
                    m.number,
                    plan.summary
                );
            }
            Some(Err(EditError::Refused(_))) | None => {}
            Some(Err(e)) => anstream::eprintln!("error: {e}"),
        }
    }
    let failed = plan.is_refused() || matches!(outcome, Some(Err(_)));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn colour_diff(diff: &str) -> String {
    diff.lines()
        .map(|l| {
            let style = if l.starts_with("+++") || l.starts_with("---") {
                "\x1b[1m"
            } else if l.starts_with('+') {
                "\x1b[32m"
            } else if l.starts_with('-') {
                "\x1b[31m"
            } else if l.starts_with("@@") {
                "\x1b[36m"
            } else {
                ""
            };
            if style.is_empty() {
                format!("{l}\n")
            } else {
                format!("{style}{l}\x1b[0m\n")
            }
        })
        .collect()
}
