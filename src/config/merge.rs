//! Merging the layers of the chain into the effective configuration. The rules are few: a value set in a
//! later (more specific) file wins; tables (`[linters.x]`, `env`, `severity`) merge key by key; a list
//! replaces the list before it, unless written `extend-<key>`, which appends. Every value remembers
//! where it came from (`file:line`, or `default`), for `lintmux config`. Checks that need the catalog (linter
//! names, a `config` the linter cannot take) and glob syntax happen here, each error at `file:line:col`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::chain::Layer;
use super::raw::{List, RawLinter, Runner, S, Severity, ToolsMode};
use crate::catalog::{Catalog, LinterDef, Mode, is_pinned};
use crate::model::Level;
use crate::model::Trust;

/// Default per-linter timeout in seconds.
pub(crate) const DEFAULT_TIMEOUT_SECS: u64 = 600;
/// Default cap on one action's output, in MiB.
pub(crate) const DEFAULT_MAX_OUTPUT_MIB: u64 = 64;
/// Default file-size cap in bytes.
pub(crate) const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Val<T> {
    pub(crate) value: T,
    /// `file:line`, several joined with `, ` for extended lists, or `default`.
    pub(crate) origin: String,
}

impl<T> Val<T> {
    /// `value` as lintmux's default: what a setting is when no file sets it.
    fn built_in(value: T) -> Val<T> {
        Val {
            value,
            origin: "default".to_owned(),
        }
    }
}

impl<T: Default> Default for Val<T> {
    /// The type's default value as lintmux's default (`false`, empty).
    fn default() -> Val<T> {
        Val::built_in(T::default())
    }
}

#[derive(Clone, Debug)]
pub(crate) struct EffectiveLinter {
    pub(crate) enabled: Option<Val<bool>>,
    pub(crate) args: Val<Vec<String>>,
    pub(crate) include: Val<Vec<String>>,
    pub(crate) exclude: Val<Vec<String>>,
    pub(crate) timeout: Val<u64>,
    /// MiB.
    pub(crate) max_output: Val<u64>,
    pub(crate) env: BTreeMap<String, Val<String>>,
    pub(crate) pass_env: Val<Vec<String>>,
    pub(crate) severity: BTreeMap<String, Val<Severity>>,
    /// Absolute path of the linter's own config file.
    pub(crate) config: Option<Val<PathBuf>>,
    pub(crate) runner: Val<Runner>,
    pub(crate) image: Option<Val<String>>,
    pub(crate) allow_unpinned: Val<bool>,
    pub(crate) command: Option<Val<Vec<String>>>,
    /// Settings of the repository's lintmux.toml that the trust level refused (`file:line key`).
    pub(crate) refused: Vec<String>,
    /// Glob (relative to the root) → absolute path of the schema its files are checked against.
    pub(crate) schemas: BTreeMap<String, Val<PathBuf>>,
}

