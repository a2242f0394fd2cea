//! Pinned tools installed on demand: into the cache, once, atomically, under a lock.

use std::process::Stdio;

use crate::support::{TestEnv, code, finding_keys, json, stderr, stdout};

const SHELL_DEFECT: &str = "#!/bin/sh\necho $1\n";

fn tool_dirs(env: &TestEnv) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(env.cache.join("tools")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn check_installs_into_an_empty_cache_and_runs() {
    // The secret scanner, which lints every text file, and taplo (lintmux.toml is TOML) are off here:
    // this installs one tool.
    let env = TestEnv::with_files(&[
        ("run.sh", SHELL_DEFECT),
        (
            "lintmux.toml",
            "[linters.detect-secrets]\nenabled = false\n[linters.taplo]\nenabled = false\n",
        ),
    ])
    .with_own_cache();
    let out = env.run(&["check", "--format", "json", "--fail-on", "never"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("lintmux: installing shellcheck"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        finding_keys(&json(&out)),
        [("shellcheck".into(), "SC2086".into(), "run.sh".into(), 2)]
    );
    let dirs = tool_dirs(&env);
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    assert!(dirs[0].starts_with("shellcheck-0.11.0-"), "{dirs:?}");
}

#[test]
fn no_install_reports_the_command_to_fix_it() {
    let env = TestEnv::with_files(&[
        ("run.sh", SHELL_DEFECT),
        ("lintmux.toml", "[linters.detect-secrets]\nenabled = false\n"),
    ])
    .with_own_cache();
    let out = env.run(&["check", "--format", "json", "--no-install"]);
    assert_eq!(code(&out), 2);
    let report = json(&out);
    assert_eq!(
        report["tool_errors"][0]["message"],
        "shellcheck 0.11.0 is not installed: run `lintmux install shellcheck` (or run without --no-install)"
    );
    assert!(tool_dirs(&env).is_empty());
}

#[test]
fn two_concurrent_installs_do_one_install_and_both_succeed() {
    let env = TestEnv::new().with_own_cache();
    let spawn = || {
        env.std_cmd()
            .args(["install", "shellcheck"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn lintmux")
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert_eq!((code(&a), code(&b)), (0, 0), "{}\n{}", stderr(&a), stderr(&b));
    let said = format!("{}{}", stderr(&a), stderr(&b));
    assert_eq!(said.matches("installed shellcheck 0.11.0").count(), 1, "{said}");
    assert_eq!(said.matches("shellcheck 0.11.0 already installed").count(), 1, "{said}");
    assert_eq!(tool_dirs(&env).len(), 1);
}

#[test]
fn an_install_killed_half_way_is_redone() {
    let env = TestEnv::new().with_own_cache();
    let mut child = env
        .std_cmd()
        .args(["install", "yamllint"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the install directory exists (the venv is being made), then kill lintmux.
    let tools = env.cache.join("tools");
    for _ in 0..600 {
        if tool_dirs(&env).iter().any(|d| d.starts_with("yamllint-")) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let dir = tools.join(&tool_dirs(&env)[0]);
    assert!(
        !dir.join(".lintmux-installed").exists(),
        "the killed install must not look complete"
    );
    env.write("config.yaml", "key: yes\n");
    let out = env.run(&["check", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(dir.join(".lintmux-installed").exists());
    assert!(finding_keys(&json(&out)).iter().any(|k| k.1 == "truthy"));
}

#[test]
fn a_package_that_does_not_exist_fails_clearly_and_leaves_nothing() {
    let env = TestEnv::new().with_own_cache();
    env.write(
        "linters.d/ghost.toml",
        r#"description = "a tool whose package does not exist"
homepage = "https://example.invalid/ghost"
file_types = ["python"]
command = ["ghost", "{files}"]
output = { format = "ruff_json" }
version = { pin = "0.0.1", command = ["ghost", "--version"], pattern = "(\\S+)" }

[install]
pypi = ["lintmux-test-package-that-does-not-exist==0.0.1"]
"#,
    );
    let out = env.run(&["install", "ghost"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("failed to install ghost (lintmux-test-package-that-does-not-exist==0.0.1): pip install failed with status 1"),
        "{err}"
    );
    assert!(err.contains("(full log: "), "{err}");
    assert!(
        tool_dirs(&env).is_empty(),
        "nothing half-written: {:?}",
        tool_dirs(&env)
    );
}

#[test]
fn a_tool_in_the_projects_node_modules_wins() {
    let env = TestEnv::with_files(&[("src/app.ts", "export const x = 1;\n")]);
    let script = "#!/bin/sh\nif [ \"$1\" = --version ]; then echo v9.99.0; exit 0; fi\necho '[{\"filePath\":\"src/app.ts\",\"messages\":[{\"ruleId\":\"project-rule\",\"severity\":2,\"message\":\"from the project eslint\",\"line\":1,\"column\":1}]}]'\n";
    env.write("node_modules/.bin/eslint", script);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        env.root.join("node_modules/.bin/eslint"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    env.write(".gitignore", "node_modules/\n");
    env.write("eslint.config.mjs", "export default [];\n");
    let report = json(&env.run(&["check", "--format", "json", "--linters", "eslint"]));
    assert_eq!(
        finding_keys(&report),
        [("eslint".into(), "project-rule".into(), "src/app.ts".into(), 1)]
    );
    assert_eq!(report["linters"][0]["version"], "9.99.0");
    let listed = stdout(&env.run(&["linters"]));
    assert!(
        listed.contains("node_modules/.bin/eslint (project), version 9.99.0  (differs from the pin 10.15.0)"),
        "{listed}"
    );
}

#[test]
fn tools_system_in_the_config_takes_the_tool_from_path() {
    let env = TestEnv::with_files(&[("run.sh", SHELL_DEFECT), ("lintmux.toml", "tools = \"system\"\n")]);
    let bin = env.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let fake = env.helper("shellcheck", "#!/bin/sh\necho '{\"comments\":[{\"file\":\"run.sh\",\"line\":1,\"column\":1,\"level\":\"error\",\"code\":1234,\"message\":\"from PATH\"}]}'\nexit 1\n");
    std::fs::rename(&fake, bin.join("shellcheck")).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = env
        .cmd()
        .env("PATH", path)
        .args(["check", "--format", "json", "--linters", "shellcheck"])
        .output()
        .unwrap();
    assert_eq!(
        finding_keys(&json(&out)),
        [("shellcheck".into(), "SC1234".into(), "run.sh".into(), 1)]
    );
}

#[test]
fn a_project_with_a_venv_must_bring_its_own_mypy() {
    let env = TestEnv::with_files(&[("app.py", "x: int = 1\n"), (".gitignore", ".venv/\n")]);
    std::fs::create_dir_all(env.root.join(".venv/bin")).unwrap();
    let report = json(&env.run(&["check", "--format", "json", "--linters", "mypy"]));
    assert_eq!(report["tool_errors"][0]["kind"], "missing");
    let msg = report["tool_errors"][0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("the project has .venv, so mypy must come from the project"),
        "{msg}"
    );
    assert!(msg.ends_with("install mypy 2.4.1 into it"), "{msg}");
}
