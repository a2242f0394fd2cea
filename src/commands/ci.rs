//! Which CI system lintmux runs under, read once from the environment into a plain value. The reports do
//! not look at the environment; the commands ask this value what to add: workflow-command annotations and the
//! step summary on GitHub Actions, collapsible sections on GitHub and GitLab, and no progress bars or
//! colour (unless forced) on any CI.

use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Platform {
    /// `GITHUB_ACTIONS=true`.
    GitHub,
    /// `GITLAB_CI=true`.
    GitLab,
    /// `CI` set to anything but `false`/`0`, by another system.
    Other,
}

/// Annotations GitHub displays per step, for each of error, warning and notice (documented limits).
pub(crate) const GITHUB_ANNOTATIONS_PER_LEVEL: usize = 10;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Ci {
    pub(crate) platform: Option<Platform>,
    /// `GITHUB_STEP_SUMMARY` on GitHub Actions: the file the markdown summary is appended to.
    pub(crate) step_summary: Option<PathBuf>,
    /// On Azure Pipelines (`TF_BUILD=True`): the pipeline and phase that ran, which GitHub Advanced
    /// Security for Azure DevOps reads from each SARIF run's `automationDetails.properties`.
    pub(crate) automation: BTreeMap<String, String>,
    /// On Azure Pipelines, the `automationDetails.id` that service expects
    /// (`azuredevops/pipeline/build/<org>/<project>/<definition>/<phase>/<branch>/<build>`).
    pub(crate) automation_id: Option<String>,
}

/// `automationDetails` property ← Azure Pipelines variable (as the agent exports it).
const AZURE_PROPERTIES: [(&str, &str); 4] = [
    ("azuredevops/pipeline/build/buildDefinitionId", "SYSTEM_DEFINITIONID"),
    ("azuredevops/pipeline/build/buildDefinitionName", "BUILD_DEFINITIONNAME"),
    ("azuredevops/pipeline/build/phaseId", "SYSTEM_PHASEID"),
    ("azuredevops/pipeline/build/phaseName", "SYSTEM_PHASENAME"),
];

impl Ci {
    /// Reads the environment through `var` (a function, so tests can pass their own).
    pub(crate) fn detect(var: impl Fn(&str) -> Option<String>) -> Ci {
        let is_true = |name: &str| var(name).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let platform = if is_true("GITHUB_ACTIONS") {
            Some(Platform::GitHub)
        } else if is_true("GITLAB_CI") {
            Some(Platform::GitLab)
        } else if var("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0") || is_true("TF_BUILD") {
            Some(Platform::Other)
        } else {
            None
        };
        let step_summary = if platform == Some(Platform::GitHub) {
            var("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty()).map(PathBuf::from)
        } else {
            None
        };
        let automation = if is_true("TF_BUILD") {
            AZURE_PROPERTIES
                .iter()
                .filter_map(|(key, name)| Some(((*key).to_owned(), var(name).filter(|v| !v.is_empty())?)))
                .collect()
        } else {
            BTreeMap::new()
        };
        let automation_id = if is_true("TF_BUILD") {
            let org =
                var("SYSTEM_COLLECTIONURI").and_then(|u| u.trim_end_matches('/').rsplit('/').next().map(str::to_owned));
            let parts = [
                org,
                var("SYSTEM_TEAMPROJECT"),
                var("SYSTEM_DEFINITIONID"),
                var("SYSTEM_PHASEID"),
                var("BUILD_SOURCEBRANCH"),
                var("BUILD_BUILDID"),
            ];
            parts
                .into_iter()
                .collect::<Option<Vec<String>>>()
                .map(|p| format!("azuredevops/pipeline/build/{}", p.join("/")))
        } else {
            None
        };
        Ci {
            platform,
            step_summary,
            automation,
            automation_id,
        }
    }

    pub(crate) fn from_env() -> Ci {
        Ci::detect(|name| std::env::var(name).ok())
    }

    /// Running under any CI: no progress bars, no colour unless forced.
    pub(crate) fn active(&self) -> bool {
        self.platform.is_some()
    }

    pub(crate) fn github(&self) -> bool {
        self.platform == Some(Platform::GitHub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ci(vars: &[(&str, &str)]) -> Ci {
        Ci::detect(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn detects_each_system() {
        assert_eq!(ci(&[]), Ci::default());
        assert_eq!(ci(&[("CI", "false")]).platform, None);
        assert_eq!(ci(&[("CI", "true")]).platform, Some(Platform::Other));
        assert_eq!(
            ci(&[("CI", "true"), ("GITLAB_CI", "true")]).platform,
            Some(Platform::GitLab)
        );
        let gh = ci(&[("GITHUB_ACTIONS", "true"), ("GITHUB_STEP_SUMMARY", "/tmp/s.md")]);
        assert!(gh.github() && gh.active());
        assert_eq!(gh.step_summary, Some(PathBuf::from("/tmp/s.md")));
        assert_eq!(
            ci(&[("GITLAB_CI", "true"), ("GITHUB_STEP_SUMMARY", "x")]).step_summary,
            None
        );
        let azure = ci(&[
            ("TF_BUILD", "True"),
            ("SYSTEM_DEFINITIONID", "7"),
            ("SYSTEM_PHASENAME", "lint"),
        ]);
        assert_eq!(azure.platform, Some(Platform::Other));
        assert_eq!(azure.automation.len(), 2);
        assert_eq!(azure.automation["azuredevops/pipeline/build/buildDefinitionId"], "7");
        assert_eq!(azure.automation_id, None, "not all of the id's parts are known");
    }
}
