//! `attune stats`, `query`, `views`, `schema`, `init`, `import modal-forms` and `gen`, end to
//! end through the binary: on the demo vault, on new vaults in temporary folders, and the
//! acceptance runs on `../shared/reference-vault` (skipped with a message when absent).
#![allow(clippy::disallowed_methods)]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const VAULT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/reference-vault"
);

fn attune() -> Command {
    let mut cmd = Command::cargo_bin("attune").expect("the attune binary is built");
    cmd.env_remove("CLICOLOR_FORCE").env("NO_COLOR", "1");
    cmd
}

fn reference() -> Option<&'static str> {
    if Path::new(VAULT).is_dir() {
        Some(VAULT)
    } else {
        eprintln!("skipped: {VAULT} is absent");
        None
    }
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().expect("attune runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn json(cmd: &mut Command) -> Value {
    serde_json::from_str(&stdout(cmd)).expect("valid JSON")
}

#[test]
fn stats_on_the_reference_vault_counts_me_and_finds_the_one_yaml_error() {
    let Some(vault) = reference() else { return };
    let v = json(attune().args(["stats", vault, "--format", "json"]));
    let me = &v["folders"]["ME"];
    assert_eq!(me["notes"], 913, "{me}");
    assert_eq!(me["typed"], 514, "{me}");
    assert!(me["empty_stubs"].as_u64().unwrap() >= 340, "{me}");
    let yaml: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "yaml/invalid")
        .collect();
    assert_eq!(yaml.len(), 1, "{yaml:?}");
    assert_eq!(
        yaml[0]["path"],
        "ME/🏛️ Foundations/🛡️ Emotional Needs/Connection.md"
    );
    assert_eq!(
        (yaml[0]["line"].as_u64(), yaml[0]["column"].as_u64()),
        (Some(31), Some(23))
    );
    let text = stdout(attune().args(["stats", vault]));
    assert!(text.contains("Connection.md:31:23"), "{text}");
}

#[test]
fn stats_on_the_demo_vault() {
    let v = json(attune().args(["stats", "--demo", "--format", "json"]));
    assert!(v["totals"]["typed"].as_u64().unwrap() >= 25, "{v}");
    assert_eq!(v["totals"]["empty_stubs"], 1);
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 0, "{v}");
}

#[test]
fn query_prints_a_table_and_json_and_points_at_parse_errors() {
    let table = stdout(attune().args([
        "query",
        "TABLE emotion_group AS \"Group\" FROM \"ME/🏛️ Foundations/🎭 Emotions\" WHERE emotion_group SORT file.name",
        "--demo",
    ]));
    assert!(table.contains("Group"), "{table}");
    assert!(
        table.contains("Anxiety") && table.contains("Shame"),
        "{table}"
    );
    let v = json(attune().args([
        "query",
        "LIST FROM \"ME/👀 Observations\"",
        "--demo",
        "--format",
        "json",
    ]));
    assert_eq!(v["type"], "list");
    assert_eq!(v["items"].as_array().unwrap().len(), 1, "{v}");
    let csv = stdout(attune().args([
        "query",
        "TABLE WITHOUT ID file.name FROM #practice",
        "--demo",
        "--format",
        "csv",
    ]));
    assert!(csv.contains("🔁 Integration Journal Entry"), "{csv}");

    let out = attune()
        .args([
            "query",
            "TABLE status FROM \"ME\" WHERE SORT file.name",
            "--demo",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("expected expression, found 'SORT'"), "{err}");
    assert!(err.contains("<query>:1:30"), "{err}");
}

/// A missing vault folder (here: the query and the vault swapped) is named once, plainly.
#[test]
fn query_on_a_missing_vault_names_the_folder() {
    let out = attune()
        .args(["query", "/no/such/vault", "TABLE status FROM \"ME\""])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains(
            "TABLE status FROM \"ME\": no such folder (a vault is a folder of Markdown notes"
        ),
        "{err}"
    );
    assert_eq!(err.matches("no such folder").count(), 1, "{err}");
}

#[test]
fn query_this_names_the_note_holding_the_query() {
    let out = stdout(attune().args([
        "query",
        "LIST FROM \"ME/🏛️ Foundations/⚡ Triggers\" WHERE file.name != this.file.name",
        "--demo",
        "--this",
        "⚡ Triggers",
    ]));
    assert!(
        out.contains("Crowded Rooms") && !out.contains("⚡ Triggers\n"),
        "{out}"
    );
}

