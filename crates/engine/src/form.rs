//! The form of a class, derived from its schema: each field with its type, its options (a
//! closed list, or the options of the chosen group), the classes a link field points to, and
//! whether it must be filled. [`Form::read_values`] turns what a person typed
//! (`trigger_group=Relational`) into values to write, refusing with one message per field.

use attune_schema::field::normalize_option;
use attune_schema::{Class, FieldType, GroupRule};
use attune_syntax::edit::EditValue;
use attune_syntax::{Diagnostic, LinkTarget, Value};

use crate::naming::key;
use crate::workspace::{LinkResolution, Workspace};

/// How many options a message lists before "…".
const SHOWN_OPTIONS: usize = 24;

/// One field of a form.
#[derive(Clone, Debug, PartialEq)]
pub struct FormField {
    pub name: String,
    pub field_type: FieldType,
    /// Several values (Multi, MultiFile, …) or one.
    pub multiple: bool,
    /// The closed option list; empty when any value goes.
    pub options: Vec<String>,
    /// The group field that decides this field's options, with every group's options.
    pub group: Option<GroupRule>,
    /// Full names of the classes a link field's notes belong to (empty: any note).
    pub link_targets: Vec<String>,
    /// The field must be filled to create a note (its naming pattern uses it).
    pub required: bool,
}

impl FormField {
    /// The options allowed given the group value chosen (`None`: no group rule, or the group
    /// is not in its map).
    pub fn options_for_group(&self, group: &str) -> Option<&[String]> {
        self.group.as_ref()?.options_for(group)
    }
}

/// The form of one class.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// Full class name.
    pub class: String,
    pub short_name: String,
    /// In the class's field order (own fields first, then inherited, then the global class's).
    pub fields: Vec<FormField>,
}

/// A value read from the form for one field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldValue {
    pub field: String,
    pub value: EditValue,
    /// Link targets that name no note yet, for `--create-missing` (name, target classes).
    pub missing_links: Vec<(String, Vec<String>)>,
    /// Notes this value links to (vault-relative paths).
    pub linked: Vec<String>,
}

impl Form {
    /// Derive the form of `class` from the workspace's schema.
    pub fn of(ws: &Workspace, class: &Class) -> Form {
        let required = required_fields(class);
        let mut fields: Vec<FormField> = Vec::new();
        let global = ws
            .schema
            .global_class()
            .filter(|g| g.name() != class.name());
        let defs = class.fields.iter().map(|f| &f.def).chain(
            global
                .into_iter()
                .flat_map(|g| g.fields.iter().map(|f| &f.def)),
        );
        for def in defs {
            if fields.iter().any(|f| f.name == def.name) || !def.path.is_empty() {
                continue;
            }
            let link_targets: Vec<String> = ws
                .schema
                .relation_target_classes(class.name(), &def.name)
                .iter()
                .map(|c| c.name().to_owned())
                .collect();
            fields.push(FormField {
                name: def.name.clone(),
                field_type: def.field_type.clone(),
                multiple: !def.field_type.is_single_value(),
                options: def
                    .closed_options()
                    .map(<[String]>::to_vec)
                    .unwrap_or_default(),
                group: class.group_rule(&def.name).cloned(),
                link_targets,
                required: required.contains(&def.name),
            });
        }
        Form {
            class: class.name().to_owned(),
            short_name: class.short_name().to_owned(),
            fields,
        }
    }

