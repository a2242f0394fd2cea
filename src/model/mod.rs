//! The values every stage speaks, and nothing else: findings and tool errors, the finished report, what a
//! run covered, what a finished process gave, root-relative paths and the one rule for reading a file a
//! linter named, finding identities across commits, the trust level, and positions in configuration text.
//! It imports nothing of the crate, so every stage may import it.

mod cache_use;
mod finding;
pub(crate) mod fingerprint;
mod outcome;
mod paths;
mod report;
mod scope;
pub(crate) mod source;
mod trust;

pub(crate) use cache_use::{CacheUse, RemoteUse};
pub(crate) use finding::{At, Edit, Finding, Fix, Level, Range, ToolError, ToolErrorKind, at, tail};
pub(crate) use outcome::{Exit, Formatted, JobOutput};
pub(crate) use paths::{absolute, percent_decode, readable, real, relative, resolve};
pub(crate) use report::{FileStats, LinterRun, Origin, Report};
pub(crate) use scope::{Scope, Shard};
pub(crate) use trust::Trust;
