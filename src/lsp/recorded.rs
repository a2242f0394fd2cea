//! The built-in definitions against what their tools were recorded doing (tests/fixtures/<tool>/<version>/):
//! a `[buffer]` command's output names the file it stood for, and `output.columns` is the unit the tool
//! counts in, so that a diagnostic lands on the character the tool meant, after emoji, Cyrillic and tabs.

use std::path::{Path, PathBuf};

use super::text::Text;
use crate::catalog::{Catalog, LinterDef};
use crate::model::{Finding, Trust};
use crate::parse::Stream;
use crate::parse::fixtures::{ctx, recorded};

fn def(linter: &str) -> LinterDef {
    let catalog = Catalog::load(&[], Trust::default()).unwrap();
    catalog
        .get(linter)
        .unwrap_or_else(|| panic!("no built-in {linter}"))
        .clone()
}

fn fixture_dir(tool: &str, version: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(tool)
        .join(version)
}

/// What the definition's parser reads from a recorded case, with `stdin` (the tool's name for content read
/// on stdin, and the file it stood for).
fn parsed(linter: &str, tool: &str, version: &str, case: &str, stdin: Option<(String, String)>) -> Vec<Finding> {
    let def = def(linter);
    let out = recorded(tool, version, case);
    let mut ctx = ctx(linter);
    ctx.stdin = stdin;
    let text = match def.output.stream {
        Stream::Stdout => out.stdout,
        Stream::Stderr => out.stderr,
        Stream::Both => format!("{}{}", out.stdout, out.stderr),
    };
    def.output
        .format
        .parse(&text, &ctx)
        .unwrap_or_else(|e| panic!("{tool} {case}: {}", e.0))
}

/// The file a recorded stdin case stood for: the one beside its `.stdin` content.
fn stdin_file(tool: &str, version: &str) -> String {
    let input = fixture_dir(tool, version).join("input/stdin_findings");
    let found = ignore::WalkBuilder::new(&input)
        .hidden(false)
        .build()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "stdin"))
        .unwrap_or_else(|| panic!("no .stdin file under {}", input.display()));
    let rel = found.path().strip_prefix(&input).unwrap().with_extension("");
    rel.to_string_lossy().into_owned()
}

const BUFFERED: &[(&str, &str, &str)] = &[
    ("ruff", "ruff", "0.17.5"),
    ("eslint", "eslint", "10.15.0"),
    ("shellcheck", "shellcheck", "0.11.0"),
    ("hadolint", "hadolint", "2.15.1"),
    ("yamllint", "yamllint", "1.38.0"),
    ("markdownlint-cli2", "markdownlint-cli2", "0.22.1"),
    ("actionlint", "actionlint", "1.17.0"),
    ("zizmor", "zizmor", "1.32.0"),
];

#[test]
fn what_a_buffer_command_finds_is_reported_on_the_file_it_stood_for() {
    for (linter, tool, version) in BUFFERED {
        let def = def(linter);
        let buffer = def
            .buffer
            .as_ref()
            .unwrap_or_else(|| panic!("{linter} has no [buffer]"));
        assert!(!buffer.command.is_empty(), "{linter}");
        let file = stdin_file(tool, version);
        let stdin = buffer.names.clone().map(|n| (n, file.clone()));
        let findings = parsed(linter, tool, version, "stdin_findings", stdin);
        assert!(!findings.is_empty(), "{linter}: the recorded buffer has findings");
        for f in &findings {
            assert_eq!(f.path, file, "{linter}: {f:?}");
        }
    }
}

/// Each recorded finding's place, read in the definition's unit, is where the tool pointed: what the
/// text there starts with, finding by finding. (hadolint counts display columns, tab stops of 8 and wide
/// characters as 2, but only its parse errors have a column; mypy 2.4.1 misplaces columns on non-ASCII
/// lines; actionlint counts bytes inside a scalar: they are left out.)
const PLACES: &[(&str, &str, &[&str])] = &[
    ("ruff", "0.17.5", &["f\"abc\"", "f\"abc\"", "f\"abc\""]),
    ("eslint", "10.15.0", &["y = 1", "b = 2", "d = 3"]),
    ("shellcheck", "0.11.0", &["$1", "$2", "$3", "$4"]),
    ("yamllint", "1.38.0", &["   \n", " , 1]", "   \n", "   \n"]),
    (
        "markdownlint-cli2",
        "0.22.1",
        &["   \n", "\tx", "https://", "https://", "https://"],
    ),
    ("typos", "1.52.0", &["seperately", "seperately", "seperately"]),
    ("zizmor", "1.32.0", &["github.event"; 4]),
    ("taplo", "0.9.3", &["x = 2", "x = 2", "x = 2"]),
];

#[test]
fn a_finding_after_emoji_cyrillic_and_tabs_lands_where_the_tool_pointed() {
    for (tool, version, wanted) in PLACES {
        let unit = def(tool).output.columns;
        let findings = parsed(tool, tool, version, "columns", None);
        let places: Vec<String> = findings
            .iter()
            .map(|f| {
                let src =
                    std::fs::read_to_string(fixture_dir(tool, version).join("input/columns").join(&f.path)).unwrap();
                let text = Text::new(src.clone());
                let at = text.offset(f.line, f.column, unit);
                src[at..]
                    .chars()
                    .take(wanted.iter().map(|w| w.chars().count()).max().unwrap_or(1))
                    .collect()
            })
            .collect();
        assert_eq!(places.len(), wanted.len(), "{tool}: {places:?}");
        for (place, want) in places.iter().zip(wanted.iter()) {
            assert!(
                place.starts_with(want),
                "{tool} ({unit:?}): {want:?} wanted, the place holds {place:?}"
            );
        }
    }
}

#[test]
fn actionlint_places_its_nodes_in_characters() {
    let findings = parsed("actionlint", "actionlint", "1.17.0", "columns", None);
    let labels: Vec<&Finding> = findings.iter().filter(|f| f.rule == "runner-label").collect();
    let src =
        std::fs::read_to_string(fixture_dir("actionlint", "1.17.0").join("input/columns/.github/workflows/ci.yml"))
            .unwrap();
    let text = Text::new(src.clone());
    let at = text.offset(labels[1].line, labels[1].column, def("actionlint").output.columns);
    assert!(src[at..].starts_with("ubuntu-latst"), "{}", &src[at..]);
}
