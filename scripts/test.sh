#!/usr/bin/env bash
# Runs every test of the project: makes a Docker engine available (installing Debian's docker.io when
# none answers and this is a Debian machine), then runs the Maven build with its tests.
# Extra arguments go to Maven, e.g. scripts/test.sh -pl ldd-core
set -euo pipefail
cd "$(dirname "$0")/.."
if ! scripts/docker-engine.sh; then
  if [ "${LDD_REQUIRE_DOCKER:-}" = "true" ]; then
    echo "test: no Docker engine, and LDD_REQUIRE_DOCKER=true: the Docker tests would fail" >&2
    exit 1
  fi
  echo "test: no Docker engine: the Docker integration tests will be skipped" >&2
fi
exec ./mvnw -B -ntp verify "$@"
