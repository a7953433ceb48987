//! A binary snapshot of an [`Index`]: everything it holds except the notes' contents, so a
//! warm start opens a vault without parsing a note or resolving a link. [`Index::encode`]
//! writes it; [`Index::decode`] reads it back, taking each entry's [`NoteCell`] from the
//! caller (a deferred one is parsed only when something reads it, and decoding never does).
//!
//! The decoded index is the encoded one: the same symbols, slots, free slots (in the order
//! they are reused), and every list in the same order, so each query and every later
//! [`Index::apply`] gives the same answer as on the original. Only the memo number is new
//! (a fresh [`MemoOwner`]): memos that a note's links hold for another index are not read.
//!
//! *Contract*: each note handed to `decode` is the one the index held when it was encoded
//! (an entry's targets are parallel to its note's links). A note whose file changed since
//! is handed over as it is now and followed at once by a [`crate::Change::Modified`] (a
//! gone file by [`crate::Change::Deleted`]), before any query: `apply` reads the old links
//! only through the stored targets and keys, and resolves the new text afresh.
//!
//! The format is built to be read fast (at 100k notes this decode is a large part of a warm
//! start): LEB128 integers, length-prefixed UTF-8 validated once per string (each interner's
//! text once in all), every list allocated once at its encoded size, and the derived maps
//! (`by_path`, `sorted`, `files_by_path`) rebuilt from the entries rather than stored. The
//! entries, most of the work, come in chunks of [`CHUNK`] slots that are decoded in
//! parallel, while other threads fill the interners' tables and the path maps. A leading
//! magic and format version make a snapshot of another layout an error, never a misread
//! index, and a closing checksum turns away damaged bytes. Decoding also checks every number
//! it trusts (symbols, slots, link positions), so that even bytes made to pass the checksum
//! give a [`SnapshotError`], never a panic (a note's number of links is the one thing it
//! cannot check without reading the note: see the contract above).
//!
//! Layout, in order: magic and version; class facts; the interners (classes, keys, folders,
//! ids); relations; files; note slots; each note's number of links; the entries (each with
//! its alias and tag keys and its backlinks) in chunks, after a table of the chunks'
//! lengths; `by_name`, `excluded_by_name`, `dependents`, `by_id`, `by_alias`, `by_tag`;
//! `files_by_name`; a checksum of all that (8 bytes). Nothing may follow.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;
use smallvec::SmallVec;

use crate::cell::NoteCell;
use crate::hash::FxHashMap;
use crate::index::{Entry, FieldMaps, FileEntry, FileId, Index, NoteId, Rel, Target};
use crate::input::{ClassFacts, FileMeta};
use crate::name::{self, Interner, MemoOwner, Sym, SymLists};

/// The first bytes of every snapshot.
const MAGIC: [u8; 8] = *b"ATTNIDX\0";

/// The layout's version, after the magic: raise it with every change to what is written, so
/// an older snapshot is refused (and rebuilt by the caller) instead of misread.
const VERSION: u32 = 1;

/// Entry flags: which optional parts follow.
const EXCLUDED: u8 = 1;
/// The path key is written out; without this flag it is the path without `.md`,
/// ASCII-lower-cased (true of most paths: the key would be half an entry's bytes).
const OWN_PATH_KEY: u8 = 2;
const HAS_NAME: u8 = 4;
const HAS_CLASS: u8 = 8;
const HAS_ID: u8 = 16;
const ENTRY_FLAGS: u8 = EXCLUDED | OWN_PATH_KEY | HAS_NAME | HAS_CLASS | HAS_ID;

/// Entries come in chunks of this many slots, each decoded on its own (in parallel): a
/// table of the chunks' lengths before them says where each starts.
const CHUNK: usize = 2048;

/// A target is one number: its kind in the low three bits, the note or file (or the
/// candidates' count) above them.
const TARGET_NOTE: u64 = 0;
const TARGET_FILE: u64 = 1;
const TARGET_DANGLING: u64 = 2;
const TARGET_EMPTY: u64 = 3;
const TARGET_AMBIGUOUS: u64 = 4;

/// Why a snapshot could not be read: cut short, damaged, or of another format version. The
/// caller builds the index from the files instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotError {
    message: String,
}

impl SnapshotError {
    fn new(message: impl Into<String>) -> SnapshotError {
        SnapshotError {
            message: message.into(),
        }
    }

    /// What is wrong and at which byte.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unreadable index snapshot: {}", self.message)
    }
}

impl std::error::Error for SnapshotError {}

