//! Planning: which files each linter takes and in which batches. Takes the walk, the configuration and
//! the catalog; gives batches (one linter on some of its files), scheduled from learnt costs.

pub(crate) mod configured;
pub(crate) mod costs;
pub(crate) mod groups;
pub(crate) mod schedule;
