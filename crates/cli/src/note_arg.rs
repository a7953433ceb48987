//! Finding the note a user named on the command line: a vault path (with or without `.md`)
//! or a note name, as Obsidian's quick switcher would.

use attune_engine::Vault;
use attune_syntax::LinkTarget;

/// The vault path of the note `name` means, or an error that says what to type instead.
pub fn find(vault: &Vault, name: &str) -> anyhow::Result<String> {
    let index = &vault.index;
    let trimmed = name.trim().trim_start_matches("[[").trim_end_matches("]]");
    let by_path = index
        .by_path(trimmed)
        .or_else(|| index.by_path(&format!("{trimmed}.md")));
    if let Some(note) = by_path.and_then(|id| index.note(id)) {
        return Ok(note.path().to_owned());
    }
    let target = LinkTarget::new(trimmed.into(), None, None);
    match index.resolve(None, &target, None) {
        attune_index::Target::Note(id) => index
            .note(id)
            .map(|n| n.path().to_owned())
            .ok_or_else(|| anyhow::anyhow!("no note named `{name}`")),
        attune_index::Target::Ambiguous(ids) => {
            let paths: Vec<&str> = ids
                .iter()
                .filter_map(|id| index.note(*id))
                .map(|n| n.path())
                .collect();
            anyhow::bail!(
                "`{name}` names {} notes; give the path of one:\n  {}",
                paths.len(),
                paths.join("\n  ")
            )
        }
        _ => anyhow::bail!(
            "no note named `{name}` (give a vault-relative path such as `ME/Folder/Note.md`, or a note name)"
        ),
    }
}
