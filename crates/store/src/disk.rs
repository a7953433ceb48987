//! [`Disk`]: the few file-system operations a transaction is made of, behind a trait so the
//! same transaction code runs on the real disk ([`RealDisk`]) and on an in-memory twin with
//! fault injection ([`MemDisk`]) that can fail, or "crash", at any step.
//!
//! Atomic writes are built by hand from these steps rather than with `atomic-write-file`:
//! the transaction must compare the target's hash with the plan's *between* the temp file's
//! fsync and the rename, and every step must be a place where the twin can inject a fault.
//! The steps are those of `atomic-write-file` (and gitoxide's `gix-lock`): write a temp file
//! in the target's folder, set its permissions, fsync it, rename it over the target, fsync
//! the folder.

// This is the store: the one place allowed to call `std::fs`.
#![allow(clippy::disallowed_methods)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// File-system operations used by transactions. Paths are absolute (or relative to the
/// process's folder); every method is one step that can fail on its own.
pub trait Disk {
    /// The file's bytes, `None` when it does not exist.
    fn read(&self, path: &Path) -> io::Result<Option<Vec<u8>>>;
    /// Unix permission bits of the file, `None` when it does not exist (or on systems
    /// without them).
    fn mode(&self, path: &Path) -> io::Result<Option<u32>>;
    /// Create a folder and its parents.
    fn create_dir_all(&self, path: &Path) -> io::Result<()>;
    /// Create or truncate `path` and write `bytes` to it, then give it `mode` when set.
    fn write(&self, path: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()>;
    /// Flush a file's content to stable storage.
    fn sync_file(&self, path: &Path) -> io::Result<()>;
    /// Flush a folder's entries (after a rename or removal inside it).
    fn sync_dir(&self, path: &Path) -> io::Result<()>;
    /// Atomically replace `to` with `from` (files or folders).
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Remove a file; a missing file is not an error.
    fn remove_file(&self, path: &Path) -> io::Result<()>;
    /// Remove a folder and everything below it; a missing folder is not an error.
    fn remove_dir_all(&self, path: &Path) -> io::Result<()>;
    /// Names of the entries of a folder, sorted; empty when the folder does not exist.
    fn list_dir(&self, path: &Path) -> io::Result<Vec<String>>;
    /// Take the exclusive lock kept in the file `path` (created, with its folder, when
    /// missing) without waiting: `Ok(None)` when someone else holds it. The lock is released
    /// when the guard drops, or when the process dies.
    fn try_lock(&self, path: &Path) -> io::Result<Option<DiskLock>>;
}

/// A held lock; dropping it releases the lock.
pub struct DiskLock {
    _file: Option<std::fs::File>,
    release: Option<Box<dyn FnOnce() + Send>>,
}

impl Drop for DiskLock {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release();
        }
    }
}

impl std::fmt::Debug for DiskLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DiskLock")
    }
}

/// The real file system (std, one system call or two per step).
#[derive(Clone, Copy, Debug, Default)]
pub struct RealDisk;

