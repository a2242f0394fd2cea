//! The test environment: a temporary git repository made from a file list (or a copy of an example), and
//! a `lintmux` command that runs in it with a cache shared by all tests, so the pinned linters are
//! installed once per build directory and every test after that runs the real tools.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// The cache every test shares (pinned tools are installed here once).
/// The machine's and the user's git configuration stay out of the tests (a `core.hooksPath` would bypass
/// the pre-push hook, a `diff.*` setting change what git prints).
pub const GIT_ISOLATED: [(&str, &str); 2] = [("GIT_CONFIG_GLOBAL", "/dev/null"), ("GIT_CONFIG_NOSYSTEM", "1")];

pub fn shared_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("lintmux-cache")
}

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub struct TestEnv {
    pub dir: TempDir,
    pub root: PathBuf,
    pub cache: PathBuf,
}

impl TestEnv {
    /// An empty git repository at `<tmp>/repo`.
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("repo");
        std::fs::create_dir_all(&root).expect("create repo dir");
        let status = std::process::Command::new("git")
            .envs(GIT_ISOLATED)
            .args(["init", "-q"])
            .current_dir(&root)
            .status()
            .expect("git is needed by the tests: install git");
        assert!(status.success(), "git init failed");
        TestEnv {
            dir,
            root,
            cache: shared_cache(),
        }
    }

    /// A repository holding `files`.
    pub fn with_files(files: &[(&str, &str)]) -> TestEnv {
        let env = TestEnv::new();
        for (path, content) in files {
            env.write(path, content);
        }
        env
    }

    /// A repository holding a copy of `examples/<name>`.
    pub fn example(name: &str) -> TestEnv {
        let env = TestEnv::new();
        copy_dir(&manifest_dir().join("examples").join(name), &env.root);
        env
    }

    /// Uses a cache of its own (for install tests) instead of the shared one.
    pub fn with_own_cache(mut self) -> TestEnv {
        self.cache = self.dir.path().join("cache");
        self
    }

    pub fn write(&self, path: &str, content: &str) {
        let p = self.root.join(path);
        std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
        std::fs::write(p, content).expect("write file");
    }

    /// Writes an executable helper script outside the repository and returns its path.
    pub fn helper(&self, name: &str, script: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let dir = self.dir.path().join("helpers");
        std::fs::create_dir_all(&dir).expect("mkdir helpers");
        let p = dir.join(name);
        std::fs::write(&p, script).expect("write helper");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod helper");
        p
    }

    /// `lintmux` with the test's cache, no colours and no timings, run in the repository root.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("lintmux"));
        cmd.current_dir(&self.root)
            .envs(GIT_ISOLATED)
            .env("LINTMUX_CACHE_DIR", &self.cache)
            .env("LINTMUX_NO_TIMES", "1")
            .env("NO_COLOR", "1")
            .env_remove("XDG_CACHE_HOME")
            // The tests decide which CI, if any, lintmux believes it runs in.
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env_remove("GITLAB_CI")
            .env_remove("TF_BUILD")
            .env_remove("LINTMUX_TOOLS_DIR")
            .env_remove("LINTMUX_REMOTE_CACHE")
            .env_remove("LINTMUX_REMOTE_CACHE_WRITE")
            .env_remove("LINTMUX_REMOTE_CACHE_KEY");
        cmd
    }

    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("lintmux runs")
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// Parses `--format json` output.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr:\n{}", stdout(out), stderr(out)))
}

/// (linter, rule, path, line) of every finding in a JSON report.
pub fn finding_keys(report: &serde_json::Value) -> Vec<(String, String, String, u64)> {
    let mut keys: Vec<_> = report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["linter"].as_str().unwrap_or_default().to_owned(),
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["path"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    keys.sort();
    keys
}

/// The linters of a JSON report's tool errors, with their kinds.
pub fn tool_errors(report: &serde_json::Value) -> Vec<(String, String)> {
    report["tool_errors"]
        .as_array()
        .expect("tool_errors array")
        .iter()
        .map(|e| {
            (
                e["linter"].as_str().unwrap_or_default().to_owned(),
                e["kind"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Runs git in `dir` with a fixed identity; panics with git's error on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .envs(GIT_ISOLATED)
        .args([
            "-c",
            "user.name=lintmux-test",
            "-c",
            "user.email=test@lintmux.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The binary of a pinned PyPI tool in the shared cache (installed on first use).
pub fn pinned_binary(tool: &str) -> PathBuf {
    let env = TestEnv::new();
    let out = env.run(&["install", tool]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let dir = std::fs::read_dir(shared_cache().join("tools"))
        .expect("tools dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{tool}-")))
        })
        .unwrap_or_else(|| panic!("no pinned install of {tool}"));
    dir.join("venv/bin").join(tool)
}

/// Fails with every schema error when `log` is not valid SARIF 2.1.0 (the OASIS schema, as shipped with
/// serde-sarif, in tests/schemas).
pub fn assert_valid_sarif(log: &serde_json::Value) {
    let schema_path = manifest_dir().join("tests/schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&schema_path).expect("tests/schemas/sarif-schema-2.1.0.json");
    // The published schema's `language` patterns have an unescaped `]`, which ECMA-262 reads as a
    // literal and Rust's regex engine rejects; escaping it keeps its meaning.
    let bad = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(text.contains(bad), "the schema's language pattern changed");
    let text = text.replace(bad, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors:\n{}", errors.join("\n"));
}

/// The real pinned shellcheck behind a wrapper that logs every start, declared in the repository's
/// linters.d as the linter `counted`; returns the log's path.
pub fn counted_shellcheck(env: &TestEnv) -> PathBuf {
    let log = env.dir.path().join("starts.log");
    let wrapper = env.helper(
        "counted-shellcheck",
        &format!(
            "#!/bin/sh\necho \"$*\" >> {}\nexec {} \"$@\"\n",
            log.display(),
            pinned_binary("shellcheck").display()
        ),
    );
    env.write(
        "linters.d/counted.toml",
        &format!(
            r#"description = "shellcheck, counted"
homepage = "https://www.shellcheck.net/"
file_types = ["shell"]
command = ["{w}", "--format", "json1", "{{files}}"]
mode = "file"
output = {{ format = "shellcheck_json1" }}
config_files = [".shellcheckrc"]
version = {{ pin = "0.11.0", command = ["{w}", "--version"], pattern = "version: (\\S+)" }}
"#,
            w = wrapper.display()
        ),
    );
    log
}

/// A JSON report without its `cache` part: where the results came from differs from run to run, the rest
/// is the same for the same inputs.
pub fn without_cache(text: &str) -> serde_json::Value {
    let mut doc: serde_json::Value = serde_json::from_str(text).expect("the report is JSON");
    doc.as_object_mut().expect("an object").remove("cache");
    doc
}
