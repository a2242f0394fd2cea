//! The workspace a command runs in: the lint root, the effective configuration (with its `extends`
//! chain), the catalog of linters (built-in, the chain's and the root's `linters.d`), and the cache. Also the
//! choices that follow from them alone: which files the walk finds and which linters apply.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::catalog::{Catalog, DefOrigin, LinterDef};
use crate::config::{self, Effective, EffectiveLinter};
use crate::engine::CancelToken;
use crate::engine::install;
use crate::walk::{self, WalkOptions, Walked};

/// Where the run takes place and with what; built by `cli.rs`, free of clap.
#[derive(Clone, Debug)]
pub struct Workspace {
    pub root: PathBuf,
    /// The effective configuration (defaults when there is no lintmux.toml).
    pub config: Effective,
    pub catalog: Catalog,
    pub cache: PathBuf,
    /// The repository the results belong to: the root itself, or, when the root is an export of a
    /// commit (the pre-push check), the repository it came from. Scratch directories and result-cache
    /// keys use it, so they do not depend on where the export lies.
    pub key_root: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    #[error(transparent)]
    Chain(#[from] crate::config::ChainError),
    /// Not `#[from]`: the merge error is the whole message, not a cause to print again.
    #[error("invalid configuration {0}")]
    Merge(crate::config::MergeError),
    #[error(transparent)]
    Walk(#[from] crate::walk::WalkError),
    #[error("unknown linter `{name}`; known linters: {known}")]
    UnknownLinter { name: String, known: String },
    #[error(transparent)]
    Git(#[from] crate::engine::git::GitError),
    #[error("cannot use the baseline: {0}")]
    Baseline(String),
}

impl From<crate::config::MergeError> for SetupError {
    fn from(e: crate::config::MergeError) -> Self {
        SetupError::Merge(e)
    }
}

impl Workspace {
    /// Finds the root (from `--root`, else from the first path argument or the current directory) and
    /// loads its config and linters.d.
    pub fn open(
        cwd: &Path,
        root: Option<&Path>,
        paths: &[PathBuf],
        config_path: Option<&Path>,
        trust: Option<crate::model::Trust>,
        cancel: &CancelToken,
    ) -> Result<Workspace, SetupError> {
        let root = match root {
            Some(r) => crate::model::absolute(cwd, r),
            None => {
                let start = paths
                    .first()
                    .map(|p| crate::model::absolute(cwd, p))
                    .map(|p| {
                        if p.is_dir() {
                            p
                        } else {
                            p.parent().map(Path::to_path_buf).unwrap_or(p)
                        }
                    })
                    .unwrap_or_else(|| cwd.to_path_buf());
                walk::find_root(&start)
            }
        };
        let root = root.canonicalize().unwrap_or(root);
        let cache = install::writable_cache_dir();
        let config_path = config_path
            .map(|p| crate::model::absolute(cwd, p))
            .or_else(|| config::find(&root));
        let mut layers = match &config_path {
            Some(p) => {
                // Named as the user would: relative to the current directory when it is below it.
                let label = p
                    .strip_prefix(cwd)
                    .map_or_else(|_| p.display().to_string(), |r| r.display().to_string());
                config::load_chain(p, &label, &cache, cancel)?
            }
            None => Vec::new(),
        };
        // A file inside the root is the repository's own; the others are central or team standards. Below
        // trust `all`, a file that one of the repository's files extends is the repository's too: the
        // repository chose it, so it cannot make itself central (a `git+` file of its own making).
        let below_all = config::trust_of(&layers, trust).value != crate::model::Trust::All;
        for i in (0..layers.len()).rev() {
            // Most basic first: a file's extender comes after it, and is settled already.
            let at = layers[i].path.canonicalize().unwrap_or_else(|_| layers[i].path.clone());
            let chosen = below_all
                && layers[i]
                    .extended_by
                    .as_ref()
                    .is_some_and(|by| layers[i + 1..].iter().any(|l| l.path == *by && l.repository));
            layers[i].repository = at.starts_with(&root) || chosen;
        }
        // linters.d of every file of the chain (a central standard can ship definitions), then the root's.
        let mut dirs: Vec<(PathBuf, DefOrigin)> = layers
            .iter()
            .map(|l| {
                let origin = if l.repository {
                    DefOrigin::Repository
                } else {
                    DefOrigin::Config(l.label.clone())
                };
                (l.dir().join("linters.d"), origin)
            })
            .collect();
        dirs.push((root.join("linters.d"), DefOrigin::Repository));
        let mut seen = BTreeSet::new();
        dirs.retain(|(d, _)| seen.insert(d.canonicalize().unwrap_or_else(|_| d.clone())));
        let catalog = Catalog::load(&dirs, config::trust_of(&layers, trust).value)?;
        let config = config::merge(&layers, &catalog, trust)?;
        Ok(Workspace {
            key_root: root.clone(),
            root,
            config,
            catalog,
            cache,
        })
    }

    /// Absolute forms of the path arguments (canonicalised so they compare with the root).
    pub fn abs_paths(&self, cwd: &Path, paths: &[PathBuf]) -> Vec<PathBuf> {
        paths
            .iter()
            .map(|p| {
                let abs = crate::model::absolute(cwd, p);
                abs.canonicalize().unwrap_or(abs)
            })
            .collect()
    }

    /// Walks and classifies; with `sizes`, files over the size cap are skipped here (a `stat` each).
    pub fn walk(&self, cwd: &Path, paths: &[PathBuf], jobs: usize, sizes: bool) -> Result<Walked, SetupError> {
        let opts = WalkOptions {
            max_file_size: self.config.max_file_size.value,
            sizes,
            exclude: self.config.exclude.value.clone(),
            threads: jobs,
        };
        Ok(walk::walk(
            &self.root,
            &self.abs_paths(cwd, paths),
            &opts,
            &self.catalog.types,
        )?)
    }

    /// The linters to run: those named, else every enabled linter whose file types are present.
    pub fn select<'a>(&'a self, named: Option<&[String]>, walked: &Walked) -> Result<Vec<&'a LinterDef>, SetupError> {
        if let Some(names) = named {
            return names
                .iter()
                .map(|n| {
                    self.catalog.get(n).ok_or_else(|| SetupError::UnknownLinter {
                        name: n.clone(),
                        known: self.catalog.names(),
                    })
                })
                .collect();
        }
        let present = walked
            .targets
            .iter()
            .fold(crate::catalog::types::TypeSet::default(), |acc, t| acc.union(t.types));
        let cfg = &self.config;
        Ok(self
            .catalog
            .linters
            .values()
            .filter(|def| {
                let chosen = match &cfg.enable {
                    Some(enable) => enable.value.contains(&def.name),
                    None => def.default_enabled && self.catalog.type_set(def).intersects(present),
                } && !cfg.disable.value.contains(&def.name);
                cfg.linters
                    .get(&def.name)
                    .and_then(|l| l.enabled.as_ref())
                    .map_or(chosen, |e| e.value)
            })
            .collect())
    }

    /// The container image of `def`: the configured one, else its definition's.
    pub fn image_for(&self, def: &LinterDef) -> Option<String> {
        let configured = self.config.linters.get(&def.name).and_then(|l| l.image.as_ref());
        configured.map(|i| i.value.clone()).or_else(|| def.image.clone())
    }

    /// Was `def` turned on explicitly: named on the command line (`named`), in `enable`, with
    /// `enabled = true`, or given a `config` in lintmux.toml? A linter that runs only where configured
    /// (`configured_by`) then runs on all its files.
    pub fn explicitly_enabled(&self, def: &LinterDef, named: bool) -> bool {
        let settings = self.config.linters.get(&def.name);
        named
            || self.config.enable.as_ref().is_some_and(|e| e.value.contains(&def.name))
            || settings.and_then(|l| l.enabled.as_ref()).is_some_and(|e| e.value)
            || settings.is_some_and(|l| l.config.is_some())
    }

    /// The files of `targets` that `def` lints, after the linter's include and exclude globs, and, for a
    /// linter that runs only where configured and was not turned on explicitly, those its config governs.
    pub fn files_for<'t>(
        &self,
        def: &LinterDef,
        settings: &EffectiveLinter,
        targets: &'t [walk::Target],
        named: bool,
    ) -> Vec<&'t str> {
        let set = |globs: &[String]| {
            let mut b = globset::GlobSetBuilder::new();
            for g in globs {
                if let Ok(g) = globset::Glob::new(g) {
                    b.add(g);
                }
            }
            b.build().unwrap_or_else(|_| globset::GlobSet::empty())
        };
        let include = set(&settings.include.value);
        let exclude = set(&settings.exclude.value);
        let files: Vec<&str> = crate::plan::groups::files_of(def, settings, &self.catalog.types, targets)
            .into_iter()
            .filter(|f| (settings.include.value.is_empty() || include.is_match(f)) && !exclude.is_match(f))
            .collect();
        if def.configured_by.is_empty() || self.explicitly_enabled(def, named) {
            files
        } else {
            crate::plan::configured::governed(&self.root, &def.configured_by, files)
        }
    }
}
