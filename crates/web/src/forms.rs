//! Create and edit forms, generated from the engine's [`attune_engine::form::Form`] of a
//! class: selects and multi-selects from option lists, group → type selects (the type list
//! follows the chosen group), link pickers over the notes of the relation's target classes
//! (with "create the notes that do not exist yet"), toggles, dates, numbers, text areas for
//! the body sections of a new note.
//!
//! Submitting runs the engine's plan (create or update) against the current snapshot:
//! "Preview" shows the plan's diff and every per-field error; "Save" commits it through the
//! store's checked transaction. A note changed on disk since the form was opened, or since
//! the plan read it, is a conflict: nothing is written and the form says so.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use attune_engine::commit::EditError;
use attune_engine::create::{NewNote, Now, plan_create};
use attune_engine::plan::Plan;
use attune_engine::update::{NoteUpdate, plan_update};
use attune_schema::{Class, FieldType};
use attune_syntax::{Diagnostic, Value};

use crate::href;
use crate::pages::{Page, layout, message_page};
use crate::site::Site;
use crate::state::{AppState, Origin};
use crate::view::value_text;

/// Fields attune fills in itself; a form never asks for them.
pub const MANAGED: &[&str] = &[
    "fileClass",
    "id",
    "created",
    "last_modified",
    "type",
    "category",
    "export_to_inputs",
    "title",
];

/// How a field is entered.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Input {
    Text,
    TextArea,
    /// Several free values, one per line.
    Lines,
    Number,
    Date,
    DateTime,
    Time,
    Toggle,
    Select {
        options: Vec<String>,
    },
    MultiSelect {
        options: Vec<String>,
    },
    /// Options depend on the value of the sibling field `by`.
    Grouped {
        by: String,
        groups: Vec<(String, Vec<String>)>,
        multiple: bool,
    },
    /// Links to notes of `classes` (short names); `choices` are their names.
    Link {
        classes: Vec<String>,
        choices: Vec<String>,
        multiple: bool,
    },
}

/// One field of a form.
#[derive(Clone, Debug, Serialize)]
pub struct FormField {
    pub name: String,
    pub input: Input,
    /// Current values (one for single fields).
    pub values: Vec<String>,
    /// The field must be filled (the naming pattern uses it).
    pub required: bool,
    pub error: Option<String>,
}

/// A whole form.
#[derive(Clone, Debug, Serialize)]
pub struct Form {
    pub class: String,
    /// `None` for a new note.
    pub path: Option<String>,
    /// The title a new note is named after (when its class is named by title).
    pub title: String,
    pub fields: Vec<FormField>,
    /// Body sections a new note gets (heading, text).
    pub sections: Vec<(String, String)>,
    /// A fingerprint of the note's text when the form was made (edit forms), to detect a
    /// change on disk before saving.
    pub base: String,
    pub create_missing: bool,
    pub reviewed: bool,
}

/// Can notes of this class be created here (it has a folder to put them in)?
pub fn can_create(_site: &Site, class: &Class) -> bool {
    class.rules.folder.is_some() || !class.file_class.files_paths.is_empty()
}

