//! The Docker Compose model: a view over the spanned YAML tree, without copies.
//!
//! [`ComposeFile`] owns the parsed tree; [`Service`] and the values its accessors return borrow from
//! it and carry the source ranges rules point at.

use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::yaml::{Entry, Node, ScalarStyle, YamlFile, parse_yaml};

#[cfg(test)]
mod tests;

/// A parsed Compose file.
#[derive(Clone, Debug, Default)]
pub struct ComposeFile {
    pub yaml: YamlFile,
}

impl ComposeFile {
    pub fn from_source(text: &str) -> Self {
        Self {
            yaml: parse_yaml(text),
        }
    }

    /// The top-level mapping (the first document's root).
    pub fn root(&self) -> Option<&Node> {
        self.yaml
            .documents
            .first()
            .map(|d| &d.root)
            .filter(|r| r.is_map())
    }

    /// The top-level entries (`version`, `services`, `volumes`, ...).
    pub fn top_level(&self) -> &[Entry] {
        self.root().map_or(&[], Node::entries)
    }

    /// The obsolete top-level `version:` entry.
    pub fn version(&self) -> Option<&Entry> {
        self.root()?.entry("version")
    }

    /// The services, in file order.
    pub fn services(&self) -> impl Iterator<Item = Service<'_>> {
        self.root()
            .and_then(|r| r.get("services"))
            .map_or(&[][..], Node::entries)
            .iter()
            .filter(|e| e.value.is_map())
            .map(|entry| Service {
                name: &entry.key,
                node: &entry.value,
                entry,
            })
    }
}

/// One service: its key (`name`) and its mapping (`node`).
#[derive(Clone, Copy, Debug)]
pub struct Service<'a> {
    pub name: &'a Node,
    pub node: &'a Node,
    pub entry: &'a Entry,
}

/// A scalar's text with the range where it is written.
pub type Str<'a> = Spanned<&'a str>;

fn spanned(node: &Node) -> Option<Str<'_>> {
    node.as_str().map(|s| Spanned::new(s, node.site_range()))
}

/// The range of `text[from..to]` inside a scalar node, when the scalar's source maps one to one onto
/// its text (plain, or quoted without escapes); otherwise the node's whole range.
fn sub_range(node: &Node, from: usize, to: usize) -> TextRange {
    let range = node.site_range();
    let Some(scalar) = node.as_scalar() else {
        return range;
    };
    let quote = match scalar.style {
        ScalarStyle::Plain => 0,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => 1,
        _ => return range,
    };
    if node.alias.is_some() || range.len() as usize != scalar.text.len() + 2 * quote {
        return range;
    }
    let start = range.start + quote as u32;
    TextRange::new(start + from as u32, start + to as u32)
}

