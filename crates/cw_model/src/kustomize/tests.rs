use std::sync::Arc;

use cw_diagnostics::TextRange;
use cw_syntax::yaml::{Node, Value};

use super::{Loaded, Loader, Problem, ProblemKind, Render, kustomization_file_name, render};

/// Files in memory, with bases assigned cumulatively in the order given.
struct Mem {
    files: Vec<(String, String, u32)>,
}

impl Mem {
    fn new(files: &[(&str, &str)]) -> Self {
        let mut base = 0;
        let files = files
            .iter()
            .map(|(path, text)| {
                let entry = ((*path).to_owned(), (*text).to_owned(), base);
                base += text.len() as u32 + 1;
                entry
            })
            .collect();
        Mem { files }
    }

    /// The file a range is in, and the text it covers.
    fn at(&self, range: TextRange) -> (&str, &str) {
        for (path, text, base) in &self.files {
            let end = base + text.len() as u32;
            if range.start >= *base && range.end <= end {
                let local = TextRange::new(range.start - base, range.end - base);
                return (path, local.slice(text));
            }
        }
        panic!("{range:?} is in no file");
    }

    fn slice(&self, range: TextRange) -> &str {
        self.at(range).1
    }

    fn file(&self, range: TextRange) -> &str {
        self.at(range).0
    }

    fn render(&self, dir: &str) -> Render {
        let r = render(dir, self);
        check_ranges(self, &r);
        r
    }
}

impl Loader for Mem {
    fn load(&self, path: &str) -> Result<Loaded, String> {
        self.files
            .iter()
            .find(|(p, _, _)| p == path)
            .map(|(_, text, base)| Loaded {
                text: Arc::from(text.as_str()),
                base: *base,
            })
            .ok_or_else(|| format!("{path}: not found"))
    }

    fn is_dir(&self, path: &str) -> bool {
        path.is_empty()
            || self
                .files
                .iter()
                .any(|(p, _, _)| p.starts_with(&format!("{path}/")))
    }
}

/// Every range of the render is inside a file.
fn check_ranges(mem: &Mem, r: &Render) {
    fn walk(mem: &Mem, n: &Node) {
        mem.at(n.range);
        if let Some(a) = n.alias {
            mem.at(a);
        }
        match &n.value {
            Value::Scalar(_) => {}
            Value::Seq(items) => items.iter().for_each(|i| walk(mem, i)),
            Value::Map(entries) => entries.iter().for_each(|e| {
                walk(mem, &e.key);
                walk(mem, &e.value);
            }),
        }
    }
    for o in &r.objects {
        walk(mem, &o.object);
        if let Some(ns) = o.namespace_set_by {
            mem.at(ns);
        }
    }
    for p in &r.problems {
        mem.at(p.range);
    }
}

fn object<'a>(r: &'a Render, kind: &str, name: &str) -> &'a Node {
    r.objects
        .iter()
        .map(|o| &o.object)
        .find(|o| {
            o.get("kind").and_then(Node::as_str) == Some(kind)
                && o.path(&["metadata", "name"]).and_then(Node::as_str) == Some(name)
        })
        .unwrap_or_else(|| {
            panic!(
                "no {kind} {name} in {:?}",
                r.objects
                    .iter()
                    .map(|o| o.object.path(&["metadata", "name"]).and_then(Node::as_str))
                    .collect::<Vec<_>>()
            )
        })
}

fn at<'a>(n: &'a Node, path: &str) -> &'a Node {
    n.pointer(path).unwrap_or_else(|| panic!("no {path}"))
}

fn text<'a>(n: &'a Node, path: &str) -> &'a str {
    at(n, path).as_scalar().map_or("", |s| s.text.as_str())
}

