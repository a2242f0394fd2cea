//! The walk: which files the repository has and what type each is. Takes the root, the PATHs, the
//! excludes and the catalog's file types; gives [`Walked`]: the targets (path and types), sorted, and the
//! files skipped and why.

mod walker;

pub(crate) use walker::*;