impl Index {
    /// Append everything this index holds except the notes' contents to `out`: what
    /// [`Index::decode`] reads back, given the same notes. The class facts are included.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let start = out.len();
        // About what a note takes (some 200 bytes): the buffer grows once or not at all,
        // instead of doubling its way to 20 MB at 100k notes.
        out.reserve(64 + 224 * self.len());
        let mut w = Writer { out };
        w.out.extend_from_slice(&MAGIC);
        w.out.extend_from_slice(&VERSION.to_le_bytes());
        w.facts(&self.facts);
        for interner in [&self.classes, &self.keys, &self.folders, &self.fields.ids] {
            w.interner(interner);
        }
        w.relations(&self.relations);
        w.files(self);
        w.slots(&self.entries, &self.free);
        for entry in self.entries.iter().flatten() {
            w.count(entry.targets.len());
        }
        w.chunks(&self.entries);
        w.sym_lists(&self.by_name);
        w.sym_map(&self.excluded_by_name, |w, id| w.u32(id.0));
        w.sym_lists(&self.dependents);
        w.sym_lists(&self.fields.by_id);
        w.key_lists(&self.fields.by_alias);
        w.key_lists(&self.fields.by_tag);
        w.sym_map(&self.files_by_name, |w, id| w.u32(id.0));
        let sum = checksum(&w.out[start..]);
        w.out.extend_from_slice(&sum.to_le_bytes());
    }

    /// The index [`Index::encode`] wrote. `note(slot)` gives the note of the entry at that
    /// slot (called once per occupied slot, in slot order); no note is read here, so
    /// deferred notes stay unparsed. `bytes` must be exactly what one `encode` appended.
    ///
    /// Errors (never panics) on truncated or damaged bytes (a checksum closes the snapshot),
    /// or a snapshot of another format version.
    ///
    /// The entries are decoded in parallel, chunk by chunk, while other threads fill the
    /// key tables and the path maps and check the checksum; on one thread the same work
    /// runs in turn.
    pub fn decode(
        bytes: &[u8],
        note: &mut dyn FnMut(u32) -> Arc<NoteCell>,
    ) -> Result<Index, SnapshotError> {
        let mut r = Reader {
            bytes,
            pos: 0,
            end: bytes.len(),
        };
        r.header()?;
        // The checksum closes the snapshot; it is compared while the rest is decoded.
        let Some(end) = bytes.len().checked_sub(8).filter(|&end| end >= r.pos) else {
            return Err(r.truncated());
        };
        let mut sum = [0; 8];
        sum.copy_from_slice(&bytes[end..]);
        r.end = end;
        let facts = r.facts()?;
        let interners = [r.keys()?, r.keys()?, r.keys()?, r.keys()?];
        let [classes, keys, folders, ids] = interners.each_ref().map(KeyParts::len);
        let relations = r.relations(classes)?;
        let (files, file_free) = r.files(keys)?;
        let slots = r.slots()?;
        let link_counts = r.link_counts(&slots.live)?;
        let chunks = r.chunks(slots.live.len())?;
        // Every note first, in slot order, on this thread (the callback need not be `Send`).
        let mut cells: Vec<Option<Arc<NoteCell>>> = (slots.live.iter().enumerate())
            .map(|(slot, &live)| live.then(|| note(slot as u32)))
            .collect();
        let live = &slots.live[..];
        let t = Tables {
            live,
            link_counts: &link_counts,
            files: files.len(),
            keys,
            classes,
            folders,
            ids,
        };
        let (tables, rest) = rayon::join(
            || {
                let interners: Vec<Result<Interner, SnapshotError>> = interners
                    .into_par_iter()
                    .map(KeyParts::into_interner)
                    .collect();
                let sound = checksum(&bytes[..end]) == u64::from_le_bytes(sum);
                (interners, file_paths(&files), sound)
            },
            || {
                let entries = decode_entries(bytes, &chunks, &mut cells, &t)?;
                let (paths, lists) = rayon::join(
                    || path_maps(&entries),
                    || {
                        let by_name = r.sym_lists(live)?;
                        let excluded_by_name = r.sym_map(keys, |r| r.note_id(live))?;
                        let dependents = r.sym_lists(live)?;
                        let by_id = r.sym_lists(live)?;
                        let by_alias = r.key_lists(live)?;
                        let by_tag = r.key_lists(live)?;
                        let files_by_name = r.sym_map(keys, |r| r.file_id(t.files))?;
                        if r.pos != r.end {
                            return Err(r.fail("bytes after the end of the snapshot"));
                        }
                        Ok((
                            by_name,
                            excluded_by_name,
                            dependents,
                            by_id,
                            by_alias,
                            by_tag,
                            files_by_name,
                        ))
                    },
                );
                Ok((entries, paths?, lists?))
            },
        );
        let (interners, files_by_path, sound) = tables;
        if !sound {
            return Err(SnapshotError::new(
                "the snapshot is damaged: its checksum does not match its bytes",
            ));
        }
        // A damaged snapshot says so, whatever else went wrong reading it.
        let (entries, (by_path, sorted), lists) = rest?;
        let (by_name, excluded_by_name, dependents, by_id, by_alias, by_tag, files_by_name) = lists;
        let mut interners = interners.into_iter();
        let mut next = || {
            interners
                .next()
                .unwrap_or_else(|| Err(SnapshotError::new("a table of keys is missing")))
        };
        let (classes, keys, folders, ids) = (next()?, next()?, next()?, next()?);
        Ok(Index {
            facts,
            classes,
            relations,
            keys,
            keys_memo: MemoOwner::default(),
            folders,
            entries,
            free: slots.free,
            by_path,
            sorted,
            by_name,
            excluded_by_name,
            fields: FieldMaps {
                ids,
                by_id,
                by_alias,
                by_tag,
            },
            dependents,
            files,
            file_free,
            files_by_path: files_by_path?,
            files_by_name,
        })
    }
}

/// The entries, each chunk of [`CHUNK`] slots decoded on its own (in parallel), taking its
/// notes from `cells`.
fn decode_entries(
    bytes: &[u8],
    chunks: &[std::ops::Range<usize>],
    cells: &mut [Option<Arc<NoteCell>>],
    t: &Tables<'_>,
) -> Result<Vec<Option<Entry>>, SnapshotError> {
    let mut entries = Vec::new();
    (0..cells.len())
        .into_par_iter()
        .map(|_| None)
        .collect_into_vec(&mut entries);
    entries
        .par_chunks_mut(CHUNK)
        .zip(cells.par_chunks_mut(CHUNK))
        .zip(chunks.par_iter())
        .enumerate()
        .try_for_each(|(i, ((entries, cells), range))| {
            let mut r = Reader {
                bytes,
                pos: range.start,
                end: range.end,
            };
            for (j, (entry, cell)) in entries.iter_mut().zip(cells).enumerate() {
                if let Some(cell) = cell.take() {
                    *entry = Some(r.entry(i * CHUNK + j, cell, t)?);
                }
            }
            if r.pos != r.end {
                return Err(r.fail("a chunk of notes longer than its entries"));
            }
            Ok(())
        })?;
    Ok(entries)
}

/// `by_path` and `sorted`, from the entries (their paths shared, not copied), side by side.
#[allow(clippy::type_complexity)]
fn path_maps(
    entries: &[Option<Entry>],
) -> Result<(FxHashMap<Arc<str>, NoteId>, BTreeMap<Arc<str>, NoteId>), SnapshotError> {
    let live = || {
        entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((e.as_ref()?.path.clone(), NoteId(i as u32))))
    };
    let (by_path, sorted) = rayon::join(
        || {
            let mut by_path = FxHashMap::default();
            by_path.reserve(entries.len());
            for (path, id) in live() {
                if by_path.insert(path, id).is_some() {
                    return Err(SnapshotError::new("two notes with the same path"));
                }
            }
            Ok(by_path)
        },
        // Slot order is path order unless notes were added since the last build: the
        // tree's own sort then only checks that, and builds it in one pass.
        || live().collect(),
    );
    Ok((by_path?, sorted))
}

