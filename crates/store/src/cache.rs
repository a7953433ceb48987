//! The file of a warm start's snapshot (see the engine's `snapshot` module): read in
//! pieces at offsets from one open handle, written whole to a private temporary file that
//! then replaces the old one.
//!
//! *Invariant*: a snapshot file is never changed in place. A process that opened one keeps
//! reading the same bytes (its handle holds the old file) whatever another process writes
//! meanwhile; a crash mid-write leaves the old snapshot or none, never a torn one.

use std::io::Write;
use std::path::Path;

/// An open snapshot file.
#[derive(Debug)]
pub struct CacheFile {
    file: std::fs::File,
    len: u64,
}

impl CacheFile {
    /// The file at `path`, or `None` when there is none.
    pub fn open(path: &Path) -> std::io::Result<Option<CacheFile>> {
        match fs_err::File::open(path) {
            Ok(file) => {
                let len = file.metadata()?.len();
                Ok(Some(CacheFile {
                    file: file.into_parts().0,
                    len,
                }))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `len` bytes from `offset`.
    pub fn read_at(&self, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
        let mut bytes = vec![0; len];
        self.read_into(offset, &mut bytes)?;
        Ok(bytes)
    }

    /// Fill `buf` from `offset`.
    pub fn read_into(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            self.file.read_exact_at(buf, offset)
        }
        #[cfg(windows)]
        {
            use std::os::windows::fs::FileExt;
            let mut done = 0;
            while done < buf.len() {
                let n = self
                    .file
                    .seek_read(&mut buf[done..], offset + done as u64)?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                done += n;
            }
            Ok(())
        }
    }
}

/// Write a snapshot to `path`: `write` fills a new file beside it (readable by its owner
/// only: it holds the vault's text), which then takes the old one's place. The folder is
/// made (private) when missing.
pub fn write_cache_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("a snapshot path needs a folder"))?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("snapshot");
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| {
        let file = options.open(&temp)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        write(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?;
        fs_err::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Remove the snapshots in `dir` that no run has written for `unused` (a vault moved,
/// deleted, or a large copy checked once), and temporary files a crashed write left, except
/// `keep`. Only attune's own names are touched: `<32 hex digits>.snapshot` and
/// `.<that>.<pid>.tmp`. Returns how many files went.
pub fn prune_cache(dir: &Path, keep: &Path, unused: std::time::Duration) -> std::io::Result<usize> {
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for entry in fs_err::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if path == keep {
            continue;
        }
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let snapshot = |n: &str| {
            n.strip_suffix(".snapshot")
                .is_some_and(|h| h.len() == 32 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        };
        let ours = snapshot(name)
            || name
                .strip_prefix('.')
                .and_then(|n| n.strip_suffix(".tmp"))
                .and_then(|n| n.rsplit_once('.'))
                .is_some_and(|(n, pid)| snapshot(n) && pid.bytes().all(|b| b.is_ascii_digit()));
        if !ours {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > unused));
        if old && fs_err::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the test writes its own files
mod tests {
    use super::*;

    #[test]
    fn pruning_removes_only_old_snapshots_of_attunes_own_names() {
        let dir = tempfile::tempdir().expect("temp dir");
        let hex = "0123456789abcdef0123456789abcdef";
        let names = [
            format!("{hex}.snapshot"),
            format!(".{hex}.snapshot.4242.tmp"),
            format!("{}.snapshot", &hex[..31]),
            "notes.md".to_owned(),
            "fedcba9876543210fedcba9876543210.snapshot".to_owned(),
        ];
        let day = std::time::Duration::from_secs(86_400);
        let long_ago = std::time::SystemTime::now() - 40 * day;
        for name in &names {
            let file = std::fs::File::create(dir.path().join(name)).expect("create");
            file.set_modified(long_ago).expect("age");
        }
        let kept_new = dir.path().join("ffffffffffffffffffffffffffffffff.snapshot");
        std::fs::write(&kept_new, b"new").expect("write");
        let keep = dir.path().join(&names[4]);
        assert_eq!(prune_cache(dir.path(), &keep, 30 * day).expect("prune"), 2);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected = vec![
            names[2].clone(),
            names[3].clone(),
            names[4].clone(),
            "ffffffffffffffffffffffffffffffff.snapshot".to_owned(),
        ];
        expected.sort();
        assert_eq!(left, expected);
    }
}
