//! Dataview queries over a loaded vault: [`VaultPages`] implements the query engine's
//! [`QuerySource`] on top of the index, so links in query results resolve exactly as
//! `attune check` and `attune show` resolve them (relation class first, then folder).

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use attune_index::{NoteId, NoteRef, Target};
use attune_query::{
    FieldColumns, FieldKeys, FileStats, Link, NameRanks, Page, PageId, QValue, QueryError,
    QueryOutput, QuerySource, RunOptions, SharedTexts, file_title,
};
use attune_syntax::LinkTarget;

use crate::Vault;

/// Pages built in parallel before they are laid out for queries (see [`VaultPages::new`]).
const PAGE_CHUNK: usize = 4096;

/// The vault's notes as Dataview pages. Built once per loaded vault (it converts every
/// note's fields), then shared by every query.
pub struct VaultPages<'v> {
    vault: &'v Vault,
    pages: Vec<Page>,
    /// Page of each index note.
    by_note: HashMap<NoteId, PageId>,
    /// Index note of each page. Pages are built from the index's path-sorted map, so page
    /// ids are in path order: sorting ids sorts by path.
    notes: Vec<NoteId>,
    /// Whether page paths are strictly increasing byte strings (checked when built), so a
    /// folder's pages are one range of ids found by binary search.
    paths_sorted: bool,
    /// `file.name` of each page, by page id, in one list (see
    /// [`QuerySource::page_name`]).
    names: Vec<QValue>,
    /// `file.link` of each page, by page id, in one list (see
    /// [`QuerySource::page_link`]): a result's File column reads these in order instead of
    /// each row's page.
    links: Vec<QValue>,
    /// Field keys of `pages`, numbered (see [`FieldKeys`]).
    keys: Option<FieldKeys>,
    /// Columns of field values, built per key as queries read them (see [`FieldColumns`]);
    /// none without `keys`.
    columns: FieldColumns,
    /// `file.name` order of `pages` (see [`NameRanks`]).
    name_ranks: NameRanks,
}

/// A file time (ms since the Unix epoch) as local civil time, as Dataview shows `file.mtime`.
pub fn local_time(ms: i64) -> Option<jiff::civil::DateTime> {
    if ms <= 0 {
        return None;
    }
    let ts = jiff::Timestamp::from_millisecond(ms).ok()?;
    Some(jiff::tz::TimeZone::system().to_datetime(ts))
}

impl<'v> VaultPages<'v> {
    pub fn new(vault: &'v Vault) -> VaultPages<'v> {
        let index = &vault.index;
        let mut pages = Vec::new();
        let mut notes = Vec::new();
        let mut by_note = HashMap::new();
        // Obsidian (and so Dataview) ignores dot-files such as the template leftovers named
        // `.md`; `attune check` still reports them.
        let visible = |path: &str| {
            !path
                .rsplit('/')
                .next()
                .is_some_and(|name| name.starts_with('.'))
        };
        let shown: Vec<_> = index
            .notes()
            .filter(|n| !n.excluded() && visible(n.path()))
            .collect();
        // Each page is built from its own note and the (read-only) index: in parallel, a
        // chunk of pages at a time, each chunk laid out for queries (`place_for_queries`:
        // equal short texts become one allocation) before the next is built, so the copies
        // sharing frees are never all alive at once (the peak, which the allocator keeps).
        let build = |note: &NoteRef<'_>| {
            // The index already resolved every link with its field's relation class; reuse
            // its answers so a query sees the same targets as `attune check`.
            // A note has a handful of links: a list (first answer per text wins) borrowing
            // the index's paths is cheaper than a map of copied paths.
            let mut resolved: Vec<(&str, &Arc<str>)> = Vec::new();
            for (link, target) in note.links() {
                if let Target::Note(id) = target
                    && let Some(t) = index.note(*id)
                {
                    resolved.push((&*link.target.target, t.shared_path()));
                }
            }
            let meta = note.meta();
            let stats = FileStats {
                size: meta.size,
                ctime: local_time(meta.ctime),
                mtime: local_time(meta.mtime),
            };
            let from = note.id();
            // Paths are the index's own (shared, not copied: a vault's links name the same
            // few thousand notes over and over).
            let resolve = |text: &str| -> Option<Arc<str>> {
                if let Some((_, p)) = resolved.iter().find(|(t, _)| *t == text) {
                    return Some(Arc::clone(p));
                }
                let target = LinkTarget::new(text.into(), None, None);
                index
                    .resolve(Some(from), &target, None)
                    .note()
                    .and_then(|id| index.note(id))
                    .map(|n| Arc::clone(n.shared_path()))
            };
            (
                from,
                Page::from_note(note.path(), note.note(), stats, &resolve),
            )
        };
        let mut texts = SharedTexts::default();
        pages.reserve(shown.len());
        for chunk in shown.chunks(PAGE_CHUNK) {
            let built: Vec<(NoteId, Page)> = chunk.par_iter().map(&build).collect();
            for (from, mut page) in built {
                page.place_for_queries(&mut texts);
                by_note.insert(from, PageId(pages.len() as u32));
                pages.push(page);
                notes.push(from);
            }
        }
        let paths_sorted = pages.windows(2).all(|w| w[0].path < w[1].path);
        let keys = FieldKeys::index(&mut pages);
        let name_ranks = NameRanks::index(&pages);
        let columns = keys.as_ref().map(FieldColumns::new).unwrap_or_default();
        // `file.name` and `file.link` of every page, each kind allocated in one run in page
        // order (the paths first, so the links lie side by side): a folder's rows read them
        // in that order, from these lists (`page_name`, `page_link`), which the pages share.
        let names: Vec<QValue> = pages
            .iter()
            .map(|p| QValue::text(file_title(&p.path)))
            .collect();
        let paths: Vec<String> = pages.iter().map(|p| p.path.clone()).collect();
        let links: Vec<QValue> = paths
            .into_iter()
            .map(|path| QValue::link(Link::file(path)))
            .collect();
        for ((page, name), link) in pages.iter_mut().zip(&names).zip(&links) {
            page.share_identity(name, link);
        }
        VaultPages {
            vault,
            pages,
            by_note,
            notes,
            paths_sorted,
            names,
            links,
            keys,
            columns,
            name_ranks,
        }
    }

