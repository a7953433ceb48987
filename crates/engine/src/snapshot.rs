//! The warm start: a loaded vault written to a snapshot file, and opened from it again
//! without reading or parsing its notes.
//!
//! A snapshot holds what a load computed (each note's file metadata, class and parse
//! findings, the class findings, the whole link index) and the bytes of every note. Opening
//! one ([`Vault::open`]) lists the vault and looks at each note's metadata (no file is
//! read), takes the vault as the snapshot has it with every note *deferred* (parsed from the
//! snapshot's bytes when something first reads it, see [`NoteCell`]), reads the schema
//! again (its few notes are parsed then), and hands every path whose metadata differs from
//! the snapshot's, or that appeared or went, to [`Vault::refresh`], which reads those again
//! exactly as a load would.
//!
//! *Invariant*: a vault opened from a snapshot equals what [`Vault::load`] reads at that
//! moment, as far as [`Vault::refresh`]'s own invariant holds (a file changed in place with
//! the same size and modification time is not seen: the same trust a file watcher and every
//! build tool put in metadata). Anything a snapshot cannot vouch for (another format or
//! build of attune, another vault folder, Metadata Menu's settings changed, a damaged file)
//! makes it a plain load. Snapshots are a cache: deleting one only costs the next start.
//!
//! Where: one file per vault (named by a hash of its folder's real path) in
//! `$ATTUNE_CACHE_DIR`, else `$XDG_CACHE_HOME/attune`, else `~/.cache/attune`; never in the
//! vault (a sync tool would copy it around), and readable by its owner only (it holds the
//! notes' text, private ones too: it never leaves the machine).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use attune_index::{Index, NoteCell, NoteSource};
use attune_store::{CacheFile, FileMeta, ScanOptions, VaultPath};
use attune_syntax::{Diagnostic, Note, Severity, Span};

use crate::settings::{METADATA_MENU_SETTINGS, Settings};
use crate::vault::{ATTUNE_TOML, LoadError, LoadProgress, SchemaFiles, Vault, VaultNote};

const MAGIC: &[u8; 16] = b"attune snapshot\n";
/// The file's last bytes: a snapshot without them was not written to its end.
const END: &[u8; 16] = b"attune snap end\n";
/// The trailer: the metadata section's length (u64), its BLAKE3 hash, [`END`].
const TRAILER: usize = 8 + 32 + 16;
/// Bumped whenever the layout below changes.
const FORMAT: u32 = 2;
// The file: MAGIC, FORMAT (u32), the build (u32 length + text), the notes' bytes (written
// as they are read, before anything says where each one is), the metadata section, then the
// trailer (the section's length and hash, END).

/// Where snapshots are kept, and for which vaults.
#[derive(Clone, Debug)]
pub struct Cache {
    pub dir: PathBuf,
    /// Vaults with fewer notes are loaded without a snapshot (their load takes a few
    /// milliseconds; a snapshot would only add a file per vault).
    pub min_notes: usize,
}

/// A snapshot not written again for this long is removed when another one is written.
const UNUSED_FOR: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// Vaults of fewer notes than this are not snapshotted by default.
pub const DEFAULT_MIN_NOTES: usize = 2000;

impl Cache {
    /// The user's cache folder for attune: `$ATTUNE_CACHE_DIR`, `$XDG_CACHE_HOME/attune`,
    /// `~/.cache/attune`; `None` when none is known. `$ATTUNE_CACHE_MIN_NOTES` changes the
    /// smallest vault that gets a snapshot.
    pub fn from_env() -> Option<Cache> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let dir = var("ATTUNE_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| var("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("attune")))
            .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache/attune")))?;
        let min_notes = std::env::var("ATTUNE_CACHE_MIN_NOTES")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(DEFAULT_MIN_NOTES);
        Some(Cache { dir, min_notes })
    }

    /// The snapshot file of the vault at `root`.
    pub fn file_for(&self, root: &Path) -> PathBuf {
        let real = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let hash = attune_store::hash(real.to_string_lossy().as_bytes());
        let hex = hash.to_string();
        self.dir
            .join(format!("{}.snapshot", &hex[..32.min(hex.len())]))
    }
}

