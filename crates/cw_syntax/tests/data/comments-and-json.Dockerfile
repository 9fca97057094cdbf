# hadolint ignore=DL3007
FROM ubuntu:latest

# A comment before a continuation
RUN echo "one" \
    # a comment inside the continuation
    && echo "two" \
    \
    && echo "three"

# JSON with escapes and unicode
CMD ["echo", "caf\u00e9 \"quoted\" back\\slash", "tab\there"]
ENTRYPOINT [ "sh", "-c", "echo $HOME" ]
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/install.sh | bash -s -- --yes
LABEL "com.example.vendor"="ACME Incorporated" \
      com.example.label-with-value="foo" \
      version="1.0" \
      description="This text illustrates \
that label-values can span multiple lines."
