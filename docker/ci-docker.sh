#!/usr/bin/env bash
# Makes the docker tests repeatable on a Debian machine without an image registry.
#
#   docker/ci-docker.sh setup      install docker.io, debootstrap and docker-compose when missing,
#                                  start dockerd if no daemon answers, build the JRE 17 base image
#                                  once (reused by its tag)
#   docker/ci-docker.sh test       setup, run the docker profile's tests (module e2e-docker), then
#                                  stop the daemon if this script started it
#   docker/ci-docker.sh teardown   stop the daemon this script started (if any)
#
# The daemon runs with --bridge=none --iptables=false: containers use the host's network only.
# Exit codes: 0 done; 2 docker could not be made available (the reason is printed); other codes
# are test failures.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_IMAGE="${POSTHOG_DOCKER_BASE_IMAGE:-posthog-flink/jre17:bookworm}"
STATE_DIR="${POSTHOG_DOCKER_STATE_DIR:-/tmp/posthog-flink-docker}"
DOCKERD_PID_FILE="$STATE_DIR/dockerd.pid"
DOCKERD_LOG="$STATE_DIR/dockerd.log"

log() { echo "[ci-docker] $*"; }
unavailable() {
  log "DOCKER UNAVAILABLE: $*"
  exit 2
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  log "installing ${missing[*]} (apt-get)"
  as_root apt-get update -q >"$STATE_DIR/apt.log" 2>&1 || { tail -5 "$STATE_DIR/apt.log"; return 1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >>"$STATE_DIR/apt.log" 2>&1 || { tail -5 "$STATE_DIR/apt.log"; return 1; }
}

daemon_answers() { docker info >/dev/null 2>&1; }

start_daemon() {
  if daemon_answers; then
    log "a docker daemon is already running"
    return 0
  fi
  command -v dockerd >/dev/null || return 1
  log "starting dockerd --bridge=none --iptables=false (log: $DOCKERD_LOG)"
  local args=(--bridge=none --iptables=false --host=unix:///var/run/docker.sock)
  # Started directly (not through a function) so that $! is dockerd itself, or sudo, which passes
  # signals on.
  if [ "$(id -u)" -eq 0 ]; then
    dockerd "${args[@]}" >"$DOCKERD_LOG" 2>&1 &
  else
    sudo -n dockerd "${args[@]}" >"$DOCKERD_LOG" 2>&1 &
  fi
  echo $! >"$DOCKERD_PID_FILE"
  for _ in $(seq 1 60); do
    if daemon_answers; then
      log "dockerd is up (pid $(cat "$DOCKERD_PID_FILE"))"
      return 0
    fi
    if ! kill -0 "$(cat "$DOCKERD_PID_FILE")" 2>/dev/null; then
      tail -5 "$DOCKERD_LOG"
      rm -f "$DOCKERD_PID_FILE"
      return 1
    fi
    sleep 1
  done
  tail -5 "$DOCKERD_LOG"
  return 1
}

stop_daemon() {
  [ -f "$DOCKERD_PID_FILE" ] || return 0
  local pid
  pid=$(cat "$DOCKERD_PID_FILE")
  log "stopping the dockerd this script started (pid $pid)"
  as_root kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  rm -f "$DOCKERD_PID_FILE"
}

# debootstrap mounts /proc and /sys inside its target; unmount them before deleting it.
remove_rootfs() {
  local root=$1 mnt
  [ -e "$root" ] || return 0
  for mnt in $(awk -v r="$root" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
    as_root umount -l "$mnt" || true
  done
  as_root rm -rf --one-file-system "$root"
}

# The JRE 17 base image: Debian bookworm (minbase) with openjdk-17-jre-headless, imported as-is.
build_base_image() {
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    log "base image $BASE_IMAGE exists"
    return 0
  fi
  command -v debootstrap >/dev/null || return 1
  local root="$STATE_DIR/rootfs" begin=$SECONDS
  remove_rootfs "$root"
  log "building $BASE_IMAGE with debootstrap (log: $STATE_DIR/debootstrap.log)"
  as_root debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$root" \
    "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$STATE_DIR/debootstrap.log" 2>&1 \
    || { tail -5 "$STATE_DIR/debootstrap.log"; remove_rootfs "$root"; return 1; }
  as_root rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  as_root tar -C "$root" -c . | docker import \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    --change 'CMD ["java", "-version"]' - "$BASE_IMAGE" >/dev/null
  remove_rootfs "$root"
  log "base image $BASE_IMAGE built in $((SECONDS - begin)) s"
}

setup() {
  mkdir -p "$STATE_DIR"
  install_packages || unavailable "apt-get could not install docker.io/debootstrap (see above)"
  start_daemon || unavailable "dockerd could not be started (see above and $DOCKERD_LOG)"
  build_base_image || unavailable "the base image could not be built (see above)"
  # A daemon may start where containers still cannot run (no cgroups, no overlay support).
  docker run --rm --network host "$BASE_IMAGE" java -version >"$STATE_DIR/smoke.log" 2>&1 \
    || { tail -5 "$STATE_DIR/smoke.log"; unavailable "a container could not run on this machine"; }
}

run_tests() {
  local begin=$SECONDS status=0
  # Ryuk is off: remove what an interrupted earlier run left (Testcontainers labels its containers).
  docker ps -aq --filter label=org.testcontainers=true | xargs -r docker rm -f >/dev/null
  log "running the docker tests (profile docker, module e2e-docker)"
  # Only e2e-docker's tests: the other modules' tests and ITs ran in the main verify already.
  ./mvnw -B -ntp -Pdocker verify -pl e2e-docker -am \
    -Dtest='io/github/posthogflink/e2e/**/*Test.java' -Dsurefire.failIfNoSpecifiedTests=false \
    -DskipITs -Ddocker.base.image="$BASE_IMAGE" || status=$?
  log "docker tests finished in $((SECONDS - begin)) s (exit $status)"
  return $status
}

case "${1:-}" in
  setup) setup ;;
  teardown) stop_daemon ;;
  test)
    trap stop_daemon EXIT
    setup
    run_tests
    ;;
  *)
    sed -n '2,13p' "$0"
    exit 64
    ;;
esac
