use cw_model::dockerfile::{ImageRef, Run};

use super::helpers::cli::{Call, Tool, calls};
use super::helpers::stages::{
    ancestors, image_display, official_name, root_image, stage_resource, start_instruction,
};
use crate::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a runtime image that ships a compiler or an SDK: the final stage (or a stage it is built
    /// `FROM`) installs a toolchain package (`build-essential`, `gcc`, `g++`, `clang`, `golang`,
    /// `rustc`/`cargo`, a JDK such as `openjdk-17-jdk` or `default-jdk`, `build-base`, `dotnet-sdk-*`)
    /// with apt, apk, yum/dnf or zypper without removing it in the same RUN, or the final image is built on
    /// a full SDK image (`golang`, `rust`, `maven`, `gradle`, `mcr.microsoft.com/dotnet/sdk`, JDK-tagged
    /// Java images). Only images that start a process (CMD or ENTRYPOINT) are checked.
    ///
    /// ## Why is this bad?
    /// Compilers and SDKs are only needed to build. In the runtime image they add hundreds of megabytes,
    /// many packages to patch, and tools an attacker can use to build exploits inside a compromised
    /// container. A multi-stage build compiles in a builder stage and copies only the artifacts into a
    /// slim runtime stage.
    ///
    /// The rule stays quiet where the toolchain is intended or already handled: builder stages that only
    /// feed `COPY --from`, images without CMD or ENTRYPOINT (CI images, devcontainers, toolchain images),
    /// packages removed in the same RUN (`apt-get purge -y gcc`, `apk del .build-deps` for a `--virtual`
    /// group, the `apt-mark auto` + `apt-get purge --auto-remove` idiom), and runtime-only packages (JREs, `libc6-dev` headers, `make`).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22
    /// WORKDIR /src
    /// COPY . .
    /// RUN go build -o /usr/local/bin/app ./cmd/app
    /// ENTRYPOINT ["/usr/local/bin/app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// WORKDIR /src
    /// COPY . .
    /// RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app
    ///
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build /out/app /app
    /// ENTRYPOINT ["/app"]
    /// ```
    ///
    /// ## References
    /// - [Docker: Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
    /// - [Docker: Building best practices](https://docs.docker.com/build/building/best-practices/#use-multi-stage-builds)
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
        let Some((_, start)) = start_instruction(df, last) else {
            return;
        };
        let resource = stage_resource(last);
        if let Some((root, image)) = root_image(df, last)
            && let Some(kind) = sdk_image(image)
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
    // `apt-mark auto '.*'` then `apt-get purge --auto-remove`: everything this RUN installed goes.
    let marks_auto = run
        .script
        .commands()
        .any(|c| c.name.value == "apt-mark" && c.args.first().is_some_and(|a| a.value == "auto"));
    let auto_removes = all.iter().any(|c| {
        c.tool.is_apt()
            && (c.sub_is(&["autoremove"])
                || (c.sub_is(&["purge", "remove"])
                    && c.line.has(None, &["auto-remove", "autoremove"])))
    });
    if marks_auto && auto_removes {
        return Vec::new();
    }
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
    let tag = image.tag.as_deref().unwrap_or("");
    if let Some(name) = official_name(image) {
        match name {
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