impl Default for EffectiveLinter {
    fn default() -> Self {
        EffectiveLinter {
            enabled: None,
            args: Val::default(),
            include: Val::default(),
            exclude: Val::default(),
            timeout: Val::built_in(DEFAULT_TIMEOUT_SECS),
            max_output: Val::built_in(DEFAULT_MAX_OUTPUT_MIB),
            env: BTreeMap::new(),
            pass_env: Val::default(),
            severity: BTreeMap::new(),
            config: None,
            runner: Val::built_in(Runner::Local),
            image: None,
            allow_unpinned: Val::default(),
            command: None,
            refused: Vec::new(),
            schemas: BTreeMap::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Effective {
    /// The files merged, most basic first.
    pub(crate) files: Vec<String>,
    pub(crate) fail_on: Val<Level>,
    pub(crate) jobs: Option<Val<usize>>,
    pub(crate) max_file_size: Val<u64>,
    pub(crate) tools: Val<ToolsMode>,
    pub(crate) trust: Val<Trust>,
    pub(crate) enable: Option<Val<Vec<String>>>,
    pub(crate) disable: Val<Vec<String>>,
    pub(crate) exclude: Val<Vec<String>>,
    /// `[cache] remote`: the remote result cache's URL, as written.
    pub(crate) remote: Option<Val<String>>,
    /// `[cache] remote_write`.
    pub(crate) remote_write: Val<bool>,
    /// A `[cache]` of the repository's own file that the trust level does not follow (`file:line`).
    pub(crate) remote_ignored: Option<String>,
    /// Only linters some file configures.
    pub(crate) linters: BTreeMap<String, EffectiveLinter>,
}

impl Default for Effective {
    fn default() -> Self {
        Effective {
            files: Vec::new(),
            fail_on: Val::built_in(Level::Warning),
            jobs: None,
            max_file_size: Val::built_in(DEFAULT_MAX_FILE_SIZE),
            tools: Val::built_in(ToolsMode::Pinned),
            trust: Val::built_in(Trust::All),
            enable: None,
            disable: Val::default(),
            exclude: Val::default(),
            remote: None,
            remote_write: Val::default(),
            remote_ignored: None,
            linters: BTreeMap::new(),
        }
    }
}

impl Effective {
    /// The settings of `linter` (defaults when no file configures it).
    pub(crate) fn linter(&self, linter: &str) -> EffectiveLinter {
        self.linters.get(linter).cloned().unwrap_or_default()
    }
}

/// A configuration mistake found while merging: where, what, and the source line.
#[derive(Debug, thiserror::Error)]
#[error("{at}: {message}\n{excerpt}")]
pub(crate) struct MergeError {
    pub(crate) at: String,
    pub(crate) message: String,
    pub(crate) excerpt: String,
}

fn error<T>(layer: &Layer, spanned: &S<T>, message: String) -> MergeError {
    let span = spanned.span();
    MergeError {
        at: layer.at(span.start),
        message,
        excerpt: crate::model::source::excerpt(&layer.src, span),
    }
}

fn strings(list: &S<Vec<S<String>>>) -> Vec<String> {
    list.get_ref().iter().map(|s| s.get_ref().clone()).collect()
}

/// Applies `key = [...]` (replace) and `extend-key = [...]` (append) of one layer to `target`.
fn apply_list(target: &mut Val<Vec<String>>, set: &List, extend: &List, layer: &Layer) {
    if let Some(list) = set {
        *target = Val {
            value: strings(list),
            origin: layer.line(list.span().start),
        };
    }
    if let Some(list) = extend {
        target.value.extend(strings(list));
        let here = layer.line(list.span().start);
        target.origin = if target.origin == "default" {
            here
        } else {
            format!("{}, {here}", target.origin)
        };
    }
}

fn set<T: Clone>(target: &mut Val<T>, value: &Option<S<T>>, layer: &Layer) {
    if let Some(v) = value {
        *target = Val {
            value: v.get_ref().clone(),
            origin: layer.line(v.span().start),
        };
    }
}

fn check_globs(list: &List, layer: &Layer) -> Result<(), MergeError> {
    for glob in list.iter().flat_map(|l| l.get_ref()) {
        if let Err(e) = globset::Glob::new(glob.get_ref()) {
            return Err(error(
                layer,
                glob,
                format!("invalid glob `{}`: {}", glob.get_ref(), e.kind()),
            ));
        }
    }
    Ok(())
}

fn check_names(list: &List, layer: &Layer, catalog: &Catalog) -> Result<(), MergeError> {
    for name in list.iter().flat_map(|l| l.get_ref()) {
        if catalog.get(name.get_ref()).is_none() {
            return Err(unknown_linter(name, layer, catalog));
        }
    }
    Ok(())
}

fn unknown_linter(name: &S<String>, layer: &Layer, catalog: &Catalog) -> MergeError {
    let message = format!(
        "unknown linter `{}`; known linters: {}",
        name.get_ref(),
        catalog.names()
    );
    error(layer, name, message)
}

/// A trust level the caller gives (`--trust`, an editor's option) and what to call it in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GivenTrust {
    pub(crate) level: Trust,
    pub(crate) from: &'static str,
}

impl GivenTrust {
    /// `--trust LEVEL` on the command line.
    pub(crate) fn flag(level: Trust) -> GivenTrust {
        GivenTrust { level, from: "--trust" }
    }
}

/// The trust level of the chain: the lowest any file sets (a later file cannot raise an earlier one's),
/// lowered further by `cli` (`--trust`, or an editor's option).
pub(crate) fn trust_of(layers: &[Layer], cli: Option<GivenTrust>) -> Val<Trust> {
    let mut trust = Val::built_in(Trust::All);
    for layer in layers {
        if let Some(t) = &layer.raw.trust
            && *t.get_ref() <= trust.value
        {
            trust = Val {
                value: *t.get_ref(),
                origin: layer.line(t.span().start),
            };
        }
    }
    if let Some(given) = cli
        && given.level < trust.value
    {
        trust = Val {
            value: given.level,
            origin: given.from.to_owned(),
        };
    }
    trust
}

/// `[cache]`: where results are shared. Below trust `all` the repository's own file cannot choose it (the
/// remote decides verdicts: a repository must not pick where its results come from), and no file may hold
/// credentials (they come from the environment).
fn merge_cache(eff: &mut Effective, layer: &Layer) -> Result<(), MergeError> {
    let Some(cache) = &layer.raw.cache else { return Ok(()) };
    if let Some(remote) = &cache.remote {
        let url = remote.get_ref();
        let authority = url
            .split_once("://")
            .map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""));
        if authority.contains('@') {
            let message = "`remote` holds credentials: lintmux.toml is committed and read by everyone; give \
                           the URL with its credentials in LINTMUX_REMOTE_CACHE (a CI secret) instead"
                .to_owned();
            // No excerpt: it would print the credentials.
            return Err(MergeError {
                at: layer.at(remote.span().start),
                message,
                excerpt: String::new(),
            });
        }
    }
    let span = cache
        .remote
        .as_ref()
        .map(|r| r.span().start)
        .or(cache.remote_write.as_ref().map(|w| w.span().start));
    if layer.repository && eff.trust.value < Trust::All {
        if let Some(at) = span {
            eff.remote_ignored = Some(layer.line(at));
        }
        return Ok(());
    }
    if let Some(remote) = &cache.remote {
        eff.remote = Some(Val {
            value: remote.get_ref().clone(),
            origin: layer.line(remote.span().start),
        });
    }
    set(&mut eff.remote_write, &cache.remote_write, layer);
    Ok(())
}

