//! COPY and ADD: their sources and destination, the stage an instruction belongs to, and the file
//! names that hold credentials.

use cw_diagnostics::Spanned;
use cw_model::dockerfile::{BaseKind, Dockerfile, Run, Stage};
use cw_syntax::dockerfile::{Instruction, Keyword};
use cw_syntax::shell::Word;

use super::layers::{covers, deleted_paths};
use super::stages::ancestors;

/// The arguments of a COPY or ADD, in shell or exec form.
#[derive(Debug, Default)]
pub(crate) struct CopyArgs {
    /// Every argument but the last, quotes removed, heredoc markers (`<<EOF`) left out.
    pub(crate) sources: Vec<Spanned<String>>,
    /// The last argument.
    pub(crate) dest: Option<Spanned<String>>,
    /// A source is a heredoc written in the Dockerfile itself.
    pub(crate) heredoc: bool,
}

/// The sources and destination of `ins` when it is a COPY or an ADD (`None` otherwise).
pub(crate) fn copy_args(ins: &Instruction) -> Option<CopyArgs> {
    if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
        return None;
    }
    let mut words = match (ins.shell_text(), ins.exec_args()) {
        (Some(text), _) => text.words(),
        (_, Some(exec)) => exec.items.clone(),
        _ => Vec::new(),
    };
    let dest = words.pop();
    let mut args = CopyArgs {
        dest,
        ..CopyArgs::default()
    };
    for w in words {
        let marker = ins.heredocs.iter().any(|h| h.marker_range == w.range)
            || (!ins.is_exec_form() && w.value.starts_with("<<"));
        if marker {
            args.heredoc = true;
        } else {
            args.sources.push(w);
        }
    }
    Some(args)
}

/// The value of `arg`, an argument of instruction `index` (a COPY or ADD source or destination),
/// with its variables expanded as they stand at that instruction; `None` when a variable has no
/// known value.
pub(crate) fn expanded_arg(
    df: &Dockerfile,
    index: usize,
    arg: &Spanned<String>,
    source: &str,
) -> Option<String> {
    if arg.value.contains('$') {
        df.vars_at(index).expand(arg.range.slice(source))
    } else {
        Some(arg.value.clone())
    }
}

/// The stage whose FROM is instruction `index` or whose body holds it (`None` before the first FROM).
pub(crate) fn stage_of(df: &Dockerfile, index: usize) -> Option<&Stage> {
    df.stages
        .iter()
        .find(|s| s.from == index || s.body.contains(&index))
}

/// The working directory in force before instruction `index` of `stage`: its WORKDIRs and those of the
/// stages it is built `FROM`. `None` when unknown: a variable without known value, or no WORKDIR on
/// top of a registry image (which may set its own).
pub(crate) fn workdir_before(df: &Dockerfile, stage: &Stage, index: usize) -> Option<String> {
    let chain: Vec<&Stage> = ancestors(df, stage).collect();
    let root = chain.last()?;
    let mut dir = match root.base.kind {
        BaseKind::Scratch => Some("/".to_string()),
        _ => None,
    };
    for s in chain.iter().rev() {
        for (i, ins) in df.stage_instructions(s) {
            if s.index == stage.index && i >= index {
                break;
            }
            if ins.keyword != Keyword::Workdir {
                continue;
            }
            let raw = ins.shell_text().map_or("", |t| t.text.trim());
            let value = if raw.contains(['$', '"', '\'']) {
                df.vars_at(i).expand(raw)
            } else {
                Some(raw.to_string())
            };
            dir = match value {
                Some(v) if v.starts_with('/') => Some(normalize(&v)),
                Some(v) if !v.is_empty() => dir.map(|d| join(&d, &v)),
                _ => None,
            };
        }
    }
    dir
}

/// `path` made absolute against `dir` (an absolute directory), with `.` and `..` resolved.
pub(crate) fn join(dir: &str, path: &str) -> String {
    if path.starts_with('/') {
        return normalize(path);
    }
    normalize(&format!("{dir}/{path}"))
}