impl Disk for RealDisk {
    fn read(&self, path: &Path) -> io::Result<Option<Vec<u8>>> {
        match std::fs::read(path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn mode(&self, path: &Path) -> io::Result<Option<u32>> {
        match std::fs::metadata(path) {
            Ok(md) => Ok(mode_of(&md)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        std::fs::create_dir_all(path)
    }

    fn write(&self, path: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)?;
        file.write_all(bytes)?;
        if let Some(mode) = mode {
            set_mode(&file, mode)?;
        }
        Ok(())
    }

    fn sync_file(&self, path: &Path) -> io::Result<()> {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .sync_all()
    }

    fn sync_dir(&self, path: &Path) -> io::Result<()> {
        #[cfg(unix)]
        {
            std::fs::OpenOptions::new()
                .read(true)
                .open(path)?
                .sync_all()
        }
        #[cfg(not(unix))]
        {
            // Folders cannot be opened for syncing on Windows; renames there are durable
            // once `MoveFileEx` returns with the write-through flag std does not expose.
            let _ = path;
            Ok(())
        }
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    fn remove_dir_all(&self, path: &Path) -> io::Result<()> {
        match std::fs::remove_dir_all(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    fn list_dir(&self, path: &Path) -> io::Result<Vec<String>> {
        let entries = match std::fs::read_dir(path) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut names = Vec::new();
        for entry in entries {
            names.push(entry?.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        Ok(names)
    }

    fn try_lock(&self, path: &Path) -> io::Result<Option<DiskLock>> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(DiskLock {
                _file: Some(file),
                release: None,
            })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e),
        }
    }
}

#[cfg(unix)]
fn mode_of(md: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(md.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode_of(_md: &std::fs::Metadata) -> Option<u32> {
    None
}

#[cfg(unix)]
fn set_mode(file: &std::fs::File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &std::fs::File, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// How an injected fault behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultMode {
    /// The chosen step fails and the process goes on (a full disk, a permission error): the
    /// transaction must clean up after itself.
    Fail,
    /// The process dies at the chosen step: it and every later step fail until
    /// [`MemDisk::restart`]. A failing `write` leaves half of its bytes behind (a torn write).
    Crash,
}

/// An in-memory file system with fault injection, for tests. Mutating steps are counted
/// from 0; [`MemDisk::fail_at`] makes step `k` fail.
#[derive(Debug, Default)]
pub struct MemDisk {
    state: Mutex<MemState>,
    /// Paths of the locks held.
    locks: std::sync::Arc<Mutex<BTreeSet<PathBuf>>>,
}

#[derive(Debug, Default)]
struct MemState {
    files: BTreeMap<PathBuf, (Vec<u8>, u32)>,
    dirs: BTreeSet<PathBuf>,
    steps: usize,
    fail_at: Option<(usize, FaultMode)>,
    crashed: bool,
    /// Every mutating step taken, as `"rename a -> b"` and the like.
    log: Vec<String>,
}

/// Permission bits a new file gets in the twin (0o666 less a 0o022 umask).
pub const NEW_FILE_MODE: u32 = 0o644;

impl MemDisk {
    pub fn new() -> MemDisk {
        MemDisk::default()
    }

    fn state(&self) -> MutexGuard<'_, MemState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Make mutating step `k` (counted from now) fail in the given way.
    pub fn fail_at(&self, k: usize, mode: FaultMode) {
        let mut s = self.state();
        s.steps = 0;
        s.fail_at = Some((k, mode));
    }

    /// Remove any planned fault and end a crash: the next process starts.
    pub fn restart(&self) {
        let mut s = self.state();
        s.fail_at = None;
        s.crashed = false;
        s.steps = 0;
    }

    /// How many mutating steps were taken since the last [`MemDisk::fail_at`] / restart.
    pub fn steps(&self) -> usize {
        self.state().steps
    }

    /// The mutating steps taken so far.
    pub fn log(&self) -> Vec<String> {
        self.state().log.clone()
    }

    /// Every file with its bytes, sorted by path.
    pub fn files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        self.state()
            .files
            .iter()
            .map(|(p, (b, _))| (p.clone(), b.clone()))
            .collect()
    }

    /// Put a file in place without counting a step (test setup).
    pub fn insert(&self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>, mode: u32) {
        let path = path.into();
        let mut s = self.state();
        let mut dir = path.parent();
        while let Some(d) = dir {
            s.dirs.insert(d.to_path_buf());
            dir = d.parent();
        }
        s.files.insert(path, (bytes.into(), mode));
    }

    /// Count one mutating step; `Err` when it is the one chosen to fail (or after a crash).
    /// `Ok(Some(mode))` tells `write` it must tear.
    fn step(s: &mut MemState, what: String) -> io::Result<Option<FaultMode>> {
        if s.crashed {
            return Err(io::Error::other(format!("crashed before: {what}")));
        }
        let k = s.steps;
        s.steps += 1;
        match s.fail_at {
            Some((at, mode)) if at == k => {
                if mode == FaultMode::Crash {
                    s.crashed = true;
                }
                s.log.push(format!("FAIL {what}"));
                Ok(Some(mode))
            }
            _ => {
                s.log.push(what);
                Ok(None)
            }
        }
    }

    fn injected(what: &str) -> io::Error {
        io::Error::other(format!("injected fault: {what}"))
    }

    fn check_parent(s: &MemState, path: &Path) -> io::Result<()> {
        match path.parent() {
            Some(p) if !p.as_os_str().is_empty() && !s.dirs.contains(p) => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{}: no such folder", p.display()),
            )),
            _ => Ok(()),
        }
    }
}

impl Disk for MemDisk {
    fn read(&self, path: &Path) -> io::Result<Option<Vec<u8>>> {
        let s = self.state();
        if s.crashed {
            return Err(io::Error::other("crashed"));
        }
        Ok(s.files.get(path).map(|(b, _)| b.clone()))
    }

    fn mode(&self, path: &Path) -> io::Result<Option<u32>> {
        let s = self.state();
        if s.crashed {
            return Err(io::Error::other("crashed"));
        }
        Ok(s.files.get(path).map(|(_, m)| *m))
    }

    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        let mut s = self.state();
        let what = format!("mkdir {}", path.display());
        if Self::step(&mut s, what.clone())?.is_some() {
            return Err(Self::injected(&what));
        }
        let mut dir = Some(path);
        while let Some(d) = dir {
            if !d.as_os_str().is_empty() {
                s.dirs.insert(d.to_path_buf());
            }
            dir = d.parent();
        }
        Ok(())
    }

    fn write(&self, path: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()> {
        let mut s = self.state();
        let what = format!("write {}", path.display());
        let fault = Self::step(&mut s, what.clone())?;
        Self::check_parent(&s, path)?;
        let mode = mode
            .or_else(|| s.files.get(path).map(|(_, m)| *m))
            .unwrap_or(NEW_FILE_MODE);
        match fault {
            None => {
                s.files.insert(path.to_path_buf(), (bytes.to_vec(), mode));
                Ok(())
            }
            Some(FaultMode::Crash) => {
                // A torn write: the first half made it.
                s.files.insert(
                    path.to_path_buf(),
                    (bytes[..bytes.len() / 2].to_vec(), mode),
                );
                Err(Self::injected(&what))
            }
            Some(FaultMode::Fail) => Err(Self::injected(&what)),
        }
    }

    fn sync_file(&self, path: &Path) -> io::Result<()> {
        let mut s = self.state();
        let what = format!("fsync {}", path.display());
        if Self::step(&mut s, what.clone())?.is_some() {
            return Err(Self::injected(&what));
        }
        if s.files.contains_key(path) {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{}: no such file", path.display()),
            ))
        }
    }

    fn sync_dir(&self, path: &Path) -> io::Result<()> {
        let mut s = self.state();
        let what = format!("fsync-dir {}", path.display());
        if Self::step(&mut s, what.clone())?.is_some() {
            return Err(Self::injected(&what));
        }
        Ok(())
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        let mut s = self.state();
        let what = format!("rename {} -> {}", from.display(), to.display());
        if Self::step(&mut s, what.clone())?.is_some() {
            return Err(Self::injected(&what));
        }
        Self::check_parent(&s, to)?;
        if let Some(file) = s.files.remove(from) {
            s.files.insert(to.to_path_buf(), file);
            return Ok(());
        }
        if s.dirs.contains(from) {
            // Move a folder and everything below it.
            let moved_dirs: Vec<PathBuf> = s
                .dirs
                .iter()
                .filter(|d| d.starts_with(from))
                .cloned()
                .collect();
            for d in moved_dirs {
                s.dirs.remove(&d);
                let rest = d
                    .strip_prefix(from)
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                s.dirs.insert(to.join(rest));
            }
            let moved: Vec<PathBuf> = s
                .files
                .keys()
                .filter(|p| p.starts_with(from))
                .cloned()
                .collect();
            for p in moved {
                if let Some(file) = s.files.remove(&p) {
                    let rest = p
                        .strip_prefix(from)
                        .map(Path::to_path_buf)
                        .unwrap_or_default();
                    s.files.insert(to.join(rest), file);
                }
            }
            return Ok(());
        }
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{}: no such file", from.display()),
        ))
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        let mut s = self.state();
        let what = format!("remove {}", path.display());
        if Self::step(&mut s, what.clone())?.is_some() {
            return Err(Self::injected(&what));
        }
        s.files.remove(path);
        Ok(())
    }

