//! Shared helpers for Dockerfile rules. Keep each one small and used by at least two rules.

/// Command lines inside RUN: the tool a command runs, its subcommand, options and operands.
pub(crate) mod cli;
/// COPY and ADD arguments, the stage of an instruction, credential file names.
pub(crate) mod copy;
/// `EXPOSE` port specifications as Docker parses them.
pub(crate) mod expose;
/// What ends up in an image's layers: shipped stages, removed paths, earlier configuration.
pub(crate) mod layers;
/// Downloads in RUN: `curl` and `wget` options, where the content goes.
pub(crate) mod net;
/// Findings on tool calls in RUN: on the tool and subcommand, or on unpinned package words.
pub(crate) mod report;
/// Stages and the images they use: base images, `FROM` chains, `COPY --from` sources, tags in FROM lines.
pub(crate) mod stages;
/// Who the final stage runs as: `USER`, base image defaults, privilege droppers.
pub(crate) mod user;
