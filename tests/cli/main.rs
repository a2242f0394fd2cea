//! lintmux's integration tests: the built binary on temporary repositories, with the real linters at their
//! pinned versions (installed once into a cache shared by the tests). One test binary, grouped by feature.

mod support;

mod check;
mod config;
mod containers;
mod detect;
mod engine;
mod failures;
mod fmt;
mod history;
mod image;
mod install;
mod linters;
mod remote;
mod reports;
mod sarif;
mod trust;
mod verdict;
