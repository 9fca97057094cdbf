//! Shared pieces of the Kubernetes rules.

use cw_model::kubernetes::{
    Container, ContainerKind, LabelSelector, Object, ObjectFacts, PodSpec, WorkloadKind,
};
use cw_syntax::yaml::Node;

use crate::input::ClusterInput;

/// Whether a value is templated (`{{ .Values.image }}`, `${IMAGE}`): unknown until rendered, so rules
/// draw no conclusion from it.
pub(crate) fn is_templated(value: &str) -> bool {
    value.contains("{{") || value.contains("${")
}

/// Whether a `resources` mapping (a container's or, with pod-level resources, the pod's) sets
/// `<section>.<key>` (`requests.cpu`, `limits.memory`...): `Some(false)` when it is known not to,
/// `None` when it cannot be known (`resources` or the section is written as a templated scalar).
pub(crate) fn resource_set(resources: Option<&Node>, section: &str, key: &str) -> Option<bool> {
    let opaque = |n: &Node| !n.is_map() && !n.is_null();
    let Some(resources) = resources.filter(|n| !n.is_null()) else {
        return Some(false);
    };
    if opaque(resources) {
        return None;
    }
    let Some(section) = resources.get(section).filter(|n| !n.is_null()) else {
        return Some(false);
    };
    if opaque(section) {
        return None;
    }
    Some(section.get(key).is_some_and(|v| !v.is_null()))
}

/// Whether the object's pods run to completion rather than for good: Jobs, CronJobs, and bare Pods
/// with `restartPolicy: Never` or `OnFailure`.
pub(crate) fn runs_to_completion(object: &Object<'_>, pod: &PodSpec<'_>) -> bool {
    match object.workload_kind() {
        Some(kind) if !kind.is_long_running() => true,
        Some(WorkloadKind::Pod) => matches!(
            pod.get("restartPolicy").and_then(Node::as_str),
            Some("Never" | "OnFailure")
        ),
        _ => false,
    }
}

/// The init and app containers (ephemeral containers take no resources) that do not set
/// `resources.<section>.<key>` (`section` is `requests` or `limits`), when the pod does not set it at
/// pod level either. A limit counts as a request: Kubernetes copies it into an unset request.
/// Templated `resources` count as set.
pub(crate) fn containers_missing_resource<'a>(
    pod: &PodSpec<'a>,
    section: &'static str,
    key: &'static str,
) -> impl Iterator<Item = Container<'a>> + 'a {
    let covers = move |resources: Option<&Node>| {
        let sections: &[&str] = if section == "requests" {
            &["requests", "limits"]
        } else {
            &["limits"]
        };
        sections
            .iter()
            .any(|s| resource_set(resources, s, key) != Some(false))
    };
    let pod_covers = covers(pod.get("resources"));
    pod.all_containers().filter(move |c| {
        !pod_covers && c.kind != ContainerKind::Ephemeral && !covers(c.get("resources"))
    })
}

/// An image reference's tag (`1.4` in `registry:5000/team/app:1.4`), if any, and whether it is
/// pinned by digest (`@sha256:...`).
pub(crate) fn image_tag(image: &str) -> (Option<&str>, bool) {
    let (name, digest) = match image.split_once('@') {
        Some((name, _)) => (name, true),
        None => (image, false),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    (last.split_once(':').map(|(_, tag)| tag), digest)
}

/// Inserting `key: value` into block mappings for fixes (`insert_nested`).
mod insert;
mod selection;
pub(crate) use insert::insert_nested;
pub(crate) use selection::{
    scalers_targeting, selectors_maybe_selecting, workloads_maybe_selected,
};

/// `Deployment/web container `app`` (`init container`, `ephemeral container`), to name a container
/// in messages.
pub(crate) fn container_label(container: &cw_model::kubernetes::Container<'_>) -> String {
    let what = match container.kind {
        cw_model::kubernetes::ContainerKind::Container => "container",
        cw_model::kubernetes::ContainerKind::Init => "init container",
        cw_model::kubernetes::ContainerKind::Ephemeral => "ephemeral container",
    };
    format!(
        "{} {what} `{}`",
        container.pod.object.display(),
        container.name_str()
    )
}

/// A setting as Kubernetes reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Setting<T> {
    /// Not written, or null: the default applies.
    Absent,
    Known(cw_diagnostics::Spanned<T>),
    /// Written, but not a value we can read (templated, misspelled): draw no conclusion.
    Unknown,
}

