//! One module per subcommand.

pub mod check;
pub mod edit;
pub mod generate;
pub mod import;
pub mod init;
pub mod log;
pub mod new;
pub mod query;
pub mod schema;
pub mod serve;
pub mod set;
pub mod show;
pub mod stats;
pub mod undo;
pub mod views;
