//! Parallel vault walk: every Markdown file read once, handed to the caller's function.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

use crate::{StoreError, VaultPath};

/// What to walk and how to classify what is found.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    /// Vault-relative folder prefixes (Metadata Menu's `fileIndexingExcludedFolders`, e.g.
    /// `Meta/`). Notes below them are still read (schemas live there) but marked `excluded`.
    pub excluded_folders: Vec<String>,
    /// File name endings excluded the same way (`.excalidraw.md`).
    pub excluded_extensions: Vec<String>,
}

/// Facts about one file, without its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileMeta {
    pub path: VaultPath,
    pub size: u64,
    /// Modification time, milliseconds since the Unix epoch.
    pub mtime_ms: i64,
    /// Creation time where the file system records it, else the modification time.
    pub ctime_ms: i64,
    /// Below an excluded folder: never a link target nor a typed note.
    pub excluded: bool,
}

/// The result of a walk. `notes` are sorted by path so every run sees the same order.
#[derive(Debug)]
pub struct Scan<T> {
    pub root: PathBuf,
    pub notes: Vec<(FileMeta, T)>,
    /// Non-Markdown files (attachments), vault-relative, sorted.
    pub other_files: Vec<VaultPath>,
    /// Files or folders that could not be read; the walk went on without them.
    pub errors: Vec<StoreError>,
}

/// Walk `root` in parallel and call `read(meta, bytes)` once for every `.md` file.
///
/// `on_walked(n)` is called once the walk knows how many notes it will read (for a progress
/// bar); `read` runs on the rayon pool; its result is kept, the bytes are dropped.
pub fn scan<T, F>(
    root: &Path,
    options: &ScanOptions,
    on_walked: impl FnOnce(usize),
    read: F,
) -> Result<Scan<T>, StoreError>
where
    T: Send,
    F: Fn(&FileMeta, Vec<u8>) -> T + Sync,
{
    let meta = fs_err::metadata(root).map_err(|e| StoreError::io(root, e))?;
    if !meta.is_dir() {
        return Err(StoreError::NotAFolder {
            path: root.to_path_buf(),
        });
    }
    let (entries, other_files, mut errors) = walk(root, options);
    on_walked(entries.len());
    // Unreadable files are rare: they go aside, and the results are compacted in place
    // (no second vector of every note alongside the first).
    let unreadable = Mutex::new(Vec::new());
    let results: Vec<Option<(FileMeta, T)>> = entries
        .into_par_iter()
        .map(|found| match read_found(found) {
            Ok((meta, bytes)) => {
                let value = read(&meta, bytes);
                Some((meta, value))
            }
            Err(e) => {
                lock(&unreadable).push(e);
                None
            }
        })
        .collect();
    let mut notes: Vec<(FileMeta, T)> = results.into_iter().flatten().collect();
    notes.shrink_to_fit();
    let mut unreadable = unreadable.into_inner().unwrap_or_else(|p| p.into_inner());
    unreadable.sort_by_key(ToString::to_string);
    errors.extend(unreadable);
    Ok(Scan {
        root: root.to_path_buf(),
        notes,
        other_files,
        errors,
    })
}

/// A Markdown file the walk found, not yet looked at: its metadata comes from the open file
/// when it is read (one `statx` on the handle instead of a path lookup in the walk and
/// another in the read).
struct Found {
    abs: PathBuf,
    path: VaultPath,
    excluded: bool,
}

/// Open a found file once: its size and times from the handle, then its bytes into a buffer
/// of that size.
fn read_found(found: Found) -> Result<(FileMeta, Vec<u8>), StoreError> {
    use std::io::Read;
    let Found {
        abs,
        path,
        excluded,
    } = found;
    let io = |e| StoreError::io(&abs, e);
    let mut file = std::fs::File::open(&abs).map_err(io)?;
    let md = file.metadata().map_err(io)?;
    // One byte more than the size, so a file that grew since is read to its end without
    // doubling the buffer.
    let mut bytes = Vec::with_capacity(md.len() as usize + 1);
    file.read_to_end(&mut bytes).map_err(io)?;
    let meta = FileMeta {
        size: md.len(),
        mtime_ms: millis(md.modified().ok()),
        ctime_ms: millis(md.created().ok().or_else(|| md.modified().ok())),
        path,
        excluded,
    };
    Ok((meta, bytes))
}

