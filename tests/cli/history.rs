//! Fast re-runs and CI scale: the result cache, --changed, --new-only, --baseline, shards and merge,
//! and the pre-push hook, on scripted git histories with the real linters.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{GIT_ISOLATED, TestEnv, code, finding_keys, git, json, stderr, stdout};

/// A repository whose `counted` linter is the real shellcheck behind a wrapper that logs every start.
fn counted_env() -> (TestEnv, PathBuf) {
    let env = TestEnv::with_files(&[
        ("a.sh", "#!/bin/sh\necho $1\n"),
        ("b.sh", "#!/bin/sh\necho \"$1\"\n"),
        ("c.sh", "#!/bin/sh\ncd /tmp\nls\n"),
    ])
    .with_own_cache();
    let log = crate::support::counted_shellcheck(&env);
    env.write("lintmux.toml", "enable = [\"counted\"]\n");
    (env, log)
}

fn starts(log: &Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_warm_rerun_starts_no_process_and_prints_the_same_report() {
    let (env, log) = counted_env();
    let first = env.run(&["check"]);
    let first_json = env.run(&["check", "--format", "json"]);
    assert_eq!(code(&first), 1, "{}\n{}", stdout(&first), stderr(&first));
    assert_eq!(
        starts(&log).len(),
        4,
        "three files and one version read: {:?}",
        starts(&log)
    );
    std::fs::write(&log, "").unwrap();
    let second = env.run(&["check"]);
    let second_json = env.run(&["check", "--format", "json"]);
    assert_eq!(starts(&log), Vec::<String>::new(), "a warm run starts nothing");
    assert_eq!(stdout(&second), stdout(&first));
    assert_eq!(stdout(&second_json), stdout(&first_json));
    assert_eq!(code(&second), 1);
}

#[test]
fn editing_one_file_reruns_exactly_its_job() {
    let (env, log) = counted_env();
    env.run(&["check"]);
    std::fs::write(&log, "").unwrap();
    env.write("b.sh", "#!/bin/sh\necho $2\n");
    let report = json(&env.run(&["check", "--format", "json"]));
    assert_eq!(starts(&log), ["--format json1 b.sh"]);
    assert!(finding_keys(&report).contains(&("counted".into(), "SC2086".into(), "b.sh".into(), 2)));
}

#[test]
fn changing_a_config_file_invalidates_its_linter() {
    let (env, log) = counted_env();
    env.run(&["check"]);
    std::fs::write(&log, "").unwrap();
    env.write(".shellcheckrc", "disable=SC2086\n");
    let report = json(&env.run(&["check", "--format", "json"]));
    assert_eq!(starts(&log).len(), 3, "every job re-ran: {:?}", starts(&log));
    assert!(finding_keys(&report).iter().all(|k| k.1 != "SC2086"), "{report}");
}

#[test]
fn a_corrupt_cache_is_survived_and_rewritten() {
    let (env, log) = counted_env();
    let first = crate::support::without_cache(&stdout(&env.run(&["check", "--format", "json"])));
    let files_under = |dir: &std::path::Path| {
        let mut entries = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else {
                    entries.push(e.path());
                }
            }
        }
        entries
    };
    let mut entries = files_under(&env.cache.join("results"));
    assert_eq!(entries.len(), 3);
    // Each file's findings, kept beside the whole outputs, are corrupted too.
    let per_file = files_under(&env.cache.join("files"));
    assert!(!per_file.is_empty());
    entries.extend(per_file);
    for e in &entries {
        let bytes = std::fs::read(e).unwrap();
        std::fs::write(e, &bytes[..bytes.len() / 3]).unwrap();
    }
    std::fs::write(&log, "").unwrap();
    assert_eq!(
        crate::support::without_cache(&stdout(&env.run(&["check", "--format", "json"]))),
        first
    );
    assert_eq!(starts(&log).len(), 3, "corrupt entries are misses");
    std::fs::write(&log, "").unwrap();
    assert_eq!(
        crate::support::without_cache(&stdout(&env.run(&["check", "--format", "json"]))),
        first
    );
    assert!(starts(&log).is_empty(), "and were rewritten");
}

#[test]
fn no_cache_runs_everything() {
    let (env, log) = counted_env();
    env.run(&["check"]);
    std::fs::write(&log, "").unwrap();
    env.run(&["check", "--no-cache"]);
    assert_eq!(starts(&log).len(), 3);
}

#[test]
fn cache_status_and_clean() {
    let (env, log) = counted_env();
    env.run(&["check"]);
    let status = stdout(&env.run(&["cache", "status"]));
    assert!(
        status.starts_with(&format!("cache: {}\nresults         3 files", env.cache.display())),
        "{status}"
    );
    assert_eq!(code(&env.run(&["cache", "clean"])), 0);
    std::fs::write(&log, "").unwrap();
    env.run(&["check"]);
    assert_eq!(starts(&log).len(), 4, "results and versions were cleaned");
}

