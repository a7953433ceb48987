//! `attune edit NOTE`: the note's form in the terminal, prefilled from the note; the fields
//! changed are then set as `attune set` would.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context;
use attune_engine::create::{Now, field_text};
use attune_engine::form::Form;
use attune_engine::update::{NoteUpdate, find_note, plan_update};
use attune_engine::workspace::Workspace;

use super::new::{Output, apply_plan};

#[derive(clap::Args)]
pub struct Args {
    /// The note: its name, or its path from the vault root.
    note: String,
    /// Show what would be written, write nothing.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    out: Output,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "`attune edit` asks for each field and needs a terminal; use `attune set NOTE field=value…` instead"
        );
    }
    let ws = crate::vault_arg::workspace(&args.out.vault, args.out.no_cache)
        .with_context(|| format!("loading {}", args.out.vault.display()))?;
    let i = find_note(ws, &args.note).map_err(|d| {
        anyhow::anyhow!(
            "{}{}",
            d.message,
            d.help.map(|h| format!(" ({h})")).unwrap_or_default()
        )
    })?;
    let class = ws
        .class_of_note(i)
        .context("the note has no class, so it has no form")?;
    let form = Form::of(ws, class);
    let mut set = Vec::new();
    for field in &form.fields {
        if matches!(field.name.as_str(), "id" | "created" | "last_modified") {
            continue;
        }
        let current = list_text(ws, i, &field.name);
        let label = format!("{}:", field.name);
        let group = field.group.as_ref().and_then(|g| {
            set.iter()
                .rev()
                .find(|(k, _): &&(String, String)| *k == g.by)
                .map(|(_, v)| v.clone())
                .or_else(|| field_text(ws, i, &g.by))
        });
        let options: Vec<String> = match group.as_deref().and_then(|g| field.options_for_group(g)) {
            Some(o) => o.to_vec(),
            None => field.options.clone(),
        };
        let answer = if !options.is_empty() && !field.multiple {
            // An empty field stays empty unless the user picks a value: the first choice is
            // "(empty)", so pressing Enter through the form never invents values.
            let mut choices = Vec::with_capacity(options.len() + 1);
            choices.push(EMPTY_CHOICE.to_owned());
            choices.extend(options);
            let start = current
                .as_deref()
                .and_then(|c| choices.iter().position(|o| o == c))
                .unwrap_or(0);
            let picked = inquire::Select::new(&label, choices)
                .with_starting_cursor(start)
                .prompt()?;
            if picked == EMPTY_CHOICE {
                String::new()
            } else {
                picked
            }
        } else {
            let help = if field.field_type.is_link() {
                "links: [[A]], [[B]]"
            } else if field.multiple {
                "values separated by `, `"
            } else {
                ""
            };
            inquire::Text::new(&label)
                .with_initial_value(current.as_deref().unwrap_or(""))
                .with_help_message(help)
                .prompt()?
        };
        if Some(answer.trim()) != current.as_deref().map(str::trim)
            && !(answer.trim().is_empty() && current.is_none())
        {
            if field.multiple && !field.field_type.is_link() {
                for item in answer.split(", ").filter(|s| !s.trim().is_empty()) {
                    set.push((field.name.clone(), item.trim().to_owned()));
                }
            } else {
                set.push((field.name.clone(), answer));
            }
        }
    }
    let update = NoteUpdate {
        note: ws.note(i).path().to_owned(),
        set,
        ..NoteUpdate::default()
    };
    if update.set.is_empty() {
        anstream::println!("nothing changed");
        return Ok(ExitCode::SUCCESS);
    }
    let plan = plan_update(ws, &update, &Now::local());
    if !args.dry_run && !plan.is_refused() {
        for f in &plan.files {
            anstream::print!("{}", super::new::colour_diff(&f.diff()));
        }
        let write = inquire::Confirm::new("Write these changes?")
            .with_default(false)
            .prompt()?;
        if !write {
            anstream::println!("nothing written");
            return Ok(ExitCode::SUCCESS);
        }
    }
    apply_plan(&args.out.vault, &plan, args.dry_run, args.out.format)
}

/// The choice that leaves a one-value field empty.
const EMPTY_CHOICE: &str = "(empty)";

/// A field's current value as one line: list items joined by `, `, links as `[[…]]`.
fn list_text(ws: &Workspace, i: usize, field: &str) -> Option<String> {
    let f = ws.note(i).note.frontmatter.as_ref()?.get(field)?;
    let one = |v: &attune_syntax::Value| match v {
        attune_syntax::Value::Link(l) => Some(l.to_wiki()),
        other => attune_engine::form::value_text(other),
    };
    let text = match &f.value {
        attune_syntax::Value::List(items) => {
            items.iter().filter_map(one).collect::<Vec<_>>().join(", ")
        }
        other => one(other)?,
    };
    (!text.is_empty()).then_some(text)
}