/// Merges `layers` (most basic first) and checks them against the catalog.
pub(crate) fn merge(
    layers: &[Layer],
    catalog: &Catalog,
    cli_trust: Option<GivenTrust>,
) -> Result<Effective, MergeError> {
    // Where each linter's image was set, to report an unpinned one once the whole chain is merged.
    let mut image_errors: BTreeMap<String, MergeError> = BTreeMap::new();
    let mut eff = Effective {
        files: layers.iter().map(|l| l.label.clone()).collect(),
        trust: trust_of(layers, cli_trust),
        ..Effective::default()
    };
    for layer in layers {
        let raw = &layer.raw;
        set(&mut eff.fail_on, &raw.fail_on, layer);
        set(&mut eff.max_file_size, &raw.max_file_size, layer);
        set(&mut eff.tools, &raw.tools, layer);
        if let Some(jobs) = &raw.jobs {
            if *jobs.get_ref() == 0 {
                return Err(error(layer, jobs, "`jobs` must be at least 1".into()));
            }
            eff.jobs = Some(Val {
                value: *jobs.get_ref(),
                origin: layer.line(jobs.span().start),
            });
        }
        for list in [&raw.enable, &raw.extend_enable, &raw.disable, &raw.extend_disable] {
            check_names(list, layer, catalog)?;
        }
        if raw.enable.is_some() || raw.extend_enable.is_some() {
            let mut enable = eff.enable.take().unwrap_or_default();
            apply_list(&mut enable, &raw.enable, &raw.extend_enable, layer);
            eff.enable = Some(enable);
        }
        apply_list(&mut eff.disable, &raw.disable, &raw.extend_disable, layer);
        check_globs(&raw.exclude, layer)?;
        check_globs(&raw.extend_exclude, layer)?;
        apply_list(&mut eff.exclude, &raw.exclude, &raw.extend_exclude, layer);

        merge_cache(&mut eff, layer)?;
        for (name, lin) in &raw.linters {
            merge_linter(&mut eff, &mut image_errors, (name, lin), layer, catalog)?;
        }
    }
    for (name, l) in &eff.linters {
        if let Some(image) = &l.image
            && !l.allow_unpinned.value
            && !is_pinned(&image.value)
            && let Some(err) = image_errors.remove(name)
        {
            return Err(err);
        }
    }
    Ok(eff)
}