/// How [`Vault::open`] came by its vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    /// From the snapshot; `changed` paths were read again.
    Warm { changed: usize },
    /// Read in full; why the snapshot was not used.
    Cold { reason: String },
}

impl Start {
    /// The vault differs from the snapshot on disk (or there is none): a new snapshot
    /// would save the next start work.
    pub fn snapshot_is_stale(&self) -> bool {
        !matches!(self, Start::Warm { changed: 0 })
    }
}

impl Vault {
    /// Open the vault at `root` from its snapshot in `cache` when there is a usable one,
    /// else load it in full (see the module documentation). Writes nothing: call
    /// [`Vault::write_snapshot`] afterwards when [`Start::snapshot_is_stale`].
    pub fn open(
        root: &Path,
        cache: &Cache,
        progress: &dyn LoadProgress,
    ) -> Result<(Vault, Start), LoadError> {
        let path = cache.file_for(root);
        let file = match CacheFile::open(&path) {
            Ok(Some(file)) => file,
            Ok(None) => return cold(root, progress, "no snapshot yet".to_owned()),
            Err(e) => return cold(root, progress, format!("cannot open the snapshot: {e}")),
        };
        match warm(root, file, progress)? {
            Ok(opened) => Ok(opened),
            Err(reason) => cold(root, progress, reason),
        }
    }

    /// Write this vault's snapshot into `cache` (replacing the old one); `false` when the
    /// vault is too small to get one. The notes are not parsed for it: a note still
    /// deferred has its bytes copied from the snapshot it was opened from.
    pub fn write_snapshot(&self, cache: &Cache) -> std::io::Result<bool> {
        if self.notes.len() < cache.min_notes {
            return Ok(false);
        }
        let path = cache.file_for(&self.root);
        attune_store::write_cache_file(&path, |out| {
            out.write_all(MAGIC)?;
            out.write_all(&FORMAT.to_le_bytes())?;
            let build = build_id();
            out.write_all(&(build.len() as u32).to_le_bytes())?;
            out.write_all(build.as_bytes())?;
            // Each note's bytes, streamed (a deferred note's from the snapshot it was
            // opened from, still open through its cell): no copy of the vault's text is
            // held, and the section that says where each note is comes after them.
            let mut texts: Vec<(bool, u64)> = Vec::with_capacity(self.notes.len());
            for n in &self.notes {
                let text = match n.note.source() {
                    Some((source, slot)) => {
                        let bytes = source.bytes(slot)?;
                        out.write_all(&bytes)?;
                        (false, bytes.len() as u64)
                    }
                    None if is_repaired(&n.note) => (true, 0),
                    None => {
                        out.write_all(n.note.source.as_bytes())?;
                        (false, n.note.source.len() as u64)
                    }
                };
                texts.push(text);
            }
            let meta = encode(self, &texts);
            out.write_all(&meta)?;
            out.write_all(&(meta.len() as u64).to_le_bytes())?;
            out.write_all(attune_store::hash(&meta).as_bytes())?;
            out.write_all(END)
        })?;
        // Snapshots no run has written for a month (a vault moved or deleted, a large copy
        // checked once) go, so the cache folder does not grow without end. A failure here
        // costs only disk space.
        let _ = attune_store::prune_cache(&cache.dir, &path, UNUSED_FOR);
        Ok(true)
    }
}

/// A full load, with the reason the snapshot was not used.
fn cold(
    root: &Path,
    progress: &dyn LoadProgress,
    reason: String,
) -> Result<(Vault, Start), LoadError> {
    let vault = Vault::load_with(root, progress)?;
    Ok((vault, Start::Cold { reason }))
}

