//! Laws that hold for any input (proptest).

use attune_schema::field::{normalize_option, option_matches};
use attune_schema::list_note::parse_list_note;
use attune_schema::modal_forms::{read_modal_forms, render_toml};
use attune_schema::parse_config;
use proptest::prelude::*;

proptest! {
    #[test]
    fn list_note_values_are_trimmed_unique_and_non_empty(text in "(#### [a-z*]{0,6}\n|- [ a-z]{0,6}\n|[ a-zA-Z\r\t]{0,8}\n|\n){0,20}") {
        let list = parse_list_note(&text);
        for (i, v) in list.values.iter().enumerate() {
            prop_assert!(!v.is_empty() && v.trim() == v);
            prop_assert!(!list.values[..i].contains(v));
        }
        for (_, values) in &list.groups {
            for v in values {
                prop_assert!(list.values.contains(v));
            }
        }
    }

    #[test]
    fn config_parsing_never_panics_and_spans_stay_inside(text in "(\\[class\\.[a-z]{1,4}\\]\n|[a-z]{1,6} = (\"[a-z{}]{0,6}\"|[0-9]{1,3}|\\[\"a\"\\]|\\{ by = \"g\" \\})\n|[^\n]{0,12}\n){0,12}") {
        let (_, diagnostics) = parse_config(&text, "attune.toml");
        for d in diagnostics {
            if let Some(span) = d.span {
                prop_assert!(span.start <= span.end && span.end as usize <= text.len());
            }
        }
    }

    #[test]
    fn option_comparison_ignores_variation_selectors_and_padding(value in "[a-z🟩⬛ ]{1,8}") {
        let once = normalize_option(&value);
        prop_assert_eq!(normalize_option(&once), once.clone());
        let decorated = format!("  {}\u{FE0F} ", value.replace('⬛', "⬛\u{FE0F}"));
        prop_assert!(option_matches(std::slice::from_ref(&value), &decorated));
    }

    /// Whatever the option and group texts, the rendered import is valid attune.toml and
    /// gives back the same options.
    #[test]
    fn rendered_group_maps_round_trip(groups in proptest::collection::btree_map("[^\u{0}-\u{1f}]{1,8}", proptest::collection::vec("[^\u{0}-\u{1f}]{1,8}", 1..4), 1..4)) {
        let mut fields = vec![serde_json::json!({
            "name": "kind_group", "label": "Group",
            "input": { "type": "select", "source": "fixed", "options": groups.keys().map(|g| serde_json::json!({"value": g, "label": g})).collect::<Vec<_>>() }
        })];
        for (i, (group, options)) in groups.iter().enumerate() {
            fields.push(serde_json::json!({
                "name": format!("kind_{i}"), "label": "Kinds",
                "condition": { "dependencyName": "kind_group", "type": "isExactly", "value": group },
                "input": { "type": "multiselect", "source": "fixed", "multi_select_options": options }
            }));
        }
        let json = serde_json::json!({ "formDefinitions": [ { "name": "Create New Kind", "title": "Kind", "fields": fields } ] }).to_string();
        let (import, _) = read_modal_forms(&json, None);
        let map = &import.forms[0].groups[0];
        // Render under a class name, as the CLI does once a class matched.
        let mut import = import.clone();
        import.forms[0].class = Some("kind".into());
        let text = render_toml(&import, None);
        let (config, diagnostics) = parse_config(&text, "attune.toml");
        prop_assert!(diagnostics.is_empty(), "{:?}\n{}", diagnostics, text);
        let rule = config.classes.iter().flat_map(|c| &c.groups).next().expect("a group rule");
        for (group, options) in &map.options {
            let mut want = options.clone();
            want.dedup();
            let got = rule.options.iter().find(|(g, _)| g == group).map(|(_, o)| o.clone());
            prop_assert_eq!(got, Some(want.into_iter().map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect::<Vec<_>>()));
        }
    }
}
