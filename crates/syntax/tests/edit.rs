//! Frontmatter edits on small fixtures: the result text (or the refusal) as snapshots.

use attune_syntax::edit::{EditValue, add_key, append_to_list, remove_key, set_key};
use attune_syntax::{Diagnostic, parse_note};
use expect_test::{Expect, expect};

fn show(result: Result<String, Diagnostic>) -> String {
    match result {
        Ok(text) => text,
        Err(d) => format!("refused {}: {}", d.code, d.message),
    }
}

fn check(result: Result<String, Diagnostic>, expect: Expect) {
    expect.assert_eq(&show(result));
}

fn link(s: &str) -> EditValue {
    EditValue::Link(s.to_owned())
}

fn text(s: &str) -> EditValue {
    EditValue::Scalar(s.to_owned())
}

const NOTE: &str = "---\n# Self-work note\nfileClass: emotion\nstatus: 🟩 complete # set by form\ntags: [a, \"b\"]\nthreatened_by:\n    -   \"[[Masking Vulnerability]]\"\n    -   \"[[ME/🏛️ Foundations/🪖 Protective Strategies/Emotional Shutdown]]\"\nnotes: \nempty:\nvisibility: 🔒 private\nkeep: |+\n  kept\n\nlast: 1\n---\n# Body\n";

