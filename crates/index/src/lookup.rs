//! Finding notes: by path, name, alias, id, tag and folder, and [`NoteRef`], a borrowed view of
//! one note with its resolved links and backlinks. This is what the query engine and
//! `attune show` read.

use attune_syntax::{Link, Note};

use crate::index::{Entry, Index, NoteId, Target, links_with_targets};
use crate::input::FileMeta;
use crate::name;

/// One note of the index, borrowed.
#[derive(Clone, Copy)]
pub struct NoteRef<'a> {
    index: &'a Index,
    id: NoteId,
    entry: &'a Entry,
}

/// A link from another note to this one.
#[derive(Clone, Copy, Debug)]
pub struct Backlink<'a> {
    pub source: NoteId,
    pub link: &'a Link,
}

impl<'a> NoteRef<'a> {
    pub fn id(&self) -> NoteId {
        self.id
    }
    /// Vault-relative path as on disk (`ME/🎭 Emotions/Shame.md`).
    pub fn path(&self) -> &'a str {
        &self.entry.path
    }
    /// The path as the index holds it, to share instead of copying.
    pub fn shared_path(&self) -> &'a std::sync::Arc<str> {
        &self.entry.path
    }
    /// File name without `.md` (`Shame`).
    pub fn name(&self) -> &'a str {
        name::strip_md(name::file_name(&self.entry.path))
    }
    /// Folder path (`ME/🎭 Emotions`), `""` at the vault root.
    pub fn folder(&self) -> &'a str {
        name::folder(&self.entry.path)
    }
    pub fn note(&self) -> &'a Note {
        &self.entry.note
    }
    pub fn meta(&self) -> FileMeta {
        self.entry.meta
    }
    pub fn class(&self) -> Option<&'a str> {
        self.entry.class.map(|c| self.index.classes.resolve(c))
    }
    /// Under an excluded folder (`Meta/`): not a link target.
    pub fn excluded(&self) -> bool {
        self.entry.excluded
    }
    /// The `id` field as text.
    pub fn note_id(&self) -> Option<&'a str> {
        self.entry.id_key.map(|k| self.index.fields.ids.resolve(k))
    }
    /// Tags with their parents, lower-cased (`a/b` gives `a` and `a/b`), sorted.
    pub fn tag_keys(&self) -> impl Iterator<Item = &'a str> {
        self.entry.tag_keys.iter().map(|t| &**t)
    }
    /// Every link of the note with what it means, in source order.
    pub fn links(&self) -> impl Iterator<Item = (&'a Link, &'a Target)> {
        links_with_targets(self.entry)
    }
    /// Notes this one links to, each once, in path order.
    pub fn outlinks(&self) -> Vec<NoteId> {
        let mut out: Vec<NoteId> = self
            .entry
            .targets
            .iter()
            .filter_map(Target::note)
            .filter(|&t| t != self.id)
            .collect();
        self.index.sort_by_path(&mut out);
        out.dedup();
        out
    }
    /// Every link from another note (or an explicit `[[Self]]`) to this one, by source path then position.
    pub fn backlinks(&self) -> Vec<Backlink<'a>> {
        let mut list = self.entry.backlinks.clone();
        list.sort_by(|a, b| {
            self.index
                .entry(a.0)
                .path
                .cmp(&self.index.entry(b.0).path)
                .then(a.1.cmp(&b.1))
        });
        // `get`: a note's links are those its entry was built from; a note parsed from
        // other bytes than the index saw (a damaged snapshot) loses a backlink, no more.
        list.into_iter()
            .filter_map(|(source, i)| {
                let link = self.index.entry(source).note.links.get(i as usize)?;
                Some(Backlink { source, link })
            })
            .collect()
    }
    /// Notes linking here, each once, in path order.
    pub fn inlinks(&self) -> Vec<NoteId> {
        let mut out: Vec<NoteId> = self.entry.backlinks.iter().map(|b| b.0).collect();
        self.index.sort_by_path(&mut out);
        out.dedup();
        out
    }
}

