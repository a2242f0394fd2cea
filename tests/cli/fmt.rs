//! Formatters and fixes: `lintmux fmt`, formatter findings in `check`, and `check --fix`, with the real
//! pinned formatters and linters on the example service (which configures all four formatters and has a
//! formatting defect for each).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::*;

/// Every file under `root` (but `.git`) and its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let entry = entry.expect("entry");
            let path = entry.path();
            if entry.file_name() == ".git" {
                continue;
            }
            if entry.file_type().expect("file type").is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .expect("below root")
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// The files each formatter would change, as the real tools say when run by hand
/// (tests/expected/regen.py, recorded in tests/expected/polyglot-service.tsv): rule `format` rows.
fn expected_unformatted() -> BTreeSet<String> {
    let tsv = std::fs::read_to_string(manifest_dir().join("tests/expected/polyglot-service.tsv")).expect("tsv");
    tsv.lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|c| c.len() == 4 && c[1] == "format")
        .map(|c| c[2].to_owned())
        .collect()
}

/// The paths of the `+++ b/<path>` headers of a unified diff.
fn diffed(diff: &str) -> BTreeSet<String> {
    diff.lines()
        .filter_map(|l| l.strip_prefix("+++ b/"))
        .map(str::to_owned)
        .collect()
}

/// The formatters the example configures.
const FORMATTERS: [&str; 4] = ["prettier", "ruff-format", "shfmt", "taplo-format"];

/// The linters a report says ran.
fn ran(report: &serde_json::Value) -> BTreeSet<&str> {
    report["linters"]
        .as_array()
        .expect("linters")
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect()
}

fn format_findings(report: &serde_json::Value) -> Vec<&serde_json::Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "format")
        .collect()
}

#[test]
fn fmt_check_lists_what_the_formatters_would_change_and_fmt_makes_it_clean_for_good() {
    let env = TestEnv::example("polyglot-service");
    let before = tree(&env.root);
    let check = env.run(&["fmt", "--check", "--all"]);
    assert_eq!(code(&check), 1, "a file would change: exit 1\n{}", stderr(&check));
    let expected = expected_unformatted();
    assert_eq!(
        expected.len(),
        7,
        "the example has a defect for each of the four formatters"
    );
    assert_eq!(diffed(&stdout(&check)), expected, "{}", stdout(&check));
    assert!(stderr(&check).contains("7 of "), "{}", stderr(&check));
    assert_eq!(tree(&env.root), before, "fmt --check wrote into the repository");

    let fmt = env.run(&["fmt", "--all"]);
    assert_eq!(code(&fmt), 0, "{}", stderr(&fmt));
    let after = tree(&env.root);
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(p, bytes)| before.get(*p) != Some(bytes))
        .map(|(p, _)| p.clone())
        .collect();
    assert_eq!(changed, expected, "fmt rewrote exactly the files fmt --check listed");
    assert_eq!(after.len(), before.len(), "fmt created or removed files");

    let again = env.run(&["fmt", "--check", "--all"]);
    assert_eq!(code(&again), 0, "{}{}", stdout(&again), stderr(&again));
    assert_eq!(stdout(&again), "");
    let report = json(&env.run(&["check", "--format", "json"]));
    assert!(format_findings(&report).is_empty(), "{:#}", report["findings"]);
    assert!(
        FORMATTERS.iter().all(|f| ran(&report).contains(f)),
        "every formatter ran"
    );
    assert_eq!(report["tool_errors"], serde_json::json!([]));

    let second = env.run(&["fmt", "--all"]);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    assert_eq!(tree(&env.root), after, "a second fmt changed bytes");
}

