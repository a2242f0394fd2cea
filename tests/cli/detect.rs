//! `lintmux detect`: what the walk finds and why.

use crate::support::{TestEnv, code, stdout};

#[test]
fn detect_files_explains_each_file() {
    let env = TestEnv::with_files(&[
        (".github/workflows/ci.yml", "on: push\n"),
        (".gitignore", "build/\n"),
        ("build/gen.py", "x = 1\n"),
        ("app/main.py", "x = 1\n"),
        ("deploy/Dockerfile.prod", "FROM scratch\n"),
        ("api.Dockerfile", "FROM scratch\n"),
        ("client/index.cts", "export {};\n"),
        // prettier runs where it is configured: on client/, not on the workflow (nor does any other
        // formatter run here, unconfigured).
        ("client/.prettierrc", "{}\n"),
        ("scripts/healthcheck", "#!/usr/bin/env -S bash -eu\necho ok\n"),
        ("scripts/migrate", "#!/usr/bin/python3.11 -u\nprint(1)\n"),
        ("scripts/blob", "\u{0}\u{1}binary"),
        ("notes.txt", "only the secret scanner reads it\n"),
    ]);
    std::fs::write(env.root.join(".git/info/exclude"), "excluded.sh\n").unwrap();
    env.write("excluded.sh", "echo hi\n");
    let out = env.run(&["detect", "--files"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        stdout(&out),
        "\
.github/workflows/ci.yml\tgithub-workflow\tpath matches **/.github/workflows/*.yml\tactionlint,check-jsonschema,zizmor
.github/workflows/ci.yml\ttext\tnot binary\tdetect-secrets
.github/workflows/ci.yml\tyaml\tname matches *.yml\tyamllint
.gitignore\ttext\tnot binary\tdetect-secrets
api.Dockerfile\tdockerfile\tname matches *.Dockerfile\thadolint
api.Dockerfile\ttext\tnot binary\tdetect-secrets
app/main.py\tpython\tname matches *.py\tmypy,ruff
app/main.py\ttext\tnot binary\tdetect-secrets
client/.prettierrc\ttext\tnot binary\tdetect-secrets
client/index.cts\ttext\tnot binary\tdetect-secrets
client/index.cts\ttypescript\tname matches *.cts\teslint,prettier
deploy/Dockerfile.prod\tdockerfile\tname matches Dockerfile.*\thadolint
deploy/Dockerfile.prod\ttext\tnot binary\tdetect-secrets
notes.txt\ttext\tnot binary\tdetect-secrets
scripts/healthcheck\tshell\tshebang names bash\tshellcheck
scripts/healthcheck\ttext\tnot binary\tdetect-secrets
scripts/migrate\tpython\tshebang names python3.11\tmypy,ruff
scripts/migrate\ttext\tnot binary\tdetect-secrets
scripts/blob\t-\tskipped: binary\t
"
    );
}

#[test]
fn detect_counts_types() {
    let env = TestEnv::with_files(&[("a.py", "x = 1\n"), ("b.py", "y = 2\n"), ("README.md", "# R\n")]);
    let out = stdout(&env.run(&["detect"]));
    assert!(
        out.contains(
            "markdown             1 files  linted by markdownlint-cli2, typos; off: codespell, prettier (not configured)\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "python               2 files  linted by mypy, ruff; off: codespell, typos-code, ruff-format (not configured)\n"
        ),
        "{out}"
    );
    assert!(out.ends_with("skipped: 0 binary, 0 too large\n"), "{out}");
}
