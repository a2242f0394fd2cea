//! The service-repository linters (actionlint, zizmor, check-jsonschema, typos, taplo, detect-secrets,
//! codespell) on the example service and on small repositories, with the real pinned tools; and the
//! promise that no report ever holds the text of a secret.

use crate::support::{
    TestEnv, assert_valid_sarif, code, finding_keys, json, manifest_dir, stderr, stdout, tool_errors,
};

type Key = (String, String, String, u64);

/// The fake key committed in the example (AWS's documented example key).
const FAKE_KEY: &str = "AKIAIOSFODNN7EXAMPLE"; // pragma: allowlist secret

/// The expected findings of one linter on the example (tests/expected/polyglot-service.tsv).
fn expected(linter: &str) -> Vec<Key> {
    let text = std::fs::read_to_string(manifest_dir().join("tests/expected/polyglot-service.tsv"))
        .expect("tests/expected/polyglot-service.tsv");
    let mut keys: Vec<Key> = text
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|c| c.len() == 4 && c[0] == linter)
        .map(|c| {
            (
                c[0].to_owned(),
                c[1].to_owned(),
                c[2].to_owned(),
                c[3].parse().expect("line"),
            )
        })
        .collect();
    keys.sort();
    keys
}

/// Runs one linter on the example and checks its findings against the expected list.
fn example_finds_exactly(linter: &str) -> serde_json::Value {
    let want = expected(linter);
    assert!(!want.is_empty(), "the example has known defects for {linter}");
    let env = TestEnv::example("polyglot-service");
    let out = env.run(&["check", "--no-cache", "--linters", linter, "--format", "json"]);
    let report = json(&out);
    assert_eq!(tool_errors(&report), [], "{}", stderr(&out));
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(finding_keys(&report), want);
    report
}

fn message_of<'a>(report: &'a serde_json::Value, rule: &str) -> &'a str {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == rule)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no {rule} finding in {report}"))
}

#[test]
fn actionlint_on_the_example() {
    let report = example_finds_exactly("actionlint");
    assert!(
        report.to_string().contains("property \\\"node\\\" is not defined"),
        "{report}"
    );
}

#[test]
fn zizmor_on_the_example() {
    let report = example_finds_exactly("zizmor");
    let finding = &report["findings"][0];
    assert_eq!(finding["help_uri"], "https://docs.zizmor.sh/audits/#template-injection");
}

#[test]
fn check_jsonschema_on_the_example() {
    let report = example_finds_exactly("check-jsonschema");
    assert!(
        message_of(&report, "schema").starts_with("$.services.backup"),
        "{report}"
    );
}

#[test]
fn typos_on_the_example_docs() {
    let report = example_finds_exactly("typos");
    assert_eq!(message_of(&report, "typo"), "`compresed` should be `compressed`");
}

#[test]
fn typos_code_on_the_example_docstring() {
    // The example turns typos-code on in its lintmux.toml.
    let report = example_finds_exactly("typos-code");
    assert_eq!(message_of(&report, "typo"), "`conection` should be `connection`");
}

#[test]
fn detect_secrets_on_the_example() {
    let report = example_finds_exactly("detect-secrets");
    assert!(!report.to_string().contains(FAKE_KEY));
}

#[test]
fn taplo_on_the_example_and_on_a_duplicate_key() {
    // The example's TOML files are clean: taplo runs on the three (pyproject.toml, lintmux.toml, .taplo.toml)
    // and finds nothing.
    let env = TestEnv::example("polyglot-service");
    let out = env.run(&["check", "--no-cache", "--linters", "taplo", "--format", "json"]);
    let report = json(&out);
    assert_eq!((code(&out), tool_errors(&report)), (0, vec![]), "{}", stderr(&out));
    assert_eq!(report["linters"][0]["files"], 3);
    let env = TestEnv::with_files(&[("config/app.toml", "[server]\nport = 8080\nport = 9090\n")]);
    let report = json(&env.run(&["check", "--no-cache", "--format", "json"]));
    assert_eq!(
        finding_keys(&report),
        [("taplo".into(), "toml".into(), "config/app.toml".into(), 3)]
    );
}

