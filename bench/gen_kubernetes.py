"""Kubernetes manifests, Kustomize trees and Compose files for the benchmark corpus.

Called by gen_corpus.py through ``gen_kubernetes(rng, writer, n)``: ``n`` applications, each a directory
under ``k8s/`` holding a multi-document manifest (Deployment, StatefulSet, DaemonSet, Job or CronJob with a
Service, and some of ConfigMap, Secret, PodDisruptionBudget, HorizontalPodAutoscaler, NetworkPolicy,
Ingress, ServiceAccount, Role, RoleBinding), some as Kustomize bases with overlays (patches, images,
namespace, generators), some as JSON or ``kind: List``, plus a Compose file for one application in five.
Values are drawn so that about half of the objects have findings and half are clean.
"""

from __future__ import annotations

import json
import random

IMAGES = ["nginx", "redis", "postgres", "ghcr.io/acme/api", "ghcr.io/acme/web", "quay.io/acme/worker",
          "registry.k8s.io/pause", "python", "node", "golang"]
TAGS = ["1.25.3", "7.2", "16.1", "2.4.1", "latest", "3.12-slim", "20-alpine", "1.22", "v0.9.0", None]
WORDS = ["api", "web", "cart", "auth", "search", "billing", "mail", "feed", "queue", "media", "report", "ledger"]


def image(rng: random.Random) -> str:
    repo = rng.choice(IMAGES)
    tag = rng.choice(TAGS)
    if rng.random() < 0.15:
        return f"{repo}@sha256:{rng.getrandbits(256):064x}"
    return f"{repo}:{tag}" if tag else repo


def container(rng: random.Random, name: str, port: int, good: bool) -> list[str]:
    out = [f"        - name: {name}", f"          image: {image(rng)}"]
    if rng.random() < 0.3:
        out.append("          imagePullPolicy: IfNotPresent")
    out += ["          ports:", f"            - name: http", f"              containerPort: {port}"]
    if rng.random() < 0.6:
        out += ["          env:", "            - name: LOG_LEVEL", "              value: info"]
        if not good and rng.random() < 0.3:
            out += ["            - name: DB_PASSWORD", f"              value: \"pw-{rng.getrandbits(40):x}\""]
        else:
            out += ["            - name: DB_PASSWORD", "              valueFrom:", "                secretKeyRef:",
                    f"                  name: {name}-db", "                  key: password"]
    if good or rng.random() < 0.5:
        out += ["          resources:", "            requests:", f"              cpu: {rng.choice([50, 100, 250])}m",
                f"              memory: {rng.choice([64, 128, 256])}Mi", "            limits:",
                f"              memory: {rng.choice([256, 512])}Mi"]
    if good or rng.random() < 0.5:
        out += ["          readinessProbe:", "            httpGet:", "              path: /ready", "              port: http",
                "          livenessProbe:", "            httpGet:", "              path: /healthz",
                "              port: http"]
    if good:
        out += ["          securityContext:", "            allowPrivilegeEscalation: false",
                "            readOnlyRootFilesystem: true", "            capabilities:", "              drop: [ALL]"]
    elif rng.random() < 0.5:
        out += ["          securityContext:", f"            privileged: {rng.choice(['true', 'false'])}",
                f"            runAsUser: {rng.choice([0, 1000, 65534])}"]
        if rng.random() < 0.3:
            out += ["            capabilities:", "              add: [NET_ADMIN, SYS_TIME]"]
    if rng.random() < 0.2:
        out += ["          volumeMounts:", "            - name: data", "              mountPath: /data"]
    return out


def pod_spec(rng: random.Random, name: str, good: bool, indent: str) -> list[str]:
    port = rng.choice([80, 3000, 8000, 8080, 9090])
    lines = []
    if good:
        lines += ["      serviceAccountName: " + name, "      automountServiceAccountToken: false",
                  "      securityContext:", "        runAsNonRoot: true", "        runAsUser: 10001",
                  "        seccompProfile:", "          type: RuntimeDefault"]
    else:
        if rng.random() < 0.1:
            lines.append("      hostNetwork: true")
        if rng.random() < 0.05:
            lines.append("      hostPID: true")
    if rng.random() < 0.3:
        lines += ["      topologySpreadConstraints:", "        - maxSkew: 1", "          topologyKey: topology.kubernetes.io/zone",
                  "          whenUnsatisfiable: ScheduleAnyway", "          labelSelector:",
                  f"            matchLabels: {{app: {name}}}"]
    if rng.random() < 0.2:
        lines += ["      initContainers:", "        - name: migrate", f"          image: {image(rng)}",
                  "          command: [\"/bin/migrate\", \"up\"]"]
    lines.append("      containers:")
    lines += container(rng, name, port, good)
    if rng.random() < 0.3:
        lines += container(rng, "sidecar", port + 1, good)
    if rng.random() < 0.2:
        lines += ["      volumes:", "        - name: data"]
        if not good and rng.random() < 0.3:
            lines += ["          hostPath:", rng.choice(["            path: /var/run/docker.sock", "            path: /etc",
                                                          "            path: /srv/data"])]
        else:
            lines += ["          emptyDir: {}"]
    return [indent + l[6:] if indent != "      " else l for l in lines]


