#!/usr/bin/env python3
"""Deterministic synthetic corpus for the cloudwright benchmark (Python 3.11 standard library only).

    python3 bench/gen_corpus.py                      # -> bench/corpus/, 5000 Dockerfiles
    python3 bench/gen_corpus.py --out /tmp/c --dockerfiles 20000 --seed 7
    python3 bench/gen_corpus.py --formats dockerfile
    python3 bench/gen_corpus.py --formats kubernetes --apps 5000
    python3 bench/gen_corpus.py --formats workflows --repos 3000
    python3 bench/gen_corpus.py --formats secrets --secrets-mb 60
    python3 bench/gen_corpus.py --formats terraform --stacks 2000

The output is a function of (--seed, --formats, the per-format counts) only: same bytes on every run and
machine.  Every format has its own generator, ``gen_<format>(rng, writer, n)``, registered in FORMATS, and
its own random stream derived from the seed and the format's name, so adding a format never changes the
files of another one.  The output directory is wiped and rewritten on each run (only if it is empty or was
made by this script: it carries the marker file MARKER).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_kubernetes import gen_kubernetes  # noqa: E402
from gen_pipelines import gen_pipelines  # noqa: E402
from gen_secrets import gen_secrets  # noqa: E402
from gen_terraform import gen_terraform  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "corpus")
DEFAULT_SEED = 20240611
MARKER = ".cloudwright-bench-corpus"


# --------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------


class Writer:
    """Writes files below `root`, counting files and bytes per format."""

    def __init__(self, root: str):
        self.root = root
        self.files = 0
        self.bytes = 0
        self.per_kind: dict[str, list[int]] = {}

    def write(self, rel: str, text: str, kind: str = "other", crlf: bool = False) -> None:
        data = text.replace("\n", "\r\n") if crlf else text
        raw = data.encode("utf-8")
        path = os.path.join(self.root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(raw)
        self.files += 1
        self.bytes += len(raw)
        c = self.per_kind.setdefault(kind, [0, 0])
        c[0] += 1
        c[1] += len(raw)


# --------------------------------------------------------------------------------------------------
# Dockerfiles: data
# --------------------------------------------------------------------------------------------------

HEX = "0123456789abcdef"

DEB_PKGS = {
    "ca-certificates": "20230311",
    "curl": "7.88.1-10+deb12u5",
    "wget": "1.21.3-1+b2",
    "git": "1:2.39.2-1.1",
    "gnupg": "2.2.40-1.1",
    "unzip": "6.0-28",
    "xz-utils": "5.4.1-0.2",
    "jq": "1.6-2.1",
    "tini": "0.19.0-1",
    "dumb-init": "1.2.5-2",
    "procps": "2:4.0.2-3",
    "tzdata": "2024a-0+deb12u1",
    "locales": "2.36-9+deb12u4",
    "build-essential": "12.9",
    "gcc": "4:12.2.0-3",
    "g++": "4:12.2.0-3",
    "make": "4.3-4.1",
    "pkg-config": "1.8.1-1",
    "libpq-dev": "15.6-0+deb12u1",
    "libpq5": "15.6-0+deb12u1",
    "libssl-dev": "3.0.11-1~deb12u2",
    "libffi-dev": "3.4.4-1",
    "libxml2-dev": "2.9.14+dfsg-1.3~deb12u1",
    "libjpeg62-turbo-dev": "1:2.1.5-2",
    "zlib1g-dev": "1:1.2.13.dfsg-1",
    "libyaml-dev": "0.2.5-1",
    "default-libmysqlclient-dev": "1.1.0",
    "netcat-openbsd": "1.219-1",
    "openssh-client": "1:9.2p1-2+deb12u2",
    "postgresql-client": "15+248",
    "gettext-base": "0.21-12",
    "libjemalloc2": "5.3.0-1",
    "python3": "3.11.2-1+b1",
    "python3-pip": "23.0.1+dfsg-1",
    "vim-tiny": "2:9.0.1378-2",
    "less": "590-2",
    "iputils-ping": "3:20221126-1",
    "dnsutils": "1:9.18.24-1",
    "sqlite3": "3.40.1-2",
    "libvips42": "8.14.1-3+deb12u1",
    "ffmpeg": "7:5.1.4-0+deb12u1",
    "fonts-liberation": "1:1.07.4-11",
    "chromium": "124.0.6367.60-1~deb12u1",
}

APK_PKGS = {
    "ca-certificates": "20240226-r0",
    "curl": "8.5.0-r0",
    "wget": "1.21.4-r0",
    "git": "2.43.0-r0",
    "bash": "5.2.21-r0",
    "tini": "0.19.0-r2",
    "dumb-init": "1.2.5-r3",
    "su-exec": "0.2-r3",
    "tzdata": "2024a-r0",
    "jq": "1.7.1-r0",
    "openssl": "3.1.4-r5",
    "libpq": "16.2-r0",
    "postgresql-dev": "16.2-r0",
    "build-base": "0.5-r3",
    "gcc": "13.2.1_git20231014-r0",
    "g++": "13.2.1_git20231014-r0",
    "make": "4.4.1-r2",
    "musl-dev": "1.2.4_git20230717-r4",
    "libc6-compat": "1.1.0-r4",
    "linux-headers": "6.5-r0",
    "libffi-dev": "3.4.4-r3",
    "openssh-client": "9.6_p1-r0",
    "python3": "3.11.8-r0",
    "py3-pip": "23.3.1-r0",
    "icu-dev": "74.1-r0",
    "libzip-dev": "1.10.1-r0",
    "libpng-dev": "1.6.40-r0",
    "oniguruma-dev": "6.9.9-r0",
    "nodejs": "20.12.1-r0",
    "npm": "10.2.5-r0",
    "yaml-dev": "0.2.5-r2",
    "vips-dev": "8.15.0-r0",
    "upx": "4.2.1-r0",
    "gettext": "0.22.3-r0",
}

RPM_PKGS = [
    "shadow-utils",
    "tar",
    "gzip",
    "findutils",
    "procps-ng",
    "hostname",
    "which",
    "unzip",
    "git",
    "java-17-openjdk-headless",
    "java-21-openjdk-headless",
    "python3.11",
    "python3.11-pip",
    "nodejs",
    "openssl",
    "ca-certificates",
    "glibc-langpack-en",
    "tzdata",
    "gcc",
    "make",
    "libpq-devel",
]

REG_PREFIXES = ["docker.io/library/", "public.ecr.aws/docker/library/", "mirror.gcr.io/library/"]

FAKE_SECRETS = [
    ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
    ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("DB_PASSWORD", "changeme"),
    ("POSTGRES_PASSWORD", "postgres"),
    ("MYSQL_ROOT_PASSWORD", "example-root-password"),
    ("API_KEY", "example-not-a-real-api-key-0000"),
    ("API_TOKEN", "dummy-token-EXAMPLE-1234"),
    ("SECRET_KEY", "django-insecure-EXAMPLE-do-not-use-in-production"),
    ("JWT_SECRET", "notsecret"),
    ("GITHUB_TOKEN", "fake_token_EXAMPLE_0000000000000000000000"),
    ("STRIPE_SECRET_KEY", "sk_test_EXAMPLE0000000000000000"),
    ("REDIS_PASSWORD", "redis123"),
    ("ADMIN_PASSWORD", "admin"),
]

WORDS = [
    "billing",
    "orders",
    "catalog",
    "auth",
    "gateway",
    "search",
    "payments",
    "notifier",
    "reports",
    "inventory",
    "users",
    "ledger",
    "analytics",
    "scheduler",
    "ingest",
    "exporter",
    "webhooks",
    "media",
    "checkout",
    "profile",
    "metrics",
    "mailer",
    "shipping",
    "pricing",
    "frontend",
    "admin",
    "worker",
    "importer",
    "quotes",
    "tenants",
]

LICENSE_HEADERS = [
    [
        "Copyright 2024 The Example Authors. All rights reserved.",
        "Use of this source code is governed by a BSD-style license that can be",
        "found in the LICENSE file.",
    ],
    ["SPDX-License-Identifier: Apache-2.0"],
    [
        'Licensed under the Apache License, Version 2.0 (the "License");',
        "you may not use this file except in compliance with the License.",
        "You may obtain a copy of the License at",
        "",
        "    http://www.apache.org/licenses/LICENSE-2.0",
        "",
        "Unless required by applicable law or agreed to in writing, software",
        'distributed under the License is distributed on an "AS IS" BASIS,',
        "WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.",
        "See the License for the specific language governing permissions and",
        "limitations under the License.",
    ],
    ["SPDX-FileCopyrightText: 2023 Example Corp", "SPDX-License-Identifier: MIT"],
]

INSTALLERS = [  # (description, command) -- remote install scripts piped into a shell
    ("nodesource", "curl -fsSL https://deb.nodesource.com/setup_20.x | bash -"),
    ("rustup", "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal"),
    ("poetry", "curl -sSL https://install.python-poetry.org | python3 -"),
    ("helm", "curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash"),
    ("docker", "curl -fsSL https://get.docker.com | sh"),
    ("nvm", "wget -qO- https://raw.githubusercontent.com/nvm-sh/nvm/v0.39.7/install.sh | bash"),
    ("uv", "curl -LsSf https://astral.sh/uv/install.sh | sh"),
    ("bun", "curl -fsSL https://bun.sh/install | bash"),
    ("deno", "curl -fsSL https://deno.land/install.sh | sh"),
    ("starship", "curl -sS https://starship.rs/install.sh | sh -s -- -y"),
]


def digest(rng: random.Random) -> str:
    return "sha256:" + "".join(rng.choice(HEX) for _ in range(64))


def describe(step) -> str:
    """A comment for a step inside a RUN continuation."""
    words = flat(step).split()
    cmd = words[0] if words[0] not in ("sudo", "CGO_ENABLED=0") else words[1]
    return {
        "apt-get": "install system packages",
        "apt": "install system packages",
        "apk": "add packages",
        "rm": "clean up to keep the layer small",
        "pip": "python dependencies",
        "npm": "node dependencies",
        "curl": "download",
        "wget": "download",
        "chmod": "make it executable",
        "tar": "unpack",
        "useradd": "create the app user",
        "groupadd": "create the app group",
        "go": "compile",
        "mkdir": "create directories",
        "ln": "symlink",
        "echo": "write config",
    }.get(cmd, f"{cmd} step")


def flat(step) -> str:
    if isinstance(step, tuple):
        head, items = step
        return " ".join([head, *items]) if items else head
    return step


# --------------------------------------------------------------------------------------------------
# Dockerfiles: one file under construction
# --------------------------------------------------------------------------------------------------


class DF:
    """A Dockerfile under construction plus the per-file "personality" that drives its choices."""

    def __init__(self, rng: random.Random, escape: str = "\\"):
        self.rng = rng
        self.esc = escape
        q = rng.random()
        self.quality = "good" if q < 0.35 else ("mixed" if q < 0.75 else "poor")
        self.pflaw = {"good": 0.04, "mixed": 0.18, "poor": 0.45}[self.quality]
        self.modern = rng.random() < 0.45  # uses BuildKit features: cache mounts, heredocs, --link
        self.chatty = rng.random() < 0.5  # explanatory comments above instructions
        self.argy = rng.random() < 0.3  # parameterises everything with ARG
        self.directives: list[str] = []
        self.header: list[str] = []
        self.globals: list[str] = []
        self.global_names: list[str] = []
        self.body: list[str] = []
        self.stages: list[str] = []  # alias (or "") of each FROM, in order
        self.as_kw = "AS" if rng.random() < 0.9 else "as"
        self.crlf = False
        self.rpm_tool = ""  # microdnf / dnf / yum, fixed per file once known

    # -- randomness ------------------------------------------------------------------------------
    def p(self, x: float) -> bool:
        return self.rng.random() < x

    def flaw(self, scale: float = 1.0) -> bool:
        return self.rng.random() < self.pflaw * scale

    def pick(self, seq):
        return self.rng.choice(seq)

    def sample(self, seq, lo: int, hi: int) -> list:
        k = self.rng.randint(lo, min(hi, len(seq)))
        return self.rng.sample(list(seq), k)

    # -- low-level emitters ------------------------------------------------------------------------
    def emit(self, *lines: str) -> None:
        self.body.extend(lines)

    def blank(self) -> None:
        if self.body and self.body[-1] != "":
            self.body.append("")

    def note(self, text: str, p: float = 1.0) -> None:
        """An explanatory comment, only in chatty files."""
        if self.chatty and self.p(p):
            self.body.append("# " + text)

    def global_arg(self, name: str, value: str | None) -> str:
        if name not in self.global_names:
            self.global_names.append(name)
            self.globals.append(f"ARG {name}" if value is None else f"ARG {name}={value}")
        return name

    def from_(self, ref: str, alias: str | None = None, platform: str | None = None) -> None:
        self.blank()
        if self.chatty and self.p(0.6):
            what = STAGE_NOTES.get(alias or "", "Final image")
            if self.p(0.5):
                bar = "# " + "-" * self.rng.choice([40, 60, 76])
                self.emit(bar, f"# {what}", bar)
            else:
                self.emit(f"# {what}")
        parts = ["FROM"]
        if platform:
            parts.append(f"--platform={platform}")
        parts.append(ref)
        if alias:
            parts += [self.as_kw, alias]
        self.emit(" ".join(parts))
        self.stages.append(alias or "")

    def stage_ref(self, alias: str) -> str:
        """How a later stage refers to an earlier one: its name, or sometimes its index."""
        idx = self.stages.index(alias)
        return str(idx) if self.p(0.12) else alias

    def run(
        self,
        steps,
        flags=(),
        style: str | None = None,
        comments: dict | None = None,
        prefix: str = "RUN",
        joiner: str = "&&",
    ) -> None:
        """Emits a RUN; `steps` are shell commands (str) or (head, [items]) package lists."""
        r = self.rng
        steps = [s for s in steps if s]
        if not steps:
            return
        long_items = any(isinstance(s, tuple) and len(s[1]) > 3 for s in steps)
        if style is None:
            if len(steps) == 1 and not long_items:
                style = "one"
            else:
                style = r.choices(["one", "lead", "trail", "semi"], weights=[2, 4, 4, 2])[0]
        if style == "one":
            line = " ".join([prefix, *flags, f" {joiner} ".join(flat(s) for s in steps)])
            self.emit(line)
            return
        comments = dict(comments or {})
        if not comments and self.chatty and len(steps) > 1 and r.random() < 0.3:
            k = r.randrange(1, len(steps))
            comments[k] = describe(steps[k])
        if style == "semi":
            steps = [r.choice(["set -eux", "set -ex", "set -eu", "set -eux"])] + list(steps)
            comments = {k + 1: v for k, v in comments.items()}
        wrap = r.random() < 0.75
        phys: list[tuple[str, bool]] = []  # (text, is_comment)
        split_flags = len(flags) > 1 and r.random() < 0.5
        if split_flags:
            phys.append((f"{prefix} {flags[0]}", False))
            phys += [(f"    {f}", False) for f in flags[1:]]
            first = "    "
        else:
            first = " ".join([prefix, *flags]) + " "
        cindent = r.choice(["", "    "])
        for i, s in enumerate(steps):
            if isinstance(s, tuple):
                head, items = s
                frags = [head, *items] if (wrap and len(items) > 2) else [flat(s)]
            else:
                frags = [s]
            if i in comments and (i > 0 or split_flags):
                phys.append((f"{cindent}# {comments[i]}", True))
            for j, f in enumerate(frags):
                if i == 0 and j == 0:
                    text = first + f
                elif j == 0:
                    text = (f"    {joiner} " + f) if style == "lead" else ("    " + f)
                else:
                    text = "        " + f
                if j == len(frags) - 1 and i < len(steps) - 1:
                    if style == "trail":
                        text += f" {joiner}"
                    elif style == "semi":
                        text += ";"
                phys.append((text, False))
        last = max(k for k, (_, c) in enumerate(phys) if not c)
        for k, (t, c) in enumerate(phys):
            self.emit(t if (c or k == last) else f"{t} {self.esc}")

    def heredoc(
        self, head: str, body: list[str], tag: str = "EOF", dash: bool = False, quoted: bool = False, tail: str = ""
    ) -> None:
        op = "<<-" if dash else "<<"
        t = self.pick([f'"{tag}"', f"'{tag}'"]) if quoted else tag
        self.emit(f"{head} {op}{t}{(' ' + tail) if tail else ''}")
        for b in body:
            self.emit(("\t" + b) if (dash and b) else b)
        self.emit(tag)
        # hadolint (language-docker 12) needs a blank line after a heredoc before the next instruction.
        self.emit("")

    def text(self) -> str:
        out: list[str] = list(self.directives)
        if self.header:
            out += self.header + [""]
        if self.globals:
            out += self.globals + [""]
        out += self.body
        cleaned: list[str] = []
        for line in out:
            if line == "" and (not cleaned or cleaned[-1] == ""):
                continue
            cleaned.append(line)
        while cleaned and cleaned[-1] == "":
            cleaned.pop()
        return "\n".join(cleaned) + "\n"

    # -- building blocks --------------------------------------------------------------------------
    def image(self, repo: str, tag: str, var: str | None = None, var_value: str | None = None, hub: bool = True) -> str:
        """An image reference with realistic variation: ARG-driven tags, digests, mirrors, :latest."""
        if self.flaw(0.5):
            return repo if self.p(0.5) else f"{repo}:latest"
        if var and var_value and self.p(0.4):
            self.global_arg(var, var_value)
            form = self.pick(["${%s}", "$%s", "${%s}"]) % var
            tag = tag.replace(var_value, form, 1) if var_value in tag else tag
        ref = f"{repo}:{tag}"
        if self.quality == "good" and self.p(0.25) and "$" not in ref:
            ref += "@" + digest(self.rng)
        if hub and "/" not in repo and self.p(0.07):
            ref = self.pick(REG_PREFIXES) + ref
        elif hub and self.p(0.03):
            self.global_arg("REGISTRY", self.pick(["docker.io", "registry.example.com/mirror", "harbor.internal"]))
            ref = "${REGISTRY}/" + (ref if "/" in repo else "library/" + ref)
        return ref

    def pins(self, table: dict, names: list[str], sep: str = "=") -> list[str]:
        pin_p = {"good": 0.55, "mixed": 0.2, "poor": 0.0}[self.quality]
        pin = self.p(pin_p)
        out = []
        for n in names:
            if pin and n in table and self.p(0.9):
                out.append(f"{n}{sep}{table[n]}")
            else:
                out.append(n)
        return out

    def pkg_install(self, fam: str, names: list[str], extra_steps=(), comment: str | None = None, emit: bool = True):
        """Installs OS packages. Returns (steps, flags) when emit is False."""
        steps: list = []
        flags: list[str] = []
        sudo = "sudo " if self.flaw(0.15) else ""
        if fam == "deb":
            apt = "apt" if self.flaw(0.3) else "apt-get"
            cache_mount = self.modern and self.p(0.35)
            if cache_mount:
                flags = [
                    "--mount=type=cache,target=/var/cache/apt,sharing=locked",
                    "--mount=type=cache,target=/var/lib/apt,sharing=locked",
                ]
                if self.p(0.5):
                    steps.append("rm -f /etc/apt/apt.conf.d/docker-clean")
            steps.append(f"{sudo}{apt} update" + (" -qq" if self.p(0.1) else ""))
            if self.flaw(0.4):
                steps.append(f"{sudo}{apt} upgrade -y" if self.p(0.7) else f"{sudo}{apt} dist-upgrade -y")
            opts = []
            if not self.flaw(0.6):
                opts.append("-y" if self.p(0.85) else "--yes")
            if not self.flaw(1.2):
                opts.append("--no-install-recommends")
            if self.p(0.08):
                opts.append("-qq")
            steps.append((f"{sudo}{apt} install " + " ".join(opts), self.pins(DEB_PKGS, names)))
            steps += list(extra_steps)
            if not cache_mount and not self.flaw(1.2):
                if self.p(0.3):
                    steps.append(f"{apt} clean")
                steps.append("rm -rf /var/lib/apt/lists/*")
        elif fam == "apk":
            virtual = [n for n in names if n in ("build-base", "gcc", "g++", "musl-dev", "linux-headers", "make")]
            if self.flaw(0.8):
                steps.append(f"{sudo}apk update")
                steps.append((f"{sudo}apk add", self.pins(APK_PKGS, names)))
            elif virtual and self.p(0.4):
                rest = [n for n in names if n not in virtual]
                if rest:
                    steps.append(("apk add --no-cache", self.pins(APK_PKGS, rest)))
                steps.append(("apk add --no-cache --virtual .build-deps", self.pins(APK_PKGS, virtual)))
                steps += list(extra_steps)
                extra_steps = ()
                steps.append("apk del .build-deps")
            else:
                steps.append(("apk add --no-cache", self.pins(APK_PKGS, names)))
            steps += list(extra_steps)
        else:  # rpm
            if not self.rpm_tool:
                self.rpm_tool = self.pick(["microdnf", "dnf", "yum"])
            tool = self.rpm_tool
            opts = "" if self.flaw(0.5) else "-y "
            if tool == "microdnf":
                opts += "--nodocs " if self.p(0.6) else ""
            elif tool == "dnf":
                opts += "--setopt=install_weak_deps=False " if self.p(0.5) else ""
            steps.append((f"{tool} install {opts}".rstrip(), names))
            steps += list(extra_steps)
            if not self.flaw(1.2):
                steps.append(f"{tool} clean all")
                if tool == "yum" and self.p(0.5):
                    steps.append("rm -rf /var/cache/yum")
        if not emit:
            return steps, flags
        if comment:
            self.note(comment)
        if self.modern and fam != "win" and self.p(0.12):  # the same, as a heredoc script
            body = [flat(x) for x in steps]
            if self.p(0.5):
                body.insert(0, "set -eux")
            self.heredoc(" ".join(["RUN", *flags]), body, tag=self.pick(["EOF", "EOT"]), dash=False)
            return None
        self.run(steps, flags=flags)
        return None

    def add_user(self, fam: str, name: str, uid: int) -> str:
        """Emits a RUN creating a system user; returns the USER argument to use later."""
        if fam == "apk":
            if self.p(0.5):
                step = f"addgroup -S {name} && adduser -S -D -H -u {uid} -G {name} {name}"
            else:
                step = f"addgroup -g {uid} -S {name} && adduser -u {uid} -S {name} -G {name}"
        elif fam == "rpm":
            step = f'useradd -u {uid} -r -g 0 -d /opt/app -s /sbin/nologin -c "App user" {name}'
        else:
            l_flag = "" if self.flaw(0.8) else "-l "
            step = self.pick(
                [
                    f"groupadd -r {name} && useradd -r -g {name} {l_flag}-u {uid} -d /home/{name} -s /usr/sbin/nologin {name}",
                    f"groupadd --system --gid {uid} {name} && useradd --system --uid {uid} --gid {uid} {l_flag}--create-home {name}",
                    f"useradd {l_flag}--create-home --shell /bin/bash --uid {uid} {name}",
                    f"adduser --disabled-password --gecos '' --uid {uid} {name}",
                ]
            )
        self.note("run as an unprivileged user", 0.6)
        self.run([step])
        return self.pick([name, name, str(uid), f"{uid}:{uid}", f"{name}:{name}"])

    def user(self, user: str) -> None:
        """Final USER, or the flawed variants (none at all / root)."""
        self.note(self.pick(["drop privileges", "never run as root", "switch to the non-root user"]), 0.5)
        if self.flaw(1.5):
            if self.p(0.4):
                self.emit("USER root")
            return
        self.emit(f"USER {user}")

    def labels(self, title: str) -> None:
        r = self.rng
        style = r.random()
        if style < 0.35:
            return
        if style < 0.45:
            self.emit(f'LABEL maintainer="{title} team <{title}@example.com>"')
            return
        if style < 0.5 and self.flaw(2):
            self.emit(f"MAINTAINER {title} team <{title}@example.com>")
            return
        items = [
            f'org.opencontainers.image.title="{title}"',
            f'org.opencontainers.image.description="The {title} service"',
            'org.opencontainers.image.vendor="Example Corp"',
            'org.opencontainers.image.licenses="Apache-2.0"',
            f'org.opencontainers.image.source="https://github.com/example/{title}"',
            f'org.opencontainers.image.url="https://example.com/{title}"',
            'org.opencontainers.image.authors="platform@example.com"',
        ]
        items = items[: r.randint(3, len(items))]
        if self.p(0.35):
            v = self.global_arg("VERSION", None) if self.p(0.3) else None
            if v is None:
                self.emit("ARG VERSION=0.0.0-dev")
            else:
                self.emit("ARG VERSION")
            self.emit("ARG GIT_COMMIT=unknown")
            items.append('org.opencontainers.image.version="${VERSION}"')
            items.append("org.opencontainers.image.revision=$GIT_COMMIT")
        if self.p(0.25):
            for it in items:
                self.emit("LABEL " + it)
        else:
            self.emit("LABEL " + items[0] + f" {self.esc}")
            for k, it in enumerate(items[1:]):
                self.emit("      " + it + ("" if k == len(items) - 2 else f" {self.esc}"))

    def env_block(self, pairs: list[tuple[str, str]]) -> None:
        if not pairs:
            return
        r = self.rng
        if self.flaw(1.0) or self.p(0.05):  # legacy `ENV key value`
            for k, v in pairs:
                self.emit(f"ENV {k} {v}")
            return
        if len(pairs) == 1 or r.random() < 0.25:
            for k, v in pairs:
                self.emit(f"ENV {k}={v}")
        elif r.random() < 0.2 and len(pairs) <= 3:
            self.emit("ENV " + " ".join(f"{k}={v}" for k, v in pairs))
        else:
            self.emit(f"ENV {pairs[0][0]}={pairs[0][1]} {self.esc}")
            for k, (a, b) in enumerate(pairs[1:]):
                self.emit(f"    {a}={b}" + ("" if k == len(pairs) - 2 else f" {self.esc}"))

    def healthcheck(self, port: int, path: str = "/health", tool="curl") -> None:
        p = {"good": 0.65, "mixed": 0.25, "poor": 0.07}[self.quality]
        if not self.p(p):
            return
        opts = ""
        if self.p(0.7):
            opts = (
                " ".join(
                    f"--{k}={v}"
                    for k, v in [
                        ("interval", self.pick(["10s", "30s", "1m"])),
                        ("timeout", self.pick(["3s", "5s", "10s"])),
                        ("start-period", self.pick(["5s", "20s", "60s"])),
                        ("retries", self.pick(["3", "5"])),
                    ]
                    if self.p(0.8)
                )
                + " "
            )
        url = f"http://localhost:{port}{path}"
        if tool == "wget":
            cmd = (
                f"wget -qO- {url} || exit 1" if self.p(0.5) else f"wget --no-verbose --tries=1 --spider {url} || exit 1"
            )
        elif tool == "none":
            self.emit("HEALTHCHECK NONE")
            return
        elif isinstance(tool, list):  # exec form
            cmd = "[" + ", ".join('"' + a.replace('"', '\\"') + '"' for a in tool) + "]"
        else:
            cmd = f"curl -fsS {url} || exit 1" if self.p(0.6) else f'["curl", "-f", "{url}"]'
        if len(opts) > 40 and self.p(0.4):
            self.emit(f"HEALTHCHECK {opts.strip()} {self.esc}")
            self.emit(f"    CMD {cmd}")
        else:
            self.emit(f"HEALTHCHECK {opts}CMD {cmd}")

    def cmd(self, argv: list[str], entrypoint: list[str] | None = None) -> None:
        def exec_form(a):
            return "[" + ", ".join('"' + x.replace('"', '\\"') + '"' for x in a) + "]"

        shell = self.flaw(1.0) and not argv[0].startswith("-")  # `CMD --x` would parse as a flag
        if entrypoint:
            self.emit("ENTRYPOINT " + (" ".join(entrypoint) if shell and self.p(0.5) else exec_form(entrypoint)))
        if self.flaw(0.2):  # a stray extra CMD that the later one overrides
            self.emit("CMD " + exec_form(["sh"]))
        self.emit("CMD " + (" ".join(argv) if shell else exec_form(argv)))

    def secrets(self, p: float = 0.5) -> None:
        if not self.flaw(p):
            return
        pairs = self.sample(FAKE_SECRETS, 1, 3)
        if self.p(0.3):
            for k, v in pairs:
                self.emit(f"ARG {k}={v}")
        else:
            self.env_block([(k, v) for k, v in pairs])

    def sloppy_extras(self, fam: str, workdir: str) -> None:
        """Misc bad practice: curl|sh, chmod 777, cd, ADD URL, sudo."""
        if self.flaw(0.5):
            self.run([self.pick(INSTALLERS)[1]])
        if self.flaw(0.4):
            self.run([f"chmod -R 777 {workdir}" if self.p(0.6) else "chmod 777 /tmp/app.sock || true"])
        if self.flaw(0.3):
            self.emit(
                "ADD "
                + self.pick(
                    [
                        "https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini",
                        "https://raw.githubusercontent.com/vishnubob/wait-for-it/master/wait-for-it.sh /usr/local/bin/",
                        "https://dl.example.com/tools/agent-latest.tar.gz /opt/",
                        "config.tar.gz /etc/app/",
                        "scripts/ /usr/local/bin/",
                    ]
                )
            )
        if self.flaw(0.3):
            self.run([f"cd {workdir}", self.pick(["make install", "./configure && make", "ls -la", "sh ./setup.sh"])])
        if self.flaw(0.15) and fam == "deb":
            self.run(["echo 'app ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers"])
        if self.flaw(0.1):
            self.emit("EXPOSE 22")

    def app_extras(self, fam: str, workdir: str, port: int = 8080) -> None:
        """A few of the many small things real final stages do; also makes files ARG-heavy."""
        r = self.rng
        if self.argy:
            self.emit(f"ARG APP_UID={r.choice([1000, 1001, 10001])}", f"ARG APP_PORT={port}")
            if self.p(0.5):
                self.emit("ARG APP_ENV=production")
            pairs = [("PORT", "${APP_PORT}"), ("APP_ENV", "${APP_ENV:-production}")]
            if self.p(0.5):
                pairs.append(("LOG_LEVEL", "${LOG_LEVEL:-info}"))
            self.env_block(pairs)
        choices = [
            "tz",
            "dirs",
            "env",
            "config",
            "shc",
            "volume",
            "tini",
            "locale",
            "heredoc",
            "stopsignal",
            "label",
            "heredoc-run",
        ]
        for what in self.sample(choices, 1, 6):
            if what == "tz" and fam in ("deb", "apk"):
                self.note("timezone", 0.5)
                self.run(["ln -snf /usr/share/zoneinfo/$TZ /etc/localtime", "echo $TZ > /etc/timezone"]) if self.p(
                    0.5
                ) else self.env_block([("TZ", self.pick(["UTC", "Etc/UTC", "Europe/Paris"]))])
            elif what == "dirs":
                dirs = self.sample(
                    ["/data", "/var/log/app", "/tmp/cache", f"{workdir}/uploads", f"{workdir}/tmp", "/run/app"], 1, 4
                )
                self.run(
                    [
                        f"mkdir -p {' '.join(dirs)}",
                        f"chown -R ${{APP_UID:-1000}}:0 {' '.join(dirs)}"
                        if self.argy
                        else f"chmod g+rwX {' '.join(dirs)}",
                    ]
                )
            elif what == "env":
                self.env_block(
                    self.sample(
                        [
                            ("LOG_LEVEL", "info"),
                            ("LOG_FORMAT", "json"),
                            ("PORT", str(port)),
                            ("HOST", "0.0.0.0"),
                            ("APP_HOME", workdir),
                            ("WORKERS", "4"),
                            ("MALLOC_ARENA_MAX", "2"),
                            ("OTEL_SERVICE_NAME", self.pick(WORDS)),
                        ],
                        1,
                        5,
                    )
                )
            elif what == "config":
                self.copy(
                    self.pick(["config/production.yaml", "conf/app.toml", "settings.ini", "config/"]),
                    self.pick(["/etc/app/", f"{workdir}/config/"]),
                    chmod="0644" if self.modern and self.p(0.4) else None,
                )
            elif what == "shc":
                self.run(
                    [
                        self.pick(
                            [
                                "sh -c 'echo \"export PATH=$PATH:/opt/bin\" >> /etc/profile'",
                                "sh -c 'umask 0027 && mkdir -p /var/lib/app'",
                                "/bin/sh -c 'if [ -f /etc/os-release ]; then cat /etc/os-release; fi'",
                                "bash -c 'set -o pipefail && ls -1 /usr/local/bin | wc -l'",
                            ]
                        )
                    ]
                )
            elif what == "volume":
                self.emit(
                    "VOLUME " + self.pick(['["/data"]', "/data", '["/var/log/app", "/tmp/cache"]', "/var/lib/app"])
                )
            elif what == "tini" and fam != "win":
                self.emit("ENV TINI_VERSION=v0.19.0")
                if self.flaw(2):
                    self.emit("ADD https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini /tini")
                    self.run(["chmod +x /tini"])
                else:
                    self.run(
                        [
                            "curl -fsSLo /tini https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini",
                            "chmod +x /tini",
                        ]
                    )
            elif what == "locale" and fam == "deb":
                self.run(["sed -i '/en_US.UTF-8/s/^# //g' /etc/locale.gen", "locale-gen"])
                self.env_block([("LANG", "en_US.UTF-8"), ("LANGUAGE", "en_US:en"), ("LC_ALL", "en_US.UTF-8")])
            elif what == "heredoc" and self.modern:
                self.heredoc(
                    "COPY",
                    [
                        "#!/bin/sh",
                        "set -e",
                        "# wait for the database, then start",
                        'until nc -z "${DB_HOST:-db}" "${DB_PORT:-5432}"; do sleep 1; done',
                        'exec "$@"',
                    ],
                    tag="EOF",
                    quoted=self.p(0.5),
                    tail="/usr/local/bin/wait-for-db",
                )
                self.run(["chmod +x /usr/local/bin/wait-for-db"])
            elif what == "heredoc-run" and self.modern:
                body = [
                    "set -eux",
                    f"mkdir -p {workdir}/tmp /var/cache/app",
                    "# keep the image small",
                    "rm -rf /tmp/* /var/tmp/*",
                ]
                if fam == "deb":
                    body += ["if [ -d /var/lib/apt/lists ]; then", "\trm -rf /var/lib/apt/lists/*", "fi"]
                self.heredoc(
                    "RUN",
                    body,
                    tag=self.pick(["EOF", "EOT", "SH"]),
                    dash=self.p(0.4),
                    tail=self.pick(["", "", "bash", "sh -e"]),
                )
            elif what == "stopsignal":
                self.emit("STOPSIGNAL " + self.pick(["SIGTERM", "SIGINT", "SIGQUIT", "15"]))
            elif what == "label":
                self.emit(
                    f'LABEL com.example.team="{self.pick(WORDS)}" com.example.tier="{self.pick(["backend", "frontend", "batch"])}"'
                )

    def workdir(self, path: str) -> None:
        self.note(self.pick(["all paths below are relative to the app directory", "set the working directory"]), 0.3)
        self.emit(f"WORKDIR {path.lstrip('/')}" if self.flaw(0.3) else f"WORKDIR {path}")

    def copy(
        self,
        src: str,
        dst: str,
        frm: str | None = None,
        chown: str | None = None,
        chmod: str | None = None,
        link: bool | None = None,
        json_form: bool = False,
    ) -> None:
        parts = ["COPY"]
        if frm is not None:
            parts.append(f"--from={frm}")
        if chown:
            parts.append(f"--chown={chown}")
        if chmod:
            parts.append(f"--chmod={chmod}")
        if link is None:
            link = self.modern and self.p(0.3)
        if link:
            parts.append("--link")
        if json_form:
            parts.append(f'["{src}", "{dst}"]')
        else:
            parts += [src, dst]
        self.emit(" ".join(parts))


# --------------------------------------------------------------------------------------------------
# Dockerfiles: ecosystems.  Each one writes into `d` and returns a small meta dict.
# --------------------------------------------------------------------------------------------------


STAGE_NOTES = {
    "builder": "Build stage",
    "build": "Build stage",
    "deps": "Install dependencies only when needed",
    "base": "Base image with runtime dependencies",
    "test": "Run the test suite",
    "lint": "Lint",
    "runtime": "Runtime image",
    "runner": "Production image, copy all the files and run",
    "final": "Final image",
    "production": "Production image",
    "planner": "Compute the dependency recipe",
    "chef": "cargo-chef base",
    "vendor": "Composer dependencies",
    "assets": "Front-end assets",
    "extract": "Extract the layered jar",
    "publish": "Publish",
    "go-builder": "Compile",
}


def deb_or_alpine(d: DF, variants: list[str]) -> tuple[str, str]:
    v = d.pick(variants)
    return v, ("apk" if "alpine" in v else "deb")


def eco_python(d: DF) -> dict:
    ver = d.pick(["3.8", "3.9", "3.10", "3.11", "3.12", "3.12", "3.13"])
    variant, fam = deb_or_alpine(
        d, ["slim", "slim", "slim-bookworm", "slim-bullseye", "alpine", "alpine3.19", "bookworm", ""]
    )
    tag = f"{ver}-{variant}" if variant else ver
    ref = d.image("python", tag, "PYTHON_VERSION", ver)
    fw = d.pick(["django", "flask", "fastapi", "fastapi", "worker", "cli"])
    inst = d.pick(["pip", "pip", "venv", "poetry", "uv", "pipenv"])
    port = {"django": 8000, "flask": 5000, "fastapi": 8000}.get(fw, 8080)
    name = d.pick(WORDS)
    build_pkgs = (
        ["gcc", "libpq-dev", "libffi-dev"]
        if fam == "deb"
        else ["build-base", "postgresql-dev", "libffi-dev", "musl-dev"]
    )
    run_pkgs = ["libpq5", "tini"] if fam == "deb" else ["libpq", "tini"]
    env = [("PYTHONDONTWRITEBYTECODE", "1"), ("PYTHONUNBUFFERED", "1")]
    if d.p(0.6):
        env += [("PIP_NO_CACHE_DIR", "1"), ("PIP_DISABLE_PIP_VERSION_CHECK", "1")]
    if d.p(0.3):
        env.append(("PYTHONFAULTHANDLER", "1"))
    nocache = "" if d.flaw(1.0) else " --no-cache-dir"
    mount = ["--mount=type=cache,target=/root/.cache/pip"] if d.modern and d.p(0.5) else []

    def deps_install(target: str | None) -> None:
        if inst == "poetry":
            pv = "" if d.flaw() else "==1.8.3"
            d.env_block(
                [
                    ("POETRY_NO_INTERACTION", "1"),
                    ("POETRY_VIRTUALENVS_IN_PROJECT", "1"),
                    ("POETRY_VIRTUALENVS_CREATE", "1"),
                    ("POETRY_CACHE_DIR", "/tmp/poetry_cache"),
                ]
            )
            if d.flaw(0.6):
                d.run([INSTALLERS[2][1]])
            else:
                d.run([f"pip install{nocache} poetry{pv}"])
            d.copy("pyproject.toml poetry.lock", "./")
            d.run(
                [
                    "poetry install --only main --no-root" + (" --no-ansi" if d.p(0.5) else ""),
                    "rm -rf $POETRY_CACHE_DIR",
                ],
                flags=mount,
            )
        elif inst == "uv":
            d.copy("/uv /uvx", "/bin/", frm="ghcr.io/astral-sh/uv:" + d.pick(["0.4.18", "0.5.4", "latest"]), link=False)
            d.env_block([("UV_COMPILE_BYTECODE", "1"), ("UV_LINK_MODE", "copy")])
            d.run(
                ["uv sync --frozen --no-install-project --no-dev"],
                flags=[
                    "--mount=type=cache,target=/root/.cache/uv",
                    "--mount=type=bind,source=uv.lock,target=uv.lock",
                    "--mount=type=bind,source=pyproject.toml,target=pyproject.toml",
                ]
                if d.modern
                else [],
            )
            if not d.modern:
                d.emit("COPY pyproject.toml uv.lock ./")
                d.run(["uv sync --frozen --no-install-project --no-dev"])
        elif inst == "pipenv":
            d.run([f"pip install{nocache} pipenv" + ("" if d.flaw() else "==2023.12.1")])
            d.copy("Pipfile Pipfile.lock", "./")
            d.run(["pipenv install --system --deploy" + (" --ignore-pipfile" if d.p(0.4) else "")])
        else:
            req = "requirements.txt" if d.p(0.6) else "/tmp/requirements.txt"
            d.copy("requirements.txt", "." if req == "requirements.txt" else req)
            if target == "wheels":
                d.run([f"pip wheel --no-deps --wheel-dir /wheels -r {req}"], flags=mount)
            elif d.flaw(0.8):
                d.run(
                    [
                        f"pip install{nocache} "
                        + " ".join(
                            d.sample(
                                [
                                    "flask",
                                    "gunicorn",
                                    "requests",
                                    "psycopg2-binary",
                                    "celery",
                                    "redis",
                                    "boto3",
                                    "pandas",
                                    "numpy",
                                    "pydantic",
                                    "sqlalchemy",
                                ],
                                2,
                                6,
                            )
                        )
                    ]
                )
            else:
                steps = []
                if d.p(0.4):
                    steps.append(f"pip install{nocache} --upgrade pip" + ("" if d.flaw() else "==24.0"))
                steps.append(f"pip install{nocache} -r {req}")
                d.run(steps, flags=mount)

    multi = d.p(0.55)
    workdir = d.pick(["/app", "/app", "/srv/app", "/code", "/usr/src/app", "/opt/" + name])
    if multi:
        builder_ref = ref
        d.from_(builder_ref, d.pick(["builder", "build", "deps", "base"]))
        b_alias = d.stages[-1]
        if d.global_names and d.p(0.5):
            d.emit(f"ARG {d.global_names[0]}")
        d.env_block(env)
        d.pkg_install(fam, build_pkgs, comment="build dependencies for wheels with C extensions")
        d.workdir(workdir)
        use_venv = inst in ("pip", "venv") and d.p(0.6)
        if use_venv:
            d.run(["python -m venv /opt/venv"])
            d.env_block([("PATH", '"/opt/venv/bin:$PATH"')])
            deps_install(None)
        elif inst == "pip":
            deps_install("wheels")
        else:
            deps_install(None)
        if d.p(0.3):
            d.from_(b_alias, "test")
            d.copy("requirements-dev.txt", ".")
            d.run([f"pip install{nocache} -r requirements-dev.txt"])
            d.copy(".", ".")
            d.run(["python -m pytest -q" + (" --maxfail=1" if d.p(0.5) else "")])
        d.from_(ref, d.pick(["runtime", "final", "production", "app"]) if d.p(0.7) else None)
        d.env_block(env[:2])
        d.pkg_install(fam, run_pkgs)
        d.workdir(workdir)
        uname = d.pick(["app", "appuser", "python", "nonroot", name])
        uid = d.pick([1000, 1001, 10001, 999, 65532])
        u = d.add_user(fam, uname, uid)
        if use_venv or inst in ("poetry", "uv"):
            src = "/opt/venv" if use_venv else f"{workdir}/.venv"
            d.copy(src, src, frm=d.stage_ref(b_alias), chown=None if d.flaw() else f"{uname}:{uname}")
            d.env_block([("PATH", f'"{src}/bin:$PATH"')])
        elif inst == "pip":
            d.copy("/wheels", "/wheels", frm=d.stage_ref(b_alias))
            d.run([f"pip install{nocache} /wheels/*", "rm -rf /wheels"])
        else:
            d.copy("/usr/local/lib/python3*/site-packages", "/usr/local/lib/", frm=d.stage_ref(b_alias))
        d.copy(".", ".", chown=None if d.flaw() else f"{uname}:{uname}")
    else:
        d.from_(ref)
        d.labels(name)
        d.env_block(env)
        d.pkg_install(fam, d.sample(build_pkgs + run_pkgs + ["curl", "git"], 2, 5))
        d.workdir(workdir)
        deps_install(None)
        d.copy(".", "." if d.p(0.7) else workdir)
        u = None
        if d.p(0.6):
            uname = d.pick(["app", "appuser", "django", "web"])
            u = d.add_user(fam, uname, d.pick([1000, 1001, 10001]))
            if d.p(0.4):
                d.run([f"chown -R {uname}:{uname} {workdir}"])
    d.app_extras(fam, workdir, port)
    d.secrets()
    d.sloppy_extras(fam, workdir)
    if fw == "django":
        d.run(["python manage.py collectstatic --noinput"])
    if u:
        d.user(u)
    elif d.p(0.1):
        d.emit("USER nobody")
    if fw not in ("worker", "cli"):
        d.emit(f"EXPOSE {port}")
    d.healthcheck(
        port,
        "/healthz" if d.p(0.5) else "/health",
        tool=d.pick(
            [
                "curl",
                ["python", "-c", f"import urllib.request; urllib.request.urlopen('http://localhost:{port}/health')"],
            ]
        )
        if fw != "cli"
        else "none",
    )
    if fw == "django":
        argv = ["gunicorn", "--bind", f"0.0.0.0:{port}", "--workers", "3", f"{name}.wsgi:application"]
    elif fw == "flask":
        argv = ["gunicorn", "-b", f"0.0.0.0:{port}", "app:app"] if d.p(0.7) else ["flask", "run", "--host=0.0.0.0"]
    elif fw == "fastapi":
        argv = ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", str(port)]
    elif fw == "worker":
        argv = ["celery", "-A", name, "worker", "--loglevel=info"]
    else:
        argv = ["--help"]
        d.cmd(argv, entrypoint=["python", "-m", name])
        return {"eco": "python", "fam": fam}
    d.cmd(argv, entrypoint=["tini", "--"] if d.p(0.2) else None)
    return {"eco": "python", "fam": fam}


def eco_node(d: DF) -> dict:
    ver = d.pick(["18", "20", "20", "22", "lts", "20.11.1", "21"])
    variant, fam = deb_or_alpine(d, ["alpine", "alpine", "alpine3.19", "slim", "bookworm-slim", "bullseye", ""])
    tag = f"{ver}-{variant}" if variant else ver
    ref = d.image("node", tag, "NODE_VERSION", ver)
    pm = d.pick(["npm", "npm", "yarn", "pnpm"])
    app = d.pick(["express", "next", "nest", "vite-ssr"])
    port = d.pick([3000, 3000, 8080, 4000])
    name = d.pick(WORDS)
    lock = {"npm": "package-lock.json", "yarn": "yarn.lock", "pnpm": "pnpm-lock.yaml"}[pm]
    mount = {"npm": "/root/.npm", "yarn": "/usr/local/share/.cache/yarn", "pnpm": "/pnpm/store"}[pm]

    def install(prod: bool) -> None:
        flags = [f"--mount=type=cache,target={mount}"] if d.modern and d.p(0.5) else []
        if pm == "npm":
            if d.flaw():
                cmd = "npm install" + (" --production" if prod else "")
            else:
                cmd = "npm ci" + (" --omit=dev" if prod else "") + (" --no-audit --no-fund" if d.p(0.3) else "")
            steps = [cmd]
            if d.p(0.2):
                steps.append("npm cache clean --force")
        elif pm == "yarn":
            steps = [
                "yarn install --frozen-lockfile" + (" --production" if prod else "")
                if d.p(0.7)
                else "yarn install --immutable"
            ]
            if d.p(0.3):
                steps.append("yarn cache clean")
        else:
            steps = ["corepack enable", "pnpm install --frozen-lockfile" + (" --prod" if prod else "")]
            if not flags and d.p(0.5):
                steps = ["npm install -g pnpm" + ("" if d.flaw() else "@8.15.5"), steps[1]]
        if d.flaw(0.4):
            d.emit("ARG NPM_TOKEN")
            steps.insert(0, 'echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc')
            steps.append("rm -f .npmrc")
        d.run(steps, flags=flags)

    multi = d.p(0.6)
    if multi:
        three = d.p(0.5)
        d.from_(ref, "deps")
        if fam == "apk" and d.p(0.5):
            d.note("https://github.com/nodejs/docker-node#nodealpine")
            d.pkg_install("apk", ["libc6-compat"])
        d.workdir("/app")
        d.copy(f"package.json {lock}" if d.p(0.6) else "package*.json", "./")
        install(prod=three)
        if three:
            d.from_(ref, "builder")
            d.workdir("/app")
            d.copy("/app/node_modules", "./node_modules", frm=d.stage_ref("deps"))
            b = "builder"
        else:
            b = "deps"
        d.copy(".", ".")
        if app == "next":
            d.env_block([("NEXT_TELEMETRY_DISABLED", "1")])
        d.run([f"{'npm run' if pm == 'npm' else pm} build"])
        if not three and d.p(0.5):
            d.run(
                [
                    "npm prune --omit=dev"
                    if pm == "npm"
                    else f"{pm} install --production --ignore-scripts --prefer-offline"
                ]
            )
        final_alias = d.pick(["runner", "runtime", "release", None])
        major = ver.split(".")[0] if ver.split(".")[0] in ("18", "20", "22") else "20"
        d.from_(
            ref if d.p(0.7) else d.image(f"gcr.io/distroless/nodejs{major}-debian12", "nonroot", hub=False), final_alias
        )
        distroless = "distroless" in d.body[-1]
        d.workdir("/app")
        d.env_block([("NODE_ENV", "production")] + ([("PORT", str(port))] if d.p(0.5) else []))
        user = "node" if not distroless else "nonroot"
        if app == "next":
            d.copy("/app/public", "./public", frm=b)
            d.copy("/app/.next/standalone", "./", frm=b, chown=f"{user}:{user}" if not d.flaw() else None)
            d.copy("/app/.next/static", "./.next/static", frm=b, chown=f"{user}:{user}" if not d.flaw() else None)
            entry = ["node", "server.js"]
        else:
            if three:
                d.copy(
                    "/app/node_modules",
                    "./node_modules",
                    frm=d.stage_ref("deps"),
                    chown=None if d.flaw() else f"{user}:{user}",
                )
            else:
                d.copy("/app/node_modules", "./node_modules", frm=d.stage_ref(b))
            d.copy("/app/dist", "./dist", frm=d.stage_ref(b), chown=None if d.flaw() else f"{user}:{user}")
            d.copy("package.json", "./")
            entry = ["node", "dist/main.js" if app == "nest" else "dist/server.js"]
        if distroless:
            entry = entry[1:]
    else:
        d.from_(ref)
        d.labels(name)
        if d.p(0.3):
            d.pkg_install(fam, ["python3", "make", "g++"] if d.p(0.5) else ["git", "curl", "tini"])
        d.workdir(d.pick(["/app", "/usr/src/app", "/home/node/app"]))
        d.env_block([("NODE_ENV", "production")] if d.p(0.6) else [])
        d.copy("package*.json", "./")
        install(prod=True)
        d.copy(".", ".", chown=None if d.p(0.6) else "node:node")
        if d.p(0.4):
            d.run([f"{'npm run' if pm == 'npm' else pm} build"])
        user = "node"
        entry = ["node", d.pick(["index.js", "server.js", "src/index.js", "app.js"])]
        if d.flaw():
            entry = ["npm", "start"]
        if d.p(0.05):  # a reusable "onbuild" base
            d.emit("ONBUILD COPY package*.json ./", "ONBUILD RUN npm ci --omit=dev", "ONBUILD COPY . .")
    d.app_extras(fam, "/app", port)
    d.secrets()
    d.sloppy_extras(fam, "/app")
    d.user(user)
    d.emit(f"EXPOSE {port}")
    d.healthcheck(port, "/health", tool="wget" if fam == "apk" else d.pick(["curl", ["node", "healthcheck.js"]]))
    if d.p(0.1):
        d.emit("STOPSIGNAL SIGTERM")
    d.cmd(entry, entrypoint=["dumb-init", "--"] if d.p(0.1) else None)
    return {"eco": "node", "fam": fam}


def eco_go(d: DF) -> dict:
    ver = d.pick(["1.20", "1.21", "1.22", "1.22", "1.23"])
    variant, fam = deb_or_alpine(d, ["alpine", "alpine", "alpine3.19", "bookworm", ""])
    tag = f"{ver}-{variant}" if variant else ver
    ref = d.image("golang", tag, "GO_VERSION", ver)
    name = d.pick(WORDS)
    port = d.pick([8080, 8080, 9090, 8000])
    cross = d.modern and d.p(0.4)
    d.from_(ref, d.pick(["builder", "build", "go-builder"]), platform="$BUILDPLATFORM" if cross else None)
    b = d.stages[-1]
    if cross:
        d.emit("ARG TARGETOS", "ARG TARGETARCH")
    if d.p(0.4):
        d.emit("ARG VERSION=dev")
    d.pkg_install(fam, ["git", "ca-certificates"] + (["make"] if d.p(0.3) else []) + (["tzdata"] if d.p(0.3) else []))
    d.workdir(d.pick(["/src", "/app", f"/go/src/github.com/example/{name}", "/build"]))
    mounts = ["--mount=type=cache,target=/go/pkg/mod"] if d.modern and d.p(0.7) else []
    d.copy("go.mod go.sum", "./")
    d.run(["go mod download" + (" -x" if d.p(0.1) else "")] + (["go mod verify"] if d.p(0.3) else []), flags=mounts)
    d.copy(".", ".")
    env = "CGO_ENABLED=0 " + (
        "GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH} " if cross else ("GOOS=linux " if d.p(0.6) else "")
    )
    ld = '-ldflags="-s -w' + (' -X main.version=${VERSION}"' if "ARG VERSION=dev" in d.body else '"')
    build = (
        f"{env}go build -trimpath {ld} -o /out/{name} ./cmd/{name}" if d.p(0.7) else f"{env}go build -o /out/{name} ."
    )
    if d.flaw(0.5):
        d.run(["go install github.com/swaggo/swag/cmd/swag@latest", "swag init"])
    if d.modern and d.p(0.6):
        d.run([build], flags=mounts + ["--mount=type=cache,target=/root/.cache/go-build"])
    else:
        d.run([build])
    if d.p(0.25):
        d.from_(b, "test")
        d.run(["go vet ./...", "go test -race -count=1 ./..."] if d.p(0.5) else ["go test ./..."])
    if d.p(0.15):
        d.from_(d.image("golangci/golangci-lint", "v1.57.2", hub=False), "lint")
        d.workdir("/src")
        d.copy(".", ".")
        d.run(["golangci-lint run --timeout=5m"])
    final = d.pick(["scratch", "distroless", "distroless", "alpine", "debian"])
    user = None
    if final == "scratch":
        d.from_("scratch")
        d.copy("/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/", frm=d.stage_ref(b))
        if d.p(0.4):
            d.copy("/usr/share/zoneinfo", "/usr/share/zoneinfo", frm=d.stage_ref(b))
        user = d.pick(["65534:65534", "65534", "10001"])
        ffam = None
    elif final == "distroless":
        d.from_(
            d.image(
                "gcr.io/distroless/" + d.pick(["static-debian12", "static", "base-debian12"]),
                d.pick(["nonroot", "latest", "debug-nonroot"]),
                hub=False,
            )
        )
        user = "nonroot:nonroot"
        ffam = None
    elif final == "alpine":
        d.from_(d.image("alpine", d.pick(["3.18", "3.19", "3.20"]), "ALPINE_VERSION", None))
        d.pkg_install("apk", ["ca-certificates", "tzdata"])
        user = d.add_user("apk", "app", 10001)
        ffam = "apk"
    else:
        d.from_(d.image("debian", d.pick(["bookworm-slim", "12-slim", "bullseye-slim"])))
        d.pkg_install("deb", ["ca-certificates"])
        user = d.add_user("deb", "app", 10001)
        ffam = "deb"
    d.copy(f"/out/{name}", f"/usr/local/bin/{name}" if final != "scratch" else f"/{name}", frm=d.stage_ref(b))
    if ffam:
        d.app_extras(ffam, "/app", port)
        d.secrets()
        d.sloppy_extras(ffam, "/app")
    d.user(user)
    d.emit(f"EXPOSE {port}")
    if final in ("alpine", "debian"):
        d.healthcheck(port, "/healthz", "wget" if ffam == "apk" else "curl")
    elif d.p(0.2):
        d.healthcheck(port, "/healthz", [f"/usr/local/bin/{name}" if final != "scratch" else f"/{name}", "healthcheck"])
    bin_path = f"/usr/local/bin/{name}" if final != "scratch" else f"/{name}"
    d.emit(f'ENTRYPOINT ["{bin_path}"]')
    if d.p(0.4):
        d.emit('CMD ["serve", "--port", "%d"]' % port)
    return {"eco": "go", "fam": fam}


def eco_java(d: DF) -> dict:
    jdk = d.pick(["17", "21", "21", "11"])
    tool = d.pick(["maven", "maven", "gradle"])
    name = d.pick(WORDS)
    if tool == "maven":
        bref = d.image(
            "maven", f"3.9-eclipse-temurin-{jdk}" if d.p(0.7) else f"3.9.6-amazoncorretto-{jdk}", "JAVA_VERSION", jdk
        )
    else:
        bref = d.image("gradle", f"8.7-jdk{jdk}" if d.p(0.7) else f"8.5-jdk{jdk}-alpine", "JAVA_VERSION", jdk)
    rbase = d.pick(
        [
            ("eclipse-temurin", f"{jdk}-jre", "deb"),
            ("eclipse-temurin", f"{jdk}-jre-alpine", "apk"),
            ("amazoncorretto", f"{jdk}-alpine", "apk"),
            ("amazoncorretto", jdk, "rpm"),
            ("openjdk", f"{jdk}-jre-slim", "deb"),
            ("registry.access.redhat.com/ubi9/openjdk-" + jdk + "-runtime", "1.18", "rpm"),
        ]
    )
    layered = d.p(0.3)
    d.from_(bref, "build")
    d.workdir(d.pick(["/workspace/app", "/build", "/app", "/usr/src/app"]))
    m2 = ["--mount=type=cache,target=/root/.m2"] if tool == "maven" and d.modern and d.p(0.6) else []
    gr = ["--mount=type=cache,target=/home/gradle/.gradle"] if tool == "gradle" and d.modern and d.p(0.6) else []
    if tool == "maven":
        d.copy("pom.xml", ".")
        if d.p(0.5):
            d.copy(".mvn", ".mvn")
            d.copy("mvnw", ".")
        d.run(["mvn -B -q dependency:go-offline" + (" -DskipTests" if d.p(0.3) else "")], flags=m2)
        d.copy("src", "./src")
        d.run(["mvn -B package -DskipTests" + (" -Dmaven.javadoc.skip=true" if d.p(0.3) else "")], flags=m2)
        jar = "target/*.jar"
    else:
        d.copy("build.gradle.kts settings.gradle.kts" if d.p(0.5) else "build.gradle settings.gradle", "./")
        d.copy("gradle", "gradle")
        d.run(["gradle dependencies --no-daemon" if d.p(0.5) else "./gradlew dependencies --no-daemon"], flags=gr)
        d.copy("src", "src")
        d.run(["gradle bootJar --no-daemon -x test"], flags=gr)
        jar = "build/libs/*.jar"
    wd = [line for line in d.body if line.startswith("WORKDIR")][-1].split()[1]
    if layered:
        d.from_(bref if d.p(0.5) else d.image(rbase[0], rbase[1], hub="/" not in rbase[0]), "extract")
        d.workdir("/extract")
        d.copy(f"{wd}/{jar}", "app.jar", frm=d.stage_ref("build"))
        d.run(["java -Djarmode=layertools -jar app.jar extract"])
    d.from_(d.image(rbase[0], rbase[1], hub="/" not in rbase[0]), d.pick(["runtime", None, "final"]))
    d.labels(name)
    fam = rbase[2]
    if fam == "rpm":
        d.rpm_tool = "yum"  # amazoncorretto is Amazon Linux 2
    if fam == "rpm" and "ubi" in rbase[0]:
        user = "185"
    else:
        if d.p(0.4):
            d.pkg_install(fam, ["curl"] if fam != "rpm" else ["shadow-utils"])
        user = d.add_user(fam, d.pick(["spring", "app", "java"]), d.pick([1000, 1001, 10001]))
    d.workdir("/app")
    if layered:
        for part in ["dependencies", "spring-boot-loader", "snapshot-dependencies", "application"]:
            d.copy(f"/extract/{part}/", "./", frm=d.stage_ref("extract"))
        entry = ["java", "org.springframework.boot.loader.launch.JarLauncher"]
    else:
        d.copy(f"{wd}/{jar}", "app.jar", frm=d.stage_ref("build"))
        entry = None
    d.env_block(
        [
            (
                "JAVA_OPTS",
                d.pick(
                    [
                        '"-XX:MaxRAMPercentage=75.0"',
                        '"-Xms256m -Xmx512m"',
                        '"-XX:+UseContainerSupport -XX:MaxRAMPercentage=80"',
                    ]
                ),
            ),
            ("SERVER_PORT", "8080"),
        ][: d.rng.randint(1, 2)]
    )
    d.app_extras(fam, "/app", 8080)
    d.secrets()
    d.sloppy_extras(fam, "/app")
    d.user(user)
    d.emit("EXPOSE 8080" if d.p(0.8) else "EXPOSE 8080 8081")
    d.healthcheck(8080, "/actuator/health", "wget" if fam == "apk" else "curl")
    if entry:
        d.emit("ENTRYPOINT [" + ", ".join(f'"{a}"' for a in entry) + "]")
    elif d.p(0.5):
        d.emit('ENTRYPOINT ["sh", "-c", "java $JAVA_OPTS -jar /app/app.jar"]')
    else:
        d.cmd(["java", "-jar", "/app/app.jar"])
    return {"eco": "java", "fam": fam}


def eco_rust(d: DF) -> dict:
    ver = d.pick(["1.75", "1.77", "1.78", "1.79", "1.80"])
    variant, fam = deb_or_alpine(d, ["slim-bookworm", "slim", "bookworm", "alpine", ""])
    tag = f"{ver}-{variant}" if variant else ver
    ref = d.image("rust", tag, "RUST_VERSION", ver)
    name = d.pick(WORDS)
    chef = d.p(0.35)
    if chef:
        d.from_(ref, "chef")
        d.run(["cargo install cargo-chef --locked" + ("" if d.flaw() else " --version 0.1.66")])
        d.workdir("/app")
        d.from_("chef", "planner")
        d.copy(".", ".")
        d.run(["cargo chef prepare --recipe-path recipe.json"])
        d.from_("chef", "builder")
        if fam == "apk":
            d.pkg_install("apk", ["musl-dev", "make"])
        d.copy("/app/recipe.json", "recipe.json", frm=d.stage_ref("planner"))
        d.run(["cargo chef cook --release --recipe-path recipe.json"])
        d.copy(".", ".")
        d.run([f"cargo build --release --locked --bin {name}"])
        out = f"/app/target/release/{name}"
        b = "builder"
    else:
        d.from_(ref, "builder")
        b = "builder"
        if fam == "apk":
            d.pkg_install("apk", ["musl-dev", "make"])
        else:
            d.pkg_install("deb", ["pkg-config", "libssl-dev"])
        d.workdir("/usr/src/" + name)
        d.copy(".", ".")
        if d.modern and d.p(0.7):
            d.run(
                ["cargo build --release --locked", f"cp target/release/{name} /usr/local/bin/{name}"],
                flags=[
                    "--mount=type=cache,target=/usr/local/cargo/registry",
                    f"--mount=type=cache,target=/usr/src/{name}/target",
                ],
            )
            out = f"/usr/local/bin/{name}"
        else:
            d.run(["cargo install --path . --root /usr/local" if d.p(0.5) else "cargo build --release"])
            out = (
                f"/usr/local/bin/{name}" if "cargo install" in d.body[-1] else f"/usr/src/{name}/target/release/{name}"
            )
    final = (
        d.pick(["debian", "debian", "distroless", "alpine", "scratch"])
        if fam == "deb"
        else d.pick(["alpine", "scratch"])
    )
    if final == "debian":
        d.from_(
            d.image("debian", d.pick(["bookworm-slim", "bullseye-slim", "12-slim"])), "runtime" if d.p(0.6) else None
        )
        d.pkg_install("deb", ["ca-certificates", "tini"])
        user = d.add_user("deb", name, 10001)
        ffam = "deb"
    elif final == "alpine":
        d.from_(d.image("alpine", d.pick(["3.19", "3.20"])), "runtime" if d.p(0.5) else None)
        d.pkg_install("apk", ["ca-certificates"])
        user = d.add_user("apk", name, 10001)
        ffam = "apk"
    elif final == "distroless":
        d.from_(d.image("gcr.io/distroless/cc-debian12", d.pick(["nonroot", "latest"]), hub=False))
        user, ffam = "nonroot", None
    else:
        d.from_("scratch")
        user, ffam = "65534", None
    d.copy(out, f"/usr/local/bin/{name}", frm=d.stage_ref(b))
    if ffam:
        d.app_extras(ffam, "/app")
        d.secrets()
        d.sloppy_extras(ffam, "/app")
    d.user(user)
    d.emit(f"EXPOSE {d.pick([8080, 3000, 8000])}")
    if d.p(0.3):
        d.env_block([("RUST_LOG", d.pick(["info", "warn", f"{name}=debug,info"]))])
    d.emit(f'ENTRYPOINT ["/usr/local/bin/{name}"]')
    return {"eco": "rust", "fam": fam}


def eco_ruby(d: DF) -> dict:
    ver = d.pick(["3.1", "3.2", "3.3", "3.3.0", "3.3.4"])
    variant, fam = deb_or_alpine(d, ["slim", "slim", "alpine", "bookworm", "slim-bookworm"])
    ref = d.image("ruby", f"{ver}-{variant}", "RUBY_VERSION", ver)
    rails = d.p(0.7)
    name = d.pick(WORDS)
    d.from_(ref, "base")
    d.workdir("/rails" if rails else "/app")
    d.env_block(
        [
            ("RAILS_ENV", '"production"'),
            ("BUNDLE_DEPLOYMENT", '"1"'),
            ("BUNDLE_PATH", '"/usr/local/bundle"'),
            ("BUNDLE_WITHOUT", '"development:test"'),
        ]
        if rails
        else [("RACK_ENV", "production")]
    )
    d.pkg_install(
        fam,
        (
            ["curl", "libjemalloc2", "libvips42", "postgresql-client"]
            if fam == "deb"
            else ["tzdata", "libpq", "vips-dev"]
        ),
    )
    d.from_("base", "build")
    d.pkg_install(
        fam,
        ["build-essential", "git", "libpq-dev", "pkg-config", "libyaml-dev"]
        if fam == "deb"
        else ["build-base", "git", "postgresql-dev", "yaml-dev"],
    )
    if d.flaw():
        d.run(["gem install bundler"])
    elif d.p(0.4):
        d.run(["gem install bundler -v 2.5.6"])
    d.copy("Gemfile Gemfile.lock", "./")
    d.run(
        [
            "bundle install",
            'rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git',
        ]
        + (["bundle exec bootsnap precompile --gemfile"] if rails and d.p(0.6) else [])
    )
    d.copy(".", ".")
    if rails:
        if d.p(0.6):
            d.run(["bundle exec bootsnap precompile app/ lib/"])
        d.run(
            [
                "SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile"
                if d.p(0.7)
                else "bundle exec rake assets:precompile"
            ]
        )
    d.from_("base")
    d.labels(name)
    d.copy(
        '"${BUNDLE_PATH}"' if rails else "/usr/local/bundle",
        '"${BUNDLE_PATH}"' if rails else "/usr/local/bundle",
        frm="build",
    )
    d.copy("/rails" if rails else "/app", "/rails" if rails else "/app", frm="build")
    if fam == "deb":
        d.run(
            [
                "groupadd --system --gid 1000 rails",
                "useradd rails --uid 1000 --gid 1000 --create-home --shell /bin/bash",
                "chown -R rails:rails db log storage tmp" if rails else "chown -R rails:rails /app",
            ]
        )
    else:
        d.run(
            [
                "addgroup -g 1000 -S rails",
                "adduser -u 1000 -S rails -G rails",
                "chown -R rails:rails db log storage tmp" if rails else "chown -R rails:rails /app",
            ]
        )
    d.app_extras(fam, "/rails" if rails else "/app", 3000)
    d.secrets()
    d.sloppy_extras(fam, "/rails" if rails else "/app")
    d.user(d.pick(["1000:1000", "rails"]))
    if rails:
        d.emit('ENTRYPOINT ["/rails/bin/docker-entrypoint"]')
    d.emit("EXPOSE 3000" if rails else "EXPOSE 9292")
    d.healthcheck(3000 if rails else 9292, "/up", "curl")
    d.cmd(
        ["./bin/thrust", "./bin/rails", "server"]
        if rails and d.p(0.3)
        else (["./bin/rails", "server"] if rails else ["bundle", "exec", "rackup", "-o", "0.0.0.0"])
    )
    return {"eco": "ruby", "fam": fam}


def eco_php(d: DF) -> dict:
    ver = d.pick(["8.1", "8.2", "8.3", "8.3"])
    kind = d.pick(["fpm-alpine", "fpm-alpine", "apache", "fpm", "cli-alpine", "cli"])
    fam = "apk" if "alpine" in kind else "deb"
    ref = d.image("php", f"{ver}-{kind}", "PHP_VERSION", ver)
    laravel = d.p(0.6)
    stages = []
    if d.p(0.7):
        d.from_(d.image("composer", d.pick(["2", "2.7", "latest"])), "vendor")
        stages.append("vendor")
        d.workdir("/app")
        d.copy("composer.json composer.lock", "./")
        d.run(
            [
                "composer install --no-dev --no-scripts --no-autoloader --prefer-dist --no-interaction"
                + (" --ignore-platform-reqs" if d.p(0.3) else "")
            ]
        )
        d.copy(".", ".")
        d.run(["composer dump-autoload --optimize --classmap-authoritative"])
    if laravel and d.p(0.5):
        d.from_(d.image("node", d.pick(["20-alpine", "18-alpine"]), "NODE_VERSION", None), "assets")
        stages.append("assets")
        d.workdir("/app")
        d.copy("package*.json vite.config.js", "./")
        d.run(["npm ci"])
        d.copy("resources", "./resources")
        d.run(["npm run build"])
    d.from_(ref, "app" if d.p(0.5) else None)
    exts = d.sample(
        ["pdo_mysql", "pdo_pgsql", "intl", "zip", "opcache", "bcmath", "gd", "exif", "pcntl", "sockets"], 2, 6
    )
    if fam == "apk":
        d.pkg_install(
            "apk",
            d.sample(["icu-dev", "libzip-dev", "libpng-dev", "oniguruma-dev", "postgresql-dev"], 2, 5),
            extra_steps=[("docker-php-ext-install", exts)],
        )
    else:
        d.run(
            [
                (
                    "apt-get update && apt-get install -y --no-install-recommends",
                    ["libicu-dev", "libzip-dev", "libpng-dev", "unzip"],
                ),
                ("docker-php-ext-install -j$(nproc)", exts),
                "rm -rf /var/lib/apt/lists/*",
            ]
        )
    if d.p(0.4):
        d.copy(
            "/usr/bin/install-php-extensions",
            "/usr/local/bin/",
            frm="mlocati/php-extension-installer:" + d.pick(["2", "latest"]),
        )
        d.run(
            [
                "install-php-extensions "
                + " ".join(d.sample(["redis", "imagick", "apcu", "xdebug", "mongodb", "amqp"], 1, 3))
            ]
        )
    if d.p(0.4):
        d.run(['mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"'])
    if d.modern and d.p(0.4):
        d.heredoc(
            "COPY",
            [
                "opcache.enable=1",
                "opcache.memory_consumption=256",
                "opcache.validate_timestamps=0",
                "opcache.max_accelerated_files=20000",
            ],
            tag="EOF",
            tail="/usr/local/etc/php/conf.d/opcache.ini",
        )
    if "apache" in kind:
        d.env_block([("APACHE_DOCUMENT_ROOT", "/var/www/html/public")])
        d.run(
            [
                "sed -ri -e 's!/var/www/html!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/sites-available/*.conf",
                "sed -ri -e 's!/var/www/!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/apache2.conf /etc/apache2/conf-available/*.conf",
                "a2enmod rewrite headers",
            ]
        )
    d.workdir("/var/www/html")
    if "vendor" in stages:
        d.copy("/app", "/var/www/html", frm=d.stage_ref("vendor"), chown=None if d.flaw() else "www-data:www-data")
    else:
        d.copy("/usr/bin/composer", "/usr/bin/composer", frm="composer:2")
        d.copy(".", ".")
        d.run(["composer install --no-dev --optimize-autoloader --no-interaction"])
    if "assets" in stages:
        d.copy("/app/public/build", "./public/build", frm=d.stage_ref("assets"))
    if laravel:
        d.run(
            ["php artisan config:cache", "php artisan route:cache", "php artisan view:cache"]
            if d.p(0.5)
            else ["chown -R www-data:www-data storage bootstrap/cache"]
        )
    if d.flaw():
        d.run(["chmod -R 777 storage bootstrap/cache"])
    d.app_extras(fam, "/var/www/html", 9000)
    d.secrets()
    d.sloppy_extras(fam, "/var/www/html")
    d.user("www-data")
    if "fpm" in kind:
        d.emit("EXPOSE 9000")
        d.healthcheck(9000, "", ["php-fpm-healthcheck"])
        d.cmd(["php-fpm"])
    elif "apache" in kind:
        d.emit("EXPOSE 80")
        d.healthcheck(80, "/", "curl")
        d.cmd(["apache2-foreground"])
    else:
        d.cmd(["php", "artisan", "queue:work"] if laravel else ["php", "bin/console", "messenger:consume", "async"])
    return {"eco": "php", "fam": fam}


NGINX_CONF = [
    "server {",
    "    listen       {port};",
    "    server_name  _;",
    "    root   /usr/share/nginx/html;",
    "    index  index.html;",
    "",
    "    gzip on;",
    "    gzip_types text/plain text/css application/json application/javascript;",
    "",
    "    location / {",
    "        try_files $uri $uri/ /index.html;",
    "    }",
    "",
    "    location /api/ {",
    "        proxy_pass http://backend:8080/;",
    "        proxy_set_header Host $host;",
    "        proxy_set_header X-Real-IP $remote_addr;",
    "    }",
    "",
    "    location = /healthz {",
    "        access_log off;",
    "        return 200 'ok';",
    "    }",
    "}",
]


def eco_nginx(d: DF) -> dict:
    unpriv = d.p(0.3)
    repo = "nginxinc/nginx-unprivileged" if unpriv else "nginx"
    ref = d.image(
        repo,
        d.pick(["1.25-alpine", "1.27-alpine", "stable-alpine", "1.25", "mainline", "1.26-alpine-slim"]),
        "NGINX_VERSION",
        None,
    )
    fam = "apk" if "alpine" in ref else "deb"
    port = 8080 if unpriv else d.pick([80, 8080])
    static = d.p(0.7)
    if static:
        nref = d.image("node", d.pick(["20-alpine", "18-alpine", "22-alpine", "lts-alpine"]), "NODE_VERSION", None)
        d.from_(nref, d.pick(["build", "builder", "frontend"]))
        b = d.stages[-1]
        d.workdir("/app")
        d.copy("package.json package-lock.json", "./")
        d.run(["npm ci"], flags=["--mount=type=cache,target=/root/.npm"] if d.modern and d.p(0.5) else [])
        d.copy(".", ".")
        d.env_block([("VITE_API_URL", "/api")] if d.p(0.4) else [])
        d.run(["npm run build"])
    d.from_(ref)
    d.labels("frontend")
    if d.p(0.3):
        d.run(["rm /etc/nginx/conf.d/default.conf"])
    conf = [line.replace("{port}", str(port)) for line in NGINX_CONF]
    if d.modern and d.p(0.6):
        d.heredoc(
            "COPY", conf, tag=d.pick(["EOF", "NGINX", "CONF"]), quoted=d.p(0.5), tail="/etc/nginx/conf.d/default.conf"
        )
    else:
        d.copy(d.pick(["nginx.conf", "deploy/nginx/default.conf", "default.conf"]), "/etc/nginx/conf.d/default.conf")
    if static:
        d.copy(
            "/app/dist" if d.p(0.7) else "/app/build",
            "/usr/share/nginx/html",
            frm=d.stage_ref(b),
            chown="nginx:nginx" if d.p(0.3) else None,
        )
    else:
        d.copy("public/", "/usr/share/nginx/html/")
    if not unpriv and d.p(0.3):
        d.run(
            [
                "chown -R nginx:nginx /var/cache/nginx /var/log/nginx /etc/nginx/conf.d",
                "touch /var/run/nginx.pid",
                "chown -R nginx:nginx /var/run/nginx.pid",
            ]
        )
        d.user("nginx")
    d.app_extras(fam, "/usr/share/nginx/html", port)
    d.sloppy_extras(fam, "/usr/share/nginx/html")
    d.emit(f"EXPOSE {port}")
    d.healthcheck(port, "/healthz", "wget" if fam == "apk" else "curl")
    if d.p(0.3):
        d.emit("STOPSIGNAL SIGQUIT")
    d.cmd(["nginx", "-g", "daemon off;"])
    return {"eco": "nginx", "fam": fam}


def eco_dotnet(d: DF) -> dict:
    ver = d.pick(["6.0", "7.0", "8.0", "8.0"])
    proj = d.pick(WORDS).capitalize() + d.pick([".Api", ".Web", ".Worker", ""])
    alpine = d.p(0.25)
    sfx = "-alpine" if alpine else ""
    d.from_(d.image("mcr.microsoft.com/dotnet/aspnet", ver + sfx, "DOTNET_VERSION", ver, hub=False), "base")
    if ver == "8.0" and d.p(0.5):
        d.user("app")
    d.workdir("/app")
    d.emit("EXPOSE 8080" if ver == "8.0" else "EXPOSE 80")
    if d.p(0.4):
        d.emit("EXPOSE 8081" if ver == "8.0" else "EXPOSE 443")
    d.from_(d.image("mcr.microsoft.com/dotnet/sdk", ver + sfx, "DOTNET_VERSION", ver, hub=False), "build")
    d.emit("ARG BUILD_CONFIGURATION=Release")
    d.workdir("/src")
    d.copy(f"src/{proj}/{proj}.csproj", f"src/{proj}/", json_form=d.p(0.6))
    if d.p(0.4):
        d.copy("Directory.Build.props", ".", json_form=True)
    d.run(
        [f'dotnet restore "./src/{proj}/{proj}.csproj"'],
        flags=["--mount=type=cache,id=nuget,target=/root/.nuget/packages"] if d.modern and d.p(0.5) else [],
    )
    d.copy(".", ".")
    d.workdir(f'"/src/src/{proj}"')
    d.run([f'dotnet build "./{proj}.csproj" -c $BUILD_CONFIGURATION -o /app/build'])
    d.from_("build", "publish")
    d.emit("ARG BUILD_CONFIGURATION=Release")
    d.run([f'dotnet publish "./{proj}.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false'])
    d.from_("base", "final")
    d.workdir("/app")
    d.copy("/app/publish", ".", frm="publish")
    d.app_extras("apk" if alpine else "deb", "/app", 8080)
    d.secrets(0.7)
    if d.p(0.3):
        d.healthcheck(8080, "/health", "curl")
    d.emit(f'ENTRYPOINT ["dotnet", "{proj}.dll"]')
    return {"eco": "dotnet", "fam": "apk" if alpine else "deb"}


OS_BASES = [
    ("debian", ["bookworm-slim", "bookworm", "12", "bullseye-slim", "11"], "deb"),
    ("ubuntu", ["22.04", "24.04", "20.04", "jammy", "noble", "focal"], "deb"),
    ("alpine", ["3.18", "3.19", "3.20", "3.19.1"], "apk"),
    ("registry.access.redhat.com/ubi9/ubi-minimal", ["9.3", "9.4", "latest"], "rpm"),
    ("registry.access.redhat.com/ubi9/ubi", ["9.3", "9.4"], "rpm"),
    ("registry.access.redhat.com/ubi8/ubi", ["8.9", "8.10"], "rpm"),
    ("fedora", ["39", "40"], "rpm"),
    ("rockylinux", ["9", "9-minimal", "8"], "rpm"),
    ("amazonlinux", ["2023", "2"], "rpm"),
    ("centos", ["7", "stream9"], "rpm"),
]

OS_WEIGHTS = [3, 4, 3, 1, 1, 1, 0.5, 0.5, 1, 0.5]

TOOL_DOWNLOADS = [  # name, version, url template ({v}), install steps
    (
        "kubectl",
        "1.30.1",
        "https://dl.k8s.io/release/v{v}/bin/linux/amd64/kubectl",
        ["chmod +x /usr/local/bin/kubectl"],
    ),
    (
        "helm",
        "3.14.4",
        "https://get.helm.sh/helm-v{v}-linux-amd64.tar.gz",
        [
            "tar -xzf /tmp/helm.tar.gz -C /tmp",
            "mv /tmp/linux-amd64/helm /usr/local/bin/helm",
            "rm -rf /tmp/helm.tar.gz /tmp/linux-amd64",
        ],
    ),
    (
        "terraform",
        "1.8.3",
        "https://releases.hashicorp.com/terraform/{v}/terraform_{v}_linux_amd64.zip",
        ["unzip /tmp/terraform.zip -d /usr/local/bin", "rm /tmp/terraform.zip"],
    ),
    (
        "yq",
        "4.43.1",
        "https://github.com/mikefarah/yq/releases/download/v{v}/yq_linux_amd64",
        ["chmod +x /usr/local/bin/yq"],
    ),
    (
        "awscli",
        "2.15.40",
        "https://awscli.amazonaws.com/awscli-exe-linux-x86_64-{v}.zip",
        ["unzip -q /tmp/awscli.zip -d /tmp", "/tmp/aws/install", "rm -rf /tmp/aws /tmp/awscli.zip"],
    ),
    (
        "trivy",
        "0.50.1",
        "https://github.com/aquasecurity/trivy/releases/download/v{v}/trivy_{v}_Linux-64bit.tar.gz",
        ["tar -xzf /tmp/trivy.tar.gz -C /usr/local/bin trivy", "rm /tmp/trivy.tar.gz"],
    ),
    (
        "sops",
        "3.8.1",
        "https://github.com/getsops/sops/releases/download/v{v}/sops-v{v}.linux.amd64",
        ["chmod +x /usr/local/bin/sops"],
    ),
    (
        "kustomize",
        "5.4.1",
        "https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2Fv{v}/kustomize_v{v}_linux_amd64.tar.gz",
        ["tar -xzf /tmp/kustomize.tar.gz -C /usr/local/bin", "rm /tmp/kustomize.tar.gz"],
    ),
    (
        "gh",
        "2.49.0",
        "https://github.com/cli/cli/releases/download/v{v}/gh_{v}_linux_amd64.tar.gz",
        ["tar -xzf /tmp/gh.tar.gz -C /tmp", "mv /tmp/gh_*/bin/gh /usr/local/bin/", "rm -rf /tmp/gh*"],
    ),
    (
        "shellcheck",
        "0.10.0",
        "https://github.com/koalaman/shellcheck/releases/download/v{v}/shellcheck-v{v}.linux.x86_64.tar.xz",
        [
            "tar -xJf /tmp/shellcheck.tar.xz -C /tmp",
            "mv /tmp/shellcheck-v*/shellcheck /usr/local/bin/",
            "rm -rf /tmp/shellcheck*",
        ],
    ),
]


def tool_install(d: DF, t) -> None:
    name, v, url, after = t
    url = url.replace("{v}", "${%s_VERSION}" % name.upper())
    ext = (
        ".tar.gz"
        if url.endswith(".tar.gz")
        else ".zip"
        if url.endswith(".zip")
        else ".tar.xz"
        if url.endswith(".tar.xz")
        else ""
    )
    dest = f"/tmp/{name}{ext}" if ext else f"/usr/local/bin/{name}"
    d.emit(f"ARG {name.upper()}_VERSION={v}")
    if d.flaw(0.8):
        d.emit(f"ADD {url} {dest}")
        d.run(after)
        return
    dl = f"curl -fsSLo {dest} {url}" if d.p(0.7) else f"wget -qO {dest} {url}"
    steps = [dl]
    if d.quality == "good" and d.p(0.6):
        steps.append(f'echo "{"".join(d.rng.choice(HEX) for _ in range(64))}  {dest}" | sha256sum -c -')
    d.run(steps + after)


def eco_os(d: DF, big: bool = False) -> dict:
    repo, tags, fam = d.rng.choices(OS_BASES, weights=OS_WEIGHTS)[0]
    if fam == "rpm":
        d.rpm_tool = (
            "microdnf" if "minimal" in repo else "yum" if repo in ("centos", "amazonlinux") and d.p(0.7) else "dnf"
        )
    ref = d.image(repo, d.pick(tags), hub="/" not in repo)
    purpose = d.pick(["ci", "devcontainer", "toolbox", "cron", "agent"]) if not big else d.pick(["ci", "devcontainer"])
    name = d.pick(WORDS)
    stages = 1
    fetched = []
    if (big or d.p(0.3)) and d.modern:
        # downloader stages, copied into the final image
        for t in d.sample(TOOL_DOWNLOADS, 1, 3 if not big else 6):
            if t[0] in ("awscli", "gh", "shellcheck", "terraform"):
                continue
            d.from_(d.image("alpine", d.pick(["3.19", "3.20"])), f"fetch-{t[0]}")
            d.pkg_install("apk", ["curl"])
            tool_install(d, t)
            fetched.append(t[0])
            stages += 1
            if stages >= (4 if not big else 7):
                break
    d.from_(ref, d.pick([None, "base", name]))
    d.labels(name)
    if fam == "deb":
        d.emit("ARG DEBIAN_FRONTEND=noninteractive" if not d.flaw() else "ENV DEBIAN_FRONTEND=noninteractive")
    if d.p(0.4) or big:
        d.emit(
            'SHELL ["/bin/bash", "-o", "pipefail", "-c"]'
            if fam != "apk"
            else 'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]'
        )
    env = [("LANG", "C.UTF-8"), ("LC_ALL", "C.UTF-8"), ("TZ", d.pick(["UTC", "Europe/Berlin", "America/New_York"]))]
    d.env_block(env[: d.rng.randint(1, 3)])
    pool = list(DEB_PKGS) if fam == "deb" else list(APK_PKGS) if fam == "apk" else RPM_PKGS
    n_install = 1 if not big else d.rng.randint(4, 9)
    for _ in range(n_install):
        d.pkg_install(fam, d.sample(pool, 3, 9 if not big else 16), comment="base tooling")
    tools = [t for t in TOOL_DOWNLOADS if t[0] not in fetched]
    for t in d.sample(tools, 0 if not big else 4, 3 if not big else len(tools)):
        d.note(f"install {t[0]}")
        tool_install(d, t)
    for f in fetched:
        d.copy(f"/usr/local/bin/{f}", f"/usr/local/bin/{f}", frm=d.stage_ref(f"fetch-{f}"), link=d.p(0.5))
    if d.flaw(1.5) or (big and d.p(0.6)):
        for _ in range(1 if not big else 3):
            d.run([d.pick(INSTALLERS)[1]])
    if d.modern and (big or d.p(0.3)):
        body = ["set -eux", "mkdir -p /opt/scripts /var/lib/" + name]
        body += [f"echo 'export PATH=/opt/{name}/bin:$PATH' >> /etc/profile.d/{name}.sh"]
        body += [
            "if command -v git >/dev/null; then",
            "    git config --system init.defaultBranch main",
            "    git config --system --add safe.directory '*'",
            "fi",
        ]
        if big:
            body += [
                f"# step {k}: prepare cache dir\nmkdir -p /var/cache/{name}/{k}" for k in range(d.rng.randint(5, 20))
            ]
        d.heredoc(
            "RUN",
            "\n".join(body).split("\n"),
            tag=d.pick(["EOF", "EOT", "SCRIPT"]),
            dash=d.p(0.3),
            tail="bash" if d.p(0.2) else "",
        )
    if d.modern and d.p(0.3):
        d.heredoc(
            "COPY --chmod=755",
            ["#!/bin/sh", "set -e", 'if [ "${1#-}" != "$1" ]; then', f'    set -- {name} "$@"', "fi", 'exec "$@"'],
            tag="EOF",
            quoted=True,
            tail="/usr/local/bin/docker-entrypoint.sh",
        )
        entry = ["docker-entrypoint.sh"]
    else:
        entry = None
        if d.p(0.4):
            d.copy("docker-entrypoint.sh", "/usr/local/bin/", chmod="755" if d.modern else None)
            if not d.modern:
                d.run(["chmod +x /usr/local/bin/docker-entrypoint.sh"])
            entry = ["docker-entrypoint.sh"]
    uname = d.pick(["runner", "dev", "vscode", "ci", name])
    if purpose in ("devcontainer", "ci") and fam != "apk":
        user = d.add_user(fam, uname, 1000)
        if fam == "deb" and (d.flaw(1.5) or purpose == "devcontainer"):
            steps = [
                (("apt-get update && apt-get install -y sudo") if fam == "deb" else "yum install -y sudo"),
                f"echo '{uname} ALL=(root) NOPASSWD:ALL' > /etc/sudoers.d/{uname}",
                f"chmod 0440 /etc/sudoers.d/{uname}",
            ]
            d.run(steps)
    elif fam == "apk":
        user = d.add_user("apk", uname, 1000)
    else:
        user = d.add_user(fam, uname, 1001)
    d.app_extras(fam, "/workspace", 9100)
    d.secrets(0.8)
    d.sloppy_extras(fam, "/workspace")
    if big:
        for k in range(d.rng.randint(6, 14)):
            d.note(f"layer {k}", 0.5)
            env_pairs = [(f"{name.upper()}_OPT_{k}_{j}", f"value{j}") for j in range(d.rng.randint(1, 4))]
            d.env_block(env_pairs)
            d.pkg_install(fam, d.sample(pool, 2, 10))
            if d.p(0.5):
                d.run(
                    [
                        f"mkdir -p /opt/{name}/{k}",
                        f"cp -r /tmp/{k} /opt/{name}/{k} || true",
                        f"ln -sf /opt/{name}/{k}/bin/tool /usr/local/bin/tool{k}",
                    ]
                )
    d.workdir(d.pick(["/workspace", "/work", f"/home/{uname}", "/src"]))
    if d.p(0.3):
        d.emit("VOLUME " + d.pick(['["/data"]', "/var/lib/" + name, '["/cache", "/logs"]']))
    if d.p(0.2):
        d.emit("ONBUILD COPY . /workspace")
    d.user(user)
    if purpose == "cron":
        d.cmd(["crond", "-f", "-l", "2"] if fam == "apk" else ["cron", "-f"])
    elif purpose == "agent":
        d.emit("EXPOSE 9100")
        d.healthcheck(9100, "/metrics", "wget" if fam == "apk" else "curl")
        d.cmd([f"/usr/local/bin/{name}-agent", "--config", "/etc/agent.yaml"], entrypoint=entry)
    else:
        d.cmd(["bash"] if fam != "apk" else ["sh"], entrypoint=entry)
    return {"eco": "os", "fam": fam}


def eco_windows(d: DF) -> dict:
    d.esc = "`"
    d.directives.insert(0, "# escape=`")
    d.crlf = d.p(0.4)
    base = d.pick(
        [
            ("mcr.microsoft.com/windows/servercore", "ltsc2022"),
            ("mcr.microsoft.com/windows/servercore", "ltsc2019"),
            ("mcr.microsoft.com/windows/nanoserver", "ltsc2022"),
            ("mcr.microsoft.com/dotnet/framework/aspnet", "4.8-windowsservercore-ltsc2022"),
            ("mcr.microsoft.com/powershell", "lts-nanoserver-ltsc2022"),
        ]
    )
    if d.p(0.4):
        d.from_(d.image("mcr.microsoft.com/dotnet/framework/sdk", "4.8-windowsservercore-ltsc2022", hub=False), "build")
        d.workdir("C:\\src")
        d.copy("*.sln", ".")
        d.copy("App/*.csproj", "./App/")
        d.run(["nuget restore"])
        d.copy(".", ".")
        d.run(["msbuild App\\App.csproj /p:Configuration=Release /p:OutputPath=C:\\out"])
        built = True
    else:
        built = False
    d.from_(d.image(base[0], base[1], hub=False))
    if d.p(0.8):
        d.emit(
            'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\'; $ProgressPreference = \'SilentlyContinue\';"]'
        )
        ps = True
    else:
        d.emit('SHELL ["cmd", "/S", "/C"]')
        ps = False
    ver = d.pick(["20.11.1", "18.19.0", "20.12.2"])
    d.env_block([("NODE_VERSION", ver)] + ([("APP_HOME", "C:\\app")] if d.p(0.5) else []))
    if ps:
        d.run(
            [
                "Invoke-WebRequest $('https://nodejs.org/dist/v{0}/node-v{0}-win-x64.zip' -f $env:NODE_VERSION) -OutFile 'node.zip' -UseBasicParsing",
                "Expand-Archive node.zip -DestinationPath C:\\",
                "Rename-Item -Path $('C:\\node-v{0}-win-x64' -f $env:NODE_VERSION) -NewName 'C:\\nodejs'",
                "Remove-Item -Force node.zip",
                "[Environment]::SetEnvironmentVariable('PATH', $env:PATH + ';C:\\nodejs', [EnvironmentVariableTarget]::Machine)",
            ],
            style="trail",
            joiner=";",
            comments={3: "clean up"} if d.p(0.3) else None,
        )
    else:
        d.run(
            [
                "curl.exe -fSLo node.zip https://nodejs.org/dist/v%NODE_VERSION%/node-v%NODE_VERSION%-win-x64.zip",
                "tar.exe -xf node.zip -C C:\\",
                "del node.zip",
            ],
            style="trail",
            joiner="&&",
        )
    d.workdir("C:\\app")
    if built:
        d.copy("C:\\out", ".", frm="build")
    d.copy(".", ".")
    if d.p(0.5):
        d.run(["npm ci --omit=dev"])
    d.secrets(0.5)
    if d.p(0.4):
        d.emit("USER ContainerUser" if "nanoserver" in base[0] else "USER ContainerAdministrator")
    d.emit("EXPOSE 3000")
    if d.p(0.3):
        d.emit(
            "HEALTHCHECK --interval=30s CMD powershell -command `\n    try { $r = Invoke-WebRequest http://localhost:3000/health -UseBasicParsing; if ($r.StatusCode -eq 200) { exit 0 } else { exit 1 } } catch { exit 1 }"
        )
    d.emit('CMD ["C:\\\\nodejs\\\\node.exe", "server.js"]' if d.p(0.5) else "CMD node.exe server.js")
    return {"eco": "windows", "fam": "win"}


ECOSYSTEMS = [  # (weight, generator)
    (18, eco_python),
    (18, eco_node),
    (13, eco_go),
    (10, eco_java),
    (6, eco_rust),
    (6, eco_ruby),
    (7, eco_php),
    (6, eco_nginx),
    (5, eco_dotnet),
    (10, eco_os),
    (1, eco_windows),
]

HEADER_COMMENTS = [
    "Build: docker build -t {name} .",
    "Multi-stage build for the {name} service.",
    "This file is maintained by the platform team; ask in #platform before changing the base image.",
    "syntax-checked in CI with hadolint",
    "Image for local development only",
    "Production image. See docs/deploy.md",
    "Generated by scripts/gen-dockerfile.sh -- DO NOT EDIT BY HAND",
    "TODO: move to distroless once the healthcheck no longer needs a shell",
]


def make_dockerfile(rng: random.Random) -> tuple[str, dict]:
    d = DF(rng)
    gens = [g for _, g in ECOSYSTEMS]
    weights = [w for w, _ in ECOSYSTEMS]
    gen = rng.choices(gens, weights=weights)[0]
    big = gen is eco_os and rng.random() < 0.12  # ~1% of all files: a few hundred lines
    if d.p(0.45 if not d.modern else 0.85):
        d.directives.append(
            d.pick(
                [
                    "# syntax=docker/dockerfile:1",
                    "# syntax=docker/dockerfile:1",
                    "# syntax=docker/dockerfile:1.4",
                    "# syntax=docker/dockerfile:1.7",
                    "# syntax = docker/dockerfile:1.3",
                ]
            )
        )
    name = rng.choice(WORDS)
    if d.p(0.12):
        d.header += ["# " + line if line else "#" for line in rng.choice(LICENSE_HEADERS)]
    if d.p(0.4):
        d.header.append("# " + rng.choice(HEADER_COMMENTS).format(name=name))
    meta = gen(d, big=True) if big else gen(d)
    meta["big"] = big
    meta["crlf"] = d.crlf or rng.random() < 0.005  # checked in from a Windows machine
    return d.text(), meta


def dockerignore(rng: random.Random, eco: str) -> str:
    common = [
        ".git",
        ".gitignore",
        "**/.DS_Store",
        "*.md",
        "!README.md",
        ".env",
        ".env.*",
        "docker-compose*.yml",
        "Dockerfile*",
        ".dockerignore",
        ".github",
        ".vscode",
        ".idea",
        "coverage",
        "tmp",
        "*.log",
    ]
    per = {
        "python": [
            "__pycache__",
            "**/*.pyc",
            ".venv",
            "venv",
            ".pytest_cache",
            ".mypy_cache",
            "*.egg-info",
            "dist",
            "build",
        ],
        "node": ["node_modules", "npm-debug.log", "dist", ".next", "out", ".turbo"],
        "go": ["bin", "vendor", "*.test", "coverage.out"],
        "java": ["target", "build", ".gradle", "!gradle/wrapper/gradle-wrapper.jar"],
        "rust": ["target", "**/*.rs.bk"],
        "ruby": ["log/*", "tmp/*", "storage/*", "node_modules", "public/assets", ".bundle", "/config/master.key"],
        "php": ["vendor", "node_modules", "storage/logs/*", "storage/framework/cache/*", ".phpunit.result.cache"],
        "nginx": ["node_modules", "dist"],
        "dotnet": ["**/bin", "**/obj", "**/*.user", "**/.vs"],
    }.get(eco, [])
    items = rng.sample(common, rng.randint(3, len(common))) + per
    if rng.random() < 0.3:
        items.insert(0, "# Keep the build context small")
    return "\n".join(items) + "\n"


NOISE = {
    "python": ("requirements.txt", "flask==3.0.3\ngunicorn==22.0.0\npsycopg2-binary==2.9.9\nrequests==2.32.3\n"),
    "node": (
        "package.json",
        '{\n  "name": "svc",\n  "private": true,\n  "scripts": {"build": "tsc", "start": "node dist/server.js"}\n}\n',
    ),
    "go": ("go.mod", "module github.com/example/svc\n\ngo 1.22\n"),
    "rust": ("Cargo.toml", '[package]\nname = "svc"\nversion = "0.1.0"\nedition = "2021"\n'),
    "ruby": ("Gemfile", 'source "https://rubygems.org"\ngem "rails", "~> 7.1"\n'),
    "php": ("composer.json", '{\n  "require": {"php": "^8.2", "laravel/framework": "^11.0"}\n}\n'),
}

DOCKERFILE_PATHS = [  # (weight, path template)
    (74, "Dockerfile"),
    (5, "Dockerfile.dev"),
    (2, "Dockerfile.prod"),
    (4, "build/prod.Dockerfile"),
    (3, "deploy/{name}.Dockerfile"),
    (4, "Containerfile"),
    (4, "docker/Dockerfile"),
    (3, "services/{name}/Dockerfile"),
    (1, "Dockerfile.ci"),
]


def gen_dockerfiles(rng: random.Random, w: Writer, n: int) -> None:
    width = max(4, len(str(n)))
    paths = [p for _, p in DOCKERFILE_PATHS]
    pweights = [wt for wt, _ in DOCKERFILE_PATHS]
    for i in range(1, n + 1):
        d = f"svc-{i:0{width}d}"
        text, meta = make_dockerfile(rng)
        rel = rng.choices(paths, weights=pweights)[0].format(name=rng.choice(WORDS))
        w.write(f"{d}/{rel}", text, kind="dockerfile", crlf=meta.get("crlf", False))
        here = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
        if rng.random() < 0.4:
            w.write(f"{d}/{here}.dockerignore", dockerignore(rng, meta["eco"]), kind="dockerignore")
        if rng.random() < 0.3:
            w.write(
                f"{d}/README.md",
                f"# {d}\n\nService `{d}` ({meta['eco']}). Build with `docker build -f {rel} .`\n",
                kind="other",
            )
            if meta["eco"] in NOISE:
                fname, body = NOISE[meta["eco"]]
                w.write(f"{d}/{fname}", body, kind="other")


# --------------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------------

# name -> (generator, command-line option holding its count).
FORMATS = {
    "dockerfile": (gen_dockerfiles, "dockerfiles"),
    "kubernetes": (gen_kubernetes, "apps"),
    "workflows": (gen_pipelines, "repos"),
    "secrets": (gen_secrets, "secrets_mb"),
    "terraform": (gen_terraform, "stacks"),
}


def prepare_out(out: str) -> None:
    if os.path.isdir(out):
        if os.path.exists(os.path.join(out, MARKER)):
            shutil.rmtree(out)
        elif os.listdir(out):
            sys.exit(f"gen_corpus: {out} exists, is not empty and was not made by this script; refusing to overwrite")
    os.makedirs(out, exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: bench/corpus next to this script)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    ap.add_argument(
        "--formats", default="dockerfile,kubernetes", help="comma-separated formats to generate; available: " + ", ".join(FORMATS)
    )
    ap.add_argument("--dockerfiles", type=int, default=5000, metavar="N", help="number of Dockerfiles (default 5000)")
    ap.add_argument(
        "--apps", type=int, default=3000, metavar="N", help="number of Kubernetes applications (default 3000)"
    )
    ap.add_argument(
        "--repos", type=int, default=3000, metavar="N", help="number of repositories with CI pipelines (default 3000)"
    )
    ap.add_argument(
        "--stacks", type=int, default=2000, metavar="N", help="number of Terraform root modules (default 2000)"
    )
    ap.add_argument(
        "--secrets-mb", type=int, default=60, metavar="MB", help="size of the mixed tree for secrets (default 60)"
    )
    args = ap.parse_args(argv)

    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    for f in formats:
        if f not in FORMATS:
            ap.error(f"unknown format {f!r}; available: {', '.join(FORMATS)}")

    t0 = time.perf_counter()
    prepare_out(args.out)
    w = Writer(args.out)
    for f in formats:
        gen, count_opt = FORMATS[f]
        # One stream per format, seeded from (seed, format name): str seeds hash with SHA-512, so this is
        # stable across runs and independent of PYTHONHASHSEED.
        gen(random.Random(f"{args.seed}/{f}"), w, getattr(args, count_opt))
    with open(os.path.join(args.out, MARKER), "w", encoding="utf-8", newline="\n") as fh:
        fh.write("generated by bench/gen_corpus.py; deleted and rewritten by it on each run\n")
        fh.write(
            f"seed={args.seed} formats={','.join(formats)} "
            + " ".join(f"{FORMATS[f][1]}={getattr(args, FORMATS[f][1])}" for f in formats)
            + "\n"
        )
    dt = time.perf_counter() - t0
    kinds = ", ".join(f"{k}: {c[0]} files {c[1] / 1e6:.2f} MB" for k, c in w.per_kind.items())
    print(
        f"gen_corpus: {w.files} files, {w.bytes} bytes ({w.bytes / 1e6:.2f} MB) in {args.out} "
        f"[{kinds}] seed={args.seed} in {dt:.2f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
