//! Acceptance on the owner's vault (`../shared/reference-vault`): the index's findings, each
//! once with the right line, and no false `link/ambiguous` where the field's class decides.
//! Classes and relations come from a small table written from SYSTEM.md (the index does not
//! depend on the schema crate; the engine's tests check the same with the real schema).
#![allow(clippy::disallowed_methods)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use attune_index::{ClassFacts, Index, NoteInput};
use attune_syntax::{Diagnostic, LineIndex, parse_note};

const VAULT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/reference-vault"
);
const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seed/Co-Regulation (as received).md"
);

/// Folder (under `ME/🏛️ Foundations/` or `ME/🧪 Practice Lab/`) → class, from SYSTEM.md.
const CLASSES: &[(&str, &str)] = &[
    ("ME/🏛️ Foundations/⚡ Triggers", "trigger"),
    ("ME/🏛️ Foundations/🎭 Emotions", "emotion"),
    ("ME/🏛️ Foundations/🌀 Emotional Wounds", "emotional_wound"),
    ("ME/🏛️ Foundations/🛡️ Emotional Needs", "emotional_need"),
    ("ME/🏛️ Foundations/📢 Internal Voices", "internal_voice"),
    (
        "ME/🏛️ Foundations/🪖 Protective Strategies",
        "protective_strategy",
    ),
    (
        "ME/🏛️ Foundations/🐾 Behavior Functions",
        "behavior_function",
    ),
    (
        "ME/🏛️ Foundations/🩹 Soothing Resources",
        "soothing_resource",
    ),
    ("ME/🏛️ Foundations/⚖️Trade-Offs", "tradeoff"),
    (
        "ME/🏛️ Foundations/🕸️ Attachment/💖 Theory",
        "attachment_theory",
    ),
    (
        "ME/🏛️ Foundations/🕸️ Attachment/🔗 Styles",
        "attachment_style",
    ),
    (
        "ME/🏛️ Foundations/🕸️ Attachment/🗝️ Needs",
        "attachment_need",
    ),
    ("ME/🧪 Practice Lab/🎲 Scenarios", "scenario"),
    ("ME/🧪 Practice Lab/🎬 Practice Logs", "practice_session"),
    ("ME/🧪 Practice Lab/🎙️ Live Rehearsals", "live_rehearsal"),
    ("ME/🧪 Practice Lab/🧠 Coaching", "coaching"),
    (
        "ME/🧪 Practice Lab/🗺️ Skill Maps/🗣️ Core Skills",
        "core_skill",
    ),
    (
        "ME/🧪 Practice Lab/🗺️ Skill Maps/🧬 Meta Skills",
        "meta_skill",
    ),
    ("ME/📝 Captured Moments", "capturedMoment"),
    ("ME/👀 Observations", "observation"),
    ("ME/📓 Journal", "emotional_growth_journal"),
    ("ME/🌒 Reflections/🕹️ Inner Check-Ins", "inner_checkin"),
];

/// Relations from SYSTEM.md ("Relations").
fn facts() -> ClassFacts {
    let foundations = [
        "trigger",
        "emotion",
        "emotional_wound",
        "emotional_need",
        "internal_voice",
        "protective_strategy",
        "behavior_function",
        "soothing_resource",
        "tradeoff",
        "attachment_theory",
        "attachment_style",
        "attachment_need",
    ];
    let element = [
        ("linked_wounds", "emotional_wound"),
        ("associated_emotions", "emotion"),
        ("internal_voices", "internal_voice"),
        ("soothing_resources", "soothing_resource"),
        ("protective_strategies", "protective_strategy"),
        ("triggered_by", "trigger"),
        ("needs_behind_it", "emotional_need"),
        ("behavior_functions", "behavior_function"),
        ("tradeoffs", "tradeoff"),
    ];
    let mut facts = ClassFacts::new();
    for class in foundations {
        for (field, target) in element {
            facts.add_relation(class, field, [target], None);
        }
    }
    facts.add_relation("emotion", "opposite", ["emotion"], Some("opposite"));
    facts.add_relation(
        "protective_strategy",
        "functions",
        ["behavior_function"],
        None,
    );
    facts.add_relation("tradeoff", "conflicted_part", ["internal_voice"], None);
    facts.add_relation(
        "attachment_theory",
        "strategies",
        ["protective_strategy"],
        None,
    );
    facts.add_relation("core_skill", "supporting_meta_skills", ["meta_skill"], None);
    facts.add_relation("practice_session", "scenario", ["scenario"], None);
    facts.add_relation(
        "practice_session",
        "live_rehearsals",
        ["live_rehearsal"],
        Some("practice_session"),
    );
    facts.add_relation(
        "practice_session",
        "coaching_sessions",
        ["coaching"],
        Some("practice_session"),
    );
    facts.add_relation(
        "live_rehearsal",
        "practice_session",
        ["practice_session"],
        Some("live_rehearsals"),
    );
    facts.add_relation(
        "coaching",
        "practice_session",
        ["practice_session"],
        Some("coaching_sessions"),
    );
    for class in [
        "capturedMoment",
        "observation",
        "emotional_growth_journal",
        "inner_checkin",
    ] {
        facts.add_relation(class, "emotions", ["emotion"], None);
    }
    facts
}

