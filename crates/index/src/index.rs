//! [`Index`]: every note of the vault by path, name, alias, id, tag and folder, every link
//! resolved, backlinks, and [`Index::apply`] to follow file changes without a rebuild.
//!
//! *Invariant*: after any sequence of [`Index::apply`] calls the index describes the same
//! vault as [`Index::build`] over the resulting files (proved by the proptest in `tests`).
//!
//! How incremental updates stay exact: every link is looked up by the key of its last path
//! segment (`[[ME/Emotions/Shame#x]]` → `shame`), whether it resolved or not. `dependents`
//! maps each key to the notes holding such a link. A note that appears, disappears or changes
//! class can only change the resolution of links with its own name's key, so exactly those
//! notes are re-resolved.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use attune_syntax::{Link, LinkPlace, LinkTarget, Note, Value};

use crate::hash::FxHashMap;
use crate::input::{Change, ClassFacts, FileMeta, NoteInput};
use crate::name::{self, Interner, MemoOwner, Sym, SymLists};

/// A note's handle in one [`Index`]. Handles of deleted notes are reused: do not keep one
/// across [`Index::apply`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoteId(pub(crate) u32);

impl NoteId {
    /// A small number for this id, below [`Index::slot_bound`]: a caller can keep data per
    /// note in a plain list instead of a map. A removed note's slot is reused.
    pub fn slot(self) -> usize {
        self.0 as usize
    }
}

/// A non-note file's handle (image, PDF, canvas).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub(crate) u32);

/// What a link means.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// This note (a heading or block fragment stays on the [`LinkTarget`]).
    Note(NoteId),
    /// A file that is not a note.
    File(FileId),
    /// No note or file of that name or path.
    Dangling,
    /// Several notes fit and neither the field's relation class nor the linking note's folder
    /// picks one. Candidates in path order. (Behind one pointer, not a boxed slice's two
    /// words: a `Target` is 16 bytes, and the index keeps one per link.)
    #[allow(clippy::box_collection)]
    Ambiguous(Box<Vec<NoteId>>),
    /// `[[]]`: nothing between the brackets.
    Empty,
}

impl Target {
    pub fn note(&self) -> Option<NoteId> {
        match self {
            Target::Note(id) => Some(*id),
            _ => None,
        }
    }
}

/// A relation field as the index holds it.
#[derive(Clone, Debug)]
pub(crate) struct Rel {
    pub(crate) targets: Vec<Sym>,
    pub(crate) inverse: Option<Box<str>>,
    /// A field of the linking note whose value names the target's folder or class.
    pub(crate) chosen_by: Option<Box<str>>,
}

#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// Shared with the `by_path` and `sorted` keys (one allocation per note, not three).
    pub(crate) path: Arc<str>,
    /// Key of the path without `.md`.
    pub(crate) path_key: Box<str>,
    /// Key of the folder, interned in `Index::folders` (for the same-folder rule).
    pub(crate) folder: Sym,
    /// Key of the file name without `.md`; `None` for a file named just `.md`.
    pub(crate) name: Option<Sym>,
    pub(crate) note: Arc<crate::cell::NoteCell>,
    pub(crate) meta: FileMeta,
    pub(crate) excluded: bool,
    pub(crate) class: Option<Sym>,
    /// Parallel to `note.links`.
    pub(crate) targets: Box<[Target]>,
    /// The distinct lookup keys of this note's links (sorted).
    pub(crate) link_keys: Box<[Sym]>,
    /// `(source, index into the source's links)`, unordered.
    pub(crate) backlinks: Vec<(NoteId, u32)>,
    /// The `id` field's text, interned in `Index::ids`.
    pub(crate) id_key: Option<Sym>,
    pub(crate) alias_keys: Box<[Box<str>]>,
    pub(crate) tag_keys: Box<[Box<str>]>,
}

#[derive(Clone, Debug)]
pub(crate) struct FileEntry {
    pub(crate) path: Box<str>,
    pub(crate) path_key: Box<str>,
    pub(crate) name: Sym,
}

/// The vault model. Pure: built from plain data, no I/O.
#[derive(Clone, Debug)]
pub struct Index {
    pub(crate) facts: ClassFacts,
    pub(crate) classes: Interner,
    pub(crate) relations: FxHashMap<Sym, FxHashMap<Box<str>, Rel>>,
    pub(crate) keys: Interner,
    /// Link targets remember their name's symbol in `keys` under this number.
    pub(crate) keys_memo: MemoOwner,
    pub(crate) folders: Interner,
    pub(crate) entries: Vec<Option<Entry>>,
    /// Empty slots of `entries`, the next one to fill last (the order decides which slot a
    /// new note takes, kept by the snapshot).
    pub(crate) free: Vec<u32>,
    pub(crate) by_path: FxHashMap<Arc<str>, NoteId>,
    pub(crate) sorted: BTreeMap<Arc<str>, NoteId>,
    /// Link targets only: excluded notes are not here.
    pub(crate) by_name: SymLists<NoteId>,
    /// Notes under excluded folders by name: never link targets, but found by path.
    pub(crate) excluded_by_name: FxHashMap<Sym, Vec<NoteId>>,
    /// Notes by `id`, alias and tag.
    pub(crate) fields: FieldMaps,
    pub(crate) dependents: SymLists<NoteId>,
    pub(crate) files: Vec<Option<FileEntry>>,
    pub(crate) file_free: Vec<u32>,
    pub(crate) files_by_path: FxHashMap<Box<str>, FileId>,
    pub(crate) files_by_name: FxHashMap<Sym, Vec<FileId>>,
}

/// A key computed while resolving: known symbols are free, new ones are interned afterwards.
enum KeyRef {
    Known(Sym),
    New(Box<str>),
}

