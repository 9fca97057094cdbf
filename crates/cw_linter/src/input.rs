use std::any::Any;

use std::collections::HashMap;
use std::sync::Arc;

use cw_model::aws::AwsModel;
use cw_model::compose::ComposeFile;
use cw_model::dockerfile::Dockerfile;
use cw_model::github_actions::ActionsFile;
use cw_model::gitlab_ci::GitlabCiFile;
use cw_model::kubernetes::{KubeObject, Object, ObjectFacts};
use cw_model::terraform::Evaluation;

/// The kinds of input rules are written against. The engine builds each input once per file and
/// runs every enabled rule of that kind on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// cloudwright's own diagnostics (`CW###`): raised by the engine, never dispatched.
    Tool,
    Dockerfile,
    Compose,
    /// One Kubernetes object at a time ([`KubernetesInput`]).
    Kubernetes,
    /// One Kubernetes object at a time, with the facts of every object of the scan ([`ClusterInput`]).
    KubernetesCluster,
    GithubActions,
    GitlabCi,
    /// An evaluated Terraform root module with the modules it calls ([`TerraformInput`]).
    Terraform,
    /// A Terraform state file ([`TerraformStateInput`]).
    TerraformState,
    /// The AWS resources of a unit, whatever its source format ([`AwsInput`]).
    Aws,
    /// The raw text of every file the scan reads, whatever its format (secrets).
    Text,
}

pub trait RuleInput: Any + Send + Sync {
    const KIND: InputKind;
}

/// Tool diagnostics take no input.
impl RuleInput for () {
    const KIND: InputKind = InputKind::Tool;
}

/// A Dockerfile with the facts about its surroundings that the walk found.
#[derive(Debug)]
pub struct DockerfileInput {
    pub dockerfile: Dockerfile,
    /// Whether a `.dockerignore` applies: one beside the Dockerfile, `<name>.dockerignore`, or one in a
    /// parent directory up to the scan root (the build context may be any of them). `None` when unknown.
    pub dockerignore: Option<bool>,
}

impl RuleInput for DockerfileInput {
    const KIND: InputKind = InputKind::Dockerfile;
}

/// A Docker Compose file, with the Dockerfiles of the scan its services build.
#[derive(Debug)]
pub struct ComposeInput {
    pub compose: ComposeFile,
    /// By service name: the Dockerfile its `build` names, when the scan includes it.
    pub dockerfiles: HashMap<String, BuildDockerfile>,
}

/// A Dockerfile a Compose service builds.
#[derive(Debug)]
pub struct BuildDockerfile {
    /// Relative to the scan root.
    pub path: String,
    pub dockerfile: Dockerfile,
}

impl RuleInput for ComposeInput {
    const KIND: InputKind = InputKind::Compose;
}

/// The Kubernetes objects of one file (or one Kustomize render); rules look at [`KubernetesInput::object`],
/// the engine moves `current` over the objects. Ranges may be in the scan's address space (see
/// [`RuleCtx::base`](crate::RuleCtx::base)).
#[derive(Debug)]
pub struct KubernetesInput {
    pub objects: Vec<KubeObject>,
    pub current: usize,
}

impl KubernetesInput {
    /// The object under check.
    pub fn object(&self) -> Object<'_> {
        self.objects[self.current].view()
    }
}

impl RuleInput for KubernetesInput {
    const KIND: InputKind = InputKind::Kubernetes;
}

/// The facts of every Kubernetes object of a scan; rules look at [`ClusterInput::object`] and the
/// objects that may share its namespace.
#[derive(Clone, Debug)]
pub struct ClusterInput {
    index: Arc<ClusterIndex>,
    pub current: usize,
}

/// The objects of a scan and their indexes, shared by the threads that check them.
#[derive(Debug)]
pub struct ClusterIndex {
    pub objects: Vec<ObjectFacts>,
    /// Objects by `metadata.namespace` (`None`: not set).
    by_namespace: HashMap<Option<String>, Vec<usize>>,
    /// Objects by kind.
    by_kind: HashMap<String, Vec<usize>>,
    /// Objects by kind and namespace.
    by_kind_namespace: HashMap<(String, Option<String>), Vec<usize>>,
    /// Answers computed once per scan ([`ClusterInput::memo`]).
    answers: std::sync::Mutex<HashMap<&'static str, Arc<dyn Any + Send + Sync>>>,
}

