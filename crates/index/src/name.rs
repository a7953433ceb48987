//! Lookup keys for note names and paths, and the interner that turns them into [`Sym`]s.
//!
//! Obsidian matches link text to file names case-insensitively. attune also matches across
//! Unicode normalisation forms (macOS writes NFD file names, people type NFC) and ignores
//! U+FE0F, the emoji variation selector that some keyboards add and others leave out
//! (`🏛️` vs `🏛`). A key is: NFC, lower-cased, without U+FE0F.

use smallvec::SmallVec;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

const VARIATION_SELECTOR_16: char = '\u{FE0F}';

/// No character from here on changes when lower-cased (emoji, symbols, CJK extensions; a
/// test checks every one).
const NO_CASE_FROM: char = '\u{1F000}';

/// Write the lookup key of `text` into `out` (cleared first). No allocation when `out` has room.
pub fn write_key(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
        return;
    }
    // Most names are NFC already (emoji and accented letters as typed): the quick check
    // says so without composing, which is most of the cost of a key.
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else if c >= NO_CASE_FROM {
                // Emoji and the other symbols up there have no lower case: no table lookup.
                out.push(c);
            } else if c != VARIATION_SELECTOR_16 {
                out.extend(c.to_lowercase());
            }
        }
        return;
    }
    for c in text.nfc() {
        if c == VARIATION_SELECTOR_16 {
            continue;
        }
        out.extend(c.to_lowercase());
    }
}

/// The lookup key of `text` as a new string.
pub fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    write_key(text, &mut out);
    out
}

/// `path` without a final `.md` extension (case-insensitive), as Obsidian names notes.
pub fn strip_md(path: &str) -> &str {
    let n = path.len();
    if n >= 3 && path.is_char_boundary(n - 3) && path[n - 3..].eq_ignore_ascii_case(".md") {
        &path[..n - 3]
    } else {
        path
    }
}

/// The last `/`-separated segment of a path.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Everything before the last `/` (`""` for a file at the vault root).
pub fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// An interned lookup key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub(crate) u32);

/// Interns keys. Keys are never removed: a dangling name stays interned after its last link goes,
/// which costs a few bytes and keeps every [`Sym`] valid.
///
/// Each key's text is kept once, in one string of all keys one after the other; the table
/// holds only symbols and finds a key's symbol by its hash, comparing texts in that string.
/// (A map from boxed keys plus a list of them held every key twice, in two allocations of
/// its own: 10.1 MB for the 97,000 link keys of the 100k-note vault.)
#[derive(Clone, Default)]
pub struct Interner {
    /// Every key's text, in symbol order.
    text: String,
    /// Where each key ends in `text` (it starts where the one before ends).
    ends: Vec<u32>,
    table: hashbrown::HashTable<Sym>,
}

fn key_hash(key: &str) -> u64 {
    use std::hash::BuildHasher;
    std::hash::BuildHasherDefault::<crate::hash::FxHasher>::default().hash_one(key)
}

/// Where the text of `sym` lies in an [`Interner`]'s `text`.
#[inline]
fn key_range(ends: &[u32], sym: Sym) -> std::ops::Range<usize> {
    let i = sym.0 as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    start..ends[i] as usize
}

/// The text of `sym` in an [`Interner`]'s parts.
fn key_text<'a>(text: &'a str, ends: &[u32], sym: Sym) -> &'a str {
    &text[key_range(ends, sym)]
}

impl Interner {
    /// `sym`'s key is `key` (compared as bytes: no character boundaries to check).
    #[inline]
    fn is(&self, sym: Sym, key: &str) -> bool {
        self.text.as_bytes().get(key_range(&self.ends, sym)) == Some(key.as_bytes())
    }

    pub fn get(&self, key: &str) -> Option<Sym> {
        self.table
            .find(key_hash(key), |&s| self.is(s, key))
            .copied()
    }

