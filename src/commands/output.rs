//! Where the reports of one run go: the list of `(format, file or stdout)` the command line asked for
//! (`--format`/`-o`, `--sarif`, each `--report`), checked (at most one report on stdout), then written;
//! plus what CI adds: on GitHub Actions, workflow-command annotations after the console report (at most
//! as many as GitHub displays) and the markdown summary appended to `GITHUB_STEP_SUMMARY`. Nothing else
//! is written to a file that was not asked for.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::commands::ci::{Ci, GITHUB_ANNOTATIONS_PER_LEVEL};
use crate::model::Level;
use crate::model::Report;
use crate::report::{self, Paint, ReportFormat, ReportOptions, ReportTarget, github};

/// When to colour what is written for people (`--color`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Color {
    /// On a terminal, unless NO_COLOR says otherwise (and, for reports, not in CI or to a file).
    Auto,
    Always,
    Never,
}

/// NO_COLOR is unset or empty (see no-color.org).
pub(crate) fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum OutputError {
    #[error("two reports would go to stdout ({0} and {1}): give one of them a file, as --report {1}=PATH")]
    TwoOnStdout(&'static str, &'static str),
    #[error("failed to write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("failed to write to stdout: {0}")]
    Stdout(#[source] std::io::Error),
}

/// The reports to write. `primary` is `--format`/`-o` (`None` when neither was given), `sarif` the
/// `--sarif` file, `reports` each `--report`. Without an explicit primary report, the console report goes
/// to stdout unless a `--report` already does.
pub(crate) fn targets(
    primary: Option<ReportTarget>,
    sarif: Option<&Path>,
    reports: &[ReportTarget],
) -> Result<Vec<ReportTarget>, OutputError> {
    let mut all = Vec::new();
    match primary {
        Some(p) => all.push(p),
        None if reports.iter().any(|r| r.path.is_none()) => {}
        None => all.push(ReportTarget {
            format: ReportFormat::Console,
            path: None,
        }),
    }
    if let Some(path) = sarif {
        all.push(ReportTarget {
            format: ReportFormat::Sarif,
            path: Some(path.to_path_buf()),
        });
    }
    all.extend(reports.iter().cloned());
    let on_stdout: Vec<ReportFormat> = all.iter().filter(|t| t.path.is_none()).map(|t| t.format).collect();
    if on_stdout.len() > 1 {
        return Err(OutputError::TwoOnStdout(on_stdout[0].name(), on_stdout[1].name()));
    }
    Ok(all)
}

/// GitHub's annotations for the findings and tool errors: at most [`GITHUB_ANNOTATIONS_PER_LEVEL`] of
/// each level, then a line saying how many were left out.
pub(crate) fn github_annotations(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut shown = [0usize; 3];
    let mut left_out = 0usize;
    let mut slot = |level: Level| {
        let i = level as usize;
        if shown[i] < GITHUB_ANNOTATIONS_PER_LEVEL {
            shown[i] += 1;
            true
        } else {
            left_out += 1;
            false
        }
    };
    let mut lines = String::new();
    for e in &report.tool_errors {
        if slot(Level::Error) {
            lines.push_str(&github::tool_error_command(e));
        }
    }
    for f in &report.findings {
        if slot(f.level) {
            lines.push_str(&github::finding_command(f));
        }
    }
    out.write_all(lines.as_bytes())?;
    if left_out > 0 {
        writeln!(
            out,
            "lintmux: {left_out} more not shown as annotations (GitHub shows {GITHUB_ANNOTATIONS_PER_LEVEL} \
             errors, {GITHUB_ANNOTATIONS_PER_LEVEL} warnings and {GITHUB_ANNOTATIONS_PER_LEVEL} notices per \
             step); the report above lists them all"
        )?;
    }
    Ok(())
}

fn write_one(
    report: &Report,
    target: &ReportTarget,
    opts: &ReportOptions,
    ci: &Ci,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    // Sections and annotations are for the CI log: a report written to a file gets neither.
    if target.path.is_some() && opts.console.sections.is_some() {
        let plain = ReportOptions {
            console: report::ConsoleOptions {
                sections: None,
                ..opts.console.clone()
            },
            junit: opts.junit.clone(),
        };
        return report::write_report(target.format, report, &plain, out);
    }
    report::write_report(target.format, report, opts, out)?;
    if target.format == ReportFormat::Console && ci.github() && target.path.is_none() {
        github_annotations(report, out)?;
    }
    Ok(())
}

/// Writes every target, then, on GitHub Actions, appends the markdown summary to the step summary.
pub(crate) fn write_all(
    report: &Report,
    targets: &[ReportTarget],
    opts: &ReportOptions,
    ci: &Ci,
) -> Result<(), OutputError> {
    for target in targets {
        match &target.path {
            Some(path) => {
                let mut buf = Vec::new();
                write_one(report, target, opts, ci, &mut buf).map_err(|source| OutputError::Write {
                    path: path.clone(),
                    source,
                })?;
                std::fs::write(path, buf).map_err(|source| OutputError::Write {
                    path: path.clone(),
                    source,
                })?;
            }
            None => {
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                write_one(report, target, opts, ci, &mut lock)
                    .and_then(|()| lock.flush())
                    .map_err(OutputError::Stdout)?;
            }
        }
    }
    if let Some(path) = &ci.step_summary {
        let mut buf = Vec::new();
        report::write_markdown(report, &mut buf).map_err(OutputError::Stdout)?;
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
            file.write_all(&buf)
        };
        write().map_err(|source| OutputError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(())
}

/// Seconds since the epoch: `SOURCE_DATE_EPOCH` when set (reproducible output), else the clock.
pub(crate) fn now_secs() -> u64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        })
}