#[test]
fn check_reports_formatting_with_the_diff_and_a_fix_and_writes_nothing() {
    let env = TestEnv::example("polyglot-service");
    let before = tree(&env.root);
    let out = env.run(&["check", "--format", "json"]);
    let report = json(&out);
    assert_eq!(report["tool_errors"], serde_json::json!([]), "{}", stderr(&out));
    let found: BTreeSet<String> = format_findings(&report)
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(found, expected_unformatted());
    // ruff-format on app/server.py: the finding is at the first changed line, with the diff, and its fix
    // rebuilds what the formatter prints.
    let server = format_findings(&report)
        .into_iter()
        .find(|f| f["path"] == "app/server.py")
        .expect("server.py finding")
        .clone();
    assert_eq!(server["linter"], "ruff-format");
    let diff = server["diff"].as_str().expect("a diff");
    assert!(
        diff.starts_with("--- a/app/server.py\n+++ b/app/server.py\n@@ "),
        "{diff}"
    );
    let first_hunk_line: u64 = diff
        .lines()
        .find_map(|l| l.strip_prefix("@@ -"))
        .and_then(|h| h.split([',', ' ']).next())
        .and_then(|n| n.parse().ok())
        .expect("hunk header");
    let first_changed = diff
        .lines()
        .skip_while(|l| !l.starts_with("@@"))
        .skip(1)
        .position(|l| l.starts_with('-') || l.starts_with('+'))
        .expect("a changed line") as u64;
    assert_eq!(server["line"].as_u64().unwrap(), first_hunk_line + first_changed);
    let original = std::fs::read_to_string(env.root.join("app/server.py")).unwrap();
    let ruff = pinned_binary("ruff");
    let printed = std::process::Command::new(&ruff)
        .args(["format", "--no-cache", "--stdin-filename", "app/server.py", "-"])
        .current_dir(&env.root)
        .stdin(std::fs::File::open(env.root.join("app/server.py")).unwrap())
        .output()
        .expect("ruff runs");
    let formatted = String::from_utf8(printed.stdout).unwrap();
    assert_ne!(formatted, original);
    assert_eq!(apply_fix(&original, &server["fix"]), formatted);

    // SARIF carries the same fix as artifactChanges.
    let sarif = json(&env.run(&["check", "--format", "sarif"]));
    assert_valid_sarif(&sarif);
    let run = sarif["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["tool"]["driver"]["name"] == "ruff-format")
        .expect("a ruff-format run");
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "format");
    let changes = &result["fixes"][0]["artifactChanges"][0];
    assert_eq!(changes["artifactLocation"]["uri"], "app/server.py");
    assert!(!changes["replacements"].as_array().unwrap().is_empty());

    // The console shows the diff under the finding.
    let console = env.run(&["check", "-l", "ruff-format"]);
    assert!(stdout(&console).contains("+++ b/app/server.py"), "{}", stdout(&console));
    assert_eq!(tree(&env.root), before, "check wrote into the repository");
}

/// Applies a finding's fix (line/column ranges, from the last edit) to `text`.
fn apply_fix(text: &str, fix: &serde_json::Value) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let offset = |line: u64, column: u64| -> usize {
        lines[..line as usize - 1]
            .iter()
            .map(|l| l.chars().count())
            .sum::<usize>()
            + column as usize
            - 1
    };
    let mut chars: Vec<char> = text.chars().collect();
    let edits = fix["edits"].as_array().expect("edits");
    for e in edits.iter().rev() {
        let r = &e["range"];
        assert_eq!(r["kind"], "lines");
        let start = offset(r["start_line"].as_u64().unwrap(), r["start_column"].as_u64().unwrap());
        let end = offset(r["end_line"].as_u64().unwrap(), r["end_column"].as_u64().unwrap());
        chars.splice(start..end, e["replacement"].as_str().unwrap().chars());
    }
    chars.into_iter().collect()
}

fn counts(report: &serde_json::Value, linters: &[&str]) -> BTreeMap<(String, String, String), usize> {
    let mut out = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        if linters.contains(&f["linter"].as_str().unwrap()) {
            let key = (
                f["linter"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
            );
            *out.entry(key).or_insert(0) += 1;
        }
    }
    out
}

