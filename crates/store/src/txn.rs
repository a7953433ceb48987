//! Transactions: a set of file changes applied all together or not at all, recorded so they
//! can be undone.
//!
//! [`VaultWriter::commit`] works in five steps:
//! 1. **check**: every file still holds what the plan read (same BLAKE3 hash, or still
//!    absent for a new file); otherwise [`WriteError::Conflict`] and nothing is written;
//! 2. **journal**: `.attune/journal/<n>/` gets the bytes every file had (`before/<i>`) and
//!    then, atomically, the `manifest` (paths, hashes before and after, modes): from that
//!    moment a crash is repaired by [`VaultWriter::recover`];
//! 3. **apply**: each file is written atomically (temp file `.<name>.attune-tmp` in its
//!    folder, permissions kept, fsync, hash checked once more, rename, folder fsync);
//!    a failure rolls back the files already written;
//! 4. **record**: the journal folder is renamed to `.attune/history/<n>/`: the commit is done
//!    and [`VaultWriter::undo`] can restore the previous bytes later;
//! 5. `recover` on the next start completes a commit whose files were all written, and rolls
//!    back any other (files written by it go back to their previous bytes; a file changed by
//!    someone else meanwhile is left alone and reported).
//!
//! `.attune/` is a dot-folder, so the vault walk never sees it.

use std::path::{Path, PathBuf};

use crate::disk::Disk;
use crate::journal::{ContentHash, Manifest, ManifestFile, hash};

/// Folder of attune's own state, at the vault root.
pub const STATE_DIR: &str = ".attune";
const JOURNAL_DIR: &str = ".attune/journal";
const HISTORY_DIR: &str = ".attune/history";
const TEMP_SUFFIX: &str = ".attune-tmp";
/// The file whose lock one writer holds while it commits, undoes or recovers.
const LOCK_FILE: &str = ".attune/lock";

/// What a file held when a plan read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// No file at that path (a note to create).
    Absent,
    /// A file with exactly these bytes.
    Content(ContentHash),
}

impl Expected {
    /// What `bytes` (as read, `None` for no file) says a file holds.
    pub fn of(bytes: Option<&[u8]>) -> Expected {
        bytes.map_or(Expected::Absent, |b| Expected::Content(hash(b)))
    }
    fn hash(self) -> Option<ContentHash> {
        match self {
            Expected::Absent => None,
            Expected::Content(h) => Some(h),
        }
    }
}

/// One file a commit writes or deletes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// Vault-relative, `/`-separated.
    pub path: String,
    /// What the plan read there.
    pub expected: Expected,
    /// The new bytes; `None` deletes the file.
    pub new: Option<Vec<u8>>,
}

/// Why a file is in conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictKind {
    /// The file's bytes differ from what the plan read.
    Changed,
    /// The plan creates the file, and one exists now.
    Exists,
    /// The plan read the file, and it is gone now.
    Deleted,
}

