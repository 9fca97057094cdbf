FROM debian:bookworm-slim

ENV DEBIAN_FRONTEND=noninteractive

# Install runtime dependencies
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        ca-certificates \
        curl \
# tini is the init process
        tini \
        \
        gnupg \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    curl -fsSL https://deb.nodesource.com/gpgkey/nodesource.gpg.key | gpg --dearmor -o /usr/share/keyrings/nodesource.gpg; \
    echo "deb [signed-by=/usr/share/keyrings/nodesource.gpg] https://deb.nodesource.com/node_20.x nodistro main" > /etc/apt/sources.list.d/nodesource.list

RUN if [ "$(dpkg --print-architecture)" = "amd64" ]; then \
        echo amd64; \
    else \
        echo other; \
    fi \
    && for dir in /data /logs; do mkdir -p "$dir" && chmod 0750 "$dir"; done

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["bash"]
