//! One hand-built scan report shared by every renderer test.

use cw_diagnostics::{
    Category, Diagnostic, Edit, Fingerprinter, Fix, FixAvailability, FormatCount, Label, LineIndex,
    RuleMeta, ScanReport, ScanStats, Severity, Snippet, Status, TextRange, ToolInfo,
};
use cw_render::{Format, RenderOptions};

const fn rule(
    code: &'static str,
    name: &'static str,
    category: Category,
    severity: Severity,
    fix: FixAvailability,
    docs: &'static str,
) -> RuleMeta {
    RuleMeta {
        code,
        name,
        category,
        severity,
        fix,
        status: Status::Stable { since: "0.1.0" },
        peers: &[],
        docs,
        file: "crates/cw_linter/src/rules/test.rs",
    }
}

static BASE_IMAGE_NOT_DIGEST_PINNED: RuleMeta = rule(
    "DKR003",
    "base-image-not-digest-pinned",
    Category::Reproducibility,
    Severity::Info,
    FixAvailability::None,
    "## What it does\nFlags `FROM` images pinned by tag\nbut not by digest.\n\n## Why is this bad?\nTags can be re-pushed; only `@sha256:` is immutable.\n\n## Example\n```dockerfile\nFROM python:3.12-slim\n```\nUse instead:\n```dockerfile\nFROM python:3.12-slim@sha256:4f3c…\n```\n",
);

static FINAL_USER_ROOT: RuleMeta = rule(
    "DKR004",
    "final-user-root",
    Category::Security,
    Severity::Error,
    FixAvailability::Always,
    "## What it does\nFlags a final stage whose last `USER` is root.\n\n## Why is this bad?\nThe process runs as root inside the container: whoever breaks out of it owns more of the host.\n\n## Example\n```dockerfile\nUSER root\n```\nUse instead:\n```dockerfile\nUSER nonroot\n```\n\n## Fix safety\nUnsafe: the image may need root to start.\n",
);

static PIP_UNPINNED: RuleMeta = rule(
    "DKR014",
    "pip-unpinned",
    Category::Reproducibility,
    Severity::Warning,
    FixAvailability::None,
    "## What it does\nFlags `pip install <pkg>` without a version.\n\n## Why is this bad?\nThe build resolves differently over time.\n",
);

static MISSING_RESOURCE_LIMITS: RuleMeta = rule(
    "K8S010",
    "missing-resource-limits",
    Category::Efficiency,
    Severity::Warning,
    FixAvailability::Sometimes,
    "## What it does\nFlags containers without CPU and memory limits.\n\n## Why is this bad?\nOne container can starve its neighbours on the node.\n",
);

static S3_BUCKET_PUBLIC: RuleMeta = rule(
    "AWS001",
    "s3-bucket-public-access",
    Category::Security,
    Severity::Error,
    FixAvailability::None,
    "## What it does\nFlags S3 buckets that allow public access.\n\n## Why is this bad?\nAnyone can read the data.\n",
);

static UNREADABLE_FILE: RuleMeta = rule(
    "CW001",
    "unreadable-file",
    Category::Tool,
    Severity::Warning,
    FixAvailability::None,
    "## What it does\nReports files cloudwright could not read.\n",
);

const DOCKERFILE: &str = "\
FROM python:3.12-slim AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install flask gunicorn

FROM gcr.io/distroless/python3
COPY --from=build /app /app
USER root
CMD [\"python\", \"/app/main.py\"]
";

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: café
  namespace: default
spec:
  template:
    spec:
      containers:
        - name: café-web
          image: registry.example.com/café:1.4.2
          ports:
            - containerPort: 8080
";

/// A source file the fixture points into.
struct Source {
    path: &'static str,
    text: &'static str,
    index: LineIndex,
}

impl Source {
    fn new(path: &'static str, text: &'static str) -> Self {
        Self {
            path,
            text,
            index: LineIndex::new(text),
        }
    }

    /// The range of the first occurrence of `needle`.
    fn range(&self, needle: &str) -> TextRange {
        let start = self.text.find(needle).expect("needle in source");
        TextRange::from_usize(start, start + needle.len())
    }

    /// A finding on `needle`, with labels on other needles.
    fn finding(
        &self,
        rule: &'static RuleMeta,
        needle: &str,
        message: &str,
        labels: &[(&str, &str)],
    ) -> Diagnostic {
        let range = self.range(needle);
        let labels: Vec<Label> = labels
            .iter()
            .map(|(needle, message)| {
                let range = self.range(needle);
                Label {
                    range,
                    start: self.index.line_col(self.text, range.start),
                    end: self.index.line_col(self.text, range.end),
                    message: (*message).to_owned(),
                }
            })
            .collect();
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.to_owned(),
            path: self.path.to_owned(),
            range,
            start: self.index.line_col(self.text, range.start),
            end: self.index.line_col(self.text, range.end),
            labels,
            help: None,
            fix: None,
            resource: None,
            fingerprint: Fingerprinter::new()
                .part(rule.code)
                .part(self.path)
                .normalized(needle)
                .finish(),
            snippet: None,
        }
    }

    /// Adds the snippet: the lines of the finding, its labels and its fix, plus one line of
    /// context on each side.
    fn with_snippet(&self, mut d: Diagnostic) -> Diagnostic {
        let ranges = d.labels.iter().map(|l| l.range).chain([d.range]);
        let edits = d.fix.iter().flat_map(|f| f.edits.iter().map(|e| e.range));
        let lines = ranges
            .chain(edits)
            .flat_map(|r| [self.index.line_of(r.start), self.index.line_of(r.end)]);
        let first = lines.clone().min().expect("a range").saturating_sub(1);
        let last = (lines.max().expect("a range") + 1).min(self.index.line_count() - 1);
        let offset = self.index.line_start(first);
        let end = self.index.line_start(last + 1);
        d.snippet = Some(Snippet {
            first_line: first + 1,
            offset,
            text: self.text[offset as usize..end as usize].to_owned(),
        });
        d
    }
}

