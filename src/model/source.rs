//! Turns a `toml` deserialisation error into the `file:line:col: message` form used for every
//! configuration mistake, followed by the offending source line and carets (the style of `just` and cargo),
//! so a user can jump straight to the key that is wrong.

use std::path::Path;

/// 1-based line and column of a byte offset in `src`.
pub(crate) fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = src[line_start..offset].chars().count() + 1;
    (line, col)
}

/// The source line of `span` with carets under it.
pub(crate) fn excerpt(src: &str, span: std::ops::Range<usize>) -> String {
    let (line, col) = line_col(src, span.start);
    let text = src.lines().nth(line - 1).unwrap_or("");
    let width = src[span.start.min(src.len())..span.end.min(src.len())]
        .lines()
        .next()
        .map_or(1, |s| s.chars().count().max(1));
    format!(
        "    |\n{line:>3} | {text}\n    | {}{}",
        " ".repeat(col - 1),
        "^".repeat(width)
    )
}

/// Formats `err` as `path:line:col: message` plus the source line and carets under the span.
pub(crate) fn describe(path: &Path, src: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim_end();
    let Some(span) = err.span() else {
        return format!("{}: {message}", path.display());
    };
    let (line, col) = line_col(src, span.start);
    format!("{}:{line}:{col}: {message}\n{}", path.display(), excerpt(src, span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let src = "a = 1\nbb = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 9), (2, 4));
    }

    #[test]
    fn describes_unknown_key_with_location() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            a: u32,
        }
        let src = "a = 1\nbogus = 2\n";
        let err = toml::from_str::<T>(src).unwrap_err();
        let text = describe(Path::new("x.toml"), src, &err);
        assert!(text.starts_with("x.toml:2:1: unknown field `bogus`"), "{text}");
        assert!(text.contains("  2 | bogus = 2\n    | ^^^^^"), "{text}");
    }
}
