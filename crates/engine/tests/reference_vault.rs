//! Issue 6's acceptance on a writable copy of `../shared/reference-vault` (skipped with a
//! message when the vault is absent): the practice-session flow, the group refusal, and
//! `set` of one key on every typed note changing only that key's lines.
#![allow(clippy::disallowed_methods, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use attune_engine::commit::commit;
use attune_engine::create::{NewNote, Now, plan_create};
use attune_engine::update::{NoteUpdate, plan_update};
use attune_engine::workspace::{LinkResolution, Workspace};
use attune_syntax::parse_note_text;

const VAULT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/reference-vault"
);

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}

/// A writable copy of the reference vault, or `None` (with a message) when it is absent.
fn copy() -> Option<(tempfile::TempDir, PathBuf)> {
    let src = Path::new(VAULT);
    if !src.is_dir() {
        eprintln!("reference vault not found at {VAULT}; skipping");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("vault");
    copy_dir(src, &root);
    Some((dir, root))
}

fn now() -> Now {
    Now {
        epoch_ms: 1_756_500_000_000,
        date: "2025-08-29".into(),
        time: "21:05".into(),
    }
}

fn set(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn a_practice_session_with_take_and_coaching_linked_both_ways() {
    let Some((_tmp, root)) = copy() else { return };
    let ws = Workspace::load(&root).unwrap();
    let plan = plan_create(
        &ws,
        &NewNote {
            class: "practice_session".into(),
            values: set(&[
                ("scenario", "[[A Different Story]]"),
                ("rehearsal_mode", "Live Rehearsal & Coaching"),
            ]),
            ..NewNote::default()
        },
        &now(),
    );
    let errors: Vec<String> = plan
        .errors()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let warnings: Vec<String> = plan
        .warnings()
        .map(|d| format!("{} {}: {}", d.path, d.code, d.message))
        .collect();
    assert!(
        warnings.is_empty(),
        "new notes must raise no finding: {warnings:#?}"
    );
    let created: Vec<&str> = plan.created().collect();
    assert_eq!(
        created,
        [
            "ME/🧪 Practice Lab/🎬 Practice Logs/A Different Story_Session-3.md",
            "ME/🧪 Practice Lab/🎙️ Live Rehearsals/A Different Story_Session-3_Live Rehearsal_Take-1.md",
            "ME/🧪 Practice Lab/🧠 Coaching/A Different Story_Session-3_Coaching Session-1.md",
        ]
    );
    assert_eq!(plan.changed().count(), 0);
    commit(&root, &plan).unwrap();

    // Reloaded: every link of the new notes resolves to one note, both ways, and the schema
    // finds nothing in them.
    let ws = Workspace::load(&root).unwrap();
    let links = |path: &str| -> Vec<String> {
        let i = ws.find_note(path).unwrap();
        let note = &ws.note(i).note;
        let class = ws.class_of_note(i).unwrap();
        let fm = note.frontmatter.as_ref().unwrap();
        let found = ws.schema.validate_note(Some(class.name()), fm, path);
        assert!(found.is_empty(), "{path}: {found:#?}");
        note.links
            .iter()
            .map(|l| {
                let targets: Vec<String> = match &l.place {
                    attune_syntax::LinkPlace::Frontmatter { key: f } => ws
                        .schema
                        .relation_target_classes(class.name(), f)
                        .iter()
                        .map(|c| c.name().to_owned())
                        .collect(),
                    attune_syntax::LinkPlace::Body => Vec::new(),
                };
                match ws.resolve_link(&l.target.target, &targets) {
                    LinkResolution::Note { path, .. } => path
                        .rsplit('/')
                        .next()
                        .unwrap()
                        .trim_end_matches(".md")
                        .to_owned(),
                    other => panic!(
                        "{path}: [[{}]] does not resolve: {other:?}",
                        l.target.target
                    ),
                }
            })
            .collect()
    };
    let session = links("ME/🧪 Practice Lab/🎬 Practice Logs/A Different Story_Session-3");
    assert!(
        session.contains(&"A Different Story".to_owned()),
        "{session:?}"
    );
    assert!(
        session.contains(&"A Different Story_Session-3_Live Rehearsal_Take-1".to_owned()),
        "{session:?}"
    );
    assert!(
        session.contains(&"A Different Story_Session-3_Coaching Session-1".to_owned()),
        "{session:?}"
    );
    for child in [
        "ME/🧪 Practice Lab/🎙️ Live Rehearsals/A Different Story_Session-3_Live Rehearsal_Take-1",
        "ME/🧪 Practice Lab/🧠 Coaching/A Different Story_Session-3_Coaching Session-1",
    ] {
        let back = links(child);
        assert!(
            back.contains(&"A Different Story_Session-3".to_owned()),
            "{child}: {back:?}"
        );
        assert!(
            back.contains(&"A Different Story".to_owned()),
            "{child}: {back:?}"
        );
    }
}

#[test]
fn a_trigger_type_of_another_group_is_refused_naming_the_allowed_types() {
    let Some((_tmp, root)) = copy() else { return };
    let ws = Workspace::load(&root).unwrap();
    let plan = plan_create(
        &ws,
        &NewNote {
            class: "trigger".into(),
            title: Some("being interrupted mid-sentence".into()),
            values: set(&[("trigger_group", "Relational"), ("trigger_type", "Crowds")]),
            ..NewNote::default()
        },
        &now(),
    );
    assert!(plan.is_refused());
    let errors: Vec<_> = plan.errors().collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "form/not-in-group");
    assert!(
        errors[0].message.contains("`Crowds`") && errors[0].message.contains("Relational"),
        "{}",
        errors[0].message
    );
    let help = errors[0].help.as_deref().unwrap();
    assert!(
        help.starts_with("the types allowed for Relational are: "),
        "{help}"
    );
    assert!(help.contains("Rejection"), "{help}");
    assert!(!help.contains("Crowds"), "{help}");
}

/// Remove the lines of `keys` from a note's text (what may differ after setting them).
fn without_keys(text: &str, keys: &[&str]) -> String {
    let note = parse_note_text(text.to_owned());
    let Some(fm) = &note.frontmatter else {
        return text.to_owned();
    };
    let mut spans: Vec<_> = fm
        .iter()
        .filter(|f| keys.contains(&f.key.as_str()))
        .map(|f| f.lines(text).range())
        .collect();
    spans.sort_by_key(|r| r.start);
    let mut out = String::new();
    let mut at = 0;
    for r in spans {
        out.push_str(&text[at..r.start]);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[test]
fn setting_one_key_on_every_typed_note_changes_only_that_keys_lines() {
    let Some((_tmp, root)) = copy() else { return };
    let ws = Workspace::load(&root).unwrap();
    let mut planned = 0;
    let mut refused = Vec::new();
    let mut plans = Vec::new();
    for (i, n) in ws.vault.notes.iter().enumerate() {
        let Some(class) = ws.class_of_note(i) else {
            continue;
        };
        if n.meta.excluded || n.declared_file_class().is_none() {
            continue;
        }
        let form_has_notes = attune_engine::form::Form::of(&ws, class)
            .field("notes")
            .is_some();
        let key = if form_has_notes { "notes" } else { "title" };
        let plan = plan_update(
            &ws,
            &NoteUpdate {
                note: n.path().to_owned(),
                set: set(&[(key, "round trip ✓")]),
                ..NoteUpdate::default()
            },
            &now(),
        );
        if plan.is_refused() {
            refused.push(format!(
                "{}: {:?}",
                n.path(),
                plan.errors().map(|d| d.code).collect::<Vec<_>>()
            ));
            continue;
        }
        planned += 1;
        let file = &plan.files[0];
        let before = file.before.as_deref().unwrap();
        assert_eq!(
            without_keys(before, &[key, "last_modified"]),
            without_keys(&file.after, &[key, "last_modified"]),
            "{}",
            file.path
        );
        let after = parse_note_text(file.after.clone());
        let fm = after.frontmatter.as_ref().unwrap();
        assert_eq!(
            fm.get(key).map(|f| f.value.clone()),
            Some(attune_syntax::Value::Text("round trip ✓".into())),
            "{}",
            file.path
        );
        assert_eq!(plan.files.len(), 1, "{}", file.path);
        plans.push(plan);
    }
    eprintln!(
        "planned {planned} updates; refused {}: {refused:#?}",
        refused.len()
    );
    assert!(planned > 450, "{planned}");
    // Only notes whose frontmatter cannot be edited safely are refused.
    assert!(refused.iter().all(|r| r.contains("edit/")), "{refused:#?}");
    // Commit a spread of them: the disk holds exactly the planned bytes.
    for plan in plans.iter().step_by(25) {
        commit(&root, plan).unwrap();
        let f = &plan.files[0];
        assert_eq!(
            std::fs::read_to_string(root.join(&f.path)).unwrap(),
            f.after
        );
    }
}
