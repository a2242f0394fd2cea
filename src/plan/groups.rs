//! Files of one linter that need different arguments. check-jsonschema checks a GitHub workflow against
//! one schema and a compose file against another, but takes a single schema per run; its definition's
//! `type_args` names the arguments for each file type, and the files are split here into groups that
//! share them. Each group is then planned into jobs like any linter's files. A linter without
//! `type_args` or configured schemas has one group with no extra arguments.
//!
//! lintmux.toml can also map globs to schema files of the repository (`[linters.check-jsonschema]
//! schemas = { "deploy/k8s/*.yaml" = "schemas/k8s.json" }`): the files a glob matches are the linter's
//! whatever their type, and are checked against that schema (`schema_arg`) instead of their type's.

use std::collections::BTreeMap;

use globset::GlobMatcher;

use crate::catalog::LinterDef;
use crate::catalog::types::FileTypes;
use crate::config::EffectiveLinter;
use crate::walk::Target;

/// The configured schema globs, compiled, with the arguments that hand the tool their schema.
struct Schemas(Vec<(GlobMatcher, Vec<String>)>);

impl Schemas {
    fn new(def: &LinterDef, settings: &EffectiveLinter) -> Schemas {
        let mut out = Vec::new();
        for (glob, schema) in &settings.schemas {
            // Checked when the configuration was merged.
            let Ok(glob) = globset::Glob::new(glob) else { continue };
            let path = schema.value.to_string_lossy();
            let args = def.schema_arg.iter().map(|a| a.replace("{schema}", &path)).collect();
            out.push((glob.compile_matcher(), args));
        }
        Schemas(out)
    }

    /// The arguments for `path` when a configured glob matches it (the first, in the globs' sorted order).
    fn args_for(&self, path: &str) -> Option<&[String]> {
        self.0.iter().find(|(g, _)| g.is_match(path)).map(|(_, a)| a.as_slice())
    }
}

/// The files of `targets` that `def` lints: those of its types, and those a configured schema glob names.
pub(crate) fn files_of<'t>(
    def: &LinterDef,
    settings: &EffectiveLinter,
    types: &FileTypes,
    targets: &'t [Target],
) -> Vec<&'t str> {
    let wanted = types.set_of(def.file_types.iter().map(String::as_str));
    if settings.schemas.is_empty() {
        return targets
            .iter()
            .filter(|t| t.types.intersects(wanted))
            .map(|t| t.path.as_str())
            .collect();
    }
    let schemas = Schemas::new(def, settings);
    targets
        .iter()
        .filter(|t| t.types.intersects(wanted) || schemas.args_for(&t.path).is_some())
        .map(|t| t.path.as_str())
        .collect()
}

/// The extra arguments of one file: those of the first of the definition's `file_types` that has
/// `type_args` and that the file has (a file may have several types).
fn args_for<'d>(def: &'d LinterDef, types: &FileTypes, target: Option<&Target>) -> &'d [String] {
    let Some(target) = target else { return &[] };
    def.file_types
        .iter()
        .filter(|t| types.id(t).is_some_and(|id| target.types.contains(id)))
        .find_map(|t| def.type_args.get(t))
        .map_or(&[], Vec::as_slice)
}

