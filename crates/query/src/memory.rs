//! [`MemorySource`]: an in-memory [`QuerySource`] built from `(path, Note)` pairs, with
//! Obsidian-style link resolution by name. Used by the conformance suite and by tools that
//! have no index; the engine's index replaces it.

use std::collections::{BTreeMap, HashMap};

use attune_syntax::{Note, parse_note};

use crate::source::{FieldKeys, FileStats, NameRanks, Page, QuerySource};
use crate::value::{PageId, file_title};

#[derive(Clone, Debug, Default)]
pub struct MemorySource {
    pages: Vec<Page>,
    /// Page paths by id (known before the pages are built).
    paths: Vec<String>,
    by_path: BTreeMap<String, PageId>,
    /// Lower-cased file title → pages with that title, in path order.
    by_name: HashMap<String, Vec<PageId>>,
    /// Lower-cased tag (with parents, without `#`) → pages.
    by_tag: HashMap<String, Vec<PageId>>,
    inlinks: Vec<Vec<PageId>>,
    /// Field keys of `pages`, numbered once they are built.
    keys: Option<FieldKeys>,
    /// `file.name` order of `pages`.
    name_ranks: NameRanks,
}

impl MemorySource {
    /// Parse `(path, text)` files with [`parse_note`] and index them.
    pub fn from_texts<P: AsRef<str>, T: AsRef<str>>(
        files: impl IntoIterator<Item = (P, T)>,
    ) -> MemorySource {
        MemorySource::from_notes(files.into_iter().map(|(p, t)| {
            (
                p.as_ref().to_string(),
                parse_note(t.as_ref().as_bytes()),
                FileStats::default(),
            )
        }))
    }

    /// Index parsed notes. Paths are vault-relative with extension (`ME/x/Note.md`).
    pub fn from_notes(notes: impl IntoIterator<Item = (String, Note, FileStats)>) -> MemorySource {
        let mut notes: Vec<(String, Note, FileStats)> = notes.into_iter().collect();
        notes.sort_by(|a, b| a.0.cmp(&b.0));
        notes.dedup_by(|a, b| a.0 == b.0);
        let mut source = MemorySource::default();
        for (i, (path, _, _)) in notes.iter().enumerate() {
            let id = PageId(i as u32);
            source.paths.push(path.clone());
            source.by_path.insert(path.clone(), id);
            source
                .by_name
                .entry(file_title(path).to_lowercase())
                .or_default()
                .push(id);
        }
        let mut pages = Vec::with_capacity(notes.len());
        for (path, note, stats) in &notes {
            let resolve = |target: &str| {
                source
                    .resolve_from_path(Some(path), target)
                    .and_then(|id| source.path_of(id))
                    .map(std::sync::Arc::from)
            };
            pages.push(Page::from_note(path, note, *stats, &resolve));
        }
        source.pages = pages;
        source.build_maps();
        source
    }

