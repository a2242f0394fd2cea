//! Narrowing a linter's files to a part of the repository: the files changed since a base (`--changed`,
//! the pre-push check) and one shard of N (`--shard`). A whole-project linter (mypy) is not narrowed file
//! by file: it keeps all its files when any of them changed (a change can break another file's use of
//! it), and runs on shard 1 only.

use std::collections::BTreeSet;

use crate::catalog::{LinterDef, Mode};
use crate::model::Shard;

/// `def`'s `files` after `changed` (root-relative paths; `None`: every file) and `shard`.
pub(crate) fn narrow<'f>(
    def: &LinterDef,
    mut files: Vec<&'f str>,
    changed: Option<&BTreeSet<String>>,
    shard: Option<Shard>,
) -> Vec<&'f str> {
    let project = def.mode == Mode::Project;
    if let Some(changed) = changed {
        if project {
            if !files.iter().any(|f| changed.contains(*f)) {
                files.clear();
            }
        } else {
            files.retain(|f| changed.contains(*f));
        }
    }
    if let Some(shard) = shard {
        if project {
            if shard.index != 1 {
                files.clear();
            }
        } else {
            files.retain(|f| shard.takes(f));
        }
    }
    files
}
