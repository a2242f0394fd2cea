//! `lintmux linters`: each linter of the catalog — its file types, whether it is on, formats or fixes,
//! its pin and where its definition came from, the binary that will run and its version, its image and
//! whether the container engine has it — so a user can see and limit what a repository makes lintmux run.

use std::io::Write;

use super::context::Cx;
use super::exit::ExitCode;
use crate::catalog::Kind;
use crate::config::ToolsMode;
use crate::engine::{detect_engine, present, read_version, resolve_local};
use crate::report::escape;

/// `lintmux linters`, as the command line asked.
pub(crate) struct LintersCommand {
    /// `--tools`: where tools come from (default: the configuration's).
    pub(crate) tools: Option<ToolsMode>,
}

pub(crate) fn run(cx: &Cx, args: &LintersCommand) -> anyhow::Result<ExitCode> {
    let ws = cx.open(&[])?;
    let mode = args.tools.unwrap_or(ws.config.tools.value);
    let engine = detect_engine(cx.cancel);
    let mut out = std::io::stdout().lock();
    match &engine {
        Ok(e) => writeln!(out, "container engine: {} ({})\n", e.name(), e.program.display())?,
        Err(why) => writeln!(out, "container engine: none ({why})\n")?,
    }
    for def in ws.catalog.linters.values() {
        let settings = ws.config.linter(&def.name);
        let (name, types) = (escape::line_start(&def.name), def.file_types.join(", "));
        let off = if !def.default_enabled {
            "  off by default".to_owned()
        } else if !def.configured_by.is_empty() {
            format!("  where configured ({})", def.configured_by.join(", "))
        } else {
            String::new()
        };
        let off = match def.kind {
            Kind::Formatter => format!("  formatter{off}"),
            Kind::Linter if def.fix.is_some() => format!("{off}  fixes with --fix"),
            Kind::Linter => off,
        };
        let off = escape::text(&off);
        writeln!(out, "{name}  ({}){off}", escape::text(&types))?;
        let (pin, source) = (escape::text(&def.version.pin), escape::text(&def.source));
        writeln!(out, "    pinned:  {pin}  [{source}]")?;
        if def.refused {
            writeln!(
                out,
                "    refused: a repository definition, not run with trust {}",
                ws.config.trust.value.as_str()
            )?;
            continue;
        }
        match resolve_local(def, &ws.root, &ws.cache, mode, ws.config.trust.value) {
            Ok(resolved) => {
                let version =
                    read_version(def, &resolved, &ws.root, &ws.cache, cx.cancel).unwrap_or_else(|| "unknown".into());
                let version = escape::text(&version);
                let warn = if version == def.version.pin {
                    String::new()
                } else {
                    format!("  (differs from the pin {pin})")
                };
                writeln!(
                    out,
                    "    binary:  {} ({}), version {version}{warn}",
                    escape::text(&resolved.program.to_string_lossy()),
                    resolved.source.as_str()
                )?;
            }
            Err(why) => writeln!(out, "    binary:  none: {}", escape::text(&why))?,
        }
        if let Some(image) = ws.image_for(def) {
            let state = match &engine {
                Ok(e) if present(e, &image, cx.cancel) => "present locally",
                Ok(_) => "not present locally; pulled on first use",
                Err(_) => "no engine to run it",
            };
            let runner = match (&engine, settings.runner.value.as_str()) {
                (Ok(e), "container") => format!("container, in {}", e.name()),
                (_, runner) => runner.to_owned(),
            };
            writeln!(out, "    image:   {} ({state}); runner {runner}", escape::text(&image))?;
        }
        writeln!(out, "    about:   {}", escape::text(&def.description))?;
        if let Some(why) = def.install.as_ref().map(|i| i.why.as_str()).filter(|w| !w.is_empty()) {
            writeln!(out, "    pin:     {}", escape::text(why))?;
        }
    }
    Ok(ExitCode::Clean)
}
