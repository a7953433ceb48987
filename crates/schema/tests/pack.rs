//! The built-in self-work pack: its files are all embedded, and as a vault of its own
//! (what `attune init` writes) it loads without a single diagnostic.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeMap;
use std::path::Path;

use attune_schema::{ClassSource, RulesSource, SchemaInput, load_schema, pack};

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("pack folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            out.push(
                path.strip_prefix(root)
                    .expect("under root")
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

#[test]
fn every_pack_file_is_embedded() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("pack");
    let mut on_disk = Vec::new();
    walk(&root, &root, &mut on_disk);
    on_disk.retain(|p| p.ends_with(".md") || p.ends_with(".toml"));
    on_disk.sort();
    let mut embedded: Vec<String> = pack::files().iter().map(|(p, _)| p.to_string()).collect();
    embedded.sort();
    assert_eq!(embedded, on_disk);
    for (path, text) in pack::files() {
        assert_eq!(
            std::fs::read_to_string(root.join(path)).expect("read"),
            text,
            "{path}"
        );
    }
}

#[test]
fn the_pack_as_a_vault_loads_cleanly_and_types_every_folder() {
    let files: BTreeMap<String, String> = pack::files()
        .into_iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let input = SchemaInput {
        metadata_menu_settings: None,
        attune_toml: Some(pack::ATTUNE_TOML),
        files: &files,
    };
    let (schema, diagnostics) = load_schema(&input);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert_eq!(schema.rules_source, RulesSource::Vault);
    assert_eq!(schema.classes().len(), 25);
    // Every class the pack's rules name exists, and every class with a folder owns it.
    let (config, _) = attune_schema::parse_config(pack::ATTUNE_TOML, "attune.toml");
    for rules in &config.classes {
        let class = schema
            .class(&rules.class)
            .unwrap_or_else(|| panic!("pack rules for missing class {}", rules.class));
        for relation in &rules.relations {
            assert!(
                class.field(&relation.field).is_some(),
                "{}.{} is no field",
                rules.class,
                relation.field
            );
            for target in &relation.targets {
                assert!(
                    schema.class(target).is_some(),
                    "{}.{} targets missing {target}",
                    rules.class,
                    relation.field
                );
            }
            if let Some(inverse) = &relation.inverse {
                let target = schema.class(&relation.targets[0]).expect("target");
                assert!(
                    target.field(inverse).is_some(),
                    "inverse {inverse} missing on {}",
                    target.short_name()
                );
            }
        }
        for group in &rules.groups {
            assert!(
                class.field(&group.field).is_some() && class.field(&group.by).is_some(),
                "{}: {}",
                rules.class,
                group.field
            );
        }
        if let Some(folder) = &rules.folder {
            let a = schema.class_of(&format!("{folder}/A Note.md"), None);
            assert_eq!(
                (a.class.as_deref(), a.source),
                (Some(class.name()), ClassSource::Folder)
            );
        }
    }
    // Inherited rules: an attachment need gets the Foundations relations and the need groups.
    let need = schema.class("attachment_need").expect("class");
    assert_eq!(
        need.ancestors,
        [
            "me/foundations/emotional_need",
            "me/foundations/foundation_element",
            "global/global"
        ]
    );
    assert!(need.relation("linked_wounds").is_some() && need.group_rule("need_type").is_some());
    assert!(
        need.rules
            .defaults
            .iter()
            .any(|(k, v)| k == "status" && *v == attune_syntax::Value::Text("🟩 complete".into()))
    );
    assert!(need.rules.defaults.iter().any(|(k, _)| k == "id"));
}
