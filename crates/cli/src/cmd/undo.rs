//! `attune undo [VAULT]`: restore every file of the last commit, refusing (nothing written)
//! when one of them changed since.

use std::process::ExitCode;

use attune_engine::commit::undo;

use crate::vault_arg::VaultArg;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    vault: VaultArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.vault.resolve()?;
    match undo(&dir.path) {
        Ok(m) => {
            for f in &m.files {
                let what = match (f.before, f.after) {
                    (_, None) => "removed",
                    (None, _) => "recreated",
                    _ => "restored",
                };
                anstream::println!("{what} {}", f.path);
            }
            anstream::println!("commit #{}: {}", m.number, m.message);
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            anstream::eprintln!("error: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
