//! `uses:` references: `owner/repo[/path]@ref`, `./local/path`, `docker://image`.

/// A parsed `uses:` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uses<'a> {
    /// `actions/checkout@v4`, `github/codeql-action/init@<sha>`,
    /// `octo/repo/.github/workflows/ci.yml@main`.
    Repository(RepositoryUses<'a>),
    /// `./.github/actions/setup` (the path as written).
    Local(&'a str),
    /// `docker://alpine:3.20`.
    Docker(DockerImage<'a>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RepositoryUses<'a> {
    pub owner: &'a str,
    pub repo: &'a str,
    /// The path inside the repository (`init` in `github/codeql-action/init@v3`).
    pub path: Option<&'a str>,
    /// The ref after `@`; `None` when there is none (which GitHub rejects).
    pub git_ref: Option<&'a str>,
}

/// A container image reference: `[registry/]name[:tag][@digest]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DockerImage<'a> {
    /// The reference as written.
    pub raw: &'a str,
    /// Everything before the tag and digest (registry and repository).
    pub name: &'a str,
    pub tag: Option<&'a str>,
    /// `sha256:...`
    pub digest: Option<&'a str>,
}

impl<'a> Uses<'a> {
    /// Parses a `uses:` value. `None` for an expression (`${{ ... }}`) or an empty value.
    pub fn parse(value: &'a str) -> Option<Uses<'a>> {
        let v = value.trim();
        if v.is_empty() || v.contains("${{") {
            return None;
        }
        if v.starts_with("./") || v.starts_with(".\\") || v == "." {
            return Some(Uses::Local(v));
        }
        if let Some(image) = v.strip_prefix("docker://") {
            return DockerImage::parse(image).map(Uses::Docker);
        }
        let (path, git_ref) = match v.split_once('@') {
            Some((p, r)) => (p, Some(r)),
            None => (v, None),
        };
        let mut segments = path.splitn(3, '/');
        let owner = segments.next().filter(|s| !s.is_empty())?;
        let repo = segments.next().filter(|s| !s.is_empty())?;
        let path = segments.next().filter(|s| !s.is_empty());
        Some(Uses::Repository(RepositoryUses {
            owner,
            repo,
            path,
            git_ref,
        }))
    }

    pub fn as_repository(&self) -> Option<&RepositoryUses<'a>> {
        match self {
            Uses::Repository(r) => Some(r),
            _ => None,
        }
    }
}

impl RepositoryUses<'_> {
    /// `owner/repo`.
    pub fn slug(&self) -> String {
        format!("{}/{}", self.owner, self.repo)
    }

    /// `owner/repo/path` (or `owner/repo`), without the ref.
    pub fn action(&self) -> String {
        match self.path {
            Some(p) => format!("{}/{}/{p}", self.owner, self.repo),
            None => self.slug(),
        }
    }

    /// Whether this is `pattern` (`owner/repo` or `owner/repo/path`), compared without regard to
    /// case. `owner/repo` matches any path inside the repository only when `pattern` ends in `/*`.
    pub fn is(&self, pattern: &str) -> bool {
        let (pattern, any_path) = match pattern.strip_suffix("/*") {
            Some(p) => (p, true),
            None => (pattern, false),
        };
        let mut parts = pattern.splitn(3, '/');
        let owner = parts.next().unwrap_or("");
        let repo = parts.next().unwrap_or("");
        let path = parts.next();
        if !self.owner.eq_ignore_ascii_case(owner) || !self.repo.eq_ignore_ascii_case(repo) {
            return false;
        }
        match (path, self.path) {
            (None, None) => true,
            (None, Some(_)) => any_path,
            (Some(want), Some(have)) => want.eq_ignore_ascii_case(have.trim_end_matches('/')),
            (Some(_), None) => false,
        }
    }

    /// Pinned to a full commit SHA (40 hex digits, or 64 for SHA-256 repositories).
    pub fn is_sha_pinned(&self) -> bool {
        self.git_ref.is_some_and(|r| {
            (r.len() == 40 || r.len() == 64) && r.bytes().all(|b| b.is_ascii_hexdigit())
        })
    }

    /// A reusable workflow (`.../.github/workflows/x.yml@ref`) rather than an action.
    pub fn is_reusable_workflow(&self) -> bool {
        self.path.is_some_and(|p| {
            p.starts_with(".github/workflows/")
                && std::path::Path::new(p).extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml")
                })
        })
    }

    /// The major version of a `vN`, `vN.M`, `N.M.K` ref (`4` for `v4.1.2`).
    pub fn major_version(&self) -> Option<u64> {
        let r = self.git_ref?;
        let r = r
            .strip_prefix('v')
            .or_else(|| r.strip_prefix('V'))
            .unwrap_or(r);
        r.split('.').next()?.parse().ok()
    }
}

impl<'a> DockerImage<'a> {
    /// Parses `[registry/]name[:tag][@digest]`. `None` when empty or templated.
    pub fn parse(raw: &'a str) -> Option<DockerImage<'a>> {
        let raw = raw.trim();
        if raw.is_empty() || raw.contains("${{") {
            return None;
        }
        let (rest, digest) = match raw.split_once('@') {
            Some((r, d)) => (r, Some(d)),
            None => (raw, None),
        };
        // The tag is after a `:` in the last path segment (a `:` before a `/` is a registry port).
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
            None => (rest, None),
        };
        Some(DockerImage {
            raw,
            name,
            tag: tag.filter(|t| !t.is_empty()),
            digest: digest.filter(|d| !d.is_empty()),
        })
    }

    /// Pinned by an immutable digest (`@sha256:...`).
    pub fn is_digest_pinned(&self) -> bool {
        self.digest.is_some_and(|d| d.contains(':'))
    }
}