#[test]
fn check_fix_applies_the_safe_fixes_formats_and_reports_what_remains() {
    let env = TestEnv::example("polyglot-service");
    let before = json(&env.run(&["check", "--format", "json"]));
    let was = counts(&before, &["ruff", "eslint"]);
    let mut safe: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    let mut unsafe_only = BTreeSet::new();
    for f in before["findings"].as_array().unwrap() {
        let key = (
            f["linter"].as_str().unwrap().to_owned(),
            f["rule"].as_str().unwrap().to_owned(),
            f["path"].as_str().unwrap().to_owned(),
        );
        if !["ruff", "eslint"].contains(&key.0.as_str()) {
            continue;
        }
        match f["fix"]["applicability"].as_str() {
            Some("safe") => *safe.entry(key).or_insert(0) += 1,
            Some("unsafe") => {
                unsafe_only.insert(key);
            }
            _ => {}
        }
    }
    assert!(
        safe.len() >= 6,
        "the example has safe fixes for ruff and eslint: {safe:?}"
    );
    assert!(!unsafe_only.is_empty(), "and an unsafe one (ruff B006)");

    let out = env.run(&["check", "--fix", "--format", "json"]);
    let after = json(&out);
    assert_eq!(after["tool_errors"], serde_json::json!([]), "{}", stderr(&out));
    let now = counts(&after, &["ruff", "eslint"]);
    for (key, n) in &safe {
        assert_eq!(
            now.get(key).copied().unwrap_or(0),
            was[key] - n,
            "{key:?}: its safe fixes were not applied\n{}",
            stderr(&out)
        );
    }
    for key in &unsafe_only {
        assert!(
            now.contains_key(key),
            "{key:?}: an unsafe fix was applied without --unsafe-fixes"
        );
    }
    // ESLint's findings without a fix all remain.
    for (key, n) in was.iter().filter(|(k, _)| k.0 == "eslint" && !safe.contains_key(*k)) {
        assert_eq!(now.get(key), Some(n), "{key:?} is not fixable yet changed");
    }
    assert!(format_findings(&after).is_empty(), "formatting is applied too");
    assert!(
        FORMATTERS.iter().all(|f| ran(&after).contains(f)),
        "every formatter ran"
    );
    // Every file still parses: no syntax error from any linter, and Python compiles.
    for f in after["findings"].as_array().unwrap() {
        let rule = f["rule"].as_str().unwrap();
        assert!(!rule.contains("syntax"), "{f}");
    }
    for py in ["app/handlers.py", "app/models.py", "app/server.py", "app/storage.py"] {
        let status = std::process::Command::new("python3")
            .args(["-m", "py_compile", py])
            .env("PYTHONPYCACHEPREFIX", env.dir.path().join("pycache"))
            .current_dir(&env.root)
            .status()
            .expect("python3 runs");
        assert!(status.success(), "{py} no longer compiles");
    }
    assert!(stderr(&out).contains("ruff fixed"), "{}", stderr(&out));

    // A second run changes no byte.
    let fixed = tree(&env.root);
    let again = env.run(&["check", "--fix", "--format", "json"]);
    assert_eq!(json(&again)["tool_errors"], serde_json::json!([]));
    assert_eq!(tree(&env.root), fixed, "a second check --fix changed bytes");

    // --unsafe-fixes applies the rest of ruff's.
    let out = env.run(&["check", "--fix", "--unsafe-fixes", "--format", "json"]);
    let report = json(&out);
    assert_eq!(report["tool_errors"], serde_json::json!([]), "{}", stderr(&out));
    assert!(ran(&report).contains("ruff"), "ruff did not run");
    let now = counts(&report, &["ruff"]);
    for key in unsafe_only.iter().filter(|k| k.0 == "ruff") {
        assert!(!now.contains_key(key), "{key:?}: --unsafe-fixes did not apply it");
    }
}

