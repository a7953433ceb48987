//! Create and edit forms, generated from the schema: selects and multi-selects from option
//! lists, group → type selects (the type list follows the chosen group), link pickers over
//! the notes of the relation's target classes, toggles, dates, numbers, text areas for the
//! body sections of a new note.
//!
//! Submitting goes through the engine's plan → preview → commit (issue 6). Until the
//! engine's create/update API exists, a submission is refused with a clear message; nothing
//! is written by any other path.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use attune_schema::{Class, FieldType, OptionSource};
use attune_syntax::Value;

use crate::pages::{Page, layout, message_page};
use crate::site::Site;
use crate::state::AppState;
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
];

/// How a field is entered.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Input {
    Text,
    TextArea,
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
    pub error: Option<String>,
}

/// A whole form.
#[derive(Clone, Debug, Serialize)]
pub struct Form {
    pub class: String,
    /// `None` for a new note.
    pub path: Option<String>,
    pub fields: Vec<FormField>,
    /// Body sections a new note gets (headings), each a text area.
    pub sections: Vec<String>,
}

/// Can notes of this class be created here (it has a folder to put them in)?
pub fn can_create(_site: &Site, class: &Class) -> bool {
    class.rules.folder.is_some() || !class.file_class.files_paths.is_empty()
}

fn options_of(site: &Site, class: &Class, field: &attune_schema::FieldDef) -> Vec<String> {
    match &field.options {
        OptionSource::Inline(o) => o.clone(),
        OptionSource::Note(list) => {
            let mut all = list.values.clone().unwrap_or_default();
            for (_, vals) in &list.groups {
                all.extend(vals.iter().cloned());
            }
            all
        }
        OptionSource::Query(_) | OptionSource::None => {
            let _ = (site, class);
            Vec::new()
        }
    }
}

/// The form for a class; `entry` fills in the values of an existing note.
pub fn build(site: &Site, class: &Class, entry: Option<usize>) -> Form {
    let mut fields = Vec::new();
    for f in &class.fields {
        let def = &f.def;
        if MANAGED.contains(&def.name.as_str()) {
            continue;
        }
        let multiple = !def.field_type.is_single_value();
        let input = if let Some(rule) = class.group_rule(&def.name) {
            Input::Grouped {
                by: rule.by.clone(),
                groups: rule.options.clone(),
                multiple,
            }
        } else if def.field_type.is_link() || class.relation(&def.name).is_some() {
            let targets = site.schema.relation_target_classes(class.name(), &def.name);
            let mut choices: Vec<String> = targets
                .iter()
                .flat_map(|c| site.entries_of(c.name()))
                .map(|i| site.entries[i].name.clone())
                .collect();
            choices.sort_by_key(|n| n.to_lowercase());
            choices.dedup();
            Input::Link {
                classes: targets.iter().map(|c| c.short_name().to_owned()).collect(),
                choices,
                multiple,
            }
        } else {
            match &def.field_type {
                FieldType::Boolean => Input::Toggle,
                FieldType::Number => Input::Number,
                FieldType::Date => Input::Date,
                FieldType::DateTime => Input::DateTime,
                FieldType::Time => Input::Time,
                FieldType::Select | FieldType::Cycle => Input::Select {
                    options: options_of(site, class, def),
                },
                FieldType::Multi => Input::MultiSelect {
                    options: options_of(site, class, def),
                },
                FieldType::MultiFile | FieldType::MultiMedia | FieldType::ObjectList => {
                    Input::TextArea
                }
                _ if def.name == "notes" || def.name == "definition" || def.name == "mechanism" => {
                    Input::TextArea
                }
                _ => Input::Text,
            }
        };
        let values = entry
            .and_then(|i| site.field(i, &def.name))
            .map(field_values)
            .unwrap_or_default();
        fields.push(FormField {
            name: def.name.clone(),
            input,
            values,
            error: None,
        });
    }
    Form {
        class: class.short_name().to_owned(),
        path: entry.map(|i| site.entries[i].path.clone()),
        fields,
        sections: if entry.is_none() {
            class.rules.body.clone()
        } else {
            Vec::new()
        },
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

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage {
    layout: crate::view::Layout,
    heading: String,
    action: String,
    form: Form,
    notice: String,
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
    pub fn options(&self) -> Vec<String> {
        match &self.input {
            Input::Select { options } | Input::MultiSelect { options } => options.clone(),
            Input::Link { choices, .. } => choices.clone(),
            _ => Vec::new(),
        }
    }
    pub fn groups(&self) -> Vec<(String, Vec<String>)> {
        match &self.input {
            Input::Grouped { groups, .. } => groups.clone(),
            _ => Vec::new(),
        }
    }
    pub fn group_by(&self) -> String {
        match &self.input {
            Input::Grouped { by, .. } => by.clone(),
            _ => String::new(),
        }
    }
    pub fn multiple(&self) -> bool {
        matches!(
            &self.input,
            Input::MultiSelect { .. }
                | Input::Grouped { multiple: true, .. }
                | Input::Link { multiple: true, .. }
        )
    }
    /// Values that are not among the options (kept so saving does not drop them).
    pub fn extra_values(&self) -> Vec<String> {
        let known: Vec<String> = match &self.input {
            Input::Grouped { groups, .. } => {
                groups.iter().flat_map(|(_, o)| o.iter().cloned()).collect()
            }
            _ => self.options(),
        };
        self.values
            .iter()
            .filter(|v| !known.contains(v))
            .cloned()
            .collect()
    }
}

/// Has the engine's create/update API landed? (It has not: see the module documentation.)
pub const ENGINE_WRITES: bool = false;

const NOT_YET: &str = "Saving needs attune's create/update engine (plan → preview → commit), which is not built into this version yet. Nothing was written.";

pub fn new_form(state: &AppState, class: &str) -> Page {
    let site = state.site();
    let Some(c) = site.class(class) else {
        return message_page(
            state,
            StatusCode::NOT_FOUND,
            "No such type",
            &format!("The vault has no type named “{class}”."),
        );
    };
    let form = build(&site, c, None);
    let page = FormPage {
        layout: layout(state, &site, &format!("New {}", c.short_name())),
        heading: format!("New {}", c.short_name()),
        action: crate::href::new_note(c.short_name()),
        form,
        notice: if ENGINE_WRITES {
            String::new()
        } else {
            NOT_YET.to_owned()
        },
    };
    Page(StatusCode::OK, page.render())
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
    let page = FormPage {
        layout: layout(state, &site, &format!("Edit {}", site.entries[i].name)),
        heading: format!("Edit {}", site.entries[i].name),
        action: crate::href::edit(&site.entries[i].path),
        form,
        notice: if ENGINE_WRITES {
            String::new()
        } else {
            NOT_YET.to_owned()
        },
    };
    Page(StatusCode::OK, page.render())
}

pub async fn new_submit(state: &AppState, class: &str, _body: &str) -> Response {
    if state.site().class(class).is_none() {
        return message_page(
            state,
            StatusCode::NOT_FOUND,
            "No such type",
            &format!("The vault has no type named “{class}”."),
        )
        .into_response();
    }
    message_page(state, StatusCode::NOT_IMPLEMENTED, "Not saved", NOT_YET).into_response()
}

pub async fn edit_submit(state: &AppState, path: &str, _body: &str) -> Response {
    if state.site().entry_by_path(path).is_none() {
        return message_page(
            state,
            StatusCode::NOT_FOUND,
            "No such note",
            &format!("There is no note at “{path}”."),
        )
        .into_response();
    }
    message_page(state, StatusCode::NOT_IMPLEMENTED, "Not saved", NOT_YET).into_response()
}