def workload(rng: random.Random, name: str, ns: str | None, good: bool) -> str:
    kind = rng.choices(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"], weights=[70, 10, 6, 7, 7])[0]
    api = "batch/v1" if kind in ("Job", "CronJob") else ("extensions/v1beta1" if rng.random() < 0.03 else "apps/v1")
    meta = ["metadata:", f"  name: {name}"] + ([f"  namespace: {ns}"] if ns else []) + \
        ["  labels:", f"    app: {name}", "    app.kubernetes.io/part-of: shop"]
    head = [f"apiVersion: {api}", f"kind: {kind}"] + meta + ["spec:"]
    template = ["  template:", "    metadata:", "      labels:", f"        app: {name}", "    spec:"]
    body = pod_spec(rng, name, good, "      ")
    if kind in ("Deployment", "StatefulSet"):
        head += [f"  replicas: {rng.choice([1, 2, 3, 5])}"]
        if kind == "StatefulSet":
            head += [f"  serviceName: {name}"]
    if kind == "Job":
        return "\n".join(head + template + body + ["      restartPolicy: Never"]) + "\n"
    if kind == "CronJob":
        lines = head + ["  schedule: \"*/15 * * * *\"", "  jobTemplate:", "    spec:"]
        lines += ["      " + l for l in template] + ["      " + l for l in body] + ["            restartPolicy: OnFailure"]
        return "\n".join(lines) + "\n"
    sel_label = name if rng.random() > 0.02 else name + "-x"
    head += ["  selector:", "    matchLabels:", f"      app: {sel_label}"]
    return "\n".join(head + template + body) + "\n"


def service(rng: random.Random, name: str, ns: str | None) -> str:
    typ = rng.choices(["ClusterIP", "LoadBalancer", "NodePort"], weights=[80, 12, 8])[0]
    lines = ["apiVersion: v1", "kind: Service", "metadata:", f"  name: {name}"] + ([f"  namespace: {ns}"] if ns else [])
    lines += ["spec:", f"  type: {typ}", "  selector:", f"    app: {name}", "  ports:", "    - port: 80", "      targetPort: http"]
    return "\n".join(lines) + "\n"


def extras(rng: random.Random, name: str, ns: str | None) -> list[str]:
    nsl = [f"  namespace: {ns}"] if ns else []
    docs = []
    if rng.random() < 0.5:
        docs.append("\n".join(["apiVersion: policy/v1", "kind: PodDisruptionBudget", "metadata:", f"  name: {name}"] + nsl +
                              ["spec:", f"  {rng.choice(['minAvailable: 1', 'maxUnavailable: 0', 'maxUnavailable: 25%'])}",
                               "  selector:", "    matchLabels:", f"      app: {name}"]) + "\n")
    if rng.random() < 0.4:
        docs.append("\n".join(["apiVersion: autoscaling/v2", "kind: HorizontalPodAutoscaler", "metadata:", f"  name: {name}"] + nsl +
                              ["spec:", "  scaleTargetRef:", "    apiVersion: apps/v1", "    kind: Deployment", f"    name: {name}",
                               f"  minReplicas: {rng.choice([1, 2, 3])}", "  maxReplicas: 10", "  metrics:", "    - type: Resource",
                               "      resource:", "        name: cpu", "        target: {type: Utilization, averageUtilization: 70}"]) + "\n")
    if rng.random() < 0.4:
        docs.append("\n".join(["apiVersion: networking.k8s.io/v1", "kind: NetworkPolicy", "metadata:", f"  name: {name}"] + nsl +
                              ["spec:", "  podSelector:", "    matchLabels:", f"      app: {name}", "  policyTypes: [Ingress]",
                               "  ingress:", "    - from:", "        - podSelector:", "            matchLabels:",
                               "              role: frontend"]) + "\n")
    if rng.random() < 0.3:
        docs.append("\n".join(["apiVersion: networking.k8s.io/v1", "kind: Ingress", "metadata:", f"  name: {name}"] + nsl +
                              ["  annotations:", "    nginx.ingress.kubernetes.io/rewrite-target: /", "spec:"] +
                              (["  tls:", f"    - hosts: [{name}.example.com]", f"      secretName: {name}-tls"] if rng.random() < 0.6 else []) +
                              ["  rules:", f"    - host: {name}.example.com", "      http:", "        paths:", "          - path: /",
                               "            pathType: Prefix", "            backend:", "              service:",
                               f"                name: {name}", "                port: {number: 80}"]) + "\n")
    if rng.random() < 0.3:
        docs.append("\n".join(["apiVersion: v1", "kind: ServiceAccount", "metadata:", f"  name: {name}"] + nsl) + "\n")
        verbs = rng.choice(['["get", "list"]', '["*"]', '["get", "watch", "list"]', '["create"]'])
        res = rng.choice(['["configmaps"]', '["secrets"]', '["pods", "pods/exec"]', '["deployments"]'])
        docs.append("\n".join(["apiVersion: rbac.authorization.k8s.io/v1", "kind: Role", "metadata:", f"  name: {name}"] + nsl +
                              ["rules:", "  - apiGroups: [\"\", \"apps\"]", f"    resources: {res}", f"    verbs: {verbs}"]) + "\n")
        docs.append("\n".join(["apiVersion: rbac.authorization.k8s.io/v1", "kind: RoleBinding", "metadata:", f"  name: {name}"] + nsl +
                              ["roleRef:", "  apiGroup: rbac.authorization.k8s.io", "  kind: Role", f"  name: {name}", "subjects:",
                               "  - kind: ServiceAccount", f"    name: {name}"]) + "\n")
    if rng.random() < 0.3:
        docs.append("\n".join(["apiVersion: v1", "kind: ConfigMap", "metadata:", f"  name: {name}-config"] + nsl +
                              ["data:", "  LOG_FORMAT: json", f"  FEATURE_FLAGS: \"{rng.choice(['a,b', 'c', ''])}\""] +
                              (["  API_TOKEN: \"tok-%x\"" % rng.getrandbits(48)] if rng.random() < 0.2 else [])) + "\n")
    return docs


def compose(rng: random.Random, name: str) -> str:
    lines = ["services:", f"  {name}:", f"    image: {image(rng)}", "    ports:", f"      - \"{rng.choice(['8080:8080', '127.0.0.1:8080:8080'])}\""]
    if rng.random() < 0.5:
        lines += ["    environment:", "      LOG_LEVEL: info", f"      DB_PASSWORD: {rng.choice(['${DB_PASSWORD}', 'hunter2-' + str(rng.randint(10, 99))])}"]
    if rng.random() < 0.5:
        lines += ["    healthcheck:", "      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8080/healthz\"]", "      interval: 30s"]
    lines += ["  db:", f"    image: postgres:{rng.choice(['16.1', 'latest'])}", "    ports:", "      - \"5432:5432\""]
    return "\n".join(lines) + "\n"


def gen_kubernetes(rng: random.Random, w, n: int) -> None:
    width = max(4, len(str(n)))
    for i in range(1, n + 1):
        name = f"{rng.choice(WORDS)}-{i:0{width}d}"
        good = rng.random() < 0.4
        d = f"k8s/app-{i:0{width}d}"
        style = rng.random()
        if style < 0.2:
            base_docs = [workload(rng, name, None, good), service(rng, name, None)] + extras(rng, name, None)
            w.write(f"{d}/base/{name}.yaml", "---\n".join(base_docs), kind="kubernetes")
            w.write(f"{d}/base/kustomization.yaml",
                    f"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - {name}.yaml\n"
                    "labels:\n  - pairs:\n      team: shop\n", kind="kubernetes")
            for env in ("staging", "prod"):
                patch = (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n"
                         f"  replicas: {3 if env == 'prod' else 1}\n")
                w.write(f"{d}/overlays/{env}/replicas.yaml", patch, kind="kubernetes")
                w.write(f"{d}/overlays/{env}/kustomization.yaml",
                        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                        f"namespace: shop-{env}\nresources:\n  - ../../base\n"
                        f"patches:\n  - path: replicas.yaml\n    target:\n      kind: Deployment\n      name: {name}\n"
                        f"images:\n  - name: {IMAGES[0]}\n    newTag: \"1.27.{i % 9}\"\n"
                        f"configMapGenerator:\n  - name: {name}-env\n    literals:\n      - ENV={env}\n", kind="kubernetes")
        elif style < 0.3:
            items = [workload(rng, name, "shop", good), service(rng, name, "shop")]
            import_yaml = "\n".join("  - " + "\n    ".join(doc.rstrip("\n").split("\n")) for doc in items)
            w.write(f"{d}/list.yaml", "apiVersion: v1\nkind: List\nitems:\n" + import_yaml + "\n", kind="kubernetes")
        elif style < 0.38:
            obj = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "shop"},
                   "spec": {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}]}}
            w.write(f"{d}/service.json", json.dumps(obj, indent=2) + "\n", kind="kubernetes")
            w.write(f"{d}/workload.yaml", workload(rng, name, "shop", good), kind="kubernetes")
        else:
            ns = rng.choice(["shop", "payments", None, "default"])
            docs = [workload(rng, name, ns, good), service(rng, name, ns)] + extras(rng, name, ns)
            w.write(f"{d}/{name}.yaml", "---\n".join(docs), kind="kubernetes")
        if rng.random() < 0.2:
            w.write(f"{d}/compose.yaml", compose(rng, name), kind="compose")
