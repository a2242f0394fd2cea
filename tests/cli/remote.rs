//! The remote result cache against real servers started by each test (`tests/remote/servers.sh`:
//! SeaweedFS's S3, nginx's WebDAV as a Bazel-style HTTP cache, redis; `bash .ci/setup-remote-servers`
//! installs them): a run in one clone writes, a run in another clone at another path with an empty local
//! cache starts no linter and reports the same. Faults come from real servers stopped or refusing, and from
//! `tests/remote/fault_proxy.py` in front of one: whatever the remote does, the findings and the exit code
//! are those of a run without it, and the report says what happened.

use std::path::PathBuf;
use std::process::Output;

use crate::support::{TestEnv, code, json, manifest_dir, shared_cache};

/// A server started for one test, stopped when dropped.
struct Server {
    dir: tempfile::TempDir,
}

impl Server {
    fn start(kind: &str) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let out = std::process::Command::new("bash")
            .arg(manifest_dir().join("tests/remote/servers.sh"))
            .args(["start", kind])
            .arg(dir.path())
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "the {kind} server did not start (install the servers with `bash .ci/setup-remote-servers`):\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Server { dir }
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name))
            .unwrap()
            .trim()
            .to_owned()
    }

    fn url(&self) -> String {
        self.read("url")
    }

    /// The `export K=V` lines of `env` (or `env.readonly`).
    fn env(&self, name: &str) -> Vec<(String, String)> {
        self.read(name)
            .lines()
            .filter_map(|l| l.strip_prefix("export "))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.trim_matches(|c| c == '"' || c == '\'').to_owned()))
            .collect()
    }

    fn stop(&self) {
        let _ = std::process::Command::new("bash")
            .arg(manifest_dir().join("tests/remote/servers.sh"))
            .arg("stop")
            .arg(self.dir.path())
            .output();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `fault_proxy.py` in front of an HTTP server, its mode set by [`Proxy::mode`].
struct Proxy {
    child: std::process::Child,
    mode: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Proxy {
    fn start(upstream: &str) -> Proxy {
        let dir = tempfile::tempdir().unwrap();
        let (port_file, mode) = (dir.path().join("port"), dir.path().join("mode"));
        let mut child = std::process::Command::new("python3")
            .arg(manifest_dir().join("tests/remote/fault_proxy.py"))
            .args(["--upstream", upstream, "--port-file"])
            .arg(&port_file)
            .arg("--mode-file")
            .arg(&mode)
            .spawn()
            .expect("python3 runs the fault proxy");
        for _ in 0..100 {
            if let Some(port) = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|p| p.trim().parse().ok())
            {
                return Proxy {
                    child,
                    mode,
                    port,
                    _dir: dir,
                };
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the fault proxy did not start");
    }

    fn mode(&self, mode: &str) {
        std::fs::write(&self.mode, mode).unwrap();
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A clone of the example at a path of its own, with an empty local cache of its own and the shared
/// pinned tools.
fn clone() -> TestEnv {
    let mut env = TestEnv::example("polyglot-service");
    env.cache = env.dir.path().join("own-cache");
    env
}

/// A small repository (shellcheck and ruff findings) in a clone of its own.
fn small() -> TestEnv {
    let mut env = TestEnv::with_files(&[
        ("scripts/run.sh", "#!/bin/sh\necho $1\n"),
        ("app/main.py", "import os\n"),
    ]);
    env.cache = env.dir.path().join("own-cache");
    env
}

/// `lintmux check --format json` in `env` with the remote `url`, extra environment and arguments.
fn check(env: &TestEnv, url: &str, vars: &[(String, String)], args: &[&str]) -> Output {
    let mut cmd = env.std_cmd();
    cmd.env("LINTMUX_TOOLS_DIR", shared_cache().join("tools"))
        .env("LINTMUX_REMOTE_CACHE_TIMEOUT", "1")
        .envs(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .args(["check", "--format", "json", "--remote-cache", url])
        .args(args);
    cmd.output().expect("lintmux runs")
}

/// The report without its `cache` part (where the results came from), and that part.
fn split(out: &Output) -> (serde_json::Value, serde_json::Value) {
    let mut doc = json(out);
    let cache = doc
        .as_object_mut()
        .unwrap()
        .remove("cache")
        .expect("the report has a cache part");
    (doc, cache)
}

fn remote(cache: &serde_json::Value) -> &serde_json::Value {
    &cache["remote_cache"]
}

/// A run with the remote `url` in a fresh clone (B, `vars`) equals the run that wrote it (A): no linter
/// starts, and JSON and SARIF are the same but for the part that says where the results came from.
fn shared_between_clones(kind: &str) {
    let server = Server::start(kind);
    let vars = server.env("env");
    let (a, b) = (clone(), clone());
    assert_ne!(a.root, b.root);
    // The SARIF logs go outside the clones: a file written into one would be linted by the next run.
    let sarif_path = |env: &TestEnv| env.dir.path().join("report.sarif").to_string_lossy().into_owned();
    let (sarif_a, sarif_b) = (sarif_path(&a), sarif_path(&b));
    let wrote = check(&a, &server.url(), &vars, &["--remote-cache-write", "--sarif", &sarif_a]);
    let (report_a, cache_a) = split(&wrote);
    assert_eq!(remote(&cache_a)["errors"], 0, "{cache_a}");
    assert!(remote(&cache_a)["written"].as_u64().unwrap() > 0, "{cache_a}");
    let read = check(&b, &server.url(), &vars, &["--sarif", &sarif_b]);
    let (report_b, cache_b) = split(&read);
    assert_eq!(cache_b["ran"], 0, "clone B ran linters: {cache_b}");
    assert_eq!(cache_b["remote"], cache_a["ran"], "{cache_a} {cache_b}");
    assert_eq!(report_a, report_b, "clone B's report differs from clone A's");
    assert_eq!(code(&read), code(&wrote));
    let sarif = |path: &str| {
        let mut log: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        log["properties"]["lintmux"].as_object_mut().unwrap().remove("cache");
        // Each run names its own root (an absolute URI); everything else is relative to it.
        for run in log["runs"].as_array_mut().unwrap() {
            run.as_object_mut().unwrap().remove("originalUriBaseIds");
        }
        log
    };
    assert_eq!(sarif(&sarif_a), sarif(&sarif_b), "SARIF differs between the clones");
    // The remote hits are kept locally: a third run asks the network nothing.
    let again = check(&b, &server.url(), &vars, &[]);
    let (_, cache) = split(&again);
    assert_eq!(
        (cache["ran"].as_u64(), cache["remote"].as_u64()),
        (Some(0), Some(0)),
        "{cache}"
    );
    assert_eq!(
        (remote(&cache)["hits"].as_u64(), remote(&cache)["misses"].as_u64()),
        (Some(0), Some(0))
    );
}

#[test]
fn s3_results_are_shared_between_clones() {
    shared_between_clones("s3");
}

#[test]
fn http_results_are_shared_between_clones() {
    shared_between_clones("http");
}

#[test]
fn redis_results_are_shared_between_clones() {
    shared_between_clones("redis");
}

/// The findings and exit code of a run without any remote, in a clone of its own.
fn without_remote() -> (serde_json::Value, i32) {
    let env = small();
    let out = check(&env, "off", &[], &[]);
    (split(&out).0["findings"].clone(), code(&out))
}

/// Every fault of the proxy in front of a warm HTTP cache: the run lints everything itself, finds what
/// a run without the remote finds, and the report says what went wrong.
#[test]
fn a_failing_or_lying_server_changes_nothing_but_the_report() {
    let server = Server::start("http");
    let writer = small();
    let wrote = check(&writer, &server.url(), &[], &["--remote-cache-write"]);
    assert!(remote(&split(&wrote).1)["written"].as_u64().unwrap() >= 2);
    let expected = without_remote();
    let proxy = Proxy::start(&format!(
        "http://127.0.0.1:{}",
        server.url().split(':').nth(2).unwrap().split('/').next().unwrap()
    ));
    let url = format!("http://127.0.0.1:{}/cache", proxy.port);
    for (mode, says) in [
        ("status 500", None),
        ("reset", None),
        ("delay 3", Some("no answer within 1.0 s")),
        ("GET truncate", None),
        ("GET flip", Some("refused: damaged")),
    ] {
        proxy.mode(mode);
        let env = small();
        let out = check(&env, &url, &[], &[]);
        let (report, cache) = split(&out);
        assert_eq!((report["findings"].clone(), code(&out)), expected, "{mode}: {cache}");
        assert_eq!(cache["remote"], 0, "{mode}: {cache}");
        let said = remote(&cache);
        let trouble = said["errors"].as_u64().unwrap() + said["refused"].as_u64().unwrap();
        assert!(
            trouble > 0,
            "{mode}: the report counts no error and no refused entry: {said}"
        );
        if let Some(says) = says {
            let problem = said["problem"].as_str().unwrap_or_default();
            assert!(
                problem.contains(says),
                "{mode}: the report does not say `{says}`: {said}"
            );
        }
    }
    // And through the proxy passing everything, the same entries are hits.
    proxy.mode("pass");
    let (_, cache) = split(&check(&small(), &url, &[], &[]));
    assert_eq!(cache["ran"], 0, "{cache}");
}

/// A server that is gone: the run lints everything, finds the same, and says the remote was unavailable.
#[test]
fn a_stopped_server_is_said_and_changes_nothing_else() {
    let server = Server::start("redis");
    let url = server.url();
    server.stop();
    let expected = without_remote();
    let out = check(&small(), &url, &[], &["--remote-cache-write"]);
    let (report, cache) = split(&out);
    assert_eq!((report["findings"].clone(), code(&out)), expected);
    assert!(
        remote(&cache)["problem"]
            .as_str()
            .unwrap()
            .contains("unavailable since"),
        "{cache}"
    );
    assert_eq!(remote(&cache)["written"], 0);
}

/// With LINTMUX_REMOTE_CACHE_KEY, only entries signed with that key are read: one signed with another,
/// or not signed, is refused and the linters run.
#[test]
fn entries_signed_with_another_key_or_unsigned_are_refused() {
    let server = Server::start("http");
    let key = |k: &str| vec![("LINTMUX_REMOTE_CACHE_KEY".to_owned(), k.to_owned())];
    check(&small(), &server.url(), &key("team"), &["--remote-cache-write"]);
    let (_, cache) = split(&check(&small(), &server.url(), &key("intruder"), &[]));
    assert_eq!(cache["remote"], 0, "{cache}");
    assert!(
        remote(&cache)["problem"].as_str().unwrap().contains("bad signature"),
        "{cache}"
    );
    let (_, cache) = split(&check(&small(), &server.url(), &key("team"), &[]));
    assert_eq!(cache["ran"], 0, "the right key reads them: {cache}");

    let unsigned = Server::start("http");
    check(&small(), &unsigned.url(), &[], &["--remote-cache-write"]);
    let (_, cache) = split(&check(&small(), &unsigned.url(), &key("team"), &[]));
    assert_eq!(cache["remote"], 0, "{cache}");
    assert!(
        remote(&cache)["problem"].as_str().unwrap().contains("unsigned"),
        "{cache}"
    );
}

/// Read-only credentials asked to write: the run is what it would be, the writes stop and the report says
/// so.
#[test]
fn a_read_only_token_asked_to_write_stops_writing_and_says_so() {
    let server = Server::start("s3");
    let expected = without_remote();
    let out = check(
        &small(),
        &server.read("url.readonly"),
        &server.env("env.readonly"),
        &["--remote-cache-write"],
    );
    let (report, cache) = split(&out);
    assert_eq!((report["findings"].clone(), code(&out)), expected);
    assert_eq!(remote(&cache)["written"], 0, "{cache}");
    assert!(remote(&cache)["errors"].as_u64().unwrap() > 0, "{cache}");
}

/// Below trust all nothing is written, and the repository's own `[cache]` is not followed.
#[test]
fn trust_config_never_writes_and_does_not_follow_the_repositorys_cache() {
    let server = Server::start("http");
    let env = small();
    let out = check(&env, &server.url(), &[], &["--remote-cache-write", "--trust", "config"]);
    let (_, cache) = split(&out);
    assert_eq!(remote(&cache)["written"], 0, "{cache}");
    assert!(
        remote(&cache)["problem"]
            .as_str()
            .unwrap()
            .contains("trust config never writes"),
        "{cache}"
    );
    env.write(
        "lintmux.toml",
        &format!("[cache]\nremote = \"{}\"\nremote_write = true\n", server.url()),
    );
    let mut cmd = env.std_cmd();
    cmd.env("LINTMUX_TOOLS_DIR", shared_cache().join("tools"))
        .args(["--trust", "config", "check", "--format", "json"]);
    let (_, cache) = split(&cmd.output().unwrap());
    assert!(
        remote(&cache)["problem"]
            .as_str()
            .unwrap()
            .contains("does not follow the repository's [cache]"),
        "{cache}"
    );
}

/// Credentials never belong in lintmux.toml.
#[test]
fn credentials_in_lintmux_toml_are_an_error() {
    let env = small();
    env.write("lintmux.toml", "[cache]\nremote = \"redis://:hunter2@cache:6379/0\"\n");
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 2);
    let err = crate::support::stderr(&out);
    assert!(
        err.contains("lintmux.toml:2") && err.contains("LINTMUX_REMOTE_CACHE"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
}

/// `cache status --remote` checks the connection and the permissions.
#[test]
fn cache_status_checks_reading_and_writing() {
    let server = Server::start("http");
    let status = |url: &str, write: bool| {
        let env = small();
        let mut cmd = env.std_cmd();
        cmd.args(["cache", "status", "--remote", "--remote-cache", url]);
        if write {
            cmd.arg("--remote-cache-write");
        }
        cmd.output().unwrap()
    };
    let ok = status(&server.url(), true);
    let text = crate::support::stdout(&ok);
    assert_eq!(code(&ok), 0, "{text}");
    for line in ["read      ok", "write     ok", "read back ok", "remove    ok"] {
        assert!(text.contains(line), "{text}");
    }
    let ro = status(&server.read("url.readonly"), true);
    let text = crate::support::stdout(&ro);
    assert_eq!(code(&ro), 1, "{text}");
    assert!(
        text.contains("read      ok") && text.contains("write     failed"),
        "{text}"
    );
}
