# syntax=docker/dockerfile:1.7
FROM ubuntu:24.04

RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF

RUN <<-EOT bash
	set -euo pipefail
	echo "tabs are stripped"
	EOT

COPY <<EOF /etc/nginx/conf.d/default.conf
server {
    listen 80;
    location / { return 200 "ok"; }
}
EOF

COPY <<app.conf <<"run.sh" /opt/
key = value
app.conf
#!/bin/sh
exec "$@"
run.sh

RUN python3 <<'PY'
import sys
print(sys.version)
PY

RUN cat <<EOF > /usr/local/bin/hello && chmod +x /usr/local/bin/hello
#!/bin/sh
echo hello
EOF

ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/archive.tar.gz /tmp/
