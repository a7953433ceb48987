//! Lossless frontmatter edits. Only the lines of the touched key change.
