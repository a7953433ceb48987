//! Typed relations: a relation field's resolved targets, and the way back (the declared inverse
//! field, or the plain backlink when none is declared). Computed from links, never written.

use attune_syntax::LinkPlace;

use crate::index::{Index, NoteId, Target};

/// One relation field of a note and what its links resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation<'a> {
    /// The field as written in the note.
    pub field: &'a str,
    /// The classes the field points to.
    pub target_classes: Vec<&'a str>,
    /// The field on each target that names the way back, when the schema declares one.
    pub inverse: Option<&'a str>,
    /// Resolved targets in link order, each once.
    pub targets: Vec<NoteId>,
    /// How many of the field's links did not resolve to one note.
    pub unresolved: usize,
}

/// Another note's relation field pointing at this note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inverse<'a> {
    /// The declared inverse field name on this note, or `None` when the schema declares none.
    pub field: Option<&'a str>,
    /// The relation field on the source note.
    pub via: &'a str,
    pub source: NoteId,
}

impl Index {
    /// The relation fields of `id` (those its class declares), in frontmatter order.
    pub fn relations(&self, id: NoteId) -> Vec<Relation<'_>> {
        let Some(entry) = self.get(id) else {
            return Vec::new();
        };
        let Some(fields) = entry.class.and_then(|c| self.relations.get(&c)) else {
            return Vec::new();
        };
        let mut out: Vec<Relation<'_>> = Vec::new();
        for (link, target) in entry.note.links.iter().zip(&entry.targets) {
            let LinkPlace::Frontmatter { key } = &link.place else {
                continue;
            };
            let Some((field_name, rel)) = fields.get_key_value(key.trim()) else {
                continue;
            };
            let at = match out.iter().position(|r| r.field == &**field_name) {
                Some(at) => at,
                None => {
                    out.push(Relation {
                        field: field_name,
                        target_classes: rel
                            .targets
                            .iter()
                            .map(|&c| self.classes.resolve(c))
                            .collect(),
                        inverse: rel.inverse.as_deref(),
                        targets: Vec::new(),
                        unresolved: 0,
                    });
                    out.len() - 1
                }
            };
            match target {
                Target::Note(t) if !out[at].targets.contains(t) => out[at].targets.push(*t),
                Target::Note(_) => {}
                _ => out[at].unresolved += 1,
            }
        }
        out
    }

    /// Relation links from other notes to `id`, by source path then field.
    pub fn inverses(&self, id: NoteId) -> Vec<Inverse<'_>> {
        let Some(entry) = self.get(id) else {
            return Vec::new();
        };
        let mut out: Vec<Inverse<'_>> = Vec::new();
        for &(source, i) in &entry.backlinks {
            let src = self.entry(source);
            // `get`: see `NoteRef::backlinks`.
            let Some(LinkPlace::Frontmatter { key }) =
                src.note.links.get(i as usize).map(|l| &l.place)
            else {
                continue;
            };
            let Some((field_name, rel)) = src
                .class
                .and_then(|c| self.relations.get(&c))
                .and_then(|f| f.get_key_value(key.trim()))
            else {
                continue;
            };
            let inverse = Inverse {
                field: rel.inverse.as_deref(),
                via: field_name,
                source,
            };
            if !out.contains(&inverse) {
                out.push(inverse);
            }
        }
        out.sort_by(|a, b| {
            self.entry(a.source)
                .path
                .cmp(&self.entry(b.source).path)
                .then(a.via.cmp(b.via))
        });
        out
    }
}
