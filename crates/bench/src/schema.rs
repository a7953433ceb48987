//! The generated vault's Metadata Menu files: one fileClass note per kind (plus the global and
//! foundation-element classes they extend), a value-list note, and the plugin's `data.json`.
//! Written from the kinds table in `layout`, in Metadata Menu's format.

use std::fmt::Write as _;

use crate::layout::{self, Family, Field, FieldType, KINDS};
use crate::rng::mix;

/// A file of the generated vault: path relative to the vault root (with `/`), and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultFile {
    pub path: String,
    pub text: String,
}

/// Where the global `type` field's options live (a `ValuesListNotePath` list note).
const TYPE_LIST: &str = "Meta/fileClass/global/global type value list.md";

/// The fields every note carries (SYSTEM.md, "Fields every note carries").
pub const GLOBAL_FIELDS: &[Field] = &[
    Field {
        name: "id",
        ty: FieldType::Input,
    },
    Field {
        name: "created",
        ty: FieldType::DateTime,
    },
    Field {
        name: "last_modified",
        ty: FieldType::DateTime,
    },
    Field {
        name: "title",
        ty: FieldType::Input,
    },
    Field {
        name: "status",
        ty: FieldType::Select(layout::STATUS),
    },
    Field {
        name: "type",
        ty: FieldType::Multi(&[]),
    },
    Field {
        name: "tags",
        ty: FieldType::Multi(&[]),
    },
    Field {
        name: "category",
        ty: FieldType::Select(&["note"]),
    },
    Field {
        name: "entered",
        ty: FieldType::Boolean,
    },
    Field {
        name: "archived",
        ty: FieldType::Boolean,
    },
    Field {
        name: "priority",
        ty: FieldType::Select(layout::PRIORITY),
    },
    Field {
        name: "visibility",
        ty: FieldType::Select(layout::VISIBILITY),
    },
    Field {
        name: "notes",
        ty: FieldType::Input,
    },
    Field {
        name: "related",
        ty: FieldType::MultiFile(None),
    },
    Field {
        name: "media",
        ty: FieldType::Multi(&[]),
    },
    Field {
        name: "attachments",
        ty: FieldType::Multi(&[]),
    },
    Field {
        name: "export_to_inputs",
        ty: FieldType::Boolean,
    },
];

/// All Metadata Menu files of a generated vault.
pub fn schema_files() -> Vec<VaultFile> {
    let mut files = vec![
        class_file(
            "global/global",
            "",
            "",
            "globe",
            &schema_fields(GLOBAL_FIELDS),
        ),
        class_file(
            "me/foundations/foundation element/foundation_element",
            "",
            "global/global",
            "layers",
            &schema_fields(layout::FOUNDATION_ELEMENT),
        ),
    ];
    for kind in KINDS.iter().filter(|k| k.family != Family::Untyped) {
        let mut fields: Vec<SchemaField> = Vec::new();
        if let Some((prefix, groups)) = kind.group {
            fields.push(SchemaField::new(
                format!("{prefix}_group"),
                FieldType::Select(groups),
            ));
            // The `<prefix>_type` options depend on the group; Metadata Menu cannot say so, so
            // the schema lists every type (as the owner's schemas do).
            fields.push(SchemaField {
                name: format!("{prefix}_type"),
                ty: FieldType::Multi(&[]),
                values: groups
                    .iter()
                    .flat_map(|g| layout::types_of_group(g))
                    .collect(),
            });
        }
        fields.extend(kind.fields.iter().map(SchemaField::from));
        let path = format!("ME/{}", kind.folder);
        files.push(class_file(
            kind.schema,
            &path,
            kind.extends,
            icon(kind.id),
            &fields,
        ));
    }
    files.push(VaultFile {
        path: TYPE_LIST.to_owned(),
        text: KINDS
            .iter()
            .filter(|k| !k.class.is_empty())
            .map(|k| format!("{}\n", k.class))
            .collect(),
    });
    files.push(VaultFile {
        path: ".obsidian/plugins/metadata-menu/data.json".to_owned(),
        text: METADATA_MENU_SETTINGS.to_owned(),
    });
    files
}

/// A field as a class file lists it.
struct SchemaField {
    name: String,
    ty: FieldType,
    /// Options that replace the type's own (empty: use the type's).
    values: Vec<String>,
}

