//! Which linters run, and which files each takes. A linter runs when it is named (`-l`), or when it is
//! enabled (by default, or by lintmux.toml) and files of its types are present. Its files are those of its
//! types (and of its configured schema globs), after its `include` and `exclude`; a linter that runs only
//! where configured (`configured_by`: the formatters) takes only the files its config governs, unless it
//! was turned on explicitly.

use crate::catalog::types::TypeSet;
use crate::catalog::{Kind, LinterDef};
use crate::config::Workspace;
use crate::walk::{Target, Walked};

/// How the linters of a run were chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Choice {
    /// By the configuration: the enabled linters whose file types are present.
    Configured,
    /// Named by the user (`-l`): a linter that runs only where configured then runs on all its files.
    Named,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown linter `{name}`; known linters: {known}")]
pub(crate) struct UnknownLinter {
    pub(crate) name: String,
    pub(crate) known: String,
}

/// The linters to run: those `named`, else every enabled linter whose file types are present.
pub(crate) fn linters<'w>(
    ws: &'w Workspace,
    named: Option<&[String]>,
    walked: &Walked,
) -> Result<Vec<&'w LinterDef>, UnknownLinter> {
    if let Some(names) = named {
        return names
            .iter()
            .map(|n| {
                ws.catalog.get(n).ok_or_else(|| UnknownLinter {
                    name: n.clone(),
                    known: ws.catalog.names(),
                })
            })
            .collect();
    }
    let present = walked
        .targets
        .iter()
        .fold(TypeSet::default(), |acc, t| acc.union(t.types));
    let cfg = &ws.config;
    Ok(ws
        .catalog
        .linters
        .values()
        .filter(|def| {
            let chosen = match &cfg.enable {
                Some(enable) => enable.value.contains(&def.name),
                None => def.default_enabled && ws.catalog.type_set(def).intersects(present),
            } && !cfg.disable.value.contains(&def.name);
            cfg.linters
                .get(&def.name)
                .and_then(|l| l.enabled.as_ref())
                .map_or(chosen, |e| e.value)
        })
        .collect())
}

/// The tools among `linters` that write: the formatters, and with `fixers` the linters that can fix.
pub(crate) fn writers(linters: Vec<&LinterDef>, fixers: Fixers) -> Vec<&LinterDef> {
    linters
        .into_iter()
        .filter(|d| d.kind == Kind::Formatter || (fixers == Fixers::Included && d.fix.is_some()))
        .collect()
}

/// Whether the linters that fix in place are among the tools that write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fixers {
    Included,
    Left,
}

/// Was `def` turned on explicitly: named on the command line, in `enable`, with `enabled = true`, or
/// given a `config` in lintmux.toml? A linter that runs only where configured (`configured_by`) then runs
/// on all its files.
pub(crate) fn explicitly_enabled(ws: &Workspace, def: &LinterDef, choice: Choice) -> bool {
    let settings = ws.config.linters.get(&def.name);
    choice == Choice::Named
        || ws.config.enable.as_ref().is_some_and(|e| e.value.contains(&def.name))
        || settings.and_then(|l| l.enabled.as_ref()).is_some_and(|e| e.value)
        || settings.is_some_and(|l| l.config.is_some())
}

/// The files of `targets` that `def` lints, after the linter's include and exclude globs, and, for a
/// linter that runs only where configured and was not turned on explicitly, those its config governs.
pub(crate) fn files_for<'t>(ws: &Workspace, def: &LinterDef, targets: &'t [Target], choice: Choice) -> Vec<&'t str> {
    let settings = ws.config.linter(&def.name);
    let set = |globs: &[String]| {
        let mut b = globset::GlobSetBuilder::new();
        for g in globs {
            if let Ok(g) = globset::Glob::new(g) {
                b.add(g);
            }
        }
        b.build().unwrap_or_else(|_| globset::GlobSet::empty())
    };
    let include = set(&settings.include.value);
    let exclude = set(&settings.exclude.value);
    let files: Vec<&str> = super::groups::files_of(def, &settings, &ws.catalog.types, targets)
        .into_iter()
        .filter(|f| (settings.include.value.is_empty() || include.is_match(f)) && !exclude.is_match(f))
        .collect();
    if def.configured_by.is_empty() || explicitly_enabled(ws, def, choice) {
        files
    } else {
        super::configured::governed(&ws.root, &def.configured_by, files)
    }
}