    fn remove_dir_all(&self, path: &Path) -> io::Result<()> {
        let mut s = self.state();
        let what = format!("remove-dir {}", path.display());
        if Self::step(&mut s, what.clone())?.is_some() {
            return Err(Self::injected(&what));
        }
        s.files.retain(|p, _| !p.starts_with(path));
        s.dirs.retain(|d| !d.starts_with(path));
        Ok(())
    }

    fn list_dir(&self, path: &Path) -> io::Result<Vec<String>> {
        let s = self.state();
        if s.crashed {
            return Err(io::Error::other("crashed"));
        }
        let mut names: BTreeSet<String> = BTreeSet::new();
        let children = s.files.keys().chain(s.dirs.iter());
        for p in children {
            if p.parent() == Some(path)
                && let Some(name) = p.file_name()
            {
                names.insert(name.to_string_lossy().into_owned());
            }
        }
        Ok(names.into_iter().collect())
    }

    fn try_lock(&self, path: &Path) -> io::Result<Option<DiskLock>> {
        let mut held = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        if !held.insert(path.to_path_buf()) {
            return Ok(None);
        }
        let locks = std::sync::Arc::clone(&self.locks);
        let path = path.to_path_buf();
        let release = move || {
            locks
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&path);
        };
        Ok(Some(DiskLock {
            _file: None,
            release: Some(Box::new(release)),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twin_fails_at_the_chosen_step_and_crash_stops_everything_after() {
        let disk = MemDisk::new();
        disk.create_dir_all(Path::new("/v")).unwrap();
        disk.fail_at(1, FaultMode::Crash);
        disk.write(Path::new("/v/a"), b"1", None).unwrap();
        let torn = disk.write(Path::new("/v/b"), b"1234", None);
        assert!(torn.is_err());
        assert_eq!(
            disk.files().get(Path::new("/v/b")).map(Vec::as_slice),
            Some(&b"12"[..])
        );
        assert!(disk.write(Path::new("/v/c"), b"1", None).is_err());
        disk.restart();
        disk.write(Path::new("/v/c"), b"1", None).unwrap();
        assert_eq!(disk.list_dir(Path::new("/v")).unwrap(), ["a", "b", "c"]);
    }

    #[test]
    fn twin_renames_folders_with_their_files() {
        let disk = MemDisk::new();
        disk.insert("/v/j/1/m", "x", 0o600);
        disk.create_dir_all(Path::new("/v/h")).unwrap();
        disk.rename(Path::new("/v/j/1"), Path::new("/v/h/1"))
            .unwrap();
        assert_eq!(disk.list_dir(Path::new("/v/h/1")).unwrap(), ["m"]);
        assert_eq!(
            disk.list_dir(Path::new("/v/j")).unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(disk.mode(Path::new("/v/h/1/m")).unwrap(), Some(0o600));
    }

    #[test]
    fn real_disk_keeps_the_mode_it_is_given() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        RealDisk.write(&p, b"x", Some(0o640)).unwrap();
        RealDisk.sync_file(&p).unwrap();
        RealDisk.sync_dir(dir.path()).unwrap();
        assert_eq!(RealDisk.read(&p).unwrap().as_deref(), Some(&b"x"[..]));
        if cfg!(unix) {
            assert_eq!(RealDisk.mode(&p).unwrap(), Some(0o640));
        }
        assert_eq!(RealDisk.read(&dir.path().join("none")).unwrap(), None);
        assert_eq!(RealDisk.list_dir(dir.path()).unwrap(), ["a.md"]);
    }
}
