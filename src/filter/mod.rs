//! Filters between parsing and reporting: severity overrides ([`severity`]), a place named by a value path
//! turned into a line ([`locate`]), findings that cannot be true ([`plausible`]), `--new-only` and
//! `--baseline` ([`compare`]), and the PATHs that narrow a report ([`within`]). Each is a function of
//! findings or of the report, reading at most the files the findings name inside the root.

pub(crate) mod compare;
mod locate;
pub(crate) mod plausible;
mod severity;
mod within;
mod yaml_path;

pub(crate) use compare::NewLines;
pub(crate) use locate::locate;
pub(crate) use severity::apply_severity;
pub(crate) use within::keep_within;
