//! Severity overrides from lintmux.toml: a rule (or `"*"`, the whole linter) can be made an error, a
//! warning or a note, or turned `off`. Applied to each linter's findings as they are read.

use std::collections::BTreeMap;

use crate::config::Severity;
use crate::model::Finding;

/// Applies `overrides` (rule id → severity, `"*"` for every rule not named) to one linter's findings.
pub(crate) fn apply_severity(findings: Vec<Finding>, overrides: &BTreeMap<String, Severity>) -> Vec<Finding> {
    if overrides.is_empty() {
        return findings;
    }
    findings
        .into_iter()
        .filter_map(|mut f| match overrides.get(&f.rule).or_else(|| overrides.get("*")) {
            None => Some(f),
            Some(sev) => {
                f.level = sev.level()?;
                Some(f)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level;
    use crate::parse::Ctx;

    #[test]
    fn rules_then_star() {
        let ctx = Ctx::new("ruff", std::path::Path::new("/r"));
        let f = |rule: &str| ctx.finding(rule, Level::Error, "m", crate::model::at("a.py", 1, 1));
        let mut o = BTreeMap::new();
        o.insert("E501".to_owned(), Severity::Off);
        o.insert("F401".to_owned(), Severity::Note);
        o.insert("*".to_owned(), Severity::Warning);
        let out = apply_severity(vec![f("E501"), f("F401"), f("B006")], &o);
        let got: Vec<(&str, Level)> = out.iter().map(|f| (f.rule.as_str(), f.level)).collect();
        assert_eq!(got, [("F401", Level::Note), ("B006", Level::Warning)]);
    }
}
