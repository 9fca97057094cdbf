use cw_syntax::dockerfile::Keyword;
use cw_syntax::shell::{SimpleCommand, Word};

use super::helpers::cli::{Tool, basename, call, unwrapped};
use super::helpers::copy::stage_of;
use super::helpers::layers::run_resource;
use super::helpers::net::{Downloader, download};
use super::helpers::stages::stage_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags settings that turn off TLS certificate verification for downloads during the build: `curl -k`
    /// / `--insecure` (also inside option clusters such as `-fsSLk`), `wget --no-check-certificate`, pip
    /// `--trusted-host` (and `pip config set global.trusted-host`), `npm`/`yarn`/`pnpm` `strict-ssl false`,
    /// `git config http.sslVerify false` and `git -c http.sslVerify=false`, apt
    /// `Acquire::https::Verify-Peer=false`, and the variables `NODE_TLS_REJECT_UNAUTHORIZED=0`,
    /// `GIT_SSL_NO_VERIFY=true`, `PYTHONHTTPSVERIFY=0`, `NPM_CONFIG_STRICT_SSL=false`, `PIP_TRUSTED_HOST`
    /// and `GOINSECURE`, whether set with ENV, ARG, `export` or as a command prefix.
    ///
    /// ## Why is this bad?
    /// Without certificate checks anyone on the network path (a proxy, a compromised Wi-Fi, a hostile
    /// CI network) can serve their own packages and scripts, which the build then installs as root.
    /// Variables set with ENV also stay in the image and weaken every TLS connection the application makes
    /// at run time. The usual reason is a corporate proxy with its own CA: install that CA instead.
    ///
    /// Options that only look similar are not reported (`curl -ok` writes to a file named `k`), nor are
    /// values we cannot resolve, nor settings that turn verification back on.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV NODE_TLS_REJECT_UNAUTHORIZED=0
    /// RUN curl -fsSLk https://internal.example.com/setup.sh -o /tmp/setup.sh
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY corp-root-ca.crt /usr/local/share/ca-certificates/
    /// RUN update-ca-certificates
    /// ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
    /// RUN curl -fsSL https://internal.example.com/setup.sh -o /tmp/setup.sh
    /// ```
    ///
    /// ## References
    /// - [Checkov Dockerfile policies (CKV2_DOCKER_2 to CKV2_DOCKER_6, CKV2_DOCKER_12 to CKV2_DOCKER_16)](https://www.checkov.io/5.Policy%20Index/dockerfile.html)
    /// - [curl: --insecure](https://curl.se/docs/manpage.html#-k)
    /// - [Node.js: NODE_TLS_REJECT_UNAUTHORIZED](https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue)
    pub struct TlsVerificationDisabled {
        code: "DKR030",
        name: "tls-verification-disabled",
        category: Security,
        severity: Error,
        fix: None,
        peers: [
            Checkov("CKV2_DOCKER_2"),
            Checkov("CKV2_DOCKER_3"),
            Checkov("CKV2_DOCKER_4"),
            Checkov("CKV2_DOCKER_5"),
            Checkov("CKV2_DOCKER_6"),
            Checkov("CKV2_DOCKER_12"),
            Checkov("CKV2_DOCKER_13"),
            Checkov("CKV2_DOCKER_14"),
            Checkov("CKV2_DOCKER_15"),
            Checkov("CKV2_DOCKER_16")
        ],
    }
}

const HELP: &str = "trust the right CA instead (copy it to `/usr/local/share/ca-certificates/` and run `update-ca-certificates`)";

impl Rule for TlsVerificationDisabled {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (index, ins) in df.ast.instructions.iter().enumerate() {
            if !matches!(ins.keyword, Keyword::Env | Keyword::Arg) {
                continue;
            }
            for kv in ins.key_values() {
                let Some(value) = &kv.value else {
                    continue;
                };
                let raw = ctx.text(value.range);
                let value = if raw.contains('$') {
                    match df.vars_at(index).expand(raw) {
                        Some(v) => v,
                        None => continue,
                    }
                } else {
                    value.value.clone()
                };
                let Some(what) = insecure_env(&kv.key.value, &value) else {
                    continue;
                };
                let f = ctx
                    .report(
                        kv.range,
                        format!("{} `{}={value}` {what}", ins.keyword.as_str(), kv.key.value),
                    )
                    .help(HELP);
                if let Some(stage) = stage_of(df, index) {
                    f.resource(stage_resource(stage));
                }
            }
        }
        for run in &df.runs {
            for cmd in run.script.commands() {
                for (range, message) in findings(cmd) {
                    ctx.report(range, message)
                        .help(HELP)
                        .resource(run_resource(df, run));
                }
            }
        }
    }
}

