//! The owner's real views: every ```` ```dataview ```` block under `ME/` of the reference
//! vault parses and runs over a [`MemorySource`] of the whole vault (the engine's index will
//! replace it). Results are pinned by row count and a hash of the first row, so no vault
//! content is copied into the project; one "To Review" list is checked row by row against an
//! independent reading of the files.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

use attune_query::{
    FileStats, MemorySource, QueryResult, QuerySource, RunOptions, render, run_note_blocks,
};
use attune_syntax::parse_note;
use expect_test::expect;

fn vault_root() -> Option<PathBuf> {
    let root = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reference-vault"
    ));
    if root.is_dir() {
        Some(root)
    } else {
        eprintln!("reference vault not found at {}; skipping", root.display());
        None
    }
}

fn markdown_files(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Obsidian ignores dot-files and dot-folders (the vault's five files named `.md`).
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            markdown_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            let rel = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(&path).expect("readable")));
        }
    }
}

struct Vault {
    files: Vec<(String, Vec<u8>)>,
    source: MemorySource,
}

fn load(root: &Path) -> Vault {
    let mut files = Vec::new();
    markdown_files(root, root, &mut files);
    files.sort();
    let source = MemorySource::from_notes(files.iter().map(|(path, bytes)| {
        let stats = FileStats {
            size: bytes.len() as u64,
            ctime: None,
            mtime: None,
        };
        (path.clone(), parse_note(bytes), stats)
    }));
    Vault { files, source }
}

fn options() -> RunOptions {
    RunOptions {
        this: None,
        now: Some(jiff::civil::date(2025, 8, 29).at(12, 0, 0, 0)),
    }
}

