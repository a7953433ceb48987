//! `attune check` end to end: fixture vaults written to a temporary folder, and the acceptance
//! run on `../shared/reference-vault` (skipped with a message when it is absent).
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const VAULT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/reference-vault"
);
const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seed/Co-Regulation (as received).md"
);

fn attune() -> Command {
    let mut cmd = Command::cargo_bin("attune").expect("the attune binary is built");
    cmd.env_remove("CLICOLOR_FORCE").env("NO_COLOR", "1");
    cmd
}

/// Write `//- /path` fixture files into a new temporary vault.
fn vault(files: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut current: Option<(PathBuf, String)> = None;
    let flush = |cur: Option<(PathBuf, String)>| {
        if let Some((path, text)) = cur {
            std::fs::create_dir_all(path.parent().expect("has a folder")).expect("mkdir");
            std::fs::write(&path, text).expect("write fixture");
        }
    };
    for line in files.split_inclusive('\n') {
        if let Some(path) = line.trim_end().strip_prefix("//- /") {
            flush(current.take());
            current = Some((dir.path().join(path), String::new()));
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
        }
    }
    flush(current);
    dir
}

fn json(dir: &Path, extra: &[&str]) -> (Value, i32) {
    let out = attune()
        .arg("check")
        .arg(dir)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    (
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}")),
        out.status.code().unwrap_or(-1),
    )
}

fn findings<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

const SMALL: &str = r#"
//- /ME/Journal/Entry.md
---
title: Entry
source_daily_note: "[[2025-07-05]]"
---
I felt [[Calm]] and [[]].
//- /ME/Emotions/Calm.md
---
id: 1234567890
---
Calm.
//- /ME/Emotions/Stub.md
//- /ME/Triggers/.md
---
id: <% tp.date.now("x") %>
---
"#;

#[test]
fn rustc_like_text_with_caret_and_summary_without_colour_off_a_terminal() {
    let dir = vault(SMALL);
    let out = attune()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("UTF-8");
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal:\n{text}"
    );
    let expected = "warning[link/dangling]: `[[2025-07-05]]` in `source_daily_note` points to no note\n --> ME/Journal/Entry.md:3:21\n  |\n3 | source_daily_note: \"[[2025-07-05]]\"\n  |                     ^^^^^^^^^^^^^^\n  = help: there is no daily note `2025-07-05.md` in the vault: create it, or remove the link\n";
    assert!(text.contains(expected), "{text}");
    assert!(text.contains("error[note/unrendered-template]"), "{text}");
    assert!(text.contains(" --> ME/Triggers/.md:2:5"), "{text}");
    assert!(text.contains("severity code"), "{text}");
    assert!(
        text.contains("1 error, 3 warnings, 5 infos (5 not shown: use --show info)"),
        "{text}"
    );
}

#[test]
fn severity_sets_the_exit_status_and_filters_narrow_the_findings() {
    let dir = vault(SMALL);
    // Default threshold: error. The template is an error.
    attune().arg("check").arg(dir.path()).assert().code(1);
    // Without the template, only warnings remain: clean at `error`, failing at `warning`.
    std::fs::remove_file(dir.path().join("ME/Triggers/.md")).expect("rm");
    attune().arg("check").arg(dir.path()).assert().code(0);
    attune()
        .arg("check")
        .arg(dir.path())
        .args(["--severity", "warning"])
        .assert()
        .code(1);
    attune()
        .arg("check")
        .arg(dir.path())
        .args(["--severity", "warning", "--code", "note/empty-stub"])
        .assert()
        .code(0);
    attune()
        .arg("check")
        .arg(dir.path())
        .args(["--severity", "info", "--code", "note"])
        .assert()
        .code(1);
    let (report, _) = json(dir.path(), &["--code", "link", "--path", "ME/Journal"]);
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["link/dangling", "link/empty"]);
    assert_eq!(report["summary"]["total"], 2);
}