/// A note whose file is not valid UTF-8: its source is the repaired text, not its bytes,
/// and only the file gives the same note again, so the snapshot holds no bytes of it.
fn is_repaired(note: &Note) -> bool {
    note.diagnostics()
        .first()
        .is_some_and(|d| d.code == "encoding/invalid-utf8")
}

/// What identifies the program that wrote a snapshot: a snapshot holds parse results, and
/// another build may parse differently. The executable's size and modification time stand
/// for its build (hashing it would cost more than a warm start may take).
fn build_id() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{mtime}", m.len())
        })
        .unwrap_or_default();
    format!("{} {exe}", env!("CARGO_PKG_VERSION"))
}

fn settings_hash(settings: &Settings) -> String {
    settings.raw.as_deref().map_or_else(String::new, |raw| {
        attune_store::hash(raw.as_bytes()).to_string()
    })
}

// ---------------------------------------------------------------------------------------
// Layout of the metadata section (little-endian; strings as u32 length + UTF-8):
// root, settings hash, attune.toml (u8 present + string), blob length (u64),
// notes (u32 count; each: path, size u64, mtime i64, ctime i64, flags u8 (1 excluded,
// 2 read from the vault file), class u32 (into the class names, or u32::MAX), text offset
// u64, text length u64), class names, other files, vault diagnostics, class findings,
// the index (u64 length + bytes), the index's slots (u32 count; each a note position or
// u32::MAX). The notes' bytes come before the section (see the file's layout above).
// ---------------------------------------------------------------------------------------

const NO: u32 = u32::MAX;
const EXCLUDED: u8 = 1;
const FROM_DISK: u8 = 2;

fn encode(vault: &Vault, texts: &[(bool, u64)]) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(vault.notes.len() * 96));
    let root = vault
        .root
        .canonicalize()
        .unwrap_or_else(|_| vault.root.clone());
    w.str(&root.to_string_lossy());
    w.str(&settings_hash(&vault.settings));
    w.opt_str(vault.attune_toml.as_deref());
    let blob: u64 = texts.iter().map(|(_, len)| len).sum();
    w.u64(blob);
    let mut classes: Vec<&Arc<str>> = Vec::new();
    w.u32(vault.notes.len() as u32);
    let mut offset = 0u64;
    for (n, &(from_disk, len)) in vault.notes.iter().zip(texts) {
        w.str(n.path());
        w.u64(n.meta.size);
        w.i64(n.meta.mtime_ms);
        w.i64(n.meta.ctime_ms);
        w.u8((u8::from(n.meta.excluded) * EXCLUDED) | (u8::from(from_disk) * FROM_DISK));
        let class = n.class.as_ref().map_or(NO, |c| {
            match classes
                .iter()
                .position(|k| Arc::ptr_eq(k, c) || ***k == **c)
            {
                Some(i) => i as u32,
                None => {
                    classes.push(c);
                    (classes.len() - 1) as u32
                }
            }
        });
        w.u32(class);
        w.u64(offset);
        w.u64(len);
        offset += len;
    }
    w.u32(classes.len() as u32);
    for c in classes {
        w.str(c);
    }
    w.u32(vault.other_files.len() as u32);
    for f in &vault.other_files {
        w.str(&f.on_disk);
    }
    w.diagnostics(&vault.diagnostics);
    w.diagnostics(&vault.schema_diagnostics[vault.schema_findings..]);
    // The index straight into the section, its length filled in after.
    let at = w.0.len();
    w.u64(0);
    vault.index.encode(&mut w.0);
    let len = (w.0.len() - at - 8) as u64;
    w.0[at..at + 8].copy_from_slice(&len.to_le_bytes());
    let mut slots = vec![NO; vault.index.slot_bound()];
    for r in vault.index.notes() {
        if let Ok(at) = vault.notes.binary_search_by(|n| n.path().cmp(r.path())) {
            slots[r.id().slot()] = at as u32;
        }
    }
    w.u32(slots.len() as u32);
    for s in slots {
        w.u32(s);
    }
    w.0
}

