//! Throughput of `parse_yaml` and `parse_json` on generated, realistic Kubernetes manifests
//! (Deployments, Services, ConfigMaps with block scalars, comments, quoted strings, anchors), and
//! of saphyr-parser's bare event stream on the same text as the ceiling.
//!
//! `cargo run --release -p cw_syntax --example yaml_throughput [MB] [name filter]`
//!
//! Times are this thread's CPU time (best of 5), so a busy shared machine skews them less.

#![expect(clippy::cast_precision_loss, reason = "benchmark sizes fit an f64")]

use std::fmt::Write;
use std::hint::black_box;
use std::time::Instant;

use cw_syntax::yaml::{parse_json, parse_yaml};

/// One multi-document manifest file for app `i` (about 4-5 KB).
fn manifest(i: usize) -> String {
    let mut s = String::new();
    let name = format!("app-{i}");
    let _ = write!(
        s,
        r#"# Source: charts/{name}/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: team-{team}
  labels: &labels
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: shop
    app.kubernetes.io/version: "1.{i}.0"
  annotations:
    deployment.kubernetes.io/revision: "3"
spec:
  replicas: {replicas}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: 25%, maxUnavailable: 0}}
  template:
    metadata:
      labels: *labels
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: '9090'
    spec:
      serviceAccountName: {name}
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        fsGroup: 2000
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: {name}
          image: "ghcr.io/example/{name}:1.{i}.0@sha256:4b1e2f8d9c0a7b6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e"
          imagePullPolicy: IfNotPresent
          args: ["--port=8080", "--log-level=info", "--metrics-port=9090"]
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
            - name: metrics
              containerPort: 9090
          env:
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef: {{name: {name}-db, key: url}}
            - name: FEATURE_FLAGS
              value: "checkout,recommendations"   # comma-separated
            - name: JAVA_OPTS
              value: >-
                -XX:MaxRAMPercentage=75
                -XX:+UseG1GC
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits:
              cpu: 500m
              memory: 512Mi
          livenessProbe:
            httpGet: {{path: /healthz, port: http}}
            initialDelaySeconds: 10
            periodSeconds: 10
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          volumeMounts:
            - name: config
              mountPath: /etc/{name}
              readOnly: true
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: {name}-config
            defaultMode: 0644
        - name: tmp
          emptyDir: {{}}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  labels:
    app.kubernetes.io/name: {name}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: {name}
  ports:
    - {{name: http, port: 80, targetPort: http}}
    - name: metrics
      port: 9090
      targetPort: metrics
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
data:
  app.properties: |
    server.port=8080
    server.shutdown=graceful
    spring.application.name={name}
    management.endpoints.web.exposure.include=health,info,prometheus
    # tuned for {replicas} replicas
    cache.size=1024
  logging.yaml: |
    level: info
    format: json
  EXTRA_OPTS: "--enable-feature=a --enable-feature=b"
"#,
        team = i % 7,
        replicas = 1 + i % 5,
    );
    s
}

/// The same Deployment as JSON (as `kubectl get -o json` prints it).
fn json_manifest(i: usize) -> String {
    let name = format!("app-{i}");
    format!(
        r#"{{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {{
    "name": "{name}",
    "namespace": "team-{team}",
    "labels": {{"app.kubernetes.io/name": "{name}", "app.kubernetes.io/version": "1.{i}.0"}},
    "annotations": {{"deployment.kubernetes.io/revision": "3"}}
  }},
  "spec": {{
    "replicas": {replicas},
    "selector": {{"matchLabels": {{"app.kubernetes.io/name": "{name}"}}}},
    "template": {{
      "metadata": {{"labels": {{"app.kubernetes.io/name": "{name}"}}}},
      "spec": {{
        "securityContext": {{"runAsNonRoot": true, "runAsUser": 10001, "fsGroup": 2000}},
        "containers": [
          {{
            "name": "{name}",
            "image": "ghcr.io/example/{name}:1.{i}.0",
            "args": ["--port=8080", "--log-level=info"],
            "ports": [{{"name": "http", "containerPort": 8080, "protocol": "TCP"}}],
            "env": [
              {{"name": "DATABASE_URL", "valueFrom": {{"secretKeyRef": {{"name": "{name}-db", "key": "url"}}}}}},
              {{"name": "FEATURE_FLAGS", "value": "checkout,recommendations"}}
            ],
            "resources": {{"requests": {{"cpu": "100m", "memory": "128Mi"}}, "limits": {{"cpu": "500m", "memory": "512Mi"}}}},
            "livenessProbe": {{"httpGet": {{"path": "/healthz", "port": "http"}}, "initialDelaySeconds": 10}},
            "securityContext": {{"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": {{"drop": ["ALL"]}}}},
            "volumeMounts": [{{"name": "config", "mountPath": "/etc/{name}", "readOnly": true}}]
          }}
        ],
        "volumes": [{{"name": "config", "configMap": {{"name": "{name}-config", "defaultMode": 420}}}}]
      }}
    }}
  }}
}}
"#,
        team = i % 7,
        replicas = 1 + i % 5,
    )
}

/// CPU time of this thread in seconds (Linux); wall time where it is not available.
#[expect(clippy::disallowed_methods, reason = "a benchmark reads its CPU clock")]
fn cpu_seconds(wall: Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|stat| stat.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| wall.elapsed().as_secs_f64(), |ns| ns / 1e9)
}

fn measure(name: &str, files: &[String], f: impl Fn(&str) -> usize) {
    let only = std::env::args().nth(2);
    if only.is_some_and(|o| !name.contains(o.as_str())) {
        return;
    }
    let bytes: usize = files.iter().map(String::len).sum();
    let mut best = f64::MAX;
    let mut sink = 0;
    for _ in 0..5 {
        let epoch = Instant::now();
        let start = cpu_seconds(epoch);
        for file in files {
            sink += f(black_box(file));
        }
        best = best.min(cpu_seconds(epoch) - start);
    }
    #[expect(clippy::print_stdout, reason = "the benchmark's report")]
    {
        println!(
            "{name:>26}: {:>6.1} MB/s  {:>8.0} files/s  ({} files, {:.1} MB, best of 5, {sink} items)",
            bytes as f64 / best / 1e6,
            files.len() as f64 / best,
            files.len(),
            bytes as f64 / 1e6,
        );
    }
}

fn main() {
    let mb: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(8.0);
    let mut yaml = Vec::new();
    let mut total = 0;
    while (total as f64) < mb * 1e6 {
        let m = manifest(yaml.len());
        total += m.len();
        yaml.push(m);
    }
    let json: Vec<String> = (0..yaml.len()).map(json_manifest).collect();

    let check = parse_yaml(&yaml[0]);
    assert!(check.errors.is_empty(), "{:?}", check.errors);
    assert_eq!(check.documents.len(), 3);
    assert!(parse_json(&json[0]).errors.is_empty());

    measure("saphyr events (ceiling)", &yaml, |t| {
        saphyr_parser::Parser::new_from_str(t)
            .map_while(Result::ok)
            .count()
    });
    measure("parse_yaml", &yaml, |t| parse_yaml(t).documents.len());
    measure("jsonc-parser ast (ceiling)", &json, |t| {
        let collect = jsonc_parser::CollectOptions::default();
        jsonc_parser::parse_to_ast(t, &collect, &jsonc_parser::ParseOptions::default())
            .map_or(0, |r| usize::from(r.value.is_some()))
    });
    measure("parse_json", &json, |t| parse_json(t).documents.len());
}
