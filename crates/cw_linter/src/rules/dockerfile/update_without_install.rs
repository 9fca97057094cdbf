use cw_model::dockerfile::{Dockerfile, Run};
use cw_syntax::shell::SimpleCommand;

use crate::prelude::*;
use crate::rules::dockerfile::helpers::cli::{Tool, basename, call, call_range};
use crate::rules::dockerfile::helpers::report::report_call;

declare_rule! {
    /// ## What it does
    /// Flags a RUN that refreshes the package index (`apt-get update`, `apt update`, `apk update`)
    /// without installing anything in the same RUN.
    ///
    /// The rule fires only when every other command of the RUN is known not to install packages (`echo`,
    /// `rm`, `mkdir`, `ln`, `curl` / `gpg` fetching a repository key, `dpkg --add-architecture`, ...): a
    /// RUN that also calls a script or pipes into a shell may install through it and is not reported. When
    /// a later RUN of the same stage installs from that index, a label points at it.
    ///
    /// ## Why is this bad?
    /// The build cache keys a RUN on its text, not on the state of the archive. Once the lone
    /// `apt-get update` layer is cached, later builds reuse its old index while the `apt-get install`
    /// layer is rebuilt, so installs fail with 404s for versions the archive no longer has, or
    /// silently install outdated packages. Updating and installing in one RUN keeps them consistent.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN apt-get update \
    ///     && apt-get install -y --no-install-recommends curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## References
    /// - https://docs.docker.com/build/building/best-practices/#apt-get
    /// - https://docs.docker.com/build/cache/invalidation/
    pub struct UpdateWithoutInstall {
        code: "DKR025",
        name: "update-without-install",
        category: Reliability,
        severity: Warning,
        fix: None,
        peers: [
            Checkov("CKV_DOCKER_5"),
            Trivy("DS017"),
            Kics("Update Instruction Alone")
        ],
    }
}

/// Commands that cannot install packages on their own.
const HARMLESS: &[&str] = &[
    "echo",
    "printf",
    "rm",
    "mkdir",
    "set",
    "true",
    ":",
    "ln",
    "cp",
    "mv",
    "chmod",
    "chown",
    "touch",
    "tee",
    "cat",
    "sed",
    "export",
    "cd",
    "ls",
    "sleep",
    "test",
    "[",
    "which",
    "curl",
    "wget",
    "gpg",
    "apt-key",
    "apt-cache",
    "apt-mark",
    "install",
    "update-ca-certificates",
    "locale-gen",
    "grep",
];

impl Rule for UpdateWithoutInstall {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for run in &df.runs {
            if run.script.error.is_some() {
                continue;
            }
            let mut update = None;
            let mut alone = true;
            for cmd in run.script.commands() {
                match classify(cmd) {
                    Kind::Update(tool) => {
                        update.get_or_insert((cmd, tool));
                    }
                    Kind::Harmless => {}
                    Kind::Other => {
                        alone = false;
                        break;
                    }
                }
            }
            let Some((cmd, tool)) = update.filter(|_| alone) else {
                continue;
            };
            let Some(call) = call(cmd) else {
                continue;
            };
            let install = match call.tool {
                Tool::Apk => "apk add",
                Tool::Apt => "apt install",
                _ => "apt-get install",
            };
            let message = format!(
                "`{}` runs alone: its index layer is cached and later installs read a stale index",
                call.display()
            );
            let finding = report_call(ctx, df, run, &call, message).help(format!(
                "update and install in one RUN: `{} && {install} ...`",
                call.display()
            ));
            if let Some(range) = later_install(df, run, tool) {
                finding.label(range, "installs from the cached index");
            }
        }
    }
}

enum Kind {
    Update(Tool),
    Harmless,
    Other,
}

fn classify(cmd: &SimpleCommand) -> Kind {
    if let Some(call) = call(cmd) {
        let sub = call.sub_name();
        return match call.tool {
            Tool::AptGet | Tool::Apt if sub == "update" => Kind::Update(Tool::AptGet),
            Tool::Apk if sub == "update" => Kind::Update(Tool::Apk),
            Tool::AptGet | Tool::Apt
                if matches!(
                    sub,
                    "clean" | "autoclean" | "check" | "changelog" | "indextargets"
                ) =>
            {
                Kind::Harmless
            }
            Tool::Apk if matches!(sub, "info" | "search" | "policy" | "stats" | "version") => {
                Kind::Harmless
            }
            _ => Kind::Other,
        };
    }
    if !cmd.name.literal {
        return Kind::Other;
    }
    let name = basename(&cmd.name);
    let harmless = HARMLESS.contains(&name)
        || name == "add-apt-repository"
        || (name == "dpkg"
            && cmd.args.first().is_some_and(|a| {
                matches!(
                    a.value.as_str(),
                    "--add-architecture" | "--print-architecture" | "--print-foreign-architectures"
                )
            }));
    if harmless {
        Kind::Harmless
    } else {
        Kind::Other
    }
}

/// The first later RUN of the same stage that installs with the same package manager without its own
/// update: the install that reads the cached index.
fn later_install(df: &Dockerfile, run: &Run, tool: Tool) -> Option<cw_diagnostics::TextRange> {
    let stage = run.stage?;
    df.runs
        .iter()
        .filter(|r| r.stage == Some(stage) && r.instruction > run.instruction)
        .find_map(|r| {
            for cmd in r.script.commands() {
                let Some(call) = call(cmd) else {
                    continue;
                };
                let same = match tool {
                    Tool::Apk => call.tool == Tool::Apk,
                    _ => call.tool.is_apt(),
                };
                if !same {
                    continue;
                }
                // `apk add --no-cache` / `--update-cache` fetch a fresh index themselves.
                if call.sub_is(&["update"])
                    || call
                        .line
                        .has(Some('U'), &["no-cache", "update-cache", "update"])
                {
                    return None;
                }
                if call.sub_is(&["install", "add", "upgrade", "dist-upgrade", "full-upgrade"]) {
                    return Some(call_range(&call));
                }
            }
            None
        })
}
