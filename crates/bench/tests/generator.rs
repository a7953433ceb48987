//! The generator's promises: same seed same bytes, exact counts, the measured shape.

use std::collections::HashMap;
use std::path::Path;

use attune_bench::{generate, vault_files};

#[test]
fn same_seed_gives_same_bytes_and_another_seed_does_not() {
    let (a, sa) = vault_files(1500, 42);
    let (b, sb) = vault_files(1500, 42);
    assert_eq!(a, b);
    assert_eq!(sa, sb);
    let (c, _) = vault_files(1500, 43);
    assert_ne!(a, c);
}

#[test]
fn generate_writes_exactly_the_in_memory_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = dir.path().join("vault");
    let summary = generate(&vault, 1200, 7).expect("generate");
    let (files, expected) = vault_files(1200, 7);
    assert_eq!(summary, expected);
    for file in &files {
        let on_disk = fs_err::read(vault.join(&file.path)).expect("file written");
        assert_eq!(on_disk, file.text.as_bytes(), "{}", file.path);
    }
    assert_eq!(count_files(&vault), files.len());
    // A second run into the same, now full, folder is refused.
    assert!(generate(&vault, 10, 7).is_err());
}

#[test]
fn note_counts_are_exact() {
    for n in [0, 1, 20, 999, 1000, 3333] {
        let (files, summary) = vault_files(n, 1);
        let me = files.iter().filter(|f| f.path.starts_with("ME/")).count();
        assert_eq!(me, n, "ME notes for {n}");
        assert_eq!(summary.notes, n);
        let stubs = files
            .iter()
            .filter(|f| f.path.starts_with("ME/") && (f.text.is_empty() || f.text == "---\n---\n"))
            .count();
        assert_eq!(summary.stubs, stubs, "stubs for {n}");
        let typed = files
            .iter()
            .filter(|f| f.path.starts_with("ME/") && f.text.contains("\nfileClass: "))
            .count();
        assert_eq!(summary.typed, typed, "typed for {n}");
    }
}

#[test]
fn about_38_percent_are_empty_stubs_and_one_in_a_thousand_is_invalid() {
    let (_, s) = vault_files(10_000, 5);
    let share = s.stubs as f64 / s.notes as f64;
    assert!((0.35..0.41).contains(&share), "stub share {share}");
    assert!(
        (5..=10).contains(&s.invalid_yaml),
        "invalid {}",
        s.invalid_yaml
    );
    assert_eq!(s.template_leftovers, 5);
    assert!(s.folder_indexes >= 30);
    assert!(s.links > 10_000, "links {}", s.links);
}

#[test]
fn the_owners_value_and_link_shapes_all_occur() {
    let (files, _) = vault_files(5000, 11);
    let all: String = files.iter().map(|f| f.text.as_str()).collect();
    for shape in [
        "\"[[",                   // quoted link value
        "\n  - \"[[",             // block list of quoted links
        "\n  - [[",               // unquoted block item: a nested list in YAML
        "[\"\", ",                // ["", x]
        "\"[[ME/🏛️ Foundations/", // path-qualified
        "|",                      // aliased
        "status: [\"\", ",        // status in its four shapes…
        "status: [",
        "status: 🟩 complete",
        "id: \"\"", // placeholder ids
        "id: 1234567890",
        "id: <% tp.date.now(\"x\") %>",
        "healing_resource:",       // a renamed field
        "fileClass: practice_log", // the class notes write, not the schema's
        "source_daily_note: \"[[",
        "```dataview",
        "\n## ",
    ] {
        assert!(all.contains(shape), "no {shape:?} in the vault");
    }
}

#[test]
fn some_names_exist_in_several_folders_and_practice_names_follow_the_rules() {
    let (files, _) = vault_files(5000, 3);
    let mut folders_by_name: HashMap<&str, Vec<&str>> = HashMap::new();
    for f in files.iter().filter(|f| f.path.starts_with("ME/")) {
        let (folder, name) = f.path.rsplit_once('/').expect("path has a folder");
        folders_by_name.entry(name).or_default().push(folder);
    }
    let duplicated = folders_by_name.values().filter(|v| v.len() > 1).count();
    assert!(duplicated >= 20, "{duplicated} duplicated names");
    let takes: Vec<&str> = files
        .iter()
        .filter_map(|f| {
            f.path
                .strip_prefix("ME/🧪 Practice Lab/🎙️ Live Rehearsals/")
        })
        .filter(|n| !n.starts_with('🎙'))
        .collect();
    assert!(!takes.is_empty());
    for take in takes {
        assert!(
            take.contains("_Session-") && take.contains("_Live Rehearsal_Take-"),
            "{take}"
        );
    }
    let journal = files
        .iter()
        .filter(|f| {
            f.path
                .contains("/📓 Journal/🔁 Integration Journal Entry 20")
        })
        .count();
    assert!(journal > 0);
}

fn count_files(dir: &Path) -> usize {
    let mut n = 0;
    for entry in fs_err::read_dir(dir).expect("read dir") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_dir() {
            n += count_files(&entry.path());
        } else {
            n += 1;
        }
    }
    n
}

#[test]
fn the_benchmarked_dashboard_exists_with_its_two_blocks() {
    let (files, _) = vault_files(1000, 1);
    let dashboard = files
        .iter()
        .find(|f| f.path == attune_bench::EMOTIONS_DASHBOARD)
        .expect("the Emotions dashboard is generated");
    assert_eq!(dashboard.text.matches("```dataview\n").count(), 2);
    assert!(
        dashboard.text.contains("### To Review")
            && dashboard.text.contains("### Completed File List")
    );
    assert!(
        files
            .iter()
            .any(|f| f.path.starts_with("ME/📝 Captured Moments/"))
    );
}

#[test]
fn no_note_repeats_a_frontmatter_key() {
    let (files, _) = vault_files(3000, 9);
    for f in files
        .iter()
        .filter(|f| f.path.starts_with("ME/") && f.text.starts_with("---\n"))
    {
        let Some(end) = f.text[4..].find("\n---\n") else {
            continue;
        };
        let mut keys: Vec<&str> = f.text[4..4 + end]
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('-'))
            .filter_map(|l| l.split_once(':').map(|(k, _)| k))
            .collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "repeated key in {}", f.path);
    }
}