fn class_of(path: &str) -> Option<String> {
    let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
    CLASSES
        .iter()
        .filter(|(f, _)| folder == *f || folder.starts_with(&format!("{f}/")))
        .max_by_key(|(f, _)| f.len())
        .map(|(_, c)| (*c).to_owned())
}

fn walk(root: &Path, dir: &Path, notes: &mut Vec<NoteInput>, files: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read vault folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let rel = path
            .strip_prefix(root)
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with(".obsidian") {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, notes, files);
        } else if rel.ends_with(".md") {
            let bytes = std::fs::read(&path).expect("read note");
            let mut input =
                NoteInput::new(rel.clone(), parse_note(&bytes)).excluded(rel.starts_with("Meta/"));
            input.class = class_of(&rel);
            notes.push(input);
        } else {
            files.push(rel);
        }
    }
}

fn load() -> Option<Index> {
    let root = Path::new(VAULT);
    if !root.is_dir() {
        eprintln!("reference vault not found at {VAULT}; skipping");
        return None;
    }
    let (mut notes, mut files) = (Vec::new(), Vec::new());
    walk(root, root, &mut notes, &mut files);
    Some(Index::build(notes, files, facts()))
}

fn line(index: &Index, d: &Diagnostic) -> u32 {
    let note = index
        .note(index.by_path(&d.path).expect("finding names a note"))
        .expect("live");
    let text = &note.note().source;
    LineIndex::new(text)
        .line_col(
            text,
            d.span.expect("every index finding has a span").start as usize,
        )
        .line
}

fn by_code(index: &Index) -> BTreeMap<&'static str, Vec<Diagnostic>> {
    let mut out: BTreeMap<&'static str, Vec<Diagnostic>> = BTreeMap::new();
    for d in index.diagnostics() {
        out.entry(d.code).or_default().push(d);
    }
    out
}

fn is_date(name: &str) -> bool {
    name.len() == 10
        && name.as_bytes()[4] == b'-'
        && name.chars().filter(char::is_ascii_digit).count() == 8
}

/// No two findings share path, position and code.
fn assert_each_once(found: &[Diagnostic]) {
    let mut seen = std::collections::HashSet::new();
    for d in found {
        assert!(
            seen.insert((d.path.clone(), d.span, d.code)),
            "reported twice: {d:?}"
        );
    }
}

/// 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> Option<u32> {
    text.find(needle)
        .map(|at| 1 + text[..at].matches('\n').count() as u32)
}

