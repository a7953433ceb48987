//! attune-engine: the API boundary. Load a vault, check it, query it, plan and commit
//! changes. Plain data in and out: no serialisation formats, no terminal, no HTTP here.
//!
//! Architecture invariant: the engine reaches the disk only through `attune-store`.

pub mod check;
pub mod commit;
pub mod create;
pub mod demo;
pub mod form;
pub mod import;
pub mod naming;
pub mod plan;
pub mod query;
pub mod refresh;
pub mod settings;
pub mod show;
pub mod snapshot;
pub mod stats;
pub mod update;
pub mod vault;
pub mod workspace;

pub use refresh::RefreshReport;
pub use settings::Settings;
pub use vault::{LoadError, Vault, VaultNote};
