//! `lintmux init`: a commented lintmux.toml for the repository at hand, naming the file types found and
//! the linters that will run on them, with every key shown (commented out) at its default.

use std::fmt::Write;

use anyhow::Context;

use super::context::Cx;
use super::exit::ExitCode;
use crate::catalog::Kind;
use crate::config::Workspace;
use crate::engine::default_jobs;
use crate::walk::{Sizes, Walked, walk_workspace};

/// `lintmux init`, as the command line asked.
pub(crate) struct InitCommand {
    pub(crate) existing: Existing,
}

/// What `init` does with a lintmux.toml that is there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Existing {
    /// Leave it, and say so (an error).
    Keep,
    /// `--force`: replace it.
    Replace,
}

pub(crate) fn run(cx: &Cx, args: &InitCommand) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&[])?;
    let path = ws.root.join("lintmux.toml");
    if let Some(existing) = crate::config::find(&ws.root).filter(|_| args.existing == Existing::Keep) {
        anyhow::bail!(
            "{} already exists; edit it, or run `lintmux init --force` to replace it",
            existing.display()
        );
    }
    let walked = walk_workspace(&ws, cx.cwd, &[], default_jobs(), Sizes::Checked)?;
    let text = template(&ws, &walked);
    std::fs::write(&path, text).with_context(|| format!("failed to write {}", path.display()))?;
    eprintln!("lintmux: wrote {}", path.display());
    Ok(ExitCode::Clean)
}

fn template(ws: &Workspace, walked: &Walked) -> String {
    let counts = walked.type_counts(&ws.catalog.types);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# lintmux configuration. Every key is optional; `lintmux config` shows the effective values."
    );
    let _ = writeln!(out, "#\n# Found here:");
    for (ty, n) in &counts {
        // Linters that are off by default (codespell, typos-code) are not named here.
        let linters: Vec<String> = ws
            .catalog
            .linters_for(ty)
            .into_iter()
            .filter_map(|n| ws.catalog.get(n))
            .filter(|d| d.default_enabled)
            .map(|d| match d.kind {
                Kind::Formatter => format!("{} (formatter, where configured)", d.name),
                Kind::Linter => d.name.clone(),
            })
            .collect();
        let _ = writeln!(
            out,
            "#   {ty}: {n} file{} -> {}",
            if *n == 1 { "" } else { "s" },
            linters.join(", ")
        );
    }
    out.push_str(
        r#"
# Build on a shared standard: a path, or a git repository pinned by commit.
# extends = ["git+https://git.example.com/org/lint-standard.git?rev=<full commit sha>#lintmux.toml"]

# fail_on = "warning"        # error | warning | note: the lowest level that makes the exit code 1
# jobs = 4                   # default: the number of CPUs
# max_file_size = 2097152    # bytes; larger files are skipped
# tools = "pinned"           # pinned (lintmux installs them) | system (PATH)
# exclude = ["vendor/**"]    # on top of .gitignore; extend-exclude appends to an extended file's list
# disable = ["mypy"]         # linters not to run; enable = [...] runs exactly those
#
# Formatters are linters whose finding is "this file is not formatted", with the diff; `lintmux fmt`
# rewrites the files, `lintmux check --fix` also applies the linters' safe fixes. A formatter runs where
# the repository configures it, on the files below that config (`enabled = true` below: on every file):
"#,
    );
    for def in ws.catalog.linters.values().filter(|d| d.kind == Kind::Formatter) {
        let _ = writeln!(out, "#   {}: {}", def.name, def.configured_by.join(", "));
    }
    let mut names: Vec<&str> = ws
        .catalog
        .linters
        .values()
        .filter(|d| d.file_types.iter().any(|t| counts.contains_key(t.as_str())))
        .map(|d| d.name.as_str())
        .collect();
    names.sort();
    for name in names {
        let _ = writeln!(
            out,
            r#"
# [linters.{name}]
# enabled = true
# args = []                  # extra arguments
# include = []               # globs; when given, only matching files
# exclude = []
# timeout = 600              # seconds
# max_output = 64            # MiB of output kept per run; more is a tool error
# config = "path/to/config"  # the tool's own config file, relative to this file
# pass_env = []              # variables passed through from the environment
# env = {{}}                 # variables set
# severity = {{}}            # rule (or "*") = "error" | "warning" | "note" | "off""#
        );
    }
    out
}
