"""CI/CD pipelines for the benchmark corpus: GitHub Actions workflows, composite actions and GitLab CI
pipelines with local includes, for `gen_corpus.py --formats workflows`.

Each fake repository under ``ci/repo-NNNN/`` gets a few workflows (build, test matrix, release, PR
automation, reusable workflows), sometimes a composite action, and sometimes a ``.gitlab-ci.yml`` that
includes local templates. About a third carry the flaws reviewers look for: ``pull_request_target`` with
a checkout of the head, attacker-controlled ``github.event.*`` text in ``run:`` (a pull request's or an
issue's title), unpinned actions, ``permissions: write-all``, ``secrets: inherit``, static cloud keys,
``latest`` images, and in GitLab pipelines unpinned project includes, a Docker daemon without TLS and
tokens echoed to the log.
"""

from __future__ import annotations

import random

ACTIONS = [
    ("actions/checkout", "v4", "11bd71901bbe5b1630ceea73d27597364c9af683"),
    ("actions/setup-node", "v4", "39370e3970a6d050c480ffad4ff0ed4d3fdee5af"),
    ("actions/setup-python", "v5", "0b93645e9fea7318ecaed2b359559ac225c90a2b"),
    ("actions/cache", "v4", "1bd1e32a3bdc45362d1e726936510720a7c30a57"),
    ("actions/upload-artifact", "v4", "b4b15b8c7c6ac21ea08fcf65892d2ee8c75cf882"),
    ("docker/build-push-action", "v6", "471d1dc4e07e5cdedd4c2171150001c434f0b7a4"),
    ("docker/login-action", "v3", "9780b0c442fbb1117ed29e0efdff1e18412f7567"),
    ("aws-actions/configure-aws-credentials", "v4", "e3dd6a429d7300a6a4c196c26e071d42e0343502"),
]

LANGS = [("node", "npm ci", "npm test"), ("python", "pip install -r requirements.txt", "pytest -q"),
         ("go", "go mod download", "go test ./...")]


def uses(rng: random.Random, flawed: bool) -> str:
    name, tag, sha = rng.choice(ACTIONS)
    if flawed and rng.random() < 0.5:
        return f"{name}@{tag}"
    return f"{name}@{sha} # {tag}"


def build_workflow(rng: random.Random, repo: str, flawed: bool) -> str:
    lang, install, test = rng.choice(LANGS)
    perms = "write-all" if flawed and rng.random() < 0.4 else "\n  contents: read"
    versions = {"node": '["20", "22"]', "python": '["3.11", "3.12", "3.13"]', "go": '["1.22", "1.23"]'}[lang]
    setup = {"node": "actions/setup-node", "python": "actions/setup-python", "go": "actions/setup-go"}[lang]
    key = {"node": "node-version", "python": "python-version", "go": "go-version"}[lang]
    return f"""name: ci
on:
  push:
    branches: [main]
  pull_request:
permissions: {perms}
concurrency:
  group: ${{{{ github.workflow }}}}-${{{{ github.ref }}}}
  cancel-in-progress: true
jobs:
  test:
    runs-on: ubuntu-24.04
    timeout-minutes: 20
    strategy:
      fail-fast: false
      matrix:
        version: {versions}
{services(rng, flawed)}    steps:
      - uses: {uses(rng, flawed)}
        with:
          persist-credentials: false
      - uses: {setup}@v5
        with:
          {key}: ${{{{ matrix.version }}}}
      - run: {install}
      - run: {test}
  lint:
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    steps:
      - uses: {uses(rng, flawed)}
      - name: lint {repo}
        run: |
          echo "linting {repo}"
          make lint
"""


def services(rng: random.Random, flawed: bool) -> str:
    """A database service for the test job, in one build workflow out of three."""
    if rng.random() >= 0.33:
        return ""
    image = "postgres:latest" if flawed and rng.random() < 0.5 else f"postgres:{rng.choice(['15.8', '16.4', '17.0'])}"
    return f"""    services:
      db:
        image: {image}
        env:
          POSTGRES_PASSWORD: ${{{{ secrets.TEST_DB_PASSWORD }}}}
        ports: ["5432:5432"]
        options: >-
          --health-cmd pg_isready --health-interval 10s --health-timeout 5s --health-retries 5
"""


def issue_triage(rng: random.Random, flawed: bool) -> str:
    """Labels new issues; the flawed one expands the issue's title into the shell script."""
    label = rng.choice(["triage", "needs-triage", "new"])
    if flawed:
        return f"""name: triage
on:
  issues:
    types: [opened]
permissions: write-all
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - name: label
        env:
          GH_TOKEN: ${{{{ github.token }}}}
        run: |
          echo "New issue: ${{{{ github.event.issue.title }}}}"
          gh issue edit ${{{{ github.event.issue.number }}}} --add-label {label} --repo ${{{{ github.repository }}}}
"""
    return f"""name: triage
on:
  issues:
    types: [opened]
permissions:
  issues: write
jobs:
  label:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - name: label
        env:
          GH_TOKEN: ${{{{ github.token }}}}
          TITLE: ${{{{ github.event.issue.title }}}}
          NUMBER: ${{{{ github.event.issue.number }}}}
        run: |
          echo "New issue: $TITLE"
          gh issue edit "$NUMBER" --add-label {label} --repo "$GITHUB_REPOSITORY"
"""


