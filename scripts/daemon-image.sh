#!/usr/bin/env bash
# Builds an image of the LDD daemon itself, locally (no registry): a jlink'd JRE, ldd.jar and the shared
# libraries they need, FROM scratch, built by `ldd image build` like any function image.
#
#   scripts/daemon-image.sh [TAG]            (default tag: ldd/daemon:dev)
#
# Run it with the Docker socket mounted, so that it starts its functions as sibling containers, and on
# the host's network, so that it reaches the ports they publish on 127.0.0.1:
#
#   docker run -d --name ldd --network host \
#     -v /var/run/docker.sock:/var/run/docker.sock -v "$PWD/examples/ldd.yaml:/etc/ldd/ldd.yaml:ro" \
#     ldd/daemon:dev run --config /etc/ldd/ldd.yaml
#
# `docker stop ldd` sends SIGTERM: the daemon drains, stops its containers and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
tag="${1:-ldd/daemon:dev}"
jar=ldd-launcher/target/ldd.jar
if [ ! -f "$jar" ]; then
  ./mvnw -q -B -DskipTests package -pl ldd-launcher -am
fi
# Modules the daemon needs that jdeps cannot see in a shaded jar: the admin HTTP server, JMX metrics,
# logback's JNDI, Unsafe (protobuf, netty), the HTTP client of `ldd publish`, JDBC and beans types that
# Jackson and SnakeYAML touch, and EC crypto for TLS to Solace.
exec java -jar "$jar" image build --jar "$jar" --main-class dev.ldd.launcher.Main --tag "$tag" \
  --add-modules jdk.httpserver,java.management,java.naming,jdk.unsupported,java.net.http,java.sql,java.desktop,jdk.crypto.ec
