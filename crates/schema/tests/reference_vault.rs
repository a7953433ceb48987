//! The schema layer on the real vault (`../shared/reference-vault`). Each test prints a
//! message and returns when the vault is absent.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use attune_schema::{ClassSource, NoClassReason, Schema, SchemaInput, load_schema};
use attune_syntax::Diagnostic;

const VAULT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/reference-vault"
);

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            let rel = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
}

/// Every file of the vault (path → text), read once, or `None` when the vault is absent.
fn reference_vault() -> Option<&'static BTreeMap<String, String>> {
    static FILES: OnceLock<Option<BTreeMap<String, String>>> = OnceLock::new();
    let files = FILES.get_or_init(|| {
        let root = PathBuf::from(VAULT);
        if !root.is_dir() {
            return None;
        }
        let mut files = BTreeMap::new();
        walk(&root, &root, &mut files);
        Some(files)
    });
    if files.is_none() {
        eprintln!("reference vault not found at {VAULT}; skipping");
    }
    files.as_ref()
}

fn load(files: &BTreeMap<String, String>) -> (Schema, Vec<Diagnostic>) {
    let settings = files
        .get(".obsidian/plugins/metadata-menu/data.json")
        .map(String::as_str);
    let started = Instant::now();
    let loaded = load_schema(&SchemaInput {
        metadata_menu_settings: settings,
        attune_toml: None,
        files,
    });
    eprintln!(
        "load_schema: {:?} for {} files",
        started.elapsed(),
        files.len()
    );
    loaded
}

fn declared_class(text: &str) -> Option<String> {
    let note = attune_syntax::parse_note(text.as_bytes());
    let fm = note.frontmatter?;
    match &fm.get("fileClass")?.value {
        attune_syntax::Value::Text(t) => Some(t.to_string()),
        _ => None,
    }
}

#[test]
fn all_26_fileclasses_load() {
    let Some(files) = reference_vault() else {
        return;
    };
    let (schema, diagnostics) = load(files);
    let names: Vec<&str> = schema.classes().iter().map(|c| c.name()).collect();
    assert_eq!(names.len(), 26, "{names:#?}");
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("me/") || n.starts_with("global/"))
    );
    let global = schema
        .global_class()
        .expect("the _global setting finds global/global");
    assert_eq!(global.name(), "global/global");
    let trigger = schema.class("trigger").expect("trigger");
    assert_eq!(trigger.name(), "me/foundations/trigger/trigger");
    assert_eq!(
        trigger.ancestors,
        [
            "me/foundations/foundation element/foundation_element",
            "global/global"
        ]
    );
    assert!(trigger.field("linked_wounds").is_some() && trigger.field("status").is_some());
    let need = schema.class("attachment_need").expect("attachment_need");
    assert_eq!(
        need.ancestors.first().map(String::as_str),
        Some("me/foundations/emotional need/emotional_need")
    );
    for d in &diagnostics {
        eprintln!("{} {} {} | {:?}", d.code, d.path, d.message, d.help);
    }
    let whitespace = diagnostics
        .iter()
        .filter(|d| d.code == "schema/field-name-whitespace")
        .count();
    assert_eq!(whitespace, 4);
}

#[test]
fn every_missing_values_note_is_reported_once_with_a_suggestion() {
    let Some(files) = reference_vault() else {
        return;
    };
    let (_, diagnostics) = load(files);
    let missing: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.code == "schema/missing-values-note")
        .collect();
    assert!(!missing.is_empty());
    let mut seen = std::collections::BTreeSet::new();
    for d in &missing {
        assert!(
            seen.insert((d.path.clone(), d.message.clone())),
            "reported twice: {}",
            d.message
        );
        let help = d.help.as_deref().unwrap_or_default();
        let suggestion = help
            .strip_prefix("did you mean `")
            .and_then(|h| h.split('`').next());
        let suggestion = suggestion.unwrap_or_else(|| panic!("no suggestion for {}", d.message));
        assert!(
            files.contains_key(suggestion),
            "suggested {suggestion} does not exist"
        );
        assert!(d.span.is_some());
    }
    // Every valuesListNotePath that does not exist is among them.
    let mut expected = 0;
    for (path, text) in files
        .iter()
        .filter(|(p, _)| p.starts_with("Meta/fileClass/"))
    {
        for line in text.lines() {
            if let Some(target) = line.trim().strip_prefix("valuesListNotePath: ")
                && !files.contains_key(target.trim())
            {
                expected += 1;
                assert!(
                    missing
                        .iter()
                        .any(|d| d.path == *path && d.message.contains(target.trim())),
                    "{path}: {target}"
                );
            }
        }
    }
    assert_eq!(missing.len(), expected);
    eprintln!("{} missing value-list notes", missing.len());
}

