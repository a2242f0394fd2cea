//! Which CI system lintmux runs under, read once from the environment into a plain value. The reports do
//! not look at the environment; `app` asks this value what to add: workflow-command annotations and the
//! step summary on GitHub Actions, collapsible sections on GitHub and GitLab, and no progress bars or
//! colour (unless forced) on any CI.

use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// `GITHUB_ACTIONS=true`.
    GitHub,
    /// `GITLAB_CI=true`.
    GitLab,
    /// `CI` set to anything but `false`/`0`, by another system.
    Other,
}

/// Annotations GitHub displays per step, for each of error, warning and notice (documented limits).
pub const GITHUB_ANNOTATIONS_PER_LEVEL: usize = 10;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ci {
    pub platform: Option<Platform>,
    /// `GITHUB_STEP_SUMMARY` on GitHub Actions: the file the markdown summary is appended to.
    pub step_summary: Option<PathBuf>,
}

impl Ci {
    /// Reads the environment through `var` (a function, so tests can pass their own).
    pub fn detect(var: impl Fn(&str) -> Option<String>) -> Ci {
        let is_true = |name: &str| var(name).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let platform = if is_true("GITHUB_ACTIONS") {
            Some(Platform::GitHub)
        } else if is_true("GITLAB_CI") {
            Some(Platform::GitLab)
        } else if var("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0") {
            Some(Platform::Other)
        } else {
            None
        };
        let step_summary = if platform == Some(Platform::GitHub) {
            var("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty()).map(PathBuf::from)
        } else {
            None
        };
        Ci { platform, step_summary }
    }

    pub fn from_env() -> Ci {
        Ci::detect(|name| std::env::var(name).ok())
    }

    /// Running under any CI: no progress bars, no colour unless forced.
    pub fn active(&self) -> bool {
        self.platform.is_some()
    }

    pub fn github(&self) -> bool {
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
    }
}
