//! Transactions on the in-memory twin (with faults at every step) and on the real disk.
#![allow(clippy::disallowed_methods, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use attune_store::{
    ConflictKind, Disk, Expected, FaultMode, FileChange, MemDisk, RealDisk, Recovery, VaultWriter,
    WriteError,
};
use proptest::prelude::*;

const ROOT: &str = "/vault";

fn clock() -> i64 {
    1_700_000_000_000
}

/// The vault's files (not attune's state), relative paths to bytes.
fn vault_files(disk: &MemDisk) -> BTreeMap<String, Vec<u8>> {
    disk.files()
        .into_iter()
        .filter_map(|(p, b)| {
            let rel = p.strip_prefix(ROOT).ok()?.to_string_lossy().into_owned();
            (!rel.starts_with(".attune/")).then_some((rel, b))
        })
        .collect()
}

fn state_files(disk: &MemDisk) -> Vec<String> {
    disk.files()
        .into_keys()
        .filter_map(|p| {
            p.strip_prefix(ROOT)
                .ok()
                .map(|r| r.to_string_lossy().into_owned())
        })
        .filter(|r| r.starts_with(".attune/"))
        .collect()
}

fn change(path: &str, before: Option<&[u8]>, new: Option<&str>) -> FileChange {
    FileChange {
        path: path.into(),
        expected: Expected::of(before),
        new: new.map(|s| s.as_bytes().to_vec()),
    }
}

fn apply_to(
    mut files: BTreeMap<String, Vec<u8>>,
    changes: &[FileChange],
) -> BTreeMap<String, Vec<u8>> {
    for c in changes {
        match &c.new {
            Some(b) => files.insert(c.path.clone(), b.clone()),
            None => files.remove(&c.path),
        };
    }
    files
}

fn seeded() -> MemDisk {
    let disk = MemDisk::new();
    disk.insert("/vault/ME/a.md", "---\nstatus: x\n---\n", 0o600);
    disk.insert("/vault/ME/b.md", "b\r\n", 0o644);
    disk
}

#[test]
fn commit_writes_records_and_undo_restores() {
    let disk = seeded();
    let w = VaultWriter::new(&disk, ROOT).with_clock(clock);
    let before = vault_files(&disk);
    let changes = [
        change(
            "ME/a.md",
            Some(b"---\nstatus: x\n---\n"),
            Some("---\nstatus: y\n---\n"),
        ),
        change("ME/New/c.md", None, Some("c")),
        change("ME/b.md", Some(b"b\r\n"), None),
    ];
    let m = w.commit("three files", &changes).unwrap();
    assert_eq!(m.number, 1);
    assert_eq!(vault_files(&disk), apply_to(before.clone(), &changes));
    assert_eq!(
        disk.mode(Path::new("/vault/ME/a.md")).unwrap(),
        Some(0o600),
        "permissions kept"
    );
    assert_eq!(
        state_files(&disk),
        [
            ".attune/history/1/before/0",
            ".attune/history/1/before/2",
            ".attune/history/1/manifest"
        ]
    );
    let log = w.log().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].manifest.message, "three files");
    assert_eq!(log[0].manifest.time_ms, clock());

    let undo = w.undo().unwrap();
    assert_eq!(undo.number, 2);
    assert_eq!(undo.undoes, Some(1));
    assert_eq!(vault_files(&disk), before);
    let log = w.log().unwrap();
    assert_eq!(log[1].undone_by, Some(2));
    assert!(matches!(w.undo(), Err(WriteError::NothingToUndo)));
}

#[test]
fn a_file_changed_since_it_was_read_refuses_the_whole_commit() {
    let disk = seeded();
    let w = VaultWriter::new(&disk, ROOT);
    let before = vault_files(&disk);
    let changes = [
        change("ME/New/c.md", None, Some("c")),
        change("ME/a.md", Some(b"what the plan read"), Some("new")),
    ];
    let err = w.commit("x", &changes).unwrap_err();
    assert!(
        matches!(&err, WriteError::Conflict { path, kind: ConflictKind::Changed } if path == "ME/a.md")
    );
    assert_eq!(
        err.to_string(),
        "ME/a.md changed since it was read (edited elsewhere?); nothing was written — run the command again"
    );
    assert_eq!(vault_files(&disk), before);
    assert!(state_files(&disk).is_empty());

    let exists = w
        .commit("x", &[change("ME/b.md", None, Some("c"))])
        .unwrap_err();
    assert!(matches!(
        exists,
        WriteError::Conflict {
            kind: ConflictKind::Exists,
            ..
        }
    ));
    let gone = w
        .commit("x", &[change("ME/z.md", Some(b"z"), Some("c"))])
        .unwrap_err();
    assert!(matches!(
        gone,
        WriteError::Conflict {
            kind: ConflictKind::Deleted,
            ..
        }
    ));
}

