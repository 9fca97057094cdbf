//! Module tests: no message shows a secret, the fixtures' fake tokens are well formed, ordinary
//! text is quiet, and the scan is fast.

use super::support::{base62_6, crc32, has_crc32_suffix};
use super::*;
use crate::test_support::{code_from_fixture, kind_from_fixture};
use crate::{FileFacts, Settings, lint_file};

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../../resources/fixtures/secrets/", $name)),
        )
    };
}

const FIXTURES: &[(&str, &str)] = &[
    fixture!("SEC001.env"),
    fixture!("SEC002.txt"),
    fixture!("SEC002_csv.txt"),
    fixture!("SEC002_ok.py"),
    fixture!("SEC003.txt"),
    fixture!("SEC003_k8s.k8s.yaml"),
    fixture!("SEC003_ok.txt"),
    fixture!("SEC004.txt"),
    fixture!("SEC004_workflow.workflow.yml"),
    fixture!("SEC005.env"),
    fixture!("SEC006.json"),
    fixture!("SEC006_embedded.txt"),
    fixture!("SEC006_ok.json"),
    fixture!("SEC007.txt"),
    fixture!("SEC008.txt"),
    fixture!("SEC009.txt"),
    fixture!("SEC010.txt"),
    fixture!("SEC011.json"),
    fixture!("SEC011_k8s.k8s.yaml"),
    fixture!("SEC012.kubeconfig.yaml"),
    fixture!("SEC012_not_kubeconfig.yaml"),
    fixture!("SEC012_ok.kubeconfig.yaml"),
    fixture!("SEC013.txt"),
    fixture!("SEC014.env"),
    fixture!("SEC014.py"),
    fixture!("SEC014.yaml"),
    fixture!("SEC014_ok.go"),
    fixture!("SEC014_ok.json"),
    fixture!("SEC014_values.txt"),
];

/// The secrets found in `text`, as (rule, secret text).
fn found(text: &str) -> Vec<(Detector, &str)> {
    TextInput::new(text, FileKind::Text)
        .found
        .iter()
        .map(|c| (c.detector, &text[c.secret.clone()]))
        .collect()
}

#[test]
fn messages_never_hold_the_secret() {
    let mut checked = 0;
    for (name, text) in FIXTURES {
        let kind = kind_from_fixture(name).expect("known kind");
        for c in &TextInput::new(text, kind).found {
            let secrets =
                std::iter::once(c.secret.clone()).chain(c.label.iter().map(|l| l.0.clone()));
            for r in secrets {
                let secret = &text[r];
                assert!(secret.len() >= 6, "{name}: short secret {secret:?}");
                assert!(
                    !c.message.contains(&secret[..5]),
                    "{name}: message `{}` shows more than 4 characters of its secret",
                    c.message
                );
                checked += 1;
            }
        }
        let code = code_from_fixture(name);
        let result = lint_file(
            name,
            text,
            kind,
            &FileFacts::default(),
            &Settings::only(code),
        );
        for d in &result.diagnostics {
            let shown = d.snippet.as_ref().map_or("", |s| s.text.as_str());
            for c in TextInput::new(text, kind)
                .found
                .iter()
                .filter(|c| TextRange::from(c.range.clone()) == d.range)
            {
                let secret = &text[c.secret.clone()];
                assert!(!d.message.contains(secret), "{name}: {}", d.message);
                assert!(
                    !shown.contains(secret),
                    "{name}: snippet shows the secret:\n{shown}"
                );
            }
        }
    }
    assert!(checked > 40, "only {checked} secrets in the fixtures");
}

/// The fake GitHub and npm tokens of the fixtures carry a valid checksum (and were made so:
/// base62 CRC-32 of the 30-character body).
#[test]
fn fixture_tokens_have_valid_checksums() {
    for (prefix, body) in [
        ("ghp_", "cloudwrightFakeTokenForTests00"),
        ("gho_", "cloudwrightFakeOAuthTokenTest1"),
        ("ghs_", "cloudwrightFakeAppInstallTok2x"),
        ("npm_", "cloudwrightFakeNpmTokenTests01"),
    ] {
        let sum = base62_6(crc32(body.as_bytes()));
        let token = format!(
            "{prefix}{body}{}",
            std::str::from_utf8(&sum).expect("ascii")
        );
        assert!(has_crc32_suffix(&token.as_bytes()[4..]));
        let in_fixtures = FIXTURES.iter().any(|(_, text)| text.contains(&token));
        assert!(in_fixtures, "{token} is not in the fixtures");
    }
    assert!(!has_crc32_suffix(b"cloudwrightFakeTokenForTests00AbCdE9"));
}