#[test]
fn every_me_note_gets_a_class_or_a_reason() {
    let Some(files) = reference_vault() else {
        return;
    };
    let (schema, _) = load(files);
    let mut by_source: BTreeMap<String, usize> = BTreeMap::new();
    let mut mismatch_folders: BTreeMap<String, usize> = BTreeMap::new();
    for (path, text) in files
        .iter()
        .filter(|(p, _)| p.starts_with("ME/") && p.ends_with(".md"))
    {
        let a = schema.class_of(path, declared_class(text).as_deref());
        match &a.source {
            ClassSource::Folder | ClassSource::Declared | ClassSource::Tag => {
                assert!(a.class.is_some())
            }
            ClassSource::None(NoClassReason::FolderIndex) => assert!(a.diagnostics.is_empty()),
            ClassSource::None(_) => assert!(
                !a.diagnostics.is_empty(),
                "{path} has no class and no diagnostic"
            ),
        }
        for d in a
            .diagnostics
            .iter()
            .filter(|d| d.code == "schema/class-mismatch")
        {
            let folder = d
                .path
                .rsplit_once('/')
                .map(|(f, _)| f.to_string())
                .unwrap_or_default();
            *mismatch_folders.entry(folder).or_default() += 1;
        }
        *by_source.entry(format!("{:?}", a.source)).or_default() += 1;
    }
    eprintln!("{by_source:#?}\n{mismatch_folders:#?}");
    assert_eq!(
        mismatch_folders.get("ME/🏛️ Foundations/🪖 Protective Strategies"),
        Some(&34)
    );
}

/// Validate every typed ME note; returns (code → count, all findings).
fn validate_all(
    files: &BTreeMap<String, String>,
    schema: &Schema,
) -> (BTreeMap<&'static str, usize>, Vec<Diagnostic>) {
    let mut counts = BTreeMap::new();
    let mut all = Vec::new();
    for (path, text) in files
        .iter()
        .filter(|(p, _)| p.starts_with("ME/") && p.ends_with(".md"))
    {
        let note = attune_syntax::parse_note(text.as_bytes());
        let Some(fm) = note.frontmatter.as_ref() else {
            continue;
        };
        let declared = match fm.get("fileClass").map(|f| &f.value) {
            Some(attune_syntax::Value::Text(t)) => Some(&**t),
            _ => None,
        };
        let assignment = schema.class_of(path, declared);
        for d in schema.validate_note(assignment.class.as_deref(), fm, path) {
            *counts.entry(d.code).or_default() += 1;
            all.push(d);
        }
    }
    (counts, all)
}

#[test]
fn validation_findings_on_the_reference_vault() {
    let Some(files) = reference_vault() else {
        return;
    };
    let (schema, _) = load(files);
    let started = Instant::now();
    let (counts, all) = validate_all(files, &schema);
    eprintln!(
        "validate_note over ME/: {:?}\n{counts:#?}",
        started.elapsed()
    );
    // Every finding points at text in its file and says what to do.
    for d in &all {
        let span = d.span.unwrap_or_else(|| panic!("no span: {d:?}"));
        assert!(
            span.end as usize <= files[&d.path].len() && span.start < span.end,
            "{d:?}"
        );
        assert!(d.help.as_deref().is_some_and(|h| !h.is_empty()), "{d:?}");
    }
    // The legacy `healing_resource` key: once in every wound note that has it, nowhere else.
    let wounds: Vec<&String> = files
        .iter()
        .filter(|(p, t)| {
            p.starts_with("ME/🏛️ Foundations/🌀 Emotional Wounds/")
                && t.lines().any(|l| l.starts_with("healing_resource:"))
        })
        .map(|(p, _)| p)
        .collect();
    let legacy: Vec<&String> = all
        .iter()
        .filter(|d| d.code == "schema/legacy-field" && d.message.starts_with("`healing_resource`"))
        .map(|d| &d.path)
        .collect();
    assert_eq!(legacy, wounds);
    assert_eq!(legacy.len(), 32);
    // Ignored, global and class keys are never unknown; empty values never mismatch.
    let global = schema.global_class().expect("global");
    for d in all.iter().filter(|d| d.code == "schema/unknown-field") {
        let key = d.message.split('`').nth(1).expect("key in message");
        assert!(
            !["tags", "aliases", "cssclass", "fileClass"].contains(&key),
            "{d:?}"
        );
        assert!(global.field(key).is_none(), "{d:?}");
    }
    // Option values are compared without U+FE0F: the vault's `⬛ blocked`/`⬛️ blocked`
    // and emoji statuses raise nothing.
    for d in all.iter().filter(|d| d.code == "schema/value-not-in-list") {
        let value = d.message.split('`').nth(1).expect("value");
        assert!(
            !value.starts_with('🟩') && !value.starts_with('⬛'),
            "{d:?}"
        );
    }
}