type Walked = (Vec<Found>, Vec<VaultPath>, Vec<StoreError>);

fn walk(root: &Path, options: &ScanOptions) -> Walked {
    let found = Mutex::new((Vec::new(), Vec::new(), Vec::new()));
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(false)
        // Obsidian never indexes dot-folders: `.obsidian/`, `.trash/`, `.git/` and the like.
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_some_and(|t| t.is_dir())
                    && e.file_name().to_string_lossy().starts_with('.'))
        })
        .build_parallel();
    walker.run(|| {
        let found = &found;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = match &e {
                        ignore::Error::WithPath { path, .. } => path.clone(),
                        _ => root.to_path_buf(),
                    };
                    lock(found)
                        .2
                        .push(StoreError::io(path, std::io::Error::other(e.to_string())));
                    return ignore::WalkState::Continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return ignore::WalkState::Continue;
            }
            let Some(rel) = relative(root, entry.path()) else {
                return ignore::WalkState::Continue;
            };
            if rel
                .rsplit('/')
                .next()
                .is_some_and(|n| n.starts_with('.') && n != ".md")
            {
                return ignore::WalkState::Continue;
            }
            if !rel.ends_with(".md") {
                lock(found).1.push(VaultPath::new(rel));
                return ignore::WalkState::Continue;
            }
            let excluded = is_excluded(&rel, options);
            lock(found).0.push(Found {
                abs: entry.into_path(),
                path: VaultPath::new(rel),
                excluded,
            });
            ignore::WalkState::Continue
        })
    });
    let (mut notes, mut others, errors) = found.into_inner().unwrap_or_else(|p| p.into_inner());
    notes.sort_by(|a: &Found, b| a.path.on_disk.cmp(&b.path.on_disk));
    others.sort();
    (notes, others, errors)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// `path` relative to `root` with `/` separators, or `None` when it is not valid UTF-8.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut out = String::new();
    for part in rel.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(part.as_os_str().to_str()?);
    }
    Some(out)
}

fn is_excluded(rel: &str, options: &ScanOptions) -> bool {
    options.excluded_folders.iter().any(|f| {
        let f = f.trim_end_matches('/');
        !f.is_empty() && rel.starts_with(f) && rel.as_bytes().get(f.len()) == Some(&b'/')
    }) || options
        .excluded_extensions
        .iter()
        .any(|ext| !ext.is_empty() && rel.ends_with(ext.as_str()))
}

fn millis(t: Option<std::time::SystemTime>) -> i64 {
    t.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as i64)
}

/// What is at a path now (a symlink is not followed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    Missing,
    Folder,
    /// A regular file: its size and times as a scan records them.
    File {
        size: u64,
        mtime_ms: i64,
        ctime_ms: i64,
    },
    /// A symlink, socket or the like: not part of the vault.
    Other,
}

/// Look at `path` without reading it (what a watcher's refresh needs to know).
pub fn look(path: &Path) -> Result<Entry, StoreError> {
    let md = match std::fs::symlink_metadata(path) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Entry::Missing),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    Ok(if md.is_dir() {
        Entry::Folder
    } else if md.is_file() {
        Entry::File {
            size: md.len(),
            mtime_ms: millis(md.modified().ok()),
            ctime_ms: millis(md.created().ok().or_else(|| md.modified().ok())),
        }
    } else {
        Entry::Other
    })
}

/// Read a vault-relative file if it exists (`Ok(None)` when it does not).
pub fn read_optional(root: &Path, rel: &str) -> Result<Option<String>, StoreError> {
    let path = root.join(rel);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excluded_folders_match_whole_segments() {
        let o = ScanOptions {
            excluded_folders: vec!["Meta/".into()],
            excluded_extensions: vec![".excalidraw.md".into()],
        };
        assert!(is_excluded("Meta/fileClass/x.md", &o));
        assert!(!is_excluded("Metabolism/x.md", &o));
        assert!(is_excluded("ME/drawing.excalidraw.md", &o));
        assert!(!is_excluded("ME/x.md", &o));
    }
}