#[test]
fn bad_usage_exits_2() {
    attune()
        .args(["check", "--severity", "loud"])
        .assert()
        .code(2);
    attune()
        .args(["check", "/no/such/vault/anywhere"])
        .assert()
        .code(2);
}

#[test]
fn json_has_every_field_and_is_identical_across_runs() {
    let dir = vault(SMALL);
    let run = || {
        attune()
            .arg("check")
            .arg(dir.path())
            .args(["--format", "json"])
            .output()
            .expect("runs")
            .stdout
    };
    let first = run();
    assert_eq!(first, run());
    let (report, code) = json(dir.path(), &[]);
    assert_eq!(code, 1);
    let dangling = findings(&report, "link/dangling");
    assert_eq!(dangling.len(), 1);
    let d = dangling[0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["path"], "ME/Journal/Entry.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(21))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(3), Some(35))
    );
    assert_eq!(d["text"], "[[2025-07-05]]");
    assert!(d["help"].as_str().unwrap().contains("daily note"));
    assert_eq!(report["summary"]["errors"], 1);
    let by_code = report["summary"]["by_code"].as_array().unwrap();
    assert!(
        by_code
            .iter()
            .any(|c| c["code"] == "note/placeholder-id" && c["count"] == 1)
    );
}

#[test]
fn the_seed_note_is_flagged_as_mojibake() {
    let Ok(bytes) = std::fs::read(SEED) else {
        eprintln!("seed note not found at {SEED}; skipping");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("Co-Regulation.md"), bytes).expect("copy");
    let (report, _) = json(dir.path(), &["--code", "encoding"]);
    let found = findings(&report, "encoding/mojibake");
    assert!(found.len() >= 10, "{report}");
    assert!(
        found
            .iter()
            .any(|f| f["help"].as_str().unwrap().contains("🟩"))
    );
}

