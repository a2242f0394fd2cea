//! The report formats by name, and the one function that writes any of them, so `check`, `merge` and
//! `--report FORMAT=PATH` share one list.

use std::io::Write;

use super::{ConsoleOptions, JunitMeta};
use crate::model::Report;

/// The report formats, listed once: the name `--format` and `--report` take, the variant, and the function
/// that writes it. The enum, its list, its names and the dispatch are made from the list.
macro_rules! report_formats {
    ($($name:literal => $variant:ident by $write:expr,)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        pub(crate) enum ReportFormat {
            $($variant,)*
        }

        impl ReportFormat {
            /// Every format, in the order `--help` lists them.
            pub(crate) const ALL: &[ReportFormat] = &[$(ReportFormat::$variant,)*];

            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(ReportFormat::$variant => $name,)*
                }
            }

            /// The function that writes `report` in this format.
            fn writer(self) -> Writer {
                match self {
                    $(ReportFormat::$variant => $write,)*
                }
            }
        }
    };
}

/// How a format is written: the report, the options some formats need, where to.
type Writer = fn(&Report, &ReportOptions, &mut dyn Write) -> std::io::Result<()>;

report_formats! {
    "console" => Console by |r, o, out| super::write_console(r, &o.console, out),
    "sarif" => Sarif by |r, _, out| super::write_sarif(r, out),
    "json" => Json by |r, _, out| super::write_json(r, out),
    "github" => Github by |r, _, out| super::write_github(r, out),
    "gitlab" => Gitlab by |r, _, out| super::write_gitlab(r, out),
    "junit" => Junit by |r, o, out| super::write_junit(r, &o.junit, out),
    "checkstyle" => Checkstyle by |r, _, out| super::write_checkstyle(r, out),
    "markdown" => Markdown by |r, _, out| super::write_markdown(r, out),
}

impl std::str::FromStr for ReportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<ReportFormat, String> {
        ReportFormat::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = ReportFormat::ALL.iter().map(|f| f.name()).collect();
                format!("unknown report format `{s}`: use one of {}", names.join(", "))
            })
    }
}

/// One report to write: a format, and a file (`None`: stdout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ReportTarget {
    pub(crate) format: ReportFormat,
    pub(crate) path: Option<std::path::PathBuf>,
}

/// What some formats need besides the report.
pub(crate) struct ReportOptions {
    pub(crate) console: ConsoleOptions,
    pub(crate) junit: JunitMeta,
}

/// Writes `report` in `format`.
pub(crate) fn write_report(
    format: ReportFormat,
    report: &Report,
    opts: &ReportOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    (format.writer())(report, opts, out)
}