/// The notes' bytes in an open snapshot: a deferred note is parsed from them.
struct Texts {
    file: CacheFile,
    /// The vault folder: where a note is read from when the snapshot fails.
    root: PathBuf,
    /// Where the blob starts in the file.
    base: u64,
    /// By note position: offset in the blob, length, path.
    at: Vec<(u64, u64, Arc<str>)>,
}

impl NoteSource for Texts {
    fn load(&self, slot: u32) -> Note {
        let path = &self.at[slot as usize].2;
        match self.bytes(slot) {
            Ok(bytes) => crate::vault::parse_file(path, bytes),
            // The snapshot was readable a moment ago and is never changed in place: only a
            // failing disk gets here. The note's own file is the next best source (the
            // index may then hold links it no longer has: a backlink goes missing, nothing
            // breaks, and a write still checks the file's bytes before it replaces them).
            Err(_) => {
                use attune_store::Disk;
                let bytes = attune_store::RealDisk
                    .read(&self.root.join(&**path))
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                crate::vault::parse_file(path, bytes)
            }
        }
    }

    fn bytes(&self, slot: u32) -> std::io::Result<Vec<u8>> {
        let (offset, len, _) = &self.at[slot as usize];
        let len = usize::try_from(*len).map_err(std::io::Error::other)?;
        self.file.read_at(self.base + offset, len)
    }
}

/// One note as the snapshot records it.
struct Record {
    path: Arc<str>,
    size: u64,
    mtime_ms: i64,
    ctime_ms: i64,
    flags: u8,
    class: u32,
    offset: u64,
    len: u64,
}

/// The snapshot's metadata section, decoded (the index still as bytes: `meta[index]`).
struct Decoded {
    meta: Vec<u8>,
    /// Where the notes' bytes start in the file.
    base: u64,
    attune_toml: Option<String>,
    records: Vec<Record>,
    classes: Vec<String>,
    other_files: Vec<VaultPath>,
    diagnostics: Vec<Diagnostic>,
    class_findings: Vec<Diagnostic>,
    index: std::ops::Range<usize>,
    slots: Vec<u32>,
}

