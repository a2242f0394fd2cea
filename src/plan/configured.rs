//! Which files a linter that runs "only where configured" governs (`configured_by` in its definition):
//! a file is governed when its directory, or one above it up to the root, holds one of the markers. A
//! formatter whose config sits in `client/` formats `client/` and nothing else; a repository that never
//! used it gets nothing from it.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// The most of a config file read to look for a marker in it.
const MARKER_BYTES: u64 = 1024 * 1024;

/// One `configured_by` entry.
enum Marker {
    /// `name`: the file exists.
    Exists(String),
    /// `name#a.b`: a TOML or JSON file holding the key `a.b`.
    Key(String, Vec<String>),
    /// `name~regex`: a file whose text matches.
    Text(String, regex::Regex),
}

impl Marker {
    fn parse(s: &str) -> Option<Marker> {
        if let Some((name, re)) = s.split_once('~') {
            return Some(Marker::Text(name.to_owned(), regex::Regex::new(re).ok()?));
        }
        if let Some((name, key)) = s.split_once('#') {
            return Some(Marker::Key(
                name.to_owned(),
                key.split('.').map(str::to_owned).collect(),
            ));
        }
        Some(Marker::Exists(s.to_owned()))
    }

    /// Is the marker in `dir` (root-relative, "" for the root)? Only a regular file inside the root
    /// counts, and at most [`MARKER_BYTES`] of it are read: a marker linked to `/dev/zero` or out of
    /// the repository is not one.
    fn found_in(&self, root: &Path, dir: &str) -> bool {
        let name = match self {
            Marker::Exists(name) | Marker::Key(name, _) | Marker::Text(name, _) => name,
        };
        let rel = if dir.is_empty() {
            name.clone()
        } else {
            format!("{dir}/{name}")
        };
        let Some(path) = crate::model::readable(root, &rel) else {
            return false;
        };
        let text = || -> Option<String> {
            let mut text = String::new();
            std::fs::File::open(&path)
                .ok()?
                .take(MARKER_BYTES)
                .read_to_string(&mut text)
                .ok()?;
            Some(text)
        };
        match self {
            Marker::Exists(_) => true,
            Marker::Key(name, key) => text().is_some_and(|text| has_key(name, &text, key)),
            Marker::Text(_, re) => text().is_some_and(|text| re.is_match(&text)),
        }
    }
}

/// Does the document (TOML by its name's extension, else JSON) hold the dotted key?
fn has_key(name: &str, text: &str, key: &[String]) -> bool {
    if name.ends_with(".toml") {
        let Ok(mut v) = toml::from_str::<toml::Table>(text).map(toml::Value::Table) else {
            return false;
        };
        for k in key {
            match v.get(k.as_str()) {
                Some(next) => v = next.clone(),
                None => return false,
            }
        }
        true
    } else {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
            return false;
        };
        key.iter().try_fold(&v, |v, k| v.get(k.as_str())).is_some()
    }
}

/// The files of `files` (root-relative) that the markers govern.
pub(crate) fn governed<'f>(root: &Path, markers: &[String], files: Vec<&'f str>) -> Vec<&'f str> {
    let markers: Vec<Marker> = markers.iter().filter_map(|m| Marker::parse(m)).collect();
    let mut memo: HashMap<String, bool> = HashMap::new();
    let mut dir_governed = |dir: &str| -> bool {
        // The directory and those above it, nearest first; the first answer known ends the climb.
        let mut chain = Vec::new();
        let mut d = dir;
        let answer = loop {
            if let Some(&known) = memo.get(d) {
                break known;
            }
            chain.push(d.to_owned());
            if markers.iter().any(|m| m.found_in(root, d)) {
                break true;
            }
            if d.is_empty() {
                break false;
            }
            d = d.rfind('/').map_or("", |i| &d[..i]);
        };
        for d in chain {
            memo.insert(d, answer);
        }
        answer
    };
    files
        .into_iter()
        .filter(|f| dir_governed(f.rfind('/').map_or("", |i| &f[..i])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_govern_their_directory_and_below() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in ["client/src", "server", "docs", "tools"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(
            root.join("client/package.json"),
            r#"{"name": "c", "prettier": {"semi": false}}"#,
        )
        .unwrap();
        std::fs::write(root.join("server/package.json"), r#"{"name": "s"}"#).unwrap();
        std::fs::write(root.join("docs/.prettierrc"), "{}").unwrap();
        std::fs::write(root.join("pyproject.toml"), "[project]\nname = \"x\"\n").unwrap();
        std::fs::write(root.join("tools/.editorconfig"), "[*.sh]\nbinary_next_line = true\n").unwrap();
        let files = vec![
            "client/src/a.ts",
            "server/b.ts",
            "docs/c.md",
            "d.md",
            "tools/x.sh",
            "y.sh",
        ];
        let prettier = [".prettierrc".to_owned(), "package.json#prettier".to_owned()];
        assert_eq!(
            governed(root, &prettier, files.clone()),
            ["client/src/a.ts", "docs/c.md"]
        );
        let ruff = ["ruff.toml".to_owned(), "pyproject.toml#tool.ruff".to_owned()];
        assert!(governed(root, &ruff, files.clone()).is_empty());
        std::fs::write(root.join("pyproject.toml"), "[tool.ruff]\nline-length = 100\n").unwrap();
        assert_eq!(governed(root, &ruff, files.clone()).len(), files.len());
        let shfmt = [r".editorconfig~(?m)^\s*binary_next_line\s*=".to_owned()];
        assert_eq!(governed(root, &shfmt, files.clone()), ["tools/x.sh"]);
        // A marker that is a link (to a device, or out of the root) is none; nothing hangs on it.
        std::os::unix::fs::symlink("/dev/zero", root.join("package.json")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", root.join(".prettierrc")).unwrap();
        assert_eq!(governed(root, &prettier, files), ["client/src/a.ts", "docs/c.md"]);
    }
}
