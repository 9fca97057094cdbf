//! Every rule, one file each, grouped by format.

pub mod aws;
pub mod compose;
pub mod dockerfile;
pub mod github_actions;
pub mod gitlab_ci;
pub mod kubernetes;
pub mod secrets;
pub mod terraform;
pub mod tool;