#[test]
fn set_scalar_keeps_comment_and_spacing() {
    check(
        set_key(NOTE, "status", &text("🟨 review")),
        expect![[r#"
        ---
        # Self-work note
        fileClass: emotion
        status: 🟨 review # set by form
        tags: [a, "b"]
        threatened_by:
            -   "[[Masking Vulnerability]]"
            -   "[[ME/🏛️ Foundations/🪖 Protective Strategies/Emotional Shutdown]]"
        notes: 
        empty:
        visibility: 🔒 private
        keep: |+
          kept

        last: 1
        ---
        # Body
    "#]],
    );
}

#[test]
fn set_values_that_need_quotes() {
    let r = set_key(NOTE, "notes", &text("a: b")).unwrap();
    let r = set_key(&r, "empty", &text("42")).unwrap();
    let r = set_key(&r, "visibility", &text("yes")).unwrap();
    let r = set_key(&r, "last", &text("say \"hi\" #now")).unwrap();
    check(
        set_key(&r, "fileClass", &link("Shame")),
        expect![[r#"
        ---
        # Self-work note
        fileClass: "[[Shame]]"
        status: 🟩 complete # set by form
        tags: [a, "b"]
        threatened_by:
            -   "[[Masking Vulnerability]]"
            -   "[[ME/🏛️ Foundations/🪖 Protective Strategies/Emotional Shutdown]]"
        notes: "a: b"
        empty: "42"
        visibility: "yes"
        keep: |+
          kept

        last: "say \"hi\" #now"
        ---
        # Body
    "#]],
    );
}

#[test]
fn set_lists_in_the_keys_own_style() {
    let r = set_key(
        NOTE,
        "threatened_by",
        &EditValue::List(vec![link("A"), link("B")]),
    )
    .unwrap();
    check(
        set_key(&r, "tags", &EditValue::List(vec![text("x"), text("y, z")])),
        expect![[r#"
        ---
        # Self-work note
        fileClass: emotion
        status: 🟩 complete # set by form
        tags: [x, "y, z"]
        threatened_by:
            -   "[[A]]"
            -   "[[B]]"
        notes: 
        empty:
        visibility: 🔒 private
        keep: |+
          kept

        last: 1
        ---
        # Body
    "#]],
    );
}

#[test]
fn set_list_on_scalar_uses_the_notes_block_style() {
    check(
        set_key(NOTE, "status", &EditValue::List(vec![link("A")])),
        expect![[r#"
        ---
        # Self-work note
        fileClass: emotion
        status: # set by form
            -   "[[A]]"
        tags: [a, "b"]
        threatened_by:
            -   "[[Masking Vulnerability]]"
            -   "[[ME/🏛️ Foundations/🪖 Protective Strategies/Emotional Shutdown]]"
        notes: 
        empty:
        visibility: 🔒 private
        keep: |+
          kept

        last: 1
        ---
        # Body
    "#]],
    );
}

#[test]
fn set_scalar_on_block_values() {
    let r = set_key(NOTE, "threatened_by", &EditValue::Null).unwrap();
    check(
        set_key(&r, "keep", &EditValue::Bool(true)),
        expect![[r#"
        ---
        # Self-work note
        fileClass: emotion
        status: 🟩 complete # set by form
        tags: [a, "b"]
        threatened_by:
        notes: 
        empty:
        visibility: 🔒 private
        keep: true
        last: 1
        ---
        # Body
    "#]],
    );
}

#[test]
fn set_same_value_is_unchanged() {
    assert_eq!(set_key(NOTE, "status", &text("🟩 complete")).unwrap(), NOTE);
    assert_eq!(set_key(NOTE, "last", &EditValue::Int(1)).unwrap(), NOTE);
}

#[test]
fn append() {
    let r = append_to_list(NOTE, "threatened_by", &link("Distraction")).unwrap();
    let r = append_to_list(&r, "threatened_by", &link("Distraction|alias")).unwrap();
    let r = append_to_list(&r, "tags", &text("c d")).unwrap();
    let r = append_to_list(&r, "status", &text("🟨 review")).unwrap();
    let r = append_to_list(&r, "notes", &link("N")).unwrap();
    check(
        append_to_list(&r, "new_list", &link("New")),
        expect![[r#"
        ---
        # Self-work note
        fileClass: emotion
        status: # set by form
            -   🟩 complete
            -   🟨 review
        tags: [a, "b", c d]
        threatened_by:
            -   "[[Masking Vulnerability]]"
            -   "[[ME/🏛️ Foundations/🪖 Protective Strategies/Emotional Shutdown]]"
            -   "[[Distraction]]"
        notes:
            -   "[[N]]"
        empty:
        visibility: 🔒 private
        keep: |+
          kept

        last: 1
        new_list:
            -   "[[New]]"
        ---
        # Body
    "#]],
    );
}

#[test]
fn append_to_empty_flow_list_writes_a_block_list() {
    check(
        append_to_list(
            "---\nlinked_wounds: []\nx: 1\n---\n",
            "linked_wounds",
            &link("Shame"),
        ),
        expect![[r#"
        ---
        linked_wounds:
          - "[[Shame]]"
        x: 1
        ---
    "#]],
    );
}

#[test]
fn remove_and_add() {
    let r = remove_key(NOTE, "threatened_by").unwrap();
    let r = remove_key(&r, "keep").unwrap();
    let r = add_key(&r, "after_status", &link("X"), Some("status")).unwrap();
    check(
        add_key(&r, "at_end", &EditValue::List(vec![]), None),
        expect![[r#"
        ---
        # Self-work note
        fileClass: emotion
        status: 🟩 complete # set by form
        after_status: "[[X]]"
        tags: [a, "b"]
        notes: 
        empty:
        visibility: 🔒 private
        last: 1
        at_end: []
        ---
        # Body
    "#]],
    );
}

#[test]
fn crlf_and_bom_are_kept() {
    let src = "\u{feff}---\r\na: 1\r\nlist:\r\n  - x\r\n---\r\nbody\r\n";
    let r = set_key(src, "a", &text("two")).unwrap();
    let r = append_to_list(&r, "list", &text("y")).unwrap();
    let r = add_key(&r, "b", &EditValue::List(vec![link("L")]), Some("a")).unwrap();
    check(
        Ok(format!("{r:?}")),
        expect![[
            r#""\u{feff}---\r\na: two\r\nb:\r\n  - \"[[L]]\"\r\nlist:\r\n  - x\r\n  - y\r\n---\r\nbody\r\n""#
        ]],
    );
}

#[test]
fn creates_frontmatter_when_missing() {
    check(
        set_key("# Title\n", "status", &text("🟥 draft")),
        expect![[r#"
        ---
        status: 🟥 draft
        ---
        # Title
    "#]],
    );
    check(
        set_key("", "tags", &EditValue::List(vec![text("a")])),
        expect![[r#"
        ---
        tags:
          - a
        ---
    "#]],
    );
    check(
        set_key("\u{feff}body", "a", &EditValue::Int(1)).map(|s| format!("{s:?}")),
        expect![[r#""\u{feff}---\na: 1\n---\nbody""#]],
    );
    check(
        set_key("---\n---\nbody\n", "a", &EditValue::Int(1)),
        expect![[r#"
        ---
        a: 1
        ---
        body
    "#]],
    );
}

#[test]
fn refusals() {
    check(
        set_key("---\na: [\n---\n", "a", &text("x")),
        expect![
            "refused edit/invalid-frontmatter: the frontmatter is not valid YAML; refusing to edit it"
        ],
    );
    check(
        set_key("---\na: 1\n", "a", &text("x")),
        expect![
            "refused edit/invalid-frontmatter: the frontmatter has no closing `---` line; refusing to edit it"
        ],
    );
    check(
        set_key("---\na: 1\na: 2\n---\n", "a", &text("x")),
        expect![
            "refused edit/duplicate-key: `a` appears more than once in the frontmatter; refusing to guess which to edit"
        ],
    );
    check(
        add_key(NOTE, "status", &text("x"), None),
        expect!["refused edit/key-exists: frontmatter already has `status`"],
    );
    check(
        add_key(NOTE, "x", &text("x"), Some("nope")),
        expect!["refused edit/missing-key: frontmatter has no key `nope`"],
    );
    check(
        set_key(NOTE, "a", &link("x]]y")),
        expect!["refused edit/invalid-value: `x]]y` cannot be written inside [[…]]"],
    );
    check(
        set_key(NOTE, "", &text("x")),
        expect!["refused edit/invalid-key: `` cannot be a frontmatter key"],
    );
    check(
        set_key("---\n- a\n---\n", "a", &text("x")),
        expect![
            "refused edit/invalid-frontmatter: the frontmatter is not a block of `key: value` lines; refusing to edit it"
        ],
    );
}

#[test]
fn edited_notes_read_back() {
    let r = set_key(
        NOTE,
        "threatened_by",
        &EditValue::List(vec![link("A"), text("plain"), EditValue::Int(3)]),
    )
    .unwrap();
    let note = parse_note(r.as_bytes());
    let fm = note.frontmatter.unwrap();
    let v = &fm.get("threatened_by").unwrap().value;
    assert_eq!(v.links().len(), 1);
    assert_eq!(v.items().count(), 3);
}

#[test]
fn removal_that_would_change_a_keep_scalar_above_is_refused() {
    // Removing `b` would join the blank line below it to `a`'s `|+` text: refused, not done.
    check(
        remove_key("---\na: |+\n  x\nb: 1\n\nc: 2\n---\n", "b"),
        expect![
            "refused edit/would-disturb: the edit of `b` was not written: `a` would change too"
        ],
    );
}
