//! The schema layer on the real vault (`../shared/reference-vault`). Each test prints a
//! message and returns when the vault is absent.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use attune_schema::{ClassSource, NoClassReason, Schema, SchemaInput, load_schema};
use attune_syntax::Diagnostic;

const VAULT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/reference-vault");

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            let rel = path.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
            out.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
}

/// Every file of the vault (path → text), or `None` when the vault is absent.
fn reference_vault() -> Option<BTreeMap<String, String>> {
    let root = PathBuf::from(VAULT);
    if !root.is_dir() {
        eprintln!("reference vault not found at {VAULT}; skipping");
        return None;
    }
    let mut files = BTreeMap::new();
    walk(&root, &root, &mut files);
    Some(files)
}

fn load(files: &BTreeMap<String, String>) -> (Schema, Vec<Diagnostic>) {
    let settings = files.get(".obsidian/plugins/metadata-menu/data.json").map(String::as_str);
    load_schema(&SchemaInput { metadata_menu_settings: settings, attune_toml: None, files })
}

fn declared_class(text: &str) -> Option<String> {
    let note = attune_syntax::parse_note(text.as_bytes());
    let fm = note.frontmatter?;
    match &fm.get("fileClass")?.value {
        attune_syntax::Value::Text(t) => Some(t.clone()),
        _ => None,
    }
}

#[test]
fn all_26_fileclasses_load() {
    let Some(files) = reference_vault() else { return };
    let (schema, diagnostics) = load(&files);
    let names: Vec<&str> = schema.classes().iter().map(|c| c.name()).collect();
    assert_eq!(names.len(), 26, "{names:#?}");
    assert!(names.iter().all(|n| n.starts_with("me/") || n.starts_with("global/")));
    let global = schema.global_class().expect("the _global setting finds global/global");
    assert_eq!(global.name(), "global/global");
    let trigger = schema.class("trigger").expect("trigger");
    assert_eq!(trigger.name(), "me/foundations/trigger/trigger");
    assert_eq!(trigger.ancestors, ["me/foundations/foundation element/foundation_element", "global/global"]);
    assert!(trigger.field("linked_wounds").is_some() && trigger.field("status").is_some());
    let need = schema.class("attachment_need").expect("attachment_need");
    assert_eq!(need.ancestors.first().map(String::as_str), Some("me/foundations/emotional need/emotional_need"));
    for d in &diagnostics {
        eprintln!("{} {} {} | {:?}", d.code, d.path, d.message, d.help);
    }
    let whitespace = diagnostics.iter().filter(|d| d.code == "schema/field-name-whitespace").count();
    assert_eq!(whitespace, 4);
}

#[test]
fn every_missing_values_note_is_reported_once_with_a_suggestion() {
    let Some(files) = reference_vault() else { return };
    let (_, diagnostics) = load(&files);
    let missing: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.code == "schema/missing-values-note").collect();
    assert!(!missing.is_empty());
    let mut seen = std::collections::BTreeSet::new();
    for d in &missing {
        assert!(seen.insert((d.path.clone(), d.message.clone())), "reported twice: {}", d.message);
        let help = d.help.as_deref().unwrap_or_default();
        let suggestion = help.strip_prefix("did you mean `").and_then(|h| h.split('`').next());
        let suggestion = suggestion.unwrap_or_else(|| panic!("no suggestion for {}", d.message));
        assert!(files.contains_key(suggestion), "suggested {suggestion} does not exist");
        assert!(d.span.is_some());
    }
    // Every valuesListNotePath that does not exist is among them.
    let mut expected = 0;
    for (path, text) in files.iter().filter(|(p, _)| p.starts_with("Meta/fileClass/")) {
        for line in text.lines() {
            if let Some(target) = line.trim().strip_prefix("valuesListNotePath: ")
                && !files.contains_key(target.trim())
            {
                expected += 1;
                assert!(missing.iter().any(|d| d.path == *path && d.message.contains(target.trim())), "{path}: {target}");
            }
        }
    }
    assert_eq!(missing.len(), expected);
    eprintln!("{} missing value-list notes", missing.len());
}

#[test]
fn every_me_note_gets_a_class_or_a_reason() {
    let Some(files) = reference_vault() else { return };
    let (schema, _) = load(&files);
    let mut by_source: BTreeMap<String, usize> = BTreeMap::new();
    let mut mismatch_folders: BTreeMap<String, usize> = BTreeMap::new();
    for (path, text) in files.iter().filter(|(p, _)| p.starts_with("ME/") && p.ends_with(".md")) {
        let a = schema.class_of(path, declared_class(text).as_deref());
        match &a.source {
            ClassSource::Folder | ClassSource::Declared => assert!(a.class.is_some()),
            ClassSource::None(NoClassReason::FolderIndex) => assert!(a.diagnostics.is_empty()),
            ClassSource::None(_) => assert!(!a.diagnostics.is_empty(), "{path} has no class and no diagnostic"),
        }
        for d in a.diagnostics.iter().filter(|d| d.code == "schema/class-mismatch") {
            let folder = d.path.rsplit_once('/').map(|(f, _)| f.to_string()).unwrap_or_default();
            *mismatch_folders.entry(folder).or_default() += 1;
        }
        *by_source.entry(format!("{:?}", a.source)).or_default() += 1;
    }
    eprintln!("{by_source:#?}\n{mismatch_folders:#?}");
    assert_eq!(mismatch_folders.get("ME/🏛️ Foundations/🪖 Protective Strategies"), Some(&34));
}