impl SchemaField {
    fn new(name: String, ty: FieldType) -> Self {
        Self {
            name,
            ty,
            values: Vec::new(),
        }
    }
}

impl From<&Field> for SchemaField {
    fn from(field: &Field) -> Self {
        Self::new(field.name.to_owned(), field.ty)
    }
}

fn icon(id: layout::KindId) -> &'static str {
    use layout::KindId as K;
    match id {
        K::Emotion => "drama",
        K::Trigger => "zap",
        K::EmotionalWound => "tornado",
        K::EmotionalNeed | K::AttachmentNeed => "shield",
        K::InternalVoice => "megaphone",
        K::ProtectiveStrategy => "swords",
        K::BehaviorFunction => "paw-print",
        K::SoothingResource => "bandage",
        K::Tradeoff => "scale",
        K::AttachmentTheory | K::AttachmentStyle => "link",
        K::Scenario => "dice-5",
        K::PracticeSession | K::LiveRehearsal | K::Coaching => "clapperboard",
        K::CoreSkill | K::MetaSkill => "map",
        K::CapturedMoment => "pencil",
        K::Observation => "eye",
        K::Journal => "book",
        K::InnerCheckin => "moon",
        K::FromTheFire => "flame",
        K::Anchor | K::GrowthPath | K::MapsAndPatterns | K::Theology => "file",
    }
}

fn schema_fields(fields: &[Field]) -> Vec<SchemaField> {
    fields.iter().map(SchemaField::from).collect()
}

/// One fileClass note in Metadata Menu's layout.
fn class_file(
    schema: &str,
    files_path: &str,
    extends: &str,
    icon: &str,
    fields: &[SchemaField],
) -> VaultFile {
    let ids: Vec<String> = fields.iter().map(|f| field_id(schema, &f.name)).collect();
    let mut t = String::from("---\nlimit: 20\nmapWithTag: false\n");
    let _ = writeln!(t, "icon: {icon}");
    t.push_str("tagNames: \n");
    if files_path.is_empty() {
        t.push_str("filesPaths: \n");
    } else {
        let _ = writeln!(t, "filesPaths:\n  - {files_path}");
    }
    t.push_str("bookmarksGroups: \nexcludes: \n");
    let _ = writeln!(t, "extends: {extends}");
    t.push_str("savedViews: []\nfavoriteView: \nfieldsOrder:\n");
    for id in &ids {
        let _ = writeln!(t, "  - {id}");
    }
    t.push_str("version: \"1.0\"\nfields:\n");
    for (field, id) in fields.iter().zip(&ids) {
        write_field(&mut t, field, id);
    }
    t.push_str("---\n");
    VaultFile {
        path: format!("Meta/fileClass/{schema}.md"),
        text: t,
    }
}

fn write_field(t: &mut String, field: &SchemaField, id: &str) {
    let own: Vec<&str> = field.values.iter().map(String::as_str).collect();
    let (ty, options) = match field.ty {
        FieldType::Input => ("Input", None),
        FieldType::Number => ("Number", Some("    options:\n      step: 1\n".to_owned())),
        FieldType::Boolean => ("Boolean", None),
        FieldType::DateTime => (
            "DateTime",
            Some(
                "    options:\n      dateShiftInterval: 1 day\n      dateFormat: YYYY-MM-DD HH:mm\n      defaultInsertAsLink: false\n      linkPath: \"\"\n"
                    .to_owned(),
            ),
        ),
        FieldType::Select(values) => ("Select", Some(values_list(values))),
        FieldType::Cycle(values) => ("Cycle", Some(values_list(values))),
        FieldType::Multi(values) if field.name == "type" && values.is_empty() => (
            "Multi",
            Some(format!(
                "    options:\n      sourceType: ValuesListNotePath\n      valuesList: {{}}\n      valuesListNotePath: {TYPE_LIST}\n"
            )),
        ),
        FieldType::Multi(_) if !own.is_empty() => ("Multi", Some(values_list(&own))),
        FieldType::Multi(values) => ("Multi", Some(values_list(values))),
        FieldType::MultiFile(_) => ("MultiFile", None),
        FieldType::File(_) => ("File", None),
    };
    let _ = writeln!(t, "  - name: {}\n    type: {ty}", field.name);
    match options {
        Some(o) => t.push_str(&o),
        None => t.push_str("    options: {}\n"),
    }
    let _ = writeln!(t, "    path: \"\"\n    id: {id}");
}