/// One note's links as a fresh build resolves them (in parallel): the targets, and the
/// distinct symbols of the names they link to (sorted), apart from the names the index does
/// not know yet, which are interned afterwards one by one.
struct ResolvedNote {
    targets: Vec<Target>,
    keys: Vec<Sym>,
    new_keys: Vec<Box<str>>,
}

impl ResolvedNote {
    fn of((targets, refs): (Vec<Target>, Vec<KeyRef>)) -> ResolvedNote {
        let mut keys = Vec::with_capacity(refs.len());
        let mut new_keys = Vec::new();
        for r in refs {
            match r {
                KeyRef::Known(sym) => keys.push(sym),
                KeyRef::New(text) => new_keys.push(text),
            }
        }
        keys.sort_unstable();
        keys.dedup();
        ResolvedNote {
            targets,
            keys,
            new_keys,
        }
    }
}

/// The linking note, as resolution needs it.
#[derive(Clone, Copy)]
struct Source<'a> {
    id: Option<NoteId>,
    /// The note's path as written and its key: their folders are asked for only by the
    /// rare links that need them (`./x`, attachments), so the common bare-name link does
    /// not read the path at all (a cache miss per note at 100k notes).
    path: &'a str,
    path_key: &'a str,
    /// The folder's symbol (for notes).
    folder_sym: Option<Sym>,
    class: Option<Sym>,
}

impl Source<'_> {
    /// The folder as written (for `./` and `../` links).
    fn folder(&self) -> &str {
        name::folder(self.path)
    }

    /// The folder's key (for attachments).
    fn folder_key(&self) -> &str {
        name::folder(self.path_key)
    }
}

impl Index {
    /// An index of no notes that will use `facts` for relations.
    pub fn new(facts: ClassFacts) -> Index {
        let mut classes = Interner::default();
        let mut relations: FxHashMap<Sym, FxHashMap<Box<str>, Rel>> = FxHashMap::default();
        for (class, field, fact) in facts.iter() {
            let c = classes.intern(class);
            let targets = fact.targets.iter().map(|t| classes.intern(t)).collect();
            relations.entry(c).or_default().insert(
                field.trim().into(),
                Rel {
                    targets,
                    inverse: fact.inverse.as_deref().map(Into::into),
                    chosen_by: fact.chosen_by.as_deref().map(|f| f.trim().into()),
                },
            );
        }
        Index {
            facts,
            classes,
            relations,
            keys: Interner::default(),
            keys_memo: MemoOwner::default(),
            folders: Interner::default(),
            entries: Vec::new(),
            free: Vec::new(),
            by_path: FxHashMap::default(),
            sorted: BTreeMap::new(),
            by_name: SymLists::default(),
            excluded_by_name: FxHashMap::default(),
            fields: FieldMaps::default(),
            dependents: SymLists::default(),
            files: Vec::new(),
            file_free: Vec::new(),
            files_by_path: FxHashMap::default(),
            files_by_name: FxHashMap::default(),
        }
    }

    /// Build the index of a whole vault: its notes, the paths of its other files (for links to
    /// images and PDFs) and the class facts. A path given twice keeps the last note (in the
    /// place of the first).
    ///
    /// Only the symbols link resolution needs (folder, class, name) are interned one note at
    /// a time; the entries are made in parallel, and the path maps and the `id`/alias/tag
    /// maps are built on one thread while the others resolve links (at 100k notes the
    /// one-note-at-a-time registration of everything was the load's longest serial step).
    pub fn build(notes: Vec<NoteInput>, files: Vec<String>, facts: ClassFacts) -> Index {
        let notes = last_of_each_path(notes);
        let mut index = Index::new(facts);
        for path in files {
            index.add_file(&path);
        }
        let prepared: Vec<Prepared> = notes.into_par_iter().map(Prepared::new).collect();
        // Nearly every note brings a name of its own.
        let name_bytes = prepared
            .iter()
            .map(|p| p.name_key.as_ref().map_or(0, String::len))
            .sum();
        index.keys.reserve(prepared.len(), name_bytes);
        // Serially, only the symbols. Notes come in path order, so neighbours mostly share a
        // folder and a class: intern each only when it changes (two hash lookups per note
        // saved).
        let mut folder: Option<(String, Sym)> = None;
        let mut class: Option<(String, Sym)> = None;
        let mut syms: Vec<(Sym, Option<Sym>, Option<Sym>)> = Vec::with_capacity(prepared.len());
        let mut names = Vec::with_capacity(prepared.len());
        for (i, p) in prepared.iter().enumerate() {
            let folder_sym = match &folder {
                Some((key, sym)) if *key == p.folder_key => *sym,
                _ => {
                    let sym = index.folders.intern(&p.folder_key);
                    folder = Some((p.folder_key.clone(), sym));
                    sym
                }
            };
            let class_sym = p.input.class.as_deref().map(|c| match &class {
                Some((name, sym)) if name == c => *sym,
                _ => {
                    let sym = index.classes.intern(c);
                    class = Some((c.to_owned(), sym));
                    sym
                }
            });
            let name = p.name_key.as_deref().map(|k| index.keys.intern(k));
            let id = NoteId(i as u32);
            if let Some(target) = index.target_name(name, p.input.excluded, id) {
                names.push((target, id));
            }
            syms.push((folder_sym, class_sym, name));
        }
        // The entries (some 20 MB of fresh memory at 100k notes) are made in parallel.
        let (entries, fields): (Vec<Option<Entry>>, Vec<(NoteId, Fields)>) = prepared
            .into_par_iter()
            .zip(syms)
            .enumerate()
            .map(|(i, (p, (folder, class, name)))| {
                let (entry, fields) = p.into_entry(folder, class, name);
                (Some(entry), (NoteId(i as u32), fields))
            })
            .unzip();
        index.entries = entries;
        // Each name's list filled once at its size (nearly every name has one note).
        names.par_sort_unstable();
        index.by_name.extend_sorted(names);
        let ids: Vec<NoteId> = index.ids().collect();
        let ((paths, maps), resolved): (_, Vec<ResolvedNote>) = rayon::join(
            || {
                let entries = &index.entries;
                rayon::join(|| path_maps(entries), || FieldMaps::build(fields))
            },
            || {
                ids.par_iter()
                    .map(|&id| ResolvedNote::of(index.resolve_note(id)))
                    .collect()
            },
        );
        (index.by_path, index.sorted) = paths;
        let per_note;
        (index.fields, per_note) = maps;
        index.entries.par_iter_mut().zip(per_note).for_each(
            |(entry, (id_key, alias_keys, tag_keys))| {
                if let Some(entry) = entry {
                    entry.id_key = id_key;
                    entry.alias_keys = alias_keys;
                    entry.tag_keys = tag_keys;
                }
            },
        );
        index.store_all_links(&ids, resolved);
        index
    }

