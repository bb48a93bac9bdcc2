#!/usr/bin/env bash
# Makes a Docker engine answer on the local socket: does nothing when one already answers;
# otherwise installs Debian's docker.io (when missing), starts dockerd, and waits for it.
# Idempotent; safe to call from CI and by hand. Exits non-zero if no engine answers in time.
set -euo pipefail

timeout_s="${LDD_DOCKER_WAIT_SECONDS:-120}"
log="${LDD_DOCKERD_LOG:-/var/log/ldd-dockerd.log}"

answers() { docker info >/dev/null 2>&1; }

ensure_busybox() {
  # The Docker tests build a FROM scratch image around a static busybox (nothing can be pulled).
  if [ ! -x /bin/busybox ] && command -v apt-get >/dev/null 2>&1; then
    echo "docker-engine: installing busybox-static for the Docker tests' images"
    apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null \
      || echo "docker-engine: could not install busybox-static; some Docker tests will fail" >&2
  fi
}

if answers; then
  echo "docker-engine: an engine already answers"
  ensure_busybox
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "docker-engine: no engine answers and this is not a Debian machine; start Docker yourself" >&2
    exit 1
  fi
  echo "docker-engine: installing docker.io from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "docker-engine: starting dockerd (log: $log)"
  setsid dockerd >"$log" 2>&1 < /dev/null &
fi

deadline=$(( $(date +%s) + timeout_s ))
until answers; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "docker-engine: no engine answered within ${timeout_s}s; see $log" >&2
    tail -n 20 "$log" >&2 || true
    exit 1
  fi
  sleep 0.2
done
echo "docker-engine: engine ready ($(docker version --format '{{.Server.Version}}'))"

ensure_busybox