#[test]
fn unrendered_templates_once_per_file_at_the_first_template_line() {
    let Some(index) = load() else { return };
    let found = by_code(&index)
        .remove("note/unrendered-template")
        .unwrap_or_default();
    let expected: Vec<(String, u32)> = index
        .notes()
        .filter_map(|n| Some((n.path().to_owned(), line_of(&n.note().source, "<%")?)))
        .collect();
    assert_eq!(expected.len(), 5, "the vault holds five template files");
    assert!(expected.iter().all(|(p, _)| p.ends_with("/.md")));
    let got: Vec<(String, u32)> = found
        .iter()
        .map(|d| (d.path.clone(), line(&index, d)))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn placeholder_and_duplicate_ids() {
    let Some(index) = load() else { return };
    let mut found = by_code(&index);
    let placeholders = found.remove("note/placeholder-id").unwrap_or_default();
    let expected: Vec<(String, u32)> = index
        .notes()
        .filter_map(|n| {
            Some((
                n.path().to_owned(),
                line_of(&n.note().source, "\nid: 1234567890\n")? + 1,
            ))
        })
        .collect();
    assert_eq!(expected.len(), 2);
    assert_eq!(
        placeholders
            .iter()
            .map(|d| (d.path.clone(), line(&index, d)))
            .collect::<Vec<_>>(),
        expected
    );
    // The six people notes share one id; each says so once, and names the other five.
    let duplicates = found.remove("note/duplicate-id").unwrap_or_default();
    assert_eq!(duplicates.len(), 6);
    assert!(
        duplicates
            .iter()
            .all(|d| d.path.starts_with("Personal/👤 People/")
                && d.message.contains("5 other notes"))
    );
    for d in &duplicates {
        let text = &index
            .note(index.by_path(&d.path).unwrap())
            .unwrap()
            .note()
            .source;
        assert_eq!(
            Some(line(&index, d)),
            line_of(text, "\nid: ").map(|l| l + 1),
            "{}",
            d.path
        );
    }
}

#[test]
fn empty_stubs_are_every_empty_note_outside_meta() {
    let Some(index) = load() else { return };
    let found = by_code(&index)
        .remove("note/empty-stub")
        .unwrap_or_default();
    assert_each_once(&found);
    let expected: Vec<&str> = index
        .notes()
        .filter(|n| !n.excluded())
        .filter(|n| {
            let t = n.note().source.replace("\r\n", "\n");
            t.trim().is_empty() || t.trim() == "---\n---"
        })
        .map(|n| n.path())
        .collect();
    assert!(
        (340..=360).contains(&expected.len()),
        "about 350 stubs, found {}",
        expected.len()
    );
    assert_eq!(
        found.iter().map(|d| d.path.as_str()).collect::<Vec<_>>(),
        expected
    );
    assert!(found.iter().all(|d| line(&index, d) == 1));
}

#[test]
fn every_daily_note_link_dangles_once_at_its_line() {
    let Some(index) = load() else { return };
    let found = by_code(&index).remove("link/dangling").unwrap_or_default();
    assert_each_once(&found);
    // Every `[[YYYY-MM-DD]]` written in a note, by line, found by reading the text.
    let mut expected = Vec::new();
    for n in index.notes() {
        for (i, text) in n.note().source.lines().enumerate() {
            // `[[2025-05-29]]` written unquoted and re-saved by Obsidian as a nested list.
            if let Some(date) = text.trim().strip_prefix("- - ")
                && is_date(date)
            {
                expected.push((n.path().to_owned(), i as u32 + 1, date.to_owned()));
            }
            let mut rest = text;
            while let Some(at) = rest.find("[[") {
                let inner = &rest[at + 2..];
                let name = inner.split("]]").next().unwrap_or("");
                if is_date(name) {
                    expected.push((n.path().to_owned(), i as u32 + 1, name.to_owned()));
                }
                rest = inner;
            }
        }
    }
    assert!(expected.len() >= 15, "{expected:?}");
    let got: Vec<(String, u32, String)> = found
        .iter()
        .filter(|d| d.message.contains("[[20"))
        .map(|d| (d.path.clone(), line(&index, d), d.message[3..13].to_owned()))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn no_false_ambiguity_where_the_field_class_decides() {
    let Some(index) = load() else { return };
    let facts = facts();
    let mut decided = 0;
    for n in index.notes() {
        let Some(class) = n.class() else { continue };
        for (link, target) in n.links() {
            let attune_syntax::LinkPlace::Frontmatter { key } = &link.place else {
                continue;
            };
            let Some(rel) = facts.relation(class, key.trim()) else {
                continue;
            };
            let named = index.by_name(link.target.name());
            let typed: Vec<_> = named
                .iter()
                .copied()
                .filter(|&c| {
                    index
                        .note(c)
                        .unwrap()
                        .class()
                        .is_some_and(|k| rel.targets.iter().any(|t| t == k))
                })
                .collect();
            if named.len() > 1 && typed.len() == 1 {
                decided += 1;
                assert_eq!(
                    target,
                    &attune_index::Target::Note(typed[0]),
                    "{} {}",
                    n.path(),
                    link.target.to_wiki()
                );
            }
        }
    }
    // `[[Shame]]`-style links whose field's class picks the note: the vault holds many.
    assert!(decided > 50, "only {decided} links decided by class");
    let ambiguous = by_code(&index).remove("link/ambiguous").unwrap_or_default();
    assert_each_once(&ambiguous);
}

#[test]
fn mojibake_only_in_the_seed_note() {
    let Some(index) = load() else { return };
    assert_eq!(by_code(&index).remove("encoding/mojibake"), None);
    let Ok(bytes) = std::fs::read(SEED) else {
        return;
    };
    let seed = Index::build(
        vec![NoteInput::new("Co-Regulation.md", parse_note(&bytes))],
        Vec::new(),
        ClassFacts::new(),
    );
    let found = by_code(&seed)
        .remove("encoding/mojibake")
        .unwrap_or_default();
    let lines: Vec<u32> = found.iter().map(|d| line(&seed, d)).collect();
    // Every line of the seed that holds a mis-decoded emoji or dash, found by reading the text.
    let expected: Vec<u32> = String::from_utf8_lossy(&bytes)
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("ğŸ") || l.contains("â€") || l.contains("âš"))
        .map(|(i, _)| i as u32 + 1)
        .collect();
    assert_eq!(lines, expected);
    assert!(
        found[0].help.as_deref().unwrap_or("").contains("🟩"),
        "{:?}",
        found[0]
    );
}

/// Prints every finding (run with `--nocapture` to read them); asserts they are each once.
#[test]
fn summary_of_findings() {
    let Some(index) = load() else { return };
    let found = by_code(&index);
    let summary: Vec<String> = found
        .iter()
        .map(|(code, ds)| format!("{code}: {}", ds.len()))
        .collect();
    eprintln!("{summary:#?}");
    for (code, ds) in &found {
        assert_each_once(ds);
        for d in ds.iter().filter(|d| d.code != "note/empty-stub") {
            eprintln!(
                "{code} {}:{} {} | {}",
                d.path,
                line(&index, d),
                d.message,
                d.help.as_deref().unwrap_or("")
            );
        }
    }
}
