//! [`Site`]: one immutable snapshot of the vault as the pages see it — the loaded
//! [`Vault`], its [`Schema`], each note's class, title and resolved links, backlinks and
//! every finding. A change on disk builds a new snapshot; pages hold an `Arc<Site>` while
//! they render, so a reload never blocks or tears a page.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use attune_engine::query::VaultPages;
use attune_engine::workspace::Workspace;
use attune_engine::{LoadError, Vault, VaultNote};
use attune_index::{NoteId, Target};
use attune_schema::Class;
use attune_syntax::{Diagnostic, Key, LinkPlace, LinkTarget, Value};
use rayon::prelude::*;

/// Where a link points, once resolved against the vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// One note (index into [`Site::entries`]).
    Note(usize),
    /// Several notes share the name and nothing decides between them; the first is shown.
    Ambiguous(Vec<usize>),
    /// A file of the vault that is not a note (an attachment).
    File(String),
    /// Nothing of that name.
    Missing,
}

impl Resolved {
    pub fn note(&self) -> Option<usize> {
        match self {
            Resolved::Note(i) => Some(*i),
            Resolved::Ambiguous(all) => all.first().copied(),
            _ => None,
        }
    }
}

/// One outgoing link of a note, resolved.
#[derive(Clone, Debug)]
pub struct OutLink {
    /// Shared with the note's [`attune_syntax::Link`].
    pub target: std::sync::Arc<LinkTarget>,
    /// The frontmatter field holding the link; `None` for links in the body. Shared with
    /// the note's field key.
    pub field: Option<Key>,
    pub resolved: Resolved,
}

/// One incoming link.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct BackLink {
    pub from: usize,
    pub field: Option<Key>,
}

/// An indexed note as the site shows it.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Index into `vault.notes`.
    pub note: usize,
    pub path: String,
    /// File name without `.md`.
    pub name: String,
    /// The `title` field when it is set, else the name.
    pub title: String,
    /// Full class name.
    pub class: Option<std::sync::Arc<str>>,
    pub stub: bool,
    pub links: Vec<OutLink>,
}

/// One snapshot of the vault.
pub struct Site {
    pub root: PathBuf,
    /// The engine's view: the vault with its schema (what plans are made against).
    pub ws: Arc<Workspace>,
    /// Indexed notes (not under an excluded folder), sorted by path.
    pub entries: Vec<Entry>,
    /// The index's id of each entry, and the entry of each index id (by [`NoteId::slot`]):
    /// links are resolved by the index, as `attune check` and queries resolve them.
    ids: Vec<Option<NoteId>>,
    entry_of: Vec<Option<usize>>,
    /// Entries of each class (full name), sorted by name.
    by_class: HashMap<String, Vec<usize>>,
    pub backlinks: Vec<Vec<BackLink>>,
    /// Everything `attune check` would report, sorted by path.
    pub diagnostics: Vec<Diagnostic>,
    /// Dataview's view of the snapshot (the engine's [`VaultPages`], the same source
    /// `attune query` uses), built on first use.
    pages: QueryPages,
}

type LazyPages<'a> = std::sync::OnceLock<VaultPages<'a>>;

self_cell::self_cell!(
    /// The workspace together with the query pages that borrow its vault.
    struct QueryPages {
        owner: Arc<Workspace>,
        #[not_covariant]
        dependent: LazyPages,
    }
);

/// Lookup key of a note name or path: NFC, lower case (Obsidian matches names case-insensitively).
pub fn name_key(text: &str) -> String {
    attune_store::path::nfc(text.trim()).to_lowercase()
}

impl Site {
    /// Load the vault at `root` and derive everything the pages need.
    pub fn load(root: &Path) -> Result<Site, LoadError> {
        Ok(Site::from_vault(Vault::load(root)?))
    }

