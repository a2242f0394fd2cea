//! The engine's promises about child processes: a linter that leaves a `setsid` daemon behind cannot keep
//! the run waiting or hide its output, and leaves no process behind; helper processes (git, the container
//! engine) have timeouts and stop at Ctrl-C; a definition that names an unknown file type is an error at
//! its `file:line:col`. The misbehaving programs are small helper scripts.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{TestEnv, code, json, stderr, tool_errors};

/// A repository with one python file and the helper linter `fake` (the script at `program`).
fn env_with(script: &str, timeout: u64) -> TestEnv {
    let env = TestEnv::with_files(&[("app.py", "x = 1\n")]);
    let program = env.helper("fake-linter", script).display().to_string();
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
        &format!("enable = [\"fake\"]\n[linters.fake]\ntimeout = {timeout}\n"),
    );
    env
}

/// Waits (up to 10 s) for a pid file the helper writes.
fn read_pid(path: &Path) -> String {
    for _ in 0..500 {
        if let Ok(s) = std::fs::read_to_string(path)
            && !s.trim().is_empty()
        {
            return s.trim().to_owned();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the helper never wrote {}", path.display());
}

fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| !s.contains(") Z "))
}

fn assert_gone(pid: &str, what: &str) {
    for _ in 0..100 {
        if !alive(pid) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{what} (pid {pid}) survived");
}

/// A linter that starts a daemon (`setsid`, holding stdout) which records its pid beside the helper.
const DAEMON: &str = "[ \"$1\" = --version ] && { echo 1.0; exit 0; }\nsetsid sh -c 'echo $$ > \"$(dirname \"$0\")/daemon.pid\"; exec sleep 300' \"$0\" &\nsleep 0.3\n";

#[test]
fn a_hanging_linter_with_a_setsid_daemon_ends_at_its_timeout_and_leaves_nothing() {
    let env = env_with(&format!("#!/bin/sh\n{DAEMON}sleep 300\n"), 3);
    let started = Instant::now();
    let out = env.run(&["check", "--format", "json"]);
    let took = started.elapsed();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(tool_errors(&json(&out)), [("fake".into(), "timeout".into())]);
    assert!(took < Duration::from_secs(3 + 8), "the run took {took:?}");
    let pid = read_pid(&env.dir.path().join("helpers/daemon.pid"));
    assert_gone(&pid, "the daemon the linter left");
}

#[test]
fn a_linter_that_exits_leaving_a_daemon_on_its_output_is_not_ok() {
    // It prints a clean result and exits at once, but its daemon still holds stdout: lintmux cannot know
    // what the daemon would have added, so it is a tool error, at once, and the daemon is gone.
    let env = env_with(&format!("#!/bin/sh\n{DAEMON}echo '[]'\n"), 60);
    let started = Instant::now();
    let out = env.run(&["check", "--format", "json"]);
    let took = started.elapsed();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(tool_errors(&report), [("fake".into(), "bad_output".into())]);
    let message = report["tool_errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("kept its output open"), "{message}");
    assert!(took < Duration::from_secs(20), "the run took {took:?}");
    let pid = read_pid(&env.dir.path().join("helpers/daemon.pid"));
    assert_gone(&pid, "the daemon the linter left");
}

#[test]
fn sigterm_during_such_a_job_ends_the_run_at_once() {
    let env = env_with(&format!("#!/bin/sh\n{DAEMON}sleep 300\n"), 600);
    let child = env
        .std_cmd()
        .args(["check", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = read_pid(&env.dir.path().join("helpers/daemon.pid"));
    let started = Instant::now();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the partial report is written");
    assert_eq!(tool_errors(&report), [("fake".into(), "cancelled".into())]);
    assert_gone(&pid, "the daemon");
}

#[test]
fn an_unknown_file_type_in_a_definition_is_an_error_at_its_place() {
    let env = TestEnv::with_files(&[("app.py", "x = 1\n")]);
    env.write(
        "linters.d/typo.toml",
        "description = \"x\"\nhomepage = \"h\"\nfile_types = [\"python\", \"pyhton\"]\ncommand = [\"x\", \"{files}\"]\noutput = { format = \"ruff_json\" }\nversion = { pin = \"1\", command = [\"x\", \"--version\"], pattern = \"(\\\\S+)\" }\n",
    );
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.starts_with("lintmux: invalid linter definition "), "{err}");
    assert!(
        err.contains("linters.d/typo.toml:3:25: unknown file type `pyhton`; known types: compose, css, dependabot, dockerfile, github-action, github-workflow, gitlab-ci, javascript, json, markdown, python, readthedocs, renovate, shell, text, toml, typescript, yaml"),
        "{err}"
    );
    assert!(
        err.contains("  3 | file_types = [\"python\", \"pyhton\"]\n    |                         ^^^^^^^^"),
        "{err}"
    );
}

#[test]
fn a_definition_can_declare_a_file_type() {
    let env = TestEnv::with_files(&[("notes/a.todo", "x\n"), ("app.py", "x = 1\n")]);
    env.write(
        "linters.d/todo.toml",
        "description = \"x\"\nhomepage = \"h\"\nfile_types = [\"todo\"]\ncommand = [\"x\", \"{files}\"]\noutput = { format = \"ruff_json\" }\nversion = { pin = \"1\", command = [\"x\", \"--version\"], pattern = \"(\\\\S+)\" }\n\n[types.todo]\nextensions = [\"todo\"]\n",
    );
    let out = env.run(&["detect", "--files"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = crate::support::stdout(&out);
    assert!(
        text.contains("notes/a.todo\ttodo\tname matches *.todo\ttodo\n"),
        "{text}"
    );
    let out = crate::support::stdout(&env.run(&["detect"]));
    assert!(
        out.contains("todo                 1 files  linted by todo  (type declared by "),
        "{out}"
    );
}

/// A directory holding a fake program `name` that records its pid and hangs.
fn hanging_program(env: &TestEnv, name: &str, script: &str) -> std::path::PathBuf {
    let dir = env.dir.path().join("fakebin");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// Sends SIGINT to a running lintmux once `pidfile` says its hanging helper started; checks that it exits
/// 130 at once and that the helper is gone.
fn interrupt(mut cmd: std::process::Command, pidfile: &Path, what: &str) {
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = read_pid(pidfile);
    let started = Instant::now();
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert_gone(&pid, what);
}

fn path_with(dir: &Path) -> String {
    format!("{}:{}", dir.display(), std::env::var("PATH").unwrap_or_default())
}

#[test]
fn a_hanging_git_is_stopped_at_its_timeout_and_at_ctrl_c() {
    let env = TestEnv::with_files(&[("app.py", "x = 1\n")]);
    let pidfile = env.dir.path().join("git.pid");
    let dir = hanging_program(
        &env,
        "git",
        &format!("#!/bin/sh\necho $$ > {}\nexec sleep 300\n", pidfile.display()),
    );
    let started = Instant::now();
    let out = env
        .cmd()
        .env("PATH", path_with(&dir))
        .env("LINTMUX_HELPER_TIMEOUT", "2")
        .args(["check", "-l", "ruff", "--changed", "HEAD"])
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("did not finish within 2s and was stopped"),
        "{}",
        stderr(&out)
    );
    assert_gone(&read_pid(&pidfile), "the hanging git");

    std::fs::remove_file(&pidfile).unwrap();
    let mut cmd = env.std_cmd();
    cmd.env("PATH", path_with(&dir))
        .args(["check", "-l", "ruff", "--changed", "HEAD"]);
    interrupt(cmd, &pidfile, "the hanging git");
}

#[test]
fn a_hanging_image_pull_is_stopped_at_its_timeout_and_at_ctrl_c() {
    let env = TestEnv::with_files(&[("run.sh", "#!/bin/sh\necho \"$1\"\n")]);
    let pidfile = env.dir.path().join("pull.pid");
    // A fake engine: `info` works, no image is present, and `pull` hangs.
    let dir = hanging_program(
        &env,
        "podman",
        &format!(
            "#!/bin/sh\ncase \"$1\" in\n  info) exit 0 ;;\n  pull) echo $$ > {}; exec sleep 300 ;;\n  *) exit 1 ;;\nesac\n",
            pidfile.display()
        ),
    );
    let engine = dir.join("podman");
    env.write("lintmux.toml", "[linters.shellcheck]\nrunner = \"container\"\n");
    let started = Instant::now();
    let out = env
        .cmd()
        .env("LINTMUX_CONTAINER_ENGINE", &engine)
        .env("LINTMUX_HELPER_TIMEOUT", "2")
        .args(["check", "-l", "shellcheck", "--format", "json"])
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(tool_errors(&report), [("shellcheck".into(), "missing".into())]);
    let message = report["tool_errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("`podman pull` failed: it did not finish within 2s"),
        "{message}"
    );
    assert_gone(&read_pid(&pidfile), "the hanging pull");

    std::fs::remove_file(&pidfile).unwrap();
    let mut cmd = env.std_cmd();
    cmd.env("LINTMUX_CONTAINER_ENGINE", &engine)
        .args(["check", "-l", "shellcheck", "--format", "json"]);
    interrupt(cmd, &pidfile, "the hanging pull");
}