    /// Follow one file change. Everything that depends on it (links that now resolve, become
    /// ambiguous or dangle; backlinks; relations) is updated; nothing else is touched.
    pub fn apply(&mut self, change: Change) {
        match change {
            Change::Created(input) | Change::Modified(input) => self.upsert(input),
            Change::Deleted(path) => {
                if let Some(&id) = self.by_path.get(path.as_str()) {
                    self.remove(id);
                }
            }
            Change::Renamed { from, to } => {
                if let Some(&id) = self.by_path.get(from.as_str()) {
                    self.remove(id);
                }
                self.upsert(to);
            }
            Change::FileCreated(path) => {
                if !self.files_by_path.contains_key(path.as_str()) {
                    let name = self.add_file(&path);
                    self.relink_dependents(name, None);
                }
            }
            Change::FileDeleted(path) => {
                if let Some(id) = self.files_by_path.remove(path.as_str())
                    && let Some(file) = self.files[id.0 as usize].take()
                {
                    if let Some(list) = self.files_by_name.get_mut(&file.name) {
                        list.retain(|&f| f != id);
                        if list.is_empty() {
                            self.files_by_name.remove(&file.name);
                        }
                    }
                    self.file_free.push(id.0);
                    self.relink_dependents(file.name, None);
                }
            }
        }
    }

    fn upsert(&mut self, input: NoteInput) {
        let Some(&id) = self.by_path.get(&*input.path) else {
            let id = self.register(input);
            self.link_new(id);
            return;
        };
        let class = input.class.as_deref().map(|c| self.classes.intern(c));
        let entry = self.entry(id);
        if entry.class == class && entry.excluded == input.excluded {
            // Same name, folder and class: links to this note keep their meaning.
            self.unlink(id);
            self.unindex_fields(id);
            let entry = self.entry_mut(id);
            entry.note = input.note;
            entry.meta = input.meta;
            self.index_fields(id);
            let (targets, keys) = self.resolve_note(id);
            self.store_links(id, targets, keys);
        } else {
            self.remove(id);
            let id = self.register(input);
            self.link_new(id);
        }
    }

    /// Resolve a freshly registered note's links, then every link that may now mean it.
    fn link_new(&mut self, id: NoteId) {
        let (targets, keys) = self.resolve_note(id);
        self.store_links(id, targets, keys);
        let entry = self.entry(id);
        if let (Some(name), false) = (entry.name, entry.excluded) {
            self.relink_dependents(name, Some(id));
        }
    }

    fn remove(&mut self, id: NoteId) {
        self.unlink(id);
        let entry = self.entry(id);
        let name = if entry.excluded { None } else { entry.name };
        self.unregister(id);
        self.release(id);
        if let Some(name) = name {
            self.relink_dependents(name, None);
        }
    }

    /// Re-resolve the links of every note that looks up `key`.
    fn relink_dependents(&mut self, key: Sym, except: Option<NoteId>) {
        let Some(sources) = self.dependents.get(&key) else {
            return;
        };
        let sources: Vec<NoteId> = sources
            .iter()
            .copied()
            .filter(|&s| Some(s) != except)
            .collect();
        for source in sources {
            self.relink(source);
        }
    }

    /// Re-resolve one note's links (its keys do not change, only what they mean).
    fn relink(&mut self, id: NoteId) {
        self.drop_backlinks(id);
        let (targets, _) = self.resolve_note(id);
        self.add_backlinks(id, &targets);
        self.entry_mut(id).targets = targets.into_boxed_slice();
    }

    // ---- registration: the maps that do not depend on link resolution ----

    fn register(&mut self, input: NoteInput) -> NoteId {
        let prepared = Prepared::new(input);
        let folder = self.folders.intern(&prepared.folder_key);
        let class = prepared
            .input
            .class
            .as_deref()
            .map(|c| self.classes.intern(c));
        self.register_prepared(prepared, folder, class)
    }

    /// Register a prepared note whose folder and class the caller has interned.
    fn register_prepared(&mut self, prepared: Prepared, folder: Sym, class: Option<Sym>) -> NoteId {
        let path = prepared.input.path.clone();
        let (id, name, fields) = self.add_entry(prepared, folder, class);
        if let Some(name) = name {
            self.by_name.push(name, id);
        }
        self.sorted.insert(path.clone(), id);
        self.by_path.insert(path, id);
        self.index_fields_with(id, fields);
        id
    }

