//! The incremental law: after every change of a random sequence, the index kept up to date
//! with `apply` answers exactly as a fresh `build` over the same files.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use attune_index::{Change, ClassFacts, Index, NoteInput};
use attune_syntax::parse_note;
use common::snapshot;
use proptest::prelude::*;

const FOLDERS: &[&str] = &["", "A", "B", "A/Sub", "Meta"];
const NAMES: &[&str] = &["X", "Y", "Shame", "shame", "Z z"];
const CLASSES: &[Option<&str>] = &[None, Some("emotion"), Some("wound")];
const LINKS: &[&str] = &[
    "X",
    "Y",
    "Shame",
    "A/X",
    "B/Shame",
    "Sub/X",
    "A/Sub/X",
    "X#h",
    "./X",
    "../B/Y",
    "Z z",
    "photo.png",
    "",
    "#top",
    "Nowhere",
    "/A/X",
    "Alias",
];
const FILES: &[&str] = &["photo.png", "A/photo.png", "B/doc.pdf"];

fn facts() -> ClassFacts {
    let mut facts = ClassFacts::new();
    facts.add_relation("emotion", "wounds", ["wound"], Some("emotions"));
    facts.add_relation("wound", "emotions", ["emotion"], Some("wounds"));
    facts
}

#[derive(Clone, Debug)]
struct Content {
    class: Option<&'static str>,
    id: Option<u8>,
    alias: bool,
    tag: Option<&'static str>,
    wounds: Vec<&'static str>,
    body: Vec<&'static str>,
}

impl Content {
    fn text(&self) -> String {
        let mut s = String::from("---\n");
        if let Some(id) = self.id {
            s.push_str(&format!("id: {}\n", 1_700_000_000_000u64 + id as u64));
        }
        if self.alias {
            s.push_str("aliases: [Alias]\n");
        }
        if let Some(tag) = self.tag {
            s.push_str(&format!("tags: [{tag}]\n"));
        }
        if !self.wounds.is_empty() {
            s.push_str("wounds:\n");
            for w in &self.wounds {
                s.push_str(&format!("  - \"[[{w}]]\"\n"));
            }
        }
        s.push_str("---\n");
        for l in &self.body {
            s.push_str(&format!("see [[{l}]]\n"));
        }
        s
    }
}

#[derive(Clone, Debug)]
enum Op {
    Write(usize, usize, Content),
    Delete(usize),
    Rename(usize, usize, usize),
    File(usize, bool),
}

fn content() -> impl Strategy<Value = Content> {
    (
        prop::sample::select(CLASSES),
        prop::option::of(0u8..3),
        any::<bool>(),
        prop::option::of(prop::sample::select(&["t", "t/sub", "u"][..])),
        prop::collection::vec(prop::sample::select(LINKS), 0..3),
        prop::collection::vec(prop::sample::select(LINKS), 0..4),
    )
        .prop_map(|(class, id, alias, tag, wounds, body)| Content {
            class,
            id,
            alias,
            tag,
            wounds,
            body,
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..FOLDERS.len(), 0..NAMES.len(), content()).prop_map(|(f, n, c)| Op::Write(f, n, c)),
        1 => (0..64usize).prop_map(Op::Delete),
        2 => (0..64usize, 0..FOLDERS.len(), 0..NAMES.len()).prop_map(|(i, f, n)| Op::Rename(i, f, n)),
        1 => (0..FILES.len(), any::<bool>()).prop_map(|(i, add)| Op::File(i, add)),
    ]
}

fn path(folder: usize, name: usize) -> String {
    match FOLDERS[folder] {
        "" => format!("{}.md", NAMES[name]),
        f => format!("{f}/{}.md", NAMES[name]),
    }
}

fn input(path: &str, content: &Content) -> NoteInput {
    let mut input = NoteInput::new(path, parse_note(content.text().as_bytes()))
        .excluded(path.starts_with("Meta/"));
    input.class = content.class.map(str::to_owned);
    input
}

