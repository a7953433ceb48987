//! The index's binary snapshot: a decoded index answers every query as the encoded one did,
//! follows the same changes to the same answers, reads no note while decoding, and refuses
//! cut or damaged bytes with an error.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use attune_index::{
    Change, ClassFacts, FileMeta, Index, NoteCell, NoteId, NoteInput, NoteSource, Target,
};
use attune_syntax::{Note, parse_note};
use common::{describe, fixture, snapshot};

fn facts() -> ClassFacts {
    let mut facts = ClassFacts::new();
    facts.add_relation(
        "emotion",
        "linked_wounds",
        ["emotional_wound"],
        Some("emotions"),
    );
    facts.add_relation(
        "emotional_wound",
        "emotions",
        ["emotion"],
        Some("linked_wounds"),
    );
    facts.add_relation("emotion", "opposite", ["emotion"], Some("opposite"));
    facts.add_relation(
        "emotional_need",
        "threatened_by",
        ["trigger", "protective_strategy", "emotional_wound"],
        None,
    );
    facts.set_chosen_by("emotional_need", "threatened_by", "threat_source_group");
    facts
}

/// Every kind of link and note the index knows: bare, path-qualified, anchored, aliased,
/// fragment and embed links; relation fields that the class or a group field decides;
/// ambiguous, dangling and empty links; links to files; excluded notes; ids (one
/// duplicated, one a placeholder), aliases and tags.
const VAULT: &str = r#"
//- /ME/Emotions/Joy.md class=emotion
---
id: 1700000000001
aliases: [Happiness, Glad]
tags: [feeling/positive, core]
linked_wounds: "[[Shame]]"
opposite: ["[[Sadness]]", "[[Nowhere]]"]
related: "[[Shame]]"
---
Body [[Shame]] [[ME/Wounds/Shame]] [[Wounds/Shame#Roots|the roots]] ![[photo.png]] [[docs/paper.pdf]]
[[#Top]] [[]] [[Happiness]] [[./Sadness]] [[../Wounds/Shame.md]] [[/ME/Emotions/Sadness]] [[Trigger]] #inline/tag
//- /ME/Emotions/Sadness.md class=emotion
---
id: 1700000000002
opposite: "[[Joy]]"
aliases: [Glad]
---
[[Joy#^block]] [[Sadness]] [[2024-01-01]]
//- /ME/Emotions/Shame.md class=emotion
---
id: 1700000000001
---
//- /ME/Wounds/Shame.md class=emotional_wound
---
emotions: ["[[Joy]]", "[[Sadness]]"]
---
//- /ME/Old Wounds/Shame.md class=emotional_wound
//- /ME/Needs/Safety.md class=emotional_need
---
threatened_by: ["[[Flooding]]", "[[Disconnection]]"]
threat_source_group: 🪖 Protective Strategies
---
//- /ME/Needs/Unsaid.md class=emotional_need
---
threatened_by: ["[[Flooding]]"]
id: 0
---
//- /ME/⚡ Triggers/Flooding.md class=trigger
//- /ME/⚡ Triggers/Disconnection.md class=trigger
//- /ME/🪖 Protective Strategies/Flooding.md class=protective_strategy
//- /ME/🪖 Protective Strategies/Disconnection.md class=protective_strategy
//- /Notes/Loose.md
[[Shame]] [[CAFE\u{301}]] [[🏛 Foundations]] [[Missing Note]] [[Glad]] [[Board.canvas]]
//- /Notes/Temp One.md
[[Joy]] [[Shame]]
//- /Notes/Temp Two.md
[[Sadness]]
//- /Notes/Temp Three.md
#core
//- /Café.md
---
id: <% tp.date.now() %>
---
//- /🏛️ Foundations.md
[[Café]]
//- /Meta/fileClass/Trigger.md excluded
[[Joy]]
//- /Meta/Templates/Joy.md excluded
//- /media/photo.png
//- /media/docs/paper.pdf
//- /Board.canvas
"#;

fn note(path: &str, class: Option<&str>, text: &str) -> NoteInput {
    let mut input = NoteInput::new(path, parse_note(text.as_bytes()));
    input.class = class.map(str::to_owned);
    input
}

/// The vault, then changes that leave free note and file slots behind.
fn vault() -> Index {
    let f = fixture(VAULT);
    let mut index = Index::build(f.notes, f.files, facts());
    for change in [
        Change::Deleted("Notes/Temp One.md".into()),
        Change::Deleted("Notes/Temp Two.md".into()),
        Change::Deleted("Notes/Temp Three.md".into()),
        Change::Created(note(
            "Notes/Fresh.md",
            None,
            "[[Temp One]] [[paper.pdf]] #core",
        )),
        Change::Modified(note(
            "ME/Emotions/Shame.md",
            Some("emotion"),
            "---\naliases: [Blush]\n---\n[[Joy]]",
        )),
        Change::FileCreated("ME/photo.png".into()),
        Change::FileDeleted("Board.canvas".into()),
    ] {
        index.apply(change);
    }
    index
}

/// Changes after a decode, applied to both indexes: slots reused, classes changed, names
/// appearing and going, files coming and going.
fn later_changes() -> Vec<Change> {
    vec![
        Change::Created(note("Notes/Temp Two.md", None, "[[Flooding]] [[Shame]]")),
        Change::Modified(note(
            "ME/Emotions/Sadness.md",
            Some("emotional_wound"),
            "---\nemotions: \"[[Joy]]\"\n---\n#core",
        )),
        Change::Renamed {
            from: "ME/Old Wounds/Shame.md".into(),
            to: note(
                "ME/Old Wounds/Blush.md",
                Some("emotional_wound"),
                "[[Blush]]",
            ),
        },
        Change::Deleted("ME/Wounds/Shame.md".into()),
        Change::FileDeleted("media/photo.png".into()),
        Change::FileCreated("Board.canvas".into()),
        Change::Created(note("Missing Note.md", None, "[[Loose]]")),
        Change::Created(note(
            "Notes/Another.md",
            None,
            "[[Missing Note]] ![[photo.png]]",
        )),
    ]
}

/// Every public answer of the index, with note ids shown as slots too (a decoded index
/// keeps them): per note, per name, alias, id, tag and folder, per link text, findings and
/// the census's counts.
fn answers(index: &Index) -> String {
    let mut out = snapshot(index);
    let show = |ids: Vec<NoteId>| {
        ids.iter()
            .map(|&id| format!("{}@{}", index.note(id).map_or("?", |n| n.path()), id.slot()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut names = BTreeSet::new();
    let mut folders = BTreeSet::new();
    for n in index.notes() {
        let _ = writeln!(
            out,
            "{}@{} name={} folder={} meta={:?} shared={} by_path={:?} by_key={:?}",
            n.path(),
            n.id().slot(),
            n.name(),
            n.folder(),
            n.meta(),
            n.shared_path(),
            index.by_path(n.path()),
            index.by_path(&n.path().to_uppercase()),
        );
        let _ = writeln!(out, "  diagnostics {:?}", index.note_diagnostics(n.id()));
        for (link, target) in n.links() {
            names.insert(link.target.target.to_string());
            let _ = writeln!(out, "  {} -> {target:?}", link.target.to_wiki());
        }
        names.insert(n.name().to_owned());
        names.extend(n.tag_keys().map(str::to_owned));
        names.extend(n.note_id().map(str::to_owned));
        folders.insert(n.folder().to_owned());
    }
    for name in [
        "Glad",
        "Happiness",
        "Blush",
        "core",
        "#feeling",
        "0",
        "Nope",
    ] {
        names.insert(name.to_owned());
    }
    for name in &names {
        let resolved = index.resolve_text(name);
        let _ = writeln!(
            out,
            "{name:?}: name [{}] alias [{}] id [{}] tag [{}] path {:?} resolves {} {resolved:?}",
            show(index.by_name(name)),
            show(index.by_alias(name)),
            show(index.by_id(name)),
            show(index.by_tag(name)),
            index.by_path(name),
            describe(index, &resolved),
        );
    }
    for folder in folders.iter().map(String::as_str).chain(["", "ME", "Nope"]) {
        let inside: Vec<NoteId> = index.notes_in_folder(folder).map(|n| n.id()).collect();
        let _ = writeln!(out, "folder {folder:?}: [{}]", show(inside));
    }
    let census: Vec<_> = index.census().into_iter().map(|(w, n, _)| (w, n)).collect();
    let _ = writeln!(
        out,
        "len {} slots {} facts {:?} census {census:?}",
        index.len(),
        index.slot_bound(),
        sorted_facts(index.facts()),
    );
    out
}

fn sorted_facts(facts: &ClassFacts) -> Vec<String> {
    let mut all: Vec<String> = facts.iter().map(|f| format!("{f:?}")).collect();
    all.sort();
    all
}

fn encode(index: &Index) -> Vec<u8> {
    let mut bytes = Vec::new();
    index.encode(&mut bytes);
    bytes
}

/// Copies of the notes of `index` by slot, as `decode` asks for them.
fn cells(index: &Index) -> Vec<Option<Arc<NoteCell>>> {
    let mut cells = vec![None; index.slot_bound()];
    for n in index.notes() {
        cells[n.id().slot()] = Some(NoteCell::ready(n.note().clone()));
    }
    cells
}

fn decode_with(bytes: &[u8], cells: &[Option<Arc<NoteCell>>]) -> Index {
    let mut asked = Vec::new();
    let index = Index::decode(bytes, &mut |slot| {
        asked.push(slot);
        cells[slot as usize]
            .clone()
            .expect("a slot that held a note")
    })
    .expect("the snapshot decodes");
    let held: Vec<u32> = (0..cells.len() as u32)
        .filter(|&s| cells[s as usize].is_some())
        .collect();
    assert_eq!(asked, held, "each occupied slot once, in slot order");
    index
}

#[test]
fn a_decoded_index_answers_as_the_original_before_and_after_changes() {
    let mut original = vault();
    let expected = answers(&original);
    for kind in [
        "Ambiguous(",
        "File(",
        "Dangling",
        "Empty",
        "relation ",
        "inverse ",
    ] {
        assert!(expected.contains(kind), "the vault exercises {kind}");
    }
    let bytes = encode(&original);
    let mut decoded = decode_with(&bytes, &cells(&original));
    assert_eq!(answers(&decoded), expected);
    let again = decode_with(&encode(&decoded), &cells(&decoded));
    assert_eq!(answers(&again), expected, "a decoded index encodes again");
    for change in later_changes() {
        original.apply(change.clone());
        decoded.apply(change);
        assert_eq!(answers(&decoded), answers(&original));
    }
}

#[test]
fn a_snapshot_of_an_empty_index_decodes() {
    let index = Index::build(Vec::new(), Vec::new(), ClassFacts::new());
    let decoded = decode_with(&encode(&index), &[]);
    assert!(decoded.is_empty());
    assert_eq!(answers(&decoded), answers(&index));
}

/// A vault of several chunks of entries (2048 slots each), with empty slots in all of them.
fn many_notes(notes: usize) -> Index {
    let inputs = (0..notes)
        .map(|i| {
            let text = format!(
                "---\naliases: [A{}]\nwounds: \"[[N{}]]\"\n---\n[[N{}]] [[M{}]] #t{}",
                i % 300,
                (i * 7) % notes,
                (i * 13) % notes,
                i % 50,
                i % 9
            );
            note(
                &format!("F{}/N{i}.md", i % 4),
                Some(["emotion", "wound"][i % 2]),
                &text,
            )
        })
        .collect();
    let mut index = Index::build(inputs, vec!["F1/M3".to_owned()], facts());
    for i in (0..notes).step_by(211) {
        index.apply(Change::Deleted(format!("F{}/N{i}.md", i % 4)));
    }
    index.apply(Change::Created(note("F0/N0.md", None, "[[N5]]")));
    index
}

#[test]
fn entries_in_several_chunks_decode_in_place() {
    let mut original = many_notes(5000);
    let bytes = encode(&original);
    let mut decoded = decode_with(&bytes, &cells(&original));
    assert_eq!(snapshot(&decoded), snapshot(&original));
    let slots = |index: &Index| index.notes().map(|n| n.id()).collect::<Vec<_>>();
    assert_eq!(slots(&decoded), slots(&original));
    for change in [
        Change::Created(note("F3/New.md", Some("wound"), "[[N7]]")),
        Change::Deleted("F1/N4001.md".into()),
        Change::Modified(note("F2/N4002.md", None, "[[New]]")),
    ] {
        original.apply(change.clone());
        decoded.apply(change);
    }
    assert_eq!(snapshot(&decoded), snapshot(&original));
    assert_eq!(slots(&decoded), slots(&original));
    // Damage anywhere in a long snapshot (the chunks' table included) is an error.
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..50 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut damaged = bytes.clone();
        let at = seed as usize % damaged.len();
        damaged[at] ^= (seed >> 32) as u8 | 1;
        let cells = cells(&original);
        assert!(
            Index::decode(&damaged, &mut |slot| {
                cells
                    .get(slot as usize)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| NoteCell::ready(parse_note(b"")))
            })
            .is_err()
        );
    }
    for len in [0, 100, bytes.len() / 2, bytes.len() - 9, bytes.len() - 1] {
        assert!(Index::decode(&bytes[..len], &mut |_| NoteCell::ready(parse_note(b""))).is_err());
    }
}

/// A warm start whose snapshot is older than some files: the changed notes are handed over
/// as they are now, their changes applied at once, and the index is then the one those
/// changes give.
#[test]
fn a_snapshot_older_than_some_notes_catches_up_with_their_changes() {
    let original = vault();
    let bytes = encode(&original);
    let changes = vec![
        Change::Modified(note(
            "ME/Emotions/Joy.md",
            Some("emotion"),
            "---\nlinked_wounds: \"[[Shame]]\"\n---\n[[Sadness]]",
        )),
        Change::Modified(note(
            "ME/Wounds/Shame.md",
            Some("emotion"),
            "[[Joy]] [[Joy]] [[Joy]] [[Café]] [[Nope]] [[Sadness#x]] [[Loose]] [[Fresh]]",
        )),
        Change::Deleted("Notes/Loose.md".into()),
        Change::Created(note("Notes/Newer.md", None, "[[Joy]]")),
    ];
    let mut now = cells(&original);
    for change in &changes {
        match change {
            Change::Modified(input) => {
                let id = original.by_path(&input.path).expect("listed");
                now[id.slot()] = Some(input.note.clone());
            }
            Change::Deleted(path) => {
                let id = original.by_path(path).expect("listed");
                now[id.slot()] = Some(NoteCell::ready(parse_note(b"")));
            }
            _ => {}
        }
    }
    let mut expected = vault();
    let mut decoded = decode_with(&bytes, &now);
    for change in changes {
        expected.apply(change.clone());
        decoded.apply(change);
    }
    assert_eq!(answers(&decoded), answers(&expected));
}

/// A source that counts its loads and parses the vault's texts.
struct Counting {
    texts: Vec<String>,
    loads: AtomicUsize,
}

impl NoteSource for Counting {
    fn load(&self, slot: u32) -> Note {
        self.loads.fetch_add(1, Ordering::Relaxed);
        parse_note(self.texts[slot as usize].as_bytes())
    }

    fn bytes(&self, slot: u32) -> std::io::Result<Vec<u8>> {
        Ok(self.texts[slot as usize].as_bytes().to_vec())
    }
}

#[test]
fn decoding_and_finding_notes_reads_no_note() {
    let original = vault();
    let mut texts = vec![String::new(); original.slot_bound()];
    for n in original.notes() {
        texts[n.id().slot()] = n.note().source.to_string();
    }
    let source = Arc::new(Counting {
        texts,
        loads: AtomicUsize::new(0),
    });
    let mut cells = Vec::new();
    let decoded = Index::decode(&encode(&original), &mut |slot| {
        let cell = NoteCell::deferred(source.clone(), slot);
        cells.push(cell.clone());
        cell
    })
    .expect("the snapshot decodes");
    let _ = (
        decoded.len(),
        decoded.by_path("ME/Emotions/Joy.md"),
        decoded.by_path("me/emotions/joy"),
        decoded.by_name("Shame"),
        decoded.by_alias("Glad"),
        decoded.by_id("1700000000001"),
        decoded.by_tag("core"),
        decoded.notes().map(|n| n.path().len()).sum::<usize>(),
        decoded.notes_in_folder("ME").count(),
        decoded.resolve_text("Joy"),
    );
    let joy = decoded.by_path("ME/Emotions/Joy.md").expect("found");
    let _ = decoded.note(joy).expect("live").tag_keys().count();
    assert_eq!(
        source.loads.load(Ordering::Relaxed),
        0,
        "no note was parsed"
    );
    assert!(cells.iter().all(|c| !c.is_parsed()));
    // Reading a note parses it then, once; the whole index then answers as the original.
    let links = decoded.note(joy).expect("live").links().count();
    assert_eq!(source.loads.load(Ordering::Relaxed), 1);
    assert_eq!(links, original.note(joy).expect("live").links().count());
    assert_eq!(answers(&decoded), answers(&original));
}

#[test]
fn cut_or_damaged_snapshots_are_errors_never_panics() {
    let original = vault();
    let bytes = encode(&original);
    let cells = cells(&original);
    let decode = |bytes: &[u8]| {
        Index::decode(bytes, &mut |slot| {
            cells[slot as usize]
                .clone()
                .unwrap_or_else(|| NoteCell::ready(parse_note(b"")))
        })
    };
    for len in 0..bytes.len() {
        let err = decode(&bytes[..len]).err();
        assert!(
            err.is_some(),
            "a snapshot cut at {len} of {} decodes",
            bytes.len()
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(decode(&longer).is_err(), "bytes after the end");
    let mut magic = bytes.clone();
    magic[0] ^= 0x20;
    let err = decode(&magic).expect_err("a wrong magic is an error");
    assert!(err.to_string().contains("not an index snapshot"), "{err}");
    let mut version = bytes.clone();
    version[8] = version[8].wrapping_add(1);
    let err = decode(&version).expect_err("another version is an error");
    assert!(err.message().contains("format"), "{err}");
    // Any one byte damaged is an error (the checksum; the unit tests damage snapshots
    // behind its back).
    for at in 0..bytes.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[at] ^= flip;
            assert!(decode(&damaged).is_err(), "byte {at} ^ {flip:#x} decodes");
        }
    }
}

/// Not a timed test (benchmarks print figures): run with
/// `cargo test -p attune-index --release --test snapshot -- --ignored snapshot_speed --nocapture`
/// (`RAYON_NUM_THREADS=1` in front for one thread). The decodes after the first reuse the
/// memory the one before freed; a warm start's single decode pays for fresh pages, as the
/// first does.
#[test]
#[ignore]
fn snapshot_speed() {
    use std::time::Instant;
    const NOTES: usize = 100_000;
    let folders = [
        "ME/🎭 Emotions",
        "ME/⚡ Triggers",
        "ME/🌀 Wounds",
        "Journal/2024",
        "Library",
    ];
    let path = |i: usize| format!("{}/Sub {}/Note {i}.md", folders[i % 5], i % 97);
    let mut notes = Vec::with_capacity(NOTES);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..NOTES {
        let mut text = format!(
            "---\nid: {}\naliases: [Alias {i}]\ntags: [t{}, area/{}]\nlinked: \"[[Note {}]]\"\n---\n",
            1_700_000_000_000u64 + i as u64,
            i % 50,
            i % 7,
            next() as usize % NOTES,
        );
        for _ in 0..4 {
            match next() % 10 {
                0 => {
                    let _ = write!(text, "[[Missing {}]] ", next() % 1000);
                }
                1 => {
                    let _ = write!(
                        text,
                        "[[Sub {}/Note {}|shown]] ",
                        i % 97,
                        next() as usize % NOTES
                    );
                }
                _ => {
                    let _ = write!(text, "[[Note {}#Part]] ", next() as usize % NOTES);
                }
            }
        }
        let mut input = NoteInput::new(path(i), parse_note(text.as_bytes())).with_meta(FileMeta {
            size: text.len() as u64,
            mtime: 1_751_291_324_429 + i as i64,
            ctime: 1_700_000_000_000 + i as i64,
        });
        input.class = Some(["emotion", "trigger", "wound", "entry", "book"][i % 5].to_owned());
        notes.push((input, text));
    }
    // In path order, as a scan gives them: slot `i` is the `i`-th note.
    notes.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let (inputs, texts): (Vec<NoteInput>, Vec<String>) = notes.into_iter().unzip();
    let start = Instant::now();
    let index = Index::build(inputs, Vec::new(), facts());
    let build = start.elapsed();
    let links: usize = index.notes().map(|n| n.links().count()).sum();
    let start = Instant::now();
    let bytes = encode(&index);
    let encode_time = start.elapsed();
    let source = Arc::new(Counting {
        texts,
        loads: AtomicUsize::new(0),
    });
    let mut times = Vec::new();
    for _ in 0..7 {
        let start = Instant::now();
        let decoded = Index::decode(&bytes, &mut |slot| NoteCell::deferred(source.clone(), slot))
            .expect("decodes");
        times.push(start.elapsed());
        assert_eq!(decoded.len(), NOTES);
        drop(decoded);
    }
    assert_eq!(source.loads.load(Ordering::Relaxed), 0);
    assert!(matches!(
        index.resolve_text("Note 1"),
        Target::Note(_) | Target::Ambiguous(_)
    ));
    println!(
        "{NOTES} notes, {links} links: build {build:.2?}, encode {encode_time:.2?}, {} bytes \
         ({:.1} MB); decode (deferred notes, {} threads) first {:.2?}, best of 7 {:.2?}",
        bytes.len(),
        bytes.len() as f64 / 1e6,
        rayon::current_num_threads(),
        times[0],
        times.iter().min().expect("seven runs"),
    );
}
