//! Planning: which linters run, which files each takes, and in which batches. Takes the workspace and
//! the walk; gives each linter's files ([`select`], [`narrow`]), the batches scheduled from learnt costs
//! ([`schedule`], [`costs`]), with the files that need other arguments apart ([`groups`]), and the order
//! in which tools that write take turns ([`waves`]).

pub(crate) mod configured;
pub(crate) mod costs;
pub(crate) mod groups;
pub(crate) mod narrow;
pub(crate) mod schedule;
pub(crate) mod select;
pub(crate) mod waves;
