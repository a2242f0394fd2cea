//! `lintmux install`: the pinned tools of the enabled linters (or of those named, or of all) installed
//! ahead of time, all at once (a check installs them on demand).

use super::context::Cx;
use super::exit::ExitCode;
use super::progress::sink;
use crate::catalog::LinterDef;
use crate::engine::{Event, Installed, ToolInstall, default_jobs, ensure_installed, run_pool};
use crate::plan::select;
use crate::report::escape;
use crate::walk::{Sizes, Walked, walk_workspace};

/// Which linters' tools to install.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Which {
    /// The linters enabled for this repository.
    Enabled,
    /// These.
    Named(Vec<String>),
    /// Every linter in the catalog (`--all`).
    All,
}

/// `lintmux install`, as the command line asked.
pub(crate) struct InstallCommand {
    pub(crate) which: Which,
}

pub(crate) fn run(cx: &Cx, args: &InstallCommand) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&[])?;
    let defs: Vec<&LinterDef> = match &args.which {
        Which::All => ws.catalog.linters.values().collect(),
        Which::Enabled => {
            let walked = walk_workspace(&ws, cx.cwd, &[], default_jobs(), Sizes::Checked)?;
            select::linters(&ws, None, &walked)?
        }
        Which::Named(names) => select::linters(&ws, Some(names), &Walked::default())?,
    };
    let sink = sink();
    let results = run_pool(
        &defs,
        defs.len().max(1),
        |def| {
            let installed = ToolInstall::for_def(&ws.cache, def).is_some_and(|i| i.is_installed());
            if !installed {
                sink.event(&Event::InstallStarted { linter: &def.name });
            }
            let result = ensure_installed(&ws.cache, def, cx.cancel);
            sink.event(&Event::InstallFinished { linter: &def.name });
            result
        },
        |_, _| {},
    );
    let mut failed = false;
    for (def, result) in defs.iter().zip(results) {
        match result {
            Ok(Installed::Now) => eprintln!("lintmux: installed {} {}", def.name, def.version.pin),
            Ok(Installed::AlreadyThere) => {
                eprintln!("lintmux: {} {} already installed", def.name, def.version.pin)
            }
            Err(e) => {
                failed = true;
                eprintln!("lintmux: {}", escape::lines(&e.to_string()));
            }
        }
    }
    Ok(if cx.cancel.is_cancelled() {
        ExitCode::Interrupted
    } else if failed {
        ExitCode::Error
    } else {
        ExitCode::Clean
    })
}