    /// Add a prepared note's entry (what link resolution needs). Its name as a link target
    /// (`None` when it has none or is excluded), path and content keys are the caller's to
    /// index, with the [`Fields`] handed back.
    fn add_entry(
        &mut self,
        prepared: Prepared,
        folder: Sym,
        class: Option<Sym>,
    ) -> (NoteId, Option<Sym>, Fields) {
        let name = prepared.name_key.as_deref().map(|k| self.keys.intern(k));
        let (entry, fields) = prepared.into_entry(folder, class, name);
        let excluded = entry.excluded;
        let id = match self.free.pop() {
            Some(slot) => {
                self.entries[slot as usize] = Some(entry);
                NoteId(slot)
            }
            None => {
                self.entries.push(Some(entry));
                NoteId(self.entries.len() as u32 - 1)
            }
        };
        (id, self.target_name(name, excluded, id), fields)
    }

    /// Note `id`'s name as a link target, for the caller to list in `by_name`; the name of
    /// an excluded note is listed apart here (found by path, never a link target).
    fn target_name(&mut self, name: Option<Sym>, excluded: bool, id: NoteId) -> Option<Sym> {
        let name = name?;
        if excluded {
            self.excluded_by_name.entry(name).or_default().push(id);
            return None;
        }
        Some(name)
    }

    fn unregister(&mut self, id: NoteId) {
        self.unindex_fields(id);
        let entry = self.entry(id);
        let (path, name, excluded) = (entry.path.clone(), entry.name, entry.excluded);
        match (name, excluded) {
            (Some(name), false) => self.by_name.remove(&name, id),
            (Some(name), true) => remove_from(&mut self.excluded_by_name, &name, id),
            (None, _) => {}
        }
        self.by_path.remove(&path);
        self.sorted.remove(&path);
    }

    fn release(&mut self, id: NoteId) {
        self.entries[id.0 as usize] = None;
        self.free.push(id.0);
    }

    /// Index id, aliases and tags of a note from its content.
    fn index_fields(&mut self, id: NoteId) {
        let fields = Fields::of(&self.entry(id).note);
        self.index_fields_with(id, fields);
    }

    fn index_fields_with(&mut self, id: NoteId, fields: Fields) {
        let (id_key, alias_keys, tag_keys) = self.fields.add(id, fields);
        let entry = self.entry_mut(id);
        entry.id_key = id_key;
        entry.alias_keys = alias_keys;
        entry.tag_keys = tag_keys;
    }

    fn unindex_fields(&mut self, id: NoteId) {
        let entry = self.entry_mut(id);
        let id_key = entry.id_key.take();
        let alias_keys = std::mem::take(&mut entry.alias_keys);
        let tag_keys = std::mem::take(&mut entry.tag_keys);
        self.fields.remove(id, id_key, &alias_keys, &tag_keys);
    }

    fn add_file(&mut self, path: &str) -> Sym {
        let name = self.keys.intern(&name::key(name::file_name(path)));
        if self.files_by_path.contains_key(path) {
            return name;
        }
        let file = FileEntry {
            path: path.into(),
            path_key: name::key(path).into(),
            name,
        };
        let id = match self.file_free.pop() {
            Some(slot) => {
                self.files[slot as usize] = Some(file);
                FileId(slot)
            }
            None => {
                self.files.push(Some(file));
                FileId(self.files.len() as u32 - 1)
            }
        };
        self.files_by_path.insert(path.into(), id);
        self.files_by_name.entry(name).or_default().push(id);
        name
    }

    // ---- links ----

    /// Store freshly resolved links of a note that holds none: targets, keys, backlinks, dependents.
    fn store_links(&mut self, id: NoteId, targets: Vec<Target>, keys: Vec<KeyRef>) {
        let link_keys = self.link_syms(keys);
        for &key in &link_keys {
            self.dependents.push(key, id);
        }
        self.add_backlinks(id, &targets);
        let entry = self.entry_mut(id);
        entry.targets = targets.into_boxed_slice();
        entry.link_keys = link_keys.into_boxed_slice();
    }

    /// The distinct symbols of a note's link keys, sorted (new keys interned now).
    fn link_syms(&mut self, keys: Vec<KeyRef>) -> Vec<Sym> {
        let mut syms: Vec<Sym> = keys
            .into_iter()
            .map(|k| match k {
                KeyRef::Known(sym) => sym,
                KeyRef::New(text) => self.keys.intern(&text),
            })
            .collect();
        syms.sort_unstable();
        syms.dedup();
        syms
    }