impl<'a> Service<'a> {
    /// The service's name.
    pub fn name_str(&self) -> &'a str {
        self.name.as_scalar().map_or("", |s| s.text.as_str())
    }

    /// Where the service's key is written.
    pub fn name_range(&self) -> TextRange {
        self.name.site_range()
    }

    /// The value of a key of the service.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }

    /// The entry (key and value) of a key of the service.
    pub fn entry(&self, key: &str) -> Option<&'a Entry> {
        self.node.entry(key)
    }

    fn str(&self, key: &str) -> Option<Str<'a>> {
        self.get(key).and_then(spanned)
    }

    fn flag(&self, key: &str) -> Option<Spanned<bool>> {
        let n = self.get(key)?;
        n.as_bool().map(|b| Spanned::new(b, n.site_range()))
    }

    pub fn image(&self) -> Option<Str<'a>> {
        self.str("image")
    }

    pub fn build(&self) -> Option<Build<'a>> {
        let node = self.get("build")?;
        if node.is_null() {
            return None;
        }
        Some(Build { node })
    }

    pub fn user(&self) -> Option<Str<'a>> {
        self.str("user")
    }

    pub fn privileged(&self) -> Option<Spanned<bool>> {
        self.flag("privileged")
    }

    pub fn read_only(&self) -> Option<Spanned<bool>> {
        self.flag("read_only")
    }

    pub fn network_mode(&self) -> Option<Str<'a>> {
        self.str("network_mode")
    }

    pub fn pid(&self) -> Option<Str<'a>> {
        self.str("pid")
    }

    pub fn ipc(&self) -> Option<Str<'a>> {
        self.str("ipc")
    }

    pub fn userns_mode(&self) -> Option<Str<'a>> {
        self.str("userns_mode")
    }

    pub fn restart(&self) -> Option<Str<'a>> {
        self.str("restart")
    }

    /// The items of a string list (`cap_add`, `cap_drop`, `security_opt`, `profiles`).
    pub fn string_list(&self, key: &str) -> Vec<Str<'a>> {
        self.get(key)
            .map(|n| n.items().iter().filter_map(spanned).collect())
            .unwrap_or_default()
    }

    pub fn cap_add(&self) -> Vec<Str<'a>> {
        self.string_list("cap_add")
    }

    pub fn cap_drop(&self) -> Vec<Str<'a>> {
        self.string_list("cap_drop")
    }

    pub fn security_opt(&self) -> Vec<Str<'a>> {
        self.string_list("security_opt")
    }

    pub fn profiles(&self) -> Vec<Str<'a>> {
        self.string_list("profiles")
    }

    /// The `secrets:` items (short syntax strings or long syntax mappings).
    pub fn secrets(&self) -> &'a [Node] {
        self.get("secrets").map_or(&[], Node::items)
    }

    pub fn volumes(&self) -> Vec<Volume<'a>> {
        self.get("volumes")
            .map(|n| n.items().iter().filter_map(Volume::from_node).collect())
            .unwrap_or_default()
    }

    pub fn ports(&self) -> Vec<Port<'a>> {
        self.get("ports")
            .map(|n| n.items().iter().filter_map(Port::from_node).collect())
            .unwrap_or_default()
    }

    pub fn environment(&self) -> Vec<EnvVar<'a>> {
        self.get("environment").map(key_values).unwrap_or_default()
    }

    pub fn healthcheck(&self) -> Option<Healthcheck<'a>> {
        let node = self.get("healthcheck")?;
        Some(Healthcheck { node })
    }

    /// `deploy.resources.limits.<key>`.
    fn deploy_limit(&self, key: &str) -> Option<&'a Node> {
        self.node
            .path(&["deploy", "resources", "limits", key])
            .filter(|n| !n.is_null())
    }

    /// The memory limit: `deploy.resources.limits.memory` or `mem_limit`.
    pub fn memory_limit(&self) -> Option<&'a Node> {
        self.deploy_limit("memory")
            .or_else(|| self.get("mem_limit").filter(|n| !n.is_null()))
    }

    /// The CPU limit: `deploy.resources.limits.cpus` or `cpus`.
    pub fn cpu_limit(&self) -> Option<&'a Node> {
        self.deploy_limit("cpus")
            .or_else(|| self.get("cpus").filter(|n| !n.is_null()))
    }

    /// The PIDs limit: `deploy.resources.limits.pids` or `pids_limit`.
    pub fn pids_limit(&self) -> Option<&'a Node> {
        self.deploy_limit("pids")
            .or_else(|| self.get("pids_limit").filter(|n| !n.is_null()))
    }

    pub fn logging(&self) -> Option<Logging<'a>> {
        let node = self.get("logging")?;
        node.is_map().then_some(Logging { node })
    }

    pub fn depends_on(&self) -> Vec<Dependency<'a>> {
        let Some(node) = self.get("depends_on") else {
            return Vec::new();
        };
        let list = node.items().iter().filter_map(|n| {
            Some(Dependency {
                name: spanned(n)?,
                condition: None,
                node: n,
            })
        });
        let map = node.entries().iter().filter_map(|e| {
            Some(Dependency {
                name: spanned(&e.key)?,
                condition: e.value.get("condition").and_then(spanned),
                node: &e.value,
            })
        });
        list.chain(map).collect()
    }
}

