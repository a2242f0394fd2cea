//! The report formats for CI systems (`--report FORMAT[=PATH]`): GitHub workflow commands, GitLab Code
//! Quality, JUnit XML, checkstyle XML and a markdown summary, each agreeing with the SARIF of the same run;
//! JUnit valid against the Apache Ant schema; workflow commands that no file name or message can break;
//! the same formats from merged shards; and what lintmux adds when it sees GitHub Actions or GitLab CI.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::support::{TestEnv, code, json, manifest_dir, stderr, stdout};

const FORMATS: [&str; 6] = ["json", "github", "gitlab", "junit", "checkstyle", "markdown"];

/// Runs `check` writing SARIF and every other format to files; returns each file's text by format.
fn all_reports(env: &TestEnv, extra: &[&str]) -> (serde_json::Value, Vec<(String, String)>) {
    let dir = env.dir.path();
    let sarif = dir.join("lintmux.sarif");
    let mut args: Vec<String> = vec!["check".into(), "--sarif".into(), sarif.display().to_string()];
    for f in FORMATS {
        args.push("--report".into());
        args.push(format!("{f}={}", dir.join(format!("report.{f}")).display()));
    }
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = env.run(&args);
    assert!(code(&out) <= 2, "{}", stderr(&out));
    let log = serde_json::from_slice(&std::fs::read(&sarif).expect("SARIF written")).expect("SARIF is JSON");
    let texts = FORMATS
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(dir.join(format!("report.{f}")))
                .unwrap_or_else(|e| panic!("report.{f} was not written: {e}"));
            ((*f).to_owned(), text)
        })
        .collect();
    (log, texts)
}

fn text<'a>(reports: &'a [(String, String)], format: &str) -> &'a str {
    &reports.iter().find(|(f, _)| f == format).expect("format written").1
}