impl Index {
    /// A note by its handle (`None` once it is deleted).
    pub fn note(&self, id: NoteId) -> Option<NoteRef<'_>> {
        self.get(id).map(|entry| NoteRef {
            index: self,
            id,
            entry,
        })
    }

    /// Every note in path order.
    pub fn notes(&self) -> impl Iterator<Item = NoteRef<'_>> {
        self.sorted.values().map(|&id| NoteRef {
            index: self,
            id,
            entry: self.entry(id),
        })
    }

    /// A note by vault-relative path: exact first, then with `.md` added, then ignoring case,
    /// Unicode normalisation and U+FE0F (excluded notes too).
    pub fn by_path(&self, path: &str) -> Option<NoteId> {
        let path = path.trim_start_matches('/');
        if let Some(&id) = self.by_path.get(path) {
            return Some(id);
        }
        if let Some(&id) = self.by_path.get(format!("{path}.md").as_str()) {
            return Some(id);
        }
        let wanted = name::key(name::strip_md(path));
        let stem = name::key(name::strip_md(name::file_name(path)));
        let sym = self.keys.get(&stem)?;
        // Only the notes of that name can have that path: never a scan of the vault (a query
        // comparing many dangling links would otherwise be quadratic).
        self.by_name
            .get(&sym)
            .into_iter()
            .chain(self.excluded_by_name.get(&sym).map(Vec::as_slice))
            .flatten()
            .copied()
            .find(|&id| *self.entry(id).path_key == *wanted)
    }

    /// Link targets named `name` (file name without `.md`; case, normalisation and U+FE0F
    /// ignored), in path order. Excluded notes are not included.
    pub fn by_name(&self, name: &str) -> Vec<NoteId> {
        let key = name::key(name::strip_md(name));
        let mut out = self
            .keys
            .get(&key)
            .and_then(|s| self.by_name.get(&s))
            .map(<[NoteId]>::to_vec)
            .unwrap_or_default();
        self.sort_by_path(&mut out);
        out
    }

    /// Notes with `alias` among their `aliases`, in path order.
    pub fn by_alias(&self, alias: &str) -> Vec<NoteId> {
        let mut out = self
            .fields
            .by_alias
            .get(name::key(alias).as_str())
            .cloned()
            .unwrap_or_default();
        self.sort_by_path(&mut out);
        out
    }

    /// Notes whose `id` field is `id`, in path order.
    pub fn by_id(&self, id: &str) -> Vec<NoteId> {
        let mut out = (self.fields.ids.get(id.trim()))
            .and_then(|k| self.fields.by_id.get(&k))
            .map(<[NoteId]>::to_vec)
            .unwrap_or_default();
        self.sort_by_path(&mut out);
        out
    }

    /// Notes tagged `tag` or one of its subtags (`#a` finds `#a/b`), case-insensitive, in path order.
    pub fn by_tag(&self, tag: &str) -> Vec<NoteId> {
        let key = name::key(tag.trim().trim_start_matches('#'));
        let mut out = self
            .fields
            .by_tag
            .get(key.as_str())
            .cloned()
            .unwrap_or_default();
        self.sort_by_path(&mut out);
        out
    }

    /// Notes in `folder` and its subfolders, in path order (`""`: every note). The folder is
    /// matched as written, without a trailing `/`.
    pub fn notes_in_folder<'a>(&'a self, folder: &str) -> impl Iterator<Item = NoteRef<'a>> + 'a {
        let folder = folder.trim_matches('/');
        let prefix: Box<str> = if folder.is_empty() {
            "".into()
        } else {
            format!("{folder}/").into()
        };
        self.sorted
            .range::<str, _>((
                std::ops::Bound::Included(&*prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(path, _)| path.starts_with(&*prefix))
            .map(|(_, &id)| NoteRef {
                index: self,
                id,
                entry: self.entry(id),
            })
    }

    pub(crate) fn sort_by_path(&self, ids: &mut [NoteId]) {
        ids.sort_by(|a, b| self.entry(*a).path.cmp(&self.entry(*b).path));
    }
}
