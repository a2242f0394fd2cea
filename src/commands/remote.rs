//! Which remote result cache a command uses: `--remote-cache` (or `LINTMUX_REMOTE_CACHE`), else `[cache]
//! remote` in lintmux.toml; `off` for none. Writes only when asked (`--remote-cache-write`,
//! `LINTMUX_REMOTE_CACHE_WRITE`, `remote_write`), and never below trust `all`. The signing secret comes from
//! `LINTMUX_REMOTE_CACHE_KEY` and the request timeout from `LINTMUX_REMOTE_CACHE_TIMEOUT` (seconds).

use std::time::Duration;

use anyhow::{Context, bail};

use crate::config::Workspace;
use crate::engine::{REMOTE_TIMEOUT, RemoteSpec, RemoteUrl, Secret, Writes};
use crate::model::{RemoteUse, Trust};

/// The remote cache options of the command line.
#[derive(Clone, Debug, Default)]
pub(crate) struct RemoteArgs {
    /// `--remote-cache URL|off`.
    pub(crate) url: Option<String>,
    /// `--remote-cache-write`.
    pub(crate) write: bool,
}

/// The remote cache the command uses, if any.
pub(crate) fn spec(ws: &Workspace, args: &RemoteArgs) -> anyhow::Result<Option<RemoteSpec>> {
    let (given, from) = match (&args.url, &ws.config.remote) {
        (Some(url), _) => (url.clone(), "--remote-cache (or LINTMUX_REMOTE_CACHE)".to_owned()),
        (None, Some(v)) => (v.value.clone(), format!("[cache] remote at {}", v.origin)),
        (None, None) => return Ok(None),
    };
    if given.trim() == "off" {
        return Ok(None);
    }
    let url = RemoteUrl::parse(&given).with_context(|| format!("in {from}"))?;
    let trust = ws.config.trust.value;
    let writes = if !(args.write || ws.config.remote_write.value) {
        Writes::Off
    } else if trust < Trust::All {
        Writes::Refused(format!("trust {} never writes", trust.as_str()))
    } else {
        Writes::On
    };
    let secret = std::env::var("LINTMUX_REMOTE_CACHE_KEY")
        .ok()
        .filter(|s| !s.is_empty())
        .map(Secret);
    Ok(Some(RemoteSpec {
        url,
        writes,
        secret,
        timeout: timeout()?,
    }))
}

/// `LINTMUX_REMOTE_CACHE_TIMEOUT`, else the default.
fn timeout() -> anyhow::Result<Duration> {
    let Ok(given) = std::env::var("LINTMUX_REMOTE_CACHE_TIMEOUT") else {
        return Ok(REMOTE_TIMEOUT);
    };
    match given.trim().parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 600.0 => Ok(Duration::from_secs_f64(s)),
        _ => bail!(
            "LINTMUX_REMOTE_CACHE_TIMEOUT is `{given}`: give each remote request's timeout in seconds, e.g. 2 or 0.5"
        ),
    }
}

/// What the report says when the repository's own `[cache]` was not followed and nothing else set a remote.
pub(crate) fn ignored(ws: &Workspace, args: &RemoteArgs) -> Option<RemoteUse> {
    let at = ws.config.remote_ignored.as_ref()?;
    if args.url.is_some() || ws.config.remote.is_some() {
        return None;
    }
    Some(RemoteUse {
        url: "(the repository's)".to_owned(),
        problem: Some(format!(
            "not used: trust {} does not follow the repository's [cache] at {at}",
            ws.config.trust.value.as_str()
        )),
        ..RemoteUse::default()
    })
}