/// Merges one layer's `[linters.<name>]` table into the effective configuration; an unpinned image is
/// noted in `image_errors` (an error only if the whole chain leaves it unpinned and not allowed).
fn merge_linter(
    eff: &mut Effective,
    image_errors: &mut BTreeMap<String, MergeError>,
    (name, lin): (&S<String>, &RawLinter),
    layer: &Layer,
    catalog: &Catalog,
) -> Result<(), MergeError> {
    let trust = eff.trust.value;
    let Some(def) = catalog.get(name.get_ref()) else {
        return Err(unknown_linter(name, layer, catalog));
    };
    let target = eff.linters.entry(name.get_ref().clone()).or_default();
    if let Some(enabled) = &lin.enabled {
        target.enabled = Some(Val {
            value: *enabled.get_ref(),
            origin: layer.line(enabled.span().start),
        });
    }
    apply_list(&mut target.args, &lin.args, &lin.extend_args, layer);
    for list in [&lin.include, &lin.extend_include, &lin.exclude, &lin.extend_exclude] {
        check_globs(list, layer)?;
    }
    apply_list(&mut target.include, &lin.include, &lin.extend_include, layer);
    apply_list(&mut target.exclude, &lin.exclude, &lin.extend_exclude, layer);
    if let Some(t) = &lin.timeout
        && *t.get_ref() == 0
    {
        return Err(error(layer, t, "`timeout` must be at least 1 second".into()));
    }
    set(&mut target.timeout, &lin.timeout, layer);
    if let Some(m) = &lin.max_output
        && *m.get_ref() == 0
    {
        return Err(error(layer, m, "`max_output` must be at least 1 (MiB)".into()));
    }
    set(&mut target.max_output, &lin.max_output, layer);
    // With trust none, the repository's own file cannot make a linter run something else or hand
    // it secrets.
    let refuse = layer.repository && trust == Trust::None;
    if refuse {
        let spans = lin
            .env
            .keys()
            .map(|k| ("env", k.span().start))
            .chain(lin.pass_env.iter().map(|l| ("pass_env", l.span().start)))
            .chain(lin.extend_pass_env.iter().map(|l| ("extend-pass_env", l.span().start)))
            .chain(lin.command.iter().map(|l| ("command", l.span().start)));
        for (key, at) in spans {
            target.refused.push(format!("{key} at {}", layer.line(at)));
        }
    }
    for (k, v) in lin.env.iter().filter(|_| !refuse) {
        target.env.insert(
            k.get_ref().clone(),
            Val {
                value: v.get_ref().clone(),
                origin: layer.line(k.span().start),
            },
        );
    }
    if !refuse {
        apply_list(&mut target.pass_env, &lin.pass_env, &lin.extend_pass_env, layer);
    }
    for (rule, sev) in &lin.severity {
        target.severity.insert(
            rule.get_ref().clone(),
            Val {
                value: *sev.get_ref(),
                origin: layer.line(rule.span().start),
            },
        );
    }
    if let Some(config) = &lin.config {
        target.config = Some(config_file(def, config, layer)?);
    }
    merge_schemas(target, def, &lin.schemas, layer)?;
    set(&mut target.runner, &lin.runner, layer);
    set(&mut target.allow_unpinned, &lin.allow_unpinned, layer);
    if let Some(image) = &lin.image {
        target.image = Some(Val {
            value: image.get_ref().clone(),
            origin: layer.line(image.span().start),
        });
        let message = format!(
            "image `{}` is not pinned by digest: write `<name>@sha256:<digest>` so every machine runs the same build, or set allow_unpinned = true",
            image.get_ref()
        );
        image_errors.insert(name.get_ref().clone(), error(layer, image, message));
    }
    if let Some(command) = lin.command.as_ref().filter(|_| !refuse) {
        target.command = Some(command_of(def, command, layer)?);
    }
    Ok(())
}

/// `config = "<file>"`: the file must exist and the linter's definition must be able to take it.
fn config_file(def: &LinterDef, config: &S<String>, layer: &Layer) -> Result<Val<PathBuf>, MergeError> {
    if def.config_arg.is_empty() {
        let message = format!(
            "{}'s definition has no `config_arg`, so lintmux cannot pass it a config file",
            def.name
        );
        return Err(error(layer, config, message));
    }
    let path = layer.dir().join(config.get_ref());
    if !path.is_file() {
        let message = format!("config file `{}` does not exist ({})", config.get_ref(), path.display());
        return Err(error(layer, config, message));
    }
    Ok(Val {
        value: path,
        origin: layer.line(config.span().start),
    })
}