#[test]
fn codespell_is_off_unless_enabled() {
    let files = [("docs/notes.md", "# Notes\n\nThe value is recieved.\n")];
    let env = TestEnv::with_files(&files);
    let report = json(&env.run(&["check", "--no-cache", "--format", "json"]));
    let ran: Vec<&str> = report["linters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert!(ran.contains(&"typos") && !ran.contains(&"codespell"), "{ran:?}");
    env.write("lintmux.toml", "[linters.codespell]\nenabled = true\n");
    let report = json(&env.run(&["check", "--no-cache", "--format", "json"]));
    let keys = finding_keys(&report);
    assert!(
        keys.contains(&("codespell".into(), "misspelling".into(), "docs/notes.md".into(), 3)),
        "{keys:?}"
    );
}

#[test]
fn check_jsonschema_takes_each_type_with_its_own_schema() {
    let env = TestEnv::with_files(&[
        (".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    steps: []\n"),
        ("compose.yaml", "services:\n  web:\n    image: nginx\n    ports: 8080\n"),
        ("ci/action.yml", "name: x\ndescription: y\nruns:\n  using: node20\n"),
    ]);
    let out = env.run(&[
        "check",
        "--no-cache",
        "--linters",
        "check-jsonschema",
        "--format",
        "json",
    ]);
    let report = json(&out);
    assert_eq!(tool_errors(&report), [], "{}", stderr(&out));
    let paths: std::collections::BTreeSet<String> = finding_keys(&report).into_iter().map(|k| k.2).collect();
    // A job without runs-on breaks the workflow schema, ports as a number the compose schema, and an
    // action without `main` the action schema: each file was checked against its own.
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        [".github/workflows/ci.yml", "ci/action.yml", "compose.yaml"]
    );
    assert_eq!(report["linters"][0]["jobs"], 3, "one job per schema");
}

#[test]
fn check_jsonschema_checks_gitlab_ci_dependabot_renovate_and_readthedocs() {
    let env = TestEnv::with_files(&[
        // `!reference` needs check-jsonschema's GitLab transform to load at all.
        (
            ".gitlab-ci.yml",
            ".setup:\n  script: [echo hi]\ntest:\n  script:\n    - !reference [.setup, script]\n  when: sometimes\n",
        ),
        (
            ".github/dependabot.yml",
            "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule:\n      interval: hourly\n",
        ),
        (
            "renovate.json",
            "{\"extends\": [\"config:recommended\"], \"automerge\": \"yes\"}\n",
        ),
        (".readthedocs.yaml", "version: 2\nformats: pdf\n"),
    ]);
    let out = env.run(&[
        "check",
        "--no-cache",
        "--linters",
        "check-jsonschema",
        "--format",
        "json",
    ]);
    let report = json(&out);
    assert_eq!(tool_errors(&report), [], "{}", stderr(&out));
    let found: Vec<(String, u64)> = finding_keys(&report).into_iter().map(|k| (k.2, k.3)).collect();
    assert_eq!(
        found,
        [
            (".github/dependabot.yml".to_owned(), 6),
            (".gitlab-ci.yml".to_owned(), 6),
            (".readthedocs.yaml".to_owned(), 2),
            ("renovate.json".to_owned(), 1),
        ]
    );
    assert_eq!(report["linters"][0]["jobs"], 4, "one job per schema");
}

