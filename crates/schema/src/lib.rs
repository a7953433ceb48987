//! attune-schema: see ARCHITECTURE.md.