/// Read and check the header and the metadata section of `file`, the snapshot of `root`
/// made under `settings`; `Err(reason)` when it cannot be used.
fn read_section(file: &CacheFile, root: &Path, settings: &Settings) -> Result<Decoded, String> {
    let cut = |_| "the snapshot is cut short".to_owned();
    // The header: magic, format, build.
    let head = file.read_at(0, 24).map_err(cut)?;
    if head[..16] != MAGIC[..] || head[16..20] != FORMAT.to_le_bytes() {
        return Err("the snapshot was written by another version of attune".to_owned());
    }
    let build_len = u32::from_le_bytes([head[20], head[21], head[22], head[23]]) as usize;
    let build = file.read_at(24, build_len).map_err(cut)?;
    if build != build_id().as_bytes() {
        return Err("the snapshot was written by another build of attune".to_owned());
    }
    let base = 24 + build_len as u64;
    // The trailer: the section's length and hash, and the end mark (a file cut short, or
    // still being written by a process that died, has none).
    let trailer_at = file
        .len()
        .checked_sub(TRAILER as u64)
        .filter(|&at| at >= base)
        .ok_or("the snapshot is cut short")?;
    let trailer = file.read_at(trailer_at, TRAILER).map_err(cut)?;
    if trailer[8 + 32..] != END[..] {
        return Err("the snapshot is cut short".to_owned());
    }
    let mut r = Reader {
        bytes: &trailer,
        at: 0,
    };
    let meta_len = r.u64()?;
    let meta_hash = r.take(32)?;
    let meta_at = trailer_at
        .checked_sub(meta_len)
        .filter(|&at| at >= base)
        .ok_or(DAMAGED)?;
    let meta_len = usize::try_from(meta_len).map_err(|_| DAMAGED)?;
    let meta = file
        .read_at(meta_at, meta_len)
        .map_err(|e| format!("cannot read the snapshot: {e}"))?;
    if attune_store::hash(&meta).as_bytes()[..] != *meta_hash {
        return Err(DAMAGED.to_owned());
    }

    let mut r = Reader {
        bytes: &meta,
        at: 0,
    };
    let real = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if r.str()? != real.to_string_lossy() {
        return Err("the snapshot is of another vault folder".to_owned());
    }
    if r.str()? != settings_hash(settings) {
        return Err("Metadata Menu's settings changed".to_owned());
    }
    let attune_toml = r.opt_str()?.map(str::to_owned);
    let blob = r.u64()?;
    if base + blob != meta_at {
        return Err(DAMAGED.to_owned());
    }
    let count = r.u32()? as usize;
    let mut records = Vec::with_capacity(count.min(meta.len()));
    for _ in 0..count {
        let record = Record {
            path: Arc::from(r.str()?),
            size: r.u64()?,
            mtime_ms: r.i64()?,
            ctime_ms: r.i64()?,
            flags: r.u8()?,
            class: r.u32()?,
            offset: r.u64()?,
            len: r.u64()?,
        };
        if record
            .offset
            .checked_add(record.len)
            .is_none_or(|end| end > blob)
        {
            return Err(DAMAGED.to_owned());
        }
        records.push(record);
    }
    let classes: Vec<String> = (0..r.u32()?)
        .map(|_| r.str().map(str::to_owned))
        .collect::<Result<_, _>>()?;
    let other_files: Vec<VaultPath> = (0..r.u32()?)
        .map(|_| r.str().map(|p| VaultPath::new(p.to_owned())))
        .collect::<Result<_, _>>()?;
    let diagnostics = r.diagnostics()?;
    let class_findings = r.diagnostics()?;
    let index_len = usize::try_from(r.u64()?).map_err(|_| DAMAGED)?;
    let start = r.at;
    r.take(index_len)?;
    let index = start..r.at;
    let slots: Vec<u32> = (0..r.u32()?).map(|_| r.u32()).collect::<Result<_, _>>()?;
    Ok(Decoded {
        base,
        attune_toml,
        records,
        classes,
        other_files,
        diagnostics,
        class_findings,
        index,
        slots,
        meta,
    })
}

