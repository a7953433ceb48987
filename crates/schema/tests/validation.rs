//! Each validation finding: a fixture that triggers it and a near miss that does not.

use std::collections::BTreeMap;

use attune_schema::{Schema, SchemaInput, load_schema};
use attune_syntax::{Diagnostic, LineIndex};

const SETTINGS: &str = r#"{"classFilesPath": "Meta/fileClass/", "globalFileClass": "_global", "globallyIgnoredFields": ["tags", "aliases", "cssclass"]}"#;

const GLOBAL: &str = r#"---
fields:
  - name: status
    type: Select
    options:
      sourceType: ValuesList
      valuesList:
        "1": 🟩 complete
        "2": ⬛️ blocked
    path: ""
    id: st
  - name: entered
    type: Boolean
    options: {}
    path: ""
    id: en
---
"#;

const WOUND: &str = r#"---
extends: global
filesPaths:
  - ME/Wounds
fields:
  - name: healing_resources
    type: MultiFile
    options: {}
    path: ""
    id: hr
  - name: wound_group
    type: Select
    options:
      sourceType: ValuesListNotePath
      valuesListNotePath: Meta/lists/wound groups.md
    path: ""
    id: wg
  - name: wound_type
    type: Select
    options:
      sourceType: ValuesList
      valuesList: [Neglect, Shaming, Abandonment]
    path: ""
    id: wt
  - name: intensity
    type: Number
    options: {}
    path: ""
    id: in
  - name: definition
    type: Input
    options: {}
    path: ""
    id: de
  - name: moods
    type: Multi
    options:
      sourceType: ValuesList
      valuesList: {}
    path: ""
    id: mo
  - name: origin
    type: File
    options: {}
    path: ""
    id: or
---
"#;

const TOML: &str = r#"
[aliases]
enetered = "entered"

[class.wound.aliases]
healing_resource = "healing_resources"

[class.wound.groups.wound_type]
by = "wound_group"
options.Family = ["Neglect", "Abandonment"]
options.School = ["Shaming"]
"#;

fn schema() -> Schema {
    let files: BTreeMap<String, String> = [
        ("Meta/fileClass/global.md", GLOBAL),
        ("Meta/fileClass/wound.md", WOUND),
        ("Meta/lists/wound groups.md", "Family\nSchool\n"),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t.to_string()))
    .collect();
    let (schema, diagnostics) = load_schema(&SchemaInput {
        metadata_menu_settings: Some(SETTINGS),
        attune_toml: Some(TOML),
        files: &files,
    });
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    schema
}

/// Validate a note's frontmatter and render each finding as `code line:col message | help`.
fn check(frontmatter: &str) -> Vec<String> {
    let text = format!("---\nfileClass: wound\n{frontmatter}---\nbody\n");
    let note = attune_syntax::parse_note(text.as_bytes());
    let fm = note.frontmatter.as_ref().expect("frontmatter");
    assert!(fm.valid, "fixture YAML must parse: {frontmatter}");
    let schema = schema();
    let class = schema.class_of("ME/Wounds/Test.md", Some("wound")).class;
    let index = LineIndex::new(&text);
    schema
        .validate_note(class.as_deref(), fm, "ME/Wounds/Test.md")
        .iter()
        .map(|d: &Diagnostic| {
            let at = d
                .span
                .map(|s| index.line_col(&text, s.start as usize))
                .map(|lc| format!("{}:{}", lc.line, lc.col))
                .unwrap_or_default();
            format!(
                "{} {at} {} | {}",
                d.code,
                d.message,
                d.help.as_deref().unwrap_or_default()
            )
        })
        .collect()
}

fn codes(findings: &[String]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f.split(' ').next().unwrap_or_default())
        .collect()
}

#[test]
fn unknown_field_with_did_you_mean() {
    let got = check("definiton: hurt\n");
    assert_eq!(
        got,
        [
            "schema/unknown-field 3:1 `definiton` is not a field of `wound` | did you mean `definition`?"
        ]
    );
    // Near miss: known fields, global fields, ignored fields and the class key itself.
    assert_eq!(
        check("definition: hurt\nstatus: 🟩 complete\ntags: [x]\naliases: []\ncssclass: wide\n"),
        Vec::<String>::new()
    );
}