/// The snapshot's checksum: tells damaged bytes (a disk's, a copy's) from a snapshot, since
/// a flip that reads as another valid number would otherwise give a different index.
/// FxHash's step over 8-byte words in four independent lanes (a core runs them side by
/// side: a few milliseconds for the 20 MB of a 100k-note vault, on a thread of its own);
/// each step is a bijection of the lane, so a change confined to one word always changes
/// the sum.
fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let step = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(K);
    let word = |b: &[u8]| {
        let mut w = [0; 8];
        w.copy_from_slice(b);
        u64::from_le_bytes(w)
    };
    let mut lanes = [1u64, 2, 3, 4];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (lane, w) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = step(*lane, word(w));
        }
    }
    let mut tail = [0u8; 32];
    tail[..blocks.remainder().len()].copy_from_slice(blocks.remainder());
    tail.chunks_exact(8)
        .map(word)
        .chain(lanes)
        .fold(bytes.len() as u64, step)
}

/// `files_by_path`, from the files.
fn file_paths(files: &[Option<FileEntry>]) -> Result<FxHashMap<Box<str>, FileId>, SnapshotError> {
    let mut by_path = FxHashMap::default();
    by_path.reserve(files.len());
    for (i, file) in files.iter().enumerate() {
        if let Some(file) = file
            && by_path
                .insert(file.path.clone(), FileId(i as u32))
                .is_some()
        {
            return Err(SnapshotError::new("two files with the same path"));
        }
    }
    Ok(by_path)
}

/// `text` ASCII-lower-cased: the lookup key of most paths (a note's without `.md`, a
/// file's whole), so the snapshot writes a key only where it is something else.
fn ascii_key(text: &str) -> Box<str> {
    let mut key = text.to_owned();
    key.make_ascii_lowercase();
    key.into_boxed_str()
}

/// Whether `key` is [`ascii_key`] of `text` (compared without making it).
fn is_ascii_key(text: &str, key: &str) -> bool {
    text.len() == key.len()
        && text
            .bytes()
            .zip(key.bytes())
            .all(|(a, b)| a.to_ascii_lowercase() == b)
}

/// What an entry's numbers point into, to check each number as it is read: which slots
/// hold a note and how many links each has, and the number of files and of each table's
/// keys.
struct Tables<'t> {
    live: &'t [bool],
    link_counts: &'t [u32],
    files: usize,
    keys: usize,
    classes: usize,
    folders: usize,
    ids: usize,
}

/// An interner as read: its text (not yet copied) and key ends, checked and turned into an
/// [`Interner`] (its table filled) on another thread while the entries are read.
struct KeyParts<'a> {
    text: &'a str,
    ends: Vec<u32>,
}

impl KeyParts<'_> {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn into_interner(self) -> Result<Interner, SnapshotError> {
        Interner::from_parts(self.text.to_owned(), self.ends)
            .map_err(|m| SnapshotError::new(format!("{m} (in a table of keys)")))
    }
}

/// Note slots: which hold a note, and the free list in its order.
struct Slots {
    live: Vec<bool>,
    free: Vec<u32>,
}

struct Writer<'o> {
    out: &'o mut Vec<u8>,
}

