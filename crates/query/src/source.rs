//! The data interface between a vault model and the query engine: [`QuerySource`] (what the
//! index implements) and [`Page`] (what Dataview knows about one note), with the conversions
//! from a parsed [`attune_syntax::Note`] that follow Dataview's indexing rules.
//!
//! Dataview docs: "Metadata on Pages" (implicit `file.*` fields), "Adding Metadata" (field
//! name normalisation: `Energy Mood` is also `energy-mood`), "Types of Metadata" (which text
//! becomes a date, a duration or a link). Source: `data-import/markdown-file.ts`.

use std::sync::Arc;

use attune_syntax::Note;
use attune_syntax::Value;
use jiff::civil::{Date, DateTime};

use crate::collation::{KeyArena, TextKey, compare_text};
use crate::lexer::is_emoji;
use crate::time::{number_prefix, parse_date, parse_duration};
use crate::value::{Link, LinkKind, PageId, QValue, file_title};
use rustc_hash::FxHashMap;

/// Where pages come from. The index implements this; [`crate::MemorySource`] is a small
/// in-memory implementation for tests and tools.
///
/// Only `all_pages`, `page`, `page_by_path` and `resolve_link` are required; the others have
/// scanning defaults and exist so an index can answer FROM sources from its own maps (a
/// single-folder query over 100,000 notes must not scan them all). `Sync`: long WHERE and
/// TABLE steps read pages from several threads.
pub trait QuerySource: Sync {
    /// Every page, in a stable order (path order preferred).
    fn all_pages(&self) -> Vec<PageId>;
    fn page(&self, id: PageId) -> Option<&Page>;
    /// The page at this vault path (`ME/x/Note.md`).
    fn page_by_path(&self, path: &str) -> Option<PageId>;
    /// The page a link target (`Note`, `folder/Note`, `Note.md`; no `#` or `|` part) means
    /// when written in page `from` (`None`: from the vault root).
    fn resolve_link(&self, from: Option<PageId>, target: &str) -> Option<PageId>;

    /// Pages under `folder` and its subfolders (`""`: all pages).
    fn pages_in_folder(&self, folder: &str) -> Vec<PageId> {
        let prefix = format!("{}/", folder.trim_end_matches('/'));
        self.all_pages()
            .into_iter()
            .filter(|id| {
                folder.is_empty() || self.page(*id).is_some_and(|p| p.path.starts_with(&prefix))
            })
            .collect()
    }
    /// Pages carrying `tag` (without `#`, any case) or a nested tag under it (`tag/sub`).
    fn pages_with_tag(&self, tag: &str) -> Vec<PageId> {
        let wanted = format!("#{}", tag.to_lowercase());
        self.all_pages()
            .into_iter()
            .filter(|id| {
                self.page(*id).is_some_and(|p| {
                    p.tags.iter().any(|t| {
                        let t = t.to_lowercase();
                        t == wanted || t.starts_with(&format!("{wanted}/"))
                    })
                })
            })
            .collect()
    }
    /// The numbering of every field key of this source's pages, when it keeps one (see
    /// [`FieldKeys`]); `None`: pages are read by key text.
    fn field_keys(&self) -> Option<&FieldKeys> {
        None
    }

    /// `file.name` of a page, as a text value. Like [`QuerySource::page_link`], a source
    /// may keep these in one list by page id.
    fn page_name(&self, id: PageId) -> Option<&QValue> {
        self.page(id).map(Page::name_value)
    }

    /// `file.link` of a page: the value a result's File column shows (a shared link, so
    /// showing it counts a reference). A source may keep these in one list by page id, so a
    /// result's File column does not read each row's page.
    fn page_link(&self, id: PageId) -> Option<&QValue> {
        self.page(id).map(Page::link_value)
    }

    /// The values of field `key` (numbered by [`QuerySource::field_keys`], written `name`)
    /// on every page, by page id (`None`: the page has no such field), when the source
    /// keeps such columns (see [`FieldColumns`]). `None`: each page's own fields are read.
    fn field_column(&self, _key: u16, _name: &str) -> Option<&[Option<QValue>]> {
        None
    }

    /// Each page's place in `file.name` order, by page id (see [`NameRanks`]), when the
    /// source keeps one: `SORT file.name` then orders numbers instead of reading names.
    fn name_ranks(&self) -> Option<&NameRanks> {
        None
    }

    /// Pages with a link that resolves to `target`.
    fn inlinks(&self, target: PageId) -> Vec<PageId> {
        self.all_pages()
            .into_iter()
            .filter(|id| {
                self.page(*id).is_some_and(|p| {
                    p.outlinks
                        .iter()
                        .any(|l| self.resolve_link(Some(*id), &l.path) == Some(target))
                })
            })
            .collect()
    }
}