fn fresh(model: &BTreeMap<String, Content>, files: &[String]) -> Index {
    Index::build(
        model.iter().map(|(p, c)| input(p, c)).collect(),
        files.to_vec(),
        facts(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn apply_equals_a_fresh_build(ops in prop::collection::vec(op(), 1..40)) {
        let mut model: BTreeMap<String, Content> = BTreeMap::new();
        let mut files: Vec<String> = Vec::new();
        let mut index = Index::build(Vec::new(), Vec::new(), facts());
        for op in ops {
            match op {
                Op::Write(f, n, c) => {
                    let p = path(f, n);
                    let change = if model.contains_key(&p) { Change::Modified(input(&p, &c)) } else { Change::Created(input(&p, &c)) };
                    model.insert(p, c);
                    index.apply(change);
                }
                Op::Delete(i) => {
                    let Some(p) = model.keys().nth(i % model.len().max(1)).cloned() else { continue };
                    model.remove(&p);
                    index.apply(Change::Deleted(p));
                }
                Op::Rename(i, f, n) => {
                    let Some(from) = model.keys().nth(i % model.len().max(1)).cloned() else { continue };
                    let to = path(f, n);
                    if model.contains_key(&to) { continue }
                    let c = model.remove(&from).expect("listed");
                    index.apply(Change::Renamed { from, to: input(&to, &c) });
                    model.insert(to, c);
                }
                Op::File(i, add) => {
                    let p = FILES[i].to_owned();
                    if add && !files.contains(&p) {
                        files.push(p.clone());
                        index.apply(Change::FileCreated(p));
                    } else if !add && files.contains(&p) {
                        files.retain(|x| x != &p);
                        index.apply(Change::FileDeleted(p));
                    }
                }
            }
            prop_assert_eq!(snapshot(&index), snapshot(&fresh(&model, &files)));
        }
    }

    /// A build takes its notes in any order, a path given again replacing the earlier note:
    /// it answers as a build of the last writes in path order (what a scan gives).
    #[test]
    fn a_build_of_repeated_paths_in_any_order_keeps_the_last(
        writes in prop::collection::vec((0..FOLDERS.len(), 0..NAMES.len(), content()), 1..24),
    ) {
        let mut model: BTreeMap<String, Content> = BTreeMap::new();
        let mut inputs = Vec::new();
        for (f, n, c) in writes {
            let p = path(f, n);
            inputs.push(input(&p, &c));
            model.insert(p, c);
        }
        let built = Index::build(inputs, Vec::new(), facts());
        prop_assert_eq!(snapshot(&built), snapshot(&fresh(&model, &[])));
    }
}

/// Link targets are shared between indexes (the parser shares equal link texts, and a
/// refresh builds on a clone): each index remembers the names it looked up under a number
/// of its own, a clone too, so none reads another's. Here the clone and the original give
/// the same new symbol to different names (`s` and `p`); read across, the original would
/// take `[[S]]` for `P`.
#[test]
fn a_clone_and_its_original_do_not_read_each_others_remembered_names() {
    let hub =
        attune_index::NoteCell::ready(parse_note(b"---\nsee: \"[[S]]\"\n---\n[[S]] and [[P]]\n"));
    let hub_input = || {
        let mut input = NoteInput::new("Hub.md", parse_note(b""));
        input.note = Arc::clone(&hub);
        input
    };
    let note = |path: &str| NoteInput::new(path, parse_note(b"text\n"));
    let mut original = Index::build(Vec::new(), Vec::new(), facts());
    let mut clone = original.clone();
    // Each interns one new name first (the same symbol in both), then links to `S`.
    original.apply(Change::Created(note("P.md")));
    clone.apply(Change::Created(note("S.md")));
    clone.apply(Change::Created(hub_input()));
    original.apply(Change::Created(hub_input()));
    // And once more, with the memos of both written.
    clone.apply(Change::Modified(hub_input()));
    original.apply(Change::Modified(hub_input()));
    let fresh_original = Index::build(vec![note("P.md"), hub_input()], Vec::new(), facts());
    let fresh_clone = Index::build(vec![note("S.md"), hub_input()], Vec::new(), facts());
    assert_eq!(snapshot(&original), snapshot(&fresh_original));
    assert_eq!(snapshot(&clone), snapshot(&fresh_clone));
    let hub_id = original.by_path("Hub.md").expect("indexed");
    let p_id = original.by_path("P.md").expect("indexed");
    let backlinks = |id| original.note(id).expect("indexed").backlinks().len();
    assert_eq!(backlinks(p_id), 1, "only [[P]] links to P");
    assert_eq!(backlinks(hub_id), 0);
}