    pub fn intern(&mut self, key: &str) -> Sym {
        let hash = key_hash(key);
        if let Some(&sym) = self.table.find(hash, |&s| self.is(s, key)) {
            return sym;
        }
        let sym = Sym(self.ends.len() as u32);
        self.text.push_str(key);
        self.ends
            .push(u32::try_from(self.text.len()).expect("interned keys stay under 4 GiB in all"));
        let (text, ends) = (&self.text, &self.ends);
        self.table
            .insert_unique(hash, sym, |&s| key_hash(key_text(text, ends, s)));
        sym
    }

    /// Room for `keys` more keys of `bytes` bytes in all, so interning them does not grow
    /// (and rehash) the table step by step.
    pub fn reserve(&mut self, keys: usize, bytes: usize) {
        self.text.reserve(bytes);
        self.ends.reserve(keys);
        let (text, ends) = (&self.text, &self.ends);
        self.table
            .reserve(keys, |&s| key_hash(key_text(text, ends, s)));
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        key_text(&self.text, &self.ends, sym)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// This interner's memory, for [`crate::Index::census`].
    pub(crate) fn census(&self, what: &'static str) -> crate::census::CensusRow {
        let bytes = self.text.capacity()
            + self.ends.capacity() * std::mem::size_of::<u32>()
            + self.table.capacity() * (std::mem::size_of::<Sym>() + 1);
        (what, self.len() as u64, bytes as u64)
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every key's text one after the other, and where each ends: all an interner holds
    /// apart from its table, which [`Interner::from_parts`] rebuilds (the index's snapshot).
    pub(crate) fn parts(&self) -> (&str, &[u32]) {
        (&self.text, &self.ends)
    }

    /// The interner whose [`Interner::parts`] these are: the text and ends are taken as
    /// they are (no copy, no growing) and only the table is filled, sized once. Errors when
    /// an end goes back, past the text or into a character, when the last key does not end
    /// the text, or when a key comes twice.
    pub(crate) fn from_parts(text: String, ends: Vec<u32>) -> Result<Interner, &'static str> {
        let mut start = 0;
        for &end in &ends {
            let end = end as usize;
            if end < start || !text.is_char_boundary(end) {
                return Err("a key of the table ends out of place");
            }
            start = end;
        }
        if start != text.len() {
            return Err("the table's text does not end with its last key");
        }
        let mut table = hashbrown::HashTable::with_capacity(ends.len());
        for i in 0..ends.len() {
            let sym = Sym(i as u32);
            let key = key_text(&text, &ends, sym);
            let found = table.entry(
                key_hash(key),
                |&s| key_text(&text, &ends, s) == key,
                |&s| key_hash(key_text(&text, &ends, s)),
            );
            match found {
                hashbrown::hash_table::Entry::Occupied(_) => {
                    return Err("a key comes twice in the table");
                }
                hashbrown::hash_table::Entry::Vacant(slot) => {
                    slot.insert(sym);
                }
            }
        }
        Ok(Interner { text, ends, table })
    }
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries((0..self.len()).map(|i| self.resolve(Sym(i as u32))))
            .finish()
    }
}

/// The number an [`crate::Index`] writes its [`attune_syntax::NameMemo`]s under: what a link
/// target's name is in the index's table of keys. Every value is a new number, a clone's
/// too (a clone's table of keys goes its own way from then on, and must not read the
/// original's memos). Numbers start at 1; once all 2³² − 1 are used, 0 (no memo at all).
#[derive(Debug)]
pub(crate) struct MemoOwner(pub(crate) u32);

impl Default for MemoOwner {
    fn default() -> Self {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let id = NEXT.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_add(1));
        MemoOwner(id.unwrap_or(0))
    }
}

impl Clone for MemoOwner {
    fn clone(&self) -> Self {
        MemoOwner::default()
    }
}

/// Lists of note ids by [`Sym`], in a plain vector indexed by the symbol (symbols are dense,
/// from 0): reading a name's notes while resolving half a million links is one memory read,
/// where a hash map needs its control bytes, its bucket and then the list. A list of up to
/// four ids lies in the vector itself (nearly every name has one note): no allocation of
/// its own, and no second read to reach it.
#[derive(Clone, Debug)]
pub struct SymLists<T: Copy> {
    lists: Vec<SmallVec<[T; 4]>>,
}