fn no_problems(r: &Render) {
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

fn problem(r: &Render, kind: ProblemKind, needle: &str) -> Problem {
    r.problems
        .iter()
        .find(|p| p.kind == kind && p.message.contains(needle))
        .cloned()
        .unwrap_or_else(|| panic!("no {kind:?} problem with `{needle}` in {:?}", r.problems))
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      initContainers:
        - name: init
          image: busybox
      containers:
        - name: web
          image: nginx:1.25
          env:
            - name: A
              value: a
            - name: CFG
              valueFrom:
                configMapKeyRef:
                  name: cfg
                  key: x
          ports:
            - containerPort: 80
        - name: side
          image: envoy:1
";

#[test]
fn file_names() {
    assert!(kustomization_file_name("kustomization.yaml"));
    assert!(kustomization_file_name("kustomization.yml"));
    assert!(kustomization_file_name("Kustomization"));
    assert!(!kustomization_file_name("kustomization.json"));
}

#[test]
fn resources_keep_their_nodes() {
    let mem = Mem::new(&[
        (
            "app/kustomization.yaml",
            "resources:\n- deploy.yaml\n- svc.json\n- list.yaml\n",
        ),
        ("app/deploy.yaml", DEPLOYMENT),
        (
            "app/svc.json",
            r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}"#,
        ),
        (
            "app/list.yaml",
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
        ),
    ]);
    let r = mem.render("app");
    no_problems(&r);
    assert_eq!(
        r.files,
        [
            "app/kustomization.yaml",
            "app/deploy.yaml",
            "app/svc.json",
            "app/list.yaml"
        ]
    );
    let d = object(&r, "Deployment", "web");
    let image = at(d, "/spec/template/spec/containers/0/image");
    assert_eq!(mem.file(image.range), "app/deploy.yaml");
    assert_eq!(mem.slice(image.range), "nginx:1.25");
    let port = at(object(&r, "Service", "web"), "/spec/ports/0/port");
    assert_eq!(mem.file(port.range), "app/svc.json");
    assert_eq!(mem.slice(port.range), "80");
    object(&r, "ConfigMap", "a");
    object(&r, "ConfigMap", "b");
    // kustomize's order: ConfigMaps, Service, Deployment.
    let kinds: Vec<_> = r
        .objects
        .iter()
        .map(|o| o.object.get("kind").and_then(Node::as_str).unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["ConfigMap", "ConfigMap", "Service", "Deployment"]);
}

#[test]
fn missing_remote_and_unsupported_entries() {
    let mem = Mem::new(&[
        (
            "kustomization.yaml",
            "resources:\n- missing.yaml\n- https://github.com/org/repo//deploy?ref=v1\n- empty-dir\nhelmCharts:\n- name: x\nreplacements:\n- path: r.yaml\nfoo: bar\n",
        ),
        ("empty-dir/readme.md", "hello"),
    ]);
    let r = mem.render("");
    let missing = problem(&r, ProblemKind::Invalid, "does not exist");
    assert_eq!(mem.slice(missing.range), "missing.yaml");
    let remote = problem(&r, ProblemKind::NotRendered, "remote");
    assert!(mem.slice(remote.range).starts_with("https://"));
    let dir = problem(&r, ProblemKind::Invalid, "no kustomization");
    assert_eq!(mem.slice(dir.range), "empty-dir");
    let helm = problem(&r, ProblemKind::NotRendered, "Helm");
    assert!(mem.slice(helm.range).starts_with("helmCharts:"));
    problem(&r, ProblemKind::NotRendered, "replacements");
    let unknown = problem(
        &r,
        ProblemKind::Invalid,
        "unknown kustomization field `foo`",
    );
    assert_eq!(mem.slice(unknown.range), "foo");
}

#[test]
fn parse_errors_are_reported_in_place() {
    let mem = Mem::new(&[
        ("kustomization.yaml", "resources: [bad.yaml]\n"),
        (
            "bad.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n",
        ),
    ]);
    let r = mem.render("");
    let p = r
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::Parse)
        .expect("parse error");
    assert_eq!(mem.file(p.range), "bad.yaml");
}

#[test]
fn cycles_are_invalid() {
    let mem = Mem::new(&[
        ("a/kustomization.yaml", "resources: [../b]\n"),
        ("b/kustomization.yaml", "resources: [../a]\n"),
        ("c/kustomization.yaml", "resources: [.]\n"),
    ]);
    let r = mem.render("a");
    let p = problem(&r, ProblemKind::Invalid, "cycle");
    assert_eq!(mem.file(p.range), "b/kustomization.yaml");
    let r = mem.render("c");
    problem(&r, ProblemKind::Invalid, "cycle");
}

