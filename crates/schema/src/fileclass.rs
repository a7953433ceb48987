//! Reading one Metadata Menu fileClass note (its frontmatter) into a [`FileClass`].

use attune_syntax::{Diagnostic, Span, Value};

use crate::field::{FieldDef, FieldType, ListNote, OptionSource};
use crate::list_note::parse_list_note;
use crate::suggest::closest_path;
use crate::vault::VaultFiles;

/// One fileClass as written in its note (own fields only; see [`crate::Class`] for the
/// effective fields after `extends`).
#[derive(Clone, Debug, PartialEq)]
pub struct FileClass {
    /// Path below the schema folder without `.md`: `me/foundations/trigger/trigger`.
    pub name: String,
    /// The file name without `.md`: `trigger`. Notes use this in `fileClass:`.
    pub short_name: String,
    /// Vault-relative path of the fileClass note.
    pub path: String,
    /// Own fields, in `fieldsOrder` order (fields the order does not name follow in file order).
    pub fields: Vec<FieldDef>,
    /// `extends` as written (a full or short class name).
    pub extends: Option<String>,
    /// Inherited field names this class drops.
    pub excludes: Vec<String>,
    /// Folders whose notes belong to this class.
    pub files_paths: Vec<String>,
    /// Field ids in display order.
    pub fields_order: Vec<String>,
    pub map_with_tag: bool,
    pub tag_names: Vec<String>,
    pub icon: Option<String>,
}

/// Frontmatter keys that make a note under the schema folder a fileClass.
const FILECLASS_KEYS: &[&str] = &[
    "fields",
    "extends",
    "filesPaths",
    "fieldsOrder",
    "mapWithTag",
    "tagNames",
    "excludes",
];

/// Read the fileClass note at `path` (named `name`). Returns `None` when the note is not a
/// fileClass (a value-list note or a plain note kept in the schema folder).
pub(crate) fn read_file_class(
    name: &str,
    path: &str,
    text: &str,
    vault: &dyn VaultFiles,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<FileClass> {
    let note = attune_syntax::parse_note(text.as_bytes());
    let frontmatter = note.frontmatter.as_ref()?;
    if !frontmatter.valid {
        diagnostics.push(
            Diagnostic::error(
                "schema/invalid-fileclass",
                format!("the fileClass `{name}` has frontmatter that does not parse"),
            )
            .with_path(path)
            .with_span(frontmatter.yaml)
            .with_help("fix the YAML; until then this class has no fields"),
        );
        return None;
    }
    if !frontmatter
        .fields
        .iter()
        .any(|f| FILECLASS_KEYS.contains(&f.key.as_str()))
    {
        return None;
    }
    let get = |key: &str| frontmatter.get(key).map(|f| &f.value);
    let short_name = name.rsplit('/').next().unwrap_or(name).to_string();
    let mut class = FileClass {
        name: name.to_string(),
        short_name,
        path: path.to_string(),
        fields: Vec::new(),
        extends: get("extends")
            .and_then(scalar_text)
            .filter(|s| !s.is_empty()),
        excludes: get("excludes").map(text_list).unwrap_or_default(),
        // Folders compare with NFC vault paths, without leading or trailing `/`.
        files_paths: get("filesPaths")
            .map(text_list)
            .unwrap_or_default()
            .into_iter()
            .map(|p| {
                use unicode_normalization::UnicodeNormalization;
                p.trim().trim_matches('/').nfc().collect()
            })
            .collect(),
        fields_order: get("fieldsOrder").map(text_list).unwrap_or_default(),
        map_with_tag: matches!(get("mapWithTag"), Some(Value::Bool(true))),
        tag_names: get("tagNames").map(text_list).unwrap_or_default(),
        icon: get("icon").and_then(scalar_text).filter(|s| !s.is_empty()),
    };
    let fields_span = frontmatter
        .find("fields")
        .map(|f| f.value_span)
        .unwrap_or(frontmatter.yaml);
    if let Some(Value::List(items)) = get("fields") {
        for item in items {
            let Value::Map(entries) = item else { continue };
            if let Some(field) = read_field(&class, entries, text, fields_span, vault, diagnostics)
            {
                class.fields.push(field);
            }
        }
    }
    if !class.fields_order.is_empty() {
        let order = &class.fields_order;
        class.fields.sort_by_key(|f| {
            order
                .iter()
                .position(|id| *id == f.id)
                .unwrap_or(usize::MAX)
        });
    }
    Some(class)
}

fn entry<'v>(entries: &'v [(Box<str>, Value)], key: &str) -> Option<&'v Value> {
    entries.iter().find(|(k, _)| **k == *key).map(|(_, v)| v)
}

