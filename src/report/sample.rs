//! One small, realistic report with every kind of row the reporters handle, for their snapshot tests: a
//! check of four files with `--changed main --new-only --shard 1/3` and PATHs, under `trust = "none"`
//! from the repository's lintmux.toml. It has findings at each level, with and without an end and a help
//! link; fixes by lines and by offsets; a formatter's finding with its diff; findings that cannot be true
//! and the tool error that goes with them; a refused, a missing, a timed-out and a garbled linter;
//! hidden (older) findings; a linter in a container, one with a note, and one from a central
//! definition. One message quotes hostile text, so every report's escaping shows.
//!
//! The root does not exist, so nothing is read from the machine: no file has a line hash.

use std::time::Duration;

use crate::model::{
    Edit, FileStats, Finding, Fix, Level, LinterRun, Origin, Range, Report, Scope, Shard, ToolError, ToolErrorKind, at,
};

/// The lint root: absolute, fixed, and nowhere on any machine.
const ROOT: &str = "/nonexistent/lintmux-sample";

/// `app/server.py` as it is, and as ruff-format prints it.
const SERVER_PY: &str =
    "import os\nimport json\nimport requests\n\ndef handler( request ):\n    return json.dumps({'ok':True})\n";
const SERVER_PY_FORMATTED: &str =
    "import os\nimport json\nimport requests\n\n\ndef handler(request):\n    return json.dumps({\"ok\": True})\n";

const MYPY_DOCS: &str = "https://mypy.readthedocs.io/en/stable/error_code_list.html";

/// A finding at `(path, line, column)`, ending at `end` (line, column) and with a help link where it has them.
fn finding(
    linter: &str,
    rule: &str,
    level: Level,
    message: &str,
    (path, line, column): (&str, u32, u32),
    end: Option<(u32, u32)>,
    help_uri: Option<&str>,
) -> Finding {
    Finding {
        end_line: end.map(|(l, _)| l),
        end_column: end.map(|(_, c)| c),
        help_uri: help_uri.map(str::to_owned),
        ..Finding::new(linter, rule, level, message.to_owned(), at(path, line, column))
    }
}

fn lines_edit(start: (u32, u32), end: (u32, u32), replacement: &str) -> Edit {
    Edit {
        range: Range::Lines {
            start_line: start.0,
            start_column: start.1,
            end_line: end.0,
            end_column: end.1,
        },
        replacement: replacement.to_owned(),
    }
}

/// lintmux's own definition, run with `binary` (none: it could not be made ready).
fn builtin(binary: Option<String>) -> Origin {
    Origin {
        definition: "built-in".into(),
        definition_file: "builtin".into(),
        overrides_builtin: false,
        binary,
    }
}

/// lintmux's own definition and pinned tool (the console does not name it).
fn pinned(program: &str) -> Origin {
    builtin(Some(format!("{program} (lintmux's pinned install)")))
}

fn run(name: &str, version: Option<&str>, homepage: &str, paths: &[&str], jobs: usize, wall_ms: u64) -> LinterRun {
    LinterRun {
        name: name.into(),
        version: version.map(str::to_owned),
        homepage: homepage.into(),
        files: paths.len(),
        jobs,
        wall: Duration::from_millis(wall_ms),
        paths: paths.iter().map(|p| (*p).to_owned()).collect(),
        ..LinterRun::default()
    }
}

