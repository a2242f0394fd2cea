//! The documents the editor has open: each one's file (a `file:` URI made a path), the lint root it
//! belongs to (found as `lintmux check FILE` finds it), the version the editor gave its content, and the
//! content itself, which may differ from the file on disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::Uri;

use super::text::Text;
use crate::model::{percent_decode, relative};

/// One open document.
#[derive(Clone, Debug)]
pub(crate) struct Document {
    pub(crate) uri: Uri,
    /// The file, absolute.
    pub(crate) path: PathBuf,
    pub(crate) version: i32,
    pub(crate) text: Text,
}

impl Document {
    /// Its path relative to `root` (forward slashes), when it lies below it.
    pub(crate) fn relative_to(&self, root: &Path) -> Option<String> {
        relative(root, &self.path).filter(|p| !p.is_empty())
    }
}

/// The open documents, by URI.
#[derive(Default)]
pub(crate) struct Documents {
    open: BTreeMap<Uri, Document>,
}

impl Documents {
    pub(crate) fn open(&mut self, doc: Document) {
        self.open.insert(doc.uri.clone(), doc);
    }

    pub(crate) fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.open.remove(uri)
    }

    pub(crate) fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    pub(crate) fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Document> {
        self.open.values()
    }
}

/// The file a `file:` URI names; `None` for any other scheme (an unsaved buffer, a remote file).
pub(crate) fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///path` (an empty authority) or `file://localhost/path`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    rest.starts_with('/').then(|| PathBuf::from(percent_decode(rest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_name_paths() {
        let uri: Uri = "file:///work/a%20b/%C3%BC.py".parse().unwrap();
        assert_eq!(path_of(&uri).unwrap(), Path::new("/work/a b/ü.py"));
        let localhost: Uri = "file://localhost/x/y.sh".parse().unwrap();
        assert_eq!(path_of(&localhost).unwrap(), Path::new("/x/y.sh"));
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&untitled), None);
    }
}
