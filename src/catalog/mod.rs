//! The catalog: what linters exist and what lintmux knows about them. A linter is data (a definition in
//! `linters.d/`: file types, argv, batching, exit codes, output format, config files, pinned tool), and
//! so is a file type ([`types`]) and a rule's metadata ([`rules`]). Takes the `linters.d` directories of
//! the configuration chain and the trust level; gives the [`Catalog`].

mod def;
mod load;
pub(crate) mod rules;
pub(crate) mod types;
mod validate;

pub(crate) use def::{BufferDef, Columns, DefOrigin, FixDef, InstallDef, Kind, LinterDef, Mode, is_pinned};
pub(crate) use load::{Catalog, builtin_file};
pub(crate) use validate::CatalogError;
#[cfg(test)]
pub(crate) use validate::parse_def;
