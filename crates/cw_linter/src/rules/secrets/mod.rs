//! Secret detection rules (`SEC`), run on the raw text of every file the scan reads.

use crate::FileKind;
use crate::input::{InputKind, RuleInput};

/// The text of a file, whatever its format. Rules read the text through
/// [`RuleCtx::source`](crate::RuleCtx::source).
#[derive(Debug)]
pub struct TextInput {
    /// The file's format (`FileKind::Text` for a file no other format claims).
    pub kind: FileKind,
}

impl TextInput {
    pub fn new(_text: &str, kind: FileKind) -> Self {
        Self { kind }
    }
}

impl RuleInput for TextInput {
    const KIND: InputKind = InputKind::Text;
}
