use super::helpers::expose::{PortSpec, exposed_words};
use super::helpers::stages::stage_resource;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `EXPOSE` word that Docker rejects: a port outside 0-65535 (`EXPOSE 80800`), a word that
    /// is not a port number (`EXPOSE http`), a range that ends before it starts (`EXPOSE 9000-8000`),
    /// or a protocol other than `tcp`, `udp` and `sctp` (`EXPOSE 80/http`). A word that uses a variable
    /// is judged on its known value, and not at all when the variable has none; `ip:host:container`
    /// mappings are not judged.
    ///
    /// ## Why is this bad?
    /// The build fails on an invalid port, often far from where the value was set (a `--build-arg`, an
    /// `ARG` default), or a typo (`8O80`) documents a port the application does not listen on. Catching
    /// it in review is cheaper than in a failed pipeline.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 80800
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 8080
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: EXPOSE](https://docs.docker.com/reference/dockerfile/#expose)
    /// - [hadolint DL3011](https://github.com/hadolint/hadolint/wiki/DL3011)
    /// - [Trivy DS008](https://avd.aquasec.com/misconfig/ds008)
    pub struct InvalidPort {
        code: "DKR043",
        name: "invalid-port",
        category: Reliability,
        severity: Error,
        fix: None,
        peers: [
            Hadolint("DL3011"),
            Trivy("DS008")
        ],
    }
}

impl Rule for InvalidPort {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        for (stage, word) in exposed_words(df, ctx.source()) {
            let PortSpec::Invalid(reason) = &word.spec else {
                continue;
            };
            let shown = if ctx.text(word.range) == word.value {
                String::new()
            } else {
                format!(" (`{}` resolves to `{}`)", ctx.text(word.range), word.value)
            };
            ctx.report(
                word.range,
                format!("invalid `EXPOSE` port: {reason}{shown}"),
            )
            .help("expose a port number from 0 to 65535, optionally with `/tcp`, `/udp` or `/sctp`")
            .resource(stage_resource(stage));
        }
    }
}
