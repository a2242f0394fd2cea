//! Filters between parsing and reporting: severity overrides, findings that cannot be true, `--new-only`,
//! `--baseline`, and the PATHs that narrow a report.

pub(crate) mod compare;
mod locate;
pub(crate) mod plausible;
mod yaml_path;

pub(crate) use locate::locate;
