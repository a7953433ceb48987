//! [`Plan`]: what a create or an update would write — new files and new contents of existing
//! ones, each with the bytes it was planned from — with a readable diff and the diagnostics
//! the values cause. Errors refuse the plan; warnings are shown and can be accepted.

use attune_syntax::{Diagnostic, Severity};

/// One file a plan writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedFile {
    /// Vault-relative, `/`-separated.
    pub path: String,
    /// The text the plan read (`None`: the file is new).
    pub before: Option<String>,
    pub after: String,
}

impl PlannedFile {
    pub fn is_new(&self) -> bool {
        self.before.is_none()
    }

    /// A unified diff of this file (`/dev/null` as the old side of a new file).
    pub fn diff(&self) -> String {
        let old = self.before.as_deref().unwrap_or("");
        let old_name = if self.before.is_some() {
            format!("a/{}", self.path)
        } else {
            "/dev/null".to_owned()
        };
        similar::TextDiff::from_lines(old, &self.after)
            .unified_diff()
            .context_radius(2)
            .header(&old_name, &format!("b/{}", self.path))
            .to_string()
    }
}

/// A set of file changes to commit as one transaction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// One line saying what the plan does (`new practice_session A Different Story_Session-3`).
    pub summary: String,
    pub files: Vec<PlannedFile>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Plan {
    /// The plan cannot be committed: an error diagnostic says why.
    pub fn is_refused(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Error)
    }

    /// The unified diff of every file, in plan order.
    pub fn diff(&self) -> String {
        self.files.iter().map(PlannedFile::diff).collect()
    }

    /// Paths of the files the plan creates.
    pub fn created(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .filter(|f| f.is_new())
            .map(|f| f.path.as_str())
    }

    /// Paths of the existing files the plan changes.
    pub fn changed(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .filter(|f| !f.is_new())
            .map(|f| f.path.as_str())
    }

    /// The planned file at `path`, if the plan touches it.
    pub fn file(&self, path: &str) -> Option<&PlannedFile> {
        self.files.iter().find(|f| f.path == path)
    }

    pub(crate) fn file_mut(&mut self, path: &str) -> Option<&mut PlannedFile> {
        self.files.iter_mut().find(|f| f.path == path)
    }
}
