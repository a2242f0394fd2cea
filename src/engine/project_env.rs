//! What a linter reads besides the files it is given, for the result-cache key. A whole-project linter
//! (mypy) follows imports to every file of its types in the repository, gitignored ones included (a
//! generated module); and a linter that runs from, or imports from, the project's environment sees what is
//! installed there. So its key also holds: every file of its types in the root, ignored or not (but not in
//! `.git`, `.venv` or `node_modules`), and a fingerprint of the project environment — for a `.venv`, its
//! `pyvenv.cfg`, its interpreter (resolved path, size, modification time) and the metadata of every
//! installed distribution; for `node_modules`, the lockfiles and the manifest of every installed package.

use std::path::Path;

use ignore::WalkBuilder;

use crate::catalog::types::{FileTypes, TypeSet};

/// Directories never walked for extra inputs: git's own, and the project environments (fingerprinted
/// instead).
const SKIP: &[&str] = &[".git", ".venv", "node_modules"];

/// Every file of `types` in `root`, gitignored ones included, root-relative and sorted.
pub(crate) fn all_files_of(root: &Path, file_types: &FileTypes, types: TypeSet) -> Vec<String> {
    let mut out = Vec::new();
    let walk = WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(false)
        .filter_entry(|e| !SKIP.iter().any(|s| e.file_name() == *s))
        .build();
    for entry in walk.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        if let Some(rel) = crate::model::relative(root, entry.path())
            && file_types.by_name(&rel).intersects(types)
        {
            out.push(rel);
        }
    }
    out.sort_unstable();
    out
}

/// A labelled hash of one thing the environment holds.
pub(crate) type Item = (String, blake3::Hash);

fn file_item(label: &str, path: &Path) -> Option<Item> {
    let bytes = std::fs::read(path).ok()?;
    Some((format!("{label}:{}", path.display()), blake3::hash(&bytes)))
}

fn dir_entries(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// The fingerprint of the project environment at `root` (empty when it has none).
pub(crate) fn fingerprint(root: &Path) -> Vec<Item> {
    let mut items = Vec::new();
    let venv = root.join(".venv");
    if venv.is_dir() {
        items.extend(file_item("venv", &venv.join("pyvenv.cfg")));
        let python = venv.join("bin/python");
        if let Ok(real) = python.canonicalize()
            && let Ok(meta) = std::fs::metadata(&real)
        {
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            let text = format!("{} {} {:?}", real.display(), meta.len(), mtime);
            items.push(("venv interpreter".to_owned(), blake3::hash(text.as_bytes())));
        }
        for lib in dir_entries(&venv.join("lib")) {
            let site = lib.join("site-packages");
            for entry in dir_entries(&site) {
                let name = entry
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if name.ends_with(".dist-info") {
                    items.extend(file_item("dist", &entry.join("METADATA")));
                    items.extend(file_item("dist", &entry.join("RECORD")));
                } else if name.ends_with(".egg-info") {
                    items.extend(file_item("egg", &entry.join("PKG-INFO")));
                } else if name.ends_with(".pth") {
                    items.extend(file_item("pth", &entry));
                }
            }
        }
    }
    for lock in [
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
    ] {
        items.extend(file_item("lock", &root.join(lock)));
    }
    let modules = root.join("node_modules");
    if modules.is_dir() {
        items.extend(file_item("npm", &modules.join(".package-lock.json")));
        for entry in dir_entries(&modules) {
            let name = entry
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('@') {
                for scoped in dir_entries(&entry) {
                    items.extend(file_item("pkg", &scoped.join("package.json")));
                }
            } else if !name.starts_with('.') {
                items.extend(file_item("pkg", &entry.join("package.json")));
            }
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn an_upgraded_package_changes_the_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".venv/pyvenv.cfg", "home = /usr/bin\n");
        write(
            root,
            ".venv/lib/python3.11/site-packages/attrs-23.1.0.dist-info/METADATA",
            "Version: 23.1.0\n",
        );
        write(
            root,
            "node_modules/@types/node/package.json",
            "{\"version\": \"20.0.0\"}",
        );
        write(root, "package-lock.json", "{}");
        let before = fingerprint(root);
        assert_eq!(before.len(), 4, "{before:?}");
        write(
            root,
            ".venv/lib/python3.11/site-packages/attrs-23.1.0.dist-info/METADATA",
            "Version: 23.2.0\n",
        );
        assert_ne!(fingerprint(root), before);
        assert!(fingerprint(&root.join("nothing-here")).is_empty());
    }

    #[test]
    fn ignored_files_of_the_types_count_but_environments_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".gitignore", "gen/\n");
        write(root, "gen/types.py", "x = 1\n");
        write(root, "app.py", "x = 1\n");
        write(root, ".venv/lib/site.py", "x = 1\n");
        write(root, "README.md", "x\n");
        let types = FileTypes::builtin();
        let python = types.set_of(["python"]);
        assert_eq!(all_files_of(root, &types, python), ["app.py", "gen/types.py"]);
    }
}
