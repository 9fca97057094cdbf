"""A large mixed source tree for the secrets benchmark, for `gen_corpus.py --formats secrets`.

``src/`` gets ``--secrets-mb`` megabytes (approximately) of what repositories hold: source code in
several languages (Python, JavaScript, Go, Java), JSON and YAML configuration, lock files full of
integrity hashes (``package-lock.json``, ``yarn.lock``, ``go.sum``, ``Cargo.lock``), Markdown, minified
JavaScript, ``.env.example`` files with placeholders, UUIDs, digests and base64 blobs that are not
secrets. A small known number of FAKE credentials is planted, made at generation time from the random
stream: GitHub tokens with a valid CRC-32 checksum, AWS key pairs, Slack webhooks, Stripe live keys and
PEM private keys. ``src/PLANTED.txt`` lists where they are, by their first four characters.
"""

from __future__ import annotations

import base64
import random
import zlib

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
WORDS = ["order", "user", "invoice", "cart", "payment", "session", "report", "ledger", "catalog", "stock",
         "search", "profile", "account", "shipment", "refund", "coupon", "review", "audit", "queue", "metric"]


def rand(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def base62_6(value: int) -> str:
    out = []
    for _ in range(6):
        out.append(B62[value % 62])
        value //= 62
    return "".join(reversed(out))


def github_token(rng: random.Random) -> str:
    body = rand(rng, B62, 30)
    return "ghp_" + body + base62_6(zlib.crc32(body.encode()))


def planted(rng: random.Random) -> tuple[str, str]:
    """A fake credential and the line that holds it."""
    kind = rng.randrange(5)
    if kind == 0:
        t = github_token(rng)
        return t, f'GITHUB_TOKEN = "{t}"'
    if kind == 1:
        key = "AKIA" + rand(rng, B32, 16)
        secret = rand(rng, B62 + "+/", 40)
        return key, f"aws_access_key_id = {key}\naws_secret_access_key = {secret}"
    if kind == 2:
        url = f"https://hooks.slack.com/services/T{rand(rng, B32, 8)}/B{rand(rng, B32, 10)}/{rand(rng, B62, 24)}"
        return url, f'SLACK_WEBHOOK = "{url}"'
    if kind == 3:
        k = "sk_live_" + rand(rng, B62, 24)
        return k, f"stripe.api_key = '{k}'"
    body = base64.b64encode(rng.randbytes(600)).decode()
    lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    pem = f"-----BEGIN RSA PRIVATE KEY-----\n{lines}\n-----END RSA PRIVATE KEY-----"
    return "-----BEGIN RSA PRIVATE KEY-----", pem


def python_file(rng: random.Random) -> str:
    out = ['"""Service module."""', "import hashlib", "import uuid", ""]
    for _ in range(rng.randint(8, 30)):
        w = rng.choice(WORDS)
        out += [
            f"def handle_{w}_{rng.randrange(1000)}(request, {w}_id: str) -> dict:",
            f'    """Handles a {w} request."""',
            f"    key = hashlib.sha256({w}_id.encode()).hexdigest()",
            f'    trace = "{rng.randbytes(16).hex()}"',
            f'    request_id = "{uuid_str(rng)}"',
            f"    password = request.form.get(\"password\")",
            f"    return {{\"id\": {w}_id, \"key\": key, \"trace\": trace, \"request\": request_id}}",
            "",
        ]
    return "\n".join(out) + "\n"


def uuid_str(rng: random.Random) -> str:
    h = rng.randbytes(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def js_file(rng: random.Random, minified: bool) -> str:
    parts = []
    for _ in range(rng.randint(20, 80)):
        w = rng.choice(WORDS)
        parts.append(
            f"function {w}{rng.randrange(10000)}(a,b){{const k=\"{rng.randbytes(20).hex()}\";"
            f"return fetch('/api/{w}/'+a,{{headers:{{'X-Request-Id':'{uuid_str(rng)}'}}}}).then(r=>r.json())}}"
        )
    return (";".join(parts) if minified else "\n\n".join(parts)) + "\n"


def go_file(rng: random.Random) -> str:
    w = rng.choice(WORDS)
    out = [f"package {w}", "", 'import (', '\t"crypto/sha256"', '\t"net/http"', ')', ""]
    out.append(f'const schemaDigest = "sha256:{rng.randbytes(32).hex()}"')
    out.append("")
    for _ in range(rng.randint(8, 30)):
        name = rng.choice(WORDS).capitalize()
        out += [
            f"// Handle{name}{rng.randrange(1000)} serves one {w} request.",
            f"func Handle{name}{rng.randrange(100000)}(rw http.ResponseWriter, r *http.Request) {{",
            '\tpassword := r.FormValue("password")',
            f'\ttrace := "{rng.randbytes(12).hex()}"',
            f'\tid := "{uuid_str(rng)}"',
            "\tsum := sha256.Sum256([]byte(password + trace + id))",
            "\t_, _ = rw.Write(sum[:])",
            "}",
            "",
        ]
    return "\n".join(out)


def java_file(rng: random.Random) -> str:
    cls = rng.choice(WORDS).capitalize() + "Service"
    out = [f"package com.example.{rng.choice(WORDS)};", "", "import java.util.UUID;", "",
           f"public final class {cls} {{",
           f'    private static final String BUILD_ID = "{rng.randbytes(20).hex()}";',
           '    private static final String TOKEN_HEADER = "X-Auth-Token";', ""]
    for _ in range(rng.randint(6, 24)):
        m = rng.choice(WORDS)
        out += [
            f"    public String {m}{rng.randrange(10000)}(String token, UUID id) {{",
            f'        String salt = "{rng.randbytes(8).hex()}";',
            '        return id + ":" + Integer.toHexString((token + salt + BUILD_ID).hashCode());',
            "    }",
            "",
        ]
    out.append("}")
    return "\n".join(out) + "\n"


def yarn_lock(rng: random.Random) -> str:
    out = ["# This file is generated by running \"yarn install\" inside your project.", "",
           "__metadata:", "  version: 8", "  cacheKey: 10", ""]
    for i in range(rng.randint(40, 150)):
        name = f"{rng.choice(WORDS)}-{rng.choice(['parser', 'auth-token', 'passwd', 'utils', 'secret-store', 'core'])}-{i}"
        out += [
            f'"{name}@npm:^1.{i}.0":',
            f"  version: 1.{i}.3",
            f'  resolution: "{name}@npm:1.{i}.3"',
            "  dependencies:",
            f'    {rng.choice(["parse-passwd", "registry-auth-token", "tokenizer"])}: "npm:^{rng.randint(1, 9)}.0.0"',
            f"  checksum: 10/{rng.randbytes(64).hex()}",
            "  languageName: node",
            "  linkType: hard",
            "",
        ]
    return "\n".join(out)


def go_sum(rng: random.Random) -> str:
    out = []
    for i in range(rng.randint(40, 160)):
        mod = f"github.com/{rng.choice(WORDS)}/{rng.choice(WORDS)}-{i}"
        ver = f"v1.{rng.randrange(30)}.{rng.randrange(10)}"
        out.append(f"{mod} {ver} h1:{base64.b64encode(rng.randbytes(32)).decode()}")
        out.append(f"{mod} {ver}/go.mod h1:{base64.b64encode(rng.randbytes(32)).decode()}")
    return "\n".join(out) + "\n"


def cargo_lock(rng: random.Random) -> str:
    out = ["# This file is automatically @generated by Cargo.", "# It is not intended for manual editing.",
           "version = 4", ""]
    for i in range(rng.randint(40, 160)):
        out += [
            "[[package]]",
            f'name = "{rng.choice(WORDS)}-{i}"',
            f'version = "0.{rng.randrange(20)}.{rng.randrange(10)}"',
            'source = "registry+https://github.com/rust-lang/crates.io-index"',
            f'checksum = "{rng.randbytes(32).hex()}"',
            "",
        ]
    return "\n".join(out)


def lock_file(rng: random.Random) -> str:
    out = ['{', '  "name": "app",', '  "lockfileVersion": 3,', '  "packages": {']
    for i in range(rng.randint(50, 200)):
        integrity = base64.b64encode(rng.randbytes(64)).decode()
        out.append(f'    "node_modules/pkg-{i}": {{"version": "1.{i}.0", "integrity": "sha512-{integrity}"}},')
    out.append('    "": {}')
    out += ["  }", "}"]
    return "\n".join(out) + "\n"


def yaml_config(rng: random.Random) -> str:
    return f"""database:
  host: db.internal
  user: app
  password: ${{DB_PASSWORD}}
  pool: {rng.randint(5, 50)}
cache:
  url: redis://cache:6379/0
auth:
  jwt_secret: changeme
  issuer: https://auth.example.com
  client_id: {uuid_str(rng)}
image:
  digest: sha256:{rng.randbytes(32).hex()}
"""


def env_example(rng: random.Random) -> str:
    return """DB_PASSWORD=changeme
API_TOKEN=<your-token>
SECRET_KEY=xxxxxxxxxxxxxxxx
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
"""


def markdown(rng: random.Random) -> str:
    out = [f"# The {rng.choice(WORDS)} service", ""]
    for _ in range(rng.randint(10, 40)):
        out.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))) + ".")
        out.append("")
    out.append(f"Commit `{rng.randbytes(20).hex()}` introduced the cache.")
    return "\n".join(out) + "\n"