/// A boolean setting.
pub(crate) type Flag = Setting<bool>;

/// Reads a boolean setting (YAML 1.1 booleans, as Kubernetes does).
pub(crate) fn read_flag(node: Option<&Node>) -> Flag {
    match node {
        None => Setting::Absent,
        Some(n) if n.is_null() => Setting::Absent,
        Some(n) => n.as_bool_yaml11().map_or(Setting::Unknown, |b| {
            Setting::Known(cw_diagnostics::Spanned::new(b, n.site_range()))
        }),
    }
}

/// Reads an integer setting (also from a quoted number, as kubectl accepts).
pub(crate) fn read_int(node: Option<&Node>) -> Setting<i64> {
    match node {
        None => Setting::Absent,
        Some(n) if n.is_null() => Setting::Absent,
        Some(n) => n
            .as_i64()
            .or_else(|| n.as_str().and_then(|s| s.trim().parse().ok()))
            .map_or(Setting::Unknown, |v| {
                Setting::Known(cw_diagnostics::Spanned::new(v, n.site_range()))
            }),
    }
}

/// Whether a container is privileged (`securityContext.privileged: true`).
pub(crate) fn is_privileged(container: &cw_model::kubernetes::Container<'_>) -> bool {
    matches!(read_flag(container.security("privileged")), Flag::Known(b) if b.value)
}

/// A capability name as the runtime reads it: upper case, without `CAP_` (`cap_sys_admin` is
/// `SYS_ADMIN`).
pub(crate) fn capability_name(cap: &str) -> String {
    let upper = cap.trim().to_ascii_uppercase();
    match upper.strip_prefix("CAP_") {
        Some(rest) => rest.to_string(),
        None => upper,
    }
}

/// The capabilities a container's `securityContext.capabilities.<list>` (`add` or `drop`) names.
pub(crate) fn capabilities<'a>(
    container: &cw_model::kubernetes::Container<'a>,
    list: &str,
) -> &'a [Node] {
    container
        .security("capabilities")
        .and_then(|c| c.get(list))
        .map_or(&[][..], Node::items)
}

/// The API group of an `apiVersion` (`apps` for `apps/v1`, empty for the core group's `v1`).
pub(crate) fn api_group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// Kinds that scale a workload.
pub(crate) const SCALER_KINDS: &[&str] = &["HorizontalPodAutoscaler", "ScaledObject"];

/// Kinds that run pods.
pub(crate) const WORKLOAD_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ReplicationController",
];

/// Whether `selector` selects pods labelled `labels`; `None` when it cannot be known (the selector
/// is unreadable, or a label or selector value it compares is templated).
pub(crate) fn selects(selector: &LabelSelector, labels: &[(String, String)]) -> Option<bool> {
    let templated = selector
        .match_labels
        .iter()
        .any(|(k, v)| is_templated(k) || is_templated(v))
        || selector
            .expressions
            .iter()
            .any(|r| is_templated(&r.key) || r.values.iter().any(|v| is_templated(v)))
        || labels
            .iter()
            .any(|(k, v)| is_templated(k) || is_templated(v));
    if templated {
        return None;
    }
    selector.matches(labels)
}

/// Whether the HorizontalPodAutoscaler or ScaledObject `scaler` targets the workload `workload`
/// (by `scaleTargetRef` kind and name); `None` when its target is templated.
pub(crate) fn scales(scaler: &ObjectFacts, workload: &ObjectFacts) -> Option<bool> {
    let target = scaler.scaler.as_ref()?;
    if is_templated(&target.target_kind) || is_templated(&target.target_name) {
        return None;
    }
    Some(target.target_kind == workload.kind && target.target_name == workload.name)
}