    /// Derive a snapshot from a loaded vault.
    pub fn from_vault(vault: Vault) -> Site {
        let ws = Arc::new(Workspace::new(vault));
        let vault = &ws.vault;
        // Exactly what `attune check` reports (parse, schema and index findings), while the
        // entries are derived (each from its own note, in parallel).
        let (diagnostics, entries): (Vec<Diagnostic>, Vec<Entry>) = rayon::join(
            || attune_engine::check::check(vault),
            || {
                (vault.notes.par_iter().enumerate())
                    .filter(|(_, n)| !n.meta.excluded)
                    .map(|(i, n)| {
                        let path = n.path().to_owned();
                        let name = file_stem(&path).to_owned();
                        let title = field_text(n, "title").unwrap_or_else(|| name.clone());
                        Entry {
                            note: i,
                            stub: n.is_empty_stub(),
                            path,
                            name,
                            title,
                            // Decided by the load (folder, then the `fileClass` key under its
                            // alias).
                            class: n.class.clone(),
                            links: Vec::new(),
                        }
                    })
                    .collect()
            },
        );
        let index = &vault.index;
        let ids: Vec<Option<NoteId>> = (entries.par_iter())
            .map(|e| index.by_path(&e.path))
            .collect();
        let mut entry_of: Vec<Option<usize>> = vec![None; index.slot_bound()];
        for (i, id) in ids.iter().enumerate() {
            if let Some(slot) = id.and_then(|id| entry_of.get_mut(id.slot())) {
                *slot = Some(i);
            }
        }
        let mut by_class: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if let Some(c) = &e.class {
                by_class.entry(c.to_string()).or_default().push(i);
            }
        }
        by_class.par_iter_mut().for_each(|(_, list)| {
            // One lower-cased key per note, not two per comparison.
            list.sort_by_cached_key(|&i| entries[i].name.to_lowercase());
        });
        let root = vault.root.clone();
        let mut site = Site {
            by_class,
            pages: QueryPages::new(Arc::clone(&ws), |_| std::sync::OnceLock::new()),
            root,
            ws,
            entries,
            ids,
            entry_of,
            backlinks: Vec::new(),
            diagnostics,
        };
        site.resolve_links();
        site
    }

    /// Each entry's links with the targets the index resolved them to when it was built
    /// (resolving half a million links again for every snapshot took half a second at
    /// 100,000 notes).
    fn resolve_links(&mut self) {
        let index = &self.ws.vault.index;
        // Each note's links on its own (in parallel); a field is the note's shared key.
        let all: Vec<Vec<OutLink>> = self
            .ids
            .par_iter()
            .map(|id| {
                let Some(note) = id.and_then(|id| index.note(id)) else {
                    return Vec::new();
                };
                let mut links = Vec::with_capacity(note.note().links.len());
                for (link, target) in note.links() {
                    if link.target.target.trim().is_empty() {
                        continue;
                    }
                    let field = match &link.place {
                        LinkPlace::Frontmatter { key, .. } => Some(key.clone()),
                        LinkPlace::Body => None,
                    };
                    links.push(OutLink {
                        target: link.target.clone(),
                        field,
                        resolved: self.resolved(target),
                    });
                }
                links
            })
            .collect();
        // `(to, backlink)` pairs, sorted: each note's backlinks sorted, each (note, field)
        // once (a hub note can have thousands).
        let mut pairs: Vec<(usize, BackLink)> = all
            .par_iter()
            .enumerate()
            .flat_map_iter(|(from, links)| {
                links.iter().filter_map(move |l| {
                    let to = l.resolved.note().filter(|&to| to != from)?;
                    Some((
                        to,
                        BackLink {
                            from,
                            field: l.field.clone(),
                        },
                    ))
                })
            })
            .collect();
        pairs.par_sort_unstable();
        pairs.dedup();
        let mut backlinks: Vec<Vec<BackLink>> = vec![Vec::new(); self.entries.len()];
        let mut pairs = pairs.into_iter().peekable();
        while let Some((to, first)) = pairs.next() {
            let mut run = vec![first];
            while let Some((_, b)) = pairs.next_if(|(t, _)| *t == to) {
                run.push(b);
            }
            if let Some(slot) = backlinks.get_mut(to) {
                *slot = run;
            }
        }
        for (e, links) in self.entries.iter_mut().zip(all) {
            e.links = links;
        }
        self.backlinks = backlinks;
    }

    /// Resolve a wiki-link written in note `from` (and frontmatter `field`, whose relation's
    /// target classes pick among notes sharing a name): the index's answer, so a page shows
    /// the targets `attune check` and queries see.
    pub fn resolve(&self, from: Option<usize>, link: &LinkTarget, field: Option<&str>) -> Resolved {
        if link.target.trim().trim_end_matches(".md").is_empty() {
            return match from {
                Some(i) => Resolved::Note(i),
                None => Resolved::Missing,
            };
        }
        let from = from.and_then(|i| self.ids.get(i).copied().flatten());
        self.resolved(&self.ws.vault.index.resolve(from, link, field))
    }

    /// An index target as the site shows it.
    fn resolved(&self, target: &Target) -> Resolved {
        let entry = |id: &NoteId| self.entry_of.get(id.slot()).copied().flatten();
        match target {
            Target::Note(id) => entry(id).map_or(Resolved::Missing, Resolved::Note),
            Target::Ambiguous(ids) => {
                let found: Vec<usize> = ids.iter().filter_map(entry).collect();
                match found.as_slice() {
                    [] => Resolved::Missing,
                    [one] => Resolved::Note(*one),
                    _ => Resolved::Ambiguous(found),
                }
            }
            Target::File(file) => (self.ws.vault.index.file_path(*file))
                .map_or(Resolved::Missing, |p| Resolved::File(p.to_owned())),
            Target::Dangling | Target::Empty => Resolved::Missing,
        }
    }

    /// Run `f` with the Dataview pages of this snapshot (built once, on first use).
    pub fn with_pages<R>(&self, f: impl FnOnce(&VaultPages<'_>) -> R) -> R {
        self.pages
            .with_dependent(|ws, pages| f(pages.get_or_init(|| VaultPages::new(&ws.vault))))
    }

    /// The entry at a vault-relative path (with or without `.md`; case and Unicode
    /// normalisation ignored, as the index finds paths).
    pub fn entry_by_path(&self, path: &str) -> Option<usize> {
        let id = self.ws.vault.index.by_path(path.trim())?;
        self.entry_of.get(id.slot()).copied().flatten()
    }

    pub fn vault_note(&self, entry: usize) -> &VaultNote {
        &self.ws.vault.notes[self.entries[entry].note]
    }

    /// A class by any of its names.
    pub fn class(&self, name: &str) -> Option<&Class> {
        self.ws.schema.class(name)
    }

    /// The class of an entry.
    pub fn class_of(&self, entry: usize) -> Option<&Class> {
        self.entries[entry]
            .class
            .as_deref()
            .and_then(|c| self.ws.schema.class(c))
    }

    /// Entries of a class (full name), sorted by name (computed once per snapshot).
    pub fn entries_of(&self, class: &str) -> Vec<usize> {
        self.by_class.get(class).cloned().unwrap_or_default()
    }

    /// Number of notes per class (full name), over every class of the schema.
    pub fn class_counts(&self) -> BTreeMap<String, usize> {
        self.ws
            .schema
            .classes()
            .iter()
            .map(|c| {
                let n = self.by_class.get(c.name()).map_or(0, Vec::len);
                (c.name().to_owned(), n)
            })
            .chain(
                // A class the schema does not know (it cannot happen today; kept honest).
                self.by_class
                    .iter()
                    .filter(|(c, _)| self.ws.schema.class(c).is_none())
                    .map(|(c, l)| (c.clone(), l.len())),
            )
            .collect()
    }

    /// A frontmatter field's value.
    pub fn field(&self, entry: usize, key: &str) -> Option<&Value> {
        self.vault_note(entry)
            .note
            .frontmatter
            .as_ref()?
            .get(key)
            .map(|f| &f.value)
    }

    /// The `status` text of an entry (`🟧 in progress`), first item of a list.
    pub fn status(&self, entry: usize) -> Option<String> {
        self.field(entry, "status")
            .and_then(|v| v.items().find_map(|i| i.as_str().map(str::to_owned)))
    }

    /// Findings about one note.
    pub fn diagnostics_of(&self, path: &str) -> Vec<&Diagnostic> {
        let key = attune_store::path::nfc(path);
        self.diagnostics
            .iter()
            .filter(|d| d.path == path || d.path == key)
            .collect()
    }
}

