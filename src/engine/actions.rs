//! A prepared linter's actions: the lint action of each batch, a formatter's print of one file, and a
//! fixer's fix of a batch. Each is the argv of its template (the configured and user arguments before
//! `--`, the files, or a lone `-`; `{scratch}` and `{root}` as the tool sees them, locally or in its
//! container), its environment and place, and its result-cache key: a hash of every input — lintmux's
//! version, the definition's text, the tool and its version, the root, the argv, the environment, the
//! config files, the files given and read, the project environment it imports.

use super::action::{Action, ActionKind, Place};
use super::buffers::Dirty;
use super::cache::KeyBuilder;
use super::hashes::FileHashes;
use super::prepare::{Exec, Prepared};
use super::process::{MOUNT, SCRATCH};
use super::request::Fixes;
use crate::catalog::Mode;
use crate::plan::schedule::Batch;

/// The content hashes an action's key is made from.
#[derive(Clone, Copy)]
pub(crate) struct Keys<'h> {
    /// Of the files the linters are given.
    pub(crate) files: &'h FileHashes<'h>,
    /// Of the files whole-project linters read beyond them.
    pub(crate) reads: &'h FileHashes<'h>,
}

impl Prepared {
    /// The lint action of one batch (for a formatter: the one that lists the files it would change). Its
    /// key covers every input (`keys`: the content of each linted file and of each file it also reads;
    /// `None` when the result cache is off); a linter that takes files one by one also keys each file's
    /// results on their own (see `execute`). A whole-project linter reads each of `shadows` (unsaved
    /// content) in place of its file.
    pub(crate) fn lint_action(&self, batch: Batch, keys: Option<Keys>, shadows: &[(&str, &Dirty)]) -> Action {
        let mut action = self.action_of(ActionKind::Lint, &self.template, batch, None);
        if let Some(buffer) = self.buffer.as_ref().filter(|_| !shadows.is_empty()) {
            let at = action.files_at.unwrap_or(action.args.len()).min(action.args.len());
            let args: Vec<String> = shadows
                .iter()
                .flat_map(|(file, dirty)| {
                    let stored = dirty.stored.to_string_lossy().into_owned();
                    buffer
                        .shadow
                        .iter()
                        .map(move |a| a.replace("{file}", file).replace("{buffer}", &stored))
                })
                .collect();
            let n = args.len();
            action.args.splice(at..at, args);
            action.files_at = action.files_at.map(|f| f + n);
        }
        if let Some(keys) = keys {
            action.key = self.key(&action, keys);
            // A linter that reads more than its files (`extra_files`) finds on a file what those hold
            // too: only its whole batch is keyed.
            if self.mode != Mode::Project && self.extra_files.is_empty() {
                action.file_keys = action
                    .files
                    .iter()
                    .map(|f| self.file_key(&action, f, keys.files))
                    .collect::<Option<Vec<String>>>()
                    .unwrap_or_default();
            }
        }
        action
    }

    /// The action that lints the unsaved content of `file` (`dirty`), read on stdin with the file's path,
    /// when the tool can ([`crate::catalog::BufferDef`]); keyed by the content (`caching`: keyed at all).
    pub(crate) fn buffer_action(&self, file: &str, dirty: &Dirty, caching: bool) -> Option<Action> {
        let template: Vec<String> = self
            .buffer
            .as_ref()
            .filter(|b| !b.command.is_empty())?
            .command
            .iter()
            .map(|a| a.replace("{file}", file))
            .collect();
        let batch = Batch {
            linter: self.name.clone(),
            files: vec![file.to_owned()],
            args: Vec::new(),
        };
        let mut action = self.action_of(ActionKind::Lint, &template, batch, None);
        action.stdin = Some(dirty.stored.clone());
        action.buffer_of = Some(file.to_owned());
        if caching {
            action.key = self.base_key("buffer", &action).map(|mut k| {
                k.add("buffer", file.as_bytes()).add("content", dirty.hash.as_bytes());
                self.finish(k)
            });
        }
        Some(action)
    }

