//! Link resolution: Obsidian's rules plus the relation class, on small inline vaults.

mod common;

use attune_index::ClassFacts;
use common::{build, links};
use expect_test::{Expect, expect};

fn check(vault: &str, facts: ClassFacts, expect: Expect) {
    expect.assert_eq(&links(&build(vault, facts)));
}

fn emotion_facts() -> ClassFacts {
    let mut facts = ClassFacts::new();
    facts.add_relation("emotion", "linked_wounds", ["emotional_wound"], None);
    facts.add_relation("emotion", "internal_voices", ["internal_voice"], None);
    facts.add_relation("emotion", "opposite", ["emotion"], Some("opposite"));
    facts
}

#[test]
fn bare_names_paths_and_partial_paths() {
    check(
        r#"
//- /ME/Emotions/Joy.md
[[Sadness]] [[ME/Emotions/Sadness]] [[ME/Emotions/Sadness.md]] [[Emotions/Sadness]] [[sadness]]
[[/ME/Emotions/Sadness]] [[./Sadness]] [[../Emotions/Sadness]] [[Nope/Sadness]] [[motions/Sadness]]
//- /ME/Emotions/Sadness.md
"#,
        ClassFacts::new(),
        expect![[r#"
            ME/Emotions/Joy.md: [[Sadness]] -> ME/Emotions/Sadness.md
            ME/Emotions/Joy.md: [[ME/Emotions/Sadness]] -> ME/Emotions/Sadness.md
            ME/Emotions/Joy.md: [[ME/Emotions/Sadness.md]] -> ME/Emotions/Sadness.md
            ME/Emotions/Joy.md: [[Emotions/Sadness]] -> ME/Emotions/Sadness.md
            ME/Emotions/Joy.md: [[sadness]] -> ME/Emotions/Sadness.md
            ME/Emotions/Joy.md: [[/ME/Emotions/Sadness]] -> ME/Emotions/Sadness.md
            ME/Emotions/Joy.md: [[./Sadness]] -> ME/Emotions/Sadness.md
            ME/Emotions/Joy.md: [[../Emotions/Sadness]] -> ME/Emotions/Sadness.md
            ME/Emotions/Joy.md: [[Nope/Sadness]] -> dangling
            ME/Emotions/Joy.md: [[motions/Sadness]] -> dangling
        "#]],
    );
}

#[test]
fn fragments_aliases_and_self_links() {
    check(
        r#"
//- /A.md
[[B#Heading]] [[B#^block|shown]] [[#Top]] [[]] ![[B]]
//- /B.md
"#,
        ClassFacts::new(),
        expect![[r#"
            A.md: [[B#Heading]] -> B.md
            A.md: [[B#^block|shown]] -> B.md
            A.md: [[#Top]] -> A.md
            A.md: [[]] -> empty
            A.md: [[B]] -> B.md
        "#]],
    );
}

#[test]
fn names_match_across_case_normalisation_and_variation_selector() {
    check(
        "//- /A.md\n[[🏛 Foundations]] [[CAFE\u{301}]] [[Café]]\n//- /🏛️ Foundations.md\n//- /Café.md\n",
        ClassFacts::new(),
        expect![[r#"
            A.md: [[🏛 Foundations]] -> 🏛️ Foundations.md
            A.md: [[CAFÉ]] -> Café.md
            A.md: [[Café]] -> Café.md
        "#]],
    );
}

#[test]
fn the_relation_class_picks_among_notes_sharing_a_name() {
    check(
        r#"
//- /ME/Emotions/Joy.md class=emotion
---
linked_wounds: "[[Shame]]"
internal_voices: ["[[Shame]]"]
opposite: "[[Shame]]"
related: "[[Shame]]"
---
Body: [[Shame]]
//- /ME/Emotions/Shame.md class=emotion
//- /ME/Wounds/Shame.md class=emotional_wound
//- /ME/Voices/Shame.md class=internal_voice
"#,
        emotion_facts(),
        expect![[r#"
            ME/Emotions/Joy.md: [[Shame]] -> ME/Wounds/Shame.md
            ME/Emotions/Joy.md: [[Shame]] -> ME/Voices/Shame.md
            ME/Emotions/Joy.md: [[Shame]] -> ME/Emotions/Shame.md
            ME/Emotions/Joy.md: [[Shame]] -> ME/Emotions/Shame.md
            ME/Emotions/Joy.md: [[Shame]] -> ME/Emotions/Shame.md
        "#]],
    );
}

#[test]
fn a_group_field_names_the_target_folder_when_the_relation_allows_several_classes() {
    let mut facts = ClassFacts::new();
    facts.add_relation(
        "emotional_need",
        "threatened_by",
        ["trigger", "protective_strategy", "emotional_wound"],
        None,
    );
    facts.set_chosen_by("emotional_need", "threatened_by", "threat_source_group");
    check(
        r#"
//- /ME/Needs/Safety.md class=emotional_need
---
threatened_by: ["[[Flooding]]", "[[Disconnection]]", "[[Only Trigger]]"]
threat_source_group: 🪖 Protective Strategies
---
//- /ME/Needs/Clarity.md class=emotional_need
---
threatened_by: ["[[Flooding]]"]
threat_source_group: trigger
---
//- /ME/Needs/Unsaid.md class=emotional_need
---
threatened_by: ["[[Flooding]]"]
---
//- /ME/⚡ Triggers/Flooding.md class=trigger
//- /ME/⚡ Triggers/Only Trigger.md class=trigger
//- /ME/⚡ Triggers/Disconnection.md class=trigger
//- /ME/🪖 Protective Strategies/Flooding.md class=protective_strategy
//- /ME/🪖 Protective Strategies/Disconnection.md class=protective_strategy
//- /ME/🌀 Wounds/Disconnection.md class=emotional_wound
"#,
        facts,
        expect![[r#"
            ME/Needs/Clarity.md: [[Flooding]] -> ME/⚡ Triggers/Flooding.md
            ME/Needs/Safety.md: [[Flooding]] -> ME/🪖 Protective Strategies/Flooding.md
            ME/Needs/Safety.md: [[Disconnection]] -> ME/🪖 Protective Strategies/Disconnection.md
            ME/Needs/Safety.md: [[Only Trigger]] -> ME/⚡ Triggers/Only Trigger.md
            ME/Needs/Unsaid.md: [[Flooding]] -> ambiguous(ME/⚡ Triggers/Flooding.md, ME/🪖 Protective Strategies/Flooding.md)
        "#]],
    );
}

#[test]
fn still_ambiguous_when_neither_class_nor_folder_decides() {
    check(
        r#"
//- /Notes/Joy.md class=emotion
---
linked_wounds: "[[Shame]]"
related: "[[Shame]]"
---
//- /ME/Emotions/Shame.md class=emotion
//- /ME/Wounds/Shame.md class=emotional_wound
//- /ME/Old Wounds/Shame.md class=emotional_wound
"#,
        emotion_facts(),
        expect![[r#"
            Notes/Joy.md: [[Shame]] -> ambiguous(ME/Old Wounds/Shame.md, ME/Wounds/Shame.md)
            Notes/Joy.md: [[Shame]] -> ambiguous(ME/Emotions/Shame.md, ME/Old Wounds/Shame.md, ME/Wounds/Shame.md)
        "#]],
    );
}

#[test]
fn excluded_notes_are_never_targets_and_files_resolve_by_name() {
    check(
        r#"
//- /A.md
[[Trigger]] ![[photo.png]] [[docs/paper.pdf]] [[missing.png]] [[Board.canvas]]
//- /Meta/fileClass/Trigger.md excluded
//- /media/photo.png
//- /media/docs/paper.pdf
//- /Board.canvas
"#,
        ClassFacts::new(),
        expect![[r#"
            A.md: [[Trigger]] -> dangling
            A.md: [[photo.png]] -> file:media/photo.png
            A.md: [[docs/paper.pdf]] -> file:media/docs/paper.pdf
            A.md: [[missing.png]] -> dangling
            A.md: [[Board.canvas]] -> file:Board.canvas
        "#]],
    );
}

#[test]
fn a_full_path_beats_a_partial_match() {
    check(
        r#"
//- /A.md
[[Styles/Secure]] [[X/Styles/Secure]]
//- /Styles/Secure.md
//- /X/Styles/Secure.md
"#,
        ClassFacts::new(),
        expect![[r#"
            A.md: [[Styles/Secure]] -> Styles/Secure.md
            A.md: [[X/Styles/Secure]] -> X/Styles/Secure.md
        "#]],
    );
}

#[test]
fn relations_and_inverses() {
    let mut facts = ClassFacts::new();
    facts.add_relation(
        "practice_session",
        "live_rehearsals",
        ["live_rehearsal"],
        Some("practice_session"),
    );
    facts.add_relation(
        "live_rehearsal",
        "practice_session",
        ["practice_session"],
        Some("live_rehearsals"),
    );
    facts.add_relation("practice_session", "scenario", ["scenario"], None);
    let index = build(
        r#"
//- /Logs/S_Session-1.md class=practice_session
---
scenario: "[[S]]"
live_rehearsals:
  - "[[S_Session-1_Live Rehearsal_Take-1]]"
  - "[[S_Session-1_Live Rehearsal_Take-2]]"
  - "[[Gone]]"
---
//- /Takes/S_Session-1_Live Rehearsal_Take-1.md class=live_rehearsal
---
practice_session: "[[S_Session-1]]"
---
//- /Takes/S_Session-1_Live Rehearsal_Take-2.md class=live_rehearsal
//- /Scenarios/S.md class=scenario
"#,
        facts,
    );
    let session = index.by_path("Logs/S_Session-1.md").unwrap();
    let path = |id| index.note(id).unwrap().path().to_owned();
    let relations: Vec<String> = index
        .relations(session)
        .iter()
        .map(|r| {
            format!(
                "{} -> {:?} (inverse {:?}, {} unresolved)",
                r.field,
                r.targets.iter().map(|&t| path(t)).collect::<Vec<_>>(),
                r.inverse,
                r.unresolved
            )
        })
        .collect();
    expect![[r#"
        [
            "scenario -> [\"Scenarios/S.md\"] (inverse None, 0 unresolved)",
            "live_rehearsals -> [\"Takes/S_Session-1_Live Rehearsal_Take-1.md\", \"Takes/S_Session-1_Live Rehearsal_Take-2.md\"] (inverse Some(\"practice_session\"), 1 unresolved)",
        ]
    "#]]
    .assert_debug_eq(&relations);
    let take2 = index
        .by_path("Takes/S_Session-1_Live Rehearsal_Take-2.md")
        .unwrap();
    let inverses: Vec<String> = index
        .inverses(take2)
        .iter()
        .map(|i| format!("{:?} via {} from {}", i.field, i.via, path(i.source)))
        .collect();
    expect![[r#"
        [
            "Some(\"practice_session\") via live_rehearsals from Logs/S_Session-1.md",
        ]
    "#]]
    .assert_debug_eq(&inverses);
    let backlinks: Vec<String> = index
        .note(session)
        .unwrap()
        .backlinks()
        .iter()
        .map(|b| path(b.source))
        .collect();
    assert_eq!(backlinks, ["Takes/S_Session-1_Live Rehearsal_Take-1.md"]);
}

#[test]
fn lookups_by_alias_id_tag_and_folder() {
    let index = build(
        r#"
//- /ME/A.md
---
id: 17
aliases: [Alpha, "First One"]
tags: [self-work/trigger]
---
#inline
//- /ME/Sub/B.md
---
id: 17
---
//- /MEX/C.md
"#,
        ClassFacts::new(),
    );
    let paths = |ids: Vec<attune_index::NoteId>| {
        ids.iter()
            .map(|&i| index.note(i).unwrap().path().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(paths(index.by_alias("first one")), ["ME/A.md"]);
    assert_eq!(paths(index.by_id("17")), ["ME/A.md", "ME/Sub/B.md"]);
    assert_eq!(paths(index.by_tag("#self-work")), ["ME/A.md"]);
    assert_eq!(paths(index.by_tag("Self-Work/Trigger")), ["ME/A.md"]);
    assert_eq!(paths(index.by_tag("inline")), ["ME/A.md"]);
    assert_eq!(paths(index.by_tag("self")), Vec::<String>::new());
    let in_me: Vec<&str> = index.notes_in_folder("ME").map(|n| n.path()).collect();
    assert_eq!(in_me, ["ME/A.md", "ME/Sub/B.md"]);
    assert_eq!(index.notes_in_folder("").count(), 3);
    assert_eq!(
        index
            .by_path("me/sub/b")
            .and_then(|i| index.note(i))
            .map(|n| n.path()),
        Some("ME/Sub/B.md")
    );
    assert_eq!(index.by_name("b").len(), 1);
}

/// Regression: a path lookup that misses used to scan every note, which made a query that
/// compares many dangling links quadratic (8.8 s for one GROUP BY at 100k notes).
#[test]
fn by_path_finds_excluded_notes_and_misses_without_scanning() {
    use attune_index::{Index, NoteInput};
    use attune_syntax::parse_note;
    let notes = vec![
        NoteInput::new("Meta/fileClass/Trigger.md", parse_note(b"")).excluded(true),
        NoteInput::new("ME/Trigger.md", parse_note(b"[[Nowhere]]")),
    ];
    let index = Index::build(notes, Vec::new(), ClassFacts::new());
    let path_of = |p: &str| {
        index
            .by_path(p)
            .and_then(|id| index.note(id))
            .map(|n| n.path().to_owned())
    };
    assert_eq!(
        path_of("meta/FILECLASS/trigger").as_deref(),
        Some("Meta/fileClass/Trigger.md")
    );
    assert_eq!(path_of("me/trigger.md").as_deref(), Some("ME/Trigger.md"));
    assert_eq!(path_of("ME/Nowhere"), None);
    assert_eq!(path_of("Elsewhere/Trigger"), None);
    // Excluded notes are found by path but are never link targets.
    assert_eq!(index.by_name("Trigger").len(), 1);
}