/// A short fingerprint of a text (FNV-1a, 64 bits): enough to notice that it changed.
pub fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The form for a class; `entry` fills in the values of an existing note.
pub fn build(site: &Site, class: &Class, entry: Option<usize>) -> Form {
    let engine = attune_engine::form::Form::of(&site.ws, class);
    let mut fields = Vec::new();
    for f in &engine.fields {
        if MANAGED.contains(&f.name.as_str()) {
            continue;
        }
        let input = if let Some(rule) = &f.group {
            Input::Grouped {
                by: rule.by.clone(),
                groups: rule.options.clone(),
                multiple: f.multiple,
            }
        } else if !f.link_targets.is_empty() || f.field_type.is_link() {
            let mut choices: Vec<String> = if f.link_targets.is_empty() {
                site.entries
                    .iter()
                    .filter(|e| !e.stub)
                    .map(|e| e.name.clone())
                    .collect()
            } else {
                f.link_targets
                    .iter()
                    .flat_map(|c| site.entries_of(c))
                    .map(|i| site.entries[i].name.clone())
                    .collect()
            };
            choices.sort_by_key(|n| n.to_lowercase());
            choices.dedup();
            let classes = f
                .link_targets
                .iter()
                .map(|c| crate::view::class_label(site, c))
                .collect();
            Input::Link {
                classes,
                choices,
                multiple: f.multiple,
            }
        } else if !f.options.is_empty() {
            if f.multiple {
                Input::MultiSelect {
                    options: f.options.clone(),
                }
            } else {
                Input::Select {
                    options: f.options.clone(),
                }
            }
        } else {
            match &f.field_type {
                FieldType::Boolean => Input::Toggle,
                FieldType::Number => Input::Number,
                FieldType::Date => Input::Date,
                FieldType::DateTime => Input::DateTime,
                FieldType::Time => Input::Time,
                _ if f.multiple => Input::Lines,
                _ if matches!(f.name.as_str(), "notes" | "definition" | "mechanism") => {
                    Input::TextArea
                }
                _ => Input::Text,
            }
        };
        let values = entry
            .and_then(|i| site.field(i, &f.name))
            .map(field_values)
            .unwrap_or_default();
        fields.push(FormField {
            name: f.name.clone(),
            input,
            values,
            required: f.required,
            error: None,
        });
    }
    Form {
        class: class.short_name().to_owned(),
        path: entry.map(|i| site.entries[i].path.clone()),
        title: String::new(),
        sections: if entry.is_none() {
            class
                .rules
                .body
                .iter()
                .map(|h| (h.clone(), String::new()))
                .collect()
        } else {
            Vec::new()
        },
        base: entry
            .map(|i| fingerprint(&site.vault_note(i).note.source))
            .unwrap_or_default(),
        fields,
        create_missing: false,
        reviewed: false,
    }
}

/// A stored value as the strings a form shows.
pub fn field_values(value: &Value) -> Vec<String> {
    value
        .items()
        .map(value_text)
        .filter(|s| !s.is_empty())
        .collect()
}

/// What a submitted form said.
#[derive(Debug, Default)]
pub struct Submission {
    pub action: String,
    pub title: Option<String>,
    /// `(field, text)`, a field repeated for several values; only fields of the form.
    pub values: Vec<(String, String)>,
    pub sections: Vec<(String, String)>,
    pub base: String,
    pub create_missing: bool,
    pub reviewed: bool,
}

/// Read an `application/x-www-form-urlencoded` body against `form`.
pub fn read_submission(form: &Form, body: &str) -> Submission {
    let mut s = Submission::default();
    for (k, v) in form_urlencoded::parse(body.as_bytes()) {
        let (k, v) = (k.into_owned(), v.into_owned());
        match k.as_str() {
            "_csrf" => {}
            "_action" => s.action = v,
            "_base" => s.base = v,
            "_create_missing" => s.create_missing = true,
            "_reviewed" => s.reviewed = true,
            "title" => s.title = Some(v.trim().to_owned()).filter(|t| !t.is_empty()),
            _ => {
                if let Some(heading) = k.strip_prefix("section:") {
                    s.sections.push((heading.to_owned(), v));
                } else if let Some(field) = form.fields.iter().find(|f| f.name == k) {
                    if field.input == Input::Lines {
                        s.values.extend(
                            v.lines()
                                .map(str::trim)
                                .filter(|l| !l.is_empty())
                                .map(|l| (k.clone(), l.to_owned())),
                        );
                    } else if !v.trim().is_empty() {
                        s.values.push((k, v.trim().to_owned()));
                    }
                }
            }
        }
    }
    // A ticked toggle sends its hidden "false" and its "true": the tick wins.
    for f in form.fields.iter().filter(|f| f.input == Input::Toggle) {
        if s.values.iter().any(|(k, v)| *k == f.name && v == "true") {
            s.values.retain(|(k, v)| *k != f.name || v == "true");
        }
    }
    s
}

