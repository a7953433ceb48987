//! attune-engine: see ARCHITECTURE.md.