const OLD: &str = "#!/bin/sh\necho $1\n";

/// main: old.sh with a defect, quiet.sh with one, clean.sh clean. feature: a new defect in clean.sh,
/// and old.sh touched (a comment above its old defect).
fn history() -> TestEnv {
    let env = TestEnv::with_files(&[
        ("old.sh", OLD),
        ("quiet.sh", "#!/bin/sh\nls $HOME\n"),
        ("clean.sh", "#!/bin/sh\necho \"$1\"\n"),
    ]);
    git(&env.root, &["checkout", "-q", "-b", "main"]);
    git(&env.root, &["add", "-A"]);
    git(&env.root, &["commit", "-q", "-m", "main"]);
    git(&env.root, &["checkout", "-q", "-b", "feature"]);
    env.write("old.sh", "#!/bin/sh\n# print the first argument\necho $1\n");
    env.write("clean.sh", "#!/bin/sh\necho \"$1\"\nrm -rf $2\n");
    git(&env.root, &["commit", "-q", "-am", "feature"]);
    env
}

fn keys(env: &TestEnv, args: &[&str]) -> Vec<(String, String, String, u64)> {
    let mut all = vec!["check", "--format", "json", "--fail-on", "never"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    finding_keys(&json(&out))
}

fn sc(path: &str, line: u64) -> (String, String, String, u64) {
    ("shellcheck".into(), "SC2086".into(), path.into(), line)
}

#[test]
fn changed_lints_only_changed_files() {
    let env = history();
    assert_eq!(keys(&env, &["--changed", "main"]), [sc("clean.sh", 3), sc("old.sh", 3)]);
    // Without a reference: no upstream, no origin/HEAD, so main.
    assert_eq!(keys(&env, &["--changed"]), [sc("clean.sh", 3), sc("old.sh", 3)]);
    // Uncommitted and untracked files count too; deleted files are not passed.
    env.write("new.sh", OLD);
    std::fs::remove_file(env.root.join("clean.sh")).unwrap();
    assert_eq!(keys(&env, &["--changed", "main"]), [sc("new.sh", 2), sc("old.sh", 3)]);
}

#[test]
fn new_only_reports_exactly_the_new_defect() {
    let env = history();
    assert_eq!(keys(&env, &["--new-only", "main"]), [sc("clean.sh", 3)]);
    assert_eq!(
        keys(&env, &["--changed", "main", "--new-only", "main"]),
        [sc("clean.sh", 3)]
    );
    let out = env.run(&["check", "--new-only", "main"]);
    assert!(
        stdout(&out).ends_with("1 finding (1 note) in 3 files, 2 older findings hidden (not new)\n"),
        "{}",
        stdout(&out)
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&env.run(&["check", "--format", "sarif", "--new-only", "main"]).stdout).unwrap();
    crate::support::assert_valid_sarif(&sarif);
    let shellcheck = sarif["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["tool"]["driver"]["name"] == "shellcheck")
        .expect("a shellcheck run");
    let states: BTreeSet<(String, String)> = shellcheck["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                r["baselineState"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        states,
        BTreeSet::from([
            ("clean.sh".into(), "new".into()),
            ("old.sh".into(), "unchanged".into()),
            ("quiet.sh".into(), "unchanged".into())
        ])
    );
}

#[test]
fn outside_git_changed_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.sh"), OLD).unwrap();
    std::fs::write(dir.path().join("lintmux.toml"), "").unwrap();
    let env = TestEnv::new();
    let out = env
        .cmd()
        .current_dir(dir.path())
        .args(["check", "--changed"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("is not inside a git repository: --changed and --new-only compare with git history"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn baseline_drops_findings_already_reported() {
    let env = history();
    git(&env.root, &["checkout", "-q", "main"]);
    let baseline = env.dir.path().join("main.sarif");
    let out = env.run(&["check", "--sarif", baseline.to_str().unwrap(), "--fail-on", "never"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    git(&env.root, &["checkout", "-q", "feature"]);
    // old.sh's defect moved down a line; its line hash is the same, so it is not new.
    assert_eq!(
        keys(&env, &["--baseline", baseline.to_str().unwrap()]),
        [sc("clean.sh", 3)]
    );
}

type ResultKey = (String, String, String, u64, u64, String);

fn results(sarif: &serde_json::Value) -> BTreeSet<ResultKey> {
    let mut set = BTreeSet::new();
    for run in sarif["runs"].as_array().unwrap() {
        let tool = run["tool"]["driver"]["name"].as_str().unwrap().to_owned();
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for r in run["results"].as_array().unwrap() {
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], r["ruleId"], "ruleIndex points at its rule");
            let loc = &r["locations"][0]["physicalLocation"];
            set.insert((
                tool.clone(),
                r["ruleId"].as_str().unwrap().to_owned(),
                loc["artifactLocation"]["uri"].as_str().unwrap().to_owned(),
                loc["region"]["startLine"].as_u64().unwrap(),
                loc["region"]["startColumn"].as_u64().unwrap(),
                r["message"]["text"].as_str().unwrap().to_owned(),
            ));
        }
    }
    set
}

#[test]
fn merged_shards_equal_the_unsharded_run() {
    let env = TestEnv::example("polyglot-service");
    let whole: serde_json::Value = serde_json::from_slice(&env.run(&["check", "--format", "sarif"]).stdout).unwrap();
    let mut files = Vec::new();
    let mut sizes = Vec::new();
    for k in 1..=3 {
        let path = env.dir.path().join(format!("shard{k}.sarif"));
        let out = env.run(&[
            "check",
            "--no-cache",
            "--shard",
            &format!("{k}/3"),
            "--format",
            "sarif",
            "-o",
            path.to_str().unwrap(),
        ]);
        assert!(code(&out) <= 1, "{}", stderr(&out));
        let shard: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        sizes.push(results(&shard).len());
        files.push(path.to_str().unwrap().to_owned());
    }
    assert!(sizes.iter().all(|&n| n > 0), "every shard did some work: {sizes:?}");
    let merged_path = env.dir.path().join("merged.sarif");
    let mut args = vec!["merge", "-o", merged_path.to_str().unwrap()];
    args.extend(files.iter().map(String::as_str));
    let out = env.run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let merged: serde_json::Value = serde_json::from_slice(&std::fs::read(&merged_path).unwrap()).unwrap();
    assert_eq!(results(&merged), results(&whole));
    crate::support::assert_valid_sarif(&merged);
    let names: Vec<&str> = merged["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tool"]["driver"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
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
            "zizmor"
        ],
        "one run per linter"
    );
}

#[test]
fn the_pre_push_hook_blocks_a_push_with_a_new_defect() {
    let env = TestEnv::with_files(&[("deploy.sh", "#!/bin/sh\necho \"$1\"\n")]);
    let remote = env.dir.path().join("remote.git");
    git(env.dir.path(), &["init", "-q", "--bare", remote.to_str().unwrap()]);
    git(&env.root, &["checkout", "-q", "-b", "main"]);
    git(&env.root, &["add", "-A"]);
    git(&env.root, &["commit", "-q", "-m", "initial"]);
    git(&env.root, &["remote", "add", "origin", remote.to_str().unwrap()]);
    git(&env.root, &["push", "-q", "-u", "origin", "main"]);

    let out = env.run(&["hook", "install"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // A clean change goes through.
    env.write("deploy.sh", "#!/bin/sh\necho \"$1\"\necho finished\n");
    git(&env.root, &["commit", "-q", "-am", "clean change"]);
    let push = |env: &TestEnv| {
        Command::new("git")
            .envs(GIT_ISOLATED)
            .args(["push", "origin", "main"])
            .current_dir(&env.root)
            .env("LINTMUX_CACHE_DIR", &env.cache)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let ok = push(&env);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    // A new defect is blocked.
    env.write("deploy.sh", "#!/bin/sh\necho \"$1\"\necho finished\ncd /srv/app\nls\n");
    git(&env.root, &["commit", "-q", "-am", "defect"]);
    let blocked = push(&env);
    assert!(!blocked.status.success(), "the push went through");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&blocked.stdout),
        String::from_utf8_lossy(&blocked.stderr)
    );
    assert!(said.contains("deploy.sh"), "{said}");
    assert!(said.contains("lintmux: push blocked by the findings above"), "{said}");
    let remote_head = git(&remote, &["rev-parse", "main"]);
    assert_ne!(remote_head, git(&env.root, &["rev-parse", "HEAD"]));
}

#[test]
fn hook_install_leaves_a_foreign_hook_alone() {
    let env = TestEnv::new();
    let hook = env.root.join(".git/hooks/pre-push");
    std::fs::write(&hook, "#!/bin/sh\nexit 0\n").unwrap();
    let out = env.run(&["hook", "install"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("exists and was not written by lintmux"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), "#!/bin/sh\nexit 0\n");
    assert_eq!(code(&env.run(&["hook", "install", "--force"])), 0);
    assert!(
        std::fs::read_to_string(&hook)
            .unwrap()
            .contains("# lintmux pre-push hook")
    );
    assert_eq!(code(&env.run(&["hook", "uninstall"])), 0);
    assert!(!hook.exists());
}
