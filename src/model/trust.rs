//! How far a repository is trusted to make lintmux run things (the README's Security section): set by
//! `--trust` and `trust` in lintmux.toml, read by the catalog (which definitions may run), the
//! configuration (which settings count), the engine (which binaries run) and the reports (which say it).

use serde::Deserialize;

/// How far a repository is trusted to make lintmux run things (see the README's Security section).
/// Ordered: `None < Config < All`; a repository can lower it, never raise it above a central file's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Trust {
    /// Nothing of the repository runs: no repository definitions or binaries (`.venv`, `node_modules`),
    /// and the repository's lintmux.toml cannot set `env`, `pass_env` or `command`.
    None,
    /// The repository's lintmux.toml is followed in full; its definitions and binaries are not run.
    Config,
    /// Everything the repository says is run (the default).
    #[default]
    All,
}

impl Trust {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Trust::None => "none",
            Trust::Config => "config",
            Trust::All => "all",
        }
    }
}