    /// The action that prints `file` formatted (a formatter's): the file is its stdin, or its unsaved
    /// content (`dirty`). Its key covers the content (`hashes`, or the buffer's); a tool that reads more than
    /// its files (a whole-project one) is not cached here, as those reads are not hashed for it.
    pub(crate) fn print_action(
        &self,
        file: &str,
        hashes: Option<&FileHashes>,
        dirty: Option<&Dirty>,
    ) -> Option<Action> {
        let template: Vec<String> = self
            .print
            .as_ref()?
            .argv
            .iter()
            .map(|a| a.replace("{file}", file))
            .collect();
        let batch = Batch {
            linter: self.name.clone(),
            files: vec![file.to_owned()],
            args: Vec::new(),
        };
        let keys = hashes
            .filter(|_| self.extra_files.is_empty())
            .map(|h| Keys { files: h, reads: h });
        let mut action = self.action_of(ActionKind::Print, &template, batch, None);
        match dirty {
            Some(dirty) => {
                action.stdin = Some(dirty.stored.clone());
                action.buffer_of = Some(file.to_owned());
                action.key = keys.and_then(|_| self.base_key("buffer", &action)).map(|mut k| {
                    k.add("buffer", file.as_bytes()).add("content", dirty.hash.as_bytes());
                    self.finish(k)
                });
            }
            None => {
                action.stdin = Some(self.ctx.root.join(file));
                action.key = keys.and_then(|keys| self.key(&action, keys));
            }
        }
        Some(action)
    }

    /// The action that applies the tool's fixes to a batch in place (its unsafe ones too with
    /// [`Fixes::AlsoUnsafe`], where it has them). Never cached: it writes.
    pub(crate) fn fix_action(&self, batch: Batch, fixes: Fixes) -> Option<Action> {
        let fix = self.fix.as_ref()?;
        let template = match (&fix.unsafe_command, fixes) {
            (Some(command), Fixes::AlsoUnsafe) => command,
            _ => &fix.command,
        };
        Some(self.action_of(ActionKind::Fix, template, batch, None))
    }

    fn action_of(&self, kind: ActionKind, template: &[String], batch: Batch, keys: Option<Keys>) -> Action {
        let (root, scratch) = match &self.exec {
            Exec::Local(_) => (
                self.ctx.root.to_string_lossy().into_owned(),
                self.scratch.to_string_lossy().into_owned(),
            ),
            Exec::Container { .. } => (MOUNT.to_owned(), SCRATCH.to_owned()),
        };
        let (args, files_at) = self.args(template, &root, &scratch, &batch.args);
        let place = match &self.exec {
            Exec::Local(r) => Place::Local {
                program: r.program.clone(),
            },
            Exec::Container { engine, image, mounts } => Place::Container {
                engine: engine.clone(),
                image: image.clone(),
                entrypoint: template.first().cloned().unwrap_or_default(),
                scratch: self.scratch.clone(),
                mounts: mounts.clone(),
            },
        };
        let mut action = Action {
            kind,
            linter: self.name.clone(),
            files: batch.files,
            args,
            files_at,
            file_arg: self.file_arg.clone(),
            env: self.env.clone(),
            cwd: self.ctx.root.clone(),
            timeout: self.timeout,
            output_cap: self.output_cap,
            place,
            key: None,
            file_keys: Vec::new(),
            stdin: None,
            buffer_of: None,
        };
        action.key = keys.and_then(|keys| self.key(&action, keys));
        action
    }

    /// The result-cache key of `action`, or `None` when an input could not be read.
    fn key(&self, action: &Action, keys: Keys) -> Option<String> {
        let mut k = self.base_key("action", action)?;
        for f in &action.files {
            k.add("file", f.as_bytes())
                .add("content", keys.files.get(f)?.as_bytes());
        }
        for f in &self.extra_files {
            // A file that vanished since the walk has no hash: nothing to read, so nothing in the key.
            if let Some(h) = keys.reads.get(f) {
                k.add("reads", f.as_bytes()).add("content", h.as_bytes());
            }
        }
        Some(self.finish(k))
    }

    /// The key of the results on `file` alone of an action like `action` (same tool, argv, environment
    /// and configs), whatever other files it was given with: a linter that takes files finds the same
    /// on a file whatever batch it is in. `None` when the file could not be read.
    fn file_key(&self, action: &Action, file: &str, hashes: &FileHashes) -> Option<String> {
        let mut k = self.base_key("file", action)?;
        k.add("file", file.as_bytes())
            .add("content", hashes.get(file)?.as_bytes());
        Some(self.finish(k))
    }

