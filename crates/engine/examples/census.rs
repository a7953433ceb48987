//! Where a loaded vault's note memory goes: `cargo run --release -p attune-engine --example
//! census -- VAULT`. Counts every part of every loaded note (struct sizes times counts, plus
//! the heap behind strings and lists: their length, as a parsed note's strings and lists are
//! boxed with no spare room, and the capacity of `source` and the paths) and prints a table
//! in MB, then the index's parts (`Index::census`). RSS after load minus both totals is
//! roughly allocator overhead.

use std::mem::size_of;

use attune_syntax::{Field, Link, Note, Value};

#[derive(Default)]
struct Tally {
    rows: Vec<(&'static str, u64, u64)>,
    /// Link targets already counted (by address): targets are shared between links.
    seen_targets: std::collections::HashSet<usize>,
}

impl Tally {
    /// A list of parts: how many, and their sizes plus the heap `heap` says each holds.
    fn list<T>(&mut self, what: &'static str, items: &[T], heap: impl Fn(&T) -> usize) {
        let bytes: usize = items.iter().map(|x| size_of_val(x) + heap(x)).sum();
        self.add(what, items.len() as u64, bytes as u64);
    }

    fn add(&mut self, what: &'static str, count: u64, bytes: u64) {
        match self.rows.iter_mut().find(|r| r.0 == what) {
            Some(r) => {
                r.1 += count;
                r.2 += bytes;
            }
            None => self.rows.push((what, count, bytes)),
        }
    }
}

fn value_heap(v: &Value, t: &mut Tally) {
    match v {
        // Texts of up to `INLINE` bytes live in the value itself.
        Value::Text(s) if s.len() > attune_syntax::text::INLINE => {
            t.add("value text heap", 1, s.len() as u64)
        }
        Value::Link(l) => target_heap("value link", l, t),
        Value::List(items) => {
            t.add(
                "value list heap",
                1,
                (items.len() * size_of::<Value>()) as u64,
            );
            items.iter().for_each(|i| value_heap(i, t));
        }
        Value::Map(pairs) => {
            t.add(
                "value map heap",
                1,
                (pairs.len() * size_of::<(Box<str>, Value)>()) as u64,
            );
            for (k, v) in pairs {
                t.add("value map keys", 1, k.len() as u64);
                value_heap(v, t);
            }
        }
        _ => {}
    }
}

/// A link target's allocation (the `Arc` counts and the struct) and its strings, once per
/// target: a frontmatter link shares its field value's target, and equal link texts parsed on
/// one thread share one target (`LinkTarget::shared`).
fn target_heap(what: &'static str, l: &std::sync::Arc<attune_syntax::LinkTarget>, t: &mut Tally) {
    if !t.seen_targets.insert(std::sync::Arc::as_ptr(l) as usize) {
        t.add("  links sharing a target", 1, 0);
        return;
    }
    let (arc, strings) = match what {
        "value link" => ("value link target arc", "value link strings"),
        _ => ("link target arc", "link strings"),
    };
    t.add(arc, 1, (16 + size_of::<attune_syntax::LinkTarget>()) as u64);
    t.add(
        strings,
        1,
        (l.target.len()
            + l.fragment.as_ref().map_or(0, |s| s.len())
            + l.alias.as_ref().map_or(0, |s| s.len())) as u64,
    );
}

fn census(note: &Note, t: &mut Tally) {
    t.add("Note struct", 1, size_of::<Note>() as u64);
    t.add("source text", 1, note.source.capacity() as u64);
    if let Some(fm) = &note.frontmatter {
        t.add(
            "fields array",
            fm.fields.len() as u64,
            (fm.fields.len() * size_of::<Field>()) as u64,
        );
        for (i, f) in fm.fields.iter().enumerate() {
            if matches!(f.value, Value::Null) {
                t.add("  of which null fields", 1, size_of::<Field>() as u64);
            }
            // Each span, and a field index and end per field that has items.
            let items = fm.item_spans_at(i).len();
            if items > 0 {
                t.add("item spans", 1, (items * 8 + 8) as u64);
            }
            value_heap(&f.value, t);
        }
    }
    t.add(
        "links array",
        note.links.len() as u64,
        (note.links.len() * size_of::<Link>()) as u64,
    );
    for l in &note.links {
        target_heap("link", &l.target, t);
    }
    // A note with any tags, inline fields, query blocks, tasks or diagnostics keeps the five
    // lists in one box of five boxed slices.
    if !(note.tags().is_empty()
        && note.inline_fields().is_empty()
        && note.query_blocks().is_empty()
        && note.tasks().is_empty()
        && note.diagnostics().is_empty())
    {
        t.add("rare lists box", 1, 80);
    }
    t.list("tags", note.tags(), |x| x.name.capacity());
    t.list("headings", &note.headings, |_| 0);
    t.list("inline fields", note.inline_fields(), |x| {
        x.key.capacity() + x.value.capacity()
    });
    t.list("query blocks", note.query_blocks(), |x| {
        x.text.capacity() + x.language.capacity()
    });
    t.list("tasks", note.tasks(), |x| x.text.capacity());
    t.add(
        "diagnostics",
        note.diagnostics().len() as u64,
        size_of_val(note.diagnostics()) as u64,
    );
}

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: census VAULT");
        std::process::exit(2);
    };
    let vault = match attune_engine::Vault::load(std::path::Path::new(&root)) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("cannot load {root}: {e}");
            std::process::exit(1);
        }
    };
    let mut t = Tally::default();
    for n in &vault.notes {
        census(&n.note, &mut t);
        // The path's text is shared with the index's entry: counted there ("entry paths").
        t.add(
            "VaultNote + NFC path",
            1,
            (size_of_val(n)
                + if n.meta.path.key() == &*n.meta.path.on_disk {
                    0
                } else {
                    n.meta.path.key().len()
                }) as u64,
        );
    }
    println!(
        "sizes: Note {} Field {} Value {} Link {}",
        size_of::<Note>(),
        size_of::<Field>(),
        size_of::<Value>(),
        size_of::<Link>()
    );
    let total: u64 = t
        .rows
        .iter()
        .filter(|r| !r.0.starts_with(' '))
        .map(|r| r.2)
        .sum();
    for (what, count, bytes) in &t.rows {
        println!("{what:<28} {count:>10} {:>9.1} MB", *bytes as f64 / 1e6);
    }
    println!("{:<28} {:>10} {:>9.1} MB", "total", "", total as f64 / 1e6);
    println!("\nindex:");
    let mut index_total = 0;
    for (what, count, bytes) in vault.index.census() {
        index_total += bytes;
        println!("{what:<28} {count:>10} {:>9.1} MB", bytes as f64 / 1e6);
    }
    println!(
        "{:<28} {:>10} {:>9.1} MB",
        "total",
        "",
        index_total as f64 / 1e6
    );
    std::mem::forget(vault);
}
