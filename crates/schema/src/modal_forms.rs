//! Importing Modal Forms definitions.
