//! The pack's fileClass notes, embedded (generated list; keep in step with `pack/Meta/`).

pub(crate) const FILECLASSES: &[(&str, &str)] = &[];
