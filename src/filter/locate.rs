//! The step after parsing that turns a place named by a value path into a line. A tool that names a
//! failing value by its JSON path (`$.services.web.ports`: check-jsonschema) leaves the path in the
//! finding's `value_path` and the line at 1; here the path is followed through the YAML file's indentation
//! ([`super::yaml_path`]). Each file is read once, and only a regular file inside the root: a tool that
//! names `/etc/passwd` makes lintmux read nothing. Where the path cannot be followed (JSON files, flow
//! style), the finding stays on line 1.

use std::collections::HashMap;
use std::path::Path;

use super::yaml_path;
use crate::model::{Finding, readable};

/// Gives each finding that holds a value path the line of that path in its file, and clears the path.
pub(crate) fn locate(findings: &mut [Finding], root: &Path) {
    let mut texts: HashMap<String, String> = HashMap::new();
    for f in findings.iter_mut() {
        let Some(path) = f.value_path.take() else { continue };
        let text = texts.entry(f.path.clone()).or_insert_with(|| {
            readable(root, &f.path)
                .and_then(|p| std::fs::read_to_string(p).ok())
                .unwrap_or_default()
        });
        f.line = yaml_path::line_of(text, &path).unwrap_or(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Level, at};

    fn schema_finding(file: &str, path: &str) -> Finding {
        let mut f = Finding::new(
            "check-jsonschema",
            "schema",
            Level::Error,
            format!("{path}: x"),
            at(file, 1, 1),
        );
        f.value_path = Some(path.to_owned());
        f
    }

    /// The findings check-jsonschema reported on a recorded compose file (see its parser's fixtures) get
    /// the lines of their paths.
    #[test]
    fn lines_are_found_in_the_yaml_file() {
        let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check-jsonschema/0.39.0/input/findings");
        let mut findings = vec![
            schema_finding("compose.yaml", "$.services.web.healthcheck.interval"),
            schema_finding("compose.yaml", "$.services.web.ports"),
            schema_finding("compose.yaml", "$.services.web"),
        ];
        locate(&mut findings, &input);
        let lines: Vec<(u32, Option<&str>)> = findings.iter().map(|f| (f.line, f.value_path.as_deref())).collect();
        assert_eq!(lines, [(7, None), (4, None), (2, None)]);
    }

    #[test]
    fn a_file_outside_the_root_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(dir.path().join("outside.yaml"), "a:\n  b: 1\n").unwrap();
        let mut findings = vec![schema_finding("../outside.yaml", "$.a.b")];
        locate(&mut findings, &root);
        assert_eq!((findings[0].line, findings[0].value_path.as_deref()), (1, None));
    }
}
