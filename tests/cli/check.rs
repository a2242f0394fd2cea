//! `lintmux check` on real repositories with the real linters.

use std::collections::BTreeSet;

use crate::support::{GIT_ISOLATED, TestEnv, code, finding_keys, json, manifest_dir, stderr, stdout};

type Key = (String, String, String, u64);

fn expected_polyglot() -> Vec<Key> {
    let path = manifest_dir().join("tests/expected/polyglot-service.tsv");
    let text = std::fs::read_to_string(&path).expect("tests/expected/polyglot-service.tsv");
    let mut keys: Vec<Key> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 4, "bad expected line `{l}`");
            (
                cols[0].to_owned(),
                cols[1].to_owned(),
                cols[2].to_owned(),
                cols[3].parse().expect("line number"),
            )
        })
        .collect();
    keys.sort();
    keys
}

#[test]
fn polyglot_example_reports_exactly_its_known_defects() {
    let env = TestEnv::example("polyglot-service");
    let out = env.run(&["check", "--format", "json"]);
    assert_eq!(code(&out), 1, "findings mean exit 1; stderr:\n{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["tool_errors"], serde_json::json!([]), "{}", stderr(&out));
    assert_eq!(finding_keys(&report), expected_polyglot());
    let linters: BTreeSet<&str> = report["linters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> = [
        "actionlint",
        "check-jsonschema",
        "detect-secrets",
        "eslint",
        "hadolint",
        "markdownlint-cli2",
        "mypy",
        "prettier",
        "ruff",
        "ruff-format",
        "shellcheck",
        "shfmt",
        "taplo",
        "taplo-format",
        "typos",
        "typos-code",
        "yamllint",
        "zizmor",
    ]
    .into();
    assert_eq!(
        linters, expected,
        "every linter with files ran (codespell is off by default; the example configures the four formatters)"
    );
}

/// The same defects as running each pinned tool by hand (tests/expected/regen.py, which knows nothing of
/// lintmux's code, run on lintmux's own pinned installs).
#[test]
fn polyglot_example_equals_running_each_linter_directly() {
    let env = TestEnv::example("polyglot-service");
    let install = env.run(&["install", "--all"]);
    assert_eq!(code(&install), 0, "install failed:\n{}", stderr(&install));
    let tools = env.cache.join("tools");
    let find = |prefix: &str| {
        std::fs::read_dir(&tools)
            .expect("tools dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                p.is_dir()
                    && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.starts_with(&format!("{prefix}-")) && n[prefix.len() + 1..].starts_with(char::is_numeric)
                    })
            })
            .unwrap_or_else(|| panic!("no pinned install of {prefix} in {}", tools.display()))
    };
    let mut direct = std::process::Command::new("python3");
    direct
        .arg(manifest_dir().join("tests/expected/regen.py"))
        .arg(&env.root)
        .env("LMTOOL_ESLINT_CONFIG", find("eslint").join("eslint.config.mjs"));
    // (linter, its pinned install, the binary in it): ruff-format, taplo-format and typos-code share the
    // install of ruff, taplo and typos.
    for (tool, install, sub) in [
        ("ruff", "ruff", "venv/bin/ruff"),
        ("mypy", "mypy", "venv/bin/mypy"),
        ("hadolint", "hadolint", "venv/bin/hadolint"),
        ("shellcheck", "shellcheck", "venv/bin/shellcheck"),
        ("yamllint", "yamllint", "venv/bin/yamllint"),
        ("eslint", "eslint", "node_modules/.bin/eslint"),
        (
            "markdownlint-cli2",
            "markdownlint-cli2",
            "node_modules/.bin/markdownlint-cli2",
        ),
        ("actionlint", "actionlint", "venv/bin/actionlint"),
        ("zizmor", "zizmor", "venv/bin/zizmor"),
        ("check-jsonschema", "check-jsonschema", "venv/bin/check-jsonschema"),
        ("typos", "typos", "venv/bin/typos"),
        ("typos-code", "typos", "venv/bin/typos"),
        ("taplo", "taplo", "venv/bin/taplo"),
        ("detect-secrets", "detect-secrets", "venv/bin/detect-secrets"),
        ("ruff-format", "ruff", "venv/bin/ruff"),
        ("prettier", "prettier", "node_modules/.bin/prettier"),
        ("shfmt", "shfmt", "venv/bin/shfmt"),
        ("taplo-format", "taplo", "venv/bin/taplo"),
    ] {
        direct.env(
            format!("LMTOOL_{}", tool.to_uppercase().replace('-', "_")),
            find(install).join(sub),
        );
    }
    let direct = direct
        .output()
        .expect("python3 is needed to run tests/expected/regen.py");
    assert!(
        direct.status.success(),
        "regen.py failed:\n{}",
        String::from_utf8_lossy(&direct.stderr)
    );
    let mut by_hand: Vec<Key> = String::from_utf8_lossy(&direct.stdout)
        .lines()
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0].to_owned(), c[1].to_owned(), c[2].to_owned(), c[3].parse().unwrap())
        })
        .collect();
    by_hand.sort();
    let report = json(&env.run(&["check", "--format", "json"]));
    assert_eq!(finding_keys(&report), by_hand);
}