/// A field's value as plain text when it is a single scalar.
fn field_text(n: &VaultNote, key: &str) -> Option<String> {
    let v = &n.note.frontmatter.as_ref()?.get(key)?.value;
    let text = v.as_single_str()?.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

pub fn file_stem(path: &str) -> &str {
    let name = file_name(path);
    name.strip_suffix(".md").unwrap_or(name)
}

pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A note's backlinks: sorted by linking note, then field; one per (note, field) however
    /// often it links; a note's links to itself are none.
    #[test]
    #[allow(clippy::disallowed_methods)] // the test writes its vault with std::fs
    fn backlinks_are_sorted_once_per_note_and_field_without_self_links() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |rel: &str, text: &str| {
            std::fs::write(dir.path().join(rel), text).expect("write");
        };
        write("Hub.md", "the target\n");
        write(
            "B.md",
            "---\nsee: \"[[Hub]]\"\nalso: [\"[[Hub]]\", \"[[Hub]]\"]\n---\n[[Hub]], [[Hub]], [[B]]\n",
        );
        write("A.md", "[[Hub]]\n");
        let site = Site::load(dir.path()).expect("load");
        let backlinks = |path: &str| -> Vec<(String, Option<String>)> {
            let i = site.entry_by_path(path).expect("entry");
            site.backlinks[i]
                .iter()
                .map(|b| {
                    let field = b.field.as_deref().map(str::to_owned);
                    (site.entries[b.from].path.clone(), field)
                })
                .collect()
        };
        let owned = |p: &str, f: Option<&str>| (p.to_owned(), f.map(str::to_owned));
        assert_eq!(
            backlinks("Hub.md"),
            [
                owned("A.md", None),
                owned("B.md", None),
                owned("B.md", Some("also")),
                owned("B.md", Some("see")),
            ]
        );
        assert_eq!(backlinks("B.md"), []);
        assert_eq!(backlinks("A.md"), []);
    }
}