/// A Markdown task (`- [ ]`, `- [x]`) of a page.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskItem {
    pub text: String,
    /// The character between the brackets.
    pub status: char,
    /// 1-based line in the note.
    pub line: u32,
}

/// File facts the store knows (size in bytes, creation and modification times).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FileStats {
    pub size: u64,
    pub ctime: Option<DateTime>,
    pub mtime: Option<DateTime>,
}

/// What Dataview knows about one note. Values are converted once, when the page is built.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// Vault path with extension: `ME/🎭 Emotions/Joy.md`.
    pub path: String,
    /// Frontmatter and inline fields as Dataview exposes them: each key as written, plus its
    /// normalised form (`Energy Mood` → `energy-mood`) when that differs and is free; a key
    /// given several times holds a list.
    pub fields: Vec<(String, QValue)>,
    /// The frontmatter alone (`file.frontmatter`): see [`Page::frontmatter`].
    frontmatter: FrontmatterFields,
    /// Exact tags with `#` (`file.etags`); `file.tags` adds parent tags.
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    /// Every link in the note (frontmatter, body, embeds), paths resolved where possible.
    pub outlinks: Vec<Link>,
    pub tasks: Vec<TaskItem>,
    pub stats: FileStats,
    /// `file.day`: a `date`/`day` field, else a date in the file name.
    pub day: Option<DateTime>,
    /// A number per key of `fields`, in the same order, so a lookup compares two bytes per
    /// key instead of strings: a short hash ([`Page::index_fields`]), or the key's id in its
    /// source's [`FieldKeys`]. When its length differs from `fields` (fields changed since),
    /// lookups scan `fields` directly.
    field_hashes: FieldHashes,
    /// `file.name` as a value, so queries read it without building a string per row. Set
    /// from `path` by [`Page::new`] and [`Page::index_fields`].
    name_value: QValue,
    /// `file.link`, a link to this page, shared by every result row that shows it.
    link_value: QValue,
}

/// The texts [`Page::place_for_queries`] has seen: one allocation per distinct short text.
#[derive(Default)]
pub struct SharedTexts {
    texts: rustc_hash::FxHashSet<Arc<str>>,
}

impl SharedTexts {
    /// Texts longer than this stay as they are: they are rarely repeated, and hashing them
    /// would cost more than sharing saves.
    const LONGEST: usize = 64;

    fn share(&mut self, value: &mut QValue) {
        match value {
            QValue::Text(text) if text.len() <= Self::LONGEST => {
                if let Some(seen) = self.texts.get(&**text) {
                    *text = Arc::clone(seen);
                } else {
                    self.texts.insert(Arc::clone(text));
                }
            }
            QValue::List(items) => {
                // Allocated again too, next to the page's other values (see
                // `Page::place_for_queries`).
                let mut placed = Vec::with_capacity(items.len());
                placed.append(items);
                *items = placed;
                items.iter_mut().for_each(|v| self.share(v));
            }
            _ => {}
        }
    }
}

/// Where a page's frontmatter fields are (see [`Page::frontmatter`]).
#[derive(Clone, Debug, PartialEq)]
enum FrontmatterFields {
    /// The first `n` entries of `fields`: each frontmatter key once, no inline field of the
    /// same name, so the frontmatter is that part of the fields as they are (nearly every
    /// note; at 100k notes, keeping it twice took about 170 MB).
    Leading(usize),
    /// Its own list (a key given twice, or also as an inline field).
    Own(Vec<(String, QValue)>),
}

/// See `Page::field_hashes`. Equal for any two pages: it only mirrors `fields`.
#[derive(Clone, Debug, Default)]
enum FieldHashes {
    #[default]
    None,
    /// [`key_hash`] of each key.
    Hashes(Vec<u16>),
    /// Each key's id in the source's [`FieldKeys`]: equal ids are equal keys. Pages with the
    /// same keys in the same order (notes made from one template) share one list, which
    /// then stays in cache while a query reads their fields.
    Ids(Arc<[u16]>),
}

impl PartialEq for FieldHashes {
    fn eq(&self, _: &FieldHashes) -> bool {
        true
    }
}

/// The 16-bit key hash of [`Page::field`]'s index (FNV-1a, folded).
fn key_hash(key: &str) -> u16 {
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    (h ^ (h >> 16)) as u16
}

impl Page {
    /// An empty page at `path`.
    pub fn new(path: impl Into<String>) -> Page {
        let path = path.into();
        let name_value = QValue::text(file_title(&path));
        let link_value = QValue::link(Link::file(path.clone()));
        Page {
            path,
            fields: Vec::new(),
            frontmatter: FrontmatterFields::Leading(0),
            tags: Vec::new(),
            aliases: Vec::new(),
            outlinks: Vec::new(),
            tasks: Vec::new(),
            stats: FileStats::default(),
            day: None,
            field_hashes: FieldHashes::default(),
            name_value,
            link_value,
        }
    }

