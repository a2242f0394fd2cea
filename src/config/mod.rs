//! `lintmux.toml`: the model of one file ([`raw`]), the `extends` chain that stacks files from a central
//! standard down to the repository ([`chain`]), the merge into one effective configuration that remembers
//! where each value came from ([`merge`]), and its printout for `lintmux config` ([`show`]).

mod chain;
mod merge;
mod raw;
mod show;
mod workspace;

pub use chain::{ChainError, load_chain};
#[cfg(test)]
pub use merge::Val;
pub use merge::{Effective, EffectiveLinter, MergeError, merge, trust_of};
pub use raw::{Runner, Severity, ToolsMode, find};
pub use show::write_effective;
pub(crate) use workspace::{SetupError, Workspace};
