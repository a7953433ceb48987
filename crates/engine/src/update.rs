//! Updating a note (`attune set`, `attune edit`): replace a key's value, append to a list
//! without duplicates, remove a key, mark the note reviewed. Only the changed keys' lines
//! change (the syntax crate's lossless edits), `last_modified` is bumped, the file name never
//! changes, and values are validated as on create.

use attune_syntax::edit::{EditValue, append_to_list, remove_key, set_key};
use attune_syntax::{Diagnostic, LinkPlace, parse_note_text};

use crate::create::{Builder, Now, field_text};
use crate::form::{Form, canonical_option};
use crate::plan::{Plan, PlannedFile};
use crate::workspace::{LinkResolution, Workspace, name_of};

/// What a person asked to change in one note.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoteUpdate {
    /// The note: a vault-relative path (with or without `.md`) or a unique name.
    pub note: String,
    /// `field = text`, replacing the field's value (a field given several times gets a list).
    pub set: Vec<(String, String)>,
    /// `field = text`, added to the field's list unless already there.
    pub append: Vec<(String, String)>,
    /// Keys to remove.
    pub remove: Vec<String>,
    /// Mark reviewed: `entered: true`, `status: 🟩 complete`.
    pub reviewed: bool,
}

/// Find the note a person named, or say why not.
pub fn find_note(ws: &Workspace, note: &str) -> Result<usize, Diagnostic> {
    ws.find_note(note).map_err(|candidates| {
        if candidates.is_empty() {
            Diagnostic::error("form/no-such-note", format!("no note is named `{note}`"))
                .with_help("give the note's name or its path from the vault root")
        } else {
            Diagnostic::error(
                "form/ambiguous-note",
                format!("`{note}` could mean {} notes", candidates.len()),
            )
            .with_help(format!("give the path: {}", candidates.join(", ")))
        }
    })
}

