use cw_syntax::shell::SimpleCommand;

use super::helpers::cli::{Call, Tool, basename, call, unwrapped};
use super::helpers::layers::run_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags package installs that skip signature verification: apt `--allow-unauthenticated`,
    /// `--force-yes`, `--allow-insecure-repositories` and `-o APT::Get::AllowUnauthenticated=true`, apt
    /// sources written with `[trusted=yes]`, apk `--allow-untrusted`, yum/dnf/microdnf `--nogpgcheck` and
    /// `--setopt=gpgcheck=0`, `rpm --nosignature`/`--nodigest`, and zypper `--no-gpg-checks`.
    ///
    /// ## Why is this bad?
    /// Package signatures are what proves that a package comes from its maintainers and was not altered
    /// by a mirror, a proxy or an attacker on the network. Skipping the check lets any of them install
    /// arbitrary code as root into the image. Import the repository's signing key instead (an apt
    /// `signed-by=` keyring, `rpm --import`, a key in `/etc/apk/keys`).
    ///
    /// Options that do not touch signatures (`--allow-downgrades`), `gpgcheck=1`, and the same words as
    /// plain text (`echo "never use --allow-unauthenticated"`) are not reported.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN echo "deb [trusted=yes] http://repo.example.com/apt stable main" > /etc/apt/sources.list.d/example.list \
    ///  && apt-get update && apt-get install -y --allow-unauthenticated example-tool
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN curl -fsSL https://repo.example.com/apt/key.gpg | gpg --dearmor -o /usr/share/keyrings/example.gpg \
    ///  && echo "deb [signed-by=/usr/share/keyrings/example.gpg] https://repo.example.com/apt stable main" \
    ///       > /etc/apt/sources.list.d/example.list \
    ///  && apt-get update && apt-get install -y example-tool
    /// ```
    ///
    /// ## References
    /// - [Checkov Dockerfile policies (CKV2_DOCKER_7 to CKV2_DOCKER_11)](https://www.checkov.io/5.Policy%20Index/dockerfile.html)
    /// - [Debian: SecureApt](https://wiki.debian.org/SecureApt)
    pub struct PackageSignatureBypass {
        code: "DKR031",
        name: "package-signature-bypass",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Checkov("CKV2_DOCKER_7"),
            Checkov("CKV2_DOCKER_8"),
            Checkov("CKV2_DOCKER_9"),
            Checkov("CKV2_DOCKER_10"),
            Checkov("CKV2_DOCKER_11")
        ],
    }
}

impl Rule for PackageSignatureBypass {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for run in &df.runs {
            for cmd in run.script.commands() {
                let found = match call(cmd) {
                    Some(c) => tool_findings(&c),
                    None => other_findings(cmd),
                };
                for (range, message) in found {
                    ctx.report(range, message)
                        .help("install the repository's signing key (`signed-by=` keyring, `rpm --import`, `/etc/apk/keys`) instead of skipping verification")
                        .resource(run_resource(df, run));
                }
            }
        }
    }
}

/// apt, apk, yum/dnf/microdnf and zypper options that skip signature checks.
fn tool_findings(c: &Call<'_>) -> Vec<(TextRange, String)> {
    let mut out = Vec::new();
    let tool = c.display();
    let tool = tool.split(' ').next().unwrap_or_default().to_string();
    let longs: &[&str] = match c.tool {
        Tool::AptGet | Tool::Apt => &[
            "allow-unauthenticated",
            "force-yes",
            "allow-insecure-repositories",
        ],
        Tool::Apk => &["allow-untrusted"],
        Tool::Yum | Tool::Dnf | Tool::Microdnf => &["nogpgcheck"],
        Tool::Zypper => &["no-gpg-checks", "no-gpg-check"],
        _ => return out,
    };
    for o in c
        .line
        .opts
        .iter()
        .filter(|o| o.long && longs.contains(&o.name))
    {
        out.push((
            o.word.range,
            format!(
                "`{tool} --{}` installs packages without verifying their signatures",
                o.name
            ),
        ));
    }
    for o in &c.line.opts {
        let Some(value) = o.value else { continue };
        let config = match (c.tool, o.name) {
            (Tool::AptGet | Tool::Apt, "o" | "option") => apt_unauthenticated(value),
            (Tool::Yum | Tool::Dnf | Tool::Microdnf, "setopt") => gpgcheck_off(value),
            _ => false,
        };
        if config {
            let word = o.value_word.unwrap_or(o.word);
            out.push((
                word.range,
                format!(
                    "`{value}` makes {tool} install packages without verifying their signatures"
                ),
            ));
        }
    }
    out
}

/// `APT::Get::AllowUnauthenticated=true`, `Acquire::AllowInsecureRepositories=1`.
fn apt_unauthenticated(option: &str) -> bool {
    let lower = option.to_ascii_lowercase();
    let (key, value) = lower.split_once('=').unwrap_or((&lower, ""));
    let key_hit = key.ends_with("allowunauthenticated")
        || key.ends_with("allowinsecurerepositories")
        || key.ends_with("allowdowngradetoinsecurerepositories")
        || key.ends_with("force-yes");
    key_hit && matches!(value.trim_matches('"'), "true" | "1" | "yes")
}

/// `gpgcheck=0`, `*.gpgcheck=False`, `localpkg_gpgcheck=no`.
fn gpgcheck_off(option: &str) -> bool {
    let lower = option.to_ascii_lowercase();
    let (key, value) = lower.split_once('=').unwrap_or((&lower, ""));
    key.ends_with("gpgcheck") && matches!(value, "0" | "false" | "no")
}

/// `rpm --nosignature`, and `[trusted=yes]` or unauthenticated apt configuration written by echo/printf.
fn other_findings(cmd: &SimpleCommand) -> Vec<(TextRange, String)> {
    let mut out = Vec::new();
    let Some((name, args)) = unwrapped(cmd) else {
        return out;
    };
    if !name.literal {
        return out;
    }
    match basename(name) {
        "rpm" => {
            for w in args
                .iter()
                .filter(|w| matches!(w.value.as_str(), "--nosignature" | "--nodigest" | "--nogpg"))
            {
                out.push((
                    w.range,
                    format!(
                        "`rpm {}` installs packages without verifying their signatures",
                        w.value
                    ),
                ));
            }
        }
        "echo" | "printf" => {
            for w in args.iter().filter(|w| w.literal) {
                let lower = w.value.to_ascii_lowercase();
                if trusted_yes(&lower) {
                    out.push((
                        w.range,
                        "`[trusted=yes]` makes apt accept this repository without signatures"
                            .to_string(),
                    ));
                } else if lower.contains("allowunauthenticated") && lower.contains("true") {
                    out.push((w.range, "`AllowUnauthenticated` makes apt install packages without verifying their signatures".to_string()));
                }
            }
        }
        _ => {}
    }
    out
}

/// A sources.list entry with `trusted=yes` in its `[options]`.
fn trusted_yes(line: &str) -> bool {
    let Some(open) = line.find('[') else {
        return false;
    };
    let Some(close) = line[open..].find(']') else {
        return false;
    };
    line[open + 1..open + close]
        .split_whitespace()
        .any(|o| o == "trusted=yes")
}