    /// Rebuild what queries precompute from `fields` and `path`; call it after changing them
    /// by hand (a page whose `fields` grew or shrank since is still read correctly, only
    /// slower).
    pub fn index_fields(&mut self) {
        self.field_hashes =
            FieldHashes::Hashes(self.fields.iter().map(|(k, _)| key_hash(k)).collect());
        if !matches!(&self.link_value, QValue::Link(l) if *l.path == *self.path) {
            self.name_value = QValue::text(file_title(&self.path));
            self.link_value = QValue::link(Link::file(self.path.clone()));
        }
    }

    /// Lay the page out for queries, once pages are built (in parallel, so each page's
    /// parts lie wherever its thread allocated them). Called on every page in page order, on
    /// one thread: the field list and list values are allocated again, so they lie in memory
    /// in the order a query reads them and the processor's prefetcher streams them, and
    /// short field texts become the same allocation as every equal text seen before
    /// (`texts`): a vault repeats a few values on thousands of notes (`status: 🟨 review`),
    /// which then stay in cache and take memory once.
    pub fn place_for_queries(&mut self, texts: &mut SharedTexts) {
        let mut fields = Vec::with_capacity(self.fields.len());
        fields.append(&mut self.fields);
        self.fields = fields;
        let own = match &mut self.frontmatter {
            FrontmatterFields::Own(fields) => fields.as_mut_slice(),
            FrontmatterFields::Leading(_) => &mut [],
        };
        for (_, value) in self.fields.iter_mut().chain(own) {
            texts.share(value);
        }
    }

    /// Take `name` and `link` (equal to this page's `file.name` and `file.link`; others are
    /// refused with `false`) as this page's own, so the page shares them with a list its
    /// source keeps (see [`QuerySource::page_link`]).
    pub fn share_identity(&mut self, name: &QValue, link: &QValue) -> bool {
        if *name != self.name_value || *link != self.link_value {
            return false;
        }
        self.name_value = name.clone();
        self.link_value = link.clone();
        true
    }

    /// The frontmatter's fields alone, as written (`file.frontmatter`), in order.
    pub fn frontmatter(&self) -> &[(String, QValue)] {
        match &self.frontmatter {
            FrontmatterFields::Leading(n) => self.fields.get(..*n).unwrap_or(&[]),
            FrontmatterFields::Own(fields) => fields,
        }
    }

    /// `file.name` as a text value.
    pub fn name_value(&self) -> &QValue {
        &self.name_value
    }

    /// `file.link`: a link to this page.
    pub fn link_value(&self) -> &QValue {
        &self.link_value
    }

