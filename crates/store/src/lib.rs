//! attune-store: the only crate that touches the disk.
//!
//! - [`scan`]: walk a vault in parallel and read each note once, handing the bytes to a
//!   caller-supplied function (the engine parses there, so bytes are dropped as soon as the
//!   note is built and the whole vault is never held twice).
//! - [`txn`]: transactions — atomic, hash-checked, journaled writes of several files, with
//!   recovery after a crash, a history of commits and undo; all through the [`disk`] trait,
//!   whose in-memory twin injects faults for tests.
//! - [`settings`]: the few plugin settings files attune reads (`metadata-menu/data.json`, …).
//!
//! Architecture invariant: no other attune crate calls `std::fs`; the pure crates deny it
//! through `clippy::disallowed_methods`.

// The one crate allowed to touch the disk (clippy.toml forbids `std::fs` everywhere else).
#![allow(clippy::disallowed_methods)]

pub mod cache;
pub mod disk;
pub mod error;
pub mod journal;
pub mod path;
pub mod scan;
pub mod tree;
pub mod txn;

pub use cache::{CacheFile, prune_cache, write_cache_file};
pub use disk::{Disk, DiskLock, FaultMode, MemDisk, RealDisk};
pub use error::StoreError;
pub use journal::{ContentHash, Manifest, ManifestFile, hash};
pub use path::VaultPath;
pub use scan::{Entry, FileMeta, Scan, ScanOptions, Survey, look, read_optional, scan, survey};
pub use tree::write_new_files;
pub use txn::{CommitInfo, ConflictKind, Expected, FileChange, Recovery, VaultWriter, WriteError};