#[test]
fn a_broken_linter_config_is_a_tool_error() {
    let env = TestEnv::with_files(&[
        ("docs/a.md", "# A\n\nFine.\n"),
        ("_typos.toml", "[default.extend-words\n"),
    ]);
    let out = env.run(&["check", "--no-cache", "--linters", "typos", "--format", "json"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(tool_errors(&json(&out)), [("typos".to_owned(), "failed".to_owned())]);
}

#[test]
fn a_repository_schema_checks_the_files_its_glob_names() {
    let schema = r#"{"type": "object", "required": ["kind"], "properties": {"replicas": {"type": "integer"}}}"#;
    let env = TestEnv::with_files(&[
        ("schemas/deploy.json", schema),
        ("deploy/k8s/api.yaml", "kind: Deployment\nreplicas: two\n"),
        ("deploy/notes.yaml", "replicas: two\n"),
        (
            "lintmux.toml",
            "[linters.check-jsonschema]\nschemas = { \"deploy/k8s/*.yaml\" = \"schemas/deploy.json\" }\n",
        ),
    ]);
    let run = || {
        let out = env.run(&["check", "--linters", "check-jsonschema", "--format", "json"]);
        let report = json(&out);
        assert_eq!(tool_errors(&report), [], "{}", stderr(&out));
        report
    };
    let report = run();
    assert_eq!(
        finding_keys(&report),
        [(
            "check-jsonschema".into(),
            "schema".into(),
            "deploy/k8s/api.yaml".into(),
            2
        )]
    );
    assert_eq!(
        message_of(&report, "schema"),
        "$.replicas: 'two' is not of type 'integer'"
    );
    // The schema is an input of the result cache: a changed schema is used at once.
    env.write("schemas/deploy.json", r#"{"type": "object"}"#);
    assert_eq!(finding_keys(&run()), []);
    let config = env.run(&["config"]);
    assert!(
        stdout(&config).contains("schemas.\"deploy/k8s/*.yaml\""),
        "{}",
        stdout(&config)
    );
}

#[test]
fn schema_mistakes_are_config_errors() {
    let env = TestEnv::with_files(&[(
        "lintmux.toml",
        "[linters.check-jsonschema]\nschemas = { \"k8s/*.yaml\" = \"missing.json\" }\n",
    )]);
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("lintmux.toml:2:28: schema file `missing.json` does not exist"),
        "{}",
        stderr(&out)
    );
    env.write(
        "lintmux.toml",
        "[linters.yamllint]\nschemas = { \"k8s/*.yaml\" = \"lintmux.toml\" }\n",
    );
    let out = env.run(&["check"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("yamllint's definition has no `schema_arg`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn paths_stay_relative_to_a_root_below_the_git_top() {
    // zizmor writes SARIF paths relative to the git repository's top; the root here is a directory below
    // it (it has its own lintmux.toml).
    let workflow = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.head_commit.message }}\"\n";
    let env = TestEnv::with_files(&[("svc/lintmux.toml", ""), ("svc/.github/workflows/ci.yml", workflow)]);
    let out = env.run(&["check", "svc", "--no-cache", "--linters", "zizmor", "--format", "json"]);
    let report = json(&out);
    assert_eq!(tool_errors(&report), [], "{}", stderr(&out));
    assert_eq!(
        finding_keys(&report),
        [(
            "zizmor".into(),
            "zizmor/template-injection".into(),
            ".github/workflows/ci.yml".into(),
            7
        )]
    );
}

/// No report format holds the secret's text: console, JSON and SARIF, on stdout and written to files.
#[test]
fn no_report_contains_the_secret() {
    let env = TestEnv::example("polyglot-service");
    let staged = std::fs::read_to_string(env.root.join("deploy/staging.env")).expect("the example's env file");
    assert!(staged.contains(FAKE_KEY), "the example holds the fake key");
    let sarif_path = env.dir.path().join("out.sarif");
    let json_path = env.dir.path().join("out.json");
    let mut outputs = Vec::new();
    for format in ["console", "json", "sarif"] {
        let out = env.run(&["check", "--no-cache", "--format", format]);
        assert_eq!(code(&out), 1, "{format}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("detect-secrets"),
            "{format}: the secret was found"
        );
        outputs.push((format.to_owned(), stdout(&out) + &stderr(&out)));
    }
    let out = env
        .cmd()
        .args(["check", "--no-cache", "--sarif"])
        .arg(&sarif_path)
        .output()
        .expect("lintmux runs");
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    outputs.push(("console with --sarif".into(), stdout(&out) + &stderr(&out)));
    let out = env
        .cmd()
        .args(["check", "--no-cache", "--format", "json", "-o"])
        .arg(&json_path)
        .output()
        .expect("lintmux runs");
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    for path in [&sarif_path, &json_path] {
        outputs.push((
            path.display().to_string(),
            std::fs::read_to_string(path).expect("report written"),
        ));
    }
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).expect("sarif")).expect("SARIF is JSON");
    assert_valid_sarif(&sarif);
    for (what, text) in outputs {
        assert!(!text.contains(FAKE_KEY), "{what} holds the secret:\n{text}");
        assert!(!text.contains("IOSFODNN7"), "{what} holds part of the secret");
    }
}

// --- Overlapping file types -------------------------------------------------------------------------------
// These need a file to have several types (a workflow is `yaml` and `github-workflow`; every file is
// `text` too). They fail until the engine classifies files that way.

#[test]
fn a_workflow_is_linted_as_yaml_and_as_a_workflow() {
    let env = TestEnv::example("polyglot-service");
    let report = json(&env.run(&["check", "--no-cache", "--format", "json"]));
    let on_ci: std::collections::BTreeSet<String> = finding_keys(&report)
        .into_iter()
        .filter(|k| k.2 == ".github/workflows/ci.yml")
        .map(|k| k.0)
        .collect();
    assert_eq!(
        on_ci.into_iter().collect::<Vec<_>>(),
        ["actionlint", "yamllint", "zizmor"]
    );
}

#[test]
fn a_secret_in_code_is_found() {
    let env = TestEnv::with_files(&[("app/settings.py", "AWS_ACCESS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\"\n")]);
    let report = json(&env.run(&["check", "--no-cache", "--format", "json"]));
    let keys = finding_keys(&report);
    assert!(
        keys.contains(&(
            "detect-secrets".into(),
            "aws-access-key".into(),
            "app/settings.py".into(),
            1
        )),
        "{keys:?}"
    );
    assert!(!report.to_string().contains(FAKE_KEY));
}
