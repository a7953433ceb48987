//! attune-query: see ARCHITECTURE.md.
