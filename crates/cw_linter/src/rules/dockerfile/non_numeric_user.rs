use cw_model::dockerfile::{Dockerfile, Stage};

use super::helpers::stages::{ancestors, root_image, stage_resource};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a final stage whose last `USER` names the user by name (`USER app`, `USER app:app`)
    /// rather than by numeric UID, including a `USER` inherited from a stage the final stage is built
    /// `FROM`. Only the user part counts (`USER 10001:app` is fine), `root` is left to DKR004, and a
    /// value that comes from a variable without a known value is not judged. When a RUN of the stage
    /// creates the user with an explicit UID (`useradd -u 10001 app`), or the user is one an image is
    /// known to ship (`nobody`, `node` in the Node.js images), the help names that UID.
    ///
    /// ## Why is this bad?
    /// Kubernetes `runAsNonRoot: true` can only verify a numeric UID: for `USER app` the kubelet
    /// cannot tell whether `app` is root and refuses to start the pod
    /// (`container has runAsNonRoot and image has non-numeric user`). A numeric UID also does not
    /// depend on the image's `/etc/passwd`, so it keeps working after a base image change.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN useradd --uid 10001 app
    /// USER app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN useradd --uid 10001 app
    /// USER 10001
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
    /// - [Kubernetes: security context, runAsNonRoot](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [hadolint DL3066](https://github.com/hadolint/hadolint/wiki/DL3066)
    pub struct NonNumericUser {
        code: "DKR050",
        name: "non-numeric-user",
        category: Security,
        severity: Warning,
        fix: None,
        peers: [
            Hadolint("DL3066")
        ],
    }
}

impl Rule for NonNumericUser {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        let Some(stage) = df.final_stage() else {
            return;
        };
        let Some(user) = &stage.user else { return };
        let name = user.user.value.as_str();
        if user.unknown
            || name.is_empty()
            || name == "root"
            || name.bytes().all(|b| b.is_ascii_digit())
        {
            return;
        }
        let group = user
            .group
            .as_deref()
            .map(|g| format!(":{g}"))
            .unwrap_or_default();
        let help = match created_uid(df, stage, name).or_else(|| well_known_uid(df, stage, name)) {
            Some(uid) => format!("use the numeric UID of `{name}`: `USER {uid}{group}`"),
            None => format!(
                "use a numeric UID (`USER 10001`), and create `{name}` with that UID (`useradd --uid 10001 {name}`)"
            ),
        };
        ctx.report(
            user.user.range,
            format!("the final stage runs as the user name `{name}`, not a numeric UID"),
        )
        .help(help)
        .resource(stage_resource(stage));
    }
}

/// The UID a `useradd`/`adduser` in the stage's RUNs (or its parents') gives `name`, when explicit.
fn created_uid(df: &Dockerfile, stage: &Stage, name: &str) -> Option<String> {
    let mut uid = None;
    for s in ancestors(df, stage) {
        for run in df.stage_runs(s) {
            for cmd in run.script.commands() {
                if !matches!(cmd.program(), "useradd" | "adduser") {
                    continue;
                }
                if cmd.args.last().is_none_or(|w| w.value != name) {
                    continue;
                }
                if let Some(found) = uid_option(cmd.args.iter().map(|w| w.value.as_str())) {
                    uid.get_or_insert(found);
                }
            }
        }
    }
    uid
}

/// The UID of users that images are known to ship: `nobody` (65534) everywhere, `node` (1000) in the
/// official Node.js images.
fn well_known_uid(df: &Dockerfile, stage: &Stage, name: &str) -> Option<String> {
    let base = root_image(df, stage).map(|(_, image)| image);
    match name {
        "nobody" => Some("65534".to_string()),
        "node" if base.is_some_and(|i| i.short_name() == "node") => Some("1000".to_string()),
        _ => None,
    }
}

/// The value of `-u N`, `-uN`, `--uid N` or `--uid=N`, when numeric.
fn uid_option<'a>(mut args: impl Iterator<Item = &'a str>) -> Option<String> {
    while let Some(arg) = args.next() {
        let value = match arg {
            "-u" | "--uid" => args.next(),
            _ => arg
                .strip_prefix("--uid=")
                .or_else(|| arg.strip_prefix("-u").filter(|v| !v.is_empty())),
        };
        if let Some(v) = value.filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())) {
            return Some(v.to_string());
        }
    }
    None
}
