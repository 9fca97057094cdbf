use super::helpers::resource;
use super::secret_in_environment::judge;
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags literal secrets in a service's `build.args` (list or mapping syntax): a secret-named
    /// argument (`NPM_TOKEN`, `GITHUB_TOKEN`, `PIP_INDEX_PASSWORD`) set to a literal value, or any
    /// argument holding a URL with a password. Interpolations (`${NPM_TOKEN}`) and arguments taken
    /// from the shell (`NPM_TOKEN` alone) are not reported here; they still end up in the image
    /// history (DKR006 reports the `ARG` in the Dockerfile).
    ///
    /// ## Why is this bad?
    /// Build arguments are recorded in the image's metadata: `docker history` shows them to anyone
    /// who can pull the image. A literal value in the Compose file is also committed to Git.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     build:
    ///       context: ./web
    ///       args:
    ///         NPM_TOKEN: npm_0123456789abcdef
    /// ```
    ///
    /// Use instead: a build secret, mounted only for the `RUN` that needs it.
    /// ```yaml
    /// services:
    ///   web:
    ///     build:
    ///       context: ./web
    ///       secrets: [npm_token]
    /// secrets:
    ///   npm_token:
    ///     environment: NPM_TOKEN
    /// ```
    ///
    /// ## References
    /// - [Compose Build Specification: secrets](https://docs.docker.com/reference/compose-file/build/#secrets)
    /// - [Build secrets](https://docs.docker.com/build/building/secrets/)
    pub struct SecretInBuildArgs {
        code: "CMP006",
        name: "secret-in-build-args",
        category: Security,
        severity: Error,
        fix: None,
        peers: [],
    }
}

impl Rule for SecretInBuildArgs {
    type Input = ComposeInput;
    type Options = NoOptions;

    fn check(&self, input: &ComposeInput, ctx: &mut RuleCtx) {
        for service in input.compose.services() {
            let Some(build) = service.build() else {
                continue;
            };
            for arg in build.args() {
                let Some(value) = arg.value else {
                    continue;
                };
                let Some(message) = judge(arg.name.value, value.value) else {
                    continue;
                };
                ctx.report(value.range, format!("build argument {message}"))
                    .label(arg.name.range, "set here")
                    .help("use a build secret (`build.secrets` and `RUN --mount=type=secret`)")
                    .resource(resource(&service))
                    .key(arg.name.value);
            }
        }
    }
}
