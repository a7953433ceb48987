//! Typed validation of one note's frontmatter against its class: unknown and renamed
//! fields, values of the wrong type, values outside their option list or their group.

use attune_syntax::frontmatter::{Field, FieldAt, Frontmatter};
use attune_syntax::{Diagnostic, Severity, Span, Value};

use crate::field::{FieldDef, FieldType, normalize_option, option_matches};
use crate::schema::{Class, Schema};
use crate::suggest::closest_name;

/// How many options a help line lists before "…".
const LIST_IN_HELP: usize = 12;

impl Schema {
    /// Check the fields of `frontmatter`, of the note at `path`, whose class is `class` (full or
    /// short name; `None` when the note has no class: then only the global class's fields are
    /// checked and unknown keys are not reported).
    ///
    /// Findings: `schema/unknown-field`, `schema/legacy-field`, `schema/type-mismatch`,
    /// `schema/value-not-in-list`, `schema/group-mismatch`. Empty values are never findings.
    pub fn validate_note(
        &self,
        class: Option<&str>,
        frontmatter: &Frontmatter,
        path: &str,
    ) -> Vec<Diagnostic> {
        let fields = &frontmatter.fields[..];
        let class = class.and_then(|c| self.class(c));
        let global = self.global_class();
        let mut out = Vec::new();
        for field in frontmatter.iter() {
            let key = field.key.trim();
            if key == self.settings.file_class_alias
                || self
                    .settings
                    .globally_ignored_fields
                    .iter()
                    .any(|f| f == key)
            {
                continue;
            }
            let def = class
                .and_then(|c| c.field(key))
                .or_else(|| global.and_then(|g| g.field(key)))
                .map(|f| &f.def);
            let Some(def) = def else {
                self.report_unknown(class, &field, key, fields, path, &mut out);
                continue;
            };
            check_type(def, field, path, &mut out);
            let in_list = check_options(def, field, path, &mut out);
            if let Some(class) = class
                && in_list
            {
                check_group(class, def, field, frontmatter, path, &mut out);
            }
        }
        out
    }

    fn report_unknown(
        &self,
        class: Option<&Class>,
        field: &FieldAt<'_>,
        key: &str,
        fields: &[Field],
        path: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        if let Some(new) = self.alias(class, key) {
            let has_new = fields.iter().any(|f| f.key.trim() == new);
            let help = if has_new {
                format!("the note also has `{new}`: move these values there and delete `{key}`")
            } else {
                format!("rename the key to `{new}`")
            };
            out.push(
                Diagnostic::warning(
                    "schema/legacy-field",
                    format!("`{key}` is the old name of `{new}`"),
                )
                .with_path(path)
                .with_span(field.key_span)
                .with_help(help),
            );
            return;
        }
        let Some(class) = class else { return };
        let known: Vec<&str> = class
            .fields
            .iter()
            .map(|f| f.def.name.as_str())
            .chain(
                self.global_class()
                    .into_iter()
                    .flat_map(|g| g.fields.iter().map(|f| f.def.name.as_str())),
            )
            .collect();
        let help = match closest_name(key, known) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "add `{key}` to the fileClass `{}`, or remove it from the note",
                class.short_name()
            ),
        };
        out.push(
            Diagnostic::warning(
                "schema/unknown-field",
                format!("`{key}` is not a field of `{}`", class.short_name()),
            )
            .with_path(path)
            .with_span(field.key_span)
            .with_help(help),
        );
    }
}

/// A field with its spans and those of its list items.
type Located<'a> = FieldAt<'a>;

