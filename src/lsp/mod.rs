//! `lintmux lsp`: the same linters, configuration, trust and result cache as `lintmux check`, in every
//! editor that speaks the Language Server Protocol (over stdio). The [`server`]'s loop keeps the open
//! [`documents`] and starts engine [`runs`]; [`diagnostics`] and [`actions`] turn what a run found into
//! what the editor shows and offers, at the positions of [`text`]; [`progress`] tells the editor about
//! installs; [`options`] are what the client may set.

mod actions;
mod diagnostics;
mod documents;
mod options;
mod progress;
mod runs;
mod server;
mod text;

#[cfg(test)]
mod recorded;

pub(crate) use server::{Setup, serve};

#[cfg(test)]
mod tests;