fn findings() -> Vec<Finding> {
    let mut findings = Vec::new();

    // ruff: an error with a safe fix by lines.
    let mut f = finding(
        "ruff",
        "F401",
        Level::Error,
        "`os` imported but unused",
        ("app/server.py", 1, 8),
        Some((1, 10)),
        Some("https://docs.astral.sh/ruff/rules/unused-import"),
    );
    f.fix = Some(Fix {
        description: "Remove unused import: `os`".into(),
        edits: vec![lines_edit((1, 1), (2, 1), "")],
        applicability: Some("safe".into()),
    });
    findings.push(f);

    // ruff-format: the real formatter path, a diff and a fix of changed runs of lines.
    findings.extend(crate::parse::printed::compare(
        "ruff-format",
        "app/server.py",
        SERVER_PY,
        SERVER_PY_FORMATTED,
    ));

    // mypy: a message of several lines (mypy's hint), with double quotes.
    findings.push(finding(
        "mypy",
        "import-untyped",
        Level::Error,
        "Library stubs not installed for \"requests\"\nHint: \"python3 -m pip install types-requests\"\n\
         (or run \"mypy --install-types\" to install all missing stub packages)",
        ("app/server.py", 3, 1),
        Some((3, 2)),
        Some(&format!("{MYPY_DOCS}#code-import-untyped")),
    ));

    // mypy: two findings that cannot be true (see `crate::filter::plausible`): a file outside the root, and line 0.
    let mut f = finding(
        "mypy",
        "return-value",
        Level::Error,
        "Incompatible return value type (got \"int\", expected \"str\")",
        ("app/../../shared/models.py", 12, 12),
        Some((12, 19)),
        Some(&format!("{MYPY_DOCS}#code-return-value")),
    );
    f.doubt = Some("the file is outside the lint root".into());
    findings.push(f);
    let mut f = finding(
        "mypy",
        "misc",
        Level::Error,
        "Invalid \"type: ignore\" comment",
        ("app/server.py", 0, 1),
        None,
        None,
    );
    f.doubt = Some("line 0 is not a line of a file (lines count from 1)".into());
    findings.push(f);

    // eslint: an error with an end, and one with a safe fix by character offsets.
    findings.push(finding(
        "eslint",
        "@typescript-eslint/no-explicit-any",
        Level::Error,
        "Unexpected any. Specify a different type.",
        ("client/src/api.ts", 3, 28),
        Some((3, 31)),
        Some("https://typescript-eslint.io/rules/no-explicit-any"),
    ));
    let mut f = finding(
        "eslint",
        "prefer-const",
        Level::Error,
        "'data' is never reassigned. Use 'const' instead.",
        ("client/src/api.ts", 4, 7),
        Some((4, 11)),
        Some("https://eslint.org/docs/latest/rules/prefer-const"),
    );
    f.fix = Some(Fix {
        description: "apply the prefer-const fix".into(),
        edits: vec![Edit {
            range: Range::Offsets { offset: 82, length: 30 },
            replacement: "const data = await res.json();".into(),
        }],
        applicability: Some("safe".into()),
    });
    findings.push(f);

    // typos: a warning with an end and no help link.
    findings.push(finding(
        "typos",
        "typo",
        Level::Warning,
        "`recieve` should be `receive`",
        ("client/src/api.ts", 7, 14),
        Some((7, 21)),
        None,
    ));

    // hadolint: no end; `<` and `>` in a message.
    findings.push(finding(
        "hadolint",
        "DL3006",
        Level::Warning,
        "Always tag the version of an image explicitly",
        ("Dockerfile", 1, 1),
        None,
        Some("https://github.com/hadolint/hadolint/wiki/DL3006"),
    ));
    findings.push(finding(
        "hadolint",
        "DL3008",
        Level::Warning,
        "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install \
         <package>=<version>`",
        ("Dockerfile", 3, 1),
        None,
        Some("https://github.com/hadolint/hadolint/wiki/DL3008"),
    ));
    findings.push(finding(
        "hadolint",
        "DL3009",
        Level::Note,
        "Delete the apt lists (/var/lib/apt/lists) after installing something",
        ("Dockerfile", 3, 1),
        None,
        Some("https://github.com/hadolint/hadolint/wiki/DL3009"),
    ));

    // shellcheck: a note with a fix of two insertions and no applicability (shellcheck gives none).
    let mut f = finding(
        "shellcheck",
        "SC2086",
        Level::Note,
        "Double quote to prevent globbing and word splitting.",
        ("scripts/deploy.sh", 5, 9),
        Some((5, 16)),
        Some("https://www.shellcheck.net/wiki/SC2086"),
    );
    f.fix = Some(Fix {
        description: "apply the SC2086 fix".into(),
        edits: vec![lines_edit((5, 9), (5, 9), "\""), lines_edit((5, 16), (5, 16), "\"")],
        applicability: None,
    });
    findings.push(f);
    findings.push(finding(
        "shellcheck",
        "SC2069",
        Level::Warning,
        "To redirect stdout+stderr, 2>&1 must be last (or use '{ cmd > file; } 2>&1' to clarify).",
        ("scripts/deploy.sh", 7, 14),
        Some((7, 18)),
        Some("https://www.shellcheck.net/wiki/SC2069"),
    ));
    // The team's shellcheck quotes the line it is about: a quote, `<`, `&`, `%`, an escape sequence, a
    // line break and a workflow command, which each report must escape in its own way.
    findings.push(finding(
        "shellcheck",
        "SC2028",
        Level::Warning,
        "echo may not expand escape sequences in \"\u{1b}[2J<pre> & 100%\". Use printf.\n\
         ::error file=app/server.py,line=1::forged",
        ("scripts/deploy.sh", 9, 1),
        Some((12, 4)),
        None,
    ));
    findings
}

