//! attune-index: see ARCHITECTURE.md.