    /// [`Index::store_links`] for every note of a fresh build at once (`ids` ascending, none
    /// holding links yet), with the same result. Backlinks and dependents are gathered as
    /// pairs, sorted, and each list filled in one allocation of its final size, instead of a
    /// push per link into lists spread over the whole index (at 100k notes that serial
    /// pass spent most of its time growing half a million small lists).
    fn store_all_links(&mut self, ids: &[NoteId], resolved: Vec<ResolvedNote>) {
        let mut resolved = resolved;
        // Names no note has (dangling links) get their symbols here, in note order, as one
        // note at a time would give them; a note whose keys are all known is not touched.
        for r in resolved.iter_mut().filter(|r| !r.new_keys.is_empty()) {
            for text in std::mem::take(&mut r.new_keys) {
                r.keys.push(self.keys.intern(&text));
            }
            r.keys.sort_unstable();
            r.keys.dedup();
        }
        // A fresh build's ids are its entries' places, all of them: each entry takes its
        // note's links in parallel.
        debug_assert!(ids.iter().enumerate().all(|(i, id)| id.0 as usize == i));
        debug_assert_eq!(ids.len(), self.entries.len());
        self.entries
            .par_iter_mut()
            .zip(resolved)
            .for_each(|(entry, r)| {
                if let Some(entry) = entry {
                    entry.targets = r.targets.into_boxed_slice();
                    entry.link_keys = r.keys.into_boxed_slice();
                }
            });
        let mut dependents: Vec<(Sym, NoteId)> = ids
            .par_iter()
            .flat_map_iter(|&id| self.entry(id).link_keys.iter().map(move |&key| (key, id)))
            .collect();
        dependents.par_sort_unstable();
        self.dependents.extend_sorted(dependents);
        // `(target, source, link)`: sorted, each target's backlinks come in the order the
        // per-note pass pushes them (sources ascending, then links in note order).
        let mut backlinks: Vec<(NoteId, NoteId, u32)> = ids
            .par_iter()
            .flat_map_iter(|&id| {
                let entry = self.entry(id);
                let links = &entry.note.links;
                // Only a link to its own note may be a `[[#Heading]]` (no name, no
                // backlink): the link's text is read for those alone (a cache miss per
                // link otherwise).
                entry
                    .targets
                    .iter()
                    .enumerate()
                    .filter_map(move |(i, target)| match target {
                        Target::Note(t)
                            if *t != id
                                || links.get(i).is_some_and(|l| !l.target.target.is_empty()) =>
                        {
                            Some((*t, id, i as u32))
                        }
                        _ => None,
                    })
            })
            .collect();
        backlinks.par_sort_unstable();
        // Where each entry's run starts (one pass over the sorted pairs), then every entry
        // takes its run in parallel.
        let n = self.entries.len();
        let mut starts = vec![0u32; n + 1];
        for &(target, _, _) in &backlinks {
            if let Some(count) = starts.get_mut(target.0 as usize + 1) {
                *count += 1;
            }
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let backlinks = &backlinks;
        self.entries
            .par_iter_mut()
            .enumerate()
            .for_each(|(slot, entry)| {
                let run = &backlinks[starts[slot] as usize..starts[slot + 1] as usize];
                if let Some(e) = entry
                    && !run.is_empty()
                {
                    e.backlinks.reserve_exact(run.len());
                    e.backlinks.extend(run.iter().map(|&(_, s, i)| (s, i)));
                }
            });
    }

    /// Forget a note's outgoing links entirely (backlinks it gave and its dependents entries).
    fn unlink(&mut self, id: NoteId) {
        self.drop_backlinks(id);
        let entry = self.entry_mut(id);
        entry.targets = Box::default();
        let keys = std::mem::take(&mut entry.link_keys);
        for key in keys {
            self.dependents.remove(&key, id);
        }
    }

    fn add_backlinks(&mut self, id: NoteId, targets: &[Target]) {
        let note = Arc::clone(&self.entry(id).note);
        for (i, (target, link)) in targets.iter().zip(&note.links).enumerate() {
            if let Target::Note(t) = target
                && !link.target.target.is_empty()
                && let Some(Some(e)) = self.entries.get_mut(t.0 as usize)
            {
                e.backlinks.push((id, i as u32));
            }
        }
    }

    fn drop_backlinks(&mut self, id: NoteId) {
        let mut targets = std::mem::take(&mut self.entry_mut(id).targets).into_vec();
        targets.sort_by_key(|t| t.note());
        targets.dedup_by_key(|t| t.note());
        for t in targets.iter().filter_map(Target::note) {
            if let Some(Some(e)) = self.entries.get_mut(t.0 as usize) {
                e.backlinks.retain(|&(s, _)| s != id);
            }
        }
    }

    fn resolve_note(&self, id: NoteId) -> (Vec<Target>, Vec<KeyRef>) {
        let entry = self.entry(id);
        let source = Source {
            id: Some(id),
            path: &entry.path,
            path_key: &entry.path_key,
            folder_sym: Some(entry.folder),
            class: entry.class,
        };
        let mut buf = String::new();
        let mut targets = Vec::with_capacity(entry.note.links.len());
        let mut keys = Vec::with_capacity(entry.note.links.len());
        for link in &entry.note.links {
            let field = match &link.place {
                LinkPlace::Frontmatter { key } => Some(key.as_str()),
                LinkPlace::Body => None,
            };
            let (target, key) = self.resolve_with(source, &link.target, field, &mut buf);
            targets.push(target);
            if let Some(k) = key {
                keys.push(k);
            }
        }
        (targets, keys)
    }

    /// Resolve `link` as written in note `from` (in frontmatter field `field`, if any),
    /// without changing the index. Use this for links that are not stored in a note
    /// (a query's `[[link]]`, a form's input).
    pub fn resolve(&self, from: Option<NoteId>, link: &LinkTarget, field: Option<&str>) -> Target {
        let mut buf = String::new();
        match from.and_then(|id| self.get(id)) {
            Some(e) => {
                let source = Source {
                    id: from,
                    path: &e.path,
                    path_key: &e.path_key,
                    folder_sym: Some(e.folder),
                    class: e.class,
                };
                self.resolve_with(source, link, field, &mut buf).0
            }
            None => {
                let source = Source {
                    id: None,
                    path: "",
                    path_key: "",
                    folder_sym: self.folders.get(""),
                    class: None,
                };
                self.resolve_with(source, link, field, &mut buf).0
            }
        }
    }

    /// Resolve link text such as `Shame`, `ME/Emotions/Shame.md` or `Shame#Heading` from the
    /// vault root.
    pub fn resolve_text(&self, text: &str) -> Target {
        let inner = text.trim().trim_start_matches("[[").trim_end_matches("]]");
        self.resolve(None, &LinkTarget::parse(inner), None)
    }

    fn resolve_with(
        &self,
        from: Source<'_>,
        link: &LinkTarget,
        field: Option<&str>,
        buf: &mut String,
    ) -> (Target, Option<KeyRef>) {
        let memo = link.name_memo();
        // A bare name this index has looked up before (the memo holds those alone): its
        // symbol without reading the link's text, and when one note has that name, the
        // answer. At 100k notes most links come here; the text is a cache miss per link.
        if let Some(sym) = memo.get(self.keys_memo.0).map(Sym)
            && let Some(&[id]) = self.by_name.get(&sym)
        {
            return (Target::Note(id), Some(KeyRef::Known(sym)));
        }
        let raw = &*link.target;
        if raw.is_empty() {
            return match (link.fragment.is_some(), from.id) {
                (true, Some(id)) => (Target::Note(id), None),
                (true, None) => (Target::Dangling, None),
                (false, _) => (Target::Empty, None),
            };
        }
        // Anchored paths: `/x` from the root, `./x` and `../x` from the linking note's folder.
        let anchored: Option<String> = if let Some(rest) = raw.strip_prefix('/') {
            Some(rest.to_owned())
        } else if raw.starts_with("./") || raw.starts_with("../") {
            join_relative(from.folder(), raw)
        } else {
            None
        };
        let path = anchored.as_deref().unwrap_or(raw);
        let note_path = name::strip_md(path);
        let is_md = note_path.len() != path.len();
        let has_dir = note_path.contains('/');
        // A bare name's symbol depends on the link's text alone (keys are never removed, so
        // a symbol found stays right; a name not found is looked up again next time).
        let bare = anchored.is_none() && !has_dir;
        let sym = match memo.get(self.keys_memo.0).filter(|_| bare) {
            Some(sym) => Sym(sym),
            None => {
                name::write_key(name::file_name(note_path), buf);
                let Some(sym) = self.keys.get(buf) else {
                    return (Target::Dangling, Some(KeyRef::New(buf.as_str().into())));
                };
                if bare {
                    memo.set(self.keys_memo.0, sym.0);
                }
                sym
            }
        };
        let key = Some(KeyRef::Known(sym));
        let path_key = has_dir.then(|| name::key(note_path));
        let fits = |entry_path_key: &str| match &path_key {
            None => true,
            Some(pk) if anchored.is_some() => entry_path_key == pk.as_str(),
            Some(pk) => {
                entry_path_key == pk.as_str()
                    || (entry_path_key.len() > pk.len()
                        && entry_path_key.ends_with(pk.as_str())
                        && entry_path_key.as_bytes()[entry_path_key.len() - pk.len() - 1] == b'/')
            }
        };
        let named: &[NoteId] = self.by_name.get(&sym).unwrap_or_default();
        if path_key.is_none() && named.len() == 1 {
            return (Target::Note(named[0]), key); // the common case: a unique bare name
        }
        let mut candidates: Vec<NoteId> = named
            .iter()
            .copied()
            .filter(|&c| fits(&self.entry(c).path_key))
            .collect();
        if let Some(pk) = &path_key {
            // A full path beats a partial one that also fits.
            let full: Vec<NoteId> = candidates
                .iter()
                .copied()
                .filter(|&c| &*self.entry(c).path_key == pk.as_str())
                .collect();
            if !full.is_empty() {
                candidates = full;
            }
        }
        match candidates.len() {
            0 if is_md => (Target::Dangling, key),
            0 => (
                self.resolve_file(
                    sym,
                    path_key.as_deref(),
                    anchored.is_some(),
                    from.folder_key(),
                ),
                key,
            ),
            1 => (Target::Note(candidates[0]), key),
            _ => (self.disambiguate(candidates, from, field, note_path), key),
        }
    }

    fn resolve_file(
        &self,
        name: Sym,
        path_key: Option<&str>,
        anchored: bool,
        folder_key: &str,
    ) -> Target {
        let Some(ids) = self.files_by_name.get(&name) else {
            return Target::Dangling;
        };
        let mut fitting: Vec<&FileEntry> = ids
            .iter()
            .filter_map(|f| self.files[f.0 as usize].as_ref())
            .filter(|f| match path_key {
                None => true,
                Some(pk) if anchored => &*f.path_key == pk,
                Some(pk) => {
                    &*f.path_key == pk
                        || (f.path_key.len() > pk.len()
                            && f.path_key.ends_with(pk)
                            && f.path_key.as_bytes()[f.path_key.len() - pk.len() - 1] == b'/')
                }
            })
            .collect();
        // Obsidian picks one attachment even when names repeat: same folder first, then path order.
        fitting.sort_by(|a, b| {
            let a_here = name::folder(&a.path_key) == folder_key;
            let b_here = name::folder(&b.path_key) == folder_key;
            b_here.cmp(&a_here).then_with(|| a.path.cmp(&b.path))
        });
        match fitting.first() {
            Some(f) => Target::File(self.files_by_path[&f.path]),
            None => Target::Dangling,
        }
    }

    /// Several notes fit `written` (the link's path without `.md`): the relation class, then
    /// the linking note's folder, then an exact-case match of what was written (two files
    /// differing only in case, on a case-sensitive file system) decide.
    fn disambiguate(
        &self,
        mut candidates: Vec<NoteId>,
        from: Source<'_>,
        field: Option<&str>,
        written: &str,
    ) -> Target {
        if let (Some(class), Some(field)) = (from.class, field)
            && let Some(rel) = self
                .relations
                .get(&class)
                .and_then(|fields| fields.get(field.trim()))
        {
            let typed: Vec<NoteId> = candidates
                .iter()
                .copied()
                .filter(|&c| {
                    self.entry(c)
                        .class
                        .is_some_and(|k| rel.targets.contains(&k))
                })
                .collect();
            if !typed.is_empty() {
                candidates = typed;
            }
            if candidates.len() > 1
                && let Some(chosen) = self.chosen_by_group(&candidates, from, rel)
            {
                candidates = chosen;
            }
        }
        if candidates.len() == 1 {
            return Target::Note(candidates[0]);
        }
        let here: Vec<NoteId> = candidates
            .iter()
            .copied()
            .filter(|&c| Some(self.entry(c).folder) == from.folder_sym)
            .collect();
        if here.len() == 1 {
            return Target::Note(here[0]);
        }
        let pool = if here.is_empty() { &candidates } else { &here };
        let exact: Vec<NoteId> = pool
            .iter()
            .copied()
            .filter(|&c| {
                let path = name::strip_md(&self.entry(c).path);
                path == written
                    || path.ends_with(written)
                        && path.as_bytes()[path.len() - written.len() - 1] == b'/'
            })
            .collect();
        if exact.len() == 1 {
            return Target::Note(exact[0]);
        }
        self.sort_by_path(&mut candidates);
        Target::Ambiguous(Box::new(candidates))
    }

    /// The candidates whose folder (last segment) or class the linking note's group field
    /// names (`threat_source_group: 🪖 Protective Strategies`), when that narrows them.
    fn chosen_by_group(
        &self,
        candidates: &[NoteId],
        from: Source<'_>,
        rel: &Rel,
    ) -> Option<Vec<NoteId>> {
        let group_field = rel.chosen_by.as_deref()?;
        let source = self.get(from.id?)?;
        let field = source
            .note
            .frontmatter
            .as_ref()?
            .fields
            .iter()
            .find(|f| f.key.trim() == group_field)?;
        let wanted: Vec<String> = field
            .value
            .items()
            .filter_map(|v| match v {
                Value::Text(t) if !t.trim().is_empty() => Some(name::key(t.trim())),
                _ => None,
            })
            .collect();
        if wanted.is_empty() {
            return None;
        }
        let chosen: Vec<NoteId> = candidates
            .iter()
            .copied()
            .filter(|&c| {
                let e = self.entry(c);
                let folder = name::file_name(name::folder(&e.path_key));
                let class = e.class.map(|k| name::key(self.classes.resolve(k)));
                wanted
                    .iter()
                    .any(|w| w == folder || class.as_deref() == Some(w.as_str()))
            })
            .collect();
        (!chosen.is_empty()).then_some(chosen)
    }

    // ---- access ----

    pub(crate) fn entry(&self, id: NoteId) -> &Entry {
        self.entries[id.0 as usize]
            .as_ref()
            .expect("a NoteId handed out by this index names a live note")
    }

    fn entry_mut(&mut self, id: NoteId) -> &mut Entry {
        self.entries[id.0 as usize]
            .as_mut()
            .expect("a NoteId handed out by this index names a live note")
    }

    pub(crate) fn get(&self, id: NoteId) -> Option<&Entry> {
        self.entries.get(id.0 as usize).and_then(Option::as_ref)
    }

    /// Live note ids in slot order (cheap; use [`Index::notes`] for path order).
    pub(crate) fn ids(&self) -> impl Iterator<Item = NoteId> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.is_some())
            .map(|(i, _)| NoteId(i as u32))
    }

    /// The class facts this index was built with.
    pub fn facts(&self) -> &ClassFacts {
        &self.facts
    }

    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// Every live note's [`NoteId::slot`] is below this.
    pub fn slot_bound(&self) -> usize {
        self.entries.len()
    }

    /// The path of a non-note file.
    pub fn file_path(&self, id: FileId) -> Option<&str> {
        self.files.get(id.0 as usize)?.as_ref().map(|f| &*f.path)
    }
}