/// Findings `--new-only` left out: on lines that did not change since `main`.
fn hidden() -> Vec<Finding> {
    vec![
        finding(
            "ruff",
            "E501",
            Level::Warning,
            "Line too long (104 > 88)",
            ("app/server.py", 6, 89),
            Some((6, 105)),
            Some("https://docs.astral.sh/ruff/rules/line-too-long"),
        ),
        finding(
            "shellcheck",
            "SC2034",
            Level::Warning,
            "STAGE appears unused. Verify use (or export if used externally).",
            ("scripts/deploy.sh", 2, 1),
            Some((2, 6)),
            Some("https://www.shellcheck.net/wiki/SC2034"),
        ),
    ]
}

fn tool_errors() -> Vec<ToolError> {
    vec![
        ToolError::new(
            "acme-lint",
            ToolErrorKind::Refused,
            format!(
                "acme-lint is defined by the repository ({ROOT}/linters.d/acme-lint.toml), and trust none (from \
                 lintmux.toml:3) runs no repository definition"
            ),
        ),
        ToolError {
            output_tail: "app/../../shared/models.py:12: the file is outside the lint root\n\
                          app/server.py:0: line 0 is not a line of a file (lines count from 1)"
                .into(),
            ..ToolError::new(
                "mypy",
                ToolErrorKind::ImplausibleOutput,
                "mypy reported 2 findings that cannot be true (a file outside the lint root or not in it, or line \
                 0); they are kept as given and marked, but mypy's output is not to be trusted"
                    .into(),
            )
        },
        ToolError {
            output_tail: "[warn] Ignored unknown option { tabWidth: \"four\" }.".into(),
            ..ToolError::new(
                "prettier",
                ToolErrorKind::BadOutput,
                "prettier printed nothing for client/src/api.ts".into(),
            )
        },
        ToolError::new(
            "shfmt",
            ToolErrorKind::Missing,
            "cannot install shfmt: `python3` was not found on PATH; install Python 3 (with its venv module) and \
             try again"
                .into(),
        ),
        ToolError {
            output_tail: "{\"type\":\"typo\",\"path\":\"scripts/deploy.sh\",\"line_num\":3,\"byte_offset\":4,\
                          \"typo\":\"enviroment\",\"corrections\":[\"environment\"]}"
                .into(),
            ..ToolError::new(
                "typos",
                ToolErrorKind::Timeout,
                "typos ran longer than its timeout of 60s and was stopped".into(),
            )
        },
    ]
}

