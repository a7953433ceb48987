//! Which class a note belongs to: its folder first (`filesPaths`, or the class's
//! `attune.toml` folder), the `fileClass:` key only as a hint.

use attune_syntax::Diagnostic;

use crate::schema::{Class, Schema};
use crate::suggest::closest_name;

/// How a note's class was decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClassSource {
    /// The note's folder is (under) a folder of the class; the longest folder wins.
    Folder,
    /// No folder rule covers the note; its `fileClass:` key names the class.
    Declared,
    /// No folder rule or `fileClass:` key; a tag maps the note to a class with `mapWithTag`.
    Tag,
    /// The note has no class; the reason says why.
    None(NoClassReason),
}

/// Why a note has no class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoClassReason {
    /// The note lies in an excluded folder (`Meta/`, …): not a vault note.
    Excluded,
    /// The note is named after its folder (`🎭 Emotions/🎭 Emotions.md`) and has no
    /// `fileClass:` key: a dashboard, not an entity, even in a class's folder.
    FolderIndex,
    /// No class covers the folder and the note has no `fileClass:` key.
    NoRule,
    /// The `fileClass:` key names no class, and no class covers the folder.
    UnknownClass(String),
}

/// The class of one note and what was noticed while deciding it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassAssignment {
    /// Full name of the class.
    pub class: Option<std::sync::Arc<str>>,
    pub source: ClassSource,
    /// `schema/class-mismatch`, `schema/unknown-class`, `schema/no-class`,
    /// `schema/class-ambiguous`. Each carries the note's path; the caller adds the span of the
    /// `fileClass` key when it has one.
    pub diagnostics: Vec<Diagnostic>,
}

impl Schema {
    /// The first class (by name) with `mapWithTag` that one of `tags` names.
    fn class_by_tag(&self, tags: &[&str]) -> Option<&Class> {
        let tags: Vec<&str> = tags
            .iter()
            .map(|t| t.trim().trim_start_matches('#'))
            .collect();
        self.classes().iter().find(|c| {
            c.file_class.map_with_tag
                && tags.iter().any(|t| {
                    *t == c.short_name()
                        || c.file_class
                            .tag_names
                            .iter()
                            .any(|n| n.trim_start_matches('#') == *t)
                })
        })
    }