#[test]
fn undo_refuses_when_a_file_changed_since_the_commit() {
    let disk = seeded();
    let w = VaultWriter::new(&disk, ROOT);
    w.commit(
        "x",
        &[change(
            "ME/a.md",
            Some(b"---\nstatus: x\n---\n"),
            Some("mine"),
        )],
    )
    .unwrap();
    disk.insert("/vault/ME/a.md", "edited in Obsidian", 0o600);
    let err = w.undo().unwrap_err();
    assert!(
        matches!(&err, WriteError::Conflict { path, .. } if path == "ME/a.md"),
        "{err}"
    );
    assert_eq!(vault_files(&disk)["ME/a.md"], b"edited in Obsidian");
}

#[test]
fn bad_paths_are_refused() {
    let disk = seeded();
    let w = VaultWriter::new(&disk, ROOT);
    for p in [
        "",
        "/abs.md",
        "ME/../x.md",
        ".attune/history/1/manifest",
        "a\nb.md",
        "ME//x.md",
    ] {
        assert!(
            matches!(
                w.commit("x", &[change(p, None, Some("x"))]),
                Err(WriteError::BadPath { .. })
            ),
            "{p:?}"
        );
    }
    let twice = [
        change("x.md", None, Some("1")),
        change("x.md", None, Some("2")),
    ];
    assert!(matches!(
        w.commit("x", &twice),
        Err(WriteError::BadPath { .. })
    ));
}

/// A disk on which someone else writes `path` while the transaction stages its new bytes
/// (at the `at`-th temp-file write).
struct Meddler {
    inner: MemDisk,
    writes: AtomicUsize,
    at: usize,
    path: PathBuf,
}

impl Disk for Meddler {
    fn read(&self, p: &Path) -> io::Result<Option<Vec<u8>>> {
        self.inner.read(p)
    }
    fn mode(&self, p: &Path) -> io::Result<Option<u32>> {
        self.inner.mode(p)
    }
    fn create_dir_all(&self, p: &Path) -> io::Result<()> {
        self.inner.create_dir_all(p)
    }
    fn write(&self, p: &Path, b: &[u8], m: Option<u32>) -> io::Result<()> {
        if p.to_string_lossy().ends_with(".attune-tmp")
            && self.writes.fetch_add(1, Ordering::SeqCst) == self.at
        {
            self.inner
                .insert(self.path.clone(), "edited meanwhile", 0o644);
        }
        self.inner.write(p, b, m)
    }
    fn sync_file(&self, p: &Path) -> io::Result<()> {
        self.inner.sync_file(p)
    }
    fn sync_dir(&self, p: &Path) -> io::Result<()> {
        self.inner.sync_dir(p)
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.inner.rename(from, to)
    }
    fn remove_file(&self, p: &Path) -> io::Result<()> {
        self.inner.remove_file(p)
    }
    fn remove_dir_all(&self, p: &Path) -> io::Result<()> {
        self.inner.remove_dir_all(p)
    }
    fn list_dir(&self, p: &Path) -> io::Result<Vec<String>> {
        self.inner.list_dir(p)
    }
    fn try_lock(&self, p: &Path) -> io::Result<Option<attune_store::DiskLock>> {
        self.inner.try_lock(p)
    }
}

#[test]
fn an_edit_during_the_commit_rolls_back_what_was_written() {
    // Temp files: 0 = journal manifest, 1 = first file, 2 = second file. The second file is
    // edited while its new bytes are staged: the first file goes back, the edit survives.
    let disk = Meddler {
        inner: seeded(),
        writes: AtomicUsize::new(0),
        at: 2,
        path: "/vault/ME/b.md".into(),
    };
    let w = VaultWriter::new(&disk, ROOT);
    let changes = [
        change("ME/a.md", Some(b"---\nstatus: x\n---\n"), Some("new a")),
        change("ME/b.md", Some(b"b\r\n"), Some("new b")),
    ];
    let err = w.commit("x", &changes).unwrap_err();
    assert!(
        matches!(&err, WriteError::Conflict { path, kind: ConflictKind::Changed } if path == "ME/b.md"),
        "{err}"
    );
    let files = vault_files(&disk.inner);
    assert_eq!(files["ME/a.md"], b"---\nstatus: x\n---\n");
    assert_eq!(files["ME/b.md"], b"edited meanwhile");
    assert!(
        state_files(&disk.inner).is_empty(),
        "{:?}",
        state_files(&disk.inner)
    );
    assert!(w.log().unwrap().is_empty());
}

#[test]
fn a_second_writer_is_turned_away_while_the_first_holds_the_lock() {
    let disk = seeded();
    let w = VaultWriter::new(&disk, ROOT);
    let held = disk
        .try_lock(Path::new("/vault/.attune/lock"))
        .unwrap()
        .expect("free");
    let err = w
        .commit("x", &[change("ME/c.md", None, Some("c"))])
        .unwrap_err();
    assert!(matches!(err, WriteError::Busy), "{err}");
    assert!(!vault_files(&disk).contains_key("ME/c.md"));
    drop(held);
    w.commit("x", &[change("ME/c.md", None, Some("c"))])
        .unwrap();

    // The real disk: an OS lock on `.attune/lock`, released when its holder ends.
    let dir = tempfile::tempdir().unwrap();
    let w = VaultWriter::new(&RealDisk, dir.path());
    let held = RealDisk
        .try_lock(&dir.path().join(".attune/lock"))
        .unwrap()
        .expect("free");
    assert!(matches!(
        w.commit("x", &[change("a.md", None, Some("a"))]),
        Err(WriteError::Busy)
    ));
    drop(held);
    w.commit("x", &[change("a.md", None, Some("a"))]).unwrap();
}

