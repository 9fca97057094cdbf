ARG BASE_REGISTRY=docker.io
ARG BASE_IMAGE=library/alpine
ARG BASE_TAG=3.20@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
FROM ${BASE_REGISTRY}/${BASE_IMAGE}:${BASE_TAG} AS base
ARG VERSION=${VERSION:-0.0.0-dev}
ARG COMMIT
ENV APP_VERSION=$VERSION APP_COMMIT=${COMMIT:-unknown}
ADD --chmod=755 https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.12.0 /buildkit
ADD --link --exclude=*.md ./docs /docs
COPY --parents ./a/**/*.txt /dst/
RUN --network=none --security=insecure echo "${APP_VERSION}"
ENTRYPOINT ["/tini", "--"]
