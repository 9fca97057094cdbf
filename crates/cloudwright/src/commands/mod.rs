pub(crate) mod fix;
pub(crate) mod rules;
pub(crate) mod scan;
mod setup;