/// An absolute path with `.`, `..`, repeated and trailing slashes resolved (`/` stays `/`).
pub(crate) fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// A path that a COPY/ADD from the build context (not `--from` a stage) put into a stage.
pub(crate) struct ContextCopy {
    /// Index of the COPY/ADD instruction.
    pub(crate) index: usize,
    pub(crate) keyword: &'static str,
    pub(crate) source: Spanned<String>,
    /// Where the source lands, absolute.
    pub(crate) path: String,
    /// The source is a directory (`.`, `dir/`): its files land under `path`.
    pub(crate) directory: bool,
    /// What the source holds when its own name says it is a secret.
    pub(crate) secret: Option<&'static str>,
}

/// The paths the COPY and ADD instructions of `stage` (not `--from` another stage) write.
pub(crate) fn context_copies(df: &Dockerfile, stage: &Stage) -> Vec<ContextCopy> {
    let mut out = Vec::new();
    for (index, ins) in df.stage_instructions(stage) {
        if ins.flag("from").is_some() {
            continue;
        }
        let Some(args) = copy_args(ins) else {
            continue;
        };
        let Some(dest) = &args.dest else {
            continue;
        };
        if dest.value.contains('$') {
            continue;
        }
        let dest_path = if dest.value.starts_with('/') {
            normalize(&dest.value)
        } else {
            match workdir_before(df, stage, index) {
                Some(dir) => join(&dir, &dest.value),
                None => continue,
            }
        };
        let into_dir = dest.value.ends_with('/') || dest.value == "." || args.sources.len() > 1;
        for source in args.sources {
            if source.value.contains('$') || source.value.contains("://") {
                continue;
            }
            let directory = is_directory(&source.value);
            let path = if into_dir && !directory {
                let base = source.value.rsplit('/').next().unwrap_or(&source.value);
                join(&dest_path, base)
            } else {
                dest_path.clone()
            };
            out.push(ContextCopy {
                index,
                keyword: ins.keyword.as_str(),
                secret: secret_file_kind(&source.value),
                source,
                path,
                directory,
            });
        }
    }
    out
}

/// `.`, `./`, `dir/`: a source whose contents, not itself, are copied.
fn is_directory(source: &str) -> bool {
    source == "." || source.ends_with('/') || source.ends_with("/.")
}

/// The paths the commands of `run`, a RUN of `stage`, delete (see [`deleted_paths`]), made absolute
/// against the working directory, each with the word it comes from. Paths that are not known (a
/// variable, `~`, a relative path after a `cd`) are left out.
pub(crate) fn run_deletions<'a>(
    df: &Dockerfile,
    stage: &Stage,
    run: &'a Run,
) -> Vec<(&'a Word, String)> {
    let has_cd = run
        .script
        .commands()
        .any(|c| matches!(c.name.value.as_str(), "cd" | "pushd"));
    let workdir = workdir_before(df, stage, run.instruction);
    run.script
        .commands()
        .flat_map(deleted_paths)
        .filter_map(|w| deleted_path(w, has_cd, workdir.as_deref()).map(|path| (w, path)))
        .collect()
}

/// The absolute path an `rm` operand names: a relative one against the working directory, unless the
/// script changes directory (`has_cd`). `None` when unknown.
fn deleted_path(word: &Word, has_cd: bool, workdir: Option<&str>) -> Option<String> {
    if !word.literal || word.value.starts_with('~') {
        return None;
    }
    if word.value.starts_with('/') {
        return Some(word.value.clone());
    }
    if has_cd {
        return None;
    }
    workdir.map(|dir| format!("{}/{}", dir.trim_end_matches('/'), word.value))
}

/// Whether deleting `target` (an absolute path, maybe ending in a glob) removes `path`: `target` is
/// `path` or a directory above it, or `dir/*` empties the directory holding it (or, for a copied
/// `directory`, the directory itself). Deleting `/` does not count.
pub(crate) fn removes(target: &str, path: &str, directory: bool) -> bool {
    if let Some(g) = target.find(['*', '?', '[']) {
        let base = target[..g].rsplit_once('/').map_or("", |(b, _)| b);
        !base.is_empty() && covers(base, path) && (directory || normalize(base) != path)
    } else {
        let t = normalize(target);
        t != "/" && covers(&t, path)
    }
}