#[test]
fn formatters_run_only_where_the_repository_configures_them() {
    let env = TestEnv::with_files(&[
        ("client/.prettierrc", "{}\n"),
        ("client/a.ts", "const a = {b:1}\n"),
        ("server/b.ts", "const b = {c:2}\n"),
        ("tool.py", "x = {  'a':1}\n"),
        ("pyproject.toml", "[project]\nname = \"x\"\n"),
    ]);
    let report = json(&env.run(&["check", "--format", "json"]));
    assert_eq!(report["tool_errors"], serde_json::json!([]));
    let ran: BTreeSet<&str> = report["linters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert!(ran.contains("prettier") && !ran.contains("ruff-format"), "{ran:?}");
    let found: BTreeSet<(&str, &str)> = format_findings(&report)
        .iter()
        .map(|f| (f["linter"].as_str().unwrap(), f["path"].as_str().unwrap()))
        .collect();
    assert_eq!(found, BTreeSet::from([("prettier", "client/a.ts")]));
    // Turned on in lintmux.toml, a formatter runs on every file of its types.
    env.write(
        "lintmux.toml",
        "[linters.ruff-format]\nenabled = true\n[linters.prettier]\nenabled = true\n",
    );
    let report = json(&env.run(&["check", "--format", "json"]));
    let found: BTreeSet<(&str, &str)> = format_findings(&report)
        .iter()
        .map(|f| (f["linter"].as_str().unwrap(), f["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        BTreeSet::from([
            ("prettier", "client/a.ts"),
            ("prettier", "server/b.ts"),
            ("ruff-format", "tool.py")
        ])
    );
}

#[test]
fn fmt_formats_the_changed_files_by_default_in_git() {
    let env = TestEnv::with_files(&[
        (".prettierrc", "{}\n"),
        ("old.ts", "const a = {b:1}\n"),
        ("new.ts", "const b = 1;\n"),
    ]);
    git(&env.root, &["checkout", "-q", "-b", "main"]);
    git(&env.root, &["add", "-A"]);
    git(&env.root, &["commit", "-q", "-m", "base"]);
    git(&env.root, &["checkout", "-q", "-b", "topic"]);
    env.write("new.ts", "const b = {c:2}\n");
    let out = env.run(&["fmt"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("changed since the merge base with main"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(env.root.join("new.ts")).unwrap(),
        "const b = { c: 2 };\n"
    );
    assert_eq!(
        std::fs::read_to_string(env.root.join("old.ts")).unwrap(),
        "const a = {b:1}\n",
        "an unchanged file was formatted"
    );
    let all = env.run(&["fmt", "--all"]);
    assert_eq!(code(&all), 0, "{}", stderr(&all));
    assert_eq!(
        std::fs::read_to_string(env.root.join("old.ts")).unwrap(),
        "const a = { b: 1 };\n"
    );
}

/// A formatter defined by the repository (`linters.d/<name>.toml`, Python files): `script` answers
/// `list FILES…`, `version`, and `print FILE` (the file on stdin).
fn fake_formatter(env: &TestEnv, name: &str, script: &str) {
    let tool = env.helper(name, script);
    env.write(
        &format!("linters.d/{name}.toml"),
        &format!(
            "kind = \"formatter\"\ndescription = \"d\"\nhomepage = \"h\"\nfile_types = [\"python\"]\n\
             command = [\"{t}\", \"list\", \"{{files}}\"]\noutput = {{ format = \"regex\", pattern = '^(?P<path>.+)$', rule = \"format\" }}\n\
             version = {{ pin = \"1\", command = [\"{t}\", \"version\"], pattern = \"(.*)\" }}\n\
             [format]\nprint = [\"{t}\", \"print\", \"{{file}}\"]\n",
            t = tool.display()
        ),
    );
}

#[test]
fn a_formatter_that_fails_to_print_is_a_tool_error_and_its_finding_stays() {
    // A repository formatter whose listing names a file and whose printing crashes.
    let env = TestEnv::with_files(&[("a.py", "x = 1\n")]);
    fake_formatter(
        &env,
        "fakefmt",
        "#!/bin/sh\ncase \"$1\" in list) echo a.py; exit 1 ;; version) echo 1; exit 0 ;; esac\necho 'boom' >&2\nexit 3\n",
    );
    let out = env.run(&["check", "--format", "json", "-l", "fakefmt", "--tools", "system"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report = json(&out);
    let errors = tool_errors(&report);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let message = report["tool_errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("could not print a.py formatted: exit code 3"),
        "{message}"
    );
    assert_eq!(report["tool_errors"][0]["output_tail"], "boom");
    assert_eq!(format_findings(&report).len(), 1, "the formatter's own finding stays");
    let fmt = env.run(&["fmt", "--all", "-l", "fakefmt", "--tools", "system"]);
    assert_eq!(code(&fmt), 2, "{}", stderr(&fmt));
    assert_eq!(std::fs::read_to_string(env.root.join("a.py")).unwrap(), "x = 1\n");
}

#[test]
fn a_formatter_listing_files_it_was_not_given_reads_nothing_outside_them() {
    // A hostile formatter names a file outside the root and one it was not given; lintmux prints only
    // what it gave it (so no byte of the outside file reaches a diff) and says the listing cannot be true.
    let env = TestEnv::with_files(&[("a.py", "x = 1\n"), ("b.txt", "not python\n")]);
    std::fs::write(env.dir.path().join("secret.txt"), "TOPSECRET\n").unwrap();
    fake_formatter(
        &env,
        "listsall",
        "#!/bin/sh\ncase \"$1\" in\n  list) printf 'a.py\\n../secret.txt\\nb.txt\\n'; exit 1 ;;\n  version) echo 1; exit 0 ;;\nesac\ncat; echo '# formatted'\n",
    );
    let out = env.run(&["check", "--format", "json", "-l", "listsall", "--tools", "system"]);
    assert!(!stdout(&out).contains("TOPSECRET"), "{}", stdout(&out));
    assert_eq!(
        code(&out),
        2,
        "a listing naming files it was not given is not to be trusted"
    );
    let report = json(&out);
    assert_eq!(
        tool_errors(&report),
        [("listsall".to_owned(), "implausible_output".to_owned())]
    );
    let printed: Vec<&str> = format_findings(&report)
        .iter()
        .filter(|f| f["diff"].is_string())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(printed, ["a.py"], "only the file it was given is printed");
    let fmt = env.run(&["fmt", "--all", "-l", "listsall", "--tools", "system"]);
    assert!(!stdout(&fmt).contains("TOPSECRET") && !stderr(&fmt).contains("TOPSECRET"));
    assert_eq!(
        code(&fmt),
        2,
        "the implausible listing is an error here too\n{}",
        stderr(&fmt)
    );
    assert_eq!(
        std::fs::read_to_string(env.root.join("a.py")).unwrap(),
        "x = 1\n# formatted\n",
        "the file it was given is formatted"
    );
    assert_eq!(
        std::fs::read_to_string(env.dir.path().join("secret.txt")).unwrap(),
        "TOPSECRET\n"
    );
    assert_eq!(std::fs::read_to_string(env.root.join("b.txt")).unwrap(), "not python\n");
}