/// Why a commit, an undo or a recovery did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{}", conflict_message(path, *kind))]
    Conflict { path: String, kind: ConflictKind },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` cannot be written: {reason}")]
    BadPath { path: String, reason: &'static str },
    #[error("{path}: unreadable commit record ({reason})")]
    BadRecord { path: PathBuf, reason: String },
    #[error("nothing to undo: no commit is recorded in .attune/history")]
    NothingToUndo,
    #[error("commit #{0} does not exist")]
    NoSuchCommit(u64),
    #[error(
        "another attune is writing to this vault ({LOCK_FILE} is locked); nothing was written — try again in a moment"
    )]
    Busy,
}

fn conflict_message(path: &str, kind: ConflictKind) -> String {
    match kind {
        ConflictKind::Changed => format!(
            "{path} changed since it was read (edited elsewhere?); nothing was written — run the command again"
        ),
        ConflictKind::Exists => format!(
            "{path} exists now, but the plan creates it; nothing was written — run the command again"
        ),
        ConflictKind::Deleted => {
            format!("{path} was deleted since it was read; nothing was written")
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A commit as recorded in the history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitInfo {
    pub manifest: Manifest,
    /// The undo commit that reverted this one, if any.
    pub undone_by: Option<u64>,
}

impl CommitInfo {
    pub fn number(&self) -> u64 {
        self.manifest.number
    }
}

/// What [`VaultWriter::recover`] did with an unfinished commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recovery {
    /// The crash came before any file was touched; the journal was dropped.
    Discarded { number: u64 },
    /// Every file had been written: the commit was recorded as done.
    Completed { number: u64 },
    /// Files were put back to their previous bytes. `left_alone` lists files that someone
    /// else changed meanwhile, which were not touched.
    RolledBack {
        number: u64,
        left_alone: Vec<String>,
    },
}

/// Writes to one vault through a [`Disk`]: commits, recovery, history, undo.
pub struct VaultWriter<'d, D: Disk + ?Sized> {
    disk: &'d D,
    root: PathBuf,
    clock: fn() -> i64,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// One file of a commit being applied.
struct Entry {
    path: String,
    abs: PathBuf,
    before: Option<Vec<u8>>,
    after: Option<Vec<u8>>,
    mode: Option<u32>,
}

impl<'d, D: Disk + ?Sized> VaultWriter<'d, D> {
    pub fn new(disk: &'d D, root: impl Into<PathBuf>) -> VaultWriter<'d, D> {
        VaultWriter {
            disk,
            root: root.into(),
            clock: now_ms,
        }
    }

    /// Use another clock for the times recorded (tests).
    pub fn with_clock(mut self, clock: fn() -> i64) -> VaultWriter<'d, D> {
        self.clock = clock;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn abs(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Apply `changes` as one transaction (see the module docs). Finishes any unfinished
    /// commit first. Returns the recorded commit.
    pub fn commit(&self, message: &str, changes: &[FileChange]) -> Result<Manifest, WriteError> {
        self.commit_inner(message, changes, None)
    }

    fn lock(&self) -> Result<crate::disk::DiskLock, WriteError> {
        let path = self.abs(LOCK_FILE);
        self.disk
            .try_lock(&path)
            .map_err(io(&path))?
            .ok_or(WriteError::Busy)
    }

    fn commit_inner(
        &self,
        message: &str,
        changes: &[FileChange],
        undoes: Option<u64>,
    ) -> Result<Manifest, WriteError> {
        let _lock = self.lock()?;
        self.recover_locked()?;
        // 1. check
        let mut entries = Vec::with_capacity(changes.len());
        for change in changes {
            check_path(&change.path)?;
            if entries.iter().any(|e: &Entry| e.path == change.path) {
                return Err(WriteError::BadPath {
                    path: change.path.clone(),
                    reason: "it appears twice in one commit",
                });
            }
            let abs = self.abs(&change.path);
            let before = self.disk.read(&abs).map_err(io(&abs))?;
            check_expected(&change.path, change.expected, before.as_deref())?;
            let mode = if before.is_some() {
                self.disk.mode(&abs).map_err(io(&abs))?
            } else {
                None
            };
            entries.push(Entry {
                path: change.path.clone(),
                abs,
                before,
                after: change.new.clone(),
                mode,
            });
        }
        let number = self.next_number()?;
        let manifest = Manifest {
            number,
            time_ms: (self.clock)(),
            message: message.to_owned(),
            undoes,
            files: entries
                .iter()
                .map(|e| ManifestFile {
                    path: e.path.clone(),
                    before: e.before.as_deref().map(hash),
                    after: e.after.as_deref().map(hash),
                    mode: e.mode,
                })
                .collect(),
        };

        // 2. journal
        let journal = self.abs(JOURNAL_DIR).join(number.to_string());
        if let Err(e) = self.write_journal(&journal, &manifest, &entries) {
            // Nothing in the vault was touched; a half-written journal has no manifest and
            // is dropped by the next recovery.
            let _ = self.disk.remove_dir_all(&journal);
            return Err(e);
        }

        // 3. apply
        for (i, entry) in entries.iter().enumerate() {
            if let Err(e) = self.apply(entry) {
                match self.roll_back(&entries[..=i], &manifest.files[..=i]) {
                    Ok(_) => {
                        let _ = self.disk.remove_dir_all(&journal);
                    }
                    Err(_) => {
                        // The journal stays: the next `recover` finishes the roll-back.
                    }
                }
                return Err(e);
            }
        }

        // 4. record
        self.record(&journal, number)?;
        Ok(manifest)
    }

    fn write_journal(
        &self,
        journal: &Path,
        manifest: &Manifest,
        entries: &[Entry],
    ) -> Result<(), WriteError> {
        let before_dir = journal.join("before");
        self.disk
            .create_dir_all(&before_dir)
            .map_err(io(&before_dir))?;
        for (i, entry) in entries.iter().enumerate() {
            if let Some(bytes) = &entry.before {
                let p = before_dir.join(i.to_string());
                self.disk.write(&p, bytes, None).map_err(io(&p))?;
                self.disk.sync_file(&p).map_err(io(&p))?;
            }
        }
        self.disk.sync_dir(&before_dir).map_err(io(&before_dir))?;
        let text = manifest.render();
        self.write_atomic(&journal.join("manifest"), text.as_bytes(), None)?;
        let parent = self.abs(JOURNAL_DIR);
        self.disk.sync_dir(&parent).map_err(io(&parent))
    }

    /// Write `bytes` to `path` atomically: temp file beside it, fsync, rename, folder fsync.
    fn write_atomic(&self, path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<(), WriteError> {
        let temp = temp_path(path);
        let dir = parent_of(path);
        self.disk.write(&temp, bytes, mode).map_err(io(&temp))?;
        self.disk.sync_file(&temp).map_err(io(&temp))?;
        self.disk.rename(&temp, path).map_err(io(path))?;
        self.disk.sync_dir(&dir).map_err(io(&dir))
    }

    fn apply(&self, e: &Entry) -> Result<(), WriteError> {
        let dir = parent_of(&e.abs);
        let verify = || -> Result<(), WriteError> {
            let now = self.disk.read(&e.abs).map_err(io(&e.abs))?;
            check_expected(&e.path, Expected::of(e.before.as_deref()), now.as_deref())
        };
        match &e.after {
            Some(bytes) => {
                self.disk.create_dir_all(&dir).map_err(io(&dir))?;
                let temp = temp_path(&e.abs);
                let staged = self
                    .disk
                    .write(&temp, bytes, e.mode)
                    .and_then(|()| self.disk.sync_file(&temp))
                    .map_err(io(&temp))
                    .and_then(|()| verify());
                if let Err(err) = staged {
                    let _ = self.disk.remove_file(&temp);
                    return Err(err);
                }
                self.disk.rename(&temp, &e.abs).map_err(io(&e.abs))?;
                self.disk.sync_dir(&dir).map_err(io(&dir))
            }
            None => {
                verify()?;
                self.disk.remove_file(&e.abs).map_err(io(&e.abs))?;
                self.disk.sync_dir(&dir).map_err(io(&dir))
            }
        }
    }

    /// Put every file of `entries` that holds its new bytes back to its previous bytes.
    /// Returns the files left alone because someone else changed them.
    fn roll_back(
        &self,
        entries: &[Entry],
        files: &[ManifestFile],
    ) -> Result<Vec<String>, WriteError> {
        let mut left_alone = Vec::new();
        for (entry, file) in entries.iter().zip(files).rev() {
            let _ = self.disk.remove_file(&temp_path(&entry.abs));
            let now = self.disk.read(&entry.abs).map_err(io(&entry.abs))?;
            let now_hash = now.as_deref().map(hash);
            if now_hash == file.before {
                continue;
            }
            if now_hash != file.after {
                left_alone.push(entry.path.clone());
                continue;
            }
            match &entry.before {
                Some(bytes) => self.write_atomic(&entry.abs, bytes, file.mode)?,
                None => {
                    self.disk.remove_file(&entry.abs).map_err(io(&entry.abs))?;
                    let dir = parent_of(&entry.abs);
                    self.disk.sync_dir(&dir).map_err(io(&dir))?;
                }
            }
        }
        Ok(left_alone)
    }

    fn record(&self, journal: &Path, number: u64) -> Result<(), WriteError> {
        let history = self.abs(HISTORY_DIR);
        self.disk.create_dir_all(&history).map_err(io(&history))?;
        let done = history.join(number.to_string());
        self.disk.rename(journal, &done).map_err(io(&done))?;
        self.disk.sync_dir(&history).map_err(io(&history))?;
        let journals = self.abs(JOURNAL_DIR);
        self.disk.sync_dir(&journals).map_err(io(&journals))
    }

    fn numbers(&self, dir: &str) -> Result<Vec<u64>, WriteError> {
        let dir = self.abs(dir);
        let mut out: Vec<u64> = self
            .disk
            .list_dir(&dir)
            .map_err(io(&dir))?
            .iter()
            .filter_map(|n| n.parse().ok())
            .collect();
        out.sort_unstable();
        Ok(out)
    }

    fn next_number(&self) -> Result<u64, WriteError> {
        let highest = self
            .numbers(HISTORY_DIR)?
            .into_iter()
            .chain(self.numbers(JOURNAL_DIR)?)
            .max()
            .unwrap_or(0);
        Ok(highest + 1)
    }

    fn read_manifest(&self, dir: &Path) -> Result<Option<Manifest>, WriteError> {
        let path = dir.join("manifest");
        let Some(bytes) = self.disk.read(&path).map_err(io(&path))? else {
            return Ok(None);
        };
        let text = String::from_utf8(bytes).map_err(|_| WriteError::BadRecord {
            path: path.clone(),
            reason: "not UTF-8".into(),
        })?;
        Manifest::parse(&text)
            .map(Some)
            .map_err(|reason| WriteError::BadRecord { path, reason })
    }

    /// Finish what a crash interrupted: every journal left in `.attune/journal/` is completed
    /// (when all its files were written) or rolled back. Call it before reading a vault.
    pub fn recover(&self) -> Result<Vec<Recovery>, WriteError> {
        if self.numbers(JOURNAL_DIR)?.is_empty() {
            return Ok(Vec::new()); // nothing to do, and nothing written (read-only vaults)
        }
        let _lock = self.lock()?;
        self.recover_locked()
    }

    fn recover_locked(&self) -> Result<Vec<Recovery>, WriteError> {
        let mut done = Vec::new();
        for number in self.numbers(JOURNAL_DIR)? {
            let journal = self.abs(JOURNAL_DIR).join(number.to_string());
            let Some(manifest) = self.read_manifest(&journal)? else {
                self.disk.remove_dir_all(&journal).map_err(io(&journal))?;
                done.push(Recovery::Discarded { number });
                continue;
            };
            let mut entries = Vec::new();
            let mut all_after = true;
            for (i, f) in manifest.files.iter().enumerate() {
                let abs = self.abs(&f.path);
                self.disk.remove_file(&temp_path(&abs)).map_err(io(&abs))?;
                let now = self.disk.read(&abs).map_err(io(&abs))?;
                all_after &= now.as_deref().map(hash) == f.after;
                let before = match f.before {
                    None => None,
                    Some(h) => {
                        let p = journal.join("before").join(i.to_string());
                        let bytes = self.disk.read(&p).map_err(io(&p))?;
                        match bytes {
                            Some(b) if hash(&b) == h => Some(b),
                            _ => {
                                return Err(WriteError::BadRecord {
                                    path: p,
                                    reason: "the saved previous bytes do not match the manifest"
                                        .into(),
                                });
                            }
                        }
                    }
                };
                entries.push(Entry {
                    path: f.path.clone(),
                    abs,
                    before,
                    after: None,
                    mode: f.mode,
                });
            }
            if all_after {
                self.record(&journal, number)?;
                done.push(Recovery::Completed { number });
            } else {
                let left_alone = self.roll_back(&entries, &manifest.files)?;
                self.disk.remove_dir_all(&journal).map_err(io(&journal))?;
                done.push(Recovery::RolledBack { number, left_alone });
            }
        }
        Ok(done)
    }

    /// Every recorded commit, newest first.
    pub fn log(&self) -> Result<Vec<CommitInfo>, WriteError> {
        let mut out = Vec::new();
        for number in self.numbers(HISTORY_DIR)?.into_iter().rev() {
            let dir = self.abs(HISTORY_DIR).join(number.to_string());
            let manifest = self
                .read_manifest(&dir)?
                .ok_or_else(|| WriteError::BadRecord {
                    path: dir.join("manifest"),
                    reason: "missing".into(),
                })?;
            out.push(CommitInfo {
                manifest,
                undone_by: None,
            });
        }
        let undos: Vec<(u64, u64)> = out
            .iter()
            .filter_map(|c| c.manifest.undoes.map(|u| (u, c.number())))
            .collect();
        for c in &mut out {
            c.undone_by = undos
                .iter()
                .find(|(u, _)| *u == c.number())
                .map(|(_, by)| *by);
        }
        Ok(out)
    }

    /// Restore the files of the newest commit that is neither an undo nor undone already.
    /// Refuses (a conflict naming the file, nothing written) when a file changed since.
    pub fn undo(&self) -> Result<Manifest, WriteError> {
        let log = self.log()?;
        let target = log
            .iter()
            .find(|c| c.manifest.undoes.is_none() && c.undone_by.is_none())
            .ok_or(WriteError::NothingToUndo)?;
        self.undo_commit(target.number())
    }

    /// Restore the files of commit `number` (see [`VaultWriter::undo`]).
    pub fn undo_commit(&self, number: u64) -> Result<Manifest, WriteError> {
        let dir = self.abs(HISTORY_DIR).join(number.to_string());
        let manifest = self
            .read_manifest(&dir)?
            .ok_or(WriteError::NoSuchCommit(number))?;
        let mut changes = Vec::new();
        for (i, f) in manifest.files.iter().enumerate() {
            let new = match f.before {
                None => None,
                Some(h) => {
                    let p = dir.join("before").join(i.to_string());
                    match self.disk.read(&p).map_err(io(&p))? {
                        Some(b) if hash(&b) == h => Some(b),
                        _ => {
                            return Err(WriteError::BadRecord {
                                path: p,
                                reason: "the saved previous bytes do not match the manifest".into(),
                            });
                        }
                    }
                }
            };
            let expected = f.after.map_or(Expected::Absent, Expected::Content);
            changes.push(FileChange {
                path: f.path.clone(),
                expected,
                new,
            });
        }
        let message = format!("undo #{number}: {}", manifest.message);
        self.commit_inner(&message, &changes, Some(number))
    }
}

fn check_expected(path: &str, expected: Expected, now: Option<&[u8]>) -> Result<(), WriteError> {
    let kind = match (expected.hash(), now) {
        (None, None) => return Ok(()),
        (None, Some(_)) => ConflictKind::Exists,
        (Some(_), None) => ConflictKind::Deleted,
        (Some(h), Some(b)) if hash(b) == h => return Ok(()),
        (Some(_), Some(_)) => ConflictKind::Changed,
    };
    Err(WriteError::Conflict {
        path: path.to_owned(),
        kind,
    })
}

fn check_path(path: &str) -> Result<(), WriteError> {
    let bad = |reason| {
        Err(WriteError::BadPath {
            path: path.to_owned(),
            reason,
        })
    };
    if path.is_empty() || path.starts_with('/') || path.contains('\\') {
        return bad("it must be a vault-relative path with `/` separators");
    }
    if path.contains(['\n', '\r', '\t', '\0']) {
        return bad("it holds a line break, tab or NUL");
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return bad("it has an empty, `.` or `..` part");
    }
    if path == STATE_DIR || path.starts_with(".attune/") {
        return bad("`.attune/` is attune's own state");
    }
    Ok(())
}

fn parent_of(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The temp file beside `path`: `.<name>.attune-tmp` (a dot-file, so no vault walk sees it).
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}{TEMP_SUFFIX}"))
}
