//! The configuration: `lintmux.toml` as written ([`raw`]), the `extends` chain that stacks files from a
//! central standard down to the repository ([`chain`]; git sources through a [`Fetch`] the caller gives),
//! the merge into one effective configuration that remembers where each value came from ([`merge`]), its
//! printout for `lintmux config` ([`show`]), and the [`Workspace`] that opening all this gives.

mod chain;
mod merge;
mod raw;
mod show;
mod workspace;

#[cfg(test)]
pub(crate) use chain::tests::NoGit;
pub(crate) use chain::{ChainError, Fetch, load_chain};
#[cfg(test)]
pub(crate) use merge::Val;
pub(crate) use merge::{Effective, EffectiveLinter, GivenTrust, MergeError, merge, trust_of};
pub(crate) use raw::{Runner, Severity, ToolsMode, find};
pub(crate) use show::write_effective;
pub(crate) use workspace::{Open, OpenError, Workspace, find_root};
