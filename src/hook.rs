//! `lintmux hook install`: a git pre-push hook that reads the refs being pushed from standard input and
//! runs `lintmux check --changed <what the remote has>` on them, so a push is blocked by new defects only.
//! It never replaces a hook lintmux did not write unless asked to.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::run::CancelToken;

/// The line that marks a hook as lintmux's.
const MARK: &str = "# lintmux pre-push hook";

fn hook_path(root: &Path, cancel: &CancelToken) -> anyhow::Result<PathBuf> {
    let rel =
        crate::git::git_line(root, &["rev-parse", "--git-path", "hooks/pre-push"], cancel).map_err(|e| match e {
            crate::git::GitError::Spawn(_) => anyhow::anyhow!("{e}"),
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
# git gives one line per ref being pushed: <local ref> <local sha> <remote ref> <remote sha>.
lintmux="{lintmux}"
[ -x "$lintmux" ] || lintmux=lintmux
status=0
while read -r local_ref local_sha remote_ref remote_sha; do
  case "$local_sha" in *[!0]*) ;; *) continue ;; esac   # a deletion: nothing to check
  case "$remote_sha" in
    *[!0]*) "$lintmux" check --changed "$remote_sha" || status=1 ;;   # what the remote has
    *) "$lintmux" check --changed || status=1 ;;                      # a new branch: its upstream or main
  esac
done
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