/// Open from `file`: `Ok(Err(reason))` when the snapshot cannot be used.
fn warm(
    root: &Path,
    file: CacheFile,
    progress: &dyn LoadProgress,
) -> Result<Result<(Vault, Start), String>, LoadError> {
    let started = std::time::Instant::now();
    // What a load reads first, read the same way.
    let settings = match attune_store::read_optional(root, METADATA_MENU_SETTINGS)? {
        Some(text) => Settings::from_json(&text).0,
        None => Settings::default(),
    };
    let attune_toml = attune_store::read_optional(root, ATTUNE_TOML)?;
    let options = ScanOptions {
        excluded_folders: settings.excluded_folders.clone(),
        excluded_extensions: settings.excluded_extensions.clone(),
    };
    // The vault's metadata (system calls, mostly waiting) while the snapshot is decoded.
    let (survey, decoded) = rayon::join(
        || attune_store::survey(root, &options),
        || read_section(&file, root, &settings),
    );
    let survey = survey?;
    progress.walked(survey.notes.len());
    if !survey.errors.is_empty() {
        // Unreadable folders or files: a load reports them in its own words and order.
        return Ok(Err("some files cannot be looked at".to_owned()));
    }
    let Decoded {
        meta,
        base,
        attune_toml: old_toml,
        records,
        classes,
        other_files,
        diagnostics,
        class_findings,
        index: index_at,
        slots,
    } = match decoded {
        Ok(d) => d,
        Err(reason) => return Ok(Err(reason)),
    };

    // The notes, deferred; a note the snapshot has no bytes of is read from its file now.
    let texts = Arc::new(Texts {
        file,
        root: root.to_path_buf(),
        base,
        at: records
            .iter()
            .map(|r| (r.offset, r.len, Arc::clone(&r.path)))
            .collect(),
    });
    let source: Arc<dyn NoteSource> = texts.clone();
    let mut notes: Vec<VaultNote> = Vec::with_capacity(records.len());
    let mut reread: Vec<String> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        if r.flags & FROM_DISK != 0 {
            reread.push(r.path.to_string());
        }
        notes.push(VaultNote {
            meta: FileMeta {
                path: VaultPath::new(Arc::clone(&r.path)),
                size: r.size,
                mtime_ms: r.mtime_ms,
                ctime_ms: r.ctime_ms,
                excluded: r.flags & EXCLUDED != 0,
            },
            note: NoteCell::deferred(Arc::clone(&source), i as u32),
            class: None,
        });
    }
    progress.phase("read", started.elapsed());

    // The schema from the notes it reads (parsed now), as a load decides it.
    let (schema, schema_findings, schema_reads) = {
        let files = SchemaFiles::of(&notes);
        let (schema, found) = attune_schema::load_schema(&attune_schema::SchemaInput {
            metadata_menu_settings: settings.raw.as_deref(),
            attune_toml: old_toml.as_deref(),
            files: &files,
        });
        (schema, found, files.into_reads())
    };
    for (n, r) in notes.iter_mut().zip(&records) {
        if r.class != NO {
            match classes.get(r.class as usize).map(|name| schema.class(name)) {
                Some(Some(c)) => n.class = Some(Arc::clone(c.shared_name())),
                _ => return Ok(Err("the snapshot's classes are not the schema's".to_owned())),
            }
        }
    }
    progress.phase("schema", started.elapsed());

    let index = match Index::decode(&meta[index_at], &mut |slot| {
        let at = slots.get(slot as usize).copied().unwrap_or(NO);
        match notes.get(at as usize) {
            Some(n) => Arc::clone(&n.note),
            // A slot the snapshot names no note for: the check below turns it away.
            None => NoteCell::ready(attune_syntax::parse_note(b"")),
        }
    }) {
        Ok(index) => index,
        Err(e) => return Ok(Err(format!("the snapshot's index is damaged: {e}"))),
    };
    if index.len() != slots.iter().filter(|&&s| s != NO).count()
        || slots.iter().any(|&s| s != NO && s as usize >= notes.len())
    {
        return Ok(Err(
            "the snapshot's index does not match its notes".to_owned()
        ));
    }
    progress.phase("index", started.elapsed());

    let mut schema_diagnostics = schema_findings;
    let schema_findings = schema_diagnostics.len();
    schema_diagnostics.extend(class_findings);
    let mut vault = Vault {
        root: root.to_path_buf(),
        settings,
        notes,
        other_files,
        diagnostics,
        schema_diagnostics,
        schema,
        attune_toml: old_toml,
        index,
        schema_reads,
        schema_findings,
    };

    // What changed since: read again as a load would.
    let mut changed: BTreeSet<String> = reread.into_iter().collect();
    if vault.attune_toml != attune_toml {
        changed.insert(ATTUNE_TOML.to_owned());
    }
    changed_paths(
        vault.notes.iter().map(|n| (n.path(), state(&n.meta))),
        survey.notes.iter().map(|m| (&*m.path.on_disk, state(m))),
        &mut changed,
    );
    changed_paths(
        vault.other_files.iter().map(|p| (&*p.on_disk, ())),
        survey.other_files.iter().map(|p| (&*p.on_disk, ())),
        &mut changed,
    );
    let changed: Vec<String> = changed.into_iter().collect();
    if !changed.is_empty() {
        vault.refresh(&changed)?;
    }
    progress.phase("refresh", started.elapsed());
    Ok(Ok((
        vault,
        Start::Warm {
            changed: changed.len(),
        },
    )))
}

