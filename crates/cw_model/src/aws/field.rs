use cw_diagnostics::{Spanned, TextRange};

/// A setting as a rule must read it.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Field<T> {
    /// Not written: the service's default applies.
    #[default]
    Absent,
    /// Written, but known only after apply (or linked through something unknown). Never a reason
    /// to report.
    Unknown(TextRange),
    /// Known, with the range that wrote it.
    Known(Spanned<T>),
}

impl<T> Field<T> {
    pub fn known(&self) -> Option<&Spanned<T>> {
        match self {
            Field::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn value(&self) -> Option<&T> {
        self.known().map(|v| &v.value)
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Field::Unknown(_))
    }

    /// The range that wrote the setting (`None` when absent).
    pub fn range(&self) -> Option<TextRange> {
        match self {
            Field::Absent => None,
            Field::Unknown(r) => Some(*r),
            Field::Known(v) => Some(v.range),
        }
    }

    /// Whether the setting is known to hold `pred` (absent counts as the default, given).
    pub fn is(&self, default: bool, pred: impl Fn(&T) -> bool) -> Option<bool> {
        match self {
            Field::Absent => Some(default),
            Field::Unknown(_) => None,
            Field::Known(v) => Some(pred(&v.value)),
        }
    }
}

/// Where a modelled resource comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The full address (`module.logs.aws_s3_bucket.this[0]`) or CloudFormation logical id.
    pub address: String,
    /// The address within its module (`aws_s3_bucket.this[0]`): the same in every instance of
    /// the module.
    pub local_address: String,
    /// The resource type (`aws_s3_bucket`, `AWS::S3::Bucket`).
    pub kind: String,
    /// The whole resource block.
    pub block: TextRange,
    /// The resource's name label (or logical id): where a finding about something missing
    /// points.
    pub name: TextRange,
}