    /// Build a page from a parsed note. `resolve` maps a link target as written to the vault
    /// path it resolves to from this note (`None`: dangling; the link keeps its text).
    pub fn from_note(
        path: &str,
        note: &Note,
        stats: FileStats,
        resolve: &dyn Fn(&str) -> Option<std::sync::Arc<str>>,
    ) -> Page {
        let mut page = Page::new(path);
        page.stats = stats;
        // Each key once, with its value; a key given several times holds the list of its
        // values (`true`: the value is that list, not a list the note wrote).
        let mut raw: Vec<(String, QValue, bool)> = Vec::new();
        let add = |raw: &mut Vec<(String, QValue, bool)>, key: &str, value: QValue| match raw
            .iter_mut()
            .find(|(k, _, _)| k == key)
        {
            Some((_, QValue::List(values), true)) => values.push(value),
            Some((_, first, repeated)) => {
                *first = QValue::List(vec![std::mem::replace(first, QValue::Null), value]);
                *repeated = true;
            }
            None => raw.push((key.to_string(), value, false)),
        };
        // A frontmatter field as Dataview sees it (`position` is Obsidian's, not the note's).
        let fm_fields = || {
            note.frontmatter
                .iter()
                .flat_map(|fm| fm.iter())
                .filter(|field| field.key != "position")
        };
        let fm_value = |field: &attune_syntax::FieldAt<'_>| match &field.value {
            // YAML `""` is empty text for Dataview (`icontains(x, "")` is true); only a
            // missing value is null.
            Value::Null
                if is_quoted_empty(note.source.get(field.value_span.range()).unwrap_or("")) =>
            {
                QValue::Text(String::new().into())
            }
            other => convert_value(other, resolve),
        };
        let mut fm_count = 0;
        for field in fm_fields() {
            fm_count += 1;
            add(&mut raw, &field.key, fm_value(&field));
            // No other character lower-cases to these ASCII letters, so comparing ASCII
            // case-insensitively is `to_lowercase() == "alias"` without a new string.
            if field.key.eq_ignore_ascii_case("alias") || field.key.eq_ignore_ascii_case("aliases")
            {
                page.aliases.extend(split_list_field(&field.value, ','));
            }
        }
        let distinct_fm_keys = raw.len() == fm_count;
        for field in note.inline_fields() {
            add(
                &mut raw,
                &field.key,
                parse_inline_value(&field.value, resolve),
            );
        }
        // The frontmatter is the fields' first entries unless a key was given twice (in the
        // frontmatter, or again as an inline field): then it is kept apart.
        page.frontmatter =
            if distinct_fm_keys && raw[..fm_count].iter().all(|(_, _, repeated)| !repeated) {
                FrontmatterFields::Leading(fm_count)
            } else {
                FrontmatterFields::Own(
                    fm_fields()
                        .map(|field| (field.key.to_string(), fm_value(&field)))
                        .collect(),
                )
            };
        page.fields = finalize_fields(raw);
        page.index_fields();
        for tag in note.tags() {
            let tag = format!("#{}", tag.name.trim_start_matches('#'));
            if !page.tags.contains(&tag) {
                page.tags.push(tag);
            }
        }
        for link in &note.links {
            let target = &link.target;
            let path = resolve(&target.target).unwrap_or_else(|| (*target.target).into());
            let (kind, subpath) = match &target.fragment {
                Some(f) if f.starts_with('^') => (LinkKind::Block, Some(f[1..].to_string())),
                Some(f) => (LinkKind::Header, Some(f.to_string())),
                None => (LinkKind::File, None),
            };
            page.outlinks.push(Link {
                path,
                subpath,
                kind,
                display: target.alias.as_deref().map(str::to_owned),
                embed: link.embed,
            });
        }
        page.tasks = note
            .tasks()
            .iter()
            .map(|t| TaskItem {
                text: t.text.clone(),
                status: t.status,
                line: t.line,
            })
            .collect();
        page.day = find_day(&page);
        page
    }

    /// A field by exact key (`fields` holds the normalised keys too).
    pub fn field(&self, key: &str) -> Option<&QValue> {
        match &self.field_hashes {
            FieldHashes::Hashes(hashes) if hashes.len() == self.fields.len() => {
                let wanted = key_hash(key);
                hashes
                    .iter()
                    .zip(&self.fields)
                    .find(|(h, (k, _))| **h == wanted && k == key)
                    .map(|(_, (_, v))| v)
            }
            _ => self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        }
    }

    /// A field by its key's id in the source's [`FieldKeys`] (`key` is that key's text, read
    /// when this page was not numbered with it).
    pub(crate) fn field_by_id(&self, id: u16, key: &str) -> Option<&QValue> {
        match &self.field_hashes {
            FieldHashes::Ids(ids) if ids.len() == self.fields.len() => ids
                .iter()
                .position(|i| *i == id)
                .map(|at| &self.fields[at].1),
            _ => self.field(key),
        }
    }

    /// `file.name`: the file name without `.md`.
    pub fn name(&self) -> &str {
        file_title(&self.path)
    }

    /// `file.folder`: the folder path (`""` at the root).
    pub fn folder(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(folder, _)| folder)
    }
}

/// Every field key of a source's pages, numbered (as many as fit in 16 bits): pages numbered
/// with the same table find a field by comparing numbers, and a key no page has is known to
/// be absent without reading any page. A source builds it once over all its pages (which it
/// then never changes) and hands it out through [`QuerySource::field_keys`].
#[derive(Clone, Debug, Default)]
pub struct FieldKeys {
    ids: FxHashMap<Box<str>, u16>,
}

/// What a [`FieldKeys`] table says about a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyId {
    /// No page of the source has the key.
    Absent,
    Id(u16),
}

impl FieldKeys {
    /// Number every key of `pages` and record the numbers in each page. `None` (and the pages
    /// keep their hashes) when there are more distinct keys than 16 bits hold.
    pub fn index(pages: &mut [Page]) -> Option<FieldKeys> {
        let mut ids: FxHashMap<Box<str>, u16> = FxHashMap::default();
        for page in pages.iter() {
            for (key, _) in &page.fields {
                if !ids.contains_key(key.as_str()) {
                    let id = u16::try_from(ids.len()).ok()?;
                    ids.insert(key.as_str().into(), id);
                }
            }
        }
        let mut layouts: FxHashMap<Vec<u16>, Arc<[u16]>> = FxHashMap::default();
        for page in pages.iter_mut() {
            let numbered: Option<Vec<u16>> = page
                .fields
                .iter()
                .map(|(k, _)| ids.get(k.as_str()).copied())
                .collect();
            if let Some(numbered) = numbered {
                let shared = layouts
                    .entry(numbered)
                    .or_insert_with_key(|layout| Arc::from(layout.as_slice()));
                page.field_hashes = FieldHashes::Ids(shared.clone());
            }
        }
        Some(FieldKeys { ids })
    }

    /// The id of a key, or that no page has it.
    pub(crate) fn id(&self, key: &str) -> KeyId {
        self.ids.get(key).map_or(KeyId::Absent, |&id| KeyId::Id(id))
    }
}

