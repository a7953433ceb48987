//! `attune import modal-forms`: the group → option maps and field renames kept in the
//! owner's Modal Forms definitions, merged into the vault's `attune.toml`.
//!
//! The vault's own `attune.toml` is the base when it has one; otherwise the built-in pack's
//! (a vault with an `attune.toml` no longer uses the pack, so the pack's rules are carried
//! over). Imported keys replace the base's keys of the same name; everything else of the
//! base, comments included, is kept (`toml_edit`).

use attune_schema::modal_forms::{FormsImport, read_modal_forms, render_toml};
use attune_store::{Expected, FileChange, RealDisk, VaultWriter};
use attune_syntax::Diagnostic;

use crate::Vault;
use crate::vault::ATTUNE_TOML;

/// Where Modal Forms keeps its forms, relative to the vault root.
pub const MODAL_FORMS: &str = ".obsidian/plugins/modalforms/data.json";

/// What an import found and the `attune.toml` it would write.
#[derive(Debug)]
pub struct ModalFormsImport {
    pub forms: FormsImport,
    /// The imported rules alone, as `attune.toml` text.
    pub imported: String,
    /// The whole new `attune.toml`: the base with the imported rules merged in.
    pub merged: String,
    /// The vault already had an `attune.toml` (else the pack's was the base).
    pub had_attune_toml: bool,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0} not found: this vault has no Modal Forms definitions to import")]
    Missing(&'static str),
    #[error(transparent)]
    Store(#[from] attune_store::StoreError),
    #[error("{path}: {message}")]
    Toml { path: String, message: String },
    #[error(transparent)]
    Write(#[from] attune_store::WriteError),
}

/// Read the vault's Modal Forms and merge what they say into its `attune.toml` text.
pub fn import_modal_forms(vault: &Vault) -> Result<ModalFormsImport, ImportError> {
    let json = attune_store::read_optional(&vault.root, MODAL_FORMS)?
        .ok_or(ImportError::Missing(MODAL_FORMS))?;
    let (forms, diagnostics) = read_modal_forms(&json, Some(&vault.schema));
    let imported = render_toml(&forms, Some(&vault.schema));
    let (base, base_name) = match &vault.attune_toml {
        Some(text) => (text.clone(), ATTUNE_TOML.to_owned()),
        None => (
            attune_schema::pack::ATTUNE_TOML.to_owned(),
            "<self-work pack>/attune.toml".to_owned(),
        ),
    };
    let merged = merge_toml(&base, &base_name, &imported)?;
    Ok(ModalFormsImport {
        forms,
        imported,
        merged,
        had_attune_toml: vault.attune_toml.is_some(),
        diagnostics,
    })
}

/// Write the merged `attune.toml` atomically (refusing if it changed since it was read).
pub fn write_import(vault: &Vault, import: &ModalFormsImport) -> Result<(), ImportError> {
    let disk = RealDisk;
    let writer = VaultWriter::new(&disk, vault.root.clone());
    let change = FileChange {
        path: ATTUNE_TOML.to_owned(),
        expected: Expected::of(vault.attune_toml.as_deref().map(str::as_bytes)),
        new: Some(import.merged.clone().into_bytes()),
    };
    writer.commit("import modal-forms into attune.toml", &[change])?;
    Ok(())
}

/// `base` with every table and key of `overlay` set into it (overlay wins on conflicts).
pub fn merge_toml(base: &str, base_name: &str, overlay: &str) -> Result<String, ImportError> {
    let parse = |text: &str, name: &str| {
        text.parse::<toml_edit::DocumentMut>()
            .map_err(|e| ImportError::Toml {
                path: name.to_owned(),
                message: e.to_string(),
            })
    };
    let mut doc = parse(base, base_name)?;
    let extra = parse(overlay, "<imported rules>")?;
    merge_table(doc.as_table_mut(), extra.as_table());
    Ok(doc.to_string())
}

fn merge_table(into: &mut toml_edit::Table, from: &toml_edit::Table) {
    for (key, item) in from.iter() {
        match (into.get_mut(key), item) {
            (Some(toml_edit::Item::Table(dst)), toml_edit::Item::Table(src)) => {
                merge_table(dst, src)
            }
            _ => {
                into.insert(key, item.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_replaces_keys_and_keeps_the_rest_with_comments() {
        let base = "# my rules\n[class.trigger]\nfolder = \"T\" # keep\n\n[class.trigger.groups.trigger_type]\nby = \"trigger_group\"\noptions.Relational = [\"A\"]\n";
        let overlay = "[class.trigger.groups.trigger_type]\nby = \"trigger_group\"\noptions.Relational = [\"A\", \"B\"]\n\n[class.emotion.aliases]\nfeelings = \"emotions\"\n";
        let merged = merge_toml(base, "attune.toml", overlay).unwrap();
        assert!(
            merged.starts_with("# my rules\n[class.trigger]\nfolder = \"T\" # keep\n"),
            "{merged}"
        );
        let value: toml::Table = toml::from_str(&merged).unwrap();
        let opts = &value["class"]["trigger"]["groups"]["trigger_type"]["options"]["Relational"];
        assert_eq!(opts.as_array().unwrap().len(), 2);
        assert_eq!(
            value["class"]["emotion"]["aliases"]["feelings"].as_str(),
            Some("emotions")
        );
    }

    #[test]
    fn a_broken_base_is_an_error_naming_the_file() {
        let err = merge_toml("[class\n", "attune.toml", "").unwrap_err();
        assert!(err.to_string().starts_with("attune.toml: "), "{err}");
    }
}
