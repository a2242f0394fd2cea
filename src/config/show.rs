//! `lintmux config`: the effective configuration as TOML, each value followed by where it came from, so
//! that "why does ruff run with this?" has an answer without reading a chain of files.

use std::io::Write;

use super::merge::{Effective, Val};

fn quote(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn list(v: &[String]) -> String {
    format!("[{}]", v.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", "))
}

fn line(out: &mut dyn Write, key: &str, value: String, origin: &str) -> std::io::Result<()> {
    let text = format!("{key} = {value}");
    writeln!(out, "{text:<48} # {origin}")
}

fn val_list(out: &mut dyn Write, key: &str, v: &Val<Vec<String>>) -> std::io::Result<()> {
    line(out, key, list(&v.value), &v.origin)
}

pub(crate) fn write_effective(eff: &Effective, out: &mut dyn Write) -> std::io::Result<()> {
    if eff.files.is_empty() {
        writeln!(out, "# no lintmux.toml: every value is lintmux's default")?;
    } else {
        writeln!(out, "# merged from, most basic first:")?;
        for f in &eff.files {
            writeln!(out, "#   {f}")?;
        }
    }
    line(out, "fail_on", quote(eff.fail_on.value.as_str()), &eff.fail_on.origin)?;
    match &eff.jobs {
        Some(j) => line(out, "jobs", j.value.to_string(), &j.origin)?,
        None => writeln!(out, "{:<48} # default: the number of CPUs", "# jobs")?,
    }
    line(
        out,
        "max_file_size",
        eff.max_file_size.value.to_string(),
        &eff.max_file_size.origin,
    )?;
    line(out, "tools", quote(eff.tools.value.as_str()), &eff.tools.origin)?;
    match &eff.enable {
        Some(e) => val_list(out, "enable", e)?,
        None => writeln!(
            out,
            "{:<48} # default: every linter whose file types are present",
            "# enable"
        )?,
    }
    val_list(out, "disable", &eff.disable)?;
    val_list(out, "exclude", &eff.exclude)?;
    if eff.remote.is_some() || eff.remote_ignored.is_some() {
        writeln!(out, "\n[cache]")?;
        if let Some(r) = &eff.remote {
            line(out, "remote", quote(&r.value), &r.origin)?;
            line(
                out,
                "remote_write",
                eff.remote_write.value.to_string(),
                &eff.remote_write.origin,
            )?;
        }
        if let Some(at) = &eff.remote_ignored {
            writeln!(out, "{:<48} # {at}: not followed below trust all", "# remote")?;
        }
    }
    for (name, l) in &eff.linters {
        writeln!(out, "\n[linters.{name}]")?;
        if let Some(e) = &l.enabled {
            line(out, "enabled", e.value.to_string(), &e.origin)?;
        }
        val_list(out, "args", &l.args)?;
        val_list(out, "include", &l.include)?;
        val_list(out, "exclude", &l.exclude)?;
        line(out, "timeout", l.timeout.value.to_string(), &l.timeout.origin)?;
        if l.max_output.origin != "default" {
            line(out, "max_output", l.max_output.value.to_string(), &l.max_output.origin)?;
        }
        if let Some(c) = &l.config {
            line(out, "config", quote(&c.value.to_string_lossy()), &c.origin)?;
        }
        line(out, "runner", quote(l.runner.value.as_str()), &l.runner.origin)?;
        if let Some(image) = &l.image {
            line(out, "image", quote(&image.value), &image.origin)?;
        }
        if let Some(command) = &l.command {
            val_list(out, "command", command)?;
        }
        val_list(out, "pass_env", &l.pass_env)?;
        for (k, v) in &l.env {
            line(out, &format!("env.{}", quote(k)), quote(&v.value), &v.origin)?;
        }
        for (rule, v) in &l.severity {
            line(
                out,
                &format!("severity.{}", quote(rule)),
                quote(v.value.as_str()),
                &v.origin,
            )?;
        }
        for (glob, schema) in &l.schemas {
            let value = quote(&schema.value.to_string_lossy());
            line(out, &format!("schemas.{}", quote(glob)), value, &schema.origin)?;
        }
    }
    Ok(())
}
