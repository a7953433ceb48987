//! `attune stats`: what a vault holds, counted.

use std::collections::BTreeMap;

use attune_syntax::markdown::LinkPlace;

use crate::Vault;

/// Counts for one top-level folder (or `.` for notes at the vault root).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderStats {
    pub notes: usize,
    /// Notes with a `fileClass` key.
    pub typed: usize,
    /// Notes with content but no `fileClass` key.
    pub untyped: usize,
    pub empty_stubs: usize,
}

/// Link counts over the indexed notes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkStats {
    pub total: usize,
    pub in_frontmatter: usize,
    pub in_body: usize,
    pub embeds: usize,
    /// `[[]]`
    pub empty: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Markdown files read, excluded folders included.
    pub files: usize,
    /// Markdown files under excluded folders (`Meta/`): schemas and option lists.
    pub excluded: usize,
    pub other_files: usize,
    /// Per top-level folder, over indexed notes.
    pub folders: BTreeMap<String, FolderStats>,
    pub totals: FolderStats,
    pub links: LinkStats,
    pub query_blocks: usize,
}

/// Count what `vault` holds.
pub fn compute(vault: &Vault) -> Stats {
    let mut stats = Stats {
        files: vault.notes.len(),
        excluded: vault.notes.iter().filter(|n| n.meta.excluded).count(),
        other_files: vault.other_files.len(),
        ..Stats::default()
    };
    for n in vault.indexed_notes() {
        let path = n.path();
        let top = path.split_once('/').map_or(".", |(top, _)| top);
        // A folder's key is allocated once, when it is first seen, not once per note.
        if !stats.folders.contains_key(top) {
            stats.folders.insert(top.to_owned(), FolderStats::default());
        }
        let folder = stats
            .folders
            .get_mut(top)
            .expect("the folder was inserted above");
        for f in [&mut *folder, &mut stats.totals] {
            f.notes += 1;
            if n.is_empty_stub() {
                f.empty_stubs += 1;
            } else if n.declared_file_class().is_some() {
                f.typed += 1;
            } else {
                f.untyped += 1;
            }
        }
        for link in &n.note.links {
            stats.links.total += 1;
            match link.place {
                LinkPlace::Frontmatter { .. } => stats.links.in_frontmatter += 1,
                LinkPlace::Body => stats.links.in_body += 1,
            }
            stats.links.embeds += usize::from(link.embed);
            stats.links.empty += usize::from(link.target.target.is_empty());
        }
        stats.query_blocks += n.note.query_blocks().len();
    }
    stats
}
