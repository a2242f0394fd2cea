//! XML escaping for the XML reports (JUnit, checkstyle). Text and attribute values are escaped; characters
//! XML 1.0 cannot carry at all (most control characters) become U+FFFD, so any message yields a
//! well-formed document.

/// Where escaped text goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// An attribute value in double quotes: quotes, line breaks and tabs become character references.
    Attribute,
    /// Element content.
    Content,
}

/// Escapes `text` for an attribute value in double quotes (line breaks kept as character references).
pub(crate) fn attr(text: &str) -> String {
    escape(text, Place::Attribute)
}

/// Escapes `text` for element content.
pub(crate) fn text(text: &str) -> String {
    escape(text, Place::Content)
}

fn escape(text: &str, place: Place) -> String {
    let attribute = place == Place::Attribute;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// XML 1.0's `Char` production.
fn allowed(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(attr("a<b & \"c\"\nd"), "a&lt;b &amp; &quot;c&quot;&#10;d");
        assert_eq!(text("x\u{1}y\r\n<z>"), "x\u{FFFD}y&#13;\n&lt;z&gt;");
    }
}
