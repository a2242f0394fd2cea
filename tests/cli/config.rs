//! lintmux.toml: strict errors with locations, the extends chain (a central standard in a git repository
//! pinned by commit, a team file, the repository's file), per-linter settings, and the environment a
//! linter sees.

use crate::support::{TestEnv, code, finding_keys, git, json, stderr, stdout};

fn config_error(config: &str) -> String {
    let env = TestEnv::with_files(&[("app.py", "x = 1\n"), ("lintmux.toml", config)]);
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(out.stdout.is_empty(), "no report on a config error");
    stderr(&out)
}

#[test]
fn unknown_key() {
    assert_eq!(
        config_error("[linters.ruff]\ntimout = 5\n"),
        "lintmux: invalid configuration lintmux.toml:2:1: unknown field `timout`, expected one of `enabled`, `args`, `extend-args`, `include`, `extend-include`, `exclude`, `extend-exclude`, `timeout`, `env`, `pass_env`, `extend-pass_env`, `severity`, `config`, `runner`, `image`, `allow_unpinned`, `command`, `max_output`, `schemas`\n    |\n  2 | timout = 5\n    | ^^^^^^\n"
    );
}

#[test]
fn wrong_type() {
    assert_eq!(
        config_error("jobs = \"four\"\n"),
        "lintmux: invalid configuration lintmux.toml:1:8: invalid type: string \"four\", expected usize\n    |\n  1 | jobs = \"four\"\n    |        ^^^^^^\n"
    );
}

#[test]
fn bad_glob() {
    assert_eq!(
        config_error("exclude = [\"a[b\"]\n"),
        "lintmux: invalid configuration lintmux.toml:1:12: invalid glob `a[b`: unclosed character class; missing ']'\n    |\n  1 | exclude = [\"a[b\"]\n    |            ^^^^^\n"
    );
}

#[test]
fn unknown_linter() {
    assert_eq!(
        config_error("[linters.pylint]\ntimeout = 5\n"),
        "lintmux: invalid configuration lintmux.toml:1:10: unknown linter `pylint`; known linters: actionlint, check-jsonschema, codespell, detect-secrets, eslint, hadolint, markdownlint-cli2, mypy, prettier, ruff, ruff-format, shellcheck, shfmt, taplo, taplo-format, typos, typos-code, yamllint, zizmor\n    |\n  1 | [linters.pylint]\n    |          ^^^^^^\n"
    );
}

#[test]
fn level_that_does_not_exist() {
    assert_eq!(
        config_error("fail_on = \"loud\"\n"),
        "lintmux: invalid configuration lintmux.toml:1:11: unknown variant `loud`, expected one of `note`, `warning`, `error`\n    |\n  1 | fail_on = \"loud\"\n    |           ^^^^^^\n"
    );
    assert_eq!(
        config_error("[linters.ruff]\nseverity = { E501 = \"loud\" }\n"),
        "lintmux: invalid configuration lintmux.toml:2:21: unknown variant `loud`, expected one of `error`, `warning`, `note`, `off`\n    |\n  2 | severity = { E501 = \"loud\" }\n    |                     ^^^^^^\n"
    );
}

/// A central standard in its own git repository: a lintmux.toml, a shared ruff.toml and a linters.d.
/// Returns the `git+file://…?rev=…` source of its first commit; a later commit changes the standard, so
/// the pin is what decides.
fn central_standard(env: &TestEnv) -> String {
    let repo = env.dir.path().join("lint-standard");
    std::fs::create_dir_all(repo.join("linters.d")).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(
        repo.join("lintmux.toml"),
        "fail_on = \"error\"\nexclude = [\"vendor/**\"]\n\n[linters.ruff]\nconfig = \"ruff.toml\"\ntimeout = 120\n",
    )
    .unwrap();
    std::fs::write(
        repo.join("ruff.toml"),
        "line-length = 20\n[lint]\nselect = [\"E501\"]\n",
    )
    .unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "standard v1"]);
    let rev = git(&repo, &["rev-parse", "HEAD"]);
    std::fs::write(repo.join("lintmux.toml"), "fail_on = \"note\"\n").unwrap();
    git(&repo, &["commit", "-q", "-am", "standard v2"]);
    format!("git+file://{}?rev={rev}#lintmux.toml", repo.display())
}