    /// Index ready-made pages (paths must be unique).
    pub fn from_pages(mut pages: Vec<Page>) -> MemorySource {
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        pages.dedup_by(|a, b| a.path == b.path);
        pages.iter_mut().for_each(Page::index_fields);
        let mut source = MemorySource::default();
        for (i, page) in pages.iter().enumerate() {
            let id = PageId(i as u32);
            source.paths.push(page.path.clone());
            source.by_path.insert(page.path.clone(), id);
            source
                .by_name
                .entry(file_title(&page.path).to_lowercase())
                .or_default()
                .push(id);
        }
        source.pages = pages;
        source.build_maps();
        source
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    fn build_maps(&mut self) {
        self.keys = FieldKeys::index(&mut self.pages);
        self.name_ranks = NameRanks::index(&self.pages);
        let mut inlinks = vec![Vec::new(); self.pages.len()];
        for (i, page) in self.pages.iter().enumerate() {
            let from = PageId(i as u32);
            for link in &page.outlinks {
                if let Some(to) = self.resolve_link(Some(from), &link.path) {
                    let list: &mut Vec<PageId> = &mut inlinks[to.0 as usize];
                    if list.last() != Some(&from) {
                        list.push(from);
                    }
                }
            }
            for tag in &page.tags {
                let mut tag = tag.trim_start_matches('#').to_lowercase();
                loop {
                    let list = self.by_tag.entry(tag.clone()).or_default();
                    if list.last() != Some(&from) {
                        list.push(from);
                    }
                    match tag.rfind('/') {
                        Some(cut) => tag.truncate(cut),
                        None => break,
                    }
                }
            }
        }
        self.inlinks = inlinks;
    }

    /// Obsidian's rule, simplified: an exact path (with or without `.md`), else a path ending
    /// in `/target`, else a file title; among several, the one in the linking note's folder,
    /// else the first by path.
    fn resolve_from_path(&self, from: Option<&str>, target: &str) -> Option<PageId> {
        let target = target.trim();
        if target.is_empty() {
            return None;
        }
        let with_md = if target.ends_with(".md") {
            target.to_string()
        } else {
            format!("{target}.md")
        };
        if let Some(id) = self
            .by_path
            .get(&with_md)
            .or_else(|| self.by_path.get(target))
        {
            return Some(*id);
        }
        let title = file_title(&with_md).to_lowercase();
        let candidates = self.by_name.get(&title)?;
        let suffix = format!("/{}", with_md.to_lowercase());
        let matching: Vec<PageId> = if target.contains('/') {
            candidates
                .iter()
                .copied()
                .filter(|id| {
                    self.path_of(*id)
                        .is_some_and(|p| p.to_lowercase().ends_with(&suffix))
                })
                .collect()
        } else {
            candidates.clone()
        };
        if let Some(folder) = from
            .and_then(|f| f.rsplit_once('/'))
            .map(|(folder, _)| folder)
            && let Some(id) = matching.iter().find(|id| {
                self.path_of(**id)
                    .and_then(|p| p.rsplit_once('/'))
                    .is_some_and(|(f, _)| f == folder)
            })
        {
            return Some(*id);
        }
        matching.first().copied()
    }

    fn path_of(&self, id: PageId) -> Option<&str> {
        self.paths.get(id.0 as usize).map(String::as_str)
    }
}

impl QuerySource for MemorySource {
    fn all_pages(&self) -> Vec<PageId> {
        (0..self.pages.len() as u32).map(PageId).collect()
    }

    fn page(&self, id: PageId) -> Option<&Page> {
        self.pages.get(id.0 as usize)
    }

    fn page_by_path(&self, path: &str) -> Option<PageId> {
        self.by_path.get(path).copied()
    }

    fn resolve_link(&self, from: Option<PageId>, target: &str) -> Option<PageId> {
        let from_path = from
            .and_then(|id| self.pages.get(id.0 as usize))
            .map(|p| p.path.as_str());
        self.resolve_from_path(from_path, target)
    }

    fn pages_in_folder(&self, folder: &str) -> Vec<PageId> {
        let folder = folder.trim_end_matches('/');
        if folder.is_empty() {
            return self.all_pages();
        }
        let prefix = format!("{folder}/");
        self.by_path
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .map(|(_, id)| *id)
            .collect()
    }

    fn pages_with_tag(&self, tag: &str) -> Vec<PageId> {
        self.by_tag
            .get(&tag.trim_start_matches('#').to_lowercase())
            .cloned()
            .unwrap_or_default()
    }

    fn field_keys(&self) -> Option<&FieldKeys> {
        self.keys.as_ref()
    }

    fn name_ranks(&self) -> Option<&NameRanks> {
        Some(&self.name_ranks)
    }

    fn inlinks(&self, target: PageId) -> Vec<PageId> {
        self.inlinks
            .get(target.0 as usize)
            .cloned()
            .unwrap_or_default()
    }
}
