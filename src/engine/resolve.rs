//! Which binary runs a linter. In order: the repository's own `node_modules/.bin` and `.venv/bin` when
//! the definition prefers the project's tool (so ESLint sees the project's plugins, mypy its packages);
//! then lintmux's pinned install; or, when the user asks for system tools, PATH.

use std::path::{Path, PathBuf};

use crate::catalog::LinterDef;
use crate::config::ToolsMode;
use crate::engine::install::ToolInstall;
use crate::model::Trust;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ToolSource {
    Project,
    Lintmux,
    System,
}

impl ToolSource {
    /// For the report: where the binary came from.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            ToolSource::Project => "the project's own",
            ToolSource::Lintmux => "lintmux's pinned install",
            ToolSource::System => "PATH",
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ToolSource::Project => "project",
            ToolSource::Lintmux => "lintmux",
            ToolSource::System => "system",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Resolved {
    pub(crate) program: PathBuf,
    pub(crate) source: ToolSource,
    /// Prepended to the child's PATH (so `#!/usr/bin/env node` and helper binaries resolve).
    pub(crate) bin_dir: PathBuf,
}

/// The project's own tool directories, in order.
pub(crate) fn project_bin_dirs(root: &Path) -> [PathBuf; 2] {
    [root.join("node_modules/.bin"), root.join(".venv/bin")]
}

/// Resolves `program` (a linter's binary, or its version command's) without installing anything.
/// `Err` says what is missing and how to fix it.
pub(crate) fn resolve_local(
    def: &LinterDef,
    root: &Path,
    cache: &Path,
    mode: ToolsMode,
    trust: Trust,
) -> Result<Resolved, String> {
    let program = def.binary();
    // Below trust `all`, the repository's own binaries do not run.
    let project = trust == Trust::All;
    let found = |dir: &Path, source| {
        let path = which::which_in(program, Some(dir), root).ok()?;
        Some(Resolved {
            program: path,
            source,
            bin_dir: dir.to_path_buf(),
        })
    };
    if project && (def.prefer_project || !def.project_required_if.is_empty()) {
        for dir in project_bin_dirs(root) {
            if let Some(r) = found(&dir, ToolSource::Project) {
                return Ok(r);
            }
        }
    }
    if let Some(marker) = def.project_required_if.iter().find(|m| root.join(m).exists()) {
        if !project {
            return Err(format!(
                "refused: the project has {marker}, so {} must come from the project to see its packages, and the trust level does not run the repository's binaries; lint it with --trust all, or disable {}",
                def.name, def.name
            ));
        }
        return Err(format!(
            "the project has {marker}, so {} must come from the project (to see its packages), but there is no `{program}` in {}: install {} {} into it",
            def.name,
            project_bin_dirs(root).map(|d| d.display().to_string()).join(" or "),
            def.name,
            def.version.pin
        ));
    }
    let from_path = || {
        let path = which::which(program).map_err(|_| match mode {
            ToolsMode::System => format!(
                "`{program}` was not found on PATH (--tools system); install {} {} or drop --tools system to use lintmux's pinned install",
                def.name, def.version.pin
            ),
            ToolsMode::Pinned => format!(
                "`{program}` was not found on PATH; {} ({}) has no [install] section, so install {} {} yourself",
                def.name, def.source, def.name, def.version.pin
            ),
        })?;
        let bin_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Resolved {
            program: path,
            source: ToolSource::System,
            bin_dir,
        })
    };
    match mode {
        ToolsMode::System => from_path(),
        ToolsMode::Pinned => {
            // A definition without a pinned install (a team's own linter) runs what is on PATH.
            let Some(install) = ToolInstall::for_def(cache, def) else {
                return from_path();
            };
            if !install.is_installed() {
                return Err(format!(
                    "{} {} is not installed: run `lintmux install {}` (or run without --no-install)",
                    def.name, def.version.pin, def.name
                ));
            }
            found(&install.bin_dir(), ToolSource::Lintmux).ok_or_else(|| {
                format!(
                    "the pinned install of {} has no `{program}` in {}: check the definition's command, or delete {} to reinstall",
                    def.name,
                    install.bin_dir().display(),
                    install.dir.display()
                )
            })
        }
    }
}