    pub fn field(&self, name: &str) -> Option<&FormField> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Read `inputs` (field name, typed text; a field may repeat to give several values) for
    /// the note at `path`. `current` gives a field's value already in the note (for the group
    /// of a type field set alone). Errors are returned per field, all of them.
    pub fn read_values(
        &self,
        ws: &Workspace,
        inputs: &[(String, String)],
        current: &dyn Fn(&str) -> Option<String>,
        path: &str,
    ) -> (Vec<FieldValue>, Vec<Diagnostic>) {
        let mut out: Vec<FieldValue> = Vec::new();
        let mut errors = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        for (name, _) in inputs {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        for name in names {
            let texts: Vec<&str> = inputs
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, t)| t.as_str())
                .collect();
            let Some(field) = self.field(name) else {
                let known: Vec<&str> = self.fields.iter().map(|f| f.name.as_str()).collect();
                let help = match closest(name, &known) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("the fields of `{}` are: {}", self.short_name, shown(&known)),
                };
                errors.push(field_error(
                    "form/unknown-field",
                    path,
                    format!("`{name}` is not a field of `{}`", self.short_name),
                    help,
                ));
                continue;
            };
            let group_value = field.group.as_ref().and_then(|g| {
                inputs
                    .iter()
                    .rev()
                    .find(|(n, _)| *n == g.by)
                    .map(|(_, t)| t.trim().to_owned())
                    .or_else(|| current(&g.by))
            });
            match self.read_field(ws, field, &texts, group_value.as_deref(), path) {
                Ok(v) => out.push(v),
                Err(e) => errors.extend(e),
            }
        }
        (out, errors)
    }

    fn read_field(
        &self,
        ws: &Workspace,
        field: &FormField,
        texts: &[&str],
        group: Option<&str>,
        path: &str,
    ) -> Result<FieldValue, Vec<Diagnostic>> {
        let name = &field.name;
        let mut errors = Vec::new();
        let mut items: Vec<EditValue> = Vec::new();
        let mut missing_links = Vec::new();
        let mut linked = Vec::new();
        let texts: Vec<&str> = texts
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        if !field.multiple && texts.len() > 1 {
            return Err(vec![field_error(
                "form/several-values",
                path,
                format!("`{name}` holds one value, but {} were given", texts.len()),
                format!("give `{name}` once"),
            )]);
        }
        // The options of a grouped field come from its group.
        let group_options: Option<Vec<String>> = match (&field.group, group) {
            (Some(rule), Some(g)) if !g.is_empty() => match rule.options_for(g) {
                Some(o) => Some(o.to_vec()),
                None => {
                    let groups: Vec<&str> = rule.options.iter().map(|(g, _)| g.as_str()).collect();
                    errors.push(field_error(
                        "form/unknown-group",
                        path,
                        format!("`{g}` is not a group of `{name}` (set by `{}`)", rule.by),
                        format!("the groups are: {}", shown(&groups)),
                    ));
                    return Err(errors);
                }
            },
            (Some(rule), _) if !texts.is_empty() && !rule.options.is_empty() => {
                errors.push(field_error(
                    "form/group-missing",
                    path,
                    format!("`{name}` depends on `{}`, which is not set", rule.by),
                    format!(
                        "set `{}` too (the group is never guessed from the type)",
                        rule.by
                    ),
                ));
                return Err(errors);
            }
            _ => None,
        };
        for text in texts {
            if field.field_type.is_link() {
                for target in link_targets_in(text) {
                    match ws.resolve_link(&target, &field.link_targets) {
                        LinkResolution::Note { path: p, link } => {
                            linked.push(p);
                            items.push(EditValue::Link(link));
                        }
                        LinkResolution::Missing => {
                            missing_links.push((target.clone(), field.link_targets.clone()));
                            items.push(EditValue::Link(target));
                        }
                        LinkResolution::Ambiguous(candidates) => errors.push(field_error(
                            "form/ambiguous-link",
                            path,
                            format!(
                                "`{name}`: [[{target}]] could mean {} notes",
                                candidates.len()
                            ),
                            format!(
                                "write the path: {}",
                                candidates
                                    .iter()
                                    .map(|c| format!("[[{}]]", c.trim_end_matches(".md")))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )),
                    }
                }
                continue;
            }
            let value = match &field.field_type {
                FieldType::Number => match text.parse::<i64>() {
                    Ok(i) => EditValue::Int(i),
                    Err(_) => match text.parse::<f64>() {
                        Ok(f) if f.is_finite() => EditValue::Float(f),
                        _ => {
                            errors.push(field_error(
                                "form/not-a-number",
                                path,
                                format!("`{name}` is a number, not `{text}`"),
                                "write a number such as 3 or 2.5".into(),
                            ));
                            continue;
                        }
                    },
                },
                FieldType::Boolean => match text.to_lowercase().as_str() {
                    "true" | "yes" => EditValue::Bool(true),
                    "false" | "no" => EditValue::Bool(false),
                    _ => {
                        errors.push(field_error(
                            "form/not-a-boolean",
                            path,
                            format!("`{name}` is true or false, not `{text}`"),
                            "write true or false".into(),
                        ));
                        continue;
                    }
                },
                _ => {
                    let options = group_options.as_deref().unwrap_or(&field.options);
                    if options.is_empty() {
                        EditValue::Scalar(text.to_owned())
                    } else {
                        match canonical_option(options, text) {
                            Some(o) => EditValue::Scalar(o.to_owned()),
                            None => {
                                let (code, message) = match (group_options.is_some(), group) {
                                    (true, Some(g)) => (
                                        "form/not-in-group",
                                        format!(
                                            "`{text}` is not a `{name}` of the group `{g}`{}",
                                            homes(field, text)
                                                .map(|h| format!(" (it belongs to {h})"))
                                                .unwrap_or_default()
                                        ),
                                    ),
                                    _ => (
                                        "form/not-an-option",
                                        format!("`{text}` is not an option of `{name}`"),
                                    ),
                                };
                                let allowed: Vec<&str> =
                                    options.iter().map(String::as_str).collect();
                                let help = match (group_options.is_some(), group) {
                                    (true, Some(g)) => format!(
                                        "the types allowed for {g} are: {}",
                                        shown(&allowed)
                                    ),
                                    _ => format!("the options are: {}", shown(&allowed)),
                                };
                                errors.push(field_error(code, path, message, help));
                                continue;
                            }
                        }
                    }
                }
            };
            items.push(value);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let value = if field.multiple {
            EditValue::List(items)
        } else {
            items.into_iter().next().unwrap_or(EditValue::Null)
        };
        Ok(FieldValue {
            field: name.clone(),
            value,
            missing_links,
            linked,
        })
    }
}

fn field_error(code: &'static str, path: &str, message: String, help: String) -> Diagnostic {
    Diagnostic::error(code, message)
        .with_path(path)
        .with_help(help)
}

/// Fields a class's naming pattern needs (`{scenario}`), and the field a `{session}` stands for.
fn required_fields(class: &Class) -> Vec<String> {
    let mut out = Vec::new();
    let patterns: Vec<&str> = match &class.rules.naming {
        Some(attune_schema::Naming::Pattern(p)) => vec![p.as_str()],
        Some(attune_schema::Naming::ByField { field, patterns }) => {
            out.push(field.clone());
            patterns.iter().map(|(_, p)| p.as_str()).collect()
        }
        _ => Vec::new(),
    };
    for p in patterns {
        for placeholder in attune_schema::Naming::placeholders(p) {
            if let Some(f) = placeholder_field(class, placeholder)
                && !out.contains(&f)
            {
                out.push(f);
            }
        }
    }
    out
}

/// The field a naming placeholder stands for: a field of that name, or a link field whose
/// name ends with it (`{session}` → `practice_session`). `None` for `{n}`, `{date}`, `{time}`.
pub fn placeholder_field(class: &Class, placeholder: &str) -> Option<String> {
    if matches!(placeholder, "n" | "date" | "time") {
        return None;
    }
    if class.field(placeholder).is_some() {
        return Some(placeholder.to_owned());
    }
    class
        .fields
        .iter()
        .find(|f| f.def.field_type.is_link() && f.def.name.ends_with(&format!("_{placeholder}")))
        .map(|f| f.def.name.clone())
        .or_else(|| Some(placeholder.to_owned()))
}

/// The `[[targets]]` in `text`, or `text` itself as one target when it holds no link.
pub fn link_targets_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("[[") {
        let Some(close) = rest[open..].find("]]") else {
            break;
        };
        let inner = &rest[open + 2..open + close];
        out.push(LinkTarget::parse(inner).target.trim().to_owned());
        rest = &rest[open + close + 2..];
    }
    if out.is_empty() && !text.trim().is_empty() {
        out.push(LinkTarget::parse(text.trim()).target.trim().to_owned());
    }
    out.retain(|t| !t.is_empty());
    out
}