    /// A key for `action` over everything but its files (and the project environment, see [`Self::finish`]):
    /// lintmux's version and the key's `kind`, the definition, the tool and its version, the argv, the
    /// environment, the configs, each with the root and lintmux's directories named. `None` when a config could not be read.
    fn base_key(&self, kind: &str, action: &Action) -> Option<KeyBuilder> {
        let mut k = KeyBuilder::new(kind);
        // Portable: the directory the check runs in, the repository's root, the linter's scratch
        // directory, the tools and the cache are named, not spelled out. A checkout at another path, on
        // this machine or another (a CI runner), an export of the same commit (the pre-push check), find
        // the same entries; a stored output keeps the root it was printed in, so its paths are read
        // correctly.
        let cwd = action.cwd.to_string_lossy();
        let mut places: Vec<(&str, &str)> = self.places.iter().map(|(p, name)| (p.as_str(), *name)).collect();
        places.push((cwd.as_ref(), "{root}"));
        places.retain(|(p, _)| !p.is_empty());
        places.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        let keyed = |s: &str| places.iter().fold(s.to_owned(), |s, (p, name)| s.replace(p, name));
        let args: Vec<String> = action.args.iter().map(|a| keyed(a)).collect();
        k.add("kind", format!("{:?}", action.kind).as_bytes())
            .add("definition", self.definition.as_bytes())
            .add("tool", keyed(&action.tool()).as_bytes())
            .add("version", self.version.as_deref().unwrap_or("").as_bytes())
            .add("argv", args.join("\0").as_bytes())
            .add("files at", format!("{:?}", action.files_at).as_bytes())
            .add("file arg", action.file_arg.as_bytes());
        // The environment set for the tool, except PATH: the tool itself is keyed by its path, and PATH
        // differs for no reason between a shell and a git hook (git puts its own directory first).
        // GIT_CEILING_DIRECTORIES is the root's parent: the root is keyed already.
        for (name, value) in action
            .env
            .iter()
            .filter(|(n, _)| n != "PATH" && n != "GIT_CEILING_DIRECTORIES")
        {
            k.add("env", format!("{name}={}", keyed(value)).as_bytes());
        }
        for (path, hash) in self.configs.as_ref()? {
            k.add("config", keyed(path).as_bytes()).add("content", hash.as_bytes());
        }
        Some(k)
    }

    /// Ends a key with the project environment the tool runs from or imports (its labels name files
    /// under the root).
    fn finish(&self, mut k: KeyBuilder) -> String {
        let root = self.key_root.to_string_lossy();
        for (label, h) in &self.environment {
            k.add("environment", label.replace(root.as_ref(), "{root}").as_bytes())
                .add("content", h.as_bytes());
        }
        k.finish()
    }

    /// The arguments of one action (after the program) without its files, and where the files go.
    /// Extra arguments go before the first `--` or `{files}` of the template, where options still count
    /// as options. `root` and `scratch` are as the tool sees them.
    /// The arguments of `template` (whose first word is the program): the config and user arguments go
    /// before `--`, the files, or a lone `-` (stdin), else at the end.
    fn args(
        &self,
        template: &[String],
        root: &str,
        scratch: &str,
        batch_args: &[String],
    ) -> (Vec<String>, Option<usize>) {
        let template = template.get(1..).unwrap_or(&[]);
        let insert_at = template
            .iter()
            .position(|a| a == "--" || a == "{files}" || a == "-")
            .unwrap_or(template.len());
        let mut args = Vec::new();
        let mut files_at = None;
        for (i, a) in template.iter().enumerate() {
            if i == insert_at {
                args.extend(self.extra_args.iter().cloned());
                args.extend(batch_args.iter().cloned());
            }
            if a == "{files}" {
                files_at.get_or_insert(args.len());
            } else {
                args.push(a.replace("{scratch}", scratch).replace("{root}", root));
            }
        }
        if insert_at == template.len() {
            args.extend(self.extra_args.iter().cloned());
            args.extend(batch_args.iter().cloned());
        }
        // A template without {files} (a whole-project linter that finds its own files) takes none.
        (args, files_at)
    }
}
