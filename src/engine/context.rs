//! What every stage of one run shares ([`Cx`]): the workspace and the request, the sink and the
//! cancellation token, how many processes run at once, and what is found once per run (the container
//! engine, the images made present).

use std::sync::OnceLock;

use super::CancelToken;
use super::events::Sink;
use super::hashes::{HashJob, Hashing, Memo};
use super::process::{Engine, Images};
use super::remote::Remote;
use super::request::{Caching, Request};
use crate::config::Workspace;

/// What every stage of one run shares.
pub(crate) struct Cx<'a> {
    pub(crate) ws: &'a Workspace,
    pub(crate) req: &'a Request,
    pub(crate) sink: &'a dyn Sink,
    pub(crate) cancel: &'a CancelToken,
    /// How many processes run at once (at least one).
    pub(crate) jobs: usize,
    /// The container engine, found once per run when a linter needs one.
    pub(crate) engine: OnceLock<Result<Engine, String>>,
    /// The images made present in this run.
    pub(crate) images: Images,
    /// The run's remote result cache, when it has one.
    pub(crate) remote: Option<&'a Remote>,
}

impl<'a> Cx<'a> {
    /// How this run hashes a set of files with `memo`, reading none over `max_size`.
    pub(crate) fn hash_job(&self, memo: Memo, max_size: u64) -> HashJob<'a> {
        HashJob {
            root: &self.ws.root,
            cache: &self.ws.cache,
            memo,
            threads: self.jobs,
            hashing: match self.req.caching {
                Caching::On => Hashing::Contents,
                Caching::Off => Hashing::SizesOnly,
            },
            max_size,
        }
    }
}