impl std::ops::Deref for ClusterInput {
    type Target = ClusterIndex;

    fn deref(&self) -> &ClusterIndex {
        &self.index
    }
}

impl ClusterInput {
    pub fn new(objects: Vec<ObjectFacts>) -> Self {
        let mut by_namespace: HashMap<Option<String>, Vec<usize>> = HashMap::new();
        let mut by_kind: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_kind_namespace: HashMap<(String, Option<String>), Vec<usize>> = HashMap::new();
        for (i, o) in objects.iter().enumerate() {
            by_kind_namespace
                .entry((o.kind.clone(), o.namespace.clone()))
                .or_default()
                .push(i);
            by_namespace.entry(o.namespace.clone()).or_default().push(i);
            by_kind.entry(o.kind.clone()).or_default().push(i);
        }
        Self {
            index: Arc::new(ClusterIndex {
                objects,
                by_namespace,
                by_kind,
                by_kind_namespace,
                answers: std::sync::Mutex::default(),
            }),
            current: 0,
        }
    }

    /// The object under check.
    pub fn object(&self) -> &ObjectFacts {
        &self.objects[self.current]
    }

    fn indices(&self, namespace: Option<&str>) -> &[usize] {
        self.by_namespace
            .get(&namespace.map(str::to_string))
            .map_or(&[][..], Vec::as_slice)
    }

    /// The other objects of the current object's namespace (an object without a namespace is in
    /// `default`).
    pub fn neighbours(&self) -> impl Iterator<Item = &ObjectFacts> {
        let current = self.current;
        let ns = self.object().namespace_or_default();
        let (a, b) = if ns == "default" {
            (self.indices(Some("default")), self.indices(None))
        } else {
            (self.indices(Some(ns)), &[][..])
        };
        a.iter()
            .chain(b)
            .filter(move |&&i| i != current)
            .map(|&i| &self.objects[i])
    }