MAKERS = [
    ("py", python_file),
    ("js", lambda rng: js_file(rng, False)),
    ("min.js", lambda rng: js_file(rng, True)),
    ("go", go_file),
    ("java", java_file),
    ("yaml", yaml_config),
    ("md", markdown),
]

# Lock files, under their own names in a directory of their own.
LOCKS = [
    ("package-lock.json", lock_file),
    ("yarn.lock", yarn_lock),
    ("go.sum", go_sum),
    ("Cargo.lock", cargo_lock),
]


def gen_secrets(rng: random.Random, w, mb: int) -> None:
    target = mb * 1_000_000
    written = 0
    i = 0
    plants = []
    env_dirs = set()
    while written < target:
        i += 1
        svc = f"src/svc-{i // 200:03d}"
        if rng.random() < 0.12:
            name, make = rng.choice(LOCKS)
            text = make(rng)
            w.write(f"{svc}/{rng.choice(WORDS)}-{i}/{name}", text, kind="secrets")
            written += len(text)
            continue
        ext, make = rng.choice(MAKERS)
        text = make(rng)
        if ext == "yaml" and svc not in env_dirs and rng.random() < 0.3:
            env_dirs.add(svc)
            rel = f"{svc}/.env.example"
            text = env_example(rng)
        else:
            rel = f"{svc}/{rng.choice(WORDS)}_{i}.{ext}"
        # About one planted credential per 750 KB, in source, configuration and documentation.
        if ext in ("py", "go", "yaml", "md") and rng.random() < 0.02:
            token, line = planted(rng)
            text += "\n" + line + "\n"
            plants.append((rel, token))
        w.write(rel, text, kind="secrets")
        written += len(text)
    listing = "\n".join(f"{rel}: {tok[:4]}..." for rel, tok in plants)
    w.write("src/PLANTED.txt", f"{len(plants)} planted fake credentials (their first characters):\n{listing}\n", kind="secrets")
