//! Paths as lintmux speaks them: root-relative with forward slashes, made absolute lexically, and the one
//! rule for reading a file because a linter named it — [`readable`]: a regular file that really lies
//! inside the lint root, never `/etc/passwd`, `../x` or a symbolic link that leads out.

use std::path::{Component, Path, PathBuf};

/// `path` made absolute against `cwd` and normalised lexically (no symlink resolution).
pub(crate) fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for comp in joined.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `root`, with forward slashes.
pub(crate) fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    // On Unix the separator is already `/`: one allocation, no per-component strings.
    Some(rel.to_string_lossy().into_owned())
}

/// A finding's root-relative `path`, resolved to the file inside `root` it names, or why it cannot be:
/// lexically first (an absolute path, or `..` that leaves the root, is refused without touching the file
/// system), then through the file system (symbolic links must stay inside the root).
pub(crate) fn resolve(root: &Path, real_root: &Path, path: &str) -> Result<PathBuf, &'static str> {
    if path.is_empty() {
        return Err("the linter named no file");
    }
    let mut depth = 0usize;
    for part in Path::new(path).components() {
        match part {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir if depth > 0 => depth -= 1,
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err("the file is outside the lint root");
            }
        }
    }
    let joined = root.join(path);
    let real = joined
        .canonicalize()
        .map_err(|_| "the file does not exist in the lint root")?;
    if !real.starts_with(real_root) {
        return Err("the file is outside the lint root (through a symbolic link)");
    }
    Ok(real)
}

/// The file inside `root` that the root-relative `path` names, when it is a regular file that really
/// lies inside the root; `None` otherwise. The only way lintmux reads a file a linter named.
pub(crate) fn readable(root: &Path, path: &str) -> Option<PathBuf> {
    resolve(root, &real(root), path).ok().filter(|p| p.is_file())
}

/// The root with its symbolic links resolved, to compare resolved paths with.
pub(crate) fn real(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// Decodes `%XX` escapes of a URI path.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(v) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_normalises() {
        assert_eq!(
            absolute(Path::new("/r/a"), Path::new("../b/./c")),
            PathBuf::from("/r/b/c")
        );
        assert_eq!(absolute(Path::new("/r"), Path::new("/x/y")), PathBuf::from("/x/y"));
    }

    #[test]
    fn only_regular_files_inside_the_root_are_readable() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("a.py"), "").unwrap();
        std::fs::write(dir.path().join("outside.py"), "").unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside.py"), root.join("link.py")).unwrap();
        assert!(readable(&root, "a.py").is_some());
        assert!(readable(&root, "sub/../a.py").is_some());
        for path in ["/etc/passwd", "../outside.py", "link.py", "sub", "missing.py", ""] {
            assert_eq!(readable(&root, path), None, "{path}");
        }
    }
}