/// (errors, warnings, notes) among a SARIF log's results.
fn sarif_counts(log: &serde_json::Value) -> (usize, usize, usize) {
    let levels: Vec<&str> = log["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["results"].as_array().unwrap().iter())
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    let n = |l| levels.iter().filter(|x| **x == l).count();
    (n("error"), n("warning"), n("note"))
}

/// One workflow command, read back as GitHub's runner reads it: `::name k=v,k=v::data`, values unescaped.
#[derive(Debug)]
struct Command {
    name: String,
    props: Vec<(String, String)>,
    data: String,
}

impl Command {
    fn prop(&self, key: &str) -> Option<&str> {
        self.props.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

fn unescape(s: &str, property: bool) -> String {
    let mut out = s.replace("%0D", "\r").replace("%0A", "\n");
    if property {
        out = out.replace("%3A", ":").replace("%2C", ",");
    }
    out.replace("%25", "%")
}

fn parse_command(line: &str) -> Option<Command> {
    let rest = line.trim().strip_prefix("::")?;
    let (head, data) = rest.split_once("::")?;
    let (name, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').expect("a property is key=value");
            (k.to_owned(), unescape(v, true))
        })
        .collect();
    Some(Command {
        name: name.to_owned(),
        props,
        data: unescape(data, false),
    })
}

#[test]
fn every_format_counts_what_the_sarif_counts() {
    let env = TestEnv::example("polyglot-service");
    let (log, reports) = all_reports(&env, &[]);
    let (errors, warnings, notes) = sarif_counts(&log);
    assert!(errors > 0 && warnings > 0 && notes > 0, "{errors} {warnings} {notes}");

    let report: serde_json::Value = serde_json::from_str(text(&reports, "json")).unwrap();
    let summary = &report["summary"];
    assert_eq!(
        (
            summary["errors"].as_u64(),
            summary["warnings"].as_u64(),
            summary["notes"].as_u64()
        ),
        (Some(errors as u64), Some(warnings as u64), Some(notes as u64))
    );

    let commands: Vec<Command> = text(&reports, "github")
        .lines()
        .map(|l| parse_command(l).unwrap())
        .collect();
    let n = |name: &str| commands.iter().filter(|c| c.name == name).count();
    assert_eq!((n("error"), n("warning"), n("notice")), (errors, warnings, notes));

    let gitlab: serde_json::Value = serde_json::from_str(text(&reports, "gitlab")).unwrap();
    let issues = gitlab.as_array().unwrap();
    let n = |s: &str| issues.iter().filter(|i| i["severity"] == s).count();
    assert_eq!((n("major"), n("minor"), n("info")), (errors, warnings, notes));
    let fingerprints: BTreeSet<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    for issue in issues {
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(!issue["location"]["path"].as_str().unwrap().starts_with('/'));
        assert!(issue["check_name"].as_str().unwrap().contains('/'));
    }

    let junit = text(&reports, "junit");
    // Each finding is a line `path:line:col: level: …` of its file's failure text.
    let line = regex::Regex::new(r"(?m)(?:^|>)[^<>\n]+:\d+:\d+: (error|warning|note): ").unwrap();
    let n = |l: &str| line.captures_iter(junit).filter(|c| &c[1] == l).count();
    assert_eq!((n("error"), n("warning"), n("note")), (errors, warnings, notes));
    let tests: usize = regex::Regex::new(r#"<testsuite [^>]* tests="(\d+)""#)
        .unwrap()
        .captures_iter(junit)
        .map(|c| c[1].parse::<usize>().unwrap())
        .sum();
    let files: u64 = report["linters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["files"].as_u64().unwrap())
        .sum();
    assert_eq!(tests as u64, files, "a test case per linted file of each linter");

    let checkstyle = text(&reports, "checkstyle");
    let n = |s: &str| checkstyle.matches(&format!("severity=\"{s}\"")).count();
    assert_eq!((n("error"), n("warning"), n("info")), (errors, warnings, notes));

    let markdown = text(&reports, "markdown");
    let total = format!(
        "**{} findings**: {errors} errors, {warnings} warnings, {notes} notes",
        errors + warnings + notes
    );
    assert!(markdown.contains(&total), "{total}\n{markdown}");

    // `merge` of one log is a conversion: what the SARIF carries gives the same reports.
    let dir = env.dir.path();
    let mut args = vec!["merge".to_owned(), dir.join("lintmux.sarif").display().to_string()];
    for f in ["github", "gitlab", "checkstyle", "markdown"] {
        args.push("--report".into());
        args.push(format!("{f}={}", dir.join(format!("converted.{f}")).display()));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = env.run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for f in ["github", "gitlab", "checkstyle", "markdown"] {
        let converted = std::fs::read_to_string(dir.join(format!("converted.{f}"))).unwrap();
        assert_eq!(converted, text(&reports, f), "{f} converted from the SARIF");
    }
}

#[test]
fn the_same_run_gives_the_same_bytes() {
    let env = TestEnv::example("polyglot-service");
    let run = || {
        let mut cmd = env.cmd();
        let dir = env.dir.path();
        cmd.env("SOURCE_DATE_EPOCH", "0")
            .arg("check")
            .arg("--format")
            .arg("sarif");
        for f in FORMATS {
            cmd.arg("--report")
                .arg(format!("{f}={}", dir.join(format!("r.{f}")).display()));
        }
        let out = cmd.output().unwrap();
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        let mut all = vec![out.stdout];
        for f in FORMATS {
            all.push(std::fs::read(dir.join(format!("r.{f}"))).unwrap());
        }
        all
    };
    let first = run();
    assert_eq!(first, run());
    let junit = String::from_utf8(first[4].clone()).unwrap();
    assert!(junit.contains(r#"timestamp="1970-01-01T00:00:00""#), "{junit}");
}

/// Python with the PyPI `xmlschema` validator, installed once beside the test cache (tests that need it
/// wait for one another; a marker file says the install completed).
fn xmlschema_python() -> PathBuf {
    const PIN: &str = "xmlschema==4.3.2";
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("xmlschema-4.3.2");
    let python = venv.join("bin/python");
    let done = venv.join("installed");
    if !done.exists() {
        let status = std::process::Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv)
            .status()
            .expect("python3 is needed to install the xmlschema validator for this test");
        assert!(status.success(), "python3 -m venv {} failed", venv.display());
        let status = std::process::Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", PIN])
            .status()
            .expect("pip runs");
        assert!(
            status.success(),
            "pip install {PIN} failed: the test needs it to validate JUnit XML"
        );
        std::fs::write(&done, PIN).expect("write the install marker");
    }
    python
}

fn assert_valid_junit(path: &Path) {
    let xsd = manifest_dir().join("tests/schemas/JUnit.xsd");
    let out = std::process::Command::new(xmlschema_python())
        .args([
            "-c",
            "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[1]).validate(sys.argv[2]); print('valid')",
        ])
        .arg(&xsd)
        .arg(path)
        .output()
        .expect("python runs");
    assert!(
        out.status.success() && stdout(&out).trim() == "valid",
        "{} is not valid against the Ant JUnit schema:\n{}",
        path.display(),
        stderr(&out)
    );
}

/// A linter that is not installed, so the reports carry a tool error too.
fn add_broken_linter(env: &TestEnv) {
    env.write(
        "linters.d/broken.toml",
        r#"description = "a linter that is not installed"
homepage = "https://example.invalid/broken"
file_types = ["yaml"]
command = ["lintmux-test-not-installed", "{files}"]
output = { format = "sarif" }
version = { pin = "1.0", command = ["lintmux-test-not-installed", "--version"], pattern = "(\\S+)" }
"#,
    );
}

#[test]
fn junit_validates_against_the_ant_schema() {
    let env = TestEnv::example("polyglot-service");
    add_broken_linter(&env);
    let (_, reports) = all_reports(&env, &[]);
    let junit = text(&reports, "junit");
    assert!(junit.contains(r#"<testsuite name="broken""#), "{junit}");
    assert!(
        junit.contains(r#"<error message="`lintmux-test-not-installed` was not found"#),
        "{junit}"
    );
    assert!(junit.contains("<failure message="));
    assert_valid_junit(&env.dir.path().join("report.junit"));
    // And the schema is not a rubber stamp: a test case without its time is refused.
    let broken = env.dir.path().join("broken.xml");
    std::fs::write(&broken, junit.replacen(r#" time="0""#, "", 1)).unwrap();
    let out = std::process::Command::new(xmlschema_python())
        .args([
            "-c",
            "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[1]).validate(sys.argv[2])",
        ])
        .arg(manifest_dir().join("tests/schemas/JUnit.xsd"))
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!out.status.success(), "a test case without time must not validate");
}

#[test]
fn hostile_file_names_and_messages_cannot_break_a_workflow_command() {
    let defect = "#!/bin/sh\necho $1\n";
    let env = TestEnv::with_files(&[
        ("odd,name::x%41.sh", defect),
        ("new\nline.sh", defect),
        ("plain.sh", defect),
    ]);
    // A linter (a helper printing SARIF) whose messages carry newlines, `::`, `%` and `,`.
    let helper = env.helper(
        "hostile-linter",
        r#"#!/usr/bin/env python3
import json, sys
if sys.argv[1:] == ["--version"]:
    print("1.0")
    sys.exit(0)
message = "50% done, a:b\n::error file=injected.txt,line=1::gotcha\r\n%0A::"
results = [
    {"ruleId": "H1", "level": "error", "message": {"text": message},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": f}, "region": {"startLine": 2}}}]}
    for f in sys.argv[1:]
]
print(json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "hostile"}}, "results": results}]}))
"#,
    );
    env.write(
        "linters.d/hostile.toml",
        &format!(
            r#"description = "a linter with hostile messages"
homepage = "https://example.invalid/hostile"
file_types = ["shell"]
command = ["{0}", "{{files}}"]
output = {{ format = "sarif" }}
version = {{ pin = "1.0", command = ["{0}", "--version"], pattern = "(\\S+)" }}
"#,
            helper.display()
        ),
    );
    let gh = env.dir.path().join("annotations.txt");
    let out = env.run(&[
        "check",
        "--format",
        "json",
        "--report",
        &format!("github={}", gh.display()),
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    let findings = report["findings"].as_array().unwrap();
    let paths: BTreeSet<&str> = findings.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        BTreeSet::from(["new\nline.sh", "odd,name::x%41.sh", "plain.sh"]),
        "both linters reported on every file"
    );
    assert!(findings.iter().any(|f| f["linter"] == "hostile"));
    let text = std::fs::read_to_string(&gh).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), findings.len(), "one line per finding:\n{text}");
    for (line, f) in lines.iter().zip(findings) {
        let c = parse_command(line).unwrap_or_else(|| panic!("not a command: {line}"));
        let level = match f["level"].as_str().unwrap() {
            "note" => "notice",
            other => other,
        };
        assert_eq!(c.name, level, "{line}");
        assert_eq!(c.prop("file"), f["path"].as_str(), "{line}");
        assert_eq!(c.prop("line"), Some(f["line"].to_string().as_str()), "{line}");
        assert_eq!(c.data, f["message"].as_str().unwrap(), "{line}");
        let keys: Vec<&str> = c.props.iter().map(|(k, _)| k.as_str()).collect();
        assert!(
            keys.iter()
                .all(|k| ["file", "line", "col", "endLine", "endColumn", "title"].contains(k)),
            "{keys:?}"
        );
    }
}

#[test]
fn merge_writes_every_format_from_shards() {
    let env = TestEnv::example("polyglot-service");
    let dir = env.dir.path();
    let whole_gitlab = dir.join("whole.gitlab.json");
    let out = env.run(&[
        "check",
        "--format",
        "json",
        "--report",
        &format!("gitlab={}", whole_gitlab.display()),
    ]);
    let whole = json(&out);
    let mut shards = Vec::new();
    for k in 1..=3 {
        let path = dir.join(format!("shard{k}.sarif"));
        let out = env.run(&[
            "check",
            "--shard",
            &format!("{k}/3"),
            "--format",
            "sarif",
            "-o",
            path.to_str().unwrap(),
        ]);
        assert!(code(&out) <= 1, "{}", stderr(&out));
        shards.push(path.display().to_string());
    }
    let merged_json = dir.join("merged.json");
    let merged_gitlab = dir.join("merged.gitlab.json");
    let merged_junit = dir.join("merged.junit.xml");
    let mut args = vec![
        "merge".to_owned(),
        "--report".to_owned(),
        format!("json={}", merged_json.display()),
        "--report".to_owned(),
        format!("gitlab={}", merged_gitlab.display()),
        "--report".to_owned(),
        format!("junit={}", merged_junit.display()),
    ];
    args.extend(shards);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = env.run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        out.stdout.is_empty(),
        "no SARIF on stdout when only --report files are asked for"
    );
    let merged: serde_json::Value = serde_json::from_slice(&std::fs::read(&merged_json).unwrap()).unwrap();
    assert_eq!(
        crate::support::finding_keys(&merged),
        crate::support::finding_keys(&whole)
    );
    assert_eq!(merged["summary"], whole["summary"]);
    assert_eq!(merged["files"]["linted"], whole["files"]["linted"]);
    let read = |p: &Path| -> serde_json::Value { serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap() };
    assert_eq!(
        read(&merged_gitlab),
        read(&whole_gitlab),
        "the same Code Quality report, fingerprints too"
    );
    assert_valid_junit(&merged_junit);
}

#[test]
fn two_reports_cannot_share_stdout() {
    let env = TestEnv::with_files(&[("a.sh", "#!/bin/sh\necho hi\n")]);
    let out = env.run(&["check", "--format", "json", "--report", "github"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("two reports would go to stdout (json and github)"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["check", "--report", "nonsense=x"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown report format `nonsense`"),
        "{}",
        stderr(&out)
    );
}

fn files_under(dir: &Path) -> BTreeSet<PathBuf> {
    let mut all = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.extend(files_under(&path));
        } else {
            all.insert(path);
        }
    }
    all
}

#[test]
fn github_actions_gets_bounded_annotations_and_the_step_summary() {
    let env = TestEnv::example("polyglot-service");
    let summary = env.dir.path().join("step-summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let before = files_under(&env.root);
    let out = env
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(files_under(&env.root), before, "nothing written into the repository");
    let text = stdout(&out);
    // The console report is shielded from being read as commands.
    let first = text.lines().next().unwrap();
    let token = first
        .strip_prefix("::stop-commands::")
        .expect("starts by stopping commands");
    assert!(token.len() >= 32, "{token}");
    let resume = format!("::{token}::");
    // eslint's details (its note) are a group, opened and closed with commands resumed around them.
    let group = format!("{resume}\n::group::eslint 10.15.0");
    assert!(text.contains(&group), "{text}");
    let close = format!("{resume}\n::endgroup::\n::stop-commands::{token}\n");
    assert!(text.contains(&close), "{text}");
    let after = &text[text.rfind(&resume).expect("commands resumed") + resume.len()..];
    let commands: Vec<Command> = after.lines().filter_map(parse_command).collect();
    let n = |name: &str| commands.iter().filter(|c| c.name == name).count();
    // The example has 33 errors, 10 warnings and 7 notes: GitHub shows 10 of each level per step.
    let report = json(&env.run(&["check", "--format", "json"]));
    let s = &report["summary"];
    let count = |k: &str| s[k].as_u64().unwrap() as usize;
    assert_eq!(
        (n("error"), n("warning"), n("notice")),
        (
            count("errors").min(10),
            count("warnings").min(10),
            count("notes").min(10)
        )
    );
    let left = count("errors") + count("warnings") + count("notes") - commands.len();
    assert!(left > 0);
    assert!(
        after.contains(&format!("lintmux: {left} more not shown as annotations")),
        "{after}"
    );
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written.starts_with("earlier step\n## lintmux\n"),
        "appended:\n{written}"
    );
    assert!(written.contains("| linter | version | files |"));
}

#[test]
fn gitlab_ci_folds_each_linters_details() {
    let env = TestEnv::example("polyglot-service");
    add_broken_linter(&env);
    let out = env
        .cmd()
        .env("GITLAB_CI", "true")
        .env("CI", "true")
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let text = stdout(&out);
    let start =
        regex::Regex::new(r"\x1b\[0Ksection_start:\d+:lintmux_broken\[collapsed=false\]\r\x1b\[0Kbroken ").unwrap();
    assert!(start.is_match(&text), "{text:?}");
    assert!(text.contains("\x1b[0Ksection_end:"), "{text:?}");
    // eslint's note (its bundled default config) is folded away, collapsed.
    assert!(text.contains(":lintmux_eslint[collapsed=true]"), "{text:?}");
    let without_sections = text.replace("\x1b[0K", "");
    assert!(!without_sections.contains('\x1b'), "no colour on CI: {text:?}");
    assert!(!stderr(&out).contains('\r'), "no progress bars on CI");
}

/// Writes shard `k` of `n` of the check as SARIF; returns its path.
fn shard(env: &TestEnv, k: u32, n: u32) -> String {
    let path = env.dir.path().join(format!("shard{k}of{n}.sarif"));
    let out = env.run(&[
        "check",
        "--shard",
        &format!("{k}/{n}"),
        "--format",
        "sarif",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    path.display().to_string()
}

#[test]
fn sarif_and_json_say_what_the_run_covered() {
    let env = TestEnv::example("polyglot-service");
    let log: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(shard(&env, 2, 3)).unwrap()).unwrap();
    assert_eq!(
        log["properties"]["lintmux"]["scope"]["shard"],
        serde_json::json!({"index": 2, "count": 3})
    );
    assert_eq!(log["properties"]["lintmux"]["scope"]["full"], false);
    let runs = log["runs"].as_array().unwrap();
    assert!(!runs.is_empty());
    for run in runs {
        let name = run["tool"]["driver"]["name"].as_str().unwrap();
        assert_eq!(run["automationDetails"]["id"], format!("lintmux/{name}/shard-2-of-3"));
        assert_eq!(run["properties"]["lintmux"]["scope"]["shard"]["index"], 2);
    }
    crate::support::assert_valid_sarif(&log);

    let whole = json(&env.run(&["check", "--format", "json"]));
    assert_eq!(
        whole["scope"],
        serde_json::json!({"full": true}),
        "no commit in this repository yet"
    );
    let narrowed = json(&env.run(&["check", "--format", "json", "app/server.py", "scripts"]));
    assert_eq!(narrowed["scope"]["full"], false);
    assert_eq!(
        narrowed["scope"]["paths"],
        serde_json::json!(["app/server.py", "scripts"])
    );

    crate::support::git(&env.root, &["add", "-A"]);
    crate::support::git(&env.root, &["commit", "-qm", "one"]);
    let head = crate::support::git(&env.root, &["rev-parse", "HEAD"]);
    let changed = json(&env.run(&["check", "--format", "json", "--changed=HEAD"]));
    assert_eq!(
        changed["scope"],
        serde_json::json!({"full": false, "changed": "HEAD", "commit": head, "root": "."})
    );
}

#[test]
fn merge_refuses_an_incomplete_set_unless_allowed() {
    let env = TestEnv::example("polyglot-service");
    let (one, three) = (shard(&env, 1, 3), shard(&env, 3, 3));
    let out = env.run(&["merge", &one, &three]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("shard 2/3 is missing"), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing merged");

    let foreign = env.dir.path().join("foreign.sarif");
    std::fs::write(
        &foreign,
        r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"other"}},"results":[]}]}"#,
    )
    .unwrap();
    let two = shard(&env, 2, 3);
    let out = env.run(&["merge", &one, &two, &three, foreign.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("foreign.sarif was not written by lintmux"),
        "{}",
        stderr(&out)
    );

    let out = env.run(&["merge", "--allow-partial", &one, &three]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let merged: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scope = &merged["properties"]["lintmux"]["scope"];
    assert_eq!(scope["partial"], true);
    assert_eq!(scope["full"], false);
    assert_eq!(scope["problems"], serde_json::json!(["shard 2/3 is missing"]));
    crate::support::assert_valid_sarif(&merged);

    let out = env.run(&["merge", &one, &two, &three]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let merged: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(merged["properties"]["lintmux"]["scope"]["full"], true);
    for run in merged["runs"].as_array().unwrap() {
        let name = run["tool"]["driver"]["name"].as_str().unwrap();
        assert_eq!(run["automationDetails"]["id"], format!("lintmux/{name}/"));
    }
}

#[test]
fn a_narrowed_check_leaves_out_other_files_mypy_findings() {
    let env = TestEnv::example("polyglot-service");
    let out = env.run(&["check", "--format", "json", "app/server.py"]);
    let report = json(&out);
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["path"] == "app/server.py"), "{findings:#?}");
    // mypy follows server.py's imports into handlers.py and storage.py; what it says there is left out.
    let expected = std::fs::read_to_string(manifest_dir().join("tests/expected/polyglot-service.tsv")).unwrap();
    let mypy_here = expected
        .lines()
        .filter(|l| l.starts_with("mypy\t") && l.contains("\tapp/server.py\t"))
        .count();
    assert_eq!(findings.iter().filter(|f| f["linter"] == "mypy").count(), mypy_here);
    let left_out = report["scope"]["outside_paths"].as_u64().unwrap();
    assert!(left_out > 0, "{}", report["scope"]);
    let console = stdout(&env.run(&["check", "app/server.py"]));
    assert!(
        console.contains(&format!("{left_out} findings outside the given paths left out")),
        "{console}"
    );
}
