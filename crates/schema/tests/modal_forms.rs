//! Modal Forms import on a small form set written for this test.

use std::collections::BTreeMap;

use attune_schema::modal_forms::{read_modal_forms, render_toml};
use attune_schema::{SchemaInput, load_schema, parse_config};

const FORMS: &str = r#"{
  "formDefinitions": [
    {
      "name": "Create New Mood",
      "title": "Create New Mood",
      "fields": [
        { "name": "mood_name", "label": "Mood Name", "input": { "type": "text" } },
        { "name": "kind_group", "label": "Mood Group", "input": { "type": "select", "source": "fixed",
          "options": [ { "value": "Bright", "label": "Bright" }, { "value": "Dim", "label": "Dim" } ] } },
        { "name": "kind_bright", "label": "Bright Moods", "condition": { "dependencyName": "kind_group", "type": "isExactly", "value": "Bright" },
          "input": { "type": "select", "source": "fixed", "options": [ { "value": "Glad", "label": "Glad" }, { "value": "Eager", "label": "Eager" } ] } },
        { "name": "kind_dim", "label": "Dim Moods", "condition": { "dependencyName": "kind_group", "type": "isExactly", "value": "Dim" },
          "input": { "type": "select", "source": "fixed", "options": [ { "value": "Flat", "label": "Flat" } ] } },
        { "name": "hint_dim", "label": "Dim Hints", "condition": { "dependencyName": "kind_group", "type": "startsWith", "value": "Di" },
          "input": { "type": "select", "source": "fixed", "options": [ { "value": "Rest", "label": "Rest" } ] } },
        { "name": "flag_group", "label": "Flag Group", "input": { "type": "select", "source": "fixed",
          "options": [ { "value": "Body", "label": "Body" } ] } },
        { "name": "fl_body", "label": "Body Mood Flags", "condition": { "dependencyName": "flag_group", "type": "isExactly", "value": "Body" },
          "input": { "type": "multiselect", "source": "notes", "folder": "Meta/lists/mood flags/Body" } },
        { "name": "cause_group", "label": "Cause Group", "input": { "type": "select", "source": "fixed",
          "options": [ { "value": "People", "label": "People" } ] } },
        { "name": "cause_people", "label": "People Causes", "condition": { "dependencyName": "cause_group", "type": "isExactly", "value": "People" },
          "input": { "type": "multiselect", "source": "notes", "folder": "Notes/People" } },
        { "name": "colour", "label": "Colour", "input": { "type": "select", "source": "fixed", "options": [ { "value": "Red", "label": "Red" } ] } }
      ]
    },
    { "name": "Picker_Anything", "title": "Picker", "fields": [] }
  ]
}"#;

const MOOD: &str = r#"---
fields:
  - name: title
    type: Input
    options: {}
    path: ""
    id: t
  - name: mood_group
    type: Select
    options: {}
    path: ""
    id: g
  - name: mood_type
    type: Select
    options: {}
    path: ""
    id: y
  - name: mood_flag_group
    type: Select
    options: {}
    path: ""
    id: fg
  - name: mood_flags
    type: Multi
    options: {}
    path: ""
    id: f
  - name: colour
    type: Select
    options: {}
    path: ""
    id: c
---
"#;

#[test]
fn group_maps_option_lists_and_renames() {
    let files: BTreeMap<String, String> =
        [("Meta/fileClass/mood.md".to_string(), MOOD.to_string())]
            .into_iter()
            .collect();
    let (schema, _) = load_schema(&SchemaInput {
        metadata_menu_settings: None,
        attune_toml: None,
        files: &files,
    });
    let (import, diagnostics) = read_modal_forms(FORMS, Some(&schema));
    assert!(diagnostics.is_empty());
    let form = &import.forms[0];
    assert_eq!(form.class.as_deref(), Some("mood"));
    assert_eq!(import.forms[1].class, None, "pickers create no notes");
    let maps: Vec<(&str, &str, Option<&str>, usize)> = form
        .groups
        .iter()
        .map(|g| {
            (
                g.by.as_str(),
                g.field.as_str(),
                g.folder.as_deref(),
                g.options.len(),
            )
        })
        .collect();
    // `startsWith` conditions are not group maps; notes picked from vault folders are relations.
    assert_eq!(
        maps,
        [
            (
                "mood_flag_group",
                "mood_flags",
                Some("Meta/lists/mood flags"),
                1
            ),
            ("mood_group", "mood_type", None, 2)
        ]
    );
    assert_eq!(
        form.option_lists,
        [("colour".to_string(), vec!["Red".to_string()])]
    );
    let renames: Vec<(&str, &str)> = form
        .renames
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        renames,
        [
            ("fl_body", "mood_flags"),
            ("flag_group", "mood_flag_group"),
            ("kind_bright", "mood_type"),
            ("kind_dim", "mood_type"),
            ("kind_group", "mood_group"),
            ("mood_name", "title"),
        ]
    );
    let text = render_toml(&import, Some(&schema));
    expect_test::expect![[r#"
        # Imported from Modal Forms (.obsidian/plugins/modalforms/data.json) by `attune import modal-forms`.

        # mood: from Create New Mood
        [class.mood.groups.mood_flags]
        by = "mood_flag_group"
        folder = "Meta/lists/mood flags"
        [class.mood.groups.mood_type]
        by = "mood_group"
        options.Bright = ["Glad", "Eager"]
        options.Dim = ["Flat"]
        [class.mood.aliases]
        fl_body = "mood_flags"
        flag_group = "mood_flag_group"
        kind_bright = "mood_type"
        kind_dim = "mood_type"
        kind_group = "mood_group"
        mood_name = "title"
    "#]]
    .assert_eq(&text);
    assert!(parse_config(&text, "attune.toml").1.is_empty());
}

#[test]
fn without_a_schema_keys_are_the_form_field_names() {
    let (import, _) = read_modal_forms(FORMS, None);
    let form = &import.forms[0];
    assert_eq!(form.class, None);
    let map = form
        .groups
        .iter()
        .find(|g| g.by == "kind_group")
        .expect("map");
    assert_eq!(map.form_fields, ["kind_bright", "kind_dim"]);
    assert!(form.renames.is_empty());
}

#[test]
fn bad_json_is_a_diagnostic() {
    let (import, diagnostics) = read_modal_forms("{ not json", None);
    assert!(import.forms.is_empty());
    assert_eq!(
        diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["forms/invalid"]
    );
}