impl Writer<'_> {
    /// LEB128: seven bits a byte, low bits first (a symbol or slot of a 100k-note vault in
    /// three bytes, a count in one).
    #[inline]
    fn varint(&mut self, mut n: u64) {
        if n < 0x80 {
            self.out.push(n as u8);
            return;
        }
        let mut buf = [0u8; 10];
        let mut len = 0;
        while n >= 0x80 {
            buf[len] = (n as u8) | 0x80;
            n >>= 7;
            len += 1;
        }
        buf[len] = n as u8;
        self.out.extend_from_slice(&buf[..=len]);
    }

    fn u32(&mut self, n: u32) {
        self.varint(u64::from(n));
    }

    fn count(&mut self, n: usize) {
        self.varint(n as u64);
    }

    /// A signed number, zigzagged so that small magnitudes stay short.
    fn signed(&mut self, n: i64) {
        self.varint(((n << 1) ^ (n >> 63)) as u64);
    }

    fn str(&mut self, s: &str) {
        self.count(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.out.push(1);
                self.str(s);
            }
            None => self.out.push(0),
        }
    }

    fn sym(&mut self, sym: Sym) {
        self.u32(sym.0);
    }

    /// Each `(class, field, fact)`, in the map's order (any order reads back the same facts).
    fn facts(&mut self, facts: &ClassFacts) {
        let all: Vec<_> = facts.iter().collect();
        self.count(all.len());
        for (class, field, fact) in all {
            self.str(class);
            self.str(field);
            self.count(fact.targets.len());
            for t in &fact.targets {
                self.str(t);
            }
            self.opt_str(fact.inverse.as_deref());
            self.opt_str(fact.chosen_by.as_deref());
        }
    }

    /// The keys' count, the whole text, then each key's length.
    fn interner(&mut self, interner: &Interner) {
        let (text, ends) = interner.parts();
        self.count(ends.len());
        self.str(text);
        let mut start = 0;
        for &end in ends {
            self.u32(end - start);
            start = end;
        }
    }

    fn relations(&mut self, relations: &FxHashMap<Sym, FxHashMap<Box<str>, Rel>>) {
        self.count(relations.len());
        for (&class, fields) in relations {
            self.sym(class);
            self.count(fields.len());
            for (field, rel) in fields {
                self.str(field);
                self.count(rel.targets.len());
                for &t in &rel.targets {
                    self.sym(t);
                }
                self.opt_str(rel.inverse.as_deref());
                self.opt_str(rel.chosen_by.as_deref());
            }
        }
    }

    /// The slot count, the empty slots ascending, then the free list in its order (the
    /// same slots, unless an index broke its own rule; both are written so that it reads
    /// back as it was either way).
    fn slots<T>(&mut self, slots: &[Option<T>], free: &[u32]) {
        self.count(slots.len());
        let empty: Vec<u32> = (0..slots.len() as u32)
            .filter(|&i| slots[i as usize].is_none())
            .collect();
        self.count(empty.len());
        for slot in empty {
            self.u32(slot);
        }
        self.count(free.len());
        for &slot in free {
            self.u32(slot);
        }
    }

    fn files(&mut self, index: &Index) {
        self.slots(&index.files, &index.file_free);
        for file in index.files.iter().flatten() {
            self.str(&file.path);
            let own_key = !is_ascii_key(&file.path, &file.path_key);
            self.out.push(u8::from(own_key));
            if own_key {
                self.str(&file.path_key);
            }
            self.sym(file.name);
        }
    }

    /// The slots' entries in chunks of [`CHUNK`] slots: a table of each chunk's length in
    /// bytes (fixed-width, filled in once the chunk is written), then the chunks.
    fn chunks(&mut self, entries: &[Option<Entry>]) {
        let table = self.out.len();
        let count = entries.len().div_ceil(CHUNK);
        self.out.resize(table + 4 * count, 0);
        for (i, chunk) in entries.chunks(CHUNK).enumerate() {
            let start = self.out.len();
            for e in chunk.iter().flatten() {
                self.entry(e);
            }
            let len = u32::try_from(self.out.len() - start)
                .expect("a chunk of a few thousand entries stays far under 4 GiB");
            self.out[table + 4 * i..table + 4 * i + 4].copy_from_slice(&len.to_le_bytes());
        }
    }

    /// One entry; its number of links is written before the chunks.
    fn entry(&mut self, e: &Entry) {
        let stem = name::strip_md(&e.path);
        let own_key = !is_ascii_key(stem, &e.path_key);
        let mut flags = 0;
        for (on, bit) in [
            (e.excluded, EXCLUDED),
            (own_key, OWN_PATH_KEY),
            (e.name.is_some(), HAS_NAME),
            (e.class.is_some(), HAS_CLASS),
            (e.id_key.is_some(), HAS_ID),
        ] {
            if on {
                flags |= bit;
            }
        }
        self.out.push(flags);
        self.str(&e.path);
        if own_key {
            self.str(&e.path_key);
        }
        self.sym(e.folder);
        for sym in [e.name, e.class, e.id_key].into_iter().flatten() {
            self.sym(sym);
        }
        self.varint(e.meta.size);
        self.signed(e.meta.mtime);
        self.signed(e.meta.ctime);
        for target in &e.targets {
            match target {
                Target::Note(id) => self.varint(u64::from(id.0) << 3 | TARGET_NOTE),
                Target::File(id) => self.varint(u64::from(id.0) << 3 | TARGET_FILE),
                Target::Dangling => self.varint(TARGET_DANGLING),
                Target::Empty => self.varint(TARGET_EMPTY),
                Target::Ambiguous(ids) => {
                    self.varint((ids.len() as u64) << 3 | TARGET_AMBIGUOUS);
                    for id in ids.iter() {
                        self.u32(id.0);
                    }
                }
            }
        }
        self.count(e.link_keys.len());
        for &key in &e.link_keys {
            self.sym(key);
        }
        for keys in [&e.alias_keys, &e.tag_keys] {
            self.count(keys.len());
            for key in keys.iter() {
                self.str(key);
            }
        }
        self.count(e.backlinks.len());
        for &(source, link) in &e.backlinks {
            self.u32(source.0);
            self.u32(link);
        }
    }

    /// Every symbol's list (the empty ones too: one byte each).
    fn sym_lists(&mut self, lists: &SymLists<NoteId>) {
        let lists = lists.lists();
        self.count(lists.len());
        for list in lists {
            self.count(list.len());
            for id in list {
                self.u32(id.0);
            }
        }
    }

    fn sym_map<T>(&mut self, map: &FxHashMap<Sym, Vec<T>>, mut item: impl FnMut(&mut Self, &T)) {
        self.count(map.len());
        for (&sym, list) in map {
            self.sym(sym);
            self.count(list.len());
            for x in list {
                item(self, x);
            }
        }
    }

    /// Notes by alias (or tag): each key and its list.
    fn key_lists(&mut self, map: &FxHashMap<Box<str>, Vec<NoteId>>) {
        self.count(map.len());
        for (key, list) in map {
            self.str(key);
            self.count(list.len());
            for id in list {
                self.u32(id.0);
            }
        }
    }
}

