//! A verdict you can trust: git's output read without ambiguity, garbage and impossible findings reported
//! as tool errors, control characters kept out of terminals and CI logs, and a pre-push hook that checks
//! exactly what is pushed. Real linters where a real linter can show it; small helper programs declared in
//! a repository linters.d where a linter has to misbehave.

use crate::support::{
    GIT_ISOLATED, TestEnv, code, finding_keys, git, json, pinned_binary, stderr, stdout, tool_errors,
};

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

/// Fails with the offending line when `text` holds a control character other than a line break, or a
/// line a CI runner would read as a workflow command.
fn assert_safe_for_ci(text: &str) {
    for line in text.lines() {
        assert!(
            !line.chars().any(char::is_control),
            "a control character reaches the output: {line:?}\n{text}"
        );
        let start = line.trim_start();
        assert!(
            !start.starts_with("::") && !start.starts_with("##["),
            "a line reads as a workflow command: {line:?}\n{text}"
        );
    }
}

#[test]
fn a_file_name_cannot_inject_a_workflow_command() {
    let name = "x\n::error title=INJECTED::pwned.sh";
    let env = TestEnv::with_files(&[
        (name, "#!/bin/sh\necho $1\n"),
        ("::warning::y.sh", "#!/bin/sh\necho $1\n"),
    ]);
    let out = env.run(&["check", "-l", "shellcheck", "--fail-on", "note"]);
    assert_eq!(code(&out), 1, "{}\n{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert_safe_for_ci(&text);
    assert!(
        text.contains("x\\n::error title=INJECTED::pwned.sh\n      2:6  note     Double quote to prevent globbing"),
        "{text}"
    );
    assert!(text.contains("\\::warning::y.sh\n"), "{text}");
    // JSON keeps the name exactly.
    let report = json(&env.run(&["check", "-l", "shellcheck", "--format", "json"]));
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["::warning::y.sh", name]);
    // `detect --files` separates its three fields with tabs; the name's own control characters are escaped.
    let detect = stdout(&env.run(&["detect", "--files"]));
    assert_eq!(
        detect,
        "\\::warning::y.sh\tshell\tname matches *.sh\tshellcheck\n\\::warning::y.sh\ttext\tnot binary\tdetect-secrets\nx\\n::error title=INJECTED::pwned.sh\tshell\tname matches *.sh\tshellcheck\nx\\n::error title=INJECTED::pwned.sh\ttext\tnot binary\tdetect-secrets\n"
    );
    assert_safe_for_ci(&detect.replace('\t', " "));
    // Messages on stderr too.
    let out = env.run(&[
        "check",
        "-l",
        "shellcheck",
        "--baseline",
        "gone\n::error::\x1b[2J.sarif",
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).starts_with("lintmux: "), "{}", stderr(&out));
    assert_safe_for_ci(&stderr(&out));
    // (Error messages keep their line breaks, for source snippets; a line that would be a command is defused.)
    assert!(
        stderr(&out).contains("gone\n\\::error::\\x1b[2J.sarif"),
        "{}",
        stderr(&out)
    );
}

