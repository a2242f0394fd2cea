//! Positions in a document. A tool names a place by a 1-based line and a 1-based column that counts
//! characters, UTF-8 bytes or UTF-16 code units (its definition's `output.columns`), or by an offset into
//! the file; an editor wants a 0-based line and a character offset in the encoding it negotiated (UTF-16
//! unless it accepts UTF-8 or UTF-32). [`Text`] turns one into the other over the text the findings
//! describe, clamping what lies past the end of a line or of the file.

use lsp_types::{Position, PositionEncodingKind};

use crate::catalog::Columns;

/// The position encoding negotiated with the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The first of the client's encodings the server speaks (UTF-8 first, as it costs nothing), else
    /// UTF-16, which every client must accept.
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or(&[]);
        for (kind, encoding) in [
            (PositionEncodingKind::UTF8, Encoding::Utf8),
            (PositionEncodingKind::UTF32, Encoding::Utf32),
        ] {
            if offered.contains(&kind) {
                return encoding;
            }
        }
        Encoding::Utf16
    }

    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// How many units of this encoding `c` takes.
    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// A document's text with where each line starts.
#[derive(Clone, Debug, Default)]
pub(crate) struct Text {
    text: String,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl Text {
    pub(crate) fn new(text: String) -> Text {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Text { text, starts }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The bytes of 0-based line `line`, without its line break (empty past the last line).
    fn line(&self, line: usize) -> (usize, &str) {
        let Some(&start) = self.starts.get(line) else {
            return (self.text.len(), "");
        };
        let end = self.starts.get(line + 1).map_or(self.text.len(), |&e| e - 1);
        let body = &self.text[start..end.max(start)];
        (start, body.strip_suffix('\r').unwrap_or(body))
    }

    /// The byte offset of 1-based `line` and 1-based `column` counted in `unit` (clamped to the line).
    pub(crate) fn offset(&self, line: u32, column: u32, unit: Columns) -> usize {
        let (start, body) = self.line((line.max(1) - 1) as usize);
        start + advance(body, u64::from(column.max(1) - 1), unit)
    }

    /// The byte offset of a 0-based offset into the whole text counted in `unit` (clamped to the end).
    pub(crate) fn offset_of(&self, offset: u64, unit: Columns) -> usize {
        advance(&self.text, offset, unit)
    }

    /// The byte offset of the end of 1-based `line`.
    pub(crate) fn end_of_line(&self, line: u32) -> usize {
        let (start, body) = self.line((line.max(1) - 1) as usize);
        start + body.len()
    }

    /// The end of the text.
    pub(crate) fn end(&self) -> usize {
        self.text.len()
    }

    /// The editor's position of a byte offset (which lies on a character boundary).
    pub(crate) fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = self.text[start..offset].chars().map(|c| encoding.width(c)).sum();
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character,
        }
    }
}

/// The byte length of the first `n` units of `text` (all of it when shorter), on a character boundary.
fn advance(text: &str, n: u64, unit: Columns) -> usize {
    let mut counted = 0u64;
    for (i, c) in text.char_indices() {
        if counted >= n {
            return i;
        }
        counted += match unit {
            Columns::Chars => 1,
            Columns::Bytes => c.len_utf8() as u64,
            Columns::Utf16 => c.len_utf16() as u64,
        };
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `x` after `🎉 привет ` on line 2 is character 10, byte 19 and UTF-16 unit 11 of its line (1-based).
    #[test]
    fn a_column_after_emoji_and_cyrillic_is_the_same_place_in_every_unit() {
        let text = Text::new("first line\n🎉 привет x = 1\r\nlast".to_owned());
        let want = "first line\n🎉 привет ".len();
        assert_eq!(text.offset(2, 10, Columns::Chars), want);
        assert_eq!(text.offset(2, 19, Columns::Bytes), want);
        assert_eq!(text.offset(2, 11, Columns::Utf16), want);
        assert_eq!(
            text.position(want, Encoding::Utf16),
            Position { line: 1, character: 10 }
        );
        assert_eq!(text.position(want, Encoding::Utf8), Position { line: 1, character: 18 });
        assert_eq!(text.position(want, Encoding::Utf32), Position { line: 1, character: 9 });
    }

    #[test]
    fn places_past_the_end_are_clamped_and_lines_end_before_their_break() {
        let text = Text::new("ab\r\ncd\n".to_owned());
        assert_eq!(
            text.offset(1, 99, Columns::Chars),
            2,
            "clamped to the line, before \\r\\n"
        );
        assert_eq!(text.end_of_line(1), 2);
        assert_eq!(
            text.offset(9, 1, Columns::Chars),
            text.end(),
            "a line past the last is the end"
        );
        assert_eq!(text.offset_of(99, Columns::Utf16), text.end());
        assert_eq!(
            text.position(text.end(), Encoding::Utf16),
            Position { line: 2, character: 0 }
        );
        // An offset into the whole text counts line breaks as the tool does.
        assert_eq!(text.offset_of(4, Columns::Utf16), 4);
    }

    #[test]
    fn utf8_is_preferred_then_utf32_else_utf16() {
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf32
        );
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
