//! Linters in containers, with real engines (podman and Docker; no mock). No image can be pulled on
//! these machines, so the tests build small images `FROM scratch` holding the static shellcheck and
//! hadolint binaries of lintmux's pinned installs, and refer to them pinned: by digest on podman, by image
//! ID on Docker (a local Docker build has no registry digest). Every test runs once per working engine.
//!
//! An engine that is missing, does not answer, or is installed but cannot start a container (runc's
//! "error setting rlimits", say) is reported as NOT RUN with the engine's own error and the fix; with
//! `LINTMUX_REQUIRE_CONTAINERS=1` (set by .ci/run) both engines must work, and any that does not fails
//! every test.

use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::support::{TestEnv, code, json, manifest_dir, pinned_binary, stderr, stdout, tool_errors};

/// A working engine and the test images built with it.
struct Engine {
    name: &'static str,
    shellcheck: String,
    hadolint: String,
}

impl Engine {
    fn cmd(&self) -> Command {
        let mut cmd = Command::new(self.name);
        if self.name == "docker" {
            // The legacy builder builds FROM scratch offline; BuildKit would want its own image.
            cmd.env("DOCKER_BUILDKIT", "0");
        }
        cmd
    }

    /// `lintmux` in `env` with this engine chosen.
    fn run(&self, env: &TestEnv, args: &[&str]) -> Output {
        env.cmd()
            .env("LINTMUX_CONTAINER_ENGINE", self.name)
            .args(args)
            .output()
            .expect("lintmux runs")
    }

    fn containers_named(&self, marker: &str) -> Vec<String> {
        let out = self
            .cmd()
            .args(["ps", "-a", "--no-trunc", "--format", "{{.Names}} {{.Command}}"])
            .output()
            .expect("engine runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains(marker))
            .map(str::to_owned)
            .collect()
    }
}

/// How to make an engine work on these machines.
fn fix(name: &str) -> &'static str {
    if name == "docker" {
        "run `bash .ci/setup-docker` (root, Debian) and export the DOCKER_HOST it prints"
    } else {
        "run `bash .ci/setup-podman` (root, Debian): it installs podman and runc and keeps the default ulimits within the machine's hard limits"
    }
}

fn last_lines(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" / ")
}

/// Builds `localhost/lintmux-test/<tool>` from tests/images with `engine` and returns a pinned reference.
fn build_image(engine: &Engine, tool: &str) -> Result<String, String> {
    let ctx = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    std::fs::copy(pinned_binary(tool), ctx.path().join(tool)).map_err(|e| format!("copy {tool}: {e}"))?;
    let name = format!("localhost/lintmux-test/{tool}");
    let containerfile = manifest_dir().join(format!("tests/images/Containerfile.{tool}"));
    let mut build = engine.cmd();
    build.arg("build").arg("--quiet");
    if engine.name == "podman" {
        build.args(["--pull=never", "--timestamp", "0"]);
    }
    let out = build
        .arg("-f")
        .arg(&containerfile)
        .args(["-t", &format!("{name}:test")])
        .arg(ctx.path())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", engine.name))?;
    if !out.status.success() {
        return Err(format!("`{} build` failed: {}", engine.name, last_lines(&out.stderr)));
    }
    // podman: the manifest digest, usable as <name>@<digest>; docker: the image ID, usable on its own.
    let format = if engine.name == "podman" {
        "{{.Digest}}"
    } else {
        "{{.Id}}"
    };
    let out = engine
        .cmd()
        .args(["image", "inspect", "--format", format, &format!("{name}:test")])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", engine.name))?;
    let digest = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !digest.starts_with("sha256:") {
        return Err(format!("no digest for {name}: {digest} {}", last_lines(&out.stderr)));
    }
    Ok(if engine.name == "podman" {
        format!("{name}@{digest}")
    } else {
        digest
    })
}

/// Makes `name` ready: it answers, builds the test images, and starts a container from one of them.
fn probe(name: &'static str) -> Result<Engine, String> {
    let mut engine = Engine {
        name,
        shellcheck: String::new(),
        hadolint: String::new(),
    };
    let info = engine
        .cmd()
        .arg("info")
        .output()
        .map_err(|e| format!("{name} is not installed ({e})"))?;
    if !info.status.success() {
        return Err(format!("`{name} info` fails: {}", last_lines(&info.stderr)));
    }
    engine.shellcheck = build_image(&engine, "shellcheck")?;
    let out = engine
        .cmd()
        .args(["run", "--rm", "--network=none", "--read-only", &engine.shellcheck])
        .args(["shellcheck", "--version"])
        .output()
        .map_err(|e| format!("cannot run {name}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{name} is installed but cannot start a container (exit {}): {}",
            code(&out),
            last_lines(&out.stderr)
        ));
    }
    engine.hadolint = build_image(&engine, "hadolint")?;
    Ok(engine)
}