/// The keys of a note that need no index to compute (done in parallel by a build).
struct Prepared {
    input: NoteInput,
    path_key: Box<str>,
    folder_key: String,
    name_key: Option<String>,
    fields: Fields,
}

impl Prepared {
    /// The note's entry, with its folder, class and name interned by the caller, and the
    /// keys of its content for the caller to index.
    fn into_entry(self, folder: Sym, class: Option<Sym>, name: Option<Sym>) -> (Entry, Fields) {
        let Prepared {
            input,
            path_key,
            folder_key: _,
            name_key: _,
            fields,
        } = self;
        let entry = Entry {
            folder,
            path_key,
            path: input.path,
            name,
            note: input.note,
            meta: input.meta,
            excluded: input.excluded,
            class,
            targets: Box::default(),
            link_keys: Box::default(),
            backlinks: Vec::new(),
            id_key: None,
            alias_keys: Box::default(),
            tag_keys: Box::default(),
        };
        (entry, fields)
    }

    fn new(input: NoteInput) -> Prepared {
        let path_key: Box<str> = name::key(name::strip_md(&input.path)).into();
        let folder_key = name::folder(&path_key).to_owned();
        let stem = name::strip_md(name::file_name(&input.path));
        let name_key = (!stem.is_empty()).then(|| name::key(stem));
        let fields = Fields::of(&input.note);
        Prepared {
            input,
            path_key,
            folder_key,
            name_key,
            fields,
        }
    }
}