fn three_level_chain() -> (TestEnv, String) {
    let env = TestEnv::new();
    let central = central_standard(&env);
    let team = env.dir.path().join("team");
    std::fs::create_dir_all(&team).unwrap();
    std::fs::write(
        team.join("lintmux.toml"),
        format!("extends = [\"{central}\"]\njobs = 2\nextend-exclude = [\"generated/**\"]\n\n[linters.ruff]\nseverity = {{ \"*\" = \"warning\" }}\n"),
    )
    .unwrap();
    env.write(
        "lintmux.toml",
        "extends = [\"../team/lintmux.toml\"]\n\n[linters.ruff]\ntimeout = 60\n\n[linters.yamllint]\nenabled = false\n",
    );
    env.write("app.py", "value = \"a string longer than twenty\"\n");
    env.write("vendor/lib.py", "value = \"a string longer than twenty\"\n");
    (env, central)
}

#[test]
fn three_level_chain_gives_the_effective_config_with_origins() {
    let (env, central) = three_level_chain();
    let out = env.run(&["config"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let cache = env.cache.display().to_string();
    let text = stdout(&out).replace(&central, "CENTRAL").replace(&cache, "CACHE");
    let text = regex::Regex::new(r"CACHE/extends/[0-9a-f]{16}/")
        .unwrap()
        .replace_all(&text, "CHECKOUT/");
    // The origin column's alignment depends on the temporary paths' length.
    let squeeze = |s: &str| regex::Regex::new(r" +# ").unwrap().replace_all(s, " # ").into_owned();
    assert_eq!(
        squeeze(&text),
        squeeze(
            "\
# merged from, most basic first:
#   CENTRAL
#   ../team/lintmux.toml
#   lintmux.toml
fail_on = \"error\"                                # CENTRAL:1
jobs = 2                                         # ../team/lintmux.toml:2
max_file_size = 2097152                          # default
tools = \"pinned\"                                 # default
# enable                                         # default: every linter whose file types are present
disable = []                                     # default
exclude = [\"vendor/**\", \"generated/**\"]          # CENTRAL:2, ../team/lintmux.toml:3

[linters.ruff]
args = []                                        # default
include = []                                     # default
exclude = []                                     # default
timeout = 60                                     # lintmux.toml:4
config = \"CHECKOUT/ruff.toml\"                    # CENTRAL:5
runner = \"local\"                                 # default
pass_env = []                                    # default
severity.\"*\" = \"warning\"                         # ../team/lintmux.toml:6

[linters.yamllint]
enabled = false                                  # lintmux.toml:7
args = []                                        # default
include = []                                     # default
exclude = []                                     # default
timeout = 600                                    # default
runner = \"local\"                                 # default
pass_env = []                                    # default
"
        )
    );
}

#[test]
fn the_central_ruff_toml_is_what_ruff_uses() {
    let (env, _) = three_level_chain();
    let out = env.run(&["check", "--format", "json", "--linters", "ruff"]);
    let report = json(&out);
    // E501 at 20 columns comes only from the central ruff.toml; vendor/ is excluded centrally; the team
    // made every ruff finding a warning, below the central fail_on = "error".
    assert_eq!(
        finding_keys(&report),
        [("ruff".into(), "E501".into(), "app.py".into(), 1)]
    );
    assert_eq!(report["findings"][0]["level"], "warning");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // A pinned commit is fetched once: with the central repository gone, the run is the same.
    std::fs::remove_dir_all(env.dir.path().join("lint-standard")).unwrap();
    let again = env.run(&["check", "--format", "json", "--linters", "ruff"]);
    assert_eq!(
        crate::support::without_cache(&stdout(&again)),
        crate::support::without_cache(&stdout(&out)),
        "{}",
        stderr(&again)
    );
}

#[test]
fn a_central_linters_d_is_used_by_extending_repositories() {
    let env = TestEnv::new();
    let repo = env.dir.path().join("std");
    std::fs::create_dir_all(repo.join("linters.d")).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("lintmux.toml"), "enable = [\"todo\"]\n").unwrap();
    std::fs::write(
        repo.join("linters.d/todo.toml"),
        r#"description = "TODO markers"
homepage = "https://example.invalid/todo"
file_types = ["python"]
command = ["grep", "-n", "-H", "TODO", "{files}"]
ok_exit_codes = [0, 1]
output = { format = "regex", pattern = '^(?P<path>[^:]+):(?P<line>\d+):(?P<message>.*)$', rule = "todo", level = "note" }
version = { pin = "any", command = ["grep", "--version"], pattern = '(\d+\.\d+)' }
"#,
    )
    .unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "std"]);
    let rev = git(&repo, &["rev-parse", "HEAD"]);
    env.write(
        "lintmux.toml",
        &format!("extends = [\"git+file://{}?rev={rev}\"]\n", repo.display()),
    );
    env.write("app.py", "x = 1  # TODO: remove\n");
    let report = json(&env.run(&["check", "--format", "json"]));
    assert_eq!(
        finding_keys(&report),
        [("todo".into(), "todo".into(), "app.py".into(), 1)]
    );
}