    /// The other objects that may land in the current object's namespace: those of the same
    /// `metadata.namespace` and those without one (their namespace is chosen at deploy time); every
    /// other object when the current one has no namespace. Wider than [`ClusterInput::neighbours`],
    /// for rules that stay quiet when a matching object may exist.
    pub fn peers(&self) -> Box<dyn Iterator<Item = &ObjectFacts> + '_> {
        let current = self.current;
        match self.object().namespace.as_deref() {
            None => Box::new(
                self.objects
                    .iter()
                    .enumerate()
                    .filter(move |(i, _)| *i != current)
                    .map(|(_, o)| o),
            ),
            Some(ns) => Box::new(
                self.indices(Some(ns))
                    .iter()
                    .chain(self.indices(None))
                    .filter(move |&&i| i != current)
                    .map(|&i| &self.objects[i]),
            ),
        }
    }

    /// [`ClusterInput::peers`] of the given kinds only (cheaper: by the kind and namespace indexes).
    pub fn peers_of<'a>(&'a self, kinds: &'a [&'a str]) -> impl Iterator<Item = &'a ObjectFacts> {
        let current = self.current;
        let ns = self.object().namespace.clone();
        let slice = move |k: &str, n: Option<String>| {
            self.by_kind_namespace
                .get(&(k.to_string(), n))
                .map_or(&[][..], Vec::as_slice)
        };
        kinds
            .iter()
            .flat_map(move |k| -> Vec<&'a [usize]> {
                match &ns {
                    None => vec![self.by_kind.get(*k).map_or(&[][..], Vec::as_slice)],
                    Some(n) => vec![slice(k, Some(n.clone())), slice(k, None)],
                }
            })
            .flatten()
            .filter(move |&&i| i != current)
            .map(|&i| &self.objects[i])
    }

    /// A rule's answer about the whole scan (an index, a flag), computed once per scan under `key`
    /// by `build` and shared by every object's check. A `key` always names answers of one type;
    /// `build` must not call `memo` itself.
    pub fn memo<T: Any + Send + Sync>(
        &self,
        key: &'static str,
        build: impl FnOnce(&[ObjectFacts]) -> T,
    ) -> Arc<T> {
        let mut memo = self
            .answers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(found) = memo
            .get(key)
            .and_then(|v| Arc::clone(v).downcast::<T>().ok())
        {
            return found;
        }
        let value = Arc::new(build(&self.objects));
        memo.insert(key, Arc::clone(&value) as Arc<dyn Any + Send + Sync>);
        value
    }

    /// The objects at `indices` (positions in [`ClusterIndex::objects`], ascending) that may share
    /// the current object's namespace, as [`ClusterInput::peers`] counts them.
    pub fn candidates<'a>(
        &'a self,
        indices: impl IntoIterator<Item = usize> + 'a,
    ) -> impl Iterator<Item = &'a ObjectFacts> + 'a {
        let current = self.current;
        let ns = self.object().namespace.as_deref();
        indices.into_iter().filter_map(move |i| {
            let o = self.objects.get(i)?;
            (i != current
                && (ns.is_none() || o.namespace.is_none() || o.namespace.as_deref() == ns))
                .then_some(o)
        })
    }

    /// The objects of the scan for which `predicate` holds, found once per scan under `key` (a
    /// rule's question that would otherwise cost a pass over every object for every object), then
    /// narrowed to those that may share the current object's namespace.
    pub fn matching(
        &self,
        key: &'static str,
        predicate: fn(&ObjectFacts) -> bool,
    ) -> impl Iterator<Item = &ObjectFacts> {
        let found: Arc<Vec<usize>> = self.memo(key, |objects| {
            objects
                .iter()
                .enumerate()
                .filter(|(_, o)| predicate(o))
                .map(|(i, _)| i)
                .collect()
        });
        self.candidates((0..found.len()).map(move |j| found[j]))
    }

    /// The objects of a kind, anywhere in the scan.
    pub fn of_kind(&self, kind: &str) -> impl Iterator<Item = &ObjectFacts> {
        self.by_kind
            .get(kind)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &self.objects[i])
    }

    /// The kinds present in the scan.
    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.by_kind.keys().map(String::as_str)
    }
}

impl RuleInput for ClusterInput {
    const KIND: InputKind = InputKind::KubernetesCluster;
}

/// A Terraform root module, evaluated with the modules it calls. Ranges are in the evaluation's
/// address space ([`Evaluation::sources`]).
#[derive(Debug)]
pub struct TerraformInput {
    pub eval: Evaluation,
    /// Whether `.terraform.lock.hcl` sits beside the root module (`None`: unknown).
    pub lockfile: Option<bool>,
}

impl RuleInput for TerraformInput {
    const KIND: InputKind = InputKind::Terraform;
}

/// The AWS resources of a unit (a Terraform root module with the modules it calls), in the unit's
/// address space.
#[derive(Debug)]
pub struct AwsInput {
    pub model: AwsModel,
}

impl RuleInput for AwsInput {
    const KIND: InputKind = InputKind::Aws;
}

/// A Terraform state file (`*.tfstate`, `*.tfstate.backup`): its source is the file's text.
#[derive(Debug)]
pub struct TerraformStateInput {
    pub text_len: usize,
}

impl RuleInput for TerraformStateInput {
    const KIND: InputKind = InputKind::TerraformState;
}

/// A GitHub Actions workflow or action metadata file.
#[derive(Debug)]
pub struct GithubActionsInput {
    pub file: ActionsFile,
}

impl RuleInput for GithubActionsInput {
    const KIND: InputKind = InputKind::GithubActions;
}

/// A GitLab CI pipeline.
#[derive(Debug)]
pub struct GitlabCiInput {
    pub pipeline: GitlabCiFile,
}

impl RuleInput for GitlabCiInput {
    const KIND: InputKind = InputKind::GitlabCi;
}
