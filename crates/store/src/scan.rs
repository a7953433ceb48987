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
    /// What `read` made of each note, in path order.
    pub notes: Vec<T>,
    /// Non-Markdown files (attachments), vault-relative, sorted.
    pub other_files: Vec<VaultPath>,
    /// Files or folders that could not be read; the walk went on without them.
    pub errors: Vec<StoreError>,
}

/// Walk `root` in parallel and call `read(meta, bytes)` once for every `.md` file.
///
/// `on_walked(n)` is called once the walk knows how many notes it will read (for a progress
/// bar); `read` runs on the rayon pool and takes the metadata and bytes: its result is all
/// the scan keeps of the file, so a caller makes its own record of a note once (no list of
/// (metadata, result) pairs to copy into it afterwards).
pub fn scan<T, F>(
    root: &Path,
    options: &ScanOptions,
    on_walked: impl FnOnce(usize),
    read: F,
) -> Result<Scan<T>, StoreError>
where
    T: Send,
    F: Fn(FileMeta, Vec<u8>) -> T + Sync,
{
    // `std::fs`, not `fs_err`: the error already names the path, and a missing vault is the
    // common mistake (a misspelt path, or a command's arguments in the wrong order).
    let meta = match std::fs::metadata(root) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::NoFolder {
                path: root.to_path_buf(),
            });
        }
        Err(e) => return Err(StoreError::io(root, e)),
    };
    if !meta.is_dir() {
        return Err(StoreError::NotAFolder {
            path: root.to_path_buf(),
        });
    }
    let Walked {
        notes: entries,
        others: other_files,
        mut errors,
        folders,
    } = walk(root, options);
    on_walked(entries.len());
    let folders = Folders::open(root, &folders);
    // Unreadable files are rare: they go aside, and the results are compacted in place
    // (no second vector of every note alongside the first).
    let unreadable = Mutex::new(Vec::new());
    let results: Vec<Option<T>> = entries
        .into_par_iter()
        .map(|found| match read_found(root, &folders, found) {
            Ok((meta, bytes)) => Some(read(meta, bytes)),
            Err(e) => {
                lock(&unreadable).push(e);
                None
            }
        })
        .collect();
    let mut notes: Vec<T> = results.into_iter().flatten().collect();
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

/// What [`survey`] found: every note's metadata (no file read), the other files and the
/// folders or files that could not be looked at.
#[derive(Debug)]
pub struct Survey {
    /// Sorted by path, as [`Scan::notes`] would be.
    pub notes: Vec<FileMeta>,
    pub other_files: Vec<VaultPath>,
    pub errors: Vec<StoreError>,
}

/// Walk `root` as [`scan`] does and look at each note's metadata (one `stat` per note, on
/// the rayon pool) without reading it: what a warm start compares with its snapshot. The
/// metadata is the same a scan records (size, modification and creation times).
pub fn survey(root: &Path, options: &ScanOptions) -> Result<Survey, StoreError> {
    match std::fs::metadata(root) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(StoreError::NotAFolder {
                path: root.to_path_buf(),
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::NoFolder {
                path: root.to_path_buf(),
            });
        }
        Err(e) => return Err(StoreError::io(root, e)),
    }
    let Walked {
        notes: found,
        others: other_files,
        mut errors,
        folders: _,
    } = walk(root, options);
    let looked: Vec<Result<FileMeta, StoreError>> = found
        .into_par_iter()
        .map(|Found { path, excluded, .. }| {
            let abs = root.join(&*path.on_disk);
            // `symlink_metadata`: the walk keeps regular files only, and a file replaced by
            // a link since is then seen as changed (its read says what it is now).
            let md = std::fs::symlink_metadata(&abs).map_err(|e| StoreError::io(&abs, e))?;
            Ok(FileMeta {
                size: md.len(),
                mtime_ms: millis(md.modified().ok()),
                ctime_ms: millis(md.created().ok().or_else(|| md.modified().ok())),
                path,
                excluded,
            })
        })
        .collect();
    let mut notes = Vec::with_capacity(looked.len());
    for r in looked {
        match r {
            Ok(meta) => notes.push(meta),
            Err(e) => errors.push(e),
        }
    }
    Ok(Survey {
        notes,
        other_files,
        errors,
    })
}

/// A Markdown file the walk found, not yet looked at: its metadata comes from the open file
/// when it is read (one `statx` on the handle instead of a path lookup in the walk and
/// another in the read).
struct Found {
    path: VaultPath,
    excluded: bool,
    /// Its folder: an index into the walk's list of folders holding notes.
    folder: u32,
}

