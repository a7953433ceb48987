//! Where the index's memory goes, for the engine's `census` example: each part's count and
//! bytes (struct sizes times counts plus the heap behind them, lists by capacity; hash maps
//! by their capacity times the entry size plus one control byte per slot).

use std::mem::size_of;

use crate::hash::FxHashMap;
use crate::index::{Entry, Index};

/// One line of [`Index::census`]: what, how many, bytes.
pub type CensusRow = (&'static str, u64, u64);

fn map<K, V>(what: &'static str, m: &FxHashMap<K, V>, heap: impl Fn(&K, &V) -> usize) -> CensusRow {
    let slots = m.capacity() * (size_of::<(K, V)>() + 1);
    let heap: usize = m.iter().map(|(k, v)| heap(k, v)).sum();
    (what, m.len() as u64, (slots + heap) as u64)
}

fn vec_heap<T>(v: &Vec<T>) -> usize {
    v.capacity() * size_of::<T>()
}

fn slice_heap<T>(v: &[T]) -> usize {
    size_of_val(v)
}

impl Index {
    /// The index's memory by part (see the module comment for how it is counted). The notes
    /// themselves are not included: entries hold them by `Arc`.
    pub fn census(&self) -> Vec<CensusRow> {
        let live: Vec<&Entry> = self.entries.iter().flatten().collect();
        let n = live.len() as u64;
        let sum = |f: &dyn Fn(&Entry) -> usize| live.iter().map(|e| f(e)).sum::<usize>() as u64;
        vec![
            (
                "entries (slots)",
                self.entries.len() as u64,
                (self.entries.capacity() * size_of::<Option<Entry>>()) as u64,
            ),
            ("entry paths", n, sum(&|e| e.path.len() + 16)),
            ("entry path keys", n, sum(&|e| e.path_key.len())),
            ("entry targets", n, sum(&|e| slice_heap(&e.targets))),
            ("entry link keys", n, sum(&|e| slice_heap(&e.link_keys))),
            ("entry backlinks", n, sum(&|e| vec_heap(&e.backlinks))),
            (
                "entry id/alias/tag keys",
                n,
                sum(&|e| {
                    slice_heap(&e.alias_keys)
                        + e.alias_keys.iter().map(|k| k.len()).sum::<usize>()
                        + slice_heap(&e.tag_keys)
                        + e.tag_keys.iter().map(|k| k.len()).sum::<usize>()
                }),
            ),
            map("by_path", &self.by_path, |_, _| 0),
            (
                "sorted (B-tree)",
                self.sorted.len() as u64,
                (self.sorted.len() * (size_of::<(std::sync::Arc<str>, crate::NoteId)>() + 8))
                    as u64,
            ),
            (
                "by_name",
                self.by_name.len() as u64,
                self.by_name.bytes() as u64,
            ),
            map("excluded_by_name", &self.excluded_by_name, |_, v| {
                vec_heap(v)
            }),
            map("by_alias", &self.fields.by_alias, |k, v| {
                k.len() + vec_heap(v)
            }),
            (
                "by_id",
                self.fields.by_id.len() as u64,
                self.fields.by_id.bytes() as u64,
            ),
            self.fields.ids.census("ids interner"),
            map("by_tag", &self.fields.by_tag, |k, v| k.len() + vec_heap(v)),
            (
                "dependents",
                self.dependents.len() as u64,
                self.dependents.bytes() as u64,
            ),
            self.keys.census("keys interner"),
            self.folders.census("folders interner"),
            (
                "files",
                self.files.len() as u64,
                (self.files.capacity() * size_of::<Option<crate::index::FileEntry>>()) as u64
                    + self
                        .files
                        .iter()
                        .flatten()
                        .map(|f| (f.path.len() + f.path_key.len()) as u64)
                        .sum::<u64>(),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use crate::index::{Entry, Target};

    #[test]
    fn per_link_and_per_note_parts_stay_small() {
        // One `Target` per link and one `Entry` per note (see ARCHITECTURE.md, "Memory").
        assert_eq!(std::mem::size_of::<Target>(), 16);
        assert_eq!(std::mem::size_of::<Option<Entry>>(), 184);
    }
}