#[test]
fn each_detector_on_one_line() {
    let cases: &[(&str, Option<Detector>)] = &[
        ("id=AKIA2OGYBAH6CLOUDWRT", Some(Detector::AwsAccessKeyId)),
        ("id=AKIA2OGYBAH6CLOUDWRTX", None),
        (
            "x: 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",
            Some(Detector::GithubToken),
        ),
        ("x: ghp_cloudwrightFakeTokenForTests001fLoN1", None),
        ("x: 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_x", None),
        ("t=glpat-CloudwrightFake0x9Zq.", Some(Detector::GitlabToken)),
        (
            "t=sk_live_CloudwrightFakeKey0x9yzAbc",
            Some(Detector::StripeSecretKey),
        ),
        ("t=sk_live_CloudwrightFakeKey0x9yzAbc_x", None),
        (
            "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",
            Some(Detector::PackageRegistryToken),
        ),
        ("pnpm_cloudwrightFakeNpmTokenTests013u4iWh", None),
        (
            "u = 'https://u:Zr7kq9Lm2x@db.prod/x'",
            Some(Detector::CredentialsInUrl),
        ),
        ("u = 'https://u:Zr7kq9Lm2x@127.0.0.1/x'", None),
        (
            "password: Zr7#kq9!Lm2x",
            Some(Detector::GenericSecretAssignment),
        ),
        ("password = Zr7#kq9!Lm2x;", None),
        ("?password=Zr7kq9Lm2x&x=1", None),
        ("my_password_hash: $2b$12$Zr7kq9Lm2xAbCdEfGh", None),
        (
            "token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbG91ZHdyaWdodCIsImlhdCI6MTcwMDAwMDAwMH0.Q2xvdWR3cmlnaHRGYWtlU2lnbmF0dXJlMDEyMzQ1Njc4OQ",
            Some(Detector::GenericSecretAssignment),
        ),
        ("type PrivateKey = ed25519.PrivateKey", None),
        ("prevToken := p.keyMarker", None),
        ("SIOCGLIFTOKEN = -0x3f879678", None),
        ("const credential = \"Credential=\"", None),
        ("password: c0NhbGVpbzEyMw==", None),
        ("password=S!B\\*d$zDsb=", None),
        ("passphrase: ZGF0IHBocmFzZQ==", None),
        (
            "jdbc:sqlserver://sql.prod:1433;user=app;password=Tq4wZ9xK2m",
            Some(Detector::CredentialsInUrl),
        ),
    ];
    for (text, want) in cases {
        let got: Vec<Detector> = found(text).into_iter().map(|f| f.0).collect();
        assert_eq!(got, want.iter().copied().collect::<Vec<_>>(), "{text}");
    }
}

/// Text of the kinds every repository holds: none of it is a secret.
const ORDINARY: &str = r#"
[[package]]
name = "aho-corasick"
version = "1.1.3"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "8e60d3430d3a69478ad0993f19238d2df97c507009a52b3c10addcd7f6bcb916"
"node_modules/js-tokens": {
  "version": "4.0.0",
  "resolved": "https://registry.npmjs.org/js-tokens/-/js-tokens-4.0.0.tgz",
  "integrity": "sha512-RdJUflcE3cUzKiMqQgsCu06FPu9UdIJO0beYbPhHN4k6apgJtifcoCtT9bcxOpYBtpD2kCM6Sbzg4CausW/PKQ=="
},
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/org/app@sha256:8e60d3430d3a69478ad0993f19238d2df97c507009a52b3c10addcd7f6bcb916
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: password
            - name: API_TOKEN
              value: "{{ .Values.apiToken }}"
      volumes:
        - name: tls
          secret:
            secretName: web-tls
jobs:
  build:
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
      - run: echo "${{ secrets.NPM_TOKEN }}" | npm login
        env:
          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
fn next_token(&mut self) -> Option<Token> {
    let token = self.lexer.next()?;
    let password = prompt_password("Password: ")?;
    if token.kind == TokenKind::Secret { return None; }
    let api_key = std::env::var("API_KEY").ok();
}
def login(user, password=None, token=None):
    password = password or os.environ.get("PASSWORD")
    secret_key = settings.SECRET_KEY
    return requests.post(url, auth=(user, password), headers={"Authorization": f"Bearer {token}"})
