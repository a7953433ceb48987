//! Committing a [`Plan`] through the store's transactions, and the commit history:
//! [`log`], [`undo`], and [`recover`] after a crash.

use std::path::Path;

use attune_store::{
    CommitInfo, Disk, Expected, FileChange, Manifest, RealDisk, Recovery, VaultWriter, WriteError,
};
use attune_syntax::Diagnostic;

use crate::plan::Plan;
use crate::vault::LoadError;

/// Why a plan was not committed, or a vault could not be loaded for editing.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The plan has errors; nothing was written.
    #[error("{}", refused_message(.0))]
    Refused(Vec<Diagnostic>),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Load(#[from] LoadError),
}

fn refused_message(errors: &[Diagnostic]) -> String {
    let mut s = String::from("refused, nothing was written:");
    for e in errors {
        s.push_str(&format!("\n  {}", e.message));
        if let Some(help) = &e.help {
            s.push_str(&format!("\n    help: {help}"));
        }
    }
    s
}

/// Commit `plan` to the vault at `root` on the real disk.
pub fn commit(root: &Path, plan: &Plan) -> Result<Manifest, EditError> {
    commit_on(&RealDisk, root, plan)
}

/// Commit `plan` through any [`Disk`] (the in-memory twin in tests). Refused plans write
/// nothing; a file changed since the plan read it fails the whole commit with a message
/// naming the file.
pub fn commit_on(disk: &dyn Disk, root: &Path, plan: &Plan) -> Result<Manifest, EditError> {
    if plan.is_refused() {
        return Err(EditError::Refused(plan.errors().cloned().collect()));
    }
    let changes: Vec<FileChange> = plan
        .files
        .iter()
        .map(|f| FileChange {
            path: f.path.clone(),
            expected: Expected::of(f.before.as_deref().map(str::as_bytes)),
            new: Some(f.after.clone().into_bytes()),
        })
        .collect();
    Ok(VaultWriter::new(disk, root).commit(&plan.summary, &changes)?)
}

/// Restore the files of the last commit (refusing, with nothing written, if one changed since).
pub fn undo(root: &Path) -> Result<Manifest, EditError> {
    Ok(VaultWriter::new(&RealDisk, root).undo()?)
}

/// The vault's commits, newest first.
pub fn log(root: &Path) -> Result<Vec<CommitInfo>, EditError> {
    Ok(VaultWriter::new(&RealDisk, root).log()?)
}

/// Finish or roll back a commit a crash interrupted.
pub fn recover(root: &Path) -> Result<Vec<Recovery>, EditError> {
    Ok(VaultWriter::new(&RealDisk, root).recover()?)
}

/// A commit's time as `YYYY-MM-DD HH:mm` local time.
pub fn local_time(epoch_ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(epoch_ms) {
        Ok(t) => jiff::tz::TimeZone::system()
            .to_datetime(t)
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => epoch_ms.to_string(),
    }
}