fn linters() -> Vec<LinterRun> {
    vec![
        // A repository definition with no built-in of its name: refused below trust `all`, never run.
        LinterRun {
            origin: Origin {
                definition: "repository".into(),
                definition_file: "linters.d/acme-lint.toml".into(),
                overrides_builtin: false,
                binary: None,
            },
            ..run(
                "acme-lint",
                None,
                "https://lint.acme.example/",
                &["scripts/deploy.sh"],
                0,
                0,
            )
        },
        LinterRun {
            note: Some(
                "no eslint config in the repository; used lintmux's bundled default (linters.d/eslint.config.mjs)"
                    .into(),
            ),
            origin: pinned("eslint"),
            ..run(
                "eslint",
                Some("10.15.0"),
                "https://eslint.org/",
                &["client/src/api.ts"],
                1,
                2_410,
            )
        },
        LinterRun {
            engine: Some("podman".into()),
            origin: builtin(Some(
                "docker.io/hadolint/hadolint:v2.15.1@sha256:\
                 32dac94127fd60b7b7e3fbfc65e1383b9b5e25c9bfd7b8536de7a539fe68a12d (container image, run by podman)"
                    .into(),
            )),
            ..run(
                "hadolint",
                Some("2.15.1"),
                "https://github.com/hadolint/hadolint",
                &["Dockerfile"],
                1,
                1_870,
            )
        },
        LinterRun {
            origin: pinned("mypy"),
            ..run(
                "mypy",
                Some("2.4.1"),
                "https://mypy-lang.org/",
                &["app/server.py"],
                1,
                6_020,
            )
        },
        LinterRun {
            origin: pinned("prettier"),
            ..run(
                "prettier",
                Some("3.10.1"),
                "https://prettier.io/",
                &["client/src/api.ts"],
                2,
                950,
            )
        },
        LinterRun {
            note: Some("trust none refused the repository's env at lintmux.toml:9, command at lintmux.toml:10".into()),
            origin: pinned("ruff"),
            ..run(
                "ruff",
                Some("0.17.5"),
                "https://docs.astral.sh/ruff/",
                &["app/server.py"],
                1,
                120,
            )
        },
        LinterRun {
            origin: pinned("ruff"),
            ..run(
                "ruff-format",
                Some("0.17.5"),
                "https://docs.astral.sh/ruff/formatter/",
                &["app/server.py"],
                2,
                90,
            )
        },
        // A central config's definition replacing the built-in one, with the shellcheck found on PATH.
        LinterRun {
            origin: Origin {
                definition: "central config (/etc/lintmux/lintmux.toml)".into(),
                definition_file: "/etc/lintmux/linters.d/shellcheck.toml".into(),
                overrides_builtin: true,
                binary: Some("/usr/bin/shellcheck (PATH)".into()),
            },
            ..run(
                "shellcheck",
                Some("0.10.0"),
                "https://www.shellcheck.net/",
                &["scripts/deploy.sh"],
                1,
                330,
            )
        },
        LinterRun {
            origin: builtin(None),
            ..run(
                "shfmt",
                None,
                "https://github.com/mvdan/sh",
                &["scripts/deploy.sh"],
                0,
                0,
            )
        },
        LinterRun {
            origin: pinned("typos"),
            ..run(
                "typos",
                Some("1.52.0"),
                "https://github.com/crate-ci/typos",
                &["Dockerfile", "app/server.py", "client/src/api.ts", "scripts/deploy.sh"],
                2,
                60_010,
            )
        },
    ]
}

