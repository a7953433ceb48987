//! `attune new`, `set`, `undo` and `log` end to end through the binary, on the engine's
//! fixture vault written to a temporary folder; and the warm start's snapshot around them.
#![allow(clippy::disallowed_methods, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const FIXTURE: &str = include_str!("../../engine/tests/fixture_vault.txt");

fn attune(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("attune").expect("the attune binary is built");
    cmd.env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .current_dir(dir);
    cmd
}

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

fn output(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn new_then_log_then_undo() {
    let dir = vault();
    let (code, stdout, stderr) = output(attune(dir.path()).args([
        "new",
        "trigger",
        "--title",
        "being interrupted mid-sentence",
        "--set",
        "trigger_group=Relational",
        "--set",
        "trigger_type=Criticism",
        "--no-input",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("created ME/Triggers/Being Interrupted Mid-Sentence.md"),
        "{stdout}"
    );
    assert!(
        stdout.contains("commit #1: new trigger Being Interrupted Mid-Sentence"),
        "{stdout}"
    );
    let note = dir
        .path()
        .join("ME/Triggers/Being Interrupted Mid-Sentence.md");
    assert!(
        std::fs::read_to_string(&note)
            .unwrap()
            .contains("trigger_type: Criticism\n")
    );

    let (code, stdout, _) = output(attune(dir.path()).args(["log", "--format", "json"]));
    assert_eq!(code, 0);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(log[0]["number"], 1);
    assert_eq!(
        log[0]["files"][0]["path"],
        "ME/Triggers/Being Interrupted Mid-Sentence.md"
    );
    assert_eq!(log[0]["files"][0]["created"], true);

    let (code, stdout, stderr) = output(attune(dir.path()).args(["undo"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("removed ME/Triggers/Being Interrupted Mid-Sentence.md"),
        "{stdout}"
    );
    assert!(!note.exists());
    let (code, _, stderr) = output(attune(dir.path()).args(["undo"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("nothing to undo"), "{stderr}");
}

#[test]
fn refusals_name_the_field_and_exit_1() {
    let dir = vault();
    let (code, _, stderr) = output(attune(dir.path()).args([
        "new",
        "trigger",
        "--title",
        "being interrupted mid-sentence",
        "--set",
        "trigger_group=Relational",
        "--set",
        "trigger_type=Crowds",
    ]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "error[form/not-in-group]: `Crowds` is not a `trigger_type` of the group `Relational`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("the types allowed for Relational are: Rejection, Criticism, Abandonment"),
        "{stderr}"
    );
    assert!(
        stderr.contains("refused (1 error): nothing was written"),
        "{stderr}"
    );

    // Without a terminal nothing is asked: the missing fields are listed.
    let (code, _, stderr) = output(attune(dir.path()).args([
        "new",
        "practice_session",
        "--set",
        "rehearsal_mode=Coaching",
    ]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("a new `practice_session` is named from `scenario`, which was not given"),
        "{stderr}"
    );
    assert!(!dir.path().join(".attune/history").exists());
}

#[test]
fn set_dry_run_shows_the_diff_as_json_and_writes_nothing() {
    let dir = vault();
    let before = std::fs::read_to_string(dir.path().join("ME/Triggers/Rejection.md")).unwrap();
    let (code, stdout, stderr) = output(attune(dir.path()).args([
        "set",
        "Rejection",
        "status=complete",
        "--dry-run",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let plan: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(plan["refused"], false);
    assert_eq!(plan["commit"], Value::Null);
    let diff = plan["files"][0]["diff"].as_str().unwrap();
    assert!(
        diff.contains("\n-status: 🟧 in progress\n") && diff.contains("\n+status: 🟩 complete\n"),
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ME/Triggers/Rejection.md")).unwrap(),
        before
    );
}

// The warm start through the binary: a read command leaves a snapshot of the vault in the
// cache folder, the next run opens from it and answers exactly as a full read does, a write
// through a snapshot lands, and `--no-cache` neither reads nor writes one. The fixture vault
// is small, so `ATTUNE_CACHE_MIN_NOTES=0` lets it have a snapshot.

/// `attune ARGS` with its snapshots in `cache`; stdout.
fn run_cached(cache: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("attune")
        .unwrap()
        .env_remove("CLICOLOR_FORCE")
        .env_remove("ATTUNE_NO_CACHE")
        .env("NO_COLOR", "1")
        .env("ATTUNE_CACHE_DIR", cache)
        .env("ATTUNE_CACHE_MIN_NOTES", "0")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)) && !stderr.contains("warning"),
        "attune {args:?}: {stderr}"
    );
    String::from_utf8(out.stdout).unwrap()
}

fn snapshots(cache: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(cache)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn a_second_run_opens_from_the_snapshot_and_answers_as_a_full_read() {
    let dir = vault();
    let cache = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let check = ["check", root, "--format", "json", "--show", "info"];
    let full = |args: &[&str]| {
        let mut args = args.to_vec();
        args.push("--no-cache");
        run_cached(cache.path(), &args)
    };
    let query = [
        "query",
        "TABLE file.inlinks, file.outlinks, status FROM \"\" SORT file.path",
        root,
        "--format",
        "json",
    ];

    // `--no-cache`: nothing written.
    let expected = full(&check);
    assert!(snapshots(cache.path()).is_empty());

    // The first run writes the snapshot (owner-only), the second opens from it and does not
    // write it again (nothing changed).
    assert_eq!(run_cached(cache.path(), &check), expected);
    let files = snapshots(cache.path());
    assert_eq!(files.len(), 1, "{files:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let written = modified(&files[0]);
    assert_eq!(run_cached(cache.path(), &check), expected);
    assert_eq!(run_cached(cache.path(), &query), full(&query));
    assert_eq!(
        modified(&files[0]),
        written,
        "an unchanged vault's snapshot was rewritten"
    );

    // A write through the snapshot, then reads that see it.
    let out = run_cached(
        cache.path(),
        &["set", "Rejection", "status=complete", "--vault", root],
    );
    assert!(out.contains("Rejection"), "{out}");
    assert!(
        std::fs::read_to_string(dir.path().join("ME/Triggers/Rejection.md"))
            .unwrap()
            .contains("status: 🟩 complete")
    );
    assert_eq!(run_cached(cache.path(), &query), full(&query));
    assert_eq!(run_cached(cache.path(), &check), full(&check));

    // A note removed and one added behind attune's back.
    std::fs::remove_file(dir.path().join("ME/Triggers/Rejection.md")).unwrap();
    std::fs::write(
        dir.path().join("ME/Triggers/Noise.md"),
        "---\nfileClass: trigger\n---\nSee [[Rejection]].\n",
    )
    .unwrap();
    assert_eq!(run_cached(cache.path(), &check), full(&check));
    assert_eq!(run_cached(cache.path(), &query), full(&query));
}