/// What a variable set to `value` turns off, when it disables TLS verification.
fn insecure_env(name: &str, value: &str) -> Option<&'static str> {
    let v = value.trim().to_ascii_lowercase();
    let falsy = matches!(v.as_str(), "false" | "0" | "no" | "off");
    let truthy = matches!(v.as_str(), "true" | "1" | "yes" | "on");
    let what = match name.to_ascii_uppercase().as_str() {
        "NODE_TLS_REJECT_UNAUTHORIZED" if v == "0" => "turns off TLS certificate checks in Node.js",
        "GIT_SSL_NO_VERIFY" if truthy => "turns off TLS certificate checks in git",
        "PYTHONHTTPSVERIFY" if v == "0" => "turns off HTTPS certificate checks in Python",
        "NPM_CONFIG_STRICT_SSL" if falsy => "turns off TLS certificate checks in npm",
        "YARN_ENABLE_STRICT_SSL" | "YARN_STRICT_SSL" if falsy => {
            "turns off TLS certificate checks in yarn"
        }
        "PIP_TRUSTED_HOST" if !v.is_empty() => "makes pip skip TLS verification for these hosts",
        "GOINSECURE" if !v.is_empty() => "makes Go module downloads skip TLS verification",
        _ => return None,
    };
    Some(what)
}

