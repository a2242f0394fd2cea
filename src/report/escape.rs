//! Text from outside lintmux (file names, linter messages, rule ids, the tails of a tool's output) made
//! safe to print where people and CI systems read it. A file named `x\n::error title=…::y.py` would
//! otherwise print a line GitHub Actions runs as a workflow command, and an escape sequence in a message
//! would recolour, move or retitle the terminal. Every human-readable output goes through here; JSON and
//! SARIF keep the exact text (their own encoding escapes it).
//!
//! Control characters — C0 (tab and newline included), DEL, C1, and the Unicode bidirectional
//! overrides that reorder what is shown — are written as visible escapes (`\n`, `\t`, `\r`, `\x1b`,
//! `\u{85}`, `\u{202e}`). A backslash is left as it is, so ordinary text reads as written. A line that
//! would begin with a workflow command marker (`::` or `##[`, after blanks, as the runner reads them)
//! gets a `\` in front of it.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Is `c` a character a terminal or a CI log acts on instead of showing?
fn is_control(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` on one line, every control character (newline included) written as a visible escape.
pub(crate) fn text(s: &str) -> Cow<'_, str> {
    if s.contains(AZURE_COMMAND) {
        // Azure Pipelines acts on a `##vso[` anywhere in a line.
        return Cow::Owned(text(&s.replace(AZURE_COMMAND, "##vso\\[")).into_owned());
    }
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_control(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// A line of a diff: as [`line_start`], except that tabs stay tabs (code is indented with them, and a
/// tab neither moves the cursor elsewhere nor starts a command).
pub(crate) fn diff_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\t' && is_control(c)) && !looks_like_command(s) && !s.contains(AZURE_COMMAND) {
        return Cow::Borrowed(s);
    }
    let escaped = s.split('\t').map(text).collect::<Vec<_>>().join("\t");
    if looks_like_command(&escaped) {
        Cow::Owned(format!("\\{escaped}"))
    } else {
        Cow::Owned(escaped)
    }
}

/// What starts an Azure Pipelines logging command, wherever it stands in a line.
const AZURE_COMMAND: &str = "##vso[";

/// Does a line starting with `s` look like a CI workflow command (GitHub Actions trims blanks first)?
fn looks_like_command(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with("::") || s.starts_with("##[")
}

/// [`text`], for something printed at the start of a line (a file name heading its findings): a
/// workflow command marker at its start is defused with a `\`.
pub(crate) fn line_start(s: &str) -> Cow<'_, str> {
    let escaped = text(s);
    if looks_like_command(&escaped) {
        Cow::Owned(format!("\\{escaped}"))
    } else {
        escaped
    }
}

/// Multi-line text (an error message with a source snippet): its line breaks are kept, every other
/// control character is escaped, and each line is defused as [`line_start`] does.
pub fn lines(s: &str) -> String {
    s.split('\n').map(line_start).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_azure_command_is_defused_anywhere_in_a_line() {
        assert_eq!(
            text("x ##vso[task.complete result=Succeeded;]"),
            "x ##vso\\[task.complete result=Succeeded;]"
        );
        assert_eq!(
            line_start("##vso[task.setvariable variable=X]y.py"),
            "##vso\\[task.setvariable variable=X]y.py"
        );
    }

    #[test]
    fn diff_lines_keep_tabs_and_defuse_commands() {
        assert_eq!(diff_line("+\techo hi"), "+\techo hi");
        assert_eq!(diff_line(" ::error::x\x1b[2J"), "\\ ::error::x\\x1b[2J");
    }

    #[test]
    fn ordinary_text_is_untouched() {
        for s in ["app/main.py", "`sys` imported but unused", "café \\d+ ==> the", ""] {
            assert!(matches!(text(s), Cow::Borrowed(_)), "{s}");
            assert_eq!(line_start(s), s);
        }
    }

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(text("a\nb\tc\rd"), "a\\nb\\tc\\rd");
        assert_eq!(text("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
        assert_eq!(text("nul\0 bel\x07 del\x7f"), "nul\\x00 bel\\x07 del\\x7f");
        assert_eq!(text("c1\u{9b}31m next\u{85}"), "c1\\u{9b}31m next\\u{85}");
        assert_eq!(text("abc\u{202e}fdp.exe"), "abc\\u{202e}fdp.exe");
    }

    #[test]
    fn workflow_commands_cannot_start_a_line() {
        assert_eq!(
            line_start("x\n::error title=INJECTED::pwned.py"),
            "x\\n::error title=INJECTED::pwned.py"
        );
        assert_eq!(line_start("::error::pwned.py"), "\\::error::pwned.py");
        assert_eq!(line_start("  ##[error]pwned"), "\\  ##[error]pwned");
        assert_eq!(line_start("a::b"), "a::b");
        assert_eq!(
            lines("failed to read x\n::warning::y\n  2 | \x1b[2Jz"),
            "failed to read x\n\\::warning::y\n  2 | \\x1b[2Jz"
        );
    }
}