#[test]
fn namespace_is_set_by_the_kustomization() {
    let mem = Mem::new(&[
        (
            "kustomization.yaml",
            "namespace: prod\nresources: [all.yaml]\n",
        ),
        (
            "all.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb, namespace: old}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\nsubjects:\n- {kind: ServiceAccount, name: default}\n- {kind: ServiceAccount, name: other}\n",
        ),
    ]);
    let r = mem.render("");
    no_problems(&r);
    let rb = r
        .objects
        .iter()
        .find(|o| o.object.get("kind").and_then(Node::as_str) == Some("RoleBinding"))
        .expect("rb");
    let ns = at(&rb.object, "/metadata/namespace");
    assert_eq!(ns.as_str(), Some("prod"));
    assert_eq!(mem.file(ns.range), "kustomization.yaml");
    assert_eq!(mem.slice(ns.range), "prod");
    assert_eq!(
        rb.namespace_set_by.map(|r| mem.slice(r)),
        Some("namespace: prod")
    );
    assert_eq!(text(&rb.object, "/subjects/0/namespace"), "prod");
    assert!(rb.object.pointer("/subjects/1/namespace").is_none());
    // A Namespace takes the name; a cluster-scoped kind gets no namespace.
    object(&r, "Namespace", "prod");
    let role = object(&r, "ClusterRole", "r");
    assert!(role.pointer("/metadata/namespace").is_none());
}

#[test]
fn prefixes_suffixes_and_references() {
    let mem = Mem::new(&[
        (
            "kustomization.yaml",
            "namePrefix: p-\nnameSuffix: -s\nresources: [deploy.yaml, cm.yaml]\n",
        ),
        ("deploy.yaml", DEPLOYMENT),
        (
            "cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n",
        ),
    ]);
    let r = mem.render("");
    no_problems(&r);
    let d = object(&r, "Deployment", "p-web-s");
    let name = at(d, "/metadata/name");
    assert_eq!(mem.file(name.range), "kustomization.yaml");
    let reference = at(
        d,
        "/spec/template/spec/containers/0/env/1/valueFrom/configMapKeyRef/name",
    );
    assert_eq!(reference.as_str(), Some("p-cfg-s"));
    // The rewritten reference stays where it is written.
    assert_eq!(mem.file(reference.range), "deploy.yaml");
    assert_eq!(mem.slice(reference.range), "cfg");
    object(&r, "ConfigMap", "p-cfg-s");
}

#[test]
fn common_labels_reach_selectors_and_templates() {
    let mem = Mem::new(&[
        (
            "kustomization.yaml",
            "commonLabels:\n  team: blue\nlabels:\n- pairs: {tier: web}\n  includeTemplates: true\ncommonAnnotations:\n  owner: me\nresources: [deploy.yaml]\n",
        ),
        ("deploy.yaml", DEPLOYMENT),
    ]);
    let r = mem.render("");
    no_problems(&r);
    let d = object(&r, "Deployment", "web");
    for path in [
        "/metadata/labels/team",
        "/spec/selector/matchLabels/team",
        "/spec/template/metadata/labels/team",
    ] {
        let v = at(d, path);
        assert_eq!(v.as_str(), Some("blue"));
        assert_eq!(mem.slice(v.range), "blue");
    }
    assert_eq!(text(d, "/spec/template/metadata/labels/tier"), "web");
    assert!(d.pointer("/spec/selector/matchLabels/tier").is_none());
    let owner = at(d, "/metadata/annotations/owner");
    assert_eq!(mem.slice(owner.range), "me");
    assert_eq!(text(d, "/spec/template/metadata/annotations/owner"), "me");
}

#[test]
fn images_and_replicas() {
    let mem = Mem::new(&[
        (
            "kustomization.yaml",
            "images:\n- name: nginx\n  newTag: \"1.27\"\n- name: busybox\n  newName: registry.local/busybox\n  digest: sha256:abc\n- name: envoy\n  tagSuffix: -x\nreplicas:\n- name: web\n  count: 4\nresources: [deploy.yaml]\n",
        ),
        ("deploy.yaml", DEPLOYMENT),
    ]);
    let r = mem.render("");
    no_problems(&r);
    let d = object(&r, "Deployment", "web");
    let image = at(d, "/spec/template/spec/containers/0/image");
    assert_eq!(image.as_str(), Some("nginx:1.27"));
    assert_eq!(mem.slice(image.range), "\"1.27\"");
    assert_eq!(
        text(d, "/spec/template/spec/initContainers/0/image"),
        "registry.local/busybox@sha256:abc"
    );
    // As kustomize: the suffix is added by both of its passes over a workload's containers.
    assert_eq!(
        text(d, "/spec/template/spec/containers/1/image"),
        "envoy:1-x-x"
    );
    let replicas = at(d, "/spec/replicas");
    assert_eq!(replicas.as_i64(), Some(4));
    assert_eq!(mem.slice(replicas.range), "4");
}