/// Plan `update`.
pub fn plan_update(ws: &Workspace, update: &NoteUpdate, now: &Now) -> Plan {
    let mut plan = Plan {
        summary: format!("set {}", update.note),
        ..Plan::default()
    };
    let i = match find_note(ws, &update.note) {
        Ok(i) => i,
        Err(d) => {
            plan.diagnostics.push(d);
            return plan;
        }
    };
    let vault_note = ws.note(i);
    let path = vault_note.path().to_owned();
    let refuse = |mut plan: Plan, d: Diagnostic| {
        plan.diagnostics.push(d.with_path(&path));
        plan
    };
    if vault_note
        .note
        .diagnostics()
        .iter()
        .any(|d| d.code == "encoding/invalid-utf8")
    {
        return refuse(
            plan,
            Diagnostic::error(
                "edit/not-utf8",
                "the note is not valid UTF-8; attune will not rewrite it",
            )
            .with_help("re-save it as UTF-8 first"),
        );
    }
    let Some(class) = ws.class_of_note(i) else {
        return refuse(
            plan,
            Diagnostic::error(
                "form/no-class",
                "the note has no class, so its fields cannot be checked",
            )
            .with_help("move it into a class's folder, or give it a `fileClass:` key"),
        );
    };
    let form = Form::of(ws, class);
    let current = |field: &str| field_text(ws, i, field);
    let (set, mut errors) = form.read_values(ws, &update.set, &current, &path);
    let (append, e2) = form.read_values(ws, &update.append, &current, &path);
    errors.extend(e2);
    for v in &append {
        if form.field(&v.field).is_some_and(|f| !f.multiple) {
            errors.push(
                Diagnostic::error(
                    "form/not-a-list",
                    format!("`{}` holds one value; it cannot be appended to", v.field),
                )
                .with_path(&path)
                .with_help(format!("use --set {}=…", v.field)),
            );
        }
    }
    for v in set.iter().chain(&append) {
        for (target, _) in &v.missing_links {
            errors.push(
                Diagnostic::error(
                    "form/dangling-link",
                    format!("`{}`: no note is named [[{target}]]", v.field),
                )
                .with_path(&path)
                .with_help("check the name, or create the note first with `attune new`"),
            );
        }
    }
    if !errors.is_empty() {
        plan.diagnostics.extend(errors);
        return plan;
    }

    let source = vault_note.note.source.clone();
    let mut text = source.clone();
    let mut steps: Vec<Result<String, Diagnostic>> = Vec::new();
    let mut apply = |text: &mut String, r: Result<String, Diagnostic>| match r {
        Ok(t) => *text = t,
        Err(d) => steps.push(Err(d)),
    };
    for v in &set {
        let r = set_key(&text, &v.field, &v.value);
        apply(&mut text, r);
    }
    for v in &append {
        let items = match &v.value {
            EditValue::List(items) => items.clone(),
            other => vec![other.clone()],
        };
        for item in items {
            let r = append_to_list(&text, &v.field, &item);
            apply(&mut text, r);
        }
    }
    for k in &update.remove {
        let r = remove_key(&text, k.trim());
        apply(&mut text, r);
    }
    if update.reviewed {
        let r = set_key(&text, "entered", &EditValue::Bool(true));
        apply(&mut text, r);
        let status = form
            .field("status")
            .and_then(|f| canonical_option(&f.options, "complete").map(str::to_owned))
            .unwrap_or_else(|| "🟩 complete".to_owned());
        let r = set_key(&text, "status", &EditValue::Scalar(status));
        apply(&mut text, r);
    }
    if text != source {
        let has_key = parse_note_text(text.clone())
            .frontmatter
            .is_some_and(|fm| fm.get("last_modified").is_some());
        if has_key || form.field("last_modified").is_some() {
            let r = set_key(&text, "last_modified", &EditValue::Scalar(now.stamp()));
            apply(&mut text, r);
        }
    }
    for s in steps {
        if let Err(d) = s {
            plan.diagnostics.push(d.with_path(&path));
        }
    }
    if plan.is_refused() {
        return plan;
    }

    // Findings the change would add.
    let findings = |t: &str| -> Vec<Diagnostic> {
        let note = parse_note_text(t.to_owned());
        note.frontmatter
            .map(|fm| ws.schema.validate_note(Some(class.name()), &fm, &path))
            .unwrap_or_default()
    };
    let old: Vec<(&str, String)> = findings(&source)
        .into_iter()
        .map(|d| (d.code, d.message))
        .collect();
    plan.diagnostics.extend(
        findings(&text)
            .into_iter()
            .filter(|d| !old.contains(&(d.code, d.message.clone()))),
    );

    if text == source {
        plan.summary = format!("set {}: nothing to change", name_of(&path));
        return plan;
    }
    let changed: Vec<&str> = set
        .iter()
        .chain(&append)
        .map(|v| v.field.as_str())
        .chain(update.remove.iter().map(String::as_str))
        .chain(update.reviewed.then_some("reviewed"))
        .collect();
    plan.summary = format!(
        "set {}: {}",
        name_of(path.trim_end_matches(".md")),
        changed.join(", ")
    );
    plan.files.push(PlannedFile {
        path: path.clone(),
        before: Some(source),
        after: text,
    });

    // The way back from newly linked notes.
    let mut b = Builder::new(ws, now);
    b.plan = plan;
    let name = name_of(path.trim_end_matches(".md")).to_owned();
    for v in set.iter().chain(&append) {
        for target in &v.linked {
            b.link_back(target, &v.field, class.name(), &name);
        }
    }
    // A replaced link: the note it pointed to no longer lists this one.
    for v in &set {
        let Some(field) = form.field(&v.field).filter(|f| f.field_type.is_link()) else {
            continue;
        };
        let old_targets: Vec<String> = vault_note
            .note
            .links
            .iter()
            .filter(|l| matches!(&l.place, LinkPlace::Frontmatter { key } if *key == v.field))
            .filter_map(
                |l| match ws.resolve_link(&l.target.target, &field.link_targets) {
                    LinkResolution::Note { path, .. } => Some(path),
                    _ => None,
                },
            )
            .collect();
        for old in old_targets.iter().filter(|t| !v.linked.contains(t)) {
            b.unlink_back(old, &v.field, class.name(), &name);
        }
    }
    b.plan
}
