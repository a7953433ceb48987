//! One field of a fileClass: its name, Metadata Menu type, options and where its allowed values come from.

use attune_syntax::Value;

/// Every Metadata Menu field type. Types attune does not know are kept by name in
/// [`FieldType::Other`] and accepted without validation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FieldType {
    Input,
    Number,
    Select,
    Cycle,
    Boolean,
    Multi,
    File,
    MultiFile,
    Media,
    MultiMedia,
    Date,
    DateTime,
    Time,
    Lookup,
    Formula,
    Canvas,
    CanvasGroup,
    CanvasGroupLink,
    Yaml,
    Json,
    Object,
    ObjectList,
    Other(String),
}

impl FieldType {
    /// Read a type as Metadata Menu writes it (`MultiFile`, `YAML`, …). Never fails.
    pub fn parse(text: &str) -> FieldType {
        match text.trim() {
            "Input" => FieldType::Input,
            "Number" => FieldType::Number,
            "Select" => FieldType::Select,
            "Cycle" => FieldType::Cycle,
            "Boolean" => FieldType::Boolean,
            "Multi" => FieldType::Multi,
            "File" => FieldType::File,
            "MultiFile" => FieldType::MultiFile,
            "Media" => FieldType::Media,
            "MultiMedia" => FieldType::MultiMedia,
            "Date" => FieldType::Date,
            "DateTime" => FieldType::DateTime,
            "Time" => FieldType::Time,
            "Lookup" => FieldType::Lookup,
            "Formula" => FieldType::Formula,
            "Canvas" => FieldType::Canvas,
            "CanvasGroup" => FieldType::CanvasGroup,
            "CanvasGroupLink" => FieldType::CanvasGroupLink,
            "YAML" => FieldType::Yaml,
            "JSON" => FieldType::Json,
            "Object" => FieldType::Object,
            "ObjectList" => FieldType::ObjectList,
            other => FieldType::Other(other.to_string()),
        }
    }

    /// The name as Metadata Menu writes it.
    pub fn as_str(&self) -> &str {
        match self {
            FieldType::Input => "Input",
            FieldType::Number => "Number",
            FieldType::Select => "Select",
            FieldType::Cycle => "Cycle",
            FieldType::Boolean => "Boolean",
            FieldType::Multi => "Multi",
            FieldType::File => "File",
            FieldType::MultiFile => "MultiFile",
            FieldType::Media => "Media",
            FieldType::MultiMedia => "MultiMedia",
            FieldType::Date => "Date",
            FieldType::DateTime => "DateTime",
            FieldType::Time => "Time",
            FieldType::Lookup => "Lookup",
            FieldType::Formula => "Formula",
            FieldType::Canvas => "Canvas",
            FieldType::CanvasGroup => "CanvasGroup",
            FieldType::CanvasGroupLink => "CanvasGroupLink",
            FieldType::Yaml => "YAML",
            FieldType::Json => "JSON",
            FieldType::Object => "Object",
            FieldType::ObjectList => "ObjectList",
            FieldType::Other(name) => name,
        }
    }

    /// Fields whose value is one thing (a list of several is a type mismatch).
    pub fn is_single_value(&self) -> bool {
        matches!(
            self,
            FieldType::Input
                | FieldType::Number
                | FieldType::Select
                | FieldType::Cycle
                | FieldType::Boolean
                | FieldType::File
                | FieldType::Date
                | FieldType::DateTime
                | FieldType::Time
        )
    }

    /// Fields whose values are wiki-links to notes.
    pub fn is_link(&self) -> bool {
        matches!(self, FieldType::File | FieldType::MultiFile)
    }

    /// Fields whose values come from an option list.
    pub fn has_options(&self) -> bool {
        matches!(
            self,
            FieldType::Select | FieldType::Cycle | FieldType::Multi
        )
    }
}

/// Where a field's allowed values come from.
#[derive(Clone, Debug, PartialEq)]
pub enum OptionSource {
    /// No option list (free input, links, numbers …).
    None,
    /// `sourceType: ValuesList`: the values written in the fileClass (may be empty: then any value goes).
    Inline(Vec<String>),
    /// `sourceType: ValuesListNotePath`: one value per line of a note, or `- ` bullets under `####` group headings.
    Note(ListNote),
    /// `sourceType: ValuesFromDVQuery`: computed by a Dataview query; recorded, never evaluated here.
    Query(String),
}

