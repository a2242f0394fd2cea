//! What every parser needs besides the text: which linter spoke, how to turn the paths it printed into
//! root-relative ones, and the definition's fallbacks (help-link template, default level and rule).

use std::path::{Path, PathBuf};

use crate::model::{At, Finding, Level, percent_decode};

#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    pub(crate) linter: String,
    /// The absolute lint root; tools that print absolute paths are made relative to it.
    pub(crate) root: PathBuf,
    /// The root as a path prefix (forward slashes, no trailing slash), computed once, not per finding.
    root_prefix: String,
    /// Prefixes the tool may print instead of the root (for example `/src/` inside a container).
    pub(crate) extra_roots: Vec<String>,
    /// `{rule}` is replaced by the rule id; without `{rule}`, the rule id is appended.
    pub(crate) rule_url: Option<String>,
    pub(crate) default_level: Option<Level>,
    pub(crate) default_rule: Option<String>,
    /// For the regex format.
    pub(crate) pattern: Option<regex::Regex>,
    /// For the regex format: patterns tried before `pattern`, with the rule and level of their findings.
    pub(crate) specific: Vec<(regex::Regex, Option<String>, Option<Level>)>,
    /// Names of files this linter is given that a line-based output cannot carry as they are (a newline
    /// or carriage return in them), each with the placeholder that stands for it while the output is
    /// parsed (see [`Ctx::awkward_names`]).
    pub(crate) awkward: Vec<(String, String)>,
    /// For the regex format: the lines that are neither findings nor a sign of trouble.
    pub(crate) ignore: Vec<regex::Regex>,
    /// Content read on stdin (an editor's buffer): how the tool names it, and the file it stands for.
    pub(crate) stdin: Option<(String, String)>,
}

impl Ctx {
    pub(crate) fn new(linter: &str, root: &Path) -> Ctx {
        Ctx {
            linter: linter.to_owned(),
            root: root.to_path_buf(),
            root_prefix: root
                .to_string_lossy()
                .replace('\\', "/")
                .trim_end_matches('/')
                .to_owned(),
            extra_roots: Vec::new(),
            rule_url: None,
            default_level: None,
            default_rule: None,
            pattern: None,
            specific: Vec::new(),
            awkward: Vec::new(),
            ignore: Vec::new(),
            stdin: None,
        }
    }

    /// The path as lintmux reports it: relative to the root, forward slashes, no leading `./`.
    pub(crate) fn rel_path(&self, printed: &str) -> String {
        if let Some((name, path)) = &self.stdin
            && printed.trim() == name
        {
            return path.clone();
        }
        // On Unix a backslash is part of a name, never a separator: it stays.
        let mut p = printed.trim().to_owned();
        if cfg!(windows) {
            p = p.replace('\\', "/");
        }
        if let Some(rest) = p.strip_prefix("file://") {
            p = percent_decode(rest);
        }
        let roots =
            std::iter::once(self.root_prefix.as_str()).chain(self.extra_roots.iter().map(|s| s.trim_end_matches('/')));
        for prefix in roots {
            if let Some(rest) = p.strip_prefix(prefix)
                && rest.starts_with('/')
            {
                p = rest.trim_start_matches('/').to_owned();
                break;
            }
        }
        while let Some(rest) = p.strip_prefix("./") {
            p = rest.to_owned();
        }
        p
    }

    /// Registers the names among `files` that hold a line break: the tool prints them verbatim, which
    /// would cut a line-based output's record in two, so while parsing each stands for a placeholder
    /// without one, and findings get the real name back.
    pub(crate) fn awkward_names<'a>(&mut self, files: impl IntoIterator<Item = &'a str>) {
        for f in files.into_iter().filter(|f| f.contains(['\n', '\r'])) {
            let placeholder = format!(
                "lintmux-name-{}-{}",
                self.awkward.len(),
                blake3::hash(f.as_bytes()).to_hex()
            );
            self.awkward.push((f.to_owned(), placeholder));
        }
    }

    /// `text` with each awkward name replaced by its placeholder.
    pub(crate) fn hide_awkward(&self, text: &str) -> String {
        let mut t = text.to_owned();
        for (name, placeholder) in &self.awkward {
            t = t.replace(name.as_str(), placeholder);
        }
        t
    }

    /// The real name of a path that is a placeholder.
    pub(crate) fn restore_awkward(&self, path: &mut String) {
        if let Some((name, _)) = self.awkward.iter().find(|(_, p)| p == path) {
            *path = name.clone();
        }
    }

    /// The help link for `rule` from the definition's template.
    pub(crate) fn help_uri(&self, rule: &str) -> Option<String> {
        let template = self.rule_url.as_ref()?;
        if rule.is_empty() {
            return None;
        }
        Some(if template.contains("{rule}") {
            template.replace("{rule}", rule)
        } else {
            format!("{template}{rule}")
        })
    }

    /// A finding with this context's linter and the given essentials (the path as the tool printed it);
    /// optional fields empty.
    pub(crate) fn finding(&self, rule: &str, level: Level, message: &str, at: At<'_>) -> Finding {
        // 0 is kept: a line that is not one is marked by `plausible`, never silently made 1.
        let path = self.rel_path(at.path);
        let at = crate::model::at(&path, at.line, at.column.max(1));
        Finding::new(&self.linter, rule, level, message.trim().to_owned(), at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rel_path_forms() {
        let mut ctx = Ctx::new("x", Path::new("/repo"));
        ctx.extra_roots.push("/src".into());
        assert_eq!(ctx.rel_path("/repo/app/x.py"), "app/x.py");
        assert_eq!(ctx.rel_path("./app/x.py"), "app/x.py");
        assert_eq!(ctx.rel_path("app/x.py"), "app/x.py");
        assert_eq!(ctx.rel_path("/src/app/x.py"), "app/x.py");
        assert_eq!(ctx.rel_path("file:///repo/a%20b.md"), "a b.md");
        assert_eq!(ctx.rel_path("/repository/x"), "/repository/x");
    }

    #[test]
    fn help_uri_template() {
        let mut ctx = Ctx::new("x", Path::new("/r"));
        assert_eq!(ctx.help_uri("E1"), None);
        ctx.rule_url = Some("https://x/{rule}.html".into());
        assert_eq!(ctx.help_uri("E1").as_deref(), Some("https://x/E1.html"));
        ctx.rule_url = Some("https://x/wiki/".into());
        assert_eq!(ctx.help_uri("SC1").as_deref(), Some("https://x/wiki/SC1"));
    }
}
