//! The Metadata Menu settings attune honours (`.obsidian/plugins/metadata-menu/data.json`).

/// Where Metadata Menu keeps its settings, relative to the vault root.
pub const METADATA_MENU_SETTINGS: &str = ".obsidian/plugins/metadata-menu/data.json";

/// The subset of Metadata Menu's settings that changes how a vault is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Folder of the fileClass notes (`classFilesPath`), with a trailing `/`.
    pub class_files_path: String,
    /// `fileIndexingExcludedFolders`: notes below them are not notes of the vault.
    pub excluded_folders: Vec<String>,
    /// `fileIndexingExcludedExtensions` (`.excalidraw.md`).
    pub excluded_extensions: Vec<String>,
    /// `globalFileClass`, when set.
    pub global_file_class: Option<String>,
    /// `globallyIgnoredFields` (`tags`, `aliases`, `cssclass`).
    pub ignored_fields: Vec<String>,
    /// The raw JSON text, for the schema layer.
    pub raw: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            class_files_path: "Meta/fileClass/".to_owned(),
            excluded_folders: Vec::new(),
            excluded_extensions: Vec::new(),
            global_file_class: None,
            ignored_fields: vec!["tags".into(), "aliases".into(), "cssclass".into()],
            raw: None,
        }
    }
}

impl Settings {
    /// Read settings from the JSON text; unknown or malformed parts keep their defaults and
    /// are described in the returned messages.
    pub fn from_json(text: &str) -> (Settings, Vec<String>) {
        let mut settings = Settings {
            raw: Some(text.to_owned()),
            ..Settings::default()
        };
        let mut problems = Vec::new();
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!(
                    "{METADATA_MENU_SETTINGS}:{}:{}: not valid JSON ({e}); using Metadata Menu's defaults",
                    e.line(),
                    e.column()
                ));
                return (settings, problems);
            }
        };
        if let Some(p) = value.get("classFilesPath").and_then(|v| v.as_str()) {
            let p = p.trim().trim_start_matches('/');
            if !p.is_empty() {
                settings.class_files_path = format!("{}/", p.trim_end_matches('/'));
            }
        }
        let strings = |key: &str| -> Vec<String> {
            value
                .get(key)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        settings.excluded_folders = strings("fileIndexingExcludedFolders");
        settings.excluded_extensions = strings("fileIndexingExcludedExtensions");
        if value.get("globallyIgnoredFields").is_some() {
            settings.ignored_fields = strings("globallyIgnoredFields");
        }
        settings.global_file_class = value
            .get("globalFileClass")
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        (settings, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_fields_attune_uses() {
        let (s, problems) = Settings::from_json(
            r#"{"classFilesPath":"Meta/fileClass","fileIndexingExcludedFolders":["Meta/","Files/"],
               "fileIndexingExcludedExtensions":[".excalidraw.md"],"globalFileClass":"_global",
               "globallyIgnoredFields":["tags"]}"#,
        );
        assert!(problems.is_empty());
        assert_eq!(s.class_files_path, "Meta/fileClass/");
        assert_eq!(s.excluded_folders, ["Meta/", "Files/"]);
        assert_eq!(s.excluded_extensions, [".excalidraw.md"]);
        assert_eq!(s.global_file_class.as_deref(), Some("_global"));
        assert_eq!(s.ignored_fields, ["tags"]);
    }

    #[test]
    fn bad_json_keeps_defaults_and_says_where() {
        let (s, problems) = Settings::from_json("{\n  \"classFilesPath\": ,\n}");
        assert_eq!(s.class_files_path, "Meta/fileClass/");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("data.json:2:"), "{problems:?}");
    }
}