/// The engines the container tests run on; the others are reported as NOT RUN (once per test), or fail
/// the test when `LINTMUX_REQUIRE_CONTAINERS=1`.
fn engines() -> Vec<&'static Engine> {
    static PROBED: OnceLock<Vec<Result<Engine, (&'static str, String)>>> = OnceLock::new();
    let probed = PROBED.get_or_init(|| {
        ["podman", "docker"]
            .into_iter()
            .map(|name| probe(name).map_err(|why| (name, why)))
            .collect()
    });
    let required = std::env::var("LINTMUX_REQUIRE_CONTAINERS").is_ok_and(|v| v == "1");
    let mut working = Vec::new();
    for result in probed {
        match result {
            Ok(engine) => working.push(engine),
            Err((name, why)) if required => {
                panic!(
                    "{why}\nLINTMUX_REQUIRE_CONTAINERS=1 needs podman and docker: {}",
                    fix(name)
                )
            }
            Err((name, why)) => eprintln!("NOT RUN on {name}: {why}\nto run these tests on {name}, {}", fix(name)),
        }
    }
    working
}

fn container_config(engine: &Engine, extra: &str) -> String {
    format!(
        "[linters.shellcheck]\nrunner = \"container\"\nimage = \"{}\"\n\n[linters.hadolint]\nrunner = \"container\"\nimage = \"{}\"\n{extra}",
        engine.shellcheck, engine.hadolint
    )
}

#[test]
fn container_results_equal_local_results() {
    let engines = engines();
    if engines.is_empty() {
        return;
    }
    let env = TestEnv::example("polyglot-service");
    let args = [
        "check",
        "--format",
        "json",
        "--no-cache",
        "--linters",
        "shellcheck,hadolint",
    ];
    let local = json(&env.run(&args));
    assert!(!local["findings"].as_array().unwrap().is_empty());
    for engine in engines {
        env.write("lintmux.toml", &container_config(engine, ""));
        let out = engine.run(&env, &args);
        let contained = json(&out);
        let name = engine.name;
        assert_eq!(
            contained["tool_errors"],
            serde_json::json!([]),
            "{name}: {}",
            stderr(&out)
        );
        assert_eq!(contained["findings"], local["findings"], "{name}: paths included");
        assert_eq!(
            contained["linters"][1]["version"], "0.11.0",
            "{name}: read in the container"
        );
        assert_eq!(contained["linters"][1]["engine"], name, "the report names the engine");
        assert!(local["linters"][1].get("engine").is_none(), "and only for a container");
        // --runner container does the same for every linter that has an image.
        env.write(
            "lintmux.toml",
            &format!(
                "[linters.shellcheck]\nimage = \"{}\"\n[linters.hadolint]\nimage = \"{}\"\n",
                engine.shellcheck, engine.hadolint
            ),
        );
        let mut runner_args = args.to_vec();
        runner_args.extend(["--runner", "container"]);
        assert_eq!(
            json(&engine.run(&env, &runner_args))["findings"],
            local["findings"],
            "{name}: --runner container"
        );
    }
}

#[test]
fn an_image_given_by_tag_alone_is_refused() {
    let env = TestEnv::with_files(&[
        ("run.sh", "#!/bin/sh\necho $1\n"),
        (
            "lintmux.toml",
            "[linters.shellcheck]\nrunner = \"container\"\nimage = \"docker.io/koalaman/shellcheck:v0.11.0\"\n",
        ),
    ]);
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "lintmux: invalid configuration lintmux.toml:3:9: image `docker.io/koalaman/shellcheck:v0.11.0` is not pinned by digest: write `<name>@sha256:<digest>` so every machine runs the same build, or set allow_unpinned = true\n    |\n  3 | image = \"docker.io/koalaman/shellcheck:v0.11.0\"\n    |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    );
    env.write(
        "lintmux.toml",
        "[linters.shellcheck]\nrunner = \"container\"\nimage = \"docker.io/koalaman/shellcheck:v0.11.0\"\nallow_unpinned = true\n",
    );
    assert_eq!(code(&env.run(&["config"])), 0, "allow_unpinned accepts it");
    // A bare image ID is content-addressed, so it is pinned too (Docker's only pin for a local build).
    env.write(
        "lintmux.toml",
        &format!(
            "[linters.shellcheck]\nrunner = \"container\"\nimage = \"sha256:{}\"\n",
            "a".repeat(64)
        ),
    );
    assert_eq!(code(&env.run(&["config"])), 0, "an image ID is accepted");
}