#[test]
fn strategic_merge_patches() {
    let mem = Mem::new(&[
        (
            "kustomization.yaml",
            "resources: [deploy.yaml, widget.yaml]\npatches:\n- path: patch.yaml\n- path: widget-patch.yaml\n",
        ),
        ("deploy.yaml", DEPLOYMENT),
        (
            "patch.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: null\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:2\n        env:\n        - name: A\n          value: patched\n        - name: B\n          value: b\n      - name: side\n        $patch: delete\n      - name: new\n        image: new:1\n",
        ),
        (
            "widget.yaml",
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  parts: [{name: a}, {name: b}]\n  size: 1\n",
        ),
        (
            "widget-patch.yaml",
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  parts: [{name: c}]\n",
        ),
    ]);
    let r = mem.render("");
    no_problems(&r);
    let d = object(&r, "Deployment", "web");
    let image = at(d, "/spec/template/spec/containers/0/image");
    assert_eq!(mem.file(image.range), "patch.yaml");
    assert_eq!(mem.slice(image.range), "nginx:2");
    let names: Vec<_> = at(d, "/spec/template/spec/containers")
        .items()
        .iter()
        .map(|c| text(c, "/name"))
        .collect();
    // The patch's containers first, then the others; `side` deleted.
    assert_eq!(names, ["web", "new"]);
    let env = at(d, "/spec/template/spec/containers/0/env");
    let env: Vec<_> = env
        .items()
        .iter()
        .map(|e| (text(e, "/name"), e.get("value").and_then(Node::as_str)))
        .collect();
    assert_eq!(
        env,
        [("A", Some("patched")), ("B", Some("b")), ("CFG", None)]
    );
    // A name kept from the base, and its untouched port.
    assert_eq!(mem.file(at(d, "/metadata/name").range), "deploy.yaml");
    assert_eq!(
        mem.file(at(d, "/spec/template/spec/containers/0/ports/0/containerPort").range),
        "deploy.yaml"
    );
    // `null` deletes (a `patches` entry without a target).
    assert!(d.pointer("/metadata/labels/app").is_none());
    // A custom resource: lists are replaced.
    let w = object(&r, "Widget", "w");
    assert_eq!(at(w, "/spec/parts").items().len(), 1);
    assert_eq!(text(w, "/spec/parts/0/name"), "c");
    assert_eq!(text(w, "/spec/size"), "1");
}

#[test]
fn inline_patches_point_into_the_kustomization() {
    let kustomization = "resources: [deploy.yaml]\npatches:\n- target:\n    kind: Deployment\n    name: w.b\n  patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: any\n    spec:\n      template:\n        spec:\n          containers:\n          - name: web\n            image: inline:1\n- target:\n    labelSelector: app=web\n  patch: '[{\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 7}]'\n";
    let mem = Mem::new(&[
        ("kustomization.yaml", kustomization),
        ("deploy.yaml", DEPLOYMENT),
    ]);
    let r = mem.render("");
    no_problems(&r);
    let d = object(&r, "Deployment", "web");
    let image = at(d, "/spec/template/spec/containers/0/image");
    assert_eq!(mem.file(image.range), "kustomization.yaml");
    assert_eq!(mem.slice(image.range), "inline:1");
    let replicas = at(d, "/spec/replicas");
    assert_eq!(mem.slice(replicas.range), "7");
    assert_eq!(mem.file(replicas.range), "kustomization.yaml");
}

#[test]
fn json_patches() {
    let mem = Mem::new(&[
        (
            "kustomization.yaml",
            "resources: [deploy.yaml]\npatchesJson6902:\n- target: {group: apps, version: v1, kind: Deployment, name: web}\n  path: ops.yaml\n- target: {kind: Deployment}\n  patch: '[{\"op\": \"test\", \"path\": \"/spec/replicas\", \"value\": 99}]'\n",
        ),
        ("deploy.yaml", DEPLOYMENT),
        (
            "ops.yaml",
            "- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: {name: Z, value: z}\n- op: remove\n  path: /spec/template/spec/containers/1\n- op: copy\n  from: /spec/template/spec/containers/0/image\n  path: /metadata/annotations\n- op: move\n  from: /metadata/annotations\n  path: /metadata/labels/image\n- op: add\n  path: /metadata/labels/a~1b\n  value: c\n",
        ),
    ]);
    let r = mem.render("");
    let failed = problem(&r, ProblemKind::Invalid, "test failed");
    assert_eq!(mem.file(failed.range), "kustomization.yaml");
    let d = object(&r, "Deployment", "web");
    let z = at(d, "/spec/template/spec/containers/0/env/2/name");
    assert_eq!(mem.file(z.range), "ops.yaml");
    assert_eq!(mem.slice(z.range), "Z");
    assert_eq!(at(d, "/spec/template/spec/containers").items().len(), 1);
    assert_eq!(text(d, "/metadata/labels/image"), "nginx:1.25");
    let added = d
        .path(&["metadata", "labels"])
        .and_then(|l| l.entry("a/b"))
        .expect("a/b");
    assert_eq!(mem.slice(added.value.range), "c");
    assert_eq!(mem.slice(added.key.range), "/metadata/labels/a~1b");
}