/// Put what was typed for each body section under its heading in the new note.
fn fill_sections(plan: &mut Plan, sections: &[(String, String)]) {
    let Some(file) = plan.files.iter_mut().find(|f| f.is_new()) else {
        return;
    };
    for (heading, text) in sections {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let marker = format!("## {heading}\n---\n");
        if let Some(at) = file.after.find(&marker) {
            let at = at + marker.len();
            file.after.insert_str(at, &format!("{text}\n"));
        }
    }
}

/// Show a submission's values (and its errors) in the form again.
fn refill(form: &mut Form, sub: &Submission, errors: &[Diagnostic]) -> Vec<String> {
    form.title = sub.title.clone().unwrap_or_default();
    form.create_missing = sub.create_missing;
    form.reviewed = sub.reviewed;
    if !sub.base.is_empty() {
        form.base.clone_from(&sub.base);
    }
    for (heading, text) in &mut form.sections {
        if let Some((_, t)) = sub.sections.iter().find(|(h, _)| h == heading) {
            text.clone_from(t);
        }
    }
    for f in &mut form.fields {
        f.values = sub
            .values
            .iter()
            .filter(|(k, _)| *k == f.name)
            .map(|(_, v)| v.clone())
            .collect();
    }
    let mut general = Vec::new();
    for e in errors {
        let text = match &e.help {
            Some(h) => format!("{} ({h})", e.message),
            None => e.message.clone(),
        };
        match form
            .fields
            .iter_mut()
            .find(|f| e.message.contains(&format!("`{}`", f.name)))
        {
            Some(f) => f.error = Some(text),
            None => general.push(text),
        }
    }
    general
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage {
    layout: crate::view::Layout,
    heading: String,
    action: String,
    form: Form,
    /// General errors and conflict messages.
    problems: Vec<String>,
    warnings: Vec<String>,
    /// The plan's unified diff, when previewing.
    diff: String,
    summary: String,
}

impl FormField {
    pub fn id(&self) -> String {
        format!("f-{}", self.name)
    }
    pub fn has(&self, v: &str) -> bool {
        self.values.iter().any(|x| x == v)
    }
    pub fn first(&self) -> &str {
        self.values.first().map_or("", String::as_str)
    }
    pub fn joined(&self) -> String {
        self.values.join("\n")
    }
    pub fn kind(&self) -> &'static str {
        match &self.input {
            Input::Text => "text",
            Input::TextArea => "textarea",
            Input::Lines => "lines",
            Input::Number => "number",
            Input::Date => "date",
            Input::DateTime => "datetime",
            Input::Time => "time",
            Input::Toggle => "toggle",
            Input::Select { .. } => "select",
            Input::MultiSelect { .. } => "multiselect",
            Input::Grouped { .. } => "grouped",
            Input::Link { .. } => "link",
        }
    }
    /// Values that are not among the options (kept so saving does not drop them).
    pub fn extra_values(&self) -> Vec<String> {
        let known: Vec<&String> = match &self.input {
            Input::Grouped { groups, .. } => groups.iter().flat_map(|(_, o)| o.iter()).collect(),
            Input::Select { options } | Input::MultiSelect { options } => options.iter().collect(),
            Input::Link { choices, .. } => choices.iter().collect(),
            _ => Vec::new(),
        };
        self.values
            .iter()
            .filter(|v| !known.contains(v))
            .cloned()
            .collect()
    }
}

fn form_page(
    state: &AppState,
    site: &Site,
    status: StatusCode,
    heading: String,
    action: String,
    form: Form,
) -> FormPageBuilder {
    FormPageBuilder {
        status,
        page: FormPage {
            layout: layout(state, site, &heading),
            heading,
            action,
            form,
            problems: Vec::new(),
            warnings: Vec::new(),
            diff: String::new(),
            summary: String::new(),
        },
    }
}