#[test]
fn a_missing_image_is_a_tool_error_for_that_linter_only() {
    let engines = engines();
    if engines.is_empty() {
        return;
    }
    let env = TestEnv::example("polyglot-service");
    env.write(
        "lintmux.toml",
        &format!(
            "[linters.shellcheck]\nrunner = \"container\"\nimage = \"docker.io/library/lintmux-test-absent@sha256:{}\"\n",
            "0".repeat(64)
        ),
    );
    for engine in engines {
        let name = engine.name;
        let out = engine.run(&env, &["check", "--format", "json", "--linters", "shellcheck,hadolint"]);
        assert_eq!(code(&out), 2, "{name}");
        let report = json(&out);
        assert_eq!(
            tool_errors(&report),
            [("shellcheck".into(), "missing".into())],
            "{name}"
        );
        let msg = report["tool_errors"][0]["message"].as_str().unwrap();
        assert!(
            msg.contains(&format!("is not present and `{name} pull` failed")),
            "{msg}"
        );
        let hadolint: Vec<_> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["linter"] == "hadolint")
            .collect();
        assert!(!hadolint.is_empty(), "{name}: the other linter still reports");
    }
}

#[test]
fn a_timeout_stops_the_container_not_just_the_client() {
    let engines = engines();
    if engines.is_empty() {
        return;
    }
    for engine in engines {
        let name = engine.name;
        let env = TestEnv::with_files(&[("run.sh", "#!/bin/sh\necho \"$1\"\n")]);
        // shellcheck reading a FIFO whose writer (this test) never writes waits forever.
        let fifo_dir = env.root.join("hang-fifo");
        std::fs::create_dir_all(&fifo_dir).unwrap();
        let pipe = fifo_dir.join("pipe");
        let status = Command::new("mkfifo").arg(&pipe).status().expect("mkfifo");
        assert!(status.success());
        let mut writer = Command::new("sh")
            .arg("-c")
            .arg(format!("exec 3>'{}'; sleep 120", pipe.display()))
            .spawn()
            .expect("sh");
        env.write(
            "linters.d/hang.toml",
            r#"description = "shellcheck reading a FIFO that nobody writes"
homepage = "https://example.invalid/hang"
file_types = ["shell"]
command = ["shellcheck", "--format", "json1", "hang-fifo/pipe", "{files}"]
output = { format = "shellcheck_json1" }
version = { pin = "0.11.0", command = ["shellcheck", "--version"], pattern = "version: (\\S+)" }
"#,
        );
        env.write(
            "lintmux.toml",
            &format!(
                "enable = [\"hang\"]\n[linters.hang]\nrunner = \"container\"\nimage = \"{}\"\ntimeout = 3\n",
                engine.shellcheck
            ),
        );
        let out = engine.run(&env, &["check", "--format", "json", "--no-cache"]);
        let _ = writer.kill();
        let _ = writer.wait();
        assert_eq!(code(&out), 2, "{name}: {}", stdout(&out));
        assert_eq!(tool_errors(&json(&out)), [("hang".into(), "timeout".into())], "{name}");
        let left = engine.containers_named("hang-fifo/pipe");
        assert!(left.is_empty(), "{name}: containers left running: {left:?}");
    }
}

#[test]
fn linters_shows_the_engine_and_images() {
    let engines = engines();
    if engines.is_empty() {
        return;
    }
    for engine in engines {
        let name = engine.name;
        let env = TestEnv::with_files(&[(
            "lintmux.toml",
            &format!(
                "[linters.shellcheck]\nrunner = \"container\"\nimage = \"{}\"\n",
                engine.shellcheck
            ),
        )]);
        let out = stdout(&engine.run(&env, &["linters"]));
        assert!(out.starts_with(&format!("container engine: {name} (")), "{out}");
        assert!(
            out.contains(&format!(
                "    image:   {} (present locally); runner container, in {name}\n",
                engine.shellcheck
            )),
            "{name}: {out}"
        );
        // hadolint keeps its definition's official image, which cannot be present here.
        assert!(
            out.contains("    image:   docker.io/hadolint/hadolint:v2.15.1@sha256:32dac94127fd60b7b7e3fbfc65e1383b9b5e25c9bfd7b8536de7a539fe68a12d (not present locally; pulled on first use); runner local\n"),
            "{name}: {out}"
        );
    }
}