impl<T: Copy> Default for SymLists<T> {
    fn default() -> Self {
        SymLists { lists: Vec::new() }
    }
}

impl<T: Copy + PartialEq> SymLists<T> {
    /// The list of `sym`; `None` when it is empty.
    pub fn get(&self, sym: &Sym) -> Option<&[T]> {
        self.lists
            .get(sym.0 as usize)
            .filter(|l| !l.is_empty())
            .map(|l| l.as_slice())
    }

    /// Add `id` to the list of `sym`.
    pub fn push(&mut self, sym: Sym, id: T) {
        let i = sym.0 as usize;
        if i >= self.lists.len() {
            self.lists.resize_with(i + 1, SmallVec::new);
        }
        self.lists[i].push(id);
    }

    /// Remove `id` from the list of `sym`.
    pub fn remove(&mut self, sym: &Sym, id: T) {
        if let Some(list) = self.lists.get_mut(sym.0 as usize) {
            list.retain(|x| *x != id);
            if list.is_empty() {
                *list = SmallVec::new();
            }
        }
    }

    /// Add every `(sym, id)` pair, sorted by symbol: each symbol's run is appended in one
    /// step, so a list that was empty gets exactly its size.
    pub fn extend_sorted(&mut self, pairs: Vec<(Sym, T)>) {
        for run in pairs.chunk_by(|a, b| a.0 == b.0) {
            let i = run[0].0.0 as usize;
            if i >= self.lists.len() {
                self.lists.resize_with(i + 1, SmallVec::new);
            }
            let list = &mut self.lists[i];
            list.reserve_exact(run.len());
            list.extend(run.iter().map(|&(_, id)| id));
        }
    }

    /// Room for symbols below `n` without growing.
    pub fn reserve_syms(&mut self, n: usize) {
        self.lists.reserve(n.saturating_sub(self.lists.len()));
    }

    /// Every symbol's list, from symbol 0 on (empty ones too): what [`SymLists::from_lists`]
    /// takes back (the index's snapshot).
    pub(crate) fn lists(&self) -> impl ExactSizeIterator<Item = &[T]> {
        self.lists.iter().map(|l| l.as_slice())
    }

    /// Lists made elsewhere, the one at `i` for symbol `i`.
    pub(crate) fn from_lists(lists: Vec<SmallVec<[T; 4]>>) -> SymLists<T> {
        SymLists { lists }
    }

