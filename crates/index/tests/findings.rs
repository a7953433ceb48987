//! Every finding code of the index: a fixture that triggers it, and a near miss that does not.

mod common;

use attune_index::ClassFacts;
use common::{build, findings};
use expect_test::{Expect, expect};

fn check(vault: &str, expect: Expect) {
    let mut facts = ClassFacts::new();
    facts.add_relation("emotion", "linked_wounds", ["emotional_wound"], None);
    expect.assert_eq(&findings(&build(vault, facts)));
}

#[test]
fn unrendered_template() {
    check(
        r#"
//- /ME/Triggers/.md
---
id: <% tp.date.now("x") %>
title: <% tp.file.title %>
---
"#,
        expect![[r#"
            ME/Triggers/.md:2 note/unrendered-template template code `<% tp.date.now("x") %>` was never run (and 1 more) | this file is a template that was copied instead of applied: create the note with the template (Templater), or fill in the value
        "#]],
    );
}

#[test]
fn unrendered_template_near_miss() {
    // A lone `<%`, template code inside a code span and inside a fenced block are not left-over templates.
    check(
        "//- /A.md\nGrowth went <% up, and 5 %> of days.\nWrite `<% tp.file.title %>` in a template.\n```\n<% tp.date.now() %>\n```\n",
        expect![[r#""#]],
    );
}

#[test]
fn duplicate_id() {
    check(
        r#"
//- /People/A.md
---
id: 1751291324429
---
x
//- /People/B.md
---
id: 1751291324429
---
x
//- /Meta/C.md excluded
---
id: 1751291324429
---
"#,
        expect![[r#"
            People/A.md:2 note/duplicate-id `id: 1751291324429` is also the id of 1 other note | give each note its own id; the same id is in: People/B.md
            People/B.md:2 note/duplicate-id `id: 1751291324429` is also the id of 1 other note | give each note its own id; the same id is in: People/A.md
        "#]],
    );
}

#[test]
fn duplicate_id_near_miss() {
    // Ids one millisecond apart, an empty id twice, and an id quoted as text are all distinct.
    check(
        "//- /A.md\n---\nid: 1751291324429\n---\nx\n//- /B.md\n---\nid: 1751291324430\n---\nx\n//- /C.md\n---\nid: \"\"\n---\nx\n//- /D.md\n---\nid: \"\"\n---\nx\n",
        expect![[r#""#]],
    );
}

#[test]
fn placeholder_id() {
    check(
        "//- /Logs/S_Session-1.md\n---\nid: 1234567890\n---\nx\n//- /Logs/T.md\n---\nid: 0\n---\nx\n",
        expect![[r#"
            Logs/S_Session-1.md:2 note/placeholder-id `id: 1234567890` is a placeholder, not a real id | set `id` to the note's creation time in epoch milliseconds (what the templates write)
            Logs/T.md:2 note/placeholder-id `id: 0` is a placeholder, not a real id | set `id` to the note's creation time in epoch milliseconds (what the templates write)
        "#]],
    );
}

#[test]
fn placeholder_id_near_miss() {
    check(
        "//- /Logs/S.md\n---\nid: 1752173715801\n---\nx\n//- /Logs/T.md\n---\nid: 3HN2Ss\n---\nx\n",
        expect![[r#""#]],
    );
}

#[test]
fn empty_stub() {
    check(
        "//- /ME/Emotions/Awe.md\n//- /ME/Emotions/Joy.md\n---\n---\n//- /ME/Emotions/Calm.md\n---\n\n---\n\n\n",
        expect![[r#"
            ME/Emotions/Awe.md:1 note/empty-stub the note is empty (0 bytes) | fill it in, or delete it if it was created by clicking a link
            ME/Emotions/Calm.md:1 note/empty-stub the note holds only an empty frontmatter block | fill it in, or delete it if it was created by clicking a link
            ME/Emotions/Joy.md:1 note/empty-stub the note holds only an empty frontmatter block | fill it in, or delete it if it was created by clicking a link
        "#]],
    );
}

#[test]
fn empty_stub_near_miss() {
    // A heading after an empty block, one key, and an empty option note under Meta/ are not stubs.
    check(
        "//- /ME/A.md\n---\n---\n## Notes\n//- /ME/B.md\n---\nstatus:\n---\n//- /Meta/lists/Flag.md excluded\n",
        expect![[r#""#]],
    );
}

#[test]
fn dangling_links() {
    check(
        r#"
//- /ME/Journal/Entry.md
---
source_daily_note: "[[2025-07-05]]"
---
See [[Grief old]] and [[Alpha]].
//- /ME/Other.md
---
aliases: [Alpha]
---
x
"#,
        expect![[r#"
            ME/Journal/Entry.md:2 link/dangling `[[2025-07-05]]` in `source_daily_note` points to no note | there is no daily note `2025-07-05.md` in the vault: create it, or remove the link
            ME/Journal/Entry.md:4 link/dangling `[[Grief old]]` points to no note | create the note `Grief old.md`, or correct the link
            ME/Journal/Entry.md:4 link/dangling `[[Alpha]]` points to no note | no note is named `Alpha`, but `ME/Other.md` has it as an alias: link to it by name
        "#]],
    );
}

#[test]
fn dangling_near_miss() {
    // Another case, a `.md` suffix, a heading, an attachment and a partial path all resolve.
    check(
        "//- /ME/A.md\n[[grief]] [[Grief.md]] [[Grief#Body]] ![[pic.png]] [[Emotions/Grief]]\n//- /ME/Emotions/Grief.md\nx\n//- /files/pic.png\n",
        expect![[r#""#]],
    );
}

#[test]
fn ambiguous_link() {
    check(
        r#"
//- /ME/Notes/Joy.md class=emotion
---
related: "[[Shame]]"
---
x
//- /ME/Emotions/Shame.md class=emotion
x
//- /ME/Wounds/Shame.md class=emotional_wound
x
"#,
        expect![[r#"
            ME/Notes/Joy.md:2 link/ambiguous `[[Shame]]` in `related` matches 2 notes | write the path of the one you mean: [[ME/Emotions/Shame]] or [[ME/Wounds/Shame]]
        "#]],
    );
}

#[test]
fn ambiguous_link_in_a_relation_field_when_no_candidate_has_its_class() {
    check(
        r#"
//- /ME/Emotions/Joy.md class=emotion
---
linked_wounds: "[[Rejection]]"
---
x
//- /ME/Triggers/Rejection.md class=trigger
x
//- /ME/Voices/Rejection.md class=internal_voice
x
"#,
        expect![[r#"
            ME/Emotions/Joy.md:2 link/ambiguous `[[Rejection]]` in `linked_wounds` matches 2 notes | write the path of the one you mean: [[ME/Triggers/Rejection]] or [[ME/Voices/Rejection]] (`linked_wounds` links to `emotional_wound` notes, and none of these is one)
        "#]],
    );
}

#[test]
fn ambiguous_near_miss() {
    // The relation field's class picks the wound; a body link in the emotions folder picks its neighbour.
    check(
        r#"
//- /ME/Emotions/Joy.md class=emotion
---
linked_wounds: "[[Shame]]"
---
And [[Shame]].
//- /ME/Emotions/Shame.md class=emotion
x
//- /ME/Wounds/Shame.md class=emotional_wound
x
"#,
        expect![[r#""#]],
    );
}

#[test]
fn empty_link() {
    check(
        "//- /Logs/S.md\n---\nlive_rehearsals:\n  - \"[[]]\"\n---\nBody [[ ]] and [[|label]]\n",
        expect![[r#"
            Logs/S.md:3 link/empty `[[]]` in `live_rehearsals` links to nothing | put a note name between the brackets, or remove the link
            Logs/S.md:5 link/empty `[[]]` links to nothing | put a note name between the brackets, or remove the link
            Logs/S.md:5 link/empty `[[|label]]` links to nothing | put a note name between the brackets, or remove the link
        "#]],
    );
}

#[test]
fn empty_link_near_miss() {
    // A link to a heading of the same note has no name but points somewhere.
    check("//- /A.md\n# Top\n[[#Top]]\n", expect![[r#""#]]);
}

#[test]
fn mojibake() {
    check(
        "//- /Co-Regulation.md\n---\nstatus: ğŸŸ© complete\n---\nsafe â€” and calm\n",
        expect![[r#"
            Co-Regulation.md:2 encoding/mojibake `ğŸŸ©` is UTF-8 text that was decoded as windows-1254 | it reads `🟩`: re-read the file's bytes as UTF-8 (encode as windows-1254, decode as UTF-8) and save it
            Co-Regulation.md:4 encoding/mojibake `â€”` is UTF-8 text that was decoded as windows-1252 | it reads `—`: re-read the file's bytes as UTF-8 (encode as windows-1252, decode as UTF-8) and save it
        "#]],
    );
}

#[test]
fn mojibake_near_miss() {
    check(
        "//- /Co-Regulation.md\n---\nstatus: 🟩 complete\nvisibility: 🔒 private\n---\nsafe — and calm; café, naïve, Ağaç, “quoted”\n",
        expect![[r#""#]],
    );
}
