//! `lintmux hook install`: a git pre-push hook that hands the refs being pushed (git writes them on its
//! standard input) to `lintmux hook run`, which checks the pushed commits themselves (see [`super::push`]),
//! so a push is blocked by defects in what changed, as it is pushed. It never replaces a hook lintmux did
//! not write unless asked to. `lintmux hook uninstall` removes it.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::context::Cx;
use super::exit::ExitCode;
use crate::engine::{CancelToken, GitError, git_line};
use crate::report::escape;

/// `lintmux hook`, as the command line asked.
pub(crate) enum HookCommand {
    Install(Existing),
    Uninstall,
    /// What the hook runs: check the commits git says are being pushed; the remote's name (or URL).
    Run {
        remote: Option<String>,
    },
}

/// What `hook install` does with a pre-push hook lintmux did not write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Existing {
    Keep,
    /// `--force`: replace it.
    Replace,
}

pub(crate) fn run(cx: &Cx, cmd: &HookCommand) -> anyhow::Result<ExitCode> {
    let message = match cmd {
        HookCommand::Run { remote } => return super::push::run_hook(cx, remote.as_deref()),
        HookCommand::Install(existing) => install(&cx.open(&[])?.root, *existing, cx.cancel)?,
        HookCommand::Uninstall => uninstall(&cx.open(&[])?.root, cx.cancel)?,
    };
    eprintln!("lintmux: {}", escape::lines(&message));
    Ok(ExitCode::Clean)
}

/// The line that marks a hook as lintmux's.
const MARK: &str = "# lintmux pre-push hook";

fn hook_path(root: &Path, cancel: &CancelToken) -> anyhow::Result<PathBuf> {
    let rel = git_line(root, &["rev-parse", "--git-path", "hooks/pre-push"], cancel).map_err(|e| match e {
        GitError::Spawn(_) => anyhow::anyhow!("{e}"),
        _ => anyhow::anyhow!(
            "{} is not inside a git repository: the pre-push hook is a git hook",
            root.display()
        ),
    })?;
    let rel = PathBuf::from(rel);
    Ok(if rel.is_absolute() { rel } else { root.join(rel) })
}

fn script(lintmux: &Path) -> String {
    format!(
        r#"#!/bin/sh
{MARK} (written by `lintmux hook install`; `lintmux hook uninstall` removes it).
# git gives one line per ref being pushed on stdin; `lintmux hook run` checks each pushed commit as
# committed (not the working tree), the files changed since what the remote has.
lintmux="{lintmux}"
[ -x "$lintmux" ] || lintmux=lintmux
"$lintmux" hook run "$@"
status=$?
[ "$status" -eq 0 ] || echo "lintmux: push blocked by the findings above (git push --no-verify skips this check)" >&2
exit $status
"#,
        lintmux = lintmux.display()
    )
}

fn install(root: &Path, existing: Existing, cancel: &CancelToken) -> anyhow::Result<String> {
    let path = hook_path(root, cancel)?;
    if let Ok(text) = std::fs::read_to_string(&path)
        && !text.contains(MARK)
        && existing == Existing::Keep
    {
        bail!(
            "{} exists and was not written by lintmux; move it aside, or run `lintmux hook install --force` to replace it",
            path.display()
        );
    }
    let exe = std::env::current_exe().context("cannot find lintmux's own executable")?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("failed to create {}", dir.display()))?;
    }
    std::fs::write(&path, script(&exe)).with_context(|| format!("failed to write {}", path.display()))?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("failed to make {} executable", path.display()))?;
    Ok(format!("installed the pre-push hook at {}", path.display()))
}

fn uninstall(root: &Path, cancel: &CancelToken) -> anyhow::Result<String> {
    let path = hook_path(root, cancel)?;
    match std::fs::read_to_string(&path) {
        Err(_) => Ok(format!("no pre-push hook at {}", path.display())),
        Ok(text) if !text.contains(MARK) => bail!("{} was not written by lintmux; leaving it alone", path.display()),
        Ok(_) => {
            std::fs::remove_file(&path).with_context(|| format!("failed to remove {}", path.display()))?;
            Ok(format!("removed the pre-push hook at {}", path.display()))
        }
    }
}