#[test]
fn modal_forms_import_finds_the_group_maps() {
    let Some(files) = reference_vault() else {
        return;
    };
    let (schema, _) = load(files);
    let json = files
        .get(".obsidian/plugins/modalforms/data.json")
        .expect("forms");
    let (import, diagnostics) = attune_schema::modal_forms::read_modal_forms(json, Some(&schema));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(import.forms.len(), 36);
    let text = attune_schema::modal_forms::render_toml(&import, Some(&schema));
    // Group maps (a group select and the type options shown for each group), per class.
    let maps = |class: &str| -> Vec<(String, String, usize)> {
        let full = schema.class(class).expect(class).name().to_string();
        let mut out: Vec<(String, String, usize)> = import
            .forms
            .iter()
            .filter(|f| f.class.as_deref() == Some(full.as_str()))
            .flat_map(|f| {
                f.groups
                    .iter()
                    .map(|g| (g.by.clone(), g.field.clone(), g.options.len()))
            })
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let map = |by: &str, field: &str, n: usize| (by.to_string(), field.to_string(), n);
    assert_eq!(
        maps("trigger"),
        [
            map("trigger_flag_group", "trigger_flags", 8),
            map("trigger_group", "trigger_origin", 7),
            map("trigger_group", "trigger_type", 8)
        ]
    );
    assert_eq!(
        maps("emotional_wound"),
        [
            map("wound_group", "origin_context", 5),
            map("wound_group", "wound_type", 5)
        ]
    );
    assert_eq!(maps("emotional_need"), [map("need_group", "need_type", 11)]);
    assert_eq!(
        maps("internal_voice"),
        [
            map("voice_group", "voice_style", 4),
            map("voice_group", "voice_type", 4)
        ]
    );
    assert_eq!(
        maps("protective_strategy"),
        [
            map("function_group", "functions", 5),
            map("strategy_group", "strategy_type", 7),
            map("tradeoff_group", "tradeoffs", 9)
        ]
    );
    assert_eq!(
        maps("tradeoff"),
        [
            map("dominant_pole_group", "dominant_pole", 6),
            map("resolved_by_group", "resolved_by", 4),
            map("tradeoff_group", "tradeoff_type", 9)
        ]
    );
    // The emotion and soothing-resource forms ask for a group and a type with no condition
    // between them: their maps are the closed lists the forms offer.
    let lists = |class: &str| -> Vec<String> {
        let full = schema.class(class).expect(class).name().to_string();
        import
            .forms
            .iter()
            .filter(|f| f.class.as_deref() == Some(full.as_str()))
            .flat_map(|f| f.option_lists.iter().map(|(k, _)| k.clone()))
            .collect()
    };
    assert!(
        lists("emotion").starts_with(&["emotion_group".to_string(), "emotion_type".to_string()])
    );
    assert!(lists("soothing_resource").contains(&"resource_type".to_string()));
    // One concrete map, and the folder-per-group flags.
    let trigger_type = import
        .forms
        .iter()
        .flat_map(|f| &f.groups)
        .find(|g| g.field == "trigger_type")
        .expect("trigger_type map");
    let relational = trigger_type
        .options
        .iter()
        .find(|(g, _)| g == "Relational")
        .expect("Relational");
    assert!(
        relational.1.iter().any(|o| o == "Rejection")
            && relational.1.iter().any(|o| o == "Abandonment")
    );
    assert!(text.contains("[class.trigger.groups.trigger_flags]\nby = \"trigger_flag_group\"\nfolder = \"Meta/fileClass/me/foundations/trigger/lists/trigger flags\"\n"), "{text}");
    assert!(
        text.contains("[class.tradeoff.aliases]")
            && text.contains("pole_group = \"dominant_pole_group\"")
    );
    // The rendered text is a valid attune.toml.
    let (_, problems) = attune_schema::parse_config(&text, "attune.toml");
    assert!(problems.is_empty(), "{problems:?}");
    eprintln!("{text}");
    for form in &import.forms {
        eprintln!("{} -> {:?}", form.form, form.class);
        for g in &form.groups {
            eprintln!(
                "   {} ({}) -> {} {:?} groups={}",
                g.by,
                g.form_group_field,
                g.field,
                g.folder,
                g.options.len()
            );
        }
        for (k, o) in &form.option_lists {
            eprintln!("   list {k} {}", o.len());
        }
        eprintln!("   renames {:?}", form.renames);
    }
}