/// The HorizontalPodAutoscalers and KEDA ScaledObjects that may target the current workload:
/// `Some(scalers)` (possibly empty), or `None` when one of the namespace's scalers has a templated
/// target.
pub(crate) fn scalers_of(input: &ClusterInput) -> Option<Vec<&ObjectFacts>> {
    scalers_targeting(input, input.object())
}

/// A rule of a Role or ClusterRole (`rules[]`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PolicyRule<'a> {
    pub(crate) node: &'a Node,
}

impl<'a> PolicyRule<'a> {
    /// The items of `verbs`, `resources`, `apiGroups`, `resourceNames` or `nonResourceURLs`.
    pub(crate) fn list(self, key: &str) -> &'a [Node] {
        self.node.get(key).map_or(&[][..], Node::items)
    }

    /// The item of `key` that is exactly `value`.
    pub(crate) fn item(self, key: &str, value: &str) -> Option<&'a Node> {
        self.list(key).iter().find(|n| n.as_str() == Some(value))
    }

    /// The item of `key` that grants `value`: `value` itself, else `*`.
    pub(crate) fn grants(self, key: &str, value: &str) -> Option<&'a Node> {
        self.item(key, value).or_else(|| self.item(key, "*"))
    }

    /// Whether the rule applies to resources of the API group `group` (`""` for the core group).
    pub(crate) fn in_group(self, group: &str) -> bool {
        self.grants("apiGroups", group).is_some()
    }

    /// Whether `resourceNames` restricts the rule to named objects.
    pub(crate) fn restricted_to_names(self) -> bool {
        !self.list("resourceNames").is_empty()
    }
}

/// The rules of a Role or ClusterRole (`rbac.authorization.k8s.io`). `None` for other objects and
/// for aggregated ClusterRoles: the controller writes their rules from the roles they aggregate.
pub(crate) fn policy_rules<'a>(
    object: &Object<'a>,
) -> Option<impl Iterator<Item = PolicyRule<'a>>> {
    if object.group() != "rbac.authorization.k8s.io"
        || !matches!(object.kind_str(), "Role" | "ClusterRole")
        || object.get("aggregationRule").is_some_and(|a| !a.is_null())
    {
        return None;
    }
    Some(
        object
            .get("rules")
            .map_or(&[][..], Node::items)
            .iter()
            .filter(|n| n.is_map())
            .map(|node| PolicyRule { node }),
    )
}

/// Whether two copies of the pod may be unable to run side by side: it mounts a
/// PersistentVolumeClaim (often `ReadWriteOnce`, attachable to one node) or binds a `hostPort`.
/// Such workloads run one replica and replace it with `Recreate` on purpose.
pub(crate) fn is_singleton_pod(pod: &PodSpec<'_>) -> bool {
    pod.volumes()
        .any(|v| v.source_kind() == Some("persistentVolumeClaim"))
        || pod
            .all_containers()
            .flat_map(|c| c.ports().iter())
            .any(|p| p.get("hostPort").is_some_and(|h| !h.is_null()))
}

/// Whether a `securityContext` (or another mapping) is written but not as a mapping: a templated
/// scalar (`securityContext: "{{ .Values.sc }}"`) whose fields are unknown. Null counts as absent.
pub(crate) fn is_opaque(node: Option<&Node>) -> bool {
    node.is_some_and(|n| !n.is_map() && !n.is_null())
}

/// Reports the hostPath volume `volume` of `pod` at `range`, with a label at each container's
/// mount of it.
pub(crate) fn report_host_volume(
    ctx: &mut crate::RuleCtx,
    pod: &cw_model::kubernetes::PodSpec<'_>,
    volume: cw_model::kubernetes::Volume<'_>,
    range: cw_diagnostics::TextRange,
    message: String,
    help: &str,
) {
    let object = pod.object;
    let name = volume.name().unwrap_or("");
    let finding = ctx
        .report(range, message)
        .help(help)
        .resource(format!("{} volume {name}", object.display()));
    for (container, mount) in mounts_of(pod, name) {
        let at = mount.get("mountPath").unwrap_or(mount).site_range();
        finding.label(
            at,
            format!("mounted in container `{}`", container.name_str()),
        );
    }
}

