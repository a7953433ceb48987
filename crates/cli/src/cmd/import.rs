//! `attune import modal-forms [VAULT] [--dry-run]`: the group → option maps and field
//! renames of the owner's Modal Forms, merged into `attune.toml`.

use std::process::ExitCode;

use attune_engine::import::{import_modal_forms, write_import};

use crate::vault_arg::VaultArg;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Read `.obsidian/plugins/modalforms/data.json` into `attune.toml`.
    ModalForms {
        #[command(flatten)]
        vault: VaultArg,
        /// Print the imported rules instead of writing `attune.toml`.
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let What::ModalForms { vault, dry_run } = args.what;
    let dir = vault.resolve()?;
    let vault = dir.load(&attune_engine::vault::Silent)?;
    let import = import_modal_forms(vault)?;
    for d in &import.diagnostics {
        anstream::eprintln!("{}", crate::render::render(d, None));
    }
    let maps: usize = import.forms.forms.iter().map(|f| f.groups.len()).sum();
    if dry_run {
        print!("{}", import.imported);
        anstream::eprintln!(
            "{} forms read, {maps} group maps found; nothing written (--dry-run)",
            import.forms.forms.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    write_import(vault, &import)?;
    anstream::println!(
        "{} forms read, {maps} group maps merged into attune.toml{}",
        import.forms.forms.len(),
        if import.had_attune_toml {
            ""
        } else {
            " (started from the self-work pack's rules, which the vault used until now)"
        }
    );
    Ok(ExitCode::SUCCESS)
}