    /// Symbols with a non-empty list.
    pub fn len(&self) -> usize {
        self.lists.iter().filter(|l| !l.is_empty()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held: the vector of lists and each spilled list's capacity.
    pub(crate) fn bytes(&self) -> usize {
        self.lists.capacity() * std::mem::size_of::<SmallVec<[T; 4]>>()
            + self
                .lists
                .iter()
                .filter(|l| l.spilled())
                .map(|l| l.capacity() * std::mem::size_of::<T>())
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interner_keeps_each_key_once_and_finds_it() {
        let mut interner = Interner::default();
        let keys: Vec<String> = ["", "a", "ä", "folder/note", "🧪 lab"]
            .into_iter()
            .map(str::to_owned)
            .chain((0..5000).map(|i| format!("note {i}")))
            .collect();
        let syms: Vec<Sym> = keys.iter().map(|k| interner.intern(k)).collect();
        assert_eq!(interner.len(), keys.len());
        for (key, &sym) in keys.iter().zip(&syms) {
            assert_eq!(
                interner.intern(key),
                sym,
                "interning again gives the same symbol"
            );
            assert_eq!(interner.get(key), Some(sym));
            assert_eq!(interner.resolve(sym), key);
        }
        assert_eq!(interner.len(), keys.len());
        assert_eq!(interner.get("note 5000"), None);
        assert_eq!(interner.get("Note 1"), None, "keys are compared as given");
        let text: usize = keys.iter().map(String::len).sum();
        assert_eq!(interner.text.len(), text, "each key's text is stored once");
    }

    #[test]
    fn a_reserved_interner_interns_as_before() {
        let mut interner = Interner::default();
        let early = interner.intern("early");
        interner.reserve(3, 20);
        let syms: Vec<Sym> = ["a", "bb", "early", "ccc", "dddd"]
            .iter()
            .map(|k| interner.intern(k))
            .collect();
        assert_eq!(syms[2], early);
        assert_eq!(interner.len(), 5);
        for (k, s) in ["a", "bb", "early", "ccc", "dddd"].iter().zip(&syms) {
            assert_eq!(interner.get(k), Some(*s));
            assert_eq!(interner.resolve(*s), *k);
        }
    }

    #[test]
    fn sym_lists_extended_in_bulk_equal_lists_pushed_one_by_one() {
        let pairs = [
            (1u32, 10u32),
            (1, 11),
            (4, 7),
            (9, 1),
            (9, 2),
            (9, 3),
            (9, 4),
            (9, 5),
            (9, 6),
        ];
        let mut pushed = SymLists::default();
        let mut bulk = SymLists::default();
        pushed.push(Sym(4), 6);
        bulk.push(Sym(4), 6);
        for &(s, id) in &pairs {
            pushed.push(Sym(s), id);
        }
        bulk.extend_sorted(pairs.iter().map(|&(s, id)| (Sym(s), id)).collect());
        for s in 0..12 {
            assert_eq!(bulk.get(&Sym(s)), pushed.get(&Sym(s)), "symbol {s}");
        }
        assert!(!bulk.lists[1].spilled(), "two ids stay in place");
        assert_eq!(bulk.lists[9].capacity(), 6, "more than four: exact size");
        assert_eq!(bulk.len(), 3);
    }

    #[test]
    fn keys_fold_case_normalisation_and_variation_selector() {
        assert_eq!(key("Shame"), "shame");
        assert_eq!(key("🏛️ Foundations"), key("🏛 Foundations"));
        // NFD "é" (e + combining acute) and NFC "é" meet.
        assert_eq!(key("Caf\u{65}\u{301}"), key("Caf\u{e9}"));
        assert_eq!(key("ÉMOTION"), "émotion");
        assert_ne!(key("Shame"), key("Shame2"));
    }

    #[test]
    fn nothing_from_no_case_from_on_has_a_lower_case() {
        for c in (NO_CASE_FROM as u32..=char::MAX as u32).filter_map(char::from_u32) {
            assert!(c.to_lowercase().eq([c]), "{c:?} has a lower case");
        }
    }

    proptest::proptest! {
        /// The quick-check shortcut gives the key the full composition gives.
        #[test]
        fn shortcut_keys_equal_composed_keys(
            text in "[aAéÉe\u{301}\u{308}Å\u{30A}🏛\u{FE0F}가\u{1100}\u{1161}İ ẞ/.]{0,8}"
        ) {
            let composed: String = text
                .nfc()
                .filter(|c| *c != VARIATION_SELECTOR_16)
                .flat_map(char::to_lowercase)
                .collect();
            proptest::prop_assert_eq!(key(&text), composed);
        }
    }

    #[test]
    fn strip_md_only_strips_the_extension() {
        assert_eq!(strip_md("a/B.md"), "a/B");
        assert_eq!(strip_md("a/B.MD"), "a/B");
        assert_eq!(strip_md("a/B.mdx"), "a/B.mdx");
        assert_eq!(strip_md(".md"), "");
        assert_eq!(strip_md("md"), "md");
        assert_eq!(strip_md("é.md"), "é");
    }

    #[test]
    fn folder_and_file_name() {
        assert_eq!(folder("ME/a/b.md"), "ME/a");
        assert_eq!(folder("b.md"), "");
        assert_eq!(file_name("ME/a/b.md"), "b.md");
    }
}
