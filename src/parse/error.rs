//! The one error a parser returns: the output did not parse, or it shows that the tool failed. Its own
//! file, so the parsers and the dispatch in `format.rs` do not depend on each other.

/// What a parser found wrong with the output.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ParseError(pub(crate) String);
