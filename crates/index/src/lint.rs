//! The index's findings: problems of one note (`note/unrendered-template`,
//! `note/placeholder-id`, `note/empty-stub`, `encoding/mojibake`), of notes together
//! (`note/duplicate-id`) and of links (`link/dangling`, `link/ambiguous`, `link/empty`).
//! Computed on demand from the index, so they are always as fresh as the index.

use attune_syntax::{Diagnostic, Link, LinkPlace, Note, Span};

use crate::index::{Entry, Index, NoteId, Target, note_id_text};
use crate::mojibake::find_mojibake;
use crate::name;
use rayon::prelude::*;

impl Index {
    /// Every finding of the index, sorted by path, position and code.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let ids: Vec<NoteId> = self.sorted.values().copied().collect();
        let mut out: Vec<Diagnostic> = ids
            .par_iter()
            .flat_map_iter(|&id| self.note_diagnostics(id))
            .collect();
        out.sort_by(|a, b| (&a.path, a.span, a.code).cmp(&(&b.path, b.span, b.code)));
        out
    }

    /// The findings of one note (including its share of `note/duplicate-id`).
    pub fn note_diagnostics(&self, id: NoteId) -> Vec<Diagnostic> {
        let Some(entry) = self.get(id) else {
            return Vec::new();
        };
        let note = &entry.note;
        let mut out = Vec::new();
        out.extend(find_unrendered_template(&note.source));
        out.extend(find_mojibake(&note.source));
        if !entry.excluded {
            out.extend(find_empty_stub(note));
            out.extend(self.id_findings(id, entry));
        }
        for (link, target) in note.links.iter().zip(&entry.targets) {
            out.extend(self.link_finding(entry, link, target));
        }
        for d in &mut out {
            d.path = entry.path.to_string();
        }
        out
    }

    fn id_findings(&self, id: NoteId, entry: &Entry) -> Option<Diagnostic> {
        let text = note_id_text(&entry.note)?;
        let field = entry.note.frontmatter.as_ref()?.find("id")?;
        let span = field.value_span;
        if text.contains("<%") {
            return None; // reported as an unrendered template
        }
        if is_placeholder_id(&text) {
            return Some(
                Diagnostic::warning("note/placeholder-id", format!("`id: {text}` is a placeholder, not a real id"))
                    .with_span(span)
                    .with_help("set `id` to the note's creation time in epoch milliseconds (what the templates write)"),
            );
        }
        let others: Vec<&str> = self
            .by_id(&text)
            .into_iter()
            .filter(|&o| o != id && !self.entry(o).excluded)
            .map(|o| &*self.entry(o).path)
            .collect();
        if others.is_empty() {
            return None;
        }
        Some(
            Diagnostic::warning(
                "note/duplicate-id",
                format!(
                    "`id: {text}` is also the id of {} other note{}",
                    others.len(),
                    if others.len() == 1 { "" } else { "s" }
                ),
            )
            .with_span(span)
            .with_help(format!(
                "give each note its own id; the same id is in: {}",
                others.join(", ")
            )),
        )
    }

    fn link_finding(&self, source: &Entry, link: &Link, target: &Target) -> Option<Diagnostic> {
        let written = &link.target;
        let shown = written.to_wiki();
        match target {
            Target::Note(_) | Target::File(_) => None,
            Target::Empty => Some(
                Diagnostic::warning(
                    "link/empty",
                    format!("`{shown}`{} links to nothing", place(link)),
                )
                .with_span(link.span)
                .with_help("put a note name between the brackets, or remove the link"),
            ),
            Target::Dangling => {
                let name = name::strip_md(name::file_name(&written.target));
                let help = if let Some(&alias_of) = self.by_alias(name).first() {
                    format!(
                        "no note is named `{name}`, but `{}` has it as an alias: link to it by name",
                        self.entry(alias_of).path
                    )
                } else if is_daily_note_name(name) {
                    format!(
                        "there is no daily note `{name}.md` in the vault: create it, or remove the link"
                    )
                } else {
                    format!("create the note `{name}.md`, or correct the link")
                };
                Some(
                    Diagnostic::warning(
                        "link/dangling",
                        format!("`{shown}`{} points to no note", place(link)),
                    )
                    .with_span(link.span)
                    .with_help(help),
                )
            }
            Target::Ambiguous(candidates) => {
                let paths: Vec<String> = candidates
                    .iter()
                    .map(|&c| format!("[[{}]]", name::strip_md(&self.entry(c).path)))
                    .collect();
                Some(
                    Diagnostic::warning(
                        "link/ambiguous",
                        format!(
                            "`{shown}`{} matches {} notes",
                            place(link),
                            candidates.len()
                        ),
                    )
                    .with_span(link.span)
                    .with_help(format!(
                        "write the path of the one you mean: {}{}",
                        paths.join(" or "),
                        self.no_typed_candidate(source, link, candidates)
                    )),
                )
            }
        }
    }
}