    /// The classes whose folders contain `path`, the longest folder first (ties by name).
    fn folder_classes(&self, folder: &str) -> Vec<(&Class, usize)> {
        // The longest matching folder of each class (the table lists them class by class).
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (f, class) in &self.class_folders {
            let f: &str = f;
            if folder == f || folder.strip_prefix(f).is_some_and(|r| r.starts_with('/')) {
                match found.last_mut() {
                    Some((c, len)) if *c == *class => *len = (*len).max(f.len()),
                    _ => found.push((*class, f.len())),
                }
            }
        }
        let classes = self.classes();
        let mut found: Vec<(&Class, usize)> = found
            .into_iter()
            .map(|(i, len)| (&classes[i], len))
            .collect();
        if found.len() > 1 {
            found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name().cmp(b.0.name())));
        }
        found
    }

    /// Decide the class of the note at `path` (vault-relative) whose `fileClass:` key (by the
    /// settings' `fileClassAlias`) says `declared`. Same as [`Schema::class_of_note`] without tags.
    pub fn class_of(&self, path: &str, declared: Option<&str>) -> ClassAssignment {
        self.class_of_note(path, declared, &[])
    }

    /// Decide the class of a note: its folder first (`filesPaths`, longest wins), then its
    /// `fileClass:` key, then its tags (`mapWithTag`: a tag equal to the class's short name, or
    /// one of its `tagNames`). `tags` are written without `#`.
    pub fn class_of_note(
        &self,
        path: &str,
        declared: Option<&str>,
        tags: &[&str],
    ) -> ClassAssignment {
        let mut diagnostics = Vec::new();
        let declared = declared.map(str::trim).filter(|d| !d.is_empty());
        if self.settings.is_excluded(path) {
            return ClassAssignment {
                class: None,
                source: ClassSource::None(NoClassReason::Excluded),
                diagnostics,
            };
        }
        let (folder, file) = path.rsplit_once('/').unwrap_or(("", path));
        let stem = file.strip_suffix(".md").unwrap_or(file);
        let declared_class = declared.and_then(|d| self.class(d));
        let key = &self.settings.file_class_alias;

        let folder_name = folder.rsplit('/').next().unwrap_or(folder);
        if declared.is_none() && !folder.is_empty() && stem == folder_name {
            return ClassAssignment {
                class: None,
                source: ClassSource::None(NoClassReason::FolderIndex),
                diagnostics,
            };
        }
        let candidates = self.folder_classes(folder);
        if let Some(&(first, len)) = candidates.first() {
            let tied: Vec<&Class> = candidates
                .iter()
                .take_while(|(_, l)| *l == len)
                .map(|(c, _)| *c)
                .collect();
            let chosen = match declared_class {
                Some(d) if tied.iter().any(|c| c.name() == d.name()) => d,
                _ => first,
            };
            if tied.len() > 1 && declared_class.is_none_or(|d| d.name() != chosen.name()) {
                let names: Vec<&str> = tied.iter().map(|c| c.name()).collect();
                diagnostics.push(
                    Diagnostic::warning(
                        "schema/class-ambiguous",
                        format!("the folder `{folder}` belongs to {} classes: {}", tied.len(), names.join(", ")),
                    )
                    .with_path(path)
                    .with_help(format!("attune uses `{}`; set `{key}:` in the note, or give the classes different filesPaths", chosen.short_name())),
                );
            }
            if let Some(d) = declared {
                match declared_class {
                    Some(dc) if dc.name() == chosen.name() => {}
                    _ => diagnostics.push(
                        Diagnostic::warning(
                            "schema/class-mismatch",
                            format!("`{key}: {d}` disagrees with the folder, whose class is `{}`", chosen.short_name()),
                        )
                        .with_path(path)
                        .with_help(format!("the folder decides: attune treats this note as `{}`; change the key to `{key}: {}`", chosen.short_name(), chosen.short_name())),
                    ),
                }
            }
            return ClassAssignment {
                class: Some(std::sync::Arc::clone(chosen.shared_name())),
                source: ClassSource::Folder,
                diagnostics,
            };
        }

        if let Some(dc) = declared_class {
            return ClassAssignment {
                class: Some(std::sync::Arc::clone(dc.shared_name())),
                source: ClassSource::Declared,
                diagnostics,
            };
        }
        if let Some(d) = declared {
            let names: Vec<&str> = self.classes().iter().map(|c| c.short_name()).collect();
            let help = match closest_name(d, names) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "name an existing fileClass in `{key}:`, or create a fileClass `{d}` in {}",
                    self.settings.class_files_path
                ),
            };
            diagnostics.push(
                Diagnostic::warning(
                    "schema/unknown-class",
                    format!("`{key}: {d}` names no fileClass"),
                )
                .with_path(path)
                .with_help(help),
            );
            return ClassAssignment {
                class: None,
                source: ClassSource::None(NoClassReason::UnknownClass(d.to_string())),
                diagnostics,
            };
        }
        if let Some(class) = self.class_by_tag(tags) {
            return ClassAssignment {
                class: Some(std::sync::Arc::clone(class.shared_name())),
                source: ClassSource::Tag,
                diagnostics,
            };
        }
        diagnostics.push(
            Diagnostic::info(
                "schema/no-class",
                format!("no fileClass covers the folder `{folder}` and the note has no `{key}:` key"),
            )
            .with_path(path)
            .with_help("add the folder to a fileClass's filesPaths (or a class's `folder` in attune.toml) to type these notes"),
        );
        ClassAssignment {
            class: None,
            source: ClassSource::None(NoClassReason::NoRule),
            diagnostics,
        }
    }
}
