use cw_model::dockerfile::{ImageRef, Run};
use cw_syntax::dockerfile::Keyword;

use super::helpers::cli::{Call, Tool, calls};
use super::helpers::stages::{ancestors, image_display, last_in_chain, registry_image, root_stage};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// FIXME(P0): one paragraph: what this rule flags, precisely.
    ///
    /// ## Why is this bad?
    /// Runtime image ships compilers/SDKs (gcc, build-essential, JDK, go, cargo, node dev deps); split build and runtime stages.
    ///
    /// ## Example
    /// ```dockerfile
    /// FIXME
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FIXME
    /// ```
    ///
    /// ## References
    /// - FIXME
    pub struct SingleStageWithToolchain {
        code: "DKR009",
        name: "single-stage-with-toolchain",
        category: Efficiency,
        severity: Warning,
        fix: None,
        peers: [

        ],
    }
}

impl Rule for SingleStageWithToolchain {
    type Input = DockerfileInput;
    type Options = NoOptions;

    fn check(&self, input: &DockerfileInput, ctx: &mut RuleCtx) {
        let df = &input.dockerfile;
        let Some(last) = df.final_stage() else {
            return;
        };
        // Without CMD or ENTRYPOINT the image is a build environment (CI, devcontainer), not a runtime.
        let Some((_, start)) = last_in_chain(df, last, Keyword::Entrypoint, None)
            .or_else(|| last_in_chain(df, last, Keyword::Cmd, None))
        else {
            return;
        };
        let resource = format!("stage {}", last.display_name());
        let root = root_stage(df, last);
        if let Some((image, kind)) = registry_image(root).and_then(|i| sdk_image(i).map(|k| (i, k)))
        {
            ctx.report(
                root.base.raw.range,
                format!(
                    "the final image is built on `{}`, which ships {kind}",
                    image_display(image)
                ),
            )
            .label(start.range, "the image runs this")
            .help("build in a separate stage on this image and copy only the result into a slim runtime stage")
            .resource(resource.clone());
        }
        let chain: Vec<_> = ancestors(df, last).collect();
        for stage in chain.iter().rev() {
            for run in df.stage_runs(stage) {
                for (word, kind) in toolchain_installs(run) {
                    let whose = if stage.index == last.index {
                        "the final stage".to_string()
                    } else {
                        format!(
                            "stage `{}`, which the final image is built on,",
                            stage.display_name()
                        )
                    };
                    ctx.report(
                        word.range,
                        format!("{whose} installs `{}` ({kind}), which then ships in the runtime image", word.value),
                    )
                    .label(start.range, "the image runs this")
                    .help(
                        "compile in a build stage and copy only the artifacts, or remove the package in the same RUN that installs it",
                    )
                    .resource(resource.clone());
                }
            }
        }
    }
}

/// The toolchain packages `run` installs and does not remove again in the same RUN.
fn toolchain_installs(run: &Run) -> Vec<(&cw_syntax::shell::Word, &'static str)> {
    let all: Vec<Call<'_>> = calls(run.script.commands()).collect();
    let removed: Vec<&str> = all
        .iter()
        .filter(|c| is_removal(c))
        .flat_map(|c| c.operands().iter().map(|w| package_name(c.tool, &w.value)))
        .collect();
    let mut out = Vec::new();
    for call in &all {
        if !is_install(call) {
            continue;
        }
        // `apk add --virtual .build-deps gcc ... && apk del .build-deps`
        let group = call.line.values(Some('t'), &["virtual"]);
        if call.tool == Tool::Apk && group.iter().any(|g| removed.contains(g)) {
            continue;
        }
        for word in call.operands() {
            if !word.literal {
                continue;
            }
            let name = package_name(call.tool, &word.value);
            if removed.contains(&name) {
                continue;
            }
            if let Some(kind) = toolchain_kind(call.tool, name) {
                out.push((*word, kind));
            }
        }
    }
    out
}

