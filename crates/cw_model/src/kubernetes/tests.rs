use cw_syntax::yaml::parse_yaml;

use super::*;

fn objects(text: &str) -> Vec<KubeObject> {
    let mut yaml = parse_yaml(text);
    take_objects(&mut yaml)
}

const DEPLOY: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
    matchExpressions:
      - {key: tier, operator: In, values: [front]}
  template:
    metadata:
      labels: {app: web, tier: front}
    spec:
      securityContext:
        runAsNonRoot: yes
        runAsUser: 1000
      initContainers:
        - name: init
          image: busybox
      containers:
        - name: app
          image: example/web:1.0
          securityContext:
            runAsUser: 0
            privileged: true
          ports:
            - {name: http, containerPort: 8080}
          livenessProbe:
            httpGet: {path: /, port: http}
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec:
      selector: {app: web}
  - not: an object
---
just: config
";

#[test]
fn objects_from_documents_and_lists() {
    let objs = objects(DEPLOY);
    let kinds: Vec<_> = objs.iter().map(|o| o.view().display()).collect();
    assert_eq!(kinds, ["Deployment/web", "Service/web"]);
}

#[test]
fn pod_spec_containers_and_inheritance() {
    let objs = objects(DEPLOY);
    let d = objs[0].view();
    assert_eq!(d.workload_kind(), Some(WorkloadKind::Deployment));
    assert_eq!(d.replicas().map(|r| r.value), Some(3));
    assert_eq!(d.namespace().map(|n| n.value), Some("shop"));
    let pod = d.pod_spec().expect("pod spec");
    let names: Vec<_> = pod
        .all_containers()
        .map(|c| (c.kind, c.name_str()))
        .collect();
    assert_eq!(
        names,
        [
            (ContainerKind::Init, "init"),
            (ContainerKind::Container, "app")
        ]
    );
    let app = pod.containers().next().expect("app");
    let user = app.effective_security("runAsUser").expect("runAsUser");
    assert!(!user.from_pod);
    assert_eq!(user.node.as_i64(), Some(0));
    let non_root = app.effective_security("runAsNonRoot").expect("inherited");
    assert!(non_root.from_pod);
    assert_eq!(non_root.node.as_bool_yaml11(), Some(true));
    let init = pod.all_containers().next().expect("init");
    assert!(init.effective_security("privileged").is_none());
    assert!(
        init.effective_security("runAsUser")
            .is_some_and(|i| i.from_pod)
    );
    let probe = app.probe(ProbeKind::Liveness).expect("probe");
    assert!(app.declares_port(probe.port().expect("port")));
    assert!(!init.declares_port(probe.port().expect("port")));
    assert_eq!(&DEPLOY[app.site().as_usize()], "app");
}

#[test]
fn selectors_and_facts() {
    let objs = objects(DEPLOY);
    let d = ObjectFacts::of(objs[0].view());
    let s = ObjectFacts::of(objs[1].view());
    let pod = d.pod.as_ref().expect("pod facts");
    assert_eq!(pod.effective_replicas, Some(3));
    assert_eq!(pod.ports, [(Some("http".to_string()), 8080)]);
    let sel = objs[0].view().selector().expect("selector");
    assert_eq!(sel.matches(&pod.labels), Some(true));
    assert_eq!(sel.matches(&[("app".into(), "web".into())]), Some(false));
    let svc = s
        .service
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .expect("svc selector");
    assert_eq!(svc.matches(&pod.labels), Some(true));
    assert_eq!(s.namespace_or_default(), "default");
    let mut shifted = d.clone();
    shifted.shift(10);
    assert_eq!(shifted.site.start, d.site.start + 10);
}

#[test]
fn cronjob_template_and_quoted_numbers() {
    let text = "\
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: '0 0 * * *'
  jobTemplate:
    spec:
      template:
        metadata: {labels: {job: nightly}}
        spec:
          containers: [{name: run, image: 'x:1'}]
";
    let objs = objects(text);
    let o = objs[0].view();
    assert_eq!(o.pod_spec().map(|p| p.containers().count()), Some(1));
    assert_eq!(o.effective_replicas(), None);
    let f = ObjectFacts::of(o);
    assert_eq!(
        f.pod.map(|p| p.labels),
        Some(vec![("job".into(), "nightly".into())])
    );
}

#[test]
fn sidecars_are_long_lived() {
    let text = "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
    - {name: setup, image: 'x:1'}
    - {name: proxy, image: 'x:1', restartPolicy: Always}
  containers:
    - {name: app, image: 'x:1'}
";
    let objs = objects(text);
    let o = objs[0].view();
    let pod = o.pod_spec().expect("pod spec");
    let flags: Vec<_> = pod
        .all_containers()
        .map(|c| (c.name_str(), c.is_sidecar(), c.is_long_lived()))
        .collect();
    assert_eq!(
        flags,
        [
            ("setup", false, false),
            ("proxy", true, true),
            ("app", false, true)
        ]
    );
}

#[test]
fn windows_pods() {
    let pod = |spec: &str| {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{spec}\n  containers: [{{name: app, image: 'x:1'}}]\n"
        );
        let objs = objects(&text);
        objs[0].view().pod_spec().expect("pod spec").is_windows()
    };
    assert!(pod("  os: {name: windows}"));
    assert!(pod("  nodeSelector: {kubernetes.io/os: windows}"));
    assert!(pod(
        "  securityContext: {windowsOptions: {runAsUserName: ContainerUser}}"
    ));
    assert!(pod(
        "  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows]}]}]}}}"
    ));
    assert!(!pod("  nodeSelector: {kubernetes.io/os: linux}"));
    assert!(!pod(
        "  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [windows, linux]}]}]}}}"
    ));
    assert!(!pod("  securityContext: {runAsNonRoot: true}"));
}

#[test]
fn facts_replicas_entry_host_network_and_policy_types() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  replicas: 3 # pinned
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: true
      volumes:
        - {name: data, persistentVolumeClaim: {claimName: data}}
      containers: [{name: app, image: 'x:1'}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: flow}
spec: {replicas: 2, template: {spec: {containers: []}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-only}
spec:
  podSelector: {}
  policyTypes: [Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-types}
spec:
  podSelector: {}
  policyTypes: []
";
    let objs = objects(text);
    let facts: Vec<_> = objs.iter().map(|o| ObjectFacts::of(o.view())).collect();
    let web = facts[0].pod.as_ref().expect("pod facts");
    let entry = web.replicas_entry.expect("block entry");
    assert_eq!(&text[entry.as_usize()], "replicas: 3");
    assert!(web.host_network && web.persistent_volume);
    let flow = facts[1].pod.as_ref().expect("pod facts");
    assert_eq!(flow.replicas.as_ref().map(|r| r.value), Some(2));
    assert_eq!(flow.replicas_entry, None);
    assert!(!flow.host_network && !flow.persistent_volume);
    assert!(!facts[2].network_policy_ingress);
    assert!(facts[3].network_policy_ingress);
    assert!(!facts[0].network_policy_ingress);
    let mut shifted = facts[0].clone();
    shifted.shift(5);
    assert_eq!(
        shifted.pod.and_then(|p| p.replicas_entry).map(|r| r.start),
        Some(entry.start + 5)
    );
}