    /// Run a DQL query; `this` is the vault path of the note holding it.
    pub fn run(&self, text: &str, this: Option<&str>) -> Result<QueryOutput, QueryError> {
        let options = RunOptions {
            this: this.and_then(|p| self.page_by_path(p)),
            now: None,
        };
        attune_query::query(text, self, &options)
    }

    /// Sort pages by path (page ids are assigned in path order).
    fn in_path_order(ids: &mut [PageId]) {
        ids.sort_unstable();
    }

    fn page_of(&self, id: NoteId) -> Option<PageId> {
        self.by_note.get(&id).copied()
    }
}

impl QuerySource for VaultPages<'_> {
    fn all_pages(&self) -> Vec<PageId> {
        (0..self.pages.len() as u32).map(PageId).collect()
    }

    fn page(&self, id: PageId) -> Option<&Page> {
        self.pages.get(id.0 as usize)
    }

    fn page_by_path(&self, path: &str) -> Option<PageId> {
        self.vault
            .index
            .by_path(path)
            .and_then(|id| self.page_of(id))
    }

    fn resolve_link(&self, from: Option<PageId>, target: &str) -> Option<PageId> {
        let from = from.and_then(|p| self.notes.get(p.0 as usize).copied());
        let target = LinkTarget::new(target.into(), None, None);
        self.vault
            .index
            .resolve(from, &target, None)
            .note()
            .and_then(|id| self.page_of(id))
    }

    fn pages_in_folder(&self, folder: &str) -> Vec<PageId> {
        let folder = folder.trim_matches('/');
        if folder.is_empty() {
            return self.all_pages();
        }
        // A FROM "path" may also name a single file (with or without `.md`).
        if let Some(id) = self
            .page_by_path(folder)
            .or_else(|| self.page_by_path(&format!("{folder}.md")))
        {
            return vec![id];
        }
        if self.paths_sorted {
            // Every path under `folder/` sorts after the prefix and before anything else that
            // follows it: one range of ids.
            let prefix = format!("{folder}/");
            let start = self
                .pages
                .partition_point(|p| p.path.as_str() < prefix.as_str());
            let len = self.pages[start..]
                .partition_point(|p| p.path.as_bytes().starts_with(prefix.as_bytes()));
            return (start..start + len).map(|i| PageId(i as u32)).collect();
        }
        let out: Vec<PageId> = self
            .vault
            .index
            .notes_in_folder(folder)
            .filter_map(|n| self.page_of(n.id()))
            .collect();
        // `notes_in_folder` walks the index's path-sorted map: already in path order.
        out
    }

    fn field_keys(&self) -> Option<&FieldKeys> {
        self.keys.as_ref()
    }

    fn name_ranks(&self) -> Option<&NameRanks> {
        Some(&self.name_ranks)
    }

    fn page_name(&self, id: PageId) -> Option<&QValue> {
        self.names.get(id.0 as usize)
    }

    fn page_link(&self, id: PageId) -> Option<&QValue> {
        self.links.get(id.0 as usize)
    }

    fn field_column(&self, key: u16, name: &str) -> Option<&[Option<QValue>]> {
        self.columns.column(&self.pages, key, name)
    }

    fn pages_with_tag(&self, tag: &str) -> Vec<PageId> {
        let mut out: Vec<PageId> = self
            .vault
            .index
            .by_tag(tag)
            .into_iter()
            .filter_map(|id| self.page_of(id))
            .collect();
        Self::in_path_order(&mut out);
        out
    }

    fn inlinks(&self, target: PageId) -> Vec<PageId> {
        let Some(&note) = self.notes.get(target.0 as usize) else {
            return Vec::new();
        };
        let Some(n) = self.vault.index.note(note) else {
            return Vec::new();
        };
        let mut out: Vec<PageId> = n
            .inlinks()
            .into_iter()
            .filter_map(|id| self.page_of(id))
            .collect();
        Self::in_path_order(&mut out);
        out.dedup();
        out
    }
}
