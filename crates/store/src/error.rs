//! Typed I/O errors; every one names the path it concerns.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a folder (a vault is a folder of Markdown notes)")]
    NotAFolder { path: PathBuf },
    #[error("{path}: no such folder (a vault is a folder of Markdown notes; check the path)")]
    NoFolder { path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> StoreError {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }
}