resource "aws_db_instance" "db" {
  password = var.db_password
  manage_master_user_password = true
}
resource "random_password" "db" { length = 32 }
output "db_password" { value = random_password.db.result  sensitive = true }
spring.datasource.password=${DB_PASSWORD:}
POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password
See https://docs.github.com/en/authentication and https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX
The password must be at least 12 characters; tokens expire after 90 days.
export const PASSWORD_MIN_LENGTH = 12;
const tokenizer = new Tokenizer({ secretsFile: "./secrets.json" });
git@github.com:org/repo.git https://user@github.com/org/repo.git
"#;

#[test]
fn ordinary_text_is_quiet() {
    assert_eq!(found(ORDINARY), Vec::new());
}

/// Throughput of the scan on ordinary text. Run with
/// `cargo test -p cw_linter --release -- --ignored secrets --nocapture`.
#[test]
#[ignore = "a measurement, run in release mode"]
#[expect(clippy::print_stderr, reason = "reports the measured throughput")]
#[expect(clippy::cast_precision_loss, reason = "a size in MB for a printout")]
fn throughput() {
    let mut text = String::new();
    let mut i = 0u32;
    while text.len() < 8 << 20 {
        for line in ORDINARY.lines() {
            text.push_str(line);
            text.push_str(" # ");
            text.push_str(&i.to_string());
            text.push('\n');
            i = i.wrapping_add(7919);
        }
        text.push_str("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.\n");
        text.push_str("    let value = compute(input, &mut state).map_err(|e| Error::new(e, \"while computing\"))?;\n");
    }
    let start = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..5 {
        n += TextInput::new(&text, FileKind::Text).found.len();
    }
    let secs = start.elapsed().as_secs_f64() / 5.0;
    let mb = text.len() as f64 / 1e6;
    eprintln!(
        "secrets scan: {mb:.1} MB in {:.1} ms = {:.0} MB/s",
        secs * 1e3,
        mb / secs
    );
    assert_eq!(n, 0);
}

/// A value a format rule reports as a secret is not reported again by the generic detector; other
/// lines still are.
#[test]
fn format_rules_supersede_the_generic_assignment_detector() {
    let text =
        "FROM alpine:3.20\nENV API_TOKEN=Zx81kQp0vL2mN7rT\nRUN export API_KEY=Qw9eRt5yUi3oPa1s\n";
    let codes = |settings: &Settings| -> Vec<(String, u32)> {
        lint_file(
            "Dockerfile",
            text,
            FileKind::Dockerfile,
            &FileFacts::default(),
            settings,
        )
        .diagnostics
        .iter()
        .map(|d| (d.code().to_owned(), d.start.line))
        .collect()
    };
    let both = crate::SettingsBuilder {
        select: Some(vec![
            "DKR006".parse::<crate::Selector>().expect("code"),
            "SEC014".parse::<crate::Selector>().expect("code"),
        ]),
        ..crate::SettingsBuilder::default()
    }
    .build()
    .expect("settings");
    assert_eq!(
        codes(&both),
        [("DKR006".to_owned(), 2), ("SEC014".to_owned(), 3)]
    );
    // Alone, the generic detector reports both lines.
    assert_eq!(
        codes(&Settings::only("SEC014")),
        [("SEC014".to_owned(), 2), ("SEC014".to_owned(), 3)]
    );
}

#[test]
fn test_files_and_lock_files_by_name() {
    for name in [
        "build_test.go",
        "test_url.py",
        "url_test.py",
        "conftest.py",
        "client.test.ts",
        "client.spec.js",
        "auth_spec.rb",
        "uri_unittest.cc",
        "LatestTest.java",
        "AuthTests.cs",
        "ClientSpec.scala",
        "StorageIT.java",
    ] {
        assert!(is_test_file(name), "{name}");
    }
    for name in [
        "test.go",
        "testing.py",
        "latest.py",
        "contest.py",
        "Contest.java",
        "Test.java",
        "test.ts",
        "spec.yaml",
        "app.spec.yaml",
        "tests.md",
    ] {
        assert!(!is_test_file(name), "{name}");
    }
    for name in [
        "yarn.lock",
        "Cargo.lock",
        "package-lock.json",
        "pnpm-lock.yaml",
        "packages.lock.json",
        ".terraform.lock.hcl",
        "go.sum",
        "Package.resolved",
    ] {
        assert!(is_lockfile(name), "{name}");
    }
    for name in ["lock.go", "locker.yaml", "package.json", "go.mod"] {
        assert!(!is_lockfile(name), "{name}");
    }
    // Only the file name counts: a directory called `tests` above the scanned tree changes nothing.
    let input = TextInput::for_file("tests/app/settings.py", "", FileKind::Text);
    assert!(!input.test && !input.lockfile && !input.documentation);
    let input = TextInput::for_file("src\\auth\\token_test.go", "", FileKind::Text);
    assert!(input.test);
}