#[test]
fn legacy_field_says_what_it_became() {
    let got = check("healing_resource: \"[[Rest]]\"\nenetered: true\n");
    assert_eq!(
        got,
        [
            "schema/legacy-field 3:1 `healing_resource` is the old name of `healing_resources` | rename the key to `healing_resources`",
            "schema/legacy-field 4:1 `enetered` is the old name of `entered` | rename the key to `entered`",
        ]
    );
    let both = check("healing_resource: \"[[Rest]]\"\nhealing_resources: []\n");
    assert_eq!(codes(&both), ["schema/legacy-field"]);
    assert!(both[0].ends_with("the note also has `healing_resources`: move these values there and delete `healing_resource`"));
    // Near miss: the new name is not reported.
    assert_eq!(
        check("healing_resources: [\"[[Rest]]\"]\n"),
        Vec::<String>::new()
    );
}

#[test]
fn type_mismatch_number_link_and_several_values() {
    let got = check(
        "intensity: high\norigin: Mother\nhealing_resources: [Rest, Sleep]\ndefinition: [a, b]\n",
    );
    assert_eq!(
        got,
        [
            "schema/type-mismatch 3:12 `intensity` is a Number field but holds the text `high` | write a number such as 3 or 2.5",
            "schema/type-mismatch 4:9 `origin` is a File field but holds plain text `Mother`, not a link | write it as a link: \"[[Mother]]\"",
            "schema/type-mismatch 5:20 `healing_resources` is a MultiFile field but holds 2 plain texts, not links (`Rest`, …) | write each value as a link: [\"[[Rest]]\", …]",
            "schema/type-mismatch 6:13 `definition` holds 2 values, but a Input field holds one | keep one value, or change the field's type in its fileClass to a list type",
        ]
    );
    // Near misses: numbers (also quoted), links, one value in a list, empty values.
    let fine = "intensity: \"4\"\norigin: \"[[Mother]]\"\nhealing_resources: [\"[[Rest]]\"]\ndefinition: [\"\", hurt]\nstatus: [🟩 complete]\nwound_type:\n";
    assert_eq!(check(fine), Vec::<String>::new());
    assert_eq!(
        check("intensity: 3.5\nentered: true\n"),
        Vec::<String>::new()
    );
    assert_eq!(codes(&check("entered: maybe\n")), ["schema/type-mismatch"]);
}

#[test]
fn value_not_in_list_only_when_the_list_is_closed() {
    let got = check("status: 🟩 compelte\nwound_type: Abandonmnet\n");
    assert_eq!(
        got,
        [
            "schema/value-not-in-list 3:9 `🟩 compelte` is not an option of `status` | did you mean `🟩 complete`? the options of `status` are: 🟩 complete, ⬛\u{fe0f} blocked",
            "schema/value-not-in-list 4:13 `Abandonmnet` is not an option of `wound_type` | did you mean `Abandonment`? the options of `wound_type` are: Neglect, Shaming, Abandonment",
        ]
    );
    // Near misses: U+FE0F present or not, an open list (`moods`), a list note's values.
    assert_eq!(
        check("status: ⬛ blocked\nmoods: [anything]\nwound_group: School\n"),
        Vec::<String>::new()
    );
    assert_eq!(check("status: \"⬛️ blocked\"\n"), Vec::<String>::new());
}

#[test]
fn group_mismatch_names_the_group_the_value_belongs_to() {
    let got = check("wound_group: School\nwound_type: Neglect\n");
    assert_eq!(
        got,
        [
            "schema/group-mismatch 4:13 `Neglect` is not a `wound_type` of the `wound_group` group `School` | `Neglect` belongs to `Family`; change `wound_group`, or pick one of: Shaming"
        ]
    );
    // Near misses: the value is in its group; no group given; value outside the list is
    // reported once, as value-not-in-list.
    assert_eq!(
        check("wound_group: Family\nwound_type: Neglect\n"),
        Vec::<String>::new()
    );
    assert_eq!(check("wound_type: Neglect\n"), Vec::<String>::new());
    assert_eq!(
        codes(&check("wound_group: School\nwound_type: Nope\n")),
        ["schema/value-not-in-list"]
    );
}

#[test]
fn notes_without_class_check_global_fields_only() {
    let schema = schema();
    let text = "---\nstatus: 🟩 compelte\nwhatever: 1\n---\n";
    let note = attune_syntax::parse_note(text.as_bytes());
    let fm = note.frontmatter.expect("frontmatter");
    let found = schema.validate_note(None, &fm, "Elsewhere/x.md");
    assert_eq!(
        found.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["schema/value-not-in-list"]
    );
}