/// `command = [...]`: the program, and a `{files}` argument unless the linter finds its own files.
fn command_of(def: &LinterDef, command: &S<Vec<S<String>>>, layer: &Layer) -> Result<Val<Vec<String>>, MergeError> {
    let words = strings(command);
    if words.is_empty() || (def.mode != Mode::Project && !words.iter().any(|w| w == "{files}")) {
        return Err(error(
            layer,
            command,
            "`command` needs the program and a \"{files}\" argument, e.g. [\"mypy\", \"-O\", \"json\", \"{files}\"]"
                .into(),
        ));
    }
    Ok(Val {
        value: words,
        origin: layer.line(command.span().start),
    })
}

/// `schemas = { "<glob>" = "<schema file>" }`: merged key by key like `env`; each glob must compile and
/// each schema file must exist; only for a linter whose definition can take a schema (`schema_arg`).
fn merge_schemas(
    target: &mut EffectiveLinter,
    def: &LinterDef,
    schemas: &BTreeMap<S<String>, S<String>>,
    layer: &Layer,
) -> Result<(), MergeError> {
    for (glob, file) in schemas {
        if def.schema_arg.is_empty() {
            let message = format!(
                "{}'s definition has no `schema_arg`, so lintmux cannot hand it a schema (check-jsonschema can)",
                def.name
            );
            return Err(error(layer, glob, message));
        }
        if let Err(e) = globset::Glob::new(glob.get_ref()) {
            return Err(error(layer, glob, format!("invalid glob `{}`: {e}", glob.get_ref())));
        }
        let path = layer.dir().join(file.get_ref());
        if !path.is_file() {
            let message = format!("schema file `{}` does not exist ({})", file.get_ref(), path.display());
            return Err(error(layer, file, message));
        }
        target.schemas.insert(
            glob.get_ref().clone(),
            Val {
                value: path,
                origin: layer.line(glob.span().start),
            },
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_chain;

    fn effective(files: &[(&str, &str)]) -> Result<Effective, String> {
        let dir = tempfile::tempdir().unwrap();
        for (name, src) in files {
            std::fs::write(dir.path().join(name), src).unwrap();
        }
        let top = files.last().unwrap().0;
        let layers = load_chain(&dir.path().join(top), top, &crate::config::NoGit).map_err(|e| e.to_string())?;
        merge(&layers, &Catalog::load(&[], crate::model::Trust::All).unwrap(), None).map_err(|e| e.to_string())
    }

    #[test]
    fn later_files_win_lists_replace_or_extend_tables_merge() {
        let eff = effective(&[
            (
                "base.toml",
                "fail_on = \"error\"\nexclude = [\"vendor/**\"]\n[linters.ruff]\nargs = [\"--a\"]\ntimeout = 30\nseverity = { E501 = \"off\" }\n",
            ),
            (
                "top.toml",
                "extends = [\"base.toml\"]\nextend-exclude = [\"gen/**\"]\n[linters.ruff]\nargs = [\"--b\"]\nseverity = { F401 = \"note\" }\n",
            ),
        ])
        .unwrap();
        assert_eq!(eff.files, ["base.toml", "top.toml"]);
        assert_eq!(eff.fail_on.value, Level::Error);
        assert_eq!(eff.fail_on.origin, "base.toml:1");
        assert_eq!(eff.exclude.value, ["vendor/**", "gen/**"]);
        assert_eq!(eff.exclude.origin, "base.toml:2, top.toml:2");
        let ruff = &eff.linters["ruff"];
        assert_eq!(ruff.args.value, ["--b"]);
        assert_eq!(ruff.args.origin, "top.toml:4");
        assert_eq!((ruff.timeout.value, ruff.timeout.origin.as_str()), (30, "base.toml:5"));
        assert_eq!(ruff.severity.keys().collect::<Vec<_>>(), ["E501", "F401"]);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let err = effective(&[("a.toml", "[linters.ruff]\nexclude = [\"ok\", \"a[b\"]\n")]).unwrap_err();
        assert!(err.starts_with("a.toml:2:18: invalid glob `a[b`"), "{err}");
        let err = effective(&[("a.toml", "disable = [\"pylint\"]\n")]).unwrap_err();
        assert!(err.starts_with("a.toml:1:12: unknown linter `pylint`"), "{err}");
        let err = effective(&[("a.toml", "[linters.hadolint]\nconfig = \"missing.yaml\"\n")]).unwrap_err();
        assert!(
            err.starts_with("a.toml:2:10: config file `missing.yaml` does not exist"),
            "{err}"
        );
        let err = effective(&[("a.toml", "jobs = 0\n")]).unwrap_err();
        assert!(err.starts_with("a.toml:1:8: `jobs` must be at least 1"), "{err}");
    }
}
