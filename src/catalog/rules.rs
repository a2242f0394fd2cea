//! Each built-in linter's own rule names and short descriptions, as data beside its definition
//! (`linters.d/rules/<linter>.tsv`: id, name, short description), generated from the pinned tools by
//! `tests/generate-rules.py` where the tool can print them (hadolint's is its documented table, kept
//! by hand), and embedded at build time. SARIF rules take their name and description
//! from here, never from a finding's message.

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLES: &[(&str, &str)] = &[
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

/// A rule as its linter names and describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RuleInfo {
    pub(crate) name: &'static str,
    pub(crate) short: &'static str,
}

type Index = HashMap<(&'static str, &'static str), RuleInfo>;

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        for (linter, text) in TABLES {
            for line in text.lines().filter(|l| !l.starts_with('#')) {
                let mut cols = line.splitn(3, '\t');
                if let (Some(id), Some(name), Some(short)) = (cols.next(), cols.next(), cols.next()) {
                    map.insert((*linter, id), RuleInfo { name, short });
                }
            }
        }
        map
    })
}

/// What the linter says about its rule `id`, when lintmux ships its rule list.
pub(crate) fn lookup(linter: &str, id: &str) -> Option<RuleInfo> {
    index().get(&(linter, id)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_read_and_complete() {
        for (linter, text) in TABLES {
            let rows = text.lines().filter(|l| !l.starts_with('#')).count();
            assert!(rows > 10, "{linter}: {rows} rules");
            assert_eq!(
                index().keys().filter(|(l, _)| l == linter).count(),
                rows,
                "{linter}: every line has three columns"
            );
        }
        assert_eq!(lookup("ruff", "F401").map(|r| r.name), Some("unused-import"));
        assert_eq!(
            lookup("markdownlint-cli2", "MD013").map(|r| r.name),
            Some("line-length")
        );
        assert_eq!(
            lookup("eslint", "no-empty").map(|r| r.short),
            Some("Disallow empty block statements")
        );
        assert_eq!(
            lookup("mypy", "arg-type").map(|r| r.short),
            Some("Check argument types in calls")
        );
        assert_eq!(lookup("shellcheck", "SC2086"), None);
    }
}
