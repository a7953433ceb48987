//! Inline fixture vaults: `//- /path/Note.md class=emotion excluded` headers, each followed by
//! the note's text (rust-analyzer style). A header for a path that does not end in `.md` is a
//! non-note file (image, PDF). Shared by the index tests.

#![allow(dead_code)]

use attune_index::{ClassFacts, Index, NoteInput};
use attune_syntax::parse_note;

pub struct Fixture {
    pub notes: Vec<NoteInput>,
    pub files: Vec<String>,
}

pub fn fixture(text: &str) -> Fixture {
    let mut notes = Vec::new();
    let mut files = Vec::new();
    let mut current: Option<(String, Option<String>, bool, String)> = None;
    let flush = |cur: Option<(String, Option<String>, bool, String)>,
                 notes: &mut Vec<NoteInput>,
                 files: &mut Vec<String>| {
        if let Some((path, class, excluded, body)) = cur {
            if path.ends_with(".md") {
                let mut input =
                    NoteInput::new(path, parse_note(body.as_bytes())).excluded(excluded);
                input.class = class;
                notes.push(input);
            } else {
                files.push(path);
            }
        }
    };
    for line in text.split_inclusive('\n') {
        if let Some(header) = line.trim_end_matches(['\n', '\r']).strip_prefix("//- /") {
            flush(current.take(), &mut notes, &mut files);
            let (path, rest) = split_header(header);
            let class = rest
                .iter()
                .find_map(|p| p.strip_prefix("class="))
                .map(str::to_owned);
            let excluded = rest.contains(&"excluded");
            current = Some((path, class, excluded, String::new()));
        } else if let Some(cur) = current.as_mut() {
            cur.3.push_str(line);
        }
    }
    flush(current.take(), &mut notes, &mut files);
    Fixture { notes, files }
}

/// `ME/A b.md class=x excluded` → path `ME/A b.md`, then the options (paths may hold spaces:
/// options are the trailing words with `=` or the word `excluded`).
fn split_header(header: &str) -> (String, Vec<&str>) {
    let mut words: Vec<&str> = header.split(' ').collect();
    let mut options = Vec::new();
    while let Some(&last) = words.last() {
        if words.len() > 1 && (last.contains('=') || last == "excluded") {
            options.push(last);
            words.pop();
        } else {
            break;
        }
    }
    (words.join(" "), options)
}

pub fn build(text: &str, facts: ClassFacts) -> Index {
    let f = fixture(text);
    Index::build(f.notes, f.files, facts)
}

/// A link's target as a path, `dangling`, `empty`, `ambiguous(a, b)` or `file:path`.
pub fn describe(index: &Index, target: &attune_index::Target) -> String {
    use attune_index::Target;
    match target {
        Target::Note(id) => index.note(*id).map_or("?".into(), |n| n.path().to_owned()),
        Target::File(id) => format!("file:{}", index.file_path(*id).unwrap_or("?")),
        Target::Dangling => "dangling".into(),
        Target::Empty => "empty".into(),
        Target::Ambiguous(c) => format!(
            "ambiguous({})",
            c.iter()
                .map(|id| index.note(*id).map_or("?".into(), |n| n.path().to_owned()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Every link of every note: `source: [[written]] -> target`, one per line.
pub fn links(index: &Index) -> String {
    let mut out = String::new();
    for note in index.notes() {
        for (link, target) in note.links() {
            out.push_str(&format!(
                "{}: {} -> {}\n",
                note.path(),
                link.target.to_wiki(),
                describe(index, target)
            ));
        }
    }
    out
}

/// Every finding: `path:line code message | help`.
pub fn findings(index: &Index) -> String {
    let mut out = String::new();
    for d in index.diagnostics() {
        let line = match (index.by_path(&d.path).and_then(|id| index.note(id)), d.span) {
            (Some(n), Some(span)) => {
                let text = &n.note().source;
                attune_syntax::LineIndex::new(text)
                    .line_col(text, span.start as usize)
                    .line
            }
            _ => 0,
        };
        out.push_str(&format!("{}:{} {} {}", d.path, line, d.code, d.message));
        if let Some(h) = &d.help {
            out.push_str(&format!(" | {h}"));
        }
        out.push('\n');
    }
    out
}

/// Everything the index answers, by path, in a canonical order: two indexes of the same vault
/// give the same text whatever their history.
pub fn snapshot(index: &Index) -> String {
    use std::fmt::Write;
    let path = |id: attune_index::NoteId| {
        index
            .note(id)
            .map_or("?".to_owned(), |n| n.path().to_owned())
    };
    let paths =
        |ids: Vec<attune_index::NoteId>| ids.into_iter().map(path).collect::<Vec<_>>().join(", ");
    let mut out = String::new();
    let mut names = std::collections::BTreeSet::new();
    for note in index.notes() {
        names.insert(note.name().to_lowercase());
        let _ = writeln!(
            out,
            "{} class={:?} excluded={} id={:?}",
            note.path(),
            note.class(),
            note.excluded(),
            note.note_id()
        );
        for (link, target) in note.links() {
            let _ = writeln!(
                out,
                "  link {} -> {}",
                link.target.to_wiki(),
                describe(index, target)
            );
        }
        for b in note.backlinks() {
            let _ = writeln!(
                out,
                "  backlink from {} {}",
                path(b.source),
                b.link.target.to_wiki()
            );
        }
        let _ = writeln!(
            out,
            "  outlinks [{}] inlinks [{}]",
            paths(note.outlinks()),
            paths(note.inlinks())
        );
        let _ = writeln!(out, "  tags {:?}", note.tag_keys().collect::<Vec<_>>());
        for r in index.relations(note.id()) {
            let _ = writeln!(
                out,
                "  relation {} -> [{}] +{}",
                r.field,
                paths(r.targets.clone()),
                r.unresolved
            );
        }
        for i in index.inverses(note.id()) {
            let _ = writeln!(
                out,
                "  inverse {:?} via {} from {}",
                i.field,
                i.via,
                path(i.source)
            );
        }
    }
    for name in names {
        let _ = writeln!(out, "name {name}: [{}]", paths(index.by_name(&name)));
    }
    let _ = writeln!(out, "{}", findings(index));
    out
}