def pr_automation(rng: random.Random, flawed: bool) -> str:
    if flawed:
        return """name: pr-label
on:
  pull_request_target:
    types: [opened, edited]
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - name: greet
        run: echo "Thanks for ${{ github.event.pull_request.title }}"
      - run: ./scripts/label.sh
"""
    return """name: pr-label
on:
  pull_request_target:
    types: [opened]
permissions:
  pull-requests: write
jobs:
  label:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - name: greet
        env:
          TITLE: ${{ github.event.pull_request.title }}
        run: echo "Thanks for $TITLE"
"""


def release_workflow(rng: random.Random, repo: str, flawed: bool) -> str:
    creds = """      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: eu-west-1""" if flawed else """      - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/release
          aws-region: eu-west-1"""
    return f"""name: release
on:
  push:
    tags: ["v*"]
permissions:
  contents: write
  id-token: write
jobs:
  publish:
    runs-on: ubuntu-24.04
    timeout-minutes: 30
    environment: production
    steps:
      - uses: {uses(rng, flawed)}
{creds}
      - run: make release VERSION=${{{{ github.ref_name }}}}
  deploy:
    needs: publish
    uses: ./.github/workflows/deploy.yml
    secrets:{" inherit" if flawed else chr(10) + "      token: ${{ secrets.DEPLOY_TOKEN }}"}
"""


def reusable_deploy() -> str:
    return """name: deploy
on:
  workflow_call:
    secrets:
      token:
        required: false
jobs:
  deploy:
    runs-on: ubuntu-24.04
    timeout-minutes: 15
    steps:
      - run: ./deploy.sh
        env:
          TOKEN: ${{ secrets.token }}
"""


def composite_action(repo: str) -> str:
    return f"""name: setup-{repo}
description: Installs the toolchain of {repo}
inputs:
  version:
    description: toolchain version
    default: "1.0"
runs:
  using: composite
  steps:
    - shell: bash
      run: echo "installing ${{{{ inputs.version }}}}"
    - shell: bash
      run: ./install.sh
"""


def gitlab(rng: random.Random, flawed: bool) -> tuple[str, dict[str, str]]:
    image = "node:latest" if flawed else "node:22.11-bookworm"
    shared = (
        "  - project: platform/ci-templates\n    file: /templates/security.yml\n"
        if flawed
        else "  - project: platform/ci-templates\n    ref: v3.2.1\n    file: /templates/security.yml\n"
    )
    main = f"""include:
  - local: ci/templates.yml
  - local: ci/jobs/*.yml
{shared}stages: [build, test, deploy]
variables:
  GIT_DEPTH: "20"
build:
  extends: .node
  stage: build
  image: {image}
  script:
    - npm ci
    - npm run build
"""
    files = {
        "ci/templates.yml": """.node:
  interruptible: true
  timeout: 20m
  cache:
    key: $CI_COMMIT_REF_SLUG
    paths: [node_modules/]
""",
        "ci/jobs/test.yml": f"""test:
  extends: .node
  stage: test
  image: {image}
  script:
    - npm test
""",
        "ci/jobs/deploy.yml": """deploy:
  stage: deploy
  image: bitnami/kubectl:1.31
  environment: production
  script:
    - echo "deploying with $DEPLOY_TOKEN"
    - kubectl apply -f k8s/
""" if flawed else """deploy:
  stage: deploy
  image: bitnami/kubectl:1.31
  environment: production
  script:
    - kubectl apply -f k8s/
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
""",
    }
    if rng.random() < 0.4:
        tls = '""' if flawed else '"/certs"'
        files["ci/jobs/image.yml"] = f"""build-image:
  stage: build
  image: docker:27.3
  services:
    - docker:27.3-dind
  variables:
    DOCKER_TLS_CERTDIR: {tls}
  script:
    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA .
    - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA
"""
    return main, files


def gen_pipelines(rng: random.Random, w, n: int) -> None:
    width = max(4, len(str(n)))
    for i in range(1, n + 1):
        repo = f"repo-{i:0{width}d}"
        d = f"ci/{repo}"
        flawed = rng.random() < 0.35
        w.write(f"{d}/.github/workflows/ci.yml", build_workflow(rng, repo, flawed), kind="workflows")
        if rng.random() < 0.6:
            w.write(f"{d}/.github/workflows/pr-label.yml", pr_automation(rng, flawed), kind="workflows")
        if rng.random() < 0.3:
            w.write(f"{d}/.github/workflows/triage.yml", issue_triage(rng, flawed), kind="workflows")
        if rng.random() < 0.5:
            w.write(f"{d}/.github/workflows/release.yml", release_workflow(rng, repo, flawed), kind="workflows")
            w.write(f"{d}/.github/workflows/deploy.yml", reusable_deploy(), kind="workflows")
        if rng.random() < 0.25:
            w.write(f"{d}/.github/actions/setup/action.yml", composite_action(repo), kind="workflows")
        if rng.random() < 0.3:
            main, files = gitlab(rng, flawed)
            w.write(f"{d}/.gitlab-ci.yml", main, kind="workflows")
            for rel, text in files.items():
                w.write(f"{d}/{rel}", text, kind="workflows")