#[test]
fn views_runs_every_dataview_block() {
    let v = json(attune().args(["views", "--demo", "--format", "json"]));
    assert_eq!(v["failed"], 0, "{v}");
    assert_eq!(v["total"], 4, "{v}");
    let Some(vault) = reference() else { return };
    let v = json(attune().args(["views", vault, "--format", "json"]));
    assert_eq!(v["failed"], 0, "{v}");
    let under_me = v["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["path"].as_str().unwrap().starts_with("ME/"))
        .count();
    assert_eq!(under_me, 40);
    // The Triggers folder's "To Review" table: 67 notes whose status is empty, in progress or
    // in review (counted independently from the files); the five template leftovers named
    // `.md` are dot-files Dataview never sees.
    let triggers = v["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| {
            b["path"]
                .as_str()
                .unwrap()
                .ends_with("⚡ Triggers/⚡ Triggers.md")
        })
        .unwrap();
    assert_eq!(triggers["rows"], 67, "{triggers}");
}

#[test]
fn schema_lists_classes_and_shows_one() {
    let Some(vault) = reference() else { return };
    let v = json(attune().args(["schema", vault, "--format", "json"]));
    let classes = v["classes"].as_array().unwrap();
    assert_eq!(classes.len(), 26, "{v}");
    let trigger = classes
        .iter()
        .find(|c| c["short_name"] == "trigger")
        .unwrap();
    assert_eq!(trigger["notes"], 93);
    let t = json(attune().args(["schema", "trigger", vault, "--format", "json"]));
    let ty = t["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "trigger_type")
        .unwrap();
    assert_eq!(ty["group"]["by"], "trigger_group", "{ty}");
    let missing = attune().args(["schema", "triger", vault]).output().unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("did you mean `trigger`"));
}

#[test]
fn init_writes_a_vault_that_loads_cleanly_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("vault");
    stdout(attune().args(["init"]).arg(&root));
    let v = json(
        attune()
            .args(["schema"])
            .arg(&root)
            .args(["--format", "json"]),
    );
    assert_eq!(v["classes"].as_array().unwrap().len(), 25);
    let again = attune().args(["init"]).arg(&root).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing was written"));
}

#[test]
fn import_modal_forms_prints_the_group_maps_and_writes_attune_toml() {
    let Some(vault) = reference() else { return };
    let out = stdout(attune().args(["import", "modal-forms", vault, "--dry-run"]));
    for table in [
        "[class.trigger.groups.trigger_type]",
        "[class.emotional_wound.groups.wound_type]",
        "[class.internal_voice.groups.voice_type]",
    ] {
        assert!(out.contains(table), "{table} missing from\n{out}");
    }
    // On a copy: the merged attune.toml keeps the pack's rules and loads without config errors.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("v");
    std::fs::create_dir_all(copy.join(".obsidian/plugins/modalforms")).unwrap();
    std::fs::copy(
        Path::new(VAULT).join(".obsidian/plugins/modalforms/data.json"),
        copy.join(".obsidian/plugins/modalforms/data.json"),
    )
    .unwrap();
    stdout(attune().args(["import", "modal-forms"]).arg(&copy));
    let toml = std::fs::read_to_string(copy.join("attune.toml")).unwrap();
    assert!(
        toml.contains("[class.practice_session]"),
        "the pack's rules are kept"
    );
    assert!(toml.contains("[class.trigger.groups.trigger_type]"));
    let v = json(
        attune()
            .args(["stats"])
            .arg(&copy)
            .args(["--format", "json"]),
    );
    let config_errors: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("config/"))
        .collect();
    assert!(config_errors.is_empty(), "{config_errors:?}");
}

#[test]
fn gen_writes_a_deterministic_vault_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    stdout(
        attune()
            .args(["gen"])
            .arg(&a)
            .args(["--notes", "300", "--seed", "7"]),
    );
    stdout(
        attune()
            .args(["gen"])
            .arg(&b)
            .args(["--notes", "300", "--seed", "7"]),
    );
    let v = json(attune().args(["stats"]).arg(&a).args(["--format", "json"]));
    assert_eq!(v["folders"]["ME"]["notes"], 300, "{v}");
    let read = |p: &Path| std::fs::read(p.join("ME")).ok();
    assert_eq!(read(&a), read(&b));
    let sa = stdout(attune().args(["stats"]).arg(&a).args(["--format", "json"]))
        .replace(a.to_str().unwrap(), "");
    let sb = stdout(attune().args(["stats"]).arg(&b).args(["--format", "json"]))
        .replace(b.to_str().unwrap(), "");
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("elapsed_ms"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&sa), strip(&sb));
}
