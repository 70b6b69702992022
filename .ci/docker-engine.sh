#!/usr/bin/env bash
# Makes a Docker engine with compose v2 and buildx answer here, for ComposeIT, without any image
# registry: the base images the Dockerfile and docker-compose.yml name are stand-ins built locally.
#
#   .ci/docker-engine.sh start   # engine up (installing it when needed), stand-in images built
#   .ci/docker-engine.sh stop    # stops the engine this script started, removes what compose left
#
# Idempotent: an engine that already answers is used as it is; images already in /var/lib/docker are
# kept (a warm machine adds seconds). Every step has a deadline. When it cannot provision (not root,
# no Debian packages), it says why and exits 0: ComposeIT then skips with its own reason.
set -uo pipefail

STATE=/run/granary-ci-docker          # what this script started, for "stop"
LOG=/tmp/granary-dockerd.log
# where every docker client looks for CLI plugins, whatever HOME is; a user's own otherwise
if [ "$(id -u)" -eq 0 ]; then PLUGINS=/usr/local/lib/docker/cli-plugins; else PLUGINS="$HOME/.docker/cli-plugins"; fi
BASE_IMAGE=granary-standin/bookworm-jre:1
# The names the Dockerfile and docker-compose.yml use; each stand-in provides what they need.
JRE_NAMES=("eclipse-temurin:17-jre" "maven:3.9-eclipse-temurin-17")
REDIS_NAME="redis:7.2-alpine"
ENGINE_DEADLINE=60

say() { echo "docker-engine: $*"; }
skip() { say "skipped: $*"; exit 0; }

apt_sources_mirror() {
  awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null \
    || awk '/^deb /{print $2; exit}' /etc/apt/sources.list
}

install_engine() {
  command -v dockerd >/dev/null && command -v debootstrap >/dev/null && return 0
  say "installing docker.io and debootstrap from Debian"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq docker.io debootstrap; } \
    >/tmp/granary-docker-apt.log 2>&1 || skip "apt-get install docker.io debootstrap failed (/tmp/granary-docker-apt.log)"
}

start_engine() {
  if timeout 10 docker info >/dev/null 2>&1; then
    say "an engine already answers: using it"
    return 0
  fi
  mkdir -p "$STATE"
  # the rules as they were, put back by "stop" (dockerd adds its chains and NAT rules)
  iptables-save >"$STATE/iptables.before" 2>/dev/null || true
  sysctl -n net.ipv4.ip_forward >"$STATE/ip_forward.before" 2>/dev/null || true
  say "starting dockerd (log: $LOG)"
  nohup dockerd >"$LOG" 2>&1 &
  echo $! >"$STATE/dockerd.pid"
  for _ in $(seq "$ENGINE_DEADLINE"); do
    timeout 5 docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  tail -20 "$LOG" >&2
  skip "dockerd did not answer within ${ENGINE_DEADLINE}s"
}

# Debian bookworm has no compose v2 nor buildx; trixie's packages are static Go binaries that work
# as CLI plugins of any docker client.
install_plugins() {
  if docker compose version >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; then
    return 0
  fi
  say "installing the compose v2 and buildx CLI plugins from Debian trixie"
  local dir=/tmp/granary-trixie mirror
  mirror=$(apt_sources_mirror)
  mkdir -p "$dir/lists/partial" "$PLUGINS"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$dir/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
              -o "Dir::State::Lists=$dir/lists")
  (cd "$dir" && timeout 300 apt-get -qq "${opts[@]}" update && timeout 300 apt-get -qq "${opts[@]}" download docker-compose docker-buildx) \
    >/tmp/granary-docker-plugins.log 2>&1 || skip "could not download docker-compose and docker-buildx (/tmp/granary-docker-plugins.log)"
  for deb in "$dir"/docker-compose_*.deb "$dir"/docker-buildx_*.deb; do
    dpkg-deb -x "$deb" "$dir/root"
  done
  install -m 0755 "$dir/root/usr/libexec/docker/cli-plugins/docker-compose" "$dir/root/usr/libexec/docker/cli-plugins/docker-buildx" "$PLUGINS/"
  docker compose version || skip "docker compose does not run"
}

# One Debian rootfs with a JRE, Redis and bash, imported without a registry, then tagged with the names.
build_standins() {
  if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    local rootfs=/tmp/granary-rootfs started=$SECONDS
    rm -rf "$rootfs"
    say "debootstrap bookworm into $rootfs (a few minutes on a fresh machine)"
    timeout 1200 debootstrap --variant=minbase \
      --include=openjdk-17-jre-headless,redis-server,bash,passwd,ca-certificates \
      bookworm "$rootfs" "$(apt_sources_mirror)" >/tmp/granary-debootstrap.log 2>&1 \
      || skip "debootstrap failed (/tmp/granary-debootstrap.log)"
    chroot "$rootfs" apt-get clean
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc "$rootfs"/usr/share/man
    tar -C "$rootfs" -c . | docker import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$BASE_IMAGE" >/dev/null \
      || skip "docker import failed"
    rm -rf "$rootfs"
    say "base image built in $((SECONDS - started))s"
  fi
  for name in "${JRE_NAMES[@]}"; do
    docker tag "$BASE_IMAGE" "$name"
  done
  local ctx
  ctx=$(mktemp -d)
  # The official image's entrypoint: runs redis-server as the redis user, owning /data.
  cat >"$ctx/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec setpriv --reuid=redis --regid=redis --clear-groups "$@"
fi
exec "$@"
EOF
  printf 'FROM %s\nCOPY docker-entrypoint.sh /usr/local/bin/\nRUN chmod 755 /usr/local/bin/docker-entrypoint.sh && mkdir -p /data && chown redis:redis /data\nWORKDIR /data\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["redis-server"]\n' \
    "$BASE_IMAGE" >"$ctx/Dockerfile"
  timeout 300 docker build -q -t "$REDIS_NAME" "$ctx" >/dev/null || skip "the redis stand-in did not build"
  rm -rf "$ctx"
}

stop() {
  [ -f "$STATE/dockerd.pid" ] || { say "no engine started by this script"; return 0; }
  local pid
  pid=$(cat "$STATE/dockerd.pid")
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
    docker network prune -f >/dev/null 2>&1 || true
    # images that a rebuild untagged (each run builds granary:latest anew); the stand-ins stay cached
    docker image prune -f >/dev/null 2>&1 || true
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  else
    say "dockerd $pid is gone already"
  fi
  if command -v iptables-restore >/dev/null; then
    [ -s "$STATE/iptables.before" ] && { iptables-restore <"$STATE/iptables.before" 2>/dev/null || true; }
    # whatever Docker added that the saved rules did not cover (its chains, its FORWARD policy)
    iptables-save 2>/dev/null | grep -v -i docker | iptables-restore 2>/dev/null || true
    [ -s "$STATE/iptables.before" ] || iptables -P FORWARD ACCEPT 2>/dev/null || true
  fi
  [ -s "$STATE/ip_forward.before" ] && sysctl -q -w net.ipv4.ip_forward="$(cat "$STATE/ip_forward.before")" || true
  ip link delete docker0 2>/dev/null || true
  rm -rf "$STATE"
  say "engine stopped"
}

case "${1:-start}" in
  start)
    started=$SECONDS
    [ "$(id -u)" -eq 0 ] || { timeout 10 docker info >/dev/null 2>&1 || skip "not root and no engine answers"; }
    [ "$(id -u)" -eq 0 ] && install_engine
    start_engine
    install_plugins
    build_standins
    say "ready in $((SECONDS - started))s"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