/// FNV-1a, to pin a row without storing its text.
fn fnv(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[test]
fn all_me_dataview_blocks_parse_and_run() {
    let Some(root) = vault_root() else { return };
    let vault = load(&root);
    let mut report = Vec::new();
    let mut blocks = 0;
    let mut errors = Vec::new();
    let mut notes = 0;
    for (path, bytes) in vault.files.iter().filter(|(p, _)| p.starts_with("ME/")) {
        let text = String::from_utf8_lossy(bytes);
        if !text.contains("dataview") {
            continue;
        }
        notes += 1;
        let id = vault.source.page_by_path(path).expect("indexed");
        for (i, outcome) in run_note_blocks(&text, id, path, &vault.source, &options())
            .into_iter()
            .enumerate()
        {
            blocks += 1;
            match outcome.outcome {
                Ok(out) => {
                    if std::env::var_os("ATTUNE_SHOW_VIEWS").is_some() {
                        eprintln!("{notes:02}.{} {path}", i + 1);
                    }
                    let (headers, rows) = render::to_cells(&out.result);
                    let first = rows.first().map_or(0, |r| fnv(&r.join("\u{1f}")));
                    let kind = match out.result {
                        QueryResult::Table { .. } => "table",
                        QueryResult::List { .. } => "list",
                        QueryResult::Task { .. } => "task",
                    };
                    report.push(format!(
                        "{notes:02}.{} {kind} cols={} rows={} first={first:08x}{}",
                        i + 1,
                        headers.len(),
                        rows.len(),
                        if out.warnings.is_empty() {
                            String::new()
                        } else {
                            format!(" warnings={}", out.warnings.len())
                        }
                    ));
                }
                Err(d) => errors.push(format!("{path} block {}: {}", i + 1, d.message)),
            }
        }
    }
    assert!(errors.is_empty(), "blocks failed:\n{}", errors.join("\n"));
    assert_eq!(
        blocks, 40,
        "expected the owner's 40 dataview blocks under ME/"
    );
    expect![[r#"
        01.1 table cols=6 rows=5 first=d2507850
        02.1 table cols=2 rows=0 first=00000000
        02.2 table cols=7 rows=0 first=00000000
        03.1 table cols=2 rows=67 first=8378600e
        03.2 table cols=5 rows=25 first=ccc968af
        04.1 table cols=2 rows=25 first=ffd73760
        04.2 table cols=5 rows=32 first=c486d4f5
        05.1 table cols=2 rows=50 first=03ee7485
        05.2 table cols=5 rows=47 first=a1a10c95
        05.3 table cols=5 rows=83 first=be6b15f8
        06.1 table cols=2 rows=0 first=00000000
        06.2 table cols=4 rows=0 first=00000000
        07.1 table cols=2 rows=0 first=00000000
        07.2 table cols=6 rows=0 first=00000000
        08.1 table cols=2 rows=0 first=00000000
        08.2 table cols=6 rows=25 first=98de38d5
        09.1 table cols=2 rows=0 first=00000000
        09.2 table cols=6 rows=20 first=33c7e7ee
        10.1 table cols=2 rows=0 first=00000000
        10.2 table cols=5 rows=18 first=583fd1ff
        11.1 table cols=2 rows=49 first=a9f8ae3e
        11.2 table cols=7 rows=19 first=f5b77cfe
        12.1 table cols=2 rows=5 first=43fb36b3
        12.2 table cols=6 rows=1 first=d248faca
        13.1 table cols=2 rows=0 first=00000000
        13.2 table cols=7 rows=34 first=44fc96be
        14.1 table cols=2 rows=5 first=854e181b
        14.2 table cols=2 rows=1 first=46ea577f
        15.1 table cols=3 rows=4 first=ffd1b7f7
        15.2 table cols=3 rows=3 first=ce1503b8
        16.1 table cols=7 rows=19 first=23ea91f4
        16.2 table cols=2 rows=8 first=845b8faf
        17.1 table cols=2 rows=2 first=ae7da396
        18.1 table cols=4 rows=4 first=bf6f919e
        19.1 table cols=4 rows=4 first=39417091
        20.1 table cols=4 rows=3 first=8f20f08c
        21.1 table cols=4 rows=4 first=b659c407
        22.1 table cols=4 rows=3 first=8403f8f3
        22.2 table cols=4 rows=4 first=655f5218
        22.3 table cols=4 rows=4 first=4149ad3e"#]]
    .assert_eq(&report.join("\n"));
}

/// The "To Review" list of the soothing-resources index (search box holds `gentle`): notes of
/// the folder, except the index, whose `status` is missing, empty or `-` and whose name
/// contains the search term in any case, sorted by name. The expected rows come from reading
/// the files directly (frontmatter lines), not from the query engine.
#[test]
fn to_review_list_matches_the_files() {
    let Some(root) = vault_root() else { return };
    let vault = load(&root);
    let folder = "ME/🏛️ Foundations/🩹 Soothing Resources";
    let index_path = format!("{folder}/🩹 Soothing Resources.md");
    let index_text = String::from_utf8_lossy(
        &vault
            .files
            .iter()
            .find(|(p, _)| *p == index_path)
            .expect("index note")
            .1,
    )
    .into_owned();
    let term = index_text
        .lines()
        .find_map(|l| l.strip_prefix("searchTerm:"))
        .map(|t| t.trim().trim_matches('"').to_lowercase())
        .expect("searchTerm");

    let mut expected: Vec<String> = Vec::new();
    for (path, bytes) in &vault.files {
        let Some(rest) = path.strip_prefix(&format!("{folder}/")) else {
            continue;
        };
        if *path == index_path {
            continue;
        }
        let name = Path::new(rest)
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let text = String::from_utf8_lossy(bytes);
        let frontmatter: Vec<&str> = match text.strip_prefix("---\n") {
            Some(after) => after.lines().take_while(|l| *l != "---").collect(),
            None => Vec::new(),
        };
        let status_line = frontmatter.iter().position(|l| l.starts_with("status:"));
        let reviewable = match status_line {
            None => true,
            Some(i) => {
                let value = frontmatter[i]["status:".len()..].trim();
                let has_items = frontmatter
                    .get(i + 1)
                    .is_some_and(|l| l.trim_start().starts_with("- ") && !l.contains("\"\""));
                (value.is_empty() && !has_items) || value == "\"-\"" || value == "-"
            }
        };
        if reviewable && name.to_lowercase().contains(&term) {
            expected.push(name);
        }
    }
    expected.sort_by(|a, b| attune_query::compare_text(a, b));

    let id = vault.source.page_by_path(&index_path).expect("indexed");
    let outcomes = run_note_blocks(&index_text, id, &index_path, &vault.source, &options());
    let out = outcomes[0].outcome.as_ref().expect("runs");
    let (headers, rows) = render::to_cells(&out.result);
    assert_eq!(headers, vec!["File".to_string(), "Status".to_string()]);
    let names: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    assert_eq!(names, expected);
    assert_eq!(rows.len(), 5, "five stubs match the owner's search term");
    assert!(rows.iter().all(|r| r[1] == "-"), "status shows as -");
}

/// The index note whose search box is empty (`searchTerm:` with no value) shows nothing in
/// "To Review": `icontains(x, null)` is false, exactly as in Obsidian.
#[test]
fn empty_search_box_hides_to_review() {
    let Some(root) = vault_root() else { return };
    let vault = load(&root);
    let path = "ME/🏛️ Foundations/⚖️Trade-Offs/⚖️Trade-Offs.md";
    let Some((_, bytes)) = vault.files.iter().find(|(p, _)| p == path) else {
        return;
    };
    let text = String::from_utf8_lossy(bytes);
    let id = vault.source.page_by_path(path).expect("indexed");
    let outcomes = run_note_blocks(&text, id, path, &vault.source, &options());
    assert_eq!(outcomes.len(), 2);
    for o in &outcomes {
        assert_eq!(o.outcome.as_ref().expect("runs").result.len(), 0);
    }
}
