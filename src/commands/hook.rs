//! `lintmux hook install`: a git pre-push hook that hands the refs being pushed (git writes them on its
//! standard input) to `lintmux hook run`, which checks the pushed commits themselves (see
//! [`crate::commands::push`]), so a push is blocked by defects in what changed, as it is pushed. It never replaces
//! a hook lintmux did not write unless asked to.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::engine::CancelToken;

/// The line that marks a hook as lintmux's.
const MARK: &str = "# lintmux pre-push hook";

fn hook_path(root: &Path, cancel: &CancelToken) -> anyhow::Result<PathBuf> {
    let rel = crate::engine::git::git_line(root, &["rev-parse", "--git-path", "hooks/pre-push"], cancel).map_err(
        |e| match e {
            crate::engine::git::GitError::Spawn(_) => anyhow::anyhow!("{e}"),
            _ => anyhow::anyhow!(
                "{} is not inside a git repository: the pre-push hook is a git hook",
                root.display()
            ),
        },
    )?;
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

pub(crate) fn install(root: &Path, force: bool, cancel: &CancelToken) -> anyhow::Result<String> {
    let path = hook_path(root, cancel)?;
    if let Ok(existing) = std::fs::read_to_string(&path)
        && !existing.contains(MARK)
        && !force
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

pub(crate) fn uninstall(root: &Path, cancel: &CancelToken) -> anyhow::Result<String> {
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
