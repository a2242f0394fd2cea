//! Files of one linter that need different arguments. check-jsonschema checks a GitHub workflow against
//! one schema and a compose file against another, but takes a single schema per run; its definition's
//! `type_args` names the arguments for each file type, and the files are split here into groups that
//! share them. Each group is then planned into jobs like any linter's files. A linter without
//! `type_args` has one group with no extra arguments.

use std::collections::BTreeMap;

use crate::catalog::LinterDef;
use crate::walk::Target;

/// The types of a walked file. (One per file today; kept in one place for when files have several.)
fn types_of(target: &Target) -> impl Iterator<Item = &str> {
    std::iter::once(target.file_type)
}

/// The extra arguments of one file: those of the first of the definition's `file_types` that has
/// `type_args` and that the file has.
fn args_for<'d>(def: &'d LinterDef, target: Option<&Target>) -> &'d [String] {
    let Some(target) = target else { return &[] };
    def.file_types
        .iter()
        .filter(|t| types_of(target).any(|have| have == t.as_str()))
        .find_map(|t| def.type_args.get(t))
        .map_or(&[], Vec::as_slice)
}

/// Splits `files` (paths of `targets`) into groups by their extra arguments, in a stable order (by the
/// arguments); the files of each group keep their order.
pub fn split<'f>(def: &LinterDef, targets: &[Target], files: &[&'f str]) -> Vec<(Vec<String>, Vec<&'f str>)> {
    if def.type_args.is_empty() {
        return vec![(Vec::new(), files.to_vec())];
    }
    let by_path: BTreeMap<&str, &Target> = targets.iter().map(|t| (t.path.as_str(), t)).collect();
    let mut groups: BTreeMap<Vec<String>, Vec<&'f str>> = BTreeMap::new();
    for f in files {
        let args = args_for(def, by_path.get(f).copied());
        groups.entry(args.to_vec()).or_default().push(f);
    }
    groups.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parse_def;
    use std::path::Path;

    fn target(path: &str, file_type: &'static str) -> Target {
        Target {
            path: path.to_owned(),
            file_type,
            reason: String::new(),
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
        let groups = split(&d, &targets, &files);
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
        assert_eq!(split(&d, &targets, &["compose.yaml"]), [(vec![], vec!["compose.yaml"])]);
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