/// Splits `files` (paths of `targets`) into groups by their extra arguments, in a stable order (by the
/// arguments); the files of each group keep their order. A configured schema wins over the type's.
pub(crate) fn split<'f>(
    def: &LinterDef,
    settings: &EffectiveLinter,
    types: &FileTypes,
    targets: &[Target],
    files: &[&'f str],
) -> Vec<(Vec<String>, Vec<&'f str>)> {
    if def.type_args.is_empty() && settings.schemas.is_empty() {
        return vec![(Vec::new(), files.to_vec())];
    }
    let schemas = Schemas::new(def, settings);
    let by_path: BTreeMap<&str, &Target> = targets.iter().map(|t| (t.path.as_str(), t)).collect();
    let mut groups: BTreeMap<Vec<String>, Vec<&'f str>> = BTreeMap::new();
    for f in files {
        let args = schemas
            .args_for(f)
            .unwrap_or_else(|| args_for(def, types, by_path.get(f).copied()));
        groups.entry(args.to_vec()).or_default().push(f);
    }
    groups.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parse_def;
    use std::path::Path;

    fn types() -> FileTypes {
        crate::catalog::types::Builder::with_builtin().build().unwrap()
    }

    fn target(path: &str, file_type: &'static str) -> Target {
        Target {
            path: path.to_owned(),
            types: types().set_of([file_type]),
        }
    }

    fn def(extra: &str) -> LinterDef {
        let src = format!(
            "description = \"x\"\nhomepage = \"h\"\nfile_types = [\"compose\", \"github-workflow\"]\n\
             command = [\"x\", \"{{files}}\"]\noutput = {{ format = \"sarif\" }}\n\
             version = {{ pin = \"1\", command = [\"x\"], pattern = \"(.*)\" }}\n{extra}"
        );
        parse_def("x", Path::new("x.toml"), &src, "test").unwrap()
    }

    #[test]
    fn files_are_grouped_by_their_type_args() {
        let d = def("[type_args]\ncompose = [\"--schema\", \"c\"]\ngithub-workflow = [\"--schema\", \"w\"]\n");
        let targets = [
            target("a/compose.yaml", "compose"),
            target(".github/workflows/a.yml", "github-workflow"),
            target(".github/workflows/b.yml", "github-workflow"),
        ];
        let files: Vec<&str> = targets.iter().map(|t| t.path.as_str()).collect();
        let groups = split(&d, &EffectiveLinter::default(), &types(), &targets, &files);
        assert_eq!(
            groups,
            [
                (vec!["--schema".to_owned(), "c".to_owned()], vec!["a/compose.yaml"]),
                (
                    vec!["--schema".to_owned(), "w".to_owned()],
                    vec![".github/workflows/a.yml", ".github/workflows/b.yml"]
                ),
            ]
        );
    }

    #[test]
    fn without_type_args_one_group() {
        let d = def("");
        let targets = [target("compose.yaml", "compose")];
        assert_eq!(
            split(&d, &EffectiveLinter::default(), &types(), &targets, &["compose.yaml"]),
            [(vec![], vec!["compose.yaml"])]
        );
    }

    #[test]
    fn a_configured_schema_takes_its_files_whatever_their_type() {
        let d = def("schema_arg = [\"--schemafile\", \"{schema}\"]\n[type_args]\ncompose = [\"--builtin\", \"c\"]\n");
        let mut settings = EffectiveLinter::default();
        settings.schemas.insert(
            "deploy/k8s/*.yaml".to_owned(),
            crate::config::Val {
                value: std::path::PathBuf::from("/r/schemas/k8s.json"),
                origin: "lintmux.toml:2".to_owned(),
            },
        );
        let targets = [
            target("compose.yaml", "compose"),
            target("deploy/k8s/api.yaml", "yaml"),
            target("deploy/other.yaml", "yaml"),
        ];
        let files = files_of(&d, &settings, &types(), &targets);
        assert_eq!(files, ["compose.yaml", "deploy/k8s/api.yaml"]);
        let groups = split(&d, &settings, &types(), &targets, &files);
        assert_eq!(
            groups,
            [
                (vec!["--builtin".to_owned(), "c".to_owned()], vec!["compose.yaml"]),
                (
                    vec!["--schemafile".to_owned(), "/r/schemas/k8s.json".to_owned()],
                    vec!["deploy/k8s/api.yaml"]
                ),
            ]
        );
    }

    #[test]
    fn type_args_must_name_a_file_type() {
        let src = "description = \"x\"\nhomepage = \"h\"\nfile_types = [\"compose\"]\ncommand = [\"x\", \"{files}\"]\n\
                   output = { format = \"sarif\" }\nversion = { pin = \"1\", command = [\"x\"], pattern = \"(.*)\" }\n\
                   [type_args]\nyaml = [\"-x\"]\n";
        let err = parse_def("x", Path::new("x.toml"), src, "test").unwrap_err();
        assert!(err.to_string().contains("`type_args` names `yaml`"), "{err}");
    }
}