/// A helper linter declared in the repository, reading ruff's JSON, that runs `script` on the python files.
fn helper_linter(env: &TestEnv, script: &str) {
    helper_linter_with_output(env, script, r#"{ format = "ruff_json" }"#);
}

/// A helper linter declared in the repository, whose output the `output` table describes.
fn helper_linter_with_output(env: &TestEnv, script: &str, output: &str) {
    let program = env.helper("helper-linter", script).display().to_string();
    env.write(
        "linters.d/helper.toml",
        &format!(
            r#"description = "a helper linter"
homepage = "https://example.invalid/helper"
file_types = ["python"]
command = ["{program}", "{{files}}"]
mode = "project"
output = {output}
version = {{ pin = "1.0", command = ["{program}", "--version"], pattern = "^(\\S+)" }}
"#
        ),
    );
    env.write("lintmux.toml", "enable = [\"helper\"]\n");
}

#[test]
fn escape_sequences_in_messages_and_tool_output_are_shown_not_obeyed() {
    let env = TestEnv::with_files(&[("app.py", "x = 1\n")]);
    let script = r#"#!/bin/sh
if [ "$1" = --version ]; then printf '1.0\033]0;retitled\007\n'; exit 0; fi
printf '\033[31mred\033[0m\rover\n\033[2J::error::from stderr\n' >&2
cat <<JSON
[{"code": "X1", "message": "\u001b[31mred\u001b[0m and \u009b2J", "filename": "$PWD/app.py",
  "location": {"row": 1, "column": 1}, "end_location": {"row": 1, "column": 2}, "url": "https://x.invalid/\u001b[0m"}]
JSON
exit 3
"#;
    helper_linter(&env, script);
    let out = env.run(&["check"]);
    let text = stdout(&out);
    assert_eq!(code(&out), 2, "{text}\n{}", stderr(&out));
    assert_safe_for_ci(&text);
    assert!(
        text.contains("1:1  warning  \\x1b[31mred\\x1b[0m and \\u{9b}2J  helper X1 https://x.invalid/\\x1b[0m\n"),
        "{text}"
    );
    assert!(
        text.contains("    | \\x1b[31mred\\x1b[0m\\rover\n    | \\x1b[2J::error::from stderr\n"),
        "{text}"
    );
    assert!(text.contains("helper 1.0\\x1b]0;retitled\\x07  failed"), "{text}");
}

const TODO_OUTPUT: &str = r#"{ format = "regex", pattern = '^(?P<path>[^:]+):(?P<line>\d+): (?P<message>.+)$', rule = "todo", ignore = ['^checked \d+ files?$'] }"#;

#[test]
fn a_regex_read_linter_that_prints_garbage_is_not_clean() {
    let env = TestEnv::with_files(&[("app.py", "x = 1\n")]);
    let script = "#!/bin/sh\n[ \"$1\" = --version ] && { echo 1.0; exit 0; }\nhead -c 5000 /dev/urandom\nexit 0\n";
    let output = r#"{ format = "regex", pattern = '^(?P<path>[^:]+):(?P<line>\d+): (?P<message>.+)$', rule = "todo" }"#;
    helper_linter_with_output(&env, script, output);
    let out = env.run(&["check", "--format", "json"]);
    assert_eq!(code(&out), 2, "{}\n{}", stdout(&out), stderr(&out));
    let report = json(&out);
    assert_eq!(tool_errors(&report), [("helper".into(), "bad_output".into())]);
    let message = report["tool_errors"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("helper output could not be read: ")
            && message.contains("neither `output.pattern` nor `output.ignore`"),
        "{message}"
    );
}

#[test]
fn a_regex_read_linter_may_declare_the_lines_it_prints_besides_findings() {
    let env = TestEnv::with_files(&[("app.py", "x = 1\n")]);
    let script = "#!/bin/sh\n[ \"$1\" = --version ] && { echo 1.0; exit 0; }\necho \"$1:1: first line\"\necho\necho 'checked 1 file'\n";
    helper_linter_with_output(&env, script, TODO_OUTPUT);
    let out = env.run(&["check", "--format", "json", "--fail-on", "never"]);
    assert_eq!(code(&out), 0, "{}\n{}", stdout(&out), stderr(&out));
    assert_eq!(
        finding_keys(&json(&out)),
        [("helper".into(), "todo".into(), "app.py".into(), 1)]
    );
    // One more line it did not declare, and the verdict is a tool error, with the line shown.
    let script = script.replace("checked 1 file'", "checked 1 file'\necho 'Traceback: it broke'");
    helper_linter_with_output(&env, &script, TODO_OUTPUT);
    let out = env.run(&["check", "--no-cache"]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(
        stdout(&out).contains(
            "error: helper output could not be read: 1 line of its output matches neither `output.pattern` nor `output.ignore` (add a pattern for such lines to `output.ignore` if they are harmless); the first: `Traceback: it broke`\n"
        ),
        "{}",
        stdout(&out)
    );
}

/// Runs lintmux, failing (instead of hanging) when it does not finish within a minute.
fn run_with_deadline(env: &TestEnv, args: &[&str]) -> std::process::Output {
    let mut child = env
        .std_cmd()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("lintmux starts");
    for _ in 0..600 {
        if child.try_wait().expect("wait for lintmux").is_some() {
            return child.wait_with_output().expect("lintmux output");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("lintmux {args:?} did not finish: it is reading a file outside the root a linter named");
}

/// A helper linter (ruff's JSON) that names /etc/passwd, a FIFO outside the root (reading it would
/// block for ever), the same by absolute path, a missing file, line 0, and one true finding.
fn implausible_env() -> TestEnv {
    let env = TestEnv::with_files(&[("app.py", "import os\n")]);
    let outside = env.dir.path().join("outside.py");
    let status = std::process::Command::new("mkfifo")
        .arg(&outside)
        .status()
        .expect("mkfifo is needed by this test (coreutils)");
    assert!(status.success());
    let entry = |file: &str, row: u32| {
        format!(
            r#"{{"code": "X1", "message": "m", "filename": "{file}", "location": {{"row": {row}, "column": 1}}, "end_location": {{"row": {row}, "column": 2}}}}"#
        )
    };
    let entries = [
        entry("/etc/passwd", 1),
        entry("../outside.py", 1),
        entry(&outside.display().to_string(), 1),
        entry("missing.py", 3),
        entry("$PWD/app.py", 0),
        entry("$PWD/app.py", 1),
    ];
    let script = format!(
        "#!/bin/sh\n[ \"$1\" = --version ] && {{ echo 1.0; exit 0; }}\ncat <<JSON\n[{}]\nJSON\n",
        entries.join(",\n")
    );
    helper_linter(&env, &script);
    git(&env.root, &["add", "-A"]);
    git(&env.root, &["commit", "-q", "-m", "app"]);
    env
}

#[test]
fn findings_that_cannot_be_true_are_kept_marked_and_fail_the_run() {
    let env = implausible_env();
    let outside = env.dir.path().join("outside.py").display().to_string();
    let out = run_with_deadline(&env, &["check", "--format", "json"]);
    assert_eq!(code(&out), 2, "{}\n{}", stdout(&out), stderr(&out));
    let report = json(&out);
    assert_eq!(tool_errors(&report), [("helper".into(), "implausible_output".into())]);
    let error = &report["tool_errors"][0];
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("helper reported 5 findings that cannot be true"),
        "{error}"
    );
    let got: Vec<(String, u64, Option<String>)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["doubt"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let outside_root = Some("the file is outside the lint root".to_owned());
    assert_eq!(
        got,
        [
            ("../outside.py".into(), 1, outside_root.clone()),
            ("/etc/passwd".into(), 1, outside_root.clone()),
            (outside.clone(), 1, outside_root),
            (
                "app.py".into(),
                0,
                Some("line 0 is not a line of a file (lines count from 1)".into())
            ),
            ("app.py".into(), 1, None),
            (
                "missing.py".into(),
                3,
                Some("the file does not exist in the lint root".into())
            ),
        ]
    );

    // The console shows each mark and the tool error.
    let out = run_with_deadline(&env, &["check"]);
    let text = stdout(&out);
    assert!(
        text.contains("/etc/passwd\n      1:1  warning  m  helper X1\n           cannot be true: the file is outside the lint root\n"),
        "{text}"
    );
    assert!(
        text.contains("    error: helper reported 5 findings that cannot be true"),
        "{text}"
    );
    assert!(
        text.contains("    | missing.py:3: the file does not exist in the lint root\n"),
        "{text}"
    );

    // SARIF: valid, the mark a result property, no region for line 0, no fingerprint for what is outside.
    let out = run_with_deadline(&env, &["check", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    crate::support::assert_valid_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        let doubt = r["properties"]["doubt"].as_str();
        let hash = r["partialFingerprints"]["primaryLocationLineHash"].as_str();
        match uri {
            "app.py" if r["locations"][0]["physicalLocation"]["region"].is_null() => {
                assert!(doubt.is_some_and(|d| d.starts_with("line 0")), "{r}");
                assert_eq!(hash, None, "{r}");
            }
            "app.py" => assert!(doubt.is_none() && hash.is_some(), "{r}"),
            _ => assert!(doubt.is_some() && hash.is_none(), "{r}"),
        }
    }

    // --new-only never hides them (none of them is on a new line).
    let out = run_with_deadline(&env, &["check", "--format", "json", "--new-only", "HEAD"]);
    let report = json(&out);
    assert_eq!(code(&out), 2);
    assert_eq!(report["findings"].as_array().unwrap().len(), 5, "{report}");
    assert_eq!(report["summary"]["hidden"], 1);
}

const CLEAN_SH: &str = "#!/bin/sh\necho \"$1\"\n";
const DEFECT_SH: &str = "#!/bin/sh\necho \"$1\"\ncd /srv/app\nls\n";

/// A repository whose `main` (one clean shell script) is pushed to a local bare remote, with lintmux's
/// pre-push hook installed after that first push.
fn pushed_repo() -> (TestEnv, std::path::PathBuf) {
    let env = TestEnv::with_files(&[("deploy.sh", CLEAN_SH)]);
    let remote = env.dir.path().join("remote.git");
    git(env.dir.path(), &["init", "-q", "--bare", remote.to_str().unwrap()]);
    git(&env.root, &["checkout", "-q", "-b", "main"]);
    git(&env.root, &["add", "-A"]);
    git(&env.root, &["commit", "-q", "-m", "initial"]);
    git(&env.root, &["remote", "add", "origin", remote.to_str().unwrap()]);
    git(&env.root, &["push", "-q", "-u", "origin", "main"]);
    let out = env.run(&["hook", "install"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    (env, remote)
}

/// `git push <args>` through the hook; (succeeded, everything it printed).
fn push(env: &TestEnv, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new("git")
        .envs(GIT_ISOLATED)
        .arg("push")
        .args(args)
        .current_dir(&env.root)
        .env("LINTMUX_CACHE_DIR", &env.cache)
        .env("LINTMUX_NO_TIMES", "1")
        .env("NO_COLOR", "1")
        .output()
        .expect("git push runs");
    (out.status.success(), format!("{}{}", stdout(&out), stderr(&out)))
}

/// What the working tree and the index are, to show the hook left them alone.
fn tree_state(env: &TestEnv) -> (String, Vec<u8>) {
    (
        git(&env.root, &["status", "--porcelain", "--untracked-files=all"]),
        std::fs::read(env.root.join(".git/index")).expect("the index"),
    )
}

#[test]
fn the_hook_checks_the_pushed_commit_not_the_working_tree() {
    let (env, remote) = pushed_repo();
    // A cache of its own (to see that the export is removed), with the shared installs.
    pinned_binary("shellcheck");
    let env = env.with_own_cache();
    std::fs::create_dir_all(&env.cache).unwrap();
    std::os::unix::fs::symlink(crate::support::shared_cache().join("tools"), env.cache.join("tools")).unwrap();
    env.write("deploy.sh", DEFECT_SH);
    git(&env.root, &["commit", "-q", "-am", "defect"]);
    // Fixed in the working tree only: the commit being pushed still has the defect.
    env.write("deploy.sh", CLEAN_SH);
    let before = tree_state(&env);
    let (ok, said) = push(&env, &["origin", "main"]);
    assert!(!ok, "the push went through:\n{said}");
    assert!(said.contains("lintmux: checking refs/heads/main ("), "{said}");
    assert!(
        said.contains("deploy.sh\n      3:1  warning  Use 'cd ... || exit'"),
        "{said}"
    );
    assert!(said.contains("lintmux: push blocked by the findings above"), "{said}");
    assert_eq!(tree_state(&env), before, "the working tree and the index are untouched");
    assert_ne!(
        git(&remote, &["rev-parse", "main"]),
        git(&env.root, &["rev-parse", "HEAD"])
    );
    let pushes = env.cache.join("pushes");
    let left: Vec<_> = std::fs::read_dir(&pushes)
        .expect("exports are made here")
        .flatten()
        .collect();
    assert!(left.is_empty(), "the export is removed: {left:?}");
}

#[test]
fn a_clean_commit_passes_whatever_the_working_tree_holds() {
    let (env, remote) = pushed_repo();
    env.write("deploy.sh", "#!/bin/sh\necho \"$1\"\necho finished\n");
    git(&env.root, &["commit", "-q", "-am", "clean change"]);
    env.write("deploy.sh", DEFECT_SH);
    env.write("scratch.sh", DEFECT_SH);
    let (ok, said) = push(&env, &["origin", "main"]);
    assert!(ok, "the clean commit was blocked:\n{said}");
    assert!(said.contains("1 file changed since"), "{said}");
    assert_eq!(
        git(&remote, &["rev-parse", "main"]),
        git(&env.root, &["rev-parse", "HEAD"])
    );
}

#[test]
fn pushing_another_branch_checks_that_branch() {
    let (env, remote) = pushed_repo();
    git(&env.root, &["checkout", "-q", "-b", "feature"]);
    env.write("tools/setup.sh", DEFECT_SH);
    git(&env.root, &["add", "-A"]);
    git(&env.root, &["commit", "-q", "-m", "feature"]);
    git(&env.root, &["checkout", "-q", "main"]);
    // On main (clean), pushing the new branch feature checks feature, against its merge base with main.
    let (ok, said) = push(&env, &["origin", "feature"]);
    assert!(!ok, "the push went through:\n{said}");
    assert!(said.contains("lintmux: checking refs/heads/feature ("), "{said}");
    assert!(said.contains("(its merge base with origin/main)"), "{said}");
    assert!(said.contains("tools/setup.sh\n      3:1  warning"), "{said}");
    assert!(!said.contains("deploy.sh\n"), "only what changed is checked:\n{said}");
    assert!(
        std::process::Command::new("git")
            .envs(GIT_ISOLATED)
            .args(["rev-parse", "--verify", "--quiet", "feature"])
            .current_dir(&remote)
            .output()
            .unwrap()
            .stdout
            .is_empty(),
        "feature reached the remote"
    );
}

#[test]
fn deleting_a_remote_branch_checks_nothing() {
    let (env, remote) = pushed_repo();
    git(&env.root, &["checkout", "-q", "-b", "old"]);
    env.write("old.sh", DEFECT_SH);
    git(&env.root, &["add", "-A"]);
    git(&env.root, &["commit", "-q", "-m", "old"]);
    let (ok, said) = push(&env, &["--no-verify", "origin", "old"]);
    assert!(ok, "{said}");
    git(&env.root, &["checkout", "-q", "main"]);
    let (ok, said) = push(&env, &["origin", "--delete", "old"]);
    assert!(ok, "the deletion was blocked:\n{said}");
    assert!(
        said.contains("lintmux: refs/heads/old is deleted on origin; nothing to check"),
        "{said}"
    );
    assert!(!said.contains("old.sh"), "{said}");
    let branches = git(&remote, &["branch", "--list"]);
    assert!(!branches.contains("old"), "{branches}");
}

#[test]
fn the_hook_uses_the_result_cache_of_the_repository() {
    let (env, _remote) = pushed_repo();
    let env = env.with_own_cache();
    // The real shellcheck behind a wrapper that logs every start, committed as the repository's linter.
    let log = crate::support::counted_shellcheck(&env);
    // A config file puts the root's path into the key, where the export's must not count.
    env.write(".shellcheckrc", "disable=SC2034\n");
    env.write("lintmux.toml", "enable = [\"counted\"]\n");
    env.write("deploy.sh", "#!/bin/sh\necho \"$1\"\necho finished\n");
    git(&env.root, &["add", "-A"]);
    git(&env.root, &["commit", "-q", "-m", "counted"]);
    let starts = || std::fs::read_to_string(&log).unwrap_or_default();
    // Checked in the working tree first: the push of the same content starts no linter.
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(starts().contains("--format json1 deploy.sh"), "{}", starts());
    std::fs::write(&log, "").unwrap();
    let (ok, said) = push(&env, &["origin", "main"]);
    assert!(ok, "{said}");
    assert!(said.contains("counted 0.11.0  ok  1 file, no findings"), "{said}");
    assert_eq!(
        starts(),
        "",
        "the push re-ran a linter on content already checked:\n{said}"
    );
    // A defect: the first push runs the linter and is blocked; the second push of it is a cache hit.
    env.write("deploy.sh", DEFECT_SH);
    git(&env.root, &["commit", "-q", "-am", "defect"]);
    let (ok, first) = push(&env, &["origin", "main"]);
    assert!(!ok, "{first}");
    assert_eq!(starts(), "--format json1 deploy.sh\n");
    std::fs::write(&log, "").unwrap();
    let (ok, second) = push(&env, &["origin", "main"]);
    assert!(!ok, "{second}");
    assert_eq!(starts(), "", "the second push re-ran the linter");
    assert_eq!(second, first);
}

#[test]
fn the_hook_runs_a_whole_project_linter_on_all_its_files_when_one_changed() {
    let env = TestEnv::with_files(&[
        ("lib.py", "def double(x: int) -> int:\n    return x * 2\n"),
        ("app.py", "from lib import double\n\nprint(double(2) + 1)\n"),
        ("lintmux.toml", "enable = [\"mypy\"]\n"),
    ]);
    let remote = env.dir.path().join("remote.git");
    git(env.dir.path(), &["init", "-q", "--bare", remote.to_str().unwrap()]);
    git(&env.root, &["checkout", "-q", "-b", "main"]);
    git(&env.root, &["add", "-A"]);
    git(&env.root, &["commit", "-q", "-m", "initial"]);
    git(&env.root, &["remote", "add", "origin", remote.to_str().unwrap()]);
    git(&env.root, &["push", "-q", "-u", "origin", "main"]);
    assert_eq!(code(&env.run(&["hook", "install"])), 0);
    // Only lib.py changes, and it breaks app.py.
    env.write("lib.py", "def double(x: int) -> str:\n    return str(x * 2)\n");
    git(&env.root, &["commit", "-q", "-am", "double returns text"]);
    let (ok, said) = push(&env, &["origin", "main"]);
    assert!(!ok, "the push went through:\n{said}");
    assert!(said.contains("lintmux: checking refs/heads/main ("), "{said}");
    assert!(said.contains("1 file changed since"), "{said}");
    assert!(
        said.contains("app.py\n     3:19  error    Unsupported operand types for + (\"str\" and \"int\")"),
        "{said}"
    );
}
