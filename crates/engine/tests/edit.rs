//! Create and update flows on a small fixture vault (`fixture_vault.txt`, written by us):
//! the files each plan writes are snapshot-tested, then committed, checked and undone.
#![allow(clippy::disallowed_methods, clippy::unwrap_used)]

use std::path::Path;

use attune_engine::commit::{EditError, commit, log, undo};
use attune_engine::create::{NewNote, Now, plan_create};
use attune_engine::plan::Plan;
use attune_engine::update::{NoteUpdate, plan_update};
use attune_engine::workspace::Workspace;
use expect_test::{Expect, expect};

const FIXTURE: &str = include_str!("fixture_vault.txt");

fn now() -> Now {
    Now {
        epoch_ms: 1_751_067_279_362,
        date: "2025-06-27".into(),
        time: "18:34".into(),
    }
}

/// Write the fixture into a fresh temp folder.
fn vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut current: Option<(String, String)> = None;
    let mut files = Vec::new();
    for line in FIXTURE.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("//- ") {
            files.extend(current.take());
            current = Some((path.trim().to_owned(), String::new()));
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
        }
    }
    files.extend(current);
    for (p, text) in files {
        let path = dir.path().join(&p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn load(dir: &Path) -> Workspace {
    Workspace::load(dir).unwrap()
}

fn set(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Every file the plan writes, with its new text; then the diagnostics.
fn render(plan: &Plan) -> String {
    let mut out = format!("summary: {}\n", plan.summary);
    for f in &plan.files {
        out.push_str(&format!(
            "=== {} {}\n{}",
            if f.is_new() { "new" } else { "changed" },
            f.path,
            f.after
        ));
    }
    for d in &plan.diagnostics {
        out.push_str(&format!("--- {:?} {}: {}\n", d.severity, d.code, d.message));
        if let Some(h) = &d.help {
            out.push_str(&format!("    help: {h}\n"));
        }
    }
    out
}

/// A diff with trailing blanks removed from each line (a context line of an empty line is
/// one space, which editors strip from snapshots).
fn trimmed(diff: &str) -> String {
    diff.lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

fn check_plan(plan: &Plan, expect: Expect) {
    expect.assert_eq(&render(plan));
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap()
}

#[test]
fn new_practice_session_creates_take_and_coaching_linked_both_ways() {
    let dir = vault();
    let ws = load(dir.path());
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
    check_plan(
        &plan,
        expect![[r#"
            summary: new practice_session A Different Story_Session-2
            === new ME/Logs/A Different Story_Session-2.md
            ---
            fileClass: practice_session
            id: 1751067279362
            created: 2025-06-27 18:34
            last_modified: 2025-06-27 18:34
            title: A Different Story_Session-2
            status: 🟧 in progress
            entered: false
            priority: ⚪ None
            visibility: 🔒 private
            rehearsal_mode: Live Rehearsal & Coaching
            scenario:
              - "[[A Different Story]]"
            live_rehearsals:
              - "[[A Different Story_Session-2_Live Rehearsal_Take-1]]"
            coaching_sessions:
              - "[[A Different Story_Session-2_Coaching Session-1]]"
            ---

            ## Summary
            ---
            === new ME/Takes/A Different Story_Session-2_Live Rehearsal_Take-1.md
            ---
            fileClass: live_rehearsal
            id: 1751067279363
            created: 2025-06-27 18:34
            last_modified: 2025-06-27 18:34
            title: A Different Story_Session-2_Live Rehearsal_Take-1
            status: 🟧 in progress
            entered: false
            priority: ⚪ None
            visibility: 🔒 private
            practice_session: "[[A Different Story_Session-2]]"
            scenario: "[[A Different Story]]"
            rehearsal_mode: Live Rehearsal & Coaching
            ---
            === new ME/Coaching/A Different Story_Session-2_Coaching Session-1.md
            ---
            fileClass: coaching
            id: 1751067279364
            created: 2025-06-27 18:34
            last_modified: 2025-06-27 18:34
            title: A Different Story_Session-2_Coaching Session-1
            status: 🟧 in progress
            entered: false
            priority: ⚪ None
            visibility: 🔒 private
            practice_session: "[[A Different Story_Session-2]]"
            scenario: "[[A Different Story]]"
            ---
        "#]],
    );
    assert!(!plan.is_refused());
    commit(dir.path(), &plan).unwrap();
    for f in &plan.files {
        assert_eq!(read(dir.path(), &f.path), f.after);
    }
    // The vault reloads with the new notes, and undo takes them away again.
    let again = load(dir.path());
    assert!(
        again
            .find_note("A Different Story_Session-2_Coaching Session-1")
            .is_ok()
    );
    assert_eq!(log(dir.path()).unwrap().len(), 1);
    undo(dir.path()).unwrap();
    assert!(
        !dir.path()
            .join("ME/Logs/A Different Story_Session-2.md")
            .exists()
    );
    assert!(
        !dir.path()
            .join("ME/Takes/A Different Story_Session-2_Live Rehearsal_Take-1.md")
            .exists()
    );
}

#[test]
fn a_take_for_an_existing_session_takes_the_next_number_and_is_appended_to_its_list() {
    let dir = vault();
    let ws = load(dir.path());
    let plan = plan_create(
        &ws,
        &NewNote {
            class: "live_rehearsal".into(),
            values: set(&[("practice_session", "A Different Story_Session-1")]),
            ..NewNote::default()
        },
        &now(),
    );
    let created: Vec<&str> = plan.created().collect();
    assert_eq!(
        created,
        ["ME/Takes/A Different Story_Session-1_Live Rehearsal_Take-2.md"]
    );
    let session = plan
        .file("ME/Logs/A Different Story_Session-1.md")
        .expect("the session is updated");
    expect![[r#"
        --- a/ME/Logs/A Different Story_Session-1.md
        +++ b/ME/Logs/A Different Story_Session-1.md
        @@ -4,4 +4,6 @@
         rehearsal_mode: Live Rehearsal
         scenario: ["[[A Different Story]]"]
        -live_rehearsals: "[[A Different Story_Session-1_Live Rehearsal_Take-1]]"
        +live_rehearsals:
        +  - "[[A Different Story_Session-1_Live Rehearsal_Take-1]]"
        +  - "[[A Different Story_Session-1_Live Rehearsal_Take-2]]"
         ---
    "#]]
    .assert_eq(&trimmed(&session.diff()));
    commit(dir.path(), &plan).unwrap();
}

#[test]
fn a_type_outside_its_group_is_refused_naming_the_allowed_types() {
    let dir = vault();
    let ws = load(dir.path());
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
    check_plan(
        &plan,
        expect![[r#"
            summary: new trigger
            --- Error form/not-in-group: `Crowds` is not a `trigger_type` of the group `Relational` (it belongs to `Enviromental`)
                help: the types allowed for Relational are: Rejection, Criticism, Abandonment
        "#]],
    );
    let err = commit(dir.path(), &plan).unwrap_err();
    assert!(matches!(err, EditError::Refused(_)));
    assert!(
        std::fs::read_dir(dir.path().join("ME/Triggers"))
            .unwrap()
            .count()
            == 1,
        "nothing written"
    );
}

#[test]
fn a_trigger_is_named_in_title_case_with_its_group_and_type_as_two_keys() {
    let dir = vault();
    let ws = load(dir.path());
    let plan = plan_create(
        &ws,
        &NewNote {
            class: "trigger".into(),
            title: Some("being interrupted mid-sentence?".into()),
            values: set(&[
                ("trigger_group", "relational"),
                ("trigger_type", "criticism"),
                ("protective_strategies", "People Pleasing"),
                ("priority", "high"),
            ]),
            ..NewNote::default()
        },
        &now(),
    );
    check_plan(
        &plan,
        expect![[r#"
            summary: new trigger Being Interrupted Mid-Sentence
            === new ME/Triggers/Being Interrupted Mid-Sentence.md
            ---
            fileClass: trigger
            id: 1751067279362
            created: 2025-06-27 18:34
            last_modified: 2025-06-27 18:34
            title: Being Interrupted Mid-Sentence
            status: 🟩 complete
            entered: false
            priority: 🔴 High
            visibility: 🔒 private
            trigger_group: Relational
            trigger_type: Criticism
            protective_strategies:
              - "[[People Pleasing]]"
            intensity:
            ---

            ## What it sets off
            ---

            ## Working with it
            ---
        "#]],
    );
}

#[test]
fn each_field_error_gets_its_own_message() {
    let dir = vault();
    let ws = load(dir.path());
    let plan = plan_create(
        &ws,
        &NewNote {
            class: "trigger".into(),
            title: Some("x".into()),
            values: set(&[
                ("trigger_type", "Crowds"),
                ("intensity", "loud"),
                ("statuss", "x"),
                ("protective_strategies", "Nobody"),
                ("visibility", "public"),
            ]),
            ..NewNote::default()
        },
        &now(),
    );
    check_plan(
        &plan,
        expect![[r#"
            summary: new trigger
            --- Error form/group-missing: `trigger_type` depends on `trigger_group`, which is not set
                help: set `trigger_group` too (the group is never guessed from the type)
            --- Error form/not-a-number: `intensity` is a number, not `loud`
                help: write a number such as 3 or 2.5
            --- Error form/unknown-field: `statuss` is not a field of `trigger`
                help: did you mean `status`?
            --- Error form/not-an-option: `public` is not an option of `visibility`
                help: the options are: 🔒 private, 🌐 external
        "#]],
    );
}

#[test]
fn missing_links_are_refused_or_created_as_stubs() {
    let dir = vault();
    let ws = load(dir.path());
    let mut request = NewNote {
        class: "trigger".into(),
        title: Some("Loud Room".into()),
        values: set(&[
            ("trigger_group", "Enviromental"),
            ("trigger_type", "Loud Noises"),
            ("protective_strategies", "[[Shutting Down]]"),
        ]),
        ..NewNote::default()
    };
    let refused = plan_create(&ws, &request, &now());
    check_plan(
        &refused,
        expect![[r#"
            summary: new trigger
            --- Error form/dangling-link: `protective_strategies`: no note is named [[Shutting Down]]
                help: check the name, or add --create-missing to create it as a `protective_strategy` note
        "#]],
    );
    request.create_missing = true;
    let plan = plan_create(&ws, &request, &now());
    assert_eq!(
        plan.created().collect::<Vec<_>>(),
        ["ME/Strategies/Shutting Down.md", "ME/Triggers/Loud Room.md"]
    );
    assert!(!plan.is_refused(), "{}", render(&plan));
    assert!(
        plan.file("ME/Strategies/Shutting Down.md")
            .unwrap()
            .after
            .contains("fileClass: protective_strategy\nid: 1751067279362\n")
    );
    assert!(
        plan.file("ME/Triggers/Loud Room.md")
            .unwrap()
            .after
            .contains("id: 1751067279363\n"),
        "ids are unique"
    );
}

#[test]
fn an_ambiguous_link_is_written_with_its_path_when_the_field_picks_the_note() {
    let dir = vault();
    let ws = load(dir.path());
    let plan = plan_create(
        &ws,
        &NewNote {
            class: "emotional_wound".into(),
            title: Some("old hurt".into()),
            values: set(&[("linked_emotions", "Shame")]),
            ..NewNote::default()
        },
        &now(),
    );
    assert!(
        plan.files[0]
            .after
            .contains("linked_emotions:\n  - \"[[ME/Emotions/Shame]]\"\n"),
        "{}",
        render(&plan)
    );
    // A field with no target class cannot choose.
    let plan = plan_create(
        &ws,
        &NewNote {
            class: "emotion".into(),
            title: Some("pride".into()),
            values: set(&[("opposite", "Shame")]),
            ..NewNote::default()
        },
        &now(),
    );
    check_plan(
        &plan,
        expect![[r#"
            summary: new emotion
            --- Error form/ambiguous-link: `opposite`: [[Shame]] could mean 2 notes
                help: write the path: [[ME/Emotions/Shame]], [[ME/Wounds/Shame]]
        "#]],
    );
}

#[test]
fn captured_moments_link_their_daily_note_and_names_clash_to_a_number() {
    let dir = vault();
    std::fs::create_dir_all(dir.path().join("ME/Moments")).unwrap();
    std::fs::write(dir.path().join("ME/Moments/Late Train.md"), "").unwrap();
    let ws = load(dir.path());
    let plan = plan_create(
        &ws,
        &NewNote {
            class: "capturedMoment".into(),
            title: Some("late train".into()),
            ..NewNote::default()
        },
        &now(),
    );
    let file = &plan.files[0];
    assert_eq!(file.path, "ME/Moments/Late Train-1.md");
    assert!(
        file.after
            .contains("source_daily_note: \"[[2025-06-27]]\"\n"),
        "{}",
        file.after
    );
    assert!(file.after.contains("emotions:\n"), "{}", file.after);
}

#[test]
fn set_changes_only_the_keys_lines_and_bumps_last_modified() {
    let dir = vault();
    let ws = load(dir.path());
    let plan = plan_update(
        &ws,
        &NoteUpdate {
            note: "Rejection".into(),
            set: set(&[("trigger_type", "Criticism")]),
            append: set(&[("protective_strategies", "People Pleasing")]),
            ..NoteUpdate::default()
        },
        &now(),
    );
    expect![[r#"
        --- a/ME/Triggers/Rejection.md
        +++ b/ME/Triggers/Rejection.md
        @@ -3,8 +3,8 @@
         id: 1005
         created: 2025-01-02 10:00
        -last_modified: 2025-01-02 10:00
        +last_modified: 2025-06-27 18:34
         status: 🟧 in progress
         trigger_group: Relational
        -trigger_type: Rejection # as the owner wrote it
        +trigger_type: Criticism # as the owner wrote it
         protective_strategies:
           - "[[People Pleasing]]"
    "#]]
    .assert_eq(&trimmed(&plan.diff()));
    commit(dir.path(), &plan).unwrap();
    let reviewed = plan_update(
        &load(dir.path()),
        &NoteUpdate {
            note: "ME/Triggers/Rejection".into(),
            reviewed: true,
            ..NoteUpdate::default()
        },
        &now(),
    );
    expect![[r#"
        --- a/ME/Triggers/Rejection.md
        +++ b/ME/Triggers/Rejection.md
        @@ -4,10 +4,10 @@
         created: 2025-01-02 10:00
         last_modified: 2025-06-27 18:34
        -status: 🟧 in progress
        +status: 🟩 complete
         trigger_group: Relational
         trigger_type: Criticism # as the owner wrote it
         protective_strategies:
           - "[[People Pleasing]]"
        -entered: false
        +entered: true
         ---
 
    "#]]
    .assert_eq(&trimmed(&reviewed.diff()));
}

#[test]
fn set_validates_like_create_and_uses_the_notes_own_group() {
    let dir = vault();
    let ws = load(dir.path());
    let plan = plan_update(
        &ws,
        &NoteUpdate {
            note: "Rejection".into(),
            set: set(&[("trigger_type", "Crowds")]),
            ..NoteUpdate::default()
        },
        &now(),
    );
    check_plan(
        &plan,
        expect![[r#"
            summary: set Rejection
            --- Error form/not-in-group: `Crowds` is not a `trigger_type` of the group `Relational` (it belongs to `Enviromental`)
                help: the types allowed for Relational are: Rejection, Criticism, Abandonment
        "#]],
    );
    let missing = plan_update(
        &ws,
        &NoteUpdate {
            note: "Shame".into(),
            set: set(&[("title", "x")]),
            ..NoteUpdate::default()
        },
        &now(),
    );
    check_plan(
        &missing,
        expect![[r#"
            summary: set Shame
            --- Error form/ambiguous-note: `Shame` could mean 2 notes
                help: give the path: ME/Emotions/Shame.md, ME/Wounds/Shame.md
        "#]],
    );
}

#[test]
fn a_file_changed_between_plan_and_commit_fails_with_its_name_and_nothing_written() {
    let dir = vault();
    let ws = load(dir.path());
    let plan = plan_create(
        &ws,
        &NewNote {
            class: "live_rehearsal".into(),
            values: set(&[("practice_session", "A Different Story_Session-1")]),
            ..NewNote::default()
        },
        &now(),
    );
    let session = dir.path().join("ME/Logs/A Different Story_Session-1.md");
    let edited = format!(
        "{}\nedited in Obsidian\n",
        read(dir.path(), "ME/Logs/A Different Story_Session-1.md")
    );
    std::fs::write(&session, &edited).unwrap();
    let err = commit(dir.path(), &plan).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ME/Logs/A Different Story_Session-1.md changed since it was read (edited elsewhere?); nothing was written — run the command again"
    );
    assert_eq!(std::fs::read_to_string(&session).unwrap(), edited);
    assert!(
        !dir.path()
            .join("ME/Takes/A Different Story_Session-1_Live Rehearsal_Take-2.md")
            .exists()
    );
    assert!(log(dir.path()).unwrap().is_empty());
}

#[test]
fn crlf_and_permissions_of_an_existing_note_are_kept() {
    let dir = vault();
    let path = dir.path().join("ME/Triggers/Rejection.md");
    let crlf = read(dir.path(), "ME/Triggers/Rejection.md").replace('\n', "\r\n");
    std::fs::write(&path, &crlf).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let ws = load(dir.path());
    let plan = plan_update(
        &ws,
        &NoteUpdate {
            note: "Rejection".into(),
            set: set(&[("status", "review")]),
            ..NoteUpdate::default()
        },
        &now(),
    );
    commit(dir.path(), &plan).unwrap();
    let after = read(dir.path(), "ME/Triggers/Rejection.md");
    assert_eq!(
        after,
        crlf.replace("status: 🟧 in progress", "status: 🟨 review")
            .replace(
                "last_modified: 2025-01-02 10:00",
                "last_modified: 2025-06-27 18:34"
            )
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn journal_entries_are_named_by_their_type_with_date_and_time_and_sections_get_text() {
    let dir = vault();
    let ws = load(dir.path());
    let request = NewNote {
        class: "emotional_growth_journal".into(),
        values: set(&[
            ("journal_type", "reflection"),
            ("## what i felt", "Tired, then relieved."),
        ]),
        ..NewNote::default()
    };
    check_plan(
        &plan_create(&ws, &request, &now()),
        expect![[r#"
            summary: new emotional_growth_journal 🪞 Reflection Journal Entry 2025-06-27 @ 1834
            === new ME/Journal/🪞 Reflection Journal Entry 2025-06-27 @ 1834.md
            ---
            fileClass: emotional_growth_journal
            id: 1751067279362
            created: 2025-06-27 18:34
            last_modified: 2025-06-27 18:34
            title: 🪞 Reflection Journal Entry 2025-06-27 @ 1834
            status: 🟧 in progress
            entered: false
            priority: ⚪ None
            visibility: 🔒 private
            journal_type: 🪞 Reflection
            source_daily_note: "[[2025-06-27]]"
            ---

            ## What I felt
            ---
            Tired, then relieved.

            ## What I needed
            ---
        "#]],
    );
    let no_type = plan_create(
        &ws,
        &NewNote {
            class: "emotional_growth_journal".into(),
            values: set(&[("## Nope", "x")]),
            ..NewNote::default()
        },
        &now(),
    );
    check_plan(
        &no_type,
        expect![[r#"
            summary: new emotional_growth_journal
            --- Error form/missing-field: `journal_type` decides the name of a new `emotional_growth_journal`, and it was not given
                help: set journal_type to one of: Integration, Reflection
            --- Error form/unknown-section: `Nope` is not a section of a new `emotional_growth_journal`
                help: the sections are: What I felt, What I needed
        "#]],
    );
}

/// A plan creating one note and changing two, committed on the fault-injecting twin: after a
/// failure or crash at every step and the next start's recovery, the vault holds all of the
/// plan or none of it.
#[test]
fn an_engine_plan_is_all_or_nothing_at_every_failure_point() {
    use attune_engine::commit::commit_on;
    use attune_store::{FaultMode, MemDisk, VaultWriter};
    use std::collections::BTreeMap;

    let dir = vault();
    let ws = load(dir.path());
    let mut plan = plan_create(
        &ws,
        &NewNote {
            class: "live_rehearsal".into(),
            values: set(&[("practice_session", "A Different Story_Session-1")]),
            ..NewNote::default()
        },
        &now(),
    );
    let update = plan_update(
        &ws,
        &NoteUpdate {
            note: "Rejection".into(),
            reviewed: true,
            ..NoteUpdate::default()
        },
        &now(),
    );
    plan.files.extend(update.files);
    assert_eq!((plan.created().count(), plan.changed().count()), (1, 2));
    let root = Path::new("/v");
    let seed = |disk: &MemDisk| {
        for f in &plan.files {
            if let Some(b) = &f.before {
                disk.insert(root.join(&f.path), b.clone(), 0o644);
            }
        }
    };
    let state = |disk: &MemDisk| -> BTreeMap<String, String> {
        disk.files()
            .into_iter()
            .filter_map(|(p, b)| {
                let rel = p.strip_prefix(root).ok()?.to_string_lossy().into_owned();
                (!rel.starts_with(".attune")).then(|| (rel, String::from_utf8(b).unwrap()))
            })
            .collect()
    };
    let before: BTreeMap<String, String> = plan
        .files
        .iter()
        .filter_map(|f| Some((f.path.clone(), f.before.clone()?)))
        .collect();
    let after: BTreeMap<String, String> = plan
        .files
        .iter()
        .map(|f| (f.path.clone(), f.after.clone()))
        .collect();
    let clean = MemDisk::new();
    seed(&clean);
    commit_on(&clean, root, &plan).unwrap();
    assert_eq!(state(&clean), after);
    let steps = clean.steps();
    assert!(steps > 20, "{steps}");
    for mode in [FaultMode::Fail, FaultMode::Crash] {
        for k in 0..steps {
            let disk = MemDisk::new();
            seed(&disk);
            disk.fail_at(k, mode);
            let result = commit_on(&disk, root, &plan);
            disk.restart();
            let writer = VaultWriter::new(&disk, root);
            writer.recover().unwrap();
            let committed = !writer.log().unwrap().is_empty();
            assert!(result.is_err() || committed, "step {k} {mode:?}");
            assert_eq!(
                state(&disk),
                if committed {
                    after.clone()
                } else {
                    before.clone()
                },
                "step {k} {mode:?}"
            );
        }
    }
}

#[test]
fn moving_a_take_to_another_session_updates_both_sessions_lists() {
    let dir = vault();
    // A second session of the scenario, without takes.
    let ws = load(dir.path());
    let second = plan_create(
        &ws,
        &NewNote {
            class: "practice_session".into(),
            values: set(&[
                ("scenario", "A Different Story"),
                ("rehearsal_mode", "Coaching"),
            ]),
            ..NewNote::default()
        },
        &now(),
    );
    commit(dir.path(), &second).unwrap();
    let ws = load(dir.path());
    let plan = plan_update(
        &ws,
        &NoteUpdate {
            note: "A Different Story_Session-1_Live Rehearsal_Take-1".into(),
            set: set(&[("practice_session", "[[A Different Story_Session-2]]")]),
            ..NoteUpdate::default()
        },
        &now(),
    );
    expect![[r#"
        --- a/ME/Takes/A Different Story_Session-1_Live Rehearsal_Take-1.md
        +++ b/ME/Takes/A Different Story_Session-1_Live Rehearsal_Take-1.md
        @@ -2,5 +2,6 @@
         fileClass: live_rehearsal
         id: 1002
        -practice_session: "[[A Different Story_Session-1]]"
        +practice_session: "[[A Different Story_Session-2]]"
         scenario: "[[A Different Story]]"
        +last_modified: 2025-06-27 18:34
         ---
    "#]]
    .assert_eq(&trimmed(&plan.files[0].diff()));
    let lists: Vec<String> = plan.files[1..]
        .iter()
        .map(|f| {
            let note = attune_syntax::parse_note_text(f.after.clone());
            let fm = note.frontmatter.unwrap();
            format!(
                "{}: {:?}",
                f.path,
                fm.get("live_rehearsals").map(|x| x.value.clone())
            )
        })
        .collect();
    expect![[r#"
        [
            "ME/Logs/A Different Story_Session-2.md: Some(List([Link(LinkTarget { target: \"A Different Story_Session-1_Live Rehearsal_Take-1\", fragment: None, alias: None })]))",
            "ME/Logs/A Different Story_Session-1.md: Some(Null)",
        ]
    "#]].assert_debug_eq(&lists);
}
