//! `attune show NOTE`: one note as attune understands it, on a fixture vault with a schema.
#![allow(clippy::disallowed_methods)]

use assert_cmd::Command;

fn attune() -> Command {
    let mut cmd = Command::cargo_bin("attune").expect("the attune binary is built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn write(dir: &std::path::Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Two classes sharing the name `Shame`, a relation field with a declared inverse, a legacy key.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(
        d,
        "Meta/fileClass/emotion.md",
        "---\nfilesPaths: [\"ME/Emotions\"]\nfields:\n  - name: status\n    type: Select\n    options:\n      sourceType: ValuesList\n      valuesList:\n        \"1\": ok\n    path: \"\"\n    id: aaaaaa\n  - name: linked_wounds\n    type: MultiFile\n    options: {}\n    path: \"\"\n    id: bbbbbb\n---\n",
    );
    write(
        d,
        "Meta/fileClass/wound.md",
        "---\nfilesPaths: [\"ME/Wounds\"]\nfields:\n  - name: emotions\n    type: MultiFile\n    options: {}\n    path: \"\"\n    id: cccccc\n---\n",
    );
    write(
        d,
        "attune.toml",
        "[class.emotion.relations]\nlinked_wounds = { target = \"wound\", inverse = \"emotions\" }\n\n[class.wound.relations]\nemotions = { target = \"emotion\", inverse = \"linked_wounds\" }\n",
    );
    write(
        d,
        "ME/Emotions/Joy.md",
        "---\nstatus: bogus\nlinked_wounds: [\"[[Shame]]\"]\n---\nSee [[Nowhere]].\n",
    );
    write(d, "ME/Emotions/Shame.md", "---\nstatus: ok\n---\n");
    write(
        d,
        "ME/Wounds/Shame.md",
        "---\nemotions: [\"[[Joy]]\"]\n---\n",
    );
    write(d, "ME/Journal/Day.md", "Felt [[Joy]] today.\n");
    dir
}

#[test]
fn shows_class_fields_links_relations_inverses_and_backlinks() {
    let dir = fixture();
    let out = attune()
        .args(["show", "Joy"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("UTF-8");
    assert!(!text.contains('\x1b'), "{text}");
    for expected in [
        "ME/Emotions/Joy.md\nclass: emotion\n",
        "! status",
        "schema/value-not-in-list",
        "linked_wounds",
        "[[Shame]] (`linked_wounds`) → ME/Wounds/Shame.md",
        "[[Nowhere]] (body) → no such note",
        "linked_wounds → wound ↔ emotions\n      Shame (wound)",
        "linked_wounds ← Shame (wound) via emotions",
        "  wound (1)\n      ME/Wounds/Shame.md [emotions]",
        "  no class (1)\n      ME/Journal/Day.md [body]",
        "warning[link/dangling]",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn an_ambiguous_or_unknown_name_is_an_error_with_candidates() {
    let dir = fixture();
    let out = attune()
        .args(["show", "Shame"])
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("ME/Emotions/Shame.md") && err.contains("ME/Wounds/Shame.md"),
        "{err}"
    );
    attune()
        .args(["show", "ME/Wounds/Shame"])
        .arg(dir.path())
        .assert()
        .success();
    let out = attune()
        .args(["show", "Jy"])
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("no note `Jy`"));
}

#[test]
fn json_output() {
    let dir = fixture();
    let out = attune()
        .args(["show", "ME/Wounds/Shame.md", "--format", "json"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["note"]["class"], "wound");
    assert_eq!(v["relations"][0]["field"], "emotions");
    assert_eq!(
        v["relations"][0]["targets"][0]["path"],
        "ME/Emotions/Joy.md"
    );
    assert_eq!(v["inverses"][0]["field"], "emotions");
    assert_eq!(v["inverses"][0]["source"]["path"], "ME/Emotions/Joy.md");
}
