//! attune-bench: the synthetic vault generator (`generate`) and the pieces of the benchmark
//! harness (`measure`, `machine`, `report`) that the `attune-bench` binary runs.
//!
//! The generator writes vaults shaped like the owner's self-work vault (SYSTEM.md): the same
//! fileClasses and folders, about 38% empty stubs, the owner's value shapes and link forms,
//! duplicate names across folders, folder dashboards with Dataview blocks, and captured moments,
//! journal entries and practice sessions spread over years. Its vocabulary is synthetic.

mod date;
mod generate;
mod layout;
mod machine;
pub mod measure;
mod note;
pub mod report;
pub mod rng;
mod schema;
mod words;

pub use generate::{GenSummary, generate, vault_files};
pub use machine::Machine;
pub use schema::VaultFile;

/// The dashboard note of the Emotions folder in a generated vault (its "To Review" and
/// "Completed File List" blocks are the query shapes the benchmark times).
pub const EMOTIONS_DASHBOARD: &str = "ME/🏛️ Foundations/🎭 Emotions/🎭 Emotions.md";

/// FLATTEN + GROUP BY over captured moments: how often each emotion comes up (a view the
/// owner planned and never built).
pub const GROUP_BY_QUERY: &str = "TABLE length(rows) AS \"Moments\"
FROM \"ME/📝 Captured Moments\"
FLATTEN emotions AS emotion
GROUP BY emotion
SORT length(rows) DESC";
