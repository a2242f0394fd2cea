//! Linters in containers, with a real engine (podman here; no mock). No image can be pulled on these
//! machines, so the tests build small images `FROM scratch` holding the static shellcheck and hadolint
//! binaries of lintmux's pinned installs, and refer to them by digest.
//!
//! Without an engine these tests say so and stop; with `LINTMUX_REQUIRE_CONTAINERS=1` (set by .ci/run)
//! a missing engine fails them.

use std::process::Command;
use std::sync::OnceLock;

use crate::support::{TestEnv, code, json, manifest_dir, pinned_binary, stderr, stdout, tool_errors};

fn podman_works() -> bool {
    Command::new("podman")
        .arg("info")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `true` when the container tests can run; panics when they must and cannot.
fn engine() -> bool {
    if podman_works() {
        return true;
    }
    if std::env::var("LINTMUX_REQUIRE_CONTAINERS").is_ok_and(|v| v == "1") {
        panic!(
            "podman does not work here, and LINTMUX_REQUIRE_CONTAINERS=1: run `bash .ci/setup-podman` (root, Debian)"
        );
    }
    eprintln!("NOT RUN: no working podman; run `bash .ci/setup-podman` to run the container tests");
    false
}

/// Builds `localhost/lintmux-test/<tool>` from tests/images and returns it pinned by digest.
fn build_image(tool: &str) -> String {
    let ctx = tempfile::tempdir().unwrap();
    std::fs::copy(pinned_binary(tool), ctx.path().join(tool)).unwrap();
    let name = format!("localhost/lintmux-test/{tool}");
    let containerfile = manifest_dir().join(format!("tests/images/Containerfile.{tool}"));
    let out = Command::new("podman")
        .args(["build", "--quiet", "--pull=never", "--timestamp", "0", "-f"])
        .arg(&containerfile)
        .args(["-t", &format!("{name}:test")])
        .arg(ctx.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "podman build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let digest = Command::new("podman")
        .args(["image", "inspect", "--format", "{{.Digest}}", &format!("{name}:test")])
        .output()
        .unwrap();
    let digest = String::from_utf8_lossy(&digest.stdout).trim().to_owned();
    assert!(digest.starts_with("sha256:"), "no digest for {name}: {digest}");
    format!("{name}@{digest}")
}

fn images() -> &'static (String, String) {
    static IMAGES: OnceLock<(String, String)> = OnceLock::new();
    IMAGES.get_or_init(|| (build_image("shellcheck"), build_image("hadolint")))
}

fn container_config(extra: &str) -> String {
    let (shellcheck, hadolint) = images();
    format!(
        "[linters.shellcheck]\nrunner = \"container\"\nimage = \"{shellcheck}\"\n\n[linters.hadolint]\nrunner = \"container\"\nimage = \"{hadolint}\"\n{extra}"
    )
}

#[test]
fn container_results_equal_local_results() {
    if !engine() {
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
    env.write("lintmux.toml", &container_config(""));
    let out = env.run(&args);
    let contained = json(&out);
    assert_eq!(contained["tool_errors"], serde_json::json!([]), "{}", stderr(&out));
    assert!(!local["findings"].as_array().unwrap().is_empty());
    assert_eq!(contained["findings"], local["findings"], "paths included");
    assert_eq!(contained["linters"][1]["version"], "0.11.0", "read in the container");
    // --runner container does the same for every linter that has an image.
    let (shellcheck, hadolint) = images();
    env.write(
        "lintmux.toml",
        &format!("[linters.shellcheck]\nimage = \"{shellcheck}\"\n[linters.hadolint]\nimage = \"{hadolint}\"\n"),
    );
    let mut runner_args = args.to_vec();
    runner_args.extend(["--runner", "container"]);
    assert_eq!(json(&env.run(&runner_args))["findings"], local["findings"]);
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
}

#[test]
fn a_missing_image_is_a_tool_error_for_that_linter_only() {
    if !engine() {
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
    let out = env.run(&["check", "--format", "json", "--linters", "shellcheck,hadolint"]);
    assert_eq!(code(&out), 2);
    let report = json(&out);
    assert_eq!(tool_errors(&report), [("shellcheck".into(), "missing".into())]);
    let msg = report["tool_errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("is not present and `podman pull` failed"), "{msg}");
    let hadolint: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["linter"] == "hadolint")
        .collect();
    assert!(!hadolint.is_empty(), "the other linter still reports");
}

fn containers_running(marker: &str) -> Vec<String> {
    let out = Command::new("podman")
        .args(["ps", "-a", "--no-trunc", "--format", "{{.Names}} {{.Command}}"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains(marker))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_timeout_stops_the_container_not_just_the_client() {
    if !engine() {
        return;
    }
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
    let (shellcheck, _) = images();
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
            "enable = [\"hang\"]\n[linters.hang]\nrunner = \"container\"\nimage = \"{shellcheck}\"\ntimeout = 3\n"
        ),
    );
    let out = env.run(&["check", "--format", "json", "--no-cache"]);
    let _ = writer.kill();
    let _ = writer.wait();
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert_eq!(tool_errors(&json(&out)), [("hang".into(), "timeout".into())]);
    let left = containers_running("hang-fifo/pipe");
    assert!(left.is_empty(), "containers left running: {left:?}");
}

#[test]
fn linters_shows_the_engine_and_images() {
    if !engine() {
        return;
    }
    let (shellcheck, _) = images();
    let env = TestEnv::with_files(&[(
        "lintmux.toml",
        &format!("[linters.shellcheck]\nrunner = \"container\"\nimage = \"{shellcheck}\"\n"),
    )]);
    let out = stdout(&env.run(&["linters"]));
    assert!(out.starts_with("container engine: podman ("), "{out}");
    assert!(
        out.contains(&format!(
            "    image:   {shellcheck} (present locally); runner container\n"
        )),
        "{out}"
    );
    // hadolint keeps its definition's official image, which cannot be present here.
    assert!(
        out.contains("    image:   docker.io/hadolint/hadolint:v2.15.1@sha256:32dac94127fd60b7b7e3fbfc65e1383b9b5e25c9bfd7b8536de7a539fe68a12d (not present locally; pulled on first use); runner local\n"),
        "{out}"
    );
}