/// A field's values on every page of a source, one column per field key, built the first
/// time a query reads that key and kept: a WHERE or TABLE that reads a field on thousands
/// of rows then reads consecutive memory, which the processor streams, where each page's
/// own field list lies elsewhere and costs a wait for memory per row (at 100k notes the
/// difference is most of a single-folder query's time). A column takes 32 bytes per page;
/// at most [`FieldColumns::MOST`] are built, after which other keys are read page by page.
/// For a source that never changes its pages once built (it hands out the columns through
/// [`QuerySource::field_column`]).
#[derive(Debug, Default)]
pub struct FieldColumns {
    columns: Box<[std::sync::OnceLock<Column>]>,
    built: std::sync::atomic::AtomicUsize,
}

/// One key's value on every page, by page id.
type Column = Box<[Option<QValue>]>;

impl FieldColumns {
    /// At 100k pages, 16 columns take 51 MB.
    pub const MOST: usize = 16;

    /// Room for a column per key of `keys` (none built yet).
    pub fn new(keys: &FieldKeys) -> FieldColumns {
        FieldColumns {
            columns: (0..keys.ids.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            built: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The column of `key` (written `name`) over `pages`, the pages the keys were numbered
    /// over, indexed by page id; built now if it is not yet and fewer than
    /// [`FieldColumns::MOST`] are. `None`: not built (too many columns, or an unknown key).
    pub fn column(&self, pages: &[Page], key: u16, name: &str) -> Option<&[Option<QValue>]> {
        use std::sync::atomic::Ordering::Relaxed;
        let slot = self.columns.get(usize::from(key))?;
        if let Some(column) = slot.get() {
            return Some(column);
        }
        // Two threads may both pass this check for two new keys: the cap is a memory bound,
        // not an exact count.
        if self.built.load(Relaxed) >= Self::MOST {
            return None;
        }
        Some(slot.get_or_init(|| {
            use rayon::prelude::*;
            self.built.fetch_add(1, Relaxed);
            pages
                .par_iter()
                .map(|page| page.field_by_id(key, name).cloned())
                .collect::<Vec<_>>()
                .into_boxed_slice()
        }))
    }
}

/// Every page's rank in the order Dataview sorts `file.name` by ([`compare_text`], that is
/// `localeCompare`): pages whose names compare equal share a rank, and a lower rank sorts
/// first. A source builds it once over all its pages (which it then never changes).
#[derive(Clone, Debug, Default)]
pub struct NameRanks {
    ranks: Vec<u32>,
    /// Page ids in name order.
    order: Vec<PageId>,
}

impl NameRanks {
    /// Rank the names of `pages` (indexed by page id).
    pub fn index(pages: &[Page]) -> NameRanks {
        let mut arena = KeyArena::new();
        let keys: Vec<TextKey> = pages.iter().map(|p| arena.push(p.name())).collect();
        let order_of = |a: usize, b: usize| {
            arena
                .compare(keys[a], keys[b])
                .then_with(|| compare_text(pages[a].name(), pages[b].name()))
        };
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_by(|&a, &b| order_of(a, b));
        let mut ranks = vec![0; pages.len()];
        let mut rank = 0u32;
        for (i, &page) in order.iter().enumerate() {
            if i > 0 && order_of(order[i - 1], page) != std::cmp::Ordering::Equal {
                rank += 1;
            }
            ranks[page] = rank;
        }
        NameRanks {
            ranks,
            order: order.into_iter().map(|i| PageId(i as u32)).collect(),
        }
    }

    /// The rank of the pages named `text` (compared as [`compare_text`] compares), or `None`
    /// when no page has that name; `name` reads a page's name.
    pub(crate) fn rank_of<'p>(
        &self,
        text: &str,
        name: impl Fn(PageId) -> Option<&'p str>,
    ) -> Option<u32> {
        let at = self
            .order
            .partition_point(|id| name(*id).is_some_and(|n| compare_text(n, text).is_lt()));
        let id = *self.order.get(at)?;
        if compare_text(name(id)?, text).is_eq() {
            self.get(id)
        } else {
            None
        }
    }

    /// The rank of a page's name (`None` for an id the ranks were not built with).
    pub(crate) fn get(&self, page: PageId) -> Option<u32> {
        self.ranks.get(page.0 as usize).copied()
    }
}

/// Dataview's field-name normalisation (`canonicalizeVarName`): letters, digits, `_`, `-`
/// lower-cased, emoji kept, runs of whitespace become `-`, everything else dropped.
pub fn normalize_field_name(name: &str) -> String {
    let mut out = String::new();
    let mut in_space = false;
    for c in name.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push('-');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        if is_emoji(c) {
            out.push(c);
        } else if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The page's fields from each key's value (see `Page::from_note`): every key as written,
/// then each normalised key that differs from every written one, holding the values of the
/// keys that normalise to it (a list when there are several).
fn finalize_fields(raw: Vec<(String, QValue, bool)>) -> Vec<(String, QValue)> {
    let values_of = |value: &QValue, repeated: bool| -> Vec<QValue> {
        match (value, repeated) {
            (QValue::List(items), true) => items.clone(),
            _ => vec![value.clone()],
        }
    };
    let mut normalized: Vec<(String, Vec<QValue>)> = Vec::new();
    for (key, value, repeated) in &raw {
        // Lower-case ASCII letters, digits, `_` and `-` normalise to themselves: the key is
        // already there (most keys; no normalised string is built for them).
        if key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            continue;
        }
        let norm = normalize_field_name(key);
        if norm.is_empty() || raw.iter().any(|(k, _, _)| *k == norm) {
            continue;
        }
        match normalized.iter_mut().find(|(k, _)| *k == norm) {
            Some((_, existing)) => existing.extend(values_of(value, *repeated)),
            None => normalized.push((norm, values_of(value, *repeated))),
        }
    }
    let mut fields: Vec<(String, QValue)> = Vec::with_capacity(raw.len() + normalized.len());
    fields.extend(raw.into_iter().map(|(k, v, _)| (k, v)));
    fields.extend(normalized.into_iter().map(|(k, mut values)| {
        let value = if values.len() == 1 {
            values.pop().unwrap_or(QValue::Null)
        } else {
            QValue::List(values)
        };
        (k, value)
    }));
    fields
}

fn is_quoted_empty(raw: &str) -> bool {
    let raw = raw.split(" #").next().unwrap_or("").trim();
    raw == "\"\"" || raw == "''"
}

fn split_list_field(value: &Value, sep: char) -> Vec<String> {
    match value {
        Value::List(items) => items
            .iter()
            .flat_map(|v| split_list_field(v, sep))
            .collect(),
        Value::Text(s) => s
            .split(sep)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Value::Int(n) => vec![n.to_string()],
        Value::Float(n) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// A frontmatter value as Dataview sees it: text that is a whole date, duration or link
/// becomes one (`2025-07-05` is a date, `2025-07-05 00:46` stays text).
pub fn convert_value(
    value: &Value,
    resolve: &dyn Fn(&str) -> Option<std::sync::Arc<str>>,
) -> QValue {
    match value {
        Value::Null => QValue::Null,
        Value::Bool(b) => QValue::Bool(*b),
        Value::Int(n) => QValue::Number(*n as f64),
        Value::Float(n) => QValue::Number(*n),
        Value::Text(s) => convert_text(s, resolve),
        Value::Link(target) => {
            let mut text = target.target.to_string();
            if let Some(f) = &target.fragment {
                text.push('#');
                text.push_str(f);
            }
            let mut link = Link::parse_inner(&text);
            link.display = target.alias.as_deref().map(str::to_owned);
            resolve_link_path(&mut link, resolve);
            QValue::link(link)
        }
        Value::List(items) => {
            QValue::List(items.iter().map(|v| convert_value(v, resolve)).collect())
        }
        Value::Map(entries) => QValue::Object(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), convert_value(v, resolve)))
                .collect(),
        ),
    }
}

fn resolve_link_path(link: &mut Link, resolve: &dyn Fn(&str) -> Option<std::sync::Arc<str>>) {
    if let Some(path) = resolve(&link.path) {
        link.path = path;
    }
}

fn convert_text(s: &str, resolve: &dyn Fn(&str) -> Option<std::sync::Arc<str>>) -> QValue {
    if let Some(d) = parse_date(s) {
        return QValue::Date(d);
    }
    if let Some(d) = parse_duration(s) {
        return QValue::Duration(d);
    }
    let (embed, rest) = match s.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if let Some(inner) = rest.strip_prefix("[[").and_then(|r| r.strip_suffix("]]"))
        && !inner.contains('[')
        && !inner.contains(']')
    {
        let mut link = Link::parse_inner(inner);
        link.embed = embed;
        resolve_link_path(&mut link, resolve);
        return QValue::link(link);
    }
    QValue::Text(s.to_string().into())
}

/// An inline field's text (`key:: value`) as Dataview reads it: empty is null; a date,
/// duration, `"quoted text"`, `#tag`, link, boolean, number or `null` is that value; a comma
/// list of such atoms is a list; anything else is text.
pub fn parse_inline_value(
    text: &str,
    resolve: &dyn Fn(&str) -> Option<std::sync::Arc<str>>,
) -> QValue {
    let text = text.trim();
    if text.is_empty() {
        return QValue::Null;
    }
    if let Some(v) = inline_atom(text, resolve) {
        return v;
    }
    if text.contains(',') {
        let parts: Vec<Option<QValue>> = text
            .split(',')
            .map(|p| inline_atom(p.trim(), resolve))
            .collect();
        if parts.len() > 1 && parts.iter().all(Option::is_some) {
            return QValue::List(parts.into_iter().flatten().collect());
        }
    }
    QValue::Text(text.to_string().into())
}

fn inline_atom(s: &str, resolve: &dyn Fn(&str) -> Option<std::sync::Arc<str>>) -> Option<QValue> {
    if s.is_empty() {
        return None;
    }
    if let Some(d) = parse_date(s) {
        return Some(QValue::Date(d));
    }
    if let Some(d) = parse_duration(s) {
        return Some(QValue::Duration(d));
    }
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') && !s[1..s.len() - 1].contains('"') {
        return Some(QValue::Text(s[1..s.len() - 1].to_string().into()));
    }
    if s.starts_with('#') && s.len() > 1 && !s.contains(char::is_whitespace) {
        return Some(QValue::Text(s.to_string().into()));
    }
    if s.contains("[[") {
        return match convert_text(s, resolve) {
            v @ QValue::Link(_) => Some(v),
            _ => None,
        };
    }
    match s {
        "true" | "True" => return Some(QValue::Bool(true)),
        "false" | "False" => return Some(QValue::Bool(false)),
        "null" => return Some(QValue::Null),
        _ => {}
    }
    match number_prefix(s) {
        Some((n, used)) if used == s.len() => Some(QValue::Number(n)),
        _ => None,
    }
}