/// The non-empty values of a field with the span of each (empty strings and nulls dropped).
fn items(located: Located<'_>) -> Vec<(&Value, Span)> {
    let (field, item_spans) = (located.field, located.item_spans());
    let values: Vec<&Value> = match &field.value {
        Value::List(list) => list.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    };
    let spans_line_up = matches!(field.value, Value::List(_)) && item_spans.len() == values.len();
    values
        .into_iter()
        .enumerate()
        .filter(|(_, v)| !is_empty(v))
        .map(|(i, v)| {
            (
                v,
                if spans_line_up {
                    item_spans[i]
                } else {
                    located.value_span
                },
            )
        })
        .collect()
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Text(t) => t.trim().is_empty(),
        Value::List(l) => l.iter().all(is_empty),
        _ => false,
    }
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Text(t) => Some(t.trim().to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn mismatch(
    severity: Severity,
    path: &str,
    span: Span,
    message: String,
    help: String,
) -> Diagnostic {
    Diagnostic::new("schema/type-mismatch", severity, message)
        .with_path(path)
        .with_span(span)
        .with_help(help)
}

fn check_type(def: &FieldDef, located: Located<'_>, path: &str, out: &mut Vec<Diagnostic>) {
    let field = located;
    let name = &def.name;
    let kind = def.field_type.as_str();
    let values = items(located);
    if def.field_type.is_single_value() && values.len() > 1 {
        out.push(mismatch(
            Severity::Warning,
            path,
            field.value_span,
            format!(
                "`{name}` holds {} values, but a {kind} field holds one",
                values.len()
            ),
            format!(
                "keep one value, or change the field's type in its fileClass to {}",
                multi_of(&def.field_type)
            ),
        ));
        return;
    }
    if def.field_type.is_link() {
        let plain: Vec<&str> = values
            .iter()
            .filter_map(|(v, _)| {
                if let Value::Text(t) = v {
                    Some(t.trim())
                } else {
                    None
                }
            })
            .collect();
        if let Some(first) = plain.first() {
            let (message, help) = if plain.len() == 1 {
                (
                    format!(
                        "`{name}` is a {kind} field but holds plain text `{first}`, not a link"
                    ),
                    format!("write it as a link: \"[[{first}]]\""),
                )
            } else {
                (
                    format!(
                        "`{name}` is a {kind} field but holds {} plain texts, not links (`{first}`, …)",
                        plain.len()
                    ),
                    format!("write each value as a link: [\"[[{first}]]\", …]"),
                )
            };
            out.push(mismatch(
                Severity::Warning,
                path,
                field.value_span,
                message,
                help,
            ));
        }
        return;
    }
    for (value, span) in values {
        match def.field_type {
            FieldType::Number => {
                let ok = match value {
                    Value::Int(_) | Value::Float(_) => true,
                    Value::Text(t) => t.trim().parse::<f64>().is_ok(),
                    _ => false,
                };
                if !ok {
                    out.push(mismatch(
                        Severity::Error,
                        path,
                        span,
                        format!("`{name}` is a Number field but holds {}", describe(value)),
                        "write a number such as 3 or 2.5".to_string(),
                    ));
                }
            }
            FieldType::Boolean => {
                let ok = match value {
                    Value::Bool(_) => true,
                    Value::Text(t) => matches!(t.trim().to_lowercase().as_str(), "true" | "false"),
                    _ => false,
                };
                if !ok {
                    out.push(mismatch(
                        Severity::Error,
                        path,
                        span,
                        format!("`{name}` is a Boolean field but holds {}", describe(value)),
                        "write true or false".to_string(),
                    ));
                }
            }
            _ => {}
        }
    }
}

fn multi_of(t: &FieldType) -> &'static str {
    match t {
        FieldType::File => "MultiFile",
        FieldType::Select | FieldType::Cycle => "Multi",
        _ => "a list type",
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Text(t) => format!("the text `{}`", t.trim()),
        Value::Link(l) => format!("the link `[[{}]]`", l.target),
        Value::List(_) => "a list".to_string(),
        Value::Map(_) => "a mapping".to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Int(i) => format!("`{i}`"),
        Value::Float(f) => format!("`{f}`"),
        Value::Null => "nothing".to_string(),
    }
}

fn list_help(options: &[String]) -> String {
    let shown: Vec<&str> = options
        .iter()
        .take(LIST_IN_HELP)
        .map(String::as_str)
        .collect();
    let more = if options.len() > LIST_IN_HELP {
        ", …"
    } else {
        ""
    };
    format!("{}{more}", shown.join(", "))
}

/// Report values outside the field's closed option list. Returns `true` when every value is
/// in the list (or there is no closed list), so group checks do not repeat the finding.
fn check_options(
    def: &FieldDef,
    located: Located<'_>,
    path: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let Some(options) = def.closed_options() else {
        return true;
    };
    let mut all_in = true;
    for (value, span) in items(located) {
        let Some(text) = text_of(value) else { continue };
        if option_matches(options, &text) {
            continue;
        }
        all_in = false;
        let help = match closest_option(options, &text) {
            Some(best) => format!(
                "did you mean `{best}`? the options of `{}` are: {}",
                def.name,
                list_help(options)
            ),
            None => format!("the options of `{}` are: {}", def.name, list_help(options)),
        };
        out.push(
            Diagnostic::warning(
                "schema/value-not-in-list",
                format!("`{text}` is not an option of `{}`", def.name),
            )
            .with_path(path)
            .with_span(span)
            .with_help(help),
        );
    }
    all_in
}

fn closest_option<'a>(options: &'a [String], text: &str) -> Option<&'a str> {
    let wanted = normalize_option(text);
    options
        .iter()
        .find(|o| normalize_option(o).to_lowercase() == wanted.to_lowercase())
        .map(String::as_str)
        .or_else(|| closest_name(text, options.iter().map(String::as_str)))
}

fn check_group(
    class: &Class,
    def: &FieldDef,
    located: Located<'_>,
    frontmatter: &Frontmatter,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(rule) = class.group_rule(&def.name) else {
        return;
    };
    let Some(group_field) = frontmatter.iter().find(|f| f.key.trim() == rule.by) else {
        return;
    };
    let groups: Vec<String> = items(group_field)
        .into_iter()
        .filter_map(|(v, _)| text_of(v))
        .collect();
    let [group] = groups.as_slice() else { return };
    let Some(allowed) = rule.options_for(group) else {
        return;
    };
    for (value, span) in items(located) {
        let Some(text) = text_of(value) else { continue };
        let wanted = normalize_option(&text).to_lowercase();
        if allowed
            .iter()
            .any(|o| normalize_option(o).to_lowercase() == wanted)
        {
            continue;
        }
        let homes: Vec<&str> = rule
            .options
            .iter()
            .filter(|(_, opts)| {
                opts.iter()
                    .any(|o| normalize_option(o).to_lowercase() == wanted)
            })
            .map(|(g, _)| g.as_str())
            .collect();
        let help = if homes.is_empty() {
            format!("the group `{group}` allows: {}", list_help(allowed))
        } else {
            format!(
                "`{text}` belongs to {}; change `{}`, or pick one of: {}",
                homes
                    .iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                rule.by,
                list_help(allowed)
            )
        };
        out.push(
            Diagnostic::warning(
                "schema/group-mismatch",
                format!(
                    "`{text}` is not a `{}` of the `{}` group `{group}`",
                    def.name, rule.by
                ),
            )
            .with_path(path)
            .with_span(span)
            .with_help(help),
        );
    }
}