/// Reads a snapshot (or one chunk of its entries, `pos..end`) front to back; every read
/// checks what is left and what it trusts.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Reader<'a> {
    #[cold]
    fn fail(&self, what: &str) -> SnapshotError {
        SnapshotError::new(format!(
            "{what} (at byte {} of {})",
            self.pos,
            self.bytes.len()
        ))
    }

    #[cold]
    fn truncated(&self) -> SnapshotError {
        self.fail("the snapshot is cut short")
    }

    fn remaining(&self) -> usize {
        self.end - self.pos
    }

    #[inline]
    fn take(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        if n > self.remaining() {
            return Err(self.truncated());
        }
        let bytes = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    fn header(&mut self) -> Result<(), SnapshotError> {
        if self.take(MAGIC.len())? != MAGIC {
            return Err(self.fail("not an index snapshot"));
        }
        let version = self.take(4)?;
        let version = u32::from_le_bytes([version[0], version[1], version[2], version[3]]);
        if version != VERSION {
            return Err(self.fail(&format!(
                "snapshot format {version}, this build reads format {VERSION}"
            )));
        }
        Ok(())
    }

    fn u8(&mut self) -> Result<u8, SnapshotError> {
        let [b] = *self.take(1)? else {
            return Err(self.truncated());
        };
        Ok(b)
    }

    /// LEB128. Numbers of up to three bytes (every count, slot and symbol of a 100k-note
    /// vault) are read without a loop.
    #[inline]
    fn varint(&mut self) -> Result<u64, SnapshotError> {
        let rest = self.bytes.get(self.pos..self.end).unwrap_or_default();
        let (n, len) = match *rest {
            [a, ..] if a < 0x80 => (u64::from(a), 1),
            [a, b, ..] if b < 0x80 => (u64::from(a & 0x7f) | u64::from(b) << 7, 2),
            [a, b, c, ..] if c < 0x80 => (
                u64::from(a & 0x7f) | u64::from(b & 0x7f) << 7 | u64::from(c) << 14,
                3,
            ),
            _ => return self.long_varint(),
        };
        self.pos += len;
        Ok(n)
    }

    /// A number of four bytes or more (rare: a size, a time), or a damaged one.
    #[cold]
    #[inline(never)]
    fn long_varint(&mut self) -> Result<u64, SnapshotError> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(self.fail("a number too large"));
            }
            n |= bits << shift;
            if b < 0x80 {
                return Ok(n);
            }
        }
        Err(self.fail("a number too large"))
    }

    #[inline]
    fn u32(&mut self) -> Result<u32, SnapshotError> {
        let n = self.varint()?;
        u32::try_from(n).map_err(|_| self.fail("a number too large"))
    }

    /// A count of things still to read: each takes a byte at least, so a count beyond the
    /// bytes left is damage (and never sizes an allocation).
    #[inline]
    fn count(&mut self) -> Result<usize, SnapshotError> {
        let n = self.varint()?;
        if n > self.remaining() as u64 {
            return Err(self.truncated());
        }
        Ok(n as usize)
    }

    fn signed(&mut self) -> Result<i64, SnapshotError> {
        let n = self.varint()?;
        Ok((n >> 1) as i64 ^ -((n & 1) as i64))
    }

    #[inline]
    fn str(&mut self) -> Result<&'a str, SnapshotError> {
        let n = self.count()?;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes).map_err(|_| self.fail("text that is not UTF-8"))
    }

    fn opt_str(&mut self) -> Result<Option<&'a str>, SnapshotError> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.str().map(Some),
            _ => Err(self.fail("a damaged optional text")),
        }
    }

    /// A symbol of a table of `len` keys.
    #[inline]
    fn sym(&mut self, len: usize) -> Result<Sym, SnapshotError> {
        let n = self.u32()?;
        if n as usize >= len {
            return Err(self.fail("a key number past its table"));
        }
        Ok(Sym(n))
    }

    /// A note id, which must name a slot that holds a note.
    #[inline]
    fn note_id(&mut self, live: &[bool]) -> Result<NoteId, SnapshotError> {
        let n = self.u32()?;
        self.live_note(n, live)
    }

    #[inline]
    fn live_note(&self, n: u32, live: &[bool]) -> Result<NoteId, SnapshotError> {
        match live.get(n as usize) {
            Some(true) => Ok(NoteId(n)),
            _ => Err(self.fail("a note id that names no note")),
        }
    }

    fn file_id(&mut self, files: usize) -> Result<FileId, SnapshotError> {
        let n = self.u32()?;
        if n as usize >= files {
            return Err(self.fail("a file id past the files"));
        }
        Ok(FileId(n))
    }

    fn facts(&mut self) -> Result<ClassFacts, SnapshotError> {
        let mut facts = ClassFacts::new();
        for _ in 0..self.count()? {
            let class = self.str()?;
            let field = self.str()?;
            let n = self.count()?;
            let mut targets = Vec::with_capacity(n);
            for _ in 0..n {
                targets.push(self.str()?);
            }
            let inverse = self.opt_str()?;
            let chosen_by = self.opt_str()?;
            facts.add_relation(class, field, targets, inverse);
            if let Some(group) = chosen_by {
                facts.set_chosen_by(class, field, group);
            }
        }
        Ok(facts)
    }

    /// An interner's text and key ends (its table is filled later, on another thread).
    fn keys(&mut self) -> Result<KeyParts<'a>, SnapshotError> {
        let n = self.count()?;
        let text = self.str()?;
        let mut ends = Vec::with_capacity(n);
        let mut end = 0u32;
        for _ in 0..n {
            let len = self.u32()?;
            end = end
                .checked_add(len)
                .ok_or_else(|| self.fail("a key past the table's text"))?;
            ends.push(end);
        }
        Ok(KeyParts { text, ends })
    }

    #[allow(clippy::type_complexity)]
    fn relations(
        &mut self,
        classes: usize,
    ) -> Result<FxHashMap<Sym, FxHashMap<Box<str>, Rel>>, SnapshotError> {
        let n = self.count()?;
        let mut relations = FxHashMap::default();
        relations.reserve(n);
        for _ in 0..n {
            let class = self.sym(classes)?;
            let m = self.count()?;
            let mut fields = FxHashMap::default();
            fields.reserve(m);
            for _ in 0..m {
                let field: Box<str> = self.str()?.into();
                let t = self.count()?;
                let mut targets = Vec::with_capacity(t);
                for _ in 0..t {
                    targets.push(self.sym(classes)?);
                }
                let rel = Rel {
                    targets,
                    inverse: self.opt_str()?.map(Into::into),
                    chosen_by: self.opt_str()?.map(Into::into),
                };
                fields.insert(field, rel);
            }
            relations.insert(class, fields);
        }
        Ok(relations)
    }

    fn slots(&mut self) -> Result<Slots, SnapshotError> {
        let n = self.varint()?;
        let empty = self.count()?;
        let mut last = None;
        let mut empties = Vec::with_capacity(empty);
        for _ in 0..empty {
            let slot = self.u32()?;
            if u64::from(slot) >= n || last.is_some_and(|l| slot <= l) {
                return Err(self.fail("empty slots out of order"));
            }
            last = Some(slot);
            empties.push(slot);
        }
        // Every other slot holds an entry of a byte at least.
        if n - empty as u64 > self.remaining() as u64 {
            return Err(self.truncated());
        }
        let mut live = vec![true; n as usize];
        for slot in empties {
            live[slot as usize] = false;
        }
        let f = self.count()?;
        let mut free = Vec::with_capacity(f);
        let mut listed = vec![false; live.len()];
        for _ in 0..f {
            let slot = self.u32()? as usize;
            match (live.get(slot), listed.get(slot)) {
                (Some(false), Some(false)) => listed[slot] = true,
                _ => return Err(self.fail("a free slot that holds something, or twice")),
            }
            free.push(slot as u32);
        }
        Ok(Slots { live, free })
    }

    /// Each note's number of links (0 for an empty slot): the entries' targets are read
    /// by it, and each backlink is checked against its source's.
    fn link_counts(&mut self, live: &[bool]) -> Result<Vec<u32>, SnapshotError> {
        let mut counts = vec![0; live.len()];
        for (count, _) in counts.iter_mut().zip(live).filter(|(_, live)| **live) {
            // Each link takes a byte at least, in its entry.
            *count = self.count()? as u32;
        }
        Ok(counts)
    }

    /// Where each chunk of entries lies, for `slots` slots; the reader moves past them all.
    fn chunks(&mut self, slots: usize) -> Result<Vec<std::ops::Range<usize>>, SnapshotError> {
        let count = slots.div_ceil(CHUNK);
        let lengths = self.take(4 * count)?;
        let mut chunks = Vec::with_capacity(count);
        for length in lengths.chunks_exact(4) {
            let length = u32::from_le_bytes([length[0], length[1], length[2], length[3]]);
            let start = self.pos;
            self.take(length as usize)?;
            chunks.push(start..self.pos);
        }
        Ok(chunks)
    }

    fn files(&mut self, keys: usize) -> Result<(Vec<Option<FileEntry>>, Vec<u32>), SnapshotError> {
        let slots = self.slots()?;
        let mut files = Vec::with_capacity(slots.live.len());
        for &is_live in &slots.live {
            if !is_live {
                files.push(None);
                continue;
            }
            let path = self.str()?;
            let path_key: Box<str> = match self.u8()? {
                0 => ascii_key(path),
                1 => self.str()?.into(),
                _ => return Err(self.fail("a damaged file")),
            };
            files.push(Some(FileEntry {
                path: path.into(),
                path_key,
                name: self.sym(keys)?,
            }));
        }
        Ok((files, slots.free))
    }

    /// The entry of note `slot`, holding `note`.
    fn entry(
        &mut self,
        slot: usize,
        note: Arc<NoteCell>,
        t: &Tables<'_>,
    ) -> Result<Entry, SnapshotError> {
        let flags = self.u8()?;
        if flags & !ENTRY_FLAGS != 0 {
            return Err(self.fail("a damaged note entry"));
        }
        let on = |bit: u8| flags & bit != 0;
        let path_text = self.str()?;
        let path: Arc<str> = Arc::from(path_text);
        let path_key = if on(OWN_PATH_KEY) {
            self.str()?.into()
        } else {
            ascii_key(name::strip_md(path_text))
        };
        let folder = self.sym(t.folders)?;
        let mut optional = |bit: u8, len: usize| on(bit).then(|| self.sym(len)).transpose();
        let name = optional(HAS_NAME, t.keys)?;
        let class = optional(HAS_CLASS, t.classes)?;
        let id_key = optional(HAS_ID, t.ids)?;
        let meta = FileMeta {
            size: self.varint()?,
            mtime: self.signed()?,
            ctime: self.signed()?,
        };
        let n = t.link_counts[slot] as usize;
        if n > self.remaining() {
            return Err(self.truncated());
        }
        let mut targets = Vec::with_capacity(n);
        for _ in 0..n {
            targets.push(self.target(t.live, t.files)?);
        }
        let n = self.count()?;
        let mut link_keys = Vec::with_capacity(n);
        for _ in 0..n {
            link_keys.push(self.sym(t.keys)?);
        }
        let alias_keys = self.keys_of_note()?;
        let tag_keys = self.keys_of_note()?;
        let n = self.count()?;
        let mut backlinks = Vec::with_capacity(n);
        for _ in 0..n {
            let source = self.note_id(t.live)?;
            let link = self.u32()?;
            if link >= t.link_counts[source.0 as usize] {
                return Err(self.fail("a backlink from a link its source does not have"));
            }
            backlinks.push((source, link));
        }
        Ok(Entry {
            path,
            path_key,
            folder,
            name,
            note,
            meta,
            excluded: on(EXCLUDED),
            class,
            targets: targets.into_boxed_slice(),
            link_keys: link_keys.into_boxed_slice(),
            backlinks,
            id_key,
            alias_keys,
            tag_keys,
        })
    }

    #[inline]
    fn target(&mut self, live: &[bool], files: usize) -> Result<Target, SnapshotError> {
        let n = self.varint()?;
        let high = n >> 3;
        Ok(match n & 7 {
            TARGET_NOTE => match u32::try_from(high) {
                Ok(id) => Target::Note(self.live_note(id, live)?),
                Err(_) => return Err(self.fail("a number too large")),
            },
            TARGET_FILE if high < files as u64 => Target::File(FileId(high as u32)),
            TARGET_DANGLING if high == 0 => Target::Dangling,
            TARGET_EMPTY if high == 0 => Target::Empty,
            TARGET_AMBIGUOUS if high <= self.remaining() as u64 => {
                let mut ids = Vec::with_capacity(high as usize);
                for _ in 0..high {
                    ids.push(self.note_id(live)?);
                }
                Target::Ambiguous(Box::new(ids))
            }
            _ => return Err(self.fail("a damaged link target")),
        })
    }

    /// An entry's alias or tag keys.
    fn keys_of_note(&mut self) -> Result<Box<[Box<str>]>, SnapshotError> {
        let n = self.count()?;
        let mut keys = Vec::with_capacity(n);
        for _ in 0..n {
            keys.push(Box::from(self.str()?));
        }
        Ok(keys.into_boxed_slice())
    }

    fn sym_lists(&mut self, live: &[bool]) -> Result<SymLists<NoteId>, SnapshotError> {
        let n = self.count()?;
        let mut lists = Vec::with_capacity(n);
        for _ in 0..n {
            let m = self.count()?;
            // A list of up to four stays inline; a longer one gets exactly its size.
            let mut list = SmallVec::with_capacity(m);
            for _ in 0..m {
                list.push(self.note_id(live)?);
            }
            lists.push(list);
        }
        Ok(SymLists::from_lists(lists))
    }

    fn sym_map<T>(
        &mut self,
        keys: usize,
        mut item: impl FnMut(&mut Self) -> Result<T, SnapshotError>,
    ) -> Result<FxHashMap<Sym, Vec<T>>, SnapshotError> {
        let n = self.count()?;
        let mut map = FxHashMap::default();
        map.reserve(n);
        for _ in 0..n {
            let sym = self.sym(keys)?;
            let m = self.count()?;
            let mut list = Vec::with_capacity(m);
            for _ in 0..m {
                list.push(item(self)?);
            }
            if map.insert(sym, list).is_some() {
                return Err(self.fail("a key listed twice"));
            }
        }
        Ok(map)
    }

    /// Notes by alias (or tag), as [`Writer::key_lists`] wrote them.
    fn key_lists(
        &mut self,
        live: &[bool],
    ) -> Result<FxHashMap<Box<str>, Vec<NoteId>>, SnapshotError> {
        let n = self.count()?;
        let mut map = FxHashMap::default();
        map.reserve(n);
        for _ in 0..n {
            let key = Box::from(self.str()?);
            let m = self.count()?;
            let mut list = Vec::with_capacity(m);
            for _ in 0..m {
                list.push(self.note_id(live)?);
            }
            if map.insert(key, list).is_some() {
                return Err(self.fail("a key listed twice"));
            }
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;
    use std::sync::Arc;

    use attune_syntax::parse_note;

    use super::*;
    use crate::input::{Change, NoteInput};

    /// Every part of the index, exactly: lists in their order, maps sorted by key, notes by
    /// the address of their cell (never read).
    fn dump(index: &Index) -> String {
        let mut out = String::new();
        let mut facts: Vec<_> = index.facts.iter().collect();
        facts.sort_by_key(|&(c, f, _)| (c, f));
        let _ = writeln!(out, "facts {facts:?}");
        for (what, interner) in [
            ("classes", &index.classes),
            ("keys", &index.keys),
            ("folders", &index.folders),
            ("ids", &index.fields.ids),
        ] {
            let _ = writeln!(out, "{what} {:?}", interner.parts());
        }
        let mut relations: Vec<_> = index
            .relations
            .iter()
            .flat_map(|(c, fs)| fs.iter().map(move |(f, r)| (c, f, r)))
            .map(|(c, f, r)| {
                format!(
                    "{c:?} {f:?} {:?} {:?} {:?}",
                    r.targets, r.inverse, r.chosen_by
                )
            })
            .collect();
        relations.sort();
        let _ = writeln!(out, "relations {relations:?}");
        for (slot, entry) in index.entries.iter().enumerate() {
            let Some(e) = entry else {
                let _ = writeln!(out, "slot {slot}: empty");
                continue;
            };
            let _ = writeln!(
                out,
                "slot {slot}: {:?} {:?} {:?} {:?} note@{:p} {:?} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                e.path,
                e.path_key,
                e.folder,
                e.name,
                Arc::as_ptr(&e.note),
                e.meta,
                e.excluded,
                e.class,
                e.targets,
                e.link_keys,
                e.backlinks,
                e.id_key,
                e.alias_keys,
                e.tag_keys,
            );
        }
        let _ = writeln!(out, "free {:?} file_free {:?}", index.free, index.file_free);
        let mut by_path: Vec<_> = index.by_path.iter().collect();
        by_path.sort();
        let _ = writeln!(out, "by_path {by_path:?}");
        let _ = writeln!(out, "sorted {:?}", index.sorted);
        for (what, lists) in [
            ("by_name", &index.by_name),
            ("dependents", &index.dependents),
            ("by_id", &index.fields.by_id),
        ] {
            let lists: Vec<&[NoteId]> = lists.lists().collect();
            let _ = writeln!(out, "{what} {lists:?}");
        }
        fn sorted<K: Ord + fmt::Debug, V: fmt::Debug>(map: &FxHashMap<K, V>) -> String {
            let mut all: Vec<_> = map.iter().collect();
            all.sort_by(|a, b| a.0.cmp(b.0));
            format!("{all:?}")
        }
        let _ = writeln!(out, "excluded_by_name {}", sorted(&index.excluded_by_name));
        let _ = writeln!(out, "by_alias {}", sorted(&index.fields.by_alias));
        let _ = writeln!(out, "by_tag {}", sorted(&index.fields.by_tag));
        let _ = writeln!(out, "files {:?}", index.files);
        let _ = writeln!(out, "files_by_path {}", sorted(&index.files_by_path));
        let _ = writeln!(out, "files_by_name {}", sorted(&index.files_by_name));
        out
    }

    fn input(path: &str, class: Option<&str>, text: &str) -> NoteInput {
        let mut input = NoteInput::new(path, parse_note(text.as_bytes()))
            .excluded(path.starts_with("Meta/"))
            .with_meta(FileMeta {
                size: text.len() as u64,
                mtime: 1_751_291_324_429,
                ctime: -5,
            });
        input.class = class.map(str::to_owned);
        input
    }

    fn facts() -> ClassFacts {
        let mut facts = ClassFacts::new();
        facts.add_relation("emotion", "wounds", ["wound"], Some("emotions"));
        facts.add_relation("wound", "emotions", ["emotion"], Some("wounds"));
        facts.add_relation("need", "threatened_by", ["emotion", "wound"], None);
        facts.set_chosen_by("need", "threatened_by", "group");
        facts
    }

    /// A small vault with every kind of link, then changes that leave free slots.
    fn vault() -> Index {
        let notes = vec![
            input(
                "A/Joy.md",
                Some("emotion"),
                "---\nid: 17\naliases: [Glad, Happy]\ntags: [t/sub, u]\nwounds: [\"[[Shame]]\"]\n---\n[[Shame]] [[A/Shame]] [[Shame#h|x]] ![[photo.png]] [[#top]] [[]] [[Nowhere]] [[./Shame]] [[../B/Shame]] [[Trigger]]\n",
            ),
            input("A/Shame.md", Some("emotion"), "---\nid: 17\n---\n[[Joy]]"),
            input(
                "B/Shame.md",
                Some("wound"),
                "---\nemotions: [\"[[Joy]]\"]\n---\n",
            ),
            input("C/Shame.md", None, "#u [[Shame]]"),
            input(
                "Need.md",
                Some("need"),
                "---\nthreatened_by: [\"[[Shame]]\"]\ngroup: B\naliases: [Glad]\n---\n",
            ),
            input("Café.md", None, "[[CAFE\u{301}]] [[🏛 Foundations]]"),
            input("🏛️ Foundations.md", None, ""),
            input("Loose.md", None, "[[Shame]] [[B/Shame]] [[Doc.pdf]]"),
            input("Émotions/Ärger.md", None, "[[A/Joy]]"),
            input("Meta/Trigger.md", None, "[[Joy]]"),
            input("Meta/Joy.md", None, ""),
            input("Gone.md", None, "[[Joy]]"),
            input("Gone2.md", None, "[[Shame]]"),
        ];
        let files = vec!["media/photo.png".to_owned(), "Doc.PDF".to_owned()];
        let mut index = Index::build(notes, files, facts());
        for change in [
            Change::Deleted("Gone.md".into()),
            Change::Deleted("Gone2.md".into()),
            Change::Deleted("C/Shame.md".into()),
            Change::Created(input("New.md", None, "[[Gone]] [[Doc.PDF]]")),
            Change::FileCreated("x/photo.png".into()),
            Change::FileDeleted("media/photo.png".into()),
        ] {
            index.apply(change);
        }
        index
    }

    fn round_trip(index: &Index) -> Index {
        let mut bytes = Vec::new();
        index.encode(&mut bytes);
        let notes: Vec<Option<Arc<NoteCell>>> = index
            .entries
            .iter()
            .map(|e| e.as_ref().map(|e| e.note.clone()))
            .collect();
        Index::decode(&bytes, &mut |slot| {
            notes[slot as usize].clone().expect("asked only for notes")
        })
        .expect("decodes")
    }

    #[test]
    fn a_decoded_index_is_the_encoded_one_part_by_part_and_after_changes() {
        let mut original = vault();
        assert!(!original.free.is_empty() && !original.file_free.is_empty());
        let mut decoded = round_trip(&original);
        let before = dump(&original);
        for kind in [
            "Note(",
            "File(",
            "Dangling",
            "Empty",
            "Ambiguous(",
            "(\"glad\", [",
        ] {
            assert!(before.contains(kind), "the vault has {kind}");
        }
        assert_eq!(dump(&decoded), before);
        assert_ne!(decoded.keys_memo.0, original.keys_memo.0);
        for change in [
            Change::Created(input("Gone.md", Some("wound"), "[[Shame]]")),
            Change::Modified(input("A/Shame.md", Some("wound"), "[[Joy]] #t")),
            Change::Renamed {
                from: "New.md".into(),
                to: input("B/New.md", None, "[[Glad]]"),
            },
            Change::Deleted("B/Shame.md".into()),
            Change::FileDeleted("x/photo.png".into()),
            Change::FileCreated("media/photo.png".into()),
            Change::Created(input("Extra.md", None, "[[Extra]] [[A/Joy]]")),
        ] {
            original.apply(change.clone());
            decoded.apply(change);
            assert_eq!(dump(&decoded), dump(&original));
        }
        assert_eq!(dump(&round_trip(&decoded)), dump(&original));
    }

    /// `bytes` with its checksum made to fit again: damage the checksum does not see.
    fn reseal(mut bytes: Vec<u8>) -> Vec<u8> {
        if bytes.len() >= 8 {
            bytes.truncate(bytes.len() - 8);
        }
        let sum = checksum(&bytes);
        bytes.extend_from_slice(&sum.to_le_bytes());
        bytes
    }

    /// Bytes that pass the checksum but were cut or changed: an error, or an index whose
    /// numbers all check out, never a panic.
    #[test]
    fn damage_behind_the_checksum_never_panics_the_decode() {
        let index = vault();
        let mut bytes = Vec::new();
        index.encode(&mut bytes);
        let cells: Vec<Option<Arc<NoteCell>>> = index
            .entries
            .iter()
            .map(|e| e.as_ref().map(|e| e.note.clone()))
            .collect();
        let decode = |bytes: &[u8]| {
            Index::decode(bytes, &mut |slot| {
                cells
                    .get(slot as usize)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| NoteCell::ready(parse_note(b"")))
            })
        };
        assert!(decode(&reseal(bytes.clone())).is_ok());
        for len in 0..bytes.len() - 8 {
            let cut = reseal(bytes[..len].to_vec());
            assert!(decode(&cut).is_err(), "cut at {len}");
        }
        let mut sound = 0;
        for at in 12..bytes.len() - 8 {
            for flip in [0x01, 0x02, 0x10, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                if let Ok(decoded) = decode(&reseal(damaged)) {
                    sound += 1;
                    let _ = dump(&decoded);
                    let _ = decoded.len() + decoded.notes().count();
                }
            }
        }
        assert!(sound > 0, "some damage reads as another index");
        // Several chunks of entries: damage to their table or across their bounds.
        let notes = (0..2500)
            .map(|i| {
                input(
                    &format!("F{}/N{i}.md", i % 3),
                    None,
                    &format!("[[N{}]]", i / 2),
                )
            })
            .collect();
        let big = Index::build(notes, Vec::new(), facts());
        let mut bytes = Vec::new();
        big.encode(&mut bytes);
        let cells: Vec<Arc<NoteCell>> = big
            .entries
            .iter()
            .flatten()
            .map(|e| e.note.clone())
            .collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..150 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut damaged = bytes.clone();
            let at = 12 + seed as usize % (bytes.len() - 20);
            damaged[at] ^= (seed >> 32) as u8 | 1;
            let decoded = Index::decode(&reseal(damaged), &mut |slot| {
                cells
                    .get(slot as usize)
                    .cloned()
                    .unwrap_or_else(|| NoteCell::ready(parse_note(b"")))
            });
            if let Ok(decoded) = decoded {
                let _ = dump(&decoded);
            }
        }
    }

    #[test]
    fn a_change_to_any_one_word_changes_the_checksum() {
        let bytes: Vec<u8> = (0..100u8).collect();
        let sum = checksum(&bytes);
        for at in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 0x40;
            assert_ne!(checksum(&changed), sum, "byte {at}");
        }
        assert_ne!(checksum(&bytes[..99]), sum);
        assert_ne!(checksum(&[0; 3]), checksum(&[0; 4]), "the length counts");
    }

    #[test]
    fn an_empty_index_round_trips() {
        let index = Index::new(ClassFacts::new());
        assert_eq!(dump(&round_trip(&index)), dump(&index));
    }
}