/// The reference vault's acceptance, with expectations computed from its files.
#[test]
fn reference_vault_acceptance() {
    let root = Path::new(VAULT);
    if !root.is_dir() {
        eprintln!("reference vault not found at {VAULT}; skipping");
        return;
    }
    let (report, code) = json(root, &[]);
    assert_eq!(code, 1, "the vault has errors (invalid YAML, templates)");
    // Stable across runs, so it can be diffed.
    let run = || {
        attune()
            .arg("check")
            .arg(root)
            .args(["--format", "json"])
            .output()
            .expect("runs")
            .stdout
    };
    assert_eq!(run(), run());
    let all = report["findings"].as_array().expect("findings");

    // Each finding once.
    let mut seen = std::collections::HashSet::new();
    for f in all {
        assert!(
            seen.insert((
                f["path"].to_string(),
                f["line"].to_string(),
                f["column"].to_string(),
                f["code"].to_string(),
                f["message"].to_string()
            )),
            "twice: {f}"
        );
    }

    // The one invalid YAML note.
    let yaml = findings(&report, "yaml/invalid");
    assert_eq!(yaml.len(), 1, "{yaml:?}");
    assert_eq!(
        yaml[0]["path"],
        "ME/🏛️ Foundations/🛡️ Emotional Needs/Connection.md"
    );

    // The five `.md` template files, at the line of their first `<%`.
    let templates = findings(&report, "note/unrendered-template");
    assert_eq!(templates.len(), 5);
    for t in &templates {
        let path = t["path"].as_str().unwrap();
        assert!(path.ends_with("/.md"), "{path}");
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        let line = 1 + text[..text.find("<%").unwrap()].matches('\n').count() as u64;
        assert_eq!(t["line"].as_u64(), Some(line), "{path}");
    }

    // The placeholder ids, at their `id:` line.
    let placeholders = findings(&report, "note/placeholder-id");
    assert_eq!(placeholders.len(), 2);
    for p in &placeholders {
        let text = std::fs::read_to_string(root.join(p["path"].as_str().unwrap())).unwrap();
        let line = 1 + text[..text.find("\nid: 1234567890").unwrap() + 1]
            .matches('\n')
            .count() as u64;
        assert_eq!(p["line"].as_u64(), Some(line));
    }

    // The empty stubs: every 0-byte or `---\n---` note outside Meta/.
    let stubs = findings(&report, "note/empty-stub");
    let mut expected = 0;
    walk(root, &mut |rel, bytes| {
        let t = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
        if !rel.starts_with("Meta/")
            && rel.ends_with(".md")
            && (t.trim().is_empty() || t.trim() == "---\n---")
        {
            expected += 1;
        }
    });
    assert_eq!(stubs.len(), expected);
    assert!(
        (340..=360).contains(&expected),
        "about 350 stubs, found {expected}"
    );

    // The dangling daily-note links: every `[[YYYY-MM-DD]]` written, once, at its line.
    let mut daily = Vec::new();
    walk(root, &mut |rel, bytes| {
        if rel.starts_with("Meta/") || !rel.ends_with(".md") {
            return;
        }
        for (i, line) in String::from_utf8_lossy(bytes).lines().enumerate() {
            // `[[2025-05-29]]` written unquoted and re-saved by Obsidian as a nested list.
            if line.trim().strip_prefix("- - ").is_some_and(is_date) {
                daily.push((rel.to_owned(), i as u64 + 1));
            }
            for part in line.split("[[").skip(1) {
                let name = part.split("]]").next().unwrap_or("");
                if is_date(name) {
                    daily.push((rel.to_owned(), i as u64 + 1));
                }
            }
        }
    });
    daily.sort();
    let mut got: Vec<(String, u64)> = findings(&report, "link/dangling")
        .into_iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .is_some_and(|t| t.starts_with("`[[20"))
        })
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    assert!(daily.len() >= 15);
    assert_eq!(got, daily);

    // The protective strategies that all say `fileClass: emotional_need`.
    let mismatches = findings(&report, "schema/class-mismatch")
        .into_iter()
        .filter(|f| {
            f["path"]
                .as_str()
                .unwrap()
                .starts_with("ME/🏛️ Foundations/🪖 Protective Strategies/")
        })
        .count();
    assert_eq!(mismatches, 34);

    // The legacy `healing_resource` key, once in every wound note that has it.
    let mut wounds_with_key = 0;
    walk(
        &root.join("ME/🏛️ Foundations/🌀 Emotional Wounds"),
        &mut |_, bytes| {
            if String::from_utf8_lossy(bytes)
                .lines()
                .any(|l| l.starts_with("healing_resource:"))
            {
                wounds_with_key += 1;
            }
        },
    );
    let legacy = findings(&report, "schema/legacy-field")
        .into_iter()
        .filter(|f| {
            f["path"].as_str().unwrap().contains("🌀 Emotional Wounds/")
                && f["text"] == "healing_resource"
        })
        .count();
    assert_eq!(wounds_with_key, 32);
    assert_eq!(legacy, wounds_with_key);

    // No mojibake in the owner's vault.
    assert!(findings(&report, "encoding/mojibake").is_empty());
}

fn is_date(name: &str) -> bool {
    name.len() == 10
        && name.as_bytes()[4] == b'-'
        && name.bytes().filter(u8::is_ascii_digit).count() == 8
}

/// Call `f(vault-relative path, bytes)` for every file under `dir` (paths relative to `dir`).
fn walk(dir: &Path, f: &mut dyn FnMut(&str, &[u8])) {
    fn go(root: &Path, dir: &Path, f: &mut dyn FnMut(&str, &[u8])) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                go(root, &path, f);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let rel = path
                    .strip_prefix(root)
                    .expect("walked from root")
                    .to_string_lossy()
                    .replace('\\', "/");
                f(&rel, &bytes);
            }
        }
    }
    go(dir, dir, f);
}