/// `file.day`: a `date`/`day` field holding a date (or a link to a dated note), else a
/// `YYYY-MM-DD` / `YYYYMMDD` date in the file name.
fn find_day(page: &Page) -> Option<DateTime> {
    for (key, value) in &page.fields {
        let lower = key.to_lowercase();
        if lower != "date" && lower != "day" {
            continue;
        }
        match value {
            QValue::Date(d) => return Some(*d),
            QValue::List(items) => {
                if let Some(QValue::Date(d)) = items.first() {
                    return Some(*d);
                }
            }
            QValue::Link(l) => {
                if let Some(d) = extract_date(&l.path) {
                    return Some(d);
                }
            }
            _ => {}
        }
    }
    extract_date(page.name())
}

/// The first `YYYY-MM-DD` (else `YYYYMMDD`) date in a text.
pub fn extract_date(text: &str) -> Option<DateTime> {
    let b = text.as_bytes();
    let num = |i: usize, n: usize| -> Option<i32> {
        let s = b.get(i..i + n)?;
        if s.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(s).ok()?.parse().ok()
        } else {
            None
        }
    };
    let make = |y: i32, m: i32, d: i32| -> Option<DateTime> {
        Date::new(
            i16::try_from(y).ok()?,
            i8::try_from(m).ok()?,
            i8::try_from(d).ok()?,
        )
        .ok()
        .map(|d| d.at(0, 0, 0, 0))
    };
    for i in 0..b.len() {
        if let (Some(y), Some(b'-'), Some(m), Some(b'-'), Some(d)) = (
            num(i, 4),
            b.get(i + 4),
            num(i + 5, 2),
            b.get(i + 7),
            num(i + 8, 2),
        ) && let Some(date) = make(y, m, d)
        {
            return Some(date);
        }
    }
    for i in 0..b.len() {
        if let (Some(y), Some(m), Some(d)) = (num(i, 4), num(i + 4, 2), num(i + 6, 2))
            && let Some(date) = make(y, m, d)
        {
            return Some(date);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_and_normalised_keys_shape_fields_as_dataview() {
        let note = attune_syntax::parse_note(
            "---\nEnergy Mood: high\nAlias: [x]\nlist_key: [a, b]\n---\nMood X:: a\nMood X:: b\nenergy mood:: low\nplain:: 1\nplain:: 2\n"
                .as_bytes(),
        );
        let page = Page::from_note("N.md", &note, FileStats::default(), &|_| None);
        let text = |t: &str| QValue::text(t);
        let list = |items: Vec<QValue>| QValue::List(items);
        let cases = [
            ("Energy Mood", text("high")),
            ("energy mood", text("low")),
            // Two keys written differently, one normalised name: both values.
            ("energy-mood", list(vec![text("high"), text("low")])),
            ("Alias", list(vec![text("x")])),
            ("alias", list(vec![text("x")])),
            // A list the note wrote stays one value.
            ("list_key", list(vec![text("a"), text("b")])),
            // A key given twice holds both values, under its written and normalised names.
            ("Mood X", list(vec![text("a"), text("b")])),
            ("mood-x", list(vec![text("a"), text("b")])),
            (
                "plain",
                list(vec![QValue::Number(1.0), QValue::Number(2.0)]),
            ),
        ];
        for (key, want) in cases {
            assert_eq!(page.field(key), Some(&want), "{key}");
        }
        // Each key once: written keys, then the normalised ones that differ from them.
        let keys: Vec<&str> = page.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "Energy Mood",
                "Alias",
                "list_key",
                "Mood X",
                "energy mood",
                "plain",
                "energy-mood",
                "alias",
                "mood-x"
            ]
        );
        assert_eq!(page.aliases, ["x"]);
        // The frontmatter alone: its keys as written, without inline fields or normalised names.
        let fm: Vec<(&str, &QValue)> = page
            .frontmatter()
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        assert_eq!(
            fm,
            [
                ("Energy Mood", &text("high")),
                ("Alias", &list(vec![text("x")])),
                ("list_key", &list(vec![text("a"), text("b")])),
            ]
        );
        // A frontmatter key given again inline: the field holds both values, the frontmatter
        // its own.
        let note = attune_syntax::parse_note(b"---\nplain: 0\nother: x\n---\nplain:: 1\n");
        let page = Page::from_note("N.md", &note, FileStats::default(), &|_| None);
        assert_eq!(
            page.field("plain"),
            Some(&list(vec![QValue::Number(0.0), QValue::Number(1.0)]))
        );
        let fm: Vec<(&str, &QValue)> = page
            .frontmatter()
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        assert_eq!(fm, [("plain", &QValue::Number(0.0)), ("other", &text("x"))]);
    }

    #[test]
    fn a_page_shares_only_its_own_name_and_link() {
        let mut page = Page::new("F/Joy.md");
        let (name, link) = (page.name_value().clone(), page.link_value().clone());
        let other = QValue::link(Link::file("F/Other.md"));
        assert!(!page.share_identity(&name, &other));
        assert!(!page.share_identity(&QValue::text("Other"), &link));
        assert!(page.share_identity(&name, &link));
        let (QValue::Link(mine), QValue::Link(given)) = (page.link_value(), &link) else {
            panic!("links");
        };
        assert!(Arc::ptr_eq(mine, given));
    }

    #[test]
    fn field_columns_hold_each_pages_value_and_stop_at_their_most() {
        let texts: Vec<(String, String)> = (0..20)
            .map(|i| {
                // Page i has keys k0..k{i}; k{j} holds `j*i`, and every page `status`.
                let keys: String = (0..=i).map(|j| format!("k{j}: {}\n", j * i)).collect();
                (
                    format!("P{i:02}.md"),
                    format!("---\nstatus: s{}\n{keys}---\n", i % 3),
                )
            })
            .collect();
        let source = crate::MemorySource::from_texts(texts);
        let mut pages: Vec<Page> = (0..20)
            .map(|i| {
                let id = source.page_by_path(&format!("P{i:02}.md")).expect("page");
                source.page(id).expect("page").clone()
            })
            .collect();
        let keys = FieldKeys::index(&mut pages).expect("few keys");
        let columns = FieldColumns::new(&keys);
        let mut names: Vec<String> = (0..20).map(|j| format!("k{j}")).collect();
        names.insert(0, "status".into());
        let mut built = 0;
        for name in &names {
            let KeyId::Id(key) = keys.id(name) else {
                panic!("{name} numbered");
            };
            let Some(column) = columns.column(&pages, key, name) else {
                assert_eq!(built, FieldColumns::MOST, "{name}: refused before the most");
                continue;
            };
            built += 1;
            assert_eq!(column.len(), pages.len());
            for (page, value) in pages.iter().zip(column) {
                assert_eq!(value.as_ref(), page.field(name), "{name} of {}", page.path);
            }
            // Kept: asked again, the same column.
            let again = columns.column(&pages, key, name).expect("kept");
            assert!(std::ptr::eq(column.as_ptr(), again.as_ptr()));
        }
        assert_eq!(built, FieldColumns::MOST);
    }

    #[test]
    fn field_names_normalise_like_dataview() {
        assert_eq!(normalize_field_name("Energy Mood"), "energy-mood");
        assert_eq!(normalize_field_name("strategy_group "), "strategy_group-");
        assert_eq!(normalize_field_name("🎭 Mood!"), "🎭-mood");
    }

    #[test]
    fn inline_values() {
        let none = |_: &str| None;
        assert_eq!(parse_inline_value("5", &none), QValue::Number(5.0));
        assert_eq!(
            parse_inline_value("1, 2", &none),
            QValue::List(vec![QValue::Number(1.0), QValue::Number(2.0)])
        );
        assert_eq!(
            parse_inline_value("hello, world", &none),
            QValue::text("hello, world")
        );
        assert!(matches!(
            parse_inline_value("[[A]]", &none),
            QValue::Link(_)
        ));
        assert_eq!(parse_inline_value("", &none), QValue::Null);
    }

    #[test]
    fn day_from_name() {
        assert_eq!(
            extract_date("Journal 2025-07-05 @ 1200").map(|d| d.day()),
            Some(5)
        );
        assert_eq!(extract_date("20250706").map(|d| d.day()), Some(6));
    }
}
