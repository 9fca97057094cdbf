//! Paths inside a scan: relative to its base, `/`-separated.

/// `a/./b/../c` as `a/c` (a leading `/` kept: a file outside the scan base); `None` when it climbs
/// above the start of `path`.
pub fn normalize(path: &str) -> Option<String> {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    Some(if absolute {
        format!("/{joined}")
    } else {
        joined
    })
}

/// `relative` resolved against the directory `dir` (`""`: the scan base), normalized; `None` when
/// it climbs above the start of `dir`.
pub fn join(dir: &str, relative: &str) -> Option<String> {
    if dir.is_empty() {
        normalize(relative)
    } else {
        normalize(&format!("{dir}/{relative}"))
    }
}

#[cfg(test)]
mod tests {
    use super::{join, normalize};

    #[test]
    fn paths_are_normalized_inside_the_scan() {
        assert_eq!(
            normalize("./api/Dockerfile").as_deref(),
            Some("api/Dockerfile")
        );
        assert_eq!(
            normalize("deploy/../api/./Dockerfile").as_deref(),
            Some("api/Dockerfile")
        );
        assert_eq!(normalize("../Dockerfile"), None);
        assert_eq!(
            normalize("/abs/deploy/../api/Dockerfile").as_deref(),
            Some("/abs/api/Dockerfile")
        );
        assert_eq!(
            join("envs/prod", "../../modules/vpc").as_deref(),
            Some("modules/vpc")
        );
        assert_eq!(join("", "../x"), None);
        assert_eq!(join("", "./x").as_deref(), Some("x"));
        assert_eq!(join("/abs/envs/prod", "../../m").as_deref(), Some("/abs/m"));
    }
}