/// The option `text` means: the same option (NFC, U+FE0F, case ignored), or the option whose
/// words after a leading emoji are `text` (`complete` → `🟩 complete`).
pub fn canonical_option<'a>(options: &'a [String], text: &str) -> Option<&'a str> {
    let wanted = key(&normalize_option(text));
    options
        .iter()
        .find(|o| key(&normalize_option(o)) == wanted)
        .or_else(|| {
            options.iter().find(|o| {
                let n = normalize_option(o);
                n.split_once(' ').is_some_and(|(head, tail)| {
                    !head.chars().any(char::is_alphanumeric) && key(tail.trim()) == wanted
                })
            })
        })
        .map(String::as_str)
}

/// The groups whose options include `text`, as "`A`, `B`".
fn homes(field: &FormField, text: &str) -> Option<String> {
    let rule = field.group.as_ref()?;
    let found: Vec<String> = rule
        .options
        .iter()
        .filter(|(_, o)| canonical_option(o, text).is_some())
        .map(|(g, _)| format!("`{g}`"))
        .collect();
    (!found.is_empty()).then(|| found.join(", "))
}

fn shown(items: &[&str]) -> String {
    let mut s = items
        .iter()
        .take(SHOWN_OPTIONS)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN_OPTIONS {
        s.push_str(", …");
    }
    s
}

fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &k.to_lowercase()),
                *k,
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The text of a frontmatter value as a form shows it (`None` when empty).
pub fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Text(t) => Some(t.trim().to_owned()).filter(|t| !t.is_empty()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Link(l) => Some(l.target.to_string()),
        Value::List(items) => items.iter().find_map(value_text),
        Value::Map(_) => None,
    }
}