#[test]
fn recovery_with_nothing_to_do_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        VaultWriter::new(&RealDisk, dir.path())
            .recover()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no .attune folder made"
    );
}

#[test]
fn recovery_drops_a_journal_without_manifest() {
    let disk = seeded();
    disk.insert("/vault/.attune/journal/4/before/0", "half", 0o644);
    let w = VaultWriter::new(&disk, ROOT);
    assert_eq!(w.recover().unwrap(), [Recovery::Discarded { number: 4 }]);
    assert!(state_files(&disk).is_empty());
}

#[test]
fn real_disk_commit_keeps_permissions_and_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("ME/a.md");
    std::fs::create_dir_all(a.parent().unwrap()).unwrap();
    std::fs::write(&a, "---\r\nstatus: x\r\n---\r\nbody\r\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let w = VaultWriter::new(&RealDisk, dir.path());
    let old = std::fs::read(&a).unwrap();
    w.commit(
        "edit",
        &[
            FileChange {
                path: "ME/a.md".into(),
                expected: Expected::of(Some(&old)),
                new: Some(b"---\r\nstatus: y\r\n---\r\nbody\r\n".to_vec()),
            },
            FileChange {
                path: "ME/Sub/new.md".into(),
                expected: Expected::Absent,
                new: Some(b"n".to_vec()),
            },
        ],
    )
    .unwrap();
    assert_eq!(
        std::fs::read(&a).unwrap(),
        b"---\r\nstatus: y\r\n---\r\nbody\r\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&a).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let names: Vec<String> = std::fs::read_dir(dir.path().join("ME"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("attune-tmp")), "{names:?}");
    w.undo().unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), old);
    assert!(!dir.path().join("ME/Sub/new.md").exists());
}

/// A random vault of a few files and a random plan over it.
fn vault_and_plan() -> impl Strategy<Value = (BTreeMap<String, Vec<u8>>, Vec<FileChange>)> {
    let names = ["ME/a.md", "ME/b.md", "ME/X/c.md", "d.md", "ME/Y/Z/e.md"];
    (
        proptest::collection::vec(proptest::option::of("[a-z\r\n]{0,12}"), names.len()),
        proptest::collection::vec(0u8..4, names.len()),
    )
        .prop_map(move |(contents, actions)| {
            let mut files = BTreeMap::new();
            let mut changes = Vec::new();
            for ((name, content), action) in names.iter().zip(contents).zip(actions) {
                let old = content.map(String::into_bytes);
                if let Some(b) = &old {
                    files.insert((*name).to_string(), b.clone());
                }
                let new = match (action, &old) {
                    (0, _) => continue,
                    (1, Some(_)) => None,
                    (_, _) => Some(format!("new {name} {action}\r\n").into_bytes()),
                };
                changes.push(FileChange {
                    path: (*name).into(),
                    expected: Expected::of(old.as_deref()),
                    new,
                });
            }
            (files, changes)
        })
}

fn disk_with(files: &BTreeMap<String, Vec<u8>>) -> MemDisk {
    let disk = MemDisk::new();
    disk.create_dir_all(Path::new(ROOT)).unwrap();
    for (p, b) in files {
        disk.insert(Path::new(ROOT).join(p), b.clone(), 0o640);
    }
    disk
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// After a failure or a crash at any step, and the next start's recovery, the vault
    /// holds all of the plan or none of it, no temp file and no journal is left, and the
    /// history says which.
    #[test]
    fn all_or_nothing_at_every_failure_point((files, changes) in vault_and_plan()) {
        let after = apply_to(files.clone(), &changes);
        // Count the steps of a clean commit.
        let clean = disk_with(&files);
        VaultWriter::new(&clean, ROOT).commit("p", &changes).unwrap();
        prop_assert_eq!(vault_files(&clean), after.clone());
        let total = clean.steps();
        for mode in [FaultMode::Fail, FaultMode::Crash] {
            for k in 0..total {
                let disk = disk_with(&files);
                disk.fail_at(k, mode);
                let w = VaultWriter::new(&disk, ROOT);
                let result = w.commit("p", &changes);
                disk.restart();
                w.recover().unwrap();
                let now = vault_files(&disk);
                let committed = !w.log().unwrap().is_empty();
                if result.is_ok() {
                    prop_assert!(committed);
                }
                if committed {
                    prop_assert_eq!(&now, &after, "step {} {:?}: recorded but not all applied", k, mode);
                } else {
                    prop_assert_eq!(&now, &files, "step {} {:?}: not recorded but something applied", k, mode);
                }
                prop_assert!(now.keys().all(|p| !p.contains("attune-tmp")));
                prop_assert!(state_files(&disk).iter().all(|p| p.starts_with(".attune/history/")));
                if committed {
                    w.undo().unwrap();
                    prop_assert_eq!(vault_files(&disk), files.clone());
                }
            }
        }
    }
}