/// Add to `out` the paths that are in `old` or in `now` only, or in both with a different
/// state (both lists sorted by path): one merge walk, for the notes (their metadata) and
/// the attachments (no state) alike.
fn changed_paths<'a, S: PartialEq>(
    old: impl IntoIterator<Item = (&'a str, S)>,
    now: impl IntoIterator<Item = (&'a str, S)>,
    out: &mut BTreeSet<String>,
) {
    use std::cmp::Ordering;
    let (mut old, mut now) = (old.into_iter().peekable(), now.into_iter().peekable());
    loop {
        let order = match (old.peek(), now.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(a), Some(b)) => a.0.cmp(b.0),
        };
        let (path, differs) = match order {
            Ordering::Less => (old.next().map(|(p, _)| p), true),
            Ordering::Greater => (now.next().map(|(p, _)| p), true),
            Ordering::Equal => match (old.next(), now.next()) {
                (Some((p, a)), Some((_, b))) => (Some(p), a != b),
                _ => (None, false),
            },
        };
        if let Some(path) = path.filter(|_| differs) {
            out.insert(path.to_owned());
        }
    }
}

/// What a note's record must match for the snapshot's note to stand.
fn state(meta: &FileMeta) -> (u64, i64, i64, bool) {
    (meta.size, meta.mtime_ms, meta.ctime_ms, meta.excluded)
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }
    fn diagnostics(&mut self, list: &[Diagnostic]) {
        self.u32(list.len() as u32);
        for d in list {
            self.str(d.code);
            self.u8(match d.severity {
                Severity::Info => 0,
                Severity::Warning => 1,
                Severity::Error => 2,
            });
            self.str(&d.path);
            match d.span {
                Some(s) => {
                    self.u8(1);
                    self.u32(s.start);
                    self.u32(s.end);
                }
                None => self.u8(0),
            }
            self.str(&d.message);
            self.opt_str(d.help.as_deref());
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

const DAMAGED: &str = "the snapshot is damaged";

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or(DAMAGED)?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        self.take(N)?.try_into().map_err(|_| DAMAGED.to_owned())
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.array::<1>()?[0])
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn i64(&mut self) -> Result<i64, String> {
        Ok(i64::from_le_bytes(self.array()?))
    }
    fn str(&mut self) -> Result<&'a str, String> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|_| DAMAGED.to_owned())
    }
    fn opt_str(&mut self) -> Result<Option<&'a str>, String> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.str().map(Some),
            _ => Err(DAMAGED.to_owned()),
        }
    }
    fn diagnostics(&mut self) -> Result<Vec<Diagnostic>, String> {
        let n = self.u32()? as usize;
        let mut out = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            let code = static_code(self.str()?);
            let severity = match self.u8()? {
                0 => Severity::Info,
                1 => Severity::Warning,
                2 => Severity::Error,
                _ => return Err(DAMAGED.to_owned()),
            };
            let path = self.str()?.to_owned();
            let span = match self.u8()? {
                0 => None,
                1 => Some(Span {
                    start: self.u32()?,
                    end: self.u32()?,
                }),
                _ => return Err(DAMAGED.to_owned()),
            };
            let message = self.str()?.to_owned();
            let help = self.opt_str()?.map(str::to_owned);
            out.push(Diagnostic {
                code,
                severity,
                path,
                span,
                message,
                help,
            });
        }
        Ok(out)
    }
}

/// A finding's code as the `&'static str` a [`Diagnostic`] holds: each distinct code is
/// made static once per process (there are a few dozen).
fn static_code(code: &str) -> &'static str {
    static CODES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut codes = CODES.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(c) = codes.iter().find(|c| **c == code) {
        return c;
    }
    let leaked: &'static str = Box::leak(code.to_owned().into_boxed_str());
    codes.push(leaked);
    leaked
}
