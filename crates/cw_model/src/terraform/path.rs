//! `/`-separated paths, cleaned lexically (no file-system access).

/// `a/./b/../c` → `a/c`; `""` → `.`; leading `..` kept; a leading `/` kept.
pub(crate) fn clean(p: &str) -> String {
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// `rel` resolved against the directory `base` (an absolute `rel` stands alone).
pub(crate) fn join(base: &str, rel: &str) -> String {
    if rel.starts_with('/') || base.is_empty() || base == "." {
        clean(rel)
    } else {
        clean(&format!("{base}/{rel}"))
    }
}

/// A local module source: `./x`, `../x` (Terraform's rule; `.` alone is not one).
pub(crate) fn is_local_source(source: &str) -> bool {
    source.starts_with("./")
        || source.starts_with("../")
        || source.starts_with(".\\")
        || source.starts_with("..\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning() {
        assert_eq!(clean("a/./b/../c"), "a/c");
        assert_eq!(clean(""), ".");
        assert_eq!(clean("./x"), "x");
        assert_eq!(clean("a/../../x"), "../x");
        assert_eq!(clean("/a/../../x"), "/x");
        assert_eq!(join("modules/a", "../b"), "modules/b");
        assert_eq!(join(".", "./m"), "m");
        assert_eq!(join("infra", "/abs/p"), "/abs/p");
        assert!(is_local_source("./m") && is_local_source("../m"));
        assert!(!is_local_source("hashicorp/consul/aws") && !is_local_source("git::https://x"));
    }
}