/// The TLS-disabling options and variables of one command, with the range to report.
fn findings(cmd: &SimpleCommand) -> Vec<(TextRange, String)> {
    let mut out = Vec::new();
    for a in &cmd.assignments {
        if let Some(what) = insecure_env(&a.name, &a.value.value).filter(|_| a.value.literal) {
            out.push((a.range, format!("`{}={}` {what}", a.name, a.value.value)));
        }
    }
    let Some((name, args)) = unwrapped(cmd) else {
        return out;
    };
    if !name.literal {
        return out;
    }
    match basename(name) {
        "export" | "env" | "declare" | "typeset" => {
            for w in args.iter().filter(|w| w.literal) {
                if let Some((n, v)) = w.value.split_once('=')
                    && let Some(what) = insecure_env(n, v)
                {
                    out.push((w.range, format!("`{}` {what}", w.value)));
                }
            }
        }
        "git" => git_findings(args, &mut out),
        "echo" | "printf" => {
            for w in args.iter().filter(|w| w.literal) {
                let lower = w.value.to_ascii_lowercase();
                if (lower.contains("verify-peer") || lower.contains("verify-host"))
                    && lower.contains("false")
                {
                    out.push((w.range, "apt configured with `Verify-Peer`/`Verify-Host` false skips TLS certificate checks".to_string()));
                }
            }
        }
        _ => {}
    }
    if let Some(d) = download(cmd) {
        let opt = match d.tool {
            Downloader::Curl => d.line.find(Some('k'), &["insecure", "proxy-insecure"]),
            Downloader::Wget => d.line.find(None, &["no-check-certificate"]),
        };
        if let Some(opt) = opt {
            out.push((
                opt.word.range,
                format!(
                    "`{} {}` skips TLS certificate verification",
                    d.name(),
                    opt.word.value
                ),
            ));
        }
        if d.tool == Downloader::Wget {
            for v in d
                .line
                .opts
                .iter()
                .filter(|o| matches!(o.name, "e" | "execute"))
            {
                let value = v.value.unwrap_or("").to_ascii_lowercase().replace(' ', "");
                if let Some(word) = v.value_word.filter(|_| {
                    value.starts_with("check_certificate=")
                        && matches!(
                            &value["check_certificate=".len()..],
                            "off" | "0" | "no" | "false"
                        )
                }) {
                    out.push((
                        word.range,
                        "`wget -e check_certificate=off` skips TLS certificate verification"
                            .to_string(),
                    ));
                }
            }
        }
    }
    if let Some(c) = call(cmd) {
        match c.tool {
            Tool::Pip | Tool::UvPip => {
                if let Some(o) = c.line.find(None, &["trusted-host", "allow-insecure-host"]) {
                    out.push((
                        o.word.range,
                        format!(
                            "`--{}` makes {} skip TLS verification for `{}`",
                            o.name,
                            c.display(),
                            o.value.unwrap_or("")
                        ),
                    ));
                }
                let ops: Vec<&str> = c.operands().iter().map(|w| w.value.as_str()).collect();
                if c.sub_is(&["config"])
                    && ops.first() == Some(&"set")
                    && let Some(key) = c
                        .operands()
                        .get(1)
                        .filter(|w| w.value.ends_with("trusted-host"))
                {
                    out.push((
                        key.range,
                        format!(
                            "`pip config set {}` makes pip skip TLS verification",
                            key.value
                        ),
                    ));
                }
            }
            Tool::Npm | Tool::Yarn | Tool::Pnpm => node_findings(&c, &mut out),
            Tool::AptGet | Tool::Apt => {
                for o in c
                    .line
                    .opts
                    .iter()
                    .filter(|o| o.name == "o" || o.name == "option")
                {
                    let value = o.value.unwrap_or("").to_ascii_lowercase();
                    let (key, v) = value.split_once('=').unwrap_or((&value, ""));
                    if (key.ends_with("verify-peer") || key.ends_with("verify-host"))
                        && matches!(v.trim_matches('"'), "false" | "0" | "no")
                    {
                        let word = o.value_word.unwrap_or(o.word);
                        out.push((
                            word.range,
                            format!(
                                "`{}` makes apt skip TLS certificate checks",
                                o.value.unwrap_or("")
                            ),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `git config http.sslVerify false` and `git -c http.sslVerify=false`.
fn git_findings(args: &[Word], out: &mut Vec<(TextRange, String)>) {
    let is_key = |k: &str| {
        let k = k.to_ascii_lowercase();
        k.starts_with("http.") && k.ends_with(".sslverify")
    };
    let falsy = |v: &str| {
        matches!(
            v.to_ascii_lowercase().as_str(),
            "false" | "0" | "no" | "off"
        )
    };
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        if w.value == "-c" {
            if let Some(next) = args.get(i + 1)
                && let Some((k, v)) = next.value.split_once('=')
                && is_key(k)
                && falsy(v)
            {
                out.push((
                    next.range,
                    format!("`git -c {}` turns off TLS certificate checks", next.value),
                ));
            }
            i += 2;
            continue;
        }
        if is_key(&w.value)
            && let Some(v) = args.get(i + 1).filter(|v| falsy(&v.value))
        {
            out.push((
                w.range.cover(v.range),
                format!(
                    "`{} {}` turns off TLS certificate checks in git",
                    w.value, v.value
                ),
            ));
        }
        i += 1;
    }
}

/// `npm config set strict-ssl false`, `yarn config set enableStrictSsl false`, `--strict-ssl=false`.
fn node_findings(c: &super::helpers::cli::Call<'_>, out: &mut Vec<(TextRange, String)>) {
    let is_key = |k: &str| {
        let k = k.to_ascii_lowercase();
        k == "strict-ssl" || k == "enablestrictssl"
    };
    let falsy = |v: &str| matches!(v, "false" | "0");
    let ops = c.operands();
    let key_at = if c.sub_is(&["config"]) && ops.first().is_some_and(|w| w.value == "set") {
        Some(1)
    } else if c.sub_is(&["set"]) {
        Some(0)
    } else {
        None
    };
    if let Some(k) = key_at.and_then(|i| ops.get(i).map(|w| (i, *w))) {
        let (i, key) = k;
        let hit = match key.value.split_once('=') {
            Some((name, v)) => (is_key(name) && falsy(v)).then_some(key.range),
            None => ops
                .get(i + 1)
                .filter(|v| is_key(&key.value) && falsy(&v.value))
                .map(|v| key.range.cover(v.range)),
        };
        if let Some(range) = hit {
            let tool = c.display();
            let tool = tool.split(' ').next().unwrap_or("npm");
            out.push((
                range,
                format!("`{tool}` with strict-ssl off skips TLS certificate checks"),
            ));
        }
    }
    for o in &c.line.opts {
        if (o.name == "strict-ssl" && o.value.is_some_and(falsy)) || o.name == "no-strict-ssl" {
            out.push((
                o.word.range,
                format!("`{}` turns off TLS certificate checks", o.word.value),
            ));
        }
    }
}