fn tool() -> ToolInfo {
    ToolInfo {
        name: "cloudwright",
        version: "0.1.0",
        information_uri: "https://github.com/cloudwright/cloudwright",
    }
}

fn rules() -> Vec<&'static RuleMeta> {
    vec![
        &BASE_IMAGE_NOT_DIGEST_PINNED,
        &FINAL_USER_ROOT,
        &PIP_UNPINNED,
        &MISSING_RESOURCE_LIMITS,
        &S3_BUCKET_PUBLIC,
        &UNREADABLE_FILE,
    ]
}

/// Five findings over three files: every severity, labels, fixes, a file without a snippet,
/// non-ASCII text and a message full of characters that need escaping.
pub(crate) fn report() -> ScanReport {
    let docker = Source::new("Dockerfile", DOCKERFILE);
    let k8s = Source::new("k8s/deploy.yaml", DEPLOYMENT);

    let mut digest = docker.finding(
        &BASE_IMAGE_NOT_DIGEST_PINNED,
        "python:3.12-slim",
        "base image `python:3.12-slim` is not pinned by digest",
        &[],
    );
    digest.help = Some("Append `@sha256:<digest>` and let a bot keep it current".to_owned());
    digest.resource = Some("stage build".to_owned());

    let mut pip = docker.finding(
        &PIP_UNPINNED,
        "pip install flask gunicorn",
        "`pip install` without versions: flask, gunicorn",
        &[],
    );
    pip.help =
        Some("Pin each package (`flask==3.0.3`) or install from a hashed lock file".to_owned());

    let mut root = docker.finding(
        &FINAL_USER_ROOT,
        "root",
        "the final stage runs as `root`",
        &[("FROM gcr.io/distroless/python3", "final stage starts here")],
    );
    root.help = Some("Run the final stage as an unprivileged user".to_owned());
    root.resource = Some("stage #1".to_owned());
    root.fix = Some(Fix::unsafe_edit(
        "Switch to the `nonroot` user",
        vec![Edit::replace(docker.range("root"), "nonroot")],
    ));

    let mut limits = k8s.finding(
        &MISSING_RESOURCE_LIMITS,
        "café-web",
        "container `café-web` has no limits: cpu, memory | it may use 100% of the node",
        &[("Deployment", "in this Deployment")],
    );
    limits.resource = Some("Deployment default/café".to_owned());
    limits.fix = Some(Fix::safe(
        "Add `resources.limits`",
        vec![Edit::insert(
            k8s.range("          ports:").start,
            "          resources:\n            limits: { cpu: 500m, memory: 256Mi }\n",
        )],
    ));

    let unreadable = Diagnostic {
        rule: &UNREADABLE_FILE,
        severity: Severity::Warning,
        message: "cannot read file: permission denied (os error 13)".to_owned(),
        path: "infra/prod.tfvars".to_owned(),
        range: TextRange::empty(0),
        start: cw_diagnostics::LineCol { line: 1, column: 1 },
        end: cw_diagnostics::LineCol { line: 1, column: 1 },
        labels: Vec::new(),
        help: None,
        fix: None,
        resource: None,
        fingerprint: Fingerprinter::new()
            .part("CW001")
            .part("infra/prod.tfvars")
            .finish(),
        snippet: None,
    };

    let mut diagnostics = vec![
        docker.with_snippet(root),
        k8s.with_snippet(limits),
        unreadable,
        docker.with_snippet(digest),
        docker.with_snippet(pip),
    ];
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    ScanReport {
        tool: tool(),
        rules: rules(),
        diagnostics,
        stats: ScanStats {
            formats: vec![
                FormatCount {
                    format: "dockerfile",
                    files: 2,
                },
                FormatCount {
                    format: "kubernetes",
                    files: 5,
                },
                FormatCount {
                    format: "terraform",
                    files: 3,
                },
            ],
            files_scanned: 10,
            bytes_scanned: 48_213,
            suppressed: 2,
            baselined: 1,
            elapsed_ms: 1234,
        },
    }
}

/// A clean scan of four files.
pub(crate) fn empty_report() -> ScanReport {
    ScanReport {
        tool: tool(),
        rules: rules(),
        diagnostics: Vec::new(),
        stats: ScanStats {
            formats: vec![FormatCount {
                format: "dockerfile",
                files: 4,
            }],
            files_scanned: 4,
            bytes_scanned: 2_048,
            suppressed: 0,
            baselined: 0,
            elapsed_ms: 7,
        },
    }
}

pub(crate) fn render(report: &ScanReport, format: Format, opts: RenderOptions) -> String {
    let mut out = Vec::new();
    cw_render::render(report, format, &opts, &mut out).expect("render to a Vec");
    String::from_utf8(out).expect("UTF-8 output")
}
