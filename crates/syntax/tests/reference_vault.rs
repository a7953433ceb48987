//! Conformance on the owner's real vault (`../shared/reference-vault`, read-only): every
//! Markdown file round-trips byte for byte, parsing never panics, and the one note whose YAML
//! no parser accepts gives exactly one `yaml/invalid`. Skips with a message when the vault is
//! absent.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

use attune_syntax::{LineIndex, Severity, parse_note};

const VAULT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/reference-vault"
);

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(".md"))
        {
            out.push(path);
        }
    }
}

fn vault() -> Option<PathBuf> {
    let root = PathBuf::from(VAULT);
    if root.is_dir() {
        Some(root)
    } else {
        eprintln!("reference vault not found at {VAULT}: skipping");
        None
    }
}

#[test]
fn every_note_round_trips_and_parsing_never_panics() {
    let Some(root) = vault() else { return };
    let mut files = Vec::new();
    markdown_files(&root, &mut files);
    assert!(
        files.len() > 1000,
        "expected the whole vault, found {} files",
        files.len()
    );
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let note = std::panic::catch_unwind(|| parse_note(&bytes))
            .unwrap_or_else(|_| panic!("parse_note panicked on {}", path.display()));
        assert_eq!(
            note.print().as_bytes(),
            &bytes[..],
            "round trip of {}",
            path.display()
        );
        for d in note.diagnostics() {
            if let Some(span) = d.span {
                assert!(
                    span.end as usize <= bytes.len()
                        && note.source.is_char_boundary(span.start as usize),
                    "{}: bad span {d:?}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn exactly_one_invalid_yaml_under_me_and_it_is_connection() {
    let Some(root) = vault() else { return };
    let mut files = Vec::new();
    markdown_files(&root.join("ME"), &mut files);
    assert_eq!(files.len(), 913, "Markdown files under ME/");
    let mut invalid = Vec::new();
    for path in &files {
        let note = parse_note(&std::fs::read(path).unwrap());
        for d in note
            .diagnostics()
            .iter()
            .filter(|d| d.code == "yaml/invalid")
        {
            assert_eq!(d.severity, Severity::Error);
            assert!(!note.frontmatter.as_ref().unwrap().valid);
            let index = LineIndex::new(&note.source);
            let at = index.line_col(&note.source, d.span.unwrap().start as usize);
            invalid.push((
                path.strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                at.line,
                at.col,
                d.message.clone(),
            ));
        }
    }
    assert_eq!(invalid.len(), 1, "{invalid:#?}");
    let (path, line, col, message) = &invalid[0];
    assert_eq!(path, "ME/🏛️ Foundations/🛡️ Emotional Needs/Connection.md");
    // Line 31 is `  - "[[Distraction]]" ["[[Masking …`: the error sits at the `[` after the
    // closed quote (column 23), not at a character-index-shifted position.
    assert_eq!((*line, *col), (31, 23), "{message}");
}
