//! `lintmux detect`: the file types found and the linters that run on each (and those that are off); with
//! `--files`, each file, its type, why (`name matches …`, `shebang names bash`), and the linters that take
//! it. The linters and their files are chosen as `check` chooses them.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write;
use std::path::PathBuf;

use super::context::Cx;
use super::exit::ExitCode;
use crate::config::Workspace;
use crate::engine::default_jobs;
use crate::plan::select::{self, Choice};
use crate::report::escape;
use crate::walk::{Sizes, SkipReason, Walked, read_head, walk_workspace};

/// `lintmux detect`, as the command line asked.
pub(crate) struct DetectCommand {
    pub(crate) paths: Vec<PathBuf>,
    pub(crate) listing: Listing,
}

/// What `detect` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Listing {
    /// The file types and their linters.
    Types,
    /// `--files`: each file.
    Files,
}

/// The linters that run, and the files of each that runs only where configured (a formatter).
struct Running<'w> {
    on: BTreeSet<&'w str>,
    governed: BTreeMap<&'w str, HashSet<&'w str>>,
}

impl Running<'_> {
    /// The linters of `ty` that run, and those that are off (by default or by lintmux.toml).
    fn of_type<'a>(&self, ws: &'a Workspace, ty: &str) -> (Vec<&'a str>, Vec<&'a str>) {
        ws.catalog
            .linters_for(ty)
            .into_iter()
            .partition(|n| self.on.contains(n))
    }

    /// Does `linter` take `path`, as `check` gives it its files?
    fn takes(&self, linter: &str, path: &str) -> bool {
        self.governed.get(linter).is_none_or(|files| files.contains(path))
    }
}

pub(crate) fn run(cx: &Cx, args: &DetectCommand) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&args.paths)?;
    let walked = walk_workspace(&ws, cx.cwd, &args.paths, default_jobs(), Sizes::Checked)?;
    let on: BTreeSet<&str> = select::linters(&ws, None, &walked)?
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let governed = ws
        .catalog
        .linters
        .values()
        .filter(|d| on.contains(d.name.as_str()) && !d.configured_by.is_empty())
        .map(|d| {
            let files = select::files_for(&ws, d, &walked.targets, Choice::Configured);
            (d.name.as_str(), files.into_iter().collect())
        })
        .collect();
    let running = Running { on, governed };
    let mut out = std::io::stdout().lock();
    match args.listing {
        Listing::Files => files(&ws, &walked, &running, &mut out)?,
        Listing::Types => types(&ws, &walked, &running, &mut out)?,
    }
    Ok(ExitCode::Clean)
}

/// Each file, each of its types and why, and the linters that take it; then the files skipped and why.
fn files(ws: &Workspace, walked: &Walked, running: &Running, out: &mut dyn Write) -> std::io::Result<()> {
    let types = &ws.catalog.types;
    for t in &walked.targets {
        // Only files with no extension were read to classify them; read them again to explain.
        let head = types
            .worth_sniffing(&t.path, types.by_name(&t.path))
            .then(|| read_head(&ws.root.join(&t.path)));
        let path = escape::line_start(&t.path);
        for (ty, why) in types.explain(&t.path, head.as_deref()) {
            let (mut linters, _) = running.of_type(ws, &ty);
            linters.retain(|n| running.takes(n, &t.path));
            writeln!(out, "{path}\t{ty}\t{}\t{}", escape::text(&why), linters.join(","))?;
        }
    }
    for (path, why) in &walked.skipped {
        let why = match why {
            SkipReason::Binary => "skipped: binary",
            SkipReason::TooLarge => "skipped: larger than the size cap",
            SkipReason::NameNotUtf8 => "skipped: the name is not UTF-8",
        };
        writeln!(out, "{}\t-\t{why}\t", escape::line_start(path))?;
    }
    Ok(())
}

/// The root, each type with its count and linters (a formatter with no configured file of the type is
/// off, and says why), and the files skipped.
fn types(ws: &Workspace, walked: &Walked, running: &Running, out: &mut dyn Write) -> std::io::Result<()> {
    let types = &ws.catalog.types;
    writeln!(out, "root: {}", ws.root.display())?;
    for (ty, n) in walked.type_counts(types) {
        let (mut linters, mut off) = running.of_type(ws, ty);
        let id = types.id(ty);
        let unconfigured: Vec<&str> = linters
            .iter()
            .copied()
            .filter(|l| {
                running.governed.get(l).is_some_and(|files| {
                    !walked
                        .targets
                        .iter()
                        .any(|t| id.is_some_and(|id| t.types.contains(id)) && files.contains(t.path.as_str()))
                })
            })
            .collect();
        linters.retain(|l| !unconfigured.contains(l));
        let unconfigured: Vec<String> = unconfigured.iter().map(|l| format!("{l} (not configured)")).collect();
        off.extend(unconfigured.iter().map(String::as_str));
        let off = if off.is_empty() {
            String::new()
        } else {
            format!("; off: {}", off.join(", "))
        };
        let origin = id.map_or("builtin", |id| types.origin(id));
        let declared = if origin == "builtin" {
            String::new()
        } else {
            format!("  (type declared by {origin})")
        };
        writeln!(
            out,
            "{ty:<16} {n:>5} files  linted by {}{off}{declared}",
            linters.join(", ")
        )?;
    }
    let binary = walked.skipped_count(SkipReason::Binary);
    let large = walked.skipped_count(SkipReason::TooLarge);
    let names = walked.skipped_count(SkipReason::NameNotUtf8);
    let names = if names > 0 {
        format!(", {names} with a name that is not UTF-8")
    } else {
        String::new()
    };
    writeln!(out, "skipped: {binary} binary, {large} too large{names}")
}
