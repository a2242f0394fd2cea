//! Cases where a run could give a wrong verdict because of what it did not see: an input outside the
//! files a linter is given (a gitignored generated module mypy imports), a user's own config in HOME, and a
//! linter whose output has no end. Each is a test that failed before the fix.

use crate::support::{TestEnv, code, finding_keys, json, stderr, tool_errors};

#[test]
fn a_cached_mypy_run_sees_a_change_in_a_gitignored_module_it_imports() {
    let env = TestEnv::with_files(&[
        (".gitignore", "gen/\n"),
        ("gen/__init__.py", ""),
        ("gen/types.py", "def make() -> int:\n    return 1\n"),
        ("app.py", "from gen.types import make\n\nx: int = make()\n"),
        ("lintmux.toml", "enable = [\"mypy\"]\n"),
    ]);
    let first = env.run(&["check", "--format", "json"]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert!(finding_keys(&json(&first)).is_empty());
    // The generated module changes type; it is ignored by git, so it is not one of mypy's files.
    env.write("gen/types.py", "def make() -> str:\n    return 'a'\n");
    let second = env.run(&["check", "--format", "json"]);
    let uncached = env.run(&["check", "--format", "json", "--no-cache"]);
    assert_eq!(
        finding_keys(&json(&uncached)),
        [("mypy".into(), "assignment".into(), "app.py".into(), 3)]
    );
    assert_eq!(
        finding_keys(&json(&second)),
        finding_keys(&json(&uncached)),
        "the cache went stale"
    );
    assert_eq!(code(&second), 1);
}

#[test]
fn user_level_configs_in_home_do_not_change_the_verdict() {
    let env = TestEnv::with_files(&[("app.py", "import os\n")]);
    let home = env.dir.path().join("home");
    std::fs::create_dir_all(home.join(".config/ruff")).unwrap();
    std::fs::write(home.join(".config/ruff/ruff.toml"), "[lint]\nignore = [\"F401\"]\n").unwrap();
    std::fs::create_dir_all(home.join(".config/yamllint")).unwrap();
    let out = env
        .cmd()
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .args(["check", "-l", "ruff", "--format", "json", "--no-cache"])
        .output()
        .unwrap();
    assert_eq!(
        finding_keys(&json(&out)),
        [("ruff".into(), "F401".into(), "app.py".into(), 1)],
        "the user's ~/.config/ruff/ruff.toml reached ruff"
    );
}

#[test]
fn output_past_the_cap_is_a_tool_error() {
    let env = TestEnv::with_files(&[("app.py", "x = 1\n")]);
    let program = env
        .helper(
            "flood",
            "#!/bin/sh\n[ \"$1\" = --version ] && { echo 1.0; exit 0; }\nhead -c 3000000 /dev/zero\n",
        )
        .display()
        .to_string();
    env.write(
        "linters.d/flood.toml",
        &format!(
            "description = \"prints too much\"\nhomepage = \"h\"\nfile_types = [\"python\"]\ncommand = [\"{program}\", \"{{files}}\"]\noutput = {{ format = \"ruff_json\" }}\nversion = {{ pin = \"1.0\", command = [\"{program}\", \"--version\"], pattern = \"(\\\\S+)\" }}\n"
        ),
    );
    env.write(
        "lintmux.toml",
        "enable = [\"flood\"]\n[linters.flood]\nmax_output = 1\n",
    );
    let out = env.run(&["check", "--format", "json"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(tool_errors(&report), [("flood".into(), "bad_output".into())]);
    let message = report["tool_errors"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("flood printed more than 1 MiB and was stopped"),
        "{message}"
    );
}

/// A repository whose linters.d replaces the built-in ruff with a script that records that it ran and
/// what environment it got, and whose lintmux.toml hands it a secret.
fn hostile_repository() -> TestEnv {
    let env = TestEnv::with_files(&[("app.py", "import os\n")]);
    let marker = env.dir.path().join("ran.txt");
    let program = env
        .helper(
            "not-ruff",
            &format!(
                "#!/bin/sh\n[ \"$1\" = --version ] && {{ echo 'ruff 0.17.5'; exit 0; }}\nenv > {}\necho '[]'\n",
                marker.display()
            ),
        )
        .display()
        .to_string();
    env.write(
        "linters.d/ruff.toml",
        &format!(
            "description = \"ruff, or so it says\"\nhomepage = \"h\"\nfile_types = [\"python\"]\ncommand = [\"{program}\", \"{{files}}\"]\noutput = {{ format = \"ruff_json\" }}\nversion = {{ pin = \"0.17.5\", command = [\"{program}\", \"--version\"], pattern = \"ruff (\\\\S+)\" }}\n"
        ),
    );
    env.write(
        "lintmux.toml",
        "enable = [\"ruff\"]\n[linters.ruff]\npass_env = [\"AWS_SECRET_ACCESS_KEY\"]\n",
    );
    env
}

#[test]
fn the_report_says_where_a_definition_and_its_binary_came_from() {
    let env = hostile_repository();
    let out = env
        .cmd()
        .env("AWS_SECRET_ACCESS_KEY", "s3cr3t")
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let report = json(&out);
    let origin = &report["linters"][0]["origin"];
    assert_eq!(origin["definition"], "repository", "{report}");
    assert_eq!(origin["overrides_builtin"], true);
    assert!(
        origin["binary"].as_str().unwrap().ends_with("not-ruff (PATH)"),
        "{origin}"
    );
    assert_eq!(report["trust"]["level"], "all");
    assert_eq!(report["trust"]["set_by"], "default");
    let console = crate::support::stdout(
        &env.cmd()
            .env("AWS_SECRET_ACCESS_KEY", "s3cr3t")
            .arg("check")
            .output()
            .unwrap(),
    );
    assert!(
        console.contains("    from: definition: repository (")
            && console.contains("replacing the built-in one; binary: "),
        "{console}"
    );
    // With trust all (the default), the repository's choice runs, secret and all: that is what the
    // report shows and --trust none prevents.
    let seen = std::fs::read_to_string(env.dir.path().join("ran.txt")).unwrap();
    assert!(seen.contains("AWS_SECRET_ACCESS_KEY=s3cr3t"));
}

#[test]
fn trust_none_runs_only_what_lintmux_and_the_central_config_define() {
    let env = hostile_repository();
    let out = env
        .cmd()
        .env("AWS_SECRET_ACCESS_KEY", "s3cr3t")
        .args(["check", "--format", "json", "--trust", "none"])
        .output()
        .unwrap();
    let report = json(&out);
    assert!(!env.dir.path().join("ran.txt").exists(), "the repository's command ran");
    // The built-in ruff ran instead, without the secret.
    assert_eq!(
        finding_keys(&report),
        [("ruff".into(), "F401".into(), "app.py".into(), 1)]
    );
    assert_eq!(report["linters"][0]["origin"]["definition"], "built-in");
    let note = report["linters"][0]["note"].as_str().unwrap();
    assert!(
        note.contains("trust none refused the repository's pass_env at lintmux.toml:3"),
        "{note}"
    );
    assert_eq!(report["trust"]["level"], "none");
    assert_eq!(report["trust"]["set_by"], "--trust");
}

#[test]
fn a_repository_cannot_raise_the_trust_a_central_config_sets() {
    let env = hostile_repository();
    let central = env.dir.path().join("central");
    std::fs::create_dir_all(&central).unwrap();
    std::fs::write(central.join("lintmux.toml"), "trust = \"none\"\n").unwrap();
    env.write(
        "lintmux.toml",
        &format!(
            "extends = [\"{}\"]\ntrust = \"all\"\nenable = [\"ruff\"]\n",
            central.join("lintmux.toml").display()
        ),
    );
    let report = json(&env.run(&["check", "--format", "json"]));
    assert_eq!(report["trust"]["level"], "none", "{report}");
    assert!(!env.dir.path().join("ran.txt").exists(), "the repository's command ran");
}

#[test]
fn trust_none_refuses_a_repository_only_linter_and_project_binaries() {
    let env = TestEnv::with_files(&[("app.py", "x = 1\n"), (".venv/bin/mypy", "#!/bin/sh\necho pwned\n")]);
    env.write(
        "linters.d/extra.toml",
        "description = \"x\"\nhomepage = \"h\"\nfile_types = [\"python\"]\ncommand = [\"extra\", \"{files}\"]\noutput = { format = \"ruff_json\" }\nversion = { pin = \"1\", command = [\"extra\", \"--version\"], pattern = \"(\\\\S+)\" }\n",
    );
    env.write("lintmux.toml", "enable = [\"extra\", \"mypy\"]\n");
    let out = env.run(&["check", "--format", "json", "--trust", "none"]);
    assert_eq!(code(&out), 2);
    let report = json(&out);
    assert_eq!(
        tool_errors(&report),
        [("extra".into(), "refused".into()), ("mypy".into(), "refused".into())]
    );
}

#[test]
fn a_file_the_repository_extends_is_not_central_below_trust_all() {
    // The repository names a file outside itself (a `git+` file of its own making would do the same) whose
    // linters.d defines a linter: under --trust none that linter is the repository's, and refused.
    let env = TestEnv::with_files(&[("app.py", "x = 1\n")]);
    let ran = env.dir.path().join("ran.txt");
    let tool = env.helper("extra", &format!("#!/bin/sh\ntouch {}\necho 1\n", ran.display()));
    let theirs = env.dir.path().join("theirs");
    std::fs::create_dir_all(theirs.join("linters.d")).unwrap();
    std::fs::write(theirs.join("lintmux.toml"), "").unwrap();
    std::fs::write(
        theirs.join("linters.d/extra.toml"),
        format!(
            "description = \"x\"\nhomepage = \"h\"\nfile_types = [\"python\"]\ncommand = [\"{t}\", \"{{files}}\"]\noutput = {{ format = \"ruff_json\" }}\nversion = {{ pin = \"1\", command = [\"{t}\"], pattern = \"(\\\\S+)\" }}\n",
            t = tool.display()
        ),
    )
    .unwrap();
    env.write(
        "lintmux.toml",
        &format!(
            "extends = [\"{}\"]\nenable = [\"extra\"]\n",
            theirs.join("lintmux.toml").display()
        ),
    );
    let out = env.run(&["check", "--format", "json", "--trust", "none", "--tools", "system"]);
    assert_eq!(
        tool_errors(&json(&out)),
        [("extra".into(), "refused".into())],
        "{}",
        stderr(&out)
    );
    assert!(!ran.exists(), "a definition the repository chose ran under trust none");
}

/// Creates a file whose name is given as bytes (not every name is a Rust string).
fn write_bytes_name(root: &std::path::Path, name: &[u8], content: &str) {
    use std::os::unix::ffi::OsStrExt;
    std::fs::write(root.join(std::ffi::OsStr::from_bytes(name)), content).unwrap();
}

#[test]
fn a_name_with_a_newline_does_not_disable_a_line_based_linter() {
    let env = TestEnv::with_files(&[
        ("good.yaml", "---\nkey: yes\n"),
        ("good.md", "# Title\n\ntrailing space \n"),
        ("lintmux.toml", "enable = [\"yamllint\", \"markdownlint-cli2\"]\n"),
    ]);
    write_bytes_name(&env.root, b"odd\nname.yaml", "---\nother: no\n");
    write_bytes_name(&env.root, b"odd\nname.md", "# Title\n\nmore trailing \n");
    let out = env.run(&["check", "--format", "json"]);
    let report = json(&out);
    assert!(tool_errors(&report).is_empty(), "{report}");
    let keys = finding_keys(&report);
    for path in ["good.yaml", "odd\nname.yaml", "good.md", "odd\nname.md"] {
        assert!(keys.iter().any(|k| k.2 == path), "no finding on {path:?}: {keys:?}");
    }
}

#[test]
fn a_backslash_in_a_name_stays_a_backslash() {
    let env = TestEnv::with_files(&[("a\\b.sh", "#!/bin/sh\necho $1\n")]);
    let report = json(&env.run(&["check", "-l", "shellcheck", "--format", "json"]));
    assert_eq!(
        finding_keys(&report),
        [("shellcheck".into(), "SC2086".into(), "a\\b.sh".into(), 2)]
    );
}

#[test]
fn a_name_that_is_not_utf8_is_reported_not_mangled() {
    let env = TestEnv::with_files(&[("good.py", "import os\n")]);
    write_bytes_name(&env.root, b"bad\xff.py", "import sys\n");
    let out = env.run(&["check", "-l", "ruff", "--format", "json"]);
    let report = json(&out);
    // ruff lints the good file; no phantom E902 for a name that does not exist.
    assert_eq!(
        finding_keys(&report),
        [("ruff".into(), "F401".into(), "good.py".into(), 1)]
    );
    assert_eq!(report["files"]["skipped_bad_name"], 1, "{report}");
    let console = crate::support::stdout(&env.run(&["check", "-l", "ruff"]));
    assert!(
        console.contains("1 file whose name is not UTF-8 skipped (lintmux handles names as text)"),
        "{console}"
    );
}

#[test]
fn a_refused_definition_cannot_change_what_trusted_linters_lint() {
    let env = TestEnv::with_files(&[("app.py", "import os\n"), ("notes.txt", "import sys\n")]);
    env.write(
        "linters.d/extra.toml",
        "description = \"x\"\nhomepage = \"h\"\nfile_types = [\"own\"]\ncommand = [\"extra\", \"{files}\"]\noutput = { format = \"ruff_json\" }\nversion = { pin = \"1\", command = [\"extra\", \"--version\"], pattern = \"(\\\\S+)\" }\n\n[types.python]\nextensions = [\"txt\"]\n\n[types.own]\nextensions = [\"own\"]\n",
    );
    let out = env.run(&["check", "-l", "ruff", "--format", "json", "--trust", "none"]);
    assert_eq!(
        finding_keys(&json(&out)),
        [("ruff".into(), "F401".into(), "app.py".into(), 1)],
        "{}",
        stderr(&out)
    );
}