/// `notes` with each path once: a path given again replaces the earlier note in its place
/// (what registering them one by one does). A scan's notes come in strict path order, which
/// says at once that no path repeats.
fn last_of_each_path(notes: Vec<NoteInput>) -> Vec<NoteInput> {
    if notes.par_windows(2).all(|w| w[0].path < w[1].path) {
        return notes;
    }
    let mut first_at: FxHashMap<Arc<str>, usize> = FxHashMap::default();
    let mut kept: Vec<Option<NoteInput>> = Vec::with_capacity(notes.len());
    for note in notes {
        match first_at.get(&note.path) {
            Some(&at) => kept[at] = Some(note),
            None => {
                first_at.insert(note.path.clone(), kept.len());
                kept.push(Some(note));
            }
        }
    }
    kept.into_iter().flatten().collect()
}

/// The by-path map and the path-ordered map of a fresh build's entries. The ordered map is
/// built in one go (the entries come in path order already) instead of a hundred thousand
/// inserts, each comparing long shared path prefixes.
#[allow(clippy::type_complexity)]
fn path_maps(
    entries: &[Option<Entry>],
) -> (FxHashMap<Arc<str>, NoteId>, BTreeMap<Arc<str>, NoteId>) {
    let live = || {
        entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((e.as_ref()?.path.clone(), NoteId(i as u32))))
    };
    let mut by_path = FxHashMap::default();
    by_path.reserve(entries.len());
    by_path.extend(live());
    (by_path, live().collect())
}