struct FormPageBuilder {
    status: StatusCode,
    page: FormPage,
}

impl FormPageBuilder {
    fn finish(self) -> Response {
        Page(self.status, self.page.render()).into_response()
    }
}

pub fn new_form(state: &AppState, class: &str, prefill: &[(String, String)]) -> Page {
    let site = state.site();
    let Some(c) = site.class(class) else {
        return message_page(
            state,
            StatusCode::NOT_FOUND,
            "No such type",
            &format!("The vault has no type named “{class}”."),
        );
    };
    let mut form = build(&site, c, None);
    for (k, v) in prefill {
        if k == "title" {
            form.title.clone_from(v);
        } else if let Some(f) = form.fields.iter_mut().find(|f| f.name == *k) {
            f.values.push(v.clone());
        }
    }
    let b = form_page(
        state,
        &site,
        StatusCode::OK,
        format!("New {}", c.short_name()),
        href::new_note(c.short_name()),
        form,
    );
    Page(b.status, b.page.render())
}

pub fn edit_form(state: &AppState, path: &str) -> Page {
    let site = state.site();
    let Some(i) = site.entry_by_path(path) else {
        return message_page(
            state,
            StatusCode::NOT_FOUND,
            "No such note",
            &format!("There is no note at “{path}”."),
        );
    };
    let Some(c) = site.class_of(i) else {
        return message_page(
            state,
            StatusCode::NOT_FOUND,
            "No form for this note",
            "The note has no type, so there is no form for it.",
        );
    };
    let form = build(&site, c, Some(i));
    let b = form_page(
        state,
        &site,
        StatusCode::OK,
        format!("Edit {}", site.entries[i].name),
        href::edit(&site.entries[i].path),
        form,
    );
    Page(b.status, b.page.render())
}