fn values_list(values: &[&str]) -> String {
    let mut o = String::from("    options:\n      sourceType: ValuesList\n      valuesList:");
    if values.is_empty() {
        o.push_str(" {}\n");
        return o;
    }
    o.push('\n');
    for (i, v) in values.iter().enumerate() {
        let _ = writeln!(o, "        \"{}\": {v}", i + 1);
    }
    o
}

/// A six-character field id, stable for a (schema, field) pair.
fn field_id(schema: &str, name: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in schema.bytes().chain([0]).chain(name.bytes()) {
        h = mix(h, u64::from(b));
    }
    (0..6)
        .map(|i| char::from(ALPHABET[((h >> (i * 8)) % ALPHABET.len() as u64) as usize]))
        .collect()
}

const METADATA_MENU_SETTINGS: &str = r#"{
  "presetFields": [],
  "fileClassQueries": [],
  "displayFieldsInContextMenu": false,
  "globallyIgnoredFields": ["tags", "aliases", "cssclass"],
  "classFilesPath": "Meta/fileClass/",
  "isAutosuggestEnabled": true,
  "fileClassAlias": "fileClass",
  "settingsVersion": "5.4",
  "globalFileClass": "global",
  "firstDayOfWeek": 1,
  "enableLinks": true,
  "frontmatterListDisplay": "asArray",
  "fileClassExcludedFolders": [],
  "fileIndexingExcludedFolders": ["Meta/", "Files/", "Archives/"],
  "fileIndexingExcludedExtensions": [".excalidraw.md"],
  "fileIndexingExcludedRegex": [],
  "frontmatterOnly": true,
  "chooseFileClassAtFileCreation": false,
  "autoInsertFieldsAtFileClassInsertion": true
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_typed_kind_has_a_class_file_naming_its_folder() {
        let files = schema_files();
        for kind in KINDS.iter().filter(|k| k.family != Family::Untyped) {
            let path = format!("Meta/fileClass/{}.md", kind.schema);
            let file = files.iter().find(|f| f.path == path).expect("class file");
            assert!(
                file.text
                    .contains(&format!("filesPaths:\n  - ME/{}\n", kind.folder)),
                "{path}"
            );
            assert!(
                file.text.contains(&format!("extends: {}\n", kind.extends)),
                "{path}"
            );
        }
    }

    #[test]
    fn trigger_class_lists_types_of_every_group() {
        let files = schema_files();
        let trigger = files
            .iter()
            .find(|f| f.path.ends_with("trigger/trigger.md"))
            .expect("trigger class");
        expect_test::expect![[r#"
            ---
            limit: 20
            mapWithTag: false
            icon: zap
            tagNames: 
            filesPaths:
              - ME/🏛️ Foundations/⚡ Triggers
            bookmarksGroups: 
            excludes: 
            extends: me/foundations/foundation element/foundation_element
            savedViews: []
            favoriteView: 
            fieldsOrder:
              - Zytk67
              - uUtW5A
              - 9CLjn1
            version: "1.0"
            fields:
              - name: trigger_group
                type: Select
                options:
                  sourceType: ValuesList
                  valuesList:
                    "1": Interpersonal
                    "2": Surroundings
                    "3": Inner Weather
                    "4": Circumstance
                    "5": Senses
                path: ""
                id: Zytk67
              - name: trigger_type
                type: Multi
                options:
                  sourceType: ValuesList
                  valuesList:
                    "1": Interpersonal Surge
                    "2": Interpersonal Drift
                    "3": Interpersonal Echo
                    "4": Surroundings Surge
                    "5": Surroundings Drift
                    "6": Surroundings Echo
                    "7": Inner Weather Surge
                    "8": Inner Weather Drift
                    "9": Inner Weather Echo
                    "10": Circumstance Surge
                    "11": Circumstance Drift
                    "12": Circumstance Echo
                    "13": Senses Surge
                    "14": Senses Drift
                    "15": Senses Echo
                path: ""
                id: uUtW5A
              - name: trigger_flags
                type: Multi
                options:
                  sourceType: ValuesList
                  valuesList:
                    "1": Recurring
                    "2": Rooted
                    "3": Sudden
                    "4": Anticipated
                path: ""
                id: 9CLjn1
            ---
        "#]]
        .assert_eq(&trigger.text);
    }
}
