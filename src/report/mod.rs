//! Reports: each a function of the finished [`Report`] writing to `&mut dyn Write`. Reporters never run
//! processes and never decide exit codes.

mod console;
pub mod escape;
mod json;
mod model;
mod sarif;

pub use console::{ConsoleOptions, write_console};
pub use json::write_json;
pub use model::{FileStats, LinterRun, Origin, Report};
pub use sarif::{SCHEMA as SARIF_SCHEMA, write_sarif};