/// A containers.conf like the machine's, with a default open-files limit no process may have (above the
/// kernel's fs.nr_open, so not even root): podman then cannot start any container, as on a machine whose
/// hard limits are below podman's defaults.
fn broken_podman_conf(dir: &std::path::Path) -> std::path::PathBuf {
    let nr_open: u64 = std::fs::read_to_string("/proc/sys/fs/nr_open")
        .expect("/proc/sys/fs/nr_open")
        .trim()
        .parse()
        .expect("a number");
    let ulimits = format!("default_ulimits = [\"nofile={0}:{0}\"]", nr_open + 1);
    let system = std::fs::read_to_string("/etc/containers/containers.conf").unwrap_or_default();
    let mut conf: Vec<String> = system
        .lines()
        .filter(|l| !l.trim_start().starts_with("default_ulimits"))
        .map(str::to_owned)
        .collect();
    match conf.iter().position(|l| l.trim() == "[containers]") {
        Some(i) => conf.insert(i + 1, ulimits),
        None => conf.extend(["[containers]".to_owned(), ulimits]),
    }
    let path = dir.join("containers.conf");
    std::fs::write(&path, conf.join("\n") + "\n").unwrap();
    path
}

#[test]
fn an_engine_that_cannot_start_containers_is_reported_once() {
    let Some(podman) = engines().into_iter().find(|e| e.name == "podman") else {
        eprintln!("NOT RUN: needs a working podman to break");
        return;
    };
    let env = TestEnv::example("polyglot-service");
    env.write("lintmux.toml", &container_config(podman, ""));
    let conf = broken_podman_conf(env.dir.path());
    let out = env
        .cmd()
        .env("LINTMUX_CONTAINER_ENGINE", "podman")
        .env("CONTAINERS_CONF", &conf)
        .args([
            "check",
            "--format",
            "json",
            "--no-cache",
            "--linters",
            "shellcheck,hadolint",
        ])
        .output()
        .expect("lintmux runs");
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        tool_errors(&report),
        [
            ("hadolint".into(), "spawn".into()),
            ("shellcheck".into(), "spawn".into())
        ],
        "one error per linter stopped, not one per job"
    );
    let first = report["tool_errors"][0]["message"].as_str().unwrap();
    assert!(first.contains("podman cannot start a container: "), "{first}");
    assert!(
        first.contains("error setting rlimit"),
        "the engine's own words: {first}"
    );
    assert!(
        first.contains("default_ulimits in /etc/containers/containers.conf"),
        "the fix: {first}"
    );
    assert!(first.ends_with("(so hadolint, shellcheck did not run)"), "{first}");
    assert_eq!(
        report["tool_errors"][1]["message"],
        "not run: podman cannot start a container (the engine's error is reported for hadolint)"
    );
    assert_eq!(report["linters"][0]["engine"], "podman");
}

#[test]
fn an_image_without_the_tool_is_that_linters_error_not_the_engines() {
    let engines = engines();
    if engines.is_empty() {
        return;
    }
    for engine in engines {
        let name = engine.name;
        let env = TestEnv::example("polyglot-service");
        // hadolint pointed at the shellcheck image: the container starts, its entrypoint is missing.
        env.write(
            "lintmux.toml",
            &format!(
                "[linters.shellcheck]\nrunner = \"container\"\nimage = \"{0}\"\n[linters.hadolint]\nrunner = \"container\"\nimage = \"{0}\"\n",
                engine.shellcheck
            ),
        );
        let out = engine.run(
            &env,
            &[
                "check",
                "--format",
                "json",
                "--no-cache",
                "--linters",
                "shellcheck,hadolint",
            ],
        );
        assert_eq!(code(&out), 2, "{name}: {}", stderr(&out));
        let report = json(&out);
        let errors = tool_errors(&report);
        assert_eq!(errors.len(), 1, "{name}: {errors:?}");
        assert_eq!(errors[0].0, "hadolint", "{name}");
        let msg = report["tool_errors"][0]["message"].as_str().unwrap();
        assert!(
            !msg.contains("cannot start a container"),
            "{name}: not the engine's fault: {msg}"
        );
        assert!(
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["linter"] == "shellcheck"),
            "{name}: shellcheck still reports"
        );
    }
}
