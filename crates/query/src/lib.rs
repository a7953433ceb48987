//! attune-query: Dataview's query language (DQL) outside Obsidian. Pure: no I/O.
//!
//! Text → [`parse_query`] → [`Query`] → [`run_query`] over a [`QuerySource`] → [`QueryResult`]
//! of plain [`QValue`]s, with Dataview's semantics (blacksmithgu.github.io/obsidian-dataview:
//! "Query Types", "Data Commands", "Sources", "Expressions", "Functions", "Literals").
//!
//! - [`QuerySource`] + [`Page`] are the data interface the index implements;
//!   [`MemorySource`] is an in-memory implementation built from parsed notes.
//! - [`render`] turns results into text cells, CSV, Markdown or a terminal table.
//! - [`blocks`] finds ```` ```dataview ```` blocks in a note and runs them with `this` set.
//!
//! Parse errors and unknown functions are [`QueryError`]s with byte spans into the query;
//! nothing here panics on any input.
#![deny(clippy::disallowed_methods)]

pub mod ast;
pub mod blocks;
mod collation;
mod eval;
mod execute;
pub mod functions;
mod lexer;
mod memory;
mod parser;
pub mod render;
mod source;
mod time;
mod value;

pub use ast::Query;
pub use blocks::{BlockOutcome, DataviewBlock, find_query_blocks, run_block, run_note_blocks};
pub use collation::compare_text;
pub use execute::{
    ListItem, QueryOutput, QueryResult, RunOptions, TaskEntry, TaskGroup, query, run_query,
};
pub use memory::MemorySource;
pub use parser::{QueryError, parse_expression, parse_query};
pub use source::{
    FieldColumns, FieldKeys, FileStats, NameRanks, Page, QuerySource, SharedTexts, TaskItem,
    convert_value, normalize_field_name, parse_inline_value,
};
pub use value::{
    Duration, Link, LinkKind, PageId, PageValue, QValue, file_title, format_number, value_to_string,
};