/// `build:` as a string (the context) or a mapping.
#[derive(Clone, Copy, Debug)]
pub struct Build<'a> {
    pub node: &'a Node,
}

impl<'a> Build<'a> {
    pub fn context(&self) -> Option<Str<'a>> {
        spanned(self.node).or_else(|| self.node.get("context").and_then(spanned))
    }

    pub fn dockerfile(&self) -> Option<Str<'a>> {
        self.node.get("dockerfile").and_then(spanned)
    }

    /// `args:` as a list (`KEY=value`) or a mapping.
    pub fn args(&self) -> Vec<EnvVar<'a>> {
        self.node.get("args").map(key_values).unwrap_or_default()
    }
}

/// One variable of `environment:` or `build.args`.
#[derive(Clone, Debug)]
pub struct EnvVar<'a> {
    pub name: Str<'a>,
    /// `None` for `KEY` alone in a list or a null value in a mapping (taken from the shell).
    pub value: Option<Str<'a>>,
    /// The list item, or the mapping value.
    pub node: &'a Node,
}

fn key_values(node: &Node) -> Vec<EnvVar<'_>> {
    let list = node.items().iter().filter_map(|item| {
        let text = item.as_str()?;
        Some(match text.split_once('=') {
            Some((name, value)) => EnvVar {
                name: Spanned::new(name, sub_range(item, 0, name.len())),
                value: Some(Spanned::new(
                    value,
                    sub_range(item, name.len() + 1, text.len()),
                )),
                node: item,
            },
            None => EnvVar {
                name: Spanned::new(text, item.site_range()),
                value: None,
                node: item,
            },
        })
    });
    let map = node.entries().iter().filter_map(|e| {
        Some(EnvVar {
            name: spanned(&e.key)?,
            value: spanned(&e.value),
            node: &e.value,
        })
    });
    list.chain(map).collect()
}

/// A volume mount, short (`src:dst[:mode]`) or long (`type`, `source`, `target`, `read_only`).
#[derive(Clone, Debug)]
pub struct Volume<'a> {
    /// The host path or named volume; `None` for an anonymous volume (`/data`).
    pub source: Option<Str<'a>>,
    pub target: Option<Str<'a>>,
    /// The short syntax mode (`ro`, `rw,z`).
    pub mode: Option<Str<'a>>,
    /// Long syntax `type:` (`bind`, `volume`, `tmpfs`).
    pub kind: Option<Str<'a>>,
    pub node: &'a Node,
}

impl<'a> Volume<'a> {
    fn from_node(node: &'a Node) -> Option<Self> {
        if node.is_map() {
            return Some(Self {
                source: node.get("source").and_then(spanned),
                target: node.get("target").and_then(spanned),
                mode: None,
                kind: node.get("type").and_then(spanned),
                node,
            });
        }
        let text = node.as_str()?;
        let parts: Vec<(usize, &str)> = split_offsets(text, ':');
        let part = |i: usize| {
            parts
                .get(i)
                .map(|(at, p)| Spanned::new(*p, sub_range(node, *at, at + p.len())))
        };
        Some(if parts.len() == 1 {
            Self {
                source: None,
                target: part(0),
                mode: None,
                kind: None,
                node,
            }
        } else {
            Self {
                source: part(0),
                target: part(1),
                mode: part(2),
                kind: None,
                node,
            }
        })
    }

    /// The source when it is a host path (`/x`, `./x`, `../x`, `~/x`), not a named volume.
    pub fn host_path(&self) -> Option<Str<'a>> {
        let source = self.source.clone()?;
        if self.kind.as_ref().is_some_and(|k| k.value != "bind") {
            return None;
        }
        let s = source.value;
        (s.starts_with('/') || s.starts_with('.') || s.starts_with('~') || s.starts_with('$'))
            .then_some(source)
    }
}

