//! attune-store: see ARCHITECTURE.md.
