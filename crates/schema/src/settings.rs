//! Metadata Menu's settings (`.obsidian/plugins/metadata-menu/data.json`): the schema
//! folder, the global class, globally ignored fields and excluded folders.

use attune_syntax::Diagnostic;

/// The Metadata Menu settings attune follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `classFilesPath`, without the trailing `/` (default `Meta/fileClass`).
    pub class_files_path: String,
    /// `globalFileClass` (the reference vault says `_global`).
    pub global_file_class: Option<String>,
    /// `globallyIgnoredFields`: keys never reported as unknown (`tags`, `aliases`, `cssclass`).
    pub globally_ignored_fields: Vec<String>,
    /// `fileClassAlias`: the frontmatter key naming a note's class (default `fileClass`).
    pub file_class_alias: String,
    /// `fileIndexingExcludedFolders` and `fileClassExcludedFolders`, without trailing `/`.
    pub excluded_folders: Vec<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            class_files_path: "Meta/fileClass".to_string(),
            global_file_class: None,
            globally_ignored_fields: vec![
                "tags".to_string(),
                "aliases".to_string(),
                "cssclass".to_string(),
            ],
            file_class_alias: "fileClass".to_string(),
            excluded_folders: vec!["Meta".to_string()],
        }
    }
}

const PATH: &str = ".obsidian/plugins/metadata-menu/data.json";

impl Settings {
    /// Read the settings JSON; what is missing keeps its default, bad JSON is a diagnostic.
    pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Settings {
        let mut settings = Settings::default();
        let json: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error("config/invalid", format!("Metadata Menu settings are not valid JSON: {e}"))
                        .with_path(PATH)
                        .with_help("attune uses the default settings (schema folder Meta/fileClass) until this is fixed"),
                );
                return settings;
            }
        };
        let text_of = |key: &str| {
            json.get(key)
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let list_of = |key: &str| -> Vec<String> {
            json.get(key)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str())
                        .map(|s| s.trim().trim_end_matches('/').to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        if let Some(path) = text_of("classFilesPath") {
            settings.class_files_path = path.trim_end_matches('/').to_string();
        }
        settings.global_file_class = text_of("globalFileClass").map(str::to_string);
        if json.get("globallyIgnoredFields").is_some() {
            settings.globally_ignored_fields = list_of("globallyIgnoredFields");
        }
        if let Some(alias) = text_of("fileClassAlias") {
            settings.file_class_alias = alias.to_string();
        }
        let mut excluded = list_of("fileIndexingExcludedFolders");
        for folder in list_of("fileClassExcludedFolders") {
            if !excluded.contains(&folder) {
                excluded.push(folder);
            }
        }
        if !excluded.iter().any(|f| {
            *f == settings.class_files_path
                || settings.class_files_path.starts_with(&format!("{f}/"))
        }) {
            excluded.push(settings.class_files_path.clone());
        }
        settings.excluded_folders = excluded;
        settings
    }

    /// `true` when `path` lies in an excluded folder (or the schema folder).
    pub fn is_excluded(&self, path: &str) -> bool {
        self.excluded_folders.iter().any(|f| {
            path.strip_prefix(f.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}