/// What a COPY/ADD source path holds when its name says it holds credentials: `an SSH private key`
/// for `id_rsa`, `an environment file` for `.env`. Certificates and public keys are public: `None`.
pub(crate) fn secret_file_kind(path: &str) -> Option<&'static str> {
    let trimmed = path.trim_end_matches('/');
    let (parent, base) = match trimmed.rsplit_once('/') {
        Some((p, b)) => (p.rsplit('/').next().unwrap_or(p), b),
        None => ("", trimmed),
    };
    let name = base.to_ascii_lowercase();
    let parent = parent.to_ascii_lowercase();
    match (parent.as_str(), name.as_str()) {
        (".aws", "credentials") => return Some("AWS credentials"),
        (".docker", "config.json") => return Some("Docker registry credentials"),
        (".kube", "config") => return Some("a kubeconfig"),
        _ => {}
    }
    let kind = match name.as_str() {
        ".env" | ".env.local" => "an environment file",
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | "id_ecdsa_sk" | "id_ed25519_sk" => {
            "an SSH private key"
        }
        ".ssh" => "an SSH directory",
        ".aws" => "an AWS configuration directory",
        ".gnupg" => "a GnuPG keyring",
        ".npmrc" => "npm registry credentials",
        "secrets" | ".secrets" => "a secrets directory",
        ".pypirc" => "PyPI credentials",
        ".netrc" | "_netrc" => "netrc credentials",
        ".git-credentials" => "Git credentials",
        ".dockercfg" => "Docker registry credentials",
        ".vault-token" => "a Vault token",
        "kubeconfig" => "a kubeconfig",
        "credentials.json" => "a credentials file",
        _ => return secret_by_pattern(&name),
    };
    Some(kind)
}

/// `.env.<stage>`, `service-account*.json`, `*.key`, `*.pem` private keys, key stores.
fn secret_by_pattern(name: &str) -> Option<&'static str> {
    if let Some(suffix) = name.strip_prefix(".env.") {
        const TEMPLATES: [&str; 7] = [
            "example", "sample", "template", "dist", "defaults", "default", "schema",
        ];
        let is_template = suffix
            .split('.')
            .any(|part| TEMPLATES.contains(&part) || part == "tpl" || part == "tmpl");
        return (!is_template).then_some("an environment file");
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let public = [
        "pub", "public", "gpg", "pgp", "asc", "release", "cert", "crt", "ca",
    ]
    .iter()
    .any(|p| stem.split(['.', '-', '_']).any(|part| part == *p))
        || stem.contains("public");
    match ext {
        "json"
            if stem.starts_with("service-account")
                || stem.starts_with("service_account")
                || stem.starts_with("client_secret") =>
        {
            Some("cloud credentials")
        }
        "key" if !public => Some("a private key"),
        "pem" if !public && (stem.contains("key") || stem.contains("priv")) => {
            Some("a private key")
        }
        "p12" | "pfx" => Some("a PKCS#12 key store"),
        "jks" | "keystore" if stem.contains("keystore") || ext == "keystore" => {
            Some("a Java key store")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::secret_file_kind;

    #[test]
    fn secret_names() {
        for p in [
            ".env",
            "./.env",
            "config/.env.production",
            ".env.local",
            "id_rsa",
            "/home/u/.ssh/id_ed25519",
            "server.key",
            "certs/privkey.pem",
            "tls-key.pem",
            ".npmrc",
            ".aws/credentials",
            ".docker/config.json",
            "service-account-prod.json",
            "keystore.p12",
            "secrets/",
            "release.keystore",
            ".ssh/",
        ] {
            assert!(secret_file_kind(p).is_some(), "{p}");
        }
        for p in [
            ".env.example",
            ".env.sample",
            ".env.production.template",
            "id_rsa.pub",
            "server.crt",
            "ca.pem",
            "cert.pem",
            "rds-combined-ca-bundle.pem",
            "repo-signing.gpg.key",
            "public.key",
            "config.json",
            "package.json",
            "truststore.jks",
            "app.env",
        ] {
            assert!(secret_file_kind(p).is_none(), "{p}");
        }
    }
}