#[test]
fn reports_are_byte_identical_across_runs() {
    // Every linter really runs both times: the result cache has tests of its own.
    let env = TestEnv::example("polyglot-service");
    let a = env.run(&["check", "--no-cache", "--format", "json"]);
    let b = env.run(&["check", "--no-cache", "--format", "json"]);
    assert!(!json(&a)["findings"].as_array().unwrap().is_empty());
    assert_eq!(stdout(&a), stdout(&b));
    let s1 = env.run(&["check", "--no-cache", "--format", "sarif"]);
    let s2 = env.run(&["check", "--no-cache", "--format", "sarif"]);
    assert!(!s1.stdout.is_empty());
    assert_eq!(s1.stdout, s2.stdout);
}

#[test]
fn never_writes_into_the_linted_repository() {
    let env = TestEnv::example("polyglot-service");
    let before = git_status(&env);
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(git_status(&env), before, "lintmux left files in the repository");
}

fn git_status(env: &TestEnv) -> String {
    let out = std::process::Command::new("git")
        .envs(GIT_ISOLATED)
        .args(["status", "--porcelain", "--ignored", "--untracked-files=all"])
        .current_dir(&env.root)
        .output()
        .expect("git status");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const SHELL_DEFECT: &str = "#!/bin/sh\necho $1\n";
const YAML_DEFECT: &str = "key: yes\n";

#[test]
fn console_report_groups_by_file_and_summarises_each_linter() {
    let env = TestEnv::with_files(&[
        ("scripts/run.sh", SHELL_DEFECT),
        (".github/workflows/ci.yml", "---\non: push\n"),
        ("config.yaml", YAML_DEFECT),
    ]);
    // The workflow is too small for zizmor and actionlint; this test is about the console layout.
    let out = env.run(&["check", "--linters", "shellcheck,yamllint"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "\
.github/workflows/ci.yml
      2:1  warning  truthy value should be one of [false, true]  yamllint truthy https://yamllint.readthedocs.io/en/stable/rules.html#module-yamllint.rules.truthy

config.yaml
      1:1  warning  missing document start \"---\"  yamllint document-start https://yamllint.readthedocs.io/en/stable/rules.html#module-yamllint.rules.document_start
      1:6  warning  truthy value should be one of [false, true]  yamllint truthy https://yamllint.readthedocs.io/en/stable/rules.html#module-yamllint.rules.truthy

scripts/run.sh
      2:6  note     Double quote to prevent globbing and word splitting.  shellcheck SC2086 https://www.shellcheck.net/wiki/SC2086

shellcheck 0.11.0  ok  1 file, 1 note
yamllint 1.38.0    ok  2 files, 3 warnings
4 findings (3 warnings, 1 note) in 3 files
"
    );
}

#[test]
fn fail_on_sets_the_exit_threshold() {
    let env = TestEnv::with_files(&[("scripts/run.sh", SHELL_DEFECT)]);
    assert_eq!(
        code(&env.run(&["check"])),
        0,
        "a note is below the default warning threshold"
    );
    assert_eq!(code(&env.run(&["check", "--fail-on", "note"])), 1);
    let env = TestEnv::with_files(&[("config.yaml", YAML_DEFECT)]);
    assert_eq!(code(&env.run(&["check"])), 1);
    assert_eq!(code(&env.run(&["check", "--fail-on", "error"])), 0);
    assert_eq!(code(&env.run(&["check", "--fail-on", "never"])), 0);
}

#[test]
fn sarif_flag_writes_sarif_beside_the_console_report() {
    let env = TestEnv::with_files(&[("config.yaml", YAML_DEFECT)]);
    let sarif = env.dir.path().join("out.sarif");
    let out = env.run(&["check", "--sarif", sarif.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("config.yaml\n"));
    let log: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    let yamllint = log["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["tool"]["driver"]["name"] == "yamllint")
        .expect("a yamllint run");
    assert_eq!(yamllint["results"].as_array().unwrap().len(), 2);
}

#[test]
fn paths_narrow_the_files_and_stay_relative_to_the_root() {
    let env = TestEnv::with_files(&[("a/run.sh", SHELL_DEFECT), ("b/run.sh", SHELL_DEFECT)]);
    let out = env
        .cmd()
        .current_dir(env.root.join("a"))
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    let keys = finding_keys(&json(&out));
    assert_eq!(keys, [("shellcheck".into(), "SC2086".into(), "a/run.sh".into(), 2)]);
}

#[test]
fn linters_option_runs_only_those_named() {
    let env = TestEnv::with_files(&[("run.sh", SHELL_DEFECT), ("config.yaml", YAML_DEFECT)]);
    let report = json(&env.run(&["check", "--format", "json", "--linters", "yamllint"]));
    assert!(finding_keys(&report).iter().all(|k| k.0 == "yamllint"));
    let out = env.run(&["check", "--linters", "pylint"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown linter `pylint`; known linters: actionlint, check-jsonschema"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn file_names_starting_with_a_dash_are_not_options() {
    let env = TestEnv::with_files(&[("-rf.sh", SHELL_DEFECT), ("-n.md", "# Title\ntext\n")]);
    let report = json(&env.run(&["check", "--format", "json", "--fail-on", "never"]));
    assert_eq!(report["tool_errors"], serde_json::json!([]));
    let keys = finding_keys(&report);
    assert!(
        keys.contains(&("shellcheck".into(), "SC2086".into(), "-rf.sh".into(), 2)),
        "{keys:?}"
    );
    assert!(
        keys.iter().any(|k| k.0 == "markdownlint-cli2" && k.2 == "-n.md"),
        "{keys:?}"
    );
}

#[test]
fn a_repository_linters_d_adds_a_linter_without_rust() {
    let env = TestEnv::with_files(&[
        ("docs/notes.md", "# Notes\n\nWe recieve teh data.\n"),
        (
            "linters.d/codespell.toml",
            r#"description = "Fix common misspellings in text files"
homepage = "https://github.com/codespell-project/codespell"
file_types = ["markdown", "python"]
command = ["codespell", "--", "{files}"]
ok_exit_codes = [0, 65]
output = { stream = "stdout", format = "regex", pattern = '^(?P<path>[^:]+):(?P<line>\d+): (?P<message>.+ ==> .+)$', rule = "misspelling", level = "warning" }
version = { pin = "2.4.3", command = ["codespell", "--version"], pattern = '(\d+\.\d+\.\d+)' }

[install]
pypi = ["codespell==2.4.3"]
why = "Current codespell."
"#,
        ),
    ]);
    let out = env.run(&["check", "--format", "json", "--linters", "codespell"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(
        finding_keys(&json(&out)),
        [
            ("codespell".into(), "misspelling".into(), "docs/notes.md".into(), 3),
            ("codespell".into(), "misspelling".into(), "docs/notes.md".into(), 3)
        ]
    );
}

#[test]
fn bundled_eslint_config_is_used_and_said() {
    let env = TestEnv::with_files(&[("src/app.ts", "let x: any = 1;\nexport default x;\n")]);
    let out = env.run(&["check"]);
    let text = stdout(&out);
    assert!(
        text.contains("@typescript-eslint/no-explicit-any"),
        "{text}\n{}",
        stderr(&out)
    );
    assert!(
        text.contains("note: no eslint config in the repository; used lintmux's bundled default"),
        "{text}"
    );
}

#[test]
fn linters_lists_pins_and_binaries() {
    let env = TestEnv::new();
    assert_eq!(code(&env.run(&["install", "shellcheck"])), 0);
    let out = stdout(&env.run(&["linters"]));
    assert!(
        out.contains("shellcheck  (shell)\n    pinned:  0.11.0  [builtin]\n    binary:  "),
        "{out}"
    );
    assert!(out.contains("(lintmux), version 0.11.0\n"), "{out}");
    assert!(out.contains("markdownlint-cli2  (markdown)"), "{out}");
    assert!(out.contains("codespell  (markdown, python)  off by default\n"), "{out}");
}