#[test]
fn unpinned_git_sources_are_refused() {
    let err = config_error("extends = [\"git+https://git.example.invalid/org/std.git?rev=main\"]\n");
    assert!(
        err.starts_with("lintmux: lintmux.toml:1:12: `rev=main` is not a full 40-character commit sha"),
        "{err}"
    );
}

#[test]
fn extends_cycles_are_errors() {
    let env = TestEnv::with_files(&[
        ("lintmux.toml", "extends = [\"team.toml\"]\n"),
        ("team.toml", "extends = [\"lintmux.toml\"]\n"),
    ]);
    let out = env.run(&["config"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "lintmux: team.toml:1:12: extends cycle: lintmux.toml -> team.toml -> lintmux.toml\n"
    );
}

/// A helper linter that reports the value of two variables as the message of a finding.
fn env_reporter(config: &str) -> TestEnv {
    let env = TestEnv::with_files(&[("app.py", "x = 1\n"), ("lintmux.toml", config)]);
    let script = env.helper(
        "env-reporter",
        "#!/bin/sh\necho \"$1:1: SECRET=${LINTMUX_TEST_SECRET:-unset} SET=${LINTMUX_TEST_SET:-unset}\"\n",
    );
    env.write(
        "linters.d/envdump.toml",
        &format!(
            r#"description = "prints its environment"
homepage = "https://example.invalid/envdump"
file_types = ["python"]
command = ["{}", "{{files}}"]
ok_exit_codes = [0]
output = {{ format = "regex", pattern = '^(?P<path>[^:]+):(?P<line>\d+): (?P<message>.*)$', rule = "env" }}
version = {{ pin = "1", command = ["true"], pattern = '(x)' }}
"#,
            script.display()
        ),
    );
    env
}

fn message(env: &TestEnv) -> String {
    let out = env
        .cmd()
        .env("LINTMUX_TEST_SECRET", "hunter2")
        .args(["check", "--format", "json", "--linters", "envdump"])
        .output()
        .unwrap();
    json(&out)["findings"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_linter_sees_only_the_environment_it_is_given() {
    assert_eq!(message(&env_reporter("")), "SECRET=unset SET=unset");
    assert_eq!(
        message(&env_reporter(
            "[linters.envdump]\npass_env = [\"LINTMUX_TEST_SECRET\"]\nenv = { LINTMUX_TEST_SET = \"yes\" }\n"
        )),
        "SECRET=hunter2 SET=yes"
    );
}

#[test]
fn per_linter_include_exclude_args_and_severity() {
    let env = TestEnv::with_files(&[
        ("src/a.py", "import os\n"),
        ("src/gen/b.py", "import os\n"),
        ("tests/c.py", "import os\n"),
        (
            "lintmux.toml",
            "enable = [\"ruff\"]\n[linters.ruff]\ninclude = [\"src/**\"]\nexclude = [\"src/gen/**\"]\nargs = [\"--select\", \"F401\"]\nseverity = { F401 = \"note\" }\n",
        ),
    ]);
    let report = json(&env.run(&["check", "--format", "json"]));
    assert_eq!(
        finding_keys(&report),
        [("ruff".into(), "F401".into(), "src/a.py".into(), 1)]
    );
    assert_eq!(report["findings"][0]["level"], "note");
    env.write(
        "lintmux.toml",
        "enable = [\"ruff\"]\n[linters.ruff]\nseverity = { F401 = \"off\" }\nargs = [\"--select\", \"F401\"]\n",
    );
    assert_eq!(finding_keys(&json(&env.run(&["check", "--format", "json"]))), []);
}

#[test]
fn init_writes_a_commented_config_that_loads() {
    let env = TestEnv::with_files(&[("app.py", "x = 1\n"), ("run.sh", "#!/bin/sh\necho hi\n")]);
    let out = env.run(&["init"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = std::fs::read_to_string(env.root.join("lintmux.toml")).unwrap();
    assert!(
        text.contains(
            "#   python: 1 file -> mypy, ruff, ruff-format (formatter, where configured)\n\
             #   shell: 1 file -> shellcheck, shfmt (formatter, where configured)\n"
        ),
        "{text}"
    );
    assert!(text.contains("# [linters.shellcheck]\n"), "{text}");
    assert_eq!(code(&env.run(&["config"])), 0, "the written file loads");
    let again = env.run(&["init"]);
    assert_eq!(code(&again), 2);
    assert!(stderr(&again).contains("lintmux.toml already exists; edit it, or run `lintmux init --force`"));
}
