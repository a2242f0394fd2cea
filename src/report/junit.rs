//! `--report junit`: JUnit XML as Jenkins, GitLab and Azure DevOps read it, valid against the Apache Ant
//! JUnit schema. A `<testsuite>` per linter; a `<testcase>` per file it linted (classname the linter, name
//! the path), with one `<failure>` holding all of that file's findings; a `<testcase>` with an `<error>`
//! per tool error. Timestamp and hostname come from [`JunitMeta`], so tests can fix them; with
//! `times: false` every time is 0 and the same inputs give the same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use super::{escape, xml};
use crate::model::Report;
use crate::model::{Finding, Level, ToolError};

/// What a JUnit report needs that the run itself does not say.
#[derive(Clone, Debug)]
pub(crate) struct JunitMeta {
    /// `YYYY-MM-DDTHH:MM:SS`, UTC, no zone (as the schema requires).
    pub(crate) timestamp: String,
    pub(crate) hostname: String,
    /// Write measured times (else 0).
    pub(crate) times: bool,
}

/// `YYYY-MM-DDTHH:MM:SS` for a number of seconds since 1970-01-01 UTC (proleptic Gregorian calendar).
pub(crate) fn timestamp(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rest = secs % 86_400;
    // Days to a civil date: count in 400-year eras starting on 0000-03-01.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn failure(out: &mut dyn Write, findings: &[&Finding]) -> std::io::Result<()> {
    let worst = findings.iter().map(|f| f.level).max().unwrap_or(Level::Note);
    let count = |l| findings.iter().filter(|f| f.level == l).count();
    let mut parts = Vec::new();
    for (level, word) in [
        (Level::Error, "error"),
        (Level::Warning, "warning"),
        (Level::Note, "note"),
    ] {
        if count(level) > 0 {
            parts.push(plural(count(level), word));
        }
    }
    let mut body = String::new();
    for f in findings {
        // One line a finding, escaped as the console is: a CI log may show this text.
        body.push_str(&format!(
            "{}:{}:{}: {}: {} [{} {}]\n",
            escape::line_start(&f.path),
            f.line,
            f.column,
            f.level,
            escape::text(&f.message),
            escape::text(&f.linter),
            escape::text(&f.rule)
        ));
    }
    writeln!(
        out,
        r#"      <failure message="{}" type="{}">{}</failure>"#,
        xml::attr(&parts.join(", ")),
        worst,
        xml::text(&body)
    )
}

fn error(out: &mut dyn Write, e: &ToolError) -> std::io::Result<()> {
    let kind = e.kind.as_str();
    writeln!(
        out,
        r#"      <error message="{}" type="{}">{}</error>"#,
        xml::attr(&e.message),
        xml::attr(kind),
        xml::text(&escape::lines(&e.output_tail))
    )
}

pub(crate) fn write_junit(report: &Report, meta: &JunitMeta, out: &mut dyn Write) -> std::io::Result<()> {
    let secs = |d: std::time::Duration| {
        if meta.times {
            format!("{:.3}", d.as_secs_f64())
        } else {
            "0".to_owned()
        }
    };
    let hostname = if meta.hostname.trim().is_empty() {
        "localhost"
    } else {
        meta.hostname.as_str()
    };
    let mut names: BTreeSet<&str> = report.linters.iter().map(|l| l.name.as_str()).collect();
    names.extend(report.tool_errors.iter().map(|e| e.linter.as_str()));
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, "<testsuites>")?;
    for (id, name) in names.into_iter().enumerate() {
        let run = report.linters.iter().find(|l| l.name == name);
        // Each file it was given, and each file it reported on (a whole-project tool can name others).
        let mut files: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for path in run.map(|r| r.paths.as_slice()).unwrap_or_default() {
            files.entry(path).or_default();
        }
        for f in report.findings.iter().filter(|f| f.linter == name) {
            files.entry(&f.path).or_default().push(f);
        }
        let errors: Vec<&ToolError> = report.tool_errors.iter().filter(|e| e.linter == name).collect();
        let failures = files.values().filter(|f| !f.is_empty()).count();
        writeln!(
            out,
            r#"  <testsuite name="{}" package="lintmux" id="{id}" timestamp="{}" hostname="{}" tests="{}" failures="{failures}" errors="{}" skipped="0" time="{}">"#,
            xml::attr(name),
            xml::attr(&meta.timestamp),
            xml::attr(hostname),
            files.len() + errors.len(),
            errors.len(),
            secs(run.map(|r| r.wall).unwrap_or_default()),
        )?;
        writeln!(out, "    <properties>")?;
        let mut props = vec![("lintmux.version", env!("CARGO_PKG_VERSION").to_owned())];
        if let Some(run) = run {
            if let Some(v) = &run.version {
                props.push(("linter.version", v.clone()));
            }
            if !run.homepage.is_empty() {
                props.push(("linter.homepage", run.homepage.clone()));
            }
            if let Some(note) = &run.note {
                props.push(("linter.note", note.clone()));
            }
        }
        for (key, value) in props {
            writeln!(out, r#"      <property name="{key}" value="{}"/>"#, xml::attr(&value))?;
        }
        writeln!(out, "    </properties>")?;
        for (path, findings) in &files {
            let open = format!(
                r#"    <testcase name="{}" classname="{}" time="0""#,
                xml::attr(path),
                xml::attr(name)
            );
            if findings.is_empty() {
                writeln!(out, "{open}/>")?;
            } else {
                writeln!(out, "{open}>")?;
                failure(out, findings)?;
                writeln!(out, "    </testcase>")?;
            }
        }
        for e in &errors {
            writeln!(
                out,
                r#"    <testcase name="{} run" classname="{}" time="0">"#,
                xml::attr(name),
                xml::attr(name)
            )?;
            error(out, e)?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "    <system-out/>")?;
        writeln!(out, "    <system-err/>")?;
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_of_the_sample() {
        let meta = JunitMeta {
            timestamp: timestamp(1_767_225_600),
            hostname: "ci-runner-7".into(),
            times: true,
        };
        let mut out = Vec::new();
        write_junit(&crate::report::sample::report(), &meta, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("junit", text);
        });
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(timestamp(1_798_761_599), "2026-12-31T23:59:59");
    }
}
