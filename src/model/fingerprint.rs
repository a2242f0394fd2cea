//! `partialFingerprints.primaryLocationLineHash`, computed the way GitHub's codeql-action computes it when
//! it uploads SARIF: a rolling hash over the 100 characters (UTF-16 code units, spaces and tabs skipped,
//! CR and CRLF read as LF) that start at each line, printed as unsigned hex, then `:n` where `n` counts the
//! earlier lines of the file with the same hash. Computing it ourselves lets code scanning track a result
//! across commits even when lintmux's SARIF is uploaded by another tool.

use std::collections::HashMap;
use std::path::Path;

use crate::model::Finding;

const BLOCK_SIZE: usize = 100;
const MOD: i64 = 37;
const EOF: i64 = 65535;

/// The line hash of every line of `text`, indexed by line number - 1.
pub(crate) fn line_hashes(text: &str) -> Vec<String> {
    let first_mod = (0..BLOCK_SIZE).fold(1i64, |acc, _| acc.wrapping_mul(MOD));
    let mut window = [0i64; BLOCK_SIZE];
    let mut line_numbers = [-1i64; BLOCK_SIZE];
    let mut hash: i64 = 0;
    let mut index = 0usize;
    let mut line_number = 0i64;
    let mut line_start = true;
    let mut prev_cr = false;
    let mut counts: HashMap<u64, u32> = HashMap::new();
    let mut out: Vec<String> = Vec::new();

    let mut output = |line_numbers: &mut [i64; BLOCK_SIZE], index: usize, hash: i64| {
        let value = hash as u64;
        let n = counts.entry(value).or_insert(0);
        *n += 1;
        let line = usize::try_from(line_numbers[index]).unwrap_or(1);
        if out.len() < line {
            out.resize(line, String::new());
        }
        out[line - 1] = format!("{value:x}:{n}");
        line_numbers[index] = -1;
    };
    let update = |window: &mut [i64; BLOCK_SIZE], index: &mut usize, hash: &mut i64, current: i64| {
        let begin = window[*index];
        window[*index] = current;
        *hash = MOD
            .wrapping_mul(*hash)
            .wrapping_add(current)
            .wrapping_sub(first_mod.wrapping_mul(begin));
        *index = (*index + 1) % BLOCK_SIZE;
    };

    let chars = text.encode_utf16().map(i64::from).chain(std::iter::once(EOF));
    for mut current in chars {
        if current == i64::from(b' ') || current == i64::from(b'\t') || (prev_cr && current == i64::from(b'\n')) {
            prev_cr = false;
            continue;
        }
        if current == i64::from(b'\r') {
            current = i64::from(b'\n');
            prev_cr = true;
        } else {
            prev_cr = false;
        }
        if line_numbers[index] != -1 {
            output(&mut line_numbers, index, hash);
        }
        if line_start {
            line_start = false;
            line_number += 1;
            line_numbers[index] = line_number;
        }
        if current == i64::from(b'\n') {
            line_start = true;
        }
        update(&mut window, &mut index, &mut hash, current);
    }
    for _ in 0..BLOCK_SIZE {
        if line_numbers[index] != -1 {
            output(&mut line_numbers, index, hash);
        }
        update(&mut window, &mut index, &mut hash, 0);
    }
    out
}

/// Line hashes of the files findings point at, each file read once.
pub(crate) struct FileLineHashes<'a> {
    root: &'a Path,
    files: HashMap<String, Vec<String>>,
}

impl<'a> FileLineHashes<'a> {
    pub(crate) fn new(root: &'a Path) -> FileLineHashes<'a> {
        FileLineHashes {
            root,
            files: HashMap::new(),
        }
    }

    /// The `primaryLocationLineHash` of line `line` (1-based) of `path`. Only a regular file that lies
    /// inside the root is read ([`crate::model::readable`]): a linter that names `/etc/passwd` or
    /// `../x` gets no hash, and lintmux reads nothing outside the root because a linter said so.
    pub(crate) fn get(&mut self, path: &str, line: u32) -> Option<String> {
        let root = self.root;
        let hashes = self.files.entry(path.to_owned()).or_insert_with(|| {
            crate::model::readable(root, path)
                .and_then(|file| std::fs::read(file).ok())
                .map(|b| line_hashes(&String::from_utf8_lossy(&b)))
                .unwrap_or_default()
        });
        hashes.get(usize::try_from(line).ok()?.checked_sub(1)?).cloned()
    }

    /// The identity of a finding across commits: tool, rule, file and line hash (or line number when
    /// the file cannot be read).
    pub(crate) fn identity(&mut self, f: &Finding) -> String {
        let hash = self.get(&f.path, f.line);
        identity(&f.linter, &f.rule, &f.path, hash.as_deref(), f.line)
    }
}

/// The identity of a result across commits: tool, rule, file, and the line hash when there is one (else
/// the line number). Findings and the results of a saved SARIF report are compared by it.
pub(crate) fn identity(tool: &str, rule: &str, path: &str, line_hash: Option<&str>, line: u32) -> String {
    match line_hash {
        Some(hash) => format!("{tool}\0{rule}\0{path}\0{hash}"),
        None => format!("{tool}\0{rule}\0{path}\0line {line}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hash_per_line() {
        let h = line_hashes("a\nb\nc\n");
        assert_eq!(h.len(), 4, "the EOF marker starts a last line, as in codeql-action");
        assert!(h.iter().all(|s| s.contains(':')));
    }

    #[test]
    fn whitespace_and_line_endings_do_not_matter() {
        assert_eq!(line_hashes("x = 1\ny = 2\n"), line_hashes("x=1\r\n  y =\t2\r\n"));
        assert_ne!(line_hashes("x = 1\n"), line_hashes("x = 2\n"));
    }

    #[test]
    fn identical_contexts_are_counted() {
        // Two identical lines followed by identical rest-of-window differ only by their counter.
        let h = line_hashes("same\nsame\n");
        assert_ne!(h[0], h[1]);
        let text = "a\n".repeat(3);
        let h = line_hashes(&text);
        assert!(h[0].ends_with(":1"));
    }

    #[test]
    fn codeql_action_vectors() {
        // The values codeql-action's own tests expect (src/fingerprints.test.ts).
        assert_eq!(line_hashes(""), ["c129715d7a2bc9a3:1"]);
        let h = line_hashes(" a\nb\n  \t\tc\n d");
        assert_eq!(&h[..2], ["271789c17abda88f:1", "54703d4cd895b18:1"]);
    }
}