/// A value-list note and what was read from it.
#[derive(Clone, Debug, PartialEq)]
pub struct ListNote {
    /// The path as the fileClass wrote it.
    pub path: String,
    /// `None` when the note does not exist (a `schema/missing-values-note` was reported).
    pub values: Option<Vec<String>>,
    /// Groups of values when the note groups them under `####` headings, in note order.
    pub groups: Vec<(String, Vec<String>)>,
}

/// One field as its fileClass declares it.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDef {
    /// The name, trimmed of stray whitespace (`strategy_group ` → `strategy_group`).
    pub name: String,
    /// The name as written, when it differed from `name`.
    pub written_name: Option<String>,
    pub field_type: FieldType,
    /// Metadata Menu's field id (`QqEMEJ`), used by `fieldsOrder`.
    pub id: String,
    /// Metadata Menu's `path` (parent field ids for Object sub-fields; empty for top-level fields).
    pub path: String,
    pub options: OptionSource,
    /// The `options` mapping exactly as read (number bounds, date formats, …).
    pub raw_options: Value,
}

impl FieldDef {
    /// The closed list of allowed values, when one is known: an inline list that is not
    /// empty, or a list note that exists and holds values. `None` means any value goes.
    pub fn closed_options(&self) -> Option<&[String]> {
        if !self.field_type.has_options() {
            return None;
        }
        match &self.options {
            OptionSource::Inline(values) if !values.is_empty() => Some(values),
            OptionSource::Note(ListNote {
                values: Some(values),
                ..
            }) if !values.is_empty() => Some(values),
            _ => None,
        }
    }

    /// A numeric bound from `options` (`min`, `max`, `step`) for Number fields.
    pub fn number_option(&self, key: &str) -> Option<f64> {
        let Value::Map(entries) = &self.raw_options else {
            return None;
        };
        entries
            .iter()
            .find(|(k, _)| **k == *key)
            .and_then(|(_, v)| match v {
                Value::Int(i) => Some(*i as f64),
                Value::Float(f) => Some(*f),
                Value::Text(t) => t.trim().parse().ok(),
                _ => None,
            })
    }
}

/// Compare two option values the way a person reads them: NFC, surrounding whitespace and
/// the U+FE0F emoji variation selector ignored (`⬛️ blocked` equals `⬛ blocked`).
pub fn normalize_option(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Most options are already NFC and carry no selector (plain words, `🟧 in progress`):
    // checking that is a fraction of composing them again (`attune check` compares every
    // value of every note against its field's options).
    if already_normal(text) {
        return text.trim().to_string();
    }
    let stripped: String = text.nfc().filter(|c| *c != '\u{FE0F}').collect();
    stripped.trim().to_string()
}

/// NFC and without U+FE0F: [`normalize_option`] only trims it.
fn already_normal(text: &str) -> bool {
    text.is_ascii() || (!text.contains('\u{FE0F}') && unicode_normalization::is_nfc(text))
}

/// `true` when `value` is one of `options` by [`normalize_option`].
pub fn option_matches(options: &[String], value: &str) -> bool {
    let wanted = normalize_option(value);
    options.iter().any(|o| {
        if already_normal(o) {
            o.trim() == wanted
        } else {
            normalize_option(o) == wanted
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_compare_as_read() {
        assert_eq!(normalize_option("  plain  "), "plain");
        assert_eq!(normalize_option("🟧 in progress"), "🟧 in progress");
        assert_eq!(normalize_option("⬛\u{FE0F} blocked "), "⬛ blocked");
        assert_eq!(normalize_option("Cafe\u{301}"), "Caf\u{e9}");
        let options = [
            "⬛\u{FE0F} blocked".to_owned(),
            " Caf\u{e9}".to_owned(),
            "🟩 done".to_owned(),
        ];
        for value in ["⬛ blocked", "Cafe\u{301} ", "🟩 done", " 🟩\u{FE0F} done"] {
            assert!(option_matches(&options, value), "{value:?}");
        }
        assert!(!option_matches(&options, "blocked"));
        assert!(!option_matches(&options, "cafe"));
    }
}