#[test]
fn generators_hash_and_provenance() {
    let mem = Mem::new(&[
        (
            "kustomization.yaml",
            "resources: [deploy.yaml]\nconfigMapGenerator:\n- name: cfg\n  literals:\n  - x=info\n  - 'y=\"quoted\"'\n  envs: [app.env]\n  files: [conf=app.conf]\n- name: empty\nsecretGenerator:\n- name: s\n  literals: [a=b]\n- name: fixed\n  literals: [k=v]\n  options: {disableNameSuffixHash: true, labels: {l: v}}\n",
        ),
        ("deploy.yaml", DEPLOYMENT),
        ("app.env", "# c\nHOST=db\n  PORT=5432\n"),
        ("app.conf", "line\n"),
    ]);
    let r = mem.render("");
    no_problems(&r);
    // Names kubectl kustomize gives the same inputs.
    object(&r, "ConfigMap", "empty-6ct58987ht");
    let s = object(&r, "Secret", "s-k695gkmbtk");
    assert_eq!(text(s, "/data/a"), "Yg==");
    let fixed = object(&r, "Secret", "fixed");
    assert_eq!(text(fixed, "/metadata/labels/l"), "v");
    let cfg = r
        .objects
        .iter()
        .map(|o| &o.object)
        .find(|o| text(o, "/metadata/name").starts_with("cfg-"))
        .expect("cfg");
    let x = at(cfg, "/data/x");
    assert_eq!(mem.slice(x.range), "info");
    assert_eq!(text(cfg, "/data/y"), "quoted");
    let port = at(cfg, "/data/PORT");
    assert_eq!(
        (mem.file(port.range), mem.slice(port.range)),
        ("app.env", "5432")
    );
    let conf = at(cfg, "/data/conf");
    assert_eq!(
        (mem.file(conf.range), conf.as_str()),
        ("app.conf", Some("line\n"))
    );
    let name = at(cfg, "/metadata/name");
    assert_eq!(mem.slice(name.range), "cfg");
    // The reference to the generated name is updated.
    let d = object(&r, "Deployment", "web");
    assert_eq!(
        text(
            d,
            "/spec/template/spec/containers/0/env/1/valueFrom/configMapKeyRef/name"
        ),
        text(cfg, "/metadata/name")
    );
}

#[test]
fn generator_behaviors_across_levels() {
    let mem = Mem::new(&[
        (
            "base/kustomization.yaml",
            "configMapGenerator:\n- name: cfg\n  literals: [a=1, b=2]\n",
        ),
        (
            "over/kustomization.yaml",
            "resources: [../base]\nnamePrefix: o-\nconfigMapGenerator:\n- name: cfg\n  behavior: merge\n  literals: [b=3, c=4]\n- name: missing\n  behavior: replace\n  literals: [x=y]\n",
        ),
    ]);
    let r = mem.render("over");
    problem(&r, ProblemKind::Invalid, "cannot merge or replace");
    let cfg = &r.objects[0].object;
    assert!(text(cfg, "/metadata/name").starts_with("o-cfg-"));
    let a = at(cfg, "/data/a");
    assert_eq!(
        (mem.file(a.range), mem.slice(a.range)),
        ("base/kustomization.yaml", "1")
    );
    let b = at(cfg, "/data/b");
    assert_eq!(
        (mem.file(b.range), mem.slice(b.range)),
        ("over/kustomization.yaml", "3")
    );
    assert_eq!(text(cfg, "/data/c"), "4");
}

