//! The file of a warm start's snapshot (see the engine's `snapshot` module): read in
//! pieces at offsets from one open handle, written whole to a private temporary file that
//! then replaces the old one.
//!
//! *Invariant*: a snapshot file is never changed in place. A process that opened one keeps
//! reading the same bytes (its handle holds the old file) whatever another process writes
//! meanwhile; a crash mid-write leaves the old snapshot or none, never a torn one.

use std::io::Write;
use std::path::{Path, PathBuf};

/// An open snapshot file.
#[derive(Debug)]
pub struct CacheFile {
    file: std::fs::File,
    len: u64,
    path: PathBuf,
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
                    path: path.to_path_buf(),
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

    pub fn path(&self) -> &Path {
        &self.path
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