/// Folders [`Folders`] keeps open at once during a read.
const MAX_OPEN_FOLDERS: usize = 128;

/// The folders holding the found files, each opened once: a file is then opened by its
/// name in its open folder (`openat`), so the kernel does not walk the vault's whole path
/// again for each of a hundred thousand files (a tenth of a 100k-note load's CPU time went
/// to opening files by full path). A folder that cannot be opened this way (or a platform
/// without `openat`) falls back to opening its files by path.
struct Folders {
    /// By the walk's folder index; `None` for a folder whose files are opened by path.
    #[cfg(unix)]
    open: Vec<Option<std::os::fd::OwnedFd>>,
}

impl Folders {
    /// Open the [`MAX_OPEN_FOLDERS`] folders holding the most notes (the others' files are
    /// opened by path: a vault of thousands of folders must not run out of file handles).
    /// `folders` are the walk's (relative path, notes in it), by folder index.
    #[cfg(unix)]
    fn open(root: &Path, folders: &[(String, usize)]) -> Folders {
        let mut busiest: Vec<usize> = (0..folders.len()).collect();
        busiest.sort_by(|&a, &b| (folders[b].1, &folders[a].0).cmp(&(folders[a].1, &folders[b].0)));
        busiest.truncate(MAX_OPEN_FOLDERS);
        let flags = rustix::fs::OFlags::RDONLY
            | rustix::fs::OFlags::DIRECTORY
            | rustix::fs::OFlags::CLOEXEC;
        let mut open: Vec<Option<std::os::fd::OwnedFd>> = Vec::new();
        open.resize_with(folders.len(), || None);
        for i in busiest {
            open[i] =
                rustix::fs::open(root.join(&folders[i].0), flags, rustix::fs::Mode::empty()).ok();
        }
        Folders { open }
    }

    #[cfg(not(unix))]
    fn open(_root: &Path, _folders: &[(String, usize)]) -> Folders {
        Folders {}
    }

    /// Open the vault file at `rel` (`/`-separated, relative to `root`), in folder number
    /// `folder` of the walk, for reading.
    fn file(&self, root: &Path, rel: &str, folder: u32) -> std::io::Result<std::fs::File> {
        #[cfg(unix)]
        if let Some(Some(dir)) = self.open.get(folder as usize) {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            let flags = rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC;
            let fd = rustix::fs::openat(dir, name, flags, rustix::fs::Mode::empty())?;
            return Ok(std::fs::File::from(fd));
        }
        #[cfg(not(unix))]
        let _ = folder;
        std::fs::File::open(root.join(rel))
    }
}

/// Open a found file once: its size and times from the handle, then its bytes into a buffer
/// of that size.
fn read_found(
    root: &Path,
    folders: &Folders,
    found: Found,
) -> Result<(FileMeta, Vec<u8>), StoreError> {
    let Found {
        path,
        excluded,
        folder,
    } = found;
    let io = |e| StoreError::io(root.join(&*path.on_disk), e);
    let file = folders.file(root, &path.on_disk, folder).map_err(io)?;
    let md = file.metadata().map_err(io)?;
    let bytes = read_all(file, md.len()).map_err(io)?;
    let meta = FileMeta {
        size: md.len(),
        mtime_ms: millis(md.modified().ok()),
        ctime_ms: millis(md.created().ok().or_else(|| md.modified().ok())),
        path,
        excluded,
    };
    Ok((meta, bytes))
}

