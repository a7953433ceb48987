//! attune-schema: the vault's types. Pure: text in, values out, no I/O.
//!
//! - [`load_schema`] reads Metadata Menu fileClass notes exactly as the owner wrote them
//!   (fields of every Metadata Menu type, option lists inline, in list notes or from queries,
//!   `extends`/`excludes`, `filesPaths`, `fieldsOrder`, tags, icons) and the vault's
//!   `attune.toml` ([`config`]), or the built-in self-work [`pack`] when there is none.
//! - [`Schema::class_of`] decides a note's class (folder first, `fileClass:` as a hint).
//! - [`Schema::validate_note`] checks a note's frontmatter against its class.
//! - [`modal_forms`] imports the group → option maps kept in Modal Forms definitions.
//!
//! Every content problem is an [`attune_syntax::Diagnostic`] with a stable code.
#![deny(clippy::disallowed_methods)]

pub mod assign;
pub mod config;
pub mod field;
pub mod fileclass;
pub mod list_note;
pub mod modal_forms;
pub mod pack;
mod pack_files;
pub mod schema;
pub mod settings;
pub mod suggest;
pub mod validate;
pub mod vault;

pub use assign::{ClassAssignment, ClassSource, NoClassReason};
pub use config::{ClassRules, GroupRule, Naming, Relation, VaultConfig, parse_config};
pub use field::{FieldDef, FieldType, ListNote, OptionSource};
pub use fileclass::FileClass;
pub use schema::{Class, EffectiveField, RulesSource, Schema, load_schema};
pub use settings::Settings;
pub use vault::{SchemaInput, VaultFiles};