fn read_field(
    class: &FileClass,
    entries: &[(Box<str>, Value)],
    source: &str,
    within: Span,
    vault: &dyn VaultFiles,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<FieldDef> {
    let written = entry(entries, "name").and_then(scalar_text)?;
    let name = written.trim().to_string();
    let name_span = locate(source, within, &written);
    if name != written {
        let mut d = Diagnostic::warning(
            "schema/field-name-whitespace",
            format!(
                "the field `{written}` of fileClass `{}` has stray whitespace in its name",
                class.name
            ),
        )
        .with_path(&class.path)
        .with_help(format!(
            "attune reads it as `{name}`; rename the field in Metadata Menu to drop the spaces"
        ));
        if let Some(span) = name_span {
            d = d.with_span(span);
        }
        diagnostics.push(d);
    }
    let field_type = FieldType::parse(
        &entry(entries, "type")
            .and_then(scalar_text)
            .unwrap_or_default(),
    );
    let raw_options = entry(entries, "options").cloned().unwrap_or(Value::Null);
    let options = read_options(
        class,
        &name,
        &raw_options,
        source,
        within,
        vault,
        diagnostics,
    );
    Some(FieldDef {
        written_name: (name != written).then_some(written),
        name,
        field_type,
        id: entry(entries, "id")
            .and_then(scalar_text)
            .unwrap_or_default(),
        path: entry(entries, "path")
            .and_then(scalar_text)
            .unwrap_or_default(),
        options,
        raw_options,
    })
}

fn read_options(
    class: &FileClass,
    field: &str,
    options: &Value,
    source: &str,
    within: Span,
    vault: &dyn VaultFiles,
    diagnostics: &mut Vec<Diagnostic>,
) -> OptionSource {
    let Value::Map(entries) = options else {
        return OptionSource::None;
    };
    let source_type = entry(entries, "sourceType").and_then(scalar_text);
    let inline = || {
        entry(entries, "valuesList")
            .map(text_list)
            .unwrap_or_default()
    };
    match source_type.as_deref() {
        Some("ValuesList") => OptionSource::Inline(inline()),
        Some("ValuesListNotePath") => {
            let written = entry(entries, "valuesListNotePath")
                .and_then(scalar_text)
                .unwrap_or_default();
            let found = [written.clone(), format!("{written}.md")]
                .into_iter()
                .find_map(|p| vault.text(&p).map(|t| (p, t)));
            match found {
                Some((_, text)) => {
                    let parsed = parse_list_note(text);
                    OptionSource::Note(ListNote {
                        path: written,
                        values: Some(parsed.values),
                        groups: parsed.groups,
                    })
                }
                None if written.trim().is_empty() => OptionSource::Inline(inline()),
                None => {
                    let mut d = Diagnostic::warning(
                        "schema/missing-values-note",
                        format!(
                            "the field `{field}` of fileClass `{}` takes its values from `{written}`, which does not exist",
                            class.name
                        ),
                    )
                    .with_path(&class.path);
                    if let Some(span) = locate(source, within, &written) {
                        d = d.with_span(span);
                    }
                    let help = match closest_path(&written, Some(field), vault.paths()) {
                        Some(best) => format!("did you mean `{best}`? point `valuesListNotePath` at it, or create the note"),
                        None => "create the note (one value per line), or point `valuesListNotePath` at an existing one".to_string(),
                    };
                    diagnostics.push(d.with_help(help));
                    OptionSource::Note(ListNote {
                        path: written,
                        values: None,
                        groups: Vec::new(),
                    })
                }
            }
        }
        Some("ValuesFromDVQuery") => OptionSource::Query(
            entry(entries, "valuesFromDVQuery")
                .and_then(scalar_text)
                .unwrap_or_default(),
        ),
        Some(_) => OptionSource::None,
        None => match entry(entries, "valuesList") {
            Some(v) => OptionSource::Inline(text_list(v)),
            None => OptionSource::None,
        },
    }
}

/// The first occurrence of `needle` inside `within` in `source`.
fn locate(source: &str, within: Span, needle: &str) -> Option<Span> {
    if needle.is_empty() {
        return None;
    }
    let range = within.range();
    let haystack = source.get(range.clone())?;
    haystack
        .find(needle)
        .map(|at| Span::new(range.start + at, range.start + at + needle.len()))
}

/// A scalar as text (`Text`, numbers and booleans written out; links as `[[target]]`).
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Text(t) => Some(t.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Link(l) => Some(format!("[[{}]]", l.target)),
        _ => None,
    }
}

/// A list of texts from a list, a map's values (`valuesList: {"1": a}`) or a single scalar.
pub(crate) fn text_list(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |v: &Value| {
        if let Some(t) = scalar_text(v)
            && !t.trim().is_empty()
            && !out.contains(&t)
        {
            out.push(t);
        }
    };
    match value {
        Value::List(items) => items.iter().for_each(&mut push),
        Value::Map(entries) => entries.iter().for_each(|(_, v)| push(v)),
        Value::Null => {}
        other => push(other),
    }
    out
}