impl Index {
    /// When the link sits in a relation field and no candidate has the field's target class,
    /// say so: the link probably names the wrong note.
    fn no_typed_candidate(&self, source: &Entry, link: &Link, candidates: &[NoteId]) -> String {
        let LinkPlace::Frontmatter { key } = &link.place else {
            return String::new();
        };
        let Some(rel) = source
            .class
            .and_then(|c| self.relations.get(&c))
            .and_then(|f| f.get(key.trim()))
        else {
            return String::new();
        };
        if candidates.iter().any(|&c| {
            self.entry(c)
                .class
                .is_some_and(|k| rel.targets.contains(&k))
        }) {
            return String::new();
        }
        let targets: Vec<String> = rel
            .targets
            .iter()
            .map(|&t| format!("`{}`", self.classes.resolve(t)))
            .collect();
        format!(
            " (`{}` links to {} notes, and none of these is one)",
            key.trim(),
            targets.join(" or ")
        )
    }
}

fn place(link: &Link) -> String {
    match &link.place {
        LinkPlace::Frontmatter { key } => format!(" in `{}`", key.trim()),
        LinkPlace::Body => String::new(),
    }
}

/// `2025-07-05`: the name of a daily note.
fn is_daily_note_name(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Ids nobody would pick on purpose: `0`, one digit repeated (`1111`), a run of consecutive
/// digits up or down (`1234567890`, `987654`), or digits too few to be a timestamp.
pub fn is_placeholder_id(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let b = text.as_bytes();
    if text.trim_start_matches('0').is_empty() || b.len() < 4 {
        return true;
    }
    let repeated = b.iter().all(|&c| c == b[0]);
    let step = |d: i8| {
        b.windows(2)
            .all(|w| (w[1] as i8 - w[0] as i8 == d) || (d == 1 && w[0] == b'9' && w[1] == b'0'))
    };
    repeated || step(1) || step(-1)
}

/// `note/unrendered-template`: Templater code (`<% … %>`) left in a note. Once per note, at the
/// first occurrence; code spans and fenced code are left alone (a note may document templates).
pub fn find_unrendered_template(text: &str) -> Option<Diagnostic> {
    memchr::memmem::find(text.as_bytes(), b"<%")?;
    let mut found: Vec<Span> = Vec::new();
    let mut in_fence = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence {
            let mut from = 0;
            while let Some(open) = line[from..].find("<%").map(|i| from + i) {
                let Some(close) = line[open + 2..].find("%>").map(|i| open + 2 + i + 2) else {
                    break;
                };
                let in_code = line[..open].matches('`').count() % 2 == 1;
                if !in_code && is_templater(&line[open + 2..close - 2]) {
                    found.push(Span::new(offset + open, offset + close));
                }
                from = close;
            }
        }
        offset += line.len();
    }
    let first = *found.first()?;
    let more = match found.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more)".to_owned(),
        n => format!(" (and {n} more)"),
    };
    Some(
        Diagnostic::error(
            "note/unrendered-template",
            format!("template code `{}` was never run{more}", &text[first.range()]),
        )
        .with_span(first)
        .with_help("this file is a template that was copied instead of applied: create the note with the template (Templater), or fill in the value"),
    )
}

/// The inside of `<% … %>` is Templater code: a command (`<%*`, `<%=`, `<%+`) or a call on
/// Templater's `tp` object or its `tR` result (`<% tp.date.now("x") %>`), not prose that
/// happens to hold `<%` and `%>`.
fn is_templater(inner: &str) -> bool {
    let inner = inner.trim_start_matches(['-', '_']);
    inner.starts_with(['*', '=', '+']) || inner.contains("tp.") || inner.contains("tR")
}

/// `note/empty-stub`: a 0-byte note, or one whose frontmatter block and body are both empty
/// (what Obsidian leaves behind when a link is clicked and nothing is written).
pub fn find_empty_stub(note: &Note) -> Option<Diagnostic> {
    let body_empty = note.body_text().trim().is_empty();
    let empty = match &note.frontmatter {
        None => note.source.trim_start_matches('\u{feff}').trim().is_empty(),
        Some(fm) => body_empty && note.text(fm.yaml).trim().is_empty(),
    };
    empty.then(|| {
        let what = if note.source.is_empty() {
            "the note is empty (0 bytes)"
        } else {
            "the note holds only an empty frontmatter block"
        };
        Diagnostic::info("note/empty-stub", what)
            .with_span(Span::new(0, note.source.len()))
            .with_help("fill it in, or delete it if it was created by clicking a link")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_ids() {
        for id in [
            "0",
            "000",
            "1234567890",
            "123456",
            "0123456789",
            "9876543210",
            "1111111111",
            "42",
        ] {
            assert!(is_placeholder_id(id), "{id}");
        }
        for id in [
            "1751291324429",
            "1755311604891",
            "abc",
            "",
            "1234567891",
            "1357",
        ] {
            assert!(!is_placeholder_id(id), "{id}");
        }
    }
}
