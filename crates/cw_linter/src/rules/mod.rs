//! Every rule, one file each, grouped by format.

pub mod compose;
pub mod dockerfile;
pub mod tool;
