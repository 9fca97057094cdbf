//! `include:` in all its forms.

use cw_syntax::yaml::Node;

use super::values::{Str, spanned, string_list};

/// One `include:` entry.
#[derive(Clone, Debug)]
pub struct Include<'a> {
    pub kind: IncludeKind<'a>,
    /// The entry as written (a string or a mapping).
    pub node: &'a Node,
    /// The included file that holds the entry (`None` for the main file).
    pub file: Option<&'a str>,
}

#[derive(Clone, Debug)]
pub enum IncludeKind<'a> {
    /// `local: ci/deploy.yml`, or a string that is not a URL.
    Local(Str<'a>),
    /// `project: group/repo` with `ref:` and one or several `file:`.
    Project {
        project: Str<'a>,
        reference: Option<Str<'a>>,
        files: Vec<Str<'a>>,
    },
    /// `remote: https://...`, or a string that is an `http(s)` URL; `integrity: sha256-...`.
    Remote {
        url: Str<'a>,
        integrity: Option<Str<'a>>,
    },
    /// `template: Auto-DevOps.gitlab-ci.yml` (shipped with GitLab).
    Template(Str<'a>),
    /// `component: gitlab.com/group/project/name@1.0.0`.
    Component(Str<'a>),
    /// Anything else (an unresolved `!reference`, a typo).
    Other,
}

fn is_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The entries of a file's `include:` (a string, a mapping, or a list of them).
pub(super) fn entries<'a>(root: Option<&'a Node>, file: Option<&'a str>) -> Vec<Include<'a>> {
    let Some(node) = root.and_then(|r| r.get("include")) else {
        return Vec::new();
    };
    let items: Vec<&Node> = if node.is_seq() {
        node.items().iter().collect()
    } else {
        vec![node]
    };
    items
        .into_iter()
        .filter(|n| !n.is_null())
        .map(|node| Include {
            kind: kind_of(node),
            node,
            file,
        })
        .collect()
}

fn kind_of(node: &Node) -> IncludeKind<'_> {
    if let Some(text) = spanned(node) {
        return if is_url(text.value) {
            IncludeKind::Remote {
                url: text,
                integrity: None,
            }
        } else {
            IncludeKind::Local(text)
        };
    }
    let get = |k: &str| node.get(k).and_then(spanned);
    if let Some(path) = get("local") {
        IncludeKind::Local(path)
    } else if let Some(project) = get("project") {
        IncludeKind::Project {
            project,
            reference: get("ref"),
            files: node.get("file").map(string_list).unwrap_or_default(),
        }
    } else if let Some(url) = get("remote") {
        IncludeKind::Remote {
            url,
            integrity: get("integrity"),
        }
    } else if let Some(name) = get("template") {
        IncludeKind::Template(name)
    } else if let Some(path) = get("component") {
        IncludeKind::Component(path)
    } else {
        IncludeKind::Other
    }
}