fn is_install(call: &Call<'_>) -> bool {
    match call.tool {
        Tool::AptGet | Tool::Apt | Tool::Yum | Tool::Dnf | Tool::Microdnf => {
            call.sub_is(&["install"])
        }
        Tool::Zypper => call.sub_is(&["install", "in"]),
        Tool::Apk => call.sub_is(&["add"]),
        _ => false,
    }
}

fn is_removal(call: &Call<'_>) -> bool {
    match call.tool {
        Tool::AptGet | Tool::Apt => call.sub_is(&["purge", "remove", "autoremove"]),
        Tool::Yum | Tool::Dnf | Tool::Microdnf => call.sub_is(&["remove", "erase", "autoremove"]),
        Tool::Zypper => call.sub_is(&["remove", "rm"]),
        Tool::Apk => call.sub_is(&["del"]),
        _ => false,
    }
}

/// The package name of an operand, without its version (`gcc=4:12.2.0-3` is `gcc`).
fn package_name(tool: Tool, operand: &str) -> &str {
    let end = match tool {
        Tool::AptGet | Tool::Apt => operand.find(['=', ':']),
        Tool::Apk => operand.find(['=', '~', '<', '>']),
        _ => None,
    };
    &operand[..end.unwrap_or(operand.len())]
}

/// What a package is when it is a compiler or an SDK.
fn toolchain_kind(tool: Tool, name: &str) -> Option<&'static str> {
    let versioned = |prefix: &str| {
        name.strip_prefix(prefix)
            .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
    };
    let kind = match name {
        "build-essential" => "the C/C++ build toolchain",
        "build-base" | "alpine-sdk" if tool == Tool::Apk => "the C/C++ build toolchain",
        "gcc" => "a C compiler",
        "g++" | "gcc-c++" | "clang" => "a C/C++ compiler",
        "gfortran" => "a Fortran compiler",
        "golang" | "golang-go" => "the Go toolchain",
        "go" if tool == Tool::Apk => "the Go toolchain",
        "rustc" | "cargo" => "the Rust toolchain",
        "rust" if tool == Tool::Apk => "the Rust toolchain",
        "default-jdk" | "default-jdk-headless" => "a JDK",
        "maven" => "Maven and a JDK",
        _ if versioned("gcc-") => "a C compiler",
        _ if versioned("g++-") || versioned("clang-") => "a C/C++ compiler",
        _ if name.starts_with("openjdk-")
            && (name.ends_with("-jdk") || name.ends_with("-jdk-headless")) =>
        {
            "a JDK"
        }
        _ if name.starts_with("java-") && name.ends_with("-openjdk-devel") => "a JDK",
        _ if tool == Tool::Apk
            && (versioned("openjdk")
                || (name.starts_with("openjdk") && name.ends_with("-jdk"))) =>
        {
            "a JDK"
        }
        _ if name.starts_with("dotnet-sdk-") => "the .NET SDK",
        _ => return None,
    };
    Some(kind)
}

/// What a registry image ships when it is a full SDK image (`golang`, `rust`, `maven`, the .NET SDK,
/// JDK-tagged Java images).
fn sdk_image(image: &ImageRef) -> Option<&'static str> {
    let hub = image
        .registry
        .as_deref()
        .is_none_or(|r| matches!(r, "docker.io" | "index.docker.io" | "registry-1.docker.io"));
    let repo = image
        .repository
        .strip_prefix("library/")
        .unwrap_or(&image.repository);
    let tag = image.tag.as_deref().unwrap_or("");
    if hub {
        match repo {
            "golang" => return Some("the Go SDK"),
            "rust" => return Some("the Rust toolchain"),
            "maven" => return Some("Maven and a JDK"),
            "gradle" => return Some("Gradle and a JDK"),
            "eclipse-temurin" | "amazoncorretto" | "openjdk" | "sapmachine"
                if tag.contains("jdk") =>
            {
                return Some("a JDK");
            }
            _ => {}
        }
    }
    (image.registry.as_deref() == Some("mcr.microsoft.com") && image.repository == "dotnet/sdk")
        .then_some("the .NET SDK")
}