/// This machine's name, for JUnit's `hostname` (`localhost` when it cannot be read).
pub(crate) fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// Options for every format: colour as decided by the caller, times unless `LINTMUX_NO_TIMES`, sections
/// as the CI has them.
pub(crate) fn report_options(ci: &Ci, paint: Paint, root: &Path) -> ReportOptions {
    let now = now_secs();
    let sections = match ci.platform {
        Some(crate::commands::ci::Platform::GitHub) => {
            // Unguessable by the linted repository: the clock, this process and where it runs.
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let seed = format!("{nanos}\0{}\0{}", std::process::id(), root.display());
            let token = blake3::hash(seed.as_bytes()).to_hex()[..32].to_owned();
            Some(report::Sections::GitHub { token })
        }
        Some(crate::commands::ci::Platform::GitLab) => Some(report::Sections::GitLab { time: now }),
        _ => None,
    };
    let times = std::env::var_os("LINTMUX_NO_TIMES").is_none();
    ReportOptions {
        console: report::ConsoleOptions {
            color: paint.on,
            times,
            sections,
        },
        junit: report::JunitMeta {
            timestamp: report::junit_timestamp(now),
            hostname: hostname(),
            times,
        },
    }
}

/// `lintmux merge`: the merged SARIF to `output` (or stdout when neither it nor a `--report` is given),
/// and each `--report` written from the merged log (rebuilt into a [`Report`]).
pub(crate) fn write_merged(
    merged: &serde_json::Value,
    cwd: &Path,
    output: Option<&Path>,
    reports: &[ReportTarget],
) -> Result<(), OutputError> {
    let sarif = (output.is_some() || reports.is_empty()).then(|| ReportTarget {
        format: ReportFormat::Sarif,
        path: output.map(Path::to_path_buf),
    });
    targets(sarif.clone(), None, reports)?;
    if let Some(target) = &sarif {
        // The merged log as merged (not rebuilt), so nothing it holds is lost.
        let mut buf = serde_json::to_vec_pretty(merged).map_err(|e| OutputError::Stdout(e.into()))?;
        buf.push(b'\n');
        match &target.path {
            Some(path) => std::fs::write(path, buf).map_err(|source| OutputError::Write {
                path: path.clone(),
                source,
            })?,
            None => {
                let mut lock = std::io::stdout().lock();
                lock.write_all(&buf)
                    .and_then(|()| lock.flush())
                    .map_err(OutputError::Stdout)?;
            }
        }
    }
    if reports.is_empty() {
        return Ok(());
    }
    let report = crate::report::merge::to_report(merged, cwd);
    let ci = Ci::default();
    let opts = report_options(&ci, Paint { on: false }, &report.root);
    write_all(&report, reports, &opts, &ci)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(format: ReportFormat, path: Option<&str>) -> ReportTarget {
        ReportTarget {
            format,
            path: path.map(PathBuf::from),
        }
    }

    #[test]
    fn console_on_stdout_unless_a_report_is_there() {
        assert_eq!(targets(None, None, &[]).unwrap(), [t(ReportFormat::Console, None)]);
        assert_eq!(
            targets(None, None, &[t(ReportFormat::Github, None)]).unwrap(),
            [t(ReportFormat::Github, None)]
        );
        let all = targets(
            None,
            Some(Path::new("a.sarif")),
            &[t(ReportFormat::Junit, Some("j.xml"))],
        )
        .unwrap();
        assert_eq!(all.len(), 3);
        let err = targets(
            Some(t(ReportFormat::Json, None)),
            None,
            &[t(ReportFormat::Github, None)],
        )
        .unwrap_err();
        assert!(err.to_string().contains("json and github"), "{err}");
    }
}