/// `text` split at `sep`, each part with its byte offset.
fn split_offsets(text: &str, sep: char) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for part in text.split(sep) {
        out.push((at, part));
        at += part.len() + sep.len_utf8();
    }
    out
}

/// A published or exposed port, short (`[host_ip:][published:]target[/protocol]`) or long syntax.
#[derive(Clone, Debug)]
pub struct Port<'a> {
    pub host_ip: Option<String>,
    /// The host port or range (`8080`, `8000-8010`); `None` when Compose picks one.
    pub published: Option<String>,
    pub target: String,
    pub protocol: Option<String>,
    pub node: &'a Node,
}

impl<'a> Port<'a> {
    fn from_node(node: &'a Node) -> Option<Self> {
        if node.is_map() {
            let text = |k: &str| node.get(k).and_then(Node::as_str).map(str::to_string);
            return Some(Self {
                host_ip: text("host_ip"),
                published: text("published"),
                target: text("target")?,
                protocol: text("protocol"),
                node,
            });
        }
        let text = node.as_str()?;
        let (spec, protocol) = match text.rsplit_once('/') {
            Some((s, p)) => (s, Some(p.to_string())),
            None => (text, None),
        };
        let mut parts = spec.rsplitn(3, ':');
        let target = parts.next()?.to_string();
        let published = parts.next().map(str::to_string);
        let host_ip = parts.next().map(str::to_string);
        Some(Self {
            host_ip,
            published,
            target,
            protocol,
            node,
        })
    }

    /// Where the port is written: the item of the short syntax, `published:` of the long syntax.
    pub fn published_range(&self) -> TextRange {
        self.node.get("published").unwrap_or(self.node).site_range()
    }

    /// The container ports: `5432`, or every port of a range (`8000-8010`, capped at 1024 ports).
    pub fn target_ports(&self) -> Vec<u16> {
        port_range(&self.target)
    }

    /// Whether the port listens on every host interface (no host IP, `0.0.0.0` or `::`).
    pub fn binds_all_interfaces(&self) -> bool {
        self.published.is_some()
            && self
                .host_ip
                .as_deref()
                .is_none_or(|ip| matches!(ip.trim_matches(['[', ']']), "" | "0.0.0.0" | "::"))
    }
}

fn port_range(text: &str) -> Vec<u16> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    match (a.trim().parse::<u16>(), b.trim().parse::<u16>()) {
        (Ok(a), Ok(b)) if a <= b && b - a < 1024 => (a..=b).collect(),
        _ => Vec::new(),
    }
}

/// `healthcheck:`.
#[derive(Clone, Copy, Debug)]
pub struct Healthcheck<'a> {
    pub node: &'a Node,
}

impl Healthcheck<'_> {
    /// `disable: true`, or `test: ["NONE"]` / `test: NONE`.
    pub fn is_disabled(&self) -> bool {
        if self.node.get("disable").and_then(Node::as_bool) == Some(true) {
            return true;
        }
        match self.node.get("test") {
            Some(t) => {
                t.as_str() == Some("NONE")
                    || t.items().first().and_then(Node::as_str) == Some("NONE")
            }
            None => false,
        }
    }
}

/// `logging:`.
#[derive(Clone, Copy, Debug)]
pub struct Logging<'a> {
    pub node: &'a Node,
}

impl<'a> Logging<'a> {
    pub fn driver(&self) -> Option<Str<'a>> {
        self.node.get("driver").and_then(spanned)
    }

    pub fn options(&self) -> Option<&'a Node> {
        self.node.get("options")
    }
}

/// One `depends_on` entry.
#[derive(Clone, Debug)]
pub struct Dependency<'a> {
    pub name: Str<'a>,
    /// Long syntax `condition:` (`service_started`, `service_healthy`, ...).
    pub condition: Option<Str<'a>>,
    pub node: &'a Node,
}