/// A note's interned `id` and its alias and tag keys, as its entry keeps them.
type NoteFieldKeys = (Option<Sym>, Box<[Box<str>]>, Box<[Box<str>]>);

/// The maps of notes by `id`, alias and tag (a fresh build fills them on a thread of their
/// own, then hands them to the index).
#[derive(Clone, Debug, Default)]
pub(crate) struct FieldMaps {
    /// `id` texts: each held once, shared by `by_id` and the entries.
    pub(crate) ids: Interner,
    pub(crate) by_id: SymLists<NoteId>,
    pub(crate) by_alias: FxHashMap<Box<str>, Vec<NoteId>>,
    pub(crate) by_tag: FxHashMap<Box<str>, Vec<NoteId>>,
}

impl FieldMaps {
    /// The maps of these notes, and each note's keys in the order given.
    fn build(fields: Vec<(NoteId, Fields)>) -> (FieldMaps, Vec<NoteFieldKeys>) {
        let mut maps = FieldMaps::default();
        let (ids, id_bytes) = fields
            .iter()
            .filter_map(|(_, f)| f.id_key.as_ref())
            .fold((0, 0), |(n, bytes), k| (n + 1, bytes + k.len()));
        maps.ids.reserve(ids, id_bytes);
        maps.by_id.reserve_syms(ids);
        let keys = fields.into_iter().map(|(id, f)| maps.add(id, f)).collect();
        (maps, keys)
    }

    /// List note `id` under its `id`, aliases and tags; gives the keys its entry keeps.
    fn add(&mut self, id: NoteId, fields: Fields) -> NoteFieldKeys {
        let Fields {
            id_key,
            alias_keys,
            tag_keys,
        } = fields;
        let id_key = id_key.map(|k| self.ids.intern(&k));
        if let Some(k) = id_key {
            self.by_id.push(k, id);
        }
        // A key already listed is not copied again (most notes share their tags).
        for (keys, map) in [
            (&alias_keys, &mut self.by_alias),
            (&tag_keys, &mut self.by_tag),
        ] {
            for k in keys {
                match map.get_mut(&**k) {
                    Some(list) => list.push(id),
                    None => {
                        map.insert(k.clone(), vec![id]);
                    }
                }
            }
        }
        (
            id_key,
            alias_keys.into_boxed_slice(),
            tag_keys.into_boxed_slice(),
        )
    }

    /// Take note `id` off the lists of the keys its entry kept.
    fn remove(&mut self, id: NoteId, id_key: Option<Sym>, aliases: &[Box<str>], tags: &[Box<str>]) {
        if let Some(k) = id_key {
            self.by_id.remove(&k, id);
        }
        for k in aliases {
            remove_from(&mut self.by_alias, k, id);
        }
        for k in tags {
            remove_from(&mut self.by_tag, k, id);
        }
    }
}

/// Keys from a note's content: its `id`, aliases and tags (with their parents).
struct Fields {
    id_key: Option<Box<str>>,
    alias_keys: Vec<Box<str>>,
    tag_keys: Vec<Box<str>>,
}

impl Fields {
    fn of(note: &Note) -> Fields {
        let id_key = note_id_text(note).map(String::into_boxed_str);
        let mut alias_keys: Vec<Box<str>> = aliases(note)
            .into_iter()
            .map(|a| name::key(&a).into())
            .collect();
        alias_keys.sort();
        alias_keys.dedup();
        let mut tag_keys: Vec<Box<str>> = Vec::new();
        for tag in note.tags() {
            let key = name::key(tag.name.trim_start_matches('#'));
            // `#a/b` is also found under `#a`.
            for (i, _) in key.match_indices('/') {
                tag_keys.push(key[..i].into());
            }
            if !key.is_empty() {
                tag_keys.push(key.into());
            }
        }
        tag_keys.sort();
        tag_keys.dedup();
        Fields {
            id_key,
            alias_keys,
            tag_keys,
        }
    }
}

/// Remove `id` from the list under `key`, dropping the list when it empties.
fn remove_from<K, Q, T>(map: &mut FxHashMap<K, Vec<T>>, key: &Q, id: T)
where
    K: std::hash::Hash + Eq + std::borrow::Borrow<Q>,
    Q: std::hash::Hash + Eq + ?Sized,
    T: PartialEq + Copy,
{
    if let Some(list) = map.get_mut(key) {
        list.retain(|&x| x != id);
        if list.is_empty() {
            map.remove(key);
        }
    }
}

/// `./a` or `../a` against `folder`; `None` when `..` climbs above the vault root.
fn join_relative(folder: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in link.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The note's `id` as text (`1751291324429`), when it has a non-empty scalar one.
pub(crate) fn note_id_text(note: &Note) -> Option<String> {
    let field = note.frontmatter.as_ref()?.get("id")?;
    match &field.value {
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Text(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
        _ => None,
    }
}

/// The note's `aliases` (or `alias`) values.
pub(crate) fn aliases(note: &Note) -> Vec<String> {
    let Some(fm) = &note.frontmatter else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in ["aliases", "alias"] {
        if let Some(field) = fm.get(key) {
            for item in field.value.items() {
                match item {
                    Value::Text(t) if !t.trim().is_empty() => out.push(t.trim().to_owned()),
                    Value::Int(i) => out.push(i.to_string()),
                    _ => {}
                }
            }
        }
    }
    out
}

/// Links of `note` paired with their targets.
pub(crate) fn links_with_targets(entry: &Entry) -> impl Iterator<Item = (&Link, &Target)> {
    entry.note.links.iter().zip(entry.targets.iter())
}
