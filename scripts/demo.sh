#!/usr/bin/env bash
# The demo: builds LDD, runs the daemon with the example functions on its embedded broker (each function
# instance a Docker container when an engine answers, a local Java process otherwise), publishes a few
# messages, shows them processed (metrics and function status), then stops the daemon with SIGTERM and
# shows it drained. Needs Java 17+ and curl; the Maven wrapper fetches Maven.
#
#   scripts/demo.sh                         # Docker if `docker info` answers, else the process runtime
#   LDD_DEMO_RUNTIME=process scripts/demo.sh   # force the process runtime (or: docker)
#
# LDD_DEMO_MAVEN_ARGS adds Maven arguments (e.g. -o offline); LDD_DEMO_SKIP_BUILD=true reuses a build.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

command -v java >/dev/null 2>&1 || die "java is not on the PATH: install a JDK 17 or newer"
command -v curl >/dev/null 2>&1 || die "curl is not on the PATH: the demo reads the admin endpoint with it"

ldd() { java -jar ldd-launcher/target/ldd.jar "$@"; }

# ---- build ----------------------------------------------------------------------------------------
if [ "${LDD_DEMO_SKIP_BUILD:-false}" != "true" ]; then
  say "building the daemon (ldd-launcher/target/ldd.jar) and the example functions (examples/target/functions/)"
  # shellcheck disable=SC2086
  ./mvnw -q -B ${LDD_DEMO_MAVEN_ARGS:-} -DskipTests -pl examples -am package
fi
[ -f ldd-launcher/target/ldd.jar ] || die "ldd-launcher/target/ldd.jar is missing: the build did not make it"
functions_jar=$(ls examples/target/functions/examples-*-functions.jar 2>/dev/null | head -n 1 || true)
[ -n "$functions_jar" ] || die "examples/target/functions/ has no functions jar: the build did not make it"
sdk_jar=$(ls examples/target/functions/ldd-wire-*.jar 2>/dev/null | head -n 1 || true)
protobuf_jar=$(ls examples/target/functions/protobuf-java-*.jar 2>/dev/null | head -n 1 || true)
[ -n "$sdk_jar" ] && [ -n "$protobuf_jar" ] || die "examples/target/functions/ lacks the SDK or protobuf jar"

# ---- runtime --------------------------------------------------------------------------------------
runtime="${LDD_DEMO_RUNTIME:-auto}"
if [ "$runtime" = "auto" ]; then
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then runtime=docker; else runtime=process; fi
fi
case "$runtime" in
  docker)
    config=examples/ldd.yaml
    say "a Docker engine answers: building the function images (FROM scratch, a jlink'd JRE, the functions' jars)"
    for fn in echo:echo.EchoFunction enrich:enrich.EnrichFunction flaky:flaky.FlakyFunction; do
      ldd image build --jar "$functions_jar" --classpath "$sdk_jar:$protobuf_jar" \
        --main-class "dev.ldd.examples.${fn#*:}" --tag "ldd-examples/${fn%%:*}:1"
    done
    ;;
  process)
    config=examples/ldd-process.yaml
    say "no Docker engine (or LDD_DEMO_RUNTIME=process): the functions run as local Java processes"
    ;;
  *) die "LDD_DEMO_RUNTIME must be auto, docker or process, was '$runtime'" ;;
esac

# ---- run ------------------------------------------------------------------------------------------
mkdir -p examples/target/demo
log=examples/target/demo/ldd-run.log
say "ldd run --config $config   (log: $log)"
LDD_DAEMON_ID="ldd-demo" LDD_ADMIN_PORT="${LDD_DEMO_ADMIN_PORT:-0}" \
  java -jar ldd-launcher/target/ldd.jar run --config "$config" >"$log" 2>&1 &
daemon=$!
trap 'kill -KILL "$daemon" 2>/dev/null || true' EXIT

admin=""
for _ in $(seq 1 300); do
  kill -0 "$daemon" 2>/dev/null || { cat "$log"; die "the daemon exited while starting"; }
  admin=$(grep -o 'admin on http://[0-9.]*:[0-9]*' "$log" | head -n 1 | sed 's/^admin on //' || true)
  if [ -n "$admin" ] && curl -sf "$admin/readyz" >/dev/null; then break; fi
  sleep 0.1
done
[ -n "$admin" ] || { cat "$log"; die "the daemon did not become ready"; }
echo "ready: $admin/readyz answers 200"

say "publishing through the admin endpoint (ldd publish)"
ldd publish --admin "$admin" --topic echo/hello --data "hello, LDD"
ldd publish --admin "$admin" --topic orders/eu/created --data '{"order":42,"amount":9.99}'
ldd publish --admin "$admin" --topic orders/eu/created --data ''                   # poison: enrich rejects it
ldd publish --admin "$admin" --topic flaky/once --property flaky.failDeliveries=1 --data "fails once"
ldd publish --admin "$admin" --topic flaky/always --property flaky.failDeliveries=99 --data "always fails"

metric() { # the sum of the samples of $1 whose labels contain $2
  curl -sf "$admin/metrics" | grep "^$1{" | grep -F -- "${2:-}" | awk '{ s += $2 } END { print s + 0 }'
}
# Done when: echo ran twice (hello, and the enriched order), enrich twice, and flaky's two messages are
# settled (one accepted after a redelivery, one dead-lettered after three deliveries).
for _ in $(seq 1 600); do
  if [ "$(metric ldd_invocations_total 'function="echo",outcome="ok"')" = "2" ] \
      && [ "$(metric ldd_invocations_total 'function="enrich"')" = "2" ] \
      && [ "$(metric ldd_invocations_total 'function="flaky",outcome="ok"')" = "1" ] \
      && [ "$(metric ldd_dead_letters_total 'function="flaky"')" = "1" ]; then
    break
  fi
  sleep 0.1
done

say "processed: /metrics (non-zero invocations, settlements, dead letters, redeliveries, cold starts, instances)"
curl -sf "$admin/metrics" \
  | grep -E '^ldd_(invocations_total|settlements_total|dead_letters_total|redeliveries_total|cold_starts_total|instances)\{' \
  | grep -v ' 0\.0$' || true

say "/v1/functions"
curl -sf "$admin/v1/functions"

say "what the daemon logged (instances, dead letters)"
grep -E 'ready in|dead-lettered' "$log" | sed -E 's/^[^ ]+ //' || true

say "SIGTERM: the daemon drains and exits"
kill -TERM "$daemon"
set +e
wait "$daemon"
rc=$?
set -e
trap - EXIT
grep -E 'SIGTERM|drained in|stopped' "$log" | sed -E 's/^[^ ]+ //'
echo "exit code: $rc"
[ "$rc" -eq 0 ] || die "the daemon exited with $rc; see $log"
say "done: $runtime runtime, config $config, full log in $log"
