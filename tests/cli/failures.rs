//! A linter that is missing, crashes, hangs, fails or prints garbage is a tool error: reported with the
//! tail of its output, the other linters' findings still in full, exit code 2. The failing linters are
//! small helper programs declared in a repository linters.d; shellcheck runs for real beside them.

use crate::support::{TestEnv, code, finding_keys, json, stderr, stdout, tool_errors};

const SHELL_DEFECT: &str = "#!/bin/sh\necho $1\n";

/// A repository with a shell defect (for the real shellcheck) and a python file for the helper linter.
fn env_with_helper(script: Option<&str>, command: &str) -> TestEnv {
    let env = TestEnv::with_files(&[("run.sh", SHELL_DEFECT), ("app.py", "x = 1\n")]);
    let program = match script {
        Some(s) => env.helper("fake-linter", s).display().to_string(),
        None => command.to_owned(),
    };
    env.write(
        "linters.d/fake.toml",
        &format!(
            r#"description = "a helper that misbehaves"
homepage = "https://example.invalid/fake"
file_types = ["python"]
command = ["{program}", "{{files}}"]
output = {{ format = "ruff_json" }}
version = {{ pin = "1.0", command = ["{program}", "--version"], pattern = "^(\\d\\S*)" }}
"#
        ),
    );
    env.write(
        "lintmux.toml",
        "[linters.fake]\ntimeout = 2\n[linters.ruff]\nenabled = false\n[linters.mypy]\nenabled = false\n[linters.detect-secrets]\nenabled = false\n",
    );
    env
}

fn check(env: &TestEnv) -> (i32, serde_json::Value, String) {
    let out = env.run(&["check", "--format", "json"]);
    (code(&out), json(&out), stderr(&out))
}

fn shellcheck_still_reports(report: &serde_json::Value) {
    assert_eq!(
        finding_keys(report),
        [("shellcheck".into(), "SC2086".into(), "run.sh".into(), 2)],
        "the other linter's findings are reported in full"
    );
}

#[test]
fn missing_tool() {
    let env = env_with_helper(None, "lintmux-test-no-such-tool");
    let (code, report, _) = check(&env);
    assert_eq!(code, 2);
    assert_eq!(tool_errors(&report), [("fake".into(), "missing".into())]);
    let msg = report["tool_errors"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("`lintmux-test-no-such-tool` was not found on PATH"),
        "{msg}"
    );
    shellcheck_still_reports(&report);
}

#[test]
fn crashing_tool() {
    let env = env_with_helper(Some("#!/bin/sh\necho 'segfault ahead' >&2\nkill -SEGV $$\n"), "");
    let (code, report, _) = check(&env);
    assert_eq!(code, 2);
    assert_eq!(tool_errors(&report), [("fake".into(), "crashed".into())]);
    assert_eq!(report["tool_errors"][0]["message"], "fake was killed by signal 11");
    assert_eq!(report["tool_errors"][0]["output_tail"], "segfault ahead");
    shellcheck_still_reports(&report);
}

#[test]
fn garbage_output() {
    let env = env_with_helper(Some("#!/bin/sh\necho 'this is not json'\n"), "");
    let (code, report, _) = check(&env);
    assert_eq!(code, 2);
    assert_eq!(tool_errors(&report), [("fake".into(), "bad_output".into())]);
    let msg = report["tool_errors"][0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("fake output could not be read: expected ruff's JSON array"),
        "{msg}"
    );
    assert_eq!(report["tool_errors"][0]["output_tail"], "this is not json");
    shellcheck_still_reports(&report);
}

#[test]
fn failure_exit_code_even_with_valid_output() {
    let env = env_with_helper(Some("#!/bin/sh\necho '[]'\necho 'config exploded' >&2\nexit 7\n"), "");
    let (code, report, _) = check(&env);
    assert_eq!(code, 2);
    assert_eq!(tool_errors(&report), [("fake".into(), "failed".into())]);
    assert_eq!(
        report["tool_errors"][0]["message"],
        "fake exited with status 7, which its definition calls a failure"
    );
    assert_eq!(report["tool_errors"][0]["output_tail"], "config exploded");
    shellcheck_still_reports(&report);
}

#[test]
fn hanging_tool_is_stopped_at_its_timeout_with_its_children() {
    // The helper starts a child that records its pid beside the helper, then both sleep.
    let script = "#!/bin/sh\nsh -c 'echo $$ > \"$(dirname \"$0\")/child.pid\"; exec sleep 300' \"$0\" &\nsleep 300\n";
    let env = env_with_helper(Some(script), "");
    let (code, report, _) = check(&env);
    assert_eq!(code, 2);
    assert_eq!(tool_errors(&report), [("fake".into(), "timeout".into())]);
    assert_eq!(
        report["tool_errors"][0]["message"],
        "fake ran longer than its timeout of 2s and was stopped"
    );
    shellcheck_still_reports(&report);
    let pidfile = env.dir.path().join("helpers/child.pid");
    let pid = std::fs::read_to_string(&pidfile).expect("the helper's child wrote its pid");
    let stat = format!("/proc/{}/stat", pid.trim());
    let alive = || std::fs::read_to_string(&stat).is_ok_and(|s| !s.contains(") Z "));
    for _ in 0..100 {
        if !alive() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the hanging linter's child process {} survived", pid.trim());
}

#[test]
fn tool_errors_are_shown_in_the_console_report() {
    let env = env_with_helper(
        Some("#!/bin/sh\necho 'line one' >&2\necho 'line two' >&2\nexit 9\n"),
        "",
    );
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 2);
    let text = stdout(&out);
    assert!(
        text.contains(
            "fake               failed  1 file, no findings\n    error: fake exited with status 9 (expected ruff's JSON array: EOF while parsing a value at line 1 column 0)\n    | line one\n    | line two\n"
        ),
        "{text}"
    );
    assert!(text.contains("run.sh\n      2:6  note"), "{text}");
    assert!(
        text.ends_with("1 finding (1 note) in 4 files, 1 tool error\n"),
        "{text}"
    );
}

#[test]
fn ctrl_c_stops_every_running_linter_and_exits_130() {
    let script = "#!/bin/sh\nsh -c 'echo $$ > \"$(dirname \"$0\")/child.pid\"; exec sleep 300' \"$0\" &\nsleep 300\n";
    let env = env_with_helper(Some(script), "");
    env.write(
        "lintmux.toml",
        "[linters.ruff]\nenabled = false\n[linters.mypy]\nenabled = false\n[linters.detect-secrets]\nenabled = false\n",
    );
    let child = env
        .std_cmd()
        .args(["check", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pidfile = env.dir.path().join("helpers/child.pid");
    for _ in 0..500 {
        if std::fs::read_to_string(&pidfile).is_ok_and(|s| !s.trim().is_empty()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the partial report is written");
    let errors = tool_errors(&report);
    assert!(errors.contains(&("fake".into(), "cancelled".into())), "{errors:?}");
    // shellcheck either finished before the interrupt (and its findings are in the report) or was
    // stopped too; it never vanishes silently.
    if !errors.contains(&("shellcheck".into(), "cancelled".into())) {
        shellcheck_still_reports(&report);
    }
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    let stat = format!("/proc/{}/stat", pid.trim());
    for _ in 0..100 {
        if !std::fs::read_to_string(&stat).is_ok_and(|s| !s.contains(") Z ")) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the linter's child {} survived Ctrl-C", pid.trim());
}