/// The `volumeMounts` items that mount the volume `name`, in every container of the pod.
pub(crate) fn mounts_of<'a>(
    pod: &cw_model::kubernetes::PodSpec<'a>,
    name: &'a str,
) -> impl Iterator<Item = (cw_model::kubernetes::Container<'a>, &'a Node)> + 'a {
    pod.all_containers().flat_map(move |c| {
        c.volume_mounts()
            .iter()
            .filter(move |m| m.get("name").and_then(Node::as_str) == Some(name))
            .map(move |m| (c, m))
    })
}

/// A `hostPath` volume's path, normalized (`/var/run//docker.sock/` is `/var/run/docker.sock`, the
/// root is `/`), with the range of the value. `None` for other volumes and templated paths.
pub(crate) fn host_path(
    volume: cw_model::kubernetes::Volume<'_>,
) -> Option<(String, cw_diagnostics::TextRange)> {
    let path = volume.host_path()?;
    if is_templated(path.value) || !path.value.starts_with('/') {
        return None;
    }
    let parts: Vec<&str> = path
        .value
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    Some((format!("/{}", parts.join("/")), path.range))
}

/// What makes a literal value a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LiteralSecret {
    /// A secret-named variable or key (`DB_PASSWORD`, `apiToken`) with a literal value.
    Named,
    /// A URL with a password (`postgres://app:pw@db/app`), whatever the name.
    UrlPassword,
}

/// Prefixes of values that refer to a secret kept elsewhere (Vault, cloud secret managers,
/// 1Password, vals, files) rather than holding it.
const SECRET_REFERENCES: [&str; 14] = [
    "vault:",
    "ref+",
    "arn:",
    "sm://",
    "gcpsm://",
    "projects/",
    "akv://",
    "azure-keyvault://",
    "op://",
    "doppler://",
    "secret://",
    "env:",
    "file:",
    "kms:",
];

/// Whether `value`, assigned to `name`, is a literal secret. Empty values, templated or expanded
/// ones (`{{ }}`, `${VAR}`, `$(VAR)`, `%(var)s`, `#{var}`), placeholders (`changeme`, `<token>`),
/// paths, references to secret stores (`vault:`, `arn:`, `op://`) and, for `*_SECRET` names,
/// values that name a Kubernetes Secret (`app-tls-secret`) are not.
pub(crate) fn literal_secret(name: &str, value: &str) -> Option<LiteralSecret> {
    use crate::rules::dockerfile::secret_in_arg_or_env::{
        has_url_password, is_placeholder, is_secret_name,
    };
    let value = value.trim();
    if value.is_empty()
        || is_templated(value)
        || ["$(", "%(", "#{", "<%", "ENC("]
            .iter()
            .any(|m| value.contains(m))
        || value.starts_with('$')
    {
        return None;
    }
    if has_url_password(value) {
        return Some(LiteralSecret::UrlPassword);
    }
    let lower = value.to_ascii_lowercase();
    // `GOOGLE_API_KEY_VAL`, `DB_PASSWORD`: an upper-case identifier is a token that a deploy step
    // replaces (or the variable's own name), not a credential.
    let identifier = value.contains('_')
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if !is_secret_name(name)
        || identifier
        || is_placeholder(value)
        || SECRET_REFERENCES.iter().any(|p| lower.starts_with(p))
    {
        return None;
    }
    let names_a_secret = name.to_ascii_lowercase().ends_with("secret")
        && value.contains('-')
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && ["secret", "tls", "cert", "cred", "key"]
            .iter()
            .any(|w| value.contains(w));
    (!names_a_secret).then_some(LiteralSecret::Named)
}

/// `a`, `a and b`, `a, b and c`: a list for a message.
pub(crate) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
