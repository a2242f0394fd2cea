//! SARIF output: valid against the OASIS 2.1.0 schema, free of errors under GitHub's upload rules
//! (`Sarif.Multitool validate --rule-kind Gh`), and carrying what code scanning needs.

use std::path::PathBuf;

use crate::support::{TestEnv, assert_valid_sarif, code, stderr};

/// The polyglot example plus a linter that fails, so tool-error notifications are in the log too.
fn sarif_with_a_tool_error() -> (TestEnv, serde_json::Value, Vec<u8>) {
    sarif_with_a_tool_error_in(&[])
}

/// The same, with these environment variables (a CI system's).
fn sarif_with_a_tool_error_in(vars: &[(&str, &str)]) -> (TestEnv, serde_json::Value, Vec<u8>) {
    let env = TestEnv::example("polyglot-service");
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
    let out = env
        .cmd()
        .envs(vars.iter().copied())
        .args(["check", "--format", "sarif"])
        .output()
        .expect("lintmux runs");
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    (env, log, out.stdout)
}

#[test]
fn sarif_validates_against_the_schema() {
    let (_env, log, _) = sarif_with_a_tool_error();
    assert_valid_sarif(&log);
}

#[test]
fn sarif_carries_what_code_scanning_needs() {
    let (_env, log, _) = sarif_with_a_tool_error();
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    let names: Vec<&str> = runs
        .iter()
        .map(|r| r["tool"]["driver"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "actionlint",
            "broken",
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
        ]
    );
    let broken = &runs[1];
    assert_eq!(broken["invocations"][0]["executionSuccessful"], false);
    let note = broken["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert!(note.contains("`lintmux-test-not-installed` was not found"), "{note}");
    let ruff = runs.iter().find(|r| r["tool"]["driver"]["name"] == "ruff").unwrap();
    assert_eq!(ruff["tool"]["driver"]["version"], "0.17.5");
    assert_eq!(ruff["invocations"][0]["executionSuccessful"], true);
    let rules = ruff["tool"]["driver"]["rules"].as_array().unwrap();
    for result in ruff["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let loc = &result["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("app/") || uri.starts_with("tests/"), "{uri}");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
        let hash = result["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(hash.contains(':'), "{hash}");
    }
    let f401 = rules.iter().find(|r| r["id"] == "F401").unwrap();
    assert_eq!(f401["helpUri"], "https://docs.astral.sh/ruff/rules/unused-import");
    // Each rule as ruff itself names and describes it (linters.d/rules/ruff.tsv), not a finding's message.
    assert_eq!(f401["name"], "unused-import");
    let listed = include_str!("../../linters.d/rules/ruff.tsv")
        .lines()
        .find_map(|l| l.strip_prefix("F401\tunused-import\t"))
        .unwrap();
    assert_eq!(f401["shortDescription"]["text"], listed);
    assert_eq!(f401["fullDescription"]["text"], listed);
    assert_eq!(ruff["tool"]["driver"]["fullName"], "ruff 0.17.5");
    // Every rule: the linter's own description where lintmux ships its list, else the rule id.
    let tables = [
        ("eslint", include_str!("../../linters.d/rules/eslint.tsv")),
        ("hadolint", include_str!("../../linters.d/rules/hadolint.tsv")),
        (
            "markdownlint-cli2",
            include_str!("../../linters.d/rules/markdownlint-cli2.tsv"),
        ),
        ("mypy", include_str!("../../linters.d/rules/mypy.tsv")),
        ("ruff", include_str!("../../linters.d/rules/ruff.tsv")),
        ("yamllint", include_str!("../../linters.d/rules/yamllint.tsv")),
    ];
    for run in runs {
        let linter = run["tool"]["driver"]["name"].as_str().unwrap();
        let table = tables.iter().find(|(l, _)| *l == linter).map(|(_, t)| *t);
        for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
            let id = rule["id"].as_str().unwrap();
            let listed = table.and_then(|t| {
                t.lines()
                    .map(|l| l.splitn(3, '\t').collect::<Vec<_>>())
                    .find(|cols| cols[0] == id)
                    .map(|cols| (cols[1].to_owned(), cols[2].to_owned()))
            });
            let (name, short) = listed.unwrap_or_else(|| (id.to_owned(), format!("{linter} rule {id}")));
            assert_eq!(rule["name"], name.as_str(), "{rule}");
            assert_eq!(rule["shortDescription"]["text"], short.as_str(), "{rule}");
        }
    }
    // Regions carry the end the linter gives (ruff gives one for every finding).
    for result in ruff["results"].as_array().unwrap() {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(
            region["endLine"].as_u64().is_some() && region["endColumn"].as_u64().is_some(),
            "{region}"
        );
    }
}

