use cw_diagnostics::{Spanned, TextRange};
use cw_syntax::yaml::Node;

use super::{PodSpec, Str, spanned_bool, spanned_i64, spanned_str};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContainerKind {
    Init,
    Container,
    Ephemeral,
}

impl ContainerKind {
    /// The list the container is in (`containers`, `initContainers`, `ephemeralContainers`).
    pub fn field(self) -> &'static str {
        match self {
            Self::Init => "initContainers",
            Self::Container => "containers",
            Self::Ephemeral => "ephemeralContainers",
        }
    }
}

/// A `securityContext` field as the container gets it: its own, or inherited from the pod.
#[derive(Clone, Copy, Debug)]
pub struct Inherited<'a> {
    pub node: &'a Node,
    /// Set in the pod's `securityContext`, not the container's.
    pub from_pod: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

impl ProbeKind {
    pub fn field(self) -> &'static str {
        match self {
            Self::Liveness => "livenessProbe",
            Self::Readiness => "readinessProbe",
            Self::Startup => "startupProbe",
        }
    }
}

/// A probe: its kind and mapping.
#[derive(Clone, Copy, Debug)]
pub struct Probe<'a> {
    pub kind: ProbeKind,
    pub node: &'a Node,
}

impl<'a> Probe<'a> {
    /// The port an `httpGet`, `tcpSocket` or `grpc` probe targets (a number or a port name).
    pub fn port(&self) -> Option<&'a Node> {
        ["httpGet", "tcpSocket", "grpc"]
            .iter()
            .find_map(|k| self.node.get(k))
            .and_then(|h| h.get("port"))
    }

    pub fn int(&self, key: &str) -> Option<Spanned<i64>> {
        self.node.get(key).and_then(spanned_i64)
    }
}

/// The security context fields a container inherits from the pod's `securityContext` when it does
/// not set them (Kubernetes `PodSecurityContext`: the container's value takes precedence).
pub const INHERITED_SECURITY_FIELDS: [&str; 7] = [
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "seLinuxOptions",
    "seccompProfile",
    "appArmorProfile",
    "windowsOptions",
];

/// A container, init container or ephemeral container.
#[derive(Clone, Copy, Debug)]
pub struct Container<'a> {
    pub pod: PodSpec<'a>,
    pub node: &'a Node,
    pub kind: ContainerKind,
}

impl<'a> Container<'a> {
    pub fn new(pod: PodSpec<'a>, node: &'a Node, kind: ContainerKind) -> Self {
        Self { pod, node, kind }
    }

    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }

    pub fn name(&self) -> Option<Str<'a>> {
        self.get("name").and_then(spanned_str)
    }

    pub fn name_str(&self) -> &'a str {
        self.get("name").and_then(Node::as_str).unwrap_or("")
    }

    /// Where to point a finding about the container as a whole: its `name` value, else the item.
    pub fn site(&self) -> TextRange {
        self.get("name")
            .map_or(self.node.site_range(), Node::site_range)
    }

    /// `Deployment/web container app`, for the finding's resource.
    pub fn display(&self) -> String {
        let what = match self.kind {
            ContainerKind::Container => "container",
            ContainerKind::Init => "init container",
            ContainerKind::Ephemeral => "ephemeral container",
        };
        format!("{} {what} {}", self.pod.object.display(), self.name_str())
    }

    pub fn image(&self) -> Option<Str<'a>> {
        self.get("image").and_then(spanned_str)
    }

    /// The container's own `securityContext`.
    pub fn security_context(&self) -> Option<&'a Node> {
        self.get("securityContext").filter(|n| n.is_map())
    }

    /// A field of the container's own `securityContext` (`privileged`, `capabilities`...).
    pub fn security(&self, key: &str) -> Option<&'a Node> {
        self.security_context()?.get(key)
    }

    pub fn security_flag(&self, key: &str) -> Option<Spanned<bool>> {
        self.security(key).and_then(spanned_bool)
    }

    /// A security field with pod inheritance applied: the container's value, else the pod's for the
    /// fields in [`INHERITED_SECURITY_FIELDS`].
    pub fn effective_security(&self, key: &str) -> Option<Inherited<'a>> {
        if let Some(node) = self.security(key) {
            return Some(Inherited {
                node,
                from_pod: false,
            });
        }
        if !INHERITED_SECURITY_FIELDS.contains(&key) {
            return None;
        }
        self.pod.security_context()?.get(key).map(|node| Inherited {
            node,
            from_pod: true,
        })
    }

    /// A sidecar: an init container with `restartPolicy: Always`, which keeps running beside the app
    /// containers for the pod's lifetime (and may have probes, unlike other init containers).
    pub fn is_sidecar(&self) -> bool {
        self.kind == ContainerKind::Init
            && self.get("restartPolicy").and_then(Node::as_str) == Some("Always")
    }

    /// Whether the container runs for the pod's lifetime: an app container or a sidecar.
    pub fn is_long_lived(&self) -> bool {
        self.kind == ContainerKind::Container || self.is_sidecar()
    }

    /// `resources.requests.<key>` / `resources.limits.<key>`.
    pub fn request(&self, key: &str) -> Option<&'a Node> {
        self.node.path(&["resources", "requests", key])
    }

    pub fn limit(&self, key: &str) -> Option<&'a Node> {
        self.node.path(&["resources", "limits", key])
    }

    pub fn probe(&self, kind: ProbeKind) -> Option<Probe<'a>> {
        self.get(kind.field())
            .filter(|n| n.is_map())
            .map(|node| Probe { kind, node })
    }

    /// `ports` items.
    pub fn ports(&self) -> &'a [Node] {
        self.get("ports").map_or(&[][..], Node::items)
    }

    /// `env` items.
    pub fn env(&self) -> &'a [Node] {
        self.get("env").map_or(&[][..], Node::items)
    }

    /// `envFrom` items.
    pub fn env_from(&self) -> &'a [Node] {
        self.get("envFrom").map_or(&[][..], Node::items)
    }

    /// `volumeMounts` items.
    pub fn volume_mounts(&self) -> &'a [Node] {
        self.get("volumeMounts").map_or(&[][..], Node::items)
    }

    /// Whether the container declares `port` (a number or a port name) in `ports`.
    pub fn declares_port(&self, port: &Node) -> bool {
        let ports = self.ports();
        if let Some(n) = spanned_i64(port) {
            return ports.iter().any(|p| {
                p.get("containerPort")
                    .and_then(spanned_i64)
                    .is_some_and(|c| c.value == n.value)
            });
        }
        let Some(name) = port.as_str() else {
            return true;
        };
        ports
            .iter()
            .any(|p| p.get("name").and_then(Node::as_str) == Some(name))
    }
}