/// Every byte of `file`, whose metadata gave `size`. The buffer has one byte more than the
/// size, so a file that grew since is read to its end without doubling it. The rest is read
/// through `take`: `File::read_to_end` would ask the file system for the size again (a
/// `statx` and an `lseek` per file) to size a buffer that is already sized.
fn read_all(file: std::fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    if !read_whole_at_once(&file, size, &mut bytes) {
        file.take(u64::MAX).read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// One `read` of up to `size + 1` bytes into `bytes` (empty, with room for that many).
/// `true` when it gave exactly `size` bytes: the whole file as its metadata described it (a
/// file that grew would have given the extra byte), so the second `read` that only says
/// "end of file" is skipped (a syscall per note; rg makes it too). Anything else (a short
/// read, a grown file, an error) leaves what was read in `bytes` for the caller to read on
/// from, and the error, if any, to come again there.
#[cfg(unix)]
fn read_whole_at_once(file: &std::fs::File, size: u64, bytes: &mut Vec<u8>) -> bool {
    let Ok(size) = usize::try_from(size) else {
        return false;
    };
    matches!(rustix::io::read(file, rustix::buffer::spare_capacity(bytes)), Ok(n) if n == size)
}

#[cfg(not(unix))]
fn read_whole_at_once(_file: &std::fs::File, _size: u64, _bytes: &mut Vec<u8>) -> bool {
    false
}

/// What the walk found.
#[derive(Default)]
struct Walked {
    notes: Vec<Found>,
    others: Vec<VaultPath>,
    errors: Vec<StoreError>,
    /// The folders holding notes (relative path, how many), by the notes' folder index.
    folders: Vec<(String, usize)>,
}

/// List every file under `root`: Markdown notes (with whether they are excluded), other
/// files, and the folders that could not be read. Folders are read in parallel on the rayon
/// pool, each with one `read_dir` (the entry's type comes with the listing, no `stat`), and
/// each folder's findings are added under the lock at once; both lists are sorted by path.
/// Dot-folders (`.obsidian/`, `.trash/`, `.git/`) and dot-files other than `.md` are
/// skipped, as Obsidian does; symbolic links are not followed; names that are not UTF-8
/// are skipped.
fn walk(root: &Path, options: &ScanOptions) -> Walked {
    let found = Mutex::new(Walked::default());
    rayon::scope(|scope| walk_folder(scope, root, String::new(), options, &found));
    let mut walked = found.into_inner().unwrap_or_else(|p| p.into_inner());
    walked
        .notes
        .par_sort_unstable_by(|a: &Found, b| a.path.on_disk.cmp(&b.path.on_disk));
    walked.others.par_sort_unstable();
    walked
}

/// Read the folder at `rel` (`""` for the root) and hand each sub-folder to the pool.
fn walk_folder<'s>(
    scope: &rayon::Scope<'s>,
    root: &'s Path,
    rel: String,
    options: &'s ScanOptions,
    found: &'s Mutex<Walked>,
) {
    let dir = if rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(&rel)
    };
    let listing = match std::fs::read_dir(&dir) {
        Ok(listing) => listing,
        Err(e) => {
            lock(found).errors.push(StoreError::io(dir, e));
            return;
        }
    };
    let (mut notes, mut others) = (Vec::new(), Vec::new());
    for entry in listing {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                lock(found).errors.push(StoreError::io(&dir, e));
                continue;
            }
        };
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        // The path, written straight into its buffer (no formatting machinery per file).
        let join = || {
            let mut path = String::with_capacity(rel.len() + 1 + name.len());
            if !rel.is_empty() {
                path.push_str(&rel);
                path.push('/');
            }
            path.push_str(name);
            path
        };
        if kind.is_dir() {
            if !name.starts_with('.') {
                let path = join();
                scope.spawn(move |scope| walk_folder(scope, root, path, options, found));
            }
            continue;
        }
        if !kind.is_file() || (name.starts_with('.') && name != ".md") {
            continue;
        }
        let path = join();
        if path.ends_with(".md") {
            notes.push(Found {
                excluded: is_excluded(&path, options),
                path: VaultPath::new(path),
                // Set below, once the folder has its number.
                folder: 0,
            });
        } else {
            others.push(VaultPath::new(path));
        }
    }
    if !notes.is_empty() || !others.is_empty() {
        let mut found = lock(found);
        if !notes.is_empty() {
            let folder = u32::try_from(found.folders.len()).unwrap_or(u32::MAX);
            for note in &mut notes {
                note.folder = folder;
            }
            found.folders.push((rel, notes.len()));
        }
        found.notes.append(&mut notes);
        found.others.append(&mut others);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
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

    /// The walk skips what Obsidian skips (dot-folders, dot-files other than `.md`), does
    /// not follow symbolic links, and sorts both lists by path.
    #[test]
    fn walk_lists_notes_and_other_files_as_obsidian_sees_them() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for folder in ["A/B", ".obsidian/plugins", ".trash", "C"] {
            std::fs::create_dir_all(root.join(folder)).expect("folder");
        }
        for file in [
            "z.md",
            "A/b.md",
            "A/B/c.md",
            "A/B/pic.png",
            ".md",
            ".hidden.md",
            ".obsidian/plugins/x.md",
            ".trash/old.md",
            "C/.DS_Store",
            "C/d.canvas",
            "Meta/m.md",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
            std::fs::write(path, "x").expect("write");
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("A"), root.join("C/link")).expect("symlink");
        let options = ScanOptions {
            excluded_folders: vec!["Meta".into()],
            ..ScanOptions::default()
        };
        let Walked {
            notes,
            others,
            errors,
            folders,
        } = walk(root, &options);
        assert!(errors.is_empty(), "{errors:?}");
        // Each note knows its folder, and each folder how many notes it holds.
        for note in &notes {
            let (folder, _) = &folders[note.folder as usize];
            let parent = note.path.on_disk.rsplit_once('/').map_or("", |(f, _)| f);
            assert_eq!(folder, parent, "{}", note.path.on_disk);
        }
        let mut counts: Vec<(&str, usize)> =
            folders.iter().map(|(f, n)| (f.as_str(), *n)).collect();
        counts.sort();
        assert_eq!(counts, [("", 2), ("A", 1), ("A/B", 1), ("Meta", 1)]);
        let notes: Vec<(&str, bool)> = notes
            .iter()
            .map(|f| (&*f.path.on_disk, f.excluded))
            .collect();
        assert_eq!(
            notes,
            [
                (".md", false),
                ("A/B/c.md", false),
                ("A/b.md", false),
                ("Meta/m.md", true),
                ("z.md", false)
            ]
        );
        let others: Vec<&str> = others.iter().map(|p| &*p.on_disk).collect();
        assert_eq!(others, ["A/B/pic.png", "C/d.canvas"]);
    }

    /// A file read with a size its metadata no longer has (it grew or shrank since) is
    /// still read whole; with the right size, in one `read`.
    #[test]
    fn reads_a_file_whole_whatever_size_it_was_said_to_have() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("n.md");
        let text = "---\nstatus: To Review\n---\nbody é\n".repeat(300);
        std::fs::write(&path, &text).expect("write");
        let len = text.len() as u64;
        for said in [len, 0, 1, len - 1, len + 1, len * 3] {
            let file = std::fs::File::open(&path).expect("open");
            let bytes = read_all(file, said).expect("read");
            assert_eq!(bytes, text.as_bytes(), "said {said} of {len}");
        }
        #[cfg(unix)]
        {
            let file = std::fs::File::open(&path).expect("open");
            let mut bytes = Vec::with_capacity(text.len() + 1);
            assert!(read_whole_at_once(&file, len, &mut bytes));
            assert_eq!(bytes, text.as_bytes());
        }
    }

    /// Files are opened in their open folder, or by path past `MAX_OPEN_FOLDERS` folders:
    /// either way every note comes back with its own bytes and size, in path order.
    #[test]
    fn reads_every_note_through_open_folders_and_by_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut expected = Vec::new();
        // One folder more than are kept open, the busiest first (folder 000 holds 3 files).
        for i in 0..=MAX_OPEN_FOLDERS {
            let folder = format!("F {i:03} é");
            std::fs::create_dir(dir.path().join(&folder)).expect("folder");
            for j in 0..if i == 0 { 3 } else { 1 } {
                let rel = format!("{folder}/note {j}.md");
                let text = format!("---\nn: {i}-{j}\n---\n");
                std::fs::write(dir.path().join(&rel), &text).expect("write");
                expected.push((rel, text));
            }
        }
        std::fs::write(dir.path().join("root.md"), "at the root").expect("write");
        expected.push(("root.md".to_owned(), "at the root".to_owned()));
        expected.sort();
        let scan = scan(
            dir.path(),
            &ScanOptions::default(),
            |_| {},
            |meta, bytes| {
                assert_eq!(meta.size as usize, bytes.len());
                let text = String::from_utf8(bytes).expect("utf-8");
                (meta.path.on_disk.to_string(), text)
            },
        )
        .expect("scan");
        assert!(scan.errors.is_empty(), "{:?}", scan.errors);
        let got: Vec<(String, String)> = scan.notes;
        assert_eq!(got, expected);
        let walked = walk(dir.path(), &ScanOptions::default());
        let folders = Folders::open(dir.path(), &walked.folders);
        #[cfg(unix)]
        {
            let open: Vec<&str> = walked
                .folders
                .iter()
                .zip(&folders.open)
                .filter(|(_, fd)| fd.is_some())
                .map(|((f, _), _)| f.as_str())
                .collect();
            assert_eq!(open.len(), MAX_OPEN_FOLDERS);
            assert!(open.contains(&"F 000 é"));
        }
        let _ = folders;
    }
}