/// Show the plan (preview or refusal) in the form.
fn show_plan(mut b: FormPageBuilder, sub: &Submission, plan: &Plan) -> Response {
    let errors: Vec<Diagnostic> = plan.errors().cloned().collect();
    b.page.problems = refill(&mut b.page.form, sub, &errors);
    b.page.warnings = plan.warnings().map(|w| w.message.clone()).collect();
    if !plan.is_refused() {
        b.page.diff = plan.diff();
        b.page.summary.clone_from(&plan.summary);
    }
    if plan.is_refused() {
        b.status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    b.finish()
}

/// Commit `plan`, reload, and go to `goto`; a conflict or failure comes back in the form.
async fn commit_plan(
    state: &AppState,
    plan: Plan,
    mut b: FormPageBuilder,
    sub: &Submission,
    goto: String,
) -> Response {
    let _writing = state.0.writing.lock().await;
    let root = state.0.root.clone();
    let s = state.clone();
    let result = tokio::task::spawn_blocking(move || {
        let committed = attune_engine::commit::commit(&root, &plan);
        if committed.is_ok() {
            // Load what was written now, so the watcher's echo finds nothing new.
            let written: Vec<std::path::PathBuf> =
                plan.files.iter().map(|f| f.path.clone().into()).collect();
            let _ = s.refresh(Origin::Attune, &written);
        }
        committed.map(|_| ())
    })
    .await;
    match result {
        Ok(Ok(())) => Redirect::to(&goto).into_response(),
        Ok(Err(EditError::Refused(errors))) => {
            b.page.problems = refill(&mut b.page.form, sub, &errors);
            b.status = StatusCode::UNPROCESSABLE_ENTITY;
            b.finish()
        }
        Ok(Err(e)) => {
            refill(&mut b.page.form, sub, &[]);
            b.page.problems = vec![format!(
                "Not saved: {e}. The file changed on disk while you were editing (or could not be written); nothing was written. Reload the page to see the current note, then make your change again."
            )];
            b.status = StatusCode::CONFLICT;
            b.finish()
        }
        Err(e) => {
            b.page.problems = vec![format!("Not saved: {e}")];
            b.status = StatusCode::INTERNAL_SERVER_ERROR;
            b.finish()
        }
    }
}

pub async fn new_submit(state: &AppState, class: &str, body: &str) -> Response {
    let site = state.site();
    let Some(c) = site.class(class) else {
        return message_page(
            state,
            StatusCode::NOT_FOUND,
            "No such type",
            &format!("The vault has no type named “{class}”."),
        )
        .into_response();
    };
    let form = build(&site, c, None);
    let sub = read_submission(&form, body);
    let request = NewNote {
        class: c.short_name().to_owned(),
        title: sub.title.clone(),
        values: sub.values.clone(),
        create_missing: sub.create_missing,
    };
    let mut plan = plan_create(&site.ws, &request, &Now::local());
    fill_sections(&mut plan, &sub.sections);
    let b = form_page(
        state,
        &site,
        StatusCode::OK,
        format!("New {}", c.short_name()),
        href::new_note(c.short_name()),
        form,
    );
    if sub.action == "preview" || plan.is_refused() {
        return show_plan(b, &sub, &plan);
    }
    let goto = plan
        .created()
        .next()
        .map(href::note)
        .unwrap_or_else(|| href::class(c.short_name()));
    commit_plan(state, plan, b, &sub, goto).await
}

pub async fn edit_submit(state: &AppState, path: &str, body: &str) -> Response {
    let site = state.site();
    let Some(i) = site.entry_by_path(path) else {
        return message_page(
            state,
            StatusCode::NOT_FOUND,
            "No such note",
            &format!("There is no note at “{path}”."),
        )
        .into_response();
    };
    let Some(c) = site.class_of(i) else {
        return message_page(
            state,
            StatusCode::NOT_FOUND,
            "No form for this note",
            "The note has no type.",
        )
        .into_response();
    };
    let form = build(&site, c, Some(i));
    let sub = read_submission(&form, body);
    let note_path = site.entries[i].path.clone();
    let mut b = form_page(
        state,
        &site,
        StatusCode::OK,
        format!("Edit {}", site.entries[i].name),
        href::edit(&note_path),
        form.clone(),
    );
    if !sub.base.is_empty() && sub.base != form.base {
        refill(&mut b.page.form, &sub, &[]);
        b.page.problems = vec![
            "This note changed on disk after you opened the form (in Obsidian or another program). Nothing was written. Reload the page to edit the current version.".to_owned(),
        ];
        b.status = StatusCode::CONFLICT;
        return b.finish();
    }
    // Only the fields whose values changed are set; a toggle left unticked is false.
    let mut set = Vec::new();
    for f in &form.fields {
        let mut new: Vec<String> = sub
            .values
            .iter()
            .filter(|(k, _)| *k == f.name)
            .map(|(_, v)| v.clone())
            .collect();
        if f.input == Input::Toggle && new.is_empty() && !f.values.is_empty() {
            new.push("false".to_owned());
        }
        if new != f.values {
            if new.is_empty() {
                set.push((f.name.clone(), String::new()));
            }
            set.extend(new.into_iter().map(|v| (f.name.clone(), v)));
        }
    }
    let update = NoteUpdate {
        note: note_path.clone(),
        set,
        append: Vec::new(),
        remove: Vec::new(),
        reviewed: sub.reviewed,
    };
    let plan = plan_update(&site.ws, &update, &Now::local());
    if sub.action == "preview" || plan.is_refused() {
        return show_plan(b, &sub, &plan);
    }
    if plan.files.is_empty() {
        return Redirect::to(&href::note(&note_path)).into_response();
    }
    commit_plan(state, plan, b, &sub, href::note(&note_path)).await
}
