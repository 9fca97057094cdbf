use cw_diagnostics::Spanned;
use cw_syntax::yaml::Node;

use super::{Container, ContainerKind, Object, Str, spanned_bool, spanned_str};

/// A pod spec: a Pod's `spec`, or a workload's pod template spec.
#[derive(Clone, Copy, Debug)]
pub struct PodSpec<'a> {
    pub object: Object<'a>,
    pub node: &'a Node,
}

impl<'a> PodSpec<'a> {
    pub fn new(object: Object<'a>, node: &'a Node) -> Self {
        Self { object, node }
    }

    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }

    pub fn flag(&self, key: &str) -> Option<Spanned<bool>> {
        self.get(key).and_then(spanned_bool)
    }

    pub fn str(&self, key: &str) -> Option<Str<'a>> {
        self.get(key).and_then(spanned_str)
    }

    pub fn host_network(&self) -> Option<Spanned<bool>> {
        self.flag("hostNetwork")
    }

    pub fn host_pid(&self) -> Option<Spanned<bool>> {
        self.flag("hostPID")
    }

    pub fn host_ipc(&self) -> Option<Spanned<bool>> {
        self.flag("hostIPC")
    }

    /// The pod-level `securityContext`.
    pub fn security_context(&self) -> Option<&'a Node> {
        self.get("securityContext").filter(|n| n.is_map())
    }

    /// `serviceAccountName` (or the deprecated `serviceAccount`).
    pub fn service_account_name(&self) -> Option<Str<'a>> {
        self.str("serviceAccountName")
            .or_else(|| self.str("serviceAccount"))
    }

    pub fn automount_service_account_token(&self) -> Option<Spanned<bool>> {
        self.flag("automountServiceAccountToken")
    }

    /// Whether the pod runs on Windows nodes: `os.name: windows`, a `kubernetes.io/os: windows` node
    /// selector (or a required node affinity whose every term asks for it), or `windowsOptions` in
    /// the pod's or a container's `securityContext` (which Kubernetes rejects for Linux pods).
    /// Linux-only settings (`allowPrivilegeEscalation`, capabilities, seccomp, `readOnlyRootFilesystem`,
    /// `runAsUser`...) do not apply to such pods.
    pub fn is_windows(&self) -> bool {
        const OS_LABELS: [&str; 2] = ["kubernetes.io/os", "beta.kubernetes.io/os"];
        let windows = |n: Option<&Node>| n.and_then(Node::as_str) == Some("windows");
        if windows(self.node.path(&["os", "name"])) {
            return true;
        }
        if let Some(selector) = self.get("nodeSelector")
            && OS_LABELS.iter().any(|l| windows(selector.get(l)))
        {
            return true;
        }
        let terms = self
            .node
            .path(&[
                "affinity",
                "nodeAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution",
                "nodeSelectorTerms",
            ])
            .map_or(&[][..], Node::items);
        let term_wants_windows = |term: &Node| {
            term.get("matchExpressions")
                .map_or(&[][..], Node::items)
                .iter()
                .any(|e| {
                    e.get("key")
                        .and_then(Node::as_str)
                        .is_some_and(|k| OS_LABELS.contains(&k))
                        && e.get("operator").and_then(Node::as_str) == Some("In")
                        && e.get("values").is_some_and(|v| {
                            !v.items().is_empty() && v.items().iter().all(|v| windows(Some(v)))
                        })
                })
        };
        if !terms.is_empty() && terms.iter().all(term_wants_windows) {
            return true;
        }
        let has_windows_options = |sc: Option<&Node>| {
            sc.and_then(|s| s.get("windowsOptions"))
                .is_some_and(|w| w.is_map() && !w.entries().is_empty())
        };
        has_windows_options(self.security_context())
            || self
                .all_containers()
                .any(|c| has_windows_options(c.security_context()))
    }

    /// Every container: `initContainers`, then `containers`, then `ephemeralContainers`.
    pub fn all_containers(&self) -> impl Iterator<Item = Container<'a>> + 'a {
        let pod = *self;
        [
            ("initContainers", ContainerKind::Init),
            ("containers", ContainerKind::Container),
            ("ephemeralContainers", ContainerKind::Ephemeral),
        ]
        .into_iter()
        .flat_map(move |(key, kind)| {
            pod.get(key)
                .map_or(&[][..], Node::items)
                .iter()
                .filter(|n| n.is_map())
                .map(move |node| Container::new(pod, node, kind))
        })
    }

    /// The app containers (`containers`) only.
    pub fn containers(&self) -> impl Iterator<Item = Container<'a>> + 'a {
        self.all_containers()
            .filter(|c| c.kind == ContainerKind::Container)
    }

    pub fn volumes(&self) -> impl Iterator<Item = Volume<'a>> + 'a {
        self.get("volumes")
            .map_or(&[][..], Node::items)
            .iter()
            .filter(|n| n.is_map())
            .map(|node| Volume { node })
    }

    /// The volume named `name`.
    pub fn volume(&self, name: &str) -> Option<Volume<'a>> {
        self.volumes().find(|v| v.name() == Some(name))
    }
}

/// An item of `spec.volumes`.
#[derive(Clone, Copy, Debug)]
pub struct Volume<'a> {
    pub node: &'a Node,
}

impl<'a> Volume<'a> {
    pub fn name(&self) -> Option<&'a str> {
        self.node.get("name").and_then(Node::as_str)
    }

    /// `hostPath.path`.
    pub fn host_path(&self) -> Option<Str<'a>> {
        self.node.path(&["hostPath", "path"]).and_then(spanned_str)
    }

    /// The volume source's key (`emptyDir`, `secret`, `configMap`, `hostPath`...).
    pub fn source_kind(&self) -> Option<&'a str> {
        self.node
            .entries()
            .iter()
            .filter_map(|e| e.key_str())
            .find(|k| *k != "name")
    }
}
