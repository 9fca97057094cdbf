//! Views of the values jobs are made of: images, services, variables.

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::yaml::{Entry, Node};

/// A scalar's text with the range where it is written.
pub type Str<'a> = Spanned<&'a str>;

/// The text of a scalar that is not null, with its range.
pub(crate) fn spanned(node: &Node) -> Option<Str<'_>> {
    node.as_str().map(|s| Spanned::new(s, node.site_range()))
}

/// The scalars of a list (or a lone scalar).
pub(crate) fn string_list(node: &Node) -> Vec<Str<'_>> {
    if node.is_seq() {
        node.items().iter().filter_map(spanned).collect()
    } else {
        spanned(node).into_iter().collect()
    }
}

/// `image:` as a string or as `{name, entrypoint, pull_policy, docker}`.
#[derive(Clone, Debug)]
pub struct Image<'a> {
    /// The image reference (`node:20-alpine`, `$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA`).
    pub name: Str<'a>,
    /// The `image:` value (a scalar or a mapping).
    pub node: &'a Node,
}

impl<'a> Image<'a> {
    pub(crate) fn from_node(node: &'a Node) -> Option<Self> {
        let name = if node.is_map() {
            spanned(node.get("name")?)?
        } else {
            spanned(node)?
        };
        Some(Self { name, node })
    }

    pub fn entrypoint(&self) -> Option<&'a Node> {
        self.node.get("entrypoint")
    }

    pub fn pull_policy(&self) -> Vec<Str<'a>> {
        self.node
            .get("pull_policy")
            .map(string_list)
            .unwrap_or_default()
    }
}

/// The parts of an image reference `[registry/]path[:tag][@digest]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// Everything before the tag and digest.
    pub repository: &'a str,
    /// The last path segment of the repository (`node` in `registry.io/library/node`).
    pub short_name: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    pub fn parse(reference: &'a str) -> Self {
        let (name, digest) = match reference.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (reference, None),
        };
        let slash = name.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match name[slash..].split_once(':') {
            Some((_, t)) => (&name[..name.len() - t.len() - 1], Some(t)),
            None => (name, None),
        };
        Self {
            repository,
            short_name: &repository[slash.min(repository.len())..],
            tag,
            digest,
        }
    }
}

/// One `services:` item: a string, or `{name, alias, entrypoint, command, variables, ...}`.
#[derive(Clone, Debug)]
pub struct Service<'a> {
    pub name: Str<'a>,
    pub node: &'a Node,
}

impl<'a> Service<'a> {
    pub(crate) fn list(node: &'a Node) -> Vec<Self> {
        node.items()
            .iter()
            .filter_map(|item| {
                Some(Self {
                    name: Image::from_node(item)?.name,
                    node: item,
                })
            })
            .collect()
    }

    /// The service as an image.
    pub fn image(&self) -> Image<'a> {
        Image {
            name: self.name.clone(),
            node: self.node,
        }
    }

    /// `alias:` (one or several aliases, comma separated).
    pub fn alias(&self) -> Option<Str<'a>> {
        self.node.get("alias").and_then(spanned)
    }

    /// The service's own `variables:`.
    pub fn variables(&self) -> Vec<Variable<'a>> {
        self.node
            .get("variables")
            .map(variables)
            .unwrap_or_default()
    }

    pub fn command(&self) -> Vec<Str<'a>> {
        self.node
            .get("command")
            .map(string_list)
            .unwrap_or_default()
    }

    /// The host names the job reaches the service at: each alias, else the names GitLab derives
    /// from the image (`tutum/wordpress` → `tutum-wordpress` and `tutum__wordpress`).
    pub fn hostnames(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .alias()
            .map(|a| {
                a.value
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if out.is_empty() {
            let repo = ImageRef::parse(self.name.value).repository;
            out.push(repo.replace('/', "-"));
            out.push(repo.replace('/', "__"));
        }
        out
    }
}

/// One variable of a `variables:` mapping: `NAME: value` or `NAME: {value, description,
/// expand, options}`.
#[derive(Clone, Debug)]
pub struct Variable<'a> {
    pub name: Str<'a>,
    /// The value when it is a scalar (a null value, or a mapping without `value`, gives `None`).
    pub value: Option<Str<'a>>,
    pub description: Option<Str<'a>>,
    /// `expand: false` keeps `$` in the value as written.
    pub expand: bool,
    /// The value as written: a scalar or the `{value: ...}` mapping.
    pub node: &'a Node,
    pub entry: &'a Entry,
}

impl Variable<'_> {
    /// From the name's first byte to the value's last.
    pub fn range(&self) -> TextRange {
        self.entry.range()
    }
}

/// The variables of a `variables:` mapping, in order.
pub(crate) fn variables(node: &Node) -> Vec<Variable<'_>> {
    node.entries()
        .iter()
        .filter_map(|entry| {
            let name = spanned(&entry.key)?;
            let value_node = &entry.value;
            let (value, description, expand) = if value_node.is_map() {
                (
                    value_node.get("value").and_then(spanned),
                    value_node.get("description").and_then(spanned),
                    value_node.get("expand").and_then(Node::as_bool) != Some(false),
                )
            } else {
                (spanned(value_node), None, true)
            };
            Some(Variable {
                name,
                value,
                description,
                expand,
                node: value_node,
                entry,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ImageRef;

    #[test]
    fn image_refs() {
        let r = ImageRef::parse("registry.example.com:5000/group/node:20-alpine@sha256:abc");
        assert_eq!(r.repository, "registry.example.com:5000/group/node");
        assert_eq!(r.short_name, "node");
        assert_eq!(r.tag, Some("20-alpine"));
        assert_eq!(r.digest, Some("sha256:abc"));
        let r = ImageRef::parse("registry.example.com:5000/node");
        assert_eq!(
            (r.repository, r.tag),
            ("registry.example.com:5000/node", None)
        );
        let r = ImageRef::parse("docker:dind");
        assert_eq!((r.short_name, r.tag), ("docker", Some("dind")));
    }
}