/// The Sarif.Multitool binary from the pinned npm package, installed once beside the test cache.
fn multitool() -> PathBuf {
    // Installed once per test run: two tests installing it at once have one run it while the other's
    // npm still writes it ("Text file busy").
    static INSTALLED: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    INSTALLED.get_or_init(install_multitool).clone()
}

fn install_multitool() -> PathBuf {
    let prefix = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sarif-multitool");
    let bin = prefix.join("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
    if !bin.exists() {
        let status = std::process::Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg("@microsoft/sarif-multitool@5.7.0")
            .status()
            .expect("npm is needed to install @microsoft/sarif-multitool for this test: install Node.js and npm");
        assert!(status.success(), "npm install @microsoft/sarif-multitool@5.7.0 failed");
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("Sarif.Multitool is installed");
    bin
}

/// What `Sarif.Multitool validate --rule-kind KIND` says about this log: its errors and warnings.
fn multitool_problems(env: &TestEnv, bytes: &[u8], kind: &str) -> Vec<String> {
    let input = env.dir.path().join("lintmux.sarif");
    let output = env.dir.path().join("validation.sarif");
    std::fs::write(&input, bytes).unwrap();
    // Its exit code is 0 even when it finds errors, so its output is read.
    let out = std::process::Command::new(multitool())
        .args([
            "validate",
            "--rule-kind",
            kind,
            "--level",
            "Error;Warning",
            "--log",
            "ForceOverwrite",
            "-o",
        ])
        .arg(&output)
        .arg(&input)
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .expect("Sarif.Multitool runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Analysis completed successfully"),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let problems: Vec<String> = text
        .lines()
        .filter(|l| l.contains(": error ") || l.contains(": warning "))
        .map(str::to_owned)
        .collect();
    let validation: serde_json::Value = serde_json::from_slice(&std::fs::read(&output).unwrap()).unwrap();
    let results = validation["runs"][0]["results"].as_array().map_or(0, Vec::len);
    assert_eq!(
        results == 0,
        problems.is_empty(),
        "its log and its output agree: {problems:?}"
    );
    problems
}

#[test]
fn sarif_has_no_errors_under_github_rules() {
    let (env, _, bytes) = sarif_with_a_tool_error();
    let problems = multitool_problems(&env, &bytes, "Gh");
    assert!(problems.is_empty(), "Sarif.Multitool found:\n{}", problems.join("\n"));
}

/// GitHub Advanced Security for Azure DevOps also needs the pipeline in each run's automationDetails,
/// which lintmux takes from the Azure Pipelines agent's variables.
#[test]
fn sarif_has_no_errors_under_azure_devops_rules() {
    let azure = [
        ("TF_BUILD", "True"),
        ("SYSTEM_DEFINITIONID", "12"),
        ("BUILD_DEFINITIONNAME", "service-lint"),
        ("SYSTEM_PHASEID", "3f1c2b7a-0000-4000-8000-000000000001"),
        ("SYSTEM_PHASENAME", "lint"),
        ("SYSTEM_COLLECTIONURI", "https://dev.azure.com/example-org/"),
        ("SYSTEM_TEAMPROJECT", "services"),
        ("BUILD_SOURCEBRANCH", "refs/heads/main"),
        ("BUILD_BUILDID", "345"),
    ];
    let (env, log, bytes) = sarif_with_a_tool_error_in(&azure);
    assert_eq!(
        log["runs"][1]["automationDetails"]["properties"]["azuredevops/pipeline/build/phaseName"],
        "lint"
    );
    assert_eq!(
        log["runs"][1]["automationDetails"]["id"],
        "azuredevops/pipeline/build/example-org/services/12/3f1c2b7a-0000-4000-8000-000000000001/refs/heads/main/345"
    );
    let problems = multitool_problems(&env, &bytes, "GHAzDO");
    assert!(problems.is_empty(), "Sarif.Multitool found:\n{}", problems.join("\n"));
}