#[test]
fn components_patch_what_came_before() {
    let mem = Mem::new(&[
        ("base/kustomization.yaml", "resources: [deploy.yaml]\n"),
        ("base/deploy.yaml", DEPLOYMENT),
        (
            "comp/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n- name: nginx\n  newTag: comp\n",
        ),
        (
            "over/kustomization.yaml",
            "resources: [../base]\ncomponents: [../comp]\n",
        ),
        ("bad/kustomization.yaml", "resources: [../comp]\n"),
    ]);
    let r = mem.render("over");
    no_problems(&r);
    let image = at(
        object(&r, "Deployment", "web"),
        "/spec/template/spec/containers/0/image",
    );
    assert_eq!(image.as_str(), Some("nginx:comp"));
    assert_eq!(mem.file(image.range), "comp/kustomization.yaml");
    let r = mem.render("bad");
    problem(&r, ProblemKind::Invalid, "Component");
}

#[test]
fn local_configs_are_dropped_and_fifo_keeps_order() {
    let mem = Mem::new(&[
        (
            "kustomization.yaml",
            "sortOptions: {order: fifo}\nresources: [a.yaml]\n",
        ),
        (
            "a.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\n  annotations: {config.kubernetes.io/local-config: \"true\"}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n",
        ),
    ]);
    let r = mem.render("");
    let kinds: Vec<_> = r
        .objects
        .iter()
        .map(|o| o.object.get("kind").and_then(Node::as_str).unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["Deployment", "Namespace"]);
}

#[test]
fn deep_documents_do_not_overflow() {
    let depth = 480;
    // Block mappings (the parser limits flow nesting on its own), `a:` at each level.
    let nested = |leaf: &str| {
        let mut s = String::from("\n");
        for level in 0..depth {
            s.push_str(&"  ".repeat(level + 1));
            s.push_str("a:\n");
        }
        s.push_str(&"  ".repeat(depth + 1));
        s.push_str(leaf);
        s
    };
    let resource = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: deep}}\ndata:{}\n",
        nested("- containers: [{image: nginx}]")
    );
    let patch = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: deep}}\ndata:{}\n",
        nested("- x")
    );
    let mem = Mem::new(&[
        (
            "kustomization.yaml",
            "resources: [r.yaml]\npatches: [{path: p.yaml}]\nimages: [{name: nginx, newTag: '1'}]\nnamePrefix: x-\n",
        ),
        ("r.yaml", &resource),
        ("p.yaml", &patch),
    ]);
    let r = mem.render("");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    object(&r, "ConfigMap", "x-deep");
}

#[test]
fn a_component_cycle_is_invalid() {
    let mem = Mem::new(&[
        ("kustomization.yaml", "components: [c]\n"),
        ("c/kustomization.yaml", "kind: Component\ncomponents: [.]\n"),
    ]);
    let r = mem.render("");
    problem(&r, ProblemKind::Invalid, "cycle");
}

mod fuzz {
    use proptest::prelude::*;

    use super::Mem;

    const KUSTOMIZATION: &str = "namespace: ns\nnamePrefix: p-\ncommonLabels: {a: b}\nresources: [d.yaml, sub]\ncomponents: [comp]\nimages: [{name: nginx, newTag: '2'}]\nreplicas: [{name: web, count: 2}]\npatches:\n- path: p.yaml\n- target: {kind: Deployment}\n  patch: |-\n    - op: add\n      path: /spec/x\n      value: 1\nconfigMapGenerator:\n- name: c\n  literals: [k=v]\n";

    fn files(kustomization: &str, extra: &str) -> Mem {
        Mem::new(&[
            ("kustomization.yaml", kustomization),
            ("d.yaml", super::DEPLOYMENT),
            ("p.yaml", extra),
            (
                "sub/kustomization.yaml",
                "resources: [../d2.yaml]\nnameSuffix: -s\n",
            ),
            (
                "d2.yaml",
                "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n",
            ),
            (
                "comp/kustomization.yaml",
                "kind: Component\npatchesStrategicMerge: [../p.yaml]\n",
            ),
        ])
    }

    fn mutate(base: &str, edits: &[(usize, u8)]) -> String {
        let mut bytes = base.as_bytes().to_vec();
        for (at, b) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at % bytes.len();
            match b % 3 {
                0 => bytes[i] = *b,
                1 => {
                    bytes.remove(i);
                }
                _ => bytes.insert(i, *b),
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn never_panics_on_mutated_kustomizations(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8),
            patch_edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        ) {
            let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: x\n      - $patch: replace\n";
            let mem = files(&mutate(KUSTOMIZATION, &edits), &mutate(patch, &patch_edits));
            mem.render("");
        }

        #[test]
        fn never_panics_on_arbitrary_text(text in "[ -~\\n]{0,300}") {
            let mem = files(&text, &text);
            mem.render("");
        }
    }
}
