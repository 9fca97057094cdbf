//! Typed views over parsed files. Every value a user can be pointed at carries its source range.

pub mod aws;
pub mod compose;
pub mod dockerfile;
pub mod github_actions;
pub mod gitlab_ci;
pub mod kubernetes;
pub mod kustomize;
pub mod paths;
pub mod terraform;
