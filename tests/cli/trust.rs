//! A verdict you can trust: git's output read without ambiguity, garbage and impossible findings reported
//! as tool errors, control characters kept out of terminals and CI logs, and a pre-push hook that checks
//! exactly what is pushed. Real linters where a real linter can show it; small helper programs declared in
//! a repository linters.d where a linter has to misbehave.

use crate::support::{TestEnv, code, finding_keys, git, json, stderr, stdout};

/// File names git quotes or pads in a diff header: a space, a tab, a double quote, a non-ASCII letter, a
/// newline.
/// (A backslash is left to the path-fidelity work: the report still turns it into a slash.)
const AWKWARD_NAMES: &[&str] = &["my file.py", "tab\there.py", "say \"hi\".py", "café.py", "new\nline.py"];

/// A repository with one commit holding a clean file, then a second commit adding each awkward name.
fn awkward_history() -> TestEnv {
    let env = TestEnv::with_files(&[("clean.py", "x = 1\n")]);
    git(&env.root, &["add", "-A"]);
    git(&env.root, &["commit", "-q", "-m", "first"]);
    for name in AWKWARD_NAMES {
        env.write(name, "import os\n");
    }
    git(&env.root, &["add", "-A"]);
    git(&env.root, &["commit", "-q", "-m", "awkward names"]);
    // A user's diff settings must not change what lintmux reads.
    git(&env.root, &["config", "diff.noprefix", "true"]);
    git(&env.root, &["config", "diff.external", "false"]);
    env
}

fn f401(path: &str) -> (String, String, String, u64) {
    ("ruff".into(), "F401".into(), path.into(), 1)
}

#[test]
fn new_only_reads_awkward_file_names() {
    let env = awkward_history();
    let out = env.run(&["check", "-l", "ruff", "--format", "json", "--new-only", "HEAD~1"]);
    assert_eq!(code(&out), 1, "{}\n{}", stdout(&out), stderr(&out));
    let report = json(&out);
    let mut want: Vec<_> = AWKWARD_NAMES.iter().map(|n| f401(n)).collect();
    want.sort();
    assert_eq!(finding_keys(&report), want);
    assert_eq!(report["summary"]["hidden"], 0, "{report}");
    // A modified line of an existing file with such a name is new too; an untouched one is not.
    env.write("my file.py", "import os\nimport sys\n");
    git(&env.root, &["commit", "-q", "-am", "more"]);
    let out = env.run(&["check", "-l", "ruff", "--format", "json", "--new-only", "HEAD~1"]);
    let report = json(&out);
    assert_eq!(
        finding_keys(&report),
        [("ruff".into(), "F401".into(), "my file.py".into(), 2)]
    );
    assert_eq!(report["summary"]["hidden"], AWKWARD_NAMES.len(), "{report}");
}

#[test]
fn changed_reads_awkward_file_names() {
    let env = awkward_history();
    let out = env.run(&["check", "-l", "ruff", "--format", "json", "--changed", "HEAD~1"]);
    assert_eq!(code(&out), 1, "{}\n{}", stdout(&out), stderr(&out));
    let mut want: Vec<_> = AWKWARD_NAMES.iter().map(|n| f401(n)).collect();
    want.sort();
    assert_eq!(finding_keys(&json(&out)), want);
}