/// The sample report, normalised as `check` leaves it.
pub(crate) fn report() -> Report {
    let mut report = Report {
        root: ROOT.into(),
        findings: findings(),
        tool_errors: tool_errors(),
        linters: linters(),
        files: FileStats {
            linted: 4,
            by_type: [("dockerfile", 1), ("python", 1), ("shell", 1), ("typescript", 1)]
                .into_iter()
                .map(|(t, n)| (t.to_owned(), n))
                .collect(),
            skipped_binary: 2,
            skipped_too_large: 1,
            skipped_bad_name: 1,
        },
        wall: Duration::from_millis(61_480),
        hidden: hidden(),
        compared: true,
        trust: ("none".into(), "lintmux.toml:3".into()),
        scope: Scope {
            full: false,
            paths: ["Dockerfile", "app", "client/src", "scripts"]
                .into_iter()
                .map(str::to_owned)
                .collect(),
            changed: Some("main".into()),
            shard: Some(Shard { index: 1, count: 3 }),
            commit: Some("4f2c1e9a7b3d5f60182a9c4e6b7d8f0a1c2e3b4d".into()),
            root: Some(".".into()),
            outside_paths: 2,
            partial: false,
            problems: Vec::new(),
        },
        // Azure Pipelines, which did not say enough for an `automationDetails.id` of its own.
        automation: [
            ("azuredevops/pipeline/build/buildDefinitionId", "7"),
            ("azuredevops/pipeline/build/buildDefinitionName", "shop-ci"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        automation_id: None,
        // A remote cache that answered most actions, then stopped answering.
        cache: crate::model::CacheUse {
            local: 2,
            remote: 5,
            ran: 3,
            remote_cache: Some(crate::model::RemoteUse {
                url: "s3://shop-ci-cache/lintmux".to_owned(),
                write: false,
                hits: 5,
                misses: 1,
                written: 0,
                refused: 1,
                errors: 3,
                problem: Some(
                    "unavailable since 1.2 s into the run: no answer within 2.0 s; last entry refused: bad signature"
                        .to_owned(),
                ),
            }),
        },
    };
    report.normalise();
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The doubts and the `implausible_output` error written by hand above are what `crate::filter::plausible`
    /// gives for the same findings in a root that holds the sample's files.
    #[test]
    fn the_doubts_are_what_plausible_gives() {
        let sample = report();
        let dir = tempfile::tempdir().unwrap();
        for path in ["app/server.py", "client/src/api.ts", "scripts/deploy.sh", "Dockerfile"] {
            let file = dir.path().join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, "x\n").unwrap();
        }
        let mut checked = Report {
            root: dir.path().to_path_buf(),
            tool_errors: Vec::new(),
            ..sample.clone()
        };
        for f in checked.findings.iter_mut().chain(checked.hidden.iter_mut()) {
            f.doubt = None;
        }
        crate::filter::plausible::check(&mut checked);
        assert_eq!(checked.findings, sample.findings);
        assert_eq!(checked.hidden, sample.hidden);
        let implausible: Vec<&ToolError> = sample
            .tool_errors
            .iter()
            .filter(|e| e.kind == ToolErrorKind::ImplausibleOutput)
            .collect();
        assert_eq!(checked.tool_errors.iter().collect::<Vec<_>>(), implausible);
    }

    #[test]
    fn every_kind_of_row_is_there() {
        let r = report();
        for level in [Level::Error, Level::Warning, Level::Note] {
            assert!(r.count(level) > 0, "{level}");
        }
        let mut kinds: Vec<ToolErrorKind> = r.tool_errors.iter().map(|e| e.kind).collect();
        kinds.sort();
        assert_eq!(
            kinds,
            [
                ToolErrorKind::Missing,
                ToolErrorKind::Timeout,
                ToolErrorKind::BadOutput,
                ToolErrorKind::Refused,
                ToolErrorKind::ImplausibleOutput
            ]
        );
        let formatted = r
            .findings
            .iter()
            .find(|f| f.rule == crate::parse::printed::RULE)
            .unwrap();
        assert!(formatted.diff.is_some() && formatted.fix.is_some());
        let edits: Vec<&Range> = r
            .findings
            .iter()
            .flat_map(|f| &f.fix)
            .flat_map(|x| &x.edits)
            .map(|e| &e.range)
            .collect();
        assert!(edits.iter().any(|e| matches!(e, Range::Lines { .. })));
        assert!(edits.iter().any(|e| matches!(e, Range::Offsets { .. })));
        assert_eq!(r.findings.iter().filter(|f| f.doubt.is_some()).count(), 2);
        assert!(r.compared && !r.hidden.is_empty() && !r.scope.full);
        assert!(
            r.linters
                .iter()
                .any(|l| !l.origin.is_default() && l.origin.overrides_builtin)
        );
        assert!(r.linters.iter().any(|l| l.engine.is_some()));
        // Counts are the report's own, as `normalise` makes them.
        let mypy = r.linters.iter().find(|l| l.name == "mypy").unwrap();
        assert_eq!((mypy.errors, mypy.warnings, mypy.notes, mypy.failed), (3, 0, 0, 1));
    }
}
